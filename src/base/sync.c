/* Messages between the monitor and the setup process. */
#include "ward/sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

int sync_send(int fd, char type, const struct ward_error *error)
{
        struct ward_sync_msg msg;

        memset(&msg, 0, sizeof(msg));
        msg.type = type;
        if (error)
                msg.error = *error;
        for (;;) {
                ssize_t n = send(fd, &msg, sizeof(msg), MSG_NOSIGNAL);
                if (n >= 0)
                        return n == (ssize_t)sizeof(msg) ? 0 : -EIO;
                if (errno != EINTR)
                        return -errno;
        }
}

int sync_send_fd(int fd, char type, int passed_fd)
{
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } control;
        struct ward_sync_msg msg;
        struct iovec iov = {.iov_base = &msg, .iov_len = sizeof(msg)};
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof(control.buf)};
        struct cmsghdr *cm;

        memset(&msg, 0, sizeof(msg));
        memset(&control, 0, sizeof(control));
        msg.type = type;
        cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &passed_fd, sizeof(int));
        if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
                return -errno;
        return 0;
}

int sync_recv(int fd, struct ward_sync_msg *msg, int *passed_fd)
{
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } control;
        struct iovec iov = {.iov_base = msg, .iov_len = sizeof(*msg)};
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof(control.buf)};
        ssize_t n;

        *passed_fd = -1;
        do
                n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        if (n == 0)
                return 0;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
                if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
                        memcpy(passed_fd, CMSG_DATA(cm), sizeof(int));
        if ((size_t)n != sizeof(*msg))
                return -EPROTO;
        return 1;
}
