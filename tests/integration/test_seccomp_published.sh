#!/usr/bin/env bash
# The seccomp profiles the ecosystem publishes load with --security-opt seccomp=FILE and
# in a bundle's linux.seccomp (issue 14): Debian's own containers-common profile (what
# podman and crun use), and profiles written here in the exact shapes of Docker 23+'s
# default.json (nulls), containers-common's seccomp.json (errnos by name) and
# `oci-runtime-tool generate` (no close_range). For each, a real workload runs in the
# sandbox, the filter is on (Seccomp: 2), a call the profile refuses gets the profile's
# errno and an allowed one works. Issue 11's fail-closed rules still hold: an unknown name
# in a refusal only that rule makes is exit 125.
#
# The allowlists take their names from ward's own (`ward spec`): the shapes are what is
# under test, and ward's list is one the probe and ward-init are known to run under.
# Before this change (commit c03afb4), every profile below was refused with exit 125.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_tools "jq" jq

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")

run_cmd "$WARD" spec --rootfs "$R" -- /bin/true
if [ "$RC" != 0 ]; then
        echo "Bail out! ward spec failed: $ERR"
        exit 1
fi
# Every name ward's filter lets through, whatever the arguments it checks.
ALLOW=$(jq -c '[.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]]
        | unique' <<<"$OUT")
allow_without() { # NAME...: ALLOW without these names, as a JSON array
        jq -c --args '. - $ARGS.positional' "$@" <<<"$ALLOW"
}

# published NAME FILE CALL ERRNO: FILE loads, the probe's workload runs under it, getppid
# works, and CALL (one the profile refuses) fails with ERRNO.
published() {
        local name=$1 file=$2 call=$3 errno=$4
        wrun --rootfs "$R" --security-opt "seccomp=$file" -- "${P[@]}" seccomp workload syscalls
        assert_eq "$name: loads and runs (exit 0)" 0 "$RC"
        assert_eq "$name: the filter is on (Seccomp: 2)" 2 "$(kv Seccomp)"
        assert_eq "$name: a real workload (file, socketpair, loopback TCP, fork)" "OK OK OK OK" \
                "$(kv "write /tmp/ward-probe-workload") $(kv socketpair) $(kv tcp_loopback) $(kv fork)"
        # glibc's threads try clone3 first and fall back to clone on ENOSYS only.
        [ "$(kv clone3)" = EPERM ] ||
                assert_eq "$name: a thread (clone3 ENOSYS, then clone)" OK "$(kv thread)"
        assert_eq "$name: an allowed call works (getppid)" OK "$(kv getppid)"
        assert_eq "$name: $call gets the profile's errno" "$errno" "$(kv "$call")"
}

# Control: unconfined, keyctl is not EPERM/ENOSYS and getppid works: the errnos below are
# the profiles'.
wrun --rootfs "$R" --security-opt seccomp=unconfined -- "${P[@]}" seccomp syscalls
assert_eq "control unconfined: no filter" "0 0" "$RC $(kv Seccomp)"
assert_eq "control unconfined: getppid and close_range work" "OK OK" \
        "$(kv getppid) $(kv close_range)"
assert_match "control unconfined: keyctl is the kernel's answer" "$(kv keyctl)" \
        '^(OK|ENOKEY|EINVAL|EACCES)$'

# -- (a) Debian's /usr/share/containers/seccomp.json ------------------------------------
DEBIAN=/usr/share/containers/seccomp.json
if [ -f "$DEBIAN" ] && jq -e '.defaultErrno' "$DEBIAN" >/dev/null 2>&1; then
        # Its default refuses with ENOSYS ("defaultErrno": "ENOSYS", "defaultErrnoRet": 38);
        # bpf has its own rule ("errno": "EPERM", unless CAP_SYS_ADMIN is kept).
        published "Debian containers-common" "$DEBIAN" add_key ENOSYS
        assert_eq "Debian containers-common: bpf gets its rule's errno" EPERM "$(kv bpf)"
else
        skip "Debian containers-common" "$DEBIAN is missing (golang-github-containers-common)"
fi

# -- (b1) Docker 23+ default.json ---------------------------------------------------------
# The shape of moby's profiles/seccomp/default.json since 23.0: defaultErrnoRet, archMap
# with "subArchitectures": null for riscv64, entries with "args": null, includes/excludes
# by caps, arches and minKernel, clone's masked-equal rule for those without CAP_SYS_ADMIN.
DOCKER=$WORK/docker-23-default.json
jq -n --argjson allow "$(allow_without clone clone3 getppid)" '{
  defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: 1,
  archMap: [
    {architecture: "SCMP_ARCH_X86_64", subArchitectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
    {architecture: "SCMP_ARCH_AARCH64", subArchitectures: ["SCMP_ARCH_ARM"]},
    {architecture: "SCMP_ARCH_RISCV64", subArchitectures: null}
  ],
  syscalls: [
    {names: $allow, action: "SCMP_ACT_ALLOW", args: null},
    {names: ["getppid"], action: "SCMP_ACT_ALLOW", includes: {minKernel: "3.0"}},
    {names: ["arm_fadvise64_64", "arm_sync_file_range"], action: "SCMP_ACT_ALLOW",
     includes: {arches: ["arm", "arm64"]}},
    {names: ["clone"], action: "SCMP_ACT_ALLOW",
     args: [{index: 0, value: 2114060288, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ"}],
     excludes: {caps: ["CAP_SYS_ADMIN"], arches: ["s390", "s390x"]}},
    {names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38,
     excludes: {caps: ["CAP_SYS_ADMIN"]}},
    {names: ["bpf", "perf_event_open"], action: "SCMP_ACT_ALLOW",
     includes: {caps: ["CAP_SYS_ADMIN"]}}
  ]
}' >"$DOCKER"
published "Docker 23+ default.json" "$DOCKER" keyctl EPERM
assert_eq "Docker 23+ default.json: clone3 gets its rule's errnoRet 38" ENOSYS "$(kv clone3)"
assert_eq "Docker 23+ default.json: bpf (CAP_SYS_ADMIN only) refused" EPERM "$(kv bpf)"

# -- (b2) containers-common seccomp.json --------------------------------------------------
# The shape of containers/common's pkg/seccomp/seccomp.json (and Debian's copy): errnos by
# name beside the numbers ("defaultErrno", per rule "errno"), every entry with "args": [],
# "comment": "", "includes": {}, "excludes": {}.
COMMON=$WORK/containers-common.json
jq -n --argjson allow "$(allow_without personality)" '{
  defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: 38,
  defaultErrno: "ENOSYS",
  archMap: [{architecture: "SCMP_ARCH_X86_64",
             subArchitectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
            {architecture: "SCMP_ARCH_S390X", subArchitectures: ["SCMP_ARCH_S390"]}],
  syscalls: [
    {names: $allow, action: "SCMP_ACT_ALLOW", args: [], comment: "", includes: {},
     excludes: {}},
    {names: ["personality"], action: "SCMP_ACT_ERRNO", args: [], comment: "", includes: {},
     excludes: {caps: ["CAP_SYS_ADMIN"]}, errnoRet: 13, errno: "EACCES"},
    {names: ["bdflush", "vm86", "kexec_load"], action: "SCMP_ACT_ERRNO", args: [],
     comment: "", includes: {}, excludes: {}, errnoRet: 1, errno: "EPERM"}
  ]
}' >"$COMMON"
published "containers-common seccomp.json" "$COMMON" keyctl ENOSYS
assert_eq "containers-common seccomp.json: personality gets its rule's errno (\"EACCES\")" EACCES \
        "$(kv personality)"

# -- (b3) oci-runtime-tool generate -------------------------------------------------------
# The shape `oci-runtime-tool generate` writes into linux.seccomp (runtime-tools'
# generate/seccomp, a list from before Linux 5.9): "architectures" listing x86's three, no
# archMap, args without valueTwo, and no close_range, which ward needs before the filter.
RTOOLS=$WORK/runtime-tools.json
jq -n --argjson allow "$(allow_without close_range personality)" '{
  defaultAction: "SCMP_ACT_ERRNO",
  architectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_X86_64"],
  syscalls: [
    {names: $allow, action: "SCMP_ACT_ALLOW"},
    {names: ["personality"], action: "SCMP_ACT_ALLOW",
     args: [{index: 0, value: 0, op: "SCMP_CMP_EQ"}]}
  ]
}' >"$RTOOLS"
published "oci-runtime-tool generate" "$RTOOLS" keyctl EPERM
assert_eq "oci-runtime-tool generate: personality only with value 0 (no valueTwo)" EPERM \
        "$(kv personality)"
# A list from before clone3: the profile's default answers it, EPERM, and glibc's threads,
# which fall back to clone on ENOSYS only, fail. The profile's answer, not ward's.
assert_eq "oci-runtime-tool generate: clone3 gets the default EPERM" EPERM "$(kv clone3)"
assert_eq "oci-runtime-tool generate: close_range is refused in the sandbox" EPERM \
        "$(kv close_range)"

# -- the same filters in a bundle's linux.seccomp -----------------------------------------
# linux.seccomp is read by the same code; the bundle is `ward spec`'s, with the probe.
B=$WORK/bundle
mkdir -p "$B"
bundle() { # FILTER-FILE: config.json with linux.seccomp from it, the probe as the process
        jq --slurpfile sc "$1" --arg root "$R" --arg tag "--tag=$TAG" '
                .root.path = $root | .process.terminal = false
                | .process.args = ["/bin/ward-probe", $tag, "seccomp", "workload", "syscalls"]
                | .linux.seccomp = $sc[0]' <<<"$SPEC" >"$B/config.json"
}
run_cmd "$WARD" spec --rootfs "$R" -- /bin/true
SPEC=$OUT
for shape in DOCKER COMMON RTOOLS; do
        bundle "${!shape}"
        wrun --bundle "$B"
        assert_eq "bundle, $shape's shape in linux.seccomp: exit 0, Seccomp 2" "0 2" \
                "$RC $(kv Seccomp)"
        assert_eq "bundle, $shape's shape: workload" "OK OK OK" \
                "$(kv socketpair) $(kv tcp_loopback) $(kv fork)"
done
assert_eq "bundle, runtime-tools' shape: close_range refused, ward ran anyway" EPERM \
        "$(kv close_range)"

# -- linux.seccomp without noNewPrivileges -----------------------------------------------
# oci-runtime-tool's configs leave process.noNewPrivileges false. The kernel then takes a
# filter only from a holder of CAP_SYS_ADMIN, so ward loads it before the uid switch and
# the capability sets, as runc and crun do, and no_new_privs stays off as config.json says.
nnp_bundle() { # FILTER-FILE [JQ]: as bundle, uid 1000 with NET_RAW in every set, no nnp
        bundle "$1"
        jq '.process.noNewPrivileges = false | .process.user = {uid: 1000, gid: 1000}
            | .process.capabilities = {bounding: ["CAP_NET_RAW"], effective: ["CAP_NET_RAW"],
                permitted: ["CAP_NET_RAW"], inheritable: ["CAP_NET_RAW"],
                ambient: ["CAP_NET_RAW"]}
            | .process.args += ["status"] | '"${2:-.}" "$B/config.json" >"$B/config.new"
        mv "$B/config.new" "$B/config.json"
}
nnp_bundle "$RTOOLS"
wrun --bundle "$B"
assert_eq "no nnp, runtime-tools' shape: exit 0, Seccomp 2" "0 2" "$RC $(kv Seccomp)"
assert_eq "no nnp: no_new_privs stays off, as config.json says" 0 "$(kv NoNewPrivs)"
assert_eq "no nnp: uid 1000 with NET_RAW ambient (the steps after the filter ran)" \
        "1000 0000000000002000" "$(kv uid) $(kv CapAmb)"
assert_eq "no nnp: the profile's answers" "EPERM EPERM OK" \
        "$(kv keyctl) $(kv close_range) $(kv getppid)"
wexplain --bundle "$B"
assert_match "no nnp explain: the filter is loaded before the credentials" \
        "$(tr '\n' ' ' <<<"$OUT")" '\[setup:bundle-seccomp\] .*\[setup:credentials\]'
# A filter that refuses what setup does after it is refused before the sandbox starts...
jq '.syscalls += [{names: ["capset"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]' "$RTOOLS" |
        jq '.syscalls[0].names -= ["capset"]' >"$WORK/no-capset.json"
nnp_bundle "$WORK/no-capset.json"
wrun --bundle "$B"
assert_eq "no nnp, capset refused: 125" 125 "$RC"
assert_contains "no nnp, capset refused: named, with why" "$ERR" \
        "linux.seccomp refuses capset, which ward needs after loading it"
assert_contains "no nnp, capset refused: the fix" "$ERR" '"noNewPrivileges": true'
# ... and is fine with no_new_privs, loaded last (control: the refusal is the early load's).
nnp_bundle "$WORK/no-capset.json" '.process.noNewPrivileges = true'
wrun --bundle "$B"
assert_eq "control nnp, capset refused: loaded last, runs" "0 2 1" \
        "$RC $(kv Seccomp) $(kv NoNewPrivs)"
# A filter that answers close_range 0 without doing it keeps no fd of ward's open: the fds
# are marked before it is loaded.
jq '.syscalls += [{names: ["close_range"], action: "SCMP_ACT_ERRNO", errnoRet: 0}]' \
        "$RTOOLS" >"$WORK/fake-close-range.json"
nnp_bundle "$WORK/fake-close-range.json" '.process.args += ["fds"]'
wrun --bundle "$B"
assert_eq "no nnp, close_range faked: only fds 0-2 reach the app" "0 0,1,2" "$RC $(kv fds)"
# A --profile floor's user and capabilities are not the bundle's filter's to fake: refused.
printf '[Process]\nNoNewPrivileges=no\n[Seccomp]\nProfile=unconfined\n' >"$WORK/floor.profile"
nnp_bundle "$RTOOLS"
wrun --bundle "$B" --profile "$WORK/floor.profile"
assert_eq "no nnp under a --profile floor: 125" 125 "$RC"
assert_contains "no nnp under a --profile floor: why and the fix" "$ERR" \
        'could fake the system calls that apply those of the --profile floor'
printf '[Process]\nNoNewPrivileges=yes\n' >"$WORK/floor-nnp.profile"
wrun --bundle "$B" --profile "$WORK/floor-nnp.profile"
assert_eq "control: a floor with NoNewPrivileges=yes runs it, loaded last" "0 2 1" \
        "$RC $(kv Seccomp) $(kv NoNewPrivs)"

# -- still refused ------------------------------------------------------------------------
# A name no libseccomp knows in a refusal only that rule makes (issue 11): exit 125.
jq '.syscalls += [{names: ["ptrce"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]
    | .defaultAction = "SCMP_ACT_ALLOW"' "$DOCKER" >"$WORK/typo.json"
wrun --rootfs "$R" --security-opt "seccomp=$WORK/typo.json" -- "${P[@]}" exit 0
assert_eq "unknown name in a refusal: 125" 125 "$RC"
assert_contains "unknown name in a refusal: named" "$ERR" '"ptrce" is no syscall'
# ... while in an allowlist's ALLOW rule it is skipped, as libseccomp-based runtimes do.
jq '.syscalls[0].names += ["fancy_new_call"]' "$DOCKER" >"$WORK/newer.json"
wrun --rootfs "$R" --security-opt "seccomp=$WORK/newer.json" -- "${P[@]}" exit 0
assert_eq "unknown name in an ALLOW rule: skipped, runs" 0 "$RC"
# The errno by name and by number must agree.
jq '.syscalls[1].errnoRet = 1' "$COMMON" >"$WORK/disagree.json"
wrun --rootfs "$R" --security-opt "seccomp=$WORK/disagree.json" -- "${P[@]}" exit 0
assert_eq "errno and errnoRet disagree: 125" 125 "$RC"
assert_contains "errno and errnoRet disagree: named" "$ERR" \
        "syscalls[1].errno: EACCES is 13, but errnoRet says 1"
# ward loads no listener and runs no tracer.
jq '.syscalls[1].action = "SCMP_ACT_NOTIFY"' "$COMMON" >"$WORK/notify.json"
wrun --rootfs "$R" --security-opt "seccomp=$WORK/notify.json" -- "${P[@]}" exit 0
assert_eq "SCMP_ACT_NOTIFY: 125" 125 "$RC"
assert_contains "SCMP_ACT_NOTIFY: the reason" "$ERR" "ward runs no seccomp listener"
# What ward-init needs stays checked: a profile without fcntl (its report pipe) is refused
# before the sandbox starts, naming it.
jq --argjson allow "$(allow_without fcntl close_range personality)" '.syscalls[0].names = $allow' "$RTOOLS" \
        >"$WORK/no-fcntl.json"
wrun --rootfs "$R" --security-opt "seccomp=$WORK/no-fcntl.json" -- "${P[@]}" exit 0
assert_eq "no fcntl: 125" 125 "$RC"
assert_contains "no fcntl: ward-init's need named" "$ERR" \
        "refuses fcntl, which ward-init needs to keep its report pipe to ward from the app"

finish
