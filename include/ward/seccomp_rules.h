/* The seccomp filter as ward resolves it before any compiler sees it: the actions, one
 * verdict per syscall number, and the argument checks they stand for. Types only: the
 * resolver (seccomp.h) and the BPF writer (seccomp_bpf.h) both read them, and the writer
 * needs nothing else of the resolver. */
#pragma once

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ward_seccomp_action {
        WARD_SECCOMP_ERRNO = 0, /* refused calls fail with EPERM (the default) */
        WARD_SECCOMP_KILL,      /* refused calls kill the process (SIGSYS) */
        WARD_SECCOMP_LOG,       /* audit mode: refused calls are logged and allowed */
};

/* Syscall numbers the plan covers: x86_64 numbers stay far below this. */
#define WARD_SECCOMP_MAX_NR 1024

enum ward_seccomp_verdict {
        WARD_SC_UNKNOWN = 0,   /* unknown to the allowlist and libseccomp: ENOSYS */
        WARD_SC_REFUSE,        /* known and not allowed: the default action */
        WARD_SC_ALLOW,         /* allowed, whatever the arguments */
        WARD_SC_ALLOW_NO_NS,   /* clone: allowed without CLONE_NEW* flags */
        WARD_SC_ALLOW_PERSONA, /* personality: only PER_LINUX, PER_LINUX32 and the query */
        WARD_SC_ENOSYS,        /* clone3: ENOSYS, so glibc falls back to clone */
        WARD_SC_ALLOW_SOCKET,  /* socket: allowed but for the plan's refused families and,
                                * under Landlock TCP rules, inet protocols it cannot see */
        WARD_SC_ALLOW_MODE1,   /* allowed unless args[1], a file mode, has WARD_SETID_BITS */
        WARD_SC_ALLOW_MODE2,   /* the same for args[2] */
        WARD_SC_ALLOW_MODE3,   /* the same for args[3] */
};
/* The last verdict: anything past it is not one. */
#define WARD_SC_LAST WARD_SC_ALLOW_MODE3

/* WARD_SC_ALLOW_NO_NS refuses a clone with any of these namespace flags (CLONE_NEWTIME is not
 * one of clone(2)'s: it shares its bit with the exit signal there). */
#define WARD_CLONE_NS_FLAGS                                                                        \
        (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |             \
         CLONE_NEWPID | CLONE_NEWNET)
/* The personas WARD_SC_ALLOW_PERSONA lets through; any other value of the whole 64-bit
 * argument gets ENOSYS. */
#define WARD_PER_LINUX 0x0000ULL
#define WARD_PER_LINUX32 0x0008ULL
#define WARD_PER_QUERY 0xffffffffULL /* personality(0xffffffff) only reads the persona */

/* socket(2)'s arguments are ints: the kernel reads the low 32 bits only, so every check on
 * them compares the low word (a family with high bits set is still that family). Families
 * below this are named one by one; higher values (none exists) get ENOSYS. */
#define WARD_SOCKET_FAMILY_LIMIT 64
/* WARD_SC_ALLOW_SOCKET's answers in errno mode: as a kernel without the family or the
 * protocol answers, so that a program falls back as it would there. */
#define WARD_SOCKET_FAMILY_ERRNO EAFNOSUPPORT
#define WARD_SOCKET_PROTO_ERRNO EPROTONOSUPPORT

/* S_ISUID | S_ISGID. Root-run sandboxes reuse one another's host id ranges, so a setuid or
 * setgid file left in a rw bind would hand a host user the ids of whichever sandbox holds
 * that range later: refused in every call that sets a mode (chmod, fchmod, fchmodat,
 * fchmodat2, mknod, mknodat, creat, open, openat). A mode is an int (umode_t): the kernel
 * reads the low word only, so the checks do too. openat2's mode is in memory the filter
 * cannot read: it gets ENOSYS, and libc and programs fall back to openat. */
#define WARD_SETID_BITS 06000u

/* The resolved filter: one verdict per syscall number, before libseccomp compiles it. */
struct ward_seccomp_plan {
        uint8_t verdict[WARD_SECCOMP_MAX_NR];
        int action; /* enum ward_seccomp_action */
        size_t n_rules;
        /* WARD_SC_ALLOW_SOCKET: bit f set: socket(f, ...) is refused (EAFNOSUPPORT). */
        uint64_t socket_refused_families;
        /* Landlock confines TCP only: AF_INET/AF_INET6 sockets are then limited to
         * SOCK_STREAM with protocol 0 or IPPROTO_TCP and to SOCK_DGRAM (UDP, ping);
         * MPTCP, SCTP, raw and the rest get EPROTONOSUPPORT. */
        bool socket_tcp_only;
        /* [Seccomp] AllowSetuidFiles=no (the default): the mode-setting calls the plan
         * allows become WARD_SC_ALLOW_MODE<n> (n: where the mode is), openat2 ENOSYS. */
        bool refuse_setid_modes;
};
