/* Which system call a seccomp filter killed the app for, from the kernel's own record.
 *
 * A process that a filter kills dies of SIGSYS and its parent learns nothing more. The
 * kernel also writes an audit record of the kill (type 1326, SECCOMP: host uid, pid,
 * architecture, call number). Before the sandbox starts, the monitor joins the audit
 * subsystem's read-only multicast group (NETLINK_AUDIT, AUDIT_NLGRP_READLOG; root's
 * CAP_AUDIT_READ), which gets every record whether or not an audit daemon runs and without
 * the kernel log's rate limit; after a SIGSYS death it reads what came. A record counts only
 * when the kernel sent it (netlink port 0: no process may send to that group) and its uid
 * lies in the sandbox's own id range, which a root-run sandbox leases for itself (idmap.h):
 * no other process on the host has those ids. Without that identity (rootless, no user
 * namespace) nothing is opened. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* One kill record, as the kernel wrote it. */
struct seccomp_kill_record {
        uint32_t uid, arch;
        int pid;
        long long nr;  /* as logged: an x32 call carries its 0x40000000 bit */
        char comm[64]; /* the process's name, as the kernel quoted it */
};

struct seccomp_kill_log {
        int fd;          /* the NETLINK_AUDIT socket (non-blocking); -1: not watching */
        uint32_t uid_lo; /* the sandbox's host ids: [uid_lo, uid_lo + uid_count) */
        uint32_t uid_count;
        int count;                       /* the sandbox's kills read so far */
        struct seccomp_kill_record last; /* the last of them, when count > 0 */
};

#define SECCOMP_KILL_LOG_NONE ((struct seccomp_kill_log){.fd = -1})

/* Start watching for kills by the host ids [uid_lo, uid_lo + count). Failing to join the
 * group (no CAP_AUDIT_READ, a kernel without audit) leaves l->fd -1: nothing else depends
 * on it. */
void seccomp_kill_log_open(struct seccomp_kill_log *l, uint32_t uid_lo, uint32_t count);

/* Read every record that came (the monitor's event loop calls it when l->fd is readable,
 * so that the socket's buffer never fills over a long run and drops the one that counts). */
void seccomp_kill_log_read(struct seccomp_kill_log *l);

/* One datagram from the socket: each SECCOMP record in it that is a kill by the sandbox's
 * ids is counted and kept as l->last; anything else, or a length that does not fit, ends it. */
void seccomp_kill_log_take(struct seccomp_kill_log *l, const char *datagram, size_t len);

/* After a SIGSYS death: read what came, waiting up to wait_ms for the kernel's audit thread
 * to send the kill's record if none came yet. Returns l->count; l->last is the last kill. */
int seccomp_kill_log_find(struct seccomp_kill_log *l, int wait_ms);

/* The text of one SECCOMP audit record parsed ("audit(T:N): auid=... uid=... sig=31 ..."):
 * 1 when it records a kill (its fields in *r), 0 otherwise (a logged call that went
 * through has sig=0; a malformed record). */
int seccomp_kill_log_parse(const char *text, struct seccomp_kill_record *r);

/* The call's name as libseccomp knows it for the record's ABI ("?" when unknown) in name,
 * and the ABI: "x86_64", "x32", "i386" or "foreign". */
const char *seccomp_kill_record_call(const struct seccomp_kill_record *r, char *name, size_t len);

void seccomp_kill_log_close(struct seccomp_kill_log *l);
