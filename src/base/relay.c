/* The monitor's byte relay: bounded, and no read or write of it can block the monitor's
 * signal handling (a stuck reader or writer on either side only stops its own stream). */
#include "ward/relay.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct ward_relay_end relay_end_own(int fd, bool owned)
{
        int flags = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
        bool nonblock = flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;

        return (struct ward_relay_end){.fd = fd,
                                       .owned = owned,
                                       .nonblock = nonblock,
                                       .max_io = nonblock ? SIZE_MAX : PIPE_BUF};
}

/* A second open file description of the caller's terminal or pipe: its O_NONBLOCK is ours
 * alone. O_NOCTTY: the monitor never acquires a controlling terminal. */
static int reopen_nonblocking(int fd, int oflags)
{
        char path[32];

        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        return open(path, oflags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

struct ward_relay_end relay_end_caller(int fd, int oflags)
{
        struct ward_relay_end end = {.fd = fd, .max_io = PIPE_BUF};
        struct stat st;
        int reopened;

        if (fstat(fd, &st) < 0)
                return (struct ward_relay_end){.fd = -1};
        if (S_ISSOCK(st.st_mode)) {
                end.socket = true;
                end.max_io = SIZE_MAX;
        } else if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
                end.nonblock = true; /* never waits; the caller's shared offset is kept */
                end.max_io = SIZE_MAX;
        } else if ((S_ISFIFO(st.st_mode) || isatty(fd)) &&
                   (reopened = reopen_nonblocking(fd, oflags)) >= 0) {
                /* Other character devices are not opened again: an open can have effects
                 * of its own (a watchdog arms). */
                end = (struct ward_relay_end){
                    .fd = reopened, .owned = true, .nonblock = true, .max_io = SIZE_MAX};
        }
        return end;
}

void relay_init(struct ward_relay *r, struct ward_relay_end src, struct ward_relay_end dst,
                int eof_byte)
{
        r->src = src;
        r->dst = dst;
        r->eof_byte = eof_byte;
        r->src_done = src.fd < 0;
        r->dst_dead = dst.fd < 0;
        r->draining = false;
        r->drained = 0;
        r->write_errno = 0;
        r->lost = 0;
        r->head = r->len = 0;
}

static void close_end(struct ward_relay_end *end)
{
        if (end->owned && end->fd >= 0)
                close(end->fd);
        end->fd = -1;
}

static ssize_t end_read(const struct ward_relay_end *end, void *buf, size_t len)
{
        if (end->socket)
                return recv(end->fd, buf, len, MSG_DONTWAIT);
        return read(end->fd, buf, len);
}

static ssize_t end_write(const struct ward_relay_end *end, const void *buf, size_t len)
{
        if (len > end->max_io)
                len = end->max_io;
        if (end->socket)
                return send(end->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        return write(end->fd, buf, len);
}

static void source_ended(struct ward_relay *r)
{
        r->src_done = true;
        if (r->src.owned)
                close_end(&r->src);
}

/* The destination is gone (EPIPE, EIO): drop what is buffered. A source of our own is
 * closed, so that the app's next write fails as in any pipeline; another (the pty master,
 * shared with the other direction: tty.c hangs it up) is read on and discarded, so that
 * the app never blocks on it. */
static void destination_failed(struct ward_relay *r, int err)
{
        r->dst_dead = true;
        r->write_errno = err;
        r->lost += r->len;
        r->head = r->len = 0;
        close_end(&r->dst);
        if (r->src.owned)
                source_ended(r);
}

static void fill(struct ward_relay *r)
{
        ssize_t n;

        if (r->src_done || r->len == sizeof(r->buf))
                return;
        if (r->head > 0) {
                memmove(r->buf, r->buf + r->head, r->len);
                r->head = 0;
        }
        n = end_read(&r->src, r->buf + r->len, sizeof(r->buf) - r->len);
        if (n > 0) {
                r->len += r->dst_dead ? 0 : (size_t)n;
                r->lost += r->dst_dead ? (size_t)n : 0;
                r->drained += r->draining ? (size_t)n : 0;
                if (r->drained >= WARD_RELAY_DRAIN_MAX)
                        source_ended(r);
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR) || r->draining) {
                /* EOF; or EIO from a pty master whose slave is closed. */
                source_ended(r);
        }
}

static void flush(struct ward_relay *r)
{
        while (r->len > 0 && !r->dst_dead) {
                ssize_t n = end_write(&r->dst, r->buf + r->head, r->len);
                if (n < 0 && (errno == EAGAIN || errno == EINTR))
                        return;
                if (n <= 0) {
                        destination_failed(r, n < 0 ? errno : EIO);
                        return;
                }
                r->head += (size_t)n;
                r->len -= (size_t)n;
                if (!r->dst.nonblock && !r->dst.socket)
                        break; /* a blocking fd: one write per poll() that said ready */
        }
        r->head = r->len ? r->head : 0;
}

/* After the source's end: its end-of-file byte, then the destination is closed if it is
 * ours (the app's stdin pipe: the app reads EOF). */
static void finish_stream(struct ward_relay *r)
{
        if (!r->src_done || r->len > 0)
                return;
        if (r->eof_byte >= 0 && !r->dst_dead) {
                r->buf[0] = (char)r->eof_byte;
                r->head = 0;
                r->len = 1;
                r->eof_byte = -1;
                return;
        }
        if (r->dst.owned)
                close_end(&r->dst);
}

void relay_poll_events(const struct ward_relay *r, struct pollfd p[2])
{
        bool want_in = !r->src_done && r->len < sizeof(r->buf);
        bool want_out = !r->dst_dead && r->len > 0;

        p[0] = (struct pollfd){.fd = want_in ? r->src.fd : -1, .events = POLLIN};
        p[1] = (struct pollfd){.fd = want_out ? r->dst.fd : -1, .events = POLLOUT};
}

void relay_handle(struct ward_relay *r, const struct pollfd p[2])
{
        /* A blocking destination is written once per poll() that said it is ready. */
        bool may_write = r->dst.nonblock || r->dst.socket;

        if (p[1].fd >= 0 && p[1].revents)
                flush(r);
        /* Draining, our own source is read until it is empty, whatever poll() said. */
        if ((p[0].fd >= 0 && p[0].revents) || (r->draining && r->src.nonblock)) {
                fill(r);
                /* A destination that cannot block takes it at once: no extra poll(). */
                if (may_write)
                        flush(r);
        }
        finish_stream(r);
}

bool relay_finished(const struct ward_relay *r)
{
        return r->src_done && (r->len == 0 || r->dst_dead) && (r->eof_byte < 0 || r->dst_dead);
}

void relay_close(struct ward_relay *r)
{
        close_end(&r->src);
        close_end(&r->dst);
        r->src_done = true;
        r->dst_dead = true;
        r->len = 0;
}
