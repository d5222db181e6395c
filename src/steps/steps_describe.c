/* The step table's wanted() and describe() functions (steps_rows.h): what `ward explain`
 * prints for each row. They only read the config and the caller's ids, and look at
 * /sys/fs/cgroup and the image without writing anything. step() prints the side ("setup:",
 * "monitor:"; nothing in place) and the row's tag. */
#include <ctype.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/cgroup.h"
#include "ward/entrypoint.h"
#include "ward/explain_format.h"
#include "ward/idmap.h"
#include "ward/landlock.h"
#include "ward/memfd_exec.h"
#include "ward/mount.h"
#include "ward/oci_hooks.h"
#include "ward/process.h"
#include "ward/rlimit.h"
#include "ward/seccomp.h"
#include "ward/seccomp_json.h"
#include "ward/sysctl.h"
#include "ward/systemd.h"
#include "ward/util.h"
#include "steps_rows.h"

static bool in_place(const struct ward_step_ctx *ctx)
{
        return ctx->mode == WARD_STEPS_IN_PLACE;
}

static bool env_has_cap(const struct ward_step_ctx *ctx, int cap)
{
        return ctx->env->cap_eff & (UINT64_C(1) << cap);
}

/* memfd_exec.h and landlock.h describe themselves as "setup: ..."; step() says the side. */
static const char *without_side(const char *text)
{
        return strncmp(text, "setup: ", 7) == 0 ? text + 7 : text;
}

/* ------------------------------------------------------------------------------------- */
/* wanted()                                                                              */

bool step_wanted_identity(const struct ward_step_ctx *ctx)
{
        return ctx->config->unshare_flags & CLONE_NEWUSER;
}

/* With -t, the terminal's step makes the session (tty_setup_sandbox). */
bool step_wanted_session(const struct ward_step_ctx *ctx)
{
        return !ctx->config->tty;
}

bool step_wanted_sysctl(const struct ward_step_ctx *ctx)
{
        return ctx->config->n_sysctls > 0;
}

bool step_wanted_hostname(const struct ward_step_ctx *ctx)
{
        return (ctx->config->unshare_flags & CLONE_NEWUTS) && ctx->config->hostname;
}

/* systemd_prepare() sets the plan's systemd.notify from NOTIFY_SOCKET, after explain would
 * look: the variable says it for both. */
bool step_wanted_notify(const struct ward_step_ctx *ctx)
{
        const char *s = getenv("NOTIFY_SOCKET");

        return ctx->plan->systemd.notify || (s && *s && (ctx->config->unshare_flags & CLONE_NEWNS));
}

bool step_wanted_init(const struct ward_step_ctx *ctx)
{
        return ctx->config->init;
}

bool step_wanted_root_open(const struct ward_step_ctx *ctx)
{
        return ctx->config->root != NULL;
}

bool step_wanted_user_lookup(const struct ward_step_ctx *ctx)
{
        const char *u = ctx->config->user_spec;

        return u && u[strspn(u, "0123456789:")];
}

bool step_wanted_oom_score_adj(const struct ward_step_ctx *ctx)
{
        return ctx->config->oom_score_adj_set;
}

void step_describe_oom_score_adj(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char where[320];

        ward_origin_format(&c->oom_score_adj_origin, where, sizeof(where));
        step(s,
             "write %d to %s/oom_score_adj (Process.OOMScoreAdjust, %s); a value below ward's "
             "own needs CAP_SYS_RESOURCE",
             c->oom_score_adj,
             ctx->mode == WARD_STEPS_IN_PLACE ? "/proc/self" : "the sandbox's /proc/PID", where);
}

bool step_wanted_create_hooks(const struct ward_step_ctx *ctx)
{
        return ctx->config->oci_hooks && ctx->config->oci_hooks->n_create;
}

/* True when ward run would create a cgroup. Reads /sys/fs/cgroup, never writes it. */
static bool cgroup_would_be_made(const struct ward_step_ctx *ctx)
{
        char missing[64], why[400];

        return cgroup_check(ctx->config, ctx->plan, missing, sizeof(missing), why, sizeof(why)) ==
               0;
}

bool step_wanted_cgroup_report(const struct ward_step_ctx *ctx)
{
        return cgroup_wanted(ctx->config) && cgroup_would_be_made(ctx);
}

bool step_wanted_bundle_seccomp(const struct ward_step_ctx *ctx)
{
        return !in_place(ctx) && seccomp_bundle_loads_early(ctx->config);
}

/* Done by bundle-seccomp, before its filter, when there is one. */
bool step_wanted_close_on_exec(const struct ward_step_ctx *ctx)
{
        return !step_wanted_bundle_seccomp(ctx);
}

bool step_wanted_poststop_hooks(const struct ward_step_ctx *ctx)
{
        return ctx->config->oci_hooks && ctx->config->oci_hooks->n_poststop;
}

/* ------------------------------------------------------------------------------------- */
/* The monitor, before the clone                                                         */

void step_describe_check(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        (void)ctx;
        step(s, "check the configuration (root directory, bind sources, user); refuse before "
                "creating anything");
}

void step_describe_root_open(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        step(s,
             "open the root %s once, walking from / with every directory above it checked "
             "(root's or yours, writable by no one else unless sticky and root's); everything "
             "after uses that fd, never the name",
             ctx->config->root);
}

void step_describe_user_lookup(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        (void)ctx;
        step(s, "look the user up in the image's /etc/passwd and /etc/group, opened beneath the "
                "root fd, not followed, and only if each is a regular file of at most 8 MiB (a "
                "device or FIFO is never opened)");
}

void step_describe_init_memfd(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        if (in_place(ctx))
                step(s, "copy ward-init into a sealed memfd while the caller's credentials and "
                        "fds are still ours");
        else
                step(s, "copy ward-init into a sealed memfd, so the sandbox can neither reach "
                        "nor overwrite the host's binary");
}

static void cgroup_refused(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char missing[64], why[400];

        cgroup_check(c, ctx->plan, missing, sizeof(missing), why, sizeof(why));
        if (c->cgroup.try_only)
                step(s,
                     "Resources=try: cgroup v2 controllers %s are not available: %s; the app "
                     "would run WITHOUT the cgroup limits",
                     missing, why);
        else
                step(s, "refuse: cgroup v2 controllers %s are not available: %s", missing, why);
}

/* A systemd unit with Delegate=yes (cgroup_detect_delegation) gets its payload/. */
static bool delegated_payload(const struct ward_step_ctx *ctx)
{
        return ctx->plan->cgroup.delegated && !ctx->config->cgroup.parent;
}

/* Limits to write, or a Delegate=yes unit's payload cgroup to move into. */
bool step_wanted_cgroup(const struct ward_step_ctx *ctx)
{
        return cgroup_wanted(ctx->config) || delegated_payload(ctx);
}

void step_describe_cgroup(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char files[512] = "", value[32];
        bool payload = delegated_payload(ctx);
        const char *parent = c->cgroup.parent              ? c->cgroup.parent
                             : ctx->plan->cgroup.delegated ? ctx->plan->cgroup.delegated
                                                           : WARD_CGROUP_DEFAULT_PARENT;

        if (!cgroup_would_be_made(ctx)) {
                cgroup_refused(ctx, s);
                return;
        }
        for (int i = 0; i < WARD_CG_COUNT; i++) {
                if (!c->cgroup.limits[i].set)
                        continue;
                cgroup_format_file(i, cgroup_file_value(c, i), value, sizeof(value));
                snprintf(files + strlen(files), sizeof(files) - strlen(files), " %s=\"%s\"",
                         cgroup_limit_file(i), value);
        }
        if (payload)
                step(s,
                     "in a systemd unit with Delegate=yes: move the unit's processes to "
                     "%s%s/supervisor",
                     WARD_CGROUP_ROOT, parent);
        step(s, "create the cgroup %s%s/%s, write%s", WARD_CGROUP_ROOT, parent,
             payload ? "payload" : "ward-<pid>", files[0] ? files : " no limits");
}

void step_describe_clone(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char ns[128];

        config_format_unshare(c->unshare_flags, ns, sizeof(ns));
        if (step_wanted_cgroup(ctx) && cgroup_would_be_made(ctx))
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

void step_describe_id_maps(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char user[256];

        if (!(c->unshare_flags & CLONE_NEWUSER)) {
                step(s, "no user namespace: the sandbox's ids are the host's");
                return;
        }
        if (geteuid() == 0 && c->id_map_fixed) {
                step(s,
                     "write the uid/gid maps (as root): 0..65535 -> %" PRIu32 "..%" PRIu64
                     " on the host (IdMapBase=, fixed: shared with every sandbox that sets it), "
                     "never 0 -> 0",
                     c->id_map_base, (uint64_t)c->id_map_base + WARD_ID_MAP_RANGE - 1);
                return;
        }
        if (geteuid() == 0) {
                step(s,
                     "lease the first free host id range of its own (allocated at run time "
                     "from %u + k*65536, k < %u; an flock in %s held until ward exits, even if "
                     "killed) and write the uid/gid maps (as root): 0..65535 -> %u..%u on the "
                     "host when no other sandbox holds that range, never 0 -> 0",
                     WARD_ID_MAP_BASE, WARD_ID_POOL_RANGES, WARD_ID_POOL_DIR, WARD_ID_MAP_BASE,
                     WARD_ID_MAP_BASE + WARD_ID_MAP_RANGE - 1);
                return;
        }
        format_user(c, user, sizeof(user));
        step(s,
             "write the uid/gid maps (as non-root): %s -> your uid %u / gid %u (one id each); "
             "setgroups denied",
             user, (unsigned)geteuid(), (unsigned)getegid());
}

void step_describe_create_hooks(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        step(s,
             "run the bundle's %zu prestart/createRuntime hook(s) on the host, in order, the "
             "state on stdin; one that fails or times out stops the start (exit 125)",
             ctx->config->oci_hooks->n_create);
}

/* ------------------------------------------------------------------------------------- */
/* The setup, building the sandbox                                                       */

void step_describe_memfd_exec(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        char memfd[1024];

        memfd_exec_describe(ctx->config, memfd, sizeof(memfd));
        step(s, "%s", without_side(memfd));
}

void step_describe_identity(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        char user[256];

        format_user(ctx->config, user, sizeof(user));
        step(s,
             "take %s in the new user namespace until the credentials step, so the files the "
             "next steps create have an owner the sandbox knows",
             ctx->plan->rootless ? user : "uid 0 / gid 0, groups cleared,");
}

void step_describe_session(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        (void)ctx;
        step(s, "setsid: a session of its own, without the caller's controlling terminal");
}

void step_describe_hostname(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        step(s, "sethostname(\"%s\")", ctx->config->hostname);
}

void step_describe_network(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        if (ctx->config->unshare_flags & CLONE_NEWNET)
                step(s, "bring lo up in the new network namespace (Network.Mode=none)");
        else
                step(s, "keep the host's network (Network.Mode=host)");
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

static void describe_mount(const struct ward_config *c, const struct ward_mount *m,
                           struct ward_steps_out *s)
{
        char buf[8192];
        int absent = mount_optional_absent(c, m);

        explain_format_mount(m, buf, sizeof(buf));
        if (absent > 0)
                step(s, "tmpfs %s: skipped: %s does not exist in the image", buf, m->target);
        else
                step(s, "%s %s (nosuid, nodev%s)",
                     m->kind == WARD_MOUNT_TMPFS    ? "tmpfs"
                     : m->kind == WARD_MOUNT_MQUEUE ? "mqueue"
                                                    : "bind",
                     buf, absent < 0 ? "; skipped if the image has no such path" : "");
}

void step_describe_sysctl(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char where[256], path[256];

        for (size_t i = 0; i < c->n_sysctls; i++) {
                snprintf(path, sizeof(path), "%s", c->sysctls[i].name);
                for (char *p = path; *p; p++)
                        *p = *p == '.' ? '/' : *p;
                ward_origin_format(&c->sysctls[i].origin, where, sizeof(where));
                if (strcmp(c->sysctls[i].name, "kernel.domainname") == 0) {
                        step(s, "setdomainname(\"%s\") (Namespaces.Sysctl kernel.domainname, %s)",
                             c->sysctls[i].value, where);
                        continue;
                }
                step(s,
                     "write \"%s\" to /proc/sys/%s (Namespaces.Sysctl, %s), through a proc of "
                     "the sandbox's own, before the mounts make /proc/sys read-only",
                     c->sysctls[i].value, path, where);
        }
}

/* mounts[*next] up to mounts[upto], in mount.c's order: a bundle's place them among ward's
 * own /proc, /dev and /sys as its config.json lists them. */
static void describe_mounts_upto(const struct ward_config *c, size_t *next, size_t upto,
                                 struct ward_steps_out *s)
{
        for (; *next < upto && *next < c->n_mounts; (*next)++)
                describe_mount(c, &c->mounts[*next], s);
}

void step_describe_mounts(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char buf[8192];
        size_t next = 0;

        step(s, "make every mount private, so nothing propagates back to the host");
        step(s, "bind the root %s %s, nosuid, nodev", c->root ? c->root : "(not set)",
             c->read_only ? "read-only" : "read-WRITE");
        describe_mounts_upto(c, &next, c->fixed[WARD_FIXED_PROC].after, s);
        step(s, "mount a new /proc (%s)",
             c->unshare_flags & CLONE_NEWPID ? "of the new pid namespace"
                                             : "no pid namespace: the host's processes show");
        describe_mounts_upto(c, &next, c->fixed[WARD_FIXED_DEV].after, s);
        step(s, "/dev: a minimal tmpfs (null zero full random urandom tty), a private devpts, "
                "/dev/shm");
        describe_mounts_upto(c, &next, c->fixed[WARD_FIXED_SYS].after, s);
        step(s, "/sys read-only");
        describe_mounts_upto(c, &next, c->n_mounts, s);
        if (c->n_masked_paths) {
                join_paths(c->masked_paths, c->n_masked_paths, buf, sizeof(buf));
                step(s, "mask (files: /dev/null, directories: an empty read-only tmpfs): %s", buf);
        }
        if (c->n_readonly_paths) {
                join_paths(c->readonly_paths, c->n_readonly_paths, buf, sizeof(buf));
                step(s, "make read-only: %s", buf);
        }
        step(s, "pivot_root into the new root and detach the old one");
}

void step_describe_notify(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        (void)ctx;
        step(s,
             "bind the NOTIFY_SOCKET relay at %s (any user of the sandbox may notify) and hand "
             "it to the monitor",
             WARD_NOTIFY_PATH);
}

/* What the app's fds 0-2 are (tty.h): never the caller's terminal. */
void step_describe_stdio(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;

        if (c->tty)
                step(s,
                     "fds 0-2 and controlling terminal: a pty of the sandbox's own devpts; the "
                     "monitor copies its output to ward's stdout%s",
                     c->interactive ? " and ward's stdin to it (a terminal in raw mode for the run)"
                                    : "");
        else
                step(s,
                     "stdin %s; stdout and stderr ward's own, except a terminal: the app gets a "
                     "pipe the monitor copies to it",
                     c->interactive ? "ward's own, except a terminal: a pipe the monitor fills "
                                      "from it"
                                    : "/dev/null");
}

/* ------------------------------------------------------------------------------------- */
/* Confining the process (the setup, or ward itself in place)                            */

void step_describe_read_only_root(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;

        step(s, "check the root filesystem is read-only: %s",
             !c->read_only      ? "no (ReadOnly=no)"
             : c->read_only_try ? "try (a writable root is a warning)"
                                : "required (a writable root is exit 125)");
}

void step_describe_rlimits(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        char buf[1024], soft[32], hard[32];
        size_t used = 0;

        buf[0] = '\0';
        for (int res = 0; res < WARD_RLIMIT_COUNT && used < sizeof(buf); res++) {
                const struct ward_rlimit *l = &ctx->config->rlimits[res];
                int n;
                if (!l->set)
                        continue;
                explain_format_rlim(res, l->soft, soft, sizeof(soft));
                explain_format_rlim(res, l->hard, hard, sizeof(hard));
                n = snprintf(buf + used, sizeof(buf) - used, " %s=%s:%s",
                             rlimit_to_name(res) ? rlimit_to_name(res) : "?", soft, hard);
                if (n < 0)
                        break;
                used += (size_t)n;
        }
        if (used)
                step(s, "setrlimit%s", buf);
        else
                step(s, "no rlimits set: the caller's limits are inherited");
}

void step_describe_umask_cwd(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;

        if (in_place(ctx) && !c->cwd_origin.file)
                step(s, "umask %04o, working directory (the container's)", c->umask);
        else
                step(s, "umask %04o, chdir %s", c->umask, c->cwd ? c->cwd : "/");
}

void step_describe_bounding(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char caps[1024];
        bool stays =
            in_place(ctx) && (ctx->env->cap_bnd & ~c->caps_keep) && !env_has_cap(ctx, CAP_SETPCAP);

        caps_format(c->caps_keep, caps, sizeof(caps));
        step(s, "bounding set reduced to %s, before the uid switch (it needs CAP_SETPCAP)%s", caps,
             stays ? ": NOT possible here (no CAP_SETPCAP), DropBoundingSet=try keeps it" : "");
}

/* Rootless, setgroups is denied: the caller's own groups are what the sandbox holds. */
static bool describe_rootless_groups(const struct ward_config *c, struct ward_steps_out *s)
{
        char groups[256];
        int n;

        if (geteuid() == 0 || !(c->unshare_flags & CLONE_NEWUSER))
                return false;
        n = process_caller_groups(groups, sizeof(groups));
        if (n == 0)
                step(s, "setgroups not possible (denied in an unprivileged user namespace): you "
                        "have no supplementary groups, so none are held");
        else if (c->keep_groups)
                step(s,
                     "setgroups not possible (denied in an unprivileged user namespace): YOUR "
                     "SUPPLEMENTARY GROUPS %s (host gids) STAY (Process.KeepGroups=yes): files "
                     "those groups may read or write are the sandbox's to read or write",
                     n < 0 ? "(unreadable)" : groups);
        else
                step(s,
                     "setgroups not possible (denied in an unprivileged user namespace): your "
                     "supplementary groups %s would stay, so the start is refused "
                     "(Process.KeepGroups=no)",
                     n < 0 ? "(unreadable)" : groups);
        return true;
}

static void describe_creds_in_place(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;

        if (!env_has_cap(ctx, CAP_SETUID) || !env_has_cap(ctx, CAP_SETGID))
                step(s, "user unchanged (no CAP_SETUID/CAP_SETGID): %s",
                     c->user_set ? "User= is refused unless it is the container's user"
                                 : "the container's user and groups stay");
        else
                step(s, "setgroups (cleared), setresgid, setresuid to %s",
                     c->user_set && c->user_spec ? c->user_spec : "the container's user");
}

void step_describe_creds(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char user[256], groups[256];

        if (in_place(ctx)) {
                describe_creds_in_place(ctx, s);
                return;
        }
        format_user(c, user, sizeof(user));
        if (describe_rootless_groups(c, s)) {
                step(s, "setresgid, setresuid to %s", user);
                return;
        }
        explain_format_groups(c, ",", groups, sizeof(groups));
        if (!c->n_groups)
                snprintf(groups, sizeof(groups), "cleared");
        step(s, "setgroups (%s), setresgid, setresuid to %s", groups, user);
}

void step_describe_caps(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char caps[1024];
        bool root_user = user_is_numeric(c) && c->uid == 0;

        caps_format(c->caps_keep, caps, sizeof(caps));
        if (in_place(ctx))
                step(s, "effective, permitted, inheritable capabilities = %s; ambient cleared%s",
                     caps, c->caps_keep && c->uid ? " then raised to them" : "");
        else
                step(s, "capabilities: effective, permitted and inheritable = %s; ambient = %s",
                     caps, root_user || !c->caps_keep ? "(none)" : caps);
}

void step_describe_no_new_privs(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        if (in_place(ctx))
                step(s, "no_new_privs: %s",
                     ctx->config->no_new_privs ? "yes" : "no (NoNewPrivileges=no)");
        else if (ctx->config->no_new_privs)
                step(s, "set no_new_privs (no privilege gain through setuid or file caps)");
        else
                step(s, "no_new_privs NOT set (NoNewPrivileges=no)");
}

void step_describe_landlock(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char buf[1024];
        int abi = in_place(ctx)                           ? ctx->env->landlock_abi
                  : c->landlock.mode == WARD_LANDLOCK_OFF ? 0
                                                          : landlock_abi();

        landlock_describe(c, abi, buf, sizeof(buf));
        step(s, "%s", without_side(buf));
}

void step_describe_parent_death(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        (void)ctx;
        step(s, "set the parent-death signal (SIGKILL) again, now that the ids are final");
}

void step_describe_find_command(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;

        step(s,
             "look %s up in the new root, as the app's user, with the app's PATH (exit 127: "
             "not found, 126: not executable)",
             c->argv && c->argv[0] ? c->argv[0] : "COMMAND");
}

static void describe_seccomp_json(const struct ward_config *c, struct ward_steps_out *s)
{
        struct ward_error e;
        char skipped[512];
        size_t n = 0;

        if (seccomp_json_compile(c->seccomp.json_path, c->caps_keep, &c->seccomp.profile_origin,
                                 NULL, &n, &e) < 0 ||
            seccomp_json_skipped_names(c->seccomp.json_path, c->caps_keep,
                                       &c->seccomp.profile_origin, skipped, sizeof(skipped),
                                       &e) < 0) {
                step(s, "seccomp filter: cannot be built: %s", e.msg);
                return;
        }
        step(s,
             "load the seccomp filter from %s (%zu rules; i386/x32 calls kill), "
             "last, after no_new_privs; ward's socket family and protocol rules do not apply",
             c->seccomp.json_path, n);
        if (seccomp_socket_tcp_only(c))
                step(s, "Landlock confines TCP, and ward adds nothing to a JSON profile: "
                        "it must refuse MPTCP and SCTP sockets itself, or ward run refuses it "
                        "(exit 125)");
        if (skipped[0])
                step(s,
                     "seccomp: skipped names libseccomp does not know (in rules that "
                     "allow, or refuse what the default action refuses anyway): %s",
                     skipped);
}

/* socket()'s checks in ward's own filter (plan.verdict[socket] is WARD_SC_ALLOW_SOCKET). */
static void describe_seccomp_sockets(const struct ward_config *c,
                                     const struct ward_seccomp_plan *plan, struct ward_steps_out *s)
{
        char refused[256], allowed[256];

        seccomp_format_socket_families(c, false, refused, sizeof(refused));
        seccomp_format_socket_families(c, true, allowed, sizeof(allowed));
        step(s,
             "seccomp: socket() of the families %s refused (EAFNOSUPPORT); let through "
             "by AllowSocketFamily=: %s",
             refused, allowed);
        if (plan->socket_tcp_only)
                step(s, "seccomp: Landlock confines TCP only, so AF_INET/AF_INET6 sockets "
                        "are TCP streams or datagrams (UDP, ping); MPTCP, SCTP, raw and every "
                        "other protocol refused (EPROTONOSUPPORT)");
}

/* Why: host id ranges are reused, so such a file would carry a later sandbox's ids. */
static void describe_seccomp_setid(const struct ward_seccomp_plan *plan, struct ward_steps_out *s)
{
        static const char *const refusal[] = {"EPERM", "kill the process", "log and allow"};

        if (plan->refuse_setid_modes)
                step(
                    s,
                    "seccomp: chmod, fchmod(at)(2), mknod(at), creat, open(at) with "
                    "S_ISUID or S_ISGID in the mode refused (%s), openat2 ENOSYS: no setuid/setgid "
                    "file for a later holder of the host id range (AllowSetuidFiles=yes lets them)",
                    refusal[plan->action % 3]);
        else
                step(s, "seccomp: setuid/setgid files may be created (AllowSetuidFiles=yes): "
                        "one left in a rw bind gives the host ids of whichever sandbox later "
                        "holds this range");
}

static void describe_seccomp_setup(const struct ward_config *c, struct ward_steps_out *s)
{
        static const char *const refusal[] = {"EPERM", "kill the process", "log and allow"};
        struct ward_seccomp_plan plan;
        _cleanup_free_ void *bpf = NULL;
        struct ward_error e;
        size_t len = 0;

        if (c->seccomp.extra_bpf && !seccomp_bundle_loads_early(c))
                step(s, "load the bundle's linux.seccomp filter (%zu instructions)%s",
                     c->seccomp.extra_bpf_len,
                     c->seccomp.enabled ? ", then stack ward's on it" : "");
        if (!c->seccomp.enabled) {
                step(s, "no %sseccomp filter (Seccomp.Profile=unconfined)",
                     c->seccomp.extra_bpf ? "other " : "");
                if (seccomp_socket_tcp_only(c))
                        step(s, "WARNING: no seccomp filter, so MPTCP, SCTP and raw "
                                "sockets are NOT refused, and Landlock's TCP rules do not see "
                                "them");
                return;
        }
        if (c->seccomp.json_path) {
                describe_seccomp_json(c, s);
                return;
        }
        if (seccomp_plan_build(c, &plan, &e) < 0 || seccomp_plan_bpf(&plan, &bpf, &len, &e) < 0) {
                step(s, "seccomp filter: cannot be built: %s", e.msg);
                return;
        }
        step(s,
             "load the seccomp filter (%zu rules, default action %s: %s, ENOSYS for "
             "syscalls newer than the allowlist; i386/x32 calls kill; %zu BPF instructions), "
             "last, after no_new_privs",
             plan.n_rules, seccomp_action_name(plan.action), refusal[plan.action % 3], len);
        describe_seccomp_sockets(c, &plan, s);
        describe_seccomp_setid(&plan, s);
}

void step_describe_bundle_seccomp(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        step_describe_close_on_exec(ctx, s);
        step(s,
             "load the bundle's linux.seccomp filter (%zu instructions) now, while CAP_SYS_ADMIN "
             "is held: process.noNewPrivileges is false, as runc and crun do; the steps below "
             "run under it (checked before the clone) and no_new_privs stays off",
             ctx->config->seccomp.extra_bpf_len);
}

void step_describe_seccomp(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        if (!in_place(ctx))
                describe_seccomp_setup(ctx->config, s);
        else
                step(s, "seccomp: %s",
                     ctx->config->seccomp.enabled
                         ? "ward's filter, loaded last, stacked on the runtime's"
                         : "none (unconfined)");
}

void step_describe_close_on_exec(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        if (in_place(ctx))
                step(s, "close every fd above 2 on exec (close_range, else each fd in "
                        "/proc/self/fd): the outer runtime's leaks stop at the exec");
        else if (ctx->plan->systemd.n_listen_fds)
                step(s, "close every fd above %u on exec: socket activation's fds go on%s",
                     WARD_LISTEN_FDS_START + ctx->plan->systemd.n_listen_fds - 1,
                     ctx->config->init ? "; so does the init's report pipe to the monitor (how "
                                         "the app ended), which the init keeps from the app"
                                       : "");
        else
                step(s, "close every fd above 2 on exec%s",
                     ctx->config->init ? " but the init's report pipe to the monitor (how the "
                                         "app ended), which the init keeps from the app"
                                       : "");
}

static void format_command(const struct ward_config *c, char *cmd, size_t len)
{
        size_t used = 0;

        snprintf(cmd, len, "COMMAND");
        for (size_t i = 0; c->argv && c->argv[i] && used < len; i++) {
                int n = snprintf(cmd + used, len - used, "%s%s", i ? " " : "", c->argv[i]);
                if (n < 0)
                        break;
                used += (size_t)n;
        }
}

void step_describe_exec(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        const struct ward_config *c = ctx->config;
        char cmd[1024];

        format_command(c, cmd, sizeof(cmd));
        if (in_place(ctx))
                step(s, "exec %s, environment cleared to the profile's",
                     c->init ? "ward-init from a sealed memfd; it runs the app and exits with its "
                               "status"
                             : "the app directly (Init=no)");
        else if (c->init)
                step(s, "exec ward-init (PID 1) -> %s", cmd);
        else
                step(s, "exec %s directly (Init=no: it is PID 1 and must reap)", cmd);
}

/* ------------------------------------------------------------------------------------- */
/* The monitor, after the exec                                                           */

void step_describe_wait(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        char timeout[32];

        explain_format_duration(ctx->config->stop_timeout_ms, timeout, sizeof(timeout));
        step(s,
             "wait on the pidfd, forward TERM INT HUP QUIT USR1 USR2 WINCH and every other "
             "signal the app can catch (not CHLD, PIPE, the faults or job control; SIGKILL %s "
             "after TERM, INT or QUIT), exit with the app's status",
             timeout);
}

void step_describe_cgroup_report(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        (void)ctx;
        step(s, "report OOM kills (memory.events) and refused forks (pids.events) in words, then "
                "remove the cgroup");
}

void step_describe_poststop_hooks(const struct ward_step_ctx *ctx, struct ward_steps_out *s)
{
        step(s, "run the bundle's %zu poststop hook(s) (a failure is a warning)",
             ctx->config->oci_hooks->n_poststop);
}
