/* Unit tests for the id-range allocator (idmap.c): leases in a private pool directory. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/idmap.h"
#include "ward/util.h"

static char pool[PATH_MAX];

/* A fresh pool directory below the working directory (the build tree), whose chain up to /
 * is normally root's or ours and not writable by others, unlike /tmp. */
static void make_pool(void)
{
        char cwd[PATH_MAX - 32];

        ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
        snprintf(pool, sizeof(pool), "%s/idmap-test-XXXXXX", cwd);
        ck_assert_ptr_nonnull(mkdtemp(pool));
}

static void remove_pool(void)
{
        char cmd[PATH_MAX + 32];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pool);
        ck_assert_int_eq(system(cmd), 0);
}

static int open_dir(const char *path)
{
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        return fd;
}

static bool exists_at(int dirfd, const char *name)
{
        struct stat st;
        return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

START_TEST(test_lowest_free_first)
{
        struct ward_id_lease a, b, c, d, e4;
        struct ward_error e;
        int dirfd;

        make_pool();
        dirfd = open_dir(pool);
        ck_assert_int_eq(idmap_lease_take(dirfd, 3, &a, &e), 0);
        ck_assert_int_eq(idmap_lease_take(dirfd, 3, &b, &e), 0);
        ck_assert_int_eq(idmap_lease_take(dirfd, 3, &c, &e), 0);
        ck_assert_uint_eq(a.index, 0);
        ck_assert_uint_eq(b.index, 1);
        ck_assert_uint_eq(c.index, 2);
        /* Every range leased: refused with the pool's bounds and the way out. */
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(idmap_lease_take(dirfd, 3, &d, &e), -EAGAIN);
        ck_assert_int_eq(e.err, EAGAIN);
        ck_assert(strstr(e.msg, "all 3 host id ranges of the pool (2000000..2196607)"));
        ck_assert(strstr(e.hint, "Namespaces.IdMapBase="));
        /* A released range is the next one handed out; its file is gone meanwhile. */
        idmap_lease_release(&b);
        ck_assert_int_eq(b.fd, -1);
        ck_assert(!exists_at(dirfd, "range-1"));
        ck_assert_int_eq(idmap_lease_take(dirfd, 3, &d, &e), 0);
        ck_assert_uint_eq(d.index, 1);
        ck_assert_int_eq(idmap_lease_take(dirfd, 4, &e4, &e), 0);
        ck_assert_uint_eq(e4.index, 3);
        idmap_lease_release(&a);
        idmap_lease_release(&c);
        idmap_lease_release(&d);
        idmap_lease_release(&e4);
        idmap_lease_release(&e4); /* twice: nothing */
        /* Nothing left behind. */
        for (int i = 0; i < 4; i++) {
                char name[16];
                snprintf(name, sizeof(name), "range-%d", i);
                ck_assert(!exists_at(dirfd, name));
        }
        close(dirfd);
        remove_pool();
}
END_TEST

/* The sandbox must never inherit the lease: it could unlock it for everyone. */
START_TEST(test_lease_fds_cloexec)
{
        struct ward_id_lease a;
        struct ward_error e;
        int dirfd;

        make_pool();
        dirfd = open_dir(pool);
        ck_assert_int_eq(idmap_lease_take(dirfd, 2, &a, &e), 0);
        ck_assert(fcntl(a.fd, F_GETFD) & FD_CLOEXEC);
        ck_assert(fcntl(a.dirfd, F_GETFD) & FD_CLOEXEC);
        idmap_lease_release(&a);
        close(dirfd);
        remove_pool();
}
END_TEST

/* A holder killed with SIGKILL leaves its file, unlocked: the range is free again. */
START_TEST(test_sigkill_frees_the_range)
{
        struct ward_id_lease a, b;
        struct ward_error e;
        int dirfd, p[2];
        uint32_t child_index = 99;
        pid_t pid;

        make_pool();
        dirfd = open_dir(pool);
        ck_assert_int_eq(pipe(p), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                struct ward_id_lease l;
                if (idmap_lease_take(dirfd, 4, &l, &e) < 0)
                        _exit(1);
                if (write(p[1], &l.index, sizeof(l.index)) != sizeof(l.index))
                        _exit(1);
                pause();
                _exit(0);
        }
        close(p[1]);
        ck_assert_int_eq(read(p[0], &child_index, sizeof(child_index)), sizeof(child_index));
        ck_assert_uint_eq(child_index, 0);
        ck_assert_int_eq(idmap_lease_take(dirfd, 4, &a, &e), 0);
        ck_assert_uint_eq(a.index, 1);
        ck_assert_int_eq(kill(pid, SIGKILL), 0);
        ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
        ck_assert(exists_at(dirfd, "range-0"));
        ck_assert_int_eq(idmap_lease_take(dirfd, 4, &b, &e), 0);
        ck_assert_uint_eq(b.index, 0);
        idmap_lease_release(&a);
        idmap_lease_release(&b);
        close(p[0]);
        close(dirfd);
        remove_pool();
}
END_TEST

/* Concurrent takers in separate processes never share a range. */
START_TEST(test_concurrent_takers_disjoint)
{
        enum { N = 16 };
        struct ward_error e;
        int dirfd, p[2], go[2];
        bool seen[N] = {false};
        pid_t pids[N];

        make_pool();
        dirfd = open_dir(pool);
        ck_assert_int_eq(pipe(p), 0);
        ck_assert_int_eq(pipe(go), 0);
        for (int i = 0; i < N; i++) {
                pids[i] = fork();
                ck_assert_int_ge(pids[i], 0);
                if (pids[i] == 0) {
                        struct ward_id_lease l;
                        char c;
                        close(go[1]);
                        /* All start together once the pipe closes. */
                        if (read(go[0], &c, 1) != 0 || idmap_lease_take(dirfd, N, &l, &e) < 0)
                                _exit(1);
                        if (write(p[1], &l.index, sizeof(l.index)) != sizeof(l.index))
                                _exit(1);
                        pause();
                        _exit(0);
                }
        }
        close(go[0]);
        close(go[1]);
        close(p[1]);
        for (int i = 0; i < N; i++) {
                uint32_t k = N;
                ck_assert_int_eq(read(p[0], &k, sizeof(k)), sizeof(k));
                ck_assert_uint_lt(k, N);
                ck_assert_msg(!seen[k], "range %u handed out twice", k);
                seen[k] = true;
        }
        for (int i = 0; i < N; i++) {
                kill(pids[i], SIGKILL);
                waitpid(pids[i], NULL, 0);
        }
        close(p[0]);
        close(dirfd);
        remove_pool();
}
END_TEST

/* A lock on a file that is no longer under the range's name guards nothing. */
START_TEST(test_orphaned_lock_is_not_a_lease)
{
        struct ward_id_lease a;
        struct ward_error e;
        int dirfd, old;

        make_pool();
        dirfd = open_dir(pool);
        old = openat(dirfd, "range-0", O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
        ck_assert_int_ge(old, 0);
        ck_assert_int_eq(unlinkat(dirfd, "range-0", 0), 0);
        ck_assert_int_eq(flock(old, LOCK_EX | LOCK_NB), 0);
        ck_assert_int_eq(idmap_lease_take(dirfd, 2, &a, &e), 0);
        ck_assert_uint_eq(a.index, 0);
        idmap_lease_release(&a);
        close(old);
        close(dirfd);
        remove_pool();
}
END_TEST

/* Anything but our own regular file under a range's name: refused, never guessed around. */
START_TEST(test_odd_range_files_refused)
{
        struct ward_id_lease a;
        struct ward_error e;
        int dirfd;

        make_pool();
        dirfd = open_dir(pool);
        ck_assert_int_eq(symlinkat("/etc/passwd", dirfd, "range-0"), 0);
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(idmap_lease_take(dirfd, 2, &a, &e), -ELOOP);
        ck_assert(strstr(e.msg, "range-0"));
        ck_assert_int_eq(unlinkat(dirfd, "range-0", 0), 0);
        ck_assert_int_eq(mkfifoat(dirfd, "range-0", 0600), 0);
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(idmap_lease_take(dirfd, 2, &a, &e), -EPERM);
        ck_assert(strstr(e.msg, "not a regular file"));
        ck_assert_int_eq(unlinkat(dirfd, "range-0", 0), 0);
        ck_assert_int_eq(mkdirat(dirfd, "range-0", 0700), 0);
        memset(&e, 0, sizeof(e));
        ck_assert_int_lt(idmap_lease_take(dirfd, 2, &a, &e), 0);
        ck_assert(e.msg[0]);
        close(dirfd);
        remove_pool();
}
END_TEST

/* A fixed range in the pool: held shared, so leases skip it and fixed holders share it. */
START_TEST(test_fixed_range_held_shared)
{
        struct ward_id_lease f1, f2, f3, l1, l2;
        struct ward_error e;
        int dirfd;

        make_pool();
        dirfd = open_dir(pool);
        ck_assert_int_eq(idmap_hold_fixed(dirfd, 2000000, 4, 0, &f1, &e), 0);
        ck_assert_int_ge(f1.shared[0], 0);
        ck_assert_int_eq(f1.shared[1], -1);
        ck_assert_int_eq(f1.fd, -1);
        ck_assert(fcntl(f1.shared[0], F_GETFD) & FD_CLOEXEC);
        /* Another sandbox of the same fixed range shares it; a lease skips it. */
        ck_assert_int_eq(idmap_hold_fixed(dirfd, 2000000, 4, 0, &f2, &e), 0);
        ck_assert_int_eq(idmap_lease_take(dirfd, 4, &l1, &e), 0);
        ck_assert_uint_eq(l1.index, 1);
        /* Unaligned: overlaps ranges 0 and 1, and 1 is leased. */
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(idmap_hold_fixed(dirfd, 2000100, 4, 0, &f3, &e), -EBUSY);
        ck_assert(strstr(e.msg, "overlap range 1 of the id pool"));
        ck_assert(strstr(e.hint, "outside the pool (2000000..2262143)"));
        ck_assert_int_eq(f3.shared[0], -1);
        /* Outside the pool: nothing to hold. */
        ck_assert_int_eq(idmap_hold_fixed(dirfd, 1000000, 4, 0, &f3, &e), 0);
        ck_assert_int_eq(f3.shared[0], -1);
        ck_assert_int_eq(f3.dirfd, -1);
        /* Holders do not unlink (the other may remain); once both left, 0 is free. */
        idmap_lease_release(&f1);
        ck_assert(exists_at(dirfd, "range-0"));
        ck_assert_int_eq(idmap_lease_take(dirfd, 4, &l2, &e), 0);
        ck_assert_uint_eq(l2.index, 2);
        idmap_lease_release(&l2);
        idmap_lease_release(&f2);
        ck_assert(!exists_at(dirfd, "range-0")); /* the last holder removed it */
        ck_assert_int_eq(idmap_lease_take(dirfd, 4, &l2, &e), 0);
        ck_assert_uint_eq(l2.index, 0);
        /* ...and while leased, a fixed range on it is refused. */
        ck_assert_int_eq(idmap_hold_fixed(dirfd, 2000000, 4, 0, &f3, &e), -EBUSY);
        idmap_lease_release(&l1);
        idmap_lease_release(&l2);
        close(dirfd);
        remove_pool();
}
END_TEST

/* A fixed range waits for a short-lived lease on it to end, then holds it. */
START_TEST(test_fixed_range_waits_for_a_lease)
{
        struct ward_id_lease f;
        struct ward_error e;
        int dirfd, p[2];
        char c;
        pid_t pid;

        make_pool();
        dirfd = open_dir(pool);
        ck_assert_int_eq(pipe(p), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                struct ward_id_lease l;
                if (idmap_lease_take(dirfd, 4, &l, &e) < 0 || write(p[1], "x", 1) != 1)
                        _exit(1);
                usleep(300 * 1000);
                _exit(0); /* the kernel drops the lock */
        }
        close(p[1]);
        ck_assert_int_eq(read(p[0], &c, 1), 1);
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(idmap_hold_fixed(dirfd, 2000000, 4, 50, &f, &e), -EBUSY);
        ck_assert(strstr(e.msg, "waited 50 ms"));
        ck_assert_int_eq(idmap_hold_fixed(dirfd, 2000000, 4, 5000, &f, &e), 0);
        ck_assert_int_ge(f.shared[0], 0);
        ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
        idmap_lease_release(&f);
        close(p[0]);
        close(dirfd);
        remove_pool();
}
END_TEST

/* Whether every directory from / down to path is ours or root's and not group/other
 * writable: the positive cases need such a place. */
static bool chain_is_clean(const char *path)
{
        char buf[PATH_MAX], *slash;
        struct stat st;

        snprintf(buf, sizeof(buf), "%s", path);
        for (;;) {
                if (lstat(buf[0] ? buf : "/", &st) < 0 || !S_ISDIR(st.st_mode) ||
                    (st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022))
                        return false;
                if (!buf[0])
                        return true;
                slash = strrchr(buf, '/');
                *slash = '\0';
        }
}

START_TEST(test_pool_open_creates_and_checks)
{
        char path[PATH_MAX + 32], sub[PATH_MAX + 64];
        struct ward_error e;
        struct stat st;
        int fd;

        make_pool();
        if (!chain_is_clean(pool)) {
                fprintf(stderr, "# skipped: %s has a group/other-writable parent\n", pool);
                remove_pool();
                return;
        }
        /* The last two levels are made, 0700. */
        snprintf(path, sizeof(path), "%s/ward/idmap", pool);
        fd = idmap_pool_open(path, &e);
        ck_assert_int_ge(fd, 0);
        ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        ck_assert_int_eq(fstat(fd, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0700);
        close(fd);
        /* Open to others: refused, naming the directory, its mode and the fix. */
        ck_assert_int_eq(chmod(path, 0755), 0);
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(idmap_pool_open(path, &e), -EPERM);
        ck_assert(strstr(e.msg, path));
        ck_assert(strstr(e.msg, "mode 0755"));
        ck_assert(strstr(e.hint, "chmod 0700"));
        ck_assert_int_eq(chmod(path, 0700), 0);
        /* A parent writable by its group: refused. */
        snprintf(sub, sizeof(sub), "%s/ward", pool);
        ck_assert_int_eq(chmod(sub, 0770), 0);
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(idmap_pool_open(path, &e), -EPERM);
        ck_assert(strstr(e.msg, "writable by group or others"));
        ck_assert_int_eq(chmod(sub, 0700), 0);
        /* A symlink in the chain: not followed. */
        snprintf(sub, sizeof(sub), "%s/link", pool);
        ck_assert_int_eq(symlink("ward", sub), 0);
        snprintf(path, sizeof(path), "%s/link/idmap", pool);
        memset(&e, 0, sizeof(e));
        ck_assert_int_lt(idmap_pool_open(path, &e), 0);
        ck_assert(e.err == ELOOP || e.err == ENOTDIR);
        remove_pool();
}
END_TEST

START_TEST(test_pool_open_refuses_tmp_and_relative)
{
        struct ward_error e;

        /* /tmp is world-writable (sticky or not): another user could have made the pool. */
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(idmap_pool_open("/tmp/ward-idmap-unit-never/idmap", &e), -EPERM);
        ck_assert(strstr(e.msg, "\"/tmp\""));
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(idmap_pool_open("run/ward/idmap", &e), -EINVAL);
        /* Deeper than the walk holds: refused, never cut short to a shallower directory. */
        ck_assert_int_eq(idmap_pool_open("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", &e), -EINVAL);
        ck_assert(strstr(e.msg, "too deep"));
}
END_TEST

static Suite *idmap_suite(void)
{
        Suite *s = suite_create("idmap");
        TCase *tc = tcase_create("lease");

        tcase_add_test(tc, test_lowest_free_first);
        tcase_add_test(tc, test_lease_fds_cloexec);
        tcase_add_test(tc, test_sigkill_frees_the_range);
        tcase_add_test(tc, test_concurrent_takers_disjoint);
        tcase_add_test(tc, test_orphaned_lock_is_not_a_lease);
        tcase_add_test(tc, test_odd_range_files_refused);
        tcase_add_test(tc, test_fixed_range_held_shared);
        tcase_add_test(tc, test_fixed_range_waits_for_a_lease);
        tcase_add_test(tc, test_pool_open_creates_and_checks);
        tcase_add_test(tc, test_pool_open_refuses_tmp_and_relative);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(idmap_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
