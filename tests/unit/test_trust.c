/* Unit tests for trust.c: the rule for the directories above a path, and the walk that
 * checks them and opens the path once. No root needed (as root, one more case). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/trust.h"
#include "ward/util.h"

START_TEST(test_check_dir_rule)
{
        ck_assert_int_eq(trust_check_dir(0, S_IFDIR | 0755, 1000), TRUST_FAULT_NONE);
        ck_assert_int_eq(trust_check_dir(1000, S_IFDIR | 0700, 1000), TRUST_FAULT_NONE);
        ck_assert_int_eq(trust_check_dir(1001, S_IFDIR | 0755, 1000), TRUST_FAULT_OWNER);
        ck_assert_int_eq(trust_check_dir(1001, S_IFDIR | 0755, 0), TRUST_FAULT_OWNER);
        ck_assert_int_eq(trust_check_dir(0, S_IFDIR | 0775, 0), TRUST_FAULT_WRITABLE);
        ck_assert_int_eq(trust_check_dir(0, S_IFDIR | 0757, 0), TRUST_FAULT_WRITABLE);
        ck_assert_int_eq(trust_check_dir(1000, S_IFDIR | 0770, 1000), TRUST_FAULT_WRITABLE);
        /* Sticky and root's, like /tmp: fine; sticky and anyone else's: not. */
        ck_assert_int_eq(trust_check_dir(0, S_IFDIR | 01777, 1000), TRUST_FAULT_NONE);
        ck_assert_int_eq(trust_check_dir(1000, S_IFDIR | 01777, 1000), TRUST_FAULT_WRITABLE);
}
END_TEST

/* A scratch tree: D/a/b/c (dirs), D/file, D/rel -> a, D/abs -> D/a (absolute). */
static char D[64];

static void path_of(char *buf, size_t len, const char *rel)
{
        snprintf(buf, len, "%s/%s", D, rel);
}

/* D itself is made once, in the runner (an unchecked fixture), and removed with whatever a
 * failed test left in it. */
static void top_make(void)
{
        snprintf(D, sizeof(D), "/tmp/ward-test-trust-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(D));
        ck_assert_int_eq(chmod(D, 0755), 0);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        (void)st;
        (void)ftw;
        if (type == FTW_DP)
                chmod(path, 0755), rmdir(path);
        else
                unlink(path);
        return 0;
}

static void top_remove(void)
{
        nftw(D, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void tree_make(void)
{
        char p[PATH_MAX], target[PATH_MAX];
        int fd;

        path_of(p, sizeof(p), "a");
        ck_assert_int_eq(mkdir(p, 0755), 0);
        path_of(p, sizeof(p), "a/b");
        ck_assert_int_eq(mkdir(p, 0755), 0);
        path_of(p, sizeof(p), "a/b/c");
        ck_assert_int_eq(mkdir(p, 0755), 0);
        path_of(p, sizeof(p), "file");
        fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        ck_assert_int_ge(fd, 0);
        close(fd);
        path_of(p, sizeof(p), "rel");
        ck_assert_int_eq(symlink("a", p), 0);
        path_of(p, sizeof(p), "abs");
        path_of(target, sizeof(target), "a");
        ck_assert_int_eq(symlink(target, p), 0);
}

static void tree_remove(void)
{
        static const char *const names[] = {"rel", "abs", "file", "a/b/c", "a/b", "a"};
        char p[PATH_MAX];

        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                path_of(p, sizeof(p), names[i]);
                if (unlink(p) < 0)
                        rmdir(p);
        }
}

/* The fd opened is the directory named, however it was reached. */
static void assert_opens(const char *rel, const char *same_as)
{
        char p[PATH_MAX], q[PATH_MAX];
        struct trust_fault f;
        struct stat got, want;
        int fd;

        path_of(p, sizeof(p), rel);
        path_of(q, sizeof(q), same_as);
        fd = trust_open_path(p, geteuid(), &f);
        ck_assert_msg(fd >= 0, "%s: %s (at %s)", p, strerror(-fd), f.path);
        ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
        ck_assert_int_eq(fstat(fd, &got), 0);
        close(fd);
        ck_assert_int_eq(stat(q, &want), 0);
        ck_assert_msg(got.st_ino == want.st_ino && got.st_dev == want.st_dev, "%s is not %s", p, q);
}

START_TEST(test_walk_opens)
{
        struct trust_fault f;
        struct stat st;
        char p[PATH_MAX];
        int fd;

        tree_make();
        assert_opens("a/b/c", "a/b/c");
        assert_opens("a//b/./c/", "a/b/c");
        assert_opens("a/b/../b/c", "a/b/c");
        assert_opens("rel/b", "a/b");
        assert_opens("abs/b/c", "a/b/c");
        /* The last component is not followed: the link itself comes back. */
        path_of(p, sizeof(p), "rel");
        fd = trust_open_path(p, geteuid(), &f);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(fstat(fd, &st), 0);
        ck_assert(S_ISLNK(st.st_mode));
        close(fd);
        fd = trust_open_path("/", geteuid(), &f);
        ck_assert_int_ge(fd, 0);
        close(fd);
        tree_remove();
}
END_TEST

START_TEST(test_walk_lookup_faults)
{
        struct trust_fault f;
        char p[PATH_MAX], want[PATH_MAX];

        tree_make();
        path_of(p, sizeof(p), "missing/x");
        path_of(want, sizeof(want), "missing");
        ck_assert_int_eq(trust_open_path(p, geteuid(), &f), -ENOENT);
        ck_assert_int_eq(f.kind, TRUST_FAULT_LOOKUP);
        ck_assert_str_eq(f.path, want);
        path_of(p, sizeof(p), "file/x");
        ck_assert_int_eq(trust_open_path(p, geteuid(), &f), -ENOTDIR);
        ck_assert_int_eq(trust_open_path("relative/path", geteuid(), &f), -EINVAL);
        tree_remove();
}
END_TEST

/* A group-writable directory on the way stops the walk there, named with its mode; below
 * it nothing is looked up. The directory itself as the last component is the caller's to
 * judge. */
START_TEST(test_walk_writable)
{
        struct trust_fault f;
        char p[PATH_MAX], a[PATH_MAX], text[128];
        int fd;

        tree_make();
        path_of(a, sizeof(a), "a");
        ck_assert_int_eq(chmod(a, 0775), 0);
        path_of(p, sizeof(p), "a/b/c");
        ck_assert_int_eq(trust_open_path(p, geteuid(), &f), -EPERM);
        ck_assert_int_eq(f.kind, TRUST_FAULT_WRITABLE);
        ck_assert_str_eq(f.path, a);
        ck_assert_uint_eq(f.mode & 07777, 0775);
        trust_fault_text(&f, text, sizeof(text));
        ck_assert_msg(strstr(text, "its group") && strstr(text, "0775"), "%s", text);
        /* Reached through a symlink: the directory is named as walked. */
        path_of(p, sizeof(p), "rel/b");
        ck_assert_int_eq(trust_open_path(p, geteuid(), &f), -EPERM);
        ck_assert_str_eq(f.path, a);
        fd = trust_open_path(a, geteuid(), &f);
        ck_assert_int_ge(fd, 0);
        close(fd);
        ck_assert_int_eq(chmod(a, 01777), 0);
        path_of(p, sizeof(p), "a/b");
        if (geteuid() == 0) { /* sticky and root's */
                fd = trust_open_path(p, 0, &f);
                ck_assert_int_ge(fd, 0);
                close(fd);
        } else {
                ck_assert_int_eq(trust_open_path(p, geteuid(), &f), -EPERM);
        }
        tree_remove();
}
END_TEST

/* A directory of another user: as root, D/a handed to uid 4242; otherwise the walk is
 * asked on behalf of another caller, so that D (ours) is someone else's. */
START_TEST(test_walk_owner)
{
        struct trust_fault f;
        char p[PATH_MAX], a[PATH_MAX], text[128];
        uid_t caller = geteuid();
        const char *faulty = a;

        tree_make();
        path_of(a, sizeof(a), "a");
        path_of(p, sizeof(p), "a/b");
        if (caller == 0) {
                ck_assert_int_eq(chown(a, 4242, 4242), 0);
        } else {
                caller += 1;
                faulty = D;
        }
        ck_assert_int_eq(trust_open_path(p, caller, &f), -EPERM);
        ck_assert_int_eq(f.kind, TRUST_FAULT_OWNER);
        ck_assert_str_eq(f.path, faulty);
        trust_fault_text(&f, text, sizeof(text));
        ck_assert_msg(strstr(text, "belongs to uid") && strstr(text, "0755"), "%s", text);
        tree_remove();
}
END_TEST

/* More than 40 symlinks on the way: ELOOP, as the kernel's own lookup. */
START_TEST(test_walk_symlink_loop)
{
        struct trust_fault f;
        char p[PATH_MAX], target[PATH_MAX];

        tree_make();
        path_of(p, sizeof(p), "loop");
        path_of(target, sizeof(target), "loop/x");
        ck_assert_int_eq(symlink(target, p), 0);
        ck_assert_int_eq(trust_open_path(target, geteuid(), &f), -ELOOP);
        unlink(p);
        tree_remove();
}
END_TEST

static Suite *trust_suite(void)
{
        Suite *s = suite_create("trust");
        TCase *tc = tcase_create("trust");

        tcase_add_unchecked_fixture(tc, top_make, top_remove);

        tcase_add_test(tc, test_check_dir_rule);
        tcase_add_test(tc, test_walk_opens);
        tcase_add_test(tc, test_walk_lookup_faults);
        tcase_add_test(tc, test_walk_writable);
        tcase_add_test(tc, test_walk_owner);
        tcase_add_test(tc, test_walk_symlink_loop);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(trust_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
