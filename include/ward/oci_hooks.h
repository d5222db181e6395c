/* The OCI hooks of a bundle that ward runs itself (ward run --bundle): prestart and
 * createRuntime once the sandbox's namespaces exist and before its setup starts, poststop
 * after it has exited. Each gets the container's state JSON on stdin. createContainer,
 * startContainer and poststart are refused when config.json is read (oci_map.c). */
#pragma once

#include <sys/types.h>

#include "ward/config.h"
#include "ward/oci_hooks_spec.h"

/* Monitor side, the sandbox created (pid: its first process, waiting) but not released:
 * run the create hooks in order. The first that fails, times out or cannot be executed is
 * an error naming it; the caller then kills the sandbox. Nothing to do without hooks. */
int oci_hooks_run_create(const struct ward_config *c, pid_t pid, struct ward_error *e);
/* After the sandbox has exited: the poststop hooks; a failure is a warning on stderr. */
void oci_hooks_run_poststop(const struct ward_config *c);
