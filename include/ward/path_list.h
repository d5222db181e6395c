/* A list of paths, each with the place it was set (MaskPath=, ReadOnlyPath=, Landlock's
 * lists). A leaf: the settings and the specs that hold such lists include it. */
#pragma once

#include <stddef.h>

#include "ward/error.h"

/* A path list entry with its origin (masked and read-only paths). */
struct ward_path {
        char *path;
        struct ward_origin origin;
};

/* Append a copy of path, set at o; -ENOMEM. */
int config_add_path(struct ward_path **list, size_t *n, const char *path,
                    const struct ward_origin *o);
void config_clear_paths(struct ward_path **list, size_t *n);
