/* Seccomp: ward's own allowlist, written for ward (not copied from Docker), at least as tight
 * as Docker's default, plus the systemd-style groups that Allow= and Deny= take.
 *
 * How a syscall is decided, in this order:
 *   1. @system-service (the ordinary allowlist below) is allowed;
 *   2. clone is allowed only without CLONE_NEW* flags (with them: refused), personality
 *      only for PER_LINUX, PER_LINUX32 and the 0xffffffff query (other personas: ENOSYS),
 *      clone3 gets ENOSYS (its flags live in memory
 *      that a filter cannot read, and glibc falls back to clone on ENOSYS); socket is
 *      allowed but for the families of socket_families[] (EAFNOSUPPORT unless
 *      AllowSocketFamily= names them) and, when Landlock confines TCP, the inet protocols
 *      Landlock cannot see (EPROTONOSUPPORT): the low word of each argument, as the kernel
 *      reads ints; chmod, fchmod, fchmodat(2), mknod(at), creat, open and openat are
 *      refused when their mode has S_ISUID or S_ISGID (low word; a root-run sandbox's host
 *      ids are reused after it exits, so such a file in a rw bind would carry another
 *      sandbox's ids), and openat2, whose mode is in memory, gets ENOSYS, unless
 *      AllowSetuidFiles=yes;
 *   3. capability-gated syscalls are allowed when the profile keeps the capability (as
 *      Docker's includes.caps), e.g. SYS_PTRACE opens ptrace;
 *   4. Allow= adds, then Deny= removes (Deny= wins);
 *   5. every other syscall that libseccomp knows for x86_64 gets the refusal action
 *      (EPERM, kill or log); syscalls newer than that table get ENOSYS.
 *
 * Why the default action is ENOSYS with explicit refusal rules, and not the reverse: the
 * refusals can be enumerated (libseccomp's table), the syscalls newer than it cannot be
 * named at all. ENOSYS for those lets glibc fall back (e.g. clone3 -> clone) exactly
 * as on an older kernel; EPERM would make it give up. Allowed syscalls carry no argument
 * conditions (except clone, personality and socket, not hot, and the mode-setting calls:
 * open and openat are hot, and pay ~12 instructions each), so the kernel's
 * constant-action cache lets the rest through without running the filter.
 *
 * The filter is native only (x86_64): an i386 `int 0x80` syscall kills the process, and so
 * does an x32 number (bit 30 set), so a 32-bit ABI cannot sidestep the rules (i386's
 * socketcall(2) included: the socket rules need no second form).
 *
 * Who writes the BPF: libseccomp names the syscalls and compiles JSON profiles, but the
 * program loaded for this plan is ward's own (seccomp_bpf.c), because the load is paid at
 * every start. The kernel checks, converts and JITs every instruction of a filter, then runs
 * it once per syscall number of both x86_64 and i386 to fill its constant-action cache.
 * libseccomp 2.5's program for the default plan, even as a binary tree (OPTIMIZE=2), is
 * 506 instructions, one compare per syscall number, with ~16-instruction paths; ward's is
 * a binary search over the runs of consecutive numbers that end in the same verdict (89 now,
 * with the socket and mode checks: 116 instructions; 74 and 90 when measured below),
 * ~11-instruction paths, and the same verdicts (compared number by number
 * with libseccomp's in tests/unit/test_seccomp_bpf.c). seccomp(SECCOMP_SET_MODE_FILTER) in
 * a fresh child, median of 200 (bench/seccomp.sh; 2 vCPUs, Linux 6.18): 138-232 us ->
 * 54-90 us, against 15-22 us for a one-instruction filter. compile() below stays: the
 * reference the tests compare with, and the fallback for a plan too fragmented for the
 * generator's 8-bit jumps (over ~250 runs). */
#include "ward/seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <jansson.h>
#include <seccomp.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/seccomp.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "ward/landlock.h"
#include "ward/plan.h"
#include "ward/seccomp_bpf.h"
#include "ward/seccomp_json.h"
#include "ward/scmp.h"
#include "ward/util.h"

/* ------------------------------------------------------------------------------------- */
/* Groups. Members are x86_64 syscall names; a name the architecture lacks is skipped.    */

/* What an ordinary service needs: files, sockets, threads, processes, timers, signals,
 * memory, IPC. Left out on purpose: namespaces, mounts, keyrings, bpf, perf, io_uring,
 * userfaultfd, ptrace and friends, clock setting, module loading, reboot, raw I/O. */
static const char *const group_system_service[] = {"accept",
                                                   "accept4",
                                                   "access",
                                                   "alarm",
                                                   "arch_prctl",
                                                   "bind",
                                                   "brk",
                                                   "capget",
                                                   "capset",
                                                   "chdir",
                                                   "chmod",
                                                   "chown",
                                                   "clock_getres",
                                                   "clock_gettime",
                                                   "clock_nanosleep",
                                                   "close",
                                                   "close_range",
                                                   "connect",
                                                   "copy_file_range",
                                                   "creat",
                                                   "dup",
                                                   "dup2",
                                                   "dup3",
                                                   "epoll_create",
                                                   "epoll_create1",
                                                   "epoll_ctl",
                                                   "epoll_pwait",
                                                   "epoll_pwait2",
                                                   "epoll_wait",
                                                   "eventfd",
                                                   "eventfd2",
                                                   "execve",
                                                   "execveat",
                                                   "exit",
                                                   "exit_group",
                                                   "faccessat",
                                                   "faccessat2",
                                                   "fadvise64",
                                                   "fallocate",
                                                   "fchdir",
                                                   "fchmod",
                                                   "fchmodat",
                                                   "fchmodat2",
                                                   "fchown",
                                                   "fchownat",
                                                   "fcntl",
                                                   "fdatasync",
                                                   "fgetxattr",
                                                   "flistxattr",
                                                   "flock",
                                                   "fork",
                                                   "fremovexattr",
                                                   "fsetxattr",
                                                   "fstat",
                                                   "fstatfs",
                                                   "fsync",
                                                   "ftruncate",
                                                   "futex",
                                                   "futex_requeue",
                                                   "futex_wait",
                                                   "futex_waitv",
                                                   "futex_wake",
                                                   "futex_waitv",
                                                   "getcpu",
                                                   "getcwd",
                                                   "getdents",
                                                   "getdents64",
                                                   "getegid",
                                                   "geteuid",
                                                   "getgid",
                                                   "getgroups",
                                                   "getitimer",
                                                   "getpeername",
                                                   "getpgid",
                                                   "getpgrp",
                                                   "getpid",
                                                   "getppid",
                                                   "getpriority",
                                                   "getrandom",
                                                   "getresgid",
                                                   "getresuid",
                                                   "getrlimit",
                                                   "get_robust_list",
                                                   "getrusage",
                                                   "getsid",
                                                   "getsockname",
                                                   "getsockopt",
                                                   "get_thread_area",
                                                   "gettid",
                                                   "gettimeofday",
                                                   "getuid",
                                                   "getxattr",
                                                   "inotify_add_watch",
                                                   "inotify_init",
                                                   "inotify_init1",
                                                   "inotify_rm_watch",
                                                   "io_cancel",
                                                   "ioctl",
                                                   "io_destroy",
                                                   "io_getevents",
                                                   "io_pgetevents",
                                                   "ioprio_get",
                                                   "ioprio_set",
                                                   "io_setup",
                                                   "io_submit",
                                                   "kill",
                                                   "lchown",
                                                   "landlock_add_rule",
                                                   "landlock_create_ruleset",
                                                   "landlock_restrict_self",
                                                   "lgetxattr",
                                                   "link",
                                                   "linkat",
                                                   "listen",
                                                   "listxattr",
                                                   "llistxattr",
                                                   "lremovexattr",
                                                   "lseek",
                                                   "lsetxattr",
                                                   "lstat",
                                                   "madvise",
                                                   "membarrier",
                                                   "memfd_create",
                                                   "mincore",
                                                   "mkdir",
                                                   "mkdirat",
                                                   "mknod",
                                                   "mknodat",
                                                   "mlock",
                                                   "mlock2",
                                                   "mlockall",
                                                   "mmap",
                                                   "mprotect",
                                                   "mq_getsetattr",
                                                   "mq_notify",
                                                   "mq_open",
                                                   "mq_timedreceive",
                                                   "mq_timedsend",
                                                   "mq_unlink",
                                                   "mremap",
                                                   "msgctl",
                                                   "msgget",
                                                   "msgrcv",
                                                   "msgsnd",
                                                   "msync",
                                                   "munlock",
                                                   "munlockall",
                                                   "munmap",
                                                   "nanosleep",
                                                   "newfstatat",
                                                   "open",
                                                   "openat",
                                                   "openat2",
                                                   "pause",
                                                   "pidfd_open",
                                                   "pidfd_send_signal",
                                                   "pipe",
                                                   "pipe2",
                                                   "pkey_alloc",
                                                   "pkey_free",
                                                   "pkey_mprotect",
                                                   "poll",
                                                   "ppoll",
                                                   "prctl",
                                                   "pread64",
                                                   "preadv",
                                                   "preadv2",
                                                   "prlimit64",
                                                   "pselect6",
                                                   "pwrite64",
                                                   "pwritev",
                                                   "pwritev2",
                                                   "read",
                                                   "readahead",
                                                   "readlink",
                                                   "readlinkat",
                                                   "readv",
                                                   "recvfrom",
                                                   "recvmmsg",
                                                   "recvmsg",
                                                   "remap_file_pages",
                                                   "removexattr",
                                                   "rename",
                                                   "renameat",
                                                   "renameat2",
                                                   "restart_syscall",
                                                   "rmdir",
                                                   "rseq",
                                                   "rt_sigaction",
                                                   "rt_sigpending",
                                                   "rt_sigprocmask",
                                                   "rt_sigqueueinfo",
                                                   "rt_sigreturn",
                                                   "rt_sigsuspend",
                                                   "rt_sigtimedwait",
                                                   "rt_tgsigqueueinfo",
                                                   "sched_getaffinity",
                                                   "sched_getattr",
                                                   "sched_getparam",
                                                   "sched_get_priority_max",
                                                   "sched_get_priority_min",
                                                   "sched_getscheduler",
                                                   "sched_rr_get_interval",
                                                   "sched_setaffinity",
                                                   "sched_setattr",
                                                   "sched_setparam",
                                                   "sched_setscheduler",
                                                   "sched_yield",
                                                   "seccomp",
                                                   "select",
                                                   "semctl",
                                                   "semget",
                                                   "semop",
                                                   "semtimedop",
                                                   "sendfile",
                                                   "sendmmsg",
                                                   "sendmsg",
                                                   "sendto",
                                                   "setfsgid",
                                                   "setfsuid",
                                                   "setgid",
                                                   "setgroups",
                                                   "setitimer",
                                                   "setpgid",
                                                   "setpriority",
                                                   "setregid",
                                                   "setresgid",
                                                   "setresuid",
                                                   "setreuid",
                                                   "setrlimit",
                                                   "set_robust_list",
                                                   "setsid",
                                                   "setsockopt",
                                                   "set_thread_area",
                                                   "set_tid_address",
                                                   "setuid",
                                                   "setxattr",
                                                   "shmat",
                                                   "shmctl",
                                                   "shmdt",
                                                   "shmget",
                                                   "shutdown",
                                                   "sigaltstack",
                                                   "signalfd",
                                                   "signalfd4",
                                                   "socket",
                                                   "socketpair",
                                                   "splice",
                                                   "stat",
                                                   "statfs",
                                                   "statx",
                                                   "symlink",
                                                   "symlinkat",
                                                   "sync",
                                                   "sync_file_range",
                                                   "syncfs",
                                                   "sysinfo",
                                                   "tee",
                                                   "tgkill",
                                                   "time",
                                                   "timer_create",
                                                   "timer_delete",
                                                   "timer_getoverrun",
                                                   "timer_gettime",
                                                   "timer_settime",
                                                   "timerfd_create",
                                                   "timerfd_gettime",
                                                   "timerfd_settime",
                                                   "times",
                                                   "tkill",
                                                   "truncate",
                                                   "umask",
                                                   "uname",
                                                   "unlink",
                                                   "unlinkat",
                                                   "utime",
                                                   "utimensat",
                                                   "utimes",
                                                   "vfork",
                                                   "vmsplice",
                                                   "wait4",
                                                   "waitid",
                                                   "write",
                                                   "writev",
                                                   NULL};

static const char *const group_mount[] = {"chroot",    "fsconfig",   "fsmount",       "fsopen",
                                          "fspick",    "mount",      "mount_setattr", "move_mount",
                                          "open_tree", "pivot_root", "umount2",       NULL};
static const char *const group_module[] = {
    "delete_module", "finit_module",    "init_module", "create_module",
    "query_module",  "get_kernel_syms", NULL};
static const char *const group_raw_io[] = {"ioperm", "iopl", NULL};
static const char *const group_reboot[] = {"kexec_file_load", "kexec_load", "reboot", NULL};
static const char *const group_swap[] = {"swapoff", "swapon", NULL};
static const char *const group_clock[] = {"adjtimex", "clock_adjtime", "clock_settime",
                                          "settimeofday", NULL};
/* Looking into or controlling other processes. */
static const char *const group_debug[] = {"kcmp",
                                          "lookup_dcookie",
                                          "perf_event_open",
                                          "pidfd_getfd",
                                          "process_vm_readv",
                                          "process_vm_writev",
                                          "ptrace",
                                          NULL};
static const char *const group_keyring[] = {"add_key", "keyctl", "request_key", NULL};
/* Unimplemented or long-deprecated entry points: nothing uses them but exploits. */
static const char *const group_obsolete[] = {
    "_sysctl",         "afs_syscall", "create_module", "epoll_ctl_old", "epoll_wait_old",
    "get_kernel_syms", "getpmsg",     "nfsservctl",    "putpmsg",       "query_module",
    "security",        "sysfs",       "tuxcall",       "uselib",        "ustat",
    "vserver",         NULL};
static const char *const group_cpu_emulation[] = {"modify_ldt", NULL};
/* Syscalls that do something only with a capability an app normally lacks, plus the
 * namespace entry points: @clock @module @mount @raw-io @reboot @swap and these. */
static const char *const group_privileged_extra[] = {
    "acct",     "bpf",         "fanotify_init", "name_to_handle_at", "open_by_handle_at",
    "quotactl", "quotactl_fd", "setdomainname", "sethostname",       "setns",
    "syslog",   "unshare",     "userfaultfd",   "vhangup",           NULL};

struct group {
        const char *name;
        const char *const *members;
        const char *const *more[6]; /* other groups folded in (for @privileged) */
};

static const struct group groups[] = {
    {"@system-service", group_system_service, {NULL}},
    {"@mount", group_mount, {NULL}},
    {"@module", group_module, {NULL}},
    {"@raw-io", group_raw_io, {NULL}},
    {"@reboot", group_reboot, {NULL}},
    {"@swap", group_swap, {NULL}},
    {"@clock", group_clock, {NULL}},
    {"@debug", group_debug, {NULL}},
    {"@keyring", group_keyring, {NULL}},
    {"@obsolete", group_obsolete, {NULL}},
    {"@cpu-emulation", group_cpu_emulation, {NULL}},
    {"@privileged",
     group_privileged_extra,
     {group_clock, group_module, group_mount, group_raw_io, group_reboot, group_swap}},
};

static const char *const group_name_list[] = {
    "@system-service", "@mount",   "@module",   "@raw-io",        "@reboot",     "@swap", "@clock",
    "@debug",          "@keyring", "@obsolete", "@cpu-emulation", "@privileged", NULL};

/* Capability-gated syscalls: allowed when the profile keeps the capability. CAP_SYS_ADMIN
 * deliberately opens no mount or namespace syscall (unlike Docker): root in a user
 * namespace holds it cheaply, and those are the largest kernel surfaces; Allow=@mount
 * asks for them by name. */
struct cap_gate {
        int cap;
        const char *const *members;
};
static const char *const gate_ptrace[] = {"kcmp", "process_vm_readv", "process_vm_writev", "ptrace",
                                          NULL};
static const char *const gate_time[] = {"adjtimex", "clock_adjtime", "clock_settime",
                                        "settimeofday", NULL};
static const char *const gate_boot[] = {"reboot", NULL};
static const char *const gate_module[] = {"delete_module", "finit_module", "init_module", NULL};
static const char *const gate_rawio[] = {"ioperm", "iopl", NULL};
static const char *const gate_pacct[] = {"acct", NULL};
static const char *const gate_nice[] = {"get_mempolicy", "mbind", "set_mempolicy", NULL};
static const char *const gate_syslog[] = {"syslog", NULL};
static const char *const gate_dac_read_search[] = {"open_by_handle_at", NULL};
static const char *const gate_tty_config[] = {"vhangup", NULL};
static const char *const gate_chroot[] = {"chroot", NULL};
static const char *const gate_sys_admin[] = {"sethostname", "setdomainname", NULL};

static const struct cap_gate cap_gates[] = {
    {CAP_SYS_PTRACE, gate_ptrace},
    {CAP_SYS_TIME, gate_time},
    {CAP_SYS_BOOT, gate_boot},
    {CAP_SYS_MODULE, gate_module},
    {CAP_SYS_RAWIO, gate_rawio},
    {CAP_SYS_PACCT, gate_pacct},
    {CAP_SYS_NICE, gate_nice},
    {CAP_SYSLOG, gate_syslog},
    {CAP_DAC_READ_SEARCH, gate_dac_read_search},
    {CAP_SYS_TTY_CONFIG, gate_tty_config},
    {CAP_SYS_CHROOT, gate_chroot},
    {CAP_SYS_ADMIN, gate_sys_admin},
};

/* ------------------------------------------------------------------------------------- */
/* Socket families                                                                       */

/* Refused unless AllowSocketFamily= names them: Docker's default refuses AF_VSOCK, and ward
 * refuses AF_ALG as well. Written for ward from what each family reaches, not copied. */
static const struct ward_socket_family socket_families[] = {
    {"vsock", AF_VSOCK,
     "vsock ignores network namespaces: it reaches the hypervisor, the host's guests and "
     "every other sandbox on the machine, even with Network.Mode=none"},
    {"alg", AF_ALG,
     "the kernel crypto API: a large attack surface nothing ordinary needs (OpenSSL and "
     "friends do their crypto in user space)"},
    {NULL, 0, NULL},
};

const struct ward_socket_family *seccomp_socket_families(void)
{
        return socket_families;
}

const struct ward_socket_family *seccomp_socket_family_find(const char *name)
{
        if (strncasecmp(name, "AF_", 3) == 0)
                name += 3;
        for (const struct ward_socket_family *f = socket_families; f->name; f++)
                if (strcasecmp(f->name, name) == 0)
                        return f;
        return NULL;
}

static int unknown_family(const char *word, const struct ward_origin *o, struct ward_error *e)
{
        const char *names[ARRAY_SIZE(socket_families)];
        const char *best;
        size_t n = 0;

        for (const struct ward_socket_family *f = socket_families; f->name; f++)
                names[n++] = f->name;
        names[n] = NULL;
        best = ward_closest(word, names);
        ward_error_at(e, o, "Seccomp.AllowSocketFamily", 0,
                      "\"%.64s\" is not a socket family ward's filter refuses", word);
        if (best)
                ward_error_hint(e, "did you mean \"%s\"? The refused families are: vsock alg",
                                best);
        else
                ward_error_hint(e, "name one of the refused families: vsock alg (other "
                                   "families are not refused, so need no opt-in)");
        return -EINVAL;
}

int seccomp_parse_socket_families(struct ward_config *c, const char *value,
                                  const struct ward_origin *o, struct ward_error *e)
{
        _cleanup_free_ char *copy = strdup(value);
        char *save = NULL;

        if (!copy)
                return ward_error_set(e, ENOMEM, "out of memory");
        if (!*value)
                c->seccomp.socket_families_allowed = 0; /* an empty assignment resets */
        for (char *w = strtok_r(copy, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
                const struct ward_socket_family *f = seccomp_socket_family_find(w);
                if (!f)
                        return unknown_family(w, o, e);
                c->seccomp.socket_families_allowed |= 1ULL << f->family;
        }
        c->seccomp.socket_families_origin = c->seccomp.origin = *o;
        return 0;
}

void seccomp_format_socket_families(const struct ward_config *c, bool allowed, char *buf,
                                    size_t len)
{
        size_t used = 0;

        snprintf(buf, len, "(none)");
        for (const struct ward_socket_family *f = socket_families; f->name && used < len; f++) {
                bool is_allowed = c->seccomp.socket_families_allowed & (1ULL << f->family);
                if (is_allowed != allowed)
                        continue;
                int w = snprintf(buf + used, len - used, "%s%s", used ? " " : "", f->name);
                if (w < 0)
                        break;
                used += (size_t)w;
        }
}

bool seccomp_socket_tcp_only(const struct ward_config *c)
{
        const struct ward_landlock_config *l = &c->landlock;

        return l->mode != WARD_LANDLOCK_OFF && !(l->bind_tcp_any && l->connect_tcp_any);
}

/* ------------------------------------------------------------------------------------- */
/* Names                                                                                 */

static const char *const action_names[] = {"errno", "kill", "log", NULL};

int seccomp_action_from_name(const char *name, int *action)
{
        for (int i = 0; action_names[i]; i++)
                if (strcmp(name, action_names[i]) == 0) {
                        *action = i;
                        return 0;
                }
        return -EINVAL;
}

const char *seccomp_action_name(int action)
{
        return action >= 0 && action < (int)ARRAY_SIZE(action_names) - 1 ? action_names[action]
                                                                         : "?";
}

static const struct group *find_group(const char *name)
{
        for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
                if (strcmp(groups[i].name, name) == 0)
                        return &groups[i];
        return NULL;
}

const char *const *seccomp_group_members(const char *group)
{
        const struct group *g = find_group(group);
        return g ? g->members : NULL;
}

const char *const *seccomp_group_names(void)
{
        return group_name_list;
}

int seccomp_check_word(const char *word, char *suggestion, size_t len)
{
        if (word[0] == '@' ? find_group(word) != NULL : scmp_syscall_number(word) >= 0) {
                snprintf(suggestion, len, "%s", "");
                return 0;
        }
        scmp_closest_syscall(word, group_name_list, suggestion, len);
        return -EINVAL;
}

/* ------------------------------------------------------------------------------------- */
/* The plan                                                                              */

static void set_names(struct ward_seccomp_plan *p, const char *const *names, uint8_t verdict)
{
        for (size_t i = 0; names && names[i]; i++) {
                int nr = scmp_syscall_number(names[i]);
                if (nr >= 0)
                        p->verdict[nr] = verdict;
        }
}

/* A word from Allow=/Deny=: a group (with the groups folded into it) or one name. */
static int set_word(struct ward_seccomp_plan *p, const char *word, uint8_t verdict,
                    struct ward_error *e)
{
        const struct group *g = word[0] == '@' ? find_group(word) : NULL;

        if (g) {
                set_names(p, g->members, verdict);
                for (size_t i = 0; i < ARRAY_SIZE(g->more) && g->more[i]; i++)
                        set_names(p, g->more[i], verdict);
                return 0;
        }
        if (scmp_syscall_number(word) < 0)
                return ward_error_set(e, EINVAL, "unknown syscall or group \"%.64s\"", word);
        p->verdict[scmp_syscall_number(word)] = verdict;
        return 0;
}

static void set_builtin(const struct ward_config *c, struct ward_seccomp_plan *p)
{
        set_names(p, group_system_service, WARD_SC_ALLOW);
        p->verdict[scmp_syscall_number("clone")] = WARD_SC_ALLOW_NO_NS;
        p->verdict[scmp_syscall_number("personality")] = WARD_SC_ALLOW_PERSONA;
        p->verdict[scmp_syscall_number("clone3")] = WARD_SC_ENOSYS;
        for (size_t i = 0; i < ARRAY_SIZE(cap_gates); i++)
                if (c->caps_keep & (1ULL << cap_gates[i].cap))
                        set_names(p, cap_gates[i].members, WARD_SC_ALLOW);
}

/* Everything libseccomp can name but the plan has not allowed is refused. */
static void refuse_the_rest(struct ward_seccomp_plan *p)
{
        for (int nr = 0; nr < WARD_SECCOMP_MAX_NR; nr++) {
                if (p->verdict[nr] != WARD_SC_UNKNOWN)
                        continue;
                char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
                if (name)
                        p->verdict[nr] = WARD_SC_REFUSE;
                free(name);
        }
}

/* socket()'s checks as libseccomp rules, for compile() and the OCI export: each outcome
 * is a union of rules that never overlap a rule of another outcome, because libseccomp
 * gives no order to overlapping rules with different actions, and every comparison is
 * MASKED_EQ on the low word (the kernel reads ints). What no rule matches (a family of 64
 * or more: none exists) gets the default action, ENOSYS, as in seccomp_bpf.c's block. */
enum socket_outcome {
        SOCKET_ALLOW,
        SOCKET_REFUSE_FAMILY, /* EAFNOSUPPORT, or the plan's kill/log */
        SOCKET_REFUSE_PROTO,  /* EPROTONOSUPPORT, or the plan's kill/log */
};

struct socket_rule {
        enum socket_outcome outcome;
        unsigned n;
        struct scmp_arg_cmp cmp[3];
};

typedef int (*socket_rule_fn)(const struct socket_rule *r, void *data);

#define LOW_WORD 0xffffffffULL
#define SOCK_TYPE_BITS 0xfULL /* SOCK_TYPE_MASK: the rest of type is NONBLOCK/CLOEXEC */

static struct scmp_arg_cmp low_eq(unsigned arg, uint64_t mask, uint64_t value)
{
        return (struct scmp_arg_cmp){
            .arg = arg, .op = SCMP_CMP_MASKED_EQ, .datum_a = mask, .datum_b = value};
}

/* An inet family under Landlock TCP rules: SOCK_DGRAM of any protocol, SOCK_STREAM with
 * protocol 0 or IPPROTO_TCP; every other type or protocol (MPTCP, SCTP, raw) is refused.
 * "Any other protocol" is the union of "a bit outside TCP's 0b110 is set" and 2 and 4. */
static int each_inet_rule(int family, socket_rule_fn fn, void *data)
{
        struct socket_rule r = {.n = 2, .cmp = {low_eq(0, LOW_WORD, (uint64_t)family)}};
        int ret = 0;

        r.outcome = SOCKET_ALLOW;
        r.cmp[1] = low_eq(1, SOCK_TYPE_BITS, SOCK_DGRAM);
        if ((ret = fn(&r, data)) < 0)
                return ret;
        r.outcome = SOCKET_REFUSE_PROTO;
        for (uint64_t t = 0; ret >= 0 && t <= SOCK_TYPE_BITS; t++) {
                r.cmp[1] = low_eq(1, SOCK_TYPE_BITS, t);
                if (t != SOCK_DGRAM && t != SOCK_STREAM)
                        ret = fn(&r, data);
        }
        r.n = 3;
        r.cmp[1] = low_eq(1, SOCK_TYPE_BITS, SOCK_STREAM);
        for (uint64_t proto = 0; ret >= 0 && proto <= IPPROTO_TCP; proto += 2) {
                r.outcome = proto == 0 || proto == IPPROTO_TCP ? SOCKET_ALLOW : SOCKET_REFUSE_PROTO;
                r.cmp[2] = low_eq(2, LOW_WORD, proto);
                ret = fn(&r, data);
        }
        r.outcome = SOCKET_REFUSE_PROTO;
        for (unsigned bit = 0; ret >= 0 && bit < 32; bit++) {
                r.cmp[2] = low_eq(2, 1ULL << bit, 1ULL << bit);
                if (!((1ULL << bit) & IPPROTO_TCP))
                        ret = fn(&r, data);
        }
        return ret;
}

static int for_each_socket_rule(const struct ward_seccomp_plan *p, socket_rule_fn fn, void *data)
{
        int r = 0;

        for (int f = 0; r >= 0 && f < WARD_SOCKET_FAMILY_LIMIT; f++) {
                struct socket_rule rule = {.n = 1, .cmp = {low_eq(0, LOW_WORD, (uint64_t)f)}};
                if (p->socket_refused_families & (1ULL << f)) {
                        rule.outcome = SOCKET_REFUSE_FAMILY;
                        r = fn(&rule, data);
                } else if (p->socket_tcp_only && (f == AF_INET || f == AF_INET6)) {
                        r = each_inet_rule(f, fn, data);
                } else {
                        rule.outcome = SOCKET_ALLOW;
                        r = fn(&rule, data);
                }
        }
        return r;
}

/* After Allow= and Deny=: an allowed socket() keeps its family and protocol checks (only
 * AllowSocketFamily= and Landlock's lists change them), a refused one stays refused. */
static void set_socket_checks(const struct ward_config *c, struct ward_seccomp_plan *p)
{
        int nr = scmp_syscall_number("socket");

        for (const struct ward_socket_family *f = socket_families; f->name; f++)
                if (!(c->seccomp.socket_families_allowed & (1ULL << f->family)))
                        p->socket_refused_families |= 1ULL << f->family;
        p->socket_tcp_only = seccomp_socket_tcp_only(c);
        if (nr >= 0 && p->verdict[nr] == WARD_SC_ALLOW &&
            (p->socket_refused_families || p->socket_tcp_only))
                p->verdict[nr] = WARD_SC_ALLOW_SOCKET;
}

/* The calls that can give a file S_ISUID/S_ISGID, and which argument holds the mode
 * (x86_64 argument order): WARD_SC_ALLOW_MODE<arg>. */
static const struct {
        const char *name;
        unsigned arg;
} mode_calls[] = {
    {"chmod", 1},    {"fchmod", 1},    {"creat", 1},   {"mknod", 1},  {"open", 2},
    {"fchmodat", 2}, {"fchmodat2", 2}, {"mknodat", 2}, {"openat", 3},
};

/* After Allow= and Deny=, as for socket: an allowed mode-setting call keeps its check on
 * the mode, a refused one stays refused; openat2, whose mode the filter cannot read, gets
 * ENOSYS so that callers fall back to openat. */
static void set_setid_checks(const struct ward_config *c, struct ward_seccomp_plan *p)
{
        int nr = scmp_syscall_number("openat2");

        p->refuse_setid_modes = !c->seccomp.allow_setid_files;
        if (!p->refuse_setid_modes)
                return;
        for (size_t i = 0; i < ARRAY_SIZE(mode_calls); i++) {
                int n = scmp_syscall_number(mode_calls[i].name);
                if (n >= 0 && p->verdict[n] == WARD_SC_ALLOW)
                        p->verdict[n] = (uint8_t)(WARD_SC_ALLOW_MODE1 + mode_calls[i].arg - 1);
        }
        if (nr >= 0 && p->verdict[nr] == WARD_SC_ALLOW)
                p->verdict[nr] = WARD_SC_ENOSYS;
}

static int count_rule(const struct socket_rule *r, void *data)
{
        (void)r;
        (*(size_t *)data)++;
        return 0;
}

static size_t rules_for(const struct ward_seccomp_plan *p, uint8_t verdict)
{
        size_t n = 0;

        if (verdict == WARD_SC_ALLOW_SOCKET) {
                for_each_socket_rule(p, count_rule, &n);
                return n;
        }
        switch (verdict) {
        case WARD_SC_ALLOW:
        case WARD_SC_REFUSE:
                return 1;
        case WARD_SC_ALLOW_NO_NS:
                return 1 + (size_t)__builtin_popcountl(WARD_CLONE_NS_FLAGS);
        case WARD_SC_ALLOW_PERSONA:
        case WARD_SC_ALLOW_MODE1:
        case WARD_SC_ALLOW_MODE2:
        case WARD_SC_ALLOW_MODE3:
                return 3;
        default:
                return 0; /* UNKNOWN and ENOSYS are the default action itself */
        }
}

int seccomp_plan_allowed(const struct ward_config *c, struct ward_seccomp_plan *p,
                         struct ward_error *e)
{
        const struct ward_seccomp_config *s = &c->seccomp;
        int r;

        memset(p, 0, sizeof(*p));
        p->action = s->default_action;
        set_builtin(c, p);
        for (size_t i = 0; i < s->n_allow; i++)
                if ((r = set_word(p, s->allow[i], WARD_SC_ALLOW, e)) < 0)
                        return r;
        for (size_t i = 0; i < s->n_deny; i++)
                if ((r = set_word(p, s->deny[i], WARD_SC_REFUSE, e)) < 0)
                        return r;
        return 0;
}

int seccomp_plan_build(const struct ward_config *c, struct ward_seccomp_plan *p,
                       struct ward_error *e)
{
        int r;

        if ((r = seccomp_plan_allowed(c, p, e)) < 0)
                return r;
        refuse_the_rest(p);
        set_socket_checks(c, p);
        set_setid_checks(c, p);
        for (int nr = 0; nr < WARD_SECCOMP_MAX_NR; nr++)
                p->n_rules += rules_for(p, p->verdict[nr]);
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Compiling and loading                                                                 */

static uint32_t refusal(int action)
{
        return action == WARD_SECCOMP_KILL  ? SCMP_ACT_KILL_PROCESS
               : action == WARD_SECCOMP_LOG ? SCMP_ACT_LOG
                                            : SCMP_ACT_ERRNO(EPERM);
}

static int add_clone_rules(scmp_filter_ctx ctx, int nr, uint32_t refuse)
{
        int r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
                                 SCMP_A0(SCMP_CMP_MASKED_EQ, WARD_CLONE_NS_FLAGS, 0));

        for (unsigned long bit = 1; r >= 0 && bit; bit <<= 1)
                if (bit & WARD_CLONE_NS_FLAGS)
                        r = seccomp_rule_add(ctx, refuse, nr, 1,
                                             SCMP_A0(SCMP_CMP_MASKED_EQ, bit, bit));
        return r;
}

/* Any other persona (ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC...) falls to the default action,
 * ENOSYS: libseccomp 2.5 cannot say "none of these values" in one rule, and overlapping
 * rules with different actions have no defined precedence. */
static int add_personality_rules(scmp_filter_ctx ctx, int nr)
{
        static const uint64_t allowed[] = {WARD_PER_LINUX, WARD_PER_LINUX32, WARD_PER_QUERY};
        int r = 0;

        for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(allowed); i++)
                r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
                                     SCMP_A0(SCMP_CMP_EQ, allowed[i], 0));
        return r;
}

/* A mode-setting call: allowed when neither bit is in the mode's low word (the kernel reads
 * a umode_t), refused (EPERM, or the plan's kill/log, as every refusal) when either is. The
 * two refusing rules overlap each other but not the allowing one, and share its action. */
static int mode_rules(uint8_t verdict, struct scmp_arg_cmp cmp[3])
{
        unsigned arg = (unsigned)(verdict - WARD_SC_ALLOW_MODE1) + 1;

        cmp[0] = low_eq(arg, WARD_SETID_BITS, 0);
        cmp[1] = low_eq(arg, S_ISUID, S_ISUID);
        cmp[2] = low_eq(arg, S_ISGID, S_ISGID);
        return 3;
}

static int add_mode_rules(scmp_filter_ctx ctx, int nr, uint8_t verdict, uint32_t refuse)
{
        struct scmp_arg_cmp cmp[3];
        int n = mode_rules(verdict, cmp), r = 0;

        for (int i = 0; r >= 0 && i < n; i++)
                r = seccomp_rule_add_array(ctx, i ? refuse : SCMP_ACT_ALLOW, nr, 1, &cmp[i]);
        return r;
}

/* What an outcome of socket()'s checks does, as a libseccomp action. */
static uint32_t socket_action(int plan_action, enum socket_outcome o)
{
        if (o == SOCKET_ALLOW)
                return SCMP_ACT_ALLOW;
        if (plan_action != WARD_SECCOMP_ERRNO)
                return refusal(plan_action);
        return SCMP_ACT_ERRNO(o == SOCKET_REFUSE_FAMILY ? WARD_SOCKET_FAMILY_ERRNO
                                                        : WARD_SOCKET_PROTO_ERRNO);
}

struct socket_ctx {
        scmp_filter_ctx ctx;
        int nr, action;
};

static int add_socket_rule(const struct socket_rule *r, void *data)
{
        const struct socket_ctx *sc = data;

        return seccomp_rule_add_array(sc->ctx, socket_action(sc->action, r->outcome), sc->nr, r->n,
                                      r->cmp);
}

static int add_rule(scmp_filter_ctx ctx, const struct ward_seccomp_plan *p, int nr, uint8_t verdict,
                    uint32_t refuse)
{
        struct socket_ctx sc = {.ctx = ctx, .nr = nr, .action = p->action};

        switch (verdict) {
        case WARD_SC_ALLOW_SOCKET:
                return for_each_socket_rule(p, add_socket_rule, &sc);
        case WARD_SC_ALLOW:
                return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
        case WARD_SC_REFUSE:
                return seccomp_rule_add(ctx, refuse, nr, 0);
        case WARD_SC_ALLOW_NO_NS:
                return add_clone_rules(ctx, nr, refuse);
        case WARD_SC_ALLOW_PERSONA:
                return add_personality_rules(ctx, nr);
        case WARD_SC_ALLOW_MODE1:
        case WARD_SC_ALLOW_MODE2:
        case WARD_SC_ALLOW_MODE3:
                return add_mode_rules(ctx, nr, verdict, refuse);
        default:
                return 0;
        }
}

/* libseccomp's program for the plan: what the tests and the bench compare seccomp_bpf.c's
 * with, and the fallback for a plan too fragmented for it (seccomp_plan_bpf). */
static int compile(const struct ward_seccomp_plan *p, scmp_filter_ctx *out, struct ward_error *e)
{
        _cleanup_(scmp_ctx_releasep) scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(ENOSYS));
        uint32_t refuse = refusal(p->action);
        int r;

        if (!ctx)
                return ward_error_set(e, ENOMEM, "seccomp_init()");
        /* no_new_privs is Process.NoNewPrivileges's business: libseccomp must not set it. */
        if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0 ||
            (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0 ||
            /* A binary search over syscall numbers instead of ~400 compares in a row, for
             * the fallback's sake (see the top of this file). */
            (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0)
                return ward_error_set(e, -r, "seccomp_attr_set()");
        for (int nr = 0; nr < WARD_SECCOMP_MAX_NR; nr++) {
                if ((r = add_rule(ctx, p, nr, p->verdict[nr], refuse)) < 0) {
                        char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
                        ward_error_set(e, -r, "cannot add the seccomp rule for %s",
                                       name ? name : "?");
                        free(name);
                        return -(e->err);
                }
        }
        *out = ward_take_ptr(&ctx);
        return 0;
}

int seccomp_bpf_read_back(int fd, void **bpf, size_t *len, struct ward_error *e)
{
        off_t size = lseek(fd, 0, SEEK_END);
        _cleanup_free_ struct sock_filter *buf = NULL;

        if (size <= 0 || size % (off_t)sizeof(*buf) || size / (off_t)sizeof(*buf) > BPF_MAXINSNS)
                return ward_error_set(e, EINVAL, "the compiled seccomp filter has %lld bytes",
                                      (long long)size);
        if (!(buf = malloc((size_t)size)))
                return ward_error_set(e, ENOMEM, "out of memory");
        if (pread(fd, buf, (size_t)size, 0) != size)
                return ward_error_set(e, EIO, "reading back the compiled seccomp filter");
        *len = (size_t)size / sizeof(*buf);
        *bpf = ward_take_ptr(&buf);
        return 0;
}

int seccomp_plan_export(const struct ward_seccomp_plan *p, int fd, struct ward_error *e)
{
        _cleanup_(scmp_ctx_releasep) scmp_filter_ctx ctx = NULL;
        int r = compile(p, &ctx, e);

        if (r < 0)
                return r;
        if ((r = seccomp_export_bpf(ctx, fd)) < 0)
                return ward_error_set(e, -r, "seccomp_export_bpf()");
        return 0;
}

/* libseccomp exports only to an fd: through a memfd, then read back. */
static int export_to_memory(const struct ward_seccomp_plan *p, void **bpf, size_t *len,
                            struct ward_error *e)
{
        _cleanup_close_ int fd = memfd_create("ward-seccomp", MFD_CLOEXEC);
        int r;

        if (fd < 0)
                return ward_error_set(e, errno, "memfd_create() for the seccomp filter");
        if ((r = seccomp_plan_export(p, fd, e)) < 0)
                return r;
        return seccomp_bpf_read_back(fd, bpf, len, e);
}

int seccomp_plan_bpf(const struct ward_seccomp_plan *p, void **bpf, size_t *len,
                     struct ward_error *e)
{
        int r = seccomp_bpf_generate(p, bpf, len, e);

        if (r != -E2BIG)
                return r;
        return export_to_memory(p, bpf, len, e);
}

int seccomp_json_export(const struct ward_config *c, int fd, size_t *n_rules, struct ward_error *e)
{
        _cleanup_(scmp_ctx_releasep) scmp_filter_ctx ctx = NULL;
        int r = seccomp_json_compile(c->seccomp.json_path, c->caps_keep, &c->seccomp.profile_origin,
                                     &ctx, n_rules, e);

        if (r < 0)
                return r;
        if ((r = seccomp_export_bpf(ctx, fd)) < 0)
                return ward_error_set(e, -r, "seccomp_export_bpf()");
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* What ward-init needs from a filter                                                    */

/* The calls ward-init makes under the filter to do its job, with the arguments it makes
 * them with (a filter may look at them): found with strace on ward-init, a static binary.
 * Left out: getpid (without it the init only takes itself for a non-PID-1 subreaper and
 * stops passing socket-activation fds) and setpgid/ioctl (the app's own process group and
 * the terminal's foreground: refused, the app stays in the init's group, as init.c says;
 * only ProcessGroup=yes, which needs that group, then fails). */
struct init_need {
        const char *name;
        uint64_t args[4];
        const char *why;
};

#define WHY_SIGNALS "wait for the signals it forwards (SIGTERM would never reach the app)"
static const struct init_need init_needs[] = {
    {"execveat", {3, 0, 0, 0}, "be started (setup executes it from its sealed memfd)"},
    {"arch_prctl", {0x1002 /* ARCH_SET_FS */, 0, 0, 0}, "start (its C library sets up TLS)"},
    {"set_tid_address", {0, 0, 0, 0}, "start"},
    {"prctl", {4 /* PR_SET_DUMPABLE */, 0, 0, 0}, "make itself not dumpable"},
    {"prctl", {36 /* PR_SET_CHILD_SUBREAPER */, 1, 0, 0}, "reap orphans when it is not PID 1"},
    {"rt_sigprocmask", {2 /* SIG_SETMASK */, 0, 0, 8}, WHY_SIGNALS},
    {"rt_sigaction", {SIGCHLD, 0, 0, 8}, WHY_SIGNALS},
    {"rt_sigtimedwait", {0, 0, 0, 8}, WHY_SIGNALS},
    {"kill", {2, SIGTERM, 0, 0}, "forward signals to the app"},
    {"fork", {0, 0, 0, 0}, "start the app"},
    {"wait4",
     {(uint64_t)-1, 0, 1 | 0x40000000 /* WNOHANG|__WALL */, 0},
     "reap the app and every orphan"},
    {"write", {2, 0, 64, 0}, "report errors on stderr"},
    {"writev", {2, 0, 2, 0}, "report errors on stderr"},
    {"exit_group", {0, 0, 0, 0}, "exit with the app's status"},
};

/* With the report pipe only: ward run's init, not entrypoint mode's. Its number is the
 * monitor's choice at run time: any fd above 2. Without F_SETFD the app would inherit the
 * init's pipe to ward's monitor. */
static const struct init_need report_needs[] = {
    {"fcntl", {3, F_SETFD, FD_CLOEXEC, 0}, "keep its report pipe to ward from the app"},
    {"write", {3, 0, 16, 0}, "tell ward how the app ended"},
};

/* Allowed, or logged and allowed (DefaultAction=log). */
static bool lets_through(uint32_t ret)
{
        uint32_t action = ret & SECCOMP_RET_ACTION_FULL;
        return action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG;
}

static int run_need(const void *bpf, size_t len, const struct init_need *n, bool *ok)
{
        struct seccomp_data d = {.arch = AUDIT_ARCH_X86_64};
        uint32_t ret = 0;
        int r;

        d.nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, n->name);
        memcpy(d.args, n->args, sizeof(n->args));
        if (d.nr < 0)
                return -EINVAL;
        if ((r = seccomp_bpf_run(bpf, len, &d, &ret)) < 0)
                return r;
        *ok = lets_through(ret);
        return 0;
}

/* What a filter refuses of a table of needs: the names, and why the first one matters. */
struct refusals {
        char names[256];
        size_t used;
        const char *why;
};

/* -EINVAL with *failed set when the program cannot be run on a need. */
static int check_needs(const void *bpf, size_t len, const struct init_need *t, size_t n,
                       struct refusals *out, const char **failed)
{
        for (size_t i = 0; i < n; i++) {
                bool ok = false;
                if (run_need(bpf, len, &t[i], &ok) < 0)
                        return *failed = t[i].name, -EINVAL;
                if (ok || strstr(out->names, t[i].name))
                        continue;
                out->why = out->why ? out->why : t[i].why;
                out->used += (size_t)snprintf(
                    out->names + out->used,
                    out->used < sizeof(out->names) ? sizeof(out->names) - out->used : 0, "%s%s",
                    out->used ? " " : "", t[i].name);
        }
        return 0;
}

int seccomp_check_init_needs(const struct ward_config *c, const void *bpf, size_t len,
                             const struct ward_origin *o, const char *key, const char *what,
                             struct ward_error *e)
{
        struct refusals no = {.used = 0};
        const char *failed = NULL, *refused = no.names, *why;

        if (!c->init)
                return 0;
        if (check_needs(bpf, len, init_needs, ARRAY_SIZE(init_needs), &no, &failed) < 0 ||
            (!c->in_place &&
             check_needs(bpf, len, report_needs, ARRAY_SIZE(report_needs), &no, &failed) < 0))
                return ward_error_at(e, o, key, EINVAL,
                                     "cannot check that %.200s lets ward-init call %s", what,
                                     failed);
        if (!(why = no.why))
                return 0;
        ward_error_at(e, o, key, EPERM, "%.300s refuses %.200s, which ward-init needs to %s", what,
                      refused, why);
        ward_error_hint(e,
                        "allow %.200s in the filter, or run without ward's init (Init=no, "
                        "--init=false): every syscall ward-init makes is listed in "
                        "ward.profile(5), SECCOMP",
                        refused);
        return -EPERM;
}

/* What setup does after a bundle's filter loaded early (seccomp_bundle_loads_early()), up
 * to the exec: found with strace on the setup (the fds are marked close-on-exec before). */
#define WHY_CREDS "switch to config.json's user and capabilities"
static const struct init_need setup_needs[] = {
    {"setgroups", {0, 0, 0, 0}, WHY_CREDS},
    {"getgroups", {1, 0, 0, 0}, WHY_CREDS},
    {"prctl", {PR_SET_KEEPCAPS, 1, 0, 0}, WHY_CREDS},
    {"setresgid", {0, 0, 0, 0}, WHY_CREDS},
    {"setresuid", {0, 0, 0, 0}, WHY_CREDS},
    {"getresuid", {0, 0, 0, 0}, WHY_CREDS},
    {"getresgid", {0, 0, 0, 0}, WHY_CREDS},
    {"prctl", {PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0}, WHY_CREDS},
    {"prctl", {PR_CAPBSET_READ, 0, 0, 0}, WHY_CREDS},
    {"prctl", {PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 0, 0}, WHY_CREDS},
    {"capget", {0, 0, 0, 0}, WHY_CREDS},
    {"capset", {0, 0, 0, 0}, WHY_CREDS},
    {"prctl", {PR_SET_PDEATHSIG, SIGKILL, 0, 0}, "die with ward's monitor"},
    {"poll", {0, 1, 0, 0}, "die with ward's monitor"},
    {"newfstatat", {(uint64_t)AT_FDCWD, 0, 0, 0}, "find the command in the image"},
    {"access", {0, X_OK, 0, 0}, "find the command in the image"},
};
static const struct init_need exec_need[] = {
    {"execveat", {3, 0, 0, 0}, "start ward-init"},
    {"execve", {0, 0, 0, 0}, "start the command"},
};
int seccomp_check_setup_needs(const struct ward_config *c, struct ward_error *e)
{
        const void *bpf = c->seccomp.extra_bpf;
        size_t len = c->seccomp.extra_bpf_len;
        struct refusals no = {.used = 0};
        const char *failed = NULL;

        if (!seccomp_bundle_loads_early(c))
                return 0;
        if (check_needs(bpf, len, setup_needs, ARRAY_SIZE(setup_needs), &no, &failed) < 0 ||
            check_needs(bpf, len, &exec_need[c->init ? 0 : 1], 1, &no, &failed) < 0)
                return ward_error_at(e, &c->seccomp.extra_origin, "linux.seccomp", EINVAL,
                                     "cannot check that linux.seccomp lets ward's setup call %s",
                                     failed);
        if (!no.why)
                return 0;
        ward_error_at(e, &c->seccomp.extra_origin, "linux.seccomp", EPERM,
                      "linux.seccomp refuses %.200s, which ward needs after loading it to %s: "
                      "with process.noNewPrivileges false the filter is loaded before the "
                      "capabilities are dropped (the kernel takes it only from a holder of "
                      "CAP_SYS_ADMIN), so the rest of the setup runs under it",
                      no.names, no.why);
        ward_error_hint(e,
                        "allow %.200s in linux.seccomp, or set \"noNewPrivileges\": true in "
                        "process (the filter is then loaded last and only the init needs "
                        "anything of it)",
                        no.names);
        return -EPERM;
}

/* The sockets Landlock's TCP rules do not see, one of each kind. */
static const struct {
        const char *what;
        uint64_t family, type, protocol;
} unseen_sockets[] = {
    {"MPTCP", AF_INET, SOCK_STREAM, IPPROTO_MPTCP},
    {"MPTCP over IPv6", AF_INET6, SOCK_STREAM, IPPROTO_MPTCP},
    {"SCTP", AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP},
    {"SCTP streams", AF_INET, SOCK_STREAM, IPPROTO_SCTP},
};

/* Whether Landlock's network rules will be in force: they then need the filter's help. */
static bool landlock_confines_tcp(const struct ward_config *c)
{
        struct ward_error ignored; /* a config Landlock refuses fails in its own check */
        int abi = landlock_abi();

        return seccomp_socket_tcp_only(c) && abi >= 4 && landlock_decide(c, abi, &ignored) == 1;
}

/* A JSON profile is the user's whole filter: ward adds nothing to it, so under Landlock TCP
 * rules it must refuse what Landlock does not see itself, or MPTCP and SCTP walk around
 * BindTCP= and ConnectTCP=. */
static int check_json_sockets(const struct ward_config *c, const void *bpf, size_t len,
                              struct ward_error *e)
{
        struct seccomp_data d = {.arch = AUDIT_ARCH_X86_64};
        uint32_t ret = 0;

        if (!c->seccomp.json_path || !landlock_confines_tcp(c))
                return 0;
        d.nr = scmp_syscall_number("socket");
        for (size_t i = 0; i < ARRAY_SIZE(unseen_sockets); i++) {
                d.args[0] = unseen_sockets[i].family;
                d.args[1] = unseen_sockets[i].type;
                d.args[2] = unseen_sockets[i].protocol;
                if (seccomp_bpf_run(bpf, len, &d, &ret) < 0 || !lets_through(ret))
                        continue;
                ward_error_at(e, &c->seccomp.profile_origin, "Seccomp.Profile", EPERM,
                              "the JSON seccomp profile %.400s lets %s sockets through, which "
                              "Landlock's TCP rules (BindTCP=, ConnectTCP=) do not see: they "
                              "would bind and connect past them",
                              c->seccomp.json_path, unseen_sockets[i].what);
                ward_error_hint(e, "refuse socket() with protocol IPPROTO_MPTCP (262) and "
                                   "IPPROTO_SCTP (132) in the JSON profile, use Profile=default "
                                   "(ward's filter does), or set BindTCP=any and ConnectTCP=any");
                return -EPERM;
        }
        return 0;
}

int seccomp_check_filter_for_init(const struct ward_config *c, const void *bpf, size_t len,
                                  struct ward_error *e)
{
        const struct ward_seccomp_config *s = &c->seccomp;
        char what[600];

        if (s->json_path) {
                int r = check_json_sockets(c, bpf, len, e);
                snprintf(what, sizeof(what), "the JSON seccomp profile %.500s", s->json_path);
                return r < 0 ? r
                             : seccomp_check_init_needs(c, bpf, len, &s->profile_origin,
                                                        "Seccomp.Profile", what, e);
        }
        return seccomp_check_init_needs(c, bpf, len, s->n_deny ? &s->deny_origin : &s->origin,
                                        s->n_deny ? "Seccomp.Deny" : "Seccomp.Profile",
                                        "ward's seccomp filter", e);
}

/* Allow=, Deny= and DefaultAction= adjust ward's own allowlist: a JSON profile says it all. */
static int validate_json(const struct ward_config *c, struct ward_error *e)
{
        const struct ward_seccomp_config *s = &c->seccomp;
        const struct ward_origin *o = s->n_allow  ? &s->allow_origin
                                      : s->n_deny ? &s->deny_origin
                                                  : &s->default_action_origin;
        const char *key = s->n_allow  ? "Seccomp.Allow"
                          : s->n_deny ? "Seccomp.Deny"
                                      : "Seccomp.DefaultAction";

        if (!s->json_path || (!s->n_allow && !s->n_deny && !s->default_action_origin.file))
                return 0;
        ward_error_at(e, o, key, 0,
                      "%s adjusts ward's own allowlist, but Seccomp.Profile is "
                      "the JSON profile %.256s",
                      key, s->json_path);
        ward_error_hint(e, "edit the JSON profile instead, or use Profile=default");
        return -EINVAL;
}

/* Deny= asks for refusals that Profile=unconfined would never make: dropping it without a
 * word would run the sandbox with less than the profile says. */
static int validate_unconfined(const struct ward_config *c, struct ward_error *e)
{
        const struct ward_seccomp_config *s = &c->seccomp;
        char where[320];

        if (s->enabled || !s->n_deny)
                return 0;
        ward_origin_format(&s->profile_origin, where, sizeof(where));
        ward_error_at(e, &s->deny_origin, "Seccomp.Deny", 0,
                      "Deny=%.64s%s asks the seccomp filter to refuse syscalls, but "
                      "Seccomp.Profile=unconfined (%.200s) loads no filter at all",
                      s->deny[0], s->n_deny > 1 ? " ..." : "", where);
        ward_error_hint(e, "drop Deny= to run without a filter, or keep a filter: "
                           "Profile=default (or a JSON profile that refuses them)");
        return -EINVAL;
}

int seccomp_validate(const struct ward_config *c, struct ward_error *e)
{
        int r;

        if ((r = validate_unconfined(c, e)) < 0)
                return r;
        if (c->seccomp.enabled && (r = validate_json(c, e)) < 0)
                return r;
        if (!c->seccomp.enabled || c->no_new_privs || (c->caps_keep & (1ULL << CAP_SYS_ADMIN)))
                return 0;
        ward_error_at(e, &c->no_new_privs_origin, "Process.NoNewPrivileges", EPERM,
                      "a seccomp filter needs no_new_privs or CAP_SYS_ADMIN, and "
                      "NoNewPrivileges=no drops the first without keeping the second");
        ward_error_hint(e, "set NoNewPrivileges=yes, keep SYS_ADMIN, or run with "
                           "--security-opt seccomp=unconfined");
        return -EPERM;
}

/* A BPF program the monitor prepared (seccomp_cache.c, oci_bundle.c): installed with the
 * flags seccomp_load() would use (none: no TSYNC, no_new_privs left to Process.*). */
static int load_bpf(void *bpf, size_t len, bool from_cache, const struct ward_origin *o,
                    const char *key, struct ward_error *e)
{
        struct sock_fprog prog = {.len = (unsigned short)len, .filter = bpf};

        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
                int r = ward_error_at(e, o, key, errno,
                                      "cannot load the seccomp filter (%zu instructions%s)", len,
                                      from_cache ? ", from the cache" : "");
                ward_error_hint(e, "check that the kernel has CONFIG_SECCOMP_FILTER, or run "
                                   "with --security-opt seccomp=unconfined");
                return r;
        }
        return 0;
}

static int cannot_build(const struct ward_config *c, int r, struct ward_error *e)
{
        char why[sizeof(e->msg)];

        snprintf(why, sizeof(why), "%s", e->msg);
        return ward_error_at(e, &c->seccomp.origin, "Seccomp.Profile", -r,
                             "cannot build the seccomp filter: %.600s", why);
}

static int load_prepared(const struct ward_config *c, const struct ward_plan_seccomp *s,
                         struct ward_error *e)
{
        return load_bpf(s->bpf, s->bpf_len, s->from_cache, &c->seccomp.origin, "Seccomp.Profile",
                        e);
}

/* Direct (no monitor to prepare it): a JSON profile, compiled and loaded by libseccomp. */
static int apply_json(const struct ward_config *c, struct ward_error *e)
{
        _cleanup_(scmp_ctx_releasep) scmp_filter_ctx ctx = NULL;
        size_t n_rules = 0;
        int r;

        _cleanup_close_ int fd = memfd_create("ward-seccomp", MFD_CLOEXEC);
        _cleanup_free_ void *bpf = NULL;
        size_t len = 0;

        if (fd < 0)
                return ward_error_set(e, errno, "memfd_create() for the seccomp filter");
        if ((r = seccomp_json_compile(c->seccomp.json_path, c->caps_keep,
                                      &c->seccomp.profile_origin, &ctx, &n_rules, e)) < 0)
                return cannot_build(c, r, e);
        if ((r = seccomp_export_bpf(ctx, fd)) < 0)
                return ward_error_set(e, -r, "seccomp_export_bpf()");
        /* Read back so that what the init needs is checked on the very program loaded. */
        if ((r = seccomp_bpf_read_back(fd, &bpf, &len, e)) < 0 ||
            (r = seccomp_check_filter_for_init(c, bpf, len, e)) < 0)
                return r;
        return load_bpf(bpf, len, false, &c->seccomp.origin, "Seccomp.Profile", e);
}

/* Direct: ward's own plan, the same program the monitor would have prepared. */
static int apply_plan(const struct ward_config *c, struct ward_error *e)
{
        struct ward_seccomp_plan plan;
        _cleanup_free_ void *bpf = NULL;
        size_t len = 0;
        int r;

        if ((r = seccomp_plan_build(c, &plan, e)) < 0 ||
            (r = seccomp_plan_bpf(&plan, &bpf, &len, e)) < 0)
                return cannot_build(c, r, e);
        if ((r = seccomp_check_filter_for_init(c, bpf, len, e)) < 0)
                return r;
        return load_bpf(bpf, len, false, &c->seccomp.origin, "Seccomp.Profile", e);
}

bool seccomp_bundle_loads_early(const struct ward_config *c)
{
        return c->seccomp.extra_bpf && !c->in_place && !c->no_new_privs &&
               !(c->caps_keep & (1ULL << CAP_SYS_ADMIN));
}

int seccomp_apply_bundle_early(const struct ward_config *c, struct ward_error *e)
{
        return load_bpf(c->seccomp.extra_bpf, c->seccomp.extra_bpf_len, false,
                        &c->seccomp.extra_origin, "linux.seccomp", e);
}

int seccomp_apply(const struct ward_config *c, const struct ward_plan *p, struct ward_error *e)
{
        int r;

        if (c->seccomp.extra_bpf && !seccomp_bundle_loads_early(c) &&
            (r = load_bpf(c->seccomp.extra_bpf, c->seccomp.extra_bpf_len, false,
                          &c->seccomp.extra_origin, "linux.seccomp", e)) < 0)
                return r;
        if (!c->seccomp.enabled)
                return 0;
        if ((r = seccomp_validate(c, e)) < 0)
                return r;
        if (p && p->seccomp.bpf)
                return load_prepared(c, &p->seccomp, e);
        return c->seccomp.json_path ? apply_json(c, e) : apply_plan(c, e);
}

/* ------------------------------------------------------------------------------------- */
/* The plan as OCI seccomp JSON (ward spec)                                              */

static json_t *oci_arg(uint64_t value, uint64_t value_two, const char *op)
{
        return json_pack("{s:i, s:I, s:I, s:s}", "index", 0, "value", (json_int_t)value, "valueTwo",
                         (json_int_t)value_two, "op", op);
}

static json_t *oci_rule(json_t *names, const char *action, int err, json_t *args)
{
        json_t *rule = json_pack("{s:o, s:s}", "names", names, "action", action);

        if (rule && err)
                json_object_set_new(rule, "errnoRet", json_integer(err));
        if (rule && args)
                json_object_set_new(rule, "args", args);
        else if (args)
                json_decref(args);
        return rule;
}

static json_t *oci_names(const struct ward_seccomp_plan *p, uint8_t verdict)
{
        json_t *names = json_array();

        for (int nr = 0; names && nr < WARD_SECCOMP_MAX_NR; nr++) {
                if (p->verdict[nr] != verdict)
                        continue;
                char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
                if (name)
                        json_array_append_new(names, json_string(name));
                free(name);
        }
        return names;
}

/* clone: allowed without namespace flags, refused with any of them (as compile() does). */
static void oci_clone_rules(json_t *rules, const char *refuse, int err)
{
        json_array_append_new(rules, oci_rule(json_pack("[s]", "clone"), "SCMP_ACT_ALLOW", 0,
                                              json_pack("[o]", oci_arg(WARD_CLONE_NS_FLAGS, 0,
                                                                       "SCMP_CMP_MASKED_EQ"))));
        for (unsigned long bit = 1; bit; bit <<= 1)
                if (bit & WARD_CLONE_NS_FLAGS)
                        json_array_append_new(
                            rules,
                            oci_rule(json_pack("[s]", "clone"), refuse, err,
                                     json_pack("[o]", oci_arg(bit, bit, "SCMP_CMP_MASKED_EQ"))));
}

static void oci_personality_rules(json_t *rules)
{
        static const uint64_t allowed[] = {WARD_PER_LINUX, WARD_PER_LINUX32, WARD_PER_QUERY};

        for (size_t i = 0; i < ARRAY_SIZE(allowed); i++)
                json_array_append_new(
                    rules, oci_rule(json_pack("[s]", "personality"), "SCMP_ACT_ALLOW", 0,
                                    json_pack("[o]", oci_arg(allowed[i], 0, "SCMP_CMP_EQ"))));
}

static bool is_mode_verdict(uint8_t verdict)
{
        return verdict >= WARD_SC_ALLOW_MODE1 && verdict <= WARD_SC_ALLOW_MODE3;
}

/* A mode-setting call's rules (mode_rules(), as compile() adds them) for syscall nr. */
static void oci_mode_rules(json_t *rules, int nr, uint8_t verdict, const char *refuse, int err)
{
        char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
        struct scmp_arg_cmp cmp[3];
        int n = mode_rules(verdict, cmp);

        for (int i = 0; name && i < n; i++)
                json_array_append_new(
                    rules,
                    oci_rule(json_pack("[s]", name), i ? refuse : "SCMP_ACT_ALLOW", i ? err : 0,
                             json_pack("[{s:i, s:I, s:I, s:s}]", "index", (int)cmp[i].arg, "value",
                                       (json_int_t)cmp[i].datum_a, "valueTwo",
                                       (json_int_t)cmp[i].datum_b, "op", "SCMP_CMP_MASKED_EQ")));
        free(name);
}

struct oci_socket {
        json_t *rules;
        int action;
};

/* The OCI form of MASKED_EQ puts the mask in "value" and the compared value in
 * "valueTwo" (runtime-spec, as libseccomp's datum_a and datum_b). */
static int oci_socket_rule(const struct socket_rule *r, void *data)
{
        const struct oci_socket *os = data;
        json_t *args = json_array();
        uint32_t act = socket_action(os->action, r->outcome);
        const char *name = act == SCMP_ACT_ALLOW          ? "SCMP_ACT_ALLOW"
                           : act == SCMP_ACT_KILL_PROCESS ? "SCMP_ACT_KILL_PROCESS"
                           : act == SCMP_ACT_LOG          ? "SCMP_ACT_LOG"
                                                          : "SCMP_ACT_ERRNO";
        int err = strcmp(name, "SCMP_ACT_ERRNO") == 0 ? (int)(act & 0xffff) : 0;

        for (unsigned i = 0; args && i < r->n; i++)
                json_array_append_new(
                    args, json_pack("{s:i, s:I, s:I, s:s}", "index", (int)r->cmp[i].arg, "value",
                                    (json_int_t)r->cmp[i].datum_a, "valueTwo",
                                    (json_int_t)r->cmp[i].datum_b, "op", "SCMP_CMP_MASKED_EQ"));
        return json_array_append_new(os->rules,
                                     oci_rule(json_pack("[s]", "socket"), name, err, args));
}

void *seccomp_plan_to_oci(const struct ward_seccomp_plan *p)
{
        const char *refuse = p->action == WARD_SECCOMP_KILL  ? "SCMP_ACT_KILL_PROCESS"
                             : p->action == WARD_SECCOMP_LOG ? "SCMP_ACT_LOG"
                                                             : "SCMP_ACT_ERRNO";
        int err = p->action == WARD_SECCOMP_ERRNO ? EPERM : 0;
        json_t *rules = json_array(), *doc;

        if (!rules)
                return NULL;
        json_array_append_new(rules,
                              oci_rule(oci_names(p, WARD_SC_ALLOW), "SCMP_ACT_ALLOW", 0, NULL));
        json_array_append_new(rules, oci_rule(oci_names(p, WARD_SC_REFUSE), refuse, err, NULL));
        for (int nr = 0; nr < WARD_SECCOMP_MAX_NR; nr++) {
                if (p->verdict[nr] == WARD_SC_ALLOW_NO_NS)
                        oci_clone_rules(rules, refuse, err);
                else if (p->verdict[nr] == WARD_SC_ALLOW_PERSONA)
                        oci_personality_rules(rules);
                else if (p->verdict[nr] == WARD_SC_ALLOW_SOCKET)
                        for_each_socket_rule(p, oci_socket_rule,
                                             &(struct oci_socket){rules, p->action});
                else if (is_mode_verdict(p->verdict[nr]))
                        oci_mode_rules(rules, nr, p->verdict[nr], refuse, err);
        }
        /* Unknown syscalls and clone3 get ENOSYS, the default action, as in compile(). */
        doc = json_pack("{s:s, s:i, s:[s], s:o}", "defaultAction", "SCMP_ACT_ERRNO",
                        "defaultErrnoRet", ENOSYS, "architectures", "SCMP_ARCH_X86_64", "syscalls",
                        rules);
        return doc;
}
