#!/usr/bin/env bash
# A setuid-root binary in the image turns an unprivileged app into the sandbox's root.
# ward sets no_new_privs and mounts the root (and every tmpfs and bind) nosuid.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

if [ "$(id -u)" != 0 ]; then
        echo "1..0 # SKIP a setuid file owned by the sandbox's root needs root to make"
        exit 77
fi
R=$WORK/rootfs
make_rootfs "$R"
# Owned by the sandbox's root (host uid 2000000 as ward maps it), setuid.
cp "$PROBE" "$R/bin/suid-probe"
chown 2000000:2000000 "$R/bin/suid-probe"
chmod 4755 "$R/bin/suid-probe"

wrun --rootfs "$R" --user 1000:1000 -- /bin/suid-probe "--tag=$TAG" status statfs /
assert_eq "ward: ran" 0 "$RC"
assert_eq "ward: no_new_privs is set" 1 "$(kv NoNewPrivs)"
assert_eq "ward: the setuid binary did not raise the euid" "1000 1000" "$(kv uid) $(kv euid)"

# Without no_new_privs (which a seccomp filter needs), the nosuid root still holds: two
# layers, each enough alone.
wrun --rootfs "$R" --user 1000:1000 --security-opt no-new-privileges=false \
        --security-opt seccomp=unconfined -- \
        /bin/suid-probe "--tag=$TAG" status statfs /
assert_eq "no-new-privileges=false: no_new_privs is off" "0 0" "$RC $(kv NoNewPrivs)"
assert_match "no-new-privileges=false: the root is mounted nosuid" "$(kv 'flags /')" nosuid
assert_eq "no-new-privileges=false: still euid 1000 (nosuid)" 1000 "$(kv euid)"

# The weakened half: the same binary, setuid root, on a file system without nosuid and
# without no_new_privs, run as uid 1000 in throwaway pid and mount namespaces (status only
# reads its own process): the euid becomes 0.
cp "$PROBE" "$WORK/suid-probe"
chown 0:0 "$WORK/suid-probe"
chmod 4755 "$WORK/suid-probe"
if findmnt -n -o OPTIONS -T "$WORK" | grep -q nosuid; then
        skip "weakened: setuid works without nnp and nosuid" "$WORK is on a nosuid mount"
else
        run_cmd unshare -pfm --kill-child setpriv --reuid 1000 --regid 1000 --clear-groups \
                "$WORK/suid-probe" status
        assert_eq "weakened: the setuid binary ran" 0 "$RC"
        assert_eq "weakened: no nnp, no nosuid: euid 0 (the escalation is real)" "1000 0" \
                "$(kv uid) $(kv euid)"
fi
rm -f "$WORK/suid-probe"
finish
