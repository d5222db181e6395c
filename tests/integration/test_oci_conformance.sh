#!/usr/bin/env bash
# Bundles as the runtime spec says (issue 14): the probe, run as the bundle's process, sees
# the five capability sets config.json lists (as the kernel transforms them at exec, the
# same as under crun, which runs each bundle too when it can), linux.sysctl's values,
# infinite rlimits, and the config's mounts in mountinfo with their sources, in its order; what the kernel cannot do is refused by its JSON path and name; and
# `ward spec` output is accepted back by `ward run --bundle`, as root and as a normal user.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "bundles without a user namespace need root"
need_tools "crun jq" crun jq

R=$WORK/rootfs
make_rootfs "$R"
chmod 755 "$WORK"
B=$WORK/bundle
crun_spec_bundle "$B"

# bundle JQ-FILTER: crun spec's config.json on the test rootfs, running the probe.
bundle() {
        jq --arg root "$R" --arg tag "--tag=$TAG" '
                .root.path = $root | .process.terminal = false
                | .process.args = ["/bin/ward-probe", $tag, "status", "rlimits"]
                | del(.mounts[] | select(.type == "cgroup"))
                | '"$1" "$WORK/crun-spec.json" >"$B/config.json"
}

# crun on this host (a cgroup v1/v2 hybrid) runs with --cgroup-manager=disabled, in a
# private mount namespace where a tmpfs hides /sys/fs/cgroup/unified (as crun_lib.sh).
N=0
crun_out() {
        N=$((N + 1))
        unshare --mount --propagation private -- sh -c \
                'if mountpoint -q /sys/fs/cgroup/unified; then mount -t tmpfs -o size=4k ward-it /sys/fs/cgroup/unified || exit 124; fi; exec "$@"' \
                sh crun --root "$WORK/crun-state" --cgroup-manager=disabled run --bundle "$B" \
                "ward-it-$$-$N" </dev/null 2>/dev/null
}

# hex CAP_NUMBER...: the mask /proc/PID/status prints.
hex() {
        local m=0 c
        for c in "$@"; do m=$((m | (1 << c))); done
        printf '%016x' "$m"
}

# caps NAME INH PRM EFF BND AMB: ward's probe saw these sets, and crun's saw the same.
caps() {
        local name=$1 set want crun
        shift
        wrun --bundle "$B"
        assert_eq "$name: exit 0" 0 "$RC"
        crun=$(crun_out)
        for set in CapInh CapPrm CapEff CapBnd CapAmb; do
                want=$1
                shift
                assert_eq "$name: $set as the config says" "$want" "$(kv $set)"
                if [ -n "$crun" ]; then
                        assert_eq "$name: $set as under crun" "$(kv $set "$crun")" "$(kv $set)"
                else
                        skip "$name: $set as under crun" "crun could not run this bundle here"
                fi
        done
}

CHOWN=0 DAC_OVERRIDE=1 FOWNER=3 FSETID=4 KILL=5 SETGID=6 SETUID=7 SETPCAP=8
NET_BIND_SERVICE=10 NET_RAW=13 SYS_CHROOT=18 MKNOD=27 AUDIT_WRITE=29 SETFCAP=31

# -- capabilities --------------------------------------------------------------------------
# The shape `oci-runtime-tool generate` writes: the same 14 capabilities in all five sets.
RT='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW",
     "CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE",
     "CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"]'
L=$(hex $CHOWN $DAC_OVERRIDE $FSETID $FOWNER $MKNOD $NET_RAW $SETGID $SETUID $SETFCAP \
        $SETPCAP $NET_BIND_SERVICE $SYS_CHROOT $KILL $AUDIT_WRITE)
bundle ".process.capabilities = {bounding: $RT, effective: $RT, permitted: $RT,
                                 inheritable: $RT, ambient: $RT}"
caps "runtime-tools shape, uid 0" "$L" "$L" "$L" "$L" "$L"

# uid 0 with a smaller inheritable and ambient set than the bounding set.
S=$(hex $CHOWN $KILL $NET_BIND_SERVICE)
bundle '.process.capabilities = {bounding: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
          effective: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
          permitted: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
          inheritable: ["CAP_CHOWN"], ambient: ["CAP_CHOWN"]}'
caps "uid 0, inheritable and ambient a subset" "$(hex $CHOWN)" "$S" "$S" "$S" "$(hex $CHOWN)"

# A non-root uid keeps across exec what is ambient, and only that (capabilities(7)).
bundle '.process.user = {uid: 1000, gid: 1000}
        | .process.capabilities = {bounding: ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
          effective: ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
          permitted: ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
          inheritable: ["CAP_KILL", "CAP_NET_BIND_SERVICE"], ambient: ["CAP_NET_BIND_SERVICE"]}'
K=$(hex $KILL $NET_BIND_SERVICE)
caps "uid 1000, ambient a subset" "$K" "$(hex $NET_BIND_SERVICE)" "$(hex $NET_BIND_SERVICE)" \
        "$K" "$(hex $NET_BIND_SERVICE)"

# crun spec's own template: ambient without inheritable, which no kernel raises. crun skips
# it; ward warns by name and does the same.
bundle .
caps "crun spec template" 0000000000000000 "$(hex $KILL $NET_BIND_SERVICE $AUDIT_WRITE)" \
        "$(hex $KILL $NET_BIND_SERVICE $AUDIT_WRITE)" "$(hex $KILL $NET_BIND_SERVICE $AUDIT_WRITE)" \
        0000000000000000
assert_match "crun spec template: the ambient warning names the capability" \
        "$ERR" "process.capabilities.ambient: CAP_[A-Z_]+ .*left out"

# What capset(2) would refuse is refused by name before anything runs.
bundle '.process.capabilities = {bounding: ["CAP_KILL"], effective: ["CAP_KILL"],
          permitted: ["CAP_KILL"], inheritable: ["CAP_KILL", "CAP_CHOWN"], ambient: []}'
wrun --bundle "$B"
assert_eq "inheritable outside bounding: exit 125" 125 "$RC"
assert_match "inheritable outside bounding: named" \
        "$ERR" "process.capabilities.inheritable.*CAP_CHOWN is not in the bounding set"
bundle '.process.capabilities = {bounding: ["CAP_KILL", "CAP_CHOWN"],
          effective: ["CAP_KILL", "CAP_CHOWN"], permitted: ["CAP_KILL"], inheritable: [],
          ambient: []}'
wrun --bundle "$B"
assert_eq "effective outside permitted: exit 125" 125 "$RC"
assert_match "effective outside permitted: named" \
        "$ERR" "process.capabilities.effective.*CAP_CHOWN is not in the permitted set"

# -- linux.sysctl ---------------------------------------------------------------------------
# The values, read back inside, as under crun; a host-wide one refused by its JSON path.
bundle '.linux.sysctl = {"net.ipv4.ip_unprivileged_port_start": "80", "kernel.shmmni": "100"}
        | .process.args = ["/bin/cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start",
                           "/proc/sys/kernel/shmmni"]'
wrun --bundle "$B"
assert_eq "linux.sysctl: exit 0" 0 "$RC"
assert_eq "linux.sysctl: read back inside" "80 100" "$(tr '\n' ' ' <<<"$OUT" | sed 's/ $//')"
crun=$(crun_out)
if [ -n "$crun" ]; then
        assert_eq "linux.sysctl: as under crun" "$crun" "$OUT"
else
        skip "linux.sysctl: as under crun" "crun could not run this bundle here"
fi
bundle '.linux.sysctl = {"vm.swappiness": "1"}'
wrun --bundle "$B"
assert_eq "linux.sysctl vm.swappiness: exit 125" 125 "$RC"
assert_contains "linux.sysctl vm.swappiness: named" "$ERR" \
        'linux.sysctl["vm.swappiness"]: not namespaced'

# -- domainname ------------------------------------------------------------------------------
# The uts namespace's domain name, set as Sysctl=kernel.domainname= sets it, as under crun;
# the host keeps its own. Without a uts namespace it would be the host's: refused.
host_domain=$(cat /proc/sys/kernel/domainname)
bundle '.domainname = "ward-test.example" | .process.args = ["/bin/cat", "/proc/sys/kernel/domainname"]'
wrun --bundle "$B"
assert_eq "domainname: exit 0" 0 "$RC"
assert_eq "domainname: read back inside" "ward-test.example" "$OUT"
crun=$(crun_out)
if [ -n "$crun" ]; then
        assert_eq "domainname: as under crun" "$crun" "$OUT"
else
        skip "domainname: as under crun" "crun could not run this bundle here"
fi
assert_eq "domainname: the host keeps its own" "$host_domain" "$(cat /proc/sys/kernel/domainname)"
bundle '.domainname = "ward-test.example" | del(.hostname) | del(.linux.namespaces[] | select(.type == "uts"))'
wrun --bundle "$B"
assert_eq "domainname without a uts namespace: exit 125" 125 "$RC"
assert_contains "domainname without a uts namespace: named" "$ERR" "domainname"

# -- `ward spec` by a normal user, run back by that user -------------------------------------
# A normal user's ward maps one id, the process's, to the caller's own; its spec writes that
# mapping and its run accepts it (it refused every linux.uidMappings as a normal user).
RUID=65534
AS_USER=(setpriv --reuid=$RUID --regid=$RUID --clear-groups --reset-env)
userns_ok() {
        [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)" != 0 ] &&
                [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" != 0 ] &&
                timeout 10 "${AS_USER[@]}" unshare --user --map-root-user true 2>/dev/null
}
# nrun ARGS...: `ward ARGS` as uid $RUID, with the leftover checks.
nrun() {
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd "${AS_USER[@]}" "$WARD" "$@"
        leftover_check "(uid $RUID) ward $*"
}
P=(/bin/ward-probe "--tag=$TAG" status uidmap)
cd "$WORK" || exit 1 # a cwd the normal user can use
if ! userns_ok || ! "${AS_USER[@]}" test -x "$WARD"; then
        skip "spec by a normal user" "uid $RUID cannot create a user namespace or run $WARD"
else
        for profile in default strict; do
                nrun spec --profile $profile --rootfs "$R" -- "${P[@]}"
                assert_eq "normal user, spec $profile: exit 0" 0 "$RC"
                printf '%s\n' "$OUT" >"$B/config.json"
                nrun run --profile $profile --rootfs "$R" -- "${P[@]}"
                assert_eq "normal user, run --profile $profile: exit 0" 0 "$RC"
                WANT="$(kv uid) $(kv gid) $(kv uid_map) $(kv gid_map)"
                nrun run --bundle "$B"
                assert_eq "normal user, run --bundle (spec $profile): exit 0" 0 "$RC"
                assert_eq "normal user, run --bundle (spec $profile): ids and maps as --profile" \
                        "$WANT" "$(kv uid) $(kv gid) $(kv uid_map) $(kv gid_map)"
        done
        assert_match "normal user, strict: its own uid maps to itself" "$WANT" \
                "^$RUID $RUID $RUID $RUID 1 $RUID $RUID 1$"
        # What a normal user's ward cannot map is still refused, by JSON path.
        jq '.linux.uidMappings[0].containerID = 0' "$B/config.json" >"$WORK/c.json" &&
                cp "$WORK/c.json" "$B/config.json"
        nrun run --bundle "$B"
        assert_eq "normal user, containerID not process.user.uid: exit 125" 125 "$RC"
        assert_match "normal user, containerID not process.user.uid: named" "$ERR" \
                "linux.uidMappings\[0\].containerID: 0, but .*process.user.uid $RUID"
        run_cmd "$WARD" spec --rootfs "$R" -- "${P[@]}" # root's: a 65536-id range
        printf '%s\n' "$OUT" >"$B/config.json"
        nrun run --bundle "$B"
        assert_eq "normal user, root's range: exit 125" 125 "$RC"
        assert_match "normal user, root's range: named" "$ERR" \
                "linux.uidMappings\[0\]: .*only your own id \(hostID $RUID, size 1\)"
fi

# -- mounts: sources and order ---------------------------------------------------------------
# runtimetest's check, from inside: each of config.json's non-bind mounts is in
# /proc/self/mountinfo with its destination, type and "source" string, and they appear there
# in config.json's order (crun spec's list, with an mqueue before /sys, plus two tmpfs).
# mounts_seen MOUNTINFO: "destination type source" of each mount, in mountinfo's order.
mounts_seen() { awk '{ split($0, h, " - "); split(h[1], l, " "); split(h[2], r, " ");
                       print l[5], r[1], r[2] }' <<<"$1"; }
# config_mounts: the same for config.json's non-bind mounts, in its order.
config_mounts() { jq -r '.mounts[] | select(.type != "bind" and ((.options // []) |
                        index(["bind"]) == null and index(["rbind"]) == null))
                        | "\(.destination) \(.type) \(.source)"' "$B/config.json"; }
# in_order WANT SEEN: the lines of WANT, each found in SEEN after the one before it.
in_order() { awk 'NR == FNR { want[n++] = $0; next } i < n && $0 == want[i + 0] { i++ }
                  END { exit (i < n) }' <(printf '%s\n' "$1") <(printf '%s\n' "$2"); }
bundle '.mounts |= (map(select(.destination != "/sys")) + [
          {destination: "/run", type: "tmpfs", source: "ward-run", options: ["nosuid", "size=1m"]},
          (.[] | select(.destination == "/sys")),
          {destination: "/tmp", type: "tmpfs", source: "scratch", options: ["nosuid", "mode=1777"]}])
        | .process.args = ["/bin/cat", "/proc/self/mountinfo"]'
wrun --bundle "$B"
assert_eq "mounts: exit 0" 0 "$RC"
SEEN=$(mounts_seen "$OUT")
WANT=$(config_mounts)
while read -r dest type src; do
        if grep -Fxq "$dest $type $src" <<<"$SEEN"; then
                ok "mounts: $dest shows type $type and source $src"
        else
                fail "mounts: $dest shows type $type and source $src" \
                        "seen: $(grep "^$dest " <<<"$SEEN" | tr '\n' ';')"
        fi
done <<<"$WANT"
# The order alone (destination and type), apart from the sources checked above.
if in_order "$(cut -d' ' -f1,2 <<<"$WANT")" "$(cut -d' ' -f1,2 <<<"$SEEN")"; then
        ok "mounts: in config.json's order"
else
        fail "mounts: in config.json's order" "want, in this order:
$WANT
seen:
$SEEN"
fi
crun=$(crun_out)
if [ -n "$crun" ]; then
        assert_eq "mounts: the config's, in the same order as under crun" \
                "$(mounts_seen "$crun" | grep -Fx -f <(printf '%s\n' "$WANT"))" \
                "$(grep -Fx -f <(printf '%s\n' "$WANT") <<<"$SEEN")"
else
        skip "mounts: as under crun" "crun could not run this bundle here"
fi

# ward explain lists the setup's mounts in that same order.
wexplain --bundle "$B"
assert_eq "mounts: explained in config.json's order" \
        "/proc /dev mqueue /run /sys /tmp" \
        "$(grep -oE 'setup: (mount a new /proc|/dev:|mqueue|tmpfs /run|/sys read-only|tmpfs /tmp)' \
                <<<"$OUT" | sed -E 's/setup: (mount a new |tmpfs )?//; s/(:| read-only)$//' |
                tr '\n' ' ' | sed 's/ $//')"
# ... and says each one's source, as mountinfo will show it (before, 50db247: left out).
assert_match "explain: the setup step names a tmpfs's source" "$OUT" \
        'setup: tmpfs /run size=[^ ]+ mode=[0-7]+ [a-z]+ source=ward-run'
assert_match "explain: the settings line too" "$OUT" \
        'Filesystem.Tmpfs = /tmp size=[^ ]+ mode=1777 [a-z]+ source=scratch'

# What `ward spec` writes passes the same check when run back (runtimetest on ward's own).
run_cmd "$WARD" spec --rootfs "$R" -- /bin/cat /proc/self/mountinfo
printf '%s\n' "$OUT" >"$B/config.json"
wrun --bundle "$B"
assert_eq "mounts of ward spec: exit 0" 0 "$RC"
SEEN=$(mounts_seen "$OUT")
WANT=$(config_mounts)
assert_ne "mounts of ward spec: some to check" "" "$WANT"
MISSING=$(grep -Fxv -f <(printf '%s\n' "$SEEN") <<<"$WANT")
assert_eq "mounts of ward spec: each with its type and source" "" "$MISSING"
if in_order "$(cut -d' ' -f1,2 <<<"$WANT")" "$(cut -d' ' -f1,2 <<<"$SEEN")"; then
        ok "mounts of ward spec: in its order"
else
        fail "mounts of ward spec: in its order" "want: $(tr '\n' ';' <<<"$WANT")"
fi

# A source the kernel cannot take (fsconfig's 256 bytes) is refused by its JSON path.
bundle ".mounts += [{destination: \"/tmp\", type: \"tmpfs\", source: \"$(printf 'x%.0s' {1..300})\"}]"
wrun --bundle "$B"
assert_eq "mounts: a 300-byte source: exit 125" 125 "$RC"
assert_match "mounts: a 300-byte source: named" "$ERR" "mounts\[[0-9]+\]\.source: longer than"

# -- infinite rlimits ------------------------------------------------------------------------
# The spec's rlimits are uint64: "infinity" is 18446744073709551615, above any JSON integer
# jansson reads. jq would round it, so the bundle gets a marker that sed turns into it.
# Without CAP_SYS_RESOURCE (ward in a container) no hard limit goes above ward's own, so the
# limits tested are two this shell holds unlimited.
INF=18446744073709551615
if [ "$(ulimit -H -f)" != unlimited ] || [ "$(ulimit -H -c)" != unlimited ]; then
        skip "infinite rlimits" "this shell's hard RLIMIT_FSIZE or RLIMIT_CORE is finite"
        finish
fi
# number VALUE: config.json's numbers 4242 become VALUE.
number() { sed -i -E "s/(\": )4242(,?)\$/\\1$1\\2/" "$B/config.json"; }
bundle '.process.rlimits = [{type: "RLIMIT_FSIZE", soft: 4242, hard: 4242},
          {type: "RLIMIT_CORE", soft: 0, hard: 4242}]
        | .hostname = "18446744073709551615" | .process.args += ["hostname"]'
number $INF
wrun --bundle "$B"
assert_eq "infinite rlimit: exit 0" 0 "$RC"
assert_eq "infinite rlimit: soft and hard unlimited" unlimited:unlimited "$(kv rlimit.fsize)"
assert_eq "infinite rlimit: finite soft under an unlimited hard" 0:unlimited "$(kv rlimit.core)"
assert_eq "infinite rlimit: the same digits in a string stay a string" $INF "$(kv hostname)"
crun=$(crun_out)
if [ -n "$crun" ]; then
        assert_eq "infinite rlimit: as under crun" \
                "$(kv rlimit.fsize "$crun") $(kv rlimit.core "$crun")" \
                "$(kv rlimit.fsize) $(kv rlimit.core)"
else
        skip "infinite rlimit: as under crun" "crun could not run this bundle here"
fi

# line_of TEXT: the line of config.json that holds TEXT.
line_of() { grep -n -F -- "$1" "$B/config.json" | head -1 | cut -d: -f1; }

# A syntax error after the literal is still placed where it is (the stand-in has as many
# characters), and only that exact literal is read as infinity.
bundle '.process.rlimits = [{type: "RLIMIT_FSIZE", soft: 4242, hard: 4242}]
        | .process.noNewPrivileges = 4343'
sed -i -E 's/(": )4343(,?)$/\1flase\2/' "$B/config.json"
cp "$B/config.json" "$WORK/flase.json"
number $INF
wrun --bundle "$B"
assert_eq "syntax error after an infinite rlimit: exit 125" 125 "$RC"
assert_match "syntax error after an infinite rlimit: its line" "$ERR" \
        "config.json:$(line_of flase):[0-9]+: not valid JSON"
INF_AT=$(grep -oE 'config.json:[0-9]+:[0-9]+' <<<"$ERR")
# Control: a number of the same width that jansson reads itself, same place.
cp "$WORK/flase.json" "$B/config.json"
number -1234567890123456789
wrun --bundle "$B"
assert_eq "syntax error after an infinite rlimit: line:column as with a readable number" \
        "$(grep -oE 'config.json:[0-9]+:[0-9]+' <<<"$ERR")" "$INF_AT"
bundle '.process.rlimits = [{type: "RLIMIT_FSIZE", soft: 0, hard: 4242}]'
number 18446744073709551614
wrun --bundle "$B"
assert_eq "2^64-2 is not infinity: exit 125" 125 "$RC"
assert_match "2^64-2 is not infinity: placed" "$ERR" \
        "config.json:$(line_of 18446744073709551614):[0-9]+: not valid JSON"
# Elsewhere it is a number out of range, named as written.
bundle '.process.user.uid = 4242'
number $INF
wrun --bundle "$B"
assert_eq "uid 2^64-1: exit 125" 125 "$RC"
assert_contains "uid 2^64-1: named as written" "$ERR" \
        "process.user.uid: $INF is out of range"
# The stand-in itself is refused where it is written, not read as infinity.
bundle '.process.rlimits = [{type: "RLIMIT_FSIZE", soft: 0, hard: 4242}]'
number -9223372036854775808
wrun --bundle "$B"
assert_eq "INT64_MIN rlimit: exit 125" 125 "$RC"
assert_match "INT64_MIN rlimit: placed and named" "$ERR" \
        "config.json:$(line_of -9223372036854775808):[0-9]+: .*-9223372036854775808 is out of range"
# Control: a finite number that large, in that place, is read as written.
bundle '.process.rlimits = [{type: "RLIMIT_FSIZE", soft: 4242, hard: 4242}]'
number 1234567890123456789
wrun --bundle "$B"
assert_eq "large finite rlimit: exit 0" 0 "$RC"
assert_eq "large finite rlimit: as written" 1234567890123456789:1234567890123456789 \
        "$(kv rlimit.fsize)"

# `ward spec` writes infinity as the spec spells it, and the bundle gets the same limits.
printf '[Resources]\nLimitFSIZE=infinity\nLimitCORE=0:infinity\n' >"$WORK/inf.profile"
P=(/bin/ward-probe "--tag=$TAG" rlimits)
run_cmd "$WARD" spec --profile "$WORK/inf.profile" --rootfs "$R" -- "${P[@]}"
assert_eq "spec of LimitFSIZE=infinity: exit 0" 0 "$RC"
printf '%s\n' "$OUT" >"$B/config.json"
# jq 1.6 would round the number: the text itself is checked.
assert_eq "spec of LimitFSIZE=infinity: the spec's spelling" \
        "RLIMIT_CORE 0 $INF RLIMIT_FSIZE $INF $INF" \
        "$(tr -d ' \n",' <"$B/config.json" | grep -oE 'type:RLIMIT_(CORE|FSIZE)soft:[0-9]+hard:[0-9]+' |
                sed -E 's/type:(.*)soft:(.*)hard:(.*)/\1 \2 \3/' | sort | tr '\n' ' ' | sed 's/ $//')"
wrun --profile "$WORK/inf.profile" --rootfs "$R" -- "${P[@]}"
PROFILE_OUT=$OUT
assert_eq "ward run --profile (infinity): fsize and core" "unlimited:unlimited 0:unlimited" \
        "$(kv rlimit.fsize "$PROFILE_OUT") $(kv rlimit.core "$PROFILE_OUT")"
wrun --bundle "$B"
assert_eq "ward run --bundle (spec, infinity): exit 0" 0 "$RC"
assert_eq "ward run --bundle (spec, infinity): fsize and core as the profile's" \
        "$(kv rlimit.fsize "$PROFILE_OUT") $(kv rlimit.core "$PROFILE_OUT")" \
        "$(kv rlimit.fsize) $(kv rlimit.core)"

finish
