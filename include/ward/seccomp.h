/* Seccomp, with libseccomp: ward's own default allowlist, the [Seccomp] groups and names,
 * and loading the filter as the last step of setup. */
#pragma once

#include <sched.h>
#include <stddef.h>
#include <stdint.h>

#include "ward/config.h"
#include "ward/seccomp_rules.h"
#include "ward/seccomp_spec.h"

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
