/* The canonical spelling of in-sandbox paths (path.h). */
#include "ward/path.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

int ward_path_normalize(char *path, const char **why)
{
        size_t len = strlen(path), out = 0;
        const char *p = path;
        char buf[PATH_MAX];

        if (path[0] != '/')
                return *why = "is not an absolute path", -EINVAL;
        if (len >= PATH_MAX)
                return *why = "is too long", -ENAMETOOLONG;
        /* Component by component into buf, so that path is untouched when refused. */
        while (*p) {
                size_t n;

                p += strspn(p, "/");
                n = strcspn(p, "/");
                if (n == 2 && p[0] == '.' && p[1] == '.')
                        return *why = "has a \"..\" component", -EINVAL;
                if (n && !(n == 1 && p[0] == '.')) {
                        buf[out++] = '/';
                        memcpy(buf + out, p, n);
                        out += n;
                }
                p += n;
        }
        if (!out)
                buf[out++] = '/';
        buf[out] = '\0';
        memcpy(path, buf, out + 1); /* never longer than the original */
        return 0;
}

int ward_path_normalize_at(char *path, const struct ward_origin *o, const char *key,
                           struct ward_error *e)
{
        const char *why = NULL;
        int r = ward_path_normalize(path, &why);

        if (r >= 0)
                return 0;
        ward_error_at(e, o, key, r == -ENAMETOOLONG ? ENAMETOOLONG : 0, "\"%.256s\" %s: refused",
                      path, why);
        if (r == -ENAMETOOLONG)
                ward_error_hint(e, "give a path shorter than %d bytes", PATH_MAX);
        else if (path[0] != '/')
                ward_error_hint(e, "write the path as the sandbox sees it, from /");
        else
                ward_error_hint(e, "write the path without \"..\": a check would see one place "
                                   "and the mount land in another");
        return r;
}

bool ward_path_within(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        if (n == 1 && dir[0] == '/')
                return path[0] == '/';
        return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}
