#!/usr/bin/env bash
# bench/seccomp.sh: what ward's seccomp filter costs.
#   1. ns per getppid() with no filter, with an allow-all filter (the floor any filter
#      costs) and with ward's default filter;
#   2. `ward run --rootfs / -- /bin/true` wall time with and without seccomp.
# Every filter is loaded inside a `ward run` sandbox, never in this shell or on the host.
#
# Environment: WARD (default: /work/build-sc/ward, then build/ward beside this script),
# LOOPS (getppid calls per measurement, default 2000000), RUNS (ward runs, default 50).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WARD=${WARD:-}
for w in "$WARD" "$here/../build/ward" /work/build-sc/ward /work/build/ward; do
        [ -n "$w" ] && [ -x "$w" ] && WARD=$w && break
done
[ -x "$WARD" ] || { echo "seccomp.sh: no ward binary (set WARD=)" >&2; exit 2; }
LOOPS=${LOOPS:-2000000}
RUNS=${RUNS:-50}

# Not under /tmp: the sandbox gets a private tmpfs there.
tmp=$(mktemp -d /var/tmp/seccomp-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

# The helper: best of 5 timed loops of syscall(SYS_getppid); "allowall" first loads a
# filter whose every action is ALLOW (libseccomp), to measure the bare cost of a filter.
cat >"$tmp/getppid.c" <<'C'
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
        long loops = argc > 1 ? atol(argv[1]) : 1000000;
        double best = 1e300;

        if (argc > 2 && strcmp(argv[2], "allowall") == 0) {
                scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
                if (!ctx || seccomp_load(ctx) < 0)
                        return perror("seccomp"), 1;
                seccomp_release(ctx);
        }
        for (int round = 0; round < 5; round++) {
                double t0 = now_ns();
                for (long i = 0; i < loops; i++)
                        syscall(SYS_getppid);
                double per = (now_ns() - t0) / loops;
                if (per < best)
                        best = per;
        }
        printf("%.1f\n", best);
        return 0;
}
C
cc -O2 -o "$tmp/getppid" "$tmp/getppid.c" $(pkg-config --cflags --libs libseccomp)

run_in() { "$WARD" run --rootfs / "$@"; }

none=$(run_in --security-opt seccomp=unconfined -- "$tmp/getppid" "$LOOPS")
allowall=$(run_in --security-opt seccomp=unconfined -- "$tmp/getppid" "$LOOPS" allowall)
ward=$(run_in -- "$tmp/getppid" "$LOOPS")

# Mean wall time of RUNS runs of `ward run --rootfs / [ARGS] -- /bin/true`, in ms.
startup_ms() {
        local t0 t1
        run_in "$@" -- /bin/true
        t0=$(date +%s%N)
        for ((i = 0; i < RUNS; i++)); do run_in "$@" -- /bin/true; done
        t1=$(date +%s%N)
        awk -v a="$t0" -v b="$t1" -v n="$RUNS" 'BEGIN { printf "%.3f", (b - a) / n / 1e6 }'
}
s_off=$(startup_ms --security-opt seccomp=unconfined)
s_on=$(startup_ms)

printf '%-44s %10s %8s\n' "measurement" "value" "ratio"
printf '%-44s %8s ns %8s\n' "getppid, no filter" "$none" "1.00"
printf '%-44s %8s ns %8s\n' "getppid, allow-all filter (floor)" "$allowall" \
        "$(awk -v a="$allowall" -v b="$none" 'BEGIN{printf "%.2f", a/b}')"
printf '%-44s %8s ns %8s\n' "getppid, ward default filter" "$ward" \
        "$(awk -v a="$ward" -v b="$none" 'BEGIN{printf "%.2f", a/b}')"
printf '%-44s %8s    %8s\n' "  ward default / allow-all (target <= 1.02)" "" \
        "$(awk -v a="$ward" -v b="$allowall" 'BEGIN{printf "%.2f", a/b}')"
printf '%-44s %8s ms\n' "ward run /bin/true, seccomp=unconfined" "$s_off"
printf '%-44s %8s ms\n' "ward run /bin/true, default filter" "$s_on"
printf '%-44s %8s ms    (target <= 0.2 ms)\n' "  seccomp's startup cost" \
        "$(awk -v a="$s_on" -v b="$s_off" 'BEGIN{printf "%.3f", a-b}')"
