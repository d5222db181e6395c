/* The sandbox's filesystem, built with the new mount API.
 *
 * The root is a recursive clone of the image (or of the host's "/"), made read-only and
 * stacked on its own source path so that pivot_root can enter it. Everything else is
 * mounted onto fds that openat2(RESOLVE_IN_ROOT) resolved inside that clone: a symlink in
 * the image can then only point somewhere else inside the image, never at the host
 * (CVE-2021-30465), and no string path inside the image ever reaches mount(2).
 *
 * Host-side paths (the image, bind sources) are cloned first, before anything is mounted
 * in the new root; the root is then stacked on "/" and entered with pivot_root(".", "."). */
#include "ward/mount.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ward/path.h"
#include "ward/syscalls.h"
#include "ward/trust.h"
#include "ward/util.h"

#define TMPFS_DEFAULT_SIZE (64ull << 20)
#define DEV_TMPFS_SIZE "64k"
#define DEV_SHM_SIZE "64m"
#define MASK_TMPFS_SIZE "4k"
#define OPENAT2_RETRIES 32

/* Who to blame in an error: the profile key (or flag) and where it was set. A setting
 * from a bundle's config.json is named by its JSON path instead ("mounts[3]"), which its
 * origin carries and ward_error_at() prefers. */
struct blame {
        const char *key;
        const struct ward_origin *origin;
};

/* State shared by the setup steps. */
struct mount_ctx {
        const struct ward_config *c;
        const struct ward_plan *p;
        struct ward_error *e;
        int rootfd;      /* the new root's tree, attached on top of c->root */
        int *bind_trees; /* per c->mounts entry: the detached clone of a bind source, or -1 */
        dev_t *own_devs; /* superblocks of the tmpfs mounts ward made: the only places it may
                          * create a missing mount target */
        size_t n_own_devs;
        int mask_dir; /* the first MaskPath= tmpfs, attached: later masks are its clones */
};

static void mount_ctx_done(struct mount_ctx *x)
{
        if (x->rootfd >= 0)
                close(x->rootfd);
        if (x->mask_dir >= 0)
                close(x->mask_dir);
        for (size_t i = 0; x->bind_trees && i < x->c->n_mounts; i++)
                if (x->bind_trees[i] >= 0)
                        close(x->bind_trees[i]);
        free(x->bind_trees);
        free(x->own_devs);
}

static bool from_command_line(const struct ward_origin *o)
{
        return o && o->file && strcmp(o->file, "command line") == 0;
}

/* Name the flag when the setting came from the command line, the profile key otherwise. */
static struct blame blame_root(const struct ward_config *c)
{
        return (struct blame){from_command_line(&c->root_origin) ? "--rootfs" : "Filesystem.Root",
                              &c->root_origin};
}

static struct blame blame_mount(const struct ward_mount *m)
{
        bool cli = from_command_line(&m->origin);

        if (m->kind == WARD_MOUNT_TMPFS)
                return (struct blame){cli ? "--tmpfs" : "Filesystem.Tmpfs", &m->origin};
        if (m->kind == WARD_MOUNT_MQUEUE)
                return (struct blame){"mounts", &m->origin};
        return (struct blame){cli ? "--volume" : "Filesystem.Bind", &m->origin};
}

static uint64_t tmpfs_size(const struct ward_mount *m)
{
        return m->size_bytes ? m->size_bytes : TMPFS_DEFAULT_SIZE;
}

/* ------------------------------------------------------------------------------------- */
/* Monitor side                                                                          */

/* Absolute, no ".." (it would climb out of a directory we resolved), and not "/" itself:
 * the root is Filesystem.Root's business. The checks see the path as the kernel will
 * (path.h): the settings hold it normalized already, and norm gets that form again here so
 * that no entry added some other way ("/./proc") can slip past a comparison. */
static int validate_target(const char *path, struct blame b, char norm[PATH_MAX],
                           struct ward_error *e)
{
        if (!path || strlen(path) >= PATH_MAX)
                return ward_error_at(e, b.origin, b.key, path ? ENAMETOOLONG : 0, "target %s",
                                     path ? "is too long" : "is missing");
        strcpy(norm, path);
        if (ward_path_normalize_at(norm, b.origin, b.key, e) < 0)
                return -EINVAL;
        if (strcmp(norm, "/") == 0)
                return ward_error_at(e, b.origin, b.key, 0, "cannot mount over the root"),
                       ward_error_hint(e, "choose the root with Filesystem.Root= (--rootfs)"),
                       -EINVAL;
        return 0;
}

/* Whoever may write the root's top directory can swap what ward mounts on, or plant what
 * the sandbox trusts, while ward sets it up: it must belong to root, to the caller or (as
 * root) to the sandbox's own mapped users, and be writable by nobody else. */
static int validate_root_owner(const struct ward_config *c, const struct stat *st, struct blame b,
                               struct ward_error *e)
{
        uid_t me = geteuid();
        bool mapped = me == 0 && st->st_uid >= c->id_map_base &&
                      (uint64_t)st->st_uid < (uint64_t)c->id_map_base + WARD_ID_MAP_RANGE;

        if (st->st_uid != 0 && st->st_uid != me && !mapped)
                return ward_error_at(e, b.origin, b.key, EPERM,
                                     "the root filesystem \"%s\" belongs to uid %u, neither root "
                                     "nor you (uid %u): that user could change it while ward "
                                     "sets it up; refused",
                                     c->root, (unsigned)st->st_uid, (unsigned)me),
                       ward_error_hint(e, "chown the image's top directory to root or to you"),
                       -EPERM;
        if (st->st_mode & (S_IWGRP | S_IWOTH))
                return ward_error_at(e, b.origin, b.key, EPERM,
                                     "the root filesystem \"%s\" is writable by %s: they "
                                     "could change it while ward sets it up; refused",
                                     c->root, st->st_mode & S_IWOTH ? "every user" : "its group"),
                       ward_error_hint(e, "chmod go-w the image's top directory"), -EPERM;
        return 0;
}

/* A directory above the root failed the rule of trust.h: name it, its owner and mode. */
static int chain_error(const struct ward_config *c, const struct trust_fault *f, struct blame b,
                       struct ward_error *e)
{
        char why[128];

        ward_error_at(e, b.origin, b.key, EPERM,
                      "the root filesystem \"%s\" lies below %s, which %s: %s could swap the "
                      "image for another while ward sets it up; refused",
                      c->root, f->path, trust_fault_text(f, why, sizeof(why)),
                      f->kind == TRUST_FAULT_OWNER ? "that user" : "they");
        if (f->kind == TRUST_FAULT_OWNER)
                ward_error_hint(e,
                                "every directory above the image must belong to root (or to "
                                "you): chown root %s, or move the image (e.g. below "
                                "/srv/images)",
                                f->path);
        else
                ward_error_hint(e,
                                "no directory above the image may be writable by others "
                                "(unless sticky and root's, like /tmp): chmod go-w %s, or "
                                "move the image",
                                f->path);
        return -EPERM;
}

/* c->root, walked from "/" with every directory on the way checked (trust.h) and opened
 * once: the fd is what every later step uses. */
static int open_root_checked(const struct ward_config *c, struct ward_error *e)
{
        struct blame b = blame_root(c);
        struct trust_fault f;
        int fd;

        if (!c->root)
                return ward_error_at(e, b.origin, b.key, 0, "no root filesystem given"),
                       ward_error_hint(e, "pass --rootfs DIR (or --rootfs / for the host's "
                                          "root, read-only), or set Filesystem.Root="),
                       -EINVAL;
        fd = trust_open_path(c->root, geteuid(), &f);
        if (fd >= 0)
                return fd;
        if (f.kind == TRUST_FAULT_OWNER || f.kind == TRUST_FAULT_WRITABLE)
                return chain_error(c, &f, b, e);
        return ward_error_at(e, b.origin, b.key, -fd,
                             "cannot use \"%s\" as the root filesystem (at %s)", c->root,
                             f.path[0] ? f.path : c->root),
               ward_error_hint(e, "give an existing directory holding the image, or / for the "
                                  "host's root"),
               fd;
}

/* The root itself: a directory, not a symlink (which is not followed: its target could
 * change), owned and writable as validate_root_owner() says. Returns the O_PATH fd. */
static int open_root_validated(const struct ward_config *c, struct ward_error *e)
{
        struct blame b = blame_root(c);
        _cleanup_close_ int fd = open_root_checked(c, e);
        struct stat st;
        int r;

        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return ward_error_at(e, b.origin, b.key, errno, "cannot stat %s", c->root);
        if (S_ISLNK(st.st_mode))
                return ward_error_at(e, b.origin, b.key, ELOOP,
                                     "the root filesystem \"%s\" is a symlink; refused", c->root),
                       ward_error_hint(e, "give the directory it points to (see readlink -f)"),
                       -ELOOP;
        if (!S_ISDIR(st.st_mode))
                return ward_error_at(e, b.origin, b.key, ENOTDIR,
                                     "the root filesystem \"%s\" is not a directory", c->root),
                       ward_error_hint(e, "unpack the image into a directory and give that"),
                       -ENOTDIR;
        if ((r = validate_root_owner(c, &st, b, e)) < 0)
                return r;
        return ward_take_fd(&fd);
}

static int validate_root(const struct ward_config *c, struct ward_plan *p, struct ward_error *e)
{
        int fd = open_root_validated(c, e);

        if (fd < 0)
                return fd;
        if (p->root_path_fd >= 0)
                close(p->root_path_fd);
        p->root_path_fd = fd;
        return 0;
}

int mount_open_root(const struct ward_config *c, const struct ward_plan *p, struct ward_error *e)
{
        int fd;

        /* Entrypoint mode: "/" is the container's own, whoever the runtime made its owner. */
        if (c->in_place)
                return open_root_checked(c, e);
        if (!p || p->root_path_fd < 0)
                return open_root_validated(c, e);
        if ((fd = fcntl(p->root_path_fd, F_DUPFD_CLOEXEC, 3)) < 0)
                return ward_error_set(e, errno, "cannot duplicate the root's fd");
        return fd;
}

static int validate_mount(const struct ward_mount *m, struct ward_error *e)
{
        struct blame b = blame_mount(m);
        struct stat st;
        char target[PATH_MAX];
        int r = validate_target(m->target, b, target, e);
        bool in_proc = r >= 0 && ward_path_within(target, "/proc");

        if (r < 0)
                return r;
        /* The sandbox's own proc, with its masked and read-only paths, is mounted at /proc
         * and /dev is built by ward: a mount on them (or in proc) would hide those
         * protections (CVE-2019-19921), so it is refused before anything is created. */
        if (in_proc || strcmp(target, "/dev") == 0)
                return ward_error_at(e, b.origin, b.key, 0,
                                     "cannot mount on %s%s%s%s: ward mounts the sandbox's own %s "
                                     "there, with its masked paths",
                                     target, strcmp(target, m->target) ? " (written \"" : "",
                                     strcmp(target, m->target) ? m->target : "",
                                     strcmp(target, m->target) ? "\")" : "",
                                     in_proc ? "proc" : "/dev"),
                       ward_error_hint(e, "mount it somewhere else, e.g. under /mnt"), -EINVAL;
        if (m->kind == WARD_MOUNT_TMPFS) {
                /* 0 would mean "no limit" to the kernel: half of the host's RAM. */
                if (tmpfs_size(m) == 0)
                        return ward_error_at(e, b.origin, b.key, 0,
                                             "tmpfs %s: a size of 0 is unlimited; refused",
                                             m->target),
                               ward_error_hint(e, "give a size, e.g. size=64M"), -EINVAL;
                return 0;
        }
        if (m->kind == WARD_MOUNT_MQUEUE)
                return 0;
        if (!m->source || m->source[0] != '/')
                return ward_error_at(e, b.origin, b.key, 0,
                                     "bind source \"%s\" is not an absolute path",
                                     m->source ? m->source : ""),
                       ward_error_hint(e, "give the host path from /"), -EINVAL;
        if (stat(m->source, &st) < 0)
                return ward_error_at(e, b.origin, b.key, errno, "bind source \"%s\"", m->source),
                       ward_error_hint(e, "create it on the host, or fix the path"), -errno;
        return 0;
}

int mount_validate(const struct ward_config *c, struct ward_plan *p, struct ward_error *e)
{
        char norm[PATH_MAX];
        int r = validate_root(c, p, e);

        for (size_t i = 0; r >= 0 && i < c->n_mounts; i++)
                r = validate_mount(&c->mounts[i], e);
        for (size_t i = 0; r >= 0 && i < c->n_masked_paths; i++)
                r = validate_target(
                    c->masked_paths[i].path,
                    (struct blame){"Filesystem.MaskPath", &c->masked_paths[i].origin}, norm, e);
        for (size_t i = 0; r >= 0 && i < c->n_readonly_paths; i++)
                r = validate_target(
                    c->readonly_paths[i].path,
                    (struct blame){"Filesystem.ReadOnlyPath", &c->readonly_paths[i].origin}, norm,
                    e);
        return r;
}

/* ------------------------------------------------------------------------------------- */
/* Mount primitives: every one works on fds                                              */

/* Resolve path inside the new root as if it were "/": ".." and absolute symlinks stop at
 * the root, and magic links (/proc/PID/fd/N, /proc/PID/root) are refused, so no lookup can
 * leave the image. Returns an O_PATH fd or -errno. */
static int open_in_root(int rootfd, const char *path, int oflags, uint64_t resolve)
{
        struct open_how how = {
            .flags = (uint64_t)(O_PATH | O_CLOEXEC | oflags),
            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve,
        };

        for (int i = 0; i < OPENAT2_RETRIES; i++) {
                int fd = ward_openat2(rootfd, path, &how);
                if (fd >= 0)
                        return fd;
                /* EAGAIN: a rename raced with ".." resolution; the kernel asks us to retry. */
                if (errno != EAGAIN)
                        return -errno;
        }
        return -EAGAIN;
}

static int attach_mount(int mntfd, int targetfd)
{
        if (move_mount(mntfd, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
            0)
                return -errno;
        return 0;
}

/* Also private: a clone of a shared mount (systemd makes "/" shared) is a peer of the
 * original, and mounts made in the sandbox would propagate to the host's tree; pivot_root
 * also refuses a shared old root (EINVAL). */
static int set_mount_attrs(int treefd, uint64_t attrs, bool recursive)
{
        struct mount_attr attr = {.attr_set = attrs, .propagation = MS_PRIVATE};
        unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);

        if (mount_setattr(treefd, "", flags, &attr, sizeof(attr)) < 0)
                return -errno;
        return 0;
}

/* Fail closed: read the flags back rather than trusting the call that set them. */
static bool mount_is_readonly(int fd)
{
        struct statvfs sv;

        return fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

static bool fd_is_dir(int fd)
{
        struct stat st;

        return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A detached clone of a host path (followed if a symlink: the host side is trusted). */
static int clone_host_tree(const char *path, bool recursive, uint64_t attrs)
{
        unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
        _cleanup_close_ int tree = open_tree(AT_FDCWD, path, flags);
        int r;

        if (tree < 0)
                return -errno;
        if ((r = set_mount_attrs(tree, attrs, recursive)) < 0)
                return r;
        return ward_take_fd(&tree);
}

struct fs_option {
        const char *key;
        const char *value; /* NULL: a flag, like devpts' "newinstance" */
};

/* Appends the fs source to opts[n] when there is one (a bundle's "source": the name
 * /proc/self/mountinfo shows); without, the kernel shows "none". The new count. */
static size_t with_source(struct fs_option *opts, size_t n, const char *source)
{
        if (source)
                opts[n++] = (struct fs_option){"source", source};
        return n;
}

static const char *fixed_source(const struct mount_ctx *x, enum ward_fixed_mount which)
{
        return x->c->fixed[which].source;
}

/* Why fsconfig refused: the kernel explains in the fs context's log ("e tmpfs: Bad value
 * for 'size'"), which says more than the errno alone. */
static int fs_failed(int fsfd, struct blame b, struct ward_error *e, const char *fstype,
                     const char *what)
{
        int err = errno;
        char log[256] = "";
        ssize_t n = read(fsfd, log, sizeof(log) - 1);

        log[n > 0 ? n : 0] = '\0';
        log[strcspn(log, "\n")] = '\0';
        return ward_error_at(e, b.origin, b.key, err, "cannot create a %s: %s failed%s%s", fstype,
                             what, log[0] ? ": " : "", log);
}

/* A new, detached instance of fstype with the given mount attributes. */
static int fs_create(const char *fstype, const struct fs_option *opts, size_t n_opts,
                     uint64_t attrs, struct blame b, struct ward_error *e)
{
        _cleanup_close_ int fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
        int mntfd;

        if (fsfd < 0)
                return ward_error_at(e, b.origin, b.key, errno, "cannot create a %s: fsopen",
                                     fstype);
        for (size_t i = 0; i < n_opts; i++) {
                int r = opts[i].value
                            ? fsconfig(fsfd, FSCONFIG_SET_STRING, opts[i].key, opts[i].value, 0)
                            : fsconfig(fsfd, FSCONFIG_SET_FLAG, opts[i].key, NULL, 0);
                if (r < 0)
                        return fs_failed(fsfd, b, e, fstype, opts[i].key);
        }
        if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return fs_failed(fsfd, b, e, fstype, "fsconfig(create)");
        mntfd = fsmount(fsfd, FSMOUNT_CLOEXEC, (unsigned)attrs);
        if (mntfd < 0)
                return fs_failed(fsfd, b, e, fstype, "fsmount");
        return mntfd;
}

static int remember_own_tmpfs(struct mount_ctx *x, int mntfd)
{
        struct stat st;

        if (fstat(mntfd, &st) < 0)
                return ward_error_set(x->e, errno, "fstat of a new tmpfs");
        x->own_devs[x->n_own_devs++] = st.st_dev;
        return 0;
}

static bool is_own_tmpfs(const struct mount_ctx *x, int fd)
{
        struct stat st;

        if (fstat(fd, &st) < 0)
                return false;
        for (size_t i = 0; i < x->n_own_devs; i++)
                if (x->own_devs[i] == st.st_dev)
                        return true;
        return false;
}

/* ------------------------------------------------------------------------------------- */
/* Targets inside the new root                                                           */

/* The deepest existing directory above path, and where the missing part starts. */
static int open_deepest_existing(int rootfd, const char *path, const char **rest)
{
        char prefix[PATH_MAX];
        size_t len = strlen(path);

        for (;;) {
                while (len > 1 && path[len - 1] == '/')
                        len--;
                const char *slash = memrchr(path, '/', len);
                if (!slash)
                        return -ENOENT;
                len = (size_t)(slash - path);
                memcpy(prefix, path, len);
                strcpy(prefix + len, len ? "" : "/");
                int fd = open_in_root(rootfd, prefix, O_DIRECTORY, 0);
                if (fd >= 0) {
                        *rest = path + len;
                        return fd;
                }
                if (fd != -ENOENT || len == 0)
                        return fd;
        }
}

/* One missing component, made inside dirfd and opened without following anything. */
static int create_component(int dirfd, const char *name, bool dir)
{
        int r = dir ? mkdirat(dirfd, name, 0755) : mknodat(dirfd, name, S_IFREG | 0644, 0);
        int fd;

        if (r < 0 && errno != EEXIST)
                return -errno;
        fd = openat(dirfd, name, O_PATH | O_CLOEXEC | O_NOFOLLOW | (dir ? O_DIRECTORY : 0));
        return fd < 0 ? -errno : fd;
}

/* A missing target may be created only inside a tmpfs ward mounted itself (e.g. /tmp/a/b
 * under Tmpfs=/tmp): the image and the host are never written. -ENOENT when the nearest
 * existing directory is anywhere else. */
static int create_in_own_tmpfs(const struct mount_ctx *x, const char *path, bool want_dir)
{
        const char *rest;
        _cleanup_free_ char *copy = NULL;
        _cleanup_close_ int dir = open_deepest_existing(x->rootfd, path, &rest);
        char *save = NULL;

        if (dir < 0)
                return dir;
        if (!is_own_tmpfs(x, dir))
                return -ENOENT;
        if (!(copy = strdup(rest)))
                return -ENOMEM;
        for (char *name = strtok_r(copy, "/", &save); name;) {
                char *next = strtok_r(NULL, "/", &save);
                if (strcmp(name, ".") != 0) {
                        int fd = create_component(dir, name, next || want_dir);
                        if (fd < 0)
                                return fd;
                        close(dir);
                        dir = fd;
                }
                name = next;
        }
        return ward_take_fd(&dir);
}

/* The fd to mount a user's tmpfs or bind onto: an existing path in the image (followed
 * only inside the root), or one made in a tmpfs of ours. want_dir must match the source. */
static int open_target(const struct mount_ctx *x, const char *path, bool want_dir, struct blame b)
{
        _cleanup_close_ int fd = open_in_root(x->rootfd, path, 0, 0);

        if (fd == -ENOENT)
                fd = create_in_own_tmpfs(x, path, want_dir);
        if (fd == -ENOENT)
                return ward_error_at(x->e, b.origin, b.key, ENOENT,
                                     "%s does not exist in the root filesystem", path),
                       ward_error_hint(x->e,
                                       "create the %s in the image, or choose an "
                                       "existing one (ward only creates paths inside "
                                       "a tmpfs it mounted itself)",
                                       want_dir ? "directory" : "file"),
                       -ENOENT;
        if (fd < 0)
                return ward_error_at(x->e, b.origin, b.key, -fd, "%s in the root filesystem", path);
        if (fd_is_dir(fd) != want_dir)
                return ward_error_at(x->e, b.origin, b.key, want_dir ? ENOTDIR : EISDIR,
                                     "%s is %sa directory in the root filesystem, but what "
                                     "is mounted there is %s",
                                     path, want_dir ? "not " : "", want_dir ? "one" : "a file"),
                       ward_error_hint(x->e, "mount a directory onto a directory, a file "
                                             "onto a file"),
                       want_dir ? -ENOTDIR : -EISDIR;
        return ward_take_fd(&fd);
}

/* /proc, /dev and /sys: plain directories of the image. No symlink at all is followed, so a
 * hostile image cannot point them anywhere, even inside itself. -ENOENT (no error set) when
 * an optional one is absent. */
static int open_fixed_dir(const struct mount_ctx *x, const char *path, bool required)
{
        struct blame b = blame_root(x->c);
        _cleanup_close_ int fd = open_in_root(x->rootfd, path, 0, RESOLVE_NO_SYMLINKS);

        if (fd == -ENOENT && !required)
                return -ENOENT;
        if (fd == -ENOENT)
                return ward_error_at(x->e, b.origin, b.key, ENOENT,
                                     "the root filesystem %s has no %s", x->c->root, path),
                       ward_error_hint(x->e, "create the directory %s in the image", path), -ENOENT;
        if (fd == -ELOOP)
                return ward_error_at(x->e, b.origin, b.key, ELOOP,
                                     "%s in the root filesystem %s is a symlink; refused: a "
                                     "mount there could be redirected",
                                     path, x->c->root),
                       ward_error_hint(x->e, "make %s a plain, empty directory in the image", path),
                       -ELOOP;
        if (fd < 0)
                return ward_error_at(x->e, b.origin, b.key, -fd, "cannot open %s in %s", path,
                                     x->c->root);
        if (!fd_is_dir(fd))
                return ward_error_at(x->e, b.origin, b.key, ENOTDIR,
                                     "%s in the root filesystem %s is not a directory", path,
                                     x->c->root),
                       ward_error_hint(x->e, "make %s a plain, empty directory in the image", path),
                       -ENOTDIR;
        return ward_take_fd(&fd);
}

/* ------------------------------------------------------------------------------------- */
/* Setup steps, in order                                                                 */

/* Step 1: nothing mounted from here on may propagate back to the host's namespace. */
static int make_mounts_private(const struct mount_ctx *x)
{
        struct blame b = blame_root(x->c);

        if (!(x->c->unshare_flags & CLONE_NEWNS))
                return ward_error_at(x->e, &x->c->unshare_origin, "Namespaces.Unshare", 0,
                                     "refusing to build the root in the host's mount "
                                     "namespace"),
                       ward_error_hint(x->e, "add \"mount\" to Namespaces.Unshare="), -EINVAL;
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return ward_error_at(x->e, b.origin, b.key, errno,
                                     "cannot make the mount namespace private"),
                       ward_error_hint(x->e, "ward needs CAP_SYS_ADMIN in its new mount "
                                             "namespace (a user namespace gives it)"),
                       -errno;
        return 0;
}

/* The root's tree, detached. The monitor may have cloned it already (plan root_fd), with its
 * own credentials: by the time setup runs it is the sandbox's root, an unprivileged host uid
 * that may not reach an image below a 0700 directory, and a mount of the monitor's
 * namespace cannot be cloned from ours, only a detached clone can be moved in. Without one,
 * clone our working directory (the checked root, handed over by the monitor) here,
 * recursively so that --rootfs / brings the host's submounts along. */
static int open_root_tree(struct mount_ctx *x)
{
        const struct ward_config *c = x->c;
        struct blame b = blame_root(c);
        _cleanup_close_ int pathfd = -1;

        if (x->p->root_fd >= 0) {
                if ((x->rootfd = fcntl(x->p->root_fd, F_DUPFD_CLOEXEC, 3)) < 0)
                        return ward_error_at(x->e, b.origin, b.key, errno, "dup of the root fd");
                return 0;
        }
        /* The monitor stood in the root it checked for the clone (mount_cwd_enter_root()):
         * the working directory is the one reference the kernel carries into a new mount
         * namespace, so the name is not looked up again. */
        pathfd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (pathfd < 0)
                return ward_error_at(x->e, b.origin, b.key, errno,
                                     "cannot reach the checked root %s", c->root);
        x->rootfd = open_tree(pathfd, "",
                              OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
        if (x->rootfd < 0)
                return ward_error_at(x->e, b.origin, b.key, errno, "cannot clone %s", c->root);
        return 0;
}

/* Step 2: the root tree, read-only, stacked on our namespace's "/" so that it is attached
 * and pivot_root can enter it; no host path is walked for that. The lookups setup still
 * makes by host path (/dev/null, /sys) keep seeing the old root: a mount stacked on the
 * process's root directory is not crossed until pivot_root, except by a ".." (hence the bind
 * sources are cloned before this step). The tree fd stays the root's
 * dirfd. */
static int clone_root(struct mount_ctx *x)
{
        const struct ward_config *c = x->c;
        struct blame b = blame_root(c);
        uint64_t attrs =
            MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (c->read_only ? MOUNT_ATTR_RDONLY : 0);
        int r;

        if ((r = open_root_tree(x)) < 0)
                return r;
        r = set_mount_attrs(x->rootfd, attrs, true);
        if (r >= 0 && move_mount(x->rootfd, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH) < 0)
                r = -errno;
        if (r < 0) {
                ward_error_at(x->e, b.origin, b.key, -r, "cannot mount the root %s", c->root);
                if (x->p->root_fd >= 0 && r == -EINVAL)
                        ward_error_hint(x->e, "the monitor must pass a detached clone "
                                              "(open_tree(OPEN_TREE_CLONE|AT_RECURSIVE)), not an "
                                              "O_PATH fd: a mount of another namespace cannot be "
                                              "moved or cloned");
                return r;
        }
        if (c->read_only && !mount_is_readonly(x->rootfd))
                return ward_error_at(
                    x->e, &c->read_only_origin,
                    from_command_line(&c->read_only_origin) ? "--read-only" : "Filesystem.ReadOnly",
                    EROFS, "the root is still writable after making it read-only");
        return 0;
}

/* The monitor's clone of a bind source, with our attributes applied to our own dup. */
static int reuse_monitor_clone(int tree_fd, uint64_t attrs)
{
        _cleanup_close_ int fd = fcntl(tree_fd, F_DUPFD_CLOEXEC, 3);
        int r;

        if (fd < 0)
                return -errno;
        if ((r = set_mount_attrs(fd, attrs, true)) < 0)
                return r;
        return ward_take_fd(&fd);
}

/* Clone every bind source by its host path before anything is mounted in the new root.
 * Read-only unless asked; never suid or devices. */
static int open_bind_sources(struct mount_ctx *x)
{
        for (size_t i = 0; i < x->c->n_mounts; i++) {
                const struct ward_mount *m = &x->c->mounts[i];
                struct blame b = blame_mount(m);
                uint64_t attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                 (m->writable ? 0 : MOUNT_ATTR_RDONLY) |
                                 (m->noexec ? MOUNT_ATTR_NOEXEC : 0);
                int fd;

                if (m->kind != WARD_MOUNT_BIND)
                        continue;
                if (i < x->p->n_tree_fds && x->p->tree_fds[i] >= 0)
                        fd = reuse_monitor_clone(x->p->tree_fds[i], attrs);
                else
                        fd = clone_host_tree(m->source, true, attrs);
                if (fd < 0)
                        return ward_error_at(x->e, b.origin, b.key, -fd,
                                             "cannot clone bind source %s", m->source),
                               ward_error_hint(x->e, "the sandbox's root user must be able "
                                                     "to reach it: make its parent "
                                                     "directories searchable"),
                               fd;
                x->bind_trees[i] = fd;
                if (!m->writable && !mount_is_readonly(fd))
                        return ward_error_at(x->e, b.origin, b.key, EROFS,
                                             "bind %s is still writable after making it "
                                             "read-only",
                                             m->source);
        }
        return 0;
}

/* Files ward creates in its own tmpfs mounts must belong to an id the user namespace maps,
 * else EOVERFLOW. Setup normally holds the mapped ids already; if it still runs as ward's
 * own uid 0, which is not mapped when ward runs as root, take the sandbox root's fs ids.
 * Only the fs ids change, and execve resets them. Without a uid 0 in the map (rootless),
 * the calls do nothing and the caller's mapped ids stay. */
static void use_sandbox_root_file_ids(const struct mount_ctx *x)
{
        if (!(x->c->unshare_flags & CLONE_NEWUSER))
                return;
        setfsgid(0);
        setfsuid(0);
}

/* Step 4: a proc of the sandbox's own pid namespace. A user namespace may only mount the
 * proc of a pid namespace it owns; as real root it works without one. */
static int mount_proc(struct mount_ctx *x)
{
        const struct ward_config *c = x->c;
        struct blame b = blame_root(c);
        _cleanup_close_ int target = open_fixed_dir(x, "/proc", true);
        _cleanup_close_ int mnt = -1;
        struct fs_option opts[1];
        size_t n = with_source(opts, 0, fixed_source(x, WARD_FIXED_PROC));
        int r;

        if (target < 0)
                return target;
        mnt = fs_create("proc", opts, n, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                        b, x->e);
        if (mnt < 0) {
                if (!(c->unshare_flags & CLONE_NEWPID))
                        ward_error_hint(x->e, "add \"pid\" to Namespaces.Unshare=: without "
                                              "its own pid namespace the sandbox may not "
                                              "mount /proc");
                return mnt;
        }
        if ((r = attach_mount(mnt, target)) < 0)
                return ward_error_at(x->e, b.origin, b.key, -r, "cannot mount /proc");
        return 0;
}

/* The entries of the /dev tmpfs, made through its fd before it is attached. Device nodes
 * are empty files that the host's nodes are bound onto: mknod is not allowed in a user
 * namespace, and a bind needs no CAP_MKNOD either way. */
static const char *const dev_nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
static const struct {
        const char *target, *name;
} dev_links[] = {
    {"pts/ptmx", "ptmx"},          {"/proc/self/fd", "fd"},       {"/proc/self/fd/0", "stdin"},
    {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
};

static int populate_dev(const struct mount_ctx *x, int devfd)
{
        struct blame b = blame_root(x->c);

        for (size_t i = 0; i < ARRAY_SIZE(dev_nodes); i++)
                if (mknodat(devfd, dev_nodes[i], S_IFREG | 0666, 0) < 0)
                        return ward_error_at(x->e, b.origin, b.key, errno, "cannot create /dev/%s",
                                             dev_nodes[i]);
        for (size_t i = 0; i < ARRAY_SIZE(dev_links); i++)
                if (symlinkat(dev_links[i].target, devfd, dev_links[i].name) < 0)
                        return ward_error_at(x->e, b.origin, b.key, errno, "cannot create /dev/%s",
                                             dev_links[i].name);
        if (mkdirat(devfd, "pts", 0755) < 0 || mkdirat(devfd, "shm", 01777) < 0)
                return ward_error_at(x->e, b.origin, b.key, errno,
                                     "cannot create /dev/pts or /dev/shm");
        return 0;
}

/* Mount mntfd onto the entry `name` of our own /dev tmpfs (nothing else can touch it), by
 * name: move_mount() does not follow a symlink there without MOVE_MOUNT_T_SYMLINKS. */
static int attach_in_dev(const struct mount_ctx *x, int devfd, const char *name, int mntfd)
{
        struct blame b = blame_root(x->c);

        if (move_mount(mntfd, "", devfd, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return ward_error_at(x->e, b.origin, b.key, errno, "cannot mount /dev/%s", name);
        return 0;
}

/* A bind of the host's /dev/NAME, checked to be a character device. No suid or exec on it;
 * nodev would make the node useless. */
static int clone_host_device(const struct mount_ctx *x, const char *name)
{
        struct blame b = blame_root(x->c);
        char path[64];
        struct stat st;
        _cleanup_close_ int tree = -1;

        snprintf(path, sizeof(path), "/dev/%s", name);
        tree = clone_host_tree(path, false, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
        if (tree < 0)
                return ward_error_at(x->e, b.origin, b.key, -tree, "cannot bind the host's %s",
                                     path),
                       ward_error_hint(x->e, "ward needs the host's %s device", path), tree;
        if (fstat(tree, &st) < 0 || !S_ISCHR(st.st_mode))
                return ward_error_at(x->e, b.origin, b.key, ENODEV,
                                     "the host's %s is not a character device", path);
        return ward_take_fd(&tree);
}

static int bind_dev_nodes(const struct mount_ctx *x, int devfd)
{
        for (size_t i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
                _cleanup_close_ int node = clone_host_device(x, dev_nodes[i]);
                int r;

                if (node < 0)
                        return node;
                if ((r = attach_in_dev(x, devfd, dev_nodes[i], node)) < 0)
                        return r;
        }
        return 0;
}

/* A devpts of the sandbox's own (newinstance): its ptys are invisible to the host's and the
 * host's to it; /dev/ptmx points at its ptmx. */
static int mount_devpts(const struct mount_ctx *x, int devfd)
{
        struct fs_option opts[] = {
            {"newinstance", NULL}, {"ptmxmode", "0666"}, {"mode", "0620"}, {NULL, NULL}};
        size_t n = with_source(opts, 3, fixed_source(x, WARD_FIXED_DEVPTS));
        _cleanup_close_ int pts = fs_create(
            "devpts", opts, n, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, blame_root(x->c), x->e);

        if (pts < 0)
                return pts;
        return attach_in_dev(x, devfd, "pts", pts);
}

static int mount_dev_shm(struct mount_ctx *x, int devfd)
{
        struct fs_option opts[] = {{"size", DEV_SHM_SIZE}, {"mode", "1777"}, {NULL, NULL}};
        size_t n = with_source(opts, 2, fixed_source(x, WARD_FIXED_SHM));
        _cleanup_close_ int shm =
            fs_create("tmpfs", opts, n, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                      blame_root(x->c), x->e);
        int r;

        if (shm < 0)
                return shm;
        if ((r = attach_in_dev(x, devfd, "shm", shm)) < 0)
                return r;
        return remember_own_tmpfs(x, shm);
}

/* Step 5: a small tmpfs /dev with only the safe devices, a private devpts and /dev/shm.
 * nodev on the tmpfs itself: no node made in it later could work, only the binds do. */
static int mount_dev(struct mount_ctx *x)
{
        struct fs_option opts[] = {{"size", DEV_TMPFS_SIZE}, {"mode", "0755"}, {NULL, NULL}};
        size_t n = with_source(opts, 2, fixed_source(x, WARD_FIXED_DEV));
        struct blame b = blame_root(x->c);
        _cleanup_close_ int target = open_fixed_dir(x, "/dev", true);
        _cleanup_close_ int dev = -1;
        int r;

        if (target < 0)
                return target;
        dev = fs_create("tmpfs", opts, n, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                        b, x->e);
        if (dev < 0)
                return dev;
        if ((r = populate_dev(x, dev)) < 0)
                return r;
        if ((r = attach_mount(dev, target)) < 0)
                return ward_error_at(x->e, b.origin, b.key, -r, "cannot mount /dev");
        if ((r = remember_own_tmpfs(x, dev)) < 0 || (r = bind_dev_nodes(x, dev)) < 0 ||
            (r = mount_devpts(x, dev)) < 0)
                return r;
        return mount_dev_shm(x, dev);
}

/* Step 6: /sys read-only. A fresh sysfs shows the sandbox's own network namespace; without
 * one, a user namespace may not mount sysfs and the host's is bound read-only instead.
 * An image without /sys gets none: there is then nothing of the host's to protect. */
static int mount_sys(struct mount_ctx *x)
{
        const uint64_t attrs =
            MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
        struct blame b = blame_root(x->c);
        _cleanup_close_ int target = open_fixed_dir(x, "/sys", false);
        _cleanup_close_ int sys = -1;
        struct fs_option opts[1];
        size_t n = with_source(opts, 0, fixed_source(x, WARD_FIXED_SYS));
        int r;

        if (target == -ENOENT)
                return 0;
        if (target < 0)
                return target;
        if (x->c->unshare_flags & CLONE_NEWNET)
                sys = fs_create("sysfs", opts, n, attrs, b, x->e);
        else if ((sys = clone_host_tree("/sys", true, attrs)) < 0)
                return ward_error_at(x->e, b.origin, b.key, -sys,
                                     "cannot bind the host's /sys read-only");
        if (sys < 0)
                return sys;
        if (!mount_is_readonly(sys))
                return ward_error_at(x->e, b.origin, b.key, EROFS,
                                     "/sys is still writable after making it read-only");
        if ((r = attach_mount(sys, target)) < 0)
                return ward_error_at(x->e, b.origin, b.key, -r, "cannot mount /sys");
        return 0;
}

int mount_target_absent(int rootfd, const char *path)
{
        /* O_NOFOLLOW: a symlink (even a dangling one) is something, and is then refused or
         * followed inside the root exactly as for a required target. */
        _cleanup_close_ int fd = open_in_root(rootfd, path, O_NOFOLLOW, 0);

        if (fd == -ENOENT)
                return 1;
        return fd < 0 ? fd : 0;
}

int mount_optional_absent(const struct ward_config *c, const struct ward_mount *m)
{
        struct ward_error ignored;
        _cleanup_close_ int rootfd = -1;

        if (!m->optional)
                return 0;
        if (!c->root || c->in_place)
                return -ENOENT;
        memset(&ignored, 0, sizeof(ignored));
        if ((rootfd = mount_open_root(c, NULL, &ignored)) < 0)
                return rootfd;
        return mount_target_absent(rootfd, m->target);
}

/* Step 7a: Tmpfs=, writable, never suid or devices, noexec unless asked. */
static int mount_user_tmpfs(struct mount_ctx *x, const struct ward_mount *m)
{
        struct blame b = blame_mount(m);
        char size[32], mode[16];
        struct fs_option opts[] = {{"size", size}, {"mode", mode}, {NULL, NULL}};
        size_t n = with_source(opts, 2, m->source);
        uint64_t attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (m->exec ? 0 : MOUNT_ATTR_NOEXEC);
        _cleanup_close_ int mnt = -1, target = -1;
        int r;

        if (m->optional && (r = mount_target_absent(x->rootfd, m->target)) != 0)
                return r > 0 ? 0
                             : ward_error_at(x->e, b.origin, b.key, -r, "%s in the root filesystem",
                                             m->target);
        snprintf(size, sizeof(size), "%" PRIu64, tmpfs_size(m));
        snprintf(mode, sizeof(mode), "%o", m->mode);
        if ((mnt = fs_create("tmpfs", opts, n, attrs, b, x->e)) < 0)
                return mnt;
        if ((target = open_target(x, m->target, true, b)) < 0)
                return target;
        if ((r = attach_mount(mnt, target)) < 0)
                return ward_error_at(x->e, b.origin, b.key, -r, "cannot mount a tmpfs on %s",
                                     m->target);
        return remember_own_tmpfs(x, mnt);
}

/* Step 7b: Bind=, the source cloned earlier; a directory onto a directory, else a file. */
static int mount_user_bind(const struct mount_ctx *x, const struct ward_mount *m, int tree)
{
        struct blame b = blame_mount(m);
        _cleanup_close_ int target = open_target(x, m->target, fd_is_dir(tree), b);
        int r;

        if (target < 0)
                return target;
        if ((r = attach_mount(tree, target)) < 0)
                return ward_error_at(x->e, b.origin, b.key, -r, "cannot bind %s onto %s", m->source,
                                     m->target);
        return 0;
}

/* Step 7c: an mqueue of the sandbox's ipc namespace (an OCI bundle's /dev/mqueue). */
static int mount_user_mqueue(const struct mount_ctx *x, const struct ward_mount *m)
{
        struct blame b = blame_mount(m);
        _cleanup_close_ int mnt = -1, target = -1;
        struct fs_option opts[1];
        size_t n = with_source(opts, 0, m->source);
        int r;

        mnt = fs_create("mqueue", opts, n, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                        b, x->e);
        if (mnt < 0)
                return mnt;
        if ((target = open_target(x, m->target, true, b)) < 0)
                return target;
        if ((r = attach_mount(mnt, target)) < 0)
                return ward_error_at(x->e, b.origin, b.key, -r, "cannot mount an mqueue on %s",
                                     m->target);
        return 0;
}

/* mounts[*next] up to, not including, mounts[upto]; *next moves past them. */
static int mount_user_mounts(struct mount_ctx *x, size_t *next, size_t upto)
{
        for (; *next < upto && *next < x->c->n_mounts; (*next)++) {
                size_t i = *next;
                const struct ward_mount *m = &x->c->mounts[i];
                int r = m->kind == WARD_MOUNT_TMPFS    ? mount_user_tmpfs(x, m)
                        : m->kind == WARD_MOUNT_MQUEUE ? mount_user_mqueue(x, m)
                                                       : mount_user_bind(x, m, x->bind_trees[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Steps 4 to 7: /proc, /dev and /sys, each after the user mounts a bundle lists before it
 * (runtimetest checks mountinfo's order); a profile's come after all three. A mount listed
 * before a place ward mounts over (a /dev/mqueue before /dev) ends up hidden, as under
 * other runtimes. The masks and read-only paths still come after everything. */
static int mount_in_order(struct mount_ctx *x)
{
        static const struct {
                enum ward_fixed_mount which;
                int (*make)(struct mount_ctx *x);
        } fixed[] = {{WARD_FIXED_PROC, mount_proc},
                     {WARD_FIXED_DEV, mount_dev},
                     {WARD_FIXED_SYS, mount_sys}};
        size_t next = 0;
        int r;

        for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
                if ((r = mount_user_mounts(x, &next, x->c->fixed[fixed[i].which].after)) < 0 ||
                    (r = fixed[i].make(x)) < 0)
                        return r;
        return mount_user_mounts(x, &next, x->c->n_mounts);
}

#define MASK_ATTRS (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

/* The mask for a directory: an empty read-only tmpfs. One is made; the other masked
 * directories get clones of it (a mount each, one superblock: nothing can be written to it
 * anyway), which saves a superblock per mask at start and at exit. */
static int mask_dir_mount(const struct mount_ctx *x, struct blame b)
{
        static const struct fs_option opts[] = {{"size", MASK_TMPFS_SIZE}, {"mode", "0"}};
        _cleanup_close_ int tree = -1;
        int r;

        if (x->mask_dir < 0)
                return fs_create("tmpfs", opts, ARRAY_SIZE(opts), MASK_ATTRS, b, x->e);
        tree = open_tree(x->mask_dir, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
        r = tree < 0 ? -errno : set_mount_attrs(tree, MASK_ATTRS, false);
        if (r >= 0 && !mount_is_readonly(tree))
                r = -EROFS;
        if (r < 0)
                return ward_error_at(x->e, b.origin, b.key, -r, "cannot clone the read-only mask");
        return ward_take_fd(&tree);
}

/* Step 8: MaskPath=. A directory gets an empty read-only tmpfs, a file the host's /dev/null;
 * a path the sandbox does not have is already hidden. */
static int mask_path(struct mount_ctx *x, const struct ward_path *p)
{
        struct blame b = {"Filesystem.MaskPath", &p->origin};
        _cleanup_close_ int target = open_in_root(x->rootfd, p->path, 0, 0);
        _cleanup_close_ int mask = -1;
        bool dir;
        int r;

        if (target == -ENOENT || target == -ENOTDIR)
                return 0;
        if (target < 0)
                return ward_error_at(x->e, b.origin, b.key, -target, "cannot open %s", p->path);
        if ((dir = fd_is_dir(target)))
                mask = mask_dir_mount(x, b);
        else if ((mask = clone_host_tree("/dev/null", false,
                                         MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC)) < 0)
                return ward_error_at(x->e, b.origin, b.key, -mask,
                                     "cannot bind /dev/null to mask %s", p->path);
        if (mask < 0)
                return mask;
        if ((r = attach_mount(mask, target)) < 0)
                return ward_error_at(x->e, b.origin, b.key, -r, "cannot mask %s", p->path);
        if (dir && x->mask_dir < 0)
                x->mask_dir = ward_take_fd(&mask);
        return 0;
}

/* Step 9: ReadOnlyPath=, bound read-only onto itself, submounts included. */
static int make_path_readonly(const struct mount_ctx *x, const struct ward_path *p)
{
        struct blame b = {"Filesystem.ReadOnlyPath", &p->origin};
        _cleanup_close_ int target = open_in_root(x->rootfd, p->path, 0, 0);
        _cleanup_close_ int tree = -1;
        int r;

        if (target == -ENOENT || target == -ENOTDIR)
                return 0;
        if (target < 0)
                return ward_error_at(x->e, b.origin, b.key, -target, "cannot open %s", p->path);
        tree = open_tree(target, "",
                         OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
        if (tree < 0)
                return ward_error_at(x->e, b.origin, b.key, errno, "cannot clone %s", p->path);
        r = set_mount_attrs(tree, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, true);
        if (r >= 0 && !mount_is_readonly(tree))
                r = -EROFS;
        if (r >= 0)
                r = attach_mount(tree, target);
        if (r < 0)
                return ward_error_at(x->e, b.origin, b.key, -r, "cannot make %s read-only",
                                     p->path);
        return 0;
}

static int apply_path_lists(struct mount_ctx *x)
{
        int r = 0;

        for (size_t i = 0; r >= 0 && i < x->c->n_masked_paths; i++)
                r = mask_path(x, &x->c->masked_paths[i]);
        for (size_t i = 0; r >= 0 && i < x->c->n_readonly_paths; i++)
                r = make_path_readonly(x, &x->c->readonly_paths[i]);
        return r;
}

/* After pivot_root and the detach, exactly one mount may sit at "/": a second would be the
 * old root still stacked there. This reads mountinfo: the fallback for kernels before 5.8. */
static int count_root_mounts(void)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        _cleanup_free_ char *line = NULL;
        size_t cap = 0;
        int n = 0;

        if (!f)
                return -errno;
        while (getline(&line, &cap, f) > 0) {
                char point[8];
                if (sscanf(line, "%*s %*s %*s %*s %7s", point) == 1 && strcmp(point, "/") == 0)
                        n++;
        }
        return n;
}

static int mount_id(int dirfd, const char *path, int flags, uint64_t *id)
{
        struct statx stx;

        if (statx(dirfd, path, flags | AT_NO_AUTOMOUNT, STATX_MNT_ID, &stx) < 0)
                return -errno;
        if (!(stx.stx_mask & STATX_MNT_ID))
                return -EOPNOTSUPP;
        *id = stx.stx_mnt_id;
        return 0;
}

/* Whether a mount is still stacked on "/": a lookup of "/" stays on the root mount, but
 * ".." from the root crosses into whatever is mounted on top of it (right after
 * pivot_root(".", "."), the old root). Two statx() calls instead of formatting and parsing
 * the whole mountinfo, which costs ~0.17 ms of every start. 1: stacked, 0: not. */
int mount_root_overmounted(int rootfd)
{
        uint64_t root_id, top_id;
        int r;

        if ((r = mount_id(rootfd, "", AT_EMPTY_PATH, &root_id)) < 0 ||
            (r = mount_id(AT_FDCWD, "/..", 0, &top_id)) < 0) {
                if (r != -EOPNOTSUPP)
                        return r;
                r = count_root_mounts();
                return r < 0 ? r : r != 1;
        }
        return top_id != root_id;
}

/* Step 10: enter the new root. pivot_root(".", ".") stacks the old root on the new one;
 * detaching it leaves nothing of the host's tree reachable. */
static int pivot_into_root(const struct mount_ctx *x)
{
        struct blame b = blame_root(x->c);
        struct stat now, want;
        int n;

        if (fchdir(x->rootfd) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
                return ward_error_at(x->e, b.origin, b.key, errno, "cannot pivot_root into %s",
                                     x->c->root),
                       ward_error_hint(x->e, "pivot_root cannot leave an initramfs root: boot "
                                             "with a real root filesystem"),
                       -errno;
        if (umount2(".", MNT_DETACH) < 0)
                return ward_error_at(x->e, b.origin, b.key, errno,
                                     "cannot detach the old root after pivot_root");
        if (chdir("/") < 0 || stat("/", &now) < 0 || fstat(x->rootfd, &want) < 0)
                return ward_error_at(x->e, b.origin, b.key, errno, "cannot enter the new root");
        if (now.st_dev != want.st_dev || now.st_ino != want.st_ino)
                return ward_error_at(x->e, b.origin, b.key, 0,
                                     "after pivot_root, / is not the new root");
        if ((n = mount_root_overmounted(x->rootfd)) != 0)
                return ward_error_at(x->e, b.origin, b.key, n < 0 ? -n : 0, "after pivot_root, %s",
                                     n < 0 ? "cannot tell whether the old root is still mounted"
                                           : "the old root is still mounted on /");
        return 0;
}

int mount_setup_root(const struct ward_config *c, const struct ward_plan *p, struct ward_error *e)
{
        _cleanup_(mount_ctx_done) struct mount_ctx x = {
            .c = c, .p = p, .e = e, .rootfd = -1, .mask_dir = -1};
        int r;

        x.bind_trees = malloc((c->n_mounts + 1) * sizeof(*x.bind_trees));
        x.own_devs = calloc(c->n_mounts + 2, sizeof(*x.own_devs)); /* + /dev, /dev/shm */
        if (!x.bind_trees || !x.own_devs)
                return ward_error_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; i < c->n_mounts; i++)
                x.bind_trees[i] = -1;

        /* Bind sources before the root is stacked on "/": a ".." that climbs to "/" crosses
         * into a mount stacked there, and a source like /srv/../data would be looked up in
         * the image (whose symlinks could then point it at any host path). */
        if ((r = make_mounts_private(&x)) < 0 || (r = open_bind_sources(&x)) < 0 ||
            (r = clone_root(&x)) < 0)
                return r;
        use_sandbox_root_file_ids(&x);
        if ((r = mount_in_order(&x)) < 0 || (r = apply_path_lists(&x)) < 0)
                return r;
        return pivot_into_root(&x);
}

/* Monitor side, as root: clone the root and the bind sources with the monitor's own
 * credentials (see plan.h's root_fd). Unprivileged callers cannot clone mounts; setup then
 * clones by path, with the caller's uid, which reaches what the caller can. */
int mount_clone_sources(const struct ward_config *c, struct ward_plan *p, struct ward_error *e)
{
        const unsigned flags =
            OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW;

        if (geteuid() != 0 || !(c->unshare_flags & CLONE_NEWUSER))
                return 0;
        if (p->root_fd < 0) {
                _cleanup_close_ int rootfd = mount_open_root(c, p, e);
                struct blame b = blame_root(c);
                if (rootfd < 0)
                        return rootfd;
                if ((p->root_fd = open_tree(rootfd, "", flags | AT_EMPTY_PATH)) < 0)
                        return ward_error_at(e, b.origin, b.key, errno, "cannot clone the root %s",
                                             c->root);
        }
        for (size_t i = 0; i < c->n_mounts && i < p->n_tree_fds; i++) {
                const struct ward_mount *m = &c->mounts[i];
                if (m->kind != WARD_MOUNT_BIND || p->tree_fds[i] >= 0)
                        continue;
                /* The admin named the host path: follow a symlink there, as docker -v does. */
                p->tree_fds[i] = open_tree(AT_FDCWD, m->source, flags & ~AT_SYMLINK_NOFOLLOW);
                if (p->tree_fds[i] < 0) {
                        struct blame b = blame_mount(m);
                        return ward_error_at(e, b.origin, b.key, errno,
                                             "cannot clone bind source %s", m->source);
                }
        }
        return 0;
}

int mount_cwd_enter_root(const struct ward_config *c, const struct ward_plan *p, int *saved_cwd,
                         struct ward_error *e)
{
        struct blame b = blame_root(c);

        *saved_cwd = -1;
        if (p->root_fd >= 0 || c->in_place)
                return 0;
        if (p->root_path_fd < 0)
                return ward_error_at(e, b.origin, b.key, EBADF, "the root %s was not checked",
                                     c->root);
        if ((*saved_cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
                return ward_error_set(e, errno, "cannot open the working directory");
        if (fchdir(p->root_path_fd) < 0) {
                int err = errno;
                close(*saved_cwd);
                *saved_cwd = -1;
                return ward_error_at(e, b.origin, b.key, err, "cannot enter the root %s", c->root),
                       ward_error_hint(e, "the caller must be able to search the image's top "
                                          "directory"),
                       -err;
        }
        return 0;
}

void mount_forget_root_path(struct ward_plan *p)
{
        if (p->root_path_fd >= 0)
                close(p->root_path_fd);
        p->root_path_fd = -1;
}

int mount_cwd_leave_root(int *saved_cwd, struct ward_error *e)
{
        int r = 0;

        if (*saved_cwd < 0)
                return 0;
        if (fchdir(*saved_cwd) < 0)
                r = ward_error_set(e, errno, "cannot return to the working directory");
        close(*saved_cwd);
        *saved_cwd = -1;
        return r;
}
