/* Command-line parsing: `ward run|explain|spec|check|hook|init|version|help` and the
 * docker-run-like flags. */
#pragma once

#include <stdbool.h>

#include "ward/config.h"

enum ward_command {
        WARD_CMD_HELP,
        WARD_CMD_VERSION,
        WARD_CMD_RUN,
        WARD_CMD_EXPLAIN,
        WARD_CMD_INIT,
        WARD_CMD_SPEC,
        WARD_CMD_CHECK,
        WARD_CMD_HOOK,
};

struct ward_cli {
        enum ward_command command;
        bool help;     /* --help given for the subcommand */
        int init_argc; /* `ward init|check|hook`: arguments handed to the command untouched */
        char **init_argv;
};

/* Parse argv, load the profiles named by --profile (or "default" when none is given) into c,
 * then apply the flags on top: flags override the profile. The command after "--" (or the
 * first non-flag) goes to c->argv. */
int cli_parse(int argc, char **argv, struct ward_cli *cli, struct ward_config *c,
              struct ward_error *e);

/* Usage text for the top level or one subcommand. */
void cli_print_usage(enum ward_command command, FILE *out);
