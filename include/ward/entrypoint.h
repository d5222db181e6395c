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

/* Apply the profile to this process and exec the init (or the app with Init=no). Returns
 * only on failure: the exit code (125, or 126/127 when the app cannot be executed). */
int entrypoint_run(struct ward_config *c, struct ward_error *e);

/* `ward explain` in entrypoint mode: what ward finds, what it will and will not do. */
void entrypoint_explain(const struct ward_config *c, FILE *out);
