/* Setup: the ordered steps inside the new namespaces, ending in exec of the init.
 *
 * The order matters: mounts need the capabilities the user namespace gave us; rlimits may
 * raise hard limits only while CAP_SYS_RESOURCE is held; the uid switch keeps the kept
 * capabilities only with PR_SET_KEEPCAPS; no_new_privs and seccomp come last so
 * that they confine the init and the app but not the steps before them. */
#include "ward/setup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/init_args.h"
#include "ward/memfd_exec.h"
#include "ward/mount.h"
#include "ward/namespace.h"
#include "ward/net.h"
#include "ward/process.h"
#include "ward/landlock.h"
#include "ward/rlimit.h"
#include "ward/seccomp.h"
#include "ward/sync.h"
#include "ward/systemd.h"
#include "ward/tty.h"
#include "ward/util.h"

_Noreturn static void setup_fail(const struct ward_setup_args *a, const struct ward_error *e)
{
        sync_send(a->sync_fd, WARD_SYNC_ERROR, e);
        _exit(e->exit_code ? e->exit_code : WARD_EXIT_FAILED);
}

/* Until the maps are written our ids are unmapped; take the ids the monitor mapped so that
 * files we create (tmpfs, /dev entries) have an owner the sandbox knows. */
static int become_mapped_identity(const struct ward_setup_args *a, struct ward_error *e)
{
        const struct ward_config *c = a->config;
        uid_t uid = a->rootless ? c->uid : 0;
        gid_t gid = a->rootless ? c->gid : 0;

        if (!(c->unshare_flags & CLONE_NEWUSER))
                return 0;
        if (!a->rootless && setgroups(0, NULL) < 0)
                return ward_error_set(e, errno, "setgroups() in the new user namespace");
        if (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
                return ward_error_set(e, errno,
                                      "cannot take uid %u / gid %u in the new user "
                                      "namespace",
                                      (unsigned)uid, (unsigned)gid);
        return 0;
}

static int wait_for_monitor(const struct ward_setup_args *a, struct ward_error *e)
{
        struct ward_sync_msg msg;
        int fd, r = sync_recv(a->sync_fd, &msg, &fd);

        if (r <= 0 || msg.type != WARD_SYNC_GO)
                return ward_error_set(e, r < 0 ? -r : EPIPE, "the monitor went away");
        return 0;
}

static void reset_signals(void)
{
        sigset_t none;

        for (int sig = 1; sig < NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        signal(sig, SIG_DFL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The parent-death signal is cleared by every credential change, so it is set again once
 * the ids are final; if the monitor died in between, its end of the socket hung up. */
static int arm_parent_death_signal(const struct ward_setup_args *a, struct ward_error *e)
{
        struct pollfd p = {.fd = a->sync_fd, .events = 0};

        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
                return ward_error_set(e, errno, "prctl(PR_SET_PDEATHSIG)");
        if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)))
                return ward_error_set(e, EPIPE, "the monitor went away");
        return 0;
}

/* Look the command up inside the new root, as the app's user, with the app's PATH, so that
 * "not found" (127) and "not executable" (126) are reported by ward in words. */
static int check_command(const struct ward_config *c, char *resolved, size_t len_resolved,
                         struct ward_error *e)
{
        const char *cmd = c->argv[0];
        int err = -ward_find_command(cmd, config_get_env(c, "PATH"), resolved, len_resolved);

        if (!err)
                return 0;
        ward_error_set(e, err, "cannot run %s in the sandbox", cmd);
        e->exit_code = (err == ENOENT || err == ENOTDIR) ? WARD_EXIT_NOT_FOUND : WARD_EXIT_NOT_EXEC;
        ward_error_hint(e, err == ENOENT ? "check the path inside the root filesystem, and PATH "
                                           "(set it with -e PATH=... or Environment=)"
                                         : "check the file's mode and owner in the image");
        return -err;
}

/* As with docker run, the caller's stdin reaches the app only with -i. */
static int detach_stdin(struct ward_error *e)
{
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

        if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
                return ward_error_set(e, errno, "cannot attach the app's stdin to /dev/null");
        close(fd);
        return 0;
}

static int build_sandbox(const struct ward_setup_args *a, struct ward_error *e)
{
        const struct ward_config *c = a->config;
        int r;

        /* First: it needs the monitor's uid 0, which become_mapped_identity() gives up. */
        if ((r = memfd_exec_apply(c, a->rootless, e)) < 0 || (r = become_mapped_identity(a, e)) < 0)
                return r;
        if (!c->tty && setsid() < 0)
                return ward_error_set(e, errno, "setsid()");
        if ((r = ns_apply_hostname(c, e)) < 0 || (r = net_apply(c, e)) < 0)
                return r;
        if ((r = mount_setup_root(c, e)) < 0 || (r = systemd_setup_notify(c, a->sync_fd, e)) < 0)
                return r;
        if (c->tty)
                return tty_setup_sandbox(a->sync_fd, e);
        if (!c->interactive)
                return detach_stdin(e);
        return 0;
}

static int confine_process(const struct ward_setup_args *a, char *resolved, size_t len,
                           struct ward_error *e)
{
        const struct ward_config *c = a->config;
        int r;

        if ((r = rlimit_apply(c, 0, e)) < 0 || (r = process_apply_umask_cwd(c, e)) < 0)
                return r;
        if ((r = caps_drop_bounding(c, e)) < 0)
                return r;
        if ((r = process_apply_creds(c, ns_setgroups_allowed(c), e)) < 0)
                return r;
        if ((r = caps_apply(c, e)) < 0 || (r = process_apply_no_new_privs(c, e)) < 0)
                return r;
        /* Landlock needs no_new_privs, and its rule paths are the sandbox's (after
         * pivot_root); the init is then executed from its memfd, which Landlock does not
         * confine (an internal mount), and the app under the Execute= rules. */
        if ((r = landlock_apply(c, e)) < 0)
                return r;
        if ((r = arm_parent_death_signal(a, e)) < 0)
                return r;
        return check_command(c, resolved, len, e);
}

_Noreturn static void exec_payload(const struct ward_setup_args *a, const char *resolved,
                                   struct ward_error *e)
{
        const struct ward_config *c = a->config;
        char **envp = systemd_exec_environment(c, process_environment(c));
        unsigned first_closed = WARD_LISTEN_FDS_START + c->systemd.n_listen_fds;

        if (!envp) {
                ward_error_set(e, ENOMEM, "out of memory");
                setup_fail(a, e);
        }
        /* Whatever the caller leaked to us (CVE-2024-21626) is closed by the exec; only
         * socket activation's fds (3..) go on to the app. */
        if (syscall(SYS_close_range, first_closed, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
                ward_error_set(e, errno, "close_range()");
                setup_fail(a, e);
        }
        if (a->init_fd >= 0) {
                char **argv = init_args_build(c);
                if (argv)
                        syscall(SYS_execveat, a->init_fd, "", argv, envp, AT_EMPTY_PATH);
                ward_error_set(e, argv ? errno : ENOMEM, "cannot execute ward-init");
        } else {
                execve(resolved, c->argv, envp);
                ward_error_set(e, errno, "cannot execute %s", c->argv[0]);
                e->exit_code = errno == ENOENT ? WARD_EXIT_NOT_FOUND : WARD_EXIT_NOT_EXEC;
        }
        setup_fail(a, e);
}

_Noreturn void setup_run(const struct ward_setup_args *a)
{
        struct ward_error e;
        char resolved[4096];

        memset(&e, 0, sizeof(e));
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        reset_signals();
        if (wait_for_monitor(a, &e) < 0)
                _exit(WARD_EXIT_FAILED);
        if (build_sandbox(a, &e) < 0 || confine_process(a, resolved, sizeof(resolved), &e) < 0)
                setup_fail(a, &e);
        /* Last, so that no step above runs filtered; the init and the app both do. */
        if (seccomp_apply(a->config, &e) < 0)
                setup_fail(a, &e);
        exec_payload(a, resolved, &e);
}
