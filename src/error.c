/* Building and printing struct ward_error. */
#include "ward/error.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

static void vformat(char *buf, size_t len, const char *fmt, va_list ap)
{
        vsnprintf(buf, len, fmt, ap);
}

/* Start a fresh error: errno, the default exit code, the message. */
static int error_start(struct ward_error *e, int err, const char *fmt, va_list ap)
{
        if (err < 0)
                err = -err;
        memset(e, 0, sizeof(*e));
        e->err = err;
        e->exit_code = WARD_EXIT_FAILED;
        vformat(e->msg, sizeof(e->msg), fmt, ap);
        return err ? -err : -EINVAL;
}

int ward_error_set(struct ward_error *e, int err, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = error_start(e, err, fmt, ap);
        va_end(ap);
        return r;
}

void ward_origin_format(const struct ward_origin *o, char *buf, size_t len)
{
        if (!o || !o->file)
                snprintf(buf, len, "built-in default");
        else if (o->line)
                snprintf(buf, len, "%s:%u", o->file, o->line);
        else
                snprintf(buf, len, "%s", o->file);
}

int ward_error_at(struct ward_error *e, const struct ward_origin *origin, const char *key, int err,
                  const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = ward_error_vat(e, origin, key, err, fmt, ap);
        va_end(ap);
        return r;
}

int ward_error_vat(struct ward_error *e, const struct ward_origin *origin, const char *key, int err,
                   const char *fmt, va_list ap)
{
        int r = error_start(e, err, fmt, ap);

        ward_origin_format(origin, e->where, sizeof(e->where));
        /* A setting read from a file without lines (a bundle's config.json) is named by
         * where in it the reader found it, "mounts[3]", not by the profile key. */
        if (origin && origin->key)
                key = origin->key;
        snprintf(e->key, sizeof(e->key), "%s", key ? key : "");
        return r;
}

void ward_error_hint(struct ward_error *e, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vformat(e->hint, sizeof(e->hint), fmt, ap);
        va_end(ap);
}

const char *ward_errno_name(int err)
{
        static const struct {
                int err;
                const char *name;
        } names[] = {
            {EPERM, "EPERM"},
            {ENOENT, "ENOENT"},
            {ESRCH, "ESRCH"},
            {EINTR, "EINTR"},
            {EIO, "EIO"},
            {ENXIO, "ENXIO"},
            {E2BIG, "E2BIG"},
            {ENOEXEC, "ENOEXEC"},
            {EBADF, "EBADF"},
            {ECHILD, "ECHILD"},
            {EAGAIN, "EAGAIN"},
            {ENOMEM, "ENOMEM"},
            {EACCES, "EACCES"},
            {EFAULT, "EFAULT"},
            {EBUSY, "EBUSY"},
            {EEXIST, "EEXIST"},
            {EXDEV, "EXDEV"},
            {ENODEV, "ENODEV"},
            {ENOTDIR, "ENOTDIR"},
            {EISDIR, "EISDIR"},
            {EINVAL, "EINVAL"},
            {ENFILE, "ENFILE"},
            {EMFILE, "EMFILE"},
            {ENOTTY, "ENOTTY"},
            {ETXTBSY, "ETXTBSY"},
            {EFBIG, "EFBIG"},
            {ENOSPC, "ENOSPC"},
            {EROFS, "EROFS"},
            {EMLINK, "EMLINK"},
            {EPIPE, "EPIPE"},
            {ERANGE, "ERANGE"},
            {ENAMETOOLONG, "ENAMETOOLONG"},
            {ENOSYS, "ENOSYS"},
            {ELOOP, "ELOOP"},
            {ENOTSUP, "ENOTSUP"},
            {EUSERS, "EUSERS"},
            {ENOTEMPTY, "ENOTEMPTY"},
            {EOVERFLOW, "EOVERFLOW"},
            {ECONNREFUSED, "ECONNREFUSED"},
            {EADDRINUSE, "EADDRINUSE"},
        };
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (names[i].err == err)
                        return names[i].name;
        return "E?";
}

/* Out of file descriptors: any step may be the one that hits the limit, and what it would
 * say (user namespaces disabled, a bad root) sends the operator the wrong way. */
static void print_fd_hint(int err, FILE *out)
{
        struct rlimit rl;

        if (err == ENFILE)
                fputs("ward:   fix: the system's table of open files is full (fs.file-max): "
                      "close files elsewhere or raise the sysctl fs.file-max\n",
                      out);
        else if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
                fprintf(
                    out,
                    "ward:   fix: ward ran out of file descriptors: it was started with a limit "
                    "of %llu (ulimit -n) and needs about 20; raise it (ulimit -n 1024, or "
                    "LimitNOFILE= in the unit)\n",
                    (unsigned long long)rl.rlim_cur);
        else
                fputs("ward:   fix: ward ran out of file descriptors: raise its limit (ulimit -n "
                      "1024, or LimitNOFILE= in the unit)\n",
                      out);
}

void ward_error_print(const struct ward_error *e, FILE *out)
{
        fputs("ward: error: ", out);
        if (e->where[0])
                fprintf(out, "%s: ", e->where);
        if (e->key[0])
                fprintf(out, "%s: ", e->key);
        fputs(e->msg[0] ? e->msg : "unknown failure", out);
        if (e->err)
                fprintf(out, ": %s (%s)", strerror(e->err), ward_errno_name(e->err));
        fputc('\n', out);
        if (e->err == EMFILE || e->err == ENFILE)
                print_fd_hint(e->err, out); /* whatever the step thought the cause was */
        else if (e->hint[0])
                fprintf(out, "ward:   fix: %s\n", e->hint);
}
