/* Unit tests for the value parsers and helpers in util.c, and json_util.c. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/json_util.h"
#include "ward/path.h"
#include "ward/path_search.h"
#include "ward/util.h"

START_TEST(test_parse_u64_and_u32)
{
        uint64_t v = 7;
        uint32_t w = 7;

        ck_assert_int_eq(ward_parse_u64("0", &v), 0);
        ck_assert_uint_eq(v, 0);
        ck_assert_int_eq(ward_parse_u64("18446744073709551615", &v), 0);
        ck_assert_uint_eq(v, UINT64_MAX);
        ck_assert_int_eq(ward_parse_u64("18446744073709551616", &v), -ERANGE);
        ck_assert_int_eq(ward_parse_u64("", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_u64("1x", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_u64(" 1", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_u64("+1", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_u64("-1", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_u64(NULL, &v), -EINVAL);
        ck_assert_uint_eq(v, UINT64_MAX); /* failures leave the output alone */

        ck_assert_int_eq(ward_parse_u32("4294967295", &w), 0);
        ck_assert_uint_eq(w, UINT32_MAX);
        ck_assert_int_eq(ward_parse_u32("4294967296", &w), -ERANGE);
        ck_assert_int_eq(ward_parse_u32("12 ", &w), -EINVAL);
        ck_assert_uint_eq(w, UINT32_MAX);
}
END_TEST

START_TEST(test_parse_size)
{
        uint64_t v = 0;

        ck_assert_int_eq(ward_parse_size("4096", &v), 0);
        ck_assert_uint_eq(v, 4096);
        ck_assert_int_eq(ward_parse_size("512k", &v), 0);
        ck_assert_uint_eq(v, 512u << 10);
        ck_assert_int_eq(ward_parse_size("64M", &v), 0);
        ck_assert_uint_eq(v, 64u << 20);
        ck_assert_int_eq(ward_parse_size("64m", &v), 0);
        ck_assert_uint_eq(v, 64u << 20);
        ck_assert_int_eq(ward_parse_size("2MiB", &v), 0);
        ck_assert_uint_eq(v, 2u << 20);
        ck_assert_int_eq(ward_parse_size("1G", &v), 0);
        ck_assert_uint_eq(v, 1ull << 30);
        ck_assert_int_eq(ward_parse_size("3T", &v), 0);
        ck_assert_uint_eq(v, 3ull << 40);
        ck_assert_int_eq(ward_parse_size("0", &v), 0);
        ck_assert_uint_eq(v, 0);
        /* The largest T value that fits, and the next one. */
        ck_assert_int_eq(ward_parse_size("16777215T", &v), 0);
        ck_assert_uint_eq(v, 16777215ull << 40);
        ck_assert_int_eq(ward_parse_size("16777216T", &v), -ERANGE);
        ck_assert_int_eq(ward_parse_size("17179869184G", &v), -ERANGE);
        ck_assert_int_eq(ward_parse_size("99999999999999999999999999999999", &v), -ERANGE);

        ck_assert_int_eq(ward_parse_size("", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_size("M", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_size("64X", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_size("64 M", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_size("64MM", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_size("1.5G", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_size("-1", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_size("max", &v), -EINVAL);
        ck_assert_int_eq(ward_parse_size(NULL, &v), -EINVAL);
        ck_assert_uint_eq(v, 16777215ull << 40);
}
END_TEST

START_TEST(test_parse_duration)
{
        uint64_t ms = 0;

        ck_assert_int_eq(ward_parse_duration_ms("10s", &ms), 0);
        ck_assert_uint_eq(ms, 10000);
        ck_assert_int_eq(ward_parse_duration_ms("10", &ms), 0);
        ck_assert_uint_eq(ms, 10000);
        ck_assert_int_eq(ward_parse_duration_ms("500ms", &ms), 0);
        ck_assert_uint_eq(ms, 500);
        ck_assert_int_eq(ward_parse_duration_ms("2min", &ms), 0);
        ck_assert_uint_eq(ms, 120000);
        ck_assert_int_eq(ward_parse_duration_ms("2m", &ms), 0);
        ck_assert_uint_eq(ms, 120000);
        ck_assert_int_eq(ward_parse_duration_ms("1h", &ms), 0);
        ck_assert_uint_eq(ms, 3600000);
        ck_assert_int_eq(ward_parse_duration_ms("0", &ms), 0);
        ck_assert_uint_eq(ms, 0);

        ck_assert_int_eq(ward_parse_duration_ms("18446744073709551615s", &ms), -ERANGE);
        ck_assert_int_eq(ward_parse_duration_ms("", &ms), -EINVAL);
        ck_assert_int_eq(ward_parse_duration_ms("s", &ms), -EINVAL);
        ck_assert_int_eq(ward_parse_duration_ms("10 s", &ms), -EINVAL);
        ck_assert_int_eq(ward_parse_duration_ms("1d", &ms), -EINVAL);
        ck_assert_int_eq(ward_parse_duration_ms("10S", &ms), -EINVAL);
        ck_assert_int_eq(ward_parse_duration_ms("1.5s", &ms), -EINVAL);
        ck_assert_int_eq(ward_parse_duration_ms(NULL, &ms), -EINVAL);
        ck_assert_uint_eq(ms, 0);
}
END_TEST

START_TEST(test_parse_bool)
{
        static const char *const yes[] = {"yes", "YES", "true", "True", "on", "1"};
        static const char *const no[] = {"no", "No", "false", "FALSE", "off", "0"};
        static const char *const bad[] = {"", "y", "yess", "2", "enable", " yes", "no "};
        bool b;

        for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
                b = false;
                ck_assert_int_eq(ward_parse_bool(yes[i], &b), 0);
                ck_assert(b);
        }
        for (size_t i = 0; i < ARRAY_SIZE(no); i++) {
                b = true;
                ck_assert_int_eq(ward_parse_bool(no[i], &b), 0);
                ck_assert(!b);
        }
        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
                b = true;
                ck_assert_int_eq(ward_parse_bool(bad[i], &b), -EINVAL);
                ck_assert(b);
        }
        ck_assert_int_eq(ward_parse_bool(NULL, &b), -EINVAL);
}
END_TEST

START_TEST(test_parse_mode)
{
        unsigned m = 0;

        ck_assert_int_eq(ward_parse_mode("1777", &m), 0);
        ck_assert_uint_eq(m, 01777);
        ck_assert_int_eq(ward_parse_mode("0755", &m), 0);
        ck_assert_uint_eq(m, 0755);
        ck_assert_int_eq(ward_parse_mode("755", &m), 0);
        ck_assert_uint_eq(m, 0755);
        ck_assert_int_eq(ward_parse_mode("0", &m), 0);
        ck_assert_uint_eq(m, 0);
        ck_assert_int_eq(ward_parse_mode("07777", &m), 0);
        ck_assert_uint_eq(m, 07777);

        ck_assert_int_eq(ward_parse_mode("17777", &m), -ERANGE);
        ck_assert_int_eq(ward_parse_mode("000755", &m), -EINVAL);
        ck_assert_int_eq(ward_parse_mode("8", &m), -EINVAL);
        ck_assert_int_eq(ward_parse_mode("0o755", &m), -EINVAL);
        ck_assert_int_eq(ward_parse_mode("rwx", &m), -EINVAL);
        ck_assert_int_eq(ward_parse_mode("", &m), -EINVAL);
        ck_assert_int_eq(ward_parse_mode("75 5", &m), -EINVAL);
        ck_assert_int_eq(ward_parse_mode(NULL, &m), -EINVAL);
        ck_assert_uint_eq(m, 07777);
}
END_TEST

START_TEST(test_edit_distance)
{
        ck_assert_uint_eq(ward_edit_distance("kitten", "sitting"), 3);
        ck_assert_uint_eq(ward_edit_distance("", "abc"), 3);
        ck_assert_uint_eq(ward_edit_distance("same", "same"), 0);
        /* Case does not count: "hostname" is a typo of "Hostname", not a different word. */
        ck_assert_uint_eq(ward_edit_distance("hostname", "Hostname"), 0);
        char longer[80];
        memset(longer, 'a', sizeof(longer) - 1);
        longer[sizeof(longer) - 1] = '\0';
        ck_assert_uint_eq(ward_edit_distance(longer, "a"), SIZE_MAX);
}
END_TEST

START_TEST(test_closest)
{
        static const char *const keys[] = {"Hostname", "Unshare", "IdMapBase", NULL};
        static const char *const none[] = {NULL};

        ck_assert_str_eq(ward_closest("Hostnme", keys), "Hostname");
        ck_assert_str_eq(ward_closest("hostname", keys), "Hostname");
        ck_assert_str_eq(ward_closest("Unshar", keys), "Unshare");
        ck_assert_str_eq(ward_closest("IDMapBase", keys), "IdMapBase");
        ck_assert_ptr_null(ward_closest("Memory", keys));
        ck_assert_ptr_null(ward_closest("x", keys));
        ck_assert_ptr_null(ward_closest("Hostname", none));
}
END_TEST

START_TEST(test_read_write_all)
{
        int p[2];
        char buf[6] = {0};

        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        ck_assert_int_eq(ward_write_all(p[1], "hello", 5), 0);
        ck_assert_int_eq(ward_read_all(p[0], buf, 5), 0);
        ck_assert_str_eq(buf, "hello");
        ck_assert_int_eq(ward_write_all(p[1], "ab", 2), 0);
        close(p[1]);
        /* The peer closed after 2 of the 5 bytes. */
        ck_assert_int_eq(ward_read_all(p[0], buf, 5), -EPIPE);
        close(p[0]);
        ck_assert_int_eq(ward_write_all(-1, "x", 1), -EBADF);
}
END_TEST

START_TEST(test_write_file_at)
{
        char dir[] = "/tmp/ward-util-XXXXXX", path[64], buf[16] = {0};
        int fd;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/f", dir);
        fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        close(fd);
        ck_assert_int_eq(ward_write_file_at(AT_FDCWD, path, "0 1000 1\n"), 0);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), 9);
        ck_assert_str_eq(buf, "0 1000 1\n");
        close(fd);
        unlink(path);
        /* It does not create files: /proc/PID/uid_map always exists. */
        ck_assert_int_eq(ward_write_file_at(AT_FDCWD, path, "x"), -ENOENT);
        rmdir(dir);
}
END_TEST

/* A scratch tree for the regular-file reader: f (regular, "abc"), fifo, dir, link -> /f,
 * big (100 bytes). */
struct tree {
        char dir[32];
        int fd;
};

static void tree_make(struct tree *t)
{
        int fd;

        snprintf(t->dir, sizeof(t->dir), "/tmp/ward-util-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(t->dir));
        t->fd = open(t->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(t->fd, 0);
        fd = openat(t->fd, "f", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        ck_assert_int_eq(write(fd, "abc", 3), 3);
        close(fd);
        fd = openat(t->fd, "big", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        ck_assert_int_eq(ftruncate(fd, 100), 0);
        close(fd);
        ck_assert_int_eq(mkfifoat(t->fd, "fifo", 0644), 0);
        ck_assert_int_eq(mkdirat(t->fd, "dir", 0755), 0);
        ck_assert_int_eq(symlinkat("/f", t->fd, "link"), 0);
}

static void tree_remove(struct tree *t)
{
        static const char *const names[] = {"f", "big", "fifo", "link"};

        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                unlinkat(t->fd, names[i], 0);
        unlinkat(t->fd, "dir", AT_REMOVEDIR);
        close(t->fd);
        rmdir(t->dir);
}

/* Only a bounded regular file is opened; a FIFO returns at once (never waits for a writer),
 * a device or directory is refused, and a symlink is followed only when asked, inside the
 * root with RESOLVE_IN_ROOT. */
START_TEST(test_open_regular_at)
{
        const uint64_t in_root = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
        struct tree t;
        char buf[8] = {0};
        int fd;

        tree_make(&t);
        fd = ward_open_regular_at(t.fd, "f", O_NOFOLLOW, in_root, 3);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(read(fd, buf, sizeof(buf)), 3);
        ck_assert_str_eq(buf, "abc");
        ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
        ck_assert_int_eq(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
        close(fd);
        ck_assert_int_eq(ward_open_regular_at(t.fd, "f", 0, in_root, 2), -EFBIG);
        ck_assert_int_eq(ward_open_regular_at(t.fd, "fifo", O_NOFOLLOW, in_root, 64), -EINVAL);
        ck_assert_int_eq(ward_open_regular_at(t.fd, "dir", O_NOFOLLOW, in_root, 64), -EINVAL);
        ck_assert_int_eq(ward_open_regular_at(AT_FDCWD, "/dev/null", 0, 0, 64), -EINVAL);
        ck_assert_int_eq(ward_open_regular_at(t.fd, "link", O_NOFOLLOW, in_root, 64), -ELOOP);
        ck_assert_int_eq(ward_open_regular_at(t.fd, "missing", 0, in_root, 64), -ENOENT);
        /* Followed when allowed: "/f" is the tree's f, not the host's /f. */
        fd = ward_open_regular_at(t.fd, "link", 0, in_root, 64);
        ck_assert_int_ge(fd, 0);
        close(fd);
        ck_assert_int_eq(
            ward_open_regular_at(t.fd, "../../etc/passwd", 0, RESOLVE_BENEATH, 1 << 20), -EXDEV);
        tree_remove(&t);
}
END_TEST

/* The whole file, NUL-terminated; the bound holds even for a file that claims size 0 and
 * has more (/proc). */
START_TEST(test_read_regular_at)
{
        struct tree t;
        char *text = NULL;
        size_t len = 0;

        tree_make(&t);
        ck_assert_int_eq(
            ward_read_regular_at(t.fd, "f", O_NOFOLLOW, RESOLVE_IN_ROOT, 3, &text, &len), 0);
        ck_assert_uint_eq(len, 3);
        ck_assert_str_eq(text, "abc");
        free(text);
        text = NULL;
        ck_assert_int_eq(ward_read_regular_at(t.fd, "big", 0, RESOLVE_IN_ROOT, 99, &text, &len),
                         -EFBIG);
        ck_assert_ptr_null(text);
        ck_assert_int_eq(ward_read_regular_at(AT_FDCWD, "/proc/self/status", 0, 0, 16, &text, &len),
                         -EFBIG);
        /* Size 0 in fstat, more when read: the buffer grows, up to the bound. */
        ck_assert_int_eq(
            ward_read_regular_at(AT_FDCWD, "/proc/self/status", 0, 0, 1 << 20, &text, &len), 0);
        ck_assert_uint_gt(len, 100);
        ck_assert_uint_eq(strlen(text), len);
        ck_assert_ptr_nonnull(strstr(text, "Name:"));
        free(text);
        text = NULL;
        ck_assert_int_eq(ward_read_regular_at(t.fd, "fifo", 0, RESOLVE_IN_ROOT, 64, &text, &len),
                         -EINVAL);
        tree_remove(&t);
}
END_TEST

/* Every element in order with "BASE[i]"; none for NULL or a non-array; a long path cut. */
START_TEST(test_json_foreach)
{
        json_t *arr = json_pack("[i, s, n]", 7, "x");
        struct ward_json_elem el;
        char base[300];
        size_t n = 0;

        ward_json_foreach(arr, "mounts[2].options", &el)
        {
                char want[64];
                snprintf(want, sizeof(want), "mounts[2].options[%zu]", n);
                ck_assert_str_eq(el.path, want);
                ck_assert_ptr_eq(el.v, json_array_get(arr, n));
                ck_assert_uint_eq(el.i, n++);
        }
        ck_assert_uint_eq(n, 3);
        ward_json_foreach(NULL, "x", &el) n++;
        ward_json_foreach(json_array_get(arr, 1), "x", &el) n++;
        ck_assert_uint_eq(n, 3);
        memset(base, 'a', sizeof(base) - 1);
        base[sizeof(base) - 1] = '\0';
        el.i = 2;
        ck_assert(ward_json_elem_at(arr, base, &el));
        ck_assert_uint_eq(strlen(el.path), WARD_JSON_PATH_LEN - 1);
        ck_assert_str_eq(ward_json_type_name(el.v), "null");
        json_decref(arr);
}
END_TEST

/* The spelling every check compares: what openat2 would resolve, ".." refused. */
START_TEST(test_json_swap_uint64_max)
{
        char text[] = "{\"a\": 18446744073709551615, \"s\": \"18446744073709551615\",\n"
                      " \"b\": [118446744073709551615, 18446744073709551615.5, "
                      "18446744073709551615]}";
        const char *want = "{\"a\": -9223372036854775808, \"s\": \"18446744073709551615\",\n"
                           " \"b\": [118446744073709551615, 18446744073709551615.5, "
                           "-9223372036854775808]}";
        char clash[] = "[1, -9223372036854775808, 18446744073709551615]";
        int line, col;

        /* Whole number tokens only: not in a string, not part of a longer number. */
        ck_assert_int_eq(ward_json_swap_uint64_max(text, strlen(text), true), -1);
        ck_assert_str_eq(text, want);
        ck_assert_int_eq(ward_json_swap_uint64_max(text, strlen(text), false), -1);
        ck_assert_str_eq(text + 6, "18446744073709551615, \"s\": \"18446744073709551615\",\n"
                                   " \"b\": [118446744073709551615, 18446744073709551615.5, "
                                   "18446744073709551615]}");
        /* A stand-in already there would be ambiguous: its offset, nothing changed. */
        ck_assert_int_eq(ward_json_swap_uint64_max(clash, strlen(clash), true), 4);
        ck_assert_str_eq(clash, "[1, -9223372036854775808, 18446744073709551615]");
        ward_json_line_column("ab\n\xc3\xa9x", 5, &line, &col);
        ck_assert_int_eq(line, 2);
        ck_assert_int_eq(col, 2); /* é is one column, as jansson counts */
}
END_TEST

START_TEST(test_path_normalize)
{
        static const char *const same[][2] = {
            {"/", "/"},
            {"//", "/"},
            {"/.", "/"},
            {"/./", "/"},
            {"/./proc", "/proc"},
            {"//proc", "/proc"},
            {"/proc/", "/proc"},
            {"/proc/.", "/proc"},
            {"/dev/.", "/dev"},
            {"/dev//./", "/dev"},
            {"/a/./b//c/", "/a/b/c"},
            {"/...", "/..."},
            {"/a..", "/a.."},
            {"/.hidden", "/.hidden"},
        };
        static const char *const refused[] = {"/..", "/proc/../proc", "/a/..", "/../proc", "proc",
                                              "",    "./proc"};
        const char *why = NULL;
        char buf[64], *long_path = malloc(PATH_MAX + 1);

        for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
                snprintf(buf, sizeof(buf), "%s", same[i][0]);
                ck_assert_int_eq(ward_path_normalize(buf, &why), 0);
                ck_assert_str_eq(buf, same[i][1]);
        }
        for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
                snprintf(buf, sizeof(buf), "%s", refused[i]);
                ck_assert_int_eq(ward_path_normalize(buf, &why), -EINVAL);
                ck_assert_str_eq(buf, refused[i]); /* left as written, for the message */
                ck_assert_ptr_nonnull(strstr(why, refused[i][0] == '/' ? "\"..\"" : "absolute"));
        }
        ck_assert_ptr_nonnull(long_path);
        memset(long_path, 'a', PATH_MAX);
        long_path[0] = '/';
        long_path[PATH_MAX] = '\0';
        ck_assert_int_eq(ward_path_normalize(long_path, &why), -ENAMETOOLONG);
        free(long_path);
}
END_TEST

START_TEST(test_path_within)
{
        ck_assert(ward_path_within("/proc", "/proc"));
        ck_assert(ward_path_within("/proc/1/root", "/proc"));
        ck_assert(!ward_path_within("/procfoo", "/proc"));
        ck_assert(!ward_path_within("/pro", "/proc"));
        ck_assert(!ward_path_within("/dev", "/dev/shm"));
        ck_assert(ward_path_within("/dev/shm", "/dev"));
        ck_assert(ward_path_within("/anything", "/"));
        ck_assert(ward_path_within("/", "/"));
}
END_TEST

/* PATH as "a:b" -> "a/cmd|b/cmd|" */
static void walk(const char *path, char *out, size_t len)
{
        char buf[64];
        size_t used = 0;
        int r;

        out[0] = '\0';
        for (const char *cursor = path; (r = ward_path_next(&cursor, "cmd", buf, sizeof(buf)));)
                used += (size_t)snprintf(out + used, len - used, "%s|", r > 0 ? buf : "(long)");
}

START_TEST(test_path_next)
{
        char out[256], big[200], path[256];

        walk(NULL, out, sizeof(out));
        ck_assert_str_eq(out, "/usr/bin/cmd|/bin/cmd|");
        walk("", out, sizeof(out));
        ck_assert_str_eq(out, "cmd|"); /* empty PATH: the current directory, as execvp(3) */
        walk("/a", out, sizeof(out));
        ck_assert_str_eq(out, "/a/cmd|");
        walk(":/a", out, sizeof(out));
        ck_assert_str_eq(out, "cmd|/a/cmd|");
        walk("/a:", out, sizeof(out));
        ck_assert_str_eq(out, "/a/cmd|cmd|");
        walk("/a::/b", out, sizeof(out));
        ck_assert_str_eq(out, "/a/cmd|cmd|/b/cmd|");
        memset(big, 'x', sizeof(big) - 1);
        big[0] = '/';
        big[sizeof(big) - 1] = '\0';
        snprintf(path, sizeof(path), "%s:/c", big);
        walk(path, out, sizeof(out));
        ck_assert_str_eq(out, "(long)|/c/cmd|");
}
END_TEST

/* ward's check finds what ward-init runs: an empty PATH element is the current directory. */
START_TEST(test_find_command_empty_element)
{
        char tmpl[] = "/tmp/ward-test-path-XXXXXX", cwd[4096], buf[4096], file[4200];
        int fd;

        ck_assert_ptr_nonnull(mkdtemp(tmpl));
        snprintf(file, sizeof(file), "%s/tool", tmpl);
        ck_assert_int_ge(fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0755), 0);
        close(fd);
        ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
        ck_assert_int_eq(chdir(tmpl), 0);
        ck_assert_int_eq(ward_find_command("tool", "/nonexistent:", buf, sizeof(buf)), 0);
        ck_assert_str_eq(buf, "tool");
        ck_assert_int_eq(ward_find_command("tool", "", buf, sizeof(buf)), 0);
        ck_assert_int_eq(ward_find_command("tool", "/nonexistent", buf, sizeof(buf)), -ENOENT);
        ck_assert_int_eq(chdir(cwd), 0);
        unlink(file);
        rmdir(tmpl);
}
END_TEST

static Suite *util_suite(void)
{
        Suite *s = suite_create("util");
        TCase *tc = tcase_create("parsers");

        tcase_add_test(tc, test_parse_u64_and_u32);
        tcase_add_test(tc, test_parse_size);
        tcase_add_test(tc, test_parse_duration);
        tcase_add_test(tc, test_parse_bool);
        tcase_add_test(tc, test_parse_mode);
        suite_add_tcase(s, tc);
        tc = tcase_create("helpers");
        tcase_add_test(tc, test_edit_distance);
        tcase_add_test(tc, test_closest);
        tcase_add_test(tc, test_read_write_all);
        tcase_add_test(tc, test_write_file_at);
        tcase_add_test(tc, test_open_regular_at);
        tcase_add_test(tc, test_read_regular_at);
        tcase_add_test(tc, test_json_foreach);
        tcase_add_test(tc, test_json_swap_uint64_max);
        tcase_add_test(tc, test_path_normalize);
        tcase_add_test(tc, test_path_within);
        tcase_add_test(tc, test_path_next);
        tcase_add_test(tc, test_find_command_empty_element);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(util_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
