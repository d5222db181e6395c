/* `ward doctor [--format text|json]`: what ward can use on this host, as the current user.
 *
 * Each feature gets a verdict (ok, degraded, missing, or unknown when nothing safe can
 * tell), the reason and the fix. Every check runs the code `ward run` decides with, on the
 * default profile: the clone with its Unshare= flags, rlimit_apply(), sealed_init_make(),
 * idmap_pool_open(), cgroup_check(), landlock_decide(), memfd_exec_decide(), so that the
 * doctor cannot disagree with run. Nothing is written to /sys/fs/cgroup.
 *
 * Exit 0 when the default profile can run here, 1 when it cannot, 125 on a bad option. */
#pragma once

#include "ward/config.h"

int doctor_main(int argc, char **argv, struct ward_config *c);
void doctor_print_usage(FILE *out);
