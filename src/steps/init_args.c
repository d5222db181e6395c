/* ward-init's command line from the [Init] keys (init_args.h). */
#include "ward/init_args.h"

#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_success(const struct ward_config *c, unsigned code)
{
        return c->init_success[code / 32] & (1u << (code % 32));
}

/* Without a pid namespace the monitor ends a sandbox by killing the init's process group
 * (monitor.c): the app must stay in it, not lead one of its own as under tini. Only with a
 * monitor (REPORT_FD >= 0): in place, the outer runtime ends the container. -g needs the
 * app's own group, and the cgroup's kill at exit reaches it then. */
static bool keeps_app_in_group(const struct ward_config *c, int report_fd)
{
        return report_fd >= 0 && !(c->unshare_flags & CLONE_NEWPID) && !c->init_group;
}

char **init_args_build(const struct ward_config *c, int report_fd)
{
        size_t n_codes = 0, slots, i = 0;
        bool same_group = keeps_app_in_group(c, report_fd);
        char **argv, *codes, *report;

        for (unsigned code = 0; code < 256; code++)
                n_codes += is_success(c, code);
        /* "ward-init" [--report-fd=N] [--same-group] [-g] (-e N)... "--" argv... NULL; the
         * numbers live after the array. */
        slots = 3 + (c->init_group ? 1 : 0) + (report_fd >= 0 ? 1 : 0) + (same_group ? 1 : 0) +
                2 * n_codes + c->argc;
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
        if (same_group)
                argv[i++] = "--same-group";
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
