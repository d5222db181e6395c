#!/usr/bin/env bash
# Device nodes (mknod, a device brought in by a bind, the host's /dev) and raw sockets
# without CAP_NET_RAW. ward's /dev holds only the harmless nodes, every bind is nodev, the
# user namespace forbids mknod, and raw sockets need a capability the default drops.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
need_naive "$R"
mkdir -p "$R/dev" && touch "$R/zero2"

A=(mknod /tmp/mem raw-socket ls /dev read /zero2 status)
wrun --rootfs "$R" -v /dev/zero:/zero2 -- "${P[@]}" "${A[@]}"
assert_eq "ward: the probe ran" 0 "$RC"
assert_eq "ward: mknod of a char device" EPERM "$(kv 'mknod /tmp/mem')"
assert_eq "ward: raw IPv4 socket" EPERM "$(kv raw_inet)"
assert_eq "ward: packet socket" EPERM "$(kv raw_packet)"
assert_eq "ward: /dev holds only the harmless nodes" \
        fd,full,null,ptmx,pts,random,shm,stderr,stdin,stdout,tty,urandom,zero "$(kv 'ls /dev')"
assert_eq "ward: a device bound in (/dev/zero) cannot be opened (nodev)" EACCES \
        "$(kv 'read /zero2')"

# Weakened: every capability, no filter. Raw sockets now open (in the sandbox's own
# network namespace): the attack is real. mknod and the bound device stay refused: only
# the user namespace (CAP_MKNOD counts in the host's) and the nodev bind stop them.
wrun --rootfs "$R" "${WEAK[@]}" -v /dev/zero:/zero2 -- "${P[@]}" "${A[@]}"
assert_eq "weakened: raw IPv4 socket opens (the attack is real)" OK "$(kv raw_inet)"
assert_eq "weakened: packet socket opens" OK "$(kv raw_packet)"
capeff=$(kv CapEff)
assert_eq "weakened: the sandbox holds CAP_MKNOD" 1 "$(((0x$capeff >> 27) & 1))"
assert_eq "weakened: mknod still refused: only the user namespace stops it" EPERM \
        "$(kv 'mknod /tmp/mem')"
assert_eq "weakened: the bound device still cannot be opened: only nodev stops it" EACCES \
        "$(kv 'read /zero2')"

# One capability is enough for the raw socket: --cap-add NET_RAW.
wrun --rootfs "$R" --cap-add NET_RAW -- "${P[@]}" raw-socket
assert_eq "--cap-add NET_RAW: raw IPv4 socket opens" OK "$(kv raw_inet)"

# The naive runtime has no nodev: a device node in the image opens (here a twin of
# /dev/zero made by the host's root, as a hostile image unpacked by root would carry).
if [ "$(id -u)" = 0 ] && naive_part "naive runtime: a device node in the image"; then
        mknod "$R/dev/zero-twin" c 1 5 && chmod 666 "$R/dev/zero-twin"
        naive_run "$R" /bin/ward-probe "--tag=$TAG" read /dev/zero-twin mknod /tmp/mem
        assert_eq "naive runtime: the image's device node opens" OK "$(kv 'read /dev/zero-twin')"
        assert_eq "naive runtime: mknod: only the user namespace stops it" EPERM \
                "$(kv 'mknod /tmp/mem')"
        wrun --rootfs "$R" -- "${P[@]}" read /dev/zero-twin
        assert_eq "ward: the image's device node is not even there (ward's own /dev)" ENOENT \
                "$(kv 'read /dev/zero-twin')"
        rm -f "$R/dev/zero-twin"
elif [ "$(id -u)" != 0 ]; then
        skip "naive runtime: a device node in the image" "making one needs root"
fi
finish
