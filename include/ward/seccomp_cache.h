/* The compiled seccomp filter, cached on disk: resolving ward's ~380 rules through
 * libseccomp's name table takes ~0.16 ms (writing the BPF, seccomp_bpf.c, ~0.015 ms; it was
 * libseccomp's compiler's ~2.5 ms), so the monitor keeps the BPF keyed by what decides it
 * (this binary's build-id, libseccomp's version, the [Seccomp] inputs and the kept
 * capabilities).
 *
 * Where: $WARD_CACHE_DIR, else /var/cache/ward/seccomp as root, else
 * $XDG_CACHE_HOME/ward/seccomp (~/.cache/ward/seccomp). A cache file is used only when the
 * directory and the file belong to our euid, are not writable by group or others, are not
 * symlinks, and the file holds the very key we would compile from (compared byte for byte,
 * so a hash collision cannot substitute another filter). */
#pragma once

#include "ward/config.h"
#include "ward/plan.h"
#include "ward/seccomp.h"

/* Monitor side, before clone: fill p->seccomp from the cache or by compiling (and then
 * store it). A cache that cannot be used or written is only slower, never an error. */
int seccomp_cache_prepare(const struct ward_config *c, struct ward_plan *p, struct ward_error *e);

/* The directory used (for explain and tests); "" when none can be determined. */
void seccomp_cache_dir(char *buf, size_t len);
