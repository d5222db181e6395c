/* What [Process] Limit*= asks for, one entry per RLIMIT_*: the rlimit module's spec
 * (rlimit.h applies it). Composed by config.h; includes nothing of the settings. */
#pragma once

#include <stdbool.h>
#include <sys/resource.h>

#include "ward/error.h"

#define WARD_RLIMIT_COUNT 16 /* RLIMIT_NLIMITS on Linux (checked in rlimit.c) */

struct ward_rlimit {
        bool set;
        rlim_t soft, hard;
        struct ward_origin origin;
};
