#!/usr/bin/env bash
# [Landlock] as the app sees it: reads, writes, execs, TCP binds and connects outside the
# lists fail with EACCES, inside them work; the same commands without [Landlock] succeed
# (the control that proves each check can fail); fail-closed errors are exit 125.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# `ward explain` only names the ABI when Landlock is on: ask with a minimal rule instead.
printf '[Landlock]\nExecute=/bin\n' >"$WORK/abi.profile"
ABI=$("$WARD" explain --profile "$WORK/abi.profile" --rootfs / -- true 2>/dev/null |
        sed -n 's/.*Landlock ABI \([0-9]*\):.*/\1/p')
if [ -z "$ABI" ]; then
        echo "1..0 # SKIP this kernel has no Landlock (ward explain names no ABI)"
        exit 77
fi
echo "# Landlock ABI $ABI"

R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$R/srv"
P=(/bin/ward-probe "--tag=$TAG")

# /srv is a writable tmpfs that Landlock marks ReadOnly: writing it can only fail because
# of Landlock (EACCES), never because of a read-only mount (EROFS).
cat >"$WORK/base.profile" <<EOF
[Profile]
Include=default
[Filesystem]
Tmpfs=/srv size=1M mode=0777
EOF
cat >"$WORK/ll.profile" <<EOF
[Profile]
Include=$WORK/base.profile
[Landlock]
ReadOnly=/bin /etc /srv
ReadWrite=/tmp
Execute=/bin/ward-probe
BindTCP=8080
ConnectTCP=8080
EOF

CHECKS=(read /etc/passwd read /bin/busybox read /proc/self/status ls /bin ls /
        write /tmp/x write /srv/x exec /bin/ward-probe exec /bin/sh
        bind-tcp 8080 bind-tcp 8081 connect-tcp 8080 connect-tcp 8081)

# -- control: no [Landlock], everything works -----------------------------------------
wrun --profile "$WORK/base.profile" --rootfs "$R" -- "${P[@]}" "${CHECKS[@]}"
assert_eq "control: exit 0" 0 "$RC"
assert_eq "control: /proc/self/status is readable" OK "$(kv "read /proc/self/status")"
assert_contains "control: / can be listed" "$(kv "ls /")" bin
assert_eq "control: the /srv tmpfs is writable" OK "$(kv "write /srv/x")"
assert_eq "control: /bin/sh can be executed" OK "$(kv "exec /bin/sh")"
assert_eq "control: bind 8081 works" OK "$(kv "bind-tcp 8081")"
assert_eq "control: connect 8081 reaches the stack (refused)" ECONNREFUSED \
        "$(kv "connect-tcp 8081")"

# -- with [Landlock] --------------------------------------------------------------------
wrun --profile "$WORK/ll.profile" --rootfs "$R" -- "${P[@]}" "${CHECKS[@]}"
assert_eq "landlock: exit 0 (ward-init from its memfd, the app under Execute=)" 0 "$RC"
assert_eq "landlock: ReadOnly=/etc: read /etc/passwd" OK "$(kv "read /etc/passwd")"
assert_eq "landlock: ReadOnly=/bin: read /bin/busybox" OK "$(kv "read /bin/busybox")"
assert_eq "landlock: outside the lists: read /proc/self/status is EACCES" EACCES \
        "$(kv "read /proc/self/status")"
assert_contains "landlock: ReadOnly=/bin: ls /bin" "$(kv "ls /bin")" ward-probe
assert_eq "landlock: outside the lists: ls / is EACCES" EACCES "$(kv "ls /")"
assert_eq "landlock: ReadWrite=/tmp: write /tmp/x" OK "$(kv "write /tmp/x")"
assert_eq "landlock: ReadOnly=/srv on a writable tmpfs: write is EACCES" EACCES \
        "$(kv "write /srv/x")"
assert_eq "landlock: Execute=/bin/ward-probe: exec it" OK "$(kv "exec /bin/ward-probe")"
assert_eq "landlock: no shell, though the image has one: exec /bin/sh is EACCES" EACCES \
        "$(kv "exec /bin/sh")"
if [ "$ABI" -ge 4 ]; then
        assert_eq "landlock: BindTCP=8080: bind 8080" OK "$(kv "bind-tcp 8080")"
        assert_eq "landlock: bind 8081 is EACCES" EACCES "$(kv "bind-tcp 8081")"
        assert_eq "landlock: ConnectTCP=8080: connect 8080 reaches the stack" ECONNREFUSED \
                "$(kv "connect-tcp 8080")"
        assert_eq "landlock: connect 8081 is EACCES" EACCES "$(kv "connect-tcp 8081")"
else
        skip "landlock: TCP rules" "ABI $ABI < 4"
fi

# Scoping (ABI 6): an abstract unix socket of the host (shared network namespace) is
# reachable without Landlock and refused with it.
if [ "$ABI" -ge 6 ]; then
        SOCK="ward-it-landlock-$$-$RANDOM"
        "$PROBE" listen-abstract "$SOCK" 30 >"$WORK/listener.out" 2>&1 &
        LISTENER=$!
        CLEANUP_PIDS="${CLEANUP_PIDS:-} $LISTENER"
        wait_for_line "$WORK/listener.out" ready 5 || fail "the host's listener is ready"
        printf '[Profile]\nInclude=%s\n[Network]\nMode=host\n' "$WORK/base.profile" \
                >"$WORK/hostnet.profile"
        printf '[Profile]\nInclude=%s\n[Network]\nMode=host\n' "$WORK/ll.profile" \
                >"$WORK/llhostnet.profile"
        wrun --profile "$WORK/hostnet.profile" --rootfs "$R" -- "${P[@]}" connect-abstract "$SOCK"
        assert_eq "control: the host's abstract socket is reachable" OK \
                "$(kv "connect-abstract $SOCK")"
        wrun --profile "$WORK/llhostnet.profile" --rootfs "$R" -- "${P[@]}" \
                connect-abstract "$SOCK"
        assert_eq "landlock: the host's abstract socket is out of scope (EPERM)" EPERM \
                "$(kv "connect-abstract $SOCK")"
        kill "$LISTENER" 2>/dev/null
        wait "$LISTENER" 2>/dev/null
else
        skip "landlock: abstract unix socket scoping" "ABI $ABI < 6"
fi

# The character devices every program opens stay usable.
wrun --profile "$WORK/ll.profile" --rootfs "$R" -- "${P[@]}" write /dev/null read /dev/zero
assert_eq "landlock: /dev/null writable" OK "$(kv "write /dev/null")"

# A non-root app user: the rule paths are opened with its credentials.
wrun --profile "$WORK/ll.profile" --rootfs "$R" --user 1000:1000 -- "${P[@]}" \
        read /etc/passwd read /proc/self/status exec /bin/sh
assert_eq "landlock --user 1000: exit 0" 0 "$RC"
assert_eq "landlock --user 1000: read /etc/passwd" OK "$(kv "read /etc/passwd")"
assert_eq "landlock --user 1000: /proc/self/status EACCES" EACCES \
        "$(kv "read /proc/self/status")"
assert_eq "landlock --user 1000: exec /bin/sh EACCES" EACCES "$(kv "exec /bin/sh")"

# Init=no: setup itself executes the app after restrict_self.
printf '[Profile]\nInclude=%s\n[Init]\nInit=no\n' "$WORK/ll.profile" >"$WORK/noinit.profile"
wrun --profile "$WORK/noinit.profile" --rootfs "$R" -- "${P[@]}" pid1 exec /bin/sh
assert_eq "landlock Init=no: exit 0" 0 "$RC"
assert_eq "landlock Init=no: exec /bin/sh EACCES" EACCES "$(kv "exec /bin/sh")"

# The command itself outside Execute=: it cannot be invoked (126), with or without the init.
wrun --profile "$WORK/ll.profile" --rootfs "$R" -- /bin/sh -c true
assert_eq "landlock: a command outside Execute= is exit 126" 126 "$RC"
wrun --profile "$WORK/noinit.profile" --rootfs "$R" -- /bin/sh -c true
assert_eq "landlock Init=no: a command outside Execute= is exit 126" 126 "$RC"

# -- explain ----------------------------------------------------------------------------
wexplain --profile "$WORK/ll.profile" --rootfs "$R" -- "${P[@]}"
assert_eq "explain: exit 0" 0 "$RC"
assert_contains "explain: the setting and its origin" "$OUT" \
        "Landlock.Execute = /bin/ward-probe    ($WORK/ll.profile:6)"
assert_match "explain: the step" "$OUT" \
        "setup: Landlock ABI $ABI: ruleset with read-only 3, read-write 1, execute 1 .*restrict_self \(after no_new_privs\)"
wexplain --profile "$WORK/base.profile" --rootfs "$R" -- "${P[@]}"
assert_contains "explain without [Landlock]: off" "$OUT" "Landlock.Landlock = no"

# -- fail closed ------------------------------------------------------------------------
cat >"$WORK/missing.profile" <<EOF
[Profile]
Include=$WORK/ll.profile
[Landlock]
ReadOnly=/nonexistent
EOF
wrun --profile "$WORK/missing.profile" --rootfs "$R" -- "${P[@]}" status
assert_eq "a missing rule path is exit 125" 125 "$RC"
assert_contains "missing path: the file:line and key" "$ERR" \
        "$WORK/missing.profile:4: Landlock.ReadOnly"
assert_contains "missing path: the fix" "$ERR" "create it in the image"

printf '[Profile]\nInclude=%s\n[Process]\nNoNewPrivileges=no\n' "$WORK/ll.profile" \
        >"$WORK/nonnp.profile"
wrun --profile "$WORK/nonnp.profile" --security-opt seccomp=unconfined --rootfs "$R" -- \
        "${P[@]}" status
assert_eq "Landlock with NoNewPrivileges=no is exit 125" 125 "$RC"
assert_contains "NoNewPrivileges=no: says why" "$ERR" "Landlock needs no_new_privs"
printf '[Profile]\nInclude=%s\n[Landlock]\nLandlock=try\n' "$WORK/nonnp.profile" \
        >"$WORK/try.profile"
wrun --profile "$WORK/try.profile" --security-opt seccomp=unconfined --rootfs "$R" -- \
        "${P[@]}" read /proc/self/status
assert_eq "Landlock=try with NoNewPrivileges=no runs without it" "0 OK" \
        "$RC $(kv "read /proc/self/status")"
wexplain --profile "$WORK/try.profile" --security-opt seccomp=unconfined --rootfs "$R" -- \
        "${P[@]}"
assert_contains "explain: try says it is not applied" "$OUT" "Landlock NOT applied"

printf '[Landlock]\nReadOnly=/\n' >"$WORK/noexec.profile"
wrun --profile "$WORK/noexec.profile" --rootfs "$R" -- "${P[@]}" status
assert_eq "Landlock with an empty Execute= is exit 125" 125 "$RC"

printf '[Landlock]\nLandlock=perhaps\n' >"$WORK/badmode.profile"
wrun --profile "$WORK/badmode.profile" --rootfs "$R" -- "${P[@]}" status
assert_eq "Landlock=perhaps is exit 125" 125 "$RC"
assert_contains "Landlock=perhaps: file:line" "$ERR" "$WORK/badmode.profile:2: Landlock.Landlock"

finish
