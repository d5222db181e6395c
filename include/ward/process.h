/* The app's process: user and groups, environment, working directory, umask, no_new_privs. */
#pragma once

#include "ward/config.h"
#include "ward/plan.h"

/* Monitor side, before clone, a resolve step: User= (numeric, or a name looked up in the
 * rootfs's /etc/passwd and /etc/group with openat2(RESOLVE_IN_ROOT)) into c->uid / c->gid.
 * The image is read through p->root_path_fd when the preflight opened it (p may be NULL). */
int process_resolve_user(struct ward_config *c, const struct ward_plan *p, struct ward_error *e);

/* Rootless, the sandbox keeps the caller's supplementary groups: an unprivileged process
 * may write its user namespace's gid_map only after denying setgroups(2) in it (the kernel
 * keeps a group that is there to deny access, as in mode 0705, from being dropped), and
 * nothing unprivileged can drop them before. Files those groups may read or write on the
 * host stay readable or writable in the sandbox.
 *
 * The caller's supplementary groups other than its effective gid (which the sandbox's own
 * gid maps to anyway), as "27,100" in buf; returns how many, or -errno. */
int process_caller_groups(char *buf, size_t len);
/* Monitor side, before clone: a rootless start whose caller has such groups is refused
 * (EPERM, naming Process.KeepGroups) unless KeepGroups=yes accepts them. */
int process_check_caller_groups(const struct ward_config *c, struct ward_error *e);

/* Setup side, after pivot_root, in this order. */
int process_apply_umask_cwd(const struct ward_config *c, struct ward_error *e);
/* setgroups (cleared unless given), setresgid, setresuid, keeping capabilities across. */
int process_apply_creds(const struct ward_config *c, bool setgroups_allowed, struct ward_error *e);
int process_apply_no_new_privs(const struct ward_config *c, struct ward_error *e);

/* OOMScoreAdjust=: write it to /proc/PID/oom_score_adj (pid 0: ward's own, in place);
 * nothing when unset. The monitor does it for the sandbox before GO. */
int process_set_oom_score_adj(const struct ward_config *c, pid_t pid, struct ward_error *e);

/* The app's environment as a NULL-terminated array (points into c). */
char **process_environment(const struct ward_config *c);
