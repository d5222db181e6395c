/* Entrypoint mode (entrypoint.h): harden ward's own process inside a container it did not
 * start, then become the init. The steps are the setup's, minus everything that needs new
 * namespaces; each required one that the container does not allow fails before any is
 * applied, naming the docker/Kubernetes setting that would allow it. */
#include "ward/entrypoint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/cgroup.h"
#include "ward/init_args.h"
#include "ward/landlock.h"
#include "ward/memfd_exec.h"
#include "ward/process.h"
#include "ward/rlimit.h"
#include "ward/seccomp.h"
#include "ward/util.h"

#define CAP_BIT(cap) (UINT64_C(1) << (cap))

/* ------------------------------------------------------------------------------------- */
/* What the container gives us                                                          */

void entrypoint_detect(struct ward_entrypoint_env *env)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
        struct statvfs st;

        memset(env, 0, sizeof(*env));
        env->pid = getpid();
        env->uid = geteuid();
        env->gid = getegid();
        if (syscall(SYS_capget, &hdr, data) == 0) {
                env->cap_eff = data[0].effective | (uint64_t)data[1].effective << 32;
                env->cap_prm = data[0].permitted | (uint64_t)data[1].permitted << 32;
        }
        for (int cap = 0; cap < 64; cap++)
                if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
                        env->cap_bnd |= CAP_BIT(cap);
        env->root_read_only = statvfs("/", &st) == 0 && (st.f_flag & ST_RDONLY);
        env->no_new_privs = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
        env->seccomp_mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
        env->landlock_abi = landlock_abi();
}

static bool has_cap(const struct ward_entrypoint_env *env, int cap)
{
        return env->cap_eff & CAP_BIT(cap);
}

/* ------------------------------------------------------------------------------------- */
/* Checks                                                                                */

__attribute__((format(printf, 6, 7))) static int refuse(struct ward_error *e,
                                                        const struct ward_origin *o,
                                                        const char *key, int err, const char *fix,
                                                        const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = ward_error_vat(e, o, key, err, fmt, ap);
        va_end(ap);
        ward_error_hint(e, "%s", fix);
        return r;
}

static const struct ward_origin command_line = {.file = "command line", .line = 0};

/* A setting from a profile or flag (not a built-in default) that needs a namespace. */
static bool asked(const struct ward_origin *o)
{
        return o->file != NULL;
}

static int first_asked_path(const struct ward_path *list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (asked(&list[i].origin))
                        return (int)i;
        return -1;
}

static int check_filesystem_keys(struct ward_config *c, struct ward_error *e)
{
        int i;

        if (c->root && strcmp(c->root, "/") != 0)
                return refuse(e, &c->root_origin, "Filesystem.Root", 0,
                              "remove Root= and --rootfs: the image is the root",
                              "entrypoint mode runs in the container's own root, not in %s",
                              c->root);
        if (c->n_mounts)
                return refuse(e, &c->mounts[0].origin,
                              c->mounts[0].kind == WARD_MOUNT_TMPFS ? "Filesystem.Tmpfs"
                                                                    : "Filesystem.Bind",
                              0,
                              "let the outer runtime mount it (docker run --tmpfs / -v, a "
                              "Kubernetes emptyDir volume) and remove the key (an empty "
                              "Tmpfs= or Bind= line clears an included list)",
                              "%s needs a mount namespace, which entrypoint mode does not "
                              "create",
                              c->mounts[0].target);
        if ((i = first_asked_path(c->masked_paths, c->n_masked_paths)) >= 0)
                return refuse(e, &c->masked_paths[i].origin, "Filesystem.MaskPath", 0,
                              "the outer runtime masks the OCI default paths; remove the key",
                              "masking %s needs a mount namespace", c->masked_paths[i].path);
        if ((i = first_asked_path(c->readonly_paths, c->n_readonly_paths)) >= 0)
                return refuse(e, &c->readonly_paths[i].origin, "Filesystem.ReadOnlyPath", 0,
                              "the outer runtime makes the OCI default paths read-only; remove "
                              "the key",
                              "a read-only %s needs a mount namespace", c->readonly_paths[i].path);
        return 0;
}

static int check_namespace_keys(struct ward_config *c, struct ward_error *e)
{
        if (c->hostname && asked(&c->hostname_origin))
                return refuse(e, &c->hostname_origin, "Namespaces.Hostname", 0,
                              "set it on the outer runtime (docker run --hostname, the pod's "
                              "hostname) and remove Hostname=",
                              "a hostname needs a uts namespace, which entrypoint mode does "
                              "not create");
        if (c->net_mode == WARD_NET_NONE && asked(&c->net_origin))
                return refuse(e, &c->net_origin, "Network.Mode", 0,
                              "start the container with --network none, and remove Mode=",
                              "a private network needs a network namespace, which entrypoint "
                              "mode does not create");
        if (c->n_sysctls)
                return refuse(e, &c->sysctls[0].origin, "Namespaces.Sysctl", 0,
                              "set it on the outer runtime (docker run --sysctl, the OCI "
                              "config's linux.sysctl) and remove Sysctl=",
                              "a sysctl is written in the sandbox's own namespaces, which "
                              "entrypoint mode does not create (it would change the "
                              "container's, for everything in it)");
        if (c->tty)
                return refuse(e, &command_line, "-t", 0,
                              "give the terminal with the outer runtime's -t (docker run -t)",
                              "entrypoint mode keeps the terminal it was given and makes none");
        if (cgroup_wanted(c) && !c->cgroup.try_only)
                return refuse(e, &c->cgroup.mode_origin, "Resources", 0,
                              "set them on the outer runtime (docker run --memory --cpus "
                              "--pids-limit, the pod's resources.limits), or Resources=try",
                              "cgroup limits are not set from inside a container");
        return 0;
}

/* Keys only `ward run`'s monitor or setup applies: in place nothing would, so each one a
 * profile asks for is refused by name instead of ignored (MemfdExec=no's refusal is
 * memfd_exec_decide()'s own, the same as without a pid namespace). StopTimeout= stays
 * accepted: default.profile sets it, and the outer runtime's grace period stands in. */
static int check_run_only_keys(const struct ward_config *c, struct ward_error *e)
{
        char reason[256];
        int r;

        if (asked(&c->id_map_origin))
                return refuse(e, &c->id_map_origin, "Namespaces.IdMapBase", 0,
                              "map ids on the outer runtime (userns-remap, the OCI config's "
                              "linux.uidMappings) and remove IdMapBase=",
                              "ids are mapped in a user namespace, which entrypoint mode "
                              "does not create");
        if (asked(&c->cgroup.parent_origin))
                return refuse(e, &c->cgroup.parent_origin, "Resources.CgroupParent", 0,
                              "place the container with the outer runtime (docker run "
                              "--cgroup-parent, the pod's cgroup) and remove CgroupParent=",
                              "entrypoint mode makes no cgroup");
        if (c->exit_like_app == WARD_EXIT_LIKE_APP_YES)
                return refuse(e, &c->exit_like_app_origin, "Init.ExitLikeApp", 0,
                              "remove ExitLikeApp=yes: the container's status is ward-init's",
                              "entrypoint mode execs ward-init, which exits 128+N when the app "
                              "dies of signal N; nothing is left to die of N");
        r = memfd_exec_decide(c, reason, sizeof(reason), e);
        return r < 0 ? r : 0;
}

int entrypoint_check_read_only_root(const struct ward_config *c,
                                    const struct ward_entrypoint_env *env, struct ward_error *e)
{
        if (!c->read_only || env->root_read_only || c->read_only_try)
                return 0;
        return refuse(e, &c->read_only_origin, "Filesystem.ReadOnly", 0,
                      "start the container with --read-only (Kubernetes: "
                      "securityContext.readOnlyRootFilesystem: true), or set "
                      "Filesystem.ReadOnly=try",
                      "the root filesystem is writable");
}

static bool same_groups(const struct ward_config *c)
{
        _cleanup_free_ gid_t *have = calloc(c->n_groups + 1, sizeof(gid_t));
        int n = have ? getgroups((int)c->n_groups + 1, have) : -1;

        /* EINVAL: more groups than asked for, so not the same. */
        return n >= 0 && (size_t)n == c->n_groups &&
               (n == 0 || memcmp(have, c->groups, (size_t)n * sizeof(gid_t)) == 0);
}

/* Whether the ids must change: -EPERM when they must and cannot. With privilege the
 * supplementary groups the runtime gave (root's are many) are cleared even without User=. */
int entrypoint_plan_creds(const struct ward_config *c, const struct ward_entrypoint_env *env,
                          bool *apply, struct ward_error *e)
{
        bool privileged = has_cap(env, CAP_SETUID) && has_cap(env, CAP_SETGID);
        uid_t r_uid, e_uid, s_uid;
        gid_t r_gid, e_gid, s_gid;
        bool same_ids;

        getresuid(&r_uid, &e_uid, &s_uid);
        getresgid(&r_gid, &e_gid, &s_gid);
        same_ids = r_uid == c->uid && e_uid == c->uid && s_uid == c->uid && r_gid == c->gid &&
                   e_gid == c->gid && s_gid == c->gid;
        *apply = privileged;
        if (privileged || (same_ids && (!c->n_groups || same_groups(c))))
                return 0;
        if (same_ids) /* only the groups differ: SupplementaryGroups= asks for the change */
                return refuse(e, &c->groups_origin, "Process.SupplementaryGroups", EPERM,
                              "give the groups on the outer runtime (docker run --group-add, "
                              "Kubernetes supplementalGroups) and remove SupplementaryGroups=",
                              "setting the supplementary groups needs CAP_SETGID, and ward runs "
                              "without it");
        return refuse(e, &c->user_origin, "Process.User", EPERM,
                      "set the user on the outer runtime (Dockerfile USER, docker run --user, "
                      "Kubernetes runAsUser/runAsGroup) and remove User=",
                      "switching to uid %u gid %u needs CAP_SETUID and CAP_SETGID, and ward runs "
                      "as uid %u without them",
                      (unsigned)c->uid, (unsigned)c->gid, (unsigned)env->uid);
}

static int check_caps(const struct ward_config *c, const struct ward_entrypoint_env *env,
                      struct ward_error *e)
{
        uint64_t missing = c->caps_keep & ~(env->cap_prm & env->cap_bnd);
        char names[512];

        if (missing) {
                caps_format(missing, names, sizeof(names));
                return refuse(e, &c->caps_origin, "Process.Capabilities", EPERM,
                              "add them on the outer runtime (docker run --cap-add, "
                              "capabilities.add) or remove them from Capabilities=",
                              "the container does not give ward %s, which the profile keeps",
                              names);
        }
        if ((env->cap_bnd & ~c->caps_keep) && !has_cap(env, CAP_SETPCAP) && !c->bounding_try) {
                caps_format(env->cap_bnd & ~c->caps_keep, names, sizeof(names));
                return refuse(e, &c->bounding_origin, "Process.DropBoundingSet", EPERM,
                              "start the container with --cap-drop ALL (Kubernetes: "
                              "capabilities.drop: [ALL]), or set Process.DropBoundingSet=try",
                              "the bounding set holds %s and ward lacks CAP_SETPCAP to drop "
                              "them",
                              names);
        }
        /* What stays is inert only if no exec can gain it: a setuid binary could, without
         * no_new_privs. */
        if ((env->cap_bnd & ~c->caps_keep) && !has_cap(env, CAP_SETPCAP) && !c->no_new_privs) {
                caps_format(env->cap_bnd & ~c->caps_keep, names, sizeof(names));
                return refuse(e, &c->no_new_privs_origin, "Process.NoNewPrivileges", EPERM,
                              "set NoNewPrivileges=yes, or start the container with --cap-drop "
                              "ALL",
                              "the bounding set keeps %s (no CAP_SETPCAP), which a setuid "
                              "binary could gain without no_new_privs",
                              names);
        }
        return 0;
}

static int check_rlimits(const struct ward_config *c, const struct ward_entrypoint_env *env,
                         struct ward_error *e)
{
        for (int res = 0; res < WARD_RLIMIT_COUNT; res++) {
                const struct ward_rlimit *l = &c->rlimits[res];
                struct rlimit now;
                if (!l->set || getrlimit(res, &now) < 0 || l->hard <= now.rlim_max ||
                    has_cap(env, CAP_SYS_RESOURCE))
                        continue;
                return refuse(e, &l->origin, "Resources.Limit", EPERM,
                              "raise it on the outer runtime (docker run --ulimit), or lower "
                              "the profile's value",
                              "Limit%s= raises the hard limit above %llu, which needs "
                              "CAP_SYS_RESOURCE",
                              rlimit_to_name(res), (unsigned long long)now.rlim_max);
        }
        return 0;
}

/* Settings whose default means "as the container has it" in entrypoint mode. */
static int adopt_container_defaults(struct ward_config *c, struct ward_error *e)
{
        char cwd[PATH_MAX];

        if (!c->root && config_set_string(&c->root, "/") < 0)
                return ward_error_set(e, ENOMEM, "out of memory");
        if (!asked(&c->cwd_origin)) {
                if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
                        return ward_error_set(e, errno ? errno : ENOENT,
                                              "cannot tell the working directory");
                if (config_set_string(&c->cwd, cwd) < 0)
                        return ward_error_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

int entrypoint_preflight(struct ward_config *c, struct ward_error *e)
{
        struct ward_entrypoint_env env;
        bool apply_creds;
        int r;

        if (!c->argv || !c->argv[0]) {
                ward_error_set(e, 0, "no command given");
                ward_error_hint(e, "put the command after the options (in a Dockerfile: "
                                   "ENTRYPOINT [\"ward\", \"run\", \"--profile\", "
                                   "\"entrypoint\", \"--\"] and CMD [\"app\"])");
                return -EINVAL;
        }
        entrypoint_detect(&env);
        if ((r = check_filesystem_keys(c, e)) < 0 || (r = check_namespace_keys(c, e)) < 0 ||
            (r = check_run_only_keys(c, e)) < 0 || (r = adopt_container_defaults(c, e)) < 0)
                return r;
        if ((r = process_resolve_user(c, NULL, e)) < 0)
                return r;
        if (!c->user_set) {
                c->uid = env.uid;
                c->gid = env.gid;
        }
        if ((r = entrypoint_check_read_only_root(c, &env, e)) < 0 ||
            (r = entrypoint_plan_creds(c, &env, &apply_creds, e)) < 0 ||
            (r = check_caps(c, &env, e)) < 0 || (r = check_rlimits(c, &env, e)) < 0)
                return r;
        if ((r = seccomp_validate(c, e)) < 0)
                return r;
        return landlock_validate(c, e);
}

/* ------------------------------------------------------------------------------------- */
/* Applying                                                                              */

void entrypoint_warn_about_gaps(const struct ward_config *c, const struct ward_entrypoint_env *env)
{
        char names[512];

        if (c->read_only && !env->root_read_only)
                ward_warn("Filesystem.ReadOnly=try: the root filesystem is "
                          "writable (start the container with --read-only)");
        if ((env->cap_bnd & ~c->caps_keep) && !has_cap(env, CAP_SETPCAP)) {
                caps_format(env->cap_bnd & ~c->caps_keep, names, sizeof(names));
                ward_warn("Process.DropBoundingSet=try: the bounding set keeps %s "
                          "(no CAP_SETPCAP; inert under no_new_privs; --cap-drop ALL empties it)",
                          names);
        }
        if (cgroup_wanted(c))
                ward_warn("Resources=try: no cgroup limits in entrypoint "
                          "mode (set them on the outer runtime)");
        if (env->pid != 1 && !c->init)
                ward_warn("Init=no and ward is not PID 1: nothing reaps "
                          "the app's orphans");
}

/* ------------------------------------------------------------------------------------- */
/* Explaining                                                                            */

/* Whether a user namespace could be made here: a child tries and reports its errno. */
static int probe_unshare(void)
{
        int status;
        pid_t pid = fork();

        if (pid == 0)
                _exit(unshare(CLONE_NEWUSER) == 0 ? 0 : (errno & 0x7f));
        if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
                return pid < 0 ? errno : EIO;
        return WEXITSTATUS(status);
}

static void explain_environment(const struct ward_entrypoint_env *env, FILE *out)
{
        char eff[1024], bnd[1024];
        int err = probe_unshare();

        caps_format(env->cap_eff, eff, sizeof(eff));
        caps_format(env->cap_bnd, bnd, sizeof(bnd));
        fprintf(out, "\nWhere ward runs (entrypoint mode: Namespaces.Unshare=none):\n");
        if (env->pid == 1)
                fprintf(out, "  pid 1: ward-init will be PID 1 and reap every orphan\n");
        else
                fprintf(out,
                        "  pid %d, not PID 1: ward-init will register as a child subreaper "
                        "(it reaps the app's orphans, not the container's)\n",
                        (int)env->pid);
        fprintf(out, "  uid %u gid %u\n", (unsigned)env->uid, (unsigned)env->gid);
        fprintf(out, "  effective capabilities: %s\n  bounding set: %s\n", eff, bnd);
        fprintf(out, "  root filesystem: %s\n",
                env->root_read_only ? "read-only" : "WRITABLE (docker run --read-only fixes it)");
        fprintf(out, "  no_new_privs: %s\n", env->no_new_privs ? "set already" : "not set yet");
        fprintf(out, "  seccomp: %s\n",
                env->seccomp_mode == 2 ? "the runtime's filter is in force; ward's is stacked "
                                         "on it"
                                       : "no filter yet; ward's will be the only one");
        fprintf(out, "  Landlock: ABI %d\n", env->landlock_abi);
        if (err)
                fprintf(out,
                        "  new namespaces: cannot be created here (%s): so ward creates "
                        "none\n",
                        ward_errno_name(err));
        else
                fprintf(out, "  new namespaces: a user namespace can be created here, but "
                             "entrypoint mode creates none\n");
}

void entrypoint_explain(FILE *out)
{
        struct ward_entrypoint_env env;

        entrypoint_detect(&env);
        explain_environment(&env, out);
}
