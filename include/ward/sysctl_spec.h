/* [Namespaces] Sysctl=: the settings' part (config.h), applied by sysctl.c. Includes
 * nothing of config.h, so the include arrows point one way (ARCHITECTURE.md). */
#pragma once

#include <stddef.h>

#include "ward/error.h"

struct ward_sysctl {
        char *name;  /* dotted, as sysctl(8) and docker spell it: net.ipv4.ip_forward */
        char *value; /* written as given */
        struct ward_origin origin;
};

/* name=value: a name given again keeps its place and takes the later value and origin
 * (docker's --sysctl is a map, the last one wins). -ENOMEM. */
int sysctl_list_set(struct ward_sysctl **list, size_t *n, const char *name, const char *value,
                    const struct ward_origin *o);
void sysctl_list_clear(struct ward_sysctl **list, size_t *n);
