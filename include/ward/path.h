/* Paths as the sandbox sees them (mount targets, masked and read-only paths, the working
 * directory), in one canonical spelling.
 *
 * Every check that compares such a path with a reserved place ("cannot mount on /proc",
 * "not over the root") must see the path the kernel will resolve: "/./proc", "//proc" and
 * "/dev/." are /proc and /dev to openat2(2), but not to strcmp(3). Each destination is
 * therefore normalized where it enters the settings (profile keys, flags, a bundle's
 * config.json), and the checks compare only normalized paths, on component boundaries. */
#pragma once

#include <stdbool.h>

#include "ward/error.h"

/* Rewrite an absolute path in place: repeated '/' collapsed, "." components dropped, no
 * trailing '/' ("/" stays "/"). ".." is refused, not resolved: lexically it could climb out
 * of a directory a check approved, and through a symlink of the image it would name yet
 * another place. Returns 0, or -EINVAL (not absolute, or a ".." component; *why says which)
 * or -ENAMETOOLONG (PATH_MAX or more), leaving path unchanged on error. */
int ward_path_normalize(char *path, const char **why);

/* ward_path_normalize(), and on failure e names key at o, with what to write instead. */
int ward_path_normalize_at(char *path, const struct ward_origin *o, const char *key,
                           struct ward_error *e);

/* Whether normalized path is dir or lies below it, on component boundaries: "/proc/1" is
 * within "/proc", "/procfoo" is not. Every path is within "/". */
bool ward_path_within(const char *path, const char *dir);
