/* Small helpers shared by every module: cleanup attributes and value parsers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(ward_freep)
#define _cleanup_close_ _cleanup_(ward_closep)
#define _cleanup_fclose_ _cleanup_(ward_fclosep)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void ward_freep(void *p)
{
        free(*(void **)p);
}

static inline void ward_closep(int *fd)
{
        if (*fd >= 0)
                close(*fd);
}

struct _IO_FILE;
void ward_fclosep(struct _IO_FILE **f);

/* Hand an fd out of a _cleanup_close_ variable. */
static inline int ward_take_fd(int *fd)
{
        int r = *fd;
        *fd = -1;
        return r;
}

/* Hand a pointer out of a _cleanup_free_ variable. */
static inline void *ward_take_ptr(void *pp)
{
        void **p = pp;
        void *r = *p;
        *p = NULL;
        return r;
}

/* All parsers return 0 or -EINVAL / -ERANGE and never accept trailing junk. */
int ward_parse_u64(const char *s, uint64_t *out);
int ward_parse_u32(const char *s, uint32_t *out);
int ward_parse_i32(const char *s, int32_t *out);

/* An array appended to one element at a time: room for element n (the array is NULL or
 * from malloc); NULL with the array untouched on ENOMEM. */
void *ward_grow(void *array, size_t n, size_t elem_size);
/* "64M", "1G", "512k", "4096": binary multiples (K=1024); "max" is refused here. */
int ward_parse_size(const char *s, uint64_t *out);
/* "10s", "500ms", "2min", "1h", plain number = seconds; result in milliseconds. */
int ward_parse_duration_ms(const char *s, uint64_t *out);
/* yes/no/true/false/on/off/1/0. */
int ward_parse_bool(const char *s, bool *out);
/* Octal file mode, at most 07777. */
int ward_parse_mode(const char *s, unsigned *out);

/* Write all of buf, retrying on EINTR and short writes; -errno on failure. */
int ward_write_all(int fd, const void *buf, size_t len);
/* Read exactly len bytes; -EPIPE if the peer closed early. */
int ward_read_all(int fd, void *buf, size_t len);
/* Write a short string to a file (e.g. /proc/PID/uid_map). */
int ward_write_file_at(int dirfd, const char *path, const char *content);

/* The directory of the running binary (from /proc/self/exe); -errno on failure. Used to find
 * ward-init and the profiles relative to an installed ward, whatever prefix it went to. */
int ward_exe_dir(char *buf, size_t len);

/* Open the very inode an O_PATH fd holds for reading (through /proc/self/fd: a
 * description of its own, O_NONBLOCK), checked to be the one fstat() gave as checked:
 * -EXDEV if not, -ENOMEDIUM without /proc. */
struct stat;
int ward_reopen_for_reading(int pathfd, const struct stat *checked);
/* Open a regular file for reading, looked up beneath dirfd with openat2's resolve flags
 * (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS for a file of an image; AT_FDCWD and 0 for a path
 * the caller names) and oflags (O_NOFOLLOW: a symlink as the last component is -ELOOP).
 * The name is opened O_PATH first, which runs no driver's open and waits for no FIFO
 * writer, and only a regular file of at most max_size bytes is then reopened for reading,
 * through /proc/self/fd (the same inode, whatever happens to the name meanwhile). Anything
 * else is refused without ever being opened: -EINVAL for a device, FIFO, socket or
 * directory, -EFBIG when too large, -ENOMEDIUM when /proc is not mounted (no other way to
 * reopen). Returns the fd (O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) or -errno. */
int ward_open_regular_at(int dirfd, const char *path, int oflags, uint64_t resolve,
                         size_t max_size);
/* The same for a path the caller names (a profile, an env file, a JSON profile). */
int ward_open_regular(const char *path, size_t max_size);
/* Read fd to its end into a NUL-terminated buffer, at most max_size bytes: a file that grew
 * past max_size since its size was checked is -EFBIG, never read on. The buffer starts at
 * the file's size (+1 to see growth), so a small file costs a small buffer. */
int ward_read_fd_bounded(int fd, size_t max_size, char **text, size_t *len);
/* ward_open_regular_at(), then the whole file into a NUL-terminated buffer: -EFBIG if it
 * grew past max_size since the check. The caller frees *text. */
int ward_read_regular_at(int dirfd, const char *path, int oflags, uint64_t resolve, size_t max_size,
                         char **text, size_t *len);

/* The command as execvp(3) would find it, with the caller's credentials: cmd itself when it
 * has a '/', else the first executable file along path ("/usr/bin:/bin" when NULL), written
 * to buf. 0, or -ENOENT / -ENOTDIR when there is none, or the first other error met on the
 * way (-EACCES, -EISDIR...), which tells "not executable" (126) from "not found" (127). */
int ward_find_command(const char *cmd, const char *path, char *buf, size_t len);

/* Levenshtein distance, for "did you mean" suggestions. */
size_t ward_edit_distance(const char *a, const char *b);
/* The closest of candidates (NULL-terminated) to word, or NULL if none is close. */
const char *ward_closest(const char *word, const char *const *candidates);
