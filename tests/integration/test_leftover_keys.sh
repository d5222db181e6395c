#!/usr/bin/env bash
# The leftover checks of lib.sh, keyed so that suites can run side by side (ctest -j2): a
# leftover of the suite's own still fails its check, one of another suite's does not. No
# ward run: the leftovers are made by hand, each named or placed by the keys of lib.sh's
# header, so that a suite running beside this one never counts them.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# check_catches NAME MAKE UNDO: MAKE leaves something between snapshot and leftover_check;
# the check must fail (its failure is counted here, not as this suite's).
check_catches() {
        local failed=$T_FAILED checks=$T_CHECKS caught
        snapshot
        eval "$2"
        # In this shell (a subshell would be a new child of it, and caught for that).
        leftover_check "$1" >"$WORK/.keys-out" 2>&1
        caught=$((T_FAILED - failed))
        eval "$3"
        T_FAILED=$failed T_CHECKS=$checks
        if [ "$caught" = 1 ]; then
                ok "caught: $1"
        else
                fail "caught: $1" "the check passed: $(cat "$WORK/.keys-out")"
        fi
}

# check_ignores NAME MAKE UNDO: the same, and the check must pass.
check_ignores() {
        local failed=$T_FAILED
        snapshot
        eval "$2"
        leftover_check "$1"
        eval "$3"
        if [ "$T_FAILED" = "$failed" ]; then
                ok "ignored: $1"
        else
                fail "ignored: $1"
        fi
}

OTHER=ward-it-1-23456 # another run's tag (pid 1 never runs a suite)
check_catches "a file named with this run's tag in /tmp" ": >/tmp/ward-it-$TAG-leak" \
        'rm -f /tmp/ward-it-$TAG-leak'
check_ignores "a file named with another run's tag in /tmp" ": >/tmp/$OTHER-$$" \
        'rm -f /tmp/$OTHER-$$'
check_ignores "a suite's own file (ward-test-*) in /run" ": >/run/ward-test-keys-$$" \
        'rm -f /run/ward-test-keys-$$'
check_catches "a tagged process" \
        '(exec -a "$TAG" sleep 30) & TAGGED=$!' 'kill -KILL $TAGGED; wait $TAGGED 2>/dev/null'

if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
        mkdir -p "$WORK/m"
        check_catches "a mount in this run's work directory" \
                'mount -t tmpfs -o size=4k ward-it-keys "$WORK/m"' 'umount "$WORK/m"'
        OTHER_WORK=$(mktemp -d "${TMPDIR:-/tmp}/ward-it.XXXXXX")
        check_ignores "a mount in another suite's work directory" \
                'mount -t tmpfs -o size=4k ward-it-keys "$OTHER_WORK"' 'umount "$OTHER_WORK"'
        rmdir "$OTHER_WORK"
else
        skip "mounts in work directories" "mounting a tmpfs needs root"
fi
finish
