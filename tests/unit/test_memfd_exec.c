/* Unit tests for src/sandbox/memfd_exec.c: [Process] MemfdExec= and the decision whether setup sets
 * vm.memfd_noexec=2. Nothing here writes the sysctl: memfd_exec_apply runs in setup only. */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/memfd_exec.h"
#include "ward/profile.h"

#include "config_fixture.h"

static int host_value(void)
{
        FILE *f = fopen("/proc/sys/vm/memfd_noexec", "re");
        int v = -1;

        if (f) {
                if (fscanf(f, "%d", &v) != 1)
                        v = -1;
                fclose(f);
        }
        return v;
}

START_TEST(test_parse)
{
        ck_assert_int_eq(c.memfd_exec, WARD_MEMFD_EXEC_TRY); /* built in */
        ck_assert_int_eq(load_text("[Process]\nMemfdExec=no\n"), 0);
        ck_assert_int_eq(c.memfd_exec, WARD_MEMFD_EXEC_NO);
        ck_assert_int_eq(c.memfd_exec_origin.line, 2);
        ck_assert_int_eq(load_text("[Process]\nMemfdExec=yes\n"), 0);
        ck_assert_int_eq(c.memfd_exec, WARD_MEMFD_EXEC_YES);
        ck_assert_int_lt(load_text("[Process]\nMemfdExec=maybe\n"), 0);
        ck_assert_str_eq(e.key, "Process.MemfdExec");
        ck_assert_str_eq(e.where, "test.profile:2");
}
END_TEST

START_TEST(test_decide)
{
        char why[256];
        int host = host_value();

        /* yes: never set. */
        ck_assert_int_eq(load_text("[Process]\nMemfdExec=yes\n"), 0);
        ck_assert_int_eq(memfd_exec_decide(&c, why, sizeof(why), &e), 0);
        /* Without a pid namespace of its own: try skips (and says why), no refuses. */
        c.unshare_flags &= ~(unsigned long)CLONE_NEWPID;
        ck_assert_int_eq(load_text("[Process]\nMemfdExec=try\n"), 0);
        if (host < 2) {
                ck_assert_int_eq(memfd_exec_decide(&c, why, sizeof(why), &e), 0);
                ck_assert_msg(strstr(why, "no pid namespace"), "%s", why);
                ck_assert_int_eq(load_text("[Process]\nMemfdExec=no\n"), 0);
                ck_assert_int_lt(memfd_exec_decide(&c, why, sizeof(why), &e), 0);
                ck_assert_str_eq(e.key, "Process.MemfdExec");
                ck_assert_msg(strstr(e.msg, "no pid namespace"), "%s", e.msg);
        }
        /* With one, on a kernel that has the sysctl, as root: set it. */
        c.unshare_flags |= CLONE_NEWPID;
        if (host >= 0 && host < 2 && geteuid() == 0)
                ck_assert_int_eq(memfd_exec_decide(&c, why, sizeof(why), &e), 1);
        if (host < 0)
                ck_assert_int_lt(memfd_exec_decide(&c, why, sizeof(why), &e), 0);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("memfd_exec");
        TCase *t = tcase_create("core");

        tcase_add_checked_fixture(t, setup, teardown);
        tcase_add_test(t, test_parse);
        tcase_add_test(t, test_decide);
        suite_add_tcase(s, t);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
