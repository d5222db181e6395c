#!/usr/bin/env bash
# An engine's control socket (docker.sock: root-owned, 0660) reachable from the sandbox is
# root on the host. ward's sandbox has its own network namespace (no abstract sockets of
# the host), and its root is an unprivileged host uid, so even a path socket it can see
# (--rootfs /, or an explicit -v bind) refuses it.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

if [ "$(id -u)" != 0 ]; then
        echo "1..0 # SKIP the engine socket stand-in lives in /run, which needs root"
        exit 77
fi
R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
SOCK=/run/ward-test-engine-$$.sock # a name no leftover check counts (lib.sh)
touch "$R/run/engine.sock"

"$PROBE" listen-unix "$SOCK" 60 >"$WORK/listen.out" 2>&1 &
LISTENER=$!
"$PROBE" listen-abstract "ward-attack-engine-$$" 60 >"$WORK/abstract.out" 2>&1 &
ABSTRACT=$!
# Not tagged: the leftover checks look for tagged processes, and these are the host's.
CLEANUP_PIDS="$LISTENER $ABSTRACT"
wait_for_line "$WORK/listen.out" ready 10 || fail "the engine socket stand-in started"
wait_for_line "$WORK/abstract.out" ready 10 || fail "the abstract socket stand-in started"
chmod 660 "$SOCK"

# A path socket, root:root 0660 like docker.sock. With --rootfs / the default profile puts
# an empty tmpfs over the host's /run (test_host_sockets.sh); a profile without it shows
# the socket, and the uid mapping must refuse it all the same.
NORUN=$WORK/no-run.profile
printf '%s\n' "[Profile]" "Include=default" "[Filesystem]" "Tmpfs=" \
        "Tmpfs=/tmp size=64M mode=1777" >"$NORUN"
wrun --rootfs / "${HOST_PROBE[@]}" connect-unix "$SOCK"
assert_eq "ward --rootfs /: the host's /run, engine socket included, is hidden" ENOENT \
        "$(kv "connect-unix $SOCK")"
wrun --rootfs / --profile "$NORUN" "${HOST_PROBE[@]}" connect-unix "$SOCK"
assert_eq "ward --rootfs /, /run not hidden: the host's 0660 engine socket is refused" \
        EACCES "$(kv "connect-unix $SOCK")"
wrun --rootfs "$R" -v "$SOCK:/run/engine.sock" -- "${P[@]}" connect-unix /run/engine.sock
assert_eq "ward -v SOCK: a bound 0660 engine socket is refused" EACCES \
        "$(kv 'connect-unix /run/engine.sock')"
wrun --rootfs "$R" "${WEAK[@]}" -v "$SOCK:/run/engine.sock" -- "${P[@]}" \
        connect-unix /run/engine.sock
assert_eq "weakened ward: every capability does not help (the owner is not mapped)" EACCES \
        "$(kv 'connect-unix /run/engine.sock')"
# Weakened: the same socket world-writable is reached, so the attack is real and the uid
# mapping is what stops it. (Without the default's empty /run, --rootfs / shows the
# host's /run read-only: a socket there that anyone may use, such as D-Bus's, is reached.)
chmod 666 "$SOCK"
wrun --rootfs "$R" -v "$SOCK:/run/engine.sock" -- "${P[@]}" connect-unix /run/engine.sock
assert_eq "weakened (socket 0666): reached" OK "$(kv 'connect-unix /run/engine.sock')"
wrun --rootfs / --profile "$NORUN" "${HOST_PROBE[@]}" connect-unix "$SOCK"
assert_eq "weakened (socket 0666, /run not hidden), --rootfs /: reached" OK \
        "$(kv "connect-unix $SOCK")"
wrun --rootfs / "${HOST_PROBE[@]}" connect-unix "$SOCK"
assert_eq "socket 0666, --rootfs /, default profile: hidden" ENOENT \
        "$(kv "connect-unix $SOCK")"

# An abstract socket (no file, no mode: anyone in the network namespace may connect).
wrun --rootfs "$R" -- "${P[@]}" connect-abstract "ward-attack-engine-$$"
assert_eq "ward: the host's abstract socket is out of reach (own network namespace)" \
        ECONNREFUSED "$(kv "connect-abstract ward-attack-engine-$$")"
wrun --rootfs "$R" --network host -- "${P[@]}" connect-abstract "ward-attack-engine-$$"
assert_eq "weakened (--network host): the abstract socket is reached" OK \
        "$(kv "connect-abstract ward-attack-engine-$$")"

kill "$LISTENER" "$ABSTRACT" 2>/dev/null
wait "$LISTENER" "$ABSTRACT" 2>/dev/null
rm -f "$SOCK"
finish
