/* Trust in a host path: whoever may write a directory on the way to a path can make the
 * name mean something else at any moment (rename, RENAME_EXCHANGE, a symlink planted in
 * its place), so ward uses a path only when every directory it passes through on the way
 * is owned by root or the caller and writable by no one else, and then only through the
 * one fd this walk opened, never by the name again.
 *
 * The rule, for every directory the walk looks a name up in (from "/" down to the parent
 * of the last component, and every directory a symlink on the way leads through):
 *   - its owner is uid 0 or the caller (the effective uid), and
 *   - it is not writable by its group or by others (mode & 022 == 0; a POSIX ACL that
 *     grants another user write shows up here as the group bits, the ACL mask), unless it
 *     has the sticky bit and belongs to root, like /tmp: there nobody may rename or remove
 *     an entry that is not their own, so a name checked below it stays put.
 * The last component itself is the caller's to judge (an image's top directory may belong
 * to the sandbox's mapped users), from the fd returned. */
#pragma once

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

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

/* Whether a directory's owner and mode pass the rule for the caller. */
enum trust_fault_kind trust_check_dir(uid_t owner, mode_t mode, uid_t caller);

/* "belongs to uid 1000, mode 0755" or "is writable by its group (mode 0775)", for the
 * message of a fault of kind OWNER or WRITABLE. */
const char *trust_fault_text(const struct trust_fault *fault, char *buf, size_t len);
