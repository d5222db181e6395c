/* Unit tests for Landlock: the [Landlock] keys, the rights per ABI, the fail-closed decision,
 * and (in a forked child only: restrict_self is irreversible) a ruleset actually enforced. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/landlock.h"
#include "ward/profile.h"

#define CAP_SYS_ADMIN_BIT (UINT64_C(1) << 21)

#include "config_fixture.h"

/* ------------------------------------------------------------------------------------- */
/* Keys                                                                                  */

START_TEST(test_off_by_default)
{
        ck_assert_int_eq(c.landlock.mode, WARD_LANDLOCK_OFF);
        ck_assert_int_eq(landlock_decide(&c, 7, &e), 0);
}
END_TEST

START_TEST(test_lists_and_origins)
{
        ck_assert_int_eq(load_text("[Landlock]\n"
                                   "ReadOnly=/bin /etc\n"
                                   "ReadWrite=/tmp\n"
                                   "Execute=/usr/sbin/nginx\n"
                                   "BindTCP=80, 443\n"
                                   "ConnectTCP=5432\n"
                                   "ReadOnly=/usr\n"),
                         0);
        ck_assert_int_eq(c.landlock.mode, WARD_LANDLOCK_ON);
        ck_assert_uint_eq(c.landlock.origin.line, 2); /* the first rule asked for it */
        ck_assert_uint_eq(c.landlock.n_read_only, 3);
        ck_assert_str_eq(c.landlock.read_only[1].path, "/etc");
        ck_assert_str_eq(c.landlock.read_only[2].path, "/usr");
        ck_assert_uint_eq(c.landlock.read_only[2].origin.line, 7);
        ck_assert_uint_eq(c.landlock.n_read_write, 1);
        ck_assert_str_eq(c.landlock.execute[0].path, "/usr/sbin/nginx");
        ck_assert_uint_eq(c.landlock.n_bind_tcp, 2);
        ck_assert_uint_eq(c.landlock.bind_tcp[0], 80);
        ck_assert_uint_eq(c.landlock.bind_tcp[1], 443);
        ck_assert_uint_eq(c.landlock.bind_tcp_origin.line, 5);
        ck_assert_uint_eq(c.landlock.n_connect_tcp, 1);
        ck_assert_uint_eq(c.landlock.connect_tcp[0], 5432);
}
END_TEST

START_TEST(test_empty_resets)
{
        ck_assert_int_eq(load_text("[Landlock]\nReadOnly=/bin\nBindTCP=80\nReadOnly=\nBindTCP=\n"
                                   "Execute=/bin/app\n"),
                         0);
        ck_assert_uint_eq(c.landlock.n_read_only, 0);
        ck_assert_uint_eq(c.landlock.n_bind_tcp, 0);
        ck_assert_uint_eq(c.landlock.n_execute, 1);
}
END_TEST

START_TEST(test_empty_value_implies_nothing)
{
        ck_assert_int_eq(load_text("[Landlock]\nReadOnly=\n"), 0);
        ck_assert_int_eq(c.landlock.mode, WARD_LANDLOCK_OFF);
}
END_TEST

START_TEST(test_explicit_mode_wins)
{
        ck_assert_int_eq(load_text("[Landlock]\nLandlock=no\nReadOnly=/bin\n"), 0);
        ck_assert_int_eq(c.landlock.mode, WARD_LANDLOCK_OFF);
        ck_assert_int_eq(load_text("[Landlock]\nExecute=/bin\nLandlock=try\nReadOnly=/etc\n"), 0);
        ck_assert_int_eq(c.landlock.mode, WARD_LANDLOCK_TRY);
        ck_assert_uint_eq(c.landlock.origin.line, 3);
        ck_assert_int_eq(load_text("[Landlock]\nLandlock=yes\n"), 0);
        ck_assert_int_eq(c.landlock.mode, WARD_LANDLOCK_ON);
}
END_TEST

START_TEST(test_bad_mode)
{
        ck_assert_int_eq(load_text("[Landlock]\n\nLandlock=maybe\n"), -EINVAL);
        ck_assert_str_eq(e.where, "test.profile:3");
        ck_assert_str_eq(e.key, "Landlock.Landlock");
        ck_assert_ptr_nonnull(strstr(e.hint, "try"));
}
END_TEST

START_TEST(test_bad_paths)
{
        ck_assert_int_eq(load_text("[Landlock]\nReadOnly=/bin etc\n"), -EINVAL);
        ck_assert_str_eq(e.where, "test.profile:2");
        ck_assert_str_eq(e.key, "Landlock.ReadOnly");
        ck_assert_ptr_nonnull(strstr(e.msg, "etc"));
        ck_assert_int_eq(load_text("[Landlock]\nReadWrite=/tmp/../etc\n"), -EINVAL);
        ck_assert_str_eq(e.key, "Landlock.ReadWrite");
        ck_assert_ptr_nonnull(strstr(e.msg, ".."));
        /* ".." inside a name is a name. */
        ck_assert_int_eq(load_text("[Landlock]\nReadOnly=/srv/a..b\n"), 0);
}
END_TEST

START_TEST(test_bad_ports)
{
        ck_assert_int_eq(load_text("[Landlock]\nBindTCP=80 70000\n"), -EINVAL);
        ck_assert_str_eq(e.key, "Landlock.BindTCP");
        ck_assert_ptr_nonnull(strstr(e.msg, "70000"));
        ck_assert_int_eq(load_text("[Landlock]\nConnectTCP=http\n"), -EINVAL);
        ck_assert_str_eq(e.key, "Landlock.ConnectTCP");
        ck_assert_int_eq(load_text("[Landlock]\nConnectTCP=-1\n"), -EINVAL);
}
END_TEST

START_TEST(test_unknown_key_suggests)
{
        ck_assert_int_eq(load_text("[Landlock]\nReadOnli=/bin\n"), -EINVAL);
        ck_assert_str_eq(e.where, "test.profile:2");
        ck_assert_ptr_nonnull(strstr(e.hint, "ReadOnly"));
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Rights per ABI                                                                        */

START_TEST(test_handled_per_abi)
{
        ck_assert_uint_eq(landlock_handled_fs(0), 0);
        ck_assert_uint_eq(landlock_handled_fs(1), 0x1fff); /* EXECUTE .. MAKE_SYM */
        ck_assert_uint_eq(landlock_handled_fs(2), 0x3fff); /* + REFER */
        ck_assert_uint_eq(landlock_handled_fs(3), 0x7fff); /* + TRUNCATE */
        ck_assert_uint_eq(landlock_handled_fs(4), 0x7fff); /* network only */
        ck_assert_uint_eq(landlock_handled_fs(5), 0xffff); /* + IOCTL_DEV */
        ck_assert_uint_eq(landlock_handled_fs(7), 0xffff);
        ck_assert_uint_eq(landlock_handled_fs(99), 0xffff); /* newer: what ward knows */
        ck_assert_uint_eq(landlock_handled_net(3), 0);
        ck_assert_uint_eq(landlock_handled_net(4), 3); /* BIND_TCP | CONNECT_TCP */
        ck_assert_uint_eq(landlock_scoped(5), 0);
        ck_assert_uint_eq(landlock_scoped(6), 3); /* ABSTRACT_UNIX_SOCKET | SIGNAL */
        ck_assert_uint_eq(landlock_scoped(7), 3);
}
END_TEST

START_TEST(test_list_access)
{
        /* READ_FILE 0x4, READ_DIR 0x8, EXECUTE 0x1, WRITE_FILE 0x2. */
        ck_assert_uint_eq(landlock_list_access(WARD_LANDLOCK_READ_ONLY, 7, true), 0xc);
        ck_assert_uint_eq(landlock_list_access(WARD_LANDLOCK_READ_ONLY, 7, false), 0x4);
        ck_assert_uint_eq(landlock_list_access(WARD_LANDLOCK_EXECUTE, 7, true), 0xd);
        ck_assert_uint_eq(landlock_list_access(WARD_LANDLOCK_EXECUTE, 7, false), 0x5);
        /* Everything but EXECUTE, MAKE_CHAR (0x40) and MAKE_BLOCK (0x800). */
        ck_assert_uint_eq(landlock_list_access(WARD_LANDLOCK_READ_WRITE, 1, true), 0x17be);
        ck_assert_uint_eq(landlock_list_access(WARD_LANDLOCK_READ_WRITE, 7, true), 0xf7be);
        /* A file: WRITE_FILE, READ_FILE, TRUNCATE (0x4000), IOCTL_DEV (0x8000). */
        ck_assert_uint_eq(landlock_list_access(WARD_LANDLOCK_READ_WRITE, 7, false), 0xc006);
        ck_assert_uint_eq(landlock_list_access(WARD_LANDLOCK_READ_WRITE, 1, false), 0x6);
        ck_assert_uint_eq(landlock_list_access(WARD_LANDLOCK_READ_ONLY, 0, true), 0);
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Fail closed                                                                           */

START_TEST(test_decide_fail_closed)
{
        ck_assert_int_eq(load_text("[Landlock]\nExecute=/bin/app\n"), 0);
        ck_assert_int_eq(landlock_decide(&c, 7, &e), 1);
        ck_assert_int_eq(landlock_decide(&c, 0, &e), -EOPNOTSUPP);
        ck_assert_ptr_nonnull(strstr(e.msg, "Landlock is not available (ABI 0)"));
        ck_assert_ptr_nonnull(strstr(e.hint, "Landlock=try"));
        ck_assert_str_eq(e.key, "Landlock.Landlock");
        ck_assert_str_eq(e.where, "test.profile:2");
        ck_assert_int_eq(load_text("[Landlock]\nLandlock=try\n"), 0);
        ck_assert_int_eq(landlock_decide(&c, 0, &e), 0);
        ck_assert_int_eq(landlock_decide(&c, 1, &e), 1);
}
END_TEST

START_TEST(test_decide_needs_nnp)
{
        ck_assert_int_eq(load_text("[Process]\nNoNewPrivileges=no\n[Landlock]\nExecute=/bin\n"), 0);
        ck_assert_int_eq(landlock_decide(&c, 7, &e), -EPERM);
        ck_assert_ptr_nonnull(strstr(e.hint, "NoNewPrivileges=yes"));
        c.caps_keep |= CAP_SYS_ADMIN_BIT; /* restrict_self's other condition */
        ck_assert_int_eq(landlock_decide(&c, 7, &e), 1);
        c.caps_keep = 0;
        ck_assert_int_eq(load_text("[Landlock]\nLandlock=try\n"), 0);
        ck_assert_int_eq(landlock_decide(&c, 7, &e), 0);
}
END_TEST

START_TEST(test_decide_ports_need_abi4)
{
        ck_assert_int_eq(load_text("[Landlock]\nExecute=/bin\nBindTCP=80\n"), 0);
        ck_assert_int_eq(landlock_decide(&c, 3, &e), -EOPNOTSUPP);
        ck_assert_ptr_nonnull(strstr(e.msg, "ABI 4"));
        ck_assert_int_eq(landlock_decide(&c, 4, &e), 1);
        ck_assert_int_eq(load_text("[Landlock]\nLandlock=try\n"), 0);
        ck_assert_int_eq(landlock_decide(&c, 3, &e), 1); /* file rules only */
}
END_TEST

START_TEST(test_decide_empty_execute)
{
        ck_assert_int_eq(load_text("[Landlock]\nReadOnly=/\n"), 0);
        ck_assert_int_eq(landlock_decide(&c, 7, &e), -EINVAL);
        ck_assert_ptr_nonnull(strstr(e.hint, "Execute="));
}
END_TEST

START_TEST(test_describe)
{
        char buf[1024];

        landlock_describe(&c, 7, buf, sizeof(buf));
        ck_assert_ptr_nonnull(strstr(buf, "no Landlock"));
        ck_assert_int_eq(load_text("[Landlock]\nExecute=/bin\nBindTCP=8080\n"), 0);
        landlock_describe(&c, 7, buf, sizeof(buf));
        ck_assert_ptr_nonnull(strstr(buf, "Landlock ABI 7"));
        ck_assert_ptr_nonnull(strstr(buf, "TCP bind to 8080, connect to none"));
        ck_assert_ptr_nonnull(strstr(buf, "restrict_self (after no_new_privs)"));
        landlock_describe(&c, 0, buf, sizeof(buf));
        ck_assert_ptr_nonnull(strstr(buf, "REFUSED"));
        ck_assert_int_eq(load_text("[Landlock]\nLandlock=try\n"), 0);
        landlock_describe(&c, 0, buf, sizeof(buf));
        ck_assert_ptr_nonnull(strstr(buf, "NOT applied"));
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Enforced, in a forked child                                                           */

/* Runs in the child only: apply, then probe; the exit code says which check failed. */
static int child_checks(const char *dir)
{
        char path[4096];
        int fd;

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || landlock_apply(&c, &e) < 0)
                return 10;
        snprintf(path, sizeof(path), "%s/file", dir);
        if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0)
                return 11; /* ReadWrite= grants creating a file */
        close(fd);
        if (open("/proc/self/status", O_RDONLY | O_CLOEXEC) >= 0 || errno != EACCES)
                return 12; /* outside every list */
        if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0)
                return 13; /* the implicit device rule */
        close(fd);
        if ((fd = open("/bin", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
                return 14; /* Execute=/bin lists it too */
        close(fd);
        return 0;
}

START_TEST(test_apply_in_child)
{
        char dir[] = "/tmp/ward-test-landlock.XXXXXX", text[512], path[600];
        int status;
        pid_t pid;

        if (landlock_abi() < 1)
                return; /* nothing to enforce on this kernel; decide() is tested above */
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(text, sizeof(text), "[Landlock]\nReadWrite=%s\nExecute=/bin\n", dir);
        ck_assert_int_eq(load_text(text), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(child_checks(dir));
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        snprintf(path, sizeof(path), "%s/file", dir);
        unlink(path);
        rmdir(dir);
        ck_assert(WIFEXITED(status));
        ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(test_apply_missing_path)
{
        int status, fds[2];
        pid_t pid;

        if (landlock_abi() < 1)
                return;
        ck_assert_int_eq(load_text("[Landlock]\nExecute=/bin\nReadOnly=/nonexistent-ward\n"), 0);
        ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                int r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ? -1 : landlock_apply(&c, &e);
                if (write(fds[1], &e, sizeof(e)) != (ssize_t)sizeof(e))
                        _exit(2);
                _exit(r == -ENOENT ? 0 : 1);
        }
        close(fds[1]);
        ck_assert_int_eq(read(fds[0], &e, sizeof(e)), (ssize_t)sizeof(e));
        close(fds[0]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_int_eq(WEXITSTATUS(status), 0);
        ck_assert_str_eq(e.key, "Landlock.ReadOnly");
        ck_assert_str_eq(e.where, "test.profile:3");
        ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent-ward"));
        ck_assert_ptr_nonnull(strstr(e.hint, "create it"));
}
END_TEST

START_TEST(test_example_profile)
{
        ck_assert_int_eq(
            profile_load(&c, WARD_SOURCE_PROFILES_DIR "/examples/landlock-web.profile", &e), 0);
        ck_assert_int_eq(c.landlock.mode, WARD_LANDLOCK_ON);
        ck_assert_str_eq(c.landlock.execute[0].path, "/usr/sbin/nginx");
        ck_assert_uint_eq(c.landlock.n_bind_tcp, 1);
        ck_assert_uint_eq(c.landlock.bind_tcp[0], 8080);
        ck_assert_int_eq(landlock_decide(&c, 7, &e), 1);
}
END_TEST

START_TEST(test_shipped_profiles_leave_it_off)
{
        ck_assert_int_eq(profile_load(&c, WARD_SOURCE_PROFILES_DIR "/default.profile", &e), 0);
        ck_assert_int_eq(profile_load(&c, WARD_SOURCE_PROFILES_DIR "/strict.profile", &e), 0);
        ck_assert_int_eq(c.landlock.mode, WARD_LANDLOCK_OFF);
        ck_assert(!c.landlock.mode_set); /* so that a rule in a profile on top turns it on */
}
END_TEST

static Suite *landlock_suite(void)
{
        Suite *s = suite_create("landlock");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_off_by_default);
        tcase_add_test(tc, test_lists_and_origins);
        tcase_add_test(tc, test_empty_resets);
        tcase_add_test(tc, test_empty_value_implies_nothing);
        tcase_add_test(tc, test_explicit_mode_wins);
        tcase_add_test(tc, test_bad_mode);
        tcase_add_test(tc, test_bad_paths);
        tcase_add_test(tc, test_bad_ports);
        tcase_add_test(tc, test_unknown_key_suggests);
        tcase_add_test(tc, test_handled_per_abi);
        tcase_add_test(tc, test_list_access);
        tcase_add_test(tc, test_decide_fail_closed);
        tcase_add_test(tc, test_decide_needs_nnp);
        tcase_add_test(tc, test_decide_ports_need_abi4);
        tcase_add_test(tc, test_decide_empty_execute);
        tcase_add_test(tc, test_describe);
        tcase_add_test(tc, test_apply_in_child);
        tcase_add_test(tc, test_apply_missing_path);
        tcase_add_test(tc, test_example_profile);
        tcase_add_test(tc, test_shipped_profiles_leave_it_off);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(landlock_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
