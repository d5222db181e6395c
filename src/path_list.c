/* Path lists with origins (path_list.h). */
#include "ward/path_list.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ward/util.h"

int config_add_path(struct ward_path **list, size_t *n, const char *path,
                    const struct ward_origin *o)
{
        struct ward_path *grown = ward_grow(*list, *n, sizeof(*grown));

        if (!grown)
                return -ENOMEM;
        *list = grown;
        if (!(grown[*n].path = strdup(path)))
                return -ENOMEM;
        grown[*n].origin = *o;
        (*n)++;
        return 0;
}

void config_clear_paths(struct ward_path **list, size_t *n)
{
        for (size_t i = 0; i < *n; i++)
                free((*list)[i].path);
        free(*list);
        *list = NULL;
        *n = 0;
}
