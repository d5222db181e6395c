/* Namespaces: names <-> CLONE_NEW* flags, id maps (written by the monitor), hostname. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "ward/config.h"

/* "user" -> CLONE_NEWUSER ... "cgroup" -> CLONE_NEWCGROUP; -EINVAL if unknown. */
int ns_from_name(const char *name, unsigned long *flag);
const char *ns_to_name(unsigned long flag);
/* Every flag ns_from_name knows, in the canonical order. */
extern const unsigned long ward_ns_all[7];

/* Whether "/" is not the mount namespace's root (a chroot): 1 yes, 0 no, -1 cannot tell. */
int ns_chroot_state(void);
/* ns_chroot_state() == 1. */
bool ns_in_chroot(void);
/* Why clone(unshare_flags) failed with err, and the fix: the monitor's error and ward
 * doctor's verdict say the same. */
const char *ns_clone_hint(unsigned long unshare_flags, int err);

/* Monitor side: write /proc/PID/{uid_map,setgroups,gid_map} for the child. As root the
 * sandbox's 0..65535 map to id_map_base..+65535 (never 0->0); as a normal user the
 * sandbox's uid/gid map to the caller's. */
int ns_write_id_maps(pid_t child, const struct ward_config *c, struct ward_error *e);
/* Whether setgroups(2) will work inside (false for rootless maps: "deny" was written). */
bool ns_setgroups_allowed(const struct ward_config *c, bool rootless);

/* Setup side. */
int ns_apply_hostname(const struct ward_config *c, struct ward_error *e);
