/* The settings' cross-key checks, done before anything is created. Its own module so that
 * the settings (config.h) do not include the modules whose checks it calls: the arrows
 * point one way, settings <- modules <- validate. */
#pragma once

#include "ward/config.h"

/* Checks that need the whole picture (e.g. User= without a user namespace as non-root),
 * done in the monitor before anything is created. Pure: reads c and the host, writes
 * nothing but e. */
int config_validate(const struct ward_config *c, struct ward_error *e);
