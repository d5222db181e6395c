#!/usr/bin/env bash
# Unix sockets in the image's /run (with --rootfs /, the host's: D-Bus's system bus is
# world-writable). A read-only root does not stop connect(), and a private network
# namespace does not either (a path socket is reached through the filesystem), so the
# default profile mounts an empty tmpfs over /run: "optional", skipped in an image that has
# no /run, and refused (as any tmpfs target) where /run is something ward cannot mount on.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
mkdir -p "$R/run/svc"
SOCK=$R/run/svc/bus.sock

"$PROBE" listen-unix "$SOCK" 60 >"$WORK/listen.out" 2>&1 &
LISTENER=$!
# Not tagged: the leftover checks look for tagged processes, and this one is the test's.
CLEANUP_PIDS="$LISTENER"
wait_for_line "$WORK/listen.out" ready 10 || fail "the bus socket stand-in started"
# World-writable, like /run/dbus/system_bus_socket: only hiding it keeps it out of reach.
chmod 666 "$SOCK"

# A profile like the default, without the /run tmpfs: the honest control.
cat >"$WORK/no-run.profile" <<'EOF'
[Profile]
Include=default
[Filesystem]
Tmpfs=
Tmpfs=/tmp size=64M mode=1777
EOF

# -- the attack and its control ----------------------------------------------------------
wrun --rootfs "$R" -- "${P[@]}" connect-unix /run/svc/bus.sock ls /run statfs /run
assert_eq "default: exit 0" 0 "$RC"
assert_eq "default: the image's world-writable socket in /run is hidden" ENOENT \
        "$(kv "connect-unix /run/svc/bus.sock")"
assert_eq "default: /run is empty" "" "$(kv "ls /run")"
assert_eq "default: /run is a tmpfs" 0x1021994 "$(kv "fstype /run")"
assert_eq "default: /run is 16M" 16777216 "$(kv "size /run")"
assert_contains "default: /run is writable, nosuid, nodev, noexec" "$(kv "flags /run")" \
        "rw,nosuid,nodev,noexec"

wrun --rootfs "$R" --profile strict -- "${P[@]}" connect-unix /run/svc/bus.sock
assert_eq "strict: the socket is hidden" ENOENT "$(kv "connect-unix /run/svc/bus.sock")"

wrun --rootfs "$R" --profile "$WORK/no-run.profile" -- "${P[@]}" \
        connect-unix /run/svc/bus.sock
assert_eq "weakened (no tmpfs on /run): the socket is reached" OK \
        "$(kv "connect-unix /run/svc/bus.sock")"
wrun --rootfs "$R" "${WEAK[@]}" -- "${P[@]}" connect-unix /run/svc/bus.sock
assert_eq "weakened ward (every capability, no seccomp): still hidden" ENOENT \
        "$(kv "connect-unix /run/svc/bus.sock")"

# A profile that does not include default: ward's built-in settings are default's safe
# ones, so /run is still hidden and the limits still apply (on 698981e this profile
# reached the socket and ran without nofile/nproc/core limits).
printf '[Namespaces]\nHostname=minimal\n' >"$WORK/minimal.profile"
wrun --rootfs "$R" --profile "$WORK/minimal.profile" -- "${P[@]}" \
        connect-unix /run/svc/bus.sock rlimits statfs /tmp
assert_eq "a profile without Include=default: the socket is hidden" ENOENT \
        "$(kv "connect-unix /run/svc/bus.sock")"
assert_eq "a profile without Include=default: /tmp is a tmpfs" 0x1021994 "$(kv "fstype /tmp")"
assert_eq "a profile without Include=default: nofile 1024, nproc 512, core 0" \
        "1024:1024 512:512 0:0" \
        "$(kv rlimit.nofile) $(kv rlimit.nproc) $(kv rlimit.core)"
printf '[Namespaces]\nHostname=minimal\n[Filesystem]\nTmpfs=\n' >"$WORK/minimal-open.profile"
wrun --rootfs "$R" --profile "$WORK/minimal-open.profile" -- "${P[@]}" \
        connect-unix /run/svc/bus.sock
assert_eq "control: the same profile loosened by name (Tmpfs=): the socket is reached" OK \
        "$(kv "connect-unix /run/svc/bus.sock")"

# A command-line tmpfs on /run replaces the profile's (required now, as it says).
wrun --rootfs "$R" --tmpfs /run:size=1m -- "${P[@]}" connect-unix /run/svc/bus.sock \
        statfs /run
assert_eq "--tmpfs /run: hidden" ENOENT "$(kv "connect-unix /run/svc/bus.sock")"
assert_eq "--tmpfs /run:size=1m replaces the default's" 1048576 "$(kv "size /run")"

# --rootfs /: the host's /run (whatever sockets it holds) is replaced by an empty one.
wrun --rootfs / "${HOST_PROBE[@]}" ls /run statfs /run
assert_eq "--rootfs /: exit 0" 0 "$RC"
assert_eq "--rootfs /: the host's /run is not seen" "" "$(kv "ls /run")"
assert_eq "--rootfs /: /run is a tmpfs" 0x1021994 "$(kv "fstype /run")"
# The host's own system bus, when this machine has one.
if [ -S /run/dbus/system_bus_socket ]; then
        wrun --rootfs / "${HOST_PROBE[@]}" connect-unix /run/dbus/system_bus_socket
        assert_eq "--rootfs /: the host's D-Bus system bus is hidden" ENOENT \
                "$(kv "connect-unix /run/dbus/system_bus_socket")"
else
        skip "--rootfs /: the host's D-Bus system bus" "no /run/dbus/system_bus_socket here"
fi

# -- explain says what setup will do -----------------------------------------------------
wexplain --rootfs "$R" -- /bin/true
assert_match "explain: the /run tmpfs is listed, optional" "$OUT" \
        "setup: tmpfs /run size=16M mode=0755 noexec optional \(nosuid, nodev\)"

# -- an image without /run: skipped, not an error -----------------------------------------
N=$WORK/no-run-image
make_rootfs "$N"
rmdir "$N/run"
wrun --rootfs "$N" -- "${P[@]}" in-sandbox stat /run
assert_eq "no /run in the image: default profile runs, exit 0" 0 "$RC"
assert_eq "no /run in the image: the sandbox runs" yes "$(kv in-sandbox)"
assert_eq "no /run in the image: none is made (the image is never written)" ENOENT \
        "$(kv "stat /run")"
[ -e "$N/run" ] && fail "no /run in the image: the image was not written" "$N/run exists"
wexplain --rootfs "$N" -- /bin/true
assert_contains "explain: the skip is said" "$OUT" \
        "skipped: /run does not exist in the image"
# `ward spec` cannot say "optional" (and a runtime would create the target in the image):
# the mount is in the spec where the image has /run, left out where it has none.
run_cmd "$WARD" spec --rootfs "$R" -- /bin/true
assert_contains "spec, image with /run: the tmpfs is there" "$OUT" '"destination": "/run"'
run_cmd "$WARD" spec --rootfs "$N" -- /bin/true
assert_eq "spec, image without /run: exit 0" 0 "$RC"
assert_not_contains "spec, image without /run: left out" "$OUT" '"destination": "/run"'
assert_contains "spec, image without /run: /tmp still there" "$OUT" '"destination": "/tmp"'
wrun --rootfs "$N" --tmpfs /run -- "${P[@]}" in-sandbox
assert_eq "no /run, --tmpfs /run (required): exit 125" 125 "$RC"
assert_contains "no /run, --tmpfs /run: names the flag and the path" "$ERR" \
        "/run does not exist in the root filesystem"
wrun --rootfs "$N" --tmpfs /run:optional -- "${P[@]}" in-sandbox
assert_eq "no /run, --tmpfs /run:optional: exit 0" 0 "$RC"

# -- a /run that is not a directory: refused, as for any tmpfs target (fail closed) -------
ln -s /no-such-dir "$N/run"
wrun --rootfs "$N" -- "${P[@]}" in-sandbox
assert_eq "/run a dangling symlink: exit 125, not skipped" 125 "$RC"
assert_contains "/run a dangling symlink: names the key" "$ERR" "Filesystem.Tmpfs"
rm "$N/run"
: >"$N/run"
wrun --rootfs "$N" -- "${P[@]}" in-sandbox
assert_eq "/run a file: exit 125, not skipped" 125 "$RC"
assert_contains "/run a file: says it is not a directory" "$ERR" "not a directory"
rm "$N/run"
# A symlink to a directory of the image is followed inside the image (as for any target),
# and what it points to is hidden.
mkdir -p "$N/var/run/svc"
ln -s /var/run "$N/run"
: >"$N/var/run/svc/marker"
wrun --rootfs "$N" -- "${P[@]}" stat /run/svc/marker stat /var/run/svc/marker
assert_eq "/run -> /var/run: exit 0" 0 "$RC"
assert_eq "/run -> /var/run: its content is hidden" ENOENT "$(kv "stat /var/run/svc/marker")"

kill "$LISTENER" 2>/dev/null
wait "$LISTENER" 2>/dev/null
finish
