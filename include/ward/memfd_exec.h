/* [Process] MemfdExec=: whether a program copied into a memfd can be executed in the
 * sandbox. A noexec /tmp stops execve() of a downloaded file, but memfd_create() +
 * write + execveat(AT_EMPTY_PATH) (or execve of /proc/self/fd/N) runs it all the same. The
 * kernel's per-pid-namespace sysctl vm.memfd_noexec (Linux 6.3+) closes that: at 2, every
 * memfd the sandbox makes is non-executable and sealed so, and MFD_EXEC is refused (EACCES).
 *
 *   MemfdExec=no   vm.memfd_noexec=2 in the sandbox's pid namespace, or exit 125
 *   MemfdExec=try  the same where it can be had (the built-in default), else explain says why
 *   MemfdExec=yes  the host's setting is inherited
 *
 * Only host root can write the sysctl, from inside the pid namespace (the kernel checks the
 * writer's pid namespace and that its euid is the initial user namespace's root): setup does
 * it first thing, while it still has the monitor's uid 0, before it takes the sandbox's ids.
 * ward-init's own sealed memfd is made by the monitor, outside, and is not affected. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ward/config.h"

/* Parse MemfdExec= (the profile reader's handler). */
int memfd_exec_parse(struct ward_config *c, const char *value, const struct ward_origin *o,
                     struct ward_error *e);

/* Whether setup will set vm.memfd_noexec=2 for this config: 1 yes, 0 no (why in
 * reason), -errno with *e filled when MemfdExec=no cannot be had. */
int memfd_exec_decide(const struct ward_config *c, char *reason, size_t len, struct ward_error *e);

/* Setup, first: set it in its own (the sandbox's) pid namespace. rootless: the monitor's
 * euid was not 0 (setup's own ids no longer tell, once the maps are written). */
int memfd_exec_apply(const struct ward_config *c, bool rootless, struct ward_error *e);

/* One line for explain. */
void memfd_exec_describe(const struct ward_config *c, char *buf, size_t len);
