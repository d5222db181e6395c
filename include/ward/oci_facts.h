/* The policy's facts (policy.h) from an OCI runtime config.json, and the bounded, careful
 * JSON reading that `ward check --oci` and `ward hook` share.
 *
 * The reader is lenient where the spec is open (unknown fields are ignored, absent fields
 * take the runtime's default) and strict where a wrong reading would hide a risk: a field
 * ward reads with the wrong type, an unknown capability name or a duplicate key is an error
 * (exit 125) naming the JSON path; a syntax error names LINE:COLUMN. */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "ward/error.h"
#include "ward/policy.h"

/* Documents above this size are refused before jansson sees them. */
#define WARD_OCI_JSON_MAX_SIZE (4 * 1024 * 1024)

/* Read at most WARD_OCI_JSON_MAX_SIZE bytes from fd (a pipe or a file) and parse them.
 * name is used in messages ("config.json:3:14: ..."). */
int oci_json_read_fd(int fd, const char *name, json_t **out, struct ward_error *e);

/* Open path (a regular file, O_CLOEXEC, never blocking on a FIFO) and parse it. */
int oci_json_load_file(const char *path, json_t **out, struct ward_error *e);

/* Open name below dirfd without following any symlink (openat2 RESOLVE_NO_SYMLINKS |
 * RESOLVE_BENEATH, O_NOFOLLOW where openat2 is missing) and parse it; display is the path
 * for messages. */
int oci_json_load_at(int dirfd, const char *name, const char *display, json_t **out,
                     struct ward_error *e);

/* The facts of a parsed config.json. name is the file, for messages. Paths are judged by
 * name only: nothing is looked up on the host. */
int oci_facts_from_json(const json_t *config, const char *name, struct ward_facts *f,
                        struct ward_error *e);

struct oci_host;
/* The same, resolving mount sources, root.path and namespace paths on the host as the
 * runtime will (oci_norm.h): host->bundle is the bundle directory. */
int oci_facts_from_json_host(const json_t *config, const char *name, const struct oci_host *host,
                             struct ward_facts *f, struct ward_error *e);

/* A seccomp object (linux.seccomp, or a Docker/OCI seccomp profile file): sets f->seccomp,
 * f->seccomp_allow_all and f->seccomp_reachable (for the capabilities already in f->caps).
 * where is its JSON path for messages ("linux.seccomp"). */
int oci_seccomp_facts(const json_t *seccomp, const char *name, const char *where,
                      struct ward_facts *f, struct ward_error *e);

/* oci_json_load_file + oci_facts_from_json_host, the bundle being config.json's directory
 * (resolved relative to the current directory when path is relative). */
int oci_facts_load(const char *path, struct ward_facts *f, struct ward_error *e);
