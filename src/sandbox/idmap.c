/* The host id ranges of root-run sandboxes: a pool of ranges, each leased by an flock that
 * the kernel drops when the monitor exits (see idmap.h for the rules). */
#include "ward/idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ward/util.h"

_Static_assert((uint64_t)WARD_ID_MAP_BASE + (uint64_t)WARD_ID_POOL_RANGES * WARD_ID_MAP_RANGE <=
                   UINT32_MAX,
               "the id pool must fit below 2^32 - 1");

/* A lease file is created and unlinked only by the lock's holder; a ward that raced with an
 * unlink retries on a fresh file, a few times at most. */
#define STALE_RETRIES 8
#define POOL_REOPENS 3

static int pool_component_error(const char *path, const struct stat *st, const char *what,
                                bool last, struct ward_error *e)
{
        ward_error_set(e, EPERM,
                       "the id-range state directory \"%s\" %s (owner uid %u, mode %04o): another "
                       "user could hand two sandboxes the same host ids; refused",
                       path, what, (unsigned)st->st_uid, (unsigned)(st->st_mode & 07777));
        if (last)
                ward_error_hint(e,
                                "make it root's and open to root alone (chown root:root %s; "
                                "chmod 0700 %s), or remove it for ward to recreate",
                                path, path);
        else
                ward_error_hint(e,
                                "make it root's and writable by root alone (chown root:root %s; "
                                "chmod go-w %s)",
                                path, path);
        return -EPERM;
}

/* Owned by root (or by us, for tests), writable by nobody else; "last": no access at all
 * for group and others, since it holds state. */
static int check_pool_component(int fd, const char *path, bool last, struct ward_error *e)
{
        struct stat st;

        if (fstat(fd, &st) < 0)
                return ward_error_set(e, errno, "fstat(%s)", path);
        if (!S_ISDIR(st.st_mode))
                return pool_component_error(path, &st, "is not a directory", last, e);
        if (st.st_uid != 0 && st.st_uid != geteuid())
                return pool_component_error(path, &st, "does not belong to root", last, e);
        if (st.st_mode & (last ? 077u : 022u))
                return pool_component_error(path, &st,
                                            last ? "is open to group or others"
                                                 : "is writable by group or others",
                                            last, e);
        return 0;
}

/* One level down, O_NOFOLLOW; the last two levels are made 0700 when missing (first run, or
 * after a reboot emptied /run). */
static int open_pool_component(int parent, const char *name, bool create, const char *path,
                               struct ward_error *e)
{
        const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        int fd = openat(parent, name, flags);

        if (fd < 0 && errno == ENOENT && create) {
                if (mkdirat(parent, name, 0700) < 0 && errno != EEXIST) {
                        int r = ward_error_set(e, errno, "cannot create %s", path);
                        ward_error_hint(e, "ward keeps its id-range leases there: /run must be "
                                           "writable by root");
                        return r;
                }
                fd = openat(parent, name, flags);
        }
        if (fd < 0) {
                int r =
                    ward_error_set(e, errno, "cannot open the id-range state directory %s", path);
                ward_error_hint(e, errno == ELOOP || errno == ENOTDIR
                                       ? "a symlink or a file is in the way: remove it"
                                       : "check that the path exists and is root's");
                return r;
        }
        return fd;
}

int idmap_pool_open(const char *path, struct ward_error *e)
{
        char buf[256], prefix[256];
        size_t n_parts = 0;
        char *parts[16], *save = NULL, *p;
        _cleanup_close_ int fd = -1;
        int r;

        if (path[0] != '/' || strlen(path) >= sizeof(buf))
                return ward_error_set(e, EINVAL, "bad id-range state directory \"%s\"", path);
        snprintf(buf, sizeof(buf), "%s", path);
        for (p = strtok_r(buf, "/", &save); p && n_parts < ARRAY_SIZE(parts);
             p = strtok_r(NULL, "/", &save))
                parts[n_parts++] = p;
        if (p) /* deeper than parts[] holds: never settle for a shallower directory */
                return ward_error_set(e, EINVAL, "id-range state directory \"%s\" is too deep",
                                      path);
        fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return ward_error_set(e, errno, "cannot open /");
        if ((r = check_pool_component(fd, "/", n_parts == 0, e)) < 0)
                return r;
        prefix[0] = '\0';
        for (size_t i = 0; i < n_parts; i++) {
                bool last = i + 1 == n_parts;
                int next;

                snprintf(prefix + strlen(prefix), sizeof(prefix) - strlen(prefix), "/%s", parts[i]);
                next = open_pool_component(fd, parts[i], i + 2 >= n_parts, prefix, e);
                if (next < 0)
                        return next;
                close(fd);
                fd = next;
                if ((r = check_pool_component(fd, prefix, last, e)) < 0)
                        return r;
        }
        return ward_take_fd(&fd);
}

static void range_name(uint32_t k, char *buf, size_t len)
{
        snprintf(buf, len, "range-%u", k);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
        return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Only ever our own regular file: anything else in a root-only directory means someone
 * with root meddled, and guessing would risk two sandboxes on one range. */
static int check_range_file(int fd, const char *name, struct stat *st, struct ward_error *e)
{
        if (fstat(fd, st) < 0)
                return ward_error_set(e, errno, "fstat(%s/%s)", WARD_ID_POOL_DIR, name);
        if (!S_ISREG(st->st_mode) || (st->st_uid != 0 && st->st_uid != geteuid()))
                return ward_error_set(e, EPERM,
                                      "the id-range lease %s is not a regular file of root's; "
                                      "refused",
                                      name),
                       ward_error_hint(e, "remove it; ward recreates it"), -EPERM;
        return 0;
}

/* 1: the range's file is locked with op (LOCK_EX: a lease; LOCK_SH: a fixed range's hold)
 * and is still the file under that name; 0: another ward holds it the other way; <0: error. */
static int try_range(int dirfd, uint32_t k, int op, int *out, struct ward_error *e)
{
        char name[32];
        struct stat st, now;

        range_name(k, name, sizeof(name));
        for (int i = 0; i < STALE_RETRIES; i++) {
                /* O_NONBLOCK: a FIFO planted there is refused below, not waited on. */
                _cleanup_close_ int fd = openat(
                    dirfd, name,
                    O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0600);
                int r;

                if (fd < 0 && errno == ENOENT)
                        return -ENOENT; /* the directory itself is gone: the caller reopens */
                if (fd < 0)
                        return ward_error_set(e, errno, "cannot open %s/%s", WARD_ID_POOL_DIR,
                                              name);
                if ((r = check_range_file(fd, name, &st, e)) < 0)
                        return r;
                while ((r = flock(fd, op | LOCK_NB)) < 0 && errno == EINTR)
                        ;
                if (r < 0 && errno == EWOULDBLOCK)
                        return 0;
                if (r < 0)
                        return ward_error_set(e, errno, "flock(%s/%s)", WARD_ID_POOL_DIR, name);
                /* Its holder may have unlinked it between our open and our lock: then this
                 * inode guards nothing, and a fresh file under the name is the lease. */
                if (fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 && same_file(&st, &now)) {
                        *out = ward_take_fd(&fd);
                        return 1;
                }
        }
        return 0;
}

static int keep_dirfd(int dirfd, struct ward_id_lease *lease, struct ward_error *e)
{
        lease->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        if (lease->dirfd < 0) {
                int r = ward_error_set(e, errno, "dup of the id-range state directory");
                idmap_lease_release(lease);
                return r;
        }
        return 0;
}

int idmap_lease_take(int dirfd, uint32_t count, struct ward_id_lease *lease, struct ward_error *e)
{
        *lease = WARD_ID_LEASE_NONE;
        for (uint32_t k = 0; k < count; k++) {
                int fd = -1, r = try_range(dirfd, k, LOCK_EX, &fd, e);

                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                lease->fd = fd;
                lease->index = k;
                return keep_dirfd(dirfd, lease, e);
        }
        ward_error_set(e, EAGAIN,
                       "all %u host id ranges of the pool (%u..%llu) are leased by running "
                       "sandboxes",
                       count, WARD_ID_MAP_BASE,
                       (unsigned long long)WARD_ID_MAP_BASE +
                           (unsigned long long)count * WARD_ID_MAP_RANGE - 1);
        ward_error_hint(e, "wait for a sandbox to exit, or give this one a fixed range of its own "
                           "with Namespaces.IdMapBase=");
        return -EAGAIN;
}

/* The pool ranges [*k0, *k1] that ids base..base+65535 overlap; false when none. */
static bool pool_overlap(uint32_t base, uint32_t count, uint32_t *k0, uint32_t *k1)
{
        uint64_t lo = base, hi = (uint64_t)base + WARD_ID_MAP_RANGE - 1;
        uint64_t pool_lo = WARD_ID_MAP_BASE,
                 pool_hi = pool_lo + (uint64_t)count * WARD_ID_MAP_RANGE - 1;

        if (count == 0 || hi < pool_lo || lo > pool_hi)
                return false;
        *k0 = (uint32_t)(((lo > pool_lo ? lo : pool_lo) - pool_lo) / WARD_ID_MAP_RANGE);
        *k1 = (uint32_t)(((hi < pool_hi ? hi : pool_hi) - pool_lo) / WARD_ID_MAP_RANGE);
        return true;
}

static uint64_t monotonic_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* LOCK_SH on range k, polling while a lease holds it, for wait_ms at most: most sandboxes
 * live for moments, and a fixed range should not fail just because one started first. */
static int hold_range_shared(int dirfd, uint32_t k, unsigned wait_ms, int *fd, struct ward_error *e)
{
        const struct timespec pause = {.tv_nsec = 20 * 1000000L};
        uint64_t deadline = monotonic_ms() + wait_ms;
        int r;

        while ((r = try_range(dirfd, k, LOCK_SH, fd, e)) == 0 && monotonic_ms() < deadline)
                nanosleep(&pause, NULL);
        return r;
}

int idmap_hold_fixed(int dirfd, uint32_t base, uint32_t count, unsigned wait_ms,
                     struct ward_id_lease *lease, struct ward_error *e)
{
        uint32_t k0, k1;

        *lease = WARD_ID_LEASE_NONE;
        if (!pool_overlap(base, count, &k0, &k1))
                return 0;
        for (uint32_t k = k0; k <= k1; k++) {
                int fd = -1, r = hold_range_shared(dirfd, k, wait_ms, &fd, e);

                if (r == 0) {
                        r = ward_error_set(e, EBUSY,
                                           "host ids %u..%u overlap range %u of the id pool, "
                                           "which a running sandbox leased for itself (waited "
                                           "%u ms)",
                                           base, base + (WARD_ID_MAP_RANGE - 1), k, wait_ms);
                        ward_error_hint(e,
                                        "choose an IdMapBase= outside the pool (%u..%llu), or "
                                        "wait for that sandbox to exit",
                                        WARD_ID_MAP_BASE,
                                        (unsigned long long)WARD_ID_MAP_BASE +
                                            (unsigned long long)count * WARD_ID_MAP_RANGE - 1);
                }
                if (r < 0) {
                        idmap_lease_release(lease);
                        return r;
                }
                lease->shared[k - k0] = fd;
        }
        lease->index = k0;
        return keep_dirfd(dirfd, lease, e);
}

/* Unlink range k's file if fd (locked LOCK_EX by the caller) is still the file under that
 * name, so no empty files pile up in /run; a ward that opened it meanwhile finds the name
 * gone after its flock and retries on a fresh file. */
static void unlink_locked(int dirfd, int fd, uint32_t k)
{
        char name[32];
        struct stat st, now;

        range_name(k, name, sizeof(name));
        if (dirfd >= 0 && fstat(fd, &st) == 0 &&
            fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 && same_file(&st, &now))
                unlinkat(dirfd, name, 0);
}

void idmap_lease_release(struct ward_id_lease *lease)
{
        if (lease->fd >= 0) {
                unlink_locked(lease->dirfd, lease->fd, lease->index);
                close(lease->fd);
        }
        /* A shared hold: the last holder (the one that gets LOCK_EX now) removes the file.
         * The conversion may drop our LOCK_SH first; we are leaving anyway. */
        for (size_t i = 0; i < ARRAY_SIZE(lease->shared); i++) {
                if (lease->shared[i] < 0)
                        continue;
                if (flock(lease->shared[i], LOCK_EX | LOCK_NB) == 0)
                        unlink_locked(lease->dirfd, lease->shared[i], lease->index + (uint32_t)i);
                close(lease->shared[i]);
        }
        if (lease->dirfd >= 0)
                close(lease->dirfd);
        *lease = WARD_ID_LEASE_NONE;
}

/* Root-run with a user namespace: the ids come from the monitor's map. */
static bool maps_ids(const struct ward_config *c)
{
        return geteuid() == 0 && !c->in_place && (c->unshare_flags & CLONE_NEWUSER);
}

/* Lease (or, for a fixed range in the pool, hold) under WARD_ID_POOL_DIR; -ENOENT when the
 * directory was removed under us (a test cleaning up): open it again, a few times. */
static int lock_in_pool(struct ward_config *c, struct ward_id_lease *lease, struct ward_error *e)
{
        int r = -ENOENT;

        for (int i = 0; i < POOL_REOPENS && r == -ENOENT; i++) {
                _cleanup_close_ int dirfd = idmap_pool_open(WARD_ID_POOL_DIR, e);

                if (dirfd < 0)
                        return dirfd;
                r = c->id_map_fixed ? idmap_hold_fixed(dirfd, c->id_map_base, WARD_ID_POOL_RANGES,
                                                       WARD_ID_FIXED_WAIT_MS, lease, e)
                                    : idmap_lease_take(dirfd, WARD_ID_POOL_RANGES, lease, e);
        }
        if (r == -ENOENT)
                return ward_error_set(e, ENOENT, "%s keeps vanishing", WARD_ID_POOL_DIR),
                       ward_error_hint(e, "something removes ward's state while it runs"), -ENOENT;
        return r;
}

int idmap_acquire(struct ward_config *c, struct ward_id_lease *lease, struct ward_error *e)
{
        uint32_t k0, k1;
        int r;

        *lease = WARD_ID_LEASE_NONE;
        if (!maps_ids(c) ||
            (c->id_map_fixed && !pool_overlap(c->id_map_base, WARD_ID_POOL_RANGES, &k0, &k1)))
                return 0;
        /* Without a pid namespace the app's children outlive the init, and with it the
         * monitor's lease: the next sandbox could get their ids while they still run. */
        if (!(c->unshare_flags & CLONE_NEWPID))
                return ward_error_at(e, &c->unshare_origin, "Namespaces.Unshare", 0,
                                     "a host id range from ward's pool needs a pid namespace: "
                                     "without one, processes of the sandbox can outlive ward's "
                                     "lock on the range"),
                       ward_error_hint(
                           e,
                           "add pid to Namespaces.Unshare=, or set an IdMapBase= "
                           "outside the pool (%u..%llu)",
                           WARD_ID_MAP_BASE,
                           (unsigned long long)WARD_ID_MAP_BASE +
                               (unsigned long long)WARD_ID_POOL_RANGES * WARD_ID_MAP_RANGE - 1),
                       -EINVAL;
        if ((r = lock_in_pool(c, lease, e)) < 0)
                return r;
        if (!c->id_map_fixed)
                c->id_map_base = WARD_ID_MAP_BASE + lease->index * WARD_ID_MAP_RANGE;
        return 0;
}
