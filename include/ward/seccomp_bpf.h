/* ward's own seccomp filter written as classic BPF straight from the plan (seccomp_rules.h),
 * without libseccomp: a program about a fifth the size of libseccomp's, so that the
 * kernel's work at seccomp(SECCOMP_SET_MODE_FILTER) (it checks, converts and JITs every
 * instruction, then runs the program once per syscall number for its cache) is as small.
 * The verdicts are libseccomp's for the same plan, number for number (tests/unit). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ward/error.h"
#include "ward/seccomp_rules.h"

/* The program for plan p: *bpf (a malloc'd struct sock_filter[], the caller frees it) and
 * *len instructions. -E2BIG when the plan is too fragmented for cBPF's 8-bit forward jumps
 * (the caller then uses libseccomp's program); -EINVAL for a verdict or an action it does
 * not know: it never guesses. */
int seccomp_bpf_generate(const struct ward_seccomp_plan *p, void **bpf, size_t *len,
                         struct ward_error *e);

struct seccomp_data;
/* Run a classic BPF seccomp program on d, as the kernel would, and put its return value in
 * *ret: for ward's checks of a finished filter (what the init needs). The opcodes the kernel
 * takes for seccomp; -EINVAL for anything else or a load or jump out of bounds. */
int seccomp_bpf_run(const void *bpf, size_t len, const struct seccomp_data *d, uint32_t *ret);
