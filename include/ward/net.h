/* Networking over rtnetlink with libmnl. */
#pragma once

#include "ward/config.h"

/* Setup side, in a new network namespace: bring lo up (Network.Mode=none). Mode=none
 * without CLONE_NEWNET in c->unshare_flags is refused (it would be the host's network). */
int net_apply(const struct ward_config *c, struct ward_error *e);
/* Bring the interface named ifname up in the current namespace. */
int net_link_up(const char *ifname, struct ward_error *e);
