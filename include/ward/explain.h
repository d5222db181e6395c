/* `ward explain`: a dry run. Prints the resolved settings with where each came from, and the
 * ordered steps `ward run` would take. Creates nothing. */
#pragma once

#include <stdio.h>

#include "ward/config.h"
#include "ward/plan.h"

/* p: what a run would be given so far (a Delegate=yes unit's cgroup), read only. */
int explain_print(const struct ward_config *c, const struct ward_plan *p, FILE *out,
                  struct ward_error *e);
