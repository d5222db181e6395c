/* The app's process: user and groups, environment, working directory, umask, no_new_privs. */
#pragma once

#include "ward/config.h"

/* Monitor side, before clone: resolve User= (numeric, or a name looked up in the rootfs's
 * /etc/passwd and /etc/group with openat2(RESOLVE_IN_ROOT)) into c->uid / c->gid. */
int process_resolve_user(struct ward_config *c, struct ward_error *e);

/* Setup side, after pivot_root, in this order. */
int process_apply_umask_cwd(const struct ward_config *c, struct ward_error *e);
/* setgroups (cleared unless given), setresgid, setresuid, keeping capabilities across. */
int process_apply_creds(const struct ward_config *c, bool setgroups_allowed, struct ward_error *e);
int process_apply_no_new_privs(const struct ward_config *c, struct ward_error *e);

/* The app's environment as a NULL-terminated array (points into c). */
char **process_environment(const struct ward_config *c);
