/* Entrypoint mode: ward as a container image's ENTRYPOINT, inside a container it did not
 * start (`[Namespaces] Unshare=none`, profiles/entrypoint.profile).
 *
 * There is no clone and no mount: ward checks what the container it finds allows, then
 * hardens its own process in place (rlimits, umask and working directory, the bounding
 * set, the user switch, the capability sets, no_new_privs, Landlock, seccomp last, stacked
 * on the outer runtime's filter) and executes ward-init from a sealed memfd, which becomes
 * PID 1 if ward was (else a child subreaper) and runs the app. What the profile requires
 * and the container does not allow is exit 125 naming the outer setting to change. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "ward/config.h"
#include "ward/plan.h"

/* What ward finds about the process it runs as. */
struct ward_entrypoint_env {
        pid_t pid;
        uid_t uid;
        gid_t gid;
        uint64_t cap_eff, cap_prm, cap_bnd;
        bool root_read_only; /* statvfs("/") says ST_RDONLY */
        bool no_new_privs;   /* already set by whoever started us */
        int seccomp_mode;    /* PR_GET_SECCOMP: 0 none, 2 a filter is in force */
        int landlock_abi;    /* 0: none */
};

void entrypoint_detect(struct ward_entrypoint_env *env);

/* The checks of `ward run` and `ward explain` before anything is changed: every required
 * protection can be had here, or -errno with e naming the key and the outer setting. */
int entrypoint_preflight(struct ward_config *c, struct ward_error *e);

/* Apply the profile to this process and exec the init (or the app with Init=no): a walk of
 * the step table's in-place rows (steps.h), defined with them in steps_apply.c. Returns
 * only on failure: the exit code (125, or 126/127 when the app cannot be executed). */
int entrypoint_run(const struct ward_config *c, const struct ward_plan *p, struct ward_error *e);

/* Warnings for what Filesystem.ReadOnly=try, DropBoundingSet=try, Resources=try and Init=no
 * leave undone here, printed before anything is applied. */
void entrypoint_warn_about_gaps(const struct ward_config *c, const struct ward_entrypoint_env *env);

/* The read-only root check: -EROFS-like refusal (0 when ReadOnly=no or try). */
int entrypoint_check_read_only_root(const struct ward_config *c,
                                    const struct ward_entrypoint_env *env, struct ward_error *e);

/* Whether the ids must change (*apply), or -EPERM naming the key when they must and cannot.
 * With privilege the runtime's supplementary groups are cleared even without User=. */
int entrypoint_plan_creds(const struct ward_config *c, const struct ward_entrypoint_env *env,
                          bool *apply, struct ward_error *e);

/* `ward explain` in entrypoint mode: what ward finds here (its steps are the step
 * table's, steps_explain()). */
void entrypoint_explain(FILE *out);
