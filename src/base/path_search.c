/* The one PATH search (path_search.h); built into ward and into the static ward-init. */
#include "ward/path_search.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int ward_path_next(const char **cursor, const char *cmd, char *buf, size_t len)
{
        const char *p = *cursor;
        size_t n;
        int w;

        if (!p)
                p = WARD_DEFAULT_PATH;
        if (p == (const char *)-1)
                return 0;
        n = strcspn(p, ":");
        w = snprintf(buf, len, "%.*s%s%s", (int)n, p, n ? "/" : "", cmd);
        /* After the last element the cursor is spent; "a:" still has an empty one to give. */
        *cursor = p[n] == ':' ? p + n + 1 : (const char *)-1;
        return w >= 0 && (size_t)w < len ? 1 : -ENAMETOOLONG;
}
