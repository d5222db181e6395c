/* What the step table's rows call (steps.c): the apply functions (steps_apply.c) and the
 * descriptions for `ward explain` (steps_describe.c). Private to the three files. */
#pragma once

#include <stdarg.h>
#include <stdio.h>

#include "ward/steps.h"

/* Where a row's description goes: one numbered line per call of step(). */
struct ward_steps_out {
        FILE *out;
        unsigned n;
        const char *side; /* "monitor", "setup", "in-place": the label and the tag's side */
        const char *name; /* the row's name, for the tag */
};

__attribute__((format(printf, 2, 3))) void step(struct ward_steps_out *s, const char *fmt, ...);

/* wanted(): whether the row runs with this configuration (NULL in the table: always). */
bool step_wanted_identity(const struct ward_step_ctx *ctx);
bool step_wanted_session(const struct ward_step_ctx *ctx);
bool step_wanted_hostname(const struct ward_step_ctx *ctx);
bool step_wanted_sysctl(const struct ward_step_ctx *ctx);
bool step_wanted_notify(const struct ward_step_ctx *ctx);
bool step_wanted_init(const struct ward_step_ctx *ctx);
bool step_wanted_root_open(const struct ward_step_ctx *ctx);
bool step_wanted_user_lookup(const struct ward_step_ctx *ctx);
bool step_wanted_cgroup(const struct ward_step_ctx *ctx);
bool step_wanted_create_hooks(const struct ward_step_ctx *ctx);
bool step_wanted_oom_score_adj(const struct ward_step_ctx *ctx);
bool step_wanted_cgroup_report(const struct ward_step_ctx *ctx);
bool step_wanted_poststop_hooks(const struct ward_step_ctx *ctx);
bool step_wanted_bundle_seccomp(const struct ward_step_ctx *ctx);
bool step_wanted_close_on_exec(const struct ward_step_ctx *ctx);

/* apply(): 0 or -errno with e filled. */
int step_apply_init_memfd(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_oom_score_adj(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_memfd_exec(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_identity(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_session(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_hostname(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_network(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_sysctl(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_mounts(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_notify(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_stdio(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_read_only_root(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_rlimits(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_umask_cwd(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_bounding(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_bundle_seccomp(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_creds(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_caps(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_no_new_privs(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_landlock(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_parent_death(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_find_command(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_seccomp(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_close_on_exec(struct ward_step_ctx *ctx, struct ward_error *e);
int step_apply_exec(struct ward_step_ctx *ctx, struct ward_error *e);

/* describe(): what `ward explain` prints for the row. */
void step_describe_check(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_root_open(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_user_lookup(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_init_memfd(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_cgroup(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_clone(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_id_maps(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_create_hooks(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_oom_score_adj(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_memfd_exec(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_identity(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_session(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_hostname(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_network(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_sysctl(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_mounts(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_notify(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_stdio(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_read_only_root(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_rlimits(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_umask_cwd(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_bounding(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_bundle_seccomp(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_creds(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_caps(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_no_new_privs(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_landlock(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_parent_death(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_find_command(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_seccomp(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_close_on_exec(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_exec(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_wait(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_cgroup_report(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
void step_describe_poststop_hooks(const struct ward_step_ctx *ctx, struct ward_steps_out *s);
