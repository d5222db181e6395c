/* `ward explain`: a dry run. Prints the resolved settings with where each came from, and the
 * ordered steps `ward run` would take. Creates nothing. */
#pragma once

#include <stdio.h>

#include "ward/config.h"

int explain_print(const struct ward_config *c, FILE *out, struct ward_error *e);
