/* Command-line flags: getopt_long with the rules every ward command's flags follow, so that
 * `ward run`, `ward explain` and `ward check` refuse the same things in the same words. */
#pragma once

#include <getopt.h>

#include "ward/error.h"

/* The next flag of argv, as getopt_long(argc, argv, short_opts, options) gives it (optarg and
 * optind as it leaves them), except that a long flag is never abbreviated: GNU takes
 * "--host" for "--hostname", and a flag added later would then change what an existing
 * command line means. short_opts starts with "+:" (stop at the first non-flag, report a
 * missing value). Reset optind and opterr to 0 before the first call.
 *
 * Returns the flag's val (never 0), 0 after the last flag, or -EINVAL with e filled: an
 * unknown or abbreviated flag (the closest one as the hint), a value given to a flag that
 * takes none, a missing value; the hints name `ward COMMAND --help`. */
int flags_next(int argc, char **argv, const char *short_opts, const struct option *options,
               const char *command, struct ward_error *e);
