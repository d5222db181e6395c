/* `ward doctor` (doctor.h): each check calls what `ward run` decides with. */
#include "ward/doctor.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/cgroup.h"
#include "ward/hook_log.h"
#include "ward/idmap.h"
#include "ward/landlock.h"
#include "ward/memfd_exec.h"
#include "ward/mount.h"
#include "ward/namespace.h"
#include "ward/profile.h"
#include "ward/rlimit.h"
#include "ward/sealed_init.h"
#include "ward/seccomp.h"
#include "ward/syscalls.h"
#include "ward/util.h"

#define EXIT_USAGE 125

enum status { ST_OK, ST_DEGRADED, ST_MISSING, ST_UNKNOWN };
static const char *const status_names[] = {"ok", "degraded", "missing", "unknown"};

struct verdict {
        const char *feature;
        enum status status;
        bool required; /* the default profile cannot run without it */
        char why[1024];
        char fix[512];
};

#define MAX_VERDICTS 16

struct report {
        struct verdict v[MAX_VERDICTS];
        size_t n;
};

__attribute__((format(printf, 5, 6))) static struct verdict *
add(struct report *r, const char *feature, enum status st, bool required, const char *fmt, ...)
{
        struct verdict *v = &r->v[r->n < MAX_VERDICTS - 1 ? r->n++ : r->n];
        va_list ap;

        memset(v, 0, sizeof(*v));
        v->feature = feature;
        v->status = st;
        v->required = required;
        va_start(ap, fmt);
        vsnprintf(v->why, sizeof(v->why), fmt, ap);
        va_end(ap);
        return v;
}

/* The fix of a verdict that is not ok. */
__attribute__((format(printf, 2, 3))) static void with_fix(struct verdict *v, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(v->fix, sizeof(v->fix), fmt, ap);
        va_end(ap);
}

/* A refusal of ward's own code as a verdict: its message and its hint. */
static void add_error(struct report *r, const char *feature, bool required,
                      const struct ward_error *e)
{
        struct verdict *v = add(r, feature, ST_MISSING, required, "%s%s%s", e->msg,
                                e->err ? ": " : "", e->err ? strerror(e->err) : "");

        snprintf(v->fix, sizeof(v->fix), "%s", e->hint);
}

/* Run fn in a forked child, so that what it changes (limits) stays there; its error comes
 * back through a pipe (one write, smaller than PIPE_BUF). */
static int in_child(int (*fn)(const struct ward_config *, struct ward_error *),
                    const struct ward_config *c, struct ward_error *e)
{
        int p[2], status = 0;
        ssize_t n;
        pid_t pid;

        if (pipe2(p, O_CLOEXEC) < 0)
                return ward_error_set(e, errno, "pipe2()");
        if ((pid = fork()) < 0) {
                close(p[0]);
                close(p[1]);
                return ward_error_set(e, errno, "fork()");
        }
        if (pid == 0) {
                struct ward_error ce;

                memset(&ce, 0, sizeof(ce));
                close(p[0]);
                if (fn(c, &ce) < 0 && write(p[1], &ce, sizeof(ce)) < 0)
                        _exit(2);
                _exit(0);
        }
        close(p[1]);
        do
                n = read(p[0], e, sizeof(*e));
        while (n < 0 && errno == EINTR);
        close(p[0]);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (n == (ssize_t)sizeof(*e))
                return -(e->err ? e->err : EPERM);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return ward_error_set(e, EIO, "the check's child process failed");
        return 0;
}

/* ---------------------------------------------------------------------------------- */
/* Checks                                                                             */

static void check_chroot(struct report *r)
{
        int state = ns_chroot_state();

        if (state == 1)
                with_fix(add(r, "chroot", ST_MISSING, false,
                             "\"/\" is not the mount namespace's root: ward runs in a chroot"),
                         "%s", ns_clone_hint(CLONE_NEWUSER, EPERM));
        else
                add(r, "chroot", state == 0 ? ST_OK : ST_UNKNOWN, false, "%s",
                    state == 0 ? "not in a chroot"
                               : "neither /proc/1/root nor /proc/self/mountinfo tells");
}

/* The clone ward run makes, with the default profile's Unshare= flags. */
static void check_namespaces(struct report *r, const struct ward_config *c)
{
        struct clone_args args = {.flags = c->unshare_flags, .exit_signal = SIGCHLD};
        char names[128];
        long pid;

        config_format_unshare(c->unshare_flags, names, sizeof(names));
        pid = ward_clone3(&args);
        if (pid == 0)
                _exit(0);
        if (pid < 0) {
                int err = errno;
                struct verdict *v =
                    add(r, "namespaces", ST_MISSING, true,
                        "cannot create the sandbox's namespaces (%s): %s", names, strerror(err));
                snprintf(v->fix, sizeof(v->fix), "%s", ns_clone_hint(c->unshare_flags, err));
                return;
        }
        while (waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR)
                ;
        add(r, "namespaces", ST_OK, true, "the default profile's namespaces can be created (%s)",
            names);
}

/* As root with a user namespace the monitor clones the root with its own credentials
 * (open_tree): that needs CAP_SYS_ADMIN over the mount namespace ward runs in, which root
 * in a user namespace of its own (a rootless container) lacks. Tried on "/", whose clone
 * is detached and dropped with its fd. */
static void check_mounts(struct report *r, const struct ward_config *c)
{
        struct ward_config probe = *c;
        struct ward_plan plan = WARD_PLAN_EMPTY; /* no mounts: no tree_fds */
        struct ward_error e;
        int ret;

        if (geteuid() != 0 || !(c->unshare_flags & CLONE_NEWUSER)) {
                add(r, "mounts", ST_OK, true,
                    "rootless: setup clones the root with the caller's uid");
                return;
        }
        probe.root = (char *)"/";
        probe.n_mounts = 0;
        memset(&e, 0, sizeof(e));
        ret = mount_clone_sources(&probe, &plan, &e);
        plan_done(&plan);
        if (ret < 0) {
                struct verdict *v =
                    add(r, "mounts", ST_MISSING, true, "the monitor cannot clone a root: %s: %s",
                        e.msg, strerror(e.err));
                snprintf(v->fix, sizeof(v->fix),
                         "run ward as root of the host's user namespace: root of a user "
                         "namespace of its own (a rootless container, unshare -U) cannot "
                         "clone the host's mounts");
                return;
        }
        add(r, "mounts", ST_OK, true, "the monitor can clone the root and bind sources");
}

static void check_cgroup(struct report *r, struct ward_config *c)
{
        _cleanup_(plan_done) struct ward_plan plan = WARD_PLAN_EMPTY;
        struct ward_config probe = *c;
        char missing[256], why[4096];
        struct verdict *v;

        /* What --memory, --cpus and --pids-limit need. */
        probe.cgroup.limits[WARD_CG_MEMORY].set = true;
        probe.cgroup.limits[WARD_CG_CPUS].set = true;
        probe.cgroup.limits[WARD_CG_PIDS].set = true;
        cgroup_detect_delegation(c, &plan);
        if (cgroup_check(&probe, &plan, missing, sizeof(missing), why, sizeof(why)) == 0) {
                struct ward_error e;

                /* The controllers are there; a rootless caller may still not write where
                 * ward run would create its cgroup (nothing delegated to it). */
                memset(&e, 0, sizeof(e));
                if (cgroup_check_access(&probe, &plan, &e) < 0) {
                        add_error(r, "cgroup-v2", cgroup_wanted(c) && !c->cgroup.try_only, &e);
                        return;
                }
                add(r, "cgroup-v2", ST_OK, cgroup_wanted(c), "memory, cpu and pids limits: %s",
                    plan.cgroup.delegated ? "in this unit's delegated cgroup"
                                          : "under " WARD_CGROUP_ROOT WARD_CGROUP_DEFAULT_PARENT);
                return;
        }
        v = add(r, "cgroup-v2", ST_MISSING, cgroup_wanted(c) && !c->cgroup.try_only,
                "resource limits (--memory, --cpus, --pids-limit) are refused: %s (missing: %s)",
                why, missing);
        snprintf(v->fix, sizeof(v->fix),
                 "boot with systemd.unified_cgroup_hierarchy=1 (pure cgroup v2), or run ward in "
                 "a systemd unit with Delegate=yes; Resources=try runs without the limits");
}

/* The default profile's filter, built and loaded by setup's own code, in a child. */
static int load_filter(const struct ward_config *c, struct ward_error *e)
{
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return ward_error_set(e, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
        return seccomp_apply(c, NULL, e);
}

static bool action_available(uint32_t action)
{
        return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

/* The filter ward loads knows x86_64 alone and kills every other ABI. */
static void check_seccomp(struct report *r, const struct ward_config *c)
{
        struct ward_error e;
        static const struct {
                uint32_t action;
                const char *name;
        } actions[] = {
            {SECCOMP_RET_ERRNO, "errno"},
            {SECCOMP_RET_KILL_PROCESS, "kill_process"},
            {SECCOMP_RET_LOG, "log"},
        };
        struct utsname u;
        int mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);

        if (mode < 0 && errno == EINVAL) {
                with_fix(add(r, "seccomp", ST_MISSING, true, "the kernel has no seccomp"),
                         "use a kernel built with CONFIG_SECCOMP_FILTER");
                return;
        }
        for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
                if (!action_available(actions[i].action)) {
                        with_fix(add(r, "seccomp", ST_MISSING, true,
                                     "the kernel lacks the seccomp action %s ward's filter "
                                     "returns: %s",
                                     actions[i].name, strerror(errno)),
                                 "use Linux 4.14 or newer");
                        return;
                }
        if (uname(&u) == 0 && strcmp(u.machine, "x86_64") != 0) {
                with_fix(add(r, "seccomp", ST_MISSING, true,
                             "ward's filter knows x86_64 alone; this machine is %s", u.machine),
                         "run ward on x86_64");
                return;
        }
        memset(&e, 0, sizeof(e));
        if (in_child(load_filter, c, &e) < 0) {
                add_error(r, "seccomp", true, &e);
                return;
        }
        add(r, "seccomp", ST_OK, true,
            "the default profile's filter loads%s; architectures: x86_64 (any other ABI is killed)",
            mode == 2 ? " (stacked under the filter ward already runs under)" : "");
}

static void check_landlock(struct report *r, const struct ward_config *c)
{
        struct ward_error e;
        int abi = landlock_abi();
        struct verdict *v;

        memset(&e, 0, sizeof(e));
        if (landlock_decide(c, abi, &e) < 0) {
                add_error(r, "landlock", true, &e);
                return;
        }
        if (abi >= WARD_LANDLOCK_ABI_MAX) {
                add(r, "landlock", ST_OK, false, "ABI %d", abi);
                return;
        }
        v = add(r, "landlock", abi > 0 ? ST_DEGRADED : ST_MISSING, false,
                abi > 0 ? "ABI %d of the %d ward knows: the newer rights are not enforced"
                        : "the kernel has no Landlock (ABI %d of %d): Landlock=yes is refused",
                abi, WARD_LANDLOCK_ABI_MAX);
        snprintf(v->fix, sizeof(v->fix),
                 abi > 0 ? "a newer kernel"
                         : "a kernel with CONFIG_SECURITY_LANDLOCK and landlock in lsm=");
}

/* ia32_emulation= on the kernel command line: 1 on, 0 off, -1 not given (kstrtobool's
 * spellings: 0 1 y n t f on off). */
static int ia32_cmdline(void)
{
        char buf[4096] = "", *p;
        _cleanup_close_ int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

        buf[n > 0 ? n : 0] = '\0';
        for (p = buf; (p = strstr(p, "ia32_emulation=")); p++) {
                if (p != buf && p[-1] != ' ')
                        continue;
                p += strlen("ia32_emulation=");
                if (strchr("1yYtT", *p) || strncmp(p, "on", 2) == 0)
                        return 1;
                if (strchr("0nNfF", *p) || strncmp(p, "of", 2) == 0)
                        return 0;
        }
        return -1;
}

/* Whether the kernel was built with IA32 emulation: its 32-bit entry points are named in
 * /proc/kallsyms (names are readable even where addresses are hidden). -1: cannot tell. */
static int ia32_built(void)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/kallsyms", "re");
        char line[512];

        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (strstr(line, " __ia32_sys_"))
                        return 1;
        return 0;
}

/* Read-only, and only what is certain: a kernel can be built with it, not booted with it
 * off, and still refuse int 0x80 (a hypervisor's doing). ward never executes one to find
 * out; its filter kills 32-bit system calls either way. */
static void check_ia32(struct report *r)
{
        int cmdline = ia32_cmdline(), built = ia32_built();

        if (built == 0)
                add(r, "ia32-emulation", ST_MISSING, false,
                    "the kernel is built without it (no __ia32_sys_ in /proc/kallsyms)");
        else if (cmdline == 0)
                add(r, "ia32-emulation", ST_MISSING, false,
                    "turned off on the kernel command line (ia32_emulation=)");
        else
                add(r, "ia32-emulation", ST_UNKNOWN, false,
                    "%s; only an int 0x80 would tell, which ward does not execute (its filter "
                    "kills 32-bit system calls either way)",
                    cmdline == 1 ? "ia32_emulation= turns it on"
                    : built == 1 ? "the kernel is built with it"
                                 : "/proc/kallsyms cannot be read");
}

/* ward-init's sealed copy: the binary must be found, and an executable memfd allowed. */
static void check_init_and_memfd(struct report *r, const struct ward_config *c)
{
        struct ward_error e;
        char reason[256];
        int fd, d;

        memset(&e, 0, sizeof(e));
        fd = sealed_init_make(&e);
        if (fd >= 0) {
                close(fd);
                add(r, "init", ST_OK, true, "ward-init found and copied into a sealed memfd");
        } else if (fd == -EACCES) {
                add(r, "init", ST_OK, true, "ward-init found (see memfd)");
                add_error(r, "memfd", true, &e);
                return;
        } else {
                add_error(r, "init", true, &e);
        }
        memset(&e, 0, sizeof(e));
        d = memfd_exec_decide(c, reason, sizeof(reason), &e);
        if (d < 0)
                add_error(r, "memfd", true, &e);
        else if (d == 1)
                add(r, "memfd", ST_OK, true,
                    "the sandbox gets vm.memfd_noexec=2: memfds cannot be executed in it");
        else
                with_fix(add(r, "memfd", ST_DEGRADED, true,
                             "memfds stay executable in the sandbox: %s", reason),
                         "run as root on Linux 6.3+ (MemfdExec=try)");
}

/* As root with a user namespace, ward run leases host ids in /run/ward/idmap (creating
 * its last two levels 0700 when missing, as run would). */
static void check_run_dir(struct report *r, const struct ward_config *c)
{
        struct ward_error e;
        int fd;

        if (geteuid() != 0 || !(c->unshare_flags & CLONE_NEWUSER)) {
                add(r, "run-dir", ST_OK, true, "not used: rootless, ward maps the caller's ids");
                return;
        }
        memset(&e, 0, sizeof(e));
        if ((fd = idmap_pool_open(WARD_ID_POOL_DIR, &e)) < 0) {
                add_error(r, "run-dir", true, &e);
                return;
        }
        close(fd);
        add(r, "run-dir", ST_OK, true, "%s holds the id-range leases", WARD_ID_POOL_DIR);
}

static int apply_limits(const struct ward_config *c, struct ward_error *e)
{
        return rlimit_apply(c, 0, e);
}

static void check_rlimits(struct report *r, const struct ward_config *c)
{
        struct ward_error e;

        memset(&e, 0, sizeof(e));
        if (in_child(apply_limits, c, &e) < 0) {
                add_error(r, "rlimits", true, &e);
                return;
        }
        add(r, "rlimits", ST_OK, true, "the default profile's limits (LimitNOFILE= ...) apply");
}

static void check_hook_log(struct report *r)
{
        struct hook_log l = {.fd = -1};

        hook_log_open_default(&l);
        if (l.sink == HOOK_LOG_NONE)
                with_fix(add(r, "hook-log", ST_DEGRADED, false,
                             "neither %s nor %s accepts a connection: ward hook's reasons reach "
                             "stderr alone",
                             HOOK_LOG_SYSLOG_SOCKET, HOOK_LOG_JOURNAL_SOCKET),
                         "run a syslog daemon or systemd-journald, or give ward hook --log-file");
        else
                add(r, "hook-log", ST_OK, false, "ward hook logs to %s",
                    hook_log_sink_name(l.sink));
        hook_log_close(&l);
}

/* ---------------------------------------------------------------------------------- */
/* Output                                                                             */

static void print_text(const struct report *r, FILE *out)
{
        for (size_t i = 0; i < r->n; i++) {
                const struct verdict *v = &r->v[i];

                fprintf(out, "%-15s %-9s %s\n", v->feature, status_names[v->status], v->why);
                if (v->fix[0] && v->status != ST_OK)
                        fprintf(out, "%-15s %-9s fix: %s\n", "", "", v->fix);
        }
}

static int print_json(const struct report *r, FILE *out)
{
        json_t *arr = json_array();
        int ret = 0;

        for (size_t i = 0; arr && i < r->n; i++) {
                const struct verdict *v = &r->v[i];
                json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b}", "feature", v->feature, "status",
                                      status_names[v->status], "why", v->why, "fix", v->fix,
                                      "required", v->required);
                if (!o || json_array_append_new(arr, o) < 0)
                        ret = -ENOMEM;
        }
        if (!arr || ret < 0 || json_dumpf(arr, out, JSON_INDENT(2)) < 0)
                ret = -ENOMEM;
        fputc('\n', out);
        json_decref(arr);
        return ret;
}

static bool runnable(const struct report *r)
{
        for (size_t i = 0; i < r->n; i++)
                if (r->v[i].required && r->v[i].status == ST_MISSING)
                        return false;
        return true;
}

static int usage_error(const char *fmt, const char *arg)
{
        fputs("ward doctor: ", stderr);
        fprintf(stderr, fmt, arg);
        fputs("\n  hint: ward doctor [--format text|json]\n", stderr);
        return EXIT_USAGE;
}

static int parse_format(int argc, char **argv, bool *json)
{
        for (int i = 1; i < argc; i++) {
                const char *v = NULL;

                if (strcmp(argv[i], "--format") == 0) {
                        if (++i >= argc)
                                return usage_error("%s needs a value: text or json", "--format");
                        v = argv[i];
                } else if (strncmp(argv[i], "--format=", 9) == 0)
                        v = argv[i] + 9;
                else
                        return usage_error("unknown argument \"%.64s\"", argv[i]);
                if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0)
                        return usage_error("--format \"%.64s\": use text or json", v);
                *json = strcmp(v, "json") == 0;
        }
        return 0;
}

int doctor_main(int argc, char **argv, struct ward_config *c)
{
        static struct report r;
        struct ward_error e;
        bool json = false;
        int st;

        if ((st = parse_format(argc, argv, &json)) != 0)
                return st;
        memset(&e, 0, sizeof(e));
        if (profile_load(c, "default", &e) < 0) {
                ward_error_print(&e, stderr);
                return EXIT_USAGE;
        }
        check_chroot(&r);
        check_namespaces(&r, c);
        check_seccomp(&r, c);
        check_init_and_memfd(&r, c);
        check_rlimits(&r, c);
        check_mounts(&r, c);
        check_run_dir(&r, c);
        check_cgroup(&r, c);
        check_landlock(&r, c);
        check_ia32(&r);
        check_hook_log(&r);
        if (json ? print_json(&r, stdout) < 0 : (print_text(&r, stdout), false))
                return EXIT_USAGE;
        if (!json)
                printf("\n%s\n", runnable(&r) ? "ward run can run the default profile here"
                                              : "ward run cannot run the default profile here");
        return runnable(&r) ? 0 : 1;
}

void doctor_print_usage(FILE *out)
{
        fputs(
            "Usage: ward doctor [--format text|json]\n"
            "\n"
            "Check what ward can use on this host, as the current user: namespaces, seccomp,\n"
            "ward-init and its sealed memfd, resource limits, mounts, /run, cgroup v2, Landlock,\n"
            "IA32 emulation, the hook's log. Each line: the feature, ok / degraded / missing\n"
            "(or unknown), why, and the fix. Each check runs the code ward run decides with,\n"
            "on the default profile; nothing is written to /sys/fs/cgroup.\n"
            "\n"
            "Options:\n"
            "  --format text|json  json: [{\"feature\", \"status\", \"why\", \"fix\",\n"
            "                      \"required\"}, ...]\n"
            "  -h, --help          print this text\n"
            "\n"
            "Exit status: 0 when the default profile can run here, 1 when it cannot,\n"
            "125 on a bad option.\n",
            out);
}
