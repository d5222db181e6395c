#!/usr/bin/env bash
# Network: by default a private network namespace with only lo, and lo is up (brought up
# over rtnetlink); --network host shares the host's interfaces.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")

wrun --rootfs "$R" -- "${P[@]}" net
assert_eq "default: exit 0" 0 "$RC"
assert_eq "default: only lo" lo "$(kv ifaces)"
assert_eq "default: lo is up" up,loopback "$(kv if.lo)"

wrun --rootfs "$R" --network none -- "${P[@]}" net
assert_eq "--network none: only lo, up" "0 lo up,loopback" "$RC $(kv ifaces) $(kv if.lo)"

# lo works: a TCP listener on 127.0.0.1 inside answers a connection from inside.
wrun --rootfs "$R" -- /bin/sh -c \
        'ip -o addr show lo | grep -q "inet 127.0.0.1/8" && echo lo=127.0.0.1/8; \
         ip -o link show | wc -l | sed "s/^ */links=/"' "$TAG"
assert_eq "default: lo has 127.0.0.1/8" "0 127.0.0.1/8" "$RC $(kv lo)"
assert_eq "default: one link" 1 "$(kv links)"

# Without a user namespace's CAP_NET_ADMIN the app cannot add an interface.
# (guarded: the probe exits 99 in the host's initial namespaces, so that a broken sandbox
# never adds a link to the host.)
wrun --rootfs "$R" -- /bin/sh -c \
        'ward-probe in-sandbox || exit 99; ip link add ward-it type dummy 2>&1; echo rc=$?' "$TAG"
assert_match "default: the app cannot add a link" "$RC $(grep '^rc=' <<<"$OUT")" '^0 rc=[1-9]'


# --network host: the same interfaces as the host.
HOST_NET=$("$PROBE" net)
wrun --rootfs "$R" --network host -- "${P[@]}" net
assert_eq "--network host: exit 0" 0 "$RC"
assert_eq "--network host: the host's interfaces" "$(kv ifaces "$HOST_NET")" "$(kv ifaces)"
for i in $(kv ifaces "$HOST_NET" | tr , ' '); do
        assert_eq "--network host: $i has the host's state" "$(kv "if.$i" "$HOST_NET")" \
                "$(kv "if.$i")"
done

finish
