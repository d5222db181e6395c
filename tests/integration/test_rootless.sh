#!/usr/bin/env bash
# `ward run` by an unprivileged user (uid 65534): the user namespace maps the caller to the
# sandbox's root (uid_map "0 65534 1"), and every protection still holds.
#
# Exit 77 (skip) only when the kernel forbids unprivileged user namespaces.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUID=65534
AS_USER=(setpriv --reuid=$RUID --regid=$RUID --clear-groups --reset-env)

if [ "$(id -u)" != 0 ]; then
        echo "1..0 # SKIP needs root to switch to uid $RUID"
        exit 77
fi
if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)" = 0 ]; then
        echo "1..0 # SKIP user.max_user_namespaces=0: unprivileged user namespaces are off"
        exit 77
fi
if [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" = 0 ]; then
        echo "1..0 # SKIP kernel.unprivileged_userns_clone=0"
        exit 77
fi
if ! timeout 10 "${AS_USER[@]}" unshare --user --map-root-user true 2>"$WORK/.userns-err"; then
        echo "1..0 # SKIP uid $RUID cannot create a user namespace: $(cat "$WORK/.userns-err")"
        exit 77
fi

# Everything the unprivileged caller needs must be reachable by it.
reachable_by "$RUID"
R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$R/data" && chmod 1777 "$R/data"
P=(/bin/ward-probe "--tag=$TAG")
cd "$WORK" || exit 1 # a cwd the caller can use

# nrun ARGS...: `ward run ARGS` as uid 65534, with the leftover checks.
nrun() {
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd "${AS_USER[@]}" "$WARD" run "$@"
        leftover_check "(uid $RUID) ward run $*"
}

ZERO=0000000000000000
nrun --rootfs "$R" -- "${P[@]}" status uidmap hostname net write /data/new write /new \
        write /tmp/x mount fds cwd
assert_eq "rootless: exit 0" 0 "$RC"
assert_eq "rootless: uid_map maps the caller to root" "0 $RUID 1" "$(kv uid_map)"
assert_eq "rootless: gid_map maps the caller's gid to root" "0 $RUID 1" "$(kv gid_map)"
assert_eq "rootless: uid 0 inside" "0 0 0" "$(kv uid) $(kv euid) $(kv suid)"
for set in CapInh CapPrm CapEff CapBnd CapAmb; do
        assert_eq "rootless: $set is empty" "$ZERO" "$(kv "$set")"
done
assert_eq "rootless: NoNewPrivs=1" 1 "$(kv NoNewPrivs)"
assert_eq "rootless: groups empty" "" "$(kv groups)"
assert_eq "rootless: hostname ward" ward "$(kv hostname)"
assert_eq "rootless: only lo" lo "$(kv ifaces)"
assert_eq "rootless: lo is up" up,loopback "$(kv if.lo)"
assert_eq "rootless: creating in a 1777 directory of the root gives EROFS" EROFS \
        "$(kv "write /data/new")"
assert_eq "rootless: creating /new gives EROFS" EROFS "$(kv "write /new")"
assert_eq "rootless: the /tmp tmpfs is writable" OK "$(kv "write /tmp/x")"
assert_eq "rootless: mount(2) refused" EPERM "$(kv mount)"
assert_eq "rootless: only fds 0-2" 0,1,2 "$(kv fds)"
assert_eq "rootless: cwd / inside the root" "/ yes" "$(kv cwd) $(kv cwd_top_is_root)"
assert_eq "rootless: the app is PID 2 under the init" "2 1" "$(kv pid) $(kv ppid)"

nrun --rootfs "$R" -- "${P[@]}" read /proc/keys statfs /proc/sys statfs /sys ls /dev \
        zombies
assert_eq "rootless: /proc/keys masked" "0 OK 0" "$RC $(kv "read /proc/keys") $(kv "bytes /proc/keys")"
assert_match "rootless: /proc/sys read-only" "$(kv "flags /proc/sys")" '^ro'
assert_match "rootless: /sys read-only" "$(kv "flags /sys")" '^ro'
assert_contains "rootless: /dev has null" ",$(kv "ls /dev")," ",null,"
assert_eq "rootless: zombies reaped" 0 "$(kv zombies)"

nrun --rootfs "$R" --cap-add NET_BIND_SERVICE -- "${P[@]}" status
assert_eq "rootless --cap-add NET_BIND_SERVICE: CapEff=0x400 (of the user namespace)" \
        "0 0000000000000400" "$RC $(kv CapEff)"

for code in 0 3; do
        nrun --rootfs "$R" -- "${P[@]}" exit "$code"
        assert_eq "rootless: exit status $code" "$code" "$RC"
done
nrun --rootfs "$R" -- /bin/no-such-command "$TAG"
assert_eq "rootless: command not found gives 127" 127 "$RC"

# Only one uid is mapped: --user picks which sandbox uid the caller becomes.
nrun --rootfs "$R" --user 1000:1000 -- "${P[@]}" status uidmap
assert_eq "rootless --user 1000:1000: exit 0" 0 "$RC"
assert_eq "rootless --user 1000:1000: uid_map maps 1000 to the caller" "1000 $RUID 1" \
        "$(kv uid_map)"
assert_eq "rootless --user 1000:1000: runs as 1000:1000" "1000 1000 1000 1000" \
        "$(kv uid) $(kv euid) $(kv gid) $(kv egid)"
assert_eq "rootless --user 1000:1000: CapEff empty" "$ZERO" "$(kv CapEff)"
# Supplementary groups cannot be set without privilege (setgroups is denied): ward must
# refuse rather than start the app without them.
nrun --rootfs "$R" --group-add 4444 -- "${P[@]}" status
assert_eq "rootless --group-add 4444 (cannot be had): exit 125" 125 "$RC"
assert_contains "rootless --group-add: 'ward: error:'" "$ERR" "ward: error:"
assert_eq "rootless --group-add: the app did not run" "" "$OUT"

# The caller's own files stay out of reach: a 0700 directory of root's.
mkdir -p "$WORK/private" && chmod 700 "$WORK/private" && echo secret >"$WORK/private/s"
nrun --rootfs "$R" -v "$WORK/private:/data" -- "${P[@]}" read /data/s
assert_ne "rootless: a bind of a directory the caller cannot read does not expose it" \
        "0 OK" "$RC $(kv "read /data/s")"

finish
