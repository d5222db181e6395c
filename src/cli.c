/* Command-line parsing: `ward run|explain|init|version|help` with docker-run-like flags.
 *
 * Flags are collected first and applied after the profiles are loaded, so a flag overrides
 * the profile wherever it appears on the line. Most flags are turned into a profile
 * Section.Key=value and go through profile_apply(), so each setting has one parser. */
#include "ward/cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "key_values.h"
#include "ward/caps.h"
#include "ward/check.h"
#include "ward/doctor.h"
#include "ward/flags.h"
#include "ward/keys.h"
#include "ward/namespace.h"
#include "ward/oci_bundle.h"
#include "ward/profile.h"
#include "ward/rlimit.h"
#include "ward/util.h"

#define ENV_FILE_MAX_LINE 65536
#define ENV_FILE_MAX_SIZE (1024 * 1024)

enum {
        OPT_PROFILE = 256,
        OPT_TMPFS,
        OPT_CAP_DROP,
        OPT_CAP_ADD,
        OPT_SECURITY_OPT,
        OPT_ULIMIT,
        OPT_GROUP_ADD,
        OPT_ENV_FILE,
        OPT_SHARE,
        OPT_MEMORY_SWAP,
        OPT_BUNDLE,
        /* `ward check` only: its own flags beside ward run's */
        OPT_CHECK_OCI,
        OPT_CHECK_FORMAT,
        OPT_CHECK_FAIL_ON,
        OPT_CHECK_LIST_RULES,
        OPT_HELP,
};

/* The key table's flags (keys.h) get these values: OPT_KEY + row, and OPT_KEY_NO + row
 * for a row's no_flag (--no-init). */
#define OPT_KEY 0x1000
#define OPT_KEY_NO 0x2000

/* ward run's flags that are not one key's value as given (docker's other spellings of
 * keys, and ward's own); `ward check` takes them too, with its own on top. The rest come
 * from the key table. */
// clang-format off
static const struct option fixed_run_options[] = {
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"bundle", required_argument, NULL, OPT_BUNDLE},
    {"tmpfs", required_argument, NULL, OPT_TMPFS},
    {"volume", required_argument, NULL, 'v'},
    {"cap-drop", required_argument, NULL, OPT_CAP_DROP},
    {"cap-add", required_argument, NULL, OPT_CAP_ADD},
    {"security-opt", required_argument, NULL, OPT_SECURITY_OPT},
    {"ulimit", required_argument, NULL, OPT_ULIMIT},
    {"memory-swap", required_argument, NULL, OPT_MEMORY_SWAP},
    {"group-add", required_argument, NULL, OPT_GROUP_ADD},
    {"env", required_argument, NULL, 'e'},
    {"env-file", required_argument, NULL, OPT_ENV_FILE},
    {"share", required_argument, NULL, OPT_SHARE},
    {"tty", no_argument, NULL, 't'},
    {"interactive", no_argument, NULL, 'i'},
    {"help", no_argument, NULL, OPT_HELP},
};

static const struct option fixed_check_options[] = {
    {"oci", required_argument, NULL, OPT_CHECK_OCI},
    {"format", required_argument, NULL, OPT_CHECK_FORMAT},
    {"fail-on", required_argument, NULL, OPT_CHECK_FAIL_ON},
    {"list-rules", no_argument, NULL, OPT_CHECK_LIST_RULES},
};
// clang-format on

#define N_RUN_OPTIONS (ARRAY_SIZE(fixed_run_options) + 2 * WARD_KEYS_MAX)
static struct option run_options[N_RUN_OPTIONS + 1];
static struct option check_options[N_RUN_OPTIONS + ARRAY_SIZE(fixed_check_options) + 1];
/* '+': stop at the first non-option (the command); ':': report a missing argument as ':'.
 * docker run's short flags keep docker's meanings: -h is --hostname and -m --memory (a
 * unit's "ward run -h web" must not print the help and exit 0); the help is --help. */
static char run_short_options[64] = "+:v:e:ti";

static void add_key_flags(struct option *out, size_t *n)
{
        size_t n_rows;
        const struct ward_key *rows = keys_table(&n_rows);

        for (size_t i = 0; i < n_rows; i++) {
                const struct ward_key *k = &rows[i];
                if (!k->flag)
                        continue;
                out[(*n)++] =
                    (struct option){k->flag,
                                    k->flag_arg == WARD_FLAG_REQUIRED   ? required_argument
                                    : k->flag_arg == WARD_FLAG_OPTIONAL ? optional_argument
                                                                        : no_argument,
                                    NULL, OPT_KEY + (int)i};
                if (k->no_flag)
                        out[(*n)++] =
                            (struct option){k->no_flag, no_argument, NULL, OPT_KEY_NO + (int)i};
                if (k->short_flag) {
                        size_t len = strlen(run_short_options);
                        snprintf(run_short_options + len, sizeof(run_short_options) - len, "%c%s",
                                 k->short_flag,
                                 k->flag_arg == WARD_FLAG_REQUIRED   ? ":"
                                 : k->flag_arg == WARD_FLAG_OPTIONAL ? "::"
                                                                     : "");
                }
        }
}

/* The option tables: ward run's own flags, then the key table's; built once. */
static void build_options(void)
{
        static bool built;
        size_t n = 0;

        if (built)
                return;
        built = true;
        for (size_t i = 0; i < ARRAY_SIZE(fixed_run_options); i++)
                run_options[n++] = fixed_run_options[i];
        add_key_flags(run_options, &n);
        memcpy(check_options, run_options, n * sizeof(*run_options));
        for (size_t i = 0; i < ARRAY_SIZE(fixed_check_options); i++)
                check_options[n + i] = fixed_check_options[i];
}

/* A short flag from the key table (-h, -m, -u, -w) as its long flag's value. */
static int short_to_key(int opt)
{
        size_t n_rows;
        const struct ward_key *rows = keys_table(&n_rows);

        for (size_t i = 0; i < n_rows; i++)
                if (rows[i].short_flag && rows[i].short_flag == opt)
                        return OPT_KEY + (int)i;
        return opt;
}

static const struct {
        const char *name;
        enum ward_command command;
} commands[] = {
    {"run", WARD_CMD_RUN},         {"explain", WARD_CMD_EXPLAIN}, {"init", WARD_CMD_INIT},
    {"version", WARD_CMD_VERSION}, {"help", WARD_CMD_HELP},       {"spec", WARD_CMD_SPEC},
    {"check", WARD_CMD_CHECK},     {"hook", WARD_CMD_HOOK},       {"doctor", WARD_CMD_DOCTOR},
};

/* A flag as given, applied once the profiles are loaded. */
struct flag {
        int opt;
        const char *arg;
};

struct flag_list {
        struct flag *flags;
        size_t n;
        size_t n_profiles;
};

/* ------------------------------------------------------------------------------------- */
/* Helpers                                                                               */

static const char *flag_name(int opt)
{
        static char buf[ARRAY_SIZE(check_options)][32];

        build_options();
        /* check's table: ward run's flags and check's own */
        for (size_t i = 0; check_options[i].name; i++)
                if (check_options[i].val == opt) {
                        snprintf(buf[i], sizeof(buf[i]), "--%s", check_options[i].name);
                        return buf[i];
                }
        return "?";
}

static int flag_error(struct ward_error *e, const struct ward_origin *o, int opt, int err,
                      const char *msg, const char *hint)
{
        int r = ward_error_at(e, o, flag_name(opt), err, "%s", msg);

        if (hint)
                ward_error_hint(e, "%s", hint);
        return r;
}

/* Apply a flag through the profile's parser; the error then names the flag. */
static int via_profile(struct ward_config *c, int opt, const char *section, const char *key,
                       const char *value, const struct ward_origin *o, struct ward_error *e)
{
        int r = profile_apply(c, section, key, value, o, e);

        if (r < 0)
                snprintf(e->key, sizeof(e->key), "%s", flag_name(opt));
        return r;
}

static bool has_space(const char *s)
{
        return strpbrk(s, " \t\n") != NULL;
}

/* ------------------------------------------------------------------------------------- */
/* Flags with their own syntax                                                           */

/* --tmpfs PATH[:size=64m,mode=1777,exec] -> Tmpfs=PATH size=64m mode=1777 exec */
static int apply_tmpfs(struct ward_config *c, const char *arg, const struct ward_origin *o,
                       struct ward_error *e)
{
        _cleanup_free_ char *value = strdup(arg);
        char *colon;

        if (!value)
                return ward_error_set(e, ENOMEM, "out of memory");
        if (has_space(arg))
                return flag_error(e, o, OPT_TMPFS, 0, "whitespace in a tmpfs path or option",
                                  "write --tmpfs PATH[:size=64m,mode=1777,exec]");
        if ((colon = strchr(value, ':'))) {
                *colon = ' ';
                for (char *p = colon; *p; p++)
                        if (*p == ',')
                                *p = ' ';
        }
        return via_profile(c, OPT_TMPFS, "Filesystem", "Tmpfs", value, o, e);
}

static int volume_error(struct ward_error *e, const struct ward_origin *o, const char *arg,
                        const char *why)
{
        ward_error_at(e, o, "--volume", 0, "\"%.256s\": %s", arg, why);
        ward_error_hint(e, "write -v /host/path:/sandbox/path[:ro|rw] (read-only unless :rw)");
        return -EINVAL;
}

/* -v SRC:DST[:ro|rw] -> Bind=SRC DST ro|rw */
static int apply_volume(struct ward_config *c, const char *arg, const struct ward_origin *o,
                        struct ward_error *e)
{
        _cleanup_free_ char *copy = strdup(arg), *value = NULL;
        char *src, *dst, *mode, *extra;

        if (!copy)
                return ward_error_set(e, ENOMEM, "out of memory");
        if (has_space(arg))
                return volume_error(e, o, arg, "paths with whitespace are not supported");
        src = copy;
        if (!(dst = strchr(src, ':')))
                return volume_error(e, o, arg, "no target path");
        *dst++ = '\0';
        if ((mode = strchr(dst, ':')))
                *mode++ = '\0';
        if (mode && (extra = strchr(mode, ':')))
                return volume_error(e, o, arg, "too many ':'");
        if (!*src || !*dst)
                return volume_error(e, o, arg, !*src ? "empty source" : "empty target");
        if (src[0] != '/')
                return volume_error(e, o, arg,
                                    "the source is not an absolute host path (named "
                                    "volumes are not supported)");
        if (mode && strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0)
                return volume_error(e, o, arg, "the mode must be ro or rw");
        if (asprintf(&value, "%s %s %s", src, dst, mode ? mode : "ro") < 0) {
                value = NULL;
                return ward_error_set(e, ENOMEM, "out of memory");
        }
        return via_profile(c, 'v', "Filesystem", "Bind", value, o, e);
}

/* --security-opt seccomp=unconfined|default|/abs/path.json: Seccomp.Profile=. */
static int apply_seccomp_opt(struct ward_config *c, const char *value, const struct ward_origin *o,
                             struct ward_error *e)
{
        if (strcmp(value, "unconfined") != 0 && strcmp(value, "default") != 0 && value[0] != '/') {
                ward_error_at(e, o, "--security-opt", 0,
                              "seccomp=%.128s: not unconfined, default, or an absolute path",
                              value);
                ward_error_hint(e,
                                "give a Docker/OCI JSON profile by its absolute path, e.g. "
                                "seccomp=$PWD/%.128s",
                                value);
                return -EINVAL;
        }
        return via_profile(c, OPT_SECURITY_OPT, "Seccomp", "Profile", value, o, e);
}

/* --security-opt no-new-privileges[=true|false] (docker also spells it with ':'). */
static int apply_security_opt(struct ward_config *c, const char *arg, const struct ward_origin *o,
                              struct ward_error *e)
{
        static const char *const known[] = {"no-new-privileges", NULL};
        const size_t len = strlen("no-new-privileges");
        const char *closest;

        if (strncmp(arg, "no-new-privileges", len) == 0 &&
            (arg[len] == '\0' || arg[len] == '=' || arg[len] == ':'))
                return via_profile(c, OPT_SECURITY_OPT, "Process", "NoNewPrivileges",
                                   arg[len] ? arg + len + 1 : "yes", o, e);
        if (strncmp(arg, "seccomp", 7) == 0 && (arg[7] == '=' || arg[7] == ':'))
                return apply_seccomp_opt(c, arg + 8, o, e);
        ward_error_at(e, o, "--security-opt", 0, "unsupported security option \"%.128s\"", arg);
        if (strncmp(arg, "apparmor", 8) == 0 || strncmp(arg, "label", 5) == 0)
                ward_error_hint(e, "this version of ward supports only no-new-privileges and "
                                   "seccomp=");
        else if ((closest = ward_closest(arg, known)))
                ward_error_hint(e, "did you mean %s?", closest);
        else
                ward_error_hint(e, "supported: no-new-privileges[=true|false], "
                                   "seccomp=unconfined|default|/abs/path.json");
        return -EINVAL;
}

static int unknown_ulimit(struct ward_error *e, const struct ward_origin *o, const char *name)
{
        char lower[WARD_RLIMIT_COUNT][32];
        const char *names[WARD_RLIMIT_COUNT + 1] = {NULL}, *closest;
        size_t n = 0;

        for (int res = 0; res < WARD_RLIMIT_COUNT; res++) {
                const char *upper = rlimit_to_name(res);
                size_t i = 0;
                if (!upper)
                        continue;
                for (; upper[i] && i + 1 < sizeof(lower[n]); i++)
                        lower[n][i] = (char)(upper[i] | 0x20); /* docker spells them lowercase */
                lower[n][i] = '\0';
                names[n] = lower[n];
                n++;
        }
        ward_error_at(e, o, "--ulimit", 0, "unknown limit \"%.64s\"", name);
        if ((closest = ward_closest(name, names)))
                ward_error_hint(e, "did you mean %s?", closest);
        else
                ward_error_hint(e, "write --ulimit NAME=SOFT[:HARD], e.g. nofile=1024:4096");
        return -EINVAL;
}

/* --ulimit nofile=1024:4096 -> LimitNOFILE=1024:4096 */
static int apply_ulimit(struct ward_config *c, const char *arg, const struct ward_origin *o,
                        struct ward_error *e)
{
        const char *eq = strchr(arg, '=');
        char name[64], key[64];
        int res;

        if (!eq || eq == arg || !eq[1] || (size_t)(eq - arg) >= sizeof(name))
                return flag_error(e, o, OPT_ULIMIT, 0, "expected NAME=SOFT[:HARD]",
                                  "e.g. --ulimit nofile=1024:4096 or --ulimit core=0");
        snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
        if (rlimit_from_name(name, &res) < 0 || !rlimit_to_name(res))
                return unknown_ulimit(e, o, name);
        snprintf(key, sizeof(key), "Limit%s", rlimit_to_name(res));
        return via_profile(c, OPT_ULIMIT, "Resources", key, eq + 1, o, e);
}

/* --memory-swap is docker's memory plus swap: cgroup_file_value() subtracts --memory. */
static int apply_memory_swap(struct ward_config *c, const char *arg, const struct ward_origin *o,
                             struct ward_error *e)
{
        int r = via_profile(c, OPT_MEMORY_SWAP, "Resources", "MemorySwap",
                            flag_unlimited(arg, NULL, 0), o, e);

        if (r >= 0)
                c->cgroup.swap_is_total = true;
        return r;
}

/* -e K=V sets; -e K copies the caller's value, and is skipped when unset (as docker). */
static int apply_env(struct ward_config *c, const char *arg, const struct ward_origin *o,
                     struct ward_error *e)
{
        if (strchr(arg, '='))
                return via_profile(c, 'e', "Process", "Environment", arg, o, e);
        return via_profile(c, 'e', "Process", "PassEnvironment", arg, o, e);
}

static char *env_file_line(char *line)
{
        size_t len = strlen(line);

        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                line[--len] = '\0';
        while (*line == ' ' || *line == '\t')
                line++;
        return line;
}

/* --env-file FILE: K=V lines (K alone copies the caller's value); # comments, blank lines. */
static int apply_env_file(struct ward_config *c, const char *path, struct ward_error *e)
{
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *buf = NULL;
        struct ward_origin o = {.file = config_intern(c, path), .line = 0};
        size_t cap = 0;
        ssize_t n;
        /* A FIFO or a device (/dev/zero) would block ward or fill its memory. */
        int fd = ward_open_regular(path, ENV_FILE_MAX_SIZE);

        if (!o.file) {
                if (fd >= 0)
                        close(fd);
                return ward_error_set(e, ENOMEM, "out of memory");
        }
        if (fd < 0 || !(f = fdopen(fd, "re"))) {
                int err = fd < 0 ? -fd : errno;
                if (fd >= 0)
                        close(fd);
                return ward_error_at(e, &(struct ward_origin){.file = o.file, .line = 0},
                                     "--env-file", err, "cannot read %.256s%s", path,
                                     err == EINVAL  ? ": not a regular file"
                                     : err == EFBIG ? ": larger than 1 MiB"
                                                    : "");
        }
        while ((n = getline(&buf, &cap, f)) >= 0) {
                char *line = env_file_line(buf);
                int r;
                o.line++;
                if (n > ENV_FILE_MAX_LINE)
                        return ward_error_at(e, &o, "--env-file", E2BIG, "line too long");
                if (!*line || *line == '#')
                        continue;
                if ((r = apply_env(c, line, &o, e)) < 0) {
                        snprintf(e->key, sizeof(e->key), "--env-file");
                        return r;
                }
        }
        if (ferror(f))
                return ward_error_at(e, &o, "--env-file", EIO, "cannot read %.256s", path);
        return 0;
}

static int cap_error(struct ward_error *e, const struct ward_origin *o, const char *name)
{
        const char *names[65] = {NULL}, *closest;
        size_t n = 0;

        for (int cap = 0; cap < 64; cap++)
                if (caps_to_name(cap))
                        names[n++] = caps_to_name(cap);
        closest = ward_closest(strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name, names);
        ward_error_at(e, o, "--cap-drop", 0, "unknown capability \"%.64s\"", name);
        if (closest)
                ward_error_hint(e, "did you mean %s?", closest);
        else
                ward_error_hint(e, "give a name from capabilities(7), e.g. NET_RAW, or ALL");
        return -EINVAL;
}

/* --cap-drop has no profile key: the profile lists what is kept. */
static int apply_cap_drop(struct ward_config *c, const char *arg, const struct ward_origin *o,
                          struct ward_error *e)
{
        _cleanup_free_ char *copy = strdup(arg);
        char *save = NULL;

        if (!copy)
                return ward_error_set(e, ENOMEM, "out of memory");
        for (char *name = strtok_r(copy, ", \t", &save); name;
             name = strtok_r(NULL, ", \t", &save)) {
                int cap;
                if (strcasecmp(name, "ALL") == 0)
                        c->caps_keep = 0;
                else if (caps_from_name(name, &cap) < 0 || cap < 0 || cap > 63)
                        return cap_error(e, o, name);
                else
                        c->caps_keep &= ~(UINT64_C(1) << cap);
        }
        c->caps_origin = *o;
        return 0;
}

/* --share NS[,NS...]: take namespaces out of Unshare=; each name must be one ward knows. */
static int apply_share(struct ward_config *c, const char *arg, const struct ward_origin *o,
                       struct ward_error *e)
{
        unsigned long flag, rest = c->unshare_flags;
        char list[256], names[128], *save = NULL;
        int r;

        snprintf(list, sizeof(list), "%s", arg);
        for (char *name = strtok_r(list, " ,", &save); name; name = strtok_r(NULL, " ,", &save)) {
                if (ns_from_name(name, &flag) < 0) {
                        static const char *const known[] = {"user", "pid", "mount",  "net",
                                                            "uts",  "ipc", "cgroup", NULL};
                        const char *guess = ward_closest(name, known);
                        r = ward_error_at(e, o, "--share", 0, "unknown namespace \"%s\"", name);
                        ward_error_hint(e,
                                        "%s%s%sone or more of: user pid mount net uts ipc "
                                        "cgroup, separated by commas",
                                        guess ? "did you mean \"" : "", guess ? guess : "",
                                        guess ? "\"? " : "");
                        return r;
                }
                rest &= ~flag;
        }
        r = via_profile(c, OPT_SHARE, "Namespaces", "Unshare", "", o, e);
        config_format_unshare(rest, names, sizeof(names));
        if (r >= 0 && rest)
                r = via_profile(c, OPT_SHARE, "Namespaces", "Unshare", names, o, e);
        return r;
}

/* ------------------------------------------------------------------------------------- */
/* Applying the flags                                                                    */

/* A flag of the key table: the row's key, with docker's spelling of the value rewritten. */
static int apply_key_flag(struct ward_config *c, const struct flag *f, const struct ward_origin *o,
                          struct ward_error *e)
{
        size_t n_rows;
        const struct ward_key *rows = keys_table(&n_rows);
        bool no = f->opt >= OPT_KEY_NO;
        const struct ward_key *k = &rows[f->opt - (no ? OPT_KEY_NO : OPT_KEY)];
        const char *value = no ? "no" : f->arg ? f->arg : k->flag_value;
        char buf[PATH_MAX * 2];

        if (!no && f->arg && k->from_flag && !(value = k->from_flag(f->arg, buf, sizeof(buf))))
                return ward_error_at(e, o, flag_name(f->opt), errno, "cannot resolve %.256s",
                                     f->arg);
        return via_profile(c, f->opt, k->section, k->key, value, o, e);
}

static int apply_flag(struct ward_config *c, const struct flag *f, const struct ward_origin *o,
                      struct ward_error *e)
{
        if (f->opt >= OPT_KEY)
                return apply_key_flag(c, f, o, e);
        switch (f->opt) {
        case OPT_TMPFS:
                return apply_tmpfs(c, f->arg, o, e);
        case 'v':
                return apply_volume(c, f->arg, o, e);
        case OPT_SECURITY_OPT:
                return apply_security_opt(c, f->arg, o, e);
        case OPT_ULIMIT:
                return apply_ulimit(c, f->arg, o, e);
        case OPT_MEMORY_SWAP:
                return apply_memory_swap(c, f->arg, o, e);
        case OPT_GROUP_ADD:
                /* podman's spelling of "keep the groups I was started with" */
                if (strcmp(f->arg, "keep-groups") == 0)
                        return via_profile(c, f->opt, "Process", "KeepGroups", "yes", o, e);
                return via_profile(c, f->opt, "Process", "SupplementaryGroups", f->arg, o, e);
        case OPT_SHARE:
                return apply_share(c, f->arg, o, e);
        case 't':
                c->tty = true;
                return 0;
        case 'i':
                c->interactive = true;
                return 0;
        default:
                return 0; /* applied in their own pass */
        }
}

/* Apply every flag of kind opt, in the order given (opt 0: every flag of no special pass). */
static int apply_pass(struct ward_config *c, const struct flag_list *fl, int opt,
                      const struct ward_origin *o, struct ward_error *e)
{
        static const int special[] = {OPT_PROFILE, OPT_ENV_FILE, 'e', OPT_CAP_DROP, OPT_CAP_ADD};

        for (size_t i = 0; i < fl->n; i++) {
                const struct flag *f = &fl->flags[i];
                bool is_special = false;
                int r = 0;
                for (size_t j = 0; j < ARRAY_SIZE(special); j++)
                        is_special |= f->opt == special[j];
                if (opt ? f->opt != opt : is_special)
                        continue;
                if (f->opt == OPT_ENV_FILE)
                        r = apply_env_file(c, f->arg, e);
                else if (f->opt == 'e')
                        r = apply_env(c, f->arg, o, e);
                else if (f->opt == OPT_CAP_DROP)
                        r = apply_cap_drop(c, f->arg, o, e);
                else if (f->opt == OPT_CAP_ADD)
                        r = via_profile(c, f->opt, "Process", "Capabilities", f->arg, o, e);
                else
                        r = apply_flag(c, f, o, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* As docker: --env-file first, then -e; capability drops first, then adds. */
static int apply_flags(struct ward_config *c, const struct flag_list *fl, struct ward_error *e)
{
        const char *file = config_intern(c, "command line");
        struct ward_origin o = {.file = file, .line = 0};
        static const int order[] = {0, OPT_ENV_FILE, 'e', OPT_CAP_DROP, OPT_CAP_ADD};
        int r = 0;

        if (!file)
                return ward_error_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; i < ARRAY_SIZE(order) && r >= 0; i++)
                r = apply_pass(c, fl, order[i], &o, e);
        return r;
}

/* A profile that cannot be found or read is the flag's fault; an error inside one keeps the
 * profile's file, line and key. */
static void blame_profile_flag(struct ward_error *e)
{
        if (!e->where[0])
                snprintf(e->where, sizeof(e->where), "command line");
        if (!e->key[0])
                snprintf(e->key, sizeof(e->key), "--profile");
}

static int load_profiles(struct ward_config *c, const struct flag_list *fl, struct ward_error *e)
{
        for (size_t i = 0; i < fl->n; i++) {
                if (fl->flags[i].opt != OPT_PROFILE)
                        continue;
                int r = profile_load(c, fl->flags[i].arg, e);
                if (r < 0)
                        return blame_profile_flag(e), r;
        }
        if (fl->n_profiles == 0) {
                int r = profile_load(c, "default", e);
                if (r < 0 && !e->key[0]) {
                        blame_profile_flag(e);
                        ward_error_hint(e, "ward loads the \"default\" profile when no --profile "
                                           "is given: install ward's profiles, or pass "
                                           "--profile FILE");
                }
                return r;
        }
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Parsing                                                                               */

static int empty_argument(int opt, struct ward_error *e)
{
        ward_error_set(e, 0, "empty value for %s", flag_name(opt));
        snprintf(e->where, sizeof(e->where), "command line");
        snprintf(e->key, sizeof(e->key), "%s", flag_name(opt));
        ward_error_hint(e, "give a value, e.g. %s VALUE; see ward run --help", flag_name(opt));
        return -EINVAL;
}

static int too_many_flags(struct ward_error *e)
{
        ward_error_set(e, E2BIG, "more flags than arguments (short flags repeated in a cluster?)");
        snprintf(e->where, sizeof(e->where), "command line");
        ward_error_hint(e, "give each flag once, e.g. -ti; see ward run --help");
        return -E2BIG;
}

static const char *command_name(enum ward_command command)
{
        for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
                if (commands[i].command == command)
                        return commands[i].name;
        return "run";
}

/* The flag as the report's first line shows it; "..." once the buffer is full. */
static void check_note_flag(struct ward_check_cli *k, int opt, const char *arg)
{
        size_t used = strlen(k->run_text), len = sizeof(k->run_text);

        if (used + 4 >= len)
                return;
        snprintf(k->run_text + used, len - used, "%s%s%s%s", used ? " " : "", flag_name(opt),
                 arg ? " " : "", arg ? arg : "");
        if (strlen(k->run_text) + 1 >= len)
                snprintf(k->run_text + len - 4, 4, "...");
        for (char *p = k->run_text + used; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        *p = '?';
}

/* ward check's own flags go to cli->check; ward run's are noted and collected. False when
 * the flag is to be collected. */
static bool check_flag(struct ward_cli *cli, int opt, const char *arg)
{
        struct ward_check_cli *k = &cli->check;

        switch (opt) {
        case OPT_CHECK_OCI:
                k->oci = arg;
                return true;
        case OPT_CHECK_FORMAT:
                k->format = arg;
                return true;
        case OPT_CHECK_FAIL_ON:
                k->fail_on = arg;
                return true;
        case OPT_CHECK_LIST_RULES:
                k->list_rules = true;
                return true;
        case OPT_PROFILE:
                k->profile = arg;
                return false;
        default:
                k->run_flags = true;
                check_note_flag(k, opt, arg);
                return false;
        }
}

static int collect_flags(int argc, char **argv, struct ward_cli *cli, struct flag_list *fl,
                         struct ward_error *e)
{
        const char *command = command_name(cli->command);
        const struct option *table;
        int opt;

        build_options();
        table = cli->command == WARD_CMD_CHECK ? check_options : run_options;

        optind = 0; /* GNU: a full reset, so cli_parse can run more than once */
        opterr = 0; /* modules never print: errors go into e */
        while ((opt = flags_next(argc, argv, run_short_options, table, command, e)) > 0) {
                if (opt == OPT_HELP) {
                        cli->help = true;
                        continue;
                }
                opt = short_to_key(opt);
                /* An empty value would read as "reset the list" to the profile parser. */
                if (optarg && !*optarg)
                        return empty_argument(opt, e);
                if (cli->command == WARD_CMD_CHECK && check_flag(cli, opt, optarg))
                        continue;
                /* parse_run() makes room for argc flags, but short flags cluster: "-tititi"
                 * is six in one argument (fuzz_cli wrote past the end here). */
                if (fl->n >= (size_t)argc)
                        return too_many_flags(e);
                fl->flags[fl->n++] = (struct flag){.opt = opt, .arg = optarg};
                fl->n_profiles += opt == OPT_PROFILE;
        }
        if (opt < 0 && strcmp(e->key, "-h") == 0)
                ward_error_hint(
                    e, "-h is --hostname NAME, as in docker run; the help is ward %s --help",
                    command);
        return opt < 0 ? opt : optind;
}

static int copy_command(struct ward_config *c, int argc, char **argv, struct ward_error *e)
{
        char **copy;

        if (argc <= 0)
                return 0;
        if (!(copy = calloc((size_t)argc + 1, sizeof(*copy))))
                return ward_error_set(e, ENOMEM, "out of memory");
        for (int i = 0; i < argc; i++) {
                if (!(copy[i] = strdup(argv[i]))) {
                        while (i--)
                                free(copy[i]);
                        free(copy);
                        return ward_error_set(e, ENOMEM, "out of memory");
                }
        }
        c->argv = copy;
        c->argc = (size_t)argc;
        c->argv_origin = (struct ward_origin){.file = config_intern(c, "command line")};
        return c->argv_origin.file ? 0 : ward_error_set(e, ENOMEM, "out of memory");
}

static int no_command(enum ward_command command, struct ward_error *e)
{
        ward_error_set(e, 0, "no command given");
        snprintf(e->where, sizeof(e->where), "command line");
        ward_error_hint(e,
                        "put the command after the options: ward %s [OPTIONS] -- COMMAND "
                        "[ARG...]",
                        command_name(command));
        return -EINVAL;
}

/* --bundle DIR: config.json says everything; only --profile may add a floor to it. */
static int load_bundle(struct ward_config *c, const struct ward_cli *cli,
                       const struct flag_list *fl, bool has_command, struct ward_error *e)
{
        const char *profiles[fl->n + 1], *dir = NULL;
        size_t n = 0;

        snprintf(e->where, sizeof(e->where), "command line");
        for (size_t i = 0; i < fl->n; i++) {
                const struct flag *f = &fl->flags[i];
                if (f->opt == OPT_PROFILE) {
                        profiles[n++] = f->arg;
                        continue;
                }
                if (f->opt == OPT_BUNDLE && !dir) {
                        dir = f->arg;
                        continue;
                }
                ward_error_set(e, 0, "%s cannot be combined with --bundle", flag_name(f->opt));
                snprintf(e->where, sizeof(e->where), "command line");
                snprintf(e->key, sizeof(e->key), "%s", flag_name(f->opt));
                ward_error_hint(e, "with --bundle, config.json says everything; only --profile "
                                   "may add a hardening floor");
                return -EINVAL;
        }
        if (cli->command == WARD_CMD_SPEC || has_command) {
                ward_error_set(e, 0, "%s",
                               has_command ? "a command cannot follow --bundle"
                                           : "ward spec takes no --bundle");
                snprintf(e->where, sizeof(e->where), "command line");
                snprintf(e->key, sizeof(e->key), "--bundle");
                ward_error_hint(e, "%s",
                                has_command ? "the command is process.args in config.json"
                                            : "ward spec prints a profile as a bundle's "
                                              "config.json");
                return -EINVAL;
        }
        e->where[0] = '\0';
        return oci_bundle_load(c, dir, profiles, n, e);
}

static bool has_flag(const struct flag_list *fl, int opt)
{
        for (size_t i = 0; i < fl->n; i++)
                if (fl->flags[i].opt == opt)
                        return true;
        return false;
}

/* ward check --bundle: the bundle's own facts (--oci) are richer than the config ward
 * makes of them (devices, kernel filesystems, its seccomp filter stacked under ward's). */
static int check_bundle(struct ward_error *e)
{
        ward_error_set(e, 0, "ward check takes no --bundle");
        snprintf(e->where, sizeof(e->where), "command line");
        snprintf(e->key, sizeof(e->key), "--bundle");
        ward_error_hint(e, "judge the bundle's config.json: ward check --oci DIR/config.json");
        return -EINVAL;
}

/* ward check builds a config only for the profile and command-line forms. */
static bool check_wants_config(const struct ward_cli *cli, const struct flag_list *fl,
                               bool has_command)
{
        if (cli->check.oci || cli->check.list_rules)
                return false;
        return fl->n > 0 || has_command;
}

/* `ward run|explain|spec|check [OPTIONS] [--] COMMAND...`; argv[0] is the subcommand. */
static int parse_run(int argc, char **argv, struct ward_cli *cli, struct ward_config *c,
                     struct ward_error *e)
{
        _cleanup_free_ struct flag *flags = calloc((size_t)argc + 1, sizeof(*flags));
        struct flag_list fl = {.flags = flags};
        bool check = cli->command == WARD_CMD_CHECK;
        int first, r;

        if (!flags)
                return ward_error_set(e, ENOMEM, "out of memory");
        if ((first = collect_flags(argc, argv, cli, &fl, e)) < 0)
                return first;
        if (cli->help || (check && !check_wants_config(cli, &fl, first < argc)))
                return 0;
        if (has_flag(&fl, OPT_BUNDLE)) {
                cli->bundle = true;
                return check ? check_bundle(e) : load_bundle(c, cli, &fl, first < argc, e);
        }
        if ((cli->command == WARD_CMD_RUN || cli->command == WARD_CMD_SPEC ||
             (check && cli->check.run_flags)) &&
            first >= argc)
                return no_command(cli->command, e);
        if ((r = copy_command(c, argc - first, argv + first, e)) < 0)
                return r;
        if ((r = load_profiles(c, &fl, e)) < 0)
                return r;
        return apply_flags(c, &fl, e);
}

/* `ward init [OPTIONS] -- CMD`: everything goes to init_main() untouched; hook (check.h)
 * likewise parses its own flags. */
static int parse_init(int argc, char **argv, struct ward_cli *cli)
{
        cli->init_argc = argc;
        cli->init_argv = argv;
        for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
                if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
                        cli->help = true;
        return 0;
}

static int find_command(const char *name, enum ward_command *command)
{
        for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
                if (strcmp(commands[i].name, name) == 0) {
                        *command = commands[i].command;
                        return 0;
                }
        return -EINVAL;
}

static int unknown_command(const char *name, struct ward_error *e)
{
        const char *names[ARRAY_SIZE(commands) + 1] = {NULL}, *closest;

        for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
                names[i] = commands[i].name;
        ward_error_set(e, 0, "unknown command \"%.64s\"", name);
        snprintf(e->where, sizeof(e->where), "command line");
        if ((closest = ward_closest(name, names)))
                ward_error_hint(e, "did you mean \"ward %s\"?", closest);
        else
                ward_error_hint(e,
                                "commands: run, explain, spec, check, hook, doctor, init, version, "
                                "help (ward --help)");
        return -EINVAL;
}

static int unknown_global_flag(const char *flag, struct ward_error *e)
{
        bool run_flag = false;

        for (size_t i = 0; run_options[i].name && strncmp(flag, "--", 2) == 0; i++)
                run_flag |= strncmp(flag + 2, run_options[i].name, strcspn(flag + 2, "=")) == 0 &&
                            run_options[i].name[strcspn(flag + 2, "=")] == '\0';
        ward_error_set(e, 0, "unknown flag %.64s", flag);
        snprintf(e->where, sizeof(e->where), "command line");
        snprintf(e->key, sizeof(e->key), "%.64s", flag);
        if (run_flag)
                ward_error_hint(e,
                                "%.64s is a flag of ward run: put it after the command, "
                                "e.g. ward run %.64s ...",
                                flag, flag);
        else
                ward_error_hint(e, "ward accepts --help and --version before the command");
        return -EINVAL;
}

/* `ward help [COMMAND]`: usage of one command, or of ward. */
/* `ward help keys [--format text|tsv]`: the key table. */
static int parse_help_keys(int argc, char **argv, struct ward_cli *cli, struct ward_error *e)
{
        cli->help_keys = "text";
        if (argc == 2)
                return 0;
        if (argc == 4 && strcmp(argv[2], "--format") == 0 &&
            (strcmp(argv[3], "text") == 0 || strcmp(argv[3], "tsv") == 0)) {
                cli->help_keys = argv[3];
                return 0;
        }
        ward_error_set(e, 0, "unexpected argument \"%.64s\" after ward help keys", argv[2]);
        snprintf(e->where, sizeof(e->where), "command line");
        ward_error_hint(e, "write ward help keys [--format text|tsv]");
        return -EINVAL;
}

static int parse_help(int argc, char **argv, struct ward_cli *cli, struct ward_error *e)
{
        if (argc < 2)
                return 0;
        if (strcmp(argv[1], "keys") == 0)
                return parse_help_keys(argc, argv, cli, e);
        if (find_command(argv[1], &cli->command) < 0)
                return unknown_command(argv[1], e);
        cli->help = true;
        return 0;
}

static int dispatch(int argc, char **argv, struct ward_cli *cli, struct ward_config *c,
                    struct ward_error *e)
{
        switch (cli->command) {
        case WARD_CMD_RUN:
        case WARD_CMD_EXPLAIN:
        case WARD_CMD_SPEC:
        case WARD_CMD_CHECK:
                return parse_run(argc, argv, cli, c, e);
        case WARD_CMD_INIT:
        case WARD_CMD_HOOK:
        case WARD_CMD_DOCTOR:
                return parse_init(argc, argv, cli);
        case WARD_CMD_HELP:
                return parse_help(argc, argv, cli, e);
        case WARD_CMD_VERSION:
                for (int i = 1; i < argc; i++) {
                        if (strcmp(argv[i], "-h") != 0 && strcmp(argv[i], "--help") != 0)
                                return ward_error_set(e, 0,
                                                      "ward version takes no "
                                                      "arguments, got \"%s\"",
                                                      argv[i]);
                        cli->help = true;
                }
                break;
        }
        return 0;
}

int cli_parse(int argc, char **argv, struct ward_cli *cli, struct ward_config *c,
              struct ward_error *e)
{
        int i = 1;

        memset(cli, 0, sizeof(*cli));
        cli->command = WARD_CMD_HELP;
        for (; i < argc && argv[i][0] == '-'; i++) {
                if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
                        cli->help = true;
                else if (strcmp(argv[i], "-V") == 0 || strcmp(argv[i], "--version") == 0) {
                        cli->command = WARD_CMD_VERSION;
                        return 0;
                } else
                        return unknown_global_flag(argv[i], e);
        }
        if (i >= argc)
                return 0;
        if (find_command(argv[i], &cli->command) < 0)
                return unknown_command(argv[i], e);
        /* `ward --help run` is `ward run --help`. */
        if (cli->help)
                return 0;
        return dispatch(argc - i, argv + i, cli, c, e);
}

/* ------------------------------------------------------------------------------------- */
/* Usage                                                                                 */

static const char usage_top[] =
    "Usage: ward [--help | --version] COMMAND [ARG...]\n"
    "\n"
    "ward runs one program in a hardened sandbox built from Linux namespaces, a read-only\n"
    "root, dropped capabilities, no_new_privs and resource limits, as a profile says.\n"
    "\n"
    "Commands:\n"
    "  run       run a command in a sandbox (ward run --help)\n"
    "  explain   print the resolved settings and the steps run would take; creates nothing\n"
    "  spec      print a profile as an OCI config.json, for crun or runc (ward spec --help)\n"
    "  init      be PID 1 for a command: reap zombies, forward signals (like tini)\n"
    "  check     score a profile, a run command line or an OCI config.json against\n"
    "            ward's hardening rules (ward check --help)\n"
    "  hook      an OCI runtime hook refusing containers beyond a policy profile\n"
    "  doctor    check what ward can use on this host, and the fixes (ward doctor --help)\n"
    "  version   print the version\n"
    "  help      print this text, or a command's: ward help run\n"
    "\n"
    "Options:\n"
    "  -h, --help       print this text\n"
    "  -V, --version    print the version\n"
    "\n"
    "Examples:\n"
    "  ward run --rootfs /srv/images/alpine -- /bin/sh -c 'id; hostname'\n"
    "  ward explain --profile strict --rootfs /srv/web -- nginx -g 'daemon off;'\n"
    "  ward init -- /usr/sbin/nginx -g 'daemon off;'\n"
    "  ward run --profile entrypoint -- /app/server   (as an image's ENTRYPOINT)\n"
    "\n"
    "Exit status: the command's, 128+N if it died of signal N; 125 when ward itself\n"
    "failed, 126 when the command cannot be invoked, 127 when it was not found.\n"
    "Profiles: ward.profile(5). Manual: ward(1).\n";

/* The flags of run and explain, shared. */
static const char usage_flags[] =
    "Profile:\n"
    "  --profile NAME|FILE      load a profile (repeatable, applied in order); without it\n"
    "                           \"default\" is loaded. NAME is looked up as NAME.profile\n"
    "                           in /etc/ward/profiles, the profiles built into ward and\n"
    "                           the installed ones (rootless: ~/.config/ward/profiles\n"
    "                           first), never in ./; a FILE has a '/' (./web.profile).\n"
    "                           A file must belong to root or you and be writable by\n"
    "                           nobody else. Flags override the profiles.\n"
    "  --bundle DIR             run (or explain) the OCI bundle DIR: DIR/config.json and its\n"
    "                           root filesystem. No other flag and no command then; a\n"
    "                           field ward cannot apply is exit 125 naming its JSON path.\n"
    "                           --profile on top is a floor: the stricter setting wins\n"
    "                           (fewer capabilities, read-only, no_new_privs, lower limits,\n"
    "                           both seccomp filters). See BUNDLES in ward(1).\n"
    "\n"
    "Filesystem:\n"
    "  --rootfs DIR             the root filesystem (an unpacked image; / for the host's)\n"
    "  --read-only[=BOOL]       mount the root read-only (the default); --read-only=false\n"
    "                           leaves it writable\n"
    "  --tmpfs PATH[:OPTS]      mount a tmpfs on PATH; OPTS: size=64m,mode=1777,exec\n"
    "                           (noexec, 64M and 1777 for /tmp or 0755 by default),\n"
    "                           optional (skipped if the image has nothing at PATH)\n"
    "  -v, --volume SRC:DST[:ro|rw]\n"
    "                           bind the host's SRC at DST, READ-ONLY unless :rw is given\n"
    "\n"
    "Process:\n"
    "  -u, --user UID[:GID]|NAME  run as this user (a NAME is looked up in the image's\n"
    "                           /etc/passwd); GID defaults to UID\n"
    "  --group-add GID          add a supplementary group (repeatable)\n"
    "  --keep-groups            rootless: accept that the sandbox keeps your supplementary\n"
    "                           groups (refused otherwise: see ward(1))\n"
    "  --cap-drop CAP|ALL       drop a capability (applied before every --cap-add)\n"
    "  --cap-add CAP|ALL        keep a capability; the default keeps none\n"
    "  --security-opt no-new-privileges[=true|false]\n"
    "                           set no_new_privs (on by default)\n"
    "  --security-opt seccomp=unconfined|default|/abs/path.json\n"
    "                           no seccomp filter, ward's allowlist (the default), or a\n"
    "                           Docker/OCI JSON seccomp profile\n"
    "  -e, --env K=V | K        set an environment variable; K alone copies ward's own\n"
    "                           value (skipped when unset); -e wins over --env-file\n"
    "  --env-file FILE          read K=V lines (# comments) from FILE\n"
    "  -w, --workdir DIR        working directory inside the sandbox (absolute)\n"
    "  --ulimit NAME=SOFT[:HARD]  set a resource limit, e.g. nofile=1024:4096, core=0\n"
    "  --oom-score-adj N        the sandbox's OOM score adjustment, -1000..1000 (below\n"
    "                           ward's own needs CAP_SYS_RESOURCE)\n"
    "\n"
    "cgroup v2 limits (need a pure cgroup v2 host; Resources=try in a profile runs without):\n"
    "  -m, --memory SIZE        memory.max, e.g. 256m (the app is OOM-killed above it)\n"
    "  --memory-swap SIZE       memory plus swap, as docker (-1: unlimited swap)\n"
    "  --cpus N                 cpu.max quota in CPUs, e.g. 0.5\n"
    "  --pids-limit N           pids.max: at most N processes (-1: unlimited)\n"
    "  --cgroup-parent PATH     create the sandbox's cgroup below this one (default /ward)\n"
    "\n"
    "Namespaces and network:\n"
    "  --network none|host      none: a private network with only lo (the default);\n"
    "                           host: share the host's network\n"
    "  -h, --hostname NAME      the sandbox's hostname (needs the uts namespace)\n"
    "  --unshare LIST           add namespaces, e.g. --unshare user,pid,net\n"
    "  --share NS               keep one namespace of the host's, e.g. --share ipc\n"
    "\n"
    "Init and terminal:\n"
    "  --init, --no-init        run ward-init as PID 1 (the default), or the command itself\n"
    "  --stop-timeout DURATION  after SIGTERM, wait this long before SIGKILL (10s, 500ms)\n"
    "  -t, --tty                give the command a pseudo-terminal\n"
    "  -i, --interactive        pass ward's stdin to the command\n"
    "  --help                   print this text (-h is --hostname, as in docker run)\n";

static const char usage_run_head[] =
    "Usage: ward run [OPTIONS] [--] COMMAND [ARG...]\n"
    "\n"
    "Run COMMAND in a new sandbox. Everything that bad input can break is checked before\n"
    "anything is created; a protection that cannot be applied is an error (exit 125).\n"
    "What `ward check` with the same options rates high or critical is one warning line\n"
    "on stderr each (not for --bundle); the run goes on.\n"
    "\n";

static const char usage_run_tail[] =
    "\n"
    "Examples:\n"
    "  ward run --rootfs /srv/images/alpine -- /bin/sh -c 'echo hello'\n"
    "  ward run --profile web --rootfs /srv/web -v /srv/data:/data:rw --network host \\\n"
    "      -- nginx -g 'daemon off;'\n"
    "  ward run --rootfs / --cap-drop ALL --cap-add NET_BIND_SERVICE -u 1000 \\\n"
    "      --ulimit nofile=256 --tmpfs /tmp:size=16m -- /usr/bin/python3 app.py\n"
    "  ward run --bundle /srv/bundles/web --profile strict\n";

static const char usage_explain_head[] =
    "Usage: ward explain [OPTIONS] [--] [COMMAND [ARG...]]\n"
    "\n"
    "A dry run: print every resolved setting with the file and line (or flag) it came\n"
    "from, then the ordered steps `ward run` would take, and whether it would refuse.\n"
    "Creates nothing and needs no privileges. Takes the same options as ward run:\n"
    "\n";

static const char usage_explain_tail[] =
    "\n"
    "Examples:\n"
    "  ward explain\n"
    "  ward explain --profile strict --rootfs /srv/web -- nginx\n"
    "  ward explain --rootfs / --network host --cap-add NET_RAW -- ping -c1 ::1\n";

static const char usage_spec_head[] =
    "Usage: ward spec [OPTIONS] [--] COMMAND [ARG...]\n"
    "\n"
    "Print the OCI runtime config.json (spec 1.0.2) that gives COMMAND the protections\n"
    "`ward run` with the same options would: namespaces and id mappings, a read-only root,\n"
    "tmpfs and bind mounts, capabilities, no_new_privs, rlimits, ward's seccomp allowlist\n"
    "as OCI seccomp JSON, masked and read-only paths, cgroup limits. crun and runc run it.\n"
    "A setting the spec cannot express (Landlock) is exit 125, never left out. Takes the\n"
    "same options as ward run:\n"
    "\n";

static const char usage_spec_tail[] =
    "\n"
    "Example:\n"
    "  mkdir bundle && ward spec --profile strict --rootfs /srv/rootfs -- /bin/sh -c id \\\n"
    "      >bundle/config.json && crun run --bundle bundle demo\n";

static const char usage_init[] =
    "Usage: ward init [OPTIONS] -- COMMAND [ARG...]\n"
    "\n"
    "Run COMMAND as the child of a minimal init: forward signals to it, reap every zombie,\n"
    "and exit with its status (128+N if it died of signal N). When not PID 1, ward init\n"
    "makes itself a child subreaper. ward run uses the same init inside the sandbox.\n"
    "\n"
    "Options (the same as ward-init's, see ward-init(8)):\n"
    "  -g            send signals to the command's whole process group\n"
    "  -e CODE       report exit status CODE (0-255) as 0; repeatable\n"
    "  -s            accepted for tini compatibility (a subreaper is always used)\n"
    "  -p SIGNAL     get SIGNAL when our parent dies, and forward it (tini's -p)\n"
    "  -w            warn each time an orphaned zombie is reaped (tini's -w)\n"
    "  -v            say what happens on stderr\n"
    "  -h, --help    print this text\n"
    "\n"
    "Examples:\n"
    "  ward init -- /usr/sbin/nginx -g 'daemon off;'\n"
    "  ward init -g -e 143 -- ./server    (a SIGTERM exit counts as success)\n"
    "  ENTRYPOINT [\"/usr/bin/ward\", \"init\", \"--\"]   (in a Dockerfile)\n";

static const char usage_version[] = "Usage: ward version\n"
                                    "\n"
                                    "Print ward's version.\n";

void cli_print_usage(enum ward_command command, FILE *out)
{
        switch (command) {
        case WARD_CMD_RUN:
                fputs(usage_run_head, out);
                fputs(usage_flags, out);
                fputs(usage_run_tail, out);
                break;
        case WARD_CMD_EXPLAIN:
                fputs(usage_explain_head, out);
                fputs(usage_flags, out);
                fputs(usage_explain_tail, out);
                break;
        case WARD_CMD_SPEC:
                fputs(usage_spec_head, out);
                fputs(usage_flags, out);
                fputs(usage_spec_tail, out);
                break;
        case WARD_CMD_INIT:
                fputs(usage_init, out);
                break;
        case WARD_CMD_VERSION:
                fputs(usage_version, out);
                break;
        case WARD_CMD_CHECK:
                check_print_usage(out, usage_flags);
                break;
        case WARD_CMD_HOOK:
                hook_print_usage(out);
                break;
        case WARD_CMD_DOCTOR:
                doctor_print_usage(out);
                break;
        case WARD_CMD_HELP:
                fputs(usage_top, out);
                break;
        }
}
