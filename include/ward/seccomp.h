/* Seccomp, with libseccomp: ward's own default allowlist, the [Seccomp] groups and names,
 * and loading the filter as the last step of setup. */
#pragma once

#include <sched.h>
#include <stddef.h>
#include <stdint.h>

#include "ward/config.h"

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

/* The families ward's filter refuses unless [Seccomp] AllowSocketFamily= names them. */
struct ward_socket_family {
        const char *name; /* as AllowSocketFamily= takes it: "vsock" */
        int family;       /* AF_VSOCK */
        const char *why;  /* for explain and errors */
};
/* The table, terminated by an entry whose name is NULL. */
const struct ward_socket_family *seccomp_socket_families(void);
/* The entry for name ("vsock", "AF_VSOCK", case-insensitive), or NULL. */
const struct ward_socket_family *seccomp_socket_family_find(const char *name);
/* Parse [Seccomp] AllowSocketFamily= (the profile reader's handler). */
int seccomp_parse_socket_families(struct ward_config *c, const char *value,
                                  const struct ward_origin *o, struct ward_error *e);
/* "vsock alg", or "(none)": the families the config lets through (allowed) or refuses. */
void seccomp_format_socket_families(const struct ward_config *c, bool allowed, char *buf,
                                    size_t len);
/* Whether ward's filter must keep inet sockets to what Landlock's TCP rules can see: the
 * config confines TCP binds or connects with Landlock. */
bool seccomp_socket_tcp_only(const struct ward_config *c);

/* "errno" / "kill" / "log" <-> enum ward_seccomp_action; -EINVAL for anything else. */
int seccomp_action_from_name(const char *name, int *action);
const char *seccomp_action_name(int action);

/* The members of "@group" (NULL-terminated), or NULL for an unknown group. */
const char *const *seccomp_group_members(const char *group);
/* Every group name, NULL-terminated. */
const char *const *seccomp_group_names(void);

/* Check one Allow=/Deny= word: a syscall name of this architecture or a @group. On failure
 * returns -EINVAL and puts the closest known word (or "") into suggestion. */
int seccomp_check_word(const char *word, char *suggestion, size_t len);

/* The first half of seccomp_plan_build(): which calls the built-in list, Allow= and Deny=
 * let through (WARD_SC_ALLOW), the rest left unknown rather than refused, and no argument
 * checks. Enough to judge a filter (policy_profile.c) at a fraction of the cost: refusing
 * the rest resolves every number libseccomp knows. Never compile this plan. */
int seccomp_plan_allowed(const struct ward_config *c, struct ward_seccomp_plan *p,
                         struct ward_error *e);

/* Resolve the config into a plan (no kernel involved: usable from explain and tests). */
int seccomp_plan_build(const struct ward_config *c, struct ward_seccomp_plan *p,
                       struct ward_error *e);
/* Compile the plan to BPF and write it to fd (seccomp_export_bpf); for tests and benches. */
int seccomp_plan_export(const struct ward_seccomp_plan *p, int fd, struct ward_error *e);

/* The program ward loads for plan p: seccomp_bpf_generate()'s (seccomp_bpf.h), or, for a
 * plan too fragmented for it, libseccomp's. *bpf is a malloc'd struct sock_filter[] of *len
 * instructions; the caller frees it. */
int seccomp_plan_bpf(const struct ward_seccomp_plan *p, void **bpf, size_t *len,
                     struct ward_error *e);

/* Read back the BPF an export wrote to fd (a memfd): *bpf (a malloc'd struct sock_filter[],
 * the caller frees it) and *len instructions. A program the kernel would refuse (empty, torn, over
 * BPF_MAXINSNS) is -EINVAL, before any load. */
int seccomp_bpf_read_back(int fd, void **bpf, size_t *len, struct ward_error *e);

/* A JSON profile (c->seccomp.json_path, see seccomp_json.h): compile it for the config's
 * capabilities and write the BPF to fd; *n_rules (may be NULL) gets the rule count. */
int seccomp_json_export(const struct ward_config *c, int fd, size_t *n_rules, struct ward_error *e);

/* The filter bpf (len instructions), which ward-init runs under, must let it do its work
 * (start, block and wait for signals, fork the app, forward signals, reap, report on stderr,
 * exit): else -EPERM naming key at o, the syscalls refused and what breaks. A program this
 * check cannot run is -EINVAL. Nothing to check when the config runs no init. */
int seccomp_check_init_needs(const struct ward_config *c, const void *bpf, size_t len,
                             const struct ward_origin *o, const char *key, const char *what,
                             struct ward_error *e);

/* seccomp_check_init_needs for [Seccomp]'s own filter, naming the key that decided it. */
int seccomp_check_filter_for_init(const struct ward_config *c, const void *bpf, size_t len,
                                  struct ward_error *e);

/* For _cleanup_(): release a libseccomp context (a scmp_filter_ctx) if there is one. */
void seccomp_ctx_releasep(void **ctx);

/* Before clone: a filter needs no_new_privs or CAP_SYS_ADMIN; refuse the combination. */
int seccomp_validate(const struct ward_config *c, struct ward_error *e);
/* In setup, last: load the filter the monitor prepared (p->seccomp, plan.h), else build,
 * compile and load it (nothing when unconfined). p may be NULL. */
struct ward_plan;
int seccomp_apply(const struct ward_config *c, const struct ward_plan *p, struct ward_error *e);

/* A bundle's linux.seccomp with process.noNewPrivileges false and CAP_SYS_ADMIN not kept:
 * the kernel takes such a filter only from a holder of CAP_SYS_ADMIN, so it is loaded, as
 * runc and crun do, before the uid switch and the capability sets drop it (the
 * "bundle-seccomp" step), and no_new_privs stays off as config.json says. The steps after
 * it then run under it. */
bool seccomp_bundle_loads_early(const struct ward_config *c);
/* In setup, before the credentials: load that filter. */
int seccomp_apply_bundle_early(const struct ward_config *c, struct ward_error *e);
/* Before the clone: that filter must let the rest of setup through (the uid switch, the
 * capability sets, the command's lookup, the init's exec): else -EPERM
 * naming linux.seccomp, the syscalls refused and what breaks. */
int seccomp_check_setup_needs(const struct ward_config *c, struct ward_error *e);

/* The plan as an OCI/Docker seccomp profile (a json_t *, json_decref() it; NULL on ENOMEM):
 * defaultAction ENOSYS, the allowed names, the refused names with the plan's action, and
 * the clone and personality argument rules, for x86_64 only. For `ward spec`; reading it
 * back with seccomp_json_compile gives the same verdicts as the plan. */
void *seccomp_plan_to_oci(const struct ward_seccomp_plan *p);
