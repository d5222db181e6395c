/* The plan: what the monitor prepares for one `ward run` from the settings (config.h), as
 * opposed to what was asked. The settings are const once validated; everything the run
 * learns or opens on the way lives here instead: the root's and the bind sources' fds, the
 * compiled seccomp filter, the cgroup the sandbox goes to, the systemd unit's fds, whether
 * ward runs rootless.
 *
 * Who writes what, in order (ward.c's run()): plan_init(), once the settings are parsed
 * and resolved; the preflight (mount_validate(): root_path_fd; cgroup_prepare(): the
 * Delegate=yes cgroup and Resources=try's skip); systemd_prepare() (the unit's fds); the
 * monitor before clone (mount_clone_sources(), seccomp_cache_prepare()). The setup, the
 * in-place steps and explain only read it. One owner per fd: the plan, closed by
 * plan_done(). See ARCHITECTURE.md, "Settings and plan". */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ward/config.h"

struct ward_plan {
        bool rootless; /* the monitor's euid is not 0; read in setup where geteuid() no
                        * longer tells (it reports the sandbox's ids) */

        /* [Filesystem] */
        /* the root, opened once (O_PATH) by mount_validate() after checking every directory
         * above it (trust.h); every later use of the image goes through it, never through the
         * name again; -1 before */
        int root_path_fd;
        /* detached clone of the root (open_tree OPEN_TREE_CLONE) made by the monitor with its
         * own credentials, so a rootfs below a 0700 directory works even though the sandbox's
         * root is an unprivileged host uid; -1: setup clones from root_path_fd (rootless,
         * where the monitor cannot clone mounts) */
        int root_fd;
        /* [i]: a detached clone of config->mounts[i].source (a bind mount) made by the
         * monitor, or -1; n_tree_fds is config->n_mounts */
        int *tree_fds;
        size_t n_tree_fds;

        /* [Seccomp]: the compiled filter, prepared by the monitor (from the cache when it
         * can) so that setup only loads it; NULL: setup compiles it itself. */
        struct ward_plan_seccomp {
                void *bpf;       /* struct sock_filter[] */
                size_t bpf_len;  /* in instructions */
                bool from_cache; /* for explain/messages */
        } seccomp;

        /* [Resources] */
        struct ward_plan_cgroup {
                char *delegated;       /* a Delegate=yes unit's cgroup we run in, or NULL */
                bool skipped;          /* Resources=try and the controllers are missing */
                char skip_reason[512]; /* why, for the warning */
        } cgroup;

        /* Running as a systemd unit (systemd.h) */
        struct ward_plan_systemd {
                bool notify;           /* relay NOTIFY_SOCKET through WARD_NOTIFY_PATH */
                unsigned n_listen_fds; /* socket activation: fds 3.. kept for the app */
                int notify_fd; /* connected to NOTIFY_SOCKET when the relay is used, or -1 */
        } systemd;
};

/* A plan that plan_done() may be given before plan_init() ran (no fd 0 closed). */
#define WARD_PLAN_EMPTY                                                                            \
        {                                                                                          \
                .root_fd = -1, .root_path_fd = -1, .systemd = {.notify_fd = -1 }                   \
        }

/* An empty plan for c: no fd open, rootless from the euid. -ENOMEM with e filled. */
int plan_init(struct ward_plan *p, const struct ward_config *c, struct ward_error *e);
/* Close every fd and free what the plan holds; a second call does nothing. */
void plan_done(struct ward_plan *p);
/* The clones the monitor made (root_fd, tree_fds): closed once the child has its copies. */
void plan_release_clones(struct ward_plan *p);
