/* OCI runtime bundles: `ward run --bundle DIR` reads DIR/config.json (runtime spec 1.x) into
 * a ward_config, and `ward spec` writes a config as a config.json (oci_spec.c).
 *
 * Every field of config.json is either mapped onto the config or refused with exit 125 and
 * its JSON path ("process.capabilities.bounding[3]"); none is skipped silently. The
 * mapping, field by field, and what is refused, are in man/ward.1 (BUNDLES). */
#pragma once

#include <stddef.h>
#include <stdio.h>

#include "ward/config.h"

#define WARD_OCI_CONFIG_MAX_SIZE (4 * 1024 * 1024) /* config.json above this is refused */

/* Replace c (fresh from config_init) with what DIR/config.json asks for, then apply each
 * profile in profiles[] (may be empty) as a hardening floor: where the bundle and the
 * profiles differ, the stricter setting wins (fewer capabilities, read-only root,
 * no_new_privs, more namespaces, lower limits, the union of masked and read-only paths,
 * and both seccomp filters stacked). The bundle's own seccomp filter is compiled here, for
 * the capabilities that remain, into c->seccomp.extra_bpf. */
int oci_bundle_load(struct ward_config *c, const char *dir, const char *const *profiles,
                    size_t n_profiles, struct ward_error *e);

/* Parse and map text as if it were the config.json of the bundle dir (tests, fuzzing);
 * the root filesystem is not looked at. */
int oci_bundle_load_buffer(struct ward_config *c, const char *text, size_t len, const char *dir,
                           struct ward_error *e);

/* `ward spec`: print c (resolved from profiles and flags) as an OCI config.json that crun
 * or runc runs with the same protections. A setting the runtime spec cannot express
 * (Landlock) is refused with exit 125 rather than left out. */
int oci_spec_print(struct ward_config *c, FILE *out, struct ward_error *e);
