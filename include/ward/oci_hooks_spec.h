/* An OCI bundle's hooks that ward runs itself, as the settings hold them (config.h's
 * oci_hooks): what config.json asked. Running them is oci_hooks.h's. Includes nothing of
 * the settings. */
#pragma once

#include <stddef.h>

#include "ward/error.h"

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
