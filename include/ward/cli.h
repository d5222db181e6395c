/* Command-line parsing: `ward run|explain|spec|check|hook|doctor|init|version|help` and the
 * docker-run-like flags. */
#pragma once

#include <stdbool.h>

#include "ward/check.h"
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
        WARD_CMD_DOCTOR,
};

struct ward_cli {
        enum ward_command command;
        bool help;             /* --help given for the subcommand */
        const char *help_keys; /* `ward help keys`: "text" or "tsv"; NULL otherwise */
        bool bundle;           /* run|explain|spec: --bundle, the config came from a config.json */
        int init_argc; /* `ward init|hook|doctor`: arguments handed to the command untouched */
        char **init_argv;
        struct ward_check_cli check;
};

/* Parse argv, load the profiles named by --profile (or "default" when none is given) into c,
 * then apply the flags on top: flags override the profile. The command after "--" (or the
 * first non-flag) goes to c->argv.
 *
 * `ward check` goes through the same code, so that it judges the config ward run would
 * build from the same line; its own flags land in cli->check. With --oci, --list-rules,
 * or no flag and no command at all, c is left as config_init() made it. */
int cli_parse(int argc, char **argv, struct ward_cli *cli, struct ward_config *c,
              struct ward_error *e);

/* Usage text for the top level or one subcommand. */
void cli_print_usage(enum ward_command command, FILE *out);
