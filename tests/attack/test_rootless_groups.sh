#!/usr/bin/env bash
# Rootless, the caller's supplementary groups: an unprivileged user writes its sandbox's
# gid_map only after denying setgroups(2) there, so the sandbox cannot drop the groups it
# was started with, and it read a file readable only by one of them while `ward explain`
# said "setgroups (cleared)". ward now refuses such a start (125, naming the groups and
# Process.KeepGroups) unless the caller opts in with --keep-groups / KeepGroups=yes, and
# then explain and `ward check` (W012) say the groups stay. A caller without supplementary
# groups, or root (which clears them), runs as before. The control: the same user without
# ward reads the file, and without the group cannot.
#
# The user and groups are numeric ids with no entry in /etc (setpriv needs none), so the
# host's /etc/passwd and /etc/group are not touched.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

need_root "switching to a throwaway uid with a supplementary group needs root"
need_tools "util-linux" setpriv
# Ids that name nobody on this host.
U=61234
while getent passwd "$U" >/dev/null || getent group "$U" >/dev/null ||
        getent group $((U + 1)) >/dev/null; do
        U=$((U + 2))
done
G2=$((U + 1))
WITH=(setpriv --reuid "$U" --regid "$U" --groups "$G2" --reset-env)
WITHOUT=(setpriv --reuid "$U" --regid "$U" --clear-groups --reset-env)
OWN_ONLY=(setpriv --reuid "$U" --regid "$U" --groups "$U" --reset-env)
if ! timeout 10 "${WITHOUT[@]}" unshare --user --map-root-user true 2>"$WORK/.userns-err"; then
        echo "1..0 # SKIP uid $U cannot create a user namespace (unprivileged user" \
                "namespaces are off?): $(cat "$WORK/.userns-err")"
        exit 77
fi
reachable_by "$U"

R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$R/data"
D=$WORK/groupdir
mkdir -p "$D" && chmod 755 "$D"
echo group-secret >"$D/secret"
chown "0:$G2" "$D/secret" && chmod 0640 "$D/secret"
cd "$WORK" || exit 1 # a cwd the caller can use

# as WHO ARGS...: `ward run ARGS` as the throwaway user, with the leftover checks.
as() {
        local -n who=$1
        shift
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd "${who[@]}" "$WARD" "$@"
        leftover_check "(uid $U) ward $*"
}
READ=(--rootfs "$R" -v "$D:/data:ro" -- /bin/sh -c 'cat /data/secret; grep ^Groups: /proc/self/status' "$TAG")

# -- control: the group is what grants the read ---------------------------------------
run_cmd "${WITH[@]}" cat "$D/secret"
assert_eq "control: uid $U with group $G2 reads the file without ward" "0 group-secret" "$RC $OUT"
run_cmd "${WITHOUT[@]}" cat "$D/secret"
assert_ne "control: uid $U without the group cannot" 0 "$RC"

# -- ward: refused unless the caller accepts the groups -----------------------------------
as WITH run "${READ[@]}"
assert_eq "rootless with group $G2: refused (125)" 125 "$RC"
assert_not_contains "rootless with group $G2: the sandbox did not read the file" "$OUT" group-secret
assert_contains "rootless with group $G2: names the key" "$ERR" "Process.KeepGroups"
assert_contains "rootless with group $G2: names the group" "$ERR" "groups $G2 (host gids)"
assert_contains "rootless with group $G2: the kernel's errno" "$ERR" "EPERM"
assert_contains "rootless with group $G2: the fix" "$ERR" "--keep-groups"
as WITH explain "${READ[@]}"
assert_eq "explain, rootless with group $G2: refused too (125)" 125 "$RC"
assert_contains "explain: says the groups would stay" "$OUT" \
        "your supplementary groups $G2 would stay, so the start is refused"
assert_not_contains "explain: no longer claims they are cleared" "$OUT" "setgroups (cleared)"

# The opt-in, and then everything says so.
for optin in --keep-groups "--group-add keep-groups"; do
        # shellcheck disable=SC2206 # split on purpose
        flag=($optin)
        as WITH run "${flag[@]}" "${READ[@]}"
        assert_eq "rootless with group $G2, $optin: runs and reads the file (as documented)" \
                "0 group-secret" "$RC $(printf '%s' "$OUT" | head -n 1)"
done
as WITH explain --keep-groups "${READ[@]}"
assert_eq "explain --keep-groups: exit 0" 0 "$RC"
assert_contains "explain --keep-groups: the groups stay" "$OUT" \
        "YOUR SUPPLEMENTARY GROUPS $G2 (host gids) STAY (Process.KeepGroups=yes)"
assert_contains "explain --keep-groups: the setting" "$OUT" "Process.KeepGroups = yes    (command line)"
PF=$WORK/keep.profile
printf '[Profile]\nInclude=default\n\n[Process]\nKeepGroups=yes\n' >"$PF"
chmod 644 "$PF"
as WITH run --profile "$PF" "${READ[@]}"
assert_eq "profile KeepGroups=yes: runs and reads the file" "0 group-secret" \
        "$RC $(printf '%s' "$OUT" | head -n 1)"
as WITH check --profile "$PF"
assert_contains "ward check KeepGroups=yes: a medium finding" "$OUT" "W012 medium   keep-groups"
assert_contains "ward check KeepGroups=yes: names the caller's groups" "$OUT" \
        "found: KeepGroups=yes (you: groups $G2, host gids)"
printf '[Profile]\nInclude=default\n\n[Process]\nKeepGroups=maybe\n' >"$PF"
as WITH run --profile "$PF" "${READ[@]}"
assert_eq "profile KeepGroups=maybe: refused (125)" 125 "$RC"
assert_contains "profile KeepGroups=maybe: file and line" "$ERR" "$PF:5: Process.KeepGroups"

# -- callers that have nothing to keep run as before ---------------------------------------
as WITHOUT run "${READ[@]}"
assert_eq "rootless without supplementary groups: runs, holds no group" \
        "0 Groups:" "$RC $(printf '%s' "$OUT" | tr -d '\t ')"
assert_not_contains "rootless without supplementary groups: no secret" "$OUT" group-secret
as OWN_ONLY run "${READ[@]}"
assert_ne "rootless whose only group is its own gid: not refused" 125 "$RC"
assert_not_contains "rootless whose only group is its own gid: no secret" "$OUT" group-secret
# As root ward clears the groups it was started with: the sandbox's root (a mapped uid)
# holds none, so the group's file is out of reach.
snapshot
run_cmd setpriv --groups "$G2" "$WARD" run "${READ[@]}"
leftover_check "(root with group $G2) ward run"
assert_ne "root with group $G2: the sandbox does not read the file" "0 group-secret" \
        "$RC $(printf '%s' "$OUT" | head -n 1)"
assert_match "root with group $G2: no supplementary group in the sandbox" "$OUT" $'Groups:[ \t]*$'
finish
