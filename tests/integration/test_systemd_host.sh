#!/usr/bin/env bash
# Running as a systemd unit, what can be shown without systemd: the NOTIFY_SOCKET relay
# (a probe stands in for systemd's socket) and socket activation (systemd-socket-activate
# stands in for a .socket unit). The real systemd guest is tests/vm/test_systemd_vm.sh.
. "$(dirname "$0")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")

# listener PATH: a stand-in for systemd's notification socket, in the background (on the
# host, so without the tag that marks sandbox processes); it ends 2 s after the last
# datagram.
listener() {
        rm -f "$WORK/dgram.out"
        "$PROBE" recv-dgram "$1" 2 >"$WORK/dgram.out" 2>&1 &
        LISTENER=$!
        wait_for_line "$WORK/dgram.out" "recv-dgram=listening" 10
}

# Path socket: the app's READY=1 and STATUS= arrive from ward; MAINPID= and unknown
# assignments are dropped.
listener "$WORK/notify.sock"
NOTIFY_SOCKET=$WORK/notify.sock wrun --rootfs "$R" -- "${P[@]}" \
        notify "$(printf 'READY=1\nSTATUS=serving\nMAINPID=1\nX_OTHER=1')" env
wait "$LISTENER"
assert_eq "notify: ward run exits 0" 0 "$RC"
assert_eq "notify: the app reaches the relay in the sandbox" "OK socket=/dev/ward-notify" \
        "$(kv notify)"
assert_eq "notify: the app's NOTIFY_SOCKET is the relay" "/dev/ward-notify" "$(kv NOTIFY_SOCKET)"
OUT=$(cat "$WORK/dgram.out")
assert_eq "notify: READY=1 and STATUS= reach NOTIFY_SOCKET, MAINPID= and X_OTHER= do not" \
        "READY=1|STATUS=serving|" "$(kv dgram)"

# Abstract socket (systemd's own form in some setups), and the app's own network namespace.
NAME="@ward-it-$$-$RANDOM"
listener "$NAME"
NOTIFY_SOCKET=$NAME wrun --rootfs "$R" -- "${P[@]}" notify READY=1
wait "$LISTENER"
assert_eq "notify @abstract: ward run exits 0" 0 "$RC"
assert_eq "notify @abstract: READY=1 arrives" "READY=1|" "$(kv dgram "$(cat "$WORK/dgram.out")")"

# A non-root app (User=) may notify too.
listener "$WORK/notify2.sock"
NOTIFY_SOCKET=$WORK/notify2.sock wrun --rootfs "$R" --user 1000:1000 -- "${P[@]}" notify READY=1
wait "$LISTENER"
assert_eq "notify as uid 1000: READY=1 arrives" "READY=1|" "$(kv dgram "$(cat "$WORK/dgram.out")")"

# Fail closed: a NOTIFY_SOCKET nobody listens on, or one that is not an address.
NOTIFY_SOCKET=$WORK/nobody.sock wrun --rootfs "$R" -- "${P[@]}" exit 0
assert_eq "stale NOTIFY_SOCKET: exit 125" 125 "$RC"
assert_contains "stale NOTIFY_SOCKET: the message names it" "$ERR" \
        "cannot connect to NOTIFY_SOCKET=$WORK/nobody.sock"
NOTIFY_SOCKET=relative.sock wrun --rootfs "$R" -- "${P[@]}" exit 0
assert_eq "NOTIFY_SOCKET not an address: exit 125" 125 "$RC"
assert_contains "NOTIFY_SOCKET not an address: said so" "$ERR" \
        "neither a socket path nor an @abstract name"

# Without NOTIFY_SOCKET, the app has none.
wrun --rootfs "$R" -- "${P[@]}" env
assert_eq "no NOTIFY_SOCKET: none in the app" "<missing>" "$(kv NOTIFY_SOCKET)"

# LISTEN_PID naming another process: not ours, nothing passed (sd_listen_fds semantics).
LISTEN_PID=1 LISTEN_FDS=1 wrun --rootfs "$R" -- "${P[@]}" env
assert_eq "LISTEN_PID of another process: no LISTEN_FDS in the app" "<missing>" \
        "$(kv LISTEN_FDS)"

# systemd makes "/" shared. In a mount namespace of this test whose "/" is made shared again
# (the host's own tree is not touched), the sandbox must still start (pivot_root refuses a
# shared old root) and none of its mounts may propagate back to the caller's tree.
if command -v unshare >/dev/null; then
        T_RUNS=$((T_RUNS + 1))
        run_cmd unshare -m sh -c 'mount --make-rshared / || exit 99
                "$0" run --rootfs "$1" -- /bin/ward-probe "--tag=$2" cat /proc/self/cgroup
                echo "rc=$?"
                echo "leaked=$(grep -c " $1/" /proc/self/mountinfo)"' "$WARD" "$R" "$TAG"
        assert_eq "shared / (as under systemd): the sandbox starts" "0" "$(kv rc)"
        assert_eq "shared / (as under systemd): no sandbox mount propagates to the caller" "0" \
                "$(kv leaked)"
else
        skip "shared / (as under systemd)" "unshare (util-linux) is not installed"
fi

# socket_activate PORT ARGS...: serve one connection through systemd-socket-activate.
socket_activate() {
        local port=$1 i
        shift
        rm -f "$WORK/sa.out"
        T_RUNS=$((T_RUNS + 1))
        timeout -s KILL 20 systemd-socket-activate "$@" "$WARD" run --rootfs "$R" -- \
                "${P[@]}" listen-echo >"$WORK/sa.out" 2>&1 &
        SA=$!
        for i in $(seq 1 50); do
                grep -q "Listening on" "$WORK/sa.out" 2>/dev/null && break
                sleep 0.1
        done
        LAST_CMD="systemd-socket-activate $* ward run --rootfs R -- ward-probe listen-echo"
        REPLY=$(echo "hello $port" | timeout 10 busybox nc 127.0.0.1 "$port")
        # With -a (Accept=yes) it would wait for the next connection: the one is served.
        sleep 0.5
        kill "$SA" 2>/dev/null
        wait "$SA" 2>/dev/null
        OUT=$(cat "$WORK/sa.out") ERR="" RC=0
}

if ! command -v systemd-socket-activate >/dev/null; then
        skip "socket activation" "systemd-socket-activate is not installed (apt-get install systemd)"
else
        PORT=$((20000 + RANDOM % 20000))
        socket_activate "$PORT" -l "127.0.0.1:$PORT" --fdname=web
        assert_eq "socket activation: the app serves the connection on fd 3" "echo: hello $PORT" \
                "$REPLY"
        assert_eq "socket activation: LISTEN_PID is the app's pid (2, after ward-init)" \
                "2 getpid=2 listen_fds=1 names=web" "$(kv listen_pid)"
        socket_activate "$((PORT + 1))" -a -l "127.0.0.1:$((PORT + 1))"
        assert_eq "socket activation, Accept=yes: the app answers on the connection" \
                "echo: hello $((PORT + 1))" "$REPLY"
fi
finish
