#!/usr/bin/env bash
# Run every test suite of a build and list, after ctest's summary, every check that was
# skipped and why (ctest shows the output of failed suites only):
#
#   tests/run.sh [BUILD_DIR] [CTEST_OPTIONS...]      BUILD_DIR: build (the default)
#
# Two suites run at once (WARD_TEST_JOBS=N for another number; a -j in CTEST_OPTIONS wins):
# each one's leftover checks see only what it made (tests/integration/lib.sh), and the few
# that need the machine to themselves say so in tests/CMakeLists.txt.
# Exits with ctest's status: a skip is never a failure, a host that lacks something says so.
set -uo pipefail

build=${1:-build}
shift || true
ctest --test-dir "$build" --output-on-failure -j"${WARD_TEST_JOBS:-2}" "$@"
rc=$?
log=$build/Testing/Temporary/LastTest.log
if [ -r "$log" ]; then
        skips=$(awk '
                / Testing: / { name = $NF }
                /^1\.\.0 # SKIP|^ok - .* # SKIP|^# SKIP/ {
                        line = $0
                        sub(/^ok - /, "", line)
                        printf "  %s: %s\n", name, line
                }' "$log")
        if [ -n "$skips" ]; then
                echo
                echo "Skipped here (the host lacks what they need; nothing failed for it):"
                printf '%s\n' "$skips"
        fi
fi
exit "$rc"
