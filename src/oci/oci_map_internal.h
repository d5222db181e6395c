/* Inside the config.json reader (oci_map.h): the state the section mappers share, the
 * typed reads that name the JSON path in every error (oci_map_read.c), and the sections.
 * Private to src/oci/oci_map*.c. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "ward/config.h"
#include "ward/json_util.h"

#define PATH_LEN 96 /* struct ward_error.key */

struct oci {
        struct ward_config *c;
        const char *dir;      /* the bundle, absolute */
        struct ward_origin o; /* config.json, no line */
        struct ward_error *e;
        bool own_ids;            /* a normal user's config.json gave id mappings */
        uint32_t own_id_cont[2]; /* their containerIDs, uid then gid */
};

/* Errors: the JSON path is the key, config.json the place. All return -EINVAL (nomem:
 * -ENOMEM). */
__attribute__((format(printf, 3, 4))) int oci_bad(struct oci *x, const char *path, const char *fmt,
                                                  ...);
int oci_unsupported(struct oci *x, const char *path, const char *why);
int oci_nomem(struct oci *x);

/* Typed reads of a value v found at path. JSON_TRUE asks for either boolean. */
int oci_want(struct oci *x, const char *path, const json_t *v, json_type t);
/* Every key of obj must be in allowed (NULL-terminated). */
int oci_only_keys(struct oci *x, const char *path, json_t *obj, const char *const *allowed);
/* A key that ward accepts only when it asks for nothing: "", [], {}, false, 0 or null. */
int oci_must_be_empty(struct oci *x, const char *path, json_t *v, const char *why);
int oci_get_string(struct oci *x, const char *path, json_t *v, const char **out);
/* An integer as config.json wrote it: the reader's stand-in for 18446744073709551615
 * (json_util.h) printed as that, not as INT64_MIN. */
const char *oci_int_text(const json_t *v, char buf[24]);
int oci_get_u32(struct oci *x, const char *path, json_t *v, uint32_t *out);
int oci_get_bool(struct oci *x, const char *path, json_t *v, bool *out);
int oci_absolute(struct oci *x, const char *path, const char *s);
/* A path inside the container (a mount destination, maskedPaths, cwd) in its canonical
 * spelling (path.h), written to out (PATH_MAX bytes): "/./proc" is /proc to every later
 * check. Not absolute, with a ".." component or too long: refused, naming the JSON path. */
int oci_sandbox_path(struct oci *x, const char *path, const char *s, char *out);

/* x->o with key: the origin of a setting that later steps (mount.c) name by its JSON path.
 * key is copied into the config. */
int oci_origin_at(struct oci *x, const char *key, struct ward_origin *out);
/* The same for a fixed path: key is a string literal, not copied. */
struct ward_origin oci_origin_fixed(const struct oci *x, const char *key);

/* The sections, each from its own file. */
int oci_map_process(struct oci *x, json_t *proc); /* oci_map_process.c */
int oci_map_mounts(struct oci *x, json_t *arr);   /* oci_map_mounts.c */
int oci_map_linux(struct oci *x, json_t *lx);     /* oci_map_linux.c */
/* After process: a normal user's id mappings name process.user's ids (oci_map_linux.c). */
int oci_check_own_id_mappings(struct oci *x);
int oci_map_resources(struct oci *x, json_t *res);                    /* oci_map_resources.c */
int oci_map_hooks(struct oci *x, json_t *hooks, json_t *annotations); /* oci_map_hooks.c */

/* Add NAME=VALUE to the settings' sysctls with PATH as its origin, checked as Sysctl= is
 * (linux.sysctl's members, domainname). */
int oci_set_sysctl(struct oci *x, const char *path, const char *name, const char *value);
