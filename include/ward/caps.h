/* Capabilities, with libcap-ng: names, and dropping all five sets in setup. */
#pragma once

#include <stdint.h>

#include "ward/config.h"

/* "NET_BIND_SERVICE", "CAP_NET_BIND_SERVICE", "net_bind_service" -> 10. "ALL" is not a cap. */
int caps_from_name(const char *name, int *cap);
/* "NET_BIND_SERVICE" (upper case, no CAP_ prefix); NULL for an unknown number. */
const char *caps_to_name(int cap);
/* Every capability this kernel knows (0..cap_last_cap). */
uint64_t caps_all(void);
/* "CHOWN NET_BIND_SERVICE" or "(none)"; for explain and messages. */
void caps_format(uint64_t mask, char *buf, size_t len);

/* In setup, after the uid/gid switch: bounding set reduced to caps_keep, then
 * effective = permitted = inheritable = caps_keep, and ambient = caps_keep when c->uid is
 * not 0 (so a non-root User= keeps them across exec). Every set is read back; one that is
 * not exactly as asked, or a kept capability ward does not hold, fails. Opens no fd. */
int caps_apply(const struct ward_config *c, struct ward_error *e);
/* Drop the bounding set only (called before the uid switch, while CAP_SETPCAP is held). */
int caps_drop_bounding(const struct ward_config *c, struct ward_error *e);
