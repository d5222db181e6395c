/* config.json (OCI runtime spec 1.x) onto a ward_config, field by field (oci_map.h).
 *
 * Every object is read against an allowlist of the keys ward maps; any other key, a value
 * of the wrong type, or a value ward cannot honor is exit 125 naming the JSON path. Where
 * ward's own fixed filesystem already provides a standard mount (/proc, /dev, /dev/pts,
 * /dev/shm, /sys), the mount is accepted only with options that ward's mount meets or
 * exceeds. */
#include "ward/oci_map.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <sched.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/filter.h>

#include "ward/caps.h"
#include "ward/namespace.h"
#include "ward/oci_hooks.h"
#include "ward/cgroup.h"
#include "ward/rlimit.h"
#include "ward/seccomp.h"
#include "ward/seccomp_json.h"
#include "ward/util.h"

#define PATH_LEN 96 /* struct ward_error.key */

static void json_releasep(json_t **j)
{
        if (*j)
                json_decref(*j);
}

struct oci {
        struct ward_config *c;
        const char *dir;      /* the bundle, absolute */
        struct ward_origin o; /* config.json, no line */
        struct ward_error *e;
};

__attribute__((format(printf, 3, 4))) static int bad(struct oci *x, const char *path,
                                                     const char *fmt, ...)
{
        char why[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(why, sizeof(why), fmt, ap);
        va_end(ap);
        return ward_error_at(x->e, &x->o, path, 0, "%s", why);
}

static int unsupported(struct oci *x, const char *path, const char *why)
{
        bad(x, path, "not supported by ward%s%s", why ? ": " : "", why ? why : "");
        ward_error_hint(x->e,
                        "remove %s from config.json; ward refuses what it cannot apply "
                        "rather than ignore it (see BUNDLES in ward(1))",
                        path);
        return -EINVAL;
}

static int nomem(struct oci *x)
{
        return ward_error_set(x->e, ENOMEM, "out of memory");
}

__attribute__((format(printf, 3, 4))) static void sub(char *buf, size_t len, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(buf, len, fmt, ap);
        va_end(ap);
}

static const char *type_name(const json_t *v)
{
        static const char *const names[] = {"an object", "an array", "a string", "an integer",
                                            "a number",  "true",     "false",    "null"};
        return names[json_typeof(v) % ARRAY_SIZE(names)];
}

static int want(struct oci *x, const char *path, const json_t *v, json_type t)
{
        static const char *const wanted[] = {"an object", "an array",  "a string",  "an integer",
                                             "a number",  "a boolean", "a boolean", "null"};

        if (json_typeof(v) == t || (t == JSON_TRUE && json_is_boolean(v)))
                return 0;
        bad(x, path, "expected %s, found %s", wanted[t % ARRAY_SIZE(wanted)], type_name(v));
        ward_error_hint(x->e, "see the OCI runtime spec for the type of %s", path);
        return -EINVAL;
}

/* Every key of obj must be in allowed (NULL-terminated). */
static int only_keys(struct oci *x, const char *path, json_t *obj, const char *const *allowed)
{
        const char *k;
        json_t *v;
        char p[PATH_LEN];

        json_object_foreach(obj, k, v)
        {
                size_t i = 0;
                while (allowed[i] && strcmp(allowed[i], k) != 0)
                        i++;
                if (allowed[i])
                        continue;
                sub(p, sizeof(p), "%s%s%.60s", path, path[0] ? "." : "", k);
                return unsupported(x, p, NULL);
        }
        return 0;
}

/* A key that ward accepts only when it asks for nothing: "", [], {}, false, 0 or null. */
static int must_be_empty(struct oci *x, const char *path, json_t *v, const char *why)
{
        if (!v || json_is_null(v) || json_is_false(v) ||
            (json_is_string(v) && json_string_length(v) == 0) ||
            (json_is_array(v) && json_array_size(v) == 0) ||
            (json_is_object(v) && json_object_size(v) == 0) ||
            (json_is_integer(v) && json_integer_value(v) == 0))
                return 0;
        return unsupported(x, path, why);
}

static int get_string(struct oci *x, const char *path, json_t *v, const char **out)
{
        int r = want(x, path, v, JSON_STRING);

        if (r < 0)
                return r;
        if (strlen(json_string_value(v)) != json_string_length(v))
                return bad(x, path, "a NUL byte inside the string");
        *out = json_string_value(v);
        return 0;
}

static int get_u32(struct oci *x, const char *path, json_t *v, uint32_t *out)
{
        int r = want(x, path, v, JSON_INTEGER);

        if (r < 0)
                return r;
        if (json_integer_value(v) < 0 || json_integer_value(v) > UINT32_MAX - 1)
                return bad(x, path, "%lld is out of range", (long long)json_integer_value(v));
        *out = (uint32_t)json_integer_value(v);
        return 0;
}

static int get_bool(struct oci *x, const char *path, json_t *v, bool *out)
{
        int r = want(x, path, v, JSON_TRUE);

        if (r >= 0)
                *out = json_is_true(v);
        return r;
}

static int absolute(struct oci *x, const char *path, const char *s)
{
        if (s[0] != '/')
                return bad(x, path, "\"%.200s\" is not an absolute path", s);
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* process                                                                               */

static int map_args(struct oci *x, json_t *arr)
{
        struct ward_config *c = x->c;
        char p[PATH_LEN];
        const char *s;
        size_t i;
        json_t *v;
        int r;

        if (!arr)
                return bad(x, "process.args", "missing: the command to run");
        if ((r = want(x, "process.args", arr, JSON_ARRAY)) < 0)
                return r;
        if (json_array_size(arr) == 0)
                return bad(x, "process.args", "empty: the command to run");
        if (!(c->argv = calloc(json_array_size(arr) + 1, sizeof(*c->argv))))
                return nomem(x);
        json_array_foreach(arr, i, v)
        {
                sub(p, sizeof(p), "process.args[%zu]", i);
                if ((r = get_string(x, p, v, &s)) < 0)
                        return r;
                if (!(c->argv[i] = strdup(s)))
                        return nomem(x);
                c->argc = i + 1;
        }
        return 0;
}

static void env_free(char **env)
{
        for (size_t k = 0; env && env[k]; k++)
                free(env[k]);
        free(env);
}

/* KEY=VALUE entries in order; a later one replaces an earlier one with the same KEY in its
 * place (as config_add_env does). The KEYs are indexed in a jansson object, so an array of
 * 200,000 entries costs linear time, not the minutes of a scan per entry. */
static int env_vector(struct oci *x, json_t *arr, char **env, size_t *n)
{
        _cleanup_(json_releasep) json_t *seen = json_object();
        char p[PATH_LEN];
        const char *s;
        size_t i;
        json_t *v, *at;
        int r;

        if (!seen)
                return nomem(x);
        json_array_foreach(arr, i, v)
        {
                size_t klen;
                char *copy;

                sub(p, sizeof(p), "process.env[%zu]", i);
                if ((r = get_string(x, p, v, &s)) < 0)
                        return r;
                if (!strchr(s, '=') || s[0] == '=')
                        return bad(x, p, "\"%.100s\" is not KEY=VALUE", s);
                klen = strcspn(s, "=");
                if (!(copy = strdup(s)))
                        return nomem(x);
                if ((at = json_object_getn(seen, s, klen))) {
                        free(env[json_integer_value(at)]);
                        env[json_integer_value(at)] = copy;
                } else if (json_object_setn_new(seen, s, klen, json_integer((json_int_t)*n)) < 0) {
                        free(copy);
                        return nomem(x);
                } else
                        env[(*n)++] = copy;
        }
        return 0;
}

static int map_env(struct oci *x, json_t *arr)
{
        char **env;
        size_t n = 0;
        int r;

        env_free(x->c->env);
        x->c->env = NULL;
        x->c->n_env = 0;
        if (!arr)
                return 0;
        if ((r = want(x, "process.env", arr, JSON_ARRAY)) < 0)
                return r;
        if (!(env = calloc(json_array_size(arr) + 1, sizeof(*env))))
                return nomem(x);
        if ((r = env_vector(x, arr, env, &n)) < 0) {
                env_free(env);
                return r;
        }
        x->c->env = env;
        x->c->n_env = n;
        return 0;
}

static int map_gids(struct oci *x, json_t *arr)
{
        struct ward_config *c = x->c;
        char p[PATH_LEN];
        size_t i;
        json_t *v;
        int r;

        if ((r = want(x, "process.user.additionalGids", arr, JSON_ARRAY)) < 0)
                return r;
        if (!(c->groups = calloc(json_array_size(arr) + 1, sizeof(*c->groups))))
                return nomem(x);
        json_array_foreach(arr, i, v)
        {
                uint32_t gid;
                sub(p, sizeof(p), "process.user.additionalGids[%zu]", i);
                if ((r = get_u32(x, p, v, &gid)) < 0)
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

        if ((r = want(x, "process.user", u, JSON_OBJECT)) < 0 ||
            (r = only_keys(x, "process.user", u, keys)) < 0)
                return r;
        if (!json_object_get(u, "uid") || !json_object_get(u, "gid"))
                return bad(x, "process.user", "uid and gid are required");
        if ((r = get_u32(x, "process.user.uid", json_object_get(u, "uid"), &c->uid)) < 0 ||
            (r = get_u32(x, "process.user.gid", json_object_get(u, "gid"), &c->gid)) < 0)
                return r;
        c->user_set = true;
        c->user_origin = x->o;
        if (umask) {
                if ((r = get_u32(x, "process.user.umask", umask, &v)) < 0)
                        return r;
                if (v > 0777)
                        return bad(x, "process.user.umask", "%u is not a umask (0-0777)", v);
                c->umask = v;
                c->umask_origin = x->o;
        }
        gids = json_object_get(u, "additionalGids");
        return gids ? map_gids(x, gids) : 0;
}

static int cap_set(struct oci *x, json_t *caps, const char *name, uint64_t *out)
{
        json_t *arr = json_object_get(caps, name), *v;
        char p[PATH_LEN];
        const char *s;
        size_t i;
        int r, cap;

        *out = 0;
        if (!arr)
                return 0;
        sub(p, sizeof(p), "process.capabilities.%s", name);
        if ((r = want(x, p, arr, JSON_ARRAY)) < 0)
                return r;
        json_array_foreach(arr, i, v)
        {
                sub(p, sizeof(p), "process.capabilities.%s[%zu]", name, i);
                if ((r = get_string(x, p, v, &s)) < 0)
                        return r;
                if (strncmp(s, "CAP_", 4) != 0 || caps_from_name(s, &cap) < 0 || cap < 0 ||
                    cap > 63 || !(caps_all() & (1ULL << cap)))
                        return bad(x, p, "unknown capability \"%.64s\"", s),
                               ward_error_hint(x->e, "give a CAP_ name this kernel knows, see "
                                                     "capabilities(7)"),
                               -EINVAL;
                *out |= 1ULL << cap;
        }
        return 0;
}

/* ward holds one set: bounding = permitted = effective = inheritable, and ambient too for a
 * non-root user (so the set survives the exec). For uid 0, exec gives back the whole
 * bounding set anyway, so smaller effective/permitted/inheritable/ambient sets would not
 * hold in any runtime; they only have to be subsets. */
static int map_caps(struct oci *x, json_t *caps)
{
        static const char *const sets[] = {"bounding",    "effective", "permitted",
                                           "inheritable", "ambient",   NULL};
        uint64_t v[5];
        char p[PATH_LEN];
        int r;

        if ((r = want(x, "process.capabilities", caps, JSON_OBJECT)) < 0 ||
            (r = only_keys(x, "process.capabilities", caps, sets)) < 0)
                return r;
        for (int i = 0; i < 5; i++)
                if ((r = cap_set(x, caps, sets[i], &v[i])) < 0)
                        return r;
        x->c->caps_keep = v[0];
        x->c->caps_origin = x->o;
        for (int i = 1; i < 5; i++) {
                bool ok = x->c->uid == 0 ? (v[i] & ~v[0]) == 0 : v[i] == v[0];
                if (ok)
                        continue;
                sub(p, sizeof(p), "process.capabilities.%s", sets[i]);
                bad(x, p, "%s",
                    x->c->uid == 0 ? "has capabilities the bounding set lacks"
                                   : "differs from the bounding set");
                ward_error_hint(x->e, "ward keeps one set of capabilities: list the same ones "
                                      "in bounding, effective, permitted, inheritable and (for "
                                      "a non-root user) ambient");
                return -EINVAL;
        }
        return 0;
}

static int rlimit_value(struct oci *x, const char *path, json_t *obj, const char *key, rlim_t *out)
{
        json_t *v = json_object_get(obj, key);
        char p[PATH_LEN];
        int r;

        sub(p, sizeof(p), "%s.%s", path, key);
        if (!v)
                return bad(x, p, "missing");
        if ((r = want(x, p, v, JSON_INTEGER)) < 0)
                return r;
        if (json_integer_value(v) < 0)
                return bad(x, p, "%lld is negative", (long long)json_integer_value(v));
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

        sub(p, sizeof(p), "%s.type", path);
        if ((r = want(x, path, obj, JSON_OBJECT)) < 0 || (r = only_keys(x, path, obj, keys)) < 0)
                return r;
        if (!json_object_get(obj, "type"))
                return bad(x, p, "missing");
        if ((r = get_string(x, p, json_object_get(obj, "type"), &type)) < 0)
                return r;
        if (strncmp(type, "RLIMIT_", 7) != 0 || rlimit_from_name(type, &res) < 0 || res < 0 ||
            res >= WARD_RLIMIT_COUNT)
                return bad(x, p, "unknown resource limit \"%.64s\"", type);
        if ((r = rlimit_value(x, path, obj, "soft", &soft)) < 0 ||
            (r = rlimit_value(x, path, obj, "hard", &hard)) < 0)
                return r;
        if (soft > hard)
                return bad(x, path, "soft %llu is above hard %llu", (unsigned long long)soft,
                           (unsigned long long)hard);
        l = &x->c->rlimits[res];
        if (l->set)
                return bad(x, p, "%s is given twice", type);
        *l = (struct ward_rlimit){.set = true, .soft = soft, .hard = hard, .origin = x->o};
        return 0;
}

static int map_rlimits(struct oci *x, json_t *arr)
{
        char p[PATH_LEN];
        size_t i;
        json_t *v;
        int r;

        if ((r = want(x, "process.rlimits", arr, JSON_ARRAY)) < 0)
                return r;
        json_array_foreach(arr, i, v)
        {
                sub(p, sizeof(p), "process.rlimits[%zu]", i);
                if ((r = map_rlimit(x, p, v)) < 0)
                        return r;
        }
        return 0;
}

static int map_cwd(struct oci *x, json_t *v)
{
        const char *s;
        int r;

        if (!v)
                return bad(x, "process.cwd", "missing: the working directory");
        if ((r = get_string(x, "process.cwd", v, &s)) < 0 ||
            (r = absolute(x, "process.cwd", s)) < 0)
                return r;
        x->c->cwd_origin = x->o;
        return config_set_string(&x->c->cwd, s) < 0 ? nomem(x) : 0;
}

static int map_process_flags(struct oci *x, json_t *proc)
{
        json_t *v;
        int r;

        if ((v = json_object_get(proc, "terminal")) &&
            (r = get_bool(x, "process.terminal", v, &x->c->tty)) < 0)
                return r;
        x->c->interactive = x->c->tty;
        if ((v = json_object_get(proc, "noNewPrivileges")) &&
            (r = get_bool(x, "process.noNewPrivileges", v, &x->c->no_new_privs)) < 0)
                return r;
        if ((r = must_be_empty(x, "process.apparmorProfile",
                               json_object_get(proc, "apparmorProfile"),
                               "ward applies no AppArmor profile")) < 0)
                return r;
        return must_be_empty(x, "process.selinuxLabel", json_object_get(proc, "selinuxLabel"),
                             "ward applies no SELinux label");
}

static int map_process(struct oci *x, json_t *proc)
{
        static const char *const keys[] = {"terminal",
                                           "user",
                                           "args",
                                           "env",
                                           "cwd",
                                           "capabilities",
                                           "rlimits",
                                           "noNewPrivileges",
                                           "apparmorProfile",
                                           "selinuxLabel",
                                           NULL};
        json_t *v;
        int r;

        if (!proc)
                return bad(x, "process", "missing: what to run");
        if ((r = want(x, "process", proc, JSON_OBJECT)) < 0 ||
            (r = only_keys(x, "process", proc, keys)) < 0)
                return r;
        x->c->no_new_privs = false; /* the spec's default */
        x->c->no_new_privs_origin = x->o;
        if ((r = map_process_flags(x, proc)) < 0 ||
            (r = map_args(x, json_object_get(proc, "args"))) < 0 ||
            (r = map_env(x, json_object_get(proc, "env"))) < 0 ||
            (r = map_cwd(x, json_object_get(proc, "cwd"))) < 0)
                return r;
        if (!(v = json_object_get(proc, "user")))
                return bad(x, "process.user", "missing: the uid and gid to run as");
        if ((r = map_user(x, v)) < 0)
                return r;
        x->c->caps_keep = 0;
        x->c->caps_origin = x->o;
        if ((v = json_object_get(proc, "capabilities")) && (r = map_caps(x, v)) < 0)
                return r;
        return (v = json_object_get(proc, "rlimits")) ? map_rlimits(x, v) : 0;
}

/* ------------------------------------------------------------------------------------- */
/* root, hostname                                                                        */

static int map_root(struct oci *x, json_t *root)
{
        static const char *const keys[] = {"path", "readonly", NULL};
        char full[PATH_MAX * 2];
        const char *path;
        json_t *ro;
        int r;

        if (!root)
                return bad(x, "root", "missing: the root filesystem");
        if ((r = want(x, "root", root, JSON_OBJECT)) < 0 ||
            (r = only_keys(x, "root", root, keys)) < 0)
                return r;
        if (!json_object_get(root, "path"))
                return bad(x, "root.path", "missing");
        if ((r = get_string(x, "root.path", json_object_get(root, "path"), &path)) < 0)
                return r;
        if (!path[0])
                return bad(x, "root.path", "empty");
        /* Relative to the bundle, as the spec says. */
        if (path[0] == '/')
                snprintf(full, sizeof(full), "%s", path);
        else
                snprintf(full, sizeof(full), "%s/%s", x->dir, path);
        if (config_set_string(&x->c->root, full) < 0)
                return nomem(x);
        x->c->root_origin = x->o;
        x->c->read_only = false; /* the spec's default */
        x->c->read_only_origin = x->o;
        ro = json_object_get(root, "readonly");
        return ro ? get_bool(x, "root.readonly", ro, &x->c->read_only) : 0;
}

static int map_hostname(struct oci *x, json_t *doc)
{
        json_t *v = json_object_get(doc, "hostname");
        const char *s;
        int r;

        free(x->c->hostname);
        x->c->hostname = NULL;
        if ((r = must_be_empty(x, "domainname", json_object_get(doc, "domainname"),
                               "ward does not set a domain name")) < 0 ||
            !v)
                return r;
        if ((r = get_string(x, "hostname", v, &s)) < 0)
                return r;
        if (!(x->c->unshare_flags & CLONE_NEWUTS))
                return bad(x, "hostname",
                           "a hostname needs the uts namespace (it would rename "
                           "the host)"),
                       ward_error_hint(x->e, "add {\"type\": \"uts\"} to linux.namespaces, or "
                                             "remove hostname"),
                       -EINVAL;
        if (!s[0] || strlen(s) > 64)
                return bad(x, "hostname", "\"%.80s\" is not a hostname (1-64 bytes)", s);
        x->c->hostname_origin = x->o;
        return config_set_string(&x->c->hostname, s) < 0 ? nomem(x) : 0;
}

/* ------------------------------------------------------------------------------------- */
/* mounts                                                                                */

struct mount_opts {
        bool ro, rw, noexec, exec, bind, rbind;
        bool have_size, have_mode;
        uint64_t size;
        unsigned mode;
};

static bool in_list(const char *s, const char *const *list)
{
        for (size_t i = 0; list[i]; i++) {
                size_t n = strlen(list[i]);
                if (list[i][n - 1] == '=' ? strncmp(s, list[i], n) == 0 : strcmp(s, list[i]) == 0)
                        return true;
        }
        return false;
}

/* "65536k" (mount(8) spelling) or "64M". */
static int size_option(const char *v, uint64_t *out)
{
        return ward_parse_size(v, out);
}

static int parse_option(struct oci *x, const char *path, const char *o, struct mount_opts *m)
{
        if (strcmp(o, "ro") == 0)
                m->ro = true;
        else if (strcmp(o, "rw") == 0)
                m->rw = true;
        else if (strcmp(o, "noexec") == 0)
                m->noexec = true;
        else if (strcmp(o, "exec") == 0)
                m->exec = true;
        else if (strcmp(o, "bind") == 0)
                m->bind = true;
        else if (strcmp(o, "rbind") == 0)
                m->rbind = true;
        else if (strncmp(o, "size=", 5) == 0) {
                if (size_option(o + 5, &m->size) < 0)
                        return bad(x, path, "\"%.64s\": not a size", o);
                m->have_size = true;
        } else if (strncmp(o, "mode=", 5) == 0) {
                if (ward_parse_mode(o + 5, &m->mode) < 0)
                        return bad(x, path, "\"%.64s\": not an octal mode", o);
                m->have_mode = true;
        }
        return 0;
}

/* Options ward's mounts always have or that change no protection. */
static const char *const harmless[] = {"nosuid",      "nodev",   "noexec",   "relatime", "noatime",
                                       "strictatime", "private", "rprivate", NULL};

static int check_options(struct oci *x, const char *path, json_t *arr, const char *const *extra,
                         struct mount_opts *m)
{
        char p[PATH_LEN];
        const char *s;
        size_t i;
        json_t *v;
        int r;

        memset(m, 0, sizeof(*m));
        if (!arr)
                return 0;
        sub(p, sizeof(p), "%s.options", path);
        if ((r = want(x, p, arr, JSON_ARRAY)) < 0)
                return r;
        json_array_foreach(arr, i, v)
        {
                sub(p, sizeof(p), "%s.options[%zu]", path, i);
                if ((r = get_string(x, p, v, &s)) < 0)
                        return r;
                if (!in_list(s, harmless) && !in_list(s, extra))
                        return unsupported(x, p, "this mount option");
                if ((r = parse_option(x, p, s, m)) < 0)
                        return r;
        }
        return 0;
}

/* The mounts ward makes itself, accepted with the options its own meet. */
static const struct standard_mount {
        const char *destination, *type;
        const char *const options[8];
} standard[] = {
    {"/proc", "proc", {NULL}},
    {"/dev", "tmpfs", {"mode=", "size=", NULL}},
    {"/dev/pts", "devpts", {"newinstance", "ptmxmode=0666", "mode=0620", "mode=620", "gid=", NULL}},
    {"/dev/shm", "tmpfs", {"mode=1777", "size=", NULL}},
    {"/sys", "sysfs", {"ro", NULL}},
};

static int map_standard(struct oci *x, const char *path, const struct standard_mount *s, json_t *m)
{
        struct mount_opts o;
        const char *type;
        char p[PATH_LEN];
        int r;

        sub(p, sizeof(p), "%s.type", path);
        if (!json_object_get(m, "type"))
                return bad(x, p, "missing");
        if ((r = get_string(x, p, json_object_get(m, "type"), &type)) < 0)
                return r;
        if (strcmp(type, s->type) != 0)
                return unsupported(x, p, "ward mounts its own filesystem at this place");
        return check_options(x, path, json_object_get(m, "options"), s->options, &o);
}

static int map_tmpfs(struct oci *x, const char *path, const char *dest, json_t *m)
{
        static const char *const extra[] = {"rw", "exec", "mode=", "size=", NULL};
        struct ward_mount w = {.kind = WARD_MOUNT_TMPFS, .tree_fd = -1, .origin = x->o};
        struct mount_opts o;
        int r;

        if ((r = check_options(x, path, json_object_get(m, "options"), extra, &o)) < 0)
                return r;
        w.target = (char *)dest;
        w.writable = true;
        w.exec = !o.noexec;
        w.size_bytes = o.have_size ? o.size : 0;
        w.mode = o.have_mode ? o.mode : 01777;
        if (o.have_size && o.size == 0)
                return bad(x, path, "size=0 is an unlimited tmpfs; give a size");
        return config_add_mount(x->c, &w) < 0 ? nomem(x) : 0;
}

static int map_bind(struct oci *x, const char *path, const char *dest, json_t *m)
{
        static const char *const extra[] = {"ro", "rw", "bind", "rbind", NULL};
        struct ward_mount w = {.kind = WARD_MOUNT_BIND, .tree_fd = -1, .origin = x->o};
        char p[PATH_LEN], full[PATH_MAX * 2];
        struct mount_opts o;
        const char *src;
        int r;

        sub(p, sizeof(p), "%s.source", path);
        if ((r = check_options(x, path, json_object_get(m, "options"), extra, &o)) < 0)
                return r;
        if (!json_object_get(m, "source"))
                return bad(x, p, "missing");
        if ((r = get_string(x, p, json_object_get(m, "source"), &src)) < 0)
                return r;
        if (!o.rbind) {
                sub(p, sizeof(p), "%s.options", path);
                return unsupported(x, p,
                                   "a non-recursive bind (ward binds with submounts: "
                                   "write rbind)");
        }
        snprintf(full, sizeof(full), "%s%s%s", src[0] == '/' ? "" : x->dir,
                 src[0] == '/' ? "" : "/", src);
        w.source = full;
        w.target = (char *)dest;
        w.writable = !o.ro;
        w.noexec = o.noexec;
        return config_add_mount(x->c, &w) < 0 ? nomem(x) : 0;
}

static int map_mqueue(struct oci *x, const char *path, const char *dest, json_t *m)
{
        struct ward_mount w = {.kind = WARD_MOUNT_MQUEUE, .tree_fd = -1, .origin = x->o};
        struct mount_opts o;
        int r;

        if ((r = check_options(x, path, json_object_get(m, "options"),
                               (const char *const[]){"rw", NULL}, &o)) < 0)
                return r;
        w.target = (char *)dest;
        return config_add_mount(x->c, &w) < 0 ? nomem(x) : 0;
}

static bool is_bind(json_t *m, const char *type)
{
        json_t *opts = json_object_get(m, "options"), *v;
        size_t i;

        if (strcmp(type, "bind") == 0)
                return true;
        json_array_foreach(opts, i,
                           v) if (json_is_string(v) &&
                                  (strcmp(json_string_value(v), "bind") == 0 ||
                                   strcmp(json_string_value(v), "rbind") == 0)) return true;
        return false;
}

static int map_mount(struct oci *x, const char *path, json_t *m)
{
        static const char *const keys[] = {"destination", "type", "source", "options", NULL};
        const char *dest, *type = "";
        char p[PATH_LEN];
        int r;

        if ((r = want(x, path, m, JSON_OBJECT)) < 0 || (r = only_keys(x, path, m, keys)) < 0)
                return r;
        sub(p, sizeof(p), "%s.destination", path);
        if (!json_object_get(m, "destination"))
                return bad(x, p, "missing");
        if ((r = get_string(x, p, json_object_get(m, "destination"), &dest)) < 0 ||
            (r = absolute(x, p, dest)) < 0)
                return r;
        for (size_t i = 0; i < ARRAY_SIZE(standard); i++)
                if (strcmp(dest, standard[i].destination) == 0)
                        return map_standard(x, path, &standard[i], m);
        sub(p, sizeof(p), "%s.type", path);
        if (json_object_get(m, "type") &&
            (r = get_string(x, p, json_object_get(m, "type"), &type)) < 0)
                return r;
        if (json_object_get(m, "options") &&
            (r = want(x, path, json_object_get(m, "options"), JSON_ARRAY)) < 0)
                return r;
        if (is_bind(m, type))
                return map_bind(x, path, dest, m);
        if (strcmp(type, "tmpfs") == 0)
                return map_tmpfs(x, path, dest, m);
        if (strcmp(type, "mqueue") == 0 && strcmp(dest, "/dev/mqueue") == 0) {
                if (!(x->c->unshare_flags & CLONE_NEWIPC))
                        return unsupported(x, path,
                                           "an mqueue without an ipc namespace would "
                                           "show the host's message queues");
                return map_mqueue(x, path, dest, m);
        }
        return unsupported(x, p,
                           type[0] ? "this filesystem type here (ward mounts tmpfs, "
                                     "rbind, and mqueue on /dev/mqueue)"
                                   : "a mount without a type");
}

static int map_mounts(struct oci *x, json_t *arr)
{
        char p[PATH_LEN];
        size_t i;
        json_t *v;
        int r;

        if (!arr)
                return 0;
        if ((r = want(x, "mounts", arr, JSON_ARRAY)) < 0)
                return r;
        json_array_foreach(arr, i, v)
        {
                sub(p, sizeof(p), "mounts[%zu]", i);
                if ((r = map_mount(x, p, v)) < 0)
                        return r;
        }
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* linux                                                                                 */

static int ns_flag(struct oci *x, const char *path, json_t *ns, unsigned long *flag)
{
        static const struct {
                const char *oci, *ward;
        } names[] = {{"pid", "pid"}, {"network", "net"}, {"mount", "mount"},  {"ipc", "ipc"},
                     {"uts", "uts"}, {"user", "user"},   {"cgroup", "cgroup"}};
        static const char *const keys[] = {"type", "path", NULL};
        const char *type;
        char p[PATH_LEN];
        int r;

        sub(p, sizeof(p), "%s.type", path);
        if ((r = want(x, path, ns, JSON_OBJECT)) < 0 || (r = only_keys(x, path, ns, keys)) < 0)
                return r;
        if (!json_object_get(ns, "type"))
                return bad(x, p, "missing");
        if ((r = get_string(x, p, json_object_get(ns, "type"), &type)) < 0)
                return r;
        sub(p, sizeof(p), "%s.path", path);
        if ((r = must_be_empty(x, p, json_object_get(ns, "path"),
                               "joining an existing namespace")) < 0)
                return r;
        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (strcmp(type, names[i].oci) == 0) {
                        return ns_from_name(names[i].ward, flag);
                }
        sub(p, sizeof(p), "%s.type", path);
        return unsupported(x, p, "this namespace type");
}

static int map_namespaces(struct oci *x, json_t *arr)
{
        struct ward_config *c = x->c;
        unsigned long flag;
        char p[PATH_LEN];
        size_t i;
        json_t *v;
        int r;

        c->unshare_flags = 0;
        c->unshare_origin = x->o;
        c->net_mode = WARD_NET_HOST;
        c->net_origin = x->o;
        /* No list is no namespace (json_array_foreach reads NULL as empty). */
        if (arr && (r = want(x, "linux.namespaces", arr, JSON_ARRAY)) < 0)
                return r;
        json_array_foreach(arr, i, v)
        {
                sub(p, sizeof(p), "linux.namespaces[%zu]", i);
                if ((r = ns_flag(x, p, v, &flag)) < 0)
                        return r;
                if (c->unshare_flags & flag)
                        return bad(x, p, "this namespace is listed twice");
                c->unshare_flags |= flag;
        }
        if (c->unshare_flags & CLONE_NEWNET)
                c->net_mode = WARD_NET_NONE;
        if (!(c->unshare_flags & CLONE_NEWNS))
                return unsupported(x, "linux.namespaces",
                                   "a bundle without a mount namespace (ward builds the "
                                   "read-only root in one): add {\"type\": \"mount\"}");
        return 0;
}

static int one_mapping(struct oci *x, const char *name, json_t *arr, uint32_t *host)
{
        static const char *const keys[] = {"containerID", "hostID", "size", NULL};
        uint32_t cont, size;
        char p[PATH_LEN];
        json_t *m;
        int r;

        if ((r = want(x, name, arr, JSON_ARRAY)) < 0)
                return r;
        if (json_array_size(arr) != 1)
                return unsupported(x, name,
                                   "other than one range (ward maps container ids "
                                   "0-65535 to one host range)");
        m = json_array_get(arr, 0);
        sub(p, sizeof(p), "%s[0]", name);
        if ((r = want(x, p, m, JSON_OBJECT)) < 0 || (r = only_keys(x, p, m, keys)) < 0)
                return r;
        sub(p, sizeof(p), "%s[0].containerID", name);
        if (!json_object_get(m, "containerID") || !json_object_get(m, "hostID") ||
            !json_object_get(m, "size"))
                return bad(x, p, "containerID, hostID and size are required");
        if ((r = get_u32(x, p, json_object_get(m, "containerID"), &cont)) < 0)
                return r;
        sub(p, sizeof(p), "%s[0].hostID", name);
        if ((r = get_u32(x, p, json_object_get(m, "hostID"), host)) < 0)
                return r;
        sub(p, sizeof(p), "%s[0].size", name);
        if ((r = get_u32(x, p, json_object_get(m, "size"), &size)) < 0)
                return r;
        if (cont != 0 || size != WARD_ID_MAP_RANGE || *host == 0)
                return unsupported(x, p,
                                   "a range other than containerID 0, size 65536, at a "
                                   "hostID above 0");
        return 0;
}

static int map_id_mappings(struct oci *x, json_t *lx)
{
        json_t *u = json_object_get(lx, "uidMappings"), *g = json_object_get(lx, "gidMappings");
        uint32_t uid_base, gid_base;
        int r;

        if (!u && !g)
                return 0;
        if (!(x->c->unshare_flags & CLONE_NEWUSER))
                return bad(x, u ? "linux.uidMappings" : "linux.gidMappings",
                           "id mappings without a user namespace");
        if (!u || !g)
                return bad(x, u ? "linux.gidMappings" : "linux.uidMappings",
                           "missing: give both uidMappings and gidMappings");
        if (geteuid() != 0)
                return unsupported(x, "linux.uidMappings",
                                   "as a normal user (ward then maps "
                                   "only your own uid)");
        if ((r = one_mapping(x, "linux.uidMappings", u, &uid_base)) < 0 ||
            (r = one_mapping(x, "linux.gidMappings", g, &gid_base)) < 0)
                return r;
        if (uid_base != gid_base)
                return unsupported(x, "linux.gidMappings[0].hostID",
                                   "a gid range at another host id than the uid range");
        x->c->id_map_base = uid_base;
        x->c->id_map_origin = x->o;
        return 0;
}

static int map_paths(struct oci *x, const char *name, json_t *arr, struct ward_path **list,
                     size_t *n)
{
        char p[PATH_LEN];
        const char *s;
        size_t i;
        json_t *v;
        int r;

        config_clear_paths(list, n);
        if (!arr)
                return 0;
        if ((r = want(x, name, arr, JSON_ARRAY)) < 0)
                return r;
        json_array_foreach(arr, i, v)
        {
                sub(p, sizeof(p), "%s[%zu]", name, i);
                if ((r = get_string(x, p, v, &s)) < 0 || (r = absolute(x, p, s)) < 0)
                        return r;
                if (config_add_path(list, n, s, &x->o) < 0)
                        return nomem(x);
        }
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* linux.resources                                                                       */

static int set_limit(struct oci *x, int id, uint64_t value)
{
        struct ward_cg_limit *l = &x->c->cgroup.limits[id];

        *l = (struct ward_cg_limit){.set = true, .value = value, .origin = x->o};
        return 0;
}

/* An int64 limit: *set false for -1 (unlimited) or absent. */
static int limit_value(struct oci *x, const char *path, json_t *v, int64_t *out, bool *set)
{
        int r;

        *set = false;
        if (!v)
                return 0;
        if ((r = want(x, path, v, JSON_INTEGER)) < 0)
                return r;
        *out = json_integer_value(v);
        if (*out == -1)
                return 0;
        if (*out <= 0)
                return bad(x, path, "%lld is not a limit (above 0, or -1 for none)",
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

        if ((r = want(x, "linux.resources.memory", m, JSON_OBJECT)) < 0 ||
            (r = only_keys(x, "linux.resources.memory", m, keys)) < 0 ||
            (r = limit_value(x, "linux.resources.memory.limit", json_object_get(m, "limit"), &v,
                             &set)) < 0)
                return r;
        if (set)
                set_limit(x, WARD_CG_MEMORY, (uint64_t)v);
        if ((r = limit_value(x, "linux.resources.memory.swap", json_object_get(m, "swap"), &v,
                             &set)) < 0)
                return r;
        if (set) {
                /* As docker's --memory-swap: memory plus swap; cgroup_validate subtracts. */
                set_limit(x, WARD_CG_MEMORY_SWAP, (uint64_t)v);
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

        if ((r = want(x, "linux.resources.cpu", cpu, JSON_OBJECT)) < 0 ||
            (r = only_keys(x, "linux.resources.cpu", cpu, keys)) < 0 ||
            (r = limit_value(x, "linux.resources.cpu.period", json_object_get(cpu, "period"),
                             &period, &have_period)) < 0 ||
            (r = limit_value(x, "linux.resources.cpu.quota", json_object_get(cpu, "quota"), &quota,
                             &set)) < 0)
                return r;
        if (!have_period)
                period = WARD_CPU_PERIOD_US;
        if (set && period > 1000000)
                return bad(x, "linux.resources.cpu.period", "above 1s");
        if (set)
                set_limit(x, WARD_CG_CPUS,
                          (uint64_t)quota * WARD_CPU_PERIOD_US / (uint64_t)period ?: 1);
        return 0;
}

static int map_pids(struct oci *x, json_t *pids)
{
        static const char *const keys[] = {"limit", NULL};
        int64_t v;
        bool set;
        int r;

        if ((r = want(x, "linux.resources.pids", pids, JSON_OBJECT)) < 0 ||
            (r = only_keys(x, "linux.resources.pids", pids, keys)) < 0 ||
            (r = limit_value(x, "linux.resources.pids.limit", json_object_get(pids, "limit"), &v,
                             &set)) < 0)
                return r;
        if (set)
                set_limit(x, WARD_CG_PIDS, (uint64_t)v);
        return 0;
}

/* ward's /dev holds only null, zero, full, random, urandom, tty and a private pts, and
 * mknod is never allowed: the "deny everything" rules of a device cgroup say no more. */
static int map_devices(struct oci *x, json_t *arr)
{
        char p[PATH_LEN];
        size_t i;
        json_t *v, *allow;
        int r;

        if ((r = want(x, "linux.resources.devices", arr, JSON_ARRAY)) < 0)
                return r;
        json_array_foreach(arr, i, v)
        {
                sub(p, sizeof(p), "linux.resources.devices[%zu]", i);
                if ((r = want(x, p, v, JSON_OBJECT)) < 0 ||
                    (r = only_keys(x, p, v,
                                   (const char *const[]){"allow", "access", "type", "major",
                                                         "minor", NULL})) < 0)
                        return r;
                sub(p, sizeof(p), "linux.resources.devices[%zu].allow", i);
                if (!(allow = json_object_get(v, "allow")))
                        return bad(x, p, "missing");
                if ((r = want(x, p, allow, JSON_TRUE)) < 0)
                        return r;
                if (json_is_true(allow))
                        return unsupported(x, p,
                                           "allowing devices (ward's /dev has a fixed "
                                           "set of safe devices)");
        }
        return 0;
}

static int map_resources(struct oci *x, json_t *res)
{
        static const char *const keys[] = {"devices", "memory", "cpu", "pids", NULL};
        json_t *v;
        int r;

        if ((r = want(x, "linux.resources", res, JSON_OBJECT)) < 0 ||
            (r = only_keys(x, "linux.resources", res, keys)) < 0)
                return r;
        if ((v = json_object_get(res, "devices")) && (r = map_devices(x, v)) < 0)
                return r;
        if ((v = json_object_get(res, "memory")) && (r = map_memory(x, v)) < 0)
                return r;
        if ((v = json_object_get(res, "cpu")) && (r = map_cpu(x, v)) < 0)
                return r;
        return (v = json_object_get(res, "pids")) ? map_pids(x, v) : 0;
}

static int map_propagation(struct oci *x, json_t *v)
{
        const char *s;
        int r;

        if (!v)
                return 0;
        if ((r = get_string(x, "linux.rootfsPropagation", v, &s)) < 0)
                return r;
        if (strcmp(s, "private") != 0 && strcmp(s, "rprivate") != 0)
                return unsupported(x, "linux.rootfsPropagation",
                                   "other than private (ward's mounts never propagate)");
        return 0;
}

static int map_linux_empty(struct oci *x, json_t *lx)
{
        static const struct {
                const char *key, *path, *why;
        } empty[] = {
            {"sysctl", "linux.sysctl", "ward sets no sysctls"},
            {"devices", "linux.devices", "ward creates no device nodes"},
            {"mountLabel", "linux.mountLabel", "ward applies no SELinux label"},
        };
        int r;

        for (size_t i = 0; i < ARRAY_SIZE(empty); i++)
                if ((r = must_be_empty(x, empty[i].path, json_object_get(lx, empty[i].key),
                                       empty[i].why)) < 0)
                        return r;
        return 0;
}

static int map_linux(struct oci *x, json_t *lx)
{
        static const char *const keys[] = {"namespaces",  "uidMappings",       "gidMappings",
                                           "maskedPaths", "readonlyPaths",     "seccomp",
                                           "resources",   "rootfsPropagation", "sysctl",
                                           "devices",     "mountLabel",        NULL};
        struct ward_config *c = x->c;
        json_t *v;
        int r;

        if ((r = want(x, "linux", lx, JSON_OBJECT)) < 0 ||
            (r = only_keys(x, "linux", lx, keys)) < 0 || (r = map_linux_empty(x, lx)) < 0 ||
            (r = map_namespaces(x, json_object_get(lx, "namespaces"))) < 0 ||
            (r = map_id_mappings(x, lx)) < 0 ||
            (r = map_paths(x, "linux.maskedPaths", json_object_get(lx, "maskedPaths"),
                           &c->masked_paths, &c->n_masked_paths)) < 0 ||
            (r = map_paths(x, "linux.readonlyPaths", json_object_get(lx, "readonlyPaths"),
                           &c->readonly_paths, &c->n_readonly_paths)) < 0 ||
            (r = map_propagation(x, json_object_get(lx, "rootfsPropagation"))) < 0)
                return r;
        if ((v = json_object_get(lx, "seccomp")) &&
            (r = want(x, "linux.seccomp", v, JSON_OBJECT)) < 0)
                return r;
        return (v = json_object_get(lx, "resources")) ? map_resources(x, v) : 0;
}

/* ------------------------------------------------------------------------------------- */
/* hooks, top level                                                                      */

static int hook_strings(struct oci *x, const char *path, json_t *arr, char ***out)
{
        char p[PATH_LEN];
        const char *s;
        size_t i;
        json_t *v;
        int r;

        if ((r = want(x, path, arr, JSON_ARRAY)) < 0)
                return r;
        if (!(*out = calloc(json_array_size(arr) + 1, sizeof(**out))))
                return nomem(x);
        json_array_foreach(arr, i, v)
        {
                sub(p, sizeof(p), "%s[%zu]", path, i);
                if ((r = get_string(x, p, v, &s)) < 0)
                        return r;
                if (!((*out)[i] = strdup(s)))
                        return nomem(x);
        }
        return 0;
}

static void hook_release(struct ward_oci_hook *h)
{
        for (size_t i = 0; h->argv && h->argv[i]; i++)
                free(h->argv[i]);
        for (size_t i = 0; h->envp && h->envp[i]; i++)
                free(h->envp[i]);
        free(h->argv);
        free(h->envp);
}

static int hook_fields(struct oci *x, const char *path, json_t *obj, struct ward_oci_hook *h)
{
        static const char *const keys[] = {"path", "args", "env", "timeout", NULL};
        json_t *args = json_object_get(obj, "args"), *env = json_object_get(obj, "env");
        json_t *timeout = json_object_get(obj, "timeout");
        const char *hook_path;
        char p[PATH_LEN];
        uint32_t t;
        int r;

        sub(p, sizeof(p), "%s.path", path);
        if ((r = want(x, path, obj, JSON_OBJECT)) < 0 || (r = only_keys(x, path, obj, keys)) < 0)
                return r;
        if (!json_object_get(obj, "path"))
                return bad(x, p, "missing");
        if ((r = get_string(x, p, json_object_get(obj, "path"), &hook_path)) < 0 ||
            (r = absolute(x, p, hook_path)) < 0)
                return r;
        h->path = (char *)hook_path;
        sub(p, sizeof(p), "%s.args", path);
        if (args && (r = hook_strings(x, p, args, &h->argv)) < 0)
                return r;
        sub(p, sizeof(p), "%s.env", path);
        if (env && (r = hook_strings(x, p, env, &h->envp)) < 0)
                return r;
        sub(p, sizeof(p), "%s.timeout", path);
        if (timeout && ((r = get_u32(x, p, timeout, &t)) < 0 || t == 0 || t > 3600))
                return r < 0 ? r : bad(x, p, "a timeout must be 1 to 3600 seconds");
        h->timeout_s = timeout ? t : WARD_OCI_HOOK_TIMEOUT_S;
        return 0;
}

/* One hook into list; argv defaults to { path }, env to empty. */
static int map_hook(struct oci *x, const char *path, json_t *obj, struct ward_oci_hook **list,
                    size_t *n)
{
        struct ward_oci_hook h = {0};
        int r = hook_fields(x, path, obj, &h);

        if (r >= 0) {
                char *argv0[2] = {h.path, NULL}, *no_env[1] = {NULL};
                struct ward_oci_hook use = h;
                if (!use.argv || !use.argv[0])
                        use.argv = argv0;
                if (!use.envp)
                        use.envp = no_env;
                snprintf(use.name, sizeof(use.name), "%s", path);
                if (oci_hooks_add(list, n, &use) < 0)
                        r = nomem(x);
        }
        hook_release(&h);
        return r;
}

static int hooks_state(struct oci *x, json_t *annotations)
{
        struct ward_oci_hooks *h = x->c->oci_hooks;

        h->origin = x->o;
        if (!(h->bundle = strdup(x->dir)))
                return nomem(x);
        if (annotations && !(h->annotations = json_dumps(annotations, JSON_COMPACT)))
                return nomem(x);
        return 0;
}

static int map_hook_list(struct oci *x, const char *kind, json_t *arr)
{
        struct ward_oci_hooks *h = x->c->oci_hooks;
        bool post = strcmp(kind, "poststop") == 0;
        char p[PATH_LEN];
        size_t i;
        json_t *v;
        int r;

        sub(p, sizeof(p), "hooks.%s", kind);
        if ((r = want(x, p, arr, JSON_ARRAY)) < 0)
                return r;
        json_array_foreach(arr, i, v)
        {
                sub(p, sizeof(p), "hooks.%s[%zu]", kind, i);
                if ((r = map_hook(x, p, v, post ? &h->poststop : &h->create,
                                  post ? &h->n_poststop : &h->n_create)) < 0)
                        return r;
        }
        return 0;
}

/* prestart and createRuntime run on the host before the sandbox is built, poststop after
 * it: those ward runs (oci_hooks.c). The others run inside the container or after its
 * start, which ward's setup does not stop for: refused. */
static int map_hooks(struct oci *x, json_t *hooks, json_t *annotations)
{
        static const char *const kinds[] = {
            "prestart",       "createRuntime", "poststop", "createContainer",
            "startContainer", "poststart",     NULL};
        char p[PATH_LEN];
        int r;

        if (!hooks)
                return 0;
        if ((r = want(x, "hooks", hooks, JSON_OBJECT)) < 0 ||
            (r = only_keys(x, "hooks", hooks, kinds)) < 0)
                return r;
        if (!(x->c->oci_hooks = calloc(1, sizeof(*x->c->oci_hooks))))
                return nomem(x);
        if ((r = hooks_state(x, annotations)) < 0)
                return r;
        for (size_t i = 0; kinds[i]; i++) {
                json_t *arr = json_object_get(hooks, kinds[i]);
                if (!arr)
                        continue;
                if (i < 3) {
                        if ((r = map_hook_list(x, kinds[i], arr)) < 0)
                                return r;
                        continue;
                }
                sub(p, sizeof(p), "hooks.%s", kinds[i]);
                if ((r = want(x, p, arr, JSON_ARRAY)) < 0)
                        return r;
                sub(p, sizeof(p), "hooks.%s[0]", kinds[i]);
                if (json_array_size(arr))
                        return unsupported(x, p,
                                           "ward runs prestart, createRuntime and "
                                           "poststop hooks only");
        }
        return 0;
}

static int map_version(struct oci *x, json_t *v)
{
        const char *s;
        int r;

        if (!v)
                return bad(x, "ociVersion", "missing");
        if ((r = get_string(x, "ociVersion", v, &s)) < 0)
                return r;
        if (strncmp(s, "1.", 2) != 0)
                return unsupported(x, "ociVersion", "a runtime spec other than 1.x");
        return 0;
}

/* ward's defaults that the spec does not share: config.json says all of it. */
static void reset_defaults(struct ward_config *c, const struct ward_origin *o)
{
        c->seccomp.enabled = false;
        c->seccomp.origin = c->seccomp.profile_origin = *o;
        c->init = false; /* process.args is PID 1, as under crun */
        c->init_origin = *o;
}

int oci_map_config(struct ward_config *c, void *tree, const char *dir, const char *file,
                   struct ward_error *e)
{
        static const char *const keys[] = {"ociVersion", "process", "root",  "hostname",
                                           "domainname", "mounts",  "hooks", "annotations",
                                           "linux",      NULL};
        struct oci x = {.c = c, .dir = dir, .e = e};
        json_t *root = tree, *lx, *ann;
        _cleanup_(json_releasep) json_t *none = NULL;
        int r;

        if (!(x.o.file = config_intern(c, file)))
                return nomem(&x);
        if ((r = want(&x, "(top level)", root, JSON_OBJECT)) < 0 ||
            (r = only_keys(&x, "", root, keys)) < 0 ||
            (r = map_version(&x, json_object_get(root, "ociVersion"))) < 0)
                return r;
        if ((ann = json_object_get(root, "annotations")) &&
            (r = want(&x, "annotations", ann, JSON_OBJECT)) < 0)
                return r;
        reset_defaults(c, &x.o);
        if (!(lx = json_object_get(root, "linux")) && !(lx = none = json_object()))
                return nomem(&x);
        /* linux first: the mounts need to know the namespaces. */
        if ((r = map_linux(&x, lx)) < 0 || (r = map_root(&x, json_object_get(root, "root"))) < 0 ||
            (r = map_process(&x, json_object_get(root, "process"))) < 0 ||
            (r = map_hostname(&x, root)) < 0 ||
            (r = map_mounts(&x, json_object_get(root, "mounts"))) < 0)
                return r;
        return map_hooks(&x, json_object_get(root, "hooks"), ann);
}

/* ------------------------------------------------------------------------------------- */
/* linux.seccomp                                                                         */

static void seccomp_releasep(scmp_filter_ctx *ctx)
{
        if (*ctx)
                seccomp_release(*ctx);
}

static int export_to_memory(struct ward_config *c, scmp_filter_ctx ctx, struct ward_error *e)
{
        _cleanup_close_ int fd = memfd_create("ward-oci-seccomp", MFD_CLOEXEC);
        int r;

        if (fd < 0)
                return ward_error_set(e, errno, "memfd_create() for the seccomp filter");
        if ((r = seccomp_export_bpf(ctx, fd)) < 0)
                return ward_error_set(e, -r, "seccomp_export_bpf()");
        return seccomp_bpf_read_back(fd, &c->seccomp.extra_bpf, &c->seccomp.extra_bpf_len, e);
}

int oci_map_seccomp(struct ward_config *c, void *tree, const char *file, struct ward_error *e)
{
        json_t *lx = json_object_get(tree, "linux");
        json_t *sc = lx ? json_object_get(lx, "seccomp") : NULL;
        _cleanup_(seccomp_releasep) scmp_filter_ctx ctx = NULL;
        struct ward_origin o = {.file = config_intern(c, file), .line = 0};
        int r;

        if (!sc)
                return 0;
        if (!o.file)
                return ward_error_set(e, ENOMEM, "out of memory");
        c->seccomp.extra_origin = o;
        /* ward loads seccomp last, after the capabilities are dropped. */
        if (!c->no_new_privs && !(c->caps_keep & (1ULL << CAP_SYS_ADMIN))) {
                ward_error_at(e, &o, "process.noNewPrivileges", EPERM,
                              "linux.seccomp needs no_new_privs or CAP_SYS_ADMIN, and "
                              "config.json has neither");
                ward_error_hint(e, "set \"noNewPrivileges\": true in process");
                return -EPERM;
        }
        if ((r = seccomp_json_compile_tree(sc, file, "linux.seccomp", "linux.seccomp.",
                                           c->caps_keep, &o, &ctx, NULL, e)) < 0)
                return r;
        return export_to_memory(c, ctx, e);
}
