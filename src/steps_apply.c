/* The step table's apply functions (steps_rows.h), and entrypoint mode's walk. Each is one
 * step; the modules do the work, these say which module with which of the walk's fds. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/entrypoint.h"
#include "ward/init_args.h"
#include "ward/landlock.h"
#include "ward/memfd_exec.h"
#include "ward/mount.h"
#include "ward/namespace.h"
#include "ward/net.h"
#include "ward/process.h"
#include "ward/rlimit.h"
#include "ward/sealed_init.h"
#include "ward/seccomp.h"
#include "ward/systemd.h"
#include "ward/tty.h"
#include "ward/util.h"
#include "steps_rows.h"

static bool in_place(const struct ward_step_ctx *ctx)
{
        return ctx->mode == WARD_STEPS_IN_PLACE;
}

void steps_reset_signals(void)
{
        sigset_t none;

        for (int sig = 1; sig < NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        signal(sig, SIG_DFL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
}

/* In place, read while the caller's credentials and fds are still ours; in `ward run` the
 * monitor makes it (monitor.c). */
int step_apply_init_memfd(struct ward_step_ctx *ctx, struct ward_error *e)
{
        ctx->init_fd = sealed_init_make(e);
        return ctx->init_fd < 0 ? ctx->init_fd : 0;
}

/* The monitor does it for a sandbox (release_child in monitor.c); in place, ward's own
 * process becomes the app, and it still holds CAP_SYS_RESOURCE if it ever had it. */
int step_apply_oom_score_adj(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return process_set_oom_score_adj(ctx->config, 0, e);
}

/* First in setup: it needs the monitor's uid 0, which step_apply_identity() gives up. */
int step_apply_memfd_exec(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return memfd_exec_apply(ctx->config, ctx->plan->rootless, e);
}

/* Until the maps are written our ids are unmapped; take the ids the monitor mapped so that
 * files we create (tmpfs, /dev entries) have an owner the sandbox knows. */
int step_apply_identity(struct ward_step_ctx *ctx, struct ward_error *e)
{
        const struct ward_config *c = ctx->config;
        uid_t uid = ctx->plan->rootless ? c->uid : 0;
        gid_t gid = ctx->plan->rootless ? c->gid : 0;

        if (!ctx->plan->rootless && setgroups(0, NULL) < 0)
                return ward_error_set(e, errno, "setgroups() in the new user namespace");
        if (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
                return ward_error_set(e, errno,
                                      "cannot take uid %u / gid %u in the new user "
                                      "namespace",
                                      (unsigned)uid, (unsigned)gid);
        return 0;
}

int step_apply_session(struct ward_step_ctx *ctx, struct ward_error *e)
{
        (void)ctx;
        if (setsid() < 0)
                return ward_error_set(e, errno, "setsid()");
        return 0;
}

int step_apply_hostname(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return ns_apply_hostname(ctx->config, e);
}

int step_apply_network(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return net_apply(ctx->config, e);
}

int step_apply_mounts(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return mount_setup_root(ctx->config, ctx->plan, e);
}

int step_apply_notify(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return systemd_setup_notify(ctx->plan, ctx->sync_fd, e);
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

int step_apply_stdio(struct ward_step_ctx *ctx, struct ward_error *e)
{
        if (ctx->config->tty)
                return tty_setup_sandbox(ctx->sync_fd, e);
        if (!ctx->config->interactive)
                return detach_stdin(e);
        return 0;
}

int step_apply_read_only_root(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return entrypoint_check_read_only_root(ctx->config, ctx->env, e);
}

int step_apply_rlimits(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return rlimit_apply(ctx->config, 0, e);
}

int step_apply_umask_cwd(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return process_apply_umask_cwd(ctx->config, e);
}

/* Before the uid switch, while CAP_SETPCAP may still be effective. */
int step_apply_bounding(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return caps_drop_bounding(ctx->config, e);
}

/* process.noNewPrivileges false: while CAP_SYS_ADMIN is still effective (seccomp.h). The
 * fds are marked close-on-exec first (the close-on-exec row is then not wanted): a filter
 * that answered close_range 0 without doing it would hand ward's fds to the app. */
int step_apply_bundle_seccomp(struct ward_step_ctx *ctx, struct ward_error *e)
{
        int r = step_apply_close_on_exec(ctx, e);

        return r < 0 ? r : seccomp_apply_bundle_early(ctx->config, e);
}

/* In place, the ids change only where the container allows it (entrypoint_preflight
 * refused what must change and cannot). */
int step_apply_creds(struct ward_step_ctx *ctx, struct ward_error *e)
{
        const struct ward_config *c = ctx->config;
        bool apply;
        int r;

        if (!in_place(ctx))
                return process_apply_creds(c, ns_setgroups_allowed(c, ctx->plan->rootless), e);
        if ((r = entrypoint_plan_creds(c, ctx->env, &apply, e)) < 0)
                return r;
        return apply ? process_apply_creds(c, true, e) : 0;
}

int step_apply_caps(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return caps_apply(ctx->config, e);
}

int step_apply_no_new_privs(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return process_apply_no_new_privs(ctx->config, e);
}

/* Landlock needs no_new_privs, and its rule paths are the sandbox's (after pivot_root); the
 * init is then executed from its memfd, which Landlock does not confine (an internal
 * mount), and the app under the Execute= rules. */
int step_apply_landlock(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return landlock_apply(ctx->config, e);
}

/* The parent-death signal is cleared by every credential change, so it is set again once
 * the ids are final; if the monitor died in between, its end of the socket hung up. */
int step_apply_parent_death(struct ward_step_ctx *ctx, struct ward_error *e)
{
        struct pollfd p = {.fd = ctx->sync_fd, .events = 0};

        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
                return ward_error_set(e, errno, "prctl(PR_SET_PDEATHSIG)");
        if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)))
                return ward_error_set(e, EPIPE, "the monitor went away");
        return 0;
}

/* Look the command up inside the new root, as the app's user, with the app's PATH, so that
 * "not found" (127) and "not executable" (126) are reported by ward in words. */
int step_apply_find_command(struct ward_step_ctx *ctx, struct ward_error *e)
{
        const struct ward_config *c = ctx->config;
        const char *cmd = c->argv[0];
        int err =
            -ward_find_command(cmd, config_get_env(c, "PATH"), ctx->command, sizeof(ctx->command));

        if (!err)
                return 0;
        ward_error_set(e, err, "cannot run %s in the sandbox", cmd);
        e->exit_code = (err == ENOENT || err == ENOTDIR) ? WARD_EXIT_NOT_FOUND : WARD_EXIT_NOT_EXEC;
        ward_error_hint(e, err == ENOENT ? "check the path inside the root filesystem, and PATH "
                                           "(set it with -e PATH=... or Environment=)"
                                         : "check the file's mode and owner in the image");
        return -err;
}

/* Last of the protections, so that no step above runs filtered; the init and the app both
 * do. In place it is stacked on the outer runtime's filter (the kernel runs both). After it
 * only the exec: the calls it and ward-init make are checked against the filter before the
 * clone (seccomp_check_init_needs()). */
int step_apply_seccomp(struct ward_step_ctx *ctx, struct ward_error *e)
{
        return seccomp_apply(ctx->config, ctx->plan, e);
}

/* close_range(), or where a seccomp profile older than it refuses the call (an outer
 * runtime's, Docker before 20.10, around ward itself), every fd listed in /proc/self/fd. */
static int close_on_exec_from(unsigned first, struct ward_error *e)
{
        DIR *d;
        struct dirent *de;

        if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
                return 0;
        if (errno != ENOSYS && errno != EPERM)
                return ward_error_set(e, errno, "close_range()");
        if (!(d = opendir("/proc/self/fd")))
                return ward_error_set(e, errno,
                                      "close_range() is refused and /proc/self/fd "
                                      "cannot be listed");
        while ((de = readdir(d))) {
                int fd = atoi(de->d_name);
                if (fd >= (int)first && fd != dirfd(d) && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 &&
                    errno != EBADF) {
                        int r = ward_error_set(e, errno, "fcntl(%d, F_SETFD)", fd);
                        closedir(d);
                        return r;
                }
        }
        closedir(d);
        return 0;
}

/* Whatever the caller or the outer runtime leaked to us (CVE-2024-21626) is closed by the
 * exec; only fds 0-2 and socket activation's (3..) go on to the app. Before the seccomp step,
 * so that the sandbox's own filter never decides it. */
int step_apply_close_on_exec(struct ward_step_ctx *ctx, struct ward_error *e)
{
        unsigned first = 3;
        int r;

        if (in_place(ctx))
                return close_on_exec_from(first, e);
        first = WARD_LISTEN_FDS_START + ctx->plan->systemd.n_listen_fds;
        if ((r = close_on_exec_from(first, e)) < 0)
                return r;
        /* The one fd the init keeps: where it tells the monitor how the app ended. It marks
         * it close-on-exec itself before the app is started. */
        if (ctx->report_fd >= 0 && ctx->init_fd >= 0 && fcntl(ctx->report_fd, F_SETFD, 0) < 0)
                return ward_error_set(e, errno, "fcntl(report fd)");
        return 0;
}

/* Init=no in place: the app replaces ward; found through the app's PATH, as the init
 * would. */
static int exec_app_in_place(const struct ward_config *c, char **envp, struct ward_error *e)
{
        const char *cmd = c->argv[0];
        char buf[PATH_MAX];
        int err = -ward_find_command(cmd, config_get_env(c, "PATH"), buf, sizeof(buf));

        if (!err) {
                execve(buf, c->argv, envp);
                err = errno;
        }
        ward_error_set(e, err, "cannot execute %s", cmd);
        e->exit_code = err == ENOENT || err == ENOTDIR ? WARD_EXIT_NOT_FOUND : WARD_EXIT_NOT_EXEC;
        return -err;
}

static int exec_init(const struct ward_step_ctx *ctx, char **envp, struct ward_error *e)
{
        char **argv = init_args_build(ctx->config, in_place(ctx) ? -1 : ctx->report_fd);

        if (!argv)
                return ward_error_set(e, ENOMEM, "out of memory");
        syscall(SYS_execveat, ctx->init_fd, "", argv, envp, AT_EMPTY_PATH);
        ward_error_set(e, errno,
                       in_place(ctx) ? "cannot execute ward-init from its sealed copy"
                                     : "cannot execute ward-init");
        free(argv);
        return -(e->err ? e->err : EIO);
}

/* Returns only on failure. */
int step_apply_exec(struct ward_step_ctx *ctx, struct ward_error *e)
{
        const struct ward_config *c = ctx->config;
        char **envp = process_environment(c);

        if (!in_place(ctx))
                envp = systemd_exec_environment(ctx->plan, envp);
        if (!envp)
                return ward_error_set(e, ENOMEM, "out of memory");
        fflush(NULL);
        if (ctx->init_fd >= 0)
                return exec_init(ctx, envp, e);
        if (in_place(ctx))
                return exec_app_in_place(c, envp, e);
        execve(ctx->command, c->argv, envp);
        ward_error_set(e, errno, "cannot execute %s", c->argv[0]);
        e->exit_code = errno == ENOENT ? WARD_EXIT_NOT_FOUND : WARD_EXIT_NOT_EXEC;
        return -(e->err ? e->err : EIO);
}

/* entrypoint.h: harden ward's own process by the table's in-place rows, then exec. */
int entrypoint_run(const struct ward_config *c, const struct ward_plan *p, struct ward_error *e)
{
        struct ward_entrypoint_env env;
        struct ward_step_ctx ctx = {.config = c,
                                    .plan = p,
                                    .mode = WARD_STEPS_IN_PLACE,
                                    .sync_fd = -1,
                                    .init_fd = -1,
                                    .report_fd = -1,
                                    .env = &env};

        entrypoint_detect(&env);
        entrypoint_warn_about_gaps(c, &env);
        steps_reset_signals();
        steps_run(&ctx, e);
        if (ctx.init_fd >= 0)
                close(ctx.init_fd);
        return e->exit_code ? e->exit_code : WARD_EXIT_FAILED;
}
