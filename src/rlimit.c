/* Resource limits by systemd-style names (LimitNOFILE= <-> RLIMIT_NOFILE).
 *
 * rlimit_apply() runs twice: in the monitor on the setup process (as root it may raise a
 * hard limit, which only CAP_SYS_RESOURCE of the initial user namespace allows), and in
 * setup itself, where setting the same values again is a check that they hold. It only
 * calls prlimit(2) and opens nothing on success, so a small LimitNOFILE= cannot break it;
 * the steps after it are written not to need new fds either (see caps.c). */
#include "ward/rlimit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ward/util.h"

static const struct {
        const char *name;
        int resource;
        bool bytes; /* takes size suffixes: 64M */
} limits[] = {
    {"AS", RLIMIT_AS, true},
    {"CORE", RLIMIT_CORE, true},
    {"CPU", RLIMIT_CPU, false},
    {"DATA", RLIMIT_DATA, true},
    {"FSIZE", RLIMIT_FSIZE, true},
    {"LOCKS", RLIMIT_LOCKS, false},
    {"MEMLOCK", RLIMIT_MEMLOCK, true},
    {"MSGQUEUE", RLIMIT_MSGQUEUE, true},
    {"NICE", RLIMIT_NICE, false},
    {"NOFILE", RLIMIT_NOFILE, false},
    {"NPROC", RLIMIT_NPROC, false},
    {"RSS", RLIMIT_RSS, true},
    {"RTPRIO", RLIMIT_RTPRIO, false},
    {"RTTIME", RLIMIT_RTTIME, false},
    {"SIGPENDING", RLIMIT_SIGPENDING, false},
    {"STACK", RLIMIT_STACK, true},
};

_Static_assert(ARRAY_SIZE(limits) == WARD_RLIMIT_COUNT, "one entry per RLIMIT_*");
_Static_assert(RLIM_NLIMITS == WARD_RLIMIT_COUNT, "rlimit_spec.h indexes rlimits by RLIMIT_*");

static int find(int resource)
{
        for (size_t i = 0; i < ARRAY_SIZE(limits); i++)
                if (limits[i].resource == resource)
                        return (int)i;
        return -1;
}

int rlimit_from_name(const char *name, int *resource)
{
        if (!name)
                return -EINVAL;
        if (strncasecmp(name, "RLIMIT_", 7) == 0)
                name += 7;
        else if (strncasecmp(name, "Limit", 5) == 0)
                name += 5;
        for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
                if (strcasecmp(name, limits[i].name) == 0) {
                        *resource = limits[i].resource;
                        return 0;
                }
        }
        return -EINVAL;
}

const char *rlimit_to_name(int resource)
{
        int i = find(resource);

        return i < 0 ? NULL : limits[i].name;
}

static int parse_one(int resource, const char *s, rlim_t *out)
{
        uint64_t v;
        int r;

        if (strcasecmp(s, "infinity") == 0 || strcasecmp(s, "unlimited") == 0) {
                *out = RLIM_INFINITY;
                return 0;
        }
        r = limits[find(resource)].bytes ? ward_parse_size(s, &v) : ward_parse_u64(s, &v);
        if (r < 0)
                return r;
        /* The number that means "infinity" to the kernel is spelled "infinity" here. */
        if (v >= (uint64_t)RLIM_INFINITY)
                return -ERANGE;
        *out = (rlim_t)v;
        return 0;
}

int rlimit_parse_value(int resource, const char *s, rlim_t *soft, rlim_t *hard)
{
        char first[64];
        const char *colon;
        rlim_t lo, hi;
        int r;

        if (!s || find(resource) < 0)
                return -EINVAL;
        colon = strchr(s, ':');
        if (!colon) {
                if ((r = parse_one(resource, s, &lo)) < 0)
                        return r;
                *soft = *hard = lo;
                return 0;
        }
        if ((size_t)(colon - s) >= sizeof(first))
                return -ERANGE;
        memcpy(first, s, (size_t)(colon - s));
        first[colon - s] = '\0';
        if ((r = parse_one(resource, first, &lo)) < 0 ||
            (r = parse_one(resource, colon + 1, &hi)) < 0)
                return r;
        /* soft > hard is refused by the caller, which says so in its own words. */
        *soft = lo;
        *hard = hi;
        return 0;
}

static void format_value(rlim_t v, char *buf, size_t len)
{
        if (v == RLIM_INFINITY)
                snprintf(buf, len, "infinity");
        else
                snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* fs.nr_open caps RLIMIT_NOFILE for everyone, root included (EPERM above it). */
static rlim_t read_nr_open(void)
{
        _cleanup_close_ int fd = open("/proc/sys/fs/nr_open", O_RDONLY | O_CLOEXEC);
        char buf[32] = "";
        unsigned long long v;

        if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0 || sscanf(buf, "%llu", &v) != 1)
                return RLIM_INFINITY;
        return (rlim_t)v;
}

static void limit_hint(int res, const struct rlimit *want, const struct rlimit *have, int err,
                       struct ward_error *e)
{
        char cur[32];
        rlim_t nr_open;

        format_value(have->rlim_max, cur, sizeof(cur));
        if (want->rlim_cur > want->rlim_max)
                ward_error_hint(e, "the soft limit must not exceed the hard one: write SOFT:HARD "
                                   "with SOFT <= HARD");
        else if (err == EPERM && res == RLIMIT_NOFILE && want->rlim_max != RLIM_INFINITY &&
                 (nr_open = read_nr_open()) != RLIM_INFINITY && want->rlim_max > nr_open)
                ward_error_hint(e,
                                "lower the value to at most %llu (fs.nr_open), or raise the "
                                "sysctl fs.nr_open",
                                (unsigned long long)nr_open);
        else if (err == EPERM && geteuid() == 0)
                /* Root without CAP_SYS_RESOURCE: ward in a container, or under a unit with a
                 * CapabilityBoundingSet= that drops it. */
                ward_error_hint(e,
                                "ward runs as root but without CAP_SYS_RESOURCE (in a container, "
                                "or a unit's CapabilityBoundingSet=), so no hard limit can go "
                                "above its own %s: lower the value to at most %s, or start ward "
                                "with a higher hard limit (ulimit -H, LimitNOFILE= in the unit)",
                                cur, cur);
        else if (err == EPERM)
                ward_error_hint(e,
                                "lower the value to at most %s (the current hard limit), or "
                                "run ward as root",
                                cur);
        else if (err == ESRCH)
                ward_error_hint(e, "the setup process is gone; see the error before this one");
        else
                ward_error_hint(e, "check the value: the kernel refused it");
}

static int apply_one(int res, const struct ward_rlimit *l, pid_t pid, struct ward_error *e)
{
        struct rlimit want = {.rlim_cur = l->soft, .rlim_max = l->hard}, have = {0, 0};
        char key[48], soft[32], hard[32];
        int err;

        if (prlimit(pid, res, &want, NULL) == 0 && prlimit(pid, res, NULL, &have) == 0) {
                if (have.rlim_cur == want.rlim_cur && have.rlim_max == want.rlim_max)
                        return 0;
                err = EIO; /* set, but reads back as something else */
        } else {
                err = errno;
                prlimit(pid, res, NULL, &have);
        }
        snprintf(key, sizeof(key), "Resources.Limit%s", rlimit_to_name(res));
        format_value(want.rlim_cur, soft, sizeof(soft));
        format_value(want.rlim_max, hard, sizeof(hard));
        ward_error_at(e, &l->origin, key, err, "cannot set the limit to %s:%s (soft:hard)", soft,
                      hard);
        limit_hint(res, &want, &have, err, e);
        return -err;
}

int rlimit_apply(const struct ward_config *c, pid_t pid, struct ward_error *e)
{
        int r;

        for (int res = 0; res < WARD_RLIMIT_COUNT; res++) {
                if (!c->rlimits[res].set)
                        continue;
                if ((r = apply_one(res, &c->rlimits[res], pid, e)) < 0)
                        return r;
        }
        return 0;
}
