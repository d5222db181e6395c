/* Docker/OCI seccomp JSON profiles ([Seccomp] Profile=/abs/path.json, --security-opt
 * seccomp=FILE), read with jansson and compiled straight into a libseccomp context. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ward/error.h"

/* Files above this size are refused before jansson sees them. */
#define WARD_SECCOMP_JSON_MAX_SIZE (1024 * 1024)

/* Read the profile at path and compile it for the capabilities in caps_keep. When out is not
 * NULL it receives the libseccomp context (a scmp_filter_ctx; seccomp_release() it), else the
 * context is released: a pure validation. *n_rules (may be NULL) counts the rules added.
 * Errors name "Seccomp.Profile" at origin o, as "PATH:LINE:COLUMN: ..." for syntax errors
 * and "PATH: syscalls[3].foo: ..." for what ward does not understand. */
/* The file itself, parsed (a json_t *, the caller's to json_decref): the one way ward reads a
 * JSON seccomp profile (trust_open_config_file(), bounded, duplicates refused), for what
 * passes it on (ward spec) or judges it (policy) rather than compiling it. */
int seccomp_json_load(const char *path, const struct ward_origin *o, void **root,
                      struct ward_error *e);

int seccomp_json_compile(const char *path, uint64_t caps_keep, const struct ward_origin *o,
                         void **out, size_t *n_rules, struct ward_error *e);

/* The same for a tree already parsed (a json_t *: the linux.seccomp object of an OCI
 * config.json). Errors name key at origin o as "FILE: PREFIXsyscalls[3].action: ...", so
 * path_prefix is e.g. "linux.seccomp." ("" for none). */
int seccomp_json_compile_tree(void *tree, const char *file, const char *key,
                              const char *path_prefix, uint64_t caps_keep,
                              const struct ward_origin *o, void **out, size_t *n_rules,
                              struct ward_error *e);

/* The names the profile at path lists that libseccomp knows for no architecture and that
 * were skipped (in rules that allow, or that refuse what the default action refuses anyway),
 * space-separated into buf ("" for none); for explain. Errors as seccomp_json_compile. */
int seccomp_json_skipped_names(const char *path, uint64_t caps_keep, const struct ward_origin *o,
                               char *buf, size_t len, struct ward_error *e);
