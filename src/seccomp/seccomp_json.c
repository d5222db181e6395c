/* Docker/OCI seccomp JSON profiles, read with jansson (seccomp_json.h).
 *
 * What ward understands, and so accepts (anything else is refused with its JSON path):
 *   defaultAction, defaultErrnoRet, defaultErrno, architectures, archMap, syscalls[] with
 *   names/name, action, errnoRet, errno, args[] (index, value, valueTwo, op),
 *   includes/excludes (caps, arches, minKernel) and comment; flags only when empty,
 *   listenerPath/listenerMetadata only when empty, and no SCMP_ACT_NOTIFY or SCMP_ACT_TRACE
 *   (no listener, no tracer).
 *
 * The published profiles are written by Go programs, which write a field they have no value
 * for as null ("subArchitectures": null, "args": null): null is taken for absent wherever a
 * field may be absent, and stays "missing" where one is required. containers-common names
 * errnos ("errno": "EPERM", "defaultErrno": "ENOSYS") beside or instead of the numbers;
 * both given must agree.
 *
 * Semantics follow Docker and runc: includes.caps needs every listed capability kept,
 * excludes.caps drops the entry if any is kept; includes/excludes arches match "amd64" (or
 * "x86_64"); minKernel compares with uname(2). Syscall names libseccomp does not know for
 * x86_64 are skipped (profiles list other architectures' and newer kernels' calls), but a
 * name that is not an identifier is refused. Rules whose action is the default action are
 * skipped (libseccomp refuses them). Several conditions on the same argument index become
 * one rule per condition, as runc does (libseccomp cannot AND them on one argument).
 *
 * Architectures: the filter stays native-only, as ward's own: SCMP_ARCH_X86 and
 * SCMP_ARCH_X32 are accepted as names (Docker's profiles list them) but not added, and the
 * bad-arch action kills the process, so a 32-bit syscall cannot sidestep the rules. */
#include "ward/seccomp_json.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/json_util.h"
#include "ward/scmp.h"
#include "ward/trust.h"
#include "ward/util.h"

#define KEY "Seccomp.Profile"
#define MAX_ARGS 6

struct jctx {
        const char *file;
        const char *key;    /* the key errors name: Seccomp.Profile, or linux.seccomp */
        const char *prefix; /* "" for a file; "linux.seccomp." for a config.json subtree */
        const struct ward_origin *o;
        struct ward_error *e;
        uint64_t caps;
        scmp_filter_ctx ctx;
        uint32_t default_action;
        size_t n_rules;
        struct cond_rule *seen; /* the multi-comparison rules added so far (rules_loop()) */
        size_t n_seen;
        char skipped[512]; /* names no architecture has, skipped (unknown_name()) */
};

__attribute__((format(printf, 3, 4))) static int bad(struct jctx *j, const char *path,
                                                     const char *fmt, ...)
{
        char why[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(why, sizeof(why), fmt, ap);
        va_end(ap);
        ward_error_at(j->e, j->o, j->key, 0, "%.200s: %s%.200s: %s", j->file, j->prefix, path, why);
        ward_error_hint(j->e, "ward reads defaultAction, defaultErrnoRet, defaultErrno, "
                              "architectures, archMap and syscalls (names, action, errnoRet, "
                              "errno, args, includes, excludes, comment); see ward.profile(5)");
        return -EINVAL;
}

static int want_type(struct jctx *j, const char *path, const json_t *v, json_type t,
                     const char *what)
{
        if (json_typeof(v) == t)
                return 0;
        return bad(j, path, "expected %s, found %s", what, ward_json_type_name(v));
}

/* Every key of obj must be in allowed (NULL-terminated). */
static int only_keys(struct jctx *j, const char *path, json_t *obj, const char *const *allowed)
{
        const char *k;
        json_t *v;

        json_object_foreach(obj, k, v)
        {
                char p[256];
                size_t i = 0;
                while (allowed[i] && strcmp(allowed[i], k) != 0)
                        i++;
                ward_json_path(p, sizeof(p), "%s%s%.64s", path, path[0] ? "." : "", k);
                if (!allowed[i])
                        return bad(j, p, "unknown key");
        }
        return 0;
}

/* A field that may be absent: NULL for absent and for null alike. */
static json_t *opt(const json_t *obj, const char *key)
{
        json_t *v = json_object_get(obj, key);

        return json_is_null(v) ? NULL : v;
}

static bool identifier(const char *s, bool upper)
{
        size_t n = 0;

        if (!s[0] || isdigit((unsigned char)s[0]))
                return false;
        for (; s[n]; n++)
                if (!(upper ? isupper((unsigned char)s[n]) : islower((unsigned char)s[n])) &&
                    !isdigit((unsigned char)s[n]) && s[n] != '_')
                        return false;
        return n <= 64;
}

/* ------------------------------------------------------------------------------------- */
/* Actions                                                                               */

static int errno_ret(struct jctx *j, const char *path, json_t *v, int *err)
{
        int r = want_type(j, path, v, JSON_INTEGER, "an integer");

        if (r < 0)
                return r;
        if (json_integer_value(v) < 0 || json_integer_value(v) > 4095)
                return bad(j, path, "errno %lld is out of range (0-4095)",
                           (long long)json_integer_value(v));
        *err = (int)json_integer_value(v);
        return 0;
}

/* An errno by its name ("EPERM"), as containers-common writes it. */
static int errno_name(struct jctx *j, const char *path, json_t *v, int *err)
{
        if (want_type(j, path, v, JSON_STRING, "a string") < 0)
                return -EINVAL;
        for (int n = 1; n < 4096; n++) {
                const char *name = strerrorname_np(n);
                if (name && strcmp(name, json_string_value(v)) == 0) {
                        *err = n;
                        return 0;
                }
        }
        return bad(j, path, "\"%.64s\" is not an errno name (EPERM, ENOSYS, ...)",
                   json_string_value(v));
}

/* The errno of an object: its number (num_key), its name (name_key), or both, which must
 * agree (which of two would win differs between runtimes); *err stays as it is for none. */
static int errno_of(struct jctx *j, const char *base, json_t *obj, const char *num_key,
                    const char *name_key, int *err)
{
        json_t *num = opt(obj, num_key), *name = opt(obj, name_key);
        int by_num = *err, by_name = *err, r;
        char p[192];

        ward_json_path(p, sizeof(p), "%s%s%s", base, base[0] ? "." : "", num_key);
        if (num && (r = errno_ret(j, p, num, &by_num)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s%s%s", base, base[0] ? "." : "", name_key);
        if (name && (r = errno_name(j, p, name, &by_name)) < 0)
                return r;
        if (num && name && by_num != by_name)
                return bad(j, p, "%s is %d, but %s says %d: give one, or make them agree",
                           json_string_value(name), by_name, num_key, by_num);
        *err = name ? by_name : by_num;
        return 0;
}

static int parse_action(struct jctx *j, const char *path, json_t *v, int err, uint32_t *out)
{
        static const struct {
                const char *name;
                uint32_t action;
        } table[] = {{"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
                     {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD},
                     {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
                     {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
                     {"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
                     {"SCMP_ACT_LOG", SCMP_ACT_LOG}};
        const char *s;

        if (want_type(j, path, v, JSON_STRING, "a string") < 0)
                return -EINVAL;
        s = json_string_value(v);
        if (strcmp(s, "SCMP_ACT_ERRNO") == 0) {
                *out = SCMP_ACT_ERRNO((uint32_t)err);
                return 0;
        }
        for (size_t i = 0; i < ARRAY_SIZE(table); i++)
                if (strcmp(s, table[i].name) == 0) {
                        *out = table[i].action;
                        return 0;
                }
        if (strcmp(s, "SCMP_ACT_NOTIFY") == 0 || strcmp(s, "SCMP_ACT_TRACE") == 0)
                return bad(j, path, "%s is not supported (ward runs no seccomp %s)", s,
                           s[9] == 'N' ? "listener" : "tracer");
        return bad(j, path, "unknown action \"%.64s\"", s);
}

/* ------------------------------------------------------------------------------------- */
/* Top level                                                                             */

/* This host's architecture, by the names profiles give it. */
static bool native_arch(const char *s)
{
        return strcmp(s, "SCMP_ARCH_X86_64") == 0 || strcmp(s, "SCMP_ARCH_NATIVE") == 0;
}

/* libseccomp's name for the SCMP_ARCH_ suffix: "X86" is "x86". */
static bool known_arch(const char *suffix)
{
        char lower[32];
        size_t n = 0;

        for (; suffix[n] && n < sizeof(lower) - 1; n++)
                lower[n] = (char)tolower((unsigned char)suffix[n]);
        lower[n] = '\0';
        return !suffix[n] && seccomp_arch_resolve_name(lower) != 0;
}

/* Any architecture libseccomp knows: profiles written for every host list them all (the
 * others' calls never reach this kernel's filter, so naming them changes nothing here). */
static int check_arch_name(struct jctx *j, const char *path, json_t *v)
{
        const char *s;

        if (want_type(j, path, v, JSON_STRING, "a string") < 0)
                return -EINVAL;
        s = json_string_value(v);
        if (strncmp(s, "SCMP_ARCH_", 10) != 0 || (!native_arch(s) && !known_arch(s + 10)))
                return bad(j, path,
                           "architecture \"%.64s\" is unknown to libseccomp "
                           "(SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_AARCH64, ...)",
                           s);
        return 0;
}

static int parse_arch_list(struct jctx *j, const char *path, json_t *arr)
{
        struct ward_json_elem el;
        int r;

        if ((r = want_type(j, path, arr, JSON_ARRAY, "an array")) < 0)
                return r;
        ward_json_foreach(arr, path, &el)
        {
                if ((r = check_arch_name(j, el.path, el.v)) < 0)
                        return r;
        }
        return 0;
}

/* What this host's 64-bit kernel also runs: a profile that says otherwise is not for it. */
static int native_subs(struct jctx *j, const char *path, json_t *subs)
{
        struct ward_json_elem el;

        ward_json_foreach(subs, path, &el)
        {
                const char *s = json_string_value(el.v);
                if (strcmp(s, "SCMP_ARCH_X86") != 0 && strcmp(s, "SCMP_ARCH_X32") != 0)
                        return bad(j, el.path,
                                   "architecture \"%.64s\" is no sub-architecture of x86_64 "
                                   "(SCMP_ARCH_X86, SCMP_ARCH_X32)",
                                   s);
        }
        return 0;
}

/* Only the x86_64 entry applies here; the others are checked for shape and ignored. */
static int parse_arch_entry(struct jctx *j, const char *path, json_t *ent)
{
        static const char *const keys[] = {"architecture", "subArchitectures", NULL};
        json_t *arch = json_object_get(ent, "architecture");
        json_t *subs = opt(ent, "subArchitectures");
        char p[128];
        int r;

        if ((r = want_type(j, path, ent, JSON_OBJECT, "an object")) < 0 ||
            (r = only_keys(j, path, ent, keys)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.architecture", path);
        if (!arch)
                return bad(j, p, "missing");
        if ((r = want_type(j, p, arch, JSON_STRING, "a string")) < 0)
                return r;
        if (!identifier(json_string_value(arch), true))
                return bad(j, p, "not an architecture name");
        ward_json_path(p, sizeof(p), "%s.subArchitectures", path);
        if ((r = subs ? parse_arch_list(j, p, subs) : 0) < 0 || !subs ||
            !native_arch(json_string_value(arch)))
                return r;
        return native_subs(j, p, subs);
}

static int parse_arch_map(struct jctx *j, json_t *arr)
{
        struct ward_json_elem el;
        int r;

        if ((r = want_type(j, "archMap", arr, JSON_ARRAY, "an array")) < 0)
                return r;
        ward_json_foreach(arr, "archMap", &el)
        {
                if ((r = parse_arch_entry(j, el.path, el.v)) < 0)
                        return r;
        }
        return 0;
}

static int must_be_empty(struct jctx *j, json_t *root, const char *key)
{
        json_t *v = json_object_get(root, key);

        if (!v || json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0) ||
            (json_is_string(v) && json_string_length(v) == 0) ||
            (json_is_object(v) && json_object_size(v) == 0))
                return 0;
        return bad(j, key, "not supported (ward has no seccomp %s)",
                   strcmp(key, "flags") == 0 ? "filter flags" : "listener");
}

static int parse_default(struct jctx *j, json_t *root)
{
        json_t *act = opt(root, "defaultAction");
        int err = EPERM, r;

        if (!act)
                return bad(j, "defaultAction", "missing");
        if ((r = errno_of(j, "", root, "defaultErrnoRet", "defaultErrno", &err)) < 0)
                return r;
        return parse_action(j, "defaultAction", act, err, &j->default_action);
}

static int parse_architectures(struct jctx *j, json_t *root)
{
        json_t *arr = opt(root, "architectures"), *v;
        size_t i;
        int r;

        if (!arr)
                return 0;
        if ((r = parse_arch_list(j, "architectures", arr)) < 0)
                return r;
        json_array_foreach(arr, i, v)
        {
                if (native_arch(json_string_value(v)))
                        return 0;
        }
        if (json_array_size(arr) == 0)
                return 0;
        return bad(j, "architectures",
                   "SCMP_ARCH_X86_64 is not listed: the filter would not "
                   "cover this host's architecture");
}

/* ------------------------------------------------------------------------------------- */
/* includes / excludes                                                                   */

static int kernel_at_least(struct jctx *j, const char *path, json_t *v, bool *ok)
{
        unsigned want_major, want_minor, major = 0, minor = 0;
        struct utsname u;
        int n = -1;

        if (want_type(j, path, v, JSON_STRING, "a string") < 0)
                return -EINVAL;
        if (sscanf(json_string_value(v), "%u.%u%n", &want_major, &want_minor, &n) != 2 ||
            (size_t)n != json_string_length(v))
                return bad(j, path, "\"%.32s\" is not a kernel version (MAJOR.MINOR)",
                           json_string_value(v));
        if (uname(&u) == 0)
                sscanf(u.release, "%u.%u", &major, &minor);
        *ok = major > want_major || (major == want_major && minor >= want_minor);
        return 0;
}

/* Per list: *all: every capability is kept; *any: at least one is. */
static int caps_kept(struct jctx *j, const char *path, json_t *arr, bool *all, bool *any)
{
        struct ward_json_elem el;
        const char *s;
        int cap;

        if (want_type(j, path, arr, JSON_ARRAY, "an array") < 0)
                return -EINVAL;
        *all = true;
        *any = false;
        ward_json_foreach(arr, path, &el)
        {
                if (want_type(j, el.path, el.v, JSON_STRING, "a string") < 0)
                        return -EINVAL;
                s = json_string_value(el.v);
                if (strncmp(s, "CAP_", 4) != 0 || !identifier(s, true))
                        return bad(j, el.path, "\"%.64s\" is not a capability name (CAP_...)", s);
                /* A capability this kernel or libcap-ng does not know cannot be kept. */
                bool kept = caps_from_name(s, &cap) == 0 && (j->caps & (1ULL << cap));
                *all = *all && kept;
                *any = *any || kept;
        }
        return 0;
}

/* Whether the list names this architecture; the other names are only checked for shape. */
static int arch_listed(struct jctx *j, const char *path, json_t *arr, bool *listed)
{
        struct ward_json_elem el;
        const char *s;

        if (want_type(j, path, arr, JSON_ARRAY, "an array") < 0)
                return -EINVAL;
        *listed = false;
        ward_json_foreach(arr, path, &el)
        {
                if (want_type(j, el.path, el.v, JSON_STRING, "a string") < 0)
                        return -EINVAL;
                s = json_string_value(el.v);
                if (!identifier(s, false))
                        return bad(j, el.path, "\"%.64s\" is not an architecture name", s);
                *listed = *listed || strcmp(s, "amd64") == 0 || strcmp(s, "x86_64") == 0;
        }
        return 0;
}

/* includes (want=true) or excludes (want=false): *skip when the entry does not apply. */
static int parse_filter(struct jctx *j, const char *path, json_t *obj, bool include, bool *skip)
{
        static const char *const keys[] = {"caps", "arches", "minKernel", NULL};
        json_t *caps = opt(obj, "caps"), *arches = opt(obj, "arches");
        json_t *kernel = opt(obj, "minKernel");
        bool all = true, any = false, listed = include, ok = include;
        char p[160];
        int r;

        if ((r = want_type(j, path, obj, JSON_OBJECT, "an object")) < 0 ||
            (r = only_keys(j, path, obj, keys)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.caps", path);
        if (caps && (r = caps_kept(j, p, caps, &all, &any)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.arches", path);
        if (arches && (r = arch_listed(j, p, arches, &listed)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.minKernel", path);
        if (kernel && (r = kernel_at_least(j, p, kernel, &ok)) < 0)
                return r;
        if (include)
                *skip = *skip || !all || !listed || !ok;
        else
                *skip = *skip || any || (arches && listed) || (kernel && ok);
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* syscalls[]                                                                            */

static int parse_op(struct jctx *j, const char *path, json_t *v, enum scmp_compare *op)
{
        static const struct {
                const char *name;
                enum scmp_compare op;
        } ops[] = {{"SCMP_CMP_NE", SCMP_CMP_NE},
                   {"SCMP_CMP_LT", SCMP_CMP_LT},
                   {"SCMP_CMP_LE", SCMP_CMP_LE},
                   {"SCMP_CMP_EQ", SCMP_CMP_EQ},
                   {"SCMP_CMP_GE", SCMP_CMP_GE},
                   {"SCMP_CMP_GT", SCMP_CMP_GT},
                   {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ}};

        if (want_type(j, path, v, JSON_STRING, "a string") < 0)
                return -EINVAL;
        for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
                if (strcmp(json_string_value(v), ops[i].name) == 0) {
                        *op = ops[i].op;
                        return 0;
                }
        return bad(j, path, "unknown operator \"%.64s\"", json_string_value(v));
}

static int arg_number(struct jctx *j, const char *path, json_t *obj, const char *key, bool required,
                      uint64_t max, uint64_t *out)
{
        json_t *v = required ? json_object_get(obj, key) : opt(obj, key);
        char p[192];

        ward_json_path(p, sizeof(p), "%s.%s", path, key);
        *out = 0;
        if (!v)
                return required ? bad(j, p, "missing") : 0;
        if (want_type(j, p, v, JSON_INTEGER, "an integer") < 0)
                return -EINVAL;
        if (json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
                return bad(j, p, "%lld is out of range", (long long)json_integer_value(v));
        *out = (uint64_t)json_integer_value(v);
        return 0;
}

static int parse_arg(struct jctx *j, const char *path, json_t *obj, struct scmp_arg_cmp *cmp)
{
        static const char *const keys[] = {"index", "value", "valueTwo", "op", NULL};
        json_t *op = json_object_get(obj, "op");
        uint64_t index, a, b;
        char p[192];
        int r;

        if ((r = want_type(j, path, obj, JSON_OBJECT, "an object")) < 0 ||
            (r = only_keys(j, path, obj, keys)) < 0 ||
            (r = arg_number(j, path, obj, "index", true, MAX_ARGS - 1, &index)) < 0 ||
            (r = arg_number(j, path, obj, "value", true, INT64_MAX, &a)) < 0 ||
            (r = arg_number(j, path, obj, "valueTwo", false, INT64_MAX, &b)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.op", path);
        if (!op)
                return bad(j, p, "missing");
        *cmp = (struct scmp_arg_cmp){.arg = (unsigned)index, .datum_a = a, .datum_b = b};
        return parse_op(j, p, op, &cmp->op);
}

static int parse_args(struct jctx *j, const char *path, json_t *arr, struct scmp_arg_cmp *cmps,
                      unsigned *n)
{
        struct ward_json_elem el;
        int r;

        *n = 0;
        if (!arr)
                return 0;
        if ((r = want_type(j, path, arr, JSON_ARRAY, "an array")) < 0)
                return r;
        if (json_array_size(arr) > MAX_ARGS)
                return bad(j, path, "more than %d conditions", MAX_ARGS);
        ward_json_foreach(arr, path, &el)
        {
                if ((r = parse_arg(j, el.path, el.v, &cmps[el.i])) < 0)
                        return r;
        }
        *n = (unsigned)json_array_size(arr);
        return 0;
}

static bool repeated_index(const struct scmp_arg_cmp *cmps, unsigned n)
{
        for (unsigned a = 0; a < n; a++)
                for (unsigned b = a + 1; b < n; b++)
                        if (cmps[a].arg == cmps[b].arg)
                                return true;
        return false;
}

/* A rule with two or more comparisons, sorted by argument: as libseccomp will see it. */
struct cond_rule {
        int nr;
        unsigned n;
        struct scmp_arg_cmp cmps[MAX_ARGS];
};

static bool same_cmp(const struct scmp_arg_cmp *a, const struct scmp_arg_cmp *b)
{
        return a->arg == b->arg && a->op == b->op && a->datum_a == b->datum_a &&
               a->datum_b == b->datum_b;
}

static bool has_range(const struct cond_rule *r)
{
        for (unsigned k = 0; k < r->n; k++)
                if (r->cmps[k].op != SCMP_CMP_EQ && r->cmps[k].op != SCMP_CMP_MASKED_EQ)
                        return true;
        return false;
}

/* libseccomp 2.5 can loop for good when it merges two different rules for one syscall,
 * each with two or more comparisons, a range or "not equal" test among them: while adding
 * the second (e.g. {a1 <= 40, a2 <= 40} then {a1 <= 40, a4 <= 40}) or later, when it frees
 * the filter. fuzz_seccomp_json found both (tests/fuzz/corpus/seccomp_json/loop-*); the
 * exact condition is libseccomp's, so ward refuses the whole class. Docker's and podman's
 * default profiles never have two such rules for one syscall. */
static bool rules_loop(const struct cond_rule *a, const struct cond_rule *b)
{
        bool same = a->n == b->n;

        if (a->nr != b->nr || (!has_range(a) && !has_range(b)))
                return false;
        for (unsigned k = 0; same && k < a->n; k++)
                same = same_cmp(&a->cmps[k], &b->cmps[k]);
        return !same;
}

/* Remember a rule of two or more comparisons; refuse it if it would hang libseccomp. */
static int check_rule_merge(struct jctx *j, const char *path, const char *name, int nr,
                            const struct scmp_arg_cmp *cmps, unsigned n)
{
        struct cond_rule rule = {.nr = nr, .n = n}, *grown;

        if (n < 2)
                return 0;
        memcpy(rule.cmps, cmps, n * sizeof(*cmps));
        for (unsigned a = 1; a < n; a++) /* insertion sort by argument index */
                for (unsigned b = a; b > 0 && rule.cmps[b - 1].arg > rule.cmps[b].arg; b--) {
                        struct scmp_arg_cmp t = rule.cmps[b];
                        rule.cmps[b] = rule.cmps[b - 1];
                        rule.cmps[b - 1] = t;
                }
        for (size_t i = 0; i < j->n_seen; i++)
                if (rules_loop(&j->seen[i], &rule))
                        return bad(j, path,
                                   "this rule for %s and an earlier one both compare two or "
                                   "more arguments, with a range or \"not equal\" test: "
                                   "libseccomp 2.5 may never return from merging them",
                                   name),
                               ward_error_hint(j->e, "merge the two rules into one, or "
                                                     "split them into rules of one comparison "
                                                     "each"),
                               -EINVAL;
        if (!(grown = ward_grow(j->seen, j->n_seen, sizeof(*grown))))
                return ward_error_set(j->e, ENOMEM, "out of memory");
        j->seen = grown;
        j->seen[j->n_seen++] = rule;
        return 0;
}

/* Whether a call with this action does not run: errno, kill and trap (allow and log run). */
static bool refuses(uint32_t action)
{
        return action != SCMP_ACT_ALLOW && action != SCMP_ACT_LOG;
}

/* A name libseccomp knows for no architecture at all (__NR_SCMP_ERROR): a typo, or a
 * syscall newer than this libseccomp. In a rule that lets it run, or a refusal the default
 * action makes anyway, it is skipped and remembered for explain (published profiles list
 * newer calls); a refusal that only this rule would make cannot be kept, so it is an error. */
static int unknown_name(struct jctx *j, const char *path, const char *name, uint32_t action)
{
        const struct scmp_version *v = seccomp_version();
        char closest[64];

        if (action == j->default_action || !refuses(action) || refuses(j->default_action)) {
                size_t used = strlen(j->skipped);
                if (used + strlen(name) + 2 < sizeof(j->skipped))
                        snprintf(j->skipped + used, sizeof(j->skipped) - used, "%s%s",
                                 used ? " " : "", name);
                return 0;
        }
        scmp_closest_syscall(name, NULL, closest, sizeof(closest));
        bad(j, path,
            "\"%.64s\" is no syscall libseccomp %u.%u.%u knows: this rule cannot refuse it, "
            "and the default action would let it run",
            name, v->major, v->minor, v->micro);
        if (closest[0])
                ward_error_hint(j->e,
                                "did you mean \"%s\"? Fix the name, or refuse it through "
                                "defaultAction (an allowlist profile)",
                                closest);
        else
                ward_error_hint(j->e, "fix the name, use a libseccomp that knows it, or refuse it "
                                      "through defaultAction (an allowlist profile)");
        return -EINVAL;
}

static int add_rules(struct jctx *j, const char *path, const char *name, uint32_t action,
                     const struct scmp_arg_cmp *cmps, unsigned n)
{
        int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name);
        bool split = repeated_index(cmps, n);
        int r = 0;

        if (nr == __NR_SCMP_ERROR)
                return unknown_name(j, path, name, action);
        if (nr < 0 || action == j->default_action)
                return 0; /* another architecture's syscall, or a no-op rule: skipped, as runc */
        if (!split && (r = check_rule_merge(j, path, name, nr, cmps, n)) < 0)
                return r;
        if (!split)
                r = seccomp_rule_add_array(j->ctx, action, nr, n, cmps);
        for (unsigned i = 0; split && r >= 0 && i < n; i++)
                r = seccomp_rule_add_array(j->ctx, action, nr, 1, &cmps[i]);
        if (r < 0) {
                ward_error_at(j->e, j->o, j->key, -r, "%.200s: %s%s: cannot add the rule for %s",
                              j->file, j->prefix, path, name);
                return r;
        }
        j->n_rules += split ? n : 1;
        return 0;
}

static int names_of(struct jctx *j, const char *path, json_t *ent, json_t **names)
{
        json_t *one = opt(ent, "name");
        char p[128];

        *names = opt(ent, "names");
        if (!*names && !one)
                return bad(j, path, "neither names nor name");
        if (*names && one)
                return bad(j, path, "both names and name: give one");
        ward_json_path(p, sizeof(p), "%s.%s", path, *names ? "names" : "name");
        if (*names)
                return want_type(j, p, *names, JSON_ARRAY, "an array");
        if (want_type(j, p, one, JSON_STRING, "a string") < 0)
                return -EINVAL;
        *names = NULL;
        return 0;
}

static int add_name(struct jctx *j, const char *path, json_t *v, uint32_t action,
                    const struct scmp_arg_cmp *cmps, unsigned n)
{
        if (want_type(j, path, v, JSON_STRING, "a string") < 0)
                return -EINVAL;
        if (!identifier(json_string_value(v), false))
                return bad(j, path, "\"%.64s\" is not a syscall name", json_string_value(v));
        return add_rules(j, path, json_string_value(v), action, cmps, n);
}

static int add_entry_rules(struct jctx *j, const char *path, json_t *ent, uint32_t action,
                           const struct scmp_arg_cmp *cmps, unsigned n)
{
        struct ward_json_elem el;
        json_t *names;
        char p[128];
        int r;

        if ((r = names_of(j, path, ent, &names)) < 0)
                return r;
        if (!names) {
                ward_json_path(p, sizeof(p), "%s.name", path);
                return add_name(j, p, opt(ent, "name"), action, cmps, n);
        }
        ward_json_path(p, sizeof(p), "%s.names", path);
        ward_json_foreach(names, p, &el)
        {
                if ((r = add_name(j, el.path, el.v, action, cmps, n)) < 0)
                        return r;
        }
        return 0;
}

static int entry_applies(struct jctx *j, const char *path, json_t *ent, bool *skip)
{
        json_t *inc = opt(ent, "includes"), *exc = opt(ent, "excludes");
        json_t *comment = opt(ent, "comment");
        char p[128];
        int r;

        *skip = false;
        ward_json_path(p, sizeof(p), "%s.comment", path);
        if (comment && (r = want_type(j, p, comment, JSON_STRING, "a string")) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.includes", path);
        if (inc && (r = parse_filter(j, p, inc, true, skip)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.excludes", path);
        return exc ? parse_filter(j, p, exc, false, skip) : 0;
}

static int parse_entry(struct jctx *j, const char *path, json_t *ent)
{
        static const char *const keys[] = {"names", "name",     "action",   "errnoRet", "errno",
                                           "args",  "includes", "excludes", "comment",  NULL};
        json_t *act = opt(ent, "action");
        struct scmp_arg_cmp cmps[MAX_ARGS];
        char p[128];
        uint32_t action;
        unsigned n;
        bool skip;
        int err = EPERM, r;

        if ((r = want_type(j, path, ent, JSON_OBJECT, "an object")) < 0 ||
            (r = only_keys(j, path, ent, keys)) < 0 || (r = entry_applies(j, path, ent, &skip)) < 0)
                return r;
        if ((r = errno_of(j, path, ent, "errnoRet", "errno", &err)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.action", path);
        if (!act)
                return bad(j, p, "missing");
        if ((r = parse_action(j, p, act, err, &action)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.args", path);
        if ((r = parse_args(j, p, opt(ent, "args"), cmps, &n)) < 0)
                return r;
        /* A skipped entry is still checked in full: a typo must not wait for a cap-add. */
        return add_entry_rules(j, path, ent, skip ? j->default_action : action, cmps, n);
}

static int parse_syscalls(struct jctx *j, json_t *arr)
{
        struct ward_json_elem el;
        int r;

        if (!arr)
                return 0;
        if ((r = want_type(j, "syscalls", arr, JSON_ARRAY, "an array")) < 0)
                return r;
        r = 0;
        ward_json_foreach(arr, "syscalls", &el)
        {
                if ((r = parse_entry(j, el.path, el.v)) < 0)
                        break;
        }
        free(j->seen); /* only needed while the rules go in */
        j->seen = NULL;
        j->n_seen = 0;
        return r;
}

/* ------------------------------------------------------------------------------------- */
/* Loading and compiling                                                                 */

static int load(struct jctx *j, json_t **root)
{
        /* A filter file is configuration: held to the rule profiles are (trust.h), and
         * nothing but the regular file checked is ever opened for reading. */
        _cleanup_close_ int fd = trust_open_config_file(j->file, "seccomp profile", j->e);
        _cleanup_free_ char *text = NULL;
        json_error_t err;
        size_t len = 0;
        int r;

        if (fd < 0) {
                ward_origin_format(j->o, j->e->where, sizeof(j->e->where));
                snprintf(j->e->key, sizeof(j->e->key), "%s", j->key);
                return fd;
        }
        r = ward_read_fd_bounded(fd, WARD_SECCOMP_JSON_MAX_SIZE, &text, &len);
        if (r == -EFBIG)
                return ward_error_at(j->e, j->o, j->key, EFBIG, "%.400s is larger than %d bytes",
                                     j->file, WARD_SECCOMP_JSON_MAX_SIZE);
        if (r < 0)
                return ward_error_at(j->e, j->o, j->key, -r, "cannot read %.400s", j->file);
        if (!(*root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err))) {
                ward_error_at(j->e, j->o, j->key, 0, "%.300s:%d:%d: %.300s", j->file, err.line,
                              err.column, err.text);
                ward_error_hint(j->e, "the file must be a Docker/OCI seccomp profile in JSON");
                return -EINVAL;
        }
        return 0;
}

static int parse_root(struct jctx *j, json_t *root)
{
        static const char *const keys[] = {
            "defaultAction", "defaultErrnoRet", "defaultErrno", "architectures",    "archMap",
            "syscalls",      "flags",           "listenerPath", "listenerMetadata", NULL};
        json_t *map = opt(root, "archMap");
        int r;

        if ((r = want_type(j, "(top level)", root, JSON_OBJECT, "an object")) < 0 ||
            (r = only_keys(j, "", root, keys)) < 0 || (r = must_be_empty(j, root, "flags")) < 0 ||
            (r = must_be_empty(j, root, "listenerPath")) < 0 ||
            (r = must_be_empty(j, root, "listenerMetadata")) < 0 ||
            (r = parse_default(j, root)) < 0 || (r = parse_architectures(j, root)) < 0 ||
            (map && (r = parse_arch_map(j, map)) < 0))
                return r;
        return 0;
}

/* The same attributes as ward's own filter (seccomp.c compile()): native only, bad-arch
 * kills, no_new_privs left to Process.NoNewPrivileges, a binary tree over the numbers. */
static int new_ctx(struct jctx *j)
{
        int r;

        if (!(j->ctx = seccomp_init(j->default_action)))
                return ward_error_set(j->e, ENOMEM, "seccomp_init()");
        if ((r = seccomp_attr_set(j->ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0 ||
            (r = seccomp_attr_set(j->ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0 ||
            (r = seccomp_attr_set(j->ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0)
                return ward_error_set(j->e, -r, "seccomp_attr_set()");
        return 0;
}

/* Parse and compile a loaded tree; on success the context goes to *out (or is released). */
static int compile_tree(struct jctx *j, json_t *root, void **out, size_t *n_rules)
{
        _cleanup_(scmp_ctx_releasep) scmp_filter_ctx ctx = NULL;
        int r;

        if ((r = parse_root(j, root)) < 0 || (r = new_ctx(j)) < 0)
                goto done;
        r = parse_syscalls(j, opt(root, "syscalls"));
done:
        ctx = j->ctx;
        if (r < 0)
                return r;
        if (n_rules)
                *n_rules = j->n_rules;
        if (out)
                *out = ward_take_ptr(&ctx);
        return 0;
}

int seccomp_json_compile(const char *path, uint64_t caps_keep, const struct ward_origin *o,
                         void **out, size_t *n_rules, struct ward_error *e)
{
        _cleanup_(json_decrefp) json_t *root = NULL;
        struct jctx j = {.file = path, .key = KEY, .prefix = "", .o = o, .e = e, .caps = caps_keep};
        int r;

        if ((r = load(&j, &root)) < 0)
                return r;
        return compile_tree(&j, root, out, n_rules);
}

int seccomp_json_compile_tree(void *tree, const char *file, const char *key,
                              const char *path_prefix, uint64_t caps_keep,
                              const struct ward_origin *o, void **out, size_t *n_rules,
                              struct ward_error *e)
{
        struct jctx j = {
            .file = file, .key = key, .prefix = path_prefix, .o = o, .e = e, .caps = caps_keep};

        return compile_tree(&j, tree, out, n_rules);
}

int seccomp_json_skipped_names(const char *path, uint64_t caps_keep, const struct ward_origin *o,
                               char *buf, size_t len, struct ward_error *e)
{
        _cleanup_(json_decrefp) json_t *root = NULL;
        struct jctx j = {.file = path, .key = KEY, .prefix = "", .o = o, .e = e, .caps = caps_keep};
        int r;

        if ((r = load(&j, &root)) < 0 || (r = compile_tree(&j, root, NULL, NULL)) < 0)
                return r;
        snprintf(buf, len, "%s", j.skipped);
        return 0;
}

int seccomp_json_load(const char *path, const struct ward_origin *o, void **root,
                      struct ward_error *e)
{
        struct jctx j = {.file = path, .key = KEY, .prefix = "", .o = o, .e = e};

        return load(&j, (json_t **)root);
}
