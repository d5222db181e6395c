/* The monitor: the process the caller started. Creates the sandbox with clone3, writes the
 * id maps, relays signals and the terminal, and exits with the app's status. */
#pragma once

#include "ward/config.h"
#include "ward/plan.h"

/* Run c->argv in the sandbox described by c, with p as the preflight left it (root_path_fd
 * open, the cgroup decided, systemd_prepare() done): the monitor completes the plan (the
 * clones, the seccomp filter) and never writes c. Returns the exit code for main(): the app's
 * status, 128+N, or 125/126/127 with e filled. *app_signal is the signal the app died of
 * (told by the init, which itself can only exit 128+N), or 0. */
int monitor_run(const struct ward_config *c, struct ward_plan *p, int *app_signal,
                struct ward_error *e);
