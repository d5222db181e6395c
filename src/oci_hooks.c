/* Running a bundle's OCI hooks (oci_hooks.h).
 *
 * A hook is a host program run as ward's own user, as crun or runc would run it: its stdin
 * is the container's state (ociVersion, id, status, pid, bundle, annotations), its stdout
 * and stderr are ward's, its environment is exactly the hook's env, and every signal is
 * unblocked for it (the monitor blocks them for its signalfd). */
#include "ward/oci_hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/util.h"

#define STATE_MAX 65536 /* fits a pipe's buffer: written before the hook starts */

/* The state of the runtime spec; pid only while the sandbox's process exists. */
static int format_state(const struct ward_oci_hooks *h, const char *status, pid_t pid, char *buf,
                        size_t len)
{
        char pidbuf[32] = "";
        int n;

        if (pid > 0)
                snprintf(pidbuf, sizeof(pidbuf), ", \"pid\": %d", (int)pid);
        /* The bundle path is written by us, with JSON's escapes for " and \. */
        char bundle[4096 * 2];
        size_t j = 0;
        for (const char *p = h->bundle; *p && j + 2 < sizeof(bundle); p++) {
                if (*p == '"' || *p == '\\')
                        bundle[j++] = '\\';
                bundle[j++] = *p;
        }
        bundle[j] = '\0';
        n = snprintf(buf, len,
                     "{\"ociVersion\": \"1.0.2\", \"id\": \"ward-%d\", \"status\": \"%s\"%s, "
                     "\"bundle\": \"%s\", \"annotations\": %s}\n",
                     (int)getpid(), status, pidbuf, bundle, h->annotations ? h->annotations : "{}");
        return n < 0 || (size_t)n >= len ? -E2BIG : n;
}

/* In the child: stdin from the state pipe, signals back to normal, then the hook. */
_Noreturn static void exec_hook(const struct ward_oci_hook *hook, int state_fd)
{
        sigset_t none;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL); /* ward ignores it (ward.c) */
        if (dup2(state_fd, STDIN_FILENO) < 0)
                _exit(127);
        execve(hook->path, hook->argv, hook->envp);
        _exit(127);
}

/* Wait for pid at most timeout_s; *status its wait status. -ETIME after a kill. */
static int wait_hook(pid_t pid, unsigned timeout_s, int *status)
{
        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), r = 0;
        struct pollfd p = {.fd = pidfd, .events = POLLIN};

        if (pidfd >= 0) {
                do
                        r = poll(&p, 1, (int)(timeout_s * 1000));
                while (r < 0 && errno == EINTR);
                close(pidfd);
                if (r == 0) {
                        kill(pid, SIGKILL);
                        r = -ETIME;
                }
        }
        while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
        return r < 0 ? r : 0;
}

static int hook_failed(const struct ward_oci_hooks *h, const struct ward_oci_hook *hook, int err,
                       const char *why, struct ward_error *e)
{
        ward_error_at(e, &h->origin, hook->name, err, "%s %s", hook->path, why);
        ward_error_hint(e, "the hook's own messages are above; fix it, or remove it from "
                           "config.json");
        return -(err ? err : EINVAL);
}

static int run_hook(const struct ward_oci_hooks *h, const struct ward_oci_hook *hook,
                    const char *status, pid_t pid, struct ward_error *e)
{
        char state[STATE_MAX], why[128];
        int fds[2], n, wstatus = 0, r;
        pid_t child;

        if ((n = format_state(h, status, pid, state, sizeof(state))) < 0)
                return hook_failed(h, hook, E2BIG, "cannot be given the state", e);
        if (access(hook->path, X_OK) < 0)
                return hook_failed(h, hook, errno, "cannot be executed", e);
        if (pipe2(fds, O_CLOEXEC) < 0)
                return hook_failed(h, hook, errno, "cannot be given the state (pipe)", e);
        r = ward_write_all(fds[1], state, (size_t)n);
        close(fds[1]);
        if (r < 0 || (child = fork()) < 0) {
                close(fds[0]);
                return hook_failed(h, hook, r < 0 ? -r : errno, "cannot be started", e);
        }
        if (child == 0)
                exec_hook(hook, fds[0]);
        close(fds[0]);
        if (wait_hook(child, hook->timeout_s, &wstatus) == -ETIME) {
                snprintf(why, sizeof(why), "did not finish within %us: killed", hook->timeout_s);
                return hook_failed(h, hook, 0, why, e), -ETIME;
        }
        if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
                return 0;
        if (WIFEXITED(wstatus))
                snprintf(why, sizeof(why), "exited with status %d", WEXITSTATUS(wstatus));
        else
                snprintf(why, sizeof(why), "was killed by signal %d", WTERMSIG(wstatus));
        return hook_failed(h, hook, 0, why, e);
}

int oci_hooks_run_create(const struct ward_config *c, pid_t pid, struct ward_error *e)
{
        const struct ward_oci_hooks *h = c->oci_hooks;
        int r;

        for (size_t i = 0; h && i < h->n_create; i++)
                if ((r = run_hook(h, &h->create[i], "creating", pid, e)) < 0)
                        return r;
        return 0;
}

void oci_hooks_run_poststop(const struct ward_config *c)
{
        const struct ward_oci_hooks *h = c->oci_hooks;
        struct ward_error e;

        for (size_t i = 0; h && i < h->n_poststop; i++) {
                memset(&e, 0, sizeof(e));
                /* The runtime spec: a failing poststop hook is a warning, the rest run. */
                if (run_hook(h, &h->poststop[i], "stopped", 0, &e) < 0)
                        fprintf(stderr, "ward: warning: %s: %s%s%s\n", e.key, e.msg,
                                e.err ? ": " : "", e.err ? strerror(e.err) : "");
        }
}
