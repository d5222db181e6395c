#!/usr/bin/env bash
# `ward run` as root on the host: credentials, capabilities, no_new_privs, the user
# namespace's id map, PID 1 and the hostname, as the probe sees them from inside.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
ZERO=0000000000000000
NET_BIND=0000000000000400

# -- the default profile ----------------------------------------------------------------
wrun --rootfs "$R" -- "${P[@]}" status uidmap hostname pid1
assert_eq "default: exit status 0" 0 "$RC"
for set in CapInh CapPrm CapEff CapBnd CapAmb; do
        assert_eq "default: $set is empty" "$ZERO" "$(kv "$set")"
done
assert_eq "default: NoNewPrivs=1" 1 "$(kv NoNewPrivs)"
for id in uid euid suid gid egid sgid; do
        assert_eq "default: $id is 0 inside the sandbox" 0 "$(kv "$id")"
done
assert_eq "default: no supplementary groups" "" "$(kv groups)"
if [ "$(id -u)" = 0 ]; then
        assert_eq "default as root: uid_map maps 0 to an unprivileged range (never 0 0)" \
                "0 2000000 65536" "$(kv uid_map)"
        assert_eq "default as root: gid_map likewise" "0 2000000 65536" "$(kv gid_map)"
fi
assert_eq "default: one uid_map line" 1 "$(grep -c '^uid_map=' <<<"$OUT")"
assert_eq "default: the app is PID 2, under the init" 2 "$(kv pid)"
assert_eq "default: the app's parent is PID 1" 1 "$(kv ppid)"
assert_contains "default: PID 1 is ward-init" "$(kv pid1_cmdline)" ward-init
assert_ne "default: the init's /proc/1/exe cannot be opened (CVE-2019-5736)" OK \
        "$(kv pid1_exe_open)"
assert_eq "default: hostname is 'ward'" ward "$(kv hostname)"
assert_eq "default: umask 0022" 0022 "$(kv Umask)"
assert_eq "default: no signal blocked in the app" "$ZERO" "$(kv SigBlk)"
assert_eq "default: no signal ignored in the app" "$ZERO" "$(kv SigIgn)"
# Without -t the app runs in a session of its own: its leader is inside the sandbox (a
# session inherited from the caller has a leader outside the pid namespace: getsid = 0).
assert_ne "default: the app's session leader is inside the sandbox (not the caller's)" 0 \
        "$(kv sid)"

# -- hostname ---------------------------------------------------------------------------
wrun --rootfs "$R" --hostname web -- "${P[@]}" hostname
assert_eq "--hostname web" "0 web" "$RC $(kv hostname)"

# -- capabilities -----------------------------------------------------------------------
wrun --rootfs "$R" --cap-drop ALL --cap-add NET_BIND_SERVICE -- "${P[@]}" status
assert_eq "--cap-drop ALL --cap-add NET_BIND_SERVICE: exit 0" 0 "$RC"
assert_eq "root + NET_BIND_SERVICE: CapEff=0x400" "$NET_BIND" "$(kv CapEff)"
assert_eq "root + NET_BIND_SERVICE: CapPrm=0x400" "$NET_BIND" "$(kv CapPrm)"
assert_eq "root + NET_BIND_SERVICE: CapBnd=0x400 (bounding set reduced too)" "$NET_BIND" \
        "$(kv CapBnd)"
assert_eq "root + NET_BIND_SERVICE: NoNewPrivs=1" 1 "$(kv NoNewPrivs)"

wrun --rootfs "$R" --cap-add net_bind_service -- "${P[@]}" status
assert_eq "--cap-add accepts lower case without CAP_: CapEff=0x400" "0 $NET_BIND" \
        "$RC $(kv CapEff)"

wrun --rootfs "$R" --user 9999:9999 --cap-add NET_BIND_SERVICE -- "${P[@]}" status
assert_eq "--user 9999:9999 --cap-add NET_BIND_SERVICE: exit 0" 0 "$RC"
for id in uid euid suid gid egid sgid; do
        assert_eq "--user 9999:9999: $id=9999" 9999 "$(kv "$id")"
done
assert_eq "--user 9999 + NET_BIND_SERVICE: CapEff=0x400" "$NET_BIND" "$(kv CapEff)"
assert_eq "--user 9999 + NET_BIND_SERVICE: CapPrm=0x400" "$NET_BIND" "$(kv CapPrm)"
assert_eq "--user 9999 + NET_BIND_SERVICE: CapAmb=0x400 (kept across exec)" "$NET_BIND" \
        "$(kv CapAmb)"
assert_eq "--user 9999 + NET_BIND_SERVICE: CapInh=0x400" "$NET_BIND" "$(kv CapInh)"
assert_eq "--user 9999 + NET_BIND_SERVICE: CapBnd=0x400" "$NET_BIND" "$(kv CapBnd)"
assert_eq "--user 9999 + NET_BIND_SERVICE: no supplementary groups" "" "$(kv groups)"

wrun --rootfs "$R" --user 9999:9999 -- "${P[@]}" status
assert_eq "--user 9999:9999: exit 0" 0 "$RC"
assert_eq "--user 9999:9999: uid" "9999 9999 9999" "$(kv uid) $(kv euid) $(kv suid)"
assert_eq "--user 9999:9999: gid" "9999 9999 9999" "$(kv gid) $(kv egid) $(kv sgid)"
for set in CapInh CapPrm CapEff CapBnd CapAmb; do
        assert_eq "--user 9999:9999: $set is empty" "$ZERO" "$(kv "$set")"
done
assert_eq "--user 9999:9999: groups empty" "" "$(kv groups)"
assert_eq "--user 9999:9999: NoNewPrivs=1" 1 "$(kv NoNewPrivs)"

wrun --rootfs "$R" --user 4242 -- "${P[@]}" status
assert_eq "--user 4242 (no GID): gid defaults to the uid" "0 4242 4242" \
        "$RC $(kv uid) $(kv gid)"

wrun --rootfs "$R" --user app -- "${P[@]}" status
assert_eq "--user app is looked up in the image's /etc/passwd" "0 1000 1000" \
        "$RC $(kv uid) $(kv gid)"

wrun --rootfs "$R" --user 9999:9999 --group-add 4444 -- "${P[@]}" status
assert_eq "--group-add 4444 gives exactly that supplementary group" "0 4444" \
        "$RC $(kv groups)"

wrun --rootfs "$R" --security-opt no-new-privileges -- "${P[@]}" status
assert_eq "--security-opt no-new-privileges: NoNewPrivs=1" "0 1" "$RC $(kv NoNewPrivs)"

# A setuid binary gives nothing (no_new_privs): a copy of the probe owned by the host uid
# that is 9999 inside the sandbox, setuid, keeps the caller's euid 1000.
if [ "$(id -u)" = 0 ]; then
        cp "$PROBE" "$R/bin/probe-setuid" && chown 2009999:2009999 "$R/bin/probe-setuid" &&
                chmod 4755 "$R/bin/probe-setuid"
        wrun --rootfs "$R" --user 1000:1000 -- /bin/probe-setuid "--tag=$TAG" status
        assert_eq "no_new_privs: a setuid-9999 binary runs with the caller's euid 1000" \
                "0 1000" "$RC $(kv euid)"
        rm -f "$R/bin/probe-setuid"
fi

# -- the strict profile -----------------------------------------------------------------
wrun --profile strict --rootfs "$R" -- "${P[@]}" status
assert_eq "--profile strict: exit 0" 0 "$RC"
assert_eq "--profile strict: runs as 65534:65534" "65534 65534" "$(kv uid) $(kv gid)"
assert_eq "--profile strict: CapEff empty" "$ZERO" "$(kv CapEff)"
assert_eq "--profile strict: umask 0077" 0077 "$(kv Umask)"

# -- without the init -------------------------------------------------------------------
wrun --rootfs "$R" --no-init -- "${P[@]}" status
assert_eq "--no-init: the app itself is PID 1" "0 1 0" "$RC $(kv pid) $(kv ppid)"
assert_eq "--no-init: CapEff still empty" "$ZERO" "$(kv CapEff)"
assert_eq "--no-init: NoNewPrivs still 1" 1 "$(kv NoNewPrivs)"

# -- --share: a comma list takes each namespace out; the profile's Hostname= then yields -----
wrun --rootfs "$R" --share ipc,uts -- "${P[@]}" hostname
assert_eq "--share ipc,uts: exit 0 (the profile's Hostname= yields to the flag)" 0 "$RC"
assert_eq "--share ipc,uts: the host's hostname" "$(hostname)" "$(kv hostname)"
run_cmd "$WARD" run --rootfs "$R" --share ipc,uts -- /bin/sh -c 'readlink /proc/self/ns/ipc' "$TAG"
assert_eq "--share ipc,uts: the host's ipc namespace" "$(readlink /proc/self/ns/ipc)" "$OUT"
wrun --rootfs "$R" --share uts,bogus -- "${P[@]}" hostname
assert_eq "--share with an unknown namespace: exit 125" 125 "$RC"
assert_contains "--share bogus: the message names it" "$ERR" 'unknown namespace "bogus"'

finish
