/* Trust in a host path: the walk from "/" that checks every directory on the way and opens
 * the path once; configuration files and their exposure to the sandbox (trust.h). */
#include "ward/trust.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/path.h"
#include "ward/util.h"

#define TRUST_MAX_SYMLINKS 40 /* what the kernel allows one lookup */

struct walk {
        char todo[2 * PATH_MAX]; /* what is left to resolve */
        char here[PATH_MAX];     /* the directory dirfd holds, as walked, for messages */
        int dirfd;
        unsigned links;
        bool follow_last; /* a symlink as the last component is followed too */
        uid_t caller;
        struct trust_fault *fault;
};

enum trust_fault_kind trust_check_dir(uid_t owner, mode_t mode, uid_t caller)
{
        if (owner != 0 && owner != caller)
                return TRUST_FAULT_OWNER;
        /* Sticky and root's: others may add names, but not rename or remove ours. */
        if ((mode & (S_IWGRP | S_IWOTH)) && !((mode & S_ISVTX) && owner == 0))
                return TRUST_FAULT_WRITABLE;
        return TRUST_FAULT_NONE;
}

const char *trust_fault_text(const struct trust_fault *f, char *buf, size_t len)
{
        unsigned mode = (unsigned)(f->mode & 07777);

        if (f->kind == TRUST_FAULT_OWNER)
                snprintf(buf, len, "belongs to uid %u (gid %u, mode %04o)", (unsigned)f->uid,
                         (unsigned)f->gid, mode);
        else if (f->kind == TRUST_FAULT_WRITABLE)
                snprintf(buf, len, "is writable by %s (uid %u, gid %u, mode %04o)",
                         (f->mode & S_IWOTH) ? "every user" : "its group", (unsigned)f->uid,
                         (unsigned)f->gid, mode);
        else
                snprintf(buf, len, "cannot be looked up");
        return buf;
}

/* The next name of w->todo into name, removed from todo; 0 when none is left. */
static int pop_component(char *todo, char *name, size_t len)
{
        size_t skip = strspn(todo, "/"), n = strcspn(todo + skip, "/");

        if (n == 0)
                return 0;
        if (n >= len)
                return -ENAMETOOLONG;
        memcpy(name, todo + skip, n);
        name[n] = '\0';
        memmove(todo, todo + skip + n, strlen(todo + skip + n) + 1);
        return 1;
}

static int lookup_fault(struct walk *w, const char *name, int err)
{
        w->fault->kind = TRUST_FAULT_LOOKUP;
        snprintf(w->fault->path, sizeof(w->fault->path), "%.3000s%s%.1000s", w->here,
                 strcmp(w->here, "/") == 0 ? "" : "/", name);
        return -err;
}

/* Whether uid has an entry in this process's uid_map; *initial: the map is the initial
 * user namespace's (every uid, once). */
static bool uid_mapped_here(unsigned long uid, bool *initial)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/uid_map", "re");
        unsigned long inside, outside, count;
        bool mapped = false;

        *initial = false;
        while (f && fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3) {
                if (inside == 0 && outside == 0 && count == 4294967295UL)
                        *initial = true;
                if (uid >= inside && uid - inside < count)
                        mapped = true;
        }
        return mapped;
}

/* Inside a container's user namespace, a file whose owner is not mapped there (the host's
 * root's, typically) shows as the overflow uid, and nobody in the namespace can change it.
 * Where the overflow uid is also a real user of the namespace, only a read-only mount
 * tells them apart. */
static bool owner_outside_namespace(int fd, const struct stat *st)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/sys/kernel/overflowuid", "re");
        unsigned long overflow = 65534;
        struct statvfs vfs;
        bool initial;

        if (f && fscanf(f, "%lu", &overflow) != 1)
                overflow = 65534;
        if (st->st_uid != overflow)
                return false;
        if (!uid_mapped_here(overflow, &initial))
                return !initial;
        return !initial && fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
}

/* The directory a name is about to be looked up in must pass the rule. */
static int check_here(struct walk *w)
{
        struct stat st;
        enum trust_fault_kind kind;

        if (fstat(w->dirfd, &st) < 0)
                return lookup_fault(w, ".", errno);
        kind = trust_check_dir(st.st_uid, st.st_mode, w->caller);
        if (kind == TRUST_FAULT_OWNER && owner_outside_namespace(w->dirfd, &st))
                kind = trust_check_dir(0, st.st_mode, w->caller);
        if (kind == TRUST_FAULT_NONE)
                return 0;
        *w->fault = (struct trust_fault){
            .kind = kind, .uid = st.st_uid, .gid = st.st_gid, .mode = st.st_mode};
        snprintf(w->fault->path, sizeof(w->fault->path), "%s", w->here);
        return -EPERM;
}

static int walk_from_root(struct walk *w)
{
        if (w->dirfd >= 0)
                close(w->dirfd);
        w->dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        snprintf(w->here, sizeof(w->here), "/");
        return w->dirfd < 0 ? lookup_fault(w, "", errno) : 0;
}

/* dirfd becomes fd, the entry name of the directory it held. */
static void enter(struct walk *w, int fd, const char *name)
{
        size_t n = strlen(w->here);

        close(w->dirfd);
        w->dirfd = fd;
        if (strcmp(name, "..") == 0) {
                char *slash = strrchr(w->here, '/');
                if (slash && slash != w->here)
                        *slash = '\0';
                else
                        snprintf(w->here, sizeof(w->here), "/");
        } else if (n + 1 + strlen(name) < sizeof(w->here)) {
                snprintf(w->here + n, sizeof(w->here) - n, "%s%s", n == 1 ? "" : "/", name);
        }
}

/* A symlink on the way: its text goes in front of what is left. It was found in a directory
 * that passed the rule, so only someone trusted could have put it there; its target is
 * walked and checked like the rest. */
static int follow_link(struct walk *w, int linkfd, const char *name)
{
        char target[PATH_MAX + 1];
        ssize_t n = readlinkat(linkfd, "", target, sizeof(target));

        if (n < 0)
                return lookup_fault(w, name, errno);
        if (n >= PATH_MAX || (size_t)n + 1 + strlen(w->todo) >= sizeof(w->todo))
                return lookup_fault(w, name, ENAMETOOLONG);
        if (++w->links > TRUST_MAX_SYMLINKS)
                return lookup_fault(w, name, ELOOP);
        target[n] = '/';
        memmove(w->todo + n + 1, w->todo, strlen(w->todo) + 1);
        memcpy(w->todo, target, (size_t)n + 1);
        return target[0] == '/' ? walk_from_root(w) : 0;
}

/* One name: 1 to go on, 0 when the walk is done (dirfd holds the path), -errno. */
static int walk_step(struct walk *w)
{
        char name[NAME_MAX + 1];
        struct stat st;
        bool last;
        int r = pop_component(w->todo, name, sizeof(name));
        _cleanup_close_ int fd = -1;

        if (r <= 0)
                return r < 0 ? lookup_fault(w, w->todo, -r) : 0;
        if (strcmp(name, ".") == 0)
                return 1;
        last = w->todo[strspn(w->todo, "/")] == '\0';
        if ((r = check_here(w)) < 0)
                return r;
        if ((fd = openat(w->dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
            fstat(fd, &st) < 0)
                return lookup_fault(w, name, errno);
        if ((!last || w->follow_last) && S_ISLNK(st.st_mode))
                return (r = follow_link(w, fd, name)) < 0 ? r : 1;
        if (!last && !S_ISDIR(st.st_mode))
                return lookup_fault(w, name, ENOTDIR);
        enter(w, ward_take_fd(&fd), name);
        return 1;
}

static int open_path(const char *path, uid_t caller, bool follow_last, struct trust_fault *fault)
{
        struct walk w = {.dirfd = -1, .caller = caller, .fault = fault, .follow_last = follow_last};
        int r;

        memset(fault, 0, sizeof(*fault));
        if (!path || path[0] != '/')
                return -EINVAL;
        if (strlen(path) >= sizeof(w.todo))
                return -ENAMETOOLONG;
        snprintf(w.todo, sizeof(w.todo), "%s", path);
        r = walk_from_root(&w);
        while (r >= 0 && (r = walk_step(&w)) > 0)
                ;
        if (r < 0) {
                if (w.dirfd >= 0)
                        close(w.dirfd);
                return r;
        }
        return w.dirfd;
}

int trust_open_path(const char *path, uid_t caller, struct trust_fault *fault)
{
        return open_path(path, caller, false, fault);
}

int trust_open_path_follow(const char *path, uid_t caller, struct trust_fault *fault)
{
        return open_path(path, caller, true, fault);
}

/* ------------------------------------------------------------------------------------- */
/* Configuration files                                                                   */

static int untrusted(const char *what, const char *file, const char *node, const char *why,
                     struct ward_error *e)
{
        ward_error_set(e, EPERM, "%s %.400s: %.400s %s", what, file, node, why);
        if (geteuid() == 0)
                ward_error_hint(e,
                                "ward reads configuration only from files that root owns and "
                                "nobody else can change: chown root: and chmod go-w %.300s, or "
                                "keep the file where only root can write (/etc/ward)",
                                node);
        else
                ward_error_hint(e,
                                "ward reads configuration only from files that you or root "
                                "own and nobody else can change: chmod go-w %.300s, or keep "
                                "the file where only you can write (~/.config/ward)",
                                node);
        return -EPERM;
}

/* The file itself: a regular file of root's or the caller's that nobody else may write. */
static int check_config_file(const char *what, const char *file, int fd, struct stat *st,
                             struct ward_error *e)
{
        struct trust_fault f;
        char why[160];

        if (fstat(fd, st) < 0)
                return ward_error_set(e, errno, "cannot read %s %.512s", what, file);
        if (!S_ISREG(st->st_mode))
                return ward_error_set(e, EINVAL, "%s %.512s is not a regular file", what, file);
        f = (struct trust_fault){.uid = st->st_uid, .gid = st->st_gid, .mode = st->st_mode};
        if (st->st_uid != 0 && st->st_uid != geteuid() && !owner_outside_namespace(fd, st))
                f.kind = TRUST_FAULT_OWNER;
        else if (st->st_mode & 022)
                f.kind = TRUST_FAULT_WRITABLE;
        if (f.kind == TRUST_FAULT_NONE)
                return 0;
        return untrusted(what, file, file, trust_fault_text(&f, why, sizeof(why)), e);
}

static int walk_error(const char *what, const char *file, int r, const struct trust_fault *f,
                      struct ward_error *e)
{
        char why[160];

        if (f->kind == TRUST_FAULT_OWNER || f->kind == TRUST_FAULT_WRITABLE)
                return untrusted(what, file, f->path, trust_fault_text(f, why, sizeof(why)), e);
        ward_error_set(e, -r, "cannot read %s %.512s", what, file);
        if (r == -ENOENT)
                ward_error_hint(e, "check the path; a bare NAME is looked up as NAME.profile "
                                   "in the profile directories");
        return r;
}

int trust_open_config_file(const char *path, const char *what, struct ward_error *e)
{
        char abs[PATH_MAX], cwd[PATH_MAX];
        struct trust_fault fault;
        _cleanup_close_ int fd = -1;
        struct stat st;
        int r;

        if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
                return ward_error_set(e, errno, "cannot read %s %.512s", what, path);
        if ((size_t)snprintf(abs, sizeof(abs), "%s%s%s", path[0] == '/' ? "" : cwd,
                             path[0] == '/' ? "" : "/", path) >= sizeof(abs))
                return ward_error_set(e, ENAMETOOLONG, "%s %.512s", what, path);
        if ((fd = trust_open_path_follow(abs, geteuid(), &fault)) < 0)
                return walk_error(what, path, fd, &fault, e);
        if ((r = check_config_file(what, path, fd, &st, e)) < 0)
                return r;
        /* Only now, and only the file just checked, is opened for reading. */
        if ((r = ward_reopen_for_reading(fd, &st)) < 0)
                return ward_error_set(e, -r, "cannot read %s %.512s", what, path);
        return r;
}
