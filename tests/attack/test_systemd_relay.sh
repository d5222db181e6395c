#!/usr/bin/env bash
# The NOTIFY_SOCKET relay attacked by the app: MAINPID= (claiming to be the service's main
# process), fds passed with a datagram (and FDSTORE=1), datagrams above 4 KiB and 64 KiB,
# a NUL inside a line, a datagram from a forked child, and a flood. The monitor relays only
# the allowed assignments, as itself, never an fd, and a flood does not keep it from
# forwarding SIGTERM. A python3 listener stands in for systemd. The control: a runtime that
# hands NOTIFY_SOCKET through (the naive runtime) lets all of it reach "systemd".
# The flood here cannot outpace the monitor on a 2-CPU machine, so what keeps a faster one
# from starving it, the bound on datagrams relayed per wake-up, is checked on its own by
# the unit test test_systemd (test_relay_bounded_batch), which fails without it.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

if ! command -v python3 >/dev/null; then
        echo "1..0 # SKIP python3 is not installed"
        exit 77
fi
R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
need_naive "$R"

# The fake systemd: a datagram socket at PATH (mode 0666, credentials on), one line per
# datagram: 'dgram=TEXT|' (newlines as |, NUL as \0) 'bytes=N fds=N pid=SENDER'; with
# "count", only 'count=N mainpid=N' at the end. Ends IDLE seconds after the last datagram.
cat >"$WORK/fake_systemd.py" <<'EOF'
import array, os, socket, struct, sys
path, idle, mode = sys.argv[1], float(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.settimeout(idle)
print("listening", flush=True)
count = mainpid = 0
anc = socket.CMSG_SPACE(64 * 4) + socket.CMSG_SPACE(12)
while True:
    try:
        data, ancdata, flags, _ = s.recvmsg(1 << 20, anc)
    except socket.timeout:
        break
    fds, pid = 0, "?"
    for level, kind, payload in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            got = array.array("i")
            got.frombytes(payload[: len(payload) - len(payload) % got.itemsize])
            fds += len(got)
            for fd in got:
                os.close(fd)
        elif level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = struct.unpack("iII", payload[:12])[0]
    count += 1
    mainpid += b"MAINPID=" in data
    if mode != "count":
        text = data[:64].decode("latin-1").replace("\n", "|").replace("\0", "\\0")
        print("dgram=%s bytes=%d fds=%d pid=%s" % (text, len(data), fds, pid), flush=True)
print("count=%d mainpid=%d" % (count, mainpid), flush=True)
EOF

# listener PATH IDLE [count]: the fake systemd in the background; LISTENER, out in dgram.out.
listener() {
        rm -f "$1" "$WORK/dgram.out"
        python3 "$WORK/fake_systemd.py" "$1" "$2" "${3:-all}" >"$WORK/dgram.out" 2>&1 &
        LISTENER=$!
        wait_for_line "$WORK/dgram.out" listening 10
}
# dgrams: the texts received, one per line.
dgrams() { sed -n 's/^dgram=\(.*\) bytes=.*/\1/p' "$WORK/dgram.out"; }

# -- MAINPID=, fds, big datagrams, NUL, a forked child ----------------------------------
listener "$WORK/notify.sock" 2
NOTIFY_SOCKET=$WORK/notify.sock wrun --rootfs "$R" -- "${P[@]}" notify-attack
wait "$LISTENER"
assert_eq "ward: ran" 0 "$RC"
for a in mainpid fd fdstore 64k 4097 nul child done; do
        assert_eq "ward: the app sent $a" OK "$(kv "notify_attack.$a")"
done
assert_eq "ward: only the allowed assignments arrive, in order" \
        "READY=1| STATUS=with-fd| ERRNO=7| STATUS=child| STATUS=done|" "$(dgrams | xargs)"
assert_not_contains "ward: MAINPID= never arrives" "$(cat "$WORK/dgram.out")" MAINPID
assert_eq "ward: no fd arrives" "fds=0" "$(grep -o 'fds=[0-9]*' "$WORK/dgram.out" | sort -u)"
assert_eq "ward: one sender for all (the monitor, the child's datagram too)" 1 \
        "$(grep -o ' pid=[0-9?]*' "$WORK/dgram.out" | sort -u | wc -l)"

# The control: NOTIFY_SOCKET handed through to the app (here inside its root).
if naive_part "naive runtime: the app's notifications reach systemd untouched"; then
        listener "$R/notify.sock" 2
        NOTIFY_SOCKET=/notify.sock naive_run "$R" "${P[@]}" notify-attack
        wait "$LISTENER"
        assert_contains "naive runtime: MAINPID=1 reaches systemd" "$(dgrams)" "MAINPID=1|READY=1"
        assert_contains "naive runtime: the fd reaches systemd" "$(cat "$WORK/dgram.out")" \
                "dgram=STATUS=with-fd bytes=14 fds=1"
        assert_contains "naive runtime: the 70,000-byte datagram too" \
                "$(cat "$WORK/dgram.out")" "bytes=70000"
        rm -f "$R/notify.sock"
fi

# -- a flood: relayed in bounded batches, SIGTERM still forwarded at once -----------------
listener "$WORK/flood.sock" 3 count
T_RUNS=$((T_RUNS + 1))
snapshot
NOTIFY_SOCKET=$WORK/flood.sock "$WARD" run --rootfs "$R" -- "${P[@]}" notify-flood \
        >"$WORK/flood.out" 2>"$WORK/flood.err" </dev/null &
BG=$!
CLEANUP_PIDS="${CLEANUP_PIDS:-} $BG"
LAST_CMD="NOTIFY_SOCKET=$WORK/flood.sock ward run --rootfs $R -- ward-probe notify-flood"
if wait_for_line "$WORK/flood.out" notify_flood=started 15; then
        sleep 1
        kill -TERM "$BG"
        start=$SECONDS
        wait_exit "$BG" 20 2>>"$WORK/flood.err"
        RC=$?
        took=$((SECONDS - start))
        OUT=$(cat "$WORK/flood.out") ERR=$(cat "$WORK/flood.err")
        # 137 would be wait_exit's SIGKILL after 20 s: a starved monitor.
        assert_eq "flood: SIGTERM reaches the app, ward exits with 143" 143 "$RC"
        echo "# flood: ward exited ${took} s after SIGTERM"
else
        kill -KILL "$BG" 2>/dev/null
        wait "$BG"
        OUT=$(cat "$WORK/flood.out") ERR=$(cat "$WORK/flood.err") RC=?
        fail "flood: the app starts flooding"
fi
leftover_check "ward run notify-flood"
wait "$LISTENER"
count=$(sed -n 's/^count=\([0-9]*\) .*/\1/p' "$WORK/dgram.out")
assert_eq "flood: datagrams were relayed" yes "$([ "${count:-0}" -gt 0 ] && echo yes)"
assert_eq "flood: none with MAINPID=" "mainpid=0" "$(grep -o 'mainpid=[0-9]*' "$WORK/dgram.out")"
echo "# flood: $count datagrams relayed in about 1 s"
finish
