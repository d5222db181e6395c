/* The app's standard streams when a terminal is involved. With -t: a pseudo-terminal
 * allocated inside the sandbox's own devpts by setup, its master handed to the monitor,
 * which relays it to the caller's stdin/stdout. Without -t: the caller's terminal never
 * reaches the app; each of fds 0-2 that is a terminal becomes a pipe the monitor relays
 * (stdin only with -i: else it is /dev/null). Other fds are passed as they are. */
#pragma once

#include <poll.h>
#include <stdbool.h>

#include "ward/config.h"
#include "ward/error.h"
#include "ward/relay.h"

/* Setup side, after pivot_root: open /dev/ptmx, make the slave our controlling terminal and
 * fds 0-2, send the master over sync_fd. */
int tty_setup_sandbox(int sync_fd, struct ward_error *e);

/* Monitor side. */
enum { TTY_RELAY_STREAMS = 3, TTY_RELAY_POLLFDS = 2 * TTY_RELAY_STREAMS };
/* After a forwarded stop signal, the app's last output waits at most this long at a time
 * for the caller's side to take it. */
#define TTY_RELAY_STOP_GRACE_MS 250

struct ward_tty_relay {
        int master;         /* pty master, -1 when there is none */
        bool use_pty;       /* -t */
        bool relay_stdin;   /* -i */
        bool raw_set;       /* the caller's terminal was put in raw mode */
        bool stderr_joined; /* stdout and stderr are one terminal: the app's share a pipe */
        int app_fd[TTY_RELAY_STREAMS];               /* the app's ends of our pipes, until cloned */
        int our_fd[TTY_RELAY_STREAMS];               /* the monitor's ends of them */
        struct ward_relay *relay[TTY_RELAY_STREAMS]; /* stdin, stdout, stderr; or NULL */
        unsigned char saved_termios[64];             /* struct termios, opaque here */
        /* Output of the app that could not be delivered (ward's stdout or stderr failed:
         * a full disk, /dev/full, a closed pipe): its stream (1, 2; 0 for none), why, how
         * much. Set by tty_relay_finish(). */
        int lost_stream, lost_errno;
        size_t lost_bytes;
};

/* Nothing relayed, nothing to free: before anything can fail. */
void tty_relay_init(struct ward_tty_relay *t);
/* Before the clone: which streams are relayed, their pipes and buffers (the only fallible
 * part). Nothing is allocated when no stdio fd is a terminal and there is no -t. */
int tty_relay_prepare(struct ward_tty_relay *t, const struct ward_config *c, struct ward_error *e);
/* In the cloned child: the app's pipe ends become its fds 0-2. */
int tty_relay_attach_child(const struct ward_tty_relay *t);
/* In the monitor after the clone: our ends start relaying. */
void tty_relay_started(struct ward_tty_relay *t);
/* -t: the master arrived from the setup. */
void tty_relay_take_master(struct ward_tty_relay *t, int master);
/* Copy the caller's window size to the pty (at start and on SIGWINCH). */
void tty_relay_resize(struct ward_tty_relay *t);
void tty_relay_poll_events(const struct ward_tty_relay *t, struct pollfd p[TTY_RELAY_POLLFDS]);
void tty_relay_handle(struct ward_tty_relay *t, const struct pollfd p[TTY_RELAY_POLLFDS]);
/* The app has exited: deliver what it wrote last, waiting for the caller's side to take it
 * unless STOPPING (a stop signal was forwarded) or until one arrives on signal_fd; restore
 * the caller's terminal; free everything. */
void tty_relay_finish(struct ward_tty_relay *t, int signal_fd, bool stopping);
