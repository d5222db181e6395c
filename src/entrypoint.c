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
#include "ward/monitor.h"
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

static int check_read_only_root(const struct ward_config *c, const struct ward_entrypoint_env *env,
                                struct ward_error *e)
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
static int plan_creds(const struct ward_config *c, const struct ward_entrypoint_env *env,
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
            (r = adopt_container_defaults(c, e)) < 0)
                return r;
        if ((r = process_resolve_user(c, e)) < 0)
                return r;
        if (!c->user_set) {
                c->uid = env.uid;
                c->gid = env.gid;
        }
        if ((r = check_read_only_root(c, &env, e)) < 0 ||
            (r = plan_creds(c, &env, &apply_creds, e)) < 0 || (r = check_caps(c, &env, e)) < 0 ||
            (r = check_rlimits(c, &env, e)) < 0)
                return r;
        if ((r = seccomp_validate(c, e)) < 0)
                return r;
        return landlock_validate(c, e);
}

/* ------------------------------------------------------------------------------------- */
/* Applying                                                                              */

static void warn_about_gaps(const struct ward_config *c, const struct ward_entrypoint_env *env)
{
        char names[512];

        if (c->read_only && !env->root_read_only)
                fprintf(stderr, "ward: warning: Filesystem.ReadOnly=try: the root filesystem is "
                                "writable (start the container with --read-only)\n");
        if ((env->cap_bnd & ~c->caps_keep) && !has_cap(env, CAP_SETPCAP)) {
                caps_format(env->cap_bnd & ~c->caps_keep, names, sizeof(names));
                fprintf(stderr,
                        "ward: warning: Process.DropBoundingSet=try: the bounding set keeps %s "
                        "(no CAP_SETPCAP; inert under no_new_privs; --cap-drop ALL empties it)\n",
                        names);
        }
        if (cgroup_wanted(c))
                fprintf(stderr, "ward: warning: Resources=try: no cgroup limits in entrypoint "
                                "mode (set them on the outer runtime)\n");
        if (env->pid != 1 && !c->init)
                fprintf(stderr, "ward: warning: Init=no and ward is not PID 1: nothing reaps "
                                "the app's orphans\n");
}

static void reset_signals(void)
{
        sigset_t none;

        for (int sig = 1; sig < NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        signal(sig, SIG_DFL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
}

static int harden_in_place(const struct ward_config *c, const struct ward_entrypoint_env *env,
                           struct ward_error *e)
{
        bool apply_creds;
        int r;

        if ((r = rlimit_apply(c, 0, e)) < 0 || (r = process_apply_umask_cwd(c, e)) < 0)
                return r;
        /* Before the uid switch, while CAP_SETPCAP may still be effective. */
        if ((r = caps_drop_bounding(c, e)) < 0 || (r = plan_creds(c, env, &apply_creds, e)) < 0)
                return r;
        if (apply_creds && (r = process_apply_creds(c, true, e)) < 0)
                return r;
        if ((r = caps_apply(c, e)) < 0 || (r = process_apply_no_new_privs(c, e)) < 0)
                return r;
        /* Landlock needs no_new_privs; seccomp comes last so that nothing above is filtered,
         * and it is stacked on the outer runtime's filter (the kernel runs both). */
        if ((r = landlock_apply(c, e)) < 0)
                return r;
        return seccomp_apply(c, e);
}

/* Init=no: the app replaces ward; found through the app's PATH, as the init would. */
static int exec_app(const struct ward_config *c, char **envp, struct ward_error *e)
{
        const char *cmd = c->argv[0];
        char buf[PATH_MAX];
        int err = -ward_find_command(cmd, config_get_env(c, "PATH"), buf, sizeof(buf));

        if (!err) {
                execve(buf, c->argv, envp);
                err = errno;
        }
        ward_error_set(e, err, "cannot execute %s", cmd);
        e->exit_code = err == ENOENT || err == ENOTDIR ? WARD_EXIT_NOT_FOUND : WARD_EXIT_NOT_EXEC;
        return -err;
}

/* close_range(), or where an outer seccomp profile older than it refuses the call (Docker
 * before 20.10), every fd listed in /proc/self/fd. */
static int close_on_exec_above_stdio(struct ward_error *e)
{
        DIR *d;
        struct dirent *de;

        if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
                return 0;
        if (errno != ENOSYS && errno != EPERM)
                return ward_error_set(e, errno, "close_range()");
        if (!(d = opendir("/proc/self/fd")))
                return ward_error_set(e, errno,
                                      "close_range() is refused and /proc/self/fd "
                                      "cannot be listed");
        while ((de = readdir(d))) {
                int fd = atoi(de->d_name);
                if (fd > 2 && fd != dirfd(d) && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 &&
                    errno != EBADF) {
                        int r = ward_error_set(e, errno, "fcntl(%d, F_SETFD)", fd);
                        closedir(d);
                        return r;
                }
        }
        closedir(d);
        return 0;
}

int entrypoint_run(struct ward_config *c, struct ward_error *e)
{
        _cleanup_close_ int init_fd = -1;
        struct ward_entrypoint_env env;
        char **envp = process_environment(c), **argv;

        entrypoint_detect(&env);
        warn_about_gaps(c, &env);
        /* Read while the caller's credentials and fds are still ours. */
        if (c->init && (init_fd = monitor_make_sealed_init(e)) < 0)
                return WARD_EXIT_FAILED;
        reset_signals();
        if (harden_in_place(c, &env, e) < 0)
                return WARD_EXIT_FAILED;
        /* Whatever the outer runtime leaked to us (CVE-2024-21626) is closed by the exec;
         * fds 0-2 stay the container's. */
        if (close_on_exec_above_stdio(e) < 0)
                return WARD_EXIT_FAILED;
        fflush(NULL);
        if (!c->init) {
                exec_app(c, envp, e);
                return e->exit_code;
        }
        if (!(argv = init_args_build(c)))
                return ward_error_set(e, ENOMEM, "out of memory"), WARD_EXIT_FAILED;
        syscall(SYS_execveat, init_fd, "", argv, envp, AT_EMPTY_PATH);
        ward_error_set(e, errno, "cannot execute ward-init from its sealed copy");
        free(argv);
        return WARD_EXIT_FAILED;
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

static void explain_steps(const struct ward_config *c, const struct ward_entrypoint_env *env,
                          FILE *out)
{
        char caps[1024], land[1024];
        bool bounding_stays = (env->cap_bnd & ~c->caps_keep) && !has_cap(env, CAP_SETPCAP);
        int n = 0;

        caps_format(c->caps_keep, caps, sizeof(caps));
        landlock_describe(c, env->landlock_abi, land, sizeof(land));
        fprintf(out, "\nSteps ward run would take, in its own process (no clone, no mounts):\n");
        fprintf(out, "  %d. check the root filesystem is read-only: %s\n", ++n,
                !c->read_only      ? "no (ReadOnly=no)"
                : c->read_only_try ? "try (a writable root is a warning)"
                                   : "required (a writable root is exit 125)");
        fprintf(out, "  %d. rlimits, umask, working directory %s\n", ++n,
                asked(&c->cwd_origin) ? c->cwd : "(the container's)");
        fprintf(out, "  %d. bounding set reduced to %s%s\n", ++n, caps,
                bounding_stays ? ": NOT possible here (no CAP_SETPCAP), DropBoundingSet=try "
                                 "keeps it"
                               : "");
        if (!has_cap(env, CAP_SETUID) || !has_cap(env, CAP_SETGID))
                fprintf(out, "  %d. user unchanged (no CAP_SETUID/CAP_SETGID): %s\n", ++n,
                        c->user_set ? "User= is refused unless it is the container's user"
                                    : "the container's user and groups stay");
        else
                fprintf(out, "  %d. setgroups (cleared), setresgid, setresuid to %s\n", ++n,
                        c->user_set && c->user_spec ? c->user_spec : "the container's user");
        fprintf(out,
                "  %d. effective, permitted, inheritable capabilities = %s; ambient "
                "cleared%s\n",
                ++n, caps, c->caps_keep && c->uid ? " then raised to them" : "");
        fprintf(out, "  %d. no_new_privs: %s\n", ++n,
                c->no_new_privs ? "yes" : "no (NoNewPrivileges=no)");
        fprintf(out, "  %d. %s\n", ++n, land + (strncmp(land, "setup: ", 7) ? 0 : 7));
        fprintf(out, "  %d. seccomp: %s\n", ++n,
                c->seccomp.enabled ? "ward's filter, loaded last, stacked on the runtime's"
                                   : "none (unconfined)");
        fprintf(out, "  %d. exec %s, environment cleared to the profile's\n", ++n,
                c->init ? "ward-init from a sealed memfd; it runs the app and exits with its "
                          "status"
                        : "the app directly (Init=no)");
        fprintf(out, "\nLeft to the outer runtime in entrypoint mode: namespaces, mounts "
                     "(tmpfs, masked and read-only /proc paths), cgroup limits, hostname, "
                     "network, the stop timeout (docker stop -t)\n");
}

void entrypoint_explain(const struct ward_config *c, FILE *out)
{
        struct ward_entrypoint_env env;

        entrypoint_detect(&env);
        explain_environment(&env, out);
        explain_steps(c, &env, out);
}
