/* The one PATH search: ward's check before the exec (ward_find_command, util.h) and
 * ward-init's exec of the app walk PATH the same way, so a command the check finds is the
 * command the init runs. Base layer: no other ward header. */
#pragma once

#include <stddef.h>

/* PATH when the app's environment has none. */
#define WARD_DEFAULT_PATH "/usr/bin:/bin"

/* The next place to look for cmd: *cursor starts at PATH (NULL: WARD_DEFAULT_PATH) and
 * moves on. An empty element (PATH="", a leading, doubled or trailing ':') is the current
 * directory, as for execvp(3). Returns 1 with the candidate in buf, 0 when PATH is done, or
 * -ENAMETOOLONG for a candidate that does not fit (the caller skips it). */
int ward_path_next(const char **cursor, const char *cmd, char *buf, size_t len);
