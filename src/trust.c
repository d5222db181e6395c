/* Trust in a host path: the walk from "/" that checks every directory on the way and opens
 * the path once (the rule is in trust.h). */
#include "ward/trust.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/util.h"

#define TRUST_MAX_SYMLINKS 40 /* what the kernel allows one lookup */

struct walk {
        char todo[2 * PATH_MAX]; /* what is left to resolve */
        char here[PATH_MAX];     /* the directory dirfd holds, as walked, for messages */
        int dirfd;
        unsigned links;
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

/* The directory a name is about to be looked up in must pass the rule. */
static int check_here(struct walk *w)
{
        struct stat st;
        enum trust_fault_kind kind;

        if (fstat(w->dirfd, &st) < 0)
                return lookup_fault(w, ".", errno);
        if ((kind = trust_check_dir(st.st_uid, st.st_mode, w->caller)) == TRUST_FAULT_NONE)
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
        if (!last && S_ISLNK(st.st_mode))
                return (r = follow_link(w, fd, name)) < 0 ? r : 1;
        if (!last && !S_ISDIR(st.st_mode))
                return lookup_fault(w, name, ENOTDIR);
        enter(w, ward_take_fd(&fd), name);
        return 1;
}

int trust_open_path(const char *path, uid_t caller, struct trust_fault *fault)
{
        struct walk w = {.dirfd = -1, .caller = caller, .fault = fault};
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
