/* -t: a pty from the sandbox's own devpts, relayed by the monitor. */
#include "ward/tty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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

void tty_relay_start(struct ward_tty_relay *t, int master, bool relay_stdin)
{
        struct termios raw;

        memset(t, 0, sizeof(*t));
        t->master = master;
        t->relay_stdin = relay_stdin;
        t->stdin_open = relay_stdin;
        if (master < 0)
                return;
        tty_relay_resize(t);
        if (relay_stdin && isatty(STDIN_FILENO) &&
            tcgetattr(STDIN_FILENO, (struct termios *)t->saved_termios) == 0) {
                raw = *(struct termios *)t->saved_termios;
                cfmakeraw(&raw);
                if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
                        t->raw_set = true;
        }
}

void tty_relay_resize(struct ward_tty_relay *t)
{
        struct winsize ws;

        if (t->master >= 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
                ioctl(t->master, TIOCSWINSZ, &ws);
}

static int copy_once(int from, int to)
{
        char buf[8192];
        ssize_t n = read(from, buf, sizeof(buf));

        if (n < 0)
                return errno == EINTR || errno == EAGAIN ? 0 : -1;
        if (n == 0)
                return -1;
        return ward_write_all(to, buf, (size_t)n) < 0 ? -1 : 0;
}

int tty_relay_from_master(struct ward_tty_relay *t)
{
        return copy_once(t->master, STDOUT_FILENO);
}

int tty_relay_from_stdin(struct ward_tty_relay *t)
{
        if (copy_once(STDIN_FILENO, t->master) < 0) {
                /* Pass EOF on as the terminal's EOF character. */
                static const char eot = 4;
                ward_write_all(t->master, &eot, 1);
                t->stdin_open = false;
                return -1;
        }
        return 0;
}

void tty_relay_stop(struct ward_tty_relay *t)
{
        struct pollfd p;

        if (t->master >= 0) {
                p.fd = t->master;
                p.events = POLLIN;
                while (poll(&p, 1, 0) > 0 && (p.revents & POLLIN) && tty_relay_from_master(t) == 0)
                        ;
                close(t->master);
                t->master = -1;
        }
        if (t->raw_set)
                tcsetattr(STDIN_FILENO, TCSAFLUSH, (struct termios *)t->saved_termios);
        t->raw_set = false;
}
