/* [Namespaces] Sysctl=, docker's --sysctl, a bundle's linux.sysctl: kernel parameters that
 * belong to one of the sandbox's own namespaces, written in setup. A sysctl that is not
 * namespaced (kernel.panic, vm.*) would change the host and is refused by name. */
#pragma once

#include <stdbool.h>

#include "ward/config.h"

/* A name ward may turn into a path under /proc/sys: dot-separated components of letters,
 * digits, '_' and '-', none empty, so nothing can climb out or name another tree. */
bool sysctl_name_valid(const char *name);

/* The namespace a sysctl lives in, as runc and docker decide it: CLONE_NEWNET for net.*;
 * CLONE_NEWIPC for kernel.msgmax, msgmnb, msgmni, sem, shmall, shmmax, shmmni,
 * shm_rmid_forced and fs.mqueue.*; CLONE_NEWUTS for kernel.domainname. 0: host-wide
 * (kernel.hostname too: Hostname= sets it). */
unsigned long sysctl_namespace(const char *name);

/* Why name=value cannot be set (not a name, host-wide, a value the file would split), or
 * NULL when it can be, given the namespace; the readers' one check. */
const char *sysctl_refusal(const char *name, const char *value);

/* For a refusal: which namespaces allow what, in a bundle's words (its "hostname") or a
 * profile's (Namespaces.Hostname=). */
const char *sysctl_allowed_hint(bool bundle);

/* Every sysctl's namespace must be the sandbox's own (not shared with the host). */
int sysctl_validate(const struct ward_config *c, struct ward_error *e);

/* Setup, in the sandbox's namespaces, before the mounts: each value written to /proc/sys
 * of a proc instance of its own (the host's /proc may be read-only, as docker mounts it). */
int sysctl_apply(const struct ward_config *c, struct ward_error *e);
