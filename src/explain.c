/* `ward explain`: a dry run. Prints every resolved setting with where it came from, then the
 * ordered steps `ward run` would take with this configuration. It only reads the config and
 * the caller's ids: nothing is created, so it needs no privileges. */
#include "ward/explain.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/cgroup.h"
#include "ward/entrypoint.h"
#include "ward/explain_format.h"
#include "ward/idmap.h"
#include "ward/landlock.h"
#include "ward/mount.h"
#include "ward/oci_hooks.h"
#include "ward/profile.h"
#include "ward/rlimit.h"
#include "ward/memfd_exec.h"
#include "ward/process.h"
#include "ward/seccomp.h"
#include "ward/steps.h"
#include "ward/util.h"

static const char *yes_no(bool b)
{
        return b ? "yes" : "no";
}

/* "file:line", "command line", "built-in default"; for a file without lines (a bundle's
 * config.json), with where in it: "/b/config.json: mounts[3]". */
static void format_origin(const struct ward_origin *origin, char *buf, size_t len)
{
        char where[320];

        ward_origin_format(origin, where, sizeof(where));
        if (origin && origin->file && origin->key)
                snprintf(buf, len, "%s: %s", where, origin->key);
        else
                snprintf(buf, len, "%s", where);
}

static void setting(FILE *out, const char *key, const char *value, const struct ward_origin *origin)
{
        char where[448];

        format_origin(origin, where, sizeof(where));
        fprintf(out, "%s = %s    (%s)\n", key, value, where);
}

/* ------------------------------------------------------------------------------------- */
/* Settings                                                                              */

static void print_profiles(const struct ward_config *c, FILE *out)
{
        fprintf(out, "Profiles read (in order):\n");
        if (!c->n_profiles_loaded)
                fprintf(out, "  (none: built-in defaults only)\n");
        for (size_t i = 0; i < c->n_profiles_loaded; i++)
                fprintf(out, "  %s\n", c->profiles_loaded[i]);
        fputc('\n', out);
}

static void print_namespaces(const struct ward_config *c, FILE *out)
{
        char buf[128];

        if (c->description)
                setting(out, "Profile.Description", c->description, &c->description_origin);
        config_format_unshare(c->unshare_flags, buf, sizeof(buf));
        if (c->in_place) {
                /* Hostname and id maps need namespaces: entrypoint_preflight refuses them. */
                setting(out, "Namespaces.Unshare", "none (entrypoint mode)", &c->unshare_origin);
                return;
        }
        setting(out, "Namespaces.Unshare", buf, &c->unshare_origin);
        setting(out, "Namespaces.Hostname", c->hostname ? c->hostname : "(not set)",
                &c->hostname_origin);
        if (c->id_map_fixed)
                snprintf(buf, sizeof(buf), "%" PRIu32, c->id_map_base);
        else
                snprintf(buf, sizeof(buf),
                         "as root, allocated at run time from %u + k*65536 (k < %u): the first "
                         "free range",
                         WARD_ID_MAP_BASE, WARD_ID_POOL_RANGES);
        setting(out, "Namespaces.IdMapBase", buf, &c->id_map_origin);
}

static void print_filesystem(const struct ward_config *c, FILE *out)
{
        char buf[8192];

        setting(out, "Filesystem.Root",
                c->root       ? c->root
                : c->in_place ? "/ (the container's)"
                              : "(not set: give --rootfs)",
                &c->root_origin);
        setting(out, "Filesystem.ReadOnly", c->read_only_try ? "try" : yes_no(c->read_only),
                &c->read_only_origin);
        for (size_t i = 0; i < c->n_mounts; i++) {
                explain_format_mount(&c->mounts[i], buf, sizeof(buf));
                setting(out,
                        c->mounts[i].kind == WARD_MOUNT_TMPFS    ? "Filesystem.Tmpfs"
                        : c->mounts[i].kind == WARD_MOUNT_MQUEUE ? "mounts (mqueue)"
                                                                 : "Filesystem.Bind",
                        buf, &c->mounts[i].origin);
        }
        if (c->in_place) /* the built-in masked paths are the outer runtime's then */
                return;
        for (size_t i = 0; i < c->n_masked_paths; i++)
                setting(out, "Filesystem.MaskPath", c->masked_paths[i].path,
                        &c->masked_paths[i].origin);
        for (size_t i = 0; i < c->n_readonly_paths; i++)
                setting(out, "Filesystem.ReadOnlyPath", c->readonly_paths[i].path,
                        &c->readonly_paths[i].origin);
}

static void print_user(const struct ward_config *c, FILE *out)
{
        char buf[256];
        size_t used = 0;

        snprintf(buf, sizeof(buf), "%u:%u", (unsigned)c->uid, (unsigned)c->gid);
        if (c->user_set) /* a bundle's process.user is ids, with no spec as written */
                setting(out, "Process.User", c->user_spec ? c->user_spec : buf, &c->user_origin);
        else if (c->in_place)
                setting(out, "Process.User", "(the container's)", &c->user_origin);
        else
                setting(out, "Process.User", "0:0 (the sandbox's root)", &c->user_origin);
        buf[0] = '\0';
        for (size_t i = 0; i < c->n_groups && used < sizeof(buf); i++) {
                int n = snprintf(buf + used, sizeof(buf) - used, "%s%u", i ? " " : "",
                                 (unsigned)c->groups[i]);
                if (n < 0)
                        break;
                used += (size_t)n;
        }
        if (c->n_groups)
                setting(out, "Process.SupplementaryGroups", buf, &c->groups_origin);
        setting(out, "Process.KeepGroups", yes_no(c->keep_groups), &c->keep_groups_origin);
}

static void print_process(const struct ward_config *c, FILE *out)
{
        char buf[1024];

        print_user(c, out);
        caps_format(c->caps_keep, buf, sizeof(buf));
        setting(out, "Process.Capabilities", buf, &c->caps_origin);
        setting(out, "Process.DropBoundingSet", c->bounding_try ? "try" : "yes",
                &c->bounding_origin);
        setting(out, "Process.NoNewPrivileges", yes_no(c->no_new_privs), &c->no_new_privs_origin);
        /* As the app will see them, each with the last place that set its name. */
        for (size_t i = 0; i < c->n_env; i++)
                setting(out, "Process.Environment", c->env[i], &c->env_origins[i]);
        setting(out, "Process.WorkingDirectory",
                c->in_place && !c->cwd_origin.file ? "(the container's)"
                : c->cwd                           ? c->cwd
                                                   : "/",
                &c->cwd_origin);
        snprintf(buf, sizeof(buf), "%04o", c->umask);
        setting(out, "Process.UMask", buf, &c->umask_origin);
        snprintf(buf, sizeof(buf), "%d", c->oom_score_adj);
        setting(out, "Process.OOMScoreAdjust", c->oom_score_adj_set ? buf : "(ward's own)",
                &c->oom_score_adj_origin);
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

static void print_seccomp(const struct ward_config *c, FILE *out)
{
        const struct ward_seccomp_config *sc = &c->seccomp;
        char buf[1024];

        setting(out, "Seccomp.Profile",
                !sc->enabled    ? "unconfined"
                : sc->json_path ? sc->json_path
                                : "default",
                &sc->profile_origin);
        if (sc->extra_bpf) {
                snprintf(buf, sizeof(buf), "a stacked filter of %zu instructions",
                         sc->extra_bpf_len);
                setting(out, "linux.seccomp", buf, &sc->extra_origin);
        }
        if (!sc->enabled || sc->json_path)
                return;
        join_list(sc->allow, sc->n_allow, buf, sizeof(buf));
        setting(out, "Seccomp.Allow", buf, &sc->allow_origin);
        join_list(sc->deny, sc->n_deny, buf, sizeof(buf));
        setting(out, "Seccomp.Deny", buf, &sc->deny_origin);
        setting(out, "Seccomp.DefaultAction", seccomp_action_name(sc->default_action),
                &sc->default_action_origin);
        seccomp_format_socket_families(c, true, buf, sizeof(buf));
        setting(out, "Seccomp.AllowSocketFamily", buf, &sc->socket_families_origin);
        setting(out, "Seccomp.AllowSetuidFiles", sc->allow_setid_files ? "yes" : "no",
                &sc->allow_setid_files_origin);
}

static void print_landlock_paths(FILE *out, const char *key, const struct ward_path *list, size_t n)
{
        if (!n)
                fprintf(out, "%s = (none)\n", key);
        for (size_t i = 0; i < n; i++)
                setting(out, key, list[i].path, &list[i].origin);
}

static void print_landlock(const struct ward_config *c, FILE *out)
{
        static const char *const mode[] = {"no", "yes", "try"};
        const struct ward_landlock_config *l = &c->landlock;
        char ports[512];

        setting(out, "Landlock.Landlock", mode[l->mode], &l->origin);
        if (l->mode == WARD_LANDLOCK_OFF)
                return;
        print_landlock_paths(out, "Landlock.ReadOnly", l->read_only, l->n_read_only);
        print_landlock_paths(out, "Landlock.ReadWrite", l->read_write, l->n_read_write);
        print_landlock_paths(out, "Landlock.Execute", l->execute, l->n_execute);
        landlock_format_ports(l->bind_tcp, l->n_bind_tcp, ports, sizeof(ports));
        setting(out, "Landlock.BindTCP", l->bind_tcp_any ? "any" : ports, &l->bind_tcp_origin);
        landlock_format_ports(l->connect_tcp, l->n_connect_tcp, ports, sizeof(ports));
        setting(out, "Landlock.ConnectTCP", l->connect_tcp_any ? "any" : ports,
                &l->connect_tcp_origin);
}

static bool print_cgroup_limits(const struct ward_config *c, FILE *out)
{
        char key[64], value[32];

        if (!cgroup_wanted(c))
                return false;
        for (int i = 0; i < WARD_CG_COUNT; i++) {
                const struct ward_cg_limit *l = &c->cgroup.limits[i];
                if (!l->set)
                        continue;
                snprintf(key, sizeof(key), "Resources.%s", cgroup_limit_key(i));
                cgroup_format_human(i, l->value, value, sizeof(value));
                if (i == WARD_CG_MEMORY_SWAP && c->cgroup.swap_is_total)
                        strncat(value, " (memory plus swap)", sizeof(value) - strlen(value) - 1);
                setting(out, key, value, &l->origin);
        }
        setting(out, "Resources.Resources", c->cgroup.try_only ? "try" : "yes",
                &c->cgroup.mode_origin);
        setting(out, "Resources.CgroupParent",
                c->cgroup.parent ? c->cgroup.parent : WARD_CGROUP_DEFAULT_PARENT,
                &c->cgroup.parent_origin);
        return true;
}

static void print_resources(const struct ward_config *c, FILE *out)
{
        bool any = false;

        for (int res = 0; res < WARD_RLIMIT_COUNT; res++) {
                const struct ward_rlimit *l = &c->rlimits[res];
                char key[64], soft[32], hard[32], value[80];
                if (!l->set)
                        continue;
                explain_format_rlim(res, l->soft, soft, sizeof(soft));
                explain_format_rlim(res, l->hard, hard, sizeof(hard));
                snprintf(key, sizeof(key), "Resources.Limit%s",
                         rlimit_to_name(res) ? rlimit_to_name(res) : "?");
                snprintf(value, sizeof(value), "%s:%s", soft, hard);
                setting(out, key, value, &l->origin);
                any = true;
        }
        any |= print_cgroup_limits(c, out);
        if (!any)
                fprintf(out, "Resources = (no limits set: inherited from the caller)\n");
}

static void print_success_exit_status(const struct ward_config *c, FILE *out)
{
        char buf[1024] = "(none)";
        size_t used = 0;

        for (unsigned code = 0; code < 256 && used < sizeof(buf) - 5; code++)
                if (c->init_success[code / 32] & (1u << (code % 32)))
                        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%u",
                                                 used ? " " : "", code);
        setting(out, "Init.SuccessExitStatus", buf, &c->init_success_origin);
}

static void print_network_init(const struct ward_config *c, FILE *out)
{
        char buf[32];

        setting(out, "Network.Mode",
                c->net_mode == WARD_NET_NONE ? "none"
                : c->in_place                ? "(the container's)"
                                             : "host",
                &c->net_origin);
        setting(out, "Init.Init", yes_no(c->init), &c->init_origin);
        setting(out, "Init.ProcessGroup", yes_no(c->init_group), &c->init_group_origin);
        print_success_exit_status(c, out);
        if (c->in_place) /* docker stop -t, the pod's terminationGracePeriodSeconds */
                return;
        explain_format_duration(c->stop_timeout_ms, buf, sizeof(buf));
        setting(out, "Init.StopTimeout", buf, &c->stop_timeout_origin);
}

/* A bundle's hooks, each with its place in config.json: what ward will execute on the host,
 * as root, around the sandbox. */
static void print_hook_list(const struct ward_config *c, const struct ward_oci_hook *list, size_t n,
                            FILE *out)
{
        char args[2048];

        for (size_t i = 0; i < n; i++) {
                struct ward_origin o = c->oci_hooks->origin;
                size_t used = 0;

                args[0] = '\0';
                for (size_t k = 0; list[i].argv && list[i].argv[k] && used < sizeof(args); k++) {
                        int w = snprintf(args + used, sizeof(args) - used, "%s%s", k ? " " : "",
                                         k ? list[i].argv[k] : list[i].path);
                        if (w < 0)
                                break;
                        used += (size_t)w;
                }
                o.key = list[i].name;
                setting(out, "Hook", args, &o);
        }
}

static void print_hooks(const struct ward_config *c, FILE *out)
{
        if (!c->oci_hooks)
                return;
        print_hook_list(c, c->oci_hooks->create, c->oci_hooks->n_create, out);
        print_hook_list(c, c->oci_hooks->poststop, c->oci_hooks->n_poststop, out);
}

static void print_command(const struct ward_config *c, FILE *out)
{
        char where[448];

        fprintf(out, "Command =");
        if (!c->argv || !c->argv[0]) {
                fprintf(out, " (none given)\n");
                return;
        }
        for (size_t i = 0; c->argv[i]; i++)
                fprintf(out, " %s", c->argv[i]);
        format_origin(&c->argv_origin, where, sizeof(where));
        fprintf(out, "%s%s    (%s)\n", c->tty ? "    (with a tty)" : "",
                c->interactive ? "    (stdin relayed)" : "", where);
}

int explain_print(const struct ward_config *c, FILE *out, struct ward_error *e)
{
        print_profiles(c, out);
        print_namespaces(c, out);
        print_filesystem(c, out);
        print_process(c, out);
        print_seccomp(c, out);
        print_landlock(c, out);
        print_resources(c, out);
        print_network_init(c, out);
        print_hooks(c, out);
        print_command(c, out);
        if (c->in_place)
                entrypoint_explain(out);
        steps_explain(c, out);
        if (fflush(out) == EOF || ferror(out))
                return ward_error_set(e, errno ? errno : EIO, "cannot write the explanation");
        return 0;
}
