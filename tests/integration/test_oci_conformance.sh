#!/usr/bin/env bash
# Bundles as the runtime spec says (issue 14): the probe, run as the bundle's process, sees
# the five capability sets config.json lists (as the kernel transforms them at exec, the
# same as under crun, which runs each bundle too when it can), linux.sysctl's values, and
# infinite rlimits; what the kernel cannot do is refused by its JSON path and name; and
# `ward spec` output is accepted back by `ward run --bundle`, as root and as a normal user.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "bundles without a user namespace need root"
need_tools "crun jq" crun jq

R=$WORK/rootfs
make_rootfs "$R"
chmod 755 "$WORK"
B=$WORK/bundle
mkdir -p "$B"
(cd "$B" && crun spec) || {
        echo "Bail out! crun spec failed"
        exit 1
}
cp "$B/config.json" "$WORK/crun-spec.json"

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

finish
