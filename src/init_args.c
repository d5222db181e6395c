/* ward-init's command line from the [Init] keys (init_args.h). */
#include "ward/init_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_success(const struct ward_config *c, unsigned code)
{
        return c->init_success[code / 32] & (1u << (code % 32));
}

char **init_args_build(const struct ward_config *c, int report_fd)
{
        size_t n_codes = 0, slots, i = 0;
        char **argv, *codes, *report;

        for (unsigned code = 0; code < 256; code++)
                n_codes += is_success(c, code);
        /* "ward-init" [-g] (-e N)... "--" argv... NULL; the numbers live after the array. */
        slots = 3 + (c->init_group ? 1 : 0) + (report_fd >= 0 ? 1 : 0) + 2 * n_codes + c->argc;
        argv = malloc(slots * sizeof(char *) + n_codes * 4 + 32);
        if (!argv)
                return NULL;
        codes = (char *)(argv + slots);
        report = codes + n_codes * 4;
        argv[i++] = "ward-init";
        if (report_fd >= 0) {
                snprintf(report, 32, "--report-fd=%d", report_fd);
                argv[i++] = report;
        }
        if (c->init_group)
                argv[i++] = "-g";
        for (unsigned code = 0; code < 256; code++) {
                if (!is_success(c, code))
                        continue;
                snprintf(codes, 4, "%u", code);
                argv[i++] = "-e";
                argv[i++] = codes;
                codes += 4;
        }
        argv[i++] = "--";
        memcpy(argv + i, c->argv, c->argc * sizeof(char *));
        argv[i + c->argc] = NULL;
        return argv;
}
