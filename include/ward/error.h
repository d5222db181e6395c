/* Errors: every module returns 0 or -errno and fills a struct ward_error; only main() prints.
 *
 * The struct is plain old data with fixed arrays so that the setup process inside the
 * sandbox can send it to the monitor over the sync socket unchanged. */
#pragma once

#include <stdarg.h>
#include <stdio.h>

/* Exit codes of ward's own failures (the app's status passes through otherwise). */
#define WARD_EXIT_FAILED 125    /* ward itself failed: bad input or a setup step */
#define WARD_EXIT_NOT_EXEC 126  /* the command exists but cannot be invoked */
#define WARD_EXIT_NOT_FOUND 127 /* the command was not found */

/* Where a setting came from: a profile file and line, the command line, or the default. */
struct ward_origin {
        const char *file; /* NULL: built-in default; "command line" for flags */
        unsigned line;    /* 0 when there is no line (flags, defaults) */
        const char *key;  /* where in a file without lines: a bundle's JSON path
                           * ("mounts[3]"), which errors name instead of the profile key;
                           * NULL otherwise */
};

struct ward_error {
        int err;         /* positive errno; 0 when the failure is not a system call's */
        char where[320]; /* "profiles/default.profile:12" or "command line" or "" */
        char key[96];    /* "Filesystem.Tmpfs" or "--tmpfs" or "" */
        char msg[768];   /* what went wrong, in words */
        char hint[512];  /* what to change; "" when there is nothing useful to say */
        int exit_code;   /* 125 unless the failure maps to 126/127 (exec errors) */
};

/* Fill *e and return -err (or -EINVAL when err is 0). */
__attribute__((format(printf, 3, 4))) int ward_error_set(struct ward_error *e, int err,
                                                         const char *fmt, ...);
/* Same, naming the profile key and where it was set; when the origin has a key of its own
 * (a bundle's JSON path), that one instead. */
__attribute__((format(printf, 5, 6))) int ward_error_at(struct ward_error *e,
                                                        const struct ward_origin *origin,
                                                        const char *key, int err, const char *fmt,
                                                        ...);
/* ward_error_at() for a wrapper that takes its own format and arguments. */
int ward_error_vat(struct ward_error *e, const struct ward_origin *origin, const char *key, int err,
                   const char *fmt, va_list ap);
/* Add the "what to do" line to an error already set. */
__attribute__((format(printf, 2, 3))) void ward_error_hint(struct ward_error *e, const char *fmt,
                                                           ...);
/* Render an origin as "file:line", "command line" or "built-in default". */
void ward_origin_format(const struct ward_origin *o, char *buf, size_t len);

/* "ward: error: FILE:LINE: Key: message: strerror (ENAME)\nward:   fix: hint\n" */
void ward_error_print(const struct ward_error *e, FILE *out);
/* Symbolic errno name, e.g. "EPERM"; "E?" for unknown values. */
const char *ward_errno_name(int err);
