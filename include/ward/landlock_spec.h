/* What [Landlock] asks for: the landlock module's spec (landlock.h gives the semantics and
 * applies it). Composed by config.h; includes nothing of the settings. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ward/path_list.h"

struct ward_landlock_config {
        enum ward_landlock_mode {
                WARD_LANDLOCK_OFF,
                WARD_LANDLOCK_ON,  /* required: no Landlock is exit 125 */
                WARD_LANDLOCK_TRY, /* applied where the kernel has it */
        } mode;
        bool mode_set;               /* Landlock= was given: the lists imply nothing */
        struct ward_origin origin;   /* of the mode: Landlock= or the first list key */
        struct ward_path *read_only; /* paths inside the sandbox, with origins */
        size_t n_read_only;
        struct ward_path *read_write;
        size_t n_read_write;
        struct ward_path *execute;
        size_t n_execute;
        uint16_t *bind_tcp; /* TCP ports; empty: every bind/connect is refused */
        size_t n_bind_tcp;
        struct ward_origin bind_tcp_origin;
        uint16_t *connect_tcp;
        size_t n_connect_tcp;
        struct ward_origin connect_tcp_origin;
        bool bind_tcp_any; /* BindTCP=any: binding is not confined (not handled) */
        bool connect_tcp_any;
};

/* Free the lists; l is left empty. */
void landlock_config_free(struct ward_landlock_config *l);
