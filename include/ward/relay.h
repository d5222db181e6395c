/* One direction of a byte stream the monitor copies (the app's output to the caller's
 * terminal, the caller's input to the app): a bounded buffer between a source and a
 * destination that never blocks the monitor. Back-pressure: while the buffer is full the
 * source is not read, so a slow reader slows the writer down and nothing piles up. */
#pragma once

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#define WARD_RELAY_BUF (64 * 1024)
/* After the app has exited, at most this much more is read from each of its outputs: what
 * its pipe (at most 1 MiB, fs.pipe-max-size) or pty still held; a process that outlived it
 * (no pid namespace) cannot keep the monitor busy forever. */
#define WARD_RELAY_DRAIN_MAX (4 * 1024 * 1024)

struct ward_relay_end {
        int fd;        /* -1 when there is none */
        bool socket;   /* recv/send with MSG_DONTWAIT: the flags of the caller's socket stay */
        bool owned;    /* ours: closed by the relay once its side is finished */
        bool nonblock; /* never waits: O_NONBLOCK on a description of our own, a file */
        size_t max_io; /* bytes per write: PIPE_BUF for a blocking fd polled writable */
};

struct ward_relay {
        struct ward_relay_end src, dst;
        int eof_byte;  /* written after the source's end (a terminal's VEOF), or -1 */
        bool src_done; /* the source is at its end, failed or closed */
        bool dst_dead; /* the destination failed: what the source gives is discarded */
        bool draining; /* the app is gone: an empty source counts as ended */
        size_t drained;
        int write_errno; /* why the destination failed (0: it did not) */
        size_t lost;     /* bytes the source gave that never reached the destination */
        size_t head, len;
        char buf[WARD_RELAY_BUF];
};

/* An end that is ours (a pipe we made, the pty master): made non-blocking. */
struct ward_relay_end relay_end_own(int fd, bool owned);
/* One of the caller's fds, used without changing its open file description (shared with
 * the caller's shell, and its O_NONBLOCK would outlive us): a terminal or a pipe is opened
 * again through /proc/self/fd (a description of our own, then O_NONBLOCK); a socket is used
 * with MSG_DONTWAIT; a regular file or a block device never waits; anything else (or a
 * reopen the kernel refused) is used only when poll() says it is ready, PIPE_BUF bytes at a
 * time. OFLAGS: O_RDONLY or O_WRONLY. */
struct ward_relay_end relay_end_caller(int fd, int oflags);

void relay_init(struct ward_relay *r, struct ward_relay_end src, struct ward_relay_end dst,
                int eof_byte);
/* p[0] for the source, p[1] for the destination (fd -1 when not wanted now). */
void relay_poll_events(const struct ward_relay *r, struct pollfd p[2]);
/* Move what poll() said can move; never blocks. */
void relay_handle(struct ward_relay *r, const struct pollfd p[2]);
/* The source ended and everything was delivered (or had nowhere to go). */
bool relay_finished(const struct ward_relay *r);
/* Close the ends the relay owns; what is left in the buffer is dropped. */
void relay_close(struct ward_relay *r);
