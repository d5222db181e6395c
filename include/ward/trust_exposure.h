/* The sandbox must not reach, writable, what the next ward reads: the profile search path,
 * the profiles and seccomp JSON loaded, the seccomp cache, the state directory, /etc/ward.
 * Its own module (not trust.h's) because it lists the places of the profile reader and the
 * seccomp cache, which themselves use trust.h's ownership checks. */
#pragma once

#include "ward/config.h"

/* A place ward reads its own configuration from (the profile search path, the profiles and
 * seccomp JSON it loaded, the seccomp cache, its state directory, /etc/ward), with what it
 * is for messages ("a profile directory"). */
struct trust_place {
        char path[4096];
        const char *what;
};

/* Refuse a writable bind (or a writable root) whose source is, contains or lies inside one
 * of the configuration places: the sandbox could rewrite what the next ward reads. Sources
 * are compared by real path and by identity (a second bind of the same directory). */
int trust_check_not_exposed(const struct ward_config *c, struct ward_error *e);

/* Entrypoint mode: the whole container is the sandbox, so a profile counts only when it is
 * built into ward or lies on a read-only mount. */
int trust_check_in_place_profiles(const struct ward_config *c, struct ward_error *e);
