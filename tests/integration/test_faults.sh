#!/usr/bin/env bash
# Faults and bad input around the run: too few fds, a full TMPDIR and cache, a broken or
# foreign rootfs, profiles and files that cannot be read or would block, a user missing from
# the image. Each ends in exit 125 with a clear message (or, where ward does not need the
# resource, in a normal run), and nothing is left on the host. (A rootfs that is a symlink,
# a missing profile and a SIGKILLed monitor are in test_bad_input.sh and
# test_init_signals.sh.)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
chmod 755 "$WORK"

# refused DESCRIPTION NEEDLE ARGS...: `ward run ARGS` exits 125, says "ward: error:" and
# NEEDLE, the app printed nothing, and nothing is left behind (wrun checks that).
refused() {
        local what=$1 needle=$2
        shift 2
        wrun "$@"
        assert_eq "$what: exit 125" 125 "$RC"
        assert_contains "$what: 'ward: error:'" "$ERR" "ward: error:"
        assert_contains "$what: the message says '$needle'" "$ERR" "$needle"
        assert_eq "$what: the app did not run" "" "$OUT"
}

# -- ulimit -n: every fd ward needs can fail ---------------------------------------------
# N fds above those this shell already holds (ctest may hand some down): with none, the
# dynamic loader itself cannot open ward's libraries (exit 127, before main).
held=0
for fd in /proc/$$/fd/*; do
        ((${fd##*/} < 64)) && held=$((held + 1)) # not bash's own high, close-on-exec ones
done
for extra in 1 2 3 4 5 7 9 13; do
        n=$((held + extra))
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd bash -c 'ulimit -n "$1" && shift && exec "$@"' _ "$n" "$WARD" run --rootfs "$R" \
                -- "${P[@]}" exit 7
        leftover_check "ulimit -n $n: ward run"
        assert_eq "ulimit -n $n: exit 125" 125 "$RC"
        assert_match "ulimit -n $n: the message names the cause" "$ERR" \
                'Too many open files|LimitNOFILE'
        assert_eq "ulimit -n $n: the app did not run" "" "$OUT"
done
# With a limit that fits (the sandbox's own nofile within the caller's), it runs.
T_RUNS=$((T_RUNS + 1))
snapshot
run_cmd bash -c 'ulimit -n 24 && exec "$@"' _ "$WARD" run --ulimit nofile=24 --rootfs "$R" \
        -- "${P[@]}" exit 7
leftover_check "ulimit -n 24 --ulimit nofile=24"
assert_eq "ulimit -n 24 with --ulimit nofile=24: runs" 7 "$RC"

# -- a full TMPDIR and seccomp cache: ward needs neither; the cache write is skipped ------
FULL=$WORK/full
mkdir -p "$FULL"
T_RUNS=$((T_RUNS + 1))
snapshot
# The tmpfs lives in a private mount namespace of this one command: never on the host.
run_cmd unshare -m sh -c 'mount -t tmpfs -o size=8k ward-faults "$0" &&
        dd if=/dev/zero of="$0/fill" bs=1k count=64 2>/dev/null
        TMPDIR=$0 WARD_CACHE_DIR=$0/cache "$@"; rc=$?
        echo "left=$(find "$0" -mindepth 1 ! -name fill ! -name cache | wc -l)"; exit $rc' \
        "$FULL" "$WARD" run --rootfs "$R" -- "${P[@]}" exit 7
leftover_check "ward run with a full TMPDIR"
assert_eq "full TMPDIR and cache: the app runs, with its status" 7 "$RC"
assert_eq "full TMPDIR and cache: no partial file left in it" 0 "$(kv left)"

# -- the rootfs -----------------------------------------------------------------------------
rmdir "$R/proc"
refused "rootfs without /proc" /proc --rootfs "$R" -- "${P[@]}" exit 0
mkdir "$R/proc" && chmod 755 "$R/proc"
rmdir "$R/dev"
refused "rootfs without /dev" /dev --rootfs "$R" -- "${P[@]}" exit 0
mkdir "$R/dev" && chmod 755 "$R/dev"

if [ "$(id -u)" = 0 ]; then
        chown 12345:12345 "$R"
        refused "rootfs owned by another user" "belongs to uid 12345" --rootfs "$R" -- \
                "${P[@]}" exit 0
        chown 0:0 "$R"
fi
chmod 775 "$R"
refused "rootfs writable by its group" "writable by its group" --rootfs "$R" -- "${P[@]}" exit 0
chmod 1777 "$R"
refused "rootfs writable by everyone" "writable by every user" --rootfs "$R" -- "${P[@]}" exit 0
chmod 755 "$R"
wrun --rootfs "$R" -- "${P[@]}" exit 0
assert_eq "the rootfs, restored, runs again" 0 "$RC"

# -- profiles and files that cannot be read, or would block ward ---------------------------
mkfifo "$WORK/fifo"
refused "--profile a FIFO (must not block)" "not a regular file" \
        --profile "$WORK/fifo" --rootfs "$R" -- "${P[@]}" exit 0
refused "--profile /dev/zero" "not a regular file" --profile /dev/zero --rootfs "$R" -- \
        "${P[@]}" exit 0
refused "--profile a directory" "not a regular file" --profile "$WORK/" --rootfs "$R" -- \
        "${P[@]}" exit 0
refused "--env-file a FIFO (must not block)" "not a regular file" \
        --env-file "$WORK/fifo" --rootfs "$R" -- "${P[@]}" exit 0
refused "--env-file /dev/zero (must not fill memory)" "not a regular file" \
        --env-file /dev/zero --rootfs "$R" -- "${P[@]}" exit 0
refused "seccomp=FIFO (must not block)" "not a regular file" \
        --security-opt "seccomp=$WORK/fifo" --rootfs "$R" -- "${P[@]}" exit 0
printf '[Profile]\nInclude=%s\n' "$WORK/fifo" >"$WORK/inc-fifo.profile"
refused "Include= of a FIFO (must not block)" "not a regular file" \
        --profile "$WORK/inc-fifo.profile" --rootfs "$R" -- "${P[@]}" exit 0

# A profile on a read-only path is fine; an unreadable one is refused. Root reads anything,
# so the unreadable case runs ward as nobody (rootless).
mkdir -p "$WORK/ro"
printf '[Profile]\nInclude=default\n[Namespaces]\nHostname=ro-profile\n' >"$WORK/ro/ok.profile"
chmod 444 "$WORK/ro/ok.profile" && chmod 555 "$WORK/ro"
wrun --profile "$WORK/ro/ok.profile" --rootfs "$R" -- "${P[@]}" hostname
assert_eq "a profile on a read-only path: used" "0 ro-profile" "$RC $(kv hostname)"
chmod 755 "$WORK/ro"
if [ "$(id -u)" = 0 ]; then
        printf '[Profile]\nInclude=default\n' >"$WORK/secret.profile"
        chmod 600 "$WORK/secret.profile"
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd setpriv --reuid 65534 --regid 65534 --clear-groups "$WARD" run \
                --profile "$WORK/secret.profile" --rootfs "$R" -- "${P[@]}" exit 0
        leftover_check "ward run --profile (unreadable)"
        assert_eq "an unreadable profile: exit 125" 125 "$RC"
        assert_match "an unreadable profile: the message names it and EACCES" "$ERR" \
                "secret\\.profile.*(EACCES|Permission denied)"
fi

# -- a user the image does not know ------------------------------------------------------
mv "$R/etc/passwd" "$R/etc/passwd.off"
refused "--user NAME with no /etc/passwd in the image" "app" --rootfs "$R" --user app -- \
        "${P[@]}" exit 0
mv "$R/etc/passwd.off" "$R/etc/passwd"
refused "--user NAME not in the image's /etc/passwd" "nosuchuser" --rootfs "$R" \
        --user nosuchuser -- "${P[@]}" exit 0

# -- vm.memfd_noexec=2 where ward runs: no executable memfd for the sealed init copy ----
# Set only in a throw-away pid namespace of this test (the sysctl is per pid namespace).
if [ -e /proc/sys/vm/memfd_noexec ]; then
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd unshare --pid --fork --mount-proc sh -c \
                'echo 2 >/proc/sys/vm/memfd_noexec && exec "$@"' sh \
                "$WARD" run --rootfs "$R" -- "${P[@]}" exit 0
        leftover_check "ward run under vm.memfd_noexec=2"
        assert_eq "vm.memfd_noexec=2: exit 125" 125 "$RC"
        assert_contains "vm.memfd_noexec=2: the message names the sysctl" "$ERR" \
                "this pid namespace has vm.memfd_noexec=2"
        assert_contains "vm.memfd_noexec=2: the fix" "$ERR" "set vm.memfd_noexec to 0 or 1"
else
        skip "vm.memfd_noexec=2: a clear refusal" "this kernel has no vm.memfd_noexec (< 6.3)"
fi
finish
