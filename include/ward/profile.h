/* The INI profile reader: sections map to modules, repeated keys append, Include= composes.
 *
 * Keys: one row each in the key table (keys.h, src/keys/keys.c); `ward help keys` lists them and
 * man/ward.profile.5 describes them.
 * An empty assignment (Key=) resets a list to empty. */
#pragma once

#include <stddef.h>

#include "ward/config.h"

#define WARD_PROFILE_MAX_INCLUDE_DEPTH 16
#define WARD_PROFILE_MAX_LINE 4096
#define WARD_PROFILE_MAX_SIZE (1024 * 1024)

/* The shipped profiles, compiled in (builtin_profiles.c, generated from profiles/): a
 * NULL name ends the table. Their files are named WARD_BUILTIN_PROFILE_DIR "/NAME.profile"
 * in origins and in `ward explain`; that directory is never looked up on disk. */
struct ward_builtin_profile {
        const char *name;
        const char *text;
        size_t len;
};
extern const struct ward_builtin_profile ward_builtin_profiles[];
#define WARD_BUILTIN_PROFILE_DIR "<built-in>"

/* Find a profile. A value with a '/' is a path (relative to the current directory when it
 * does not start with '/'). A bare NAME is looked up as NAME.profile only in trusted places,
 * never in the current directory: for a caller other than root, $XDG_CONFIG_HOME/ward/
 * profiles (~/.config/...) first; then /etc/ward/profiles, the profiles built into ward,
 * $prefix/share/ward/profiles, and, for a binary run from its build tree, the source tree's
 * profiles/. Whatever file is found must then pass trust_open_config_file() (trust.h). */
int profile_find(const char *name_or_path, char *out, size_t out_len, struct ward_error *e);

/* Read a profile (and its includes) into c, on top of what c already holds. */
int profile_load(struct ward_config *c, const char *name_or_path, struct ward_error *e);

/* Parse text as if it were the file `filename` (used by tests and the fuzzer). Includes are
 * resolved relative to the directory of `filename`. */
int profile_load_buffer(struct ward_config *c, const char *text, size_t len, const char *filename,
                        struct ward_error *e);

/* Apply one Section.Key=value to c. The command line uses this too, so each setting has one
 * parser. Includes are handled by the caller, not here. */
int profile_apply(struct ward_config *c, const char *section, const char *key, const char *value,
                  const struct ward_origin *origin, struct ward_error *e);

/* The directories searched, in order; returns how many were written (an empty string follows
 * them when there is room). For `ward explain`, --help and "not found" messages. */
size_t profile_search_path(char dirs[][4096], size_t max);
