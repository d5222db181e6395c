#!/usr/bin/env bash
# `ward run --bundle DIR`: crun's own `crun spec` output (adjusted to the test rootfs, the
# probe and no terminal) runs, and the probe sees what config.json asked for; the bundle's
# seccomp, mounts and limits are applied; --profile on top is a floor (the stricter wins);
# every unsupported field is exit 125 naming its JSON path; hostile JSON is exit 125 with
# line:column and never a crash.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "bundles without a user namespace need root"
need_tools "crun jq" crun jq

R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$R/data" "$R/scratch"
B=$WORK/bundle
crun_spec_bundle "$B"

# bundle JQ-FILTER: config.json = crun spec's, adjusted to the test rootfs and the probe
# (the cgroup mount is dropped: see BUNDLES in ward(1)), then JQ-FILTER. crun spec has no
# user namespace, where the probe refuses its attacks (write, seccomp): the filters that
# use those add one.
bundle() {
        jq --arg root "$R" --arg tag "--tag=$TAG" '
                .root.path = $root | .process.terminal = false
                | .process.args = ["/bin/ward-probe", $tag, "status", "rlimits", "hostname",
                                   "statfs", "/"]
                | del(.mounts[] | select(.type == "cgroup"))
                | '"$1" "$WORK/crun-spec.json" >"$B/config.json"
}

# -- crun spec, as crun writes it --------------------------------------------------------
bundle .
wrun --bundle "$B"
assert_eq "crun spec bundle: exit 0" 0 "$RC"
# CAP_KILL(5) CAP_NET_BIND_SERVICE(10) CAP_AUDIT_WRITE(29)
assert_eq "crun spec: bounding set as listed" 0000000020000420 "$(kv CapBnd)"
assert_eq "crun spec: effective set as listed" 0000000020000420 "$(kv CapEff)"
assert_eq "crun spec: noNewPrivileges" 1 "$(kv NoNewPrivs)"
assert_eq "crun spec: no seccomp asked, none applied" 0 "$(kv Seccomp)"
assert_eq "crun spec: root.readonly" ro "$(kv "flags /" | cut -d, -f1)"
assert_eq "crun spec: uid 0" "0 0" "$(kv uid) $(kv gid)"
assert_eq "crun spec: RLIMIT_NOFILE" 1024:1024 "$(kv rlimit.nofile)"
assert_eq "crun spec: hostname" crun "$(kv hostname)"
assert_eq "crun spec: the process is PID 1" 1 "$(kv pid)"

wexplain --bundle "$B"
assert_eq "explain --bundle: exit 0" 0 "$RC"
assert_contains "explain --bundle: origins name config.json" "$OUT" "$B/config.json"

# -- what config.json asks for ------------------------------------------------------------
mkdir -p "$WORK/data"
echo hello >"$WORK/data/f"
bundle '.process.user = {uid: 1000, gid: 1000, additionalGids: [5, 7], umask: 63}
        | .process.capabilities = {bounding: ["CAP_NET_RAW"], effective: ["CAP_NET_RAW"],
            permitted: ["CAP_NET_RAW"], inheritable: ["CAP_NET_RAW"], ambient: ["CAP_NET_RAW"]}
        | .process.rlimits = [{type: "RLIMIT_NOFILE", soft: 100, hard: 200},
                              {type: "RLIMIT_CORE", soft: 0, hard: 0}]
        | .process.env = ["PATH=/bin", "FOO=bar"] | .process.cwd = "/tmp"
        | .process.args += ["seccomp", "getppid", "env", "cwd", "cat", "/data/f", "write", "/data/g",
                            "statfs", "/scratch", "statfs", "/dev/mqueue", "read", "/proc/timer_list"]
        | .root.readonly = false
        | .linux.namespaces += [{type: "user"}, {type: "cgroup"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 3000000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 3000000, size: 65536}]
        | .mounts += [{destination: "/data", type: "bind", source: "'"$WORK/data"'",
                       options: ["rbind", "ro", "nosuid", "nodev", "noexec"]},
                      {destination: "/scratch", type: "tmpfs", source: "tmpfs",
                       options: ["nosuid", "nodev", "size=1m", "mode=700"]},
                      {destination: "/tmp", type: "tmpfs", source: "tmpfs",
                       options: ["size=1m", "mode=1777"]}]
        | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
                            syscalls: [{names: ["getppid"], action: "SCMP_ACT_ERRNO",
                                        errnoRet: 1}]}'
wrun --bundle "$B"
assert_eq "full bundle: exit 0" 0 "$RC"
assert_eq "full bundle: uid/gid" "1000 1000" "$(kv uid) $(kv gid)"
assert_eq "full bundle: additionalGids" 5,7 "$(kv groups)"
assert_eq "full bundle: umask" 0077 "$(kv Umask)"
assert_eq "full bundle: NET_RAW in every set (non-root: ambient)" \
        "0000000000002000 0000000000002000 0000000000002000" \
        "$(kv CapBnd) $(kv CapEff) $(kv CapAmb)"
assert_eq "full bundle: rlimits" "100:200 0:0" "$(kv rlimit.nofile) $(kv rlimit.core)"
assert_eq "full bundle: env is exactly process.env" bar "$(kv FOO)"
assert_eq "full bundle: cwd" /tmp "$(kv cwd)"
assert_eq "full bundle: the bind is readable" hello "$(kv "cat /data/f")"
assert_eq "full bundle: ro bind" EROFS "$(kv "write /data/g")"
assert_eq "full bundle: tmpfs options" "rw,nosuid,nodev" "$(kv "flags /scratch")"
assert_eq "full bundle: tmpfs size" 1048576 "$(kv "size /scratch")"
assert_eq "full bundle: mqueue mounted" 0x19800202 "$(kv "fstype /dev/mqueue")"
assert_eq "full bundle: the bundle's seccomp (getppid refused)" "2 EPERM" \
        "$(kv Seccomp) $(kv getppid)"
# crun spec's maskedPaths has /proc/timer_list: /dev/null over it reads empty, where the
# real one is refused to a user namespace (the control run, without maskedPaths).
assert_eq "full bundle: /proc/timer_list masked" "OK 0" \
        "$(kv "read /proc/timer_list") $(kv "bytes /proc/timer_list")"

# explain names where in config.json each setting came from.
wexplain --bundle "$B"
BJ="$(realpath "$B")/config.json"
data_at=$(jq '.mounts | map(.destination) | index("/data")' "$B/config.json")
assert_eq "explain full bundle: exit 0" 0 "$RC"
assert_contains "explain: a bundle's variable names process.env[N]" "$OUT" \
        "Process.Environment = FOO=bar    ($BJ: process.env[1])"
assert_contains "explain: a bundle's bind names mounts[N]" "$OUT" \
        "Filesystem.Bind = $WORK/data /data ro    ($BJ: mounts[$data_at])"
assert_contains "explain: the groups name process.user.additionalGids" "$OUT" \
        "Process.SupplementaryGroups = 5 7    ($BJ: process.user.additionalGids)"
assert_contains "explain: the user is the bundle's ids" "$OUT" \
        "Process.User = 1000:1000    ($BJ: process.user)"
assert_contains "explain: an rlimit names process.rlimits[N]" "$OUT" \
        "Resources.LimitCORE = 0:0    ($BJ: process.rlimits[1])"
assert_contains "explain: the command names process.args" "$OUT" "    ($BJ: process.args)"
jq '.linux.maskedPaths = []' "$B/config.json" >"$WORK/c" && mv "$WORK/c" "$B/config.json"
wrun --bundle "$B"
assert_eq "control: without maskedPaths /proc/timer_list is the real one" EACCES \
        "$(kv "read /proc/timer_list")"
# root.readonly false: the root is writable (the bundle's uid 1000 cannot write /etc
# though), so check the mount flag instead.
bundle '.root.readonly = false | .process.args += ["statfs", "/"]'
wrun --bundle "$B"
assert_eq "root.readonly false: a writable root" rw "$(kv "flags /" | cut -d, -f1)"

# -- --profile on top: the stricter wins ------------------------------------------------
bundle '.root.readonly = false
        | .process.capabilities = {bounding: ["CAP_NET_RAW", "CAP_KILL"],
                                   effective: ["CAP_NET_RAW", "CAP_KILL"],
                                   permitted: ["CAP_NET_RAW", "CAP_KILL"]}
        | .process.noNewPrivileges = false
        | .process.rlimits = [{type: "RLIMIT_NOFILE", soft: 4096, hard: 4096},
                              {type: "RLIMIT_NPROC", soft: 100, hard: 100}]
        | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
                            syscalls: [{names: ["getppid"], action: "SCMP_ACT_ERRNO",
                                        errnoRet: 1}]}
        | .process.args += ["write", "/etc/x", "seccomp", "getppid", "syscalls"]'
cat >"$WORK/floor.profile" <<'EOF'
[Process]
Capabilities=KILL
EOF
wrun --bundle "$B" --profile default --profile "$WORK/floor.profile"
assert_eq "floor: exit 0" 0 "$RC"
assert_eq "floor: NET_RAW dropped, KILL kept (intersection)" 0000000000000020 "$(kv CapBnd)"
assert_eq "floor: read-only wins" EROFS "$(kv "write /etc/x")"
assert_eq "floor: no_new_privs wins" 1 "$(kv NoNewPrivs)"
assert_eq "floor: lower nofile wins (profile 1024)" 1024:1024 "$(kv rlimit.nofile)"
assert_eq "floor: lower nproc wins (bundle 100)" 100:100 "$(kv rlimit.nproc)"
assert_eq "floor: profile's core=0 added" 0:0 "$(kv rlimit.core)"
assert_eq "floor: both filters stacked" 2 "$(kv Seccomp_filters)"
assert_eq "floor: the bundle's filter (getppid)" EPERM "$(kv getppid)"
assert_eq "floor: ward's filter (keyctl, allowed by the bundle's)" EPERM "$(kv keyctl)"
assert_eq "floor: ward's filter (clone3 ENOSYS)" ENOSYS "$(kv clone3)"

wexplain --bundle "$B" --profile default --profile "$WORK/floor.profile"
assert_contains "floor explain: the bundle's filter" "$OUT" "linux.seccomp = a stacked filter"
assert_contains "floor explain: stacked under ward's" "$OUT" "then stack ward's on it"

cat >"$WORK/user.profile" <<'EOF'
[Process]
User=65534:65534
EOF
wrun --bundle "$B" --profile "$WORK/user.profile"
assert_eq "floor: a profile's other User= is a conflict, 125" 125 "$RC"
assert_contains "floor: the conflict names process.user" "$ERR" "process.user"

# -- linux.resources: the cgroup v2 limits, lowered by a floor ----------------------------
bundle '.linux.resources.memory = {limit: 67108864, swap: 100663296}
        | .linux.resources.cpu = {quota: 25000, period: 50000}
        | .linux.resources.pids = {limit: 32}'
cat >"$WORK/limits.profile" <<'EOF'
[Resources]
Memory=32M
Pids=64
EOF
wexplain --bundle "$B" --profile "$WORK/limits.profile"
assert_contains "resources: memory, lowered by the floor" "$OUT" "Resources.Memory = 32M"
assert_contains "resources: pids, the bundle's lower one" "$OUT" "Resources.Pids = 32"
assert_contains "resources: cpu quota/period" "$OUT" "Resources.CPUs = 0.5"
if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then
        wrun --bundle "$B"
        assert_eq "resources on a cgroup v1/hybrid host: refused, 125" 125 "$RC"
        assert_contains "resources on a cgroup v1/hybrid host: says why" "$ERR" "cgroup2"
else
        skip "resources refused on a hybrid host" "this host is pure cgroup v2 (tests/vm)"
fi

# -- hooks: prestart and createRuntime before the sandbox runs, poststop after -----------
H=$WORK/hook.sh
cat >"$H" <<'EOF'
#!/bin/sh
# hook.sh OUT [STATUS]: the state from stdin and the environment into OUT.
{ cat; echo; env; } >"$1"
exit "${2:-0}"
EOF
chmod 755 "$H"
bundle '.annotations = {"org.example": "x"}
        | .process.args += ["write", "/tmp/app-ran"]
        | .linux.namespaces += [{type: "user"}]
        | .mounts += [{destination: "/tmp", type: "bind", source: "'"$WORK"'/shared",
                       options: ["rbind", "rw"]}]
        | .hooks = {prestart: [{path: "'"$H"'", args: ["h", "'"$WORK"'/pre"]}],
                    createRuntime: [{path: "'"$H"'", args: ["h", "'"$WORK"'/create"],
                                     env: ["HOOK_VAR=1"], timeout: 5}],
                    poststop: [{path: "'"$H"'", args: ["h", "'"$WORK"'/post", "3"]}]}'
mkdir -p "$WORK/shared" && chmod 777 "$WORK/shared"
wrun --bundle "$B"
assert_eq "hooks: the app runs (a failing poststop is only a warning)" 0 "$RC"
assert_contains "hooks: poststop failure warned" "$ERR" "warning: hooks.poststop[0]"
assert_eq "hooks: prestart got the state" "creating $B {\"org.example\":\"x\"}" \
        "$(head -1 "$WORK/pre" | jq -c -r '"\(.status) \(.bundle) \(.annotations)"')"
assert_match "hooks: createRuntime got the sandbox's pid" \
        "$(head -1 "$WORK/create" | jq -r .pid)" '^[0-9]+$'
assert_contains "hooks: createRuntime's env" "$(cat "$WORK/create")" "HOOK_VAR=1"
assert_not_contains "hooks: only the hook's env" "$(cat "$WORK/create")" "WARD_CACHE_DIR"
assert_eq "hooks: poststop got status stopped" stopped \
        "$(head -1 "$WORK/post" | jq -r .status)"
assert_eq "hooks: the app ran" OK "$(kv "write /tmp/app-ran")"
rm -f "$WORK/shared/app-ran" "$WORK/pre" "$WORK/create" "$WORK/post"
run_cmd "$WARD" explain --bundle "$B"
assert_contains "explain: each hook with its place in config.json" "$OUT" \
        "Hook = $H $WORK/create    ($B/config.json: hooks.createRuntime[0])"
assert_contains "explain: the poststop hook" "$OUT" \
        "Hook = $H $WORK/post 3    ($B/config.json: hooks.poststop[0])"
assert_contains "explain: the create hooks' step" "$OUT" \
        "run the bundle's 2 prestart/createRuntime hook(s) on the host"
assert_contains "explain: the poststop step" "$OUT" "run the bundle's 1 poststop hook(s)"

jq '.hooks.createRuntime[0].args += ["4"]' "$B/config.json" >"$WORK/c" && mv "$WORK/c" "$B/config.json"
wrun --bundle "$B"
assert_eq "failing createRuntime hook: 125" 125 "$RC"
assert_contains "failing createRuntime hook: named, with its status" "$ERR" \
        "hooks.createRuntime[0]: $H exited with status 4"
assert_eq "failing createRuntime hook: the app never ran" "" "$(ls "$WORK/shared")"
assert_eq "failing createRuntime hook: poststop still ran" stopped \
        "$(head -1 "$WORK/post" | jq -r .status)"

jq '.hooks.createRuntime = [{path: "/bin/sleep", args: ["sleep", "30"], timeout: 1}]
    | del(.hooks.poststop)' "$B/config.json" >"$WORK/c" && mv "$WORK/c" "$B/config.json"
wrun --bundle "$B"
assert_eq "hook timeout: 125" 125 "$RC"
assert_contains "hook timeout: says so" "$ERR" "did not finish within 1s"
jq '.hooks.createRuntime = [{path: "'"$WORK"'/missing"}]' "$B/config.json" >"$WORK/c" &&
        mv "$WORK/c" "$B/config.json"
wrun --bundle "$B"
assert_eq "missing hook: 125" 125 "$RC"
assert_contains "missing hook: named" "$ERR" "hooks.createRuntime[0]"

# -- a late signal: once the app's status is known, it is ward's ---------------------------
# The poststop hook (a child of the monitor, after the app exited) signals the monitor: the
# status stays the app's 7. Before, the signals were unblocked again after the poststop
# hooks and ward died of them (143). The control is ward's own 128+N when the app itself
# dies of SIGTERM (test_init_signals).
L=$WORK/late-signal.sh
printf '#!/bin/sh\nkill -TERM $PPID; kill -HUP $PPID; kill -PIPE $PPID; kill -ALRM $PPID\n' >"$L"
chmod 755 "$L"
bundle '.process.args = ["/bin/ward-probe", "--tag='"$TAG"'", "exit", "7"]
        | .hooks = {poststop: [{path: "'"$L"'"}]}'
wrun --bundle "$B"
assert_eq "signals after the app exited: ward exits with the app's 7" 7 "$RC"

# -- the command line ------------------------------------------------------------------
bundle .
wrun --bundle "$B" --cap-add NET_ADMIN
assert_eq "--bundle with another flag: 125" 125 "$RC"
assert_contains "--bundle with another flag: names it" "$ERR" "--cap-add"
wrun --bundle "$B" -- /bin/true
assert_eq "--bundle with a command: 125" 125 "$RC"
wrun --bundle "$WORK/nonexistent"
assert_eq "--bundle of a missing directory: 125" 125 "$RC"

# -- unsupported fields: 125 naming the JSON path ----------------------------------------
unsupported() {
        local name=$1 filter=$2 path=$3
        bundle "$filter"
        wrun --bundle "$B"
        assert_eq "unsupported $name: exit 125" 125 "$RC"
        assert_contains "unsupported $name: names $path" "$ERR" "$path"
}
unsupported "unknown top-level key" '.vm = {}' "vm"
unsupported "newer spec field" '.process.ioPriority = {class: "IOPRIO_CLASS_IDLE"}' \
        "process.ioPriority"
unsupported "oomScoreAdj out of range" '.process.oomScoreAdj = 1001' "process.oomScoreAdj"
unsupported "unknown capability" '.process.capabilities.bounding[3] = "CAP_FLY"' \
        "process.capabilities.bounding[3]"
unsupported "effective outside permitted" '.process.capabilities.permitted = []' \
        "process.capabilities.effective"
unsupported "namespace path" '.linux.namespaces[1].path = "/proc/1/ns/net"' \
        "linux.namespaces[1].path"
unsupported "time namespace" '.linux.namespaces += [{type: "time"}]' "linux.namespaces[5].type"
unsupported "createContainer hook" '.hooks = {createContainer: [{path: "/bin/true"}]}' \
        "hooks.createContainer[0]"
unsupported "poststart hook" '.hooks = {poststart: [{path: "/bin/true"}]}' "hooks.poststart[0]"
unsupported "relative hook path" '.hooks = {prestart: [{path: "true"}]}' "hooks.prestart[0].path"
unsupported "host-wide sysctl" '.linux.sysctl = {"kernel.panic": "1"}' \
        'linux.sysctl["kernel.panic"]'
unsupported "apparmor" '.process.apparmorProfile = "unconfined"' "process.apparmorProfile"
unsupported "allowed device" '.linux.resources.devices += [{allow: true, access: "rwm"}]' \
        "linux.resources.devices[1].allow"
unsupported "cgroup mount" '.mounts += [{destination: "/sys/fs/cgroup", type: "cgroup",
        source: "cgroup"}]' "mounts[6].type"
unsupported "overlay mount" '.mounts += [{destination: "/x", type: "overlay", source: "o"}]' \
        "mounts[6].type"
unsupported "mount option" '.mounts[3].options += ["suid"]' "mounts[3].options[5]"
unsupported "non-recursive bind" '.mounts += [{destination: "/data", type: "bind",
        source: "/tmp", options: ["bind"]}]' "mounts[6].options"
unsupported "uid range" '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 3000000, size: 10}]
        | .linux.gidMappings = [{containerID: 0, hostID: 3000000, size: 10}]' \
        "linux.uidMappings[0].size"
unsupported "cpu shares" '.linux.resources.cpu = {shares: 1024}' "linux.resources.cpu.shares"
unsupported "ociVersion 2" '.ociVersion = "2.0.0"' "ociVersion"
unsupported "seccomp notify" '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{names: ["getppid"], action: "SCMP_ACT_NOTIFY"}]}' \
        "linux.seccomp.syscalls[0].action"
# linux.seccomp without noNewPrivileges is loaded before the capabilities are dropped, as
# runc and crun do: test_seccomp_published.sh.

# -- mount errors name the mount's JSON path, also those found while building the sandbox --
# crun spec's mounts without the cgroup one are mounts[0..5]: an added one is mounts[6].
mount_error() {
        local name=$1 filter=$2 want=$3
        bundle "$filter"
        wrun --bundle "$B"
        assert_eq "mount error $name: exit 125" 125 "$RC"
        assert_contains "mount error $name: names config.json and the JSON path" "$ERR" \
                "config.json: $want"
        assert_not_contains "mount error $name: no profile key" "$ERR" "Filesystem."
}
# Refused by the reader.
mount_error "unsupported type" '.mounts += [{destination: "/x", type: "overlay", source: "o"}]' \
        "mounts[6].type: not supported"
mount_error "masked path with .." '.linux.maskedPaths = ["/proc/../etc"]' \
        'linux.maskedPaths[0]: "/proc/../etc" has a ".." component: refused'
# Refused before the sandbox is created (mount.c, in the monitor).
mount_error "destination in /proc" '.mounts += [{destination: "/proc/sys", type: "tmpfs",
        source: "tmpfs"}]' "mounts[6]: cannot mount on /proc/sys"
mount_error "missing bind source" '.mounts += [{destination: "/data", type: "bind",
        source: "'"$WORK"'/no-such-dir", options: ["rbind"]}]' "mounts[6]: bind source"
# Found inside the sandbox's setup process, while it mounts.
mount_error "destination missing in the image" '.mounts += [{destination: "/no/such/dir",
        type: "bind", source: "'"$WORK"'", options: ["rbind"]}]' \
        "mounts[6]: /no/such/dir does not exist in the root filesystem"
mount_error "bind over a file with a directory" '.mounts += [{destination: "/bin/ward-probe",
        type: "bind", source: "'"$WORK"'", options: ["rbind"]}]' \
        "mounts[6]: /bin/ward-probe is not a directory in the root filesystem"

# -- wrong types: 125 naming the path and the type ---------------------------------------
wrong_type() {
        local filter=$1 path=$2
        bundle "$filter"
        wrun --bundle "$B"
        assert_eq "wrong type at $path: exit 125" 125 "$RC"
        assert_contains "wrong type at $path: named" "$ERR" "$path: expected"
}
wrong_type '.process.args = "sh"' process.args
wrong_type '.process.args[0] = 7' "process.args[0]"
wrong_type '.process.user.uid = "0"' process.user.uid
wrong_type '.process.capabilities.bounding[1] = null' "process.capabilities.bounding[1]"
wrong_type '.process.rlimits[0].soft = 1.5' "process.rlimits[0].soft"
wrong_type '.root.readonly = "yes"' root.readonly
wrong_type '.mounts = {}' mounts
wrong_type '.linux.namespaces[0] = "pid"' "linux.namespaces[0]"
wrong_type '.linux.seccomp.defaultAction = 1' linux.seccomp.defaultAction

# -- hostile JSON: 125 with line:column, never a crash ------------------------------------
hostile() {
        local name=$1 want=$2
        wrun --bundle "$B"
        assert_eq "hostile $name: exit 125 (no crash)" 125 "$RC"
        assert_match "hostile $name: $want" "$ERR" "$want"
}
bundle .
head -c 300 "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
hostile truncated "config.json:[0-9]+:[0-9]+: .*not valid JSON"
printf '{"ociVersion": "1.0.0",\n  "process": {"args": ["a",]}}\n' >"$B/config.json"
hostile "trailing comma" "config.json:2:[0-9]+: "
{ printf '{"ociVersion":"1.0.0","annotations":{"a":"'; head -c $((5 * 1024 * 1024)) /dev/zero |
        tr '\0' a; printf '"}}'; } >"$B/config.json"
hostile "5 MiB" "larger than 4194304 bytes"
{ printf '{"annotations":'; for _ in $(seq 5000); do printf '['; done
        for _ in $(seq 5000); do printf ']'; done; printf '}'; } >"$B/config.json"
hostile "deep nesting" "config.json:1:[0-9]+: .*depth"
printf '{"ociVersion": "1.0.0", "ociVersion": "1.0.1"}' >"$B/config.json"
hostile "duplicate key" "config.json:1:[0-9]+: .*duplicate"
printf '{"ociVersion": "1.0.0", "hostname": "a\\u0000b"}' >"$B/config.json"
hostile "NUL in a string" "config.json:1:[0-9]+: |NUL"
printf '\xff\xfe{}' >"$B/config.json"
hostile "not UTF-8" "config.json:1:[0-9]+: "
printf '[]' >"$B/config.json"
hostile "not an object" "expected an object"
: >"$B/config.json"
hostile "empty file" "config.json:[0-9]+:[0-9]+: "
rm "$B/config.json" && mkdir "$B/config.json"
hostile "a directory" "not a regular file"
rmdir "$B/config.json"

finish
