#!/usr/bin/env bash
# The policy gate as an attacker meets it: config.json variants that give a container the
# host, or a way to it, each spelled so that a reader of names would miss it. Every one must
# be refused by `ward hook --policy default` (exit 1, naming the rule) and rated high or
# critical by `ward check --oci` (--fail-on high exits 1, naming the rule). A compliant
# control of each class passes both, and the hardened base passes: the gate refuses effects,
# not everything.
#
# Classes: bind sources through "..", relative to the bundle, or through a symlink; mount
# options applied in order; overlay layers; extra proc/sysfs/kernel filesystems; an unknown
# filesystem type over a device; namespaces joined by path; seccomp profiles by what they
# let through; device cgroup rules by what they open; root.path; engine sockets by their
# destination.
#
# The same variants against `ward hook --policy podman` (profiles/podman.profile, weaker
# than default where podman's defaults are): each is refused naming the same rule, but for
# four that stay within what podman's own defaults give a container (PODMAN_WITHIN, each
# with its reason), which it must allow. Then variants of podman's defaults: its seccomp
# profile's tolerated calls, capabilities, masks and rlimits, and one step past each.
#
# Nothing is run: the hook and the check read files. The symlinks it makes live in its own
# work directory; nothing on the host is changed.
# shellcheck source=attack_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

if ! command -v python3 >/dev/null; then
        echo "1..0 # SKIP python3 is missing (apt-get install python3)"
        exit 77
fi

B=$WORK/bundles
mkdir -p "$B" "$WORK/up" "$WORK/work"
ln -s /etc "$WORK/etc-link"
ln -s / "$WORK/root-link"
# One config per variant, from a hardened base (within the default policy), by a JSON merge:
# variants.py BASE_DIR < LINES, each line NAME<tab>JSON_FRAGMENT, writes
# BASE_DIR/NAME/config.json (one Python for every variant: its start-up is most of this
# test's time on a loaded machine). The fragment's "mounts+" are appended to the base's
# mounts; other keys replace, objects merge.
cat >"$WORK/variants.py" <<'EOF'
import json, os, sys

DANGER = ["mount", "umount2", "umount", "pivot_root", "fsopen", "fsconfig", "fsmount",
          "fspick", "move_mount", "open_tree", "mount_setattr", "unshare", "clone3", "setns",
          "open_by_handle_at", "init_module", "finit_module", "delete_module", "kexec_load",
          "kexec_file_load", "bpf", "iopl", "ioperm", "swapon", "swapoff", "reboot", "ptrace",
          "process_vm_readv", "process_vm_writev", "keyctl", "add_key", "request_key",
          "perf_event_open", "userfaultfd", "name_to_handle_at", "acct", "quotactl", "syslog",
          "settimeofday", "clock_settime", "lookup_dcookie", "uselib"]
# CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET}: clone is refused with any of them.
NS_FLAGS = [0x20000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000]


def base():
    return {
        "ociVersion": "1.0.2",
        "process": {"args": ["/bin/true"], "cwd": "/", "user": {"uid": 0, "gid": 0},
                    "noNewPrivileges": True,
                    "capabilities": {k: [] for k in ("bounding", "effective", "inheritable",
                                                     "permitted", "ambient")},
                    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024},
                                {"type": "RLIMIT_NPROC", "hard": 512, "soft": 512}]},
        "root": {"path": "rootfs", "readonly": True},
        "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
                   {"destination": "/sys", "type": "sysfs", "source": "sysfs",
                    "options": ["nosuid", "noexec", "nodev", "ro"]},
                   {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
                    "options": ["ro"]},
                   {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs"}],
        "linux": {
            "namespaces": [{"type": t} for t in ("user", "pid", "mount", "network", "uts",
                                                 "ipc", "cgroup")],
            "uidMappings": [{"containerID": 0, "hostID": 2000000, "size": 65536}],
            "gidMappings": [{"containerID": 0, "hostID": 2000000, "size": 65536}],
            "resources": {"devices": [{"allow": False, "access": "rwm"},
                                      {"allow": True, "type": "c", "major": 1, "minor": 3,
                                       "access": "rwm"}]},
            # A denylist that refuses every dangerous call, clone only with namespace flags.
            "seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                        "syscalls": [{"names": DANGER, "action": "SCMP_ACT_ERRNO"}] +
                                    [{"names": ["clone"], "action": "SCMP_ACT_ERRNO",
                                      "args": [{"index": 0, "value": flag, "valueTwo": flag,
                                                "op": "SCMP_CMP_MASKED_EQ"}]}
                                     for flag in NS_FLAGS]},
            "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                            "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
            "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                              "/proc/sysrq-trigger"]}}


def merge(dst, src):
    for k, v in src.items():
        if k == "mounts+":
            dst["mounts"] += v
        elif isinstance(v, dict) and isinstance(dst.get(k), dict):
            merge(dst[k], v)
        else:
            dst[k] = v


top = sys.argv[1]
for line in sys.stdin:
    name, frag = line.rstrip("\n").split("\t", 1)
    d = base()
    merge(d, json.loads(frag))
    os.makedirs(os.path.join(top, name, "rootfs"), exist_ok=True)
    with open(os.path.join(top, name, "config.json"), "w") as f:
        json.dump(d, f, indent=1)
EOF

# Each case: NAME|RULE|FRAGMENT. RULE is the id the refusal and the check must name; "-" is a
# control, which both must let through.
bind() { # bind SOURCE DEST OPTIONS_JSON
        printf '{"mounts+": [{"destination": "%s", "type": "bind", "source": "%s", "options": %s}]}' "$2" "$1" "$3"
}
ns() { # ns TYPE PATH: the base's namespaces with TYPE joined at PATH
        python3 -c '
import json, sys
t, p = sys.argv[1:3]
ns = [{"type": x} for x in ("user", "pid", "mount", "network", "uts", "ipc", "cgroup") if x != t]
ns.append({"type": t, "path": p})
print(json.dumps({"linux": {"namespaces": ns}}))' "$1" "$2"
}
seccomp() { # seccomp DEFAULT_ACTION RULES_JSON
        printf '{"linux": {"seccomp": {"defaultAction": "%s", "syscalls": %s}}}' "$1" "$2"
}
devices() { # devices RULES_JSON
        printf '{"linux": {"resources": {"devices": %s}}}' "$1"
}
DENY_ALL_DEV='{"allow": false, "access": "rwm"}'
ALLOW_BASICS='{"names": ["read", "write", "exit_group", "execve", "brk", "mmap"], "action": "SCMP_ACT_ALLOW"}'

CASES=(
        "hardened|-|{}"
        # -- bind sources as the runtime resolves them ------------------------------------
        "bind-tmp-dotdot|W071|$(bind /tmp/.. /host '["rbind", "ro"]')"
        "bind-tmp-dotdot-run|W072|$(bind /tmp/../run /hostrun '["rbind", "ro"]')"
        "bind-relative-root|W071|$(bind ../../../../../../../../../../.. /host '["bind", "ro"]')"
        "bind-relative-dotdot-etc|W072|$(bind ../../../../../../../../../etc/. /e '["bind", "rw"]')"
        "bind-symlink-etc|W072|$(bind "$WORK/etc-link" /e '["rbind", "rw"]')"
        "bind-symlink-root|W071|$(bind "$WORK/root-link" /host '["rbind", "ro"]')"
        "bind-proc-type-rbind|W072|{\"mounts+\": [{\"destination\": \"/p\", \"type\": \"proc\", \"source\": \"/proc/self/..\", \"options\": [\"rbind\"]}]}"
        "bind-etc-ro-control|-|$(bind /etc/hostname /etc/hostname '["rbind", "ro"]')"
        "bind-relative-control|-|$(bind rootfs/. /data '["rbind", "rw"]')"
        # -- options in order --------------------------------------------------------------
        "opts-ro-rw-etc|W072|$(bind /etc/ssl /host-ssl '["rbind", "ro", "rw"]')"
        "opts-ro-rw-root|W071|$(bind / /host '["ro", "rbind", "rw"]')"
        "opts-rw-ro-etc-control|-|$(bind /etc/ssl /host-ssl '["rbind", "rw", "ro"]')"
        # -- overlay layers ----------------------------------------------------------------
        "overlay-lowerdir-root|W071|{\"mounts+\": [{\"destination\": \"/mnt\", \"type\": \"overlay\", \"source\": \"overlay\", \"options\": [\"lowerdir=/\", \"upperdir=$WORK/up\", \"workdir=$WORK/work\"]}]}"
        "overlay-second-layer-dotdot|W071|{\"mounts+\": [{\"destination\": \"/mnt\", \"type\": \"overlay\", \"source\": \"overlay\", \"options\": [\"lowerdir=$WORK/up:/tmp/..\"]}]}"
        "overlay-upperdir-etc|W072|{\"mounts+\": [{\"destination\": \"/mnt\", \"type\": \"overlay\", \"source\": \"overlay\", \"options\": [\"lowerdir=$WORK/up\", \"upperdir=/etc\", \"workdir=$WORK/work\"]}]}"
        "overlay-control|-|{\"mounts+\": [{\"destination\": \"/mnt\", \"type\": \"overlay\", \"source\": \"overlay\", \"options\": [\"lowerdir=$WORK/up\"]}]}"
        # -- kernel filesystems beyond their standard places -------------------------------
        "extra-proc|W073|{\"mounts+\": [{\"destination\": \"/mnt/proc\", \"type\": \"proc\", \"source\": \"proc\"}]}"
        "extra-sysfs|W073|{\"mounts+\": [{\"destination\": \"/mnt/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\", \"options\": [\"ro\"]}]}"
        "proc-dest-dotdot|W073|{\"mounts+\": [{\"destination\": \"/proc/../host-proc\", \"type\": \"proc\", \"source\": \"proc\"}]}"
        "debugfs|W073|{\"mounts+\": [{\"destination\": \"/d\", \"type\": \"debugfs\", \"source\": \"debugfs\"}]}"
        "unknown-fs-relative-root|W071|{\"mounts+\": [{\"destination\": \"/x\", \"type\": \"xfs\", \"source\": \"../../../../../../../../../..\"}]}"
        "sysfs-with-host-network|W072|$(ns network /proc/1/ns/net | sed 's/}}$/}, "mounts": [{"destination": "\/sys", "type": "sysfs", "source": "sysfs", "options": ["ro"]}]}/')"
        "unknown-fs-on-a-disk|W080|{\"mounts+\": [{\"destination\": \"/disk\", \"type\": \"ext4\", \"source\": \"/dev/sda1\"}]}"
        "proc-dest-slash-control|-|{\"mounts+\": [{\"destination\": \"/proc/\", \"type\": \"proc\", \"source\": \"proc\"}]}"
        # -- namespaces joined by path -----------------------------------------------------
        "ns-net-proc2|W021|$(ns network /proc/2/ns/net)"
        "ns-pid-self|W020|$(ns pid /proc/self/ns/pid)"
        "ns-mnt-proc2|W024|$(ns mount /proc/2/ns/mnt)"
        "ns-ipc-proc2|W026|$(ns ipc /proc/2/ns/ipc)"
        "ns-uts-thread-self|W026|$(ns uts /proc/thread-self/ns/uts)"
        "ns-user-proc2|W026|$(ns user /proc/2/ns/user)"
        "ns-cgroup-proc2|W026|$(ns cgroup /proc/2/ns/cgroup)"
        "ns-net-other-process|W026|$(ns network "/proc/$$/ns/../../$$/ns/net")"
        "ns-net-missing|W026|$(ns network /var/run/netns/ward-no-such-ns)"
        # -- seccomp by what it lets through -----------------------------------------------
        "seccomp-all-but-reboot|W041|$(seccomp SCMP_ACT_ALLOW '[{"names": ["reboot"], "action": "SCMP_ACT_ERRNO"}]')"
        "seccomp-allowlist-with-mount|W041|$(seccomp SCMP_ACT_ERRNO "[$ALLOW_BASICS, {\"names\": [\"mount\", \"setns\"], \"action\": \"SCMP_ACT_ALLOW\"}]")"
        "seccomp-clone-newuser|W041|$(seccomp SCMP_ACT_ERRNO "[$ALLOW_BASICS, {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 268435456, \"valueTwo\": 268435456, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]")"
        "seccomp-log-default|W041|$(seccomp SCMP_ACT_LOG '[{"names": ["reboot"], "action": "SCMP_ACT_KILL"}]')"
        "seccomp-unknown-action|W041|$(seccomp SCMP_ACT_SOMETHING_NEW '[]')"
        "seccomp-notify-mount|W041|$(seccomp SCMP_ACT_ERRNO "[$ALLOW_BASICS, {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_NOTIFY\"}]")"
        "seccomp-allowlist-control|-|$(seccomp SCMP_ACT_ERRNO "[$ALLOW_BASICS, {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 2114060288, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]")"
        # -- device cgroup rules by what they open -----------------------------------------
        "devices-every-char|W080|$(devices "[$DENY_ALL_DEV, {\"allow\": true, \"type\": \"c\", \"access\": \"rwm\"}]")"
        "devices-sda|W080|$(devices "[$DENY_ALL_DEV, {\"allow\": true, \"type\": \"b\", \"major\": 8, \"minor\": 0, \"access\": \"rw\"}]")"
        "devices-mem|W080|$(devices "[$DENY_ALL_DEV, {\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 1, \"access\": \"r\"}]")"
        "devices-all-then-deny-one|W080|$(devices '[{"allow": true, "access": "rwm"}, {"allow": false, "type": "b", "major": 8, "minor": 0, "access": "rwm"}]')"
        "devices-mknod-only-control|-|$(devices "[$DENY_ALL_DEV, {\"allow\": true, \"access\": \"m\"}]")"
        "devices-all-then-deny-all-control|-|$(devices '[{"allow": true, "access": "rwm"}, {"allow": false, "access": "rwm"}]')"
        # -- root.path ---------------------------------------------------------------------
        "root-slash|W071|{\"root\": {\"path\": \"/\", \"readonly\": true}}"
        "root-relative-dotdot|W071|{\"root\": {\"path\": \"../../../../../../../../../..\", \"readonly\": true}}"
        "root-symlink|W071|{\"root\": {\"path\": \"$WORK/root-link\", \"readonly\": true}}"
        # -- engine sockets by destination -------------------------------------------------
        "sock-dest-docker|W070|$(bind /tmp/x.sock /var/run/docker.sock '["rbind", "rw"]')"
        "sock-dest-podman|W070|$(bind "$WORK/p.sock" /run/podman/podman.sock '["rbind"]')"
        "sock-dest-containerd-dotdot|W070|$(bind "$WORK/c.sock" /run/x/../containerd/containerd.sock '["rbind"]')"
        "sock-dest-crio|W070|$(bind "$WORK/c.sock" //var/run/crio/crio.sock '["bind"]')"
        "sock-other-control|-|$(bind "$WORK/app.sock" /run/app/app.sock '["rbind"]')"
)

# The variants --policy podman allows because podman's own defaults give as much: it
# tolerates these calls where the kernel checks them (a filter allowing them outright, not
# through a supervisor), and runs containers in the host's user and cgroup namespaces,
# which a policy that allows the host's namespace lets a container join by path too.
declare -A PODMAN_WITHIN=(
        [seccomp-allowlist-with-mount]="podman's seccomp profile allows mount and setns"
        [seccomp-clone-newuser]="podman's seccomp profile allows clone with any flags"
        [ns-user-proc2]="podman's container is in the host's user namespace (root is the host's)"
        [ns-cgroup-proc2]="podman's container is in the host's cgroup namespace on cgroup v1"
)

# The calls profiles/podman.profile tolerates (podman's seccomp profile allows them whatever
# the capabilities), as a seccomp allowlist rule.
PODMAN_CALLS='"mount", "umount2", "umount", "pivot_root", "fsopen", "fsconfig", "fsmount", '
PODMAN_CALLS+='"fspick", "move_mount", "open_tree", "mount_setattr", "unshare", "clone", "clone3", '
PODMAN_CALLS+='"setns", "reboot", "ptrace", "process_vm_readv", "process_vm_writev", "keyctl", '
PODMAN_CALLS+='"name_to_handle_at", "syslog"'
podman_seccomp() { # podman_seccomp EXTRA_RULES_JSON: basics, podman's calls, then the extra
        seccomp SCMP_ACT_ERRNO "[$ALLOW_BASICS, {\"names\": [$PODMAN_CALLS], \"action\": \"SCMP_ACT_ALLOW\"}$1]"
}
caps() { # caps NAME...: every capability set holds these
        local list set out=
        list=$(printf '"CAP_%s", ' "$@")
        for set in bounding effective inheritable permitted ambient; do
                out+="${out:+, }\"$set\": [${list%, }]"
        done
        printf '{"process": {"capabilities": {%s}}}' "$out"
}
PODMAN_CAPS=(CHOWN DAC_OVERRIDE FOWNER FSETID KILL NET_BIND_SERVICE SETFCAP SETGID SETPCAP SETUID
        SYS_CHROOT)
PODMAN_MASKED='["/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", '
PODMAN_MASKED+='"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", '
PODMAN_MASKED+='"/sys/firmware", "/sys/fs/selinux", "/sys/dev/block"]'
PODMAN_RO='["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"'
rlimits() { # rlimits NOFILE NPROC
        printf '{"process": {"rlimits": [{"type": "RLIMIT_NOFILE", "hard": %s, "soft": %s}, {"type": "RLIMIT_NPROC", "hard": %s, "soft": %s}]}}' "$1" "$1" "$2" "$2"
}
NS_NO_USER_CGROUP='{"linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "network"}, {"type": "uts"}, {"type": "ipc"}]}}'

# A network and IPC namespace that is neither the host's nor missing, as podman's bridge
# network is: a sleeper's, in namespaces of its own (loopback only), ended at the end.
unshare --user --map-root-user --net --ipc sleep 600 &
NS_PID=$!
for _ in $(seq 50); do
        [ "$(readlink "/proc/$NS_PID/ns/net")" != "$(readlink /proc/self/ns/net)" ] && break
        sleep 0.1
done
if [ "$(readlink "/proc/$NS_PID/ns/net")" = "$(readlink /proc/self/ns/net)" ]; then
        fail "unshare --user --map-root-user --net --ipc: no namespace of its own (user namespaces disabled?)"
fi

# NAME|RULE|FRAGMENT as above, judged by --policy podman only: "-" is within it.
PODMAN_CASES=(
        "podman-join-netns|-|$(ns network "/proc/$NS_PID/ns/net")"
        "podman-join-ipc|W026|$(ns ipc "/proc/$NS_PID/ns/ipc")"
        "podman-join-netns-missing|W026|$(ns network /run/netns/ward-no-such-ns)"
        "podman-seccomp|-|$(podman_seccomp '')"
        "podman-seccomp-bpf|W041|$(podman_seccomp ', {"names": ["bpf"], "action": "SCMP_ACT_ALLOW"}')"
        "podman-seccomp-init-module|W041|$(podman_seccomp ', {"names": ["init_module", "finit_module"], "action": "SCMP_ACT_ALLOW"}')"
        "podman-seccomp-open-by-handle|W041|$(podman_seccomp ', {"names": ["open_by_handle_at"], "action": "SCMP_ACT_ALLOW"}')"
        "podman-seccomp-add-key|W042|$(podman_seccomp ', {"names": ["add_key"], "action": "SCMP_ACT_ALLOW"}')"
        "podman-seccomp-userfaultfd|W042|$(podman_seccomp ', {"names": ["userfaultfd"], "action": "SCMP_ACT_ALLOW"}')"
        "podman-seccomp-trace-mount|W041|$(seccomp SCMP_ACT_ERRNO "[$ALLOW_BASICS, {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_TRACE\"}]")"
        "podman-seccomp-notify-default|W041|$(seccomp SCMP_ACT_NOTIFY "[{\"names\": [$PODMAN_CALLS], \"action\": \"SCMP_ACT_ALLOW\"}]")"
        "podman-caps|-|$(caps "${PODMAN_CAPS[@]}")"
        "podman-caps-net-raw|W003|$(caps "${PODMAN_CAPS[@]}" NET_RAW)"
        "podman-caps-sys-ptrace|W002|$(caps "${PODMAN_CAPS[@]}" SYS_PTRACE)"
        "podman-masks|-|{\"linux\": {\"maskedPaths\": $PODMAN_MASKED, \"readonlyPaths\": $PODMAN_RO, \"/proc/asound\"]}}"
        "podman-masks-asound-writable|W090|{\"linux\": {\"maskedPaths\": $PODMAN_MASKED, \"readonlyPaths\": $PODMAN_RO]}}"
        "podman-masks-kcore|W090|{\"linux\": {\"maskedPaths\": [\"/proc/acpi\"], \"readonlyPaths\": $PODMAN_RO, \"/proc/asound\"]}}"
        "podman-rlimits|-|$(rlimits 1048576 4194304)"
        "podman-rlimits-nofile-above|W062|$(rlimits 1048577 4194304)"
        "podman-rlimits-nproc-none|W063|{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024}]}}"
        "podman-root-rw-no-nnp|-|{\"root\": {\"path\": \"rootfs\", \"readonly\": false}, \"process\": {\"noNewPrivileges\": false}}"
        "podman-host-user-cgroup|-|$NS_NO_USER_CGROUP"
        "podman-host-uts|W023|{\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"mount\"}, {\"type\": \"network\"}, {\"type\": \"ipc\"}]}}"
)

for c in "${CASES[@]}" "${PODMAN_CASES[@]}"; do
        IFS='|' read -r name rule frag <<<"$c"
        printf '%s\t%s\n' "$name" "$frag"
done >"$WORK/variants.tsv"
python3 "$WORK/variants.py" "$B" <"$WORK/variants.tsv" || fail "variants.py"
for c in "${CASES[@]}" "${PODMAN_CASES[@]}"; do
        IFS='|' read -r name rule _ <<<"$c"
        printf '{"ociVersion": "1.0.2", "id": "%s", "status": "creating", "pid": %d, "bundle": "%s"}\n' \
                "$name" $$ "$B/$name" >"$B/$name/state.json"
done

for c in "${CASES[@]}"; do
        IFS='|' read -r name rule _ <<<"$c"
        RUN_STDIN=$B/$name/state.json run_cmd "$WARD" hook --policy default
        hook_rc=$RC hook_err=$ERR
        run_cmd "$WARD" check --oci "$B/$name/config.json" --fail-on high
        if [ "$rule" = - ]; then
                assert_eq "$name (control): ward hook --policy default allows it" 0 "$hook_rc"
                assert_eq "$name (control): ward check --oci finds nothing high" 0 "$RC"
                continue
        fi
        assert_eq "$name: ward hook --policy default refuses it (exit 1)" 1 "$hook_rc"
        assert_contains "$name: the refusal names $rule" "$hook_err" "refused container $name: $rule "
        assert_eq "$name: ward check --oci --fail-on high fails (exit 1)" 1 "$RC"
        assert_match "$name: ward check --oci rates $rule high or critical" "$OUT" \
                "(^|"$'\n'")$rule (high|critical) "
done

# --policy podman: the same variants, and podman's own.
for c in "${CASES[@]}" "${PODMAN_CASES[@]}"; do
        IFS='|' read -r name rule _ <<<"$c"
        RUN_STDIN=$B/$name/state.json run_cmd "$WARD" hook --policy podman
        within=${PODMAN_WITHIN[$name]:-}
        if [ "$rule" = - ] || [ -n "$within" ]; then
                assert_eq "$name: ward hook --policy podman allows it${within:+ ($within)}" 0 "$RC"
                continue
        fi
        assert_eq "$name: ward hook --policy podman refuses it (exit 1)" 1 "$RC"
        assert_contains "$name: the podman refusal names $rule" "$ERR" \
                "refused container $name: $rule "
done
# What the podman policy's refusals say where it tolerates a call but not this way.
RUN_STDIN=$B/seccomp-notify-mount/state.json run_cmd "$WARD" hook --policy podman
assert_contains "notify mount under --policy podman: names the supervisor" "$ERR" \
        "[mount (the policy tolerates some only where no tracer or supervisor decides"
RUN_STDIN=$B/podman-seccomp-bpf/state.json run_cmd "$WARD" hook --policy podman
assert_contains "bpf under --policy podman: names bpf alone" "$ERR" "(high): the seccomp filter \
lets through system calls that reach past the sandbox (mount, new namespaces, setns, kernel \
modules, kexec, bpf, open_by_handle_at, raw I/O), or allows or only logs every call [bpf];"
# The default policy refuses a joined network namespace: the policies differ there.
RUN_STDIN=$B/podman-join-netns/state.json run_cmd "$WARD" hook --policy default
assert_eq "a joined network namespace: refused by --policy default (the control)" 1 "$RC"
assert_contains "a joined network namespace under --policy default: W026" "$ERR" \
        "refused container podman-join-netns: W026 "
kill "$NS_PID"
wait "$NS_PID" 2>/dev/null
# The default policy refuses podman's tolerated calls: the policies differ there.
RUN_STDIN=$B/podman-seccomp/state.json run_cmd "$WARD" hook --policy default
assert_eq "podman's tolerated calls: refused by --policy default (the control)" 1 "$RC"
assert_contains "podman's tolerated calls under --policy default: W041" "$ERR" \
        "refused container podman-seccomp: W041 "

# A policy's AllowCalls= fails closed: a name outside the judged calls is an error (exit 125,
# which refuses the container), and so is a misspelt key.
printf '[Policy]\nAllowCalls=mount bogus_call\n' >"$WORK/bad-calls.profile"
printf '[Policy]\nAllowCall=mount\n' >"$WORK/bad-key.profile"
chmod 644 "$WORK"/bad-*.profile
RUN_STDIN=$B/hardened/state.json run_cmd "$WARD" hook --policy "$WORK/bad-calls.profile"
assert_eq "AllowCalls=bogus_call: the hook fails (exit 125)" 125 "$RC"
assert_contains "AllowCalls=bogus_call: names the key and the word" "$ERR" \
        "bad-calls.profile:2: Policy.AllowCalls: \"bogus_call\" is not one of the dangerous system calls"
RUN_STDIN=$B/hardened/state.json run_cmd "$WARD" hook --policy "$WORK/bad-key.profile"
assert_eq "AllowCall= (misspelt): the hook fails (exit 125)" 125 "$RC"
assert_contains "AllowCall=: names the key" "$ERR" "Policy.AllowCall: unknown key"

# The findings say what the runtime will reach, not what config.json spells.
RUN_STDIN=$B/bind-tmp-dotdot/state.json run_cmd "$WARD" hook --policy default
assert_contains "bind /tmp/..: the refusal shows the source as /" "$ERR" "W071 host-root-bind (critical)"
assert_contains "bind /tmp/..: the source is judged as /" "$ERR" "; fix: remove the bind mount of /"
assert_contains "bind /tmp/..: [/]" "$ERR" "[/]"
run_cmd "$WARD" check --oci "$B/bind-symlink-etc/config.json"
assert_contains "bind through a symlink: the finding names /etc (rw)" "$OUT" "found: /etc (rw)"
run_cmd "$WARD" check --oci "$B/sock-dest-docker/config.json"
assert_contains "socket by destination: source and destination" "$OUT" \
        "found: /tmp/x.sock at /var/run/docker.sock (rw)"
run_cmd "$WARD" check --oci "$B/ns-net-proc2/config.json"
assert_contains "namespace path: the host's, by inode" "$OUT" "found: network /proc/2/ns/net (the host's)"
run_cmd "$WARD" check --oci "$B/seccomp-all-but-reboot/config.json"
assert_contains "seccomp allowing all but reboot: every call" "$OUT" \
        "found: every call not listed (the default action allows): mount umount2"
run_cmd "$WARD" check --oci "$B/seccomp-unknown-action/config.json"
assert_contains "seccomp with an unknown action: read as allowing, said" "$OUT" \
        "(unknown action SCMP_ACT_SOMETHING_NEW read as allowing)"
run_cmd "$WARD" check --oci "$B/devices-sda/config.json"
assert_contains "device 8:0: named" "$OUT" "device cgroup allows b 8:0 (SCSI/SATA disk)"
run_cmd "$WARD" check --oci "$B/root-slash/config.json"
assert_contains "root.path /: the root filesystem" "$OUT" "found: / (the root filesystem)"

finish
