/* Unit tests for hook_log.c: the --log-file ward hook appends to (what it refuses to open,
 * the line format) and the note that ends stderr when no sink exists. The syslog and
 * journal sockets are fixed paths: tests/integration/test_hook_install.sh binds stand-ins
 * there in a mount namespace. No root needed. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "ward/hook_log.h"
#include "ward/util.h"

static char D[64];

static void top_make(void)
{
        snprintf(D, sizeof(D), "/tmp/ward-test-hook-log-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(D));
        ck_assert_int_eq(chmod(D, 0755), 0);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        (void)st;
        (void)ftw;
        if (type == FTW_DP)
                rmdir(path);
        else
                unlink(path);
        return 0;
}

static void top_remove(void)
{
        nftw(D, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void path_of(char *buf, size_t len, const char *rel)
{
        snprintf(buf, len, "%s/%s", D, rel);
}

/* The whole of a small file, NUL-terminated, into buf. */
static void slurp(const char *path, char *buf, size_t len)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n;

        ck_assert_int_ge(fd, 0);
        n = read(fd, buf, len - 1);
        ck_assert_int_ge(n, 0);
        buf[n] = '\0';
}

static bool matches(const char *text, const char *pattern)
{
        regex_t re;
        int r;

        ck_assert_int_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE | REG_NOSUB), 0);
        r = regexec(&re, text, 0, NULL, 0);
        regfree(&re);
        return r == 0;
}

START_TEST(test_file_lines)
{
        struct hook_log l = {0};
        struct ward_error e = {0};
        char p[PATH_MAX], text[4096];
        struct stat st;

        path_of(p, sizeof(p), "lines.log");
        ck_assert_int_eq(hook_log_open_file(&l, p, &e), 0);
        ck_assert_int_eq(l.sink, HOOK_LOG_FILE);
        hook_log_line(&l, LOG_WARNING, "refusing container c1 under policy default: W071");
        hook_log_line(&l, LOG_INFO, "allowed container c2");
        hook_log_close(&l);
        ck_assert_int_eq(stat(p, &st), 0);
        ck_assert_int_eq(st.st_mode & 07777, 0600);
        slurp(p, text, sizeof(text));
        ck_assert_msg(matches(text, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\."
                                    "[0-9]{3}Z ward-hook\\[[0-9]+\\]: warning: refusing "
                                    "container c1 under policy default: W071$"),
                      "%s", text);
        ck_assert_msg(matches(text, "Z ward-hook\\[[0-9]+\\]: info: allowed container c2$"), "%s",
                      text);

        /* A second hook appends. */
        ck_assert_int_eq(hook_log_open_file(&l, p, &e), 0);
        hook_log_line(&l, LOG_ERR, "third");
        hook_log_close(&l);
        slurp(p, text, sizeof(text));
        ck_assert_msg(matches(text, "W071$") && matches(text, ": err: third$"), "%s", text);
}
END_TEST

/* expect_refused REL ERRNO: --log-file D/REL is refused with -ERRNO, blamed on the flag,
 * with a fix, and the log falls back to another sink than the file. */
static void expect_refused(const char *rel, int err)
{
        struct hook_log l = {0};
        struct ward_error e = {0};
        char p[PATH_MAX];

        path_of(p, sizeof(p), rel);
        ck_assert_int_eq(hook_log_open_file(&l, p, &e), -err);
        ck_assert_str_eq(e.key, "--log-file");
        ck_assert_str_eq(e.where, "command line");
        ck_assert_int_ne(e.hint[0], '\0');
        ck_assert_int_ne(l.sink, HOOK_LOG_FILE);
        l.said = false; /* no note on the test's stderr */
        hook_log_close(&l);
}

START_TEST(test_file_refused)
{
        struct hook_log l = {0};
        struct ward_error e = {0};
        char p[PATH_MAX], q[PATH_MAX], text[64];

        /* A symlink to a file of the attacker's choosing: not followed, nothing written. */
        path_of(q, sizeof(q), "target");
        close(open(q, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
        path_of(p, sizeof(p), "link");
        ck_assert_int_eq(symlink(q, p), 0);
        expect_refused("link", ELOOP);
        slurp(q, text, sizeof(text));
        ck_assert_str_eq(text, "");

        /* A FIFO: refused at once, never waited on. */
        path_of(p, sizeof(p), "fifo");
        ck_assert_int_eq(mkfifo(p, 0600), 0);
        expect_refused("fifo", EPERM);

        /* A file others may write: they could forge lines. */
        path_of(p, sizeof(p), "shared.log");
        close(open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
        ck_assert_int_eq(chmod(p, 0666), 0);
        expect_refused("shared.log", EPERM);

        /* A directory others may write, sticky or not: they could plant the file first. */
        path_of(p, sizeof(p), "open");
        ck_assert_int_eq(mkdir(p, 0755), 0);
        ck_assert_int_eq(chmod(p, 0777), 0);
        expect_refused("open/ward-hook.log", EPERM);
        path_of(p, sizeof(p), "sticky");
        ck_assert_int_eq(mkdir(p, 0755), 0);
        ck_assert_int_eq(chmod(p, 01777), 0);
        expect_refused("sticky/ward-hook.log", EPERM);
        path_of(p, sizeof(p), "open/ward-hook.log");
        ck_assert_int_eq(access(p, F_OK), -1);

        /* Deeper: a writable directory above the file's own. */
        path_of(p, sizeof(p), "open/sub");
        ck_assert_int_eq(mkdir(p, 0755), 0);
        expect_refused("open/sub/ward-hook.log", EPERM);

        /* A directory that does not exist, a directory as the file. */
        expect_refused("missing/ward-hook.log", ENOENT);
        expect_refused("open/..", EINVAL);
        expect_refused("open/", EINVAL);

        /* Relative. */
        ck_assert_int_eq(hook_log_open_file(&l, "ward-hook.log", &e), -EINVAL);
        ck_assert_str_eq(e.key, "--log-file");
        l.said = false;
        hook_log_close(&l);
}
END_TEST

/* With no sink, stderr's last line says so once, and names the fix; not when only info
 * lines (an allowed container) were logged. */
START_TEST(test_no_sink_note)
{
        char p[PATH_MAX], text[2048];
        struct hook_log l = {.sink = HOOK_LOG_NONE, .fd = -1};
        int saved = dup(STDERR_FILENO), fd;

        path_of(p, sizeof(p), "stderr");
        fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
        hook_log_line(&l, LOG_INFO, "allowed container c1");
        hook_log_close(&l);
        l = (struct hook_log){.sink = HOOK_LOG_NONE, .fd = -1};
        hook_log_line(&l, LOG_WARNING, "refusing container c2");
        hook_log_line(&l, LOG_WARNING, "refused container c2");
        hook_log_close(&l);
        hook_log_close(&l);
        dup2(saved, STDERR_FILENO);
        close(saved);
        close(fd);
        slurp(p, text, sizeof(text));
        ck_assert_msg(matches(text, "^ward hook: warning: the lines above went to stderr alone"),
                      "%s", text);
        ck_assert_msg(matches(text, "no --log-file was given; fix: add \"--log-file\", "
                                    "\"/var/log/ward-hook.log\" to the hook's args\n$"),
                      "%s", text);
        ck_assert_ptr_null(strstr(strstr(text, "alone") + 1, "alone")); /* once */
}
END_TEST

static Suite *hook_log_suite(void)
{
        Suite *s = suite_create("hook_log");
        TCase *tc = tcase_create("hook_log");

        tcase_add_unchecked_fixture(tc, top_make, top_remove);
        tcase_add_test(tc, test_file_lines);
        tcase_add_test(tc, test_file_refused);
        tcase_add_test(tc, test_no_sink_note);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(hook_log_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
