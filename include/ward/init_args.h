/* The command line ward gives ward-init: its options from [Init] (ProcessGroup= -> -g,
 * SuccessExitStatus= -> -e N), then "--" and the app's argv. Shared by the sandbox's setup
 * and entrypoint mode. */
#pragma once

#include "ward/config.h"

/* REPORT_FD >= 0 adds --report-fd=N: the pipe on which the init tells the monitor how the
 * app ended (init.h). A NULL-terminated argv on the heap (one block: free() it, or let exec take
 * it); NULL on ENOMEM. */
char **init_args_build(const struct ward_config *c, int report_fd);
