/* Unit tests for the systemd integration: which notifications the relay passes on, the
 * app's environment for socket activation, and how ward's own environment is read. The
 * relay itself runs against a real systemd in tests/vm/test_systemd_vm.sh. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/systemd.h"

static size_t filter(const char *msg, char *out, size_t len)
{
        return systemd_filter_notify(msg, strlen(msg), out, len);
}

/* Where the variable named key says it came from (ward explain prints it). */
static const char *env_origin(const struct ward_config *c, const char *key)
{
        size_t klen = strlen(key);

        for (size_t i = 0; i < c->n_env; i++)
                if (strncmp(c->env[i], key, klen) == 0 && c->env[i][klen] == '=')
                        return c->env_origins[i].file;
        return NULL;
}

START_TEST(test_filter_passes_service_state)
{
        char out[256];

        ck_assert_uint_eq(filter("READY=1", out, sizeof(out)), 8);
        ck_assert_str_eq(out, "READY=1\n");
        filter("READY=1\nSTATUS=up and running\nERRNO=0\n", out, sizeof(out));
        ck_assert_str_eq(out, "READY=1\nSTATUS=up and running\nERRNO=0\n");
        filter("WATCHDOG=1\nEXTEND_TIMEOUT_USEC=500\nSTOPPING=1", out, sizeof(out));
        ck_assert_str_eq(out, "WATCHDOG=1\nEXTEND_TIMEOUT_USEC=500\nSTOPPING=1\n");
}
END_TEST

START_TEST(test_filter_drops_the_rest)
{
        char out[256];

        /* ward stays the main PID; fds are never relayed; unknown keys are not guessed. */
        ck_assert_uint_eq(filter("MAINPID=1", out, sizeof(out)), 0);
        ck_assert_str_eq(out, "");
        filter("MAINPID=4\nREADY=1\nFDSTORE=1\nFDNAME=x\nX_CUSTOM=1\nREADYX=1\nREADY", out,
               sizeof(out));
        ck_assert_str_eq(out, "READY=1\n");
        /* A NUL inside a line makes it something else: dropped. */
        ck_assert_uint_eq(systemd_filter_notify("STATUS=a\0MAINPID=1", 18, out, sizeof(out)), 0);
        ck_assert_uint_eq(filter("", out, sizeof(out)), 0);
}
END_TEST

START_TEST(test_filter_never_overflows)
{
        char out[9];

        /* A line that does not fit is dropped whole rather than cut. */
        ck_assert_uint_eq(filter("STATUS=long\nREADY=1", out, sizeof(out)), 8);
        ck_assert_str_eq(out, "READY=1\n");
        ck_assert_uint_eq(filter("STATUS=much too long", out, sizeof(out)), 0);
        ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_exec_environment)
{
        struct ward_plan p = WARD_PLAN_EMPTY;
        char *envp[] = {"PATH=/bin", "LISTEN_PID=999", "LISTEN_FDS=2", NULL};
        char expect[32], **env;

        ck_assert_ptr_eq(systemd_exec_environment(&p, envp), envp);
        p.systemd.n_listen_fds = 2;
        env = systemd_exec_environment(&p, envp);
        ck_assert_ptr_nonnull(env);
        snprintf(expect, sizeof(expect), "LISTEN_PID=%d", (int)getpid());
        ck_assert_str_eq(env[0], "PATH=/bin");
        ck_assert_str_eq(env[1], "LISTEN_FDS=2");
        ck_assert_str_eq(env[2], expect);
        ck_assert_ptr_null(env[3]);
        free(env);
}
END_TEST

/* Only LISTEN_PID == our pid makes fds 3.. ours (sd_listen_fds semantics). Fd 3 may be
 * Check's own: it is put aside while the test owns it and given back before asserting. */
START_TEST(test_prepare_listen)
{
        struct ward_config c;
        struct ward_plan p = WARD_PLAN_EMPTY;
        struct ward_error e, e2;
        char pid[16];
        int fds[2], r_other, r_closed, r_open, flags, saved;

        ck_assert_int_eq(config_init(&c, &e), 0);
        unsetenv("NOTIFY_SOCKET");
        setenv("LISTEN_FDS", "1", 1);
        setenv("LISTEN_PID", "1", 1);
        r_other = systemd_prepare(&c, &p, &e);
        ck_assert_int_eq(r_other, 0);
        ck_assert_uint_eq(p.systemd.n_listen_fds, 0);
        ck_assert_ptr_null(config_get_env(&c, "LISTEN_FDS"));

        snprintf(pid, sizeof(pid), "%d", (int)getpid());
        setenv("LISTEN_PID", pid, 1);
        setenv("LISTEN_FDNAMES", "web", 1);
        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        saved = fcntl(3, F_DUPFD_CLOEXEC, 20);
        close(3);
        r_closed = systemd_prepare(&c, &p, &e2);
        dup3(fds[0], 3, O_CLOEXEC);
        r_open = systemd_prepare(&c, &p, &e);
        flags = fcntl(3, F_GETFD);
        close(3);
        if (saved >= 0)
                dup2(saved, 3);

        ck_assert_int_lt(r_closed, 0);
        ck_assert_ptr_nonnull(strstr(e2.msg, "is not open"));
        ck_assert_int_eq(r_open, 0);
        ck_assert_int_eq(p.systemd.notify_fd, -1);
        ck_assert_uint_eq(p.systemd.n_listen_fds, 1);
        ck_assert_str_eq(config_get_env(&c, "LISTEN_FDS"), "1");
        ck_assert_str_eq(config_get_env(&c, "LISTEN_FDNAMES"), "web");
        ck_assert_str_eq(env_origin(&c, "LISTEN_FDS"), "set by ward: socket activation");
        ck_assert_str_eq(env_origin(&c, "LISTEN_FDNAMES"), "set by ward: socket activation");
        ck_assert_int_eq(flags & FD_CLOEXEC, 0); /* the app must inherit it */
        config_free(&c);
}
END_TEST

/* A flood is relayed in bounded batches: one call passes on at most WARD_NOTIFY_BATCH_MAX
 * datagrams and leaves the rest queued, so the monitor gets back to its signals and the
 * pidfd between batches (the attack suite floods the real relay; this is the bound). */
START_TEST(test_relay_bounded_batch)
{
        int app[2], out[2], queued = 0, relayed = 0;
        char buf[64];

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, app), 0);
        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, out), 0);
        for (int i = 0; i < 3 * WARD_NOTIFY_BATCH_MAX; i++)
                if (send(app[0], "STATUS=flood", 12, MSG_DONTWAIT) == 12)
                        queued++;
        ck_assert_int_gt(queued, WARD_NOTIFY_BATCH_MAX);
        systemd_relay_notify(app[1], out[0]);
        while (recv(out[1], buf, sizeof(buf), MSG_DONTWAIT) > 0)
                relayed++;
        ck_assert_int_eq(relayed, WARD_NOTIFY_BATCH_MAX);
        systemd_relay_notify(app[1], out[0]);
        while (recv(out[1], buf, sizeof(buf), MSG_DONTWAIT) > 0)
                relayed++;
        ck_assert_int_eq(relayed,
                         queued < 2 * WARD_NOTIFY_BATCH_MAX ? queued : 2 * WARD_NOTIFY_BATCH_MAX);
        for (int i = 0; i < 2; i++) {
                close(app[i]);
                close(out[i]);
        }
}
END_TEST

START_TEST(test_prepare_notify_errors)
{
        struct ward_config c;
        struct ward_plan p = WARD_PLAN_EMPTY;
        struct ward_error e;

        ck_assert_int_eq(config_init(&c, &e), 0);
        unsetenv("LISTEN_PID");
        setenv("NOTIFY_SOCKET", "relative/path", 1);
        ck_assert_int_lt(systemd_prepare(&c, &p, &e), 0);
        ck_assert_ptr_nonnull(strstr(e.msg, "neither a socket path nor an @abstract name"));
        setenv("NOTIFY_SOCKET", "/nonexistent/ward-test.sock", 1);
        ck_assert_int_lt(systemd_prepare(&c, &p, &e), 0);
        ck_assert_ptr_nonnull(strstr(e.msg, "cannot connect to NOTIFY_SOCKET"));
        ck_assert(!p.systemd.notify);
        ck_assert_int_eq(p.systemd.notify_fd, -1);
        unsetenv("NOTIFY_SOCKET");
        config_free(&c);
}
END_TEST

/* WatchdogSec=: WATCHDOG_USEC reaches the app with the relay, WATCHDOG_PID never does. */
START_TEST(test_prepare_watchdog)
{
        struct ward_config c;
        struct ward_error e;
        char dir[] = "/tmp/ward-test-notify.XXXXXX", path[64], pid[16];
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        struct ward_plan p = WARD_PLAN_EMPTY;
        int fd;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/sock", dir);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
        unsetenv("LISTEN_PID");
        setenv("NOTIFY_SOCKET", path, 1);
        setenv("WATCHDOG_USEC", "5000000", 1);
        setenv("WATCHDOG_PID", "1", 1);

        ck_assert_int_eq(config_init(&c, &e), 0);
        ck_assert_int_eq(systemd_prepare(&c, &p, &e), 0);
        ck_assert(p.systemd.notify);
        ck_assert_int_ge(p.systemd.notify_fd, 0);
        ck_assert_str_eq(config_get_env(&c, "NOTIFY_SOCKET"), WARD_NOTIFY_PATH);
        ck_assert_str_eq(env_origin(&c, "NOTIFY_SOCKET"), "set by ward: systemd notification");
        ck_assert_ptr_null(config_get_env(&c, "WATCHDOG_USEC")); /* another process's */
        plan_done(&p);
        p = (struct ward_plan)WARD_PLAN_EMPTY;
        config_free(&c);

        snprintf(pid, sizeof(pid), "%d", (int)getpid());
        setenv("WATCHDOG_PID", pid, 1);
        ck_assert_int_eq(config_init(&c, &e), 0);
        ck_assert_int_eq(systemd_prepare(&c, &p, &e), 0);
        ck_assert_str_eq(config_get_env(&c, "WATCHDOG_USEC"), "5000000");
        ck_assert_str_eq(env_origin(&c, "WATCHDOG_USEC"), "set by ward: systemd watchdog");
        ck_assert_ptr_null(config_get_env(&c, "WATCHDOG_PID"));
        plan_done(&p);
        config_free(&c);

        unsetenv("NOTIFY_SOCKET");
        unsetenv("WATCHDOG_USEC");
        unsetenv("WATCHDOG_PID");
        close(fd);
        unlink(path);
        rmdir(dir);
}
END_TEST

static Suite *systemd_suite(void)
{
        Suite *s = suite_create("systemd");
        TCase *tc = tcase_create("notify");

        tcase_add_test(tc, test_filter_passes_service_state);
        tcase_add_test(tc, test_filter_drops_the_rest);
        tcase_add_test(tc, test_filter_never_overflows);
        tcase_add_test(tc, test_relay_bounded_batch);
        tcase_add_test(tc, test_prepare_notify_errors);
        tcase_add_test(tc, test_prepare_watchdog);
        suite_add_tcase(s, tc);
        tc = tcase_create("listen");
        tcase_add_test(tc, test_exec_environment);
        tcase_add_test(tc, test_prepare_listen);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(systemd_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
