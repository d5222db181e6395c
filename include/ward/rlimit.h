/* Resource limits (setrlimit), by systemd-style names: LimitNOFILE= <-> RLIMIT_NOFILE. */
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include "ward/config.h"
#include "ward/rlimit_spec.h"

/* "NOFILE", "nofile", "LimitNOFILE", "RLIMIT_NOFILE" -> RLIMIT_NOFILE. -EINVAL if unknown. */
int rlimit_from_name(const char *name, int *resource);
/* "NOFILE". */
const char *rlimit_to_name(int resource);
/* "1024", "1024:4096", "infinity", "64M" for byte-valued limits (AS, DATA, STACK, ...).
 * The caller refuses soft > hard (RLIM_INFINITY compares as the largest value). */
int rlimit_parse_value(int resource, const char *s, rlim_t *soft, rlim_t *hard);

/* Apply every set limit to pid (0: ourselves); names the key and origin on failure.
 * The monitor, as root, applies them to the setup process before releasing it: inside a
 * user namespace only CAP_SYS_RESOURCE of the initial namespace may raise a hard limit.
 * Setup applies them again, which then only checks that they hold. */
int rlimit_apply(const struct ward_config *c, pid_t pid, struct ward_error *e);
