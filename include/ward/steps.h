/* The step table: every step of `ward run`, in the order it happens, one row each (src/steps.c).
 *
 * The setup (the clone3 child) and entrypoint mode (ward's own process) apply the rows of
 * their side by walking the table; `ward explain` walks the same table and prints each row's
 * description, so what explain lists is what runs, in that order. Monitor rows are only
 * described here: the monitor does them where it does (monitor.c).
 *
 * WARD_TRACE_STEPS=FD (an fd the caller opened, read once when ward starts) makes the walks
 * write "side:name" for each step as it is applied; explain tags each line "[side:name]". */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "ward/config.h"
#include "ward/plan.h"

struct ward_entrypoint_env;

enum ward_step_mode {
        WARD_STEPS_SETUP,    /* in the clone3 child, in new namespaces */
        WARD_STEPS_IN_PLACE, /* entrypoint mode: in ward's own process */
};

/* What the steps share while they are applied (or described): the settings, read-only, and
 * what the monitor prepared for them (plan.h). */
struct ward_step_ctx {
        const struct ward_config *config;
        const struct ward_plan *plan;
        enum ward_step_mode mode;
        int sync_fd;   /* setup: SOCK_SEQPACKET to the monitor */
        int init_fd;   /* executable fd of ward-init (sealed memfd), -1 when Init=no */
        int report_fd; /* setup: the init's report pipe to the monitor (init.h), or -1 */
        const struct ward_entrypoint_env *env; /* in place: what the container gives */
        char command[4096];                    /* setup: the app's path in the new root */
};

/* Apply every wanted row of ctx->mode's side, in order, ending in the exec: returns only on
 * failure, -errno with e filled (e->exit_code 126/127 when the app cannot be executed). */
int steps_run(struct ward_step_ctx *ctx, struct ward_error *e);

/* Signal dispositions to default and nothing blocked, before the first step. */
void steps_reset_signals(void);

/* `ward explain`'s numbered step list, one or more lines per wanted row. */
void steps_explain(const struct ward_config *c, const struct ward_plan *p, FILE *out);
