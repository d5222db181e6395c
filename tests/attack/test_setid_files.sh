#!/usr/bin/env bash
# Setuid and setgid files in a rw bind (issue 11). Root-run sandboxes lease a range of 65536
# host ids each, but a range is reused once its sandbox exits (lowest free first): a setuid
# file that a sandbox leaves in a rw bind, run later on the host, gives its user the ids of
# whichever sandbox holds that range then (whose processes it can signal and ptrace). ward's
# filter refuses S_ISUID and S_ISGID in the mode of every call that sets one (chmod, fchmod,
# fchmodat, fchmodat2, open, openat, creat, mknod, mknodat; high bits of the argument
# ignored, as the kernel reads the low word) and gives openat2, whose mode it cannot read,
# ENOSYS. [Seccomp] AllowSetuidFiles=yes opts out.
#
# Checked: each attempt is EPERM and leaves no file with 06000 in the bind (in the sandbox
# and with `find -perm /6000` on the host); chmod 0755 and open(O_CREAT, 0644) still work;
# DefaultAction=kill kills on the first attempt (the filter answers); explain and ward spec
# say so. Weakened: `--security-opt seccomp=unconfined` and AllowSetuidFiles=yes, where the
# same attempts leave setuid files owned by the sandbox's range on the host.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

need_root "setuid files owned by a leased host id range need a root-run sandbox"
R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$R/data"
P=(/bin/ward-probe "--tag=$TAG")
ATTEMPTS=(chmod chmod_highbits fchmod fchmodat fchmodat2 open openat creat mknod mknodat)

# fresh_bind NAME: an empty directory that the sandbox's root (a leased host uid) can write.
fresh_bind() {
        SRC=$WORK/bind-$1
        mkdir -p "$SRC" && chmod 777 "$SRC"
}

# no_setid BITS: true for "absent" or a mode without S_ISUID/S_ISGID.
no_setid() {
        [ "$1" = absent ] || { [[ $1 =~ ^[0-7]+$ ]] && (((8#$1 & 06000) == 0)); }
}

host_setid_files() { # SRC: the files with S_ISUID or S_ISGID, as the host sees them
        find "$1" -perm /6000 -printf '%P %u:%g %m\n' 2>/dev/null | sort
}

# ---------------------------------------------------------------------------------------
# ward: every attempt refused by the filter, nothing setuid left on the host.
fresh_bind ward
wrun --rootfs "$R" -v "$SRC:/data:rw" -- "${P[@]}" setid-files /data
assert_eq "ward: the probe ran" 0 "$RC"
for k in "${ATTEMPTS[@]}"; do
        assert_eq "ward: $k with S_ISUID/S_ISGID refused (EPERM)" EPERM "$(kv "setid_$k")"
        bits=$(kv "setid_${k}_bits")
        if no_setid "$bits"; then
                ok "ward: $k left no setuid/setgid file ($bits)"
        else
                fail "ward: $k left no setuid/setgid file ($bits)"
        fi
done
assert_eq "ward: openat2 (mode out of the filter's reach) gets ENOSYS" ENOSYS \
        "$(kv setid_openat2)"
assert_eq "ward: openat2 created nothing" absent "$(kv setid_openat2_bits)"
assert_eq "ward: chmod 0755 still works" "OK 0755" \
        "$(kv setid_chmod_plain) $(kv setid_chmod_plain_bits)"
assert_eq "ward: open(O_CREAT, 0644) still works" "OK 0644" \
        "$(kv setid_open_plain) $(kv setid_open_plain_bits)"
assert_eq "ward: no file with 06000 bits in the bind source on the host" "" \
        "$(host_setid_files "$SRC")"

# The filter answers: DefaultAction=kill kills on the first attempt (chmod, SIGSYS).
printf '%s\n' "[Profile]" "Include=default" "[Seccomp]" "DefaultAction=kill" >"$WORK/kill.profile"
fresh_bind kill
wrun --profile "$WORK/kill.profile" --rootfs "$R" -v "$SRC:/data:rw" -- "${P[@]}" \
        setid-files /data
assert_eq "DefaultAction=kill: chmod 04755 is the filter's (SIGSYS)" 159 "$RC"
assert_eq "DefaultAction=kill: no setuid file" "" "$(host_setid_files "$SRC")"

# explain says so; ward spec carries the rules into config.json (crun enforces them).
wexplain --rootfs "$R" -- /bin/true
assert_match "explain: the mode rule is one step" "$OUT" \
        'S_ISUID or S_ISGID in the mode refused \(EPERM\), openat2 ENOSYS'
assert_contains "explain: Seccomp.AllowSetuidFiles = no" "$OUT" "Seccomp.AllowSetuidFiles = no"
if command -v jq >/dev/null; then
        run_cmd "$WARD" spec --rootfs "$R" -- /bin/true
        assert_eq "spec: chmod refused when args[1] has S_ISUID" "SCMP_ACT_ERRNO 1" \
                "$(jq -r '[.linux.seccomp.syscalls[] | select(.names == ["chmod"] and
                        .args[0].index == 1 and .args[0].value == 2048 and
                        .args[0].valueTwo == 2048)][0] | "\(.action) \(.errnoRet)"' <<<"$OUT")"
        assert_eq "spec: openat2 left to the default action (ENOSYS)" "" \
                "$(jq -r '.linux.seccomp.syscalls[] | select(.names | index("openat2")) |
                        .action' <<<"$OUT")"
else
        skip "spec: the mode rules in config.json" "no jq"
fi

# ---------------------------------------------------------------------------------------
# Weakened: no filter. The same attempts leave setuid files, owned by the sandbox's range.
fresh_bind unconfined
wrun --rootfs "$R" --security-opt seccomp=unconfined -v "$SRC:/data:rw" -- "${P[@]}" \
        uidmap setid-files /data
read -r _ base _ <<<"$(kv uid_map)"
assert_eq "weakened: the probe ran" 0 "$RC"
assert_eq "weakened: chmod 04755 succeeds (the attack is real)" "OK 4755" \
        "$(kv setid_chmod) $(kv setid_chmod_bits)"
assert_eq "weakened: open(O_CREAT, 04755) makes a setuid file" "OK 4755" \
        "$(kv setid_open) $(kv setid_open_bits)"
assert_eq "weakened: mknod(S_IFREG|04755) makes a setuid file" "OK 4755" \
        "$(kv setid_mknod) $(kv setid_mknod_bits)"
assert_contains "weakened: on the host, chmod's file is setuid, owned by the sandbox's range" \
        "$(host_setid_files "$SRC")" "chmod $base:$base 4755"
assert_contains "weakened: fchmodat's file is setgid on the host" "$(host_setid_files "$SRC")" \
        "fchmodat $base:$base 2755"

# Weakened by the profile: AllowSetuidFiles=yes, the filter otherwise on.
printf '%s\n' "[Profile]" "Include=default" "[Seccomp]" "AllowSetuidFiles=yes" \
        >"$WORK/optout.profile"
fresh_bind optout
wrun --profile "$WORK/optout.profile" --rootfs "$R" -v "$SRC:/data:rw" -- "${P[@]}" seccomp \
        setid-files /data
assert_eq "AllowSetuidFiles=yes: the filter is still on" 2 "$(kv Seccomp)"
assert_eq "AllowSetuidFiles=yes: fchmod 04755 succeeds" "OK 4755" \
        "$(kv setid_fchmod) $(kv setid_fchmod_bits)"
assert_eq "AllowSetuidFiles=yes: openat2 is allowed again" OK "$(kv setid_openat2)"
assert_contains "AllowSetuidFiles=yes: a setuid file on the host" "$(host_setid_files "$SRC")" \
        "fchmod "

finish
