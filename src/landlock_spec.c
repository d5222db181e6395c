/* The [Landlock] spec's lists (landlock_spec.h). */
#include "ward/landlock_spec.h"

#include <stdlib.h>
#include <string.h>

void landlock_config_free(struct ward_landlock_config *l)
{
        config_clear_paths(&l->read_only, &l->n_read_only);
        config_clear_paths(&l->read_write, &l->n_read_write);
        config_clear_paths(&l->execute, &l->n_execute);
        free(l->bind_tcp);
        free(l->connect_tcp);
        memset(l, 0, sizeof(*l));
}
