/* The kernel's record of a seccomp kill (seccomp_kill_log.h). */
#include "ward/seccomp_kill_log.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ward/util.h"

#define X32_SYSCALL_BIT 0x40000000LL

void seccomp_kill_log_open(struct seccomp_kill_log *l, uint32_t uid_lo, uint32_t count)
{
        struct sockaddr_nl addr = {.nl_family = AF_NETLINK,
                                   .nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1)};

        *l = (struct seccomp_kill_log){.fd = -1, .uid_lo = uid_lo, .uid_count = count};
        l->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT);
        if (l->fd >= 0 && bind(l->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
                seccomp_kill_log_close(l);
}

void seccomp_kill_log_close(struct seccomp_kill_log *l)
{
        if (l->fd >= 0)
                close(l->fd);
        l->fd = -1;
}

/* The value after " key=" in msg (the space keeps "uid=" from matching "auid="). */
static const char *field(const char *msg, const char *key)
{
        char pattern[24];
        const char *at;

        snprintf(pattern, sizeof(pattern), " %s=", key);
        at = strstr(msg, pattern);
        return at ? at + strlen(pattern) : NULL;
}

static int number_field(const char *msg, const char *key, int base, long long *out)
{
        const char *v = field(msg, key);
        char *end;

        if (!v)
                return -1;
        errno = 0;
        *out = strtoll(v, &end, base);
        return errno || end == v || (*end != ' ' && *end != '\0' && *end != '\n') ? -1 : 0;
}

/* comm="name" as the kernel quotes it, or its hex form for a name with odd characters. */
static void comm_field(const char *msg, char *out, size_t len)
{
        const char *v = field(msg, "comm");
        size_t n = 0;

        snprintf(out, len, "?");
        if (!v)
                return;
        if (*v == '"')
                v++;
        while (v[n] && v[n] != '"' && v[n] != ' ' && v[n] != '\n')
                n++;
        snprintf(out, len, "%.*s", (int)n, v);
}

int seccomp_kill_log_parse(const char *text, struct seccomp_kill_record *r)
{
        long long uid, sig, arch, pid;

        if (strncmp(text, "audit(", 6) != 0)
                return 0;
        if (number_field(text, "uid", 10, &uid) < 0 || number_field(text, "sig", 10, &sig) < 0 ||
            number_field(text, "arch", 16, &arch) < 0 || number_field(text, "pid", 10, &pid) < 0 ||
            number_field(text, "syscall", 10, &r->nr) < 0)
                return 0;
        /* sig=0 is a logged call the filter let through (log action), not a kill. */
        if (sig != SIGSYS || uid < 0 || uid > UINT32_MAX || arch < 0 || arch > UINT32_MAX)
                return 0;
        r->uid = (uint32_t)uid;
        r->arch = (uint32_t)arch;
        r->pid = (int)pid;
        comm_field(text, r->comm, sizeof(r->comm));
        return 1;
}

const char *seccomp_kill_record_call(const struct seccomp_kill_record *r, char *name, size_t len)
{
        uint32_t arch = r->arch;
        const char *abi = "x86_64";
        long long nr = r->nr;
        char *known = NULL;

        if (arch == SCMP_ARCH_X86_64 && nr >= X32_SYSCALL_BIT) {
                arch = SCMP_ARCH_X32;
                abi = "x32";
        } else if (arch == SCMP_ARCH_X86) {
                abi = "i386";
        } else if (arch != SCMP_ARCH_X86_64) {
                abi = "foreign";
        }
        if (nr >= 0 && nr <= INT32_MAX)
                known = seccomp_syscall_resolve_num_arch(arch, (int)nr);
        if (!known && arch == SCMP_ARCH_X32)
                known = seccomp_syscall_resolve_num_arch(arch, (int)(nr - X32_SYSCALL_BIT));
        snprintf(name, len, "%s", known ? known : "?");
        free(known);
        return abi;
}

static long long now_ms(void)
{
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static bool is_sandbox_kill(const struct seccomp_kill_log *l, const struct nlmsghdr *h,
                            const char *payload, struct seccomp_kill_record *r)
{
        char text[8192];
        size_t n = h->nlmsg_len - NLMSG_HDRLEN;

        if (h->nlmsg_type != AUDIT_SECCOMP)
                return false;
        if (n > sizeof(text) - 1)
                n = sizeof(text) - 1;
        memcpy(text, payload, n);
        text[n] = '\0';
        return seccomp_kill_log_parse(text, r) && r->uid >= l->uid_lo &&
               r->uid - l->uid_lo < l->uid_count;
}

void seccomp_kill_log_take(struct seccomp_kill_log *l, const char *datagram, size_t len)
{
        struct seccomp_kill_record r;

        /* The last message of a datagram is not padded to NLMSG_ALIGNTO: NLMSG_NEXT would
         * step past the end and leave a negative length. */
        for (size_t off = 0, left = len; left >= NLMSG_HDRLEN;) {
                struct nlmsghdr h;
                memcpy(&h, datagram + off, sizeof(h));
                if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > left)
                        return;
                if (is_sandbox_kill(l, &h, datagram + off + NLMSG_HDRLEN, &r)) {
                        l->last = r;
                        l->count++;
                }
                if (NLMSG_ALIGN(h.nlmsg_len) >= left)
                        return;
                off += NLMSG_ALIGN(h.nlmsg_len);
                left -= NLMSG_ALIGN(h.nlmsg_len);
        }
}

void seccomp_kill_log_read(struct seccomp_kill_log *l)
{
        char buf[16384];

        while (l->fd >= 0) {
                struct sockaddr_nl from;
                socklen_t from_len = sizeof(from);
                ssize_t n =
                    recvfrom(l->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len);
                if (n < 0 && (errno == EINTR || errno == ENOBUFS))
                        continue; /* ENOBUFS: records dropped while we were not reading */
                if (n <= 0)
                        return;
                /* Only the kernel (port 0) speaks for the audit subsystem. */
                if (from_len == sizeof(from) && from.nl_pid == 0)
                        seccomp_kill_log_take(l, buf, (size_t)n);
        }
}

int seccomp_kill_log_find(struct seccomp_kill_log *l, int wait_ms)
{
        long long deadline = now_ms() + wait_ms;
        int left;

        if (l->fd < 0)
                return l->count;
        seccomp_kill_log_read(l);
        /* The kernel's audit thread sends the record a moment after the kill. */
        while (!l->count && (left = (int)(deadline - now_ms())) > 0) {
                struct pollfd p = {.fd = l->fd, .events = POLLIN};
                if (poll(&p, 1, left) < 0 && errno != EINTR)
                        break;
                seccomp_kill_log_read(l);
        }
        return l->count;
}
