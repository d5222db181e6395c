#!/usr/bin/env bash
# bench/seccomp.sh: what ward's seccomp filter costs.
#   1. ns per getppid() with no filter, with an allow-all filter (the floor any filter
#      costs) and with ward's default filter;
#   2. `ward run --rootfs / -- /bin/true` wall and CPU time with and without seccomp;
#   3. the kernel's part alone: seccomp(SECCOMP_SET_MODE_FILTER) of the default filter as
#      libseccomp compiles it and as ward generates it, in fresh children (median of LOADS,
#      bench/seccomp_load.c, built beside ward as ward-bench-seccomp-load).
# Every filter is loaded inside a `ward run` sandbox, never in this shell or on the host.
#
# Environment: WARD (default: /work/build-sc/ward, then build/ward beside this script),
# LOOPS (getppid calls per measurement, default 2000000), RUNS (ward runs per round,
# default 50), ROUNDS (alternating rounds with and without seccomp, default 6), LOADS
# (seccomp() loads per program, default 200).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WARD=${WARD:-}
for w in "$WARD" "$here/../build/ward" /work/build-sc/ward /work/build/ward; do
        [ -n "$w" ] && [ -x "$w" ] && WARD=$w && break
done
[ -x "$WARD" ] || { echo "seccomp.sh: no ward binary (set WARD=)" >&2; exit 2; }
LOOPS=${LOOPS:-2000000}
RUNS=${RUNS:-50}
ROUNDS=${ROUNDS:-6}
LOADS=${LOADS:-200}
LOAD_BENCH=$(dirname "$WARD")/ward-bench-seccomp-load

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

# One round: mean wall time (ms) of RUNS runs of `ward run --rootfs / [ARGS] -- /bin/true`,
# and, with perf, the CPU time (ms) they used, children included: "WALL CPU".
round_ms() {
        local t0 t1 cpu=-
        t0=$(date +%s%N)
        for ((i = 0; i < RUNS; i++)); do run_in "$@" -- /bin/true; done
        t1=$(date +%s%N)
        if [ -n "$perf" ]; then
                cpu=$("$perf" stat -x, -e task-clock -r "$RUNS" "$WARD" run --rootfs / "$@" \
                        -- /bin/true 2>&1 >/dev/null | awk -F, '/task-clock/ { print $1 }')
        fi
        awk -v a="$t0" -v b="$t1" -v n="$RUNS" -v c="$cpu" \
                'BEGIN { printf "%.4f %s\n", (b - a) / n / 1e6, c }'
}

# A busy machine drifts by more than the 0.1 ms measured, so the two configurations
# alternate, ROUNDS times, and the median of the per-round differences is kept.
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
perf=$(command -v perf || true)
run_in -- /bin/true # fills the filter cache, as any first run does
declare -a d_wall=() d_cpu=() w_off=() w_on=()
for ((round = 0; round < ROUNDS; round++)); do
        read -r off_wall off_cpu < <(round_ms --security-opt seccomp=unconfined)
        read -r on_wall on_cpu < <(round_ms)
        w_off+=("$off_wall") w_on+=("$on_wall")
        d_wall+=("$(awk -v a="$on_wall" -v b="$off_wall" 'BEGIN { print a - b }')")
        [ -n "$perf" ] && d_cpu+=("$(awk -v a="$on_cpu" -v b="$off_cpu" 'BEGIN { print a - b }')")
done
s_off=$(printf '%s\n' "${w_off[@]}" | median)
s_on=$(printf '%s\n' "${w_on[@]}" | median)
s_delta=$(printf '%s\n' "${d_wall[@]}" | median)
c_delta=$([ -n "$perf" ] && printf '%s\n' "${d_cpu[@]}" | median || echo "n/a (no perf)")

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
printf '%-44s %8s ms    (target <= 0.2 ms; median of %d rounds)\n' \
        "  seccomp's startup cost, wall" "$s_delta" "$ROUNDS"
printf '%-44s %8s ms\n' "  seccomp's startup cost, CPU (perf)" "$c_delta"

# The kernel's cost of loading each program, in the sandbox (no filter of its own there).
if [ -x "$LOAD_BENCH" ]; then
        echo
        echo "seccomp(SECCOMP_SET_MODE_FILTER) in a fresh child, $LOADS loads each:"
        run_in --security-opt seccomp=unconfined -- "$LOAD_BENCH" "$LOADS"
else
        echo "(no $LOAD_BENCH: build the ward-bench-seccomp-load target for the load times)"
fi
