/* The resolved sandbox settings: what the profile(s) and flags asked for, each with the
 * place it came from. Every module reads its part of this struct and nothing else; the
 * protection modules own their parts' types (cgroup_spec.h, seccomp_spec.h,
 * landlock_spec.h, rlimit_spec.h), which include nothing of this header, so the include
 * arrows point one way. What a run prepares (fds, the compiled filter, the cgroup) is the
 * plan's (plan.h), never this struct's. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "ward/cgroup_spec.h"
#include "ward/error.h"
#include "ward/landlock_spec.h"
#include "ward/path_list.h"
#include "ward/rlimit_spec.h"
#include "ward/seccomp_spec.h"
#include "ward/sysctl_spec.h"

#define WARD_ID_MAP_RANGE 65536u  /* ids mapped into the sandbox when running as root */
#define WARD_ID_MAP_BASE 2000000u /* default first host uid/gid of that range */

enum ward_net_mode {
        WARD_NET_NONE, /* a new network namespace with only lo, up */
        WARD_NET_HOST, /* the host's network namespace, shared */
};

enum ward_mount_kind {
        WARD_MOUNT_TMPFS,
        WARD_MOUNT_BIND,
        WARD_MOUNT_MQUEUE, /* a POSIX message queue fs of the sandbox's ipc namespace */
};

struct ward_mount {
        enum ward_mount_kind kind;
        char *source;        /* bind: host path; tmpfs, mqueue: the name mountinfo shows (a bundle's
                              * "source"), NULL for the kernel's "none" */
        char *target;        /* absolute path inside the sandbox */
        bool writable;       /* bind: default read-only; tmpfs: always writable */
        uint64_t size_bytes; /* tmpfs: 0 means the WARD default (64M) */
        unsigned mode;       /* tmpfs: default 01777 for /tmp-like, 0755 otherwise */
        bool exec;           /* tmpfs: default noexec */
        bool optional;       /* tmpfs: skipped when the image has no such path (never made) */
        bool noexec;         /* bind: noexec (an OCI bundle's option); default exec allowed */
        struct ward_origin origin;
};

/* The filesystem mount.c makes itself, which a bundle's mounts[] may name. */
enum ward_fixed_mount {
        WARD_FIXED_PROC,
        WARD_FIXED_DEV, /* with its devpts and shm */
        WARD_FIXED_DEVPTS,
        WARD_FIXED_SHM,
        WARD_FIXED_SYS,
        WARD_FIXED_COUNT,
};

struct ward_fixed {
        char *source; /* as ward_mount's: a bundle's "source", NULL for "none" */
        size_t after; /* made after this many of mounts[]: a bundle's order; 0 for profiles */
        bool listed;  /* a bundle's mounts[] names it: its first listing counts */
};

struct ward_config {
        /* [Profile] */
        char *description;
        struct ward_origin description_origin;

        /* [Namespaces] */
        unsigned long unshare_flags; /* CLONE_NEWUSER | CLONE_NEWPID | ... */
        struct ward_origin unshare_origin;
        char *hostname;
        struct ward_origin hostname_origin;
        struct ward_sysctl *sysctls; /* Sysctl=: namespaced only (sysctl.h), in order given */
        size_t n_sysctls;
        uint32_t id_map_base; /* host uid/gid that sandbox id 0 maps to when run as root */
        bool id_map_fixed;    /* IdMapBase= or a bundle's uidMappings set it: no lease; else
                               * `ward run` leases a free range of the pool (idmap.h) */
        struct ward_origin id_map_origin;
        bool in_place; /* Unshare=none: entrypoint mode (entrypoint.h): no clone, no mounts */

        /* [Filesystem] */
        char *root; /* directory, or "/" for the host's root */
        struct ward_origin root_origin;
        bool read_only;
        bool read_only_try; /* ReadOnly=try: entrypoint mode runs on a writable root, warned */
        struct ward_origin read_only_origin;
        struct ward_mount *mounts; /* tmpfs and bind mounts, in the order given */
        size_t n_mounts;
        struct ward_fixed fixed[WARD_FIXED_COUNT];
        struct ward_path *masked_paths; /* hidden: /dev/null over files, empty ro tmpfs over dirs */
        size_t n_masked_paths;
        struct ward_path *readonly_paths; /* bound read-only onto themselves */
        size_t n_readonly_paths;

        /* [Process] */
        bool user_set;
        char *user_spec; /* as written ("9999:9999" or "nginx"), resolved before clone */
        uid_t uid;
        gid_t gid;
        gid_t *groups; /* supplementary groups; none unless given */
        size_t n_groups;
        struct ward_origin groups_origin; /* SupplementaryGroups= is a key of its own */
        bool keep_groups; /* KeepGroups=yes: a rootless sandbox may keep the caller's own
                           * supplementary groups, which its user namespace cannot drop;
                           * without it such a start is refused (process.h) */
        struct ward_origin keep_groups_origin;
        struct ward_origin user_origin;
        uint64_t caps_keep; /* bit n set: capability n is kept; all others dropped */
        struct ward_origin caps_origin;
        bool bounding_try; /* DropBoundingSet=try: keep what cannot be dropped (no SETPCAP) */
        struct ward_origin bounding_origin;
        /* A bundle's process.capabilities: its other four sets as listed (bounding is
         * caps_keep, and each set is cut to it). Unset (Capabilities=, --cap-add):
         * effective = permitted = inheritable = caps_keep, ambient too for a non-root uid. */
        bool caps_sets_set;
        uint64_t caps_effective, caps_permitted, caps_inheritable, caps_ambient;
        bool no_new_privs;
        struct ward_origin no_new_privs_origin;
        char **env; /* "KEY=VALUE", the app's whole environment, NULL-terminated */
        struct ward_origin *env_origins; /* [i]: where env[i] was set (its KEY's last setter) */
        size_t n_env;
        size_t env_cap;                   /* room in env (NULL included) and env_origins */
        struct ward_env_index *env_index; /* KEY -> slot in env, so that adding is O(1) */
        char *cwd;
        struct ward_origin cwd_origin;
        unsigned umask;
        struct ward_origin umask_origin;
        struct ward_rlimit rlimits[WARD_RLIMIT_COUNT]; /* indexed by RLIMIT_* */
        enum ward_memfd_exec {
                WARD_MEMFD_EXEC_TRY = 0, /* memfds not executable where it can be had */
                WARD_MEMFD_EXEC_NO,      /* required: vm.memfd_noexec=2 or exit 125 */
                WARD_MEMFD_EXEC_YES,     /* the host's setting (memfd_exec.h) */
        } memfd_exec;
        struct ward_origin memfd_exec_origin;
        bool oom_score_adj_set; /* OOMScoreAdjust=: else the sandbox inherits ward's */
        int oom_score_adj;      /* -1000..1000, /proc/PID/oom_score_adj */
        struct ward_origin oom_score_adj_origin;

        /* [Resources] cgroup v2 limits: owned by src/sandbox/cgroup.c (cgroup_spec.h, cgroup.h) */
        struct ward_cgroup_config cgroup;

        /* [Seccomp]: owned by src/seccomp/seccomp.c (seccomp_spec.h, seccomp.h) */
        struct ward_seccomp_config seccomp;

        /* [Landlock]: owned by src/sandbox/landlock.c (landlock_spec.h, landlock.h) */
        struct ward_landlock_config landlock;

        /* [Network] */
        enum ward_net_mode net_mode;
        struct ward_origin net_origin;

        /* [Init] */
        bool init; /* run ward-init as PID 1 (else the app is PID 1 itself) */
        struct ward_origin init_origin;
        uint64_t stop_timeout_ms; /* after a forwarded SIGTERM/SIGINT, SIGKILL after this */
        struct ward_origin stop_timeout_origin;
        bool init_group; /* ProcessGroup=yes: ward-init -g */
        struct ward_origin init_group_origin;
        /* ExitLikeApp=: when the app died of signal N, whether `ward run` dies of N too (as a
         * service manager expects of a main process) or exits 128+N (as docker) */
        enum ward_exit_like_app {
                WARD_EXIT_LIKE_APP_AUTO = 0, /* N when a systemd service's main process */
                WARD_EXIT_LIKE_APP_YES,
                WARD_EXIT_LIKE_APP_NO,
        } exit_like_app;
        struct ward_origin exit_like_app_origin;
        uint32_t init_success[8]; /* SuccessExitStatus=: bit n, ward-init -e n */
        struct ward_origin init_success_origin;

        /* [Policy]: rule ids (policy.h) an OCI annotation may waive when this profile is used
         * as `ward hook --policy`; empty: no exception is ever granted. */
        char **policy_exceptions;
        size_t n_policy_exceptions;
        struct ward_origin policy_exceptions_origin;
        /* [Policy] AllowCalls=: bit i, dangerous call i of oci_dangerous_calls() (oci_norm.h)
         * that a container's seccomp filter may let through beyond what this profile's own
         * filter does; read only by `ward hook --policy`. */
        uint64_t policy_calls;
        struct ward_origin policy_calls_origin;
        /* [Policy] AllowJoinNamespaces=: CLONE_NEW* flags of the namespace types a container
         * may join by path, where the path is found and is not the host's (`ward hook`). */
        unsigned long policy_join_ns;
        struct ward_origin policy_join_ns_origin;

        /* How to run: the command and its terminal */
        bool tty;         /* -t: give the app a pseudo-terminal */
        bool interactive; /* -i: relay our stdin */
        char **argv;      /* the command, NULL-terminated; NULL when not given */
        size_t argc;
        struct ward_origin argv_origin; /* the command line, or a bundle's process.args */

        /* An OCI bundle's hooks that ward runs itself (oci_hooks.h); NULL: none. */
        struct ward_oci_hooks *oci_hooks;

        /* Profiles read, in order, for `ward explain`. */
        char **profiles_loaded;
        size_t n_profiles_loaded;

        /* Strings that origins point at (file names), freed with the config. */
        char **interned;
        size_t n_interned;
        size_t cap_interned; /* the array doubles: a bundle's 200,000 keys cost linear time */
};

/* The built-in defaults (the strictest that still runs an ordinary service). */
int config_init(struct ward_config *c, struct ward_error *e);
void config_free(struct ward_config *c);

/* Keep one copy of s owned by the config; origins point at it. NULL on ENOMEM. */
const char *config_intern(struct ward_config *c, const char *s);
/* The same without looking for an equal string first: for the many strings that are new
 * by construction (a bundle's "mounts[3]"), where the search would be quadratic. */
const char *config_keep(struct ward_config *c, const char *s);
/* Take over from's kept strings, which origins copied from it point at; from keeps none. */
int config_take_interned(struct ward_config *c, struct ward_config *from);

/* Append helpers; they take copies. */
int config_add_mount(struct ward_config *c, const struct ward_mount *m);
/* KEY=VALUE set at o (NULL: built-in default); an entry with the same KEY is replaced in
 * its place and takes o. */
int config_add_env(struct ward_config *c, const char *key_value, const struct ward_origin *o);
/* Environment= with no value: the list is emptied, built-in PATH included. */
void config_clear_env(struct ward_config *c);
const char *config_get_env(const struct ward_config *c, const char *key);
/* Remove the mounts of one kind; with defaults_only, only ward's built-in ones (no origin
 * file: the /tmp and /run tmpfs of config_init()). */
void config_remove_mounts(struct ward_config *c, enum ward_mount_kind kind, bool defaults_only);
/* A plain string list (Seccomp.Allow=/Deny=). */
int config_add_string(char ***list, size_t *n, const char *s);
void config_clear_strings(char ***list, size_t *n);
int config_set_string(char **field, const char *value);

/* The one conversion between parsing and validating, for `ward run` and `ward explain`: a
 * profile's Hostname= is dropped when the command line shares the uts namespace. After it
 * (and process_resolve_user(), idmap_acquire(), systemd_prepare()) the settings are
 * read-only: what the run prepares goes into the plan (plan.h). */
void config_resolve(struct ward_config *c);

/* The ordered list of namespace names for messages: "user pid mount ...". */
void config_format_unshare(unsigned long flags, char *buf, size_t len);
