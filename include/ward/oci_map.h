/* The field-by-field mapping of an OCI config.json onto a ward_config (oci_bundle.h is the
 * interface; this is its inside, shared by oci_bundle.c and the unit tests). */
#pragma once

#include "ward/config.h"

/* Map the parsed document root (a json_t *) of the bundle at dir (absolute). c must come
 * from config_init(); ward's defaults that OCI does not share (no_new_privs, read-only
 * root, the masked paths, seccomp, the init) are replaced by what config.json says. Errors
 * name the JSON path as the key and file as the place. */
int oci_map_config(struct ward_config *c, void *root, const char *dir, const char *file,
                   struct ward_error *e);

/* Compile the document's linux.seccomp, if any, for c->caps_keep into
 * c->seccomp.extra_bpf. Called once the profile floor has settled the capabilities. */
int oci_map_seccomp(struct ward_config *c, void *root, const char *file, struct ward_error *e);
