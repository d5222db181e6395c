/* Values as a profile would write them, for `ward explain`'s settings and its steps. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>

#include "ward/config.h"

/* "64M" when it divides evenly, else bytes. */
void explain_format_size(uint64_t bytes, char *buf, size_t len);

/* "10s", else "1500ms". */
void explain_format_duration(uint64_t ms, char *buf, size_t len);

/* "infinity", "64M" for byte limits, else the number. */
void explain_format_rlim(int res, rlim_t v, char *buf, size_t len);

/* The supplementary groups as "27 100" (sep " ") or "27,100"; "" for none. */
void explain_format_groups(const struct ward_config *c, const char *sep, char *buf, size_t len);

/* "file:line", "command line", "built-in default" (NULL); for a file without lines (a
 * bundle's config.json), with where in it: "/b/config.json: mounts[3]". */
void explain_format_origin(const struct ward_origin *origin, char *buf, size_t len);
/* "KEY = VALUE    (ORIGIN)": one line of explain's settings. */
void explain_format_setting(FILE *out, const char *key, const char *value,
                            const struct ward_origin *origin);

/* "/tmp size=64M mode=1777 noexec", "SRC DST ro", "/dev/mqueue". */
void explain_format_mount(const struct ward_mount *m, char *buf, size_t len);
