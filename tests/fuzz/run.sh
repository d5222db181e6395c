#!/usr/bin/env bash
# Run one libFuzzer target for a bounded time:
#
#   tests/fuzz/run.sh TARGET SECONDS [BUILD_DIR]     TARGET: profile, cli, seccomp_json,
#                                                    oci_facts, oci_bundle or hook_state
#
# BUILD_DIR (default build-fuzz) is a -DWARD_FUZZ=ON build made with clang:
#   CC=clang cmake -S . -B build-fuzz -DWARD_FUZZ=ON && cmake --build build-fuzz -j
# The seeds are the committed corpus (tests/fuzz/corpus/TARGET, regressions included) plus,
# for profile, the shipped and test profiles. New inputs go to BUILD_DIR/fuzz-work/TARGET
# (kept between runs), crashes to BUILD_DIR/fuzz-artifacts/. A longer run is the same
# command with more seconds, e.g. `tests/fuzz/run.sh profile 3600`.
# Prints "fuzz TARGET: N executions, S s, ..." and exits non-zero on a crash, a leak, an
# ASan/UBSan report or a timeout.
set -euo pipefail

target=${1:?usage: run.sh TARGET SECONDS [BUILD_DIR]}
seconds=${2:?usage: run.sh TARGET SECONDS [BUILD_DIR]}
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${3:-$src/build-fuzz}" && pwd)
bin=$build/tests/fuzz/fuzz_$target
if [ ! -x "$bin" ]; then
        echo "run.sh: $bin is not built; build it with:" >&2
        echo "  CC=clang cmake -S $src -B $build -DWARD_FUZZ=ON && cmake --build $build -j" >&2
        exit 2
fi

work=$build/fuzz-work/$target
seeds=$build/fuzz-work/$target-seeds
mkdir -p "$work" "$build/fuzz-artifacts"
rm -rf "$seeds" && mkdir -p "$seeds"
if [ "$target" = profile ]; then
        n=0
        while IFS= read -r f; do
                n=$((n + 1))
                cp "$f" "$seeds/$n-$(basename "$f")"
        done < <(find "$src/profiles" "$src/tests/unit/data" -name '*.profile' | sort)
fi

log=$build/fuzz-artifacts/$target.log
set +e
# stdin is /dev/null: an input naming /dev/stdin must not wait for a terminal.
# libFuzzer stops at a corpus directory that does not exist: pass only those that do.
dirs=("$work" "$seeds")
[ -d "$src/tests/fuzz/corpus/$target" ] && dirs+=("$src/tests/fuzz/corpus/$target")
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/fuzz-artifacts/$target-" "${dirs[@]}" </dev/null >"$log" 2>&1
rc=$?
set -e
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
echo "fuzz $target: ${execs:-?} executions in ${seconds} s," \
        "corpus $(find "$work" -type f | wc -l) inputs, exit $rc"
if [ "$rc" != 0 ]; then
        echo "fuzz $target: FAILED; the end of $log:"
        grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -n 20
        tail -n 40 "$log"
        exit 1
fi
