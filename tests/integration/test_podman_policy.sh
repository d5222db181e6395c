#!/usr/bin/env bash
# The built-in policy `podman` against the config.json a real podman (Debian 12: podman 4.3,
# crun) writes, with ward hook as a hooks.d entry given with --hooks-dir:
#
# - `podman run IMAGE true` with podman's defaults passes --policy podman, and is refused
#   by --policy default (the control: the policies differ, in podman's capabilities, its
#   seccomp profile, root without a user namespace, its masked paths and rlimits);
# - the flags of examples/Dockerfile's header (--read-only --tmpfs /tmp --cap-drop ALL, as
#   the image's USER 10001) pass --policy podman, the policy the examples name;
# - --privileged, --cap-add SYS_ADMIN, -v /:/host, --security-opt seccomp=unconfined and
#   --network host are refused by --policy podman, each naming its rule, and their command
#   never runs;
# - a network namespace joined by path (--network ns:PATH, a sleeper's, as podman names
#   its default bridge network's namespace: this test may make no network) passes
#   --policy podman and is refused by --policy default;
# - --pid host, which podman refuses to start without cgroups (this test disables them to
#   keep off the host's tree), is judged on the default container's own config.json with
#   its pid namespace removed, which is what podman writes for --pid host.
#
# Every config.json is kept by a first hook (00-keep.json), so that a failure shows what
# ward check --oci finds in it.
#
# Host safety as in test_podman.sh: every podman command runs in a private mount namespace
# (unshare -m) where tmpfs mounts cover /sys/fs/cgroup, /var/lib and /dev, all of podman's
# state is under the work directory, the storage driver is vfs, and every container has
# --network none and --cgroups=disabled.

. "$(dirname "${BASH_SOURCE[0]}")/syslog_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/podman_lib.sh"

# podman_stage DIR: inside the private mount namespace, run the podman commands and record
# what happened (NAME.rc, NAME.out, NAME.err); the outer stage asserts.
podman_stage() {
        local w=$1 n
        . "$w/stage.env" || exit 1
        podman_private_host "$w"
        syslog_listen "$w/syslog"
        podman_use_config
        stage_cases
        pm rm -a -f -t 0 >/dev/null 2>&1
        sleep 0.2 # the last datagrams
        kill "$SYSLOG_PID"
        wait "$SYSLOG_PID" 2>/dev/null
        exit 0
}

# run_hooked NAME POLICY ARGS...: podman run ARGS under the hooks that run ward hook
# --policy POLICY, the container's id in $PT/NAME.cid; its command touches marks/NAME-ran.
run_hooked() {
        local name=$1 policy=$2
        shift 2
        PM_HOOKS=$PT/hooks-$policy case_run "$name" run --rm --pull=never \
                --network "${PM_NET:-none}" \
                --cgroups=disabled --cidfile "$PT/$name.cid" -v "$PT/marks:/marks:rw" "$@" \
                "$IMG" /bin/sh -c "touch /marks/$name-ran; echo ran"
}

stage_cases() {
        local header=(--read-only --tmpfs /tmp --cap-drop ALL --user 10001)
        case_run import import "$PT/busybox.tar" "$IMG"
        # podman's defaults: nothing but what the host's safety needs.
        run_hooked default podman
        run_hooked default-under-default default
        # examples/Dockerfile's header; USER 10001 is the image's.
        run_hooked header podman "${header[@]}"
        run_hooked privileged podman --privileged
        run_hooked cap-sys-admin podman --cap-add SYS_ADMIN
        run_hooked host-root podman -v /:/host
        run_hooked unconfined podman --security-opt seccomp=unconfined
        # A network namespace by path, as podman names its bridge network's to the runtime
        # (which needs a network this test may not make): a sleeper's, loopback only.
        unshare --net sleep 120 &
        local ns_pid=$!
        sleep 0.2
        PM_NET=ns:/proc/$ns_pid/ns/net run_hooked netns podman
        PM_NET=ns:/proc/$ns_pid/ns/net run_hooked netns-under-default default
        PM_NET=host run_hooked net-host podman
        kill "$ns_pid"
        wait "$ns_pid" 2>/dev/null
}

if [ "${1:-}" = --podman-stage ]; then
        W=$2
        podman_stage "$W"
fi

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "rootful podman: containers as root, a private mount namespace"
need_tools "podman crun python3 util-linux" podman crun python3 unshare
if ! unshare -m --propagation private true 2>/dev/null; then
        echo "1..0 # SKIP cannot create a mount namespace here (unshare -m)"
        exit 77
fi

# -- podman's world: configuration, state, hooks, an image -----------------------------------
PT=$WORK/podman
mkdir -p "$PT"/{tmp,net,no-cni,crun,no-hooks,hooks-podman,hooks-default,marks,configs,rootfs} ||
        exit 1
chmod 1777 "$PT/marks"
: >"$PT/stdin"
# The rlimits as in test_podman.sh: crun cannot raise a hard limit above the host's.
# podman's default capabilities are those of the distribution's containers.conf, which
# this test's own configuration replaces: carry them over.
CAPS=$(python3 -c 'import sys, tomllib
c = tomllib.load(open(sys.argv[1], "rb"))["containers"]["default_capabilities"]
print(", ".join("\"%s\"" % x for x in c))' /usr/share/containers/containers.conf 2>/dev/null)
if [ -z "$CAPS" ]; then
        echo "1..0 # SKIP no default_capabilities in /usr/share/containers/containers.conf \
(golang-github-containers-common): podman's defaults are then its built-in ones"
        exit 77
fi
podman_write_config "default_capabilities = [$CAPS]"

# The image: busybox, imported from a tarball (no registry, no build).
make_rootfs "$PT/rootfs"
tar -C "$PT/rootfs" -cf "$PT/busybox.tar" . || fail "the image's tarball"

# The hooks: 00-keep.json keeps each container's config.json; ward-policy.json runs this
# build's ward hook with the policy, at the stage and with the timeout of the shipped
# entry (examples/oci-hooks.d; not read here: the shipped one names one policy, this test
# both).
cat >"$PT/keep.py" <<'EOF'
import json, os, shutil, sys
st = json.load(sys.stdin)
shutil.copy(os.path.join(st["bundle"], "config.json"),
            os.path.join(sys.argv[1], st["id"] + ".json"))
EOF
for policy in podman default; do
        run_cmd python3 -c 'import json, sys
keep, ward, policy, configs, out = sys.argv[1:6]
def entry(path, args, **more):
    return {"version": "1.0.0", "hook": dict({"path": path, "args": args}, **more),
            "when": {"always": True}, "stages": ["createRuntime"]}
json.dump(entry(sys.executable, ["python3", keep, configs]), open(out + "/00-keep.json", "w"))
json.dump(entry(ward, ["ward", "hook", "--policy", policy], timeout=10),
          open(out + "/ward-policy.json", "w"))' "$PT/keep.py" "$WARD" "$policy" \
                "$PT/configs" "$PT/hooks-$policy"
        [ "$RC" = 0 ] || fail "the hooks.d entries for --policy $policy"
done

IMG=localhost/$TAG-busybox
cat >"$WORK/stage.env" <<EOF
PT=$(printf %q "$PT") TAG=$TAG IMG=$IMG
OUTER_MNTNS=$(printf %q "$(readlink /proc/self/ns/mnt)")
EOF

snapshot
T_TIMEOUT=180 run_cmd unshare -m --propagation private bash "${BASH_SOURCE[0]}" \
        --podman-stage "$WORK"
assert_eq "the podman stage ran to its end" 0 "$RC"
leftover_check "the podman stage"
LOG=$(cat "$WORK/syslog" 2>/dev/null)

cid() { cat "$PT/$1.cid" 2>/dev/null || echo NO-ID; }
ran() { [ -e "$PT/marks/$1-ran" ] && echo ran || echo "did not run"; }
# explain NAME: what ward check --oci finds in the container's config.json, for a failure.
explain() {
        "$WARD" check --oci "$PT/configs/$(cid "$1").json" 2>&1 | sed 's/^/#   /'
}

res import
assert_eq "podman import of the busybox image" 0 "$RC"
if [ "$RC" != 0 ]; then
        finish
fi

# allowed NAME POLICY LABEL: the container ran, and syslog says the hook allowed it.
allowed() {
        res "$1"
        assert_eq "$3: runs under --policy $2 (exit 0, its output)" "0 ran" "$RC $OUT" ||
                explain "$1"
        assert_eq "$3: its command ran" ran "$(ran "$1")"
        assert_contains "$3: syslog says --policy $2 allowed it" "$LOG" \
                "allowed container $(cid "$1") (bundle "
}

# refused NAME POLICY LABEL RULE_REGEX...: refused before its command ran, each rule in
# syslog for that container.
refused() {
        local name=$1 policy=$2 label=$3 rule lines
        shift 3
        res "$name"
        assert_ne "$label: refused by --policy $policy (podman exits non-zero)" 0 "$RC"
        assert_contains "$label: podman says the hook failed" "$ERR" \
                "error executing hook \`$WARD\`"
        assert_eq "$label: its command never ran" "did not run" "$(ran "$name")"
        lines=$(grep -F "$(cid "$name")" <<<"$LOG")
        for rule; do
                assert_match "$label: syslog names ${rule%% *}" "$lines" \
                        "ward-hook\\[[0-9]+\\]: refused container $(cid "$name"): $rule"
        done
        assert_match "$label: syslog has the verdict of policy $policy" "$lines" \
                "refused container $(cid "$name") \\(bundle [^)]*\\): [0-9]+ rules? of policy \
$policy violated"
}

echo "# podman's config.json, as ward check --oci sees it:"
explain default

allowed default podman "podman run IMAGE (podman's defaults)"
refused default-under-default default "control: podman's defaults" \
        'W041 seccomp-escape-calls' 'W042 seccomp-attack-surface' 'W010 root-without-userns'
allowed header podman "examples/Dockerfile's header flags"
refused privileged podman "--privileged" 'W00[12] ' 'W040 no-seccomp' 'W080 device-access'
refused cap-sys-admin podman "--cap-add SYS_ADMIN" 'W002 dangerous-capability \(high\): [^[]*\[SYS_ADMIN\]'
refused host-root podman "-v /:/host" 'W071 host-root-bind'
refused unconfined podman "--security-opt seccomp=unconfined" 'W040 no-seccomp'
allowed netns podman "--network ns:PATH (a network namespace podman did not make)"
refused netns-under-default default "control: --network ns:PATH" 'W026 joined-namespace'
refused net-host podman "--network host" 'W021 host-network'

# --pid host: the default container's config.json without its pid namespace, as podman
# writes it for --pid host, given to the hook as the runtime would (state on stdin).
# hook_bundle NAME JSON_EDIT: a bundle of the default container's config.json edited by
# the Python expression JSON_EDIT (on d), and the hook's verdict under --policy podman.
hook_bundle() {
        mkdir -p "$WORK/$1" || return
        python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); exec(sys.argv[2]); json.dump(d, open(sys.argv[3], "w"))' \
                "$PT/configs/$(cid default).json" "$2" "$WORK/$1/config.json"
        printf '{"ociVersion": "1.0.2", "id": "%s", "status": "creating", "bundle": "%s"}' \
                "$1" "$WORK/$1" >"$WORK/$1.state"
        RUN_STDIN=$WORK/$1.state run_cmd "$WARD" hook --policy podman
}
hook_bundle pid-host-control 'pass'
assert_eq "the default container's config.json, given to the hook again: allowed" 0 "$RC"
hook_bundle pid-host 'd["linux"]["namespaces"] = [n for n in d["linux"]["namespaces"] if n["type"] != "pid"]'
assert_eq "--pid host (no pid namespace): refused by --policy podman (exit 1)" 1 "$RC"
assert_contains "--pid host: the refusal names W020" "$ERR" "refused container pid-host: W020 host-pid"

finish
