/* cgroup v2 limits for the sandbox (see cgroup.h).
 *
 * Detection only reads (statfs and cgroup.controllers): on a host whose cgroup tree is v1 or
 * a hybrid, or whose supervisor owns it, ward must not write anything there. Everything
 * below cgroup_create() runs only when limits were asked for and the check passed. */
#include "ward/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "ward/util.h"

#define WEIGHT_MIN 1
#define WEIGHT_MAX 10000
#define MEMORY_MIN (1ull << 20) /* below 1M not even the init starts: surely a typo */
#define CPU_QUOTA_MIN_US 1000u  /* the kernel's minimum cpu.max quota (1 ms) */
#define CPUS_MAX 4096u
#define RMDIR_TRIES 200 /* x 10 ms: the last processes of the sandbox are being reaped */
#define RMDIR_KILL_AFTER 20
#define SUPERVISOR_NAME "supervisor" /* the monitor's leaf in a delegated unit cgroup */
#define PAYLOAD_NAME "payload"       /* the sandbox's cgroup in a delegated unit cgroup */
#define MOVE_ROUNDS 10               /* processes of the unit that fork while we move them */

enum value_kind { KIND_BYTES, KIND_CPUS, KIND_WEIGHT, KIND_COUNT };

static const struct limit_info {
        const char *key, *file, *controller;
        enum value_kind kind;
        bool zero_ok;
} limits[WARD_CG_COUNT] = {
    [WARD_CG_MEMORY] = {"Memory", "memory.max", "memory", KIND_BYTES, false},
    [WARD_CG_MEMORY_SWAP] = {"MemorySwap", "memory.swap.max", "memory", KIND_BYTES, true},
    [WARD_CG_MEMORY_HIGH] = {"MemoryHigh", "memory.high", "memory", KIND_BYTES, false},
    [WARD_CG_CPUS] = {"CPUs", "cpu.max", "cpu", KIND_CPUS, false},
    [WARD_CG_CPU_WEIGHT] = {"CPUWeight", "cpu.weight", "cpu", KIND_WEIGHT, false},
    [WARD_CG_PIDS] = {"Pids", "pids.max", "pids", KIND_COUNT, false},
    [WARD_CG_IO_WEIGHT] = {"IOWeight", "io.weight", "io", KIND_WEIGHT, false},
};

/* In the order messages list them. */
static const char *const controllers[] = {"cpu", "io", "memory", "pids"};

int cgroup_limit_from_key(const char *key)
{
        for (int i = 0; i < WARD_CG_COUNT; i++)
                if (strcmp(limits[i].key, key) == 0)
                        return i;
        return -EINVAL;
}

const char *cgroup_limit_key(int id)
{
        return id >= 0 && id < WARD_CG_COUNT ? limits[id].key : "?";
}

const char *cgroup_limit_file(int id)
{
        return id >= 0 && id < WARD_CG_COUNT ? limits[id].file : "?";
}

const char *cgroup_limit_controller(int id)
{
        return id >= 0 && id < WARD_CG_COUNT ? limits[id].controller : "?";
}

/* ------------------------------------------------------------------------------------- */
/* Values                                                                                */

/* "0.5", "2", "1.25": at most three decimals, so the quota is an exact number of us. */
static int parse_cpus(const char *s, uint64_t *quota_us, const char **why)
{
        uint64_t whole = 0, frac = 0, scale = 1000;
        const char *p = s;

        *why = "expected a number of CPUs such as 0.5, 2 or 1.25, or max";
        if (!*p || *p == '.')
                return -EINVAL;
        for (; *p >= '0' && *p <= '9'; p++)
                if ((whole = whole * 10 + (uint64_t)(*p - '0')) > CPUS_MAX)
                        return *why = "more than 4096 CPUs", -ERANGE;
        if (*p == '.') {
                if (!p[1])
                        return -EINVAL;
                for (p++; *p >= '0' && *p <= '9' && scale > 1; p++) {
                        scale /= 10;
                        frac += (uint64_t)(*p - '0') * scale;
                }
        }
        if (*p)
                return *p >= '0' && *p <= '9' ? (*why = "at most three decimals", -EINVAL)
                                              : -EINVAL;
        *quota_us = whole * WARD_CPU_PERIOD_US + frac * (WARD_CPU_PERIOD_US / 1000);
        if (*quota_us < CPU_QUOTA_MIN_US)
                return *why = "at least 0.01 CPUs (the kernel's smallest quota is 1 ms)", -ERANGE;
        return 0;
}

static int parse_weight(const char *s, uint64_t *out, const char **why)
{
        uint64_t v;

        *why = "expected a weight from 1 to 10000 (100 is the default)";
        if (ward_parse_u64(s, &v) < 0)
                return -EINVAL;
        if (v < WEIGHT_MIN || v > WEIGHT_MAX)
                return -ERANGE;
        *out = v;
        return 0;
}

static int parse_bytes(const struct limit_info *l, const char *s, uint64_t *out, const char **why)
{
        uint64_t v;

        *why = "expected a size such as 64M, 512K or 2G, or max";
        if (ward_parse_size(s, &v) < 0)
                return -EINVAL;
        if (!l->zero_ok && v < MEMORY_MIN)
                return *why = "at least 1M (nothing starts with less)", -ERANGE;
        if (v == WARD_CGROUP_MAX)
                return -ERANGE;
        *out = v;
        return 0;
}

int cgroup_parse_limit(int id, const char *s, uint64_t *out, const char **why)
{
        const struct limit_info *l;
        uint64_t v;

        *why = "unknown limit";
        if (id < 0 || id >= WARD_CG_COUNT || !s)
                return -EINVAL;
        l = &limits[id];
        if (strcmp(s, "max") == 0 && l->kind != KIND_WEIGHT) {
                *out = WARD_CGROUP_MAX;
                return 0;
        }
        switch (l->kind) {
        case KIND_BYTES:
                return parse_bytes(l, s, out, why);
        case KIND_CPUS:
                return parse_cpus(s, out, why);
        case KIND_WEIGHT:
                return parse_weight(s, out, why);
        case KIND_COUNT:
                *why = "expected a number of processes (at least 1), or max";
                if (ward_parse_u64(s, &v) < 0 || v == 0 || v == WARD_CGROUP_MAX)
                        return -EINVAL;
                *out = v;
                return 0;
        }
        return -EINVAL;
}

void cgroup_format_file(int id, uint64_t v, char *buf, size_t len)
{
        if (id == WARD_CG_CPUS && v == WARD_CGROUP_MAX)
                snprintf(buf, len, "max %u", WARD_CPU_PERIOD_US);
        else if (id == WARD_CG_CPUS)
                snprintf(buf, len, "%" PRIu64 " %u", v, WARD_CPU_PERIOD_US);
        else if (v == WARD_CGROUP_MAX)
                snprintf(buf, len, "max");
        else
                snprintf(buf, len, "%" PRIu64, v);
}

static void format_bytes(uint64_t v, char *buf, size_t len)
{
        static const char units[] = "KMGT";
        int unit = -1;

        while (unit < 3 && v && v % 1024 == 0) {
                v /= 1024;
                unit++;
        }
        if (unit < 0)
                snprintf(buf, len, "%" PRIu64, v);
        else
                snprintf(buf, len, "%" PRIu64 "%c", v, units[unit]);
}

void cgroup_format_human(int id, uint64_t v, char *buf, size_t len)
{
        if (v == WARD_CGROUP_MAX) {
                snprintf(buf, len, "max");
        } else if (id >= 0 && id < WARD_CG_COUNT && limits[id].kind == KIND_BYTES) {
                format_bytes(v, buf, len);
        } else if (id == WARD_CG_CPUS) {
                uint64_t milli = v / (WARD_CPU_PERIOD_US / 1000);
                int n = snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, milli / 1000, milli % 1000);
                /* "0.500" -> "0.5", "2.000" -> "2" */
                while (n > 0 && (size_t)n < len && buf[n - 1] == '0')
                        buf[--n] = '\0';
                if (n > 0 && (size_t)n < len && buf[n - 1] == '.')
                        buf[--n] = '\0';
        } else {
                snprintf(buf, len, "%" PRIu64, v);
        }
}

/* ------------------------------------------------------------------------------------- */
/* What is wanted, and is it there                                                       */

bool cgroup_wanted(const struct ward_config *c)
{
        for (int i = 0; i < WARD_CG_COUNT; i++)
                if (c->cgroup.limits[i].set)
                        return true;
        return false;
}

static bool controller_needed(const struct ward_config *c, const char *name)
{
        for (int i = 0; i < WARD_CG_COUNT; i++)
                if (c->cgroup.limits[i].set && strcmp(limits[i].controller, name) == 0)
                        return true;
        return false;
}

void cgroup_needed_controllers(const struct ward_config *c, char *buf, size_t len)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < ARRAY_SIZE(controllers) && used < len; i++)
                if (controller_needed(c, controllers[i])) {
                        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                                         controllers[i]);
                        used += n > 0 ? (size_t)n : 0;
                }
}

static const char *parent_of(const struct ward_config *c, const struct ward_plan *p)
{
        if (c->cgroup.parent)
                return c->cgroup.parent;
        return p->cgroup.delegated ? p->cgroup.delegated : WARD_CGROUP_DEFAULT_PARENT;
}

/* ------------------------------------------------------------------------------------- */
/* A systemd unit with Delegate=yes                                                      */

/* Our own cgroup v2 path ("/system.slice/web.service"), from the "0::" line. */
static int own_cgroup(char *buf, size_t len)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
        _cleanup_free_ char *line = NULL;
        size_t cap = 0;
        ssize_t n;

        if (!f)
                return -errno;
        while ((n = getline(&line, &cap, f)) > 0) {
                line[strcspn(line, "\n")] = '\0';
                if (strncmp(line, "0::/", 4) != 0)
                        continue;
                if ((size_t)snprintf(buf, len, "%s", line + 3) >= len)
                        return -ENAMETOOLONG;
                return 0;
        }
        return -ENOENT;
}

/* A systemd --user manager before v253 marks nothing an unprivileged user can read (it
 * cannot set trusted.*). There, the process of a unit (systemd gives services
 * $INVOCATION_ID) whose cgroup and its delegatable files belong to us is taken as
 * delegated: the user's whole manager subtree is delegated to the user anyway, and
 * Delegate=yes on the unit keeps the manager out of it. */
static bool owned_unit_cgroup(const char *full)
{
        static const char *const files[] = {"", "/cgroup.procs", "/cgroup.subtree_control"};
        char path[4300];
        struct stat st;

        if (geteuid() == 0 || !getenv("INVOCATION_ID"))
                return false;
        for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
                snprintf(path, sizeof(path), "%s%s", full, files[i]);
                if (stat(path, &st) < 0 || st.st_uid != geteuid())
                        return false;
        }
        return true;
}

/* systemd marks the cgroup of a unit with Delegate=yes with the xattr trusted.delegate=1
 * (and user.delegate=1 since v253, readable without privileges): the subtree below is ours.
 * Root can write any cgroup, so only this mark tells a delegated unit from one systemd
 * manages. */
static bool is_delegated(const char *path)
{
        static const char *const names[] = {"trusted.delegate", "user.delegate"};
        char full[4200], value[8];

        snprintf(full, sizeof(full), "%s%s", WARD_CGROUP_ROOT, path);
        if (owned_unit_cgroup(full))
                return true;
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                ssize_t n = getxattr(full, names[i], value, sizeof(value) - 1);
                if (n > 0) {
                        value[n] = '\0';
                        if (strcmp(value, "1") == 0)
                                return true;
                }
        }
        return false;
}

static bool is_cgroup2(void)
{
        struct statfs sf;

        return statfs(WARD_CGROUP_ROOT, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

int cgroup_detect_delegation(const struct ward_config *c, struct ward_plan *p)
{
        char path[4096], *slash;

        /* On a v1 or hybrid tree, nothing is ours to arrange. */
        if (!is_cgroup2())
                return 0;
        if (c->cgroup.parent || p->cgroup.delegated || own_cgroup(path, sizeof(path)) < 0 ||
            strcmp(path, "/") == 0)
                return 0;
        /* A second ward of the same unit finds the monitor leaf an earlier one made. */
        slash = strrchr(path, '/');
        if (strcmp(slash + 1, SUPERVISOR_NAME) == 0 && slash != path) {
                *slash = '\0';
                if (!is_delegated(path))
                        return 0;
        } else if (!is_delegated(path)) {
                return 0;
        }
        if (!(p->cgroup.delegated = strdup(path)))
                return -ENOMEM;
        return 1;
}

/* Whether word is one of the space-separated words of list. */
static bool has_word(const char *list, const char *word)
{
        size_t n = strlen(word);

        for (const char *p = list; (p = strstr(p, word)); p += n)
                if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
                        return true;
        return false;
}

static int read_small_at(int dirfd, const char *path, char *buf, size_t len)
{
        _cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        ssize_t n;

        if (fd < 0)
                return -errno;
        if ((n = read(fd, buf, len - 1)) < 0)
                return -errno;
        buf[n] = '\0';
        return 0;
}

/* The parent's cgroup.controllers, or its nearest existing ancestor's when ward has yet to
 * create it (the parent then gets what that ancestor delegates). */
static int read_available(const struct ward_config *c, const struct ward_plan *p, char *dir,
                          size_t dir_len, char *buf, size_t len)
{
        char *slash;
        int r;

        snprintf(dir, dir_len, "%s%s", WARD_CGROUP_ROOT, parent_of(c, p));
        for (;;) {
                char file[4200];
                snprintf(file, sizeof(file), "%s/cgroup.controllers", dir);
                if ((r = read_small_at(AT_FDCWD, file, buf, len)) != -ENOENT ||
                    strcmp(dir, WARD_CGROUP_ROOT) == 0)
                        return r;
                if (!(slash = strrchr(dir, '/')) || slash == dir)
                        return r;
                *slash = '\0';
        }
}

static void list_missing(const struct ward_config *c, const char *available, char *buf, size_t len)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < ARRAY_SIZE(controllers) && used < len; i++)
                if (controller_needed(c, controllers[i]) &&
                    (!available || !has_word(available, controllers[i]))) {
                        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                                         controllers[i]);
                        used += n > 0 ? (size_t)n : 0;
                }
}

int cgroup_check(const struct ward_config *c, const struct ward_plan *p, char *missing,
                 size_t missing_len, char *why, size_t why_len)
{
        char available[512], dir[4096];
        int r;

        if (!is_cgroup2()) {
                list_missing(c, NULL, missing, missing_len);
                snprintf(why, why_len,
                         "%s is not a cgroup2 mount (this host uses cgroup v1 or a hybrid "
                         "layout)",
                         WARD_CGROUP_ROOT);
                return -ENODEV;
        }
        if ((r = read_available(c, p, dir, sizeof(dir), available, sizeof(available))) < 0) {
                list_missing(c, NULL, missing, missing_len);
                snprintf(why, why_len, "cannot read %s/cgroup.controllers: %s", dir, strerror(-r));
                return r;
        }
        list_missing(c, available, missing, missing_len);
        if (!missing[0])
                return 0;
        available[strcspn(available, "\n")] = '\0';
        snprintf(why, why_len, "%.3000s delegates only \"%.300s\"", dir, available);
        return -ENODEV;
}

/* ------------------------------------------------------------------------------------- */
/* Validation, before any clone                                                          */

static int first_set(const struct ward_config *c)
{
        for (int i = 0; i < WARD_CG_COUNT; i++)
                if (c->cgroup.limits[i].set)
                        return i;
        return 0;
}

/* docker's --memory-swap is memory plus swap; the kernel's memory.swap.max is swap alone. */
/* --memory-swap is docker's memory plus swap: it needs --memory, and no less than it. */
static int check_swap_total(const struct ward_config *c, struct ward_error *e)
{
        const struct ward_cg_limit *swap = &c->cgroup.limits[WARD_CG_MEMORY_SWAP];
        const struct ward_cg_limit *mem = &c->cgroup.limits[WARD_CG_MEMORY];

        if (!c->cgroup.swap_is_total || !swap->set || swap->value == WARD_CGROUP_MAX)
                return 0;
        if (!mem->set || mem->value == WARD_CGROUP_MAX) {
                ward_error_at(e, &swap->origin, "--memory-swap", 0,
                              "--memory-swap (memory plus swap) needs --memory");
                ward_error_hint(e, "add --memory, e.g. --memory 256m --memory-swap 512m");
                return -EINVAL;
        }
        if (swap->value < mem->value) {
                ward_error_at(e, &swap->origin, "--memory-swap", 0,
                              "--memory-swap (memory plus swap) is smaller than --memory");
                ward_error_hint(e, "give --memory-swap at least --memory's value, or -1 for "
                                   "unlimited swap");
                return -EINVAL;
        }
        return 0;
}

uint64_t cgroup_file_value(const struct ward_config *c, int id)
{
        const struct ward_cg_limit *swap = &c->cgroup.limits[WARD_CG_MEMORY_SWAP];
        const struct ward_cg_limit *mem = &c->cgroup.limits[WARD_CG_MEMORY];

        if (id != WARD_CG_MEMORY_SWAP || !c->cgroup.swap_is_total || !swap->set ||
            swap->value == WARD_CGROUP_MAX || !mem->set || mem->value == WARD_CGROUP_MAX ||
            swap->value < mem->value)
                return c->cgroup.limits[id].value;
        return swap->value - mem->value;
}

/* On a v2 tree, a parent gets the controllers its own parent enables in
 * cgroup.subtree_control: name that file and the line its owner writes there. */
static void missing_hint(const struct ward_config *c, const struct ward_plan *p,
                         const char *missing, struct ward_error *e)
{
        char above[4096], enable[64] = "";

        if (!is_cgroup2()) {
                ward_error_hint(e,
                                "run on a pure cgroup v2 host (or delegate the controllers to "
                                "%s%s), remove the limit, or set Resources=try to run without "
                                "limits",
                                WARD_CGROUP_ROOT, parent_of(c, p));
                return;
        }
        snprintf(above, sizeof(above), "%s%s", WARD_CGROUP_ROOT, parent_of(c, p));
        *strrchr(above, '/') = '\0'; /* parent_of() starts with '/' */
        for (size_t i = 0; i < ARRAY_SIZE(controllers); i++)
                if (strstr(missing, controllers[i]))
                        snprintf(enable + strlen(enable), sizeof(enable) - strlen(enable), "%s+%s",
                                 enable[0] ? " " : "", controllers[i]);
        ward_error_hint(e,
                        "the owner of %.1000s enables them for %s: echo \"%s\" > "
                        "%.1000s/cgroup.subtree_control; or remove the limit, or set "
                        "Resources=try to run without limits",
                        above, parent_of(c, p), enable, above);
}

int cgroup_validate(const struct ward_config *c, struct ward_error *e)
{
        return cgroup_wanted(c) ? check_swap_total(c, e) : 0;
}

int cgroup_prepare(const struct ward_config *c, struct ward_plan *p, struct ward_error *e)
{
        const struct ward_cg_limit *l;
        char missing[64], why[400], key[64];
        int r, id;

        if (cgroup_detect_delegation(c, p) < 0)
                return ward_error_set(e, ENOMEM, "out of memory");
        if (!cgroup_wanted(c))
                return 0;
        if ((r = cgroup_check(c, p, missing, sizeof(missing), why, sizeof(why))) == 0)
                return 0;
        if (c->cgroup.try_only) {
                p->cgroup.skipped = true;
                snprintf(p->cgroup.skip_reason, sizeof(p->cgroup.skip_reason),
                         "cgroup v2 controllers %s are not available: %.300s", missing, why);
                return 0;
        }
        id = first_set(c);
        l = &c->cgroup.limits[id];
        snprintf(key, sizeof(key), "Resources.%s", limits[id].key);
        ward_error_at(e, &l->origin, key, r == -ENODEV ? 0 : -r,
                      "cgroup v2 controllers %s are not available: %s", missing, why);
        missing_hint(c, p, missing, e);
        return -EINVAL;
}

/* ------------------------------------------------------------------------------------- */
/* The sandbox's cgroup                                                                  */

#define SEE_ROOTLESS "see ward(1), \"Rootless cgroup limits\""

/* Permission denied on below ("" for path itself, ".." for the directory holding it, or a
 * file in it): rootless, say whose it is. */
static void denied_hint(struct ward_error *e, const char *path, const char *below)
{
        char file[4200], *slash;
        struct stat st;

        if (strcmp(below, "..") != 0)
                snprintf(file, sizeof(file), "%s%s%s", path, below[0] ? "/" : "", below);
        else if (snprintf(file, sizeof(file), "%s", path) > 0 && (slash = strrchr(file, '/')) &&
                 slash != file)
                *slash = '\0';
        if (geteuid() != 0 && stat(file, &st) == 0 && st.st_uid != geteuid())
                ward_error_hint(e,
                                "%.1000s belongs to uid %u, not to you (uid %u): without root, "
                                "cgroup limits need a subtree delegated to you, given with "
                                "--cgroup-parent (" SEE_ROOTLESS ")",
                                file, (unsigned)st.st_uid, (unsigned)geteuid());
        else
                ward_error_hint(e, "cgroup limits need root, or a subtree delegated to the caller "
                                   "given with --cgroup-parent (" SEE_ROOTLESS ")");
}

/* EBUSY, or EOPNOTSUPP once a threaded controller such as pids is enabled: the cgroup holds
 * processes, and then it cannot enable controllers for its children. */
static void busy_hint(struct ward_error *e, const char *path)
{
        char file[4200], procs[64] = "";

        snprintf(file, sizeof(file), "%s/cgroup.procs", path);
        if (read_small_at(AT_FDCWD, file, procs, sizeof(procs)) < 0 || !procs[0])
                return;
        ward_error_hint(e,
                        "%.1000s holds processes (its cgroup.procs), and a cgroup with processes "
                        "cannot enable controllers for its children (the no-internal-process "
                        "rule): move them to a leaf below it (mkdir %.1000s/shell; echo $$ > "
                        "%.1000s/shell/cgroup.procs) and start ward from there, or give "
                        "--cgroup-parent an empty cgroup",
                        path, path, path);
}

/* below: what the failed call needed write access to, for denied_hint(). */
static int create_error(const struct ward_config *c, struct ward_error *e, int err,
                        const char *what, const char *path, const char *below)
{
        ward_error_at(e, &c->cgroup.parent_origin, "Resources.CgroupParent", err,
                      "cannot %s %.3000s", what, path);
        if (err == EACCES || err == EPERM || err == EROFS)
                denied_hint(e, path, below);
        else if (err == EBUSY || err == EOPNOTSUPP)
                busy_hint(e, path);
        return -err;
}

/* Rootless, the kernel puts the sandbox into its cgroup (CLONE_INTO_CGROUP, or a write to
 * cgroup.procs) only if the caller may write cgroup.procs of the nearest common ancestor of
 * its own cgroup and that one. Checked before anything is written, and before clone3, whose
 * bare EACCES would not say why. A parent that is not ours is left to open_parent() to
 * report, with its owner. */
static int check_reachable(const struct ward_config *c, const struct ward_plan *p,
                           struct ward_error *e)
{
        const char *parent = parent_of(c, p);
        char own[4096], file[4200];
        size_t n = 0, i;

        if (geteuid() == 0 || own_cgroup(own, sizeof(own)) < 0)
                return 0;
        snprintf(file, sizeof(file), "%s%s/cgroup.subtree_control", WARD_CGROUP_ROOT, parent);
        if (faccessat(AT_FDCWD, file, W_OK, AT_EACCESS) < 0)
                return 0;
        /* The longest common prefix that ends at a path component ("" is the root). */
        for (i = 0; own[i] && own[i] == parent[i]; i++)
                if (own[i] == '/')
                        n = i;
        if ((own[i] == '\0' || own[i] == '/') && (parent[i] == '\0' || parent[i] == '/'))
                n = i;
        if (strcmp(own, "/") == 0)
                n = 0;
        snprintf(file, sizeof(file), "%s%.*s/cgroup.procs", WARD_CGROUP_ROOT, (int)n, own);
        if (faccessat(AT_FDCWD, file, W_OK, AT_EACCESS) == 0 || (errno != EACCES && errno != EPERM))
                return 0;
        ward_error_at(e, &c->cgroup.parent_origin, "Resources.CgroupParent", errno,
                      "cannot start the sandbox below %s%.1000s: ward runs in the cgroup "
                      "%.1000s, and the kernel moves a process from there only for a caller "
                      "that may write %.1000s (of the common ancestor)",
                      WARD_CGROUP_ROOT, parent, own, file);
        ward_error_hint(e,
                        "start ward from a cgroup inside %s%.1000s, e.g. a leaf that root moves "
                        "your shell into (echo PID > %s%.1000s/shell/cgroup.procs) (" SEE_ROOTLESS
                        ")",
                        WARD_CGROUP_ROOT, parent, WARD_CGROUP_ROOT, parent);
        return -EACCES;
}

/* What cgroup_create() would be refused before its first write, found without writing
 * (for ward doctor): the common-ancestor rule, then write access where it writes first. */
int cgroup_check_access(const struct ward_config *c, const struct ward_plan *p,
                        struct ward_error *e)
{
        char path[4096], file[4200];
        int r;

        if ((r = check_reachable(c, p, e)) < 0)
                return r;
        snprintf(path, sizeof(path), "%s%s", WARD_CGROUP_ROOT, parent_of(c, p));
        snprintf(file, sizeof(file), "%s/cgroup.subtree_control", path);
        if (faccessat(AT_FDCWD, file, W_OK, AT_EACCESS) == 0)
                return 0;
        if (errno != ENOENT)
                return create_error(c, e, errno, "enable the controllers in", path,
                                    "cgroup.subtree_control");
        /* The parent is missing: open_parent() would mkdir it. */
        snprintf(file, sizeof(file), "%s", path);
        *strrchr(file, '/') = '\0';
        if (faccessat(AT_FDCWD, file, W_OK, AT_EACCESS) < 0)
                return create_error(c, e, errno, "create the parent cgroup", path, "..");
        return 0;
}

/* Move every process of the unit's cgroup (ward, and a shell that ran it) to its leaf
 * "supervisor": a cgroup with processes cannot enable controllers for its children (the
 * no-internal-processes rule). Only processes of our own delegated subtree are moved. */
static int move_to_supervisor(int parent_fd, const char *path, struct ward_error *e)
{
        _cleanup_close_ int sup = -1;
        char procs[4096], *p, *next;
        int r;

        if (mkdirat(parent_fd, SUPERVISOR_NAME, 0755) < 0 && errno != EEXIST)
                return ward_error_set(e, errno, "cannot create %s/%s", path, SUPERVISOR_NAME);
        sup = openat(parent_fd, SUPERVISOR_NAME, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (sup < 0)
                return ward_error_set(e, errno, "cannot open %s/%s", path, SUPERVISOR_NAME);
        for (int round = 0; round < MOVE_ROUNDS; round++) {
                if ((r = read_small_at(parent_fd, "cgroup.procs", procs, sizeof(procs))) < 0)
                        return ward_error_set(e, -r, "cannot read %s/cgroup.procs", path);
                if (!procs[0])
                        return 0;
                for (p = procs; *p; p = next) {
                        size_t len = strcspn(p, "\n");
                        next = p + len + (p[len] == '\n');
                        p[len] = '\0';
                        /* ESRCH: it exited meanwhile. */
                        if ((r = ward_write_file_at(sup, "cgroup.procs", p)) < 0 && r != -ESRCH)
                                return ward_error_set(e, -r, "cannot move pid %s to %s/%s", p, path,
                                                      SUPERVISOR_NAME);
                }
        }
        return ward_error_set(e, EBUSY, "processes keep appearing in %s", path);
}

/* The parent (created if missing) with the controllers the limits need delegated. */
static int open_parent(const struct ward_config *c, const struct ward_plan *p,
                       struct ward_cgroup *cg, struct ward_error *e)
{
        char enable[64] = "", path[4096];
        int r;

        snprintf(path, sizeof(path), "%s%s", WARD_CGROUP_ROOT, parent_of(c, p));
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return create_error(c, e, errno, "create the parent cgroup", path, "..");
        cg->parent_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cg->parent_fd < 0)
                return create_error(c, e, errno, "open the parent cgroup", path, "");
        if (p->cgroup.delegated && !c->cgroup.parent &&
            (r = move_to_supervisor(cg->parent_fd, path, e)) < 0) {
                ward_error_hint(e, "ward moves the processes of a Delegate=yes unit's cgroup to "
                                   "its leaf \"supervisor\"; give --cgroup-parent to use "
                                   "another cgroup");
                return r;
        }
        for (size_t i = 0; i < ARRAY_SIZE(controllers); i++)
                if (controller_needed(c, controllers[i]))
                        snprintf(enable + strlen(enable), sizeof(enable) - strlen(enable), "%s+%s",
                                 enable[0] ? " " : "", controllers[i]);
        if (enable[0] &&
            (r = ward_write_file_at(cg->parent_fd, "cgroup.subtree_control", enable)) < 0)
                return create_error(c, e, -r, "enable the controllers in", path,
                                    "cgroup.subtree_control");
        return 0;
}

/* mkdir the sandbox's cgroup. A stale one of the same name can only be an empty leftover
 * (of an earlier monitor with our pid, or an earlier run of the unit): rmdir refuses a
 * cgroup that holds processes. A busy "payload" means another ward of the same unit runs:
 * then payload-<pid>. */
static int make_cgroup_dir(const struct ward_config *c, const struct ward_plan *p,
                           struct ward_cgroup *cg)
{
        bool payload = p->cgroup.delegated && !c->cgroup.parent;

        if (payload)
                snprintf(cg->name, sizeof(cg->name), "%s", PAYLOAD_NAME);
        else
                snprintf(cg->name, sizeof(cg->name), "ward-%d", (int)getpid());
        for (int i = 0; i < 2; i++) {
                if (mkdirat(cg->parent_fd, cg->name, 0755) == 0)
                        return 0;
                if (errno != EEXIST)
                        return -errno;
                if (unlinkat(cg->parent_fd, cg->name, AT_REMOVEDIR) == 0)
                        continue;
                if (errno != EBUSY || !payload)
                        return -errno;
                snprintf(cg->name, sizeof(cg->name), "%s-%d", PAYLOAD_NAME, (int)getpid());
                payload = false;
        }
        return mkdirat(cg->parent_fd, cg->name, 0755) < 0 ? -errno : 0;
}

/* A monitor killed with SIGKILL cannot remove its cgroup. Each monitor holds a lock on its
 * cgroup's directory for as long as it lives (the open dirfd); the next ward to create one
 * removes every ward-<pid> whose pid is gone and whose lock it can take. The kernel refuses
 * to remove a cgroup that still holds processes: such a leftover waits for a later run. The
 * pid check keeps an older ward (which takes no lock) safe; the lock keeps a monitor of
 * another pid namespace, or one whose pid was reused, safe. */
static void prune_dead_cgroups(int parent_fd)
{
        int dfd = openat(parent_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct dirent *de;
        DIR *dir;

        if (dfd < 0)
                return;
        if (!(dir = fdopendir(dfd))) {
                close(dfd);
                return;
        }
        while ((de = readdir(dir))) {
                int pid;
                char tail;
                if (de->d_type != DT_DIR || sscanf(de->d_name, "ward-%d%c", &pid, &tail) != 1 ||
                    pid <= 0 || pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
                        continue;
                _cleanup_close_ int fd =
                    openat(parent_fd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
                        unlinkat(parent_fd, de->d_name, AT_REMOVEDIR);
        }
        closedir(dir);
}

/* mkdir, open and lock the sandbox's cgroup as one step for the other wards (the parent's
 * lock), after pruning the cgroups of monitors that died without removing theirs. */
static int make_locked_cgroup(const struct ward_config *c, const struct ward_plan *p,
                              struct ward_cgroup *cg)
{
        bool own_name = !(p->cgroup.delegated && !c->cgroup.parent);
        int r = 0;

        if (own_name && flock(cg->parent_fd, LOCK_EX) == 0)
                prune_dead_cgroups(cg->parent_fd);
        if ((r = make_cgroup_dir(c, p, cg)) == 0) {
                cg->dirfd = openat(cg->parent_fd, cg->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (cg->dirfd < 0 || flock(cg->dirfd, LOCK_EX | LOCK_NB) < 0) {
                        r = -errno;
                        unlinkat(cg->parent_fd, cg->name, AT_REMOVEDIR);
                }
        }
        if (own_name)
                flock(cg->parent_fd, LOCK_UN);
        return r;
}

static int write_limits(const struct ward_config *c, struct ward_cgroup *cg, struct ward_error *e)
{
        char value[64], key[64];
        int r;

        for (int i = 0; i < WARD_CG_COUNT; i++) {
                const struct ward_cg_limit *l = &c->cgroup.limits[i];
                if (!l->set)
                        continue;
                cgroup_format_file(i, cgroup_file_value(c, i), value, sizeof(value));
                if ((r = ward_write_file_at(cg->dirfd, limits[i].file, value)) < 0) {
                        snprintf(key, sizeof(key), "Resources.%s", limits[i].key);
                        ward_error_at(e, &l->origin, key, -r, "cannot write \"%s\" to %s/%s", value,
                                      cg->path, limits[i].file);
                        ward_error_hint(e, r == -ENOENT ? "this kernel lacks that file (swap "
                                                          "accounting or the io controller "
                                                          "is off): remove the limit"
                                                        : "check the value against the kernel's "
                                                          "cgroup-v2 documentation");
                        return r;
                }
        }
        return 0;
}

int cgroup_create(const struct ward_config *c, const struct ward_plan *p, struct ward_cgroup *cg,
                  struct ward_error *e)
{
        int r;

        *cg = (struct ward_cgroup){.dirfd = -1, .parent_fd = -1};
        /* A Delegate=yes unit gave us its subtree: the sandbox gets its own cgroup in it
         * even without limits, so the unit's accounting tells the two apart. */
        if ((!cgroup_wanted(c) && !p->cgroup.delegated) || p->cgroup.skipped)
                return 0;
        if ((r = check_reachable(c, p, e)) < 0 || (r = open_parent(c, p, cg, e)) < 0) {
                cgroup_destroy(cg);
                return r;
        }
        if ((r = make_locked_cgroup(c, p, cg)) < 0) {
                snprintf(cg->path, sizeof(cg->path), "%s%s/%s", WARD_CGROUP_ROOT, parent_of(c, p),
                         cg->name);
                r = create_error(c, e, -r, "create the cgroup", cg->path, "..");
                cg->name[0] = '\0';
                cgroup_destroy(cg);
                return r;
        }
        snprintf(cg->path, sizeof(cg->path), "%s%s/%s", WARD_CGROUP_ROOT, parent_of(c, p),
                 cg->name);
        r = write_limits(c, cg, e);
        if (r < 0)
                cgroup_destroy(cg);
        return r;
}

int cgroup_attach(const struct ward_cgroup *cg, pid_t pid, struct ward_error *e)
{
        char buf[32];
        int r;

        snprintf(buf, sizeof(buf), "%d", (int)pid);
        if ((r = ward_write_file_at(cg->dirfd, "cgroup.procs", buf)) < 0)
                return ward_error_set(e, -r, "cannot move the sandbox into %s", cg->path);
        return 0;
}

/* The number after "key " in a flat-keyed cgroup file such as memory.events. */
static uint64_t event_count(int dirfd, const char *file, const char *key)
{
        char buf[1024], *p;
        size_t n = strlen(key);
        uint64_t v = 0;

        if (read_small_at(dirfd, file, buf, sizeof(buf)) < 0)
                return 0;
        for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
                if (strncmp(p, key, n) == 0 && p[n] == ' ') {
                        sscanf(p + n + 1, "%" SCNu64, &v);
                        break;
                }
        return v;
}

void cgroup_report(const struct ward_config *c, const struct ward_cgroup *cg, FILE *out)
{
        const struct ward_cg_limit *mem = &c->cgroup.limits[WARD_CG_MEMORY];
        const struct ward_cg_limit *pids = &c->cgroup.limits[WARD_CG_PIDS];
        char value[32];
        uint64_t n;

        if (cg->dirfd < 0)
                return;
        if (controller_needed(c, "memory") &&
            (n = event_count(cg->dirfd, "memory.events", "oom_kill"))) {
                cgroup_format_human(WARD_CG_MEMORY, mem->set ? mem->value : WARD_CGROUP_MAX, value,
                                    sizeof(value));
                if (n == 1)
                        fprintf(out, "ward: the app was killed: out of memory (memory.max=%s)\n",
                                value);
                else
                        fprintf(out,
                                "ward: %" PRIu64 " processes of the app were killed: out of "
                                "memory (memory.max=%s)\n",
                                n, value);
        }
        if (pids->set && (n = event_count(cg->dirfd, "pids.events", "max"))) {
                cgroup_format_human(WARD_CG_PIDS, pids->value, value, sizeof(value));
                fprintf(out, "ward: fork refused %" PRIu64 " time%s: pids.max=%s reached\n", n,
                        n == 1 ? "" : "s", value);
        }
}

static void sleep_ms(long ms)
{
        struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L};

        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

void cgroup_destroy(struct ward_cgroup *cg)
{
        for (int i = 0; cg->parent_fd >= 0 && cg->name[0] && i < RMDIR_TRIES; i++) {
                if (unlinkat(cg->parent_fd, cg->name, AT_REMOVEDIR) == 0 || errno == ENOENT) {
                        cg->name[0] = '\0';
                        break;
                }
                if (errno != EBUSY)
                        break;
                /* Processes that outlived the init (no pid namespace): end them. */
                if (i == RMDIR_KILL_AFTER && cg->dirfd >= 0)
                        ward_write_file_at(cg->dirfd, "cgroup.kill", "1");
                sleep_ms(10);
        }
        if (cg->name[0])
                ward_warn("cannot remove the cgroup %s: %s", cg->path, strerror(errno));
        if (cg->dirfd >= 0)
                close(cg->dirfd);
        if (cg->parent_fd >= 0)
                close(cg->parent_fd);
        cg->dirfd = cg->parent_fd = -1;
        cg->name[0] = '\0';
}
