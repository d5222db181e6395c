#!/usr/bin/env bash
# The monitor under valgrind memcheck for a sample of runs: no invalid access, no definite
# or indirect leak (exit 99 from valgrind otherwise), each with its expected exit status.
#
#   tests/valgrind/run.sh [WARD]         (default: build/ward)
#
# Debian 12's valgrind (3.19) does not know the new mount API (open_tree, move_mount,
# fsopen, mount_setattr, openat2: system calls 428-442) nor seccomp(2) (317). Under it, `ward run`
# stops with ENOSYS at the first open_tree, before any clone, and libseccomp cannot compile
# a Docker JSON profile (it probes the kernel through seccomp(2)). So the sample is what
# runs before that point (the command line and profile paths of `ward explain`, the 125
# paths of `ward run`) and the init (`ward init`); the ASan/UBSan build runs every suite
# in full, and the fuzzers (ASan) cover the JSON reader (.ci/run).
set -uo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WARD=${1:-$src/build/ward}
if ! command -v valgrind >/dev/null; then
        echo "valgrind is missing: apt-get install valgrind" >&2
        exit 2
fi
# ward-test-*: no leftover check of a suite running beside this counts it (lib.sh).
work=$(mktemp -d "${TMPDIR:-/tmp}/ward-test-valgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf '[Profile]\nInclude=strict\n[Filesystem]\nTmpfs=/run size=1M\n' >"$work/x.profile"

failed=0 runs=0
# vg_log_clean LOG: nothing but valgrind's notes ("--PID--" lines) about the system calls it
# is known not to handle (above; openat2, 437, too: explain looks into the image with it).
# Memcheck's own reports ("==PID==" lines) and a note on any other call are not clean.
vg_log_clean() {
        local n
        for n in $(sed -n 's/.*unhandled amd64-linux syscall: \([0-9]*\).*/\1/p' "$1"); do
                [ "$n" = 317 ] || { [ "$n" -ge 428 ] && [ "$n" -le 442 ]; } || return 1
        done
        ! grep -qv '^--[0-9]*-- ' "$1"
}

# check WANT ARGS...: ward ARGS under memcheck must exit WANT.
check() {
        local want=$1 rc
        shift
        runs=$((runs + 1))
        valgrind -q --error-exitcode=99 --leak-check=full \
                --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
                --log-file="$work/vg.log" "$WARD" "$@" >"$work/out" 2>&1 </dev/null
        rc=$?
        if [ "$rc" = "$want" ] && vg_log_clean "$work/vg.log"; then
                echo "ok - memcheck clean, exit $rc: ward $*"
        else
                failed=$((failed + 1))
                echo "not ok - memcheck: ward $* (exit $rc, want $want)"
                sed 's/^/#   /' "$work/vg.log" "$work/out" | head -n 60
        fi
}

check 0 explain --rootfs / -- /bin/true
check 0 explain --profile "$work/x.profile" --rootfs / --cap-add NET_BIND_SERVICE \
        -v /etc:/mnt --tmpfs /tmp:size=1m --ulimit nofile=64 -e A=B -- /bin/true
check 0 explain --rootfs "$work" --security-opt seccomp=unconfined --no-init --network host \
        --hostname h --user 1000:1000 --group-add 5 --read-only=false -- /bin/true
# A writable / would let the sandbox write ward's own configuration: refused (trust.c).
check 125 explain --rootfs / --read-only=false -- /bin/true
check 125 run --rootfs / -w relative -- /bin/true
check 125 run --rootfs "$work/missing" -- /bin/true
check 125 run --rootfs / --cap-add BOGUS -- /bin/true
check 125 run --rootfs / --security-opt "seccomp=$work/missing.json" -- /bin/true
check 3 init -- /bin/sh -c 'exit 3'
# ward check of a command line goes through run's parser, a refused value included.
check 0 check -v /proc:/x --cap-add SYS_ADMIN --format json -- /bin/true
check 125 check --memory lots -- /bin/true
echo "# $runs runs under memcheck, $failed failed"
[ "$failed" = 0 ]
