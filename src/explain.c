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
#include "ward/idmap.h"
#include "ward/landlock.h"
#include "ward/mount.h"
#include "ward/oci_hooks.h"
#include "ward/profile.h"
#include "ward/rlimit.h"
#include "ward/memfd_exec.h"
#include "ward/process.h"
#include "ward/seccomp.h"
#include "ward/seccomp_json.h"
#include "ward/util.h"

#define TMPFS_DEFAULT_SIZE (64ull << 20)

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

/* "64M" when it divides evenly, else bytes: the way a profile would write it. */
static void format_size(uint64_t bytes, char *buf, size_t len)
{
        static const char units[] = "KMGT";
        int unit = -1;

        while (unit < 3 && bytes && bytes % 1024 == 0) {
                bytes /= 1024;
                unit++;
        }
        if (unit < 0)
                snprintf(buf, len, "%" PRIu64, bytes);
        else
                snprintf(buf, len, "%" PRIu64 "%c", bytes, units[unit]);
}

static void format_duration(uint64_t ms, char *buf, size_t len)
{
        if (ms % 1000 == 0)
                snprintf(buf, len, "%" PRIu64 "s", ms / 1000);
        else
                snprintf(buf, len, "%" PRIu64 "ms", ms);
}

static bool rlimit_counts_bytes(int res)
{
        return res == RLIMIT_FSIZE || res == RLIMIT_DATA || res == RLIMIT_STACK ||
               res == RLIMIT_CORE || res == RLIMIT_RSS || res == RLIMIT_AS ||
               res == RLIMIT_MEMLOCK || res == RLIMIT_MSGQUEUE;
}

/* As a profile would write it: "infinity", "64M" for byte limits, else the number. */
static void format_rlim(int res, rlim_t v, char *buf, size_t len)
{
        if (v == RLIM_INFINITY)
                snprintf(buf, len, "infinity");
        else if (rlimit_counts_bytes(res))
                format_size(v, buf, len);
        else
                snprintf(buf, len, "%llu", (unsigned long long)v);
}

static void format_tmpfs(const struct ward_mount *m, char *buf, size_t len)
{
        char size[32];

        format_size(m->size_bytes ? m->size_bytes : TMPFS_DEFAULT_SIZE, size, sizeof(size));
        snprintf(buf, len, "%s size=%s mode=%04o %s%s", m->target, size, m->mode,
                 m->exec ? "exec" : "noexec", m->optional ? " optional" : "");
}

static void format_mount(const struct ward_mount *m, char *buf, size_t len)
{
        if (m->kind == WARD_MOUNT_TMPFS)
                format_tmpfs(m, buf, len);
        else if (m->kind == WARD_MOUNT_MQUEUE)
                snprintf(buf, len, "%s", m->target);
        else
                snprintf(buf, len, "%s %s %s", m->source, m->target, m->writable ? "rw" : "ro");
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
                format_mount(&c->mounts[i], buf, sizeof(buf));
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
                format_rlim(res, l->soft, soft, sizeof(soft));
                format_rlim(res, l->hard, hard, sizeof(hard));
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
        format_duration(c->stop_timeout_ms, buf, sizeof(buf));
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

/* ------------------------------------------------------------------------------------- */
/* Steps                                                                                 */

struct steps {
        FILE *out;
        unsigned n;
};

__attribute__((format(printf, 2, 3))) static void step(struct steps *s, const char *fmt, ...)
{
        va_list ap;

        fprintf(s->out, "%3u. ", ++s->n);
        va_start(ap, fmt);
        vfprintf(s->out, fmt, ap);
        va_end(ap);
        fputc('\n', s->out);
}

/* True when ward run would create a cgroup. Reads /sys/fs/cgroup, never writes it. */
static bool step_cgroup(const struct ward_config *c, struct steps *s)
{
        char missing[64], why[400], files[512] = "", value[32];
        /* A systemd unit with Delegate=yes (cgroup_detect_delegation) gets its payload/. */
        bool payload = c->cgroup.delegated && !c->cgroup.parent;
        const char *parent = c->cgroup.parent      ? c->cgroup.parent
                             : c->cgroup.delegated ? c->cgroup.delegated
                                                   : WARD_CGROUP_DEFAULT_PARENT;

        if (!cgroup_wanted(c) && !payload)
                return false;
        if (cgroup_check(c, missing, sizeof(missing), why, sizeof(why)) < 0) {
                if (c->cgroup.try_only)
                        step(s,
                             "Resources=try: cgroup v2 controllers %s are not available: %s; "
                             "the app would run WITHOUT the cgroup limits",
                             missing, why);
                else
                        step(s, "refuse: cgroup v2 controllers %s are not available: %s", missing,
                             why);
                return false;
        }
        for (int i = 0; i < WARD_CG_COUNT; i++) {
                if (!c->cgroup.limits[i].set)
                        continue;
                cgroup_format_file(i, c->cgroup.limits[i].value, value, sizeof(value));
                snprintf(files + strlen(files), sizeof(files) - strlen(files), " %s=\"%s\"",
                         cgroup_limit_file(i), value);
        }
        if (payload)
                step(s,
                     "monitor: in a systemd unit with Delegate=yes: move the unit's processes "
                     "to %s%s/supervisor",
                     WARD_CGROUP_ROOT, parent);
        step(s, "monitor: create the cgroup %s%s/%s, write%s", WARD_CGROUP_ROOT, parent,
             payload ? "payload" : "ward-<pid>", files[0] ? files : " no limits");
        return true;
}

static void steps_monitor(const struct ward_config *c, struct steps *s)
{
        char ns[128];

        step(s, "monitor: check the configuration (root directory, bind sources, user); "
                "refuse before creating anything");
        if (c->root && !c->in_place)
                step(s,
                     "monitor: open the root %s once, walking from / with every directory "
                     "above it checked (root's or yours, writable by no one else unless "
                     "sticky and root's); everything after uses that fd, never the name",
                     c->root);
        if (c->user_spec && c->user_spec[strspn(c->user_spec, "0123456789:")] && !c->in_place)
                step(s, "monitor: look the user up in the image's /etc/passwd and /etc/group, "
                        "opened beneath the root fd, not followed, and only if each is a "
                        "regular file of at most 8 MiB (a device or FIFO is never opened)");
        if (c->init)
                step(s, "monitor: copy ward-init into a sealed memfd, so the sandbox can "
                        "neither reach nor overwrite the host's binary");
        config_format_unshare(c->unshare_flags, ns, sizeof(ns));
        if (step_cgroup(c, s))
                step(s, "clone3 with CLONE_PIDFD and CLONE_INTO_CGROUP into new namespaces: %s",
                     ns);
        else
                step(s, "clone3 with CLONE_PIDFD into new namespaces: %s", ns);
}

/* User= given as numbers is final; a name is resolved in the image only by ward run. */
static bool user_is_numeric(const struct ward_config *c)
{
        if (!c->user_set || !c->user_spec)
                return true;
        for (const char *p = c->user_spec; *p; p++)
                if (!isdigit((unsigned char)*p) && *p != ':')
                        return false;
        return true;
}

static void format_user(const struct ward_config *c, char *buf, size_t len)
{
        if (user_is_numeric(c))
                snprintf(buf, len, "%u:%u", (unsigned)c->uid, (unsigned)c->gid);
        else
                snprintf(buf, len, "%s (looked up in the image's /etc/passwd)", c->user_spec);
}

static void step_id_maps(const struct ward_config *c, struct steps *s)
{
        char user[256];

        if (!(c->unshare_flags & CLONE_NEWUSER)) {
                step(s, "no user namespace: the sandbox's ids are the host's");
                return;
        }
        if (geteuid() == 0 && c->id_map_fixed) {
                step(s,
                     "monitor writes the uid/gid maps (as root): 0..65535 -> %" PRIu32 "..%" PRIu64
                     " on the host (IdMapBase=, fixed: shared with every sandbox that sets it), "
                     "never 0 -> 0",
                     c->id_map_base, (uint64_t)c->id_map_base + WARD_ID_MAP_RANGE - 1);
                return;
        }
        if (geteuid() == 0) {
                step(s,
                     "monitor leases the first free host id range of its own (allocated at run "
                     "time from %u + k*65536, k < %u; an flock in %s held until ward exits, "
                     "even if killed) and writes the uid/gid maps (as root): 0..65535 -> "
                     "%u..%u on the host when no other sandbox holds that range, never 0 -> 0",
                     WARD_ID_MAP_BASE, WARD_ID_POOL_RANGES, WARD_ID_POOL_DIR, WARD_ID_MAP_BASE,
                     WARD_ID_MAP_BASE + WARD_ID_MAP_RANGE - 1);
                return;
        }
        format_user(c, user, sizeof(user));
        step(s,
             "monitor writes the uid/gid maps (as non-root): %s -> your uid %u / gid %u "
             "(one id each); setgroups denied",
             user, (unsigned)geteuid(), (unsigned)getegid());
}

/* Rootless, setgroups is denied: the caller's own groups are what the sandbox holds. */
static bool step_rootless_groups(const struct ward_config *c, struct steps *s)
{
        char groups[256];
        int n;

        if (geteuid() == 0 || !(c->unshare_flags & CLONE_NEWUSER))
                return false;
        n = process_caller_groups(groups, sizeof(groups));
        if (n == 0)
                step(s, "setup: setgroups not possible (denied in an unprivileged user "
                        "namespace): you have no supplementary groups, so none are held");
        else if (c->keep_groups)
                step(s,
                     "setup: setgroups not possible (denied in an unprivileged user namespace): "
                     "YOUR SUPPLEMENTARY GROUPS %s (host gids) STAY (Process.KeepGroups=yes): "
                     "files those groups may read or write are the sandbox's to read or write",
                     n < 0 ? "(unreadable)" : groups);
        else
                step(s,
                     "setup: setgroups not possible (denied in an unprivileged user namespace): "
                     "your supplementary groups %s would stay, so the start is refused "
                     "(Process.KeepGroups=no)",
                     n < 0 ? "(unreadable)" : groups);
        return true;
}

static void steps_namespaces(const struct ward_config *c, struct steps *s)
{
        char memfd[1024];

        step_id_maps(c, s);
        if (c->oci_hooks && c->oci_hooks->n_create)
                step(s,
                     "monitor: run the bundle's %zu prestart/createRuntime hook(s) on the host, "
                     "in order, the state on stdin; one that fails or times out stops the start "
                     "(exit 125)",
                     c->oci_hooks->n_create);
        memfd_exec_describe(c, memfd, sizeof(memfd));
        step(s, "%s", memfd);
        if ((c->unshare_flags & CLONE_NEWUTS) && c->hostname)
                step(s, "setup: sethostname(\"%s\")", c->hostname);
        if (c->unshare_flags & CLONE_NEWNET)
                step(s, "setup: bring lo up in the new network namespace (Network.Mode=none)");
        else
                step(s, "setup: keep the host's network (Network.Mode=host)");
}

static void join_paths(const struct ward_path *list, size_t n, char *buf, size_t len)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < n && used < len; i++) {
                int w = snprintf(buf + used, len - used, "%s%s", i ? " " : "", list[i].path);
                if (w < 0)
                        break;
                used += (size_t)w;
        }
}

static void step_mount(const struct ward_config *c, const struct ward_mount *m, struct steps *s)
{
        char buf[8192];
        int absent = mount_optional_absent(c, m);

        format_mount(m, buf, sizeof(buf));
        if (absent > 0)
                step(s, "setup: tmpfs %s: skipped: %s does not exist in the image", buf, m->target);
        else
                step(s, "setup: %s %s (nosuid, nodev%s)",
                     m->kind == WARD_MOUNT_TMPFS    ? "tmpfs"
                     : m->kind == WARD_MOUNT_MQUEUE ? "mqueue"
                                                    : "bind",
                     buf, absent < 0 ? "; skipped if the image has no such path" : "");
}

static void steps_mounts(const struct ward_config *c, struct steps *s)
{
        char buf[8192];

        step(s, "setup: make every mount private, so nothing propagates back to the host");
        step(s, "setup: bind the root %s %s, nosuid, nodev", c->root ? c->root : "(not set)",
             c->read_only ? "read-only" : "read-WRITE");
        step(s, "setup: mount a new /proc (%s)",
             c->unshare_flags & CLONE_NEWPID ? "of the new pid namespace"
                                             : "no pid namespace: the host's processes show");
        step(s, "setup: /dev: a minimal tmpfs (null zero full random urandom tty), a private "
                "devpts, /dev/shm");
        step(s, "setup: /sys read-only");
        for (size_t i = 0; i < c->n_mounts; i++)
                step_mount(c, &c->mounts[i], s);
        if (c->n_masked_paths) {
                join_paths(c->masked_paths, c->n_masked_paths, buf, sizeof(buf));
                step(s,
                     "setup: mask (files: /dev/null, directories: an empty read-only tmpfs):"
                     " %s",
                     buf);
        }
        if (c->n_readonly_paths) {
                join_paths(c->readonly_paths, c->n_readonly_paths, buf, sizeof(buf));
                step(s, "setup: make read-only: %s", buf);
        }
        step(s, "setup: pivot_root into the new root and detach the old one");
}

/* What the app's fds 0-2 are (tty.h): never the caller's terminal. */
static void step_stdio(const struct ward_config *c, struct steps *s)
{
        if (c->tty)
                step(s,
                     "setup: fds 0-2 and controlling terminal: a pty of the sandbox's own "
                     "devpts; the monitor copies its output to ward's stdout%s",
                     c->interactive ? " and ward's stdin to it (a terminal in raw mode for the run)"
                                    : "");
        else
                step(s,
                     "setup: stdin %s; stdout and stderr ward's own, except a terminal: "
                     "the app gets a pipe the monitor copies to it",
                     c->interactive ? "ward's own, except a terminal: a pipe the monitor fills "
                                      "from it"
                                    : "/dev/null");
}

static void step_rlimits(const struct ward_config *c, struct steps *s)
{
        char buf[1024], soft[32], hard[32];
        size_t used = 0;

        buf[0] = '\0';
        for (int res = 0; res < WARD_RLIMIT_COUNT && used < sizeof(buf); res++) {
                const struct ward_rlimit *l = &c->rlimits[res];
                int n;
                if (!l->set)
                        continue;
                format_rlim(res, l->soft, soft, sizeof(soft));
                format_rlim(res, l->hard, hard, sizeof(hard));
                n = snprintf(buf + used, sizeof(buf) - used, " %s=%s:%s",
                             rlimit_to_name(res) ? rlimit_to_name(res) : "?", soft, hard);
                if (n < 0)
                        break;
                used += (size_t)n;
        }
        if (used)
                step(s, "setup: setrlimit%s", buf);
        else
                step(s, "setup: no rlimits set: the caller's limits are inherited");
}

static void step_creds(const struct ward_config *c, struct steps *s)
{
        char user[256], groups[256];
        size_t used = 0;

        format_user(c, user, sizeof(user));
        if (step_rootless_groups(c, s)) {
                step(s, "setup: setresgid, setresuid to %s", user);
                return;
        }
        snprintf(groups, sizeof(groups), "cleared");
        for (size_t i = 0; i < c->n_groups && used < sizeof(groups); i++) {
                int n = snprintf(groups + used, sizeof(groups) - used, "%s%u", i ? "," : "",
                                 (unsigned)c->groups[i]);
                if (n < 0)
                        break;
                used += (size_t)n;
        }
        step(s, "setup: setgroups (%s), setresgid, setresuid to %s", groups, user);
}

static void step_caps(const struct ward_config *c, struct steps *s)
{
        char caps[1024];
        bool root_user = user_is_numeric(c) && c->uid == 0;

        caps_format(c->caps_keep, caps, sizeof(caps));
        step(s,
             "setup: capabilities: bounding set reduced to %s; effective, permitted and "
             "inheritable = %s; ambient = %s",
             caps, caps, root_user || !c->caps_keep ? "(none)" : caps);
}

static void step_landlock(const struct ward_config *c, struct steps *s)
{
        char buf[1024];

        landlock_describe(c, c->landlock.mode == WARD_LANDLOCK_OFF ? 0 : landlock_abi(), buf,
                          sizeof(buf));
        step(s, "%s", buf);
}

static void steps_process(const struct ward_config *c, struct steps *s)
{
        step_rlimits(c, s);
        step(s, "setup: umask %04o, chdir %s", c->umask, c->cwd ? c->cwd : "/");
        step_creds(c, s);
        step_caps(c, s);
        if (c->no_new_privs)
                step(s, "setup: set no_new_privs (no privilege gain through setuid or file caps)");
        else
                step(s, "setup: no_new_privs NOT set (NoNewPrivileges=no)");
        step_landlock(c, s);
        step(s, "setup: close every fd above 2 on exec");
}

static void step_seccomp_json(const struct ward_config *c, struct steps *s)
{
        struct ward_error e;
        char skipped[512];
        size_t n = 0;

        if (seccomp_json_compile(c->seccomp.json_path, c->caps_keep, &c->seccomp.profile_origin,
                                 NULL, &n, &e) < 0 ||
            seccomp_json_skipped_names(c->seccomp.json_path, c->caps_keep,
                                       &c->seccomp.profile_origin, skipped, sizeof(skipped),
                                       &e) < 0) {
                step(s, "setup: seccomp filter: cannot be built: %s", e.msg);
                return;
        }
        step(s,
             "setup: load the seccomp filter from %s (%zu rules; i386/x32 calls kill), "
             "last, after no_new_privs; ward's socket family and protocol rules do not apply",
             c->seccomp.json_path, n);
        if (seccomp_socket_tcp_only(c))
                step(s, "setup: Landlock confines TCP, and ward adds nothing to a JSON profile: "
                        "it must refuse MPTCP and SCTP sockets itself, or ward run refuses it "
                        "(exit 125)");
        if (skipped[0])
                step(s,
                     "setup: seccomp: skipped names libseccomp does not know (in rules that "
                     "allow, or refuse what the default action refuses anyway): %s",
                     skipped);
}

/* socket()'s checks in ward's own filter (plan.verdict[socket] is WARD_SC_ALLOW_SOCKET). */
static void step_seccomp_sockets(const struct ward_config *c, const struct ward_seccomp_plan *plan,
                                 struct steps *s)
{
        char refused[256], allowed[256];

        seccomp_format_socket_families(c, false, refused, sizeof(refused));
        seccomp_format_socket_families(c, true, allowed, sizeof(allowed));
        step(s,
             "setup: seccomp: socket() of the families %s refused (EAFNOSUPPORT); let through "
             "by AllowSocketFamily=: %s",
             refused, allowed);
        if (plan->socket_tcp_only)
                step(s, "setup: seccomp: Landlock confines TCP only, so AF_INET/AF_INET6 sockets "
                        "are TCP streams or datagrams (UDP, ping); MPTCP, SCTP, raw and every "
                        "other protocol refused (EPROTONOSUPPORT)");
}

/* Why: host id ranges are reused, so such a file would carry a later sandbox's ids. */
static void step_seccomp_setid(const struct ward_seccomp_plan *plan, struct steps *s)
{
        static const char *const refusal[] = {"EPERM", "kill the process", "log and allow"};

        if (plan->refuse_setid_modes)
                step(
                    s,
                    "setup: seccomp: chmod, fchmod(at)(2), mknod(at), creat, open(at) with "
                    "S_ISUID or S_ISGID in the mode refused (%s), openat2 ENOSYS: no setuid/setgid "
                    "file for a later holder of the host id range (AllowSetuidFiles=yes lets them)",
                    refusal[plan->action % 3]);
        else
                step(s,
                     "setup: seccomp: setuid/setgid files may be created (AllowSetuidFiles=yes): "
                     "one left in a rw bind gives the host ids of whichever sandbox later "
                     "holds this range");
}

static void step_seccomp(const struct ward_config *c, struct steps *s)
{
        static const char *const refusal[] = {"EPERM", "kill the process", "log and allow"};
        struct ward_seccomp_plan plan;
        _cleanup_free_ void *bpf = NULL;
        struct ward_error e;
        size_t len = 0;

        if (c->seccomp.extra_bpf)
                step(s, "setup: load the bundle's linux.seccomp filter (%zu instructions)%s",
                     c->seccomp.extra_bpf_len,
                     c->seccomp.enabled ? ", then stack ward's on it" : "");
        if (!c->seccomp.enabled) {
                step(s, "setup: no %sseccomp filter (Seccomp.Profile=unconfined)",
                     c->seccomp.extra_bpf ? "other " : "");
                if (seccomp_socket_tcp_only(c))
                        step(s, "setup: WARNING: no seccomp filter, so MPTCP, SCTP and raw "
                                "sockets are NOT refused, and Landlock's TCP rules do not see "
                                "them");
                return;
        }
        if (c->seccomp.json_path) {
                step_seccomp_json(c, s);
                return;
        }
        if (seccomp_plan_build(c, &plan, &e) < 0 || seccomp_plan_bpf(&plan, &bpf, &len, &e) < 0) {
                step(s, "setup: seccomp filter: cannot be built: %s", e.msg);
                return;
        }
        step(s,
             "setup: load the seccomp filter (%zu rules, default action %s: %s, ENOSYS for "
             "syscalls newer than the allowlist; i386/x32 calls kill; %zu BPF instructions), "
             "last, after no_new_privs",
             plan.n_rules, seccomp_action_name(plan.action), refusal[plan.action % 3], len);
        step_seccomp_sockets(c, &plan, s);
        step_seccomp_setid(&plan, s);
}

static void step_exec(const struct ward_config *c, struct steps *s)
{
        char cmd[1024];
        size_t used = 0;

        snprintf(cmd, sizeof(cmd), "COMMAND");
        for (size_t i = 0; c->argv && c->argv[i] && used < sizeof(cmd); i++) {
                int n = snprintf(cmd + used, sizeof(cmd) - used, "%s%s", i ? " " : "", c->argv[i]);
                if (n < 0)
                        break;
                used += (size_t)n;
        }
        if (c->init)
                step(s, "setup: exec ward-init (PID 1) -> %s", cmd);
        else
                step(s, "setup: exec %s directly (Init=no: it is PID 1 and must reap)", cmd);
}

static void print_steps(const struct ward_config *c, FILE *out)
{
        struct steps s = {.out = out, .n = 0};
        char timeout[32];

        fprintf(out, "\nSteps ward run would take:\n");
        steps_monitor(c, &s);
        steps_namespaces(c, &s);
        steps_mounts(c, &s);
        step_stdio(c, &s);
        steps_process(c, &s);
        step_seccomp(c, &s);
        step_exec(c, &s);
        format_duration(c->stop_timeout_ms, timeout, sizeof(timeout));
        step(&s,
             "monitor: wait on the pidfd, forward TERM INT HUP QUIT USR1 USR2 WINCH (SIGKILL "
             "%s after a stop signal), exit with the app's status",
             timeout);
        if (cgroup_wanted(c) && cgroup_check(c, (char[64]){0}, 64, (char[400]){0}, 400) == 0)
                step(&s, "monitor: report OOM kills (memory.events) and refused forks "
                         "(pids.events) in words, then remove the cgroup");
        if (c->oci_hooks && c->oci_hooks->n_poststop)
                step(&s, "monitor: run the bundle's %zu poststop hook(s) (a failure is a warning)",
                     c->oci_hooks->n_poststop);
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
                entrypoint_explain(c, out);
        else
                print_steps(c, out);
        if (fflush(out) == EOF || ferror(out))
                return ward_error_set(e, errno ? errno : EIO, "cannot write the explanation");
        return 0;
}
