/* What the sandbox must not be able to rewrite: the places ward reads its own
 * configuration from (trust_exposure.h). Above the profile reader and the seccomp cache,
 * whose places it lists; trust.c's ownership walk stays below both. */
#include "ward/trust_exposure.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ward/path.h"
#include "ward/profile.h"
#include "ward/seccomp_cache.h"
#include "ward/trust.h"
#include "ward/util.h"

/* Where ward keeps state of its own (id ranges, locks): root's, never a sandbox's. */
#define WARD_STATE_DIR "/run/ward"

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

#define SEARCH_DIRS_MAX 8
#define FIXED_PLACES 4 /* the seccomp JSON, the cache, the state directory, /etc/ward */

/* The places for this caller and config, each resolved once (real_or_lexical()), in an
 * array sized to hold them all: a place left out would be a place left exposed. NULL when
 * out of memory. */
static struct trust_place *config_places(const struct ward_config *c, size_t *n)
{
        char dirs[SEARCH_DIRS_MAX][4096], buf[4096];
        size_t n_dirs = profile_search_path(dirs, SEARCH_DIRS_MAX);
        size_t max = n_dirs + c->n_profiles_loaded + FIXED_PLACES;
        struct trust_place *places = calloc(max, sizeof(*places));

        if (!places)
                return NULL;
        *n = 0;
        for (size_t i = 0; i < n_dirs; i++)
                *n = add_place(places, *n, max, dirs[i], "a profile directory");
        for (size_t i = 0; i < c->n_profiles_loaded; i++)
                *n = add_place(places, *n, max, c->profiles_loaded[i], "a profile it loaded");
        *n = add_place(places, *n, max, c->seccomp.json_path, "its seccomp profile");
        seccomp_cache_dir(buf, sizeof(buf));
        *n = add_place(places, *n, max, buf, "its seccomp cache");
        *n = add_place(places, *n, max, WARD_STATE_DIR, "its state directory");
        *n = add_place(places, *n, max, "/etc/ward", "its configuration directory");
        for (size_t i = 0; i < *n; i++) {
                real_or_lexical(places[i].path, buf, sizeof(buf));
                snprintf(places[i].path, sizeof(places[i].path), "%s", buf);
        }
        return places;
}

/* Whether one of the two real paths lies inside the other, or they are the same (on
 * component boundaries: /a/kill is not inside /a/kill.profile). */
static bool nested(const char *a, const char *b)
{
        return ward_path_within(a, b) || ward_path_within(b, a);
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
        char real[PATH_MAX];
        struct stat st;

        if (!realpath(source, real) || stat(real, &st) < 0)
                return 0; /* mount_validate reports a missing source */
        for (size_t i = 0; i < n; i++) {
                if (nested(real, places[i].path) || same_or_ancestor(&st, places[i].path))
                        return refuse_exposure(o, key, view, &places[i], e);
        }
        return 0;
}

/* A writable view of source (a bind, or the root), as the sandbox will have it. */
static bool writable_view(const struct ward_mount *m)
{
        return m->kind == WARD_MOUNT_BIND && m->writable;
}

int trust_check_not_exposed(const struct ward_config *c, struct ward_error *e)
{
        _cleanup_free_ struct trust_place *places = NULL;
        bool any = c->root && !c->read_only;
        char view[4200];
        size_t n = 0;
        int r = 0;

        for (size_t i = 0; i < c->n_mounts && !any; i++)
                any = writable_view(&c->mounts[i]);
        if (!any) /* the usual start: nothing to compare, nothing looked up */
                return 0;
        if (!(places = config_places(c, &n)))
                return ward_error_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; i < c->n_mounts && r >= 0; i++) {
                const struct ward_mount *m = &c->mounts[i];
                if (!writable_view(m))
                        continue;
                snprintf(view, sizeof(view), "the writable bind of %s", m->source);
                r = check_view(m->source, &m->origin, "Filesystem.Bind", view, places, n, e);
        }
        if (r >= 0 && c->root && !c->read_only)
                r = check_view(c->root, &c->read_only_origin, "Filesystem.ReadOnly",
                               "a writable root filesystem", places, n, e);
        return r;
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
