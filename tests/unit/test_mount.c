/* mount.c's check that nothing is left stacked on "/" after pivot_root, on the real kernel:
 * right after pivot_root(".", ".") the old root sits on top of the new one (the check must
 * say so), after the detach nothing does. Runs in a user + mount namespace of its own. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

struct report {
        int setup_err;
        char setup_what[64];
        int after_pivot, after_detach;
};

#include "userns_child.h"
#include "ward/mount.h"

static void child_pivot(struct report *rep, void *arg)
{
        const char *dir = arg;
        int rootfd;

        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return setup_failed(rep, "make / private");
        if (mount(dir, dir, NULL, MS_BIND, NULL) < 0)
                return setup_failed(rep, "bind the new root");
        if ((rootfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 || fchdir(rootfd) < 0)
                return setup_failed(rep, "enter the new root");
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return setup_failed(rep, "pivot_root");
        rep->after_pivot = mount_root_overmounted(rootfd);
        if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
                return setup_failed(rep, "detach the old root");
        rep->after_detach = mount_root_overmounted(rootfd);
}

START_TEST(test_old_root_seen_until_detached)
{
        char dir[] = "/tmp/ward-test-mount-XXXXXX";
        struct report rep;
        bool ran;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        ran = run_in_userns(CLONE_NEWNS, MAP_SELF, child_pivot, dir, &rep);
        ck_assert_int_eq(rmdir(dir), 0); /* before the verdicts: a failure leaves nothing */
        if (ran) {
                ck_assert_int_eq(rep.after_pivot, 1);
                ck_assert_int_eq(rep.after_detach, 0);
        }
}
END_TEST

int main(void)
{
        Suite *s = suite_create("mount");
        TCase *tc = tcase_create("pivot");
        SRunner *sr;
        int failed;

        tcase_add_test(tc, test_old_root_seen_until_detached);
        suite_add_tcase(s, tc);
        sr = srunner_create(s);
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
