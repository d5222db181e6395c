#!/usr/bin/env bash
# Profile lookup as an attack path (issue 11): a sandbox plants a profile where the next
# `ward run` looks for one, and that run is no longer sandboxed.
# - root runs ward in a data directory it also binds rw: the app writes ./default.profile
#   (no user namespace, CAP_SYS_ADMIN, no no_new_privs, no filter); the next identical
#   command must still be fully confined;
# - a rw bind that covers a place ward reads its configuration from (the directory of the
#   profile in use, the caller's profile directory, /etc/ward) is refused;
# - rootless, the app reaches the caller's ~/.config through a rw bind and plants
#   ~/.config/ward/profiles/default.profile: refused, so nothing is planted.
# Each has a control: the planted profile, loaded on purpose, does give what the attacker
# wants, and a profile in the caller's own directory is what a bare name finds.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

if [ "$(id -u)" != 0 ]; then
        echo "1..0 # SKIP needs root (the attack is against a root-run ward)"
        exit 77
fi
R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$R/data" && chmod 755 "$R/data"
P=(/bin/ward-probe "--tag=$TAG")
ZERO=0000000000000000

# What the app writes: everything off.
PLANT='[Namespaces]
Unshare=
Unshare=pid mount net uts ipc cgroup
Hostname=planted
[Process]
Capabilities=SYS_ADMIN SYS_MODULE
NoNewPrivileges=no
[Seccomp]
Profile=unconfined
'

# -- root: ./default.profile planted through a rw bind of the current directory ---------
D=$WORK/data
mkdir -p "$D"
chown 2000000:2000000 "$D" # the sandbox's root may write its data directory
cd "$D" || exit 1
wrun --rootfs "$R" -v "$D:/data:rw" -- "${P[@]}" put /data/default.profile "$PLANT"
assert_eq "the app writes default.profile into its data directory" 0 "$RC"
assert_eq "the planted file is there" yes "$([ -s "$D/default.profile" ] && echo yes)"
wrun --rootfs "$R" -v "$D:/data:rw" -- "${P[@]}" status uidmap seccomp hostname
assert_eq "the next identical run: exit 0" 0 "$RC"
assert_eq "the next run: CapEff empty (the planted profile was not read)" "$ZERO" \
        "$(kv CapEff)"
assert_eq "the next run: NoNewPrivs=1" 1 "$(kv NoNewPrivs)"
assert_eq "the next run: Seccomp=2" 2 "$(kv Seccomp)"
assert_eq "the next run: its own user namespace" "0 2000000 65536" "$(kv uid_map)"
assert_eq "the next run: hostname ward" ward "$(kv hostname)"
wrun --profile ./default.profile --rootfs "$R" -- "${P[@]}" status
assert_eq "the planted file named as a path: refused (owned by the sandbox's uid)" 125 "$RC"
assert_contains "the refusal names the owner" "$ERR" "belongs to uid 2000000"
wrun --profile default.profile --rootfs "$R" -- "${P[@]}" status
assert_eq "a bare file name is not looked up in the current directory" 125 "$RC"
assert_contains "the refusal says how to name a local file" "$ERR" "./default.profile"
# Control: the planted settings, loaded on purpose from a root-owned copy, are host root.
install -m 0644 "$D/default.profile" "$WORK/planted.profile"
cd "$WORK" || exit 1
wrun --profile "$WORK/planted.profile" --rootfs "$R" -- "${P[@]}" status uidmap
assert_eq "control: the planted profile runs" 0 "$RC"
assert_ne "control: the planted profile keeps capabilities" "$ZERO" "$(kv CapEff)"
assert_eq "control: ... and no filter" 0 "$(kv Seccomp)"
assert_eq "control: ... and the host's uids" "0 0 4294967295" "$(kv uid_map)"

# -- a seccomp JSON profile is configuration too -----------------------------------------
printf '{"defaultAction": "SCMP_ACT_ALLOW"}\n' >"$D/open.json"
chown 2000000:2000000 "$D/open.json"
wrun --rootfs "$R" --security-opt "seccomp=$D/open.json" -- "${P[@]}" seccomp
assert_eq "a JSON filter the sandbox could write: refused" 125 "$RC"
assert_contains "... naming the directory the sandbox owns" "$ERR" \
        "seccomp profile $D/open.json: $D belongs to uid 2000000"
install -m 0644 "$D/open.json" "$WORK/open.json"
wrun --rootfs "$R" --security-opt "seccomp=$WORK/open.json" -- "${P[@]}" seccomp
assert_eq "control: the same filter from a root-owned copy loads" "0 2" "$RC $(kv Seccomp)"
wrun --rootfs "$R" --security-opt "seccomp=$WORK/open.json" -v "$WORK:/data:rw" -- \
        "${P[@]}" seccomp
assert_eq "a rw bind of the JSON filter's directory: refused" 125 "$RC"
assert_contains "... naming it" "$ERR" "its seccomp profile"

# -- a rw bind of a place ward reads configuration from ---------------------------------
PD=$WORK/profiles
mkdir -p "$PD"
printf '[Profile]\nInclude=default\n' >"$PD/web.profile"
wrun --profile "$PD/web.profile" --rootfs "$R" -v "$PD:/data:rw" -- "${P[@]}" status
assert_eq "a rw bind of the directory of the profile in use: refused" 125 "$RC"
assert_contains "the refusal names the bind and the profile" "$ERR" "a profile it loaded"
assert_contains "the refusal names the key" "$ERR" "Filesystem.Bind"
wrun --profile "$PD/web.profile" --rootfs "$R" -v "$WORK:/data:rw" -- "${P[@]}" status
assert_eq "a rw bind of a directory above it: refused" 125 "$RC"
wrun --profile "$PD/web.profile" --rootfs "$R" -v "$PD:/data:ro" -- "${P[@]}" status
assert_eq "control: the same bind read-only runs" 0 "$RC"
# Many profiles (an include chain 15 deep): the last one's directory is checked like the
# first's (a fixed table of 16 places once left the deepest ones out, unchecked).
CH=$WORK/chain && mkdir -p "$CH/a" "$CH/b"
for i in $(seq 0 13); do
        printf '[Profile]\nInclude=p%d.profile\n' $((i + 1)) >"$CH/a/p$i.profile"
done
printf '[Profile]\nInclude=../b/p14.profile\n' >"$CH/a/p13.profile"
printf '[Namespaces]\nHostname=deep\n' >"$CH/b/p14.profile"
wrun --profile "$CH/a/p0.profile" --rootfs "$R" -v "$CH/b:/data:rw" -- "${P[@]}" hostname
assert_eq "a rw bind of the 15th included profile's directory: refused" 125 "$RC"
assert_contains "... naming it" "$ERR" "$CH/b/p14.profile, a profile it loaded"
wrun --profile "$CH/a/p0.profile" --rootfs "$R" -v "$CH/b:/data:ro" -- "${P[@]}" hostname
assert_eq "control: the chain runs with that bind read-only" "0 deep" "$RC $(kv hostname)"
mkdir -p "$WORK/site" && printf '[Profile]\nInclude=default\n' >"$WORK/site.profile"
wrun --profile "$WORK/site.profile" --rootfs "$R" -v "$WORK/site:/data:rw" -- "${P[@]}" status
assert_eq "control: a rw bind of a sibling named like the profile (site, site.profile) runs" \
        0 "$RC"
wrun --rootfs "$R" -v "/etc:/data:rw" -- "${P[@]}" status
assert_eq "a rw bind of /etc (which holds /etc/ward/profiles): refused" 125 "$RC"
assert_contains "the refusal names the place" "$ERR" "/etc/ward"

# -- rootless: the caller's ~/.config reached through a rw bind -------------------------
RUID=65534
AS_USER=(setpriv --reuid=$RUID --regid=$RUID --clear-groups --reset-env env)
if ! timeout 10 setpriv --reuid=$RUID --regid=$RUID --clear-groups unshare -Ur true \
        2>/dev/null; then
        skip "rootless: a planted ~/.config/ward/profiles/default.profile" \
                "uid $RUID cannot create a user namespace here"
        finish
fi
H=$WORK/home
mkdir -p "$H/.config/ward/profiles"
chown -R $RUID:$RUID "$H"
chmod 0700 "$H"
reachable_by $RUID
unrun() {
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd "${AS_USER[@]}" HOME="$H" "$WARD" run "$@"
        leftover_check "(uid $RUID) ward run $*"
}
unrun --rootfs "$R" -v "$H/.config:/data:rw" -- "${P[@]}" put /data/ward/profiles/default.profile \
        "$(printf '[Namespaces]\nHostname=planted\n')"
assert_eq "rootless: a rw bind of ~/.config is refused" 125 "$RC"
assert_contains "rootless: the refusal names the profile directory" "$ERR" \
        "$H/.config/ward/profiles, a profile directory"
assert_eq "rootless: nothing was planted" no \
        "$([ -e "$H/.config/ward/profiles/default.profile" ] && echo yes || echo no)"
unrun --rootfs "$R" -v "$H:/data:rw" -- "${P[@]}" status
assert_eq "rootless: a rw bind of ~ is refused too" 125 "$RC"
unrun --rootfs "$R" -- "${P[@]}" hostname
assert_eq "rootless: the next run keeps the default hostname" ward "$(kv hostname)"
# Control: what the caller puts there themselves is what `default` means for them, so a
# planted file would have steered the next run.
setpriv --reuid=$RUID --regid=$RUID --clear-groups sh -c \
        'printf "[Namespaces]\nHostname=planted\n" >"$1"' sh \
        "$H/.config/ward/profiles/default.profile"
unrun --rootfs "$R" -- "${P[@]}" hostname
assert_eq "control: the caller's own default.profile is used" planted "$(kv hostname)"
finish
