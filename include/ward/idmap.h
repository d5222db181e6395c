/* Host id ranges for root-run sandboxes: each running sandbox leases a range of its own.
 *
 * The pool is WARD_ID_POOL_RANGES ranges of 65536 ids, range k being host ids
 * WARD_ID_MAP_BASE + k * 65536 onwards. A lease is an flock(LOCK_EX) on the file "range-K" in
 * a root-only directory (/run/ward/idmap), held by the monitor for its whole life: the kernel
 * drops it when the monitor exits, however it exits (SIGKILL included), so a range whose file
 * is not locked is free. Allocation takes the lowest free range, so a sandbox that runs alone
 * gets WARD_ID_MAP_BASE. Namespaces.IdMapBase= (or a bundle's uidMappings) fixes a range: no
 * lease, but a shared hold on the pool ranges it overlaps, which no lease then hands out. */
#pragma once

#include <stdint.h>

#include "ward/config.h"

#define WARD_ID_POOL_DIR "/run/ward/idmap"
#define WARD_ID_POOL_RANGES 1024u  /* 2000000 .. 69108863: 64 Mi ids */
#define WARD_ID_FIXED_WAIT_MS 5000 /* a fixed range waits this long for a lease on it to end */
/* The range `ward spec` maps without IdMapBase=: the one right above the pool. A spec's
 * mapping is fixed (crun and runc take no lease), so inside the pool it would share the ids
 * of the sandbox that leases them, and `ward run --bundle` of it would wait for that
 * sandbox to end. */
#define WARD_ID_SPEC_BASE (WARD_ID_MAP_BASE + WARD_ID_POOL_RANGES * WARD_ID_MAP_RANGE)

struct ward_id_lease {
        int fd;         /* the range file locked LOCK_EX (O_CLOEXEC), or -1: no lease held */
        int shared[2];  /* a fixed IdMapBase= in the pool: the files of the (at most two)
                         * ranges it overlaps, index and index + 1, locked LOCK_SH, or -1 */
        int dirfd;      /* the pool directory, kept to unlink the files at release */
        uint32_t index; /* k: the range is first + k * WARD_ID_MAP_RANGE */
};

#define WARD_ID_LEASE_NONE ((struct ward_id_lease){.fd = -1, .shared = {-1, -1}, .dirfd = -1})

/* Open the pool directory "path", creating its missing last two levels 0700. Every
 * component from "/" is opened O_NOFOLLOW and must be a directory owned by root (or by the
 * caller's euid, for tests) that neither group nor others may write; the pool directory itself
 * must give group and others no access at all. Returns the dirfd (O_CLOEXEC) or -errno with
 * *e naming the component, its owner and mode, and the fix. */
int idmap_pool_open(const char *path, struct ward_error *e);

/* Lease the lowest free range of the pool in dirfd among "count" ranges. -EAGAIN when every
 * range is leased. The lock is taken with LOCK_NB: this never waits on another ward. */
int idmap_lease_take(int dirfd, uint32_t count, struct ward_id_lease *lease, struct ward_error *e);

/* A fixed range (IdMapBase=, a bundle's uidMappings) that overlaps the pool: LOCK_SH on
 * each pool range it overlaps, so that no lease hands those ids to another sandbox while it
 * runs; sandboxes of the same fixed range share them, as IdMapBase= says. -EBUSY when a
 * running sandbox still holds a lease on one of them after wait_ms. Nothing is taken when
 * it lies outside the pool. */
int idmap_hold_fixed(int dirfd, uint32_t base, uint32_t count, unsigned wait_ms,
                     struct ward_id_lease *lease, struct ward_error *e);

/* Give the range back: its file is unlinked while still locked (a ward that opened it
 * meanwhile sees the name gone and retries), then closed; a shared hold's file only by its
 * last holder. Safe on WARD_ID_LEASE_NONE. */
void idmap_lease_release(struct ward_id_lease *lease);

/* `ward run` as root with a user namespace: without a fixed range, lease one from
 * WARD_ID_POOL_DIR and set c->id_map_base to it; with a fixed one in the pool, hold it
 * (idmap_hold_fixed). Otherwise (rootless, no user namespace) nothing: lease stays NONE. */
int idmap_acquire(struct ward_config *c, struct ward_id_lease *lease, struct ward_error *e);
