/* cgroup v2 limits: [Resources] Memory= MemorySwap= MemoryHigh= CPUs= CPUWeight= Pids=
 * IOWeight= Resources=yes|try CgroupParent=, and docker's --memory --memory-swap --cpus
 * --pids-limit --cgroup-parent.
 *
 * When no limit is asked for, ward does nothing with cgroups at all. Otherwise the monitor
 * checks (reading only) that /sys/fs/cgroup is a cgroup2 mount with the controllers the
 * limits need, creates <parent>/ward-<pid>, writes the limits, and starts the sandbox inside
 * it with clone3(CLONE_INTO_CGROUP) so that no instruction of the app runs unlimited. After
 * the app exits it reports OOM kills and refused forks in words and removes the cgroup. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "ward/cgroup_spec.h"
#include "ward/config.h"
#include "ward/plan.h"

#define WARD_CGROUP_ROOT "/sys/fs/cgroup"
#define WARD_CGROUP_DEFAULT_PARENT "/ward" /* relative to WARD_CGROUP_ROOT */
#define WARD_CGROUP_MAX UINT64_MAX         /* "max": no limit */
#define WARD_CPU_PERIOD_US 100000u         /* cpu.max period; CPUs=1 is a full period */

/* "Memory" -> WARD_CG_MEMORY; -EINVAL for any other key. */
int cgroup_limit_from_key(const char *key);
const char *cgroup_limit_key(int id);        /* "Memory" */
const char *cgroup_limit_file(int id);       /* "memory.max" */
const char *cgroup_limit_controller(int id); /* "memory" */

/* Parse a [Resources] value into the unit the kernel file takes; "max" is WARD_CGROUP_MAX
 * where the kernel accepts it. -EINVAL / -ERANGE with a reason in *why. */
int cgroup_parse_limit(int id, const char *s, uint64_t *out, const char **why);
/* What the kernel file gets: "67108864", "50000 100000", "max", "max 100000". */
void cgroup_format_file(int id, uint64_t v, char *buf, size_t len);
/* As a profile would write it: "64M", "0.5", "max", "100". */
void cgroup_format_human(int id, uint64_t v, char *buf, size_t len);

/* True when any limit is set: only then does ward touch cgroups. */
bool cgroup_wanted(const struct ward_config *c);
/* The controllers the set limits need, as "memory, pids" (for messages). */
void cgroup_needed_controllers(const struct ward_config *c, char *buf, size_t len);

/* Reading only: are the needed controllers usable? 0 if so; -ENODEV (or -errno) otherwise,
 * with *missing = "memory, pids" and *why = the reason in words. */
int cgroup_check(const struct ward_config *c, const struct ward_plan *p, char *missing,
                 size_t missing_len, char *why, size_t why_len);

/* Reading only: when no CgroupParent= is given and our own cgroup (/proc/self/cgroup) is
 * a systemd unit's with Delegate=yes (the xattr trusted.delegate or user.delegate is 1;
 * rootless, also a unit cgroup we own when $INVOCATION_ID is set, as systemd --user before
 * v253 sets no xattr we can read), or its "supervisor" leaf, set p->cgroup.delegated to
 * the unit's cgroup. The monitor then
 * moves the unit's processes to <unit>/supervisor and runs the sandbox in <unit>/payload.
 * 1 when delegated, 0 when not, -ENOMEM. */
int cgroup_detect_delegation(const struct ward_config *c, struct ward_plan *p);

/* Pure, before any clone: the values fit together (--memory-swap, docker's memory plus swap,
 * needs --memory and no less). */
int cgroup_validate(const struct ward_config *c, struct ward_error *e);
/* Before any clone, into the plan: a Delegate=yes unit's cgroup (above), and whether the
 * controllers are there. Resources=try turns missing controllers into p->cgroup.skipped
 * (with the reason) instead of an error. */
int cgroup_prepare(const struct ward_config *c, struct ward_plan *p, struct ward_error *e);
/* What limit id's kernel file gets: the value as set, except --memory-swap's total, which
 * the file takes as swap alone (minus --memory); computed here, never written back. */
uint64_t cgroup_file_value(const struct ward_config *c, int id);

/* Reading only (ward doctor): what cgroup_create() would be refused before it writes
 * anything, with its error: the rootless common-ancestor rule, and write access to the
 * parent's cgroup.subtree_control (or to where the missing parent would be created). */
int cgroup_check_access(const struct ward_config *c, const struct ward_plan *p,
                        struct ward_error *e);

/* The sandbox's cgroup while it exists. */
struct ward_cgroup {
        int dirfd;       /* the cgroup's directory; -1: no cgroup (no limits, or skipped) */
        int parent_fd;   /* the parent's directory, to rmdir the cgroup */
        char name[32];   /* "ward-<pid>", or "payload" in a delegated unit cgroup */
        char path[4096]; /* the full path, for messages */
};

/* Create <parent>/ward-<pid> (in a delegated unit: <unit>/payload, after moving the unit's
 * processes to <unit>/supervisor) and write the limits; cg->dirfd stays -1 when there is
 * nothing to do. Rootless, it first refuses, writing nothing, when ward's own cgroup and the
 * parent have no common ancestor whose cgroup.procs the caller may write (the kernel would
 * refuse to start the sandbox there). */
int cgroup_create(const struct ward_config *c, const struct ward_plan *p, struct ward_cgroup *cg,
                  struct ward_error *e);
/* Fallback when clone3 cannot CLONE_INTO_CGROUP: move pid in before it runs the app. */
int cgroup_attach(const struct ward_cgroup *cg, pid_t pid, struct ward_error *e);
/* After the app exited: OOM kills and refused forks, in words, on out. */
void cgroup_report(const struct ward_config *c, const struct ward_cgroup *cg, FILE *out);
/* rmdir the cgroup (retrying while its last processes are reaped) and close the fds. */
void cgroup_destroy(struct ward_cgroup *cg);
