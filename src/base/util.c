/* Value parsers and I/O helpers shared by the modules. */
#include "ward/util.h"
#include "ward/path_search.h"

#include <ctype.h>
#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/syscalls.h"

void ward_fclosep(struct _IO_FILE **f)
{
        if (*f)
                fclose((FILE *)*f);
}

int ward_parse_u64(const char *s, uint64_t *out)
{
        char *end;
        unsigned long long v;

        if (!s || !*s || !isdigit((unsigned char)*s))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno == ERANGE)
                return -ERANGE;
        if (*end)
                return -EINVAL;
        *out = v;
        return 0;
}

int ward_parse_u32(const char *s, uint32_t *out)
{
        uint64_t v;
        int r = ward_parse_u64(s, &v);

        if (r < 0)
                return r;
        if (v > UINT32_MAX)
                return -ERANGE;
        *out = (uint32_t)v;
        return 0;
}

/* A decimal with an optional '-': what ward_parse_u32 takes, signed. */
int ward_parse_i32(const char *s, int32_t *out)
{
        bool negative = s[0] == '-';
        uint32_t v;
        int r = ward_parse_u32(s + negative, &v);

        if (r < 0)
                return r;
        if (v > (negative ? (uint32_t)INT32_MAX + 1 : (uint32_t)INT32_MAX))
                return -ERANGE;
        *out = negative ? (int32_t)(0 - (int64_t)v) : (int32_t)v;
        return 0;
}

/* Room for element n: doubling, so that n appends cost O(n) copies in all where growing by
 * one element each time copied O(n^2) under ASan (whose realloc always moves). The room
 * already there is asked of the allocator, so an array from any malloc may be grown. */
void *ward_grow(void *array, size_t n, size_t elem_size)
{
        size_t cap = n < 4 ? 4 : n * 2;

        if (n >= SIZE_MAX / 2 / elem_size) {
                errno = ENOMEM;
                return NULL;
        }
        if (array && malloc_usable_size(array) >= (n + 1) * elem_size)
                return array;
        return realloc(array, cap * elem_size);
}

/* Split "64M" into its number and a suffix; the number may not be empty. */
static int split_number(const char *s, uint64_t *num, const char **suffix)
{
        char digits[32];
        size_t n = 0;

        while (isdigit((unsigned char)s[n]))
                n++;
        if (n == 0 || n >= sizeof(digits))
                return n == 0 ? -EINVAL : -ERANGE;
        memcpy(digits, s, n);
        digits[n] = '\0';
        *suffix = s + n;
        return ward_parse_u64(digits, num);
}

static int multiply(uint64_t v, uint64_t factor, uint64_t *out)
{
        if (factor && v > UINT64_MAX / factor)
                return -ERANGE;
        *out = v * factor;
        return 0;
}

struct unit {
        const char *suffix;
        uint64_t factor;
};

/* NUMBER immediately followed by one of the units' suffixes (compare picks the case rule). */
static int parse_with_units(const char *s, const struct unit *units, size_t n_units,
                            int (*compare)(const char *, const char *), uint64_t *out)
{
        const char *suffix;
        uint64_t v;
        int r;

        if (!s)
                return -EINVAL;
        r = split_number(s, &v, &suffix);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n_units; i++)
                if (compare(suffix, units[i].suffix) == 0)
                        return multiply(v, units[i].factor, out);
        return -EINVAL;
}

int ward_parse_size(const char *s, uint64_t *out)
{
        static const struct unit units[] = {
            {"", 1},
            {"B", 1},
            {"K", 1ull << 10},
            {"KB", 1ull << 10},
            {"KiB", 1ull << 10},
            {"M", 1ull << 20},
            {"MB", 1ull << 20},
            {"MiB", 1ull << 20},
            {"G", 1ull << 30},
            {"GB", 1ull << 30},
            {"GiB", 1ull << 30},
            {"T", 1ull << 40},
            {"TB", 1ull << 40},
            {"TiB", 1ull << 40},
        };
        return parse_with_units(s, units, ARRAY_SIZE(units), strcasecmp, out);
}

int ward_parse_duration_ms(const char *s, uint64_t *out)
{
        /* Case matters here: "m" is minutes and "ms" milliseconds. */
        static const struct unit units[] = {
            {"", 1000},   {"s", 1000},    {"sec", 1000},  {"ms", 1},
            {"m", 60000}, {"min", 60000}, {"h", 3600000},
        };
        return parse_with_units(s, units, ARRAY_SIZE(units), strcmp, out);
}

int ward_parse_bool(const char *s, bool *out)
{
        static const char *const yes[] = {"yes", "true", "on", "1"};
        static const char *const no[] = {"no", "false", "off", "0"};

        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
                if (strcasecmp(s, yes[i]) == 0) {
                        *out = true;
                        return 0;
                }
                if (strcasecmp(s, no[i]) == 0) {
                        *out = false;
                        return 0;
                }
        }
        return -EINVAL;
}

int ward_parse_mode(const char *s, unsigned *out)
{
        unsigned v = 0;

        if (!s || !*s || strlen(s) > 5)
                return -EINVAL;
        for (const char *p = s; *p; p++) {
                if (*p < '0' || *p > '7')
                        return -EINVAL;
                v = v * 8 + (unsigned)(*p - '0');
        }
        if (v > 07777)
                return -ERANGE;
        *out = v;
        return 0;
}

int ward_write_all(int fd, const void *buf, size_t len)
{
        const char *p = buf;

        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

int ward_read_all(int fd, void *buf, size_t len)
{
        char *p = buf;

        while (len > 0) {
                ssize_t n = read(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        return -EPIPE;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

int ward_write_file_at(int dirfd, const char *path, const char *content)
{
        _cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return -errno;
        /* /proc files want the whole content in one write(2). */
        ssize_t n = write(fd, content, strlen(content));
        if (n < 0)
                return -errno;
        return (size_t)n == strlen(content) ? 0 : -EIO;
}

int ward_exe_dir(char *buf, size_t len)
{
        ssize_t n = readlink("/proc/self/exe", buf, len - 1);
        char *slash;

        if (n < 0)
                return -errno;
        if ((size_t)n >= len - 1)
                return -ENAMETOOLONG;
        buf[n] = '\0';
        if (!(slash = strrchr(buf, '/')))
                return -EINVAL;
        *slash = '\0';
        return 0;
}

size_t ward_edit_distance(const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b);
        size_t row[64];

        if (lb >= ARRAY_SIZE(row) || la >= 64)
                return SIZE_MAX;
        for (size_t j = 0; j <= lb; j++)
                row[j] = j;
        for (size_t i = 1; i <= la; i++) {
                size_t diag = row[0];
                row[0] = i;
                for (size_t j = 1; j <= lb; j++) {
                        size_t up = row[j];
                        size_t cost =
                            tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1])
                                ? 0
                                : 1;
                        size_t best = diag + cost;
                        if (row[j - 1] + 1 < best)
                                best = row[j - 1] + 1;
                        if (up + 1 < best)
                                best = up + 1;
                        row[j] = best;
                        diag = up;
                }
        }
        return row[lb];
}

const char *ward_closest(const char *word, const char *const *candidates)
{
        const char *best = NULL;
        size_t best_distance = SIZE_MAX;
        size_t limit = strlen(word) / 3 + 1;

        for (size_t i = 0; candidates[i]; i++) {
                size_t d = ward_edit_distance(word, candidates[i]);
                if (d < best_distance) {
                        best_distance = d;
                        best = candidates[i];
                }
        }
        return best_distance <= (limit < 3 ? limit : 3) ? best : NULL;
}

/* O_PATH: nothing of the file runs yet (a device's open may have side effects, a FIFO's
 * waits for a writer). openat2 asks for a retry (EAGAIN) when a rename races with "..". */
static int open_path_at(int dirfd, const char *path, int oflags, uint64_t resolve)
{
        struct open_how how = {.flags = (uint64_t)(O_PATH | O_CLOEXEC | oflags),
                               .resolve = resolve};

        if (!resolve) {
                int fd = openat(dirfd, path, (int)how.flags);
                return fd < 0 ? -errno : fd;
        }
        for (int i = 0; i < 32; i++) {
                int fd = ward_openat2(dirfd, path, &how);
                if (fd >= 0)
                        return fd;
                if (errno != EAGAIN)
                        return -errno;
        }
        return -EAGAIN;
}

int ward_reopen_for_reading(int pathfd, const struct stat *checked)
{
        char self[64];
        struct stat st;
        _cleanup_close_ int fd = -1;

        snprintf(self, sizeof(self), "/proc/self/fd/%d", pathfd);
        fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return access("/proc/self/fd", F_OK) < 0 ? -ENOMEDIUM : -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (st.st_dev != checked->st_dev || st.st_ino != checked->st_ino)
                return -EXDEV; /* not the inode we checked: /proc is not ours */
        return ward_take_fd(&fd);
}

int ward_open_regular_at(int dirfd, const char *path, int oflags, uint64_t resolve, size_t max_size)
{
        _cleanup_close_ int pathfd = open_path_at(dirfd, path, oflags, resolve);
        struct stat st;

        if (pathfd < 0)
                return pathfd;
        if (fstat(pathfd, &st) < 0)
                return -errno;
        if (S_ISLNK(st.st_mode))
                return -ELOOP; /* O_NOFOLLOW with O_PATH opens the link itself */
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        if ((uint64_t)st.st_size > max_size)
                return -EFBIG;
        return ward_reopen_for_reading(pathfd, &st);
}

int ward_open_regular(const char *path, size_t max_size)
{
        return ward_open_regular_at(AT_FDCWD, path, 0, 0, max_size);
}

int ward_read_fd_bounded(int fd, size_t max_size, char **text, size_t *len)
{
        _cleanup_free_ char *buf = NULL;
        size_t got = 0, cap;
        struct stat st;

        if (fstat(fd, &st) < 0)
                return -errno;
        cap = (uint64_t)st.st_size < max_size ? (size_t)st.st_size + 1 : max_size + 1;
        if (st.st_size == 0) /* a pipe, a memfd being written, /proc: no size to go by */
                cap = max_size < 65536 ? max_size + 1 : 65536;
        if (!(buf = malloc(cap + 1)))
                return -ENOMEM;
        for (;;) {
                ssize_t n = read(fd, buf + got, cap - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                if ((got += (size_t)n) > max_size)
                        return -EFBIG;
                if (got == cap) { /* it grew, or /proc says 0: room for more, up to the bound */
                        char *more;
                        cap = cap > max_size / 2 ? max_size + 1 : cap * 2;
                        if (!(more = realloc(buf, cap + 1)))
                                return -ENOMEM;
                        buf = more;
                }
        }
        buf[got] = '\0';
        *text = ward_take_ptr(&buf);
        *len = got;
        return 0;
}

int ward_read_regular_at(int dirfd, const char *path, int oflags, uint64_t resolve, size_t max_size,
                         char **text, size_t *len)
{
        _cleanup_close_ int fd = ward_open_regular_at(dirfd, path, oflags, resolve, max_size);

        if (fd < 0)
                return fd;
        return ward_read_fd_bounded(fd, max_size, text, len);
}

static bool is_executable_file(const char *path, int *err)
{
        struct stat st;

        if (stat(path, &st) < 0) {
                *err = errno;
                return false;
        }
        if (S_ISDIR(st.st_mode) || access(path, X_OK) < 0) {
                *err = S_ISDIR(st.st_mode) ? EISDIR : errno;
                return false;
        }
        return true;
}

int ward_find_command(const char *cmd, const char *path, char *buf, size_t len)
{
        int err = ENOENT, first_denied = 0, r;

        if (strchr(cmd, '/')) {
                snprintf(buf, len, "%s", cmd);
                return is_executable_file(cmd, &err) ? 0 : -err;
        }
        for (const char *cursor = path; (r = ward_path_next(&cursor, cmd, buf, len)) != 0;) {
                if (r < 0)
                        continue;
                if (is_executable_file(buf, &err))
                        return 0;
                if (err != ENOENT && err != ENOTDIR && !first_denied)
                        first_denied = err;
        }
        return first_denied ? -first_denied : -ENOENT;
}
