/* Internal to the settings layer (profile.c, cli.c, keys.c): one Key=value being applied,
 * and the parser of every row of the key table (keys.h). */
#pragma once

#include <stdio.h>

#include "ward/config.h"
#include "ward/key_row.h"

struct ward_setting {
        struct ward_config *c;
        const struct ward_key *row;
        const char *name; /* "Filesystem.Tmpfs", for messages */
        const char *value;
        const struct ward_origin *origin;
        struct ward_error *e;
};

int key_set_description(const struct ward_setting *s);
int key_set_unshare(const struct ward_setting *s);
int key_set_hostname(const struct ward_setting *s);
int key_set_sysctl(const struct ward_setting *s);
int key_set_id_map_base(const struct ward_setting *s);
int key_set_root(const struct ward_setting *s);
int key_set_read_only(const struct ward_setting *s);
int key_set_tmpfs(const struct ward_setting *s);
int key_set_bind(const struct ward_setting *s);
int key_set_mask_path(const struct ward_setting *s);
int key_set_readonly_path(const struct ward_setting *s);
int key_set_user(const struct ward_setting *s);
int key_set_groups(const struct ward_setting *s);
int key_set_capabilities(const struct ward_setting *s);
int key_set_no_new_privs(const struct ward_setting *s);
int key_set_drop_bounding_set(const struct ward_setting *s);
int key_set_environment(const struct ward_setting *s);
int key_set_pass_environment(const struct ward_setting *s);
int key_set_keep_groups(const struct ward_setting *s);
int key_set_working_directory(const struct ward_setting *s);
int key_set_umask(const struct ward_setting *s);
int key_set_oom_score_adjust(const struct ward_setting *s);
int key_set_cgroup_limit(const struct ward_setting *s);
int key_set_resources_mode(const struct ward_setting *s);
int key_set_cgroup_parent(const struct ward_setting *s);
int key_set_rlimit(const struct ward_setting *s);
int key_set_net_mode(const struct ward_setting *s);
int key_set_init(const struct ward_setting *s);
int key_set_process_group(const struct ward_setting *s);
int key_set_exit_like_app(const struct ward_setting *s);
int key_set_success_exit_status(const struct ward_setting *s);
int key_set_stop_timeout(const struct ward_setting *s);
int key_set_landlock(const struct ward_setting *s);
int key_set_seccomp_profile(const struct ward_setting *s);
int key_set_seccomp_allow(const struct ward_setting *s);
int key_set_seccomp_deny(const struct ward_setting *s);
int key_set_seccomp_default_action(const struct ward_setting *s);
int key_set_memfd_exec(const struct ward_setting *s);
int key_set_seccomp_socket_families(const struct ward_setting *s);
int key_set_seccomp_setid_files(const struct ward_setting *s);
int key_set_policy_exceptions(const struct ward_setting *s);
int key_set_policy_calls(const struct ward_setting *s);
int key_set_policy_join_ns(const struct ward_setting *s);

/* Where explain's lines for one row go (keys.h's show column). */
struct ward_key_out {
        FILE *out;
        const struct ward_key *row;
};
/* "Section.Key = value    (origin)" for o's row. */
void key_show(struct ward_key_out *o, const char *value, const struct ward_origin *origin);

void key_show_description(const struct ward_config *c, struct ward_key_out *o);
void key_show_unshare(const struct ward_config *c, struct ward_key_out *o);
void key_show_hostname(const struct ward_config *c, struct ward_key_out *o);
void key_show_sysctl(const struct ward_config *c, struct ward_key_out *o);
void key_show_id_map_base(const struct ward_config *c, struct ward_key_out *o);
void key_show_root(const struct ward_config *c, struct ward_key_out *o);
void key_show_read_only(const struct ward_config *c, struct ward_key_out *o);
void key_show_mounts(const struct ward_config *c, struct ward_key_out *o);
void key_show_mask_path(const struct ward_config *c, struct ward_key_out *o);
void key_show_readonly_path(const struct ward_config *c, struct ward_key_out *o);
void key_show_user(const struct ward_config *c, struct ward_key_out *o);
void key_show_groups(const struct ward_config *c, struct ward_key_out *o);
void key_show_keep_groups(const struct ward_config *c, struct ward_key_out *o);
void key_show_capabilities(const struct ward_config *c, struct ward_key_out *o);
void key_show_drop_bounding_set(const struct ward_config *c, struct ward_key_out *o);
void key_show_no_new_privs(const struct ward_config *c, struct ward_key_out *o);
void key_show_environment(const struct ward_config *c, struct ward_key_out *o);
void key_show_working_directory(const struct ward_config *c, struct ward_key_out *o);
void key_show_umask(const struct ward_config *c, struct ward_key_out *o);
void key_show_oom_score_adjust(const struct ward_config *c, struct ward_key_out *o);
void key_show_memfd_exec(const struct ward_config *c, struct ward_key_out *o);
void key_show_resources_mode(const struct ward_config *c, struct ward_key_out *o);
void key_show_cgroup_limit(const struct ward_config *c, struct ward_key_out *o);
void key_show_cgroup_parent(const struct ward_config *c, struct ward_key_out *o);
void key_show_rlimit(const struct ward_config *c, struct ward_key_out *o);
void key_show_net_mode(const struct ward_config *c, struct ward_key_out *o);
void key_show_init(const struct ward_config *c, struct ward_key_out *o);
void key_show_stop_timeout(const struct ward_config *c, struct ward_key_out *o);
void key_show_process_group(const struct ward_config *c, struct ward_key_out *o);
void key_show_success_exit_status(const struct ward_config *c, struct ward_key_out *o);
void key_show_exit_like_app(const struct ward_config *c, struct ward_key_out *o);
void key_show_seccomp_profile(const struct ward_config *c, struct ward_key_out *o);
void key_show_seccomp_allow(const struct ward_config *c, struct ward_key_out *o);
void key_show_seccomp_deny(const struct ward_config *c, struct ward_key_out *o);
void key_show_seccomp_default_action(const struct ward_config *c, struct ward_key_out *o);
void key_show_seccomp_socket_families(const struct ward_config *c, struct ward_key_out *o);
void key_show_seccomp_setid_files(const struct ward_config *c, struct ward_key_out *o);
void key_show_landlock_mode(const struct ward_config *c, struct ward_key_out *o);
void key_show_landlock_list(const struct ward_config *c, struct ward_key_out *o);
void key_show_landlock_ports(const struct ward_config *c, struct ward_key_out *o);
void key_show_policy_exceptions(const struct ward_config *c, struct ward_key_out *o);
void key_show_policy_calls(const struct ward_config *c, struct ward_key_out *o);
void key_show_policy_join_ns(const struct ward_config *c, struct ward_key_out *o);

/* docker's spellings of values (from_flag in keys.h) */
const char *flag_unlimited(const char *arg, char *buf, size_t len);         /* -1: max */
const char *flag_unlimited_or_zero(const char *arg, char *buf, size_t len); /* -1, 0: max */
const char *flag_absolute_path(const char *arg, char *buf, size_t len);     /* from the cwd */
