/* Setup: the ordered steps that run inside the new namespaces, ending in exec of the init.
 * Runs in the clone3 child; never returns: on failure it sends its ward_error to the monitor
 * over sync_fd and exits 125 (or 126/127 for exec failures). */
#pragma once

#include "ward/config.h"
#include "ward/plan.h"

struct ward_setup_args {
        const struct ward_config *config;
        int sync_fd;   /* SOCK_SEQPACKET to the monitor */
        int init_fd;   /* executable fd of ward-init (sealed memfd), -1 when Init=no */
        int report_fd; /* the write end of the init's report pipe, or -1 */
        const struct ward_plan *plan; /* what the monitor prepared (its copy, after clone) */
};

_Noreturn void setup_run(const struct ward_setup_args *a);
