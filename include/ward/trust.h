/* Trust: whoever may write a directory on the way to a path can make the name mean
 * something else at any moment (rename, RENAME_EXCHANGE, a symlink planted in its place),
 * and whoever may write what ward reads as its own configuration steers the next run. So
 * ward uses a host path only through one walk from "/" that checks every directory on the
 * way and opens it once, and reads its configuration only from files that root or the
 * caller own, that no sandbox can write (ward.profile(5), TRUST).
 *
 * The rule, for every directory the walk looks a name up in (from "/" down to the parent
 * of the last component, and every directory a symlink on the way leads through):
 *   - its owner is uid 0 or the caller (the effective uid), and
 *   - it is not writable by its group or by others (mode & 022 == 0; a POSIX ACL that
 *     grants another user write shows up here as the group bits, the ACL mask), unless it
 *     has the sticky bit and belongs to root, like /tmp: there nobody may rename or remove
 *     an entry that is not their own, so a name checked below it stays put.
 * Inside a user namespace, an owner that is not mapped there (shown as the overflow uid)
 * counts as root's: nobody in the namespace can change what it owns. Where the overflow
 * uid is itself mapped, only a read-only mount tells the two apart.
 * The last component itself is the caller's to judge (an image's top directory may belong
 * to the sandbox's mapped users), from the fd returned; a configuration file is judged by
 * trust_open_config_file(). */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ward/error.h"

struct ward_config;

/* Why a walk stopped. */
enum trust_fault_kind {
        TRUST_FAULT_NONE,
        TRUST_FAULT_LOOKUP,   /* the kernel refused a lookup (errno in the return value) */
        TRUST_FAULT_OWNER,    /* a directory belongs to someone else */
        TRUST_FAULT_WRITABLE, /* a directory is writable by its group or others */
};

struct trust_fault {
        enum trust_fault_kind kind;
        char path[PATH_MAX]; /* the directory (or, for LOOKUP, the name) as walked */
        uid_t uid;
        gid_t gid;
        mode_t mode;
};

/* Open the absolute path without following a symlink as its last component, walking from
 * "/" one component at a time (O_PATH | O_NOFOLLOW, each directory fstat-checked before a
 * name is looked up in it; a symlink on the way is read and its target walked the same
 * way, at most 40 of them). Returns an O_PATH | O_CLOEXEC fd of the last component (a
 * symlink there comes back as the link itself), or -errno with *fault filled: -EPERM for a
 * directory the rule above refuses, the lookup's own errno otherwise. */
int trust_open_path(const char *path, uid_t caller, struct trust_fault *fault);
/* The same, following a symlink as the last component too (its target walked and checked
 * like the rest): an O_PATH fd of what the path finally names. */
int trust_open_path_follow(const char *path, uid_t caller, struct trust_fault *fault);

/* Whether a directory's owner and mode pass the rule for the caller. */
enum trust_fault_kind trust_check_dir(uid_t owner, mode_t mode, uid_t caller);

/* "belongs to uid 1000, mode 0755" or "is writable by its group (mode 0775)", for the
 * message of a fault of kind OWNER or WRITABLE. */
const char *trust_fault_text(const struct trust_fault *fault, char *buf, size_t len);

/* Open a configuration file (a profile, a seccomp JSON profile) for reading: walked with
 * trust_open_path_follow() (a relative path from the current directory, whose directories
 * are checked too), then the file itself must be a regular file, owned by root or the
 * caller and writable by nobody else. Nothing but that checked file is ever opened for
 * reading (a device or a FIFO never is). what names the file in messages ("profile"); the
 * error names the component, its owner and mode, and the fix. */
int trust_open_config_file(const char *path, const char *what, struct ward_error *e);
