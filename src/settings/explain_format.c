/* Values as a profile would write them (explain_format.h). */
#include "ward/explain_format.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define TMPFS_DEFAULT_SIZE (64ull << 20)

/* "64M" when it divides evenly, else bytes: the way a profile would write it. */
void explain_format_size(uint64_t bytes, char *buf, size_t len)
{
        static const char units[] = "KMGT";
        int unit = -1;

        while (unit < 3 && bytes && bytes % 1024 == 0) {
                bytes /= 1024;
                unit++;
        }
        if (unit < 0)
                snprintf(buf, len, "%" PRIu64, bytes);
        else
                snprintf(buf, len, "%" PRIu64 "%c", bytes, units[unit]);
}

void explain_format_duration(uint64_t ms, char *buf, size_t len)
{
        if (ms % 1000 == 0)
                snprintf(buf, len, "%" PRIu64 "s", ms / 1000);
        else
                snprintf(buf, len, "%" PRIu64 "ms", ms);
}

static bool rlimit_counts_bytes(int res)
{
        return res == RLIMIT_FSIZE || res == RLIMIT_DATA || res == RLIMIT_STACK ||
               res == RLIMIT_CORE || res == RLIMIT_RSS || res == RLIMIT_AS ||
               res == RLIMIT_MEMLOCK || res == RLIMIT_MSGQUEUE;
}

/* As a profile would write it: "infinity", "64M" for byte limits, else the number. */
void explain_format_rlim(int res, rlim_t v, char *buf, size_t len)
{
        if (v == RLIM_INFINITY)
                snprintf(buf, len, "infinity");
        else if (rlimit_counts_bytes(res))
                explain_format_size(v, buf, len);
        else
                snprintf(buf, len, "%llu", (unsigned long long)v);
}

static void format_tmpfs(const struct ward_mount *m, char *buf, size_t len)
{
        char size[32];

        explain_format_size(m->size_bytes ? m->size_bytes : TMPFS_DEFAULT_SIZE, size, sizeof(size));
        snprintf(buf, len, "%s size=%s mode=%04o %s%s", m->target, size, m->mode,
                 m->exec ? "exec" : "noexec", m->optional ? " optional" : "");
}

/* A bundle's non-bind mount keeps its "source", the name mountinfo shows: said as such. */
void explain_format_mount(const struct ward_mount *m, char *buf, size_t len)
{
        size_t used;

        if (m->kind == WARD_MOUNT_BIND) {
                snprintf(buf, len, "%s %s %s", m->source, m->target, m->writable ? "rw" : "ro");
                return;
        }
        if (m->kind == WARD_MOUNT_TMPFS)
                format_tmpfs(m, buf, len);
        else
                snprintf(buf, len, "%s", m->target);
        used = strlen(buf);
        if (m->source && used < len)
                snprintf(buf + used, len - used, " source=%s", m->source);
}

void explain_format_origin(const struct ward_origin *origin, char *buf, size_t len)
{
        char where[320];

        ward_origin_format(origin, where, sizeof(where));
        if (origin && origin->file && origin->key)
                snprintf(buf, len, "%s: %s", where, origin->key);
        else
                snprintf(buf, len, "%s", where);
}

void explain_format_setting(FILE *out, const char *key, const char *value,
                            const struct ward_origin *origin)
{
        char where[448];

        explain_format_origin(origin, where, sizeof(where));
        fprintf(out, "%s = %s    (%s)\n", key, value, where);
}

void explain_format_groups(const struct ward_config *c, const char *sep, char *buf, size_t len)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < c->n_groups && used < len; i++) {
                int n =
                    snprintf(buf + used, len - used, "%s%u", i ? sep : "", (unsigned)c->groups[i]);
                if (n < 0)
                        break;
                used += (size_t)n;
        }
}
