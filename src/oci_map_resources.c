/* config.json's linux.resources: memory, cpu and pids limits onto ward's cgroup limits, and
 * device rules that only ever deny (oci_map_internal.h). */
#include <errno.h>
#include <stdint.h>

#include "oci_map_internal.h"
#include "ward/cgroup.h"
#include "ward/util.h"

/* key: the JSON path of the value, a string literal. */
static void set_limit(struct oci *x, int id, uint64_t value, const char *key)
{
        struct ward_cg_limit *l = &x->c->cgroup.limits[id];

        *l = (struct ward_cg_limit){.set = true, .value = value};
        l->origin = oci_origin_fixed(x, key);
}

/* An int64 limit: *set false for -1 (unlimited) or absent. */
static int limit_value(struct oci *x, const char *path, json_t *v, int64_t *out, bool *set)
{
        int r;

        *set = false;
        if (!v)
                return 0;
        if ((r = oci_want(x, path, v, JSON_INTEGER)) < 0)
                return r;
        *out = json_integer_value(v);
        if (*out == -1)
                return 0;
        if (*out <= 0)
                return oci_bad(x, path, "%lld is not a limit (above 0, or -1 for none)",
                               (long long)*out);
        *set = true;
        return 0;
}

static int map_memory(struct oci *x, json_t *m)
{
        static const char *const keys[] = {"limit", "swap", NULL};
        int64_t v;
        bool set;
        int r;

        if ((r = oci_want(x, "linux.resources.memory", m, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, "linux.resources.memory", m, keys)) < 0 ||
            (r = limit_value(x, "linux.resources.memory.limit", json_object_get(m, "limit"), &v,
                             &set)) < 0)
                return r;
        if (set)
                set_limit(x, WARD_CG_MEMORY, (uint64_t)v, "linux.resources.memory.limit");
        if ((r = limit_value(x, "linux.resources.memory.swap", json_object_get(m, "swap"), &v,
                             &set)) < 0)
                return r;
        if (set) {
                /* As docker's --memory-swap: memory plus swap; cgroup_file_value() subtracts. */
                set_limit(x, WARD_CG_MEMORY_SWAP, (uint64_t)v, "linux.resources.memory.swap");
                x->c->cgroup.swap_is_total = true;
        }
        return 0;
}

static int map_cpu(struct oci *x, json_t *cpu)
{
        static const char *const keys[] = {"quota", "period", NULL};
        int64_t quota, period = WARD_CPU_PERIOD_US;
        bool set, have_period;
        int r;

        if ((r = oci_want(x, "linux.resources.cpu", cpu, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, "linux.resources.cpu", cpu, keys)) < 0 ||
            (r = limit_value(x, "linux.resources.cpu.period", json_object_get(cpu, "period"),
                             &period, &have_period)) < 0 ||
            (r = limit_value(x, "linux.resources.cpu.quota", json_object_get(cpu, "quota"), &quota,
                             &set)) < 0)
                return r;
        if (!have_period)
                period = WARD_CPU_PERIOD_US;
        if (set && period > 1000000)
                return oci_bad(x, "linux.resources.cpu.period", "above 1s");
        if (set)
                set_limit(x, WARD_CG_CPUS,
                          (uint64_t)quota * WARD_CPU_PERIOD_US / (uint64_t)period ?: 1,
                          "linux.resources.cpu.quota");
        return 0;
}

static int map_pids(struct oci *x, json_t *pids)
{
        static const char *const keys[] = {"limit", NULL};
        int64_t v;
        bool set;
        int r;

        if ((r = oci_want(x, "linux.resources.pids", pids, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, "linux.resources.pids", pids, keys)) < 0 ||
            (r = limit_value(x, "linux.resources.pids.limit", json_object_get(pids, "limit"), &v,
                             &set)) < 0)
                return r;
        if (set)
                set_limit(x, WARD_CG_PIDS, (uint64_t)v, "linux.resources.pids.limit");
        return 0;
}

/* ward's /dev holds only null, zero, full, random, urandom, tty and a private pts, and
 * mknod is never allowed: the "deny everything" rules of a device cgroup say no more. */
static int map_devices(struct oci *x, json_t *arr)
{
        struct ward_json_elem el;
        char p[PATH_LEN];
        json_t *allow;
        int r;

        if ((r = oci_want(x, "linux.resources.devices", arr, JSON_ARRAY)) < 0)
                return r;
        ward_json_foreach(arr, "linux.resources.devices", &el)
        {
                if ((r = oci_want(x, el.path, el.v, JSON_OBJECT)) < 0 ||
                    (r = oci_only_keys(x, el.path, el.v,
                                       (const char *const[]){"allow", "access", "type", "major",
                                                             "minor", NULL})) < 0)
                        return r;
                ward_json_path(p, sizeof(p), "%s.allow", el.path);
                if (!(allow = json_object_get(el.v, "allow")))
                        return oci_bad(x, p, "missing");
                if ((r = oci_want(x, p, allow, JSON_TRUE)) < 0)
                        return r;
                if (json_is_true(allow))
                        return oci_unsupported(x, p,
                                               "allowing devices (ward's /dev has a fixed "
                                               "set of safe devices)");
        }
        return 0;
}

int oci_map_resources(struct oci *x, json_t *res)
{
        static const char *const keys[] = {"devices", "memory", "cpu", "pids", NULL};
        json_t *v;
        int r;

        if ((r = oci_want(x, "linux.resources", res, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, "linux.resources", res, keys)) < 0)
                return r;
        if ((v = json_object_get(res, "devices")) && (r = map_devices(x, v)) < 0)
                return r;
        if ((v = json_object_get(res, "memory")) && (r = map_memory(x, v)) < 0)
                return r;
        if ((v = json_object_get(res, "cpu")) && (r = map_cpu(x, v)) < 0)
                return r;
        return (v = json_object_get(res, "pids")) ? map_pids(x, v) : 0;
}
