/* The Sysctl= list (sysctl_spec.h). */
#include "ward/sysctl_spec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ward/util.h"

int sysctl_list_set(struct ward_sysctl **list, size_t *n, const char *name, const char *value,
                    const struct ward_origin *o)
{
        struct ward_sysctl *grown;
        char *v = strdup(value);

        if (!v)
                return -ENOMEM;
        for (size_t i = 0; i < *n; i++)
                if (strcmp((*list)[i].name, name) == 0) {
                        free((*list)[i].value);
                        (*list)[i].value = v;
                        (*list)[i].origin = *o;
                        return 0;
                }
        if (!(grown = ward_grow(*list, *n, sizeof(*grown)))) {
                free(v);
                return -ENOMEM;
        }
        *list = grown;
        if (!(grown[*n].name = strdup(name))) {
                free(v);
                return -ENOMEM;
        }
        grown[*n].value = v;
        grown[*n].origin = *o;
        (*n)++;
        return 0;
}

void sysctl_list_clear(struct ward_sysctl **list, size_t *n)
{
        for (size_t i = 0; i < *n; i++) {
                free((*list)[i].name);
                free((*list)[i].value);
        }
        free(*list);
        *list = NULL;
        *n = 0;
}
