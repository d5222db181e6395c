/* The monitor: creates the sandbox with clone3, writes the id maps, then relays signals and
 * the terminal until the init exits, and turns its status into our exit code. */
#include "ward/monitor.h"
#include "ward/process.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/cgroup.h"
#include "ward/mount.h"
#include "ward/namespace.h"
#include "ward/oci_hooks.h"
#include "ward/rlimit.h"
#include "ward/sealed_init.h"
#include "ward/seccomp_cache.h"
#include "ward/seccomp_kill_log.h"
#include "ward/setup.h"
#include "ward/sync.h"
#include "ward/syscalls.h"
#include "ward/systemd.h"
#include "ward/tty.h"
#include "ward/util.h"

/* The signals the monitor keeps for itself; every other one an app can catch is forwarded
 * to the sandbox (HUP for a reload, ALRM, PWR, XCPU, the real-time ones...):
 * - SIGCHLD: the pidfd tells us about our child; SIGPIPE: raised by our own relay writes;
 * - the faults (FPE, ILL, SEGV, BUS, TRAP, ABRT): raised by a bug of ward's own, they must
 *   kill it at once, not wait in a queue (the kernel forces them anyway);
 * - job control (TSTP, TTIN, TTOU, CONT): they stop and continue ward itself, as any job.
 * SIGKILL and SIGSTOP cannot be caught. */
static const int kept_signals[] = {SIGCHLD, SIGPIPE, SIGFPE,  SIGILL,  SIGSEGV, SIGBUS,
                                   SIGTRAP, SIGABRT, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT};

/* Only a stop signal starts the grace period after which the sandbox is killed; HUP, USR1
 * and the others ask a running app to do something, and it goes on running. */
static bool is_stop_signal(int sig)
{
        return sig == SIGTERM || sig == SIGINT || sig == SIGQUIT;
}

static void fill_forwarded_set(sigset_t *set)
{
        sigfillset(set);
        for (size_t i = 0; i < ARRAY_SIZE(kept_signals); i++)
                sigdelset(set, kept_signals[i]);
        sigdelset(set, SIGKILL);
        sigdelset(set, SIGSTOP);
        /* glibc's own (32, 33) stay as glibc wants them; sigfillset already leaves them out. */
}

struct monitor {
        const struct ward_config *config;
        struct ward_plan *plan; /* what is prepared for the child; the caller owns it */
        pid_t child;
        int pidfd, sync_fd, signal_fd, timer_fd;
        bool setup_done;   /* the setup's end of the sync socket closed: the init runs */
        bool setup_failed; /* the setup sent an error */
        struct ward_error setup_error;
        struct ward_tty_relay tty;
        int forwarded_stop;     /* the stop signal we forwarded, for the timeout message */
        struct ward_cgroup cg;  /* the sandbox's cgroup; cg.dirfd -1 when there is none */
        bool cg_attach;         /* clone3 could not start the child in it: move it there */
        int notify_in;          /* the NOTIFY_SOCKET relay's sandbox side (systemd.h), or -1 */
        int notify_out;         /* its systemd side: the plan's, not closed here; or -1 */
        int report_r, report_w; /* the init's report of the app's end (init.h), or -1 */
        int app_signal;         /* the signal the app died of, or 0 */
        long app_tasks; /* tasks of the app's user left when it failed (init's report), or -1 */
        struct seccomp_kill_log kills; /* the kernel's record of a SIGSYS death's call */
};

/* The signals stay blocked until ward exits, never restored: once the app's status is
 * known it is ward's exit status, and a signal that arrives later (during the poststop
 * hooks, the cgroup report, or a SIGPIPE of a relay write) must not replace it. */
static int block_signals(struct ward_error *e)
{
        sigset_t set;
        int fd;

        fill_forwarded_set(&set);
        sigaddset(&set, SIGCHLD);
        sigaddset(&set, SIGPIPE);
        if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
                return ward_error_set(e, errno, "sigprocmask()");
        sigdelset(&set, SIGPIPE);
        fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        if (fd < 0)
                return ward_error_set(e, errno, "signalfd()");
        return fd;
}

static int clone_error(const struct ward_config *c, int err, struct ward_error *e)
{
        char names[128];

        config_format_unshare(c->unshare_flags, names, sizeof(names));
        ward_error_at(e, &c->unshare_origin, "Namespaces.Unshare", err,
                      "cannot create the sandbox's namespaces (%s)", names);
        ward_error_hint(e, "%s", ns_clone_hint(c->unshare_flags, err));
        return -err;
}

static int start_child(struct monitor *m, int init_fd, int child_sync, struct ward_error *e)
{
        struct clone_args args;
        int pidfd = -1, saved_cwd, r;
        long pid;

        if ((r = mount_cwd_enter_root(m->config, m->plan, &saved_cwd, e)) < 0)
                return r;
        memset(&args, 0, sizeof(args));
        args.flags = CLONE_PIDFD | m->config->unshare_flags;
        args.pidfd = (uint64_t)(uintptr_t)&pidfd;
        args.exit_signal = SIGCHLD;
        if (m->cg.dirfd >= 0) {
                /* Born inside its cgroup: not one instruction runs without the limits. */
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t)m->cg.dirfd;
        }
        pid = ward_clone3(&args);
        if (pid < 0 && (errno == EINVAL || errno == ENOSYS || errno == E2BIG) &&
            (args.flags & CLONE_INTO_CGROUP)) {
                /* A kernel before 5.7: the child is moved in before it is released. */
                args.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
                args.cgroup = 0;
                m->cg_attach = true;
                pid = ward_clone3(&args);
        }
        if (pid < 0) {
                int err = errno;
                mount_cwd_leave_root(&saved_cwd, e);
                return clone_error(m->config, err, e);
        }
        if (pid == 0) {
                struct ward_setup_args a = {.config = m->config,
                                            .sync_fd = child_sync,
                                            .init_fd = init_fd,
                                            .report_fd = m->report_w,
                                            .plan = m->plan};
                close(m->sync_fd);
                close(m->signal_fd);
                if (m->report_r >= 0)
                        close(m->report_r);
                /* The host's side of the root and of the caller's cwd: through
                 * /proc/self/fd/N (-w) they would lead out of the root (CVE-2024-21626). */
                if (saved_cwd >= 0)
                        close(saved_cwd);
                mount_forget_root_path(m->plan);
                /* The app gets the pipes, never the caller's terminal; a failure here is
                 * seen by the monitor as a setup that died before the app started. */
                if (tty_relay_attach_child(&m->tty) < 0)
                        _exit(WARD_EXIT_FAILED);
                setup_run(&a);
        }
        m->child = (pid_t)pid;
        m->pidfd = pidfd;
        tty_relay_started(&m->tty);
        if ((r = mount_cwd_leave_root(&saved_cwd, e)) < 0)
                ward_pidfd_send_signal(pidfd, SIGKILL);
        return r;
}

static int release_child(struct monitor *m, struct ward_error *e)
{
        int r = 0;

        /* The child waits for GO below, so it runs nothing of the app before this. */
        if (m->cg_attach)
                r = cgroup_attach(&m->cg, m->child, e);
        if (r >= 0 && (m->config->unshare_flags & CLONE_NEWUSER))
                r = ns_write_id_maps(m->child, m->config, e);
        if (r >= 0 && !m->plan->rootless)
                r = rlimit_apply(m->config, m->child, e);
        if (r >= 0)
                r = process_set_oom_score_adj(m->config, m->child, e);
        /* An OCI bundle's prestart/createRuntime hooks: the namespaces exist, nothing of the
         * sandbox is built yet. */
        if (r >= 0)
                r = oci_hooks_run_create(m->config, m->child, e);
        if (r >= 0 && (r = sync_send(m->sync_fd, WARD_SYNC_GO, NULL)) < 0)
                ward_error_set(e, r, "cannot reach the setup process");
        if (r < 0)
                ward_pidfd_send_signal(m->pidfd, SIGKILL);
        return r;
}

static void handle_sync(struct monitor *m)
{
        struct ward_sync_msg msg;
        int fd, r = sync_recv(m->sync_fd, &msg, &fd);

        if (r > 0 && msg.type == WARD_SYNC_TTY && fd >= 0) {
                tty_relay_take_master(&m->tty, fd);
                return;
        }
        if (r > 0 && msg.type == WARD_SYNC_NOTIFY && fd >= 0 && m->notify_in < 0) {
                m->notify_in = fd;
                return;
        }
        if (fd >= 0)
                close(fd);
        if (r > 0 && msg.type == WARD_SYNC_ERROR) {
                m->setup_failed = true;
                m->setup_error = msg.error;
                m->setup_error.msg[sizeof(m->setup_error.msg) - 1] = '\0';
                m->setup_error.hint[sizeof(m->setup_error.hint) - 1] = '\0';
                m->setup_error.key[sizeof(m->setup_error.key) - 1] = '\0';
                m->setup_error.where[sizeof(m->setup_error.where) - 1] = '\0';
                return;
        }
        /* EOF: the setup's end was closed by a successful exec (or by its death). */
        m->setup_done = true;
}

static void arm_stop_timer(struct monitor *m, int sig)
{
        struct itimerspec its;
        uint64_t ms = m->config->stop_timeout_ms;

        if (m->timer_fd >= 0 || !is_stop_signal(sig))
                return;
        m->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (m->timer_fd < 0)
                return;
        memset(&its, 0, sizeof(its));
        its.it_value.tv_sec = (time_t)(ms / 1000);
        its.it_value.tv_nsec = (long)(ms % 1000) * 1000000L + (ms ? 0 : 1);
        timerfd_settime(m->timer_fd, 0, &its, NULL);
        m->forwarded_stop = sig;
}

static void handle_signal(struct monitor *m)
{
        struct signalfd_siginfo si;

        while (read(m->signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
                int sig = (int)si.ssi_signo;
                if (sig == SIGCHLD)
                        continue; /* the pidfd tells us about our child */
                if (sig == SIGWINCH && m->tty.master >= 0) {
                        tty_relay_resize(&m->tty);
                        continue;
                }
                ward_pidfd_send_signal(m->pidfd, sig);
                arm_stop_timer(m, sig);
        }
}

/* SIGKILL each child of PID and the process group it leads (the init's app, with -g; the
 * orphans a subreaper init adopted). PID must be stopped: it cannot reap them then, so
 * none of their pids can be reused under us. */
static void kill_child_groups(pid_t pid)
{
        char path[64], *next, *end;
        _cleanup_free_ char *list = NULL;
        _cleanup_close_ int fd = -1;
        size_t len;

        snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || ward_read_fd_bounded(fd, 1 << 20, &list, &len) < 0)
                return;
        next = list;
        for (long child; (child = strtol(next, &end, 10)) > 0; next = end) {
                kill(-(pid_t)child, SIGKILL);
                kill((pid_t)child, SIGKILL);
        }
}

static void handle_stop_timeout(struct monitor *m)
{
        ward_notice("the app did not exit within StopTimeout=%llums after %s: killing it",
                    (unsigned long long)m->config->stop_timeout_ms, strsignal(m->forwarded_stop));
        /* Without a pid namespace, killing the init does not end the app: ProcessGroup=yes
         * gave it a group of its own (killed first, with the init stopped so that it reaps
         * nothing meanwhile), else it is in the init's group. */
        if (!(m->config->unshare_flags & CLONE_NEWPID)) {
                if (m->config->init_group) {
                        ward_pidfd_send_signal(m->pidfd, SIGSTOP);
                        kill_child_groups(m->child);
                }
                kill(-m->child, SIGKILL);
        }
        ward_pidfd_send_signal(m->pidfd, SIGKILL);
        close(m->timer_fd);
        m->timer_fd = -1;
}

enum {
        POLL_PIDFD,
        POLL_SIGNAL,
        POLL_SYNC,
        POLL_TIMER,
        POLL_NOTIFY,
        POLL_KILLS,
        POLL_RELAY, /* TTY_RELAY_POLLFDS entries: the app's standard streams (tty.h) */
        POLL_COUNT = POLL_RELAY + TTY_RELAY_POLLFDS
};

static void build_pollset(struct monitor *m, struct pollfd *p)
{
        p[POLL_PIDFD] = (struct pollfd){.fd = m->pidfd, .events = POLLIN};
        p[POLL_SIGNAL] = (struct pollfd){.fd = m->signal_fd, .events = POLLIN};
        p[POLL_SYNC] = (struct pollfd){.fd = m->setup_done ? -1 : m->sync_fd, .events = POLLIN};
        p[POLL_TIMER] = (struct pollfd){.fd = m->timer_fd, .events = POLLIN};
        p[POLL_NOTIFY] = (struct pollfd){.fd = m->notify_in, .events = POLLIN};
        p[POLL_KILLS] = (struct pollfd){.fd = m->kills.fd, .events = POLLIN};
        tty_relay_poll_events(&m->tty, &p[POLL_RELAY]);
}

/* Returns once the child has exited; its wait status in *status. */
/* What the init wrote just before it exited: "killed N" when the app died of signal N,
 * which its exit status 128+N must agree with (an app's own exit(128+N) is "exited"), then
 * " tasks T" after a failure under LimitNPROC (how many tasks of the app's user were left). */
static int read_report(struct monitor *m, int status)
{
        char line[64];
        ssize_t n;
        int sig = 0, code;
        long tasks;
        const char *t;

        if (m->report_r < 0 || (n = read(m->report_r, line, sizeof(line) - 1)) <= 0)
                return 0;
        line[n] = '\0';
        if ((t = strstr(line, " tasks ")) && sscanf(t, " tasks %ld", &tasks) == 1 && tasks >= 0)
                m->app_tasks = tasks;
        if (sscanf(line, "killed %d", &code) == 1 && code > 0 && code < NSIG &&
            status == 128 + code)
                sig = code;
        return sig;
}

static int event_loop(struct monitor *m, int *status)
{
        struct pollfd p[POLL_COUNT];
        siginfo_t info;

        for (;;) {
                build_pollset(m, p);
                if (poll(p, POLL_COUNT, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (p[POLL_SYNC].revents)
                        handle_sync(m);
                if (p[POLL_SIGNAL].revents)
                        handle_signal(m);
                if (p[POLL_TIMER].revents)
                        handle_stop_timeout(m);
                tty_relay_handle(&m->tty, &p[POLL_RELAY]);
                if (p[POLL_NOTIFY].revents)
                        systemd_relay_notify(m->notify_in, m->notify_out);
                if (p[POLL_KILLS].revents)
                        seccomp_kill_log_read(&m->kills);
                if (p[POLL_PIDFD].revents)
                        break;
        }
        /* A notification the app sent just before it exited still reaches systemd. */
        systemd_relay_notify(m->notify_in, m->notify_out);
        /* Take any error message the setup sent just before it exited. */
        while (!m->setup_done && !m->setup_failed) {
                struct pollfd s = {.fd = m->sync_fd, .events = POLLIN};
                if (poll(&s, 1, 0) <= 0)
                        break;
                handle_sync(m);
        }
        memset(&info, 0, sizeof(info));
        if (waitid((idtype_t)P_PIDFD, (id_t)m->pidfd, &info, WEXITED) < 0)
                return -errno;
        *status = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
        m->app_signal = info.si_code == CLD_EXITED ? read_report(m, *status) : info.si_status;
        return 0;
}

static int monitor_result(struct monitor *m, int status, struct ward_error *e)
{
        if (m->setup_failed) {
                *e = m->setup_error;
                return e->exit_code ? e->exit_code : WARD_EXIT_FAILED;
        }
        if (!m->setup_done) {
                ward_error_set(e, 0,
                               "the sandbox's setup process died (status %d) before "
                               "starting the app",
                               status);
                return WARD_EXIT_FAILED;
        }
        return status;
}

/* The app's output that never reached ward's stdout or stderr is an error the exit status
 * shows. A reader that went away (EPIPE) is a pipeline's normal end: as a writer in it, ward
 * exits 141 (SIGPIPE's 128+N) instead of 0, silently. Any other failure (a full disk,
 * /dev/full) is said: an app that exited 0 makes ward exit 125, another status stays. */
static int report_lost_output(const struct ward_tty_relay *t, int status, struct ward_error *e)
{
        const char *stream = t->lost_stream == STDOUT_FILENO ? "standard output" : "standard error";

        if (e->msg[0])
                return status;
        if (t->lost_errno == EPIPE)
                return status ? status : 128 + SIGPIPE;
        ward_error_set(e, t->lost_errno,
                       "%zu bytes of the app's %s could not be written to ward's own %s "
                       "(the app exited with status %d)",
                       t->lost_bytes, stream, stream, status);
        ward_error_hint(e,
                        "give ward a %s that can take the output (a file on a disk with "
                        "room, a pipe whose reader stays)",
                        stream);
        e->exit_code = status ? status : WARD_EXIT_FAILED;
        return e->exit_code;
}

/* The call a filter killed the app for, when the kernel logged it for the sandbox's ids. */
static void say_seccomp_kill(const struct ward_config *c, struct seccomp_kill_log *kills)
{
        const struct seccomp_kill_record *r = &kills->last;
        char where[320], name[64], others[48] = "";
        const char *abi;
        int n = seccomp_kill_log_find(kills, 250);

        ward_origin_format(&c->seccomp.origin, where, sizeof(where));
        if (n <= 0) {
                ward_notice("the app was killed by SIGSYS: it made a system call the seccomp "
                            "filter kills (a 32-bit or x32 call, or DefaultAction=kill; "
                            "[Seccomp] set at %s); the kernel log (dmesg, or the audit log: "
                            "ausearch -m SECCOMP) names the call",
                            where);
                return;
        }
        abi = seccomp_kill_record_call(r, name, sizeof(name));
        if (n > 1)
                snprintf(others, sizeof(others), " (the last of %d kills in the sandbox)", n);
        if (strcmp(abi, "x86_64") != 0)
                ward_notice(
                    "the app was killed by SIGSYS: host pid %d (%s) made the %s system call "
                    "%s (number %lld)%s, and ward's filter kills every call not made "
                    "through the x86_64 ABI; build the app for x86_64",
                    r->pid, r->comm, abi, name, r->nr, others);
        else
                ward_notice(
                    "the app was killed by SIGSYS: host pid %d (%s) called %s (x86_64 number "
                    "%lld)%s, which the seccomp filter kills ([Seccomp] set at %s); if "
                    "the app needs it, allow it there with Allow=%s",
                    r->pid, r->comm, name, r->nr, others, where, name);
}

/* A failure while the app's user was at LimitNPROC: a fork or thread beyond it got EAGAIN,
 * which leaves no other trace. The app itself, reaped before the count, had one task. */
static void say_nproc_cause(const struct ward_config *c, int status, long tasks)
{
        const struct ward_rlimit *l = &c->rlimits[RLIMIT_NPROC];
        char where[320];

        if (status == 0 || tasks < 0 || !l->set || l->soft == RLIM_INFINITY ||
            (unsigned long long)tasks + 1 < (unsigned long long)l->soft)
                return;
        ward_origin_format(&l->origin, where, sizeof(where));
        ward_notice("the app ended with status %d while its user had %ld processes and threads "
                    "in the sandbox besides it, at LimitNPROC=%llu (%s), beyond which a fork or "
                    "a new thread fails with EAGAIN (\"Resource temporarily unavailable\"); "
                    "raise the limit if the app needs more",
                    status, tasks, (unsigned long long)l->soft, where);
}

/* A death that one of ward's own settings caused: one line naming the setting, where it
 * was set and the fix (an OOM kill and refused forks are cgroup_report()'s). */
static void say_signal_cause(const struct ward_config *c, int sig, struct seccomp_kill_log *kills)
{
        static const struct {
                int sig, resource;
                const char *what;
        } limits[] = {{SIGXFSZ, RLIMIT_FSIZE, "a file it wrote grew past"},
                      {SIGXCPU, RLIMIT_CPU, "it used more CPU time than"}};
        char where[320];

        for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
                const struct ward_rlimit *l = &c->rlimits[limits[i].resource];
                if (sig != limits[i].sig || !l->set)
                        continue;
                ward_origin_format(&l->origin, where, sizeof(where));
                ward_notice("the app was killed by SIG%s: %s Limit%s=%llu (%s); raise the limit "
                            "or remove it",
                            sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", limits[i].what,
                            rlimit_to_name(limits[i].resource), (unsigned long long)l->soft, where);
                return;
        }
        if (sig == SIGSYS && c->seccomp.enabled)
                say_seccomp_kill(c, kills);
}

/* A root-run sandbox with a user namespace has host ids of its own (idmap.h): the kernel's
 * record of a seccomp kill by those ids is the sandbox's. Opened before the clone, so that
 * only what is logged from then on is read. */
static void watch_seccomp_kills(struct monitor *m)
{
        const struct ward_config *c = m->config;

        if (c->seccomp.enabled && !m->plan->rootless && (c->unshare_flags & CLONE_NEWUSER))
                seccomp_kill_log_open(&m->kills, c->id_map_base, WARD_ID_MAP_RANGE);
}

/* The init's report pipe: its write end goes through the setup to the init (steps). */
static void open_report_pipe(struct monitor *m, int init_fd)
{
        int fds[2];

        if (init_fd < 0 || pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
                return; /* without it, a signal death reads as exit 128+N: nothing breaks */
        m->report_r = fds[0];
        m->report_w = fds[1];
}

int monitor_run(const struct ward_config *c, struct ward_plan *p, int *app_signal,
                struct ward_error *e)
{
        struct monitor m = {.config = c,
                            .plan = p,
                            .pidfd = -1,
                            .sync_fd = -1,
                            .timer_fd = -1,
                            .notify_in = -1,
                            .notify_out = p->systemd.notify_fd,
                            .report_r = -1,
                            .report_w = -1,
                            .kills = SECCOMP_KILL_LOG_NONE,
                            .app_tasks = -1};
        m.cg = (struct ward_cgroup){.dirfd = -1, .parent_fd = -1};
        _cleanup_close_ int init_fd = -1;
        int pair[2], status = 0, r;

        tty_relay_init(&m.tty);
        if (mount_clone_sources(c, p, e) < 0)
                return WARD_EXIT_FAILED;
        if (c->init && (init_fd = sealed_init_make(e)) < 0)
                return WARD_EXIT_FAILED;
        if (seccomp_cache_prepare(c, p, e) < 0)
                return WARD_EXIT_FAILED;
        if ((m.signal_fd = block_signals(e)) < 0)
                return WARD_EXIT_FAILED;
        watch_seccomp_kills(&m);
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
                ward_error_set(e, errno, "socketpair()");
                close(m.signal_fd);
                return WARD_EXIT_FAILED;
        }
        m.sync_fd = pair[0];
        if (p->cgroup.skipped)
                ward_warn("Resources=try: running without cgroup limits: %s",
                          p->cgroup.skip_reason);
        r = cgroup_create(c, p, &m.cg, e);
        if (r >= 0)
                r = tty_relay_prepare(&m.tty, c, e);
        open_report_pipe(&m, init_fd);
        if (r >= 0)
                r = start_child(&m, init_fd, pair[1], e);
        close(pair[1]);
        if (m.report_w >= 0)
                close(m.report_w);
        plan_release_clones(p);
        systemd_close_listen_fds(p);
        if (r >= 0)
                r = release_child(&m, e);
        if (r >= 0)
                r = event_loop(&m, &status);
        else if (m.pidfd >= 0)
                waitid((idtype_t)P_PIDFD, (id_t)m.pidfd, &(siginfo_t){0}, WEXITED);
        tty_relay_finish(&m.tty, m.signal_fd, m.forwarded_stop != 0);
        if (m.pidfd >= 0)
                oci_hooks_run_poststop(c);
        if (r >= 0)
                status = monitor_result(&m, status, e);
        else if (!e->msg[0])
                ward_error_set(e, r, "waiting for the sandbox");
        if (r >= 0 && m.tty.lost_stream)
                status = report_lost_output(&m.tty, status, e);
        if (r >= 0 && m.setup_done) {
                cgroup_report(c, &m.cg, stderr);
                say_signal_cause(c, m.app_signal, &m.kills);
                say_nproc_cause(c, status, m.app_tasks);
        }
        cgroup_destroy(&m.cg);
        close(m.sync_fd);
        close(m.signal_fd);
        if (m.timer_fd >= 0)
                close(m.timer_fd);
        if (m.pidfd >= 0)
                close(m.pidfd);
        if (m.notify_in >= 0)
                close(m.notify_in);
        if (m.report_r >= 0)
                close(m.report_r);
        seccomp_kill_log_close(&m.kills);
        *app_signal = r >= 0 && m.setup_done ? m.app_signal : 0;
        return r < 0 ? WARD_EXIT_FAILED : status;
}
