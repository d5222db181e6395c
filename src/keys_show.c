/* How `ward explain` shows each key: the key table's show column (keys.h). One line per
 * value, "Section.Key = value    (origin)"; a key shows nothing where it does not apply
 * (the lists of a seccomp profile that is not ward's own, a hostname in entrypoint mode). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "key_values.h"
#include "ward/caps.h"
#include "ward/cgroup.h"
#include "ward/explain_format.h"
#include "ward/idmap.h"
#include "ward/landlock.h"
#include "ward/oci_norm.h"
#include "ward/rlimit.h"
#include "ward/seccomp.h"
#include "ward/util.h"

void key_show(struct ward_key_out *o, const char *value, const struct ward_origin *origin)
{
        char key[96];

        snprintf(key, sizeof(key), "%s.%s", o->row->section, o->row->key);
        explain_format_setting(o->out, key, value, origin);
}

static const char *yes_no(bool b)
{
        return b ? "yes" : "no";
}

/* An origin that a profile, a flag or a bundle set: a key left at its built-in default has
 * none, and some keys show only when set. */
static bool was_set(const struct ward_origin *o)
{
        return o->file != NULL;
}

static void join_list(char *const *list, size_t n, char *buf, size_t len)
{
        size_t used = 0;

        snprintf(buf, len, "(none)");
        for (size_t i = 0; i < n && used < len; i++) {
                int w = snprintf(buf + used, len - used, "%s%s", i ? " " : "", list[i]);
                if (w < 0)
                        break;
                used += (size_t)w;
        }
}

static void show_paths(struct ward_key_out *o, const struct ward_path *list, size_t n)
{
        if (!n)
                key_show(o, "(none)", NULL);
        for (size_t i = 0; i < n; i++)
                key_show(o, list[i].path, &list[i].origin);
}

/* ------------------------------------------------------------------------------------- */
/* [Profile] [Namespaces]                                                                */

void key_show_description(const struct ward_config *c, struct ward_key_out *o)
{
        if (c->description)
                key_show(o, c->description, &c->description_origin);
}

void key_show_unshare(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[128];

        config_format_unshare(c->unshare_flags, buf, sizeof(buf));
        key_show(o, c->in_place ? "none (entrypoint mode)" : buf, &c->unshare_origin);
}

/* Hostname and id maps need namespaces: entrypoint_preflight refuses them in place. */
void key_show_hostname(const struct ward_config *c, struct ward_key_out *o)
{
        if (!c->in_place)
                key_show(o, c->hostname ? c->hostname : "(not set)", &c->hostname_origin);
}

void key_show_id_map_base(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[160];

        if (c->in_place)
                return;
        if (c->id_map_fixed)
                snprintf(buf, sizeof(buf), "%" PRIu32, c->id_map_base);
        else
                snprintf(buf, sizeof(buf),
                         "as root, allocated at run time from %u + k*65536 (k < %u): the first "
                         "free range",
                         WARD_ID_MAP_BASE, WARD_ID_POOL_RANGES);
        key_show(o, buf, &c->id_map_origin);
}

/* ------------------------------------------------------------------------------------- */
/* [Filesystem]                                                                          */

void key_show_root(const struct ward_config *c, struct ward_key_out *o)
{
        key_show(o,
                 c->root       ? c->root
                 : c->in_place ? "/ (the container's)"
                               : "(not set: give --rootfs)",
                 &c->root_origin);
}

void key_show_read_only(const struct ward_config *c, struct ward_key_out *o)
{
        key_show(o, c->read_only_try ? "try" : yes_no(c->read_only), &c->read_only_origin);
}

/* Mounts are made in the order given, whatever their kind: Tmpfs= shows them all, each
 * under its own key, so that the order is the one ward follows (Bind= shows nothing). */
void key_show_mounts(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[8192];

        for (size_t i = 0; i < c->n_mounts; i++) {
                const struct ward_mount *m = &c->mounts[i];
                explain_format_mount(m, buf, sizeof(buf));
                explain_format_setting(o->out,
                                       m->kind == WARD_MOUNT_TMPFS    ? "Filesystem.Tmpfs"
                                       : m->kind == WARD_MOUNT_MQUEUE ? "mounts (mqueue)"
                                                                      : "Filesystem.Bind",
                                       buf, &m->origin);
        }
}

/* In place, the masked paths are the outer runtime's. */
void key_show_mask_path(const struct ward_config *c, struct ward_key_out *o)
{
        for (size_t i = 0; !c->in_place && i < c->n_masked_paths; i++)
                key_show(o, c->masked_paths[i].path, &c->masked_paths[i].origin);
}

void key_show_readonly_path(const struct ward_config *c, struct ward_key_out *o)
{
        for (size_t i = 0; !c->in_place && i < c->n_readonly_paths; i++)
                key_show(o, c->readonly_paths[i].path, &c->readonly_paths[i].origin);
}

/* ------------------------------------------------------------------------------------- */
/* [Process]                                                                             */

void key_show_user(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[64];

        snprintf(buf, sizeof(buf), "%u:%u", (unsigned)c->uid, (unsigned)c->gid);
        if (c->user_set) /* a bundle's process.user is ids, with no spec as written */
                key_show(o, c->user_spec ? c->user_spec : buf, &c->user_origin);
        else
                key_show(o, c->in_place ? "(the container's)" : "0:0 (the sandbox's root)",
                         &c->user_origin);
}

void key_show_groups(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[256];

        explain_format_groups(c, " ", buf, sizeof(buf));
        if (c->n_groups)
                key_show(o, buf, &c->groups_origin);
}

void key_show_keep_groups(const struct ward_config *c, struct ward_key_out *o)
{
        key_show(o, yes_no(c->keep_groups), &c->keep_groups_origin);
}

void key_show_capabilities(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[1024];

        caps_format(c->caps_keep, buf, sizeof(buf));
        key_show(o, buf, &c->caps_origin);
}

void key_show_drop_bounding_set(const struct ward_config *c, struct ward_key_out *o)
{
        key_show(o, c->bounding_try ? "try" : "yes", &c->bounding_origin);
}

void key_show_no_new_privs(const struct ward_config *c, struct ward_key_out *o)
{
        key_show(o, yes_no(c->no_new_privs), &c->no_new_privs_origin);
}

/* As the app will see it, each with the last place that set its name (PassEnvironment=
 * shows here too). */
void key_show_environment(const struct ward_config *c, struct ward_key_out *o)
{
        for (size_t i = 0; i < c->n_env; i++)
                key_show(o, c->env[i], &c->env_origins[i]);
}

void key_show_working_directory(const struct ward_config *c, struct ward_key_out *o)
{
        key_show(o,
                 c->in_place && !was_set(&c->cwd_origin) ? "(the container's)"
                 : c->cwd                                ? c->cwd
                                                         : "/",
                 &c->cwd_origin);
}

void key_show_umask(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[16];

        snprintf(buf, sizeof(buf), "%04o", c->umask);
        key_show(o, buf, &c->umask_origin);
}

void key_show_oom_score_adjust(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[16];

        snprintf(buf, sizeof(buf), "%d", c->oom_score_adj);
        key_show(o, c->oom_score_adj_set ? buf : "(ward's own)", &c->oom_score_adj_origin);
}

void key_show_memfd_exec(const struct ward_config *c, struct ward_key_out *o)
{
        key_show(o,
                 c->memfd_exec == WARD_MEMFD_EXEC_NO    ? "no"
                 : c->memfd_exec == WARD_MEMFD_EXEC_YES ? "yes"
                                                        : "try",
                 &c->memfd_exec_origin);
}

/* ------------------------------------------------------------------------------------- */
/* [Resources]                                                                           */

static bool any_limit(const struct ward_config *c)
{
        for (int res = 0; res < WARD_RLIMIT_COUNT; res++)
                if (c->rlimits[res].set)
                        return true;
        return cgroup_wanted(c);
}

/* Resources= and CgroupParent= matter once a cgroup limit is asked for, or when set. */
void key_show_resources_mode(const struct ward_config *c, struct ward_key_out *o)
{
        if (!any_limit(c) && !was_set(&c->cgroup.mode_origin))
                fprintf(o->out, "Resources = (no limits set: inherited from the caller)\n");
        else if (cgroup_wanted(c) || was_set(&c->cgroup.mode_origin))
                key_show(o, c->cgroup.try_only ? "try" : "yes", &c->cgroup.mode_origin);
}

void key_show_cgroup_limit(const struct ward_config *c, struct ward_key_out *o)
{
        int id = cgroup_limit_from_key(o->row->key);
        const struct ward_cg_limit *l = id < 0 ? NULL : &c->cgroup.limits[id];
        char value[64];

        if (!l || !l->set)
                return;
        cgroup_format_human(id, l->value, value, sizeof(value));
        if (id == WARD_CG_MEMORY_SWAP && c->cgroup.swap_is_total)
                strncat(value, " (memory plus swap)", sizeof(value) - strlen(value) - 1);
        key_show(o, value, &l->origin);
}

void key_show_cgroup_parent(const struct ward_config *c, struct ward_key_out *o)
{
        if (cgroup_wanted(c) || was_set(&c->cgroup.parent_origin))
                key_show(o, c->cgroup.parent ? c->cgroup.parent : WARD_CGROUP_DEFAULT_PARENT,
                         &c->cgroup.parent_origin);
}

void key_show_rlimit(const struct ward_config *c, struct ward_key_out *o)
{
        const struct ward_rlimit *l = &c->rlimits[o->row->arg];
        char soft[32], hard[32], value[80];

        if (!l->set)
                return;
        explain_format_rlim(o->row->arg, l->soft, soft, sizeof(soft));
        explain_format_rlim(o->row->arg, l->hard, hard, sizeof(hard));
        snprintf(value, sizeof(value), "%s:%s", soft, hard);
        key_show(o, value, &l->origin);
}

/* ------------------------------------------------------------------------------------- */
/* [Network] [Init]                                                                      */

void key_show_net_mode(const struct ward_config *c, struct ward_key_out *o)
{
        key_show(o,
                 c->net_mode == WARD_NET_NONE ? "none"
                 : c->in_place                ? "(the container's)"
                                              : "host",
                 &c->net_origin);
}

void key_show_init(const struct ward_config *c, struct ward_key_out *o)
{
        key_show(o, yes_no(c->init), &c->init_origin);
}

/* In place, the stop timeout is docker stop -t's or the pod's grace period. */
void key_show_stop_timeout(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[32];

        if (c->in_place)
                return;
        explain_format_duration(c->stop_timeout_ms, buf, sizeof(buf));
        key_show(o, buf, &c->stop_timeout_origin);
}

void key_show_process_group(const struct ward_config *c, struct ward_key_out *o)
{
        key_show(o, yes_no(c->init_group), &c->init_group_origin);
}

void key_show_exit_like_app(const struct ward_config *c, struct ward_key_out *o)
{
        key_show(o,
                 c->exit_like_app == WARD_EXIT_LIKE_APP_YES  ? "yes"
                 : c->exit_like_app == WARD_EXIT_LIKE_APP_NO ? "no"
                                                             : "auto",
                 &c->exit_like_app_origin);
}

void key_show_success_exit_status(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[1024] = "(none)";
        size_t used = 0;

        for (unsigned code = 0; code < 256 && used < sizeof(buf) - 5; code++)
                if (c->init_success[code / 32] & (1u << (code % 32)))
                        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%u",
                                                 used ? " " : "", code);
        key_show(o, buf, &c->init_success_origin);
}

/* ------------------------------------------------------------------------------------- */
/* [Seccomp]                                                                             */

void key_show_seccomp_profile(const struct ward_config *c, struct ward_key_out *o)
{
        const struct ward_seccomp_config *sc = &c->seccomp;
        char buf[96];

        key_show(o,
                 !sc->enabled    ? "unconfined"
                 : sc->json_path ? sc->json_path
                                 : "default",
                 &sc->profile_origin);
        if (sc->extra_bpf) {
                snprintf(buf, sizeof(buf), "a stacked filter of %zu instructions",
                         sc->extra_bpf_len);
                explain_format_setting(o->out, "linux.seccomp", buf, &sc->extra_origin);
        }
}

/* The lists and actions adjust ward's own filter only. */
static bool own_filter(const struct ward_config *c)
{
        return c->seccomp.enabled && !c->seccomp.json_path;
}

void key_show_seccomp_allow(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[1024];

        join_list(c->seccomp.allow, c->seccomp.n_allow, buf, sizeof(buf));
        if (own_filter(c))
                key_show(o, buf, &c->seccomp.allow_origin);
}

void key_show_seccomp_deny(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[1024];

        join_list(c->seccomp.deny, c->seccomp.n_deny, buf, sizeof(buf));
        if (own_filter(c))
                key_show(o, buf, &c->seccomp.deny_origin);
}

void key_show_seccomp_default_action(const struct ward_config *c, struct ward_key_out *o)
{
        if (own_filter(c))
                key_show(o, seccomp_action_name(c->seccomp.default_action),
                         &c->seccomp.default_action_origin);
}

void key_show_seccomp_socket_families(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[1024];

        seccomp_format_socket_families(c, true, buf, sizeof(buf));
        if (own_filter(c))
                key_show(o, buf, &c->seccomp.socket_families_origin);
}

void key_show_seccomp_setid_files(const struct ward_config *c, struct ward_key_out *o)
{
        if (own_filter(c))
                key_show(o, yes_no(c->seccomp.allow_setid_files),
                         &c->seccomp.allow_setid_files_origin);
}

/* ------------------------------------------------------------------------------------- */
/* [Landlock]: the lists show only when Landlock is on                                    */

void key_show_landlock_mode(const struct ward_config *c, struct ward_key_out *o)
{
        static const char *const mode[] = {"no", "yes", "try"};

        key_show(o, mode[c->landlock.mode], &c->landlock.origin);
}

void key_show_landlock_list(const struct ward_config *c, struct ward_key_out *o)
{
        const struct ward_landlock_config *l = &c->landlock;
        const char *key = o->row->key;

        if (l->mode == WARD_LANDLOCK_OFF)
                return;
        if (strcmp(key, "ReadOnly") == 0)
                show_paths(o, l->read_only, l->n_read_only);
        else if (strcmp(key, "ReadWrite") == 0)
                show_paths(o, l->read_write, l->n_read_write);
        else
                show_paths(o, l->execute, l->n_execute);
}

void key_show_landlock_ports(const struct ward_config *c, struct ward_key_out *o)
{
        const struct ward_landlock_config *l = &c->landlock;
        bool bind = strcmp(o->row->key, "BindTCP") == 0;
        char ports[512];

        if (l->mode == WARD_LANDLOCK_OFF)
                return;
        landlock_format_ports(bind ? l->bind_tcp : l->connect_tcp,
                              bind ? l->n_bind_tcp : l->n_connect_tcp, ports, sizeof(ports));
        key_show(o, (bind ? l->bind_tcp_any : l->connect_tcp_any) ? "any" : ports,
                 bind ? &l->bind_tcp_origin : &l->connect_tcp_origin);
}

/* ------------------------------------------------------------------------------------- */
/* [Policy]: read by `ward hook --policy` only; shown when a profile sets them            */

void key_show_policy_exceptions(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[1024];

        join_list(c->policy_exceptions, c->n_policy_exceptions, buf, sizeof(buf));
        if (was_set(&c->policy_exceptions_origin))
                key_show(o, buf, &c->policy_exceptions_origin);
}

void key_show_policy_calls(const struct ward_config *c, struct ward_key_out *o)
{
        size_t n, used = 0;
        const struct oci_call *calls = oci_dangerous_calls(&n);
        char buf[1024] = "(none)";

        for (size_t i = 0; i < n && i < 64 && used < sizeof(buf); i++)
                if (c->policy_calls & (UINT64_C(1) << i)) {
                        int w = snprintf(buf + used, sizeof(buf) - used, "%s%s", used ? " " : "",
                                         calls[i].name);
                        if (w < 0)
                                break;
                        used += (size_t)w;
                }
        if (was_set(&c->policy_calls_origin))
                key_show(o, buf, &c->policy_calls_origin);
}

void key_show_policy_join_ns(const struct ward_config *c, struct ward_key_out *o)
{
        char buf[128];

        config_format_unshare(c->policy_join_ns, buf, sizeof(buf));
        if (was_set(&c->policy_join_ns_origin))
                key_show(o, buf[0] ? buf : "(none)", &c->policy_join_ns_origin);
}
