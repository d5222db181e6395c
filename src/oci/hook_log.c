/* The sinks of `ward hook`'s lines (include/ward/hook_log.h has the order and why). */
#include "ward/hook_log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "ward/trust.h"
#include "ward/util.h"

#define HOOK_LOG_IDENT "ward-hook"

/* A socket of the type connected to path, or -errno: whether a daemon listens there. */
static int connect_unix(const char *path, int type)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        _cleanup_close_ int fd = -1;

        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
        if ((fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0)) < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                return -errno;
        return ward_take_fd(&fd);
}

void hook_log_open_default(struct hook_log *l)
{
        int fd;

        l->fd = -1;
        l->sink = HOOK_LOG_NONE;
        /* glibc's syslog(3) tries a datagram socket, then a stream one; so does the probe. A
         * socket file nobody listens on (a stopped daemon) refuses, and the next sink is
         * taken instead of losing every line to it. */
        if ((fd = connect_unix(HOOK_LOG_SYSLOG_SOCKET, SOCK_DGRAM)) >= 0 ||
            (fd = connect_unix(HOOK_LOG_SYSLOG_SOCKET, SOCK_STREAM)) >= 0) {
                close(fd);
                openlog(HOOK_LOG_IDENT, LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
                l->sink = HOOK_LOG_SYSLOG;
                return;
        }
        if ((fd = connect_unix(HOOK_LOG_JOURNAL_SOCKET, SOCK_DGRAM)) >= 0) {
                l->fd = fd;
                l->sink = HOOK_LOG_JOURNAL;
        }
}

/* Owned by root or the caller, writable by nobody else: nobody else can swap the name or
 * forge lines. Unlike trust_check_dir(), a sticky /tmp does not pass: anybody could have
 * created the file there first. */
static bool owned_and_closed(const struct stat *st)
{
        return (st->st_uid == 0 || st->st_uid == geteuid()) && !(st->st_mode & 022);
}

static int log_file_error(struct hook_log *l, struct ward_error *e, int r, const char *hint)
{
        snprintf(e->where, sizeof(e->where), "command line");
        snprintf(e->key, sizeof(e->key), "--log-file");
        ward_error_hint(e, "%s", hint);
        hook_log_open_default(l); /* the refusal this causes is logged all the same */
        return r;
}

#define HINT_PLACE                                                                                 \
        "name a file in a directory only root can write, e.g. --log-file "                         \
        "/var/log/ward-hook.log"

/* The directory of path, walked and checked from "/"; O_PATH. */
static int open_log_dir(struct hook_log *l, const char *path, struct ward_error *e)
{
        char dir[PATH_MAX], why[160];
        const char *slash = strrchr(path, '/');
        struct trust_fault fault;
        struct stat st = {0};
        int fd;

        snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
        if ((fd = trust_open_path_follow(dir, geteuid(), &fault)) < 0) {
                if (fault.kind == TRUST_FAULT_OWNER || fault.kind == TRUST_FAULT_WRITABLE) {
                        ward_error_set(e, EPERM, "%.300s: the directory %.300s %s", path,
                                       fault.path, trust_fault_text(&fault, why, sizeof(why)));
                        return log_file_error(l, e, -EPERM, HINT_PLACE);
                }
                ward_error_set(e, -fd, "%.300s: cannot open its directory", path);
                return log_file_error(l, e, fd, "create the directory (root's, mode 0755)");
        }
        if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) || !owned_and_closed(&st)) {
                close(fd);
                ward_error_set(e, EPERM,
                               "%.300s: the directory %.300s is not root's alone (uid %u, mode "
                               "%04o): another user could create or swap the file",
                               path, dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
                return log_file_error(l, e, -EPERM, HINT_PLACE);
        }
        return fd;
}

int hook_log_open_file(struct hook_log *l, const char *path, struct ward_error *e)
{
        _cleanup_close_ int dirfd = -1;
        _cleanup_close_ int fd = -1;
        const char *base = strrchr(path, '/');
        struct stat st = {0};

        l->fd = -1;
        l->path = path;
        if (path[0] != '/' || !base[1] || strcmp(base, "/.") == 0 || strcmp(base, "/..") == 0) {
                ward_error_set(e, EINVAL, "\"%.300s\" is not an absolute path of a file", path);
                return log_file_error(l, e, -EINVAL,
                                      "give an absolute path, e.g. --log-file "
                                      "/var/log/ward-hook.log");
        }
        if ((dirfd = open_log_dir(l, path, e)) < 0)
                return dirfd;
        /* A device is never opened (a tape rewinds on open): only root can write the
         * directory, so what is checked here stays. O_NONBLOCK all the same: a FIFO fails at
         * once (ENXIO) instead of waiting for a reader. */
        if (fstatat(dirfd, base + 1, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode) &&
            !S_ISLNK(st.st_mode)) {
                ward_error_set(e, EPERM, "%.300s is not a regular file (mode %06o)", path,
                               (unsigned)st.st_mode);
                return log_file_error(l, e, -EPERM,
                                      "name a regular file root owns, not a FIFO or a device");
        }
        fd = openat(dirfd, base + 1,
                    O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC,
                    0600);
        if (fd < 0) {
                int err = errno;
                ward_error_set(e, err, "cannot open %.300s for appending%s", path,
                               err == ELOOP   ? " (a symlink)"
                               : err == ENXIO ? " (a FIFO or a socket, not a regular file)"
                                              : "");
                return log_file_error(l, e, -err,
                                      "name a regular file root owns, not a symlink, a FIFO "
                                      "or a device");
        }
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !owned_and_closed(&st)) {
                ward_error_set(e, EPERM, "%.300s is %s (uid %u, mode %04o)", path,
                               S_ISREG(st.st_mode) ? "writable by others than its owner, or "
                                                     "belongs to another user"
                                                   : "not a regular file",
                               (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
                return log_file_error(l, e, -EPERM,
                                      "chown root and chmod 0600 the file, or name another");
        }
        l->fd = ward_take_fd(&fd);
        l->sink = HOOK_LOG_FILE;
        return 0;
}

static const char *priority_name(int priority)
{
        static const char *const names[] = {"emerg",   "alert",  "crit", "err",
                                            "warning", "notice", "info", "debug"};
        return names[LOG_PRI(priority)];
}

/* "2026-12-07T03:20:01.042Z ward-hook[123]: warning: LINE\n", in one write: O_APPEND keeps
 * the lines of hooks running at once whole. */
static void file_line(int fd, int priority, const char *line)
{
        char buf[2048], stamp[32];
        struct timespec ts;
        struct tm tm;
        int n;

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
        n = snprintf(buf, sizeof(buf), "%s.%03ldZ %s[%d]: %s: %s\n", stamp, ts.tv_nsec / 1000000,
                     HOOK_LOG_IDENT, (int)getpid(), priority_name(priority), line);
        if (n >= (int)sizeof(buf)) {
                n = sizeof(buf) - 1;
                buf[n - 1] = '\n';
        }
        (void)!write(fd, buf, (size_t)n);
}

/* The journal's native protocol: one datagram of KEY=VALUE lines (a value with no newline). */
static void journal_line(int fd, int priority, const char *line)
{
        char buf[2048];
        int n;

        n = snprintf(buf, sizeof(buf),
                     "PRIORITY=%d\nSYSLOG_FACILITY=%d\nSYSLOG_IDENTIFIER=%s\nSYSLOG_PID=%d\n"
                     "MESSAGE=%s\n",
                     LOG_PRI(priority), LOG_AUTHPRIV >> 3, HOOK_LOG_IDENT, (int)getpid(), line);
        if (n >= (int)sizeof(buf)) {
                n = sizeof(buf) - 1;
                buf[n - 1] = '\n';
        }
        (void)!send(fd, buf, (size_t)n, MSG_NOSIGNAL);
}

void hook_log_line(struct hook_log *l, int priority, const char *line)
{
        if (LOG_PRI(priority) <= LOG_WARNING)
                l->said = true;
        switch (l->sink) {
        case HOOK_LOG_FILE:
                file_line(l->fd, priority, line);
                break;
        case HOOK_LOG_SYSLOG:
                syslog(priority, "%s", line);
                break;
        case HOOK_LOG_JOURNAL:
                journal_line(l->fd, priority, line);
                break;
        case HOOK_LOG_NONE:
                break;
        }
}

const char *hook_log_sink_name(enum hook_log_sink sink)
{
        switch (sink) {
        case HOOK_LOG_FILE:
                return "file";
        case HOOK_LOG_SYSLOG:
                return "syslog";
        case HOOK_LOG_JOURNAL:
                return "journal";
        case HOOK_LOG_NONE:
                break;
        }
        return "none";
}

void hook_log_close(struct hook_log *l)
{
        if (l->sink == HOOK_LOG_NONE && l->said)
                fprintf(stderr,
                        "ward hook: warning: the lines above went to stderr alone, which podman "
                        "and crun do not show: nothing listens on " HOOK_LOG_SYSLOG_SOCKET
                        " or " HOOK_LOG_JOURNAL_SOCKET " and %s; fix: %s\n",
                        l->path ? "the --log-file could not be used (above)"
                                : "no --log-file was given",
                        l->path ? "see above"
                                : "add \"--log-file\", \"/var/log/ward-hook.log\" "
                                  "to the hook's args");
        if (l->sink == HOOK_LOG_SYSLOG)
                closelog();
        if (l->fd >= 0)
                close(l->fd);
        l->fd = -1;
        l->sink = HOOK_LOG_NONE;
        l->said = false; /* closed twice, the note is said once */
}
