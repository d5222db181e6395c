/* ward-init runs from a sealed anonymous copy: the sandbox's /proc/1/exe then leads to that
 * copy, never to the host's binary, which it could otherwise overwrite (CVE-2019-5736).
 * Made by the monitor for `ward run`, and by entrypoint mode for itself. */
#pragma once

#include "ward/error.h"

/* An executable, sealed memfd copy of ward-init. Returns the fd (O_CLOEXEC) or -errno with
 * e filled. */
int sealed_init_make(struct ward_error *e);
