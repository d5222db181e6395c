/* The step table (steps.h): one row per step of `ward run`, in the order it happens.
 *
 * The order matters: mounts need the capabilities the user namespace gave us; rlimits may
 * raise hard limits only while CAP_SYS_RESOURCE is held; the bounding set is dropped while
 * CAP_SETPCAP is still ours, before the uid switch; the uid switch keeps the kept
 * capabilities only with PR_SET_KEEPCAPS; no_new_privs, Landlock and seccomp come last so
 * that they confine the init and the app but not the steps before them. close-on-exec comes
 * just before seccomp: what ward itself needs must not depend on what a user's filter allows
 * (a profile older than close_range(), Linux 5.9, refuses it). The one exception is a
 * bundle's filter without no_new_privs: the kernel takes it only while CAP_SYS_ADMIN is
 * ours, so it goes in before the credentials (bundle-seccomp, which marks the fds
 * close-on-exec first), as runc and crun do, and the monitor checks first that it lets
 * every later step through. */
#include "ward/steps.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ward/entrypoint.h"
#include "ward/util.h"
#include "steps_rows.h"

enum {
        SIDE_MONITOR = 1u << 0,  /* done by the monitor (monitor.c): described only */
        SIDE_SETUP = 1u << 1,    /* applied by the setup, in the clone3 child */
        SIDE_IN_PLACE = 1u << 2, /* applied in entrypoint mode, in ward's own process */
};

struct ward_step {
        const char *name;
        unsigned sides;
        bool (*wanted)(const struct ward_step_ctx *ctx); /* NULL: always */
        int (*apply)(struct ward_step_ctx *ctx, struct ward_error *e);
        void (*describe)(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
};

#define BOTH (SIDE_SETUP | SIDE_IN_PLACE)

/* To add a step: one row here, in its place, with its apply and describe (steps_rows.h).
 * Columns: name, sides, wanted (NULL: always), apply (NULL: the monitor's), describe. */
static const struct ward_step steps[] = {
    {"check", SIDE_MONITOR, NULL, NULL, step_describe_check},
    {"root-open", SIDE_MONITOR, step_wanted_root_open, NULL, step_describe_root_open},
    {"user-lookup", SIDE_MONITOR, step_wanted_user_lookup, NULL, step_describe_user_lookup},
    {"init-memfd", SIDE_MONITOR | SIDE_IN_PLACE, step_wanted_init, step_apply_init_memfd,
     step_describe_init_memfd},
    {"cgroup", SIDE_MONITOR, step_wanted_cgroup, NULL, step_describe_cgroup},
    {"clone3", SIDE_MONITOR, NULL, NULL, step_describe_clone},
    {"id-maps", SIDE_MONITOR, NULL, NULL, step_describe_id_maps},
    {"oom-score-adj", SIDE_MONITOR | SIDE_IN_PLACE, step_wanted_oom_score_adj,
     step_apply_oom_score_adj, step_describe_oom_score_adj},
    {"create-hooks", SIDE_MONITOR, step_wanted_create_hooks, NULL, step_describe_create_hooks},
    {"memfd-exec", SIDE_SETUP, NULL, step_apply_memfd_exec, step_describe_memfd_exec},
    {"identity", SIDE_SETUP, step_wanted_identity, step_apply_identity, step_describe_identity},
    {"session", SIDE_SETUP, step_wanted_session, step_apply_session, step_describe_session},
    {"hostname", SIDE_SETUP, step_wanted_hostname, step_apply_hostname, step_describe_hostname},
    {"network", SIDE_SETUP, NULL, step_apply_network, step_describe_network},
    {"mounts", SIDE_SETUP, NULL, step_apply_mounts, step_describe_mounts},
    {"notify", SIDE_SETUP, step_wanted_notify, step_apply_notify, step_describe_notify},
    {"stdio", SIDE_SETUP, NULL, step_apply_stdio, step_describe_stdio},
    {"read-only-root", SIDE_IN_PLACE, NULL, step_apply_read_only_root,
     step_describe_read_only_root},
    {"rlimits", BOTH, NULL, step_apply_rlimits, step_describe_rlimits},
    {"umask-cwd", BOTH, NULL, step_apply_umask_cwd, step_describe_umask_cwd},
    {"bounding-set", BOTH, NULL, step_apply_bounding, step_describe_bounding},
    {"bundle-seccomp", SIDE_SETUP, step_wanted_bundle_seccomp, step_apply_bundle_seccomp,
     step_describe_bundle_seccomp},
    {"credentials", BOTH, NULL, step_apply_creds, step_describe_creds},
    {"capabilities", BOTH, NULL, step_apply_caps, step_describe_caps},
    {"no-new-privs", BOTH, NULL, step_apply_no_new_privs, step_describe_no_new_privs},
    {"landlock", BOTH, NULL, step_apply_landlock, step_describe_landlock},
    {"parent-death", SIDE_SETUP, NULL, step_apply_parent_death, step_describe_parent_death},
    {"find-command", SIDE_SETUP, NULL, step_apply_find_command, step_describe_find_command},
    {"close-on-exec", BOTH, step_wanted_close_on_exec, step_apply_close_on_exec,
     step_describe_close_on_exec},
    {"seccomp", BOTH, NULL, step_apply_seccomp, step_describe_seccomp},
    {"exec", BOTH, NULL, step_apply_exec, step_describe_exec},
    {"wait", SIDE_MONITOR, NULL, NULL, step_describe_wait},
    {"cgroup-report", SIDE_MONITOR, step_wanted_cgroup_report, NULL, step_describe_cgroup_report},
    {"poststop-hooks", SIDE_MONITOR, step_wanted_poststop_hooks, NULL,
     step_describe_poststop_hooks},
};

/* ------------------------------------------------------------------------------------- */
/* The trace                                                                             */

/* -1: off. A private, close-on-exec copy of the fd the caller named, taken before ward
 * opens anything of its own, so that no number can point the trace at ward's own fds
 * (the sync socket, the root, a cgroup file); the sandbox never holds it (close-on-exec). */
static int trace_fd = -1;

/* Above what socket activation hands on (3..) and what the steps dup2 (0-2). */
#define TRACE_FD_MIN 64

__attribute__((constructor)) static void steps_trace_open(void)
{
        const char *v = getenv("WARD_TRACE_STEPS");
        uint32_t fd;
        int flags;

        if (!v)
                return;
        if (ward_parse_u32(v, &fd) < 0 || fd > INT_MAX || (flags = fcntl((int)fd, F_GETFL)) < 0 ||
            (flags & O_ACCMODE) == O_RDONLY) {
                fprintf(stderr,
                        "ward: warning: WARD_TRACE_STEPS=%s is not an fd open for "
                        "writing: no step trace\n",
                        v);
        } else {
                trace_fd = fcntl((int)fd, F_DUPFD_CLOEXEC, TRACE_FD_MIN);
                if (trace_fd < 0)
                        trace_fd = fcntl((int)fd, F_DUPFD_CLOEXEC, 3);
        }
        unsetenv("WARD_TRACE_STEPS");
}

static void trace(const char *side, const char *name)
{
        char line[96];
        int n;

        if (trace_fd < 0)
                return;
        n = snprintf(line, sizeof(line), "%s:%s\n", side, name);
        /* A trace is a test's aid: a failed write never stops a run. */
        if (n > 0)
                (void)!write(trace_fd, line, (size_t)n);
}

/* ------------------------------------------------------------------------------------- */
/* Walks                                                                                 */

static unsigned mode_side(enum ward_step_mode mode)
{
        return mode == WARD_STEPS_IN_PLACE ? SIDE_IN_PLACE : SIDE_SETUP;
}

static const char *side_name(const struct ward_step *st, enum ward_step_mode mode)
{
        if (st->sides & mode_side(mode))
                return mode == WARD_STEPS_IN_PLACE ? "in-place" : "setup";
        return "monitor";
}

static bool row_wanted(const struct ward_step *st, const struct ward_step_ctx *ctx)
{
        return !st->wanted || st->wanted(ctx);
}

int steps_run(struct ward_step_ctx *ctx, struct ward_error *e)
{
        unsigned side = mode_side(ctx->mode);
        int r;

        for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
                const struct ward_step *st = &steps[i];
                if (!(st->sides & side) || !row_wanted(st, ctx))
                        continue;
                trace(side_name(st, ctx->mode), st->name);
                if ((r = st->apply(ctx, e)) < 0)
                        return r;
        }
        /* The exec row returns only on failure. */
        return ward_error_set(e, EINVAL, "the step table has no exec");
}

__attribute__((format(printf, 2, 3))) void step(struct ward_steps_out *s, const char *fmt, ...)
{
        va_list ap;

        fprintf(s->out, "%3u. ", ++s->n);
        if (strcmp(s->side, "in-place") != 0)
                fprintf(s->out, "%s: ", s->side);
        va_start(ap, fmt);
        vfprintf(s->out, fmt, ap);
        va_end(ap);
        fprintf(s->out, "  [%s:%s]\n", s->side, s->name);
}

void steps_explain(const struct ward_config *c, const struct ward_plan *p, FILE *out)
{
        struct ward_entrypoint_env env;
        struct ward_step_ctx ctx = {.config = c,
                                    .plan = p,
                                    .mode = c->in_place ? WARD_STEPS_IN_PLACE : WARD_STEPS_SETUP,
                                    .sync_fd = -1,
                                    .init_fd = -1,
                                    .report_fd = -1,
                                    .env = &env};
        /* In place, the monitor's rows are the outer runtime's (or not done at all). */
        unsigned shown = c->in_place ? SIDE_IN_PLACE : SIDE_MONITOR | SIDE_SETUP;
        struct ward_steps_out s = {.out = out};

        memset(&env, 0, sizeof(env));
        if (c->in_place)
                entrypoint_detect(&env);
        fprintf(out, c->in_place ? "\nSteps ward run would take, in its own process (no clone, "
                                   "no mounts):\n"
                                 : "\nSteps ward run would take:\n");
        for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
                if (!(steps[i].sides & shown) || !row_wanted(&steps[i], &ctx))
                        continue;
                s.side = side_name(&steps[i], ctx.mode);
                s.name = steps[i].name;
                steps[i].describe(&ctx, &s);
        }
        if (c->in_place)
                fprintf(out, "\nLeft to the outer runtime in entrypoint mode: namespaces, mounts "
                             "(tmpfs, masked and read-only /proc paths), cgroup limits, hostname, "
                             "network, the stop timeout (docker stop -t)\n");
}
