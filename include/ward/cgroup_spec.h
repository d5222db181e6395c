/* What [Resources] asks for: the cgroup module's spec (cgroup.h creates the cgroup and
 * writes it). Composed by config.h; includes nothing of the settings. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ward/error.h"

/* Indexes of ward_config.cgroup.limits[]. */
enum ward_cg_limit_id {
        WARD_CG_MEMORY,      /* memory.max, bytes */
        WARD_CG_MEMORY_SWAP, /* memory.swap.max, bytes */
        WARD_CG_MEMORY_HIGH, /* memory.high, bytes */
        WARD_CG_CPUS,        /* cpu.max quota in microseconds per WARD_CPU_PERIOD_US */
        WARD_CG_CPU_WEIGHT,  /* cpu.weight, 1-10000 */
        WARD_CG_PIDS,        /* pids.max */
        WARD_CG_IO_WEIGHT,   /* io.weight, 1-10000 */
        WARD_CG_COUNT
};

struct ward_cgroup_config {
        struct ward_cg_limit {
                bool set;
                uint64_t value; /* in the kernel file's unit; UINT64_MAX: "max" */
                struct ward_origin origin;
        } limits[WARD_CG_COUNT]; /* indexed by enum ward_cg_limit_id */
        bool swap_is_total;      /* --memory-swap: docker's memory+swap; the file gets
                                  * swap alone (cgroup_file_value()) */
        bool try_only;           /* Resources=try: run without limits where they cannot be */
        struct ward_origin mode_origin;
        char *parent; /* CgroupParent=, relative to /sys/fs/cgroup; NULL: "/ward" */
        struct ward_origin parent_origin;
};
