/* Trust: what ward reads as its own configuration must be writable only by root and by the
 * caller, so that no sandbox, image or other local user can steer the next run.
 *
 * Two rules, documented in ward.profile(5) ("Where profiles come from"):
 * - a configuration file is used only when it and every directory above it are owned by
 *   root or by the caller and are not writable by group or others (a sticky directory such
 *   as /tmp may be: nobody else can rename or remove what root or the caller put there);
 * - a sandbox never gets write access to a place ward reads configuration from (profile
 *   directories and files, the seccomp cache, ward's state), whoever owns it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ward/error.h"

struct ward_config;

/* Open path for reading if it is a regular file that passes the ownership rule, checking
 * each component of its real path with O_NOFOLLOW and returning an fd of exactly what was
 * checked. what names the file in messages ("profile"). The error names the component, its
 * owner and mode, and the fix. */
int trust_open_config_file(const char *path, const char *what, struct ward_error *e);

/* The places ward reads its own configuration from, for this caller and this config:
 * the profile search path, the profiles and seccomp JSON it loaded, the seccomp cache and
 * the state directory. Each entry is a path and a description ("the profile directory").
 * Returns how many were written (at most max). */
struct trust_place {
        char path[4096];
        const char *what;
};
size_t trust_config_places(const struct ward_config *c, struct trust_place *places, size_t max);

/* Refuse a writable bind (or a writable root) whose source is, contains or lies inside one
 * of the configuration places: the sandbox could rewrite what the next ward reads. Sources
 * are compared by real path and by identity (a second bind of the same directory). */
int trust_check_not_exposed(const struct ward_config *c, struct ward_error *e);

/* Entrypoint mode: the whole container is the sandbox, so a profile counts only when it is
 * built into ward or lies on a read-only mount. */
int trust_check_in_place_profiles(const struct ward_config *c, struct ward_error *e);
