/* `ward spec`: a resolved ward_config written as an OCI runtime config.json (oci_bundle.h).
 *
 * The document asks crun or runc for what `ward run` would build with the same profile and
 * flags: the same namespaces and id range, the same fixed /proc, /dev and /sys, the same
 * tmpfs and bind mounts, capability set, rlimits, no_new_privs, masked and read-only paths
 * and cgroup limits, and ward's own seccomp allowlist exported rule for rule. What the
 * spec has no field for is refused (Landlock=yes) instead of being dropped. */
#include <errno.h>
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/cgroup.h"
#include "ward/idmap.h"
#include "ward/json_util.h"
#include "ward/mount.h"
#include "ward/oci_bundle.h"
#include "ward/process.h"
#include "ward/rlimit.h"
#include "ward/seccomp.h"
#include "ward/seccomp_json.h"
#include "ward/util.h"

#define SPEC_VERSION "1.0.2"

static int nomem(struct ward_error *e)
{
        return ward_error_set(e, ENOMEM, "out of memory");
}

/* ------------------------------------------------------------------------------------- */
/* process                                                                               */

static json_t *string_array(char *const *list, size_t n)
{
        json_t *arr = json_array();

        for (size_t i = 0; arr && i < n; i++)
                json_array_append_new(arr, json_string(list[i]));
        return arr;
}

static json_t *cap_names(uint64_t mask)
{
        json_t *arr = json_array();
        char name[64];

        for (int cap = 0; arr && cap < 64; cap++) {
                if (!(mask & (1ULL << cap)) || !caps_to_name(cap))
                        continue;
                snprintf(name, sizeof(name), "CAP_%s", caps_to_name(cap));
                json_array_append_new(arr, json_string(name));
        }
        return arr;
}

/* ward's one set, in all five; ambient only for a non-root user, as caps_apply() does. */
static json_t *capabilities(const struct ward_config *c)
{
        uint64_t keep = c->caps_keep, amb = c->uid ? keep : 0;
        uint64_t eff = keep, prm = keep, inh = keep;

        if (c->caps_sets_set) /* a bundle's sets, cut as caps_apply() cuts them */
                eff = c->caps_effective & keep, prm = c->caps_permitted & keep,
                inh = c->caps_inheritable & keep, amb = c->caps_ambient & keep;
        return json_pack("{s:o, s:o, s:o, s:o, s:o}", "bounding", cap_names(keep), "effective",
                         cap_names(eff), "permitted", cap_names(prm), "inheritable", cap_names(inh),
                         "ambient", cap_names(amb));
}

/* JSON integers stop at 2^63: infinity is written as the stand-in that oci_spec_print()
 * turns into 18446744073709551615, the spec's spelling (json_util.h). */
static int rlimit_number(const struct ward_rlimit *l, rlim_t v, int res, json_int_t *out,
                         struct ward_error *e)
{
        if (v == RLIM_INFINITY) {
                *out = WARD_JSON_UINT64_MAX_STAND_IN;
                return 0;
        }
        if (v > INT64_MAX)
                return ward_error_at(e, &l->origin, "Resources.Limit*", ERANGE,
                                     "Limit%s=%llu has no config.json spelling",
                                     rlimit_to_name(res), (unsigned long long)v),
                       ward_error_hint(e, "give a number below 2^63, infinity, or leave the "
                                          "limit out"),
                       -ERANGE;
        *out = (json_int_t)v;
        return 0;
}

static int rlimits(const struct ward_config *c, json_t **out, struct ward_error *e)
{
        _cleanup_(json_decrefp) json_t *arr = json_array();
        json_int_t soft, hard;
        char type[64];
        int r;

        if (!arr)
                return nomem(e);
        for (int res = 0; res < WARD_RLIMIT_COUNT; res++) {
                const struct ward_rlimit *l = &c->rlimits[res];
                if (!l->set)
                        continue;
                if ((r = rlimit_number(l, l->soft, res, &soft, e)) < 0 ||
                    (r = rlimit_number(l, l->hard, res, &hard, e)) < 0)
                        return r;
                snprintf(type, sizeof(type), "RLIMIT_%s", rlimit_to_name(res));
                json_array_append_new(
                    arr, json_pack("{s:s, s:I, s:I}", "type", type, "soft", soft, "hard", hard));
        }
        *out = ward_take_ptr(&arr);
        return 0;
}

static json_t *user(const struct ward_config *c)
{
        json_t *gids = json_array();

        for (size_t i = 0; gids && i < c->n_groups; i++)
                json_array_append_new(gids, json_integer(c->groups[i]));
        return json_pack("{s:I, s:I, s:I, s:o}", "uid", (json_int_t)c->uid, "gid",
                         (json_int_t)c->gid, "umask", (json_int_t)c->umask, "additionalGids", gids);
}

static int process(const struct ward_config *c, json_t *doc, struct ward_error *e)
{
        json_t *limits = NULL, *proc;
        int r;

        if ((r = rlimits(c, &limits, e)) < 0)
                return r;
        proc =
            json_pack("{s:b, s:o, s:o, s:o, s:s, s:o, s:o, s:b}", "terminal", c->tty, "user",
                      user(c), "args", string_array(c->argv, c->argc), "env",
                      string_array(c->env, c->n_env), "cwd", c->cwd ? c->cwd : "/", "capabilities",
                      capabilities(c), "rlimits", limits, "noNewPrivileges", c->no_new_privs);
        if (proc && c->oom_score_adj_set &&
            json_object_set_new(proc, "oomScoreAdj", json_integer(c->oom_score_adj)) < 0)
                proc = (json_decref(proc), NULL);
        if (!proc || json_object_set_new(doc, "process", proc) < 0)
                return nomem(e);
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* mounts                                                                                */

static json_t *mount(const char *dest, const char *type, const char *source, json_t *opts)
{
        return json_pack("{s:s, s:s, s:s, s:o}", "destination", dest, "type", type, "source",
                         source, "options", opts);
}

/* The fixed filesystem mount.c builds: proc, a small /dev with a private devpts and shm,
 * and /sys read-only (the host's, bound, when there is no network namespace to show). */
static void fixed_mounts(const struct ward_config *c, json_t *arr)
{
        json_array_append_new(
            arr, mount("/proc", "proc", "proc", json_pack("[s,s,s]", "nosuid", "noexec", "nodev")));
        json_array_append_new(
            arr, mount("/dev", "tmpfs", "tmpfs",
                       json_pack("[s,s,s,s]", "nosuid", "strictatime", "mode=755", "size=65536k")));
        json_array_append_new(arr, mount("/dev/pts", "devpts", "devpts",
                                         json_pack("[s,s,s,s,s]", "nosuid", "noexec", "newinstance",
                                                   "ptmxmode=0666", "mode=0620")));
        json_array_append_new(arr, mount("/dev/shm", "tmpfs", "shm",
                                         json_pack("[s,s,s,s,s]", "nosuid", "noexec", "nodev",
                                                   "mode=1777", "size=65536k")));
        if (c->unshare_flags & CLONE_NEWNET)
                json_array_append_new(
                    arr, mount("/sys", "sysfs", "sysfs",
                               json_pack("[s,s,s,s]", "nosuid", "noexec", "nodev", "ro")));
        else
                json_array_append_new(arr, mount("/sys", "bind", "/sys",
                                                 json_pack("[s,s,s,s,s]", "rbind", "nosuid",
                                                           "noexec", "nodev", "ro")));
}

static json_t *user_mount(const struct ward_mount *m)
{
        char size[48], mode[24];

        if (m->kind == WARD_MOUNT_MQUEUE)
                return mount(m->target, "mqueue", m->source ? m->source : "mqueue",
                             json_pack("[s,s,s]", "nosuid", "noexec", "nodev"));
        if (m->kind == WARD_MOUNT_BIND) {
                json_t *opts =
                    json_pack("[s,s,s,s]", "rbind", "nosuid", "nodev", m->writable ? "rw" : "ro");
                if (opts && m->noexec)
                        json_array_append_new(opts, json_string("noexec"));
                return mount(m->target, "bind", m->source, opts);
        }
        snprintf(size, sizeof(size), "size=%llu",
                 (unsigned long long)(m->size_bytes ? m->size_bytes : 64ull << 20));
        snprintf(mode, sizeof(mode), "mode=%o", m->mode);
        json_t *opts = json_pack("[s,s,s,s]", "nosuid", "nodev", mode, size);
        if (opts && !m->exec)
                json_array_append_new(opts, json_string("noexec"));
        return mount(m->target, "tmpfs", m->source ? m->source : "tmpfs", opts);
}

static int mounts(const struct ward_config *c, json_t *doc, struct ward_error *e)
{
        json_t *arr = json_array();

        if (!arr || json_object_set_new(doc, "mounts", arr) < 0)
                return nomem(e);
        fixed_mounts(c, arr);
        for (size_t i = 0; i < c->n_mounts; i++)
                /* The spec cannot say "optional", and a runtime would create a missing
                 * target in the image: one the image lacks is left out, as run skips it. */
                if (mount_optional_absent(c, &c->mounts[i]) <= 0)
                        json_array_append_new(arr, user_mount(&c->mounts[i]));
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* linux                                                                                 */

static json_t *namespaces(const struct ward_config *c)
{
        static const struct {
                unsigned long flag;
                const char *name;
        } names[] = {{CLONE_NEWUSER, "user"},    {CLONE_NEWPID, "pid"}, {CLONE_NEWNS, "mount"},
                     {CLONE_NEWNET, "network"},  {CLONE_NEWUTS, "uts"}, {CLONE_NEWIPC, "ipc"},
                     {CLONE_NEWCGROUP, "cgroup"}};
        json_t *arr = json_array();

        for (size_t i = 0; arr && i < ARRAY_SIZE(names); i++)
                if (c->unshare_flags & names[i].flag)
                        json_array_append_new(arr, json_pack("{s:s}", "type", names[i].name));
        return arr;
}

/* As ns_write_id_maps(): as root, 65536 ids from IdMapBase= or, without it, the range above
 * the lease pool (idmap.h says why); else our own id only. */
static json_t *id_mapping(const struct ward_config *c, bool uid)
{
        uint32_t base = c->id_map_fixed ? c->id_map_base : WARD_ID_SPEC_BASE;

        if (geteuid() == 0)
                return json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID",
                                 (json_int_t)base, "size", (int)WARD_ID_MAP_RANGE);
        return json_pack("[{s:I, s:I, s:i}]", "containerID", (json_int_t)(uid ? c->uid : c->gid),
                         "hostID", (json_int_t)(uid ? geteuid() : getegid()), "size", 1);
}

static json_t *paths(const struct ward_path *list, size_t n)
{
        json_t *arr = json_array();

        for (size_t i = 0; arr && i < n; i++)
                json_array_append_new(arr, json_string(list[i].path));
        return arr;
}

static uint64_t limit(const struct ward_config *c, int id)
{
        const struct ward_cg_limit *l = &c->cgroup.limits[id];
        return l->set ? l->value : WARD_CGROUP_MAX;
}

/* memory, cpu and pids in their spec fields; the rest by cgroup v2 file name. */
static json_t *resources(const struct ward_config *c)
{
        uint64_t mem = limit(c, WARD_CG_MEMORY), swap = limit(c, WARD_CG_MEMORY_SWAP);
        uint64_t cpus = limit(c, WARD_CG_CPUS), pids = limit(c, WARD_CG_PIDS);
        json_t *res = json_object(), *unified = json_object();
        static const int other[] = {WARD_CG_MEMORY_HIGH, WARD_CG_CPU_WEIGHT, WARD_CG_IO_WEIGHT};
        char buf[64];

        if (mem != WARD_CGROUP_MAX) {
                json_t *m = json_pack("{s:I}", "limit", (json_int_t)mem);
                /* The spec's swap is memory plus swap, as docker's --memory-swap. */
                if (swap != WARD_CGROUP_MAX)
                        json_object_set_new(
                            m, "swap",
                            json_integer(
                                (json_int_t)(c->cgroup.swap_is_total ? swap : mem + swap)));
                json_object_set_new(res, "memory", m);
        }
        if (cpus != WARD_CGROUP_MAX)
                json_object_set_new(res, "cpu",
                                    json_pack("{s:I, s:I}", "quota", (json_int_t)cpus, "period",
                                              (json_int_t)WARD_CPU_PERIOD_US));
        if (pids != WARD_CGROUP_MAX)
                json_object_set_new(res, "pids", json_pack("{s:I}", "limit", (json_int_t)pids));
        for (size_t i = 0; i < ARRAY_SIZE(other); i++) {
                if (!c->cgroup.limits[other[i]].set)
                        continue;
                cgroup_format_file(other[i], c->cgroup.limits[other[i]].value, buf, sizeof(buf));
                json_object_set_new(unified, cgroup_limit_file(other[i]), json_string(buf));
        }
        if (json_object_size(unified))
                json_object_set(res, "unified", unified);
        json_decref(unified);
        return res;
}

static int seccomp(const struct ward_config *c, json_t *lx, struct ward_error *e)
{
        struct ward_seccomp_plan plan;
        json_t *doc;
        int r;

        if (!c->seccomp.enabled)
                return 0;
        if (c->seccomp.json_path) {
                /* Checked the way `ward run` would read it, then passed on as it is. */
                if ((r = seccomp_json_compile(c->seccomp.json_path, c->caps_keep,
                                              &c->seccomp.profile_origin, NULL, NULL, e)) < 0)
                        return r;
                if ((r = seccomp_json_load(c->seccomp.json_path, &c->seccomp.profile_origin,
                                           (void **)&doc, e)) < 0)
                        return r;
        } else {
                if ((r = seccomp_plan_build(c, &plan, e)) < 0)
                        return r;
                if (!(doc = seccomp_plan_to_oci(&plan)))
                        return nomem(e);
        }
        return json_object_set_new(lx, "seccomp", doc) < 0 ? nomem(e) : 0;
}

static json_t *sysctls(const struct ward_config *c)
{
        json_t *obj = json_object();

        for (size_t i = 0; obj && i < c->n_sysctls; i++)
                if (json_object_set_new(obj, c->sysctls[i].name, json_string(c->sysctls[i].value)) <
                    0)
                        obj = (json_decref(obj), NULL);
        return obj;
}

static int linux_section(const struct ward_config *c, json_t *doc, struct ward_error *e)
{
        json_t *lx =
            json_pack("{s:o, s:o, s:o, s:o}", "namespaces", namespaces(c), "maskedPaths",
                      paths(c->masked_paths, c->n_masked_paths), "readonlyPaths",
                      paths(c->readonly_paths, c->n_readonly_paths), "resources", resources(c));

        if (!lx || json_object_set_new(doc, "linux", lx) < 0)
                return nomem(e);
        if (c->unshare_flags & CLONE_NEWUSER) {
                json_object_set_new(lx, "uidMappings", id_mapping(c, true));
                json_object_set_new(lx, "gidMappings", id_mapping(c, false));
        }
        if (c->n_sysctls && json_object_set_new(lx, "sysctl", sysctls(c)) < 0)
                return nomem(e);
        return seccomp(c, lx, e);
}

/* ------------------------------------------------------------------------------------- */
/* The document                                                                          */

/* Landlock has no field in the runtime spec: refuse rather than print weaker hardening. */
static int check_expressible(const struct ward_config *c, struct ward_error *e)
{
        if (c->landlock.mode == WARD_LANDLOCK_ON) {
                ward_error_at(e, &c->landlock.origin, "Landlock.Landlock", 0,
                              "the OCI runtime spec has no field for Landlock: crun would run "
                              "without it");
                ward_error_hint(e, "use Landlock=try to accept a config.json without it, or "
                                   "run the profile with ward run");
                return -EINVAL;
        }
        if (c->landlock.mode == WARD_LANDLOCK_TRY)
                ward_warn("Landlock=try is left out: the OCI runtime spec "
                          "has no field for it");
        return 0;
}

static int build(struct ward_config *c, json_t *doc, struct ward_error *e)
{
        int r;

        if ((r = check_expressible(c, e)) < 0 || (r = process_resolve_user(c, NULL, e)) < 0)
                return r;
        if (json_object_set_new(doc, "ociVersion", json_string(SPEC_VERSION)) < 0)
                return nomem(e);
        if ((r = process(c, doc, e)) < 0)
                return r;
        if (json_object_set_new(doc, "root",
                                json_pack("{s:s, s:b}", "path", c->root ? c->root : "rootfs",
                                          "readonly", c->read_only)) < 0)
                return nomem(e);
        if (c->hostname && (c->unshare_flags & CLONE_NEWUTS) &&
            json_object_set_new(doc, "hostname", json_string(c->hostname)) < 0)
                return nomem(e);
        if ((r = mounts(c, doc, e)) < 0)
                return r;
        return linux_section(c, doc, e);
}

int oci_spec_print(struct ward_config *c, FILE *out, struct ward_error *e)
{
        _cleanup_(json_decrefp) json_t *doc = json_object();
        _cleanup_free_ char *text = NULL;
        int r;

        if (!doc)
                return nomem(e);
        if ((r = build(c, doc, e)) < 0)
                return r;
        if (!(text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
                return nomem(e);
        /* No other number ward writes is INT64_MIN, so every one is an infinite rlimit. */
        ward_json_swap_uint64_max(text, strlen(text), false);
        if (fputs(text, out) < 0 || fputc('\n', out) < 0 || fflush(out) != 0)
                return ward_error_set(e, errno ? errno : EIO, "cannot write the config.json");
        return 0;
}
