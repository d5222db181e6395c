/* Trust: ownership of configuration files and their exposure to the sandbox (trust.h). */
#include "ward/trust.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/profile.h"
#include "ward/seccomp_cache.h"
#include "ward/util.h"

/* Where ward keeps state of its own (id ranges, locks): root's, never a sandbox's. */
#define WARD_STATE_DIR "/run/ward"

/* ------------------------------------------------------------------------------------- */
/* Ownership                                                                             */

static int untrusted(const char *what, const char *file, const char *node, const struct stat *st,
                     const char *why, struct ward_error *e)
{
        ward_error_set(e, EPERM, "%s %.400s: %.400s %s (owner uid %u, mode %04o)", what, file, node,
                       why, (unsigned)st->st_uid, (unsigned)(st->st_mode & 07777));
        if (geteuid() == 0)
                ward_error_hint(e,
                                "ward reads configuration only from files that root owns and "
                                "nobody else can change: chown root: and chmod go-w %.300s, or "
                                "install the file in /etc/ward/profiles",
                                node);
        else
                ward_error_hint(e,
                                "ward reads configuration only from files that you or root "
                                "own and nobody else can change: chmod go-w %.300s, or copy "
                                "the file to ~/.config/ward/profiles",
                                node);
        return -EPERM;
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

/* Owned by root or the caller; writable by nobody else, except a sticky directory, where
 * nobody else can rename or remove the entries root or the caller made. */
static int check_node(const char *what, const char *file, const char *node, int fd,
                      const struct stat *st, bool last, struct ward_error *e)
{
        bool foreign = st->st_uid != 0 && st->st_uid != geteuid();
        bool outside = foreign && owner_outside_namespace(fd, st);

        if (foreign && !outside)
                return untrusted(what, file, node, st, "is owned by another user", e);
        if (!last && !S_ISDIR(st->st_mode))
                return ward_error_set(e, ENOTDIR, "%s %.400s: %.400s is not a directory", what,
                                      file, node);
        if ((st->st_mode & 022) && !(!last && (st->st_mode & S_ISVTX)))
                return untrusted(what, file, node, st, "is writable by group or others", e);
        if (last && !S_ISREG(st->st_mode))
                return ward_error_set(e, EINVAL, "%s %.400s is not a regular file", what, file);
        return 0;
}

/* Open name beneath dir_fd as O_PATH without following it, and check it. */
static int open_checked(const char *what, const char *real, const char *node, int dir_fd,
                        const char *name, bool last, struct stat *st, struct ward_error *e)
{
        _cleanup_close_ int fd = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        int r;

        if (fd < 0 || fstat(fd, st) < 0)
                return ward_error_set(e, errno, "cannot read %s %.400s (%.400s)", what, real, node);
        if ((r = check_node(what, real, node, fd, st, last, e)) < 0)
                return r;
        return ward_take_fd(&fd);
}

/* Walk real from / with O_NOFOLLOW, checking each component; on success *dir_fd is the
 * checked parent of the last component and *last its name within real. */
static int walk_checked(const char *what, const char *real, int *dir_fd, const char **last,
                        struct stat *last_st, struct ward_error *e)
{
        _cleanup_close_ int fd = open_checked(what, real, "/", AT_FDCWD, "/", false, last_st, e);
        const char *p = real + 1;
        char node[PATH_MAX], name[NAME_MAX + 1];

        if (fd < 0)
                return fd;
        while (*p) {
                const char *slash = strchr(p, '/');
                size_t n = slash ? (size_t)(slash - p) : strlen(p);
                int next;
                if (n > NAME_MAX)
                        return ward_error_set(e, ENAMETOOLONG, "%s %.400s", what, real);
                snprintf(name, sizeof(name), "%.*s", (int)n, p);
                snprintf(node, sizeof(node), "%.*s", (int)(p - real + n), real);
                if ((next = open_checked(what, real, node, fd, name, !slash, last_st, e)) < 0)
                        return next;
                if (!slash) {
                        close(next);
                        *dir_fd = ward_take_fd(&fd);
                        *last = p;
                        return 0;
                }
                close(fd);
                fd = next;
                p = slash + 1;
        }
        return ward_error_set(e, EISDIR, "%s %.400s is a directory", what, real);
}

int trust_open_config_file(const char *path, const char *what, struct ward_error *e)
{
        char real[PATH_MAX];
        _cleanup_close_ int dir_fd = -1;
        const char *last = NULL;
        struct stat want, got;
        int fd, r;

        if (!realpath(path, real)) {
                r = errno;
                ward_error_set(e, r, "cannot read %s %.512s", what, path);
                return -r;
        }
        if ((r = walk_checked(what, real, &dir_fd, &last, &want, e)) < 0)
                return r;
        /* Non-blocking, and only after the check: nothing but the regular file just checked
         * is ever opened for reading. */
        fd = openat(dir_fd, last, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return ward_error_set(e, errno, "cannot read %s %.512s", what, real);
        if (fstat(fd, &got) < 0 || got.st_dev != want.st_dev || got.st_ino != want.st_ino) {
                close(fd);
                return ward_error_set(e, EAGAIN, "%s %.512s changed while ward read it", what,
                                      real);
        }
        return fd;
}

/* ------------------------------------------------------------------------------------- */
/* Exposure to the sandbox                                                               */

static size_t add_place(struct trust_place *places, size_t n, size_t max, const char *path,
                        const char *what)
{
        if (n >= max || !path || path[0] != '/' ||
            strncmp(path, WARD_BUILTIN_PROFILE_DIR, strlen(WARD_BUILTIN_PROFILE_DIR)) == 0)
                return n;
        snprintf(places[n].path, sizeof(places[n].path), "%s", path);
        places[n].what = what;
        return n + 1;
}

size_t trust_config_places(const struct ward_config *c, struct trust_place *places, size_t max)
{
        char dirs[8][4096], buf[4096];
        size_t n = 0, n_dirs = profile_search_path(dirs, ARRAY_SIZE(dirs));

        for (size_t i = 0; i < n_dirs; i++)
                n = add_place(places, n, max, dirs[i], "a profile directory");
        for (size_t i = 0; i < c->n_profiles_loaded; i++)
                n = add_place(places, n, max, c->profiles_loaded[i], "a profile it loaded");
        n = add_place(places, n, max, c->seccomp.json_path, "its seccomp profile");
        seccomp_cache_dir(buf, sizeof(buf));
        n = add_place(places, n, max, buf, "its seccomp cache");
        n = add_place(places, n, max, WARD_STATE_DIR, "its state directory");
        n = add_place(places, n, max, "/etc/ward", "its configuration directory");
        return n;
}

/* The real path of path's longest existing prefix, followed by the rest as written: a
 * place that does not exist yet can still be created through a bind of its parent. */
static void real_or_lexical(const char *path, char *out, size_t len)
{
        char head[PATH_MAX], real[PATH_MAX];
        size_t cut = strlen(path);

        snprintf(head, sizeof(head), "%s", path);
        while (cut > 0 && cut < sizeof(head)) {
                head[cut] = '\0';
                if (realpath(head, real)) {
                        const char *rest = path + cut;
                        snprintf(out, len, "%s%s", *rest && strcmp(real, "/") == 0 ? "" : real,
                                 rest);
                        return;
                }
                char *slash = strrchr(head, '/');
                if (!slash)
                        break;
                cut = (size_t)(slash - head);
        }
        snprintf(out, len, "%s", path);
}

/* Whether one of the two real paths lies inside the other, or they are the same. */
static bool nested(const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;

        if (strcmp(a, "/") == 0 || strcmp(b, "/") == 0)
                return true;
        return strncmp(a, b, n) == 0 &&
               (a[n] == '/' || a[n] == '\0' || b[n] == '/' || b[n] == '\0');
}

/* Whether source (by identity) is place or one of place's ancestors: catches a second bind
 * mount of the same directory reached by another path. */
static bool same_or_ancestor(const struct stat *src, const char *place)
{
        char buf[PATH_MAX];
        struct stat st;

        snprintf(buf, sizeof(buf), "%s", place);
        for (;;) {
                if (stat(buf, &st) == 0 && st.st_dev == src->st_dev && st.st_ino == src->st_ino)
                        return true;
                char *slash = strrchr(buf, '/');
                if (!slash || slash == buf)
                        break;
                *slash = '\0';
        }
        return stat("/", &st) == 0 && st.st_dev == src->st_dev && st.st_ino == src->st_ino;
}

static int refuse_exposure(const struct ward_origin *o, const char *key, const char *view,
                           const struct trust_place *p, struct ward_error *e)
{
        ward_error_at(e, o, key, EPERM,
                      "%.400s would let the sandbox write %.300s, %s, from which ward reads its "
                      "own configuration: the sandbox could change what the next ward run does",
                      view, p->path, p->what);
        ward_error_hint(e, "make it read-only (:ro), or bind a directory that holds no ward "
                           "configuration (profiles, seccomp cache, /etc/ward, /run/ward)");
        return -EPERM;
}

static int check_view(const char *source, const struct ward_origin *o, const char *key,
                      const char *view, const struct trust_place *places, size_t n,
                      struct ward_error *e)
{
        char real[PATH_MAX], place[PATH_MAX];
        struct stat st;

        if (!realpath(source, real) || stat(real, &st) < 0)
                return 0; /* mount_validate reports a missing source */
        for (size_t i = 0; i < n; i++) {
                real_or_lexical(places[i].path, place, sizeof(place));
                if (nested(real, place) || same_or_ancestor(&st, place))
                        return refuse_exposure(o, key, view, &places[i], e);
        }
        return 0;
}

int trust_check_not_exposed(const struct ward_config *c, struct ward_error *e)
{
        struct trust_place places[16];
        size_t n = 0;
        char view[4200];
        int r;

        for (size_t i = 0; i < c->n_mounts; i++) {
                const struct ward_mount *m = &c->mounts[i];
                if (m->kind != WARD_MOUNT_BIND || !m->writable)
                        continue;
                if (!n)
                        n = trust_config_places(c, places, ARRAY_SIZE(places));
                snprintf(view, sizeof(view), "the writable bind of %s", m->source);
                if ((r = check_view(m->source, &m->origin, "Filesystem.Bind", view, places, n, e)) <
                    0)
                        return r;
        }
        if (c->root && !c->read_only) {
                if (!n)
                        n = trust_config_places(c, places, ARRAY_SIZE(places));
                return check_view(c->root, &c->read_only_origin, "Filesystem.ReadOnly",
                                  "a writable root filesystem", places, n, e);
        }
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Entrypoint mode                                                                       */

static int check_read_only_mount(const char *path, const char *what, struct ward_error *e)
{
        struct statvfs vfs;

        if (strncmp(path, WARD_BUILTIN_PROFILE_DIR "/", strlen(WARD_BUILTIN_PROFILE_DIR) + 1) == 0)
                return 0;
        if (statvfs(path, &vfs) < 0)
                return ward_error_set(e, errno, "cannot read %s %.400s", what, path);
        if (vfs.f_flag & ST_RDONLY)
                return 0;
        ward_error_set(e, EPERM,
                       "entrypoint mode: %s %.400s is on a writable mount: the app, which "
                       "shares this container, could change it for the next start",
                       what, path);
        ward_error_hint(e, "use a profile built into ward (ward explain --help lists them), or "
                           "mount the file read-only (docker run -v FILE:FILE:ro, "
                           "--read-only)");
        return -EPERM;
}

int trust_check_in_place_profiles(const struct ward_config *c, struct ward_error *e)
{
        int r;

        for (size_t i = 0; i < c->n_profiles_loaded; i++)
                if ((r = check_read_only_mount(c->profiles_loaded[i], "profile", e)) < 0)
                        return r;
        if (c->seccomp.json_path)
                return check_read_only_mount(c->seccomp.json_path, "seccomp profile", e);
        return 0;
}
