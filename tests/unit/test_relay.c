/* Unit tests for relay.c: the monitor's byte relay never blocks, keeps its bound, leaves the
 * caller's open file descriptions alone, and passes the end of a stream on. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ward/relay.h"

static struct ward_relay *new_relay(void)
{
        struct ward_relay *r = calloc(1, sizeof(*r));

        ck_assert_ptr_nonnull(r);
        return r;
}

/* One round of the monitor's loop: poll without waiting, then handle. */
static void step(struct ward_relay *r)
{
        struct pollfd p[2];

        relay_poll_events(r, p);
        ck_assert_int_ge(poll(p, 2, 0), 0);
        relay_handle(r, p);
}

static bool has_nonblock(int fd)
{
        return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0;
}

/* A destination nobody reads: the relay fills its bounded buffer, then stops reading the
 * source (back-pressure), and no call blocks. */
START_TEST(test_back_pressure)
{
        int in[2], out[2];
        struct ward_relay *r = new_relay();
        static char chunk[65536];
        struct pollfd p[2];

        ck_assert_int_eq(pipe2(in, O_CLOEXEC | O_NONBLOCK), 0);
        ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
        relay_init(r, relay_end_own(in[0], true), relay_end_own(out[1], true), -1);
        for (int i = 0; i < 64; i++) {
                while (write(in[1], chunk, sizeof(chunk)) > 0)
                        ;
                step(r);
        }
        ck_assert_uint_eq(r->len, WARD_RELAY_BUF);
        relay_poll_events(r, p);
        ck_assert_int_eq(p[0].fd, -1); /* the source is not read while the buffer is full */
        ck_assert_int_eq(p[1].fd, out[1]);
        ck_assert(!r->src_done && !r->dst_dead);
        relay_close(r);
        close(in[1]);
        close(out[0]);
        free(r);
}
END_TEST

/* The source's end: the end-of-file byte follows the data, then our destination closes. */
START_TEST(test_eof_byte_then_close)
{
        int in[2], out[2];
        char buf[16];
        struct ward_relay *r = new_relay();

        ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
        ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
        relay_init(r, relay_end_own(in[0], true), relay_end_own(out[1], true), 4);
        ck_assert_int_eq(write(in[1], "ab", 2), 2);
        close(in[1]);
        for (int i = 0; i < 8 && !relay_finished(r); i++)
                step(r);
        ck_assert(relay_finished(r));
        ck_assert_int_eq(read(out[0], buf, sizeof(buf)), 3);
        ck_assert_mem_eq(buf, "ab\4", 3);
        ck_assert_int_eq(read(out[0], buf, sizeof(buf)), 0); /* closed: EOF */
        relay_close(r);
        close(out[0]);
        free(r);
}
END_TEST

/* A destination that is gone: the data is dropped and our source closed, so that the app's
 * next write fails as in a pipeline. */
START_TEST(test_destination_gone)
{
        int in[2], out[2];
        struct ward_relay *r = new_relay();

        signal(SIGPIPE, SIG_IGN);
        ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
        ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
        close(out[0]);
        relay_init(r, relay_end_own(in[0], true), relay_end_own(out[1], true), -1);
        ck_assert_int_eq(write(in[1], "x", 1), 1);
        step(r);
        ck_assert(r->dst_dead);
        ck_assert(r->src_done);
        ck_assert_int_eq(write(in[1], "x", 1), -1);
        ck_assert_int_eq(errno, EPIPE);
        relay_close(r);
        close(in[1]);
        free(r);
}
END_TEST

/* The caller's pipe is opened again: O_NONBLOCK only on our own description. */
START_TEST(test_caller_pipe_reopened)
{
        int p[2];
        struct ward_relay_end end;

        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        end = relay_end_caller(p[1], O_WRONLY);
        ck_assert_int_ge(end.fd, 0);
        ck_assert_int_ne(end.fd, p[1]);
        ck_assert(end.owned && end.nonblock);
        ck_assert(has_nonblock(end.fd));
        ck_assert(!has_nonblock(p[1]));
        ck_assert_int_eq(write(end.fd, "y", 1), 1);
        char c = 0;
        ck_assert_int_eq(read(p[0], &c, 1), 1);
        ck_assert_int_eq(c, 'y');
        close(end.fd);
        close(p[0]);
        close(p[1]);
}
END_TEST

/* The caller's socket is used as it is, with MSG_DONTWAIT; a file as it is. */
START_TEST(test_caller_socket_and_file)
{
        int sv[2], file;
        struct ward_relay_end end;
        char path[] = "/tmp/ward-test-relay.XXXXXX";

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        end = relay_end_caller(sv[0], O_WRONLY);
        ck_assert_int_eq(end.fd, sv[0]);
        ck_assert(end.socket && !end.owned);
        ck_assert(!has_nonblock(sv[0]));
        file = mkstemp(path);
        ck_assert_int_ge(file, 0);
        unlink(path);
        end = relay_end_caller(file, O_WRONLY);
        ck_assert_int_eq(end.fd, file);
        ck_assert(!end.owned && !end.socket);
        ck_assert(!has_nonblock(file));
        close(file);
        close(sv[0]);
        close(sv[1]);
}
END_TEST

static Suite *relay_suite(void)
{
        Suite *s = suite_create("relay");
        TCase *tc = tcase_create("relay");

        tcase_add_test(tc, test_back_pressure);
        tcase_add_test(tc, test_eof_byte_then_close);
        tcase_add_test(tc, test_destination_gone);
        tcase_add_test(tc, test_caller_pipe_reopened);
        tcase_add_test(tc, test_caller_socket_and_file);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(relay_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
