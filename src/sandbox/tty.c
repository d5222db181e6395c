/* The app's standard streams: with -t a pty from the sandbox's own devpts, relayed by the
 * monitor; without it, pipes in place of the caller's terminal (see ward/tty.h). */
#include "ward/tty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "ward/sync.h"
#include "ward/util.h"

_Static_assert(sizeof(struct termios) <= 64, "saved_termios too small");

int tty_setup_sandbox(int sync_fd, struct ward_error *e)
{
        _cleanup_close_ int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        _cleanup_close_ int slave = -1;
        char name[64];
        int r;

        if (master < 0)
                return ward_error_set(e, errno, "-t: cannot open /dev/ptmx in the sandbox");
        if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof(name)) != 0)
                return ward_error_set(e, errno, "-t: cannot unlock the pseudo-terminal");
        slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0)
                return ward_error_set(e, errno, "-t: cannot open %s", name);
        if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
                return ward_error_set(e, errno, "-t: cannot make %s the controlling terminal",
                                      name);
        for (int fd = 0; fd < 3; fd++)
                if (dup2(slave, fd) < 0)
                        return ward_error_set(e, errno, "-t: cannot attach %s to fd %d", name, fd);
        r = sync_send_fd(sync_fd, WARD_SYNC_TTY, master);
        if (r < 0)
                return ward_error_set(e, r, "-t: cannot hand the terminal to the monitor");
        return 0;
}

static const char *const stream_names[TTY_RELAY_STREAMS] = {"stdin", "stdout", "stderr"};

static int alloc_relay(struct ward_tty_relay *t, int fd, struct ward_error *e)
{
        t->relay[fd] = calloc(1, sizeof(*t->relay[fd]));
        if (!t->relay[fd])
                return ward_error_set(e, ENOMEM, "no memory to relay the app's %s",
                                      stream_names[fd]);
        relay_init(t->relay[fd], (struct ward_relay_end){.fd = -1},
                   (struct ward_relay_end){.fd = -1}, -1);
        return 0;
}

/* The caller's terminal on FD is replaced by a pipe for the app: read-write, the terminal
 * would let the app read what is typed meanwhile and change its modes and line discipline
 * for good (TCSETS, TIOCSETD), as docker run without -t prevents too. */
static int make_pipe(struct ward_tty_relay *t, int fd, struct ward_error *e)
{
        int p[2], r;

        if (pipe2(p, O_CLOEXEC) < 0) {
                r = ward_error_set(e, errno, "cannot make a pipe for the app's %s (a terminal)",
                                   stream_names[fd]);
                ward_error_hint(e,
                                "raise the open files limit (ulimit -n), or redirect ward's "
                                "%s away from the terminal",
                                stream_names[fd]);
                return r;
        }
        t->app_fd[fd] = fd == STDIN_FILENO ? p[0] : p[1];
        t->our_fd[fd] = fd == STDIN_FILENO ? p[1] : p[0];
        return alloc_relay(t, fd, e);
}

void tty_relay_init(struct ward_tty_relay *t)
{
        memset(t, 0, sizeof(*t));
        t->master = -1;
        for (int fd = 0; fd < TTY_RELAY_STREAMS; fd++)
                t->app_fd[fd] = t->our_fd[fd] = -1;
}

/* Both on one terminal, stdout and stderr share one pipe: their order stays as written, as
 * on the terminal itself. */
static bool same_terminal(int a, int b)
{
        struct stat sa, sb;

        return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && S_ISCHR(sa.st_mode) &&
               S_ISCHR(sb.st_mode) && sa.st_rdev == sb.st_rdev;
}

int tty_relay_prepare(struct ward_tty_relay *t, const struct ward_config *c, struct ward_error *e)
{
        int r = 0;

        t->use_pty = c->tty;
        t->relay_stdin = c->interactive;
        if (c->tty) {
                if (c->interactive)
                        r = alloc_relay(t, STDIN_FILENO, e);
                return r < 0 ? r : alloc_relay(t, STDOUT_FILENO, e);
        }
        /* Without -i the app's stdin is /dev/null (setup), whatever ours is. */
        for (int fd = c->interactive ? 0 : 1; fd < TTY_RELAY_STREAMS && r >= 0; fd++) {
                if (!isatty(fd))
                        continue;
                if (fd == STDERR_FILENO && t->relay[STDOUT_FILENO] &&
                    same_terminal(STDOUT_FILENO, STDERR_FILENO))
                        t->stderr_joined = true;
                else
                        r = make_pipe(t, fd, e);
        }
        return r;
}

int tty_relay_attach_child(const struct ward_tty_relay *t)
{
        for (int fd = 0; fd < TTY_RELAY_STREAMS; fd++)
                if (t->app_fd[fd] >= 0 && dup2(t->app_fd[fd], fd) < 0)
                        return -errno;
        if (t->stderr_joined && dup2(t->app_fd[STDOUT_FILENO], STDERR_FILENO) < 0)
                return -errno;
        return 0;
}

void tty_relay_started(struct ward_tty_relay *t)
{
        for (int fd = 0; fd < TTY_RELAY_STREAMS; fd++) {
                if (t->app_fd[fd] < 0)
                        continue;
                close(t->app_fd[fd]);
                t->app_fd[fd] = -1;
                if (fd == STDIN_FILENO)
                        relay_init(t->relay[fd], relay_end_caller(fd, O_RDONLY),
                                   relay_end_own(t->our_fd[fd], true), -1);
                else
                        relay_init(t->relay[fd], relay_end_own(t->our_fd[fd], true),
                                   relay_end_caller(fd, O_WRONLY), -1);
                t->our_fd[fd] = -1;
        }
}

static void set_caller_raw(struct ward_tty_relay *t)
{
        struct termios raw;

        if (!isatty(STDIN_FILENO) ||
            tcgetattr(STDIN_FILENO, (struct termios *)t->saved_termios) != 0)
                return;
        raw = *(struct termios *)t->saved_termios;
        cfmakeraw(&raw);
        if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
                t->raw_set = true;
}

void tty_relay_take_master(struct ward_tty_relay *t, int master)
{
        /* End of input reaches the app as the terminal's EOF character (^D). */
        static const int eot = 4;

        if (!t->use_pty || t->master >= 0) {
                close(master);
                return;
        }
        t->master = master;
        if (t->relay[STDIN_FILENO])
                relay_init(t->relay[STDIN_FILENO], relay_end_caller(STDIN_FILENO, O_RDONLY),
                           relay_end_own(master, false), eot);
        relay_init(t->relay[STDOUT_FILENO], relay_end_own(master, false),
                   relay_end_caller(STDOUT_FILENO, O_WRONLY), -1);
        tty_relay_resize(t);
        if (t->relay_stdin)
                set_caller_raw(t);
}

void tty_relay_resize(struct ward_tty_relay *t)
{
        struct winsize ws;

        for (int fd = 0; fd < TTY_RELAY_STREAMS && t->master >= 0; fd++)
                if (ioctl(fd, TIOCGWINSZ, &ws) == 0) {
                        ioctl(t->master, TIOCSWINSZ, &ws);
                        return;
                }
}

void tty_relay_poll_events(const struct ward_tty_relay *t, struct pollfd p[TTY_RELAY_POLLFDS])
{
        for (int i = 0; i < TTY_RELAY_STREAMS; i++) {
                if (t->relay[i]) {
                        relay_poll_events(t->relay[i], &p[2 * i]);
                } else {
                        p[2 * i] = (struct pollfd){.fd = -1};
                        p[2 * i + 1] = (struct pollfd){.fd = -1};
                }
        }
}

/* -t and ward's stdout is gone (a closed pipe, a hung-up terminal): the terminal is closed
 * for the app as well, which gets its SIGHUP, instead of writing on into nothing. */
static void hang_up_if_unread(struct ward_tty_relay *t)
{
        if (t->master < 0 || !t->relay[STDOUT_FILENO]->dst_dead)
                return;
        /* Neither relay owns the master: no fd number of it stays in use after close. */
        for (int i = 0; i < TTY_RELAY_STREAMS; i++)
                if (t->relay[i])
                        relay_close(t->relay[i]);
        close(t->master);
        t->master = -1;
}

void tty_relay_handle(struct ward_tty_relay *t, const struct pollfd p[TTY_RELAY_POLLFDS])
{
        for (int i = 0; i < TTY_RELAY_STREAMS; i++)
                if (t->relay[i] && (p[2 * i].revents || p[2 * i + 1].revents))
                        relay_handle(t->relay[i], &p[2 * i]);
        hang_up_if_unread(t);
}

/* A stop signal (systemctl stop, ^C) while we wait for the caller's side to take the app's
 * last output: give up on it. */
static bool stop_requested(int signal_fd)
{
        struct signalfd_siginfo si;

        while (read(signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
                if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT || si.ssi_signo == SIGHUP ||
                    si.ssi_signo == SIGQUIT)
                        return true;
        return false;
}

/* One pass over the outputs: our sources (pipes, master) read until empty without poll(),
 * and what the caller's side takes without waiting. True while something is left. */
static bool drain_pass(struct ward_tty_relay *t)
{
        bool pending = false;

        for (int i = 1; i < TTY_RELAY_STREAMS; i++) {
                if (!t->relay[i])
                        continue;
                t->relay[i]->draining = true;
                relay_handle(t->relay[i], (struct pollfd[2]){{.fd = -1}, {.fd = -1}});
                pending |= !relay_finished(t->relay[i]);
        }
        return pending;
}

/* Wait for the caller's side to take more: 0 to go on, -1 to give up (a stop signal
 * arrives; or one was forwarded already and the caller's side took nothing for a while). */
static int wait_for_caller(struct ward_tty_relay *t, int signal_fd, bool stopping)
{
        struct pollfd p[TTY_RELAY_POLLFDS + 1];
        bool waiting = false;
        int n;

        tty_relay_poll_events(t, p);
        for (int i = 0; i < TTY_RELAY_STREAMS; i++) {
                p[2 * i].fd = -1;
                waiting |= p[2 * i + 1].fd >= 0;
        }
        if (!waiting)
                return 0; /* an empty buffer: read on (bounded by WARD_RELAY_DRAIN_MAX) */
        p[TTY_RELAY_POLLFDS] = (struct pollfd){.fd = signal_fd, .events = POLLIN};
        n = poll(p, TTY_RELAY_POLLFDS + 1, stopping ? TTY_RELAY_STOP_GRACE_MS : -1);
        if (n == 0 || (n < 0 && errno != EINTR))
                return -1;
        if (n > 0 && p[TTY_RELAY_POLLFDS].revents && stop_requested(signal_fd))
                return -1;
        if (n > 0)
                tty_relay_handle(t, p);
        return 0;
}

void tty_relay_finish(struct ward_tty_relay *t, int signal_fd, bool stopping)
{
        if (t->relay[STDIN_FILENO])
                relay_close(t->relay[STDIN_FILENO]);
        while (drain_pass(t) && wait_for_caller(t, signal_fd, stopping) == 0)
                ;
        for (int i = STDOUT_FILENO; i < TTY_RELAY_STREAMS && !t->lost_stream; i++)
                if (t->relay[i] && t->relay[i]->write_errno) {
                        t->lost_stream = i;
                        t->lost_errno = t->relay[i]->write_errno;
                        t->lost_bytes = t->relay[i]->lost;
                }
        for (int i = 0; i < TTY_RELAY_STREAMS; i++) {
                if (t->relay[i])
                        relay_close(t->relay[i]);
                free(t->relay[i]);
                t->relay[i] = NULL;
                if (t->app_fd[i] >= 0)
                        close(t->app_fd[i]);
                if (t->our_fd[i] >= 0)
                        close(t->our_fd[i]);
                t->app_fd[i] = t->our_fd[i] = -1;
        }
        if (t->master >= 0)
                close(t->master);
        t->master = -1;
        if (t->raw_set)
                tcsetattr(STDIN_FILENO, TCSAFLUSH, (struct termios *)t->saved_termios);
        t->raw_set = false;
}
