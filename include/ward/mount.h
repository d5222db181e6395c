/* The sandbox's filesystem: read-only root, /proc, minimal /dev, read-only /sys, tmpfs and
 * bind mounts, masked and read-only paths, pivot_root. All targets inside the new root are
 * resolved with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) and mounted through fds
 * (new mount API: open_tree, fsopen/fsmount, mount_setattr, move_mount; Linux >= 5.12). */
#pragma once

#include "ward/config.h"
#include "ward/plan.h"

/* Monitor side: checks that need no namespace. The root exists, is a directory and is not
 * itself a symlink, every directory above it passes trust.h's rule (owned by root or the
 * caller, writable by no one else unless sticky and root's), and it is opened once, into
 * p->root_path_fd, which every later step uses instead of the name; bind sources are
 * absolute and exist; every target (mounts, MaskPath=, ReadOnlyPath=) is absolute, has no
 * ".." and is not "/". Fails with the key (or flag) and origin. */
int mount_validate(const struct ward_config *c, struct ward_plan *p, struct ward_error *e);

/* A new O_PATH fd of the root: a dup of p->root_path_fd once mount_validate() ran, else
 * the same checked walk and open (`ward explain`, `ward spec`; in entrypoint mode the
 * container's "/" is not judged by its owner; p may be NULL). -errno with e filled. */
int mount_open_root(const struct ward_config *c, const struct ward_plan *p, struct ward_error *e);

/* Monitor side, around the clone, when setup is to clone the root itself (no p->root_fd:
 * rootless, or no user namespace): an fd of the monitor's mount namespace cannot be cloned
 * from the sandbox's (EINVAL), but the working directory is carried into a new mount
 * namespace, so the monitor stands in p->root_path_fd for the clone and setup opens ".".
 * enter saves the monitor's cwd in *saved_cwd (-1 when there is nothing to do); leave goes
 * back there. */
int mount_cwd_enter_root(const struct ward_config *c, const struct ward_plan *p, int *saved_cwd,
                         struct ward_error *e);
int mount_cwd_leave_root(int *saved_cwd, struct ward_error *e);
/* In the child, first thing: close p->root_path_fd. It is a mount of the host's namespace:
 * through /proc/self/fd/N (-w) it would lead out of the sandbox's root (CVE-2024-21626). */
void mount_forget_root_path(struct ward_plan *p);

/* After pivot_root(".", ".") and the detach of the old root: 1 if a mount is still stacked
 * on "/" (the old root, or a second one the host had there), 0 if not, -errno. rootfd is
 * the new root. */
int mount_root_overmounted(int rootfd);

/* Setup side, inside the new mount namespace (and user namespace, with the id maps
 * written): builds everything and pivots into it. On return the process's root and cwd are
 * the new root, the old root is detached, and no fd it opened is left open.
 *
 * The root tree is p->root_fd when >= 0: it must then be a detached clone made by the
 * monitor, open_tree(p->root_path_fd, OPEN_TREE_CLONE | AT_RECURSIVE), because setup (as the
 * sandbox's root, an unprivileged host uid) may not reach an image below a 0700 directory,
 * and an O_PATH fd of the monitor's namespace can be neither cloned nor moved here (EINVAL).
 * Otherwise the working directory, which the monitor set to p->root_path_fd for the clone
 * (mount_cwd_enter_root()), is cloned; c->root is never looked up again. Either way the tree is
 * stacked on "/" and entered with pivot_root(".", ".").
 *
 * /proc and /dev must be plain directories in the image (a symlink there is refused); an
 * image without /sys gets none. A missing Tmpfs=/Bind= target is created only inside a
 * tmpfs ward mounted earlier (e.g. /tmp/x under Tmpfs=/tmp, or in /dev); the image and the
 * host are never written. An optional tmpfs whose target is absent is skipped (not made).
 *
 * Side effect: with a user namespace, the filesystem uid/gid become the sandbox's 0 (when
 * mapped), so that the entries it creates are owned by an id the namespace maps. Only the
 * fs ids change; the next setres[ug]id or execve resets them. */
int mount_setup_root(const struct ward_config *c, const struct ward_plan *p, struct ward_error *e);

/* For an optional tmpfs (Tmpfs=... optional): 1 when nothing is at path in the tree at
 * rootfd (ENOENT, resolved with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, the last component
 * not followed), 0 when something is there (it is then mounted on, or refused, exactly as a
 * required target), a negative errno when it cannot be told. Used by setup on the real root
 * and by `ward explain` on the image. */
int mount_target_absent(int rootfd, const char *path);
/* The same before the sandbox exists (`ward explain`, `ward spec`), on the image c->root as
 * it is now: 1 when m is optional and absent, 0 when m is required or present, a negative
 * errno when the image cannot be looked at (no root given, or unreadable). */
int mount_optional_absent(const struct ward_config *c, const struct ward_mount *m);

/* Monitor side, just before clone: as root, clone the root and bind sources with the
 * monitor's credentials (p->root_fd, p->tree_fds); nothing for an unprivileged caller. After
 * the clone, the child has its copies: plan_release_clones() drops ours. */
int mount_clone_sources(const struct ward_config *c, struct ward_plan *p, struct ward_error *e);
