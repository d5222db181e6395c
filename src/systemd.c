/* Running as a systemd unit: the NOTIFY_SOCKET relay and socket activation (see systemd.h). */
#include "ward/systemd.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ward/sync.h"
#include "ward/util.h"

#define LISTEN_FDS_MAX 4096 /* far more than any unit passes; a typo beyond */
#define NOTIFY_MSG_MAX 4096 /* sd_notify messages are a few lines */

/* The state assignments a service may send (sd_notify(3)) that make sense from the app:
 * MAINPID= is not among them (ward is the main PID), nor anything that passes fds. */
static const char *const relayed_keys[] = {
    "READY",          "RELOADING",     "STOPPING",
    "STATUS",         "ERRNO",         "BUSERROR",
    "WATCHDOG",       "WATCHDOG_USEC", "EXTEND_TIMEOUT_USEC",
    "MONOTONIC_USEC",
};

/* Where the variables ward sets for the app come from, for `ward explain` and messages. */
static const struct ward_origin set_for_sockets = {.file = "set by ward: socket activation"};
static const struct ward_origin set_for_notify = {.file = "set by ward: systemd notification"};
static const struct ward_origin set_for_watchdog = {.file = "set by ward: systemd watchdog"};

static int env_error(const char *var, int err, struct ward_error *e, const char *fmt,
                     const char *value)
{
        char key[64];

        snprintf(key, sizeof(key), "$%s", var);
        ward_error_at(e, &(struct ward_origin){.file = "environment", .line = 0}, key, err, fmt,
                      value);
        return -(err ? err : EINVAL);
}

/* ------------------------------------------------------------------------------------- */
/* Socket activation                                                                     */

static int prepare_listen(struct ward_config *c, struct ward_plan *p, struct ward_error *e)
{
        const char *pid_s = getenv("LISTEN_PID"), *fds_s = getenv("LISTEN_FDS");
        const char *names = getenv("LISTEN_FDNAMES");
        char buf[64];
        uint32_t pid, n;

        /* sd_listen_fds(3): the fds are for the process LISTEN_PID names, else ignored. */
        if (!pid_s || !fds_s || ward_parse_u32(pid_s, &pid) < 0 || pid != (uint32_t)getpid())
                return 0;
        if (ward_parse_u32(fds_s, &n) < 0 || n > LISTEN_FDS_MAX) {
                env_error("LISTEN_FDS", 0, e, "LISTEN_FDS=%s is not a count of fds", fds_s);
                ward_error_hint(e, "start ward from a .socket unit, which sets it");
                return -EINVAL;
        }
        for (uint32_t i = 0; i < n; i++) {
                int fd = WARD_LISTEN_FDS_START + (int)i;
                /* The app must get them: clear close-on-exec should the caller have set it. */
                if (fcntl(fd, F_GETFD) < 0 || fcntl(fd, F_SETFD, 0) < 0) {
                        snprintf(buf, sizeof(buf), "%s (fd %d)", fds_s, fd);
                        env_error("LISTEN_FDS", errno, e, "LISTEN_FDS=%s is not open", buf);
                        ward_error_hint(e, "unset LISTEN_FDS and LISTEN_PID, or start ward "
                                           "from a .socket unit");
                        return -EBADF;
                }
        }
        p->systemd.n_listen_fds = n;
        snprintf(buf, sizeof(buf), "LISTEN_FDS=%u", (unsigned)n);
        if (config_add_env(c, buf, &set_for_sockets) < 0)
                return ward_error_set(e, ENOMEM, "out of memory");
        if (names) {
                _cleanup_free_ char *kv = NULL;
                if (asprintf(&kv, "LISTEN_FDNAMES=%s", names) < 0 ||
                    config_add_env(c, kv, &set_for_sockets) < 0)
                        return ward_error_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

char **systemd_exec_environment(const struct ward_plan *p, char **envp)
{
        static char listen_pid[32];
        size_t n = 0, out = 0;
        char **env;

        if (!p->systemd.n_listen_fds)
                return envp;
        while (envp[n])
                n++;
        if (!(env = calloc(n + 2, sizeof(*env))))
                return NULL;
        for (size_t i = 0; i < n; i++)
                if (strncmp(envp[i], "LISTEN_PID=", 11) != 0)
                        env[out++] = envp[i];
        /* Our pid as the sandbox sees it: the process that execs keeps it. */
        snprintf(listen_pid, sizeof(listen_pid), "LISTEN_PID=%d", (int)getpid());
        env[out] = listen_pid;
        return env;
}

void systemd_close_listen_fds(const struct ward_plan *p)
{
        for (unsigned i = 0; i < p->systemd.n_listen_fds; i++)
                close(WARD_LISTEN_FDS_START + (int)i);
}

/* ------------------------------------------------------------------------------------- */
/* NOTIFY_SOCKET                                                                         */

static int notify_address(const char *s, struct sockaddr_un *sa, socklen_t *len)
{
        size_t n = strlen(s);

        memset(sa, 0, sizeof(*sa));
        sa->sun_family = AF_UNIX;
        if ((s[0] != '/' && s[0] != '@') || n < 2 || n >= sizeof(sa->sun_path))
                return -EINVAL;
        memcpy(sa->sun_path, s, n);
        if (s[0] == '@')
                sa->sun_path[0] = '\0';
        *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (s[0] == '/'));
        return 0;
}

static int prepare_notify(struct ward_config *c, struct ward_plan *p, int *notify_out,
                          struct ward_error *e)
{
        const char *s = getenv("NOTIFY_SOCKET");
        _cleanup_free_ char *kv = NULL;
        _cleanup_close_ int fd = -1;
        struct sockaddr_un sa;
        socklen_t len;

        if (!s || !*s)
                return 0;
        /* No mount namespace: the app sees the host's files and can reach it itself. */
        if (!(c->unshare_flags & CLONE_NEWNS)) {
                if (asprintf(&kv, "NOTIFY_SOCKET=%s", s) < 0 ||
                    config_add_env(c, kv, &set_for_notify) < 0)
                        return ward_error_set(e, ENOMEM, "out of memory");
                return 0;
        }
        if (notify_address(s, &sa, &len) < 0) {
                env_error("NOTIFY_SOCKET", 0, e,
                          "NOTIFY_SOCKET=%s is neither a socket path nor an @abstract name", s);
                ward_error_hint(e, "unset NOTIFY_SOCKET; systemd sets it for Type=notify units");
                return -EINVAL;
        }
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return ward_error_set(e, errno, "socket(AF_UNIX) for the notify relay");
        if (connect(fd, (struct sockaddr *)&sa, len) < 0) {
                env_error("NOTIFY_SOCKET", errno, e, "cannot connect to NOTIFY_SOCKET=%s", s);
                ward_error_hint(e, "a stale NOTIFY_SOCKET was inherited: unset it, or run ward "
                                   "as the unit's ExecStart");
                return -ENOTCONN;
        }
        p->systemd.notify = true;
        if (config_add_env(c, "NOTIFY_SOCKET=" WARD_NOTIFY_PATH, &set_for_notify) < 0)
                return ward_error_set(e, ENOMEM, "out of memory");
        *notify_out = ward_take_fd(&fd);
        return 0;
}

/* WatchdogSec=: the app must know the interval to send WATCHDOG=1 through the relay. The
 * variable is for us when WATCHDOG_PID is ours or unset; the app gets WATCHDOG_USEC alone,
 * which sd_watchdog_enabled(3) accepts in any process. */
static int prepare_watchdog(struct ward_config *c, const struct ward_plan *p, struct ward_error *e)
{
        const char *usec = getenv("WATCHDOG_USEC"), *pid_s = getenv("WATCHDOG_PID");
        _cleanup_free_ char *kv = NULL;
        uint64_t v;
        uint32_t pid;

        if (!p->systemd.notify || !usec || ward_parse_u64(usec, &v) < 0 || v == 0)
                return 0;
        if (pid_s && (ward_parse_u32(pid_s, &pid) < 0 || pid != (uint32_t)getpid()))
                return 0;
        if (asprintf(&kv, "WATCHDOG_USEC=%s", usec) < 0 ||
            config_add_env(c, kv, &set_for_watchdog) < 0)
                return ward_error_set(e, ENOMEM, "out of memory");
        return 0;
}

int systemd_prepare(struct ward_config *c, struct ward_plan *p, struct ward_error *e)
{
        int r;

        if ((r = prepare_listen(c, p, e)) < 0 ||
            (r = prepare_notify(c, p, &p->systemd.notify_fd, e)) < 0)
                return r;
        return prepare_watchdog(c, p, e);
}

int systemd_setup_notify(const struct ward_plan *p, int sync_fd, struct ward_error *e)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        _cleanup_close_ int fd = -1;
        int r;

        if (!p->systemd.notify)
                return 0;
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", WARD_NOTIFY_PATH);
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return ward_error_set(e, errno, "socket(AF_UNIX) for the notify relay");
        /* /dev is the tmpfs we just mounted: nothing of the sandbox has run yet. */
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                return ward_error_set(e, errno, "cannot bind the notify relay at %s",
                                      WARD_NOTIFY_PATH);
        /* Any user of the sandbox may notify, as with NotifyAccess=all inside it. */
        if (chmod(WARD_NOTIFY_PATH, 0666) < 0)
                return ward_error_set(e, errno, "chmod %s", WARD_NOTIFY_PATH);
        if ((r = sync_send_fd(sync_fd, WARD_SYNC_NOTIFY, fd)) < 0)
                return ward_error_set(e, -r, "cannot hand the notify relay to the monitor");
        return 0;
}

static bool relayed(const char *line, size_t len)
{
        const char *eq = memchr(line, '=', len);

        if (!eq)
                return false;
        for (size_t i = 0; i < ARRAY_SIZE(relayed_keys); i++)
                if (strlen(relayed_keys[i]) == (size_t)(eq - line) &&
                    memcmp(line, relayed_keys[i], (size_t)(eq - line)) == 0)
                        return true;
        return false;
}

size_t systemd_filter_notify(const char *msg, size_t len, char *out, size_t out_len)
{
        size_t used = 0;

        if (!out_len)
                return 0;
        for (const char *p = msg, *end = msg + len; p < end;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
                if (n && !memchr(p, '\0', n) && relayed(p, n) && used + n + 1 < out_len) {
                        memcpy(out + used, p, n);
                        used += n;
                        out[used++] = '\n';
                }
                p += n + 1;
        }
        out[used] = '\0';
        return used;
}

/* Close whatever fds came with a datagram: the relay passes none on. */
static void close_passed_fds(struct msghdr *mh)
{
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
                if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
                        continue;
                size_t n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                for (size_t i = 0; i < n; i++) {
                        int fd;
                        memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
                        close(fd);
                }
        }
}

static bool relay_one(int from_fd, int to_fd)
{
        static bool warned;
        char msg[NOTIFY_MSG_MAX], out[NOTIFY_MSG_MAX + 1];
        union {
                char buf[CMSG_SPACE(sizeof(int) * 16)];
                struct cmsghdr align;
        } control;
        struct iovec iov = {.iov_base = msg, .iov_len = sizeof(msg)};
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof(control.buf)};
        ssize_t n = recvmsg(from_fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        size_t len;

        if (n < 0)
                return false;
        close_passed_fds(&mh);
        if (mh.msg_flags & MSG_TRUNC)
                return true;
        if (!(len = systemd_filter_notify(msg, (size_t)n, out, sizeof(out))))
                return true;
        if (send(to_fd, out, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && !warned) {
                warned = true;
                fprintf(stderr,
                        "ward: warning: cannot relay the app's notification to "
                        "NOTIFY_SOCKET: %s\n",
                        strerror(errno));
        }
        return true;
}

void systemd_relay_notify(int from_fd, int to_fd)
{
        /* What is queued, in order (the app may have exited right after sending), but a
         * bounded number per call: an app that floods the socket must not keep the monitor
         * from its signals and the pidfd. */
        for (int i = 0; from_fd >= 0 && to_fd >= 0 && i < WARD_NOTIFY_BATCH_MAX; i++)
                if (!relay_one(from_fd, to_fd))
                        break;
}

bool systemd_is_main_process(void)
{
        char path[64], comm[32] = "";
        int fd;
        ssize_t n;

        if (!getenv("INVOCATION_ID"))
                return false;
        snprintf(path, sizeof(path), "/proc/%d/comm", (int)getppid());
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
                return false;
        n = read(fd, comm, sizeof(comm) - 1);
        close(fd);
        return n > 0 && strncmp(comm, "systemd\n", 8) == 0;
}
