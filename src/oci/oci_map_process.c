/* config.json's process: the command, its environment, working directory, user,
 * capabilities, rlimits and flags (oci_map_internal.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_map_internal.h"
#include "ward/caps.h"
#include "ward/rlimit.h"
#include "ward/util.h"

static int map_args(struct oci *x, json_t *arr)
{
        struct ward_config *c = x->c;
        struct ward_json_elem el;
        const char *s;
        int r;

        if (!arr)
                return oci_bad(x, "process.args", "missing: the command to run");
        if ((r = oci_want(x, "process.args", arr, JSON_ARRAY)) < 0)
                return r;
        if (json_array_size(arr) == 0)
                return oci_bad(x, "process.args", "empty: the command to run");
        c->argv_origin = oci_origin_fixed(x, "process.args");
        if (!(c->argv = calloc(json_array_size(arr) + 1, sizeof(*c->argv))))
                return oci_nomem(x);
        ward_json_foreach(arr, "process.args", &el)
        {
                if ((r = oci_get_string(x, el.path, el.v, &s)) < 0)
                        return r;
                if (!(c->argv[el.i] = strdup(s)))
                        return oci_nomem(x);
                c->argc = el.i + 1;
        }
        return 0;
}

/* KEY=VALUE entries in order, replacing the environment a profile or the defaults set; a
 * later entry replaces an earlier one with the same KEY in its place, and its origin with
 * its own "process.env[N]" (config_add_env() indexes the KEYs, so 200,000 entries cost
 * linear time). */
static int map_env(struct oci *x, json_t *arr)
{
        struct ward_json_elem el;
        struct ward_origin o;
        const char *s;
        int r;

        config_clear_env(x->c);
        if (!arr)
                return 0;
        if ((r = oci_want(x, "process.env", arr, JSON_ARRAY)) < 0)
                return r;
        ward_json_foreach(arr, "process.env", &el)
        {
                if ((r = oci_get_string(x, el.path, el.v, &s)) < 0)
                        return r;
                if (!strchr(s, '=') || s[0] == '=')
                        return oci_bad(x, el.path, "\"%.100s\" is not KEY=VALUE", s);
                if ((r = oci_origin_at(x, el.path, &o)) < 0)
                        return r;
                if (config_add_env(x->c, s, &o) < 0)
                        return oci_nomem(x);
        }
        return 0;
}

static int map_gids(struct oci *x, json_t *arr)
{
        struct ward_config *c = x->c;
        struct ward_json_elem el;
        int r;

        if ((r = oci_want(x, "process.user.additionalGids", arr, JSON_ARRAY)) < 0)
                return r;
        c->groups_origin = oci_origin_fixed(x, "process.user.additionalGids");
        if (!(c->groups = calloc(json_array_size(arr) + 1, sizeof(*c->groups))))
                return oci_nomem(x);
        ward_json_foreach(arr, "process.user.additionalGids", &el)
        {
                uint32_t gid;
                if ((r = oci_get_u32(x, el.path, el.v, &gid)) < 0)
                        return r;
                c->groups[c->n_groups++] = gid;
        }
        return 0;
}

static int map_user(struct oci *x, json_t *u)
{
        static const char *const keys[] = {"uid", "gid", "umask", "additionalGids", NULL};
        struct ward_config *c = x->c;
        json_t *umask = json_object_get(u, "umask"), *gids;
        uint32_t v;
        int r;

        if ((r = oci_want(x, "process.user", u, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, "process.user", u, keys)) < 0)
                return r;
        if (!json_object_get(u, "uid") || !json_object_get(u, "gid"))
                return oci_bad(x, "process.user", "uid and gid are required");
        if ((r = oci_get_u32(x, "process.user.uid", json_object_get(u, "uid"), &c->uid)) < 0 ||
            (r = oci_get_u32(x, "process.user.gid", json_object_get(u, "gid"), &c->gid)) < 0)
                return r;
        c->user_set = true;
        c->user_origin = oci_origin_fixed(x, "process.user");
        if (umask) {
                if ((r = oci_get_u32(x, "process.user.umask", umask, &v)) < 0)
                        return r;
                if (v > 0777)
                        return oci_bad(x, "process.user.umask", "%u is not a umask (0-0777)", v);
                c->umask = v;
                c->umask_origin = oci_origin_fixed(x, "process.user.umask");
        }
        gids = json_object_get(u, "additionalGids");
        return gids ? map_gids(x, gids) : 0;
}

static int cap_set(struct oci *x, json_t *caps, const char *name, uint64_t *out)
{
        json_t *arr = json_object_get(caps, name);
        struct ward_json_elem el;
        char p[PATH_LEN];
        const char *s;
        int r, cap;

        *out = 0;
        if (!arr)
                return 0;
        ward_json_path(p, sizeof(p), "process.capabilities.%s", name);
        if ((r = oci_want(x, p, arr, JSON_ARRAY)) < 0)
                return r;
        ward_json_foreach(arr, p, &el)
        {
                if ((r = oci_get_string(x, el.path, el.v, &s)) < 0)
                        return r;
                if (strncmp(s, "CAP_", 4) != 0 || caps_from_name(s, &cap) < 0 || cap < 0 ||
                    cap > 63 || !(caps_all() & (1ULL << cap)))
                        return oci_bad(x, el.path, "unknown capability \"%.64s\"", s),
                               ward_error_hint(x->e, "give a CAP_ name this kernel knows, see "
                                                     "capabilities(7)"),
                               -EINVAL;
                *out |= 1ULL << cap;
        }
        return 0;
}

/* The first capability in extra, by name, for a refusal. */
static const char *first_cap(uint64_t extra)
{
        for (int cap = 0; cap < 64; cap++)
                if (extra & (1ULL << cap))
                        return caps_to_name(cap) ? caps_to_name(cap) : "?";
        return "?";
}

/* Each of the five sets as listed, refusing by the capability's name what capset(2) would
 * refuse: effective, permitted and inheritable within bounding (ward drops the bounding set
 * first), effective within permitted. */
static int check_cap_sets(struct oci *x, const uint64_t v[5], const char *const sets[])
{
        static const struct {
                int set, within; /* indexes into sets[] */
        } rules[] = {{1, 0}, {2, 0}, {3, 0}, {1, 2}};
        char p[PATH_LEN];

        for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
                uint64_t extra = v[rules[i].set] & ~v[rules[i].within];
                if (!extra)
                        continue;
                ward_json_path(p, sizeof(p), "process.capabilities.%s", sets[rules[i].set]);
                oci_bad(x, p, "CAP_%s is not in the %s set", first_cap(extra),
                        sets[rules[i].within]);
                ward_error_hint(x->e,
                                "the kernel allows a capability in %s only when it is in "
                                "%s too: add it there or remove it here",
                                sets[rules[i].set], sets[rules[i].within]);
                return -EINVAL;
        }
        return 0;
}

/* The five sets as the config lists them (caps.c sets each one; the kernel transforms them
 * at exec as under any runtime). */
static int map_caps(struct oci *x, json_t *caps)
{
        static const char *const sets[] = {"bounding",    "effective", "permitted",
                                           "inheritable", "ambient",   NULL};
        struct ward_config *c = x->c;
        uint64_t v[5];
        int r;

        if ((r = oci_want(x, "process.capabilities", caps, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, "process.capabilities", caps, sets)) < 0)
                return r;
        for (int i = 0; i < 5; i++)
                if ((r = cap_set(x, caps, sets[i], &v[i])) < 0)
                        return r;
        if ((r = check_cap_sets(x, v, sets)) < 0)
                return r;
        /* The kernel raises an ambient capability only when it is permitted and inheritable.
         * crun and runc skip the others, and `crun spec` writes ambient with an empty
         * inheritable set: refusing would refuse crun's template, so ward warns by name and
         * leaves them out, which is what the process gets under crun too. */
        if (v[4] & ~(v[2] & v[3])) {
                fprintf(stderr,
                        "ward: warning: %s: process.capabilities.ambient: CAP_%s (and any other "
                        "not in both permitted and inheritable) cannot be raised, left out\n",
                        x->o.file, first_cap(v[4] & ~(v[2] & v[3])));
                v[4] &= v[2] & v[3];
        }
        c->caps_keep = v[0];
        c->caps_effective = v[1];
        c->caps_permitted = v[2];
        c->caps_inheritable = v[3];
        c->caps_ambient = v[4];
        return 0;
}

static int rlimit_value(struct oci *x, const char *path, json_t *obj, const char *key, rlim_t *out)
{
        json_t *v = json_object_get(obj, key);
        char p[PATH_LEN];
        int r;

        ward_json_path(p, sizeof(p), "%s.%s", path, key);
        if (!v)
                return oci_bad(x, p, "missing");
        if ((r = oci_want(x, p, v, JSON_INTEGER)) < 0)
                return r;
        /* parse_text() read 18446744073709551615, the spec's "infinity", as the stand-in. */
        if (json_integer_value(v) == WARD_JSON_UINT64_MAX_STAND_IN) {
                *out = RLIM_INFINITY;
                return 0;
        }
        if (json_integer_value(v) < 0)
                return oci_bad(x, p, "%lld is negative", (long long)json_integer_value(v));
        *out = (rlim_t)json_integer_value(v);
        return 0;
}

static int map_rlimit(struct oci *x, const char *path, json_t *obj)
{
        static const char *const keys[] = {"type", "soft", "hard", NULL};
        struct ward_rlimit *l;
        rlim_t soft, hard;
        const char *type;
        char p[PATH_LEN];
        int r, res;

        ward_json_path(p, sizeof(p), "%s.type", path);
        if ((r = oci_want(x, path, obj, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, path, obj, keys)) < 0)
                return r;
        if (!json_object_get(obj, "type"))
                return oci_bad(x, p, "missing");
        if ((r = oci_get_string(x, p, json_object_get(obj, "type"), &type)) < 0)
                return r;
        if (strncmp(type, "RLIMIT_", 7) != 0 || rlimit_from_name(type, &res) < 0 || res < 0 ||
            res >= WARD_RLIMIT_COUNT)
                return oci_bad(x, p, "unknown resource limit \"%.64s\"", type);
        if ((r = rlimit_value(x, path, obj, "soft", &soft)) < 0 ||
            (r = rlimit_value(x, path, obj, "hard", &hard)) < 0)
                return r;
        if (soft > hard)
                return oci_bad(x, path, "soft %llu is above hard %llu", (unsigned long long)soft,
                               (unsigned long long)hard);
        l = &x->c->rlimits[res];
        if (l->set)
                return oci_bad(x, p, "%s is given twice", type);
        *l = (struct ward_rlimit){.set = true, .soft = soft, .hard = hard};
        return oci_origin_at(x, path, &l->origin);
}

static int map_rlimits(struct oci *x, json_t *arr)
{
        struct ward_json_elem el;
        int r;

        if ((r = oci_want(x, "process.rlimits", arr, JSON_ARRAY)) < 0)
                return r;
        ward_json_foreach(arr, "process.rlimits", &el)
        {
                if ((r = map_rlimit(x, el.path, el.v)) < 0)
                        return r;
        }
        return 0;
}

static int map_cwd(struct oci *x, json_t *v)
{
        const char *s;
        char cwd[PATH_MAX];
        int r;

        if (!v)
                return oci_bad(x, "process.cwd", "missing: the working directory");
        if ((r = oci_get_string(x, "process.cwd", v, &s)) < 0 ||
            (r = oci_sandbox_path(x, "process.cwd", s, cwd)) < 0)
                return r;
        x->c->cwd_origin = oci_origin_fixed(x, "process.cwd");
        return config_set_string(&x->c->cwd, cwd) < 0 ? oci_nomem(x) : 0;
}

/* The spec's range is the kernel's: -1000..1000. */
static int map_oom_score_adj(struct oci *x, json_t *v)
{
        if (!json_is_integer(v) || json_integer_value(v) < -1000 || json_integer_value(v) > 1000)
                return oci_bad(x, "process.oomScoreAdj", "not an integer from -1000 to 1000");
        x->c->oom_score_adj_set = true;
        x->c->oom_score_adj = (int)json_integer_value(v);
        x->c->oom_score_adj_origin = oci_origin_fixed(x, "process.oomScoreAdj");
        return 0;
}

static int map_process_flags(struct oci *x, json_t *proc)
{
        json_t *v;
        int r;

        if ((v = json_object_get(proc, "terminal")) &&
            (r = oci_get_bool(x, "process.terminal", v, &x->c->tty)) < 0)
                return r;
        x->c->interactive = x->c->tty;
        if ((v = json_object_get(proc, "noNewPrivileges")) &&
            (r = oci_get_bool(x, "process.noNewPrivileges", v, &x->c->no_new_privs)) < 0)
                return r;
        if ((v = json_object_get(proc, "oomScoreAdj")) && (r = map_oom_score_adj(x, v)) < 0)
                return r;
        if ((r = oci_must_be_empty(x, "process.apparmorProfile",
                                   json_object_get(proc, "apparmorProfile"),
                                   "ward applies no AppArmor profile")) < 0)
                return r;
        return oci_must_be_empty(x, "process.selinuxLabel", json_object_get(proc, "selinuxLabel"),
                                 "ward applies no SELinux label");
}

int oci_map_process(struct oci *x, json_t *proc)
{
        static const char *const keys[] = {"terminal",     "user",
                                           "args",         "env",
                                           "cwd",          "capabilities",
                                           "rlimits",      "noNewPrivileges",
                                           "oomScoreAdj",  "apparmorProfile",
                                           "selinuxLabel", NULL};
        json_t *v;
        int r;

        if (!proc)
                return oci_bad(x, "process", "missing: what to run");
        if ((r = oci_want(x, "process", proc, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, "process", proc, keys)) < 0)
                return r;
        x->c->no_new_privs = false; /* the spec's default */
        x->c->no_new_privs_origin = oci_origin_fixed(x, "process.noNewPrivileges");
        if ((r = map_process_flags(x, proc)) < 0 ||
            (r = map_args(x, json_object_get(proc, "args"))) < 0 ||
            (r = map_env(x, json_object_get(proc, "env"))) < 0 ||
            (r = map_cwd(x, json_object_get(proc, "cwd"))) < 0)
                return r;
        if (!(v = json_object_get(proc, "user")))
                return oci_bad(x, "process.user", "missing: the uid and gid to run as");
        if ((r = map_user(x, v)) < 0)
                return r;
        x->c->caps_keep = 0; /* none listed: none kept */
        x->c->caps_sets_set = true;
        x->c->caps_effective = x->c->caps_permitted = 0;
        x->c->caps_inheritable = x->c->caps_ambient = 0;
        x->c->caps_origin = oci_origin_fixed(x, "process.capabilities");
        if ((v = json_object_get(proc, "capabilities")) && (r = map_caps(x, v)) < 0)
                return r;
        return (v = json_object_get(proc, "rlimits")) ? map_rlimits(x, v) : 0;
}
