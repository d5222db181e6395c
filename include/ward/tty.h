/* The pseudo-terminal for -t: allocated inside the sandbox's own devpts by setup, the master
 * handed to the monitor, which relays it to the caller's terminal. */
#pragma once

#include <stdbool.h>

#include "ward/error.h"

/* Setup side, after pivot_root: open /dev/ptmx, make the slave our controlling terminal and
 * fds 0-2, send the master over sync_fd. */
int tty_setup_sandbox(int sync_fd, struct ward_error *e);

/* Monitor side. */
struct ward_tty_relay {
        int master;                      /* pty master, -1 when there is no tty */
        bool relay_stdin;                /* -i */
        bool raw_set;                    /* the caller's terminal was put in raw mode */
        bool stdin_open;                 /* stdin not yet at EOF */
        unsigned char saved_termios[64]; /* struct termios, opaque here */
};

void tty_relay_start(struct ward_tty_relay *t, int master, bool relay_stdin);
/* Copy the caller's window size to the pty (at start and on SIGWINCH). */
void tty_relay_resize(struct ward_tty_relay *t);
/* Move available bytes; returns -1 when the master hung up. */
int tty_relay_from_master(struct ward_tty_relay *t);
int tty_relay_from_stdin(struct ward_tty_relay *t);
/* Drain what the app wrote last, restore the caller's terminal. */
void tty_relay_stop(struct ward_tty_relay *t);
