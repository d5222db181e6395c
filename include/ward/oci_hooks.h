/* The OCI hooks of a bundle that ward runs itself (ward run --bundle): prestart and
 * createRuntime once the sandbox's namespaces exist and before its setup starts, poststop
 * after it has exited. Each gets the container's state JSON on stdin. createContainer,
 * startContainer and poststart are refused when config.json is read (oci_map.c). */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "ward/config.h"

#define WARD_OCI_HOOK_TIMEOUT_S 60 /* a hook without "timeout" is killed after this */

struct ward_oci_hook {
        char *path;         /* absolute, on the host */
        char **argv;        /* NULL-terminated; { path, NULL } when config.json has no args */
        char **envp;        /* NULL-terminated; empty when config.json has no env */
        unsigned timeout_s; /* killed after this; failing the create hooks is exit 125 */
        char name[96];      /* "hooks.createRuntime[0]", for messages (a ward_error key) */
};

struct ward_oci_hooks {
        struct ward_oci_hook *create; /* prestart hooks, then createRuntime hooks */
        size_t n_create;
        struct ward_oci_hook *poststop;
        size_t n_poststop;
        char *bundle;      /* the bundle directory, for the state */
        char *annotations; /* config.json's annotations as JSON text, for the state */
        struct ward_origin origin;
};

/* Add one hook to list (copies every string). */
int oci_hooks_add(struct ward_oci_hook **list, size_t *n, const struct ward_oci_hook *h);
void oci_hooks_free(struct ward_oci_hooks *h);

/* Monitor side, the sandbox created (pid: its first process, waiting) but not released:
 * run the create hooks in order. The first that fails, times out or cannot be executed is
 * an error naming it; the caller then kills the sandbox. Nothing to do without hooks. */
int oci_hooks_run_create(const struct ward_config *c, pid_t pid, struct ward_error *e);
/* After the sandbox has exited: the poststop hooks; a failure is a warning on stderr. */
void oci_hooks_run_poststop(const struct ward_config *c);
