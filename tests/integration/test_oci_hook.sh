#!/usr/bin/env bash
# ward hook under a real OCI runtime: crun (Debian's) runs bundles whose config.json lists
# `ward hook --policy default` as a createRuntime hook. A privileged config and one binding
# a docker.sock are refused (crun fails and never runs their process; the reasons reach
# syslog, since crun keeps only "error executing hook"), a hardened one starts and its
# process runs. A privileged config without the hook runs: the refusal is the hook's.
# An entrypoint (in-place) profile is no policy: `ward hook --policy entrypoint` refuses
# every container, one in the host's pid and network namespaces first of all (which runs
# without the hook, and which --policy default refuses for those namespaces); and a hook
# whose flag is abbreviated (--pol) refuses too, rather than guess.
#
# Host safety: crun runs in a private mount namespace (unshare -m) where a tmpfs covers
# /sys/fs/cgroup/unified (crun refuses a v1/v2 hybrid; --cgroup-manager=disabled writes no
# cgroup) and another covers /dev, carrying the host's null/zero/... nodes and a /dev/log
# socket this script listens on. crun's state lives in the test's directory. Every
# container has a user namespace mapping its root to host uid 2000000.

. "$(dirname "${BASH_SOURCE[0]}")/syslog_lib.sh"

# Stage 2, inside the private mount namespace: run the cases, record what happened.
# $2: the test's work directory. Prints nothing the outer stage relies on.
crun_stage() {
        local w=$1 n pid v id
        id=$(cat "$w/id")
        [ "$(readlink /proc/self/ns/mnt)" != "$(cat "$w/outer-mntns")" ] || {
                echo "still in the caller's mount namespace; not mounting" >&2
                exit 1
        }
        if mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
                mount -t tmpfs -o size=4k,mode=755 ward-test /sys/fs/cgroup/unified || exit 1
        fi
        mkdir -p "$w/dev" && mount -t tmpfs -o size=1m,mode=755 ward-test-dev "$w/dev" || exit 1
        # Fresh nodes, not binds of the host's: crun (1.8) fchowns its stdio (/dev/null
        # here) to the container's root, which would change the host's /dev/null.
        for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
                mknod -m 666 "$w/dev/${n%%:*}" c "$(cut -d: -f2 <<<"$n")" \
                        "$(cut -d: -f3 <<<"$n")" || exit 1
        done
        ln -s /proc/self/fd "$w/dev/fd"
        mount --move "$w/dev" /dev || exit 1

        # The syslog daemon: every datagram sent to /dev/log, one line each.
        syslog_listen "$w/syslog"
        pid=$SYSLOG_PID

        # The hook straight from a shell: its stderr, and the same lines in syslog.
        for n in direct:default direct-entrypoint:entrypoint; do
                "$WARD" hook --policy "${n#*:}" <"$w/state-${n%%:*}" \
                        >"$w/${n%%:*}.out" 2>"$w/${n%%:*}.err"
                echo $? >"$w/${n%%:*}.rc"
        done

        while read -r v; do
                timeout -s KILL 60 crun --root "$w/crun-state" --cgroup-manager=disabled \
                        run --bundle "$w/b-$v" "ward-it-$v-$id" \
                        </dev/null >"$w/$v.out" 2>"$w/$v.err"
                echo $? >"$w/$v.rc"
        done <"$w/cases"
        sleep 0.2 # the last datagrams
        kill "$pid"
        wait "$pid" 2>/dev/null
        exit 0
}
if [ "${1:-}" = --crun-stage ]; then
        crun_stage "$2"
fi

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for c in crun python3 unshare mountpoint; do
        if ! command -v "$c" >/dev/null; then
                echo "1..0 # SKIP $c is missing (apt-get install crun python3 util-linux)"
                exit 77
        fi
done
if [ "$(id -u)" != 0 ]; then
        echo "1..0 # SKIP crun runs these bundles as root only"
        exit 77
fi
if ! unshare -m --propagation private true 2>/dev/null; then
        echo "1..0 # SKIP cannot create a mount namespace here (unshare -m)"
        exit 77
fi

R=$WORK/rootfs
make_rootfs "$R"
# crun opens the rootfs as the container's root (host uid 2000000): let it through the
# work directory (traversal only).
chmod 711 "$WORK"
: >"$R/run/docker.sock" # the bind's target in the read-only image
: >"$WORK/docker.sock"  # the "engine socket" on the host: a plain file named like one
BUNDLE_PY=$WARD_SOURCE_DIR/tests/integration/oci_bundle.py
hook_json() { # hook_json FLAG POLICY: the createRuntime hook `ward hook FLAG POLICY`
        printf '{"path": "%s", "args": ["ward", "hook", "%s", "%s"], "timeout": 20}' "$WARD" "$1" "$2"
}

# Each case: NAME:VARIANT:HOOK FLAG:POLICY ("-": no hook at all, the controls).
CASES="hardened:hardened:--policy:default privileged:privileged:--policy:default
docker-sock:docker-sock:--policy:default privileged-nohook:privileged:-:-
host-ns-entrypoint:host-ns:--policy:entrypoint host-ns-default:host-ns:--policy:default
host-ns-nohook:host-ns:-:- abbreviated:hardened:--pol:default
tmp-dotdot:tmp-dotdot:--policy:default"
for c in $CASES; do
        IFS=: read -r v variant flag policy <<<"$c"
        mkdir -p "$WORK/b-$v"
        (cd "$WORK/b-$v" && crun spec) || fail "crun spec"
        python3 "$BUNDLE_PY" "$WORK/b-$v/config.json" "$R" "$variant" "$(hook_json "$flag" "$policy")" \
                ARGS="/bin/echo ran-$v" SOCK="$WORK/docker.sock" || fail "oci_bundle.py $v"
        [ "$flag" != - ] || python3 -c 'import json, sys
p = sys.argv[1]; d = json.load(open(p)); d.pop("hooks"); json.dump(d, open(p, "w"))' \
                "$WORK/b-$v/config.json"
        echo "$v"
done >"$WORK/cases"
printf '{"ociVersion": "1.0.2", "id": "direct", "pid": %d, "bundle": "%s"}' $$ \
        "$WORK/b-privileged" >"$WORK/state-direct"
printf '{"ociVersion": "1.0.2", "id": "direct-entrypoint", "pid": %d, "bundle": "%s"}' $$ \
        "$WORK/b-host-ns-entrypoint" >"$WORK/state-direct-entrypoint"

readlink /proc/self/ns/mnt >"$WORK/outer-mntns"
echo $$ >"$WORK/id"
snapshot
T_TIMEOUT=240 run_cmd unshare -m --propagation private bash "${BASH_SOURCE[0]}" --crun-stage "$WORK"
assert_eq "the crun stage ran to its end" 0 "$RC"
leftover_check "the crun stage"
LOG=$(cat "$WORK/syslog" 2>/dev/null)

rc() { cat "$WORK/$1.rc" 2>/dev/null || echo missing; }
# crun_result CASE: what the stage recorded, as run_cmd would have (for failure reports).
crun_result() {
        LAST_CMD="crun --root ... run --bundle $WORK/b-$1 (in the crun stage)"
        RC=$(rc "$1")
        OUT=$(cat "$WORK/$1.out" 2>/dev/null)
        ERR=$(cat "$WORK/$1.err" 2>/dev/null)
}

# -- the hook run by hand: stderr and syslog -----------------------------------------------
crun_result direct
assert_eq "hook by hand: privileged refused (exit 1)" 1 "$(rc direct)"
assert_contains "hook by hand: W001 on stderr" "$(cat "$WORK/direct.err")" \
        "ward hook: refused container direct: W001 privileged (critical)"
assert_match "hook by hand: the same line in syslog, facility authpriv, tag ward-hook" \
        "$LOG" "<84>[^>]* ward-hook\\[[0-9]+\\]: refused container direct: W001 privileged \\(critical\\)"

# -- crun ------------------------------------------------------------------------------------
crun_result hardened
assert_eq "crun: hardened bundle runs (exit 0)" 0 "$(rc hardened)"
assert_eq "crun: hardened bundle's process ran" "ran-hardened" "$(cat "$WORK/hardened.out")"
assert_contains "syslog: hardened allowed" "$LOG" \
        "allowed container ward-it-hardened-$$ (bundle $WORK/b-hardened) under policy default"

crun_result privileged
assert_ne "crun: privileged bundle refused (non-zero)" 0 "$(rc privileged)"
assert_eq "crun: privileged bundle's process never ran" "" "$(cat "$WORK/privileged.out")"
assert_contains "crun: says its hook failed" "$(cat "$WORK/privileged.err")" "hook"
assert_contains "syslog: privileged: W001" "$LOG" \
        "refused container ward-it-privileged-$$: W001 privileged (critical): every capability is kept"
assert_contains "syslog: privileged: W040" "$LOG" \
        "refused container ward-it-privileged-$$: W040 no-seccomp (high)"
assert_contains "syslog: privileged: the verdict" "$LOG" \
        "refused container ward-it-privileged-$$ (bundle $WORK/b-privileged): 5 rules of policy default violated"

crun_result docker-sock
assert_ne "crun: docker.sock bundle refused (non-zero)" 0 "$(rc docker-sock)"
assert_eq "crun: docker.sock bundle's process never ran" "" "$(cat "$WORK/docker-sock.out")"
assert_contains "syslog: docker.sock: W070 with the source" "$LOG" \
        "refused container ward-it-docker-sock-$$: W070 engine-socket (critical): a container engine's socket is bound in, and whoever reaches it can start a privileged container: that is root on the host [$WORK/docker.sock (rw)]"
assert_contains "syslog: docker.sock: the verdict" "$LOG" \
        "refused container ward-it-docker-sock-$$ (bundle $WORK/b-docker-sock): 1 rule of policy default violated"

# The host's / spelled /tmp/..: judged by where the runtime's mount(2) leads.
crun_result tmp-dotdot
assert_ne "crun: a bind of /tmp/.. refused (non-zero)" 0 "$RC"
assert_eq "crun: a bind of /tmp/..: its process never ran" "" "$OUT"
assert_contains "syslog: /tmp/..: W071 with the resolved source" "$LOG" \
        "refused container ward-it-tmp-dotdot-$$: W071 host-root-bind (critical): the host's root directory is bound in, so the sandbox reaches every host file [/]"
assert_contains "syslog: /tmp/..: the rules at once, first" "$LOG" \
        "refusing container ward-it-tmp-dotdot-$$ under policy default: W071 (details follow)"

crun_result privileged-nohook
assert_eq "control: the privileged bundle without the hook runs" \
        "0 ran-privileged-nohook" "$(rc privileged-nohook) $(cat "$WORK/privileged-nohook.out")"

# -- an entrypoint profile is no policy ------------------------------------------------------
# Its namespaces are the outer runtime's, all "the host's": read as the maximum, they would
# let a container share the host's pid and network namespaces.
UNSHARE_AT="<built-in>/entrypoint\\.profile:$(grep -n '^Unshare=none$' "$WARD_SOURCE_DIR/profiles/entrypoint.profile" | cut -d: -f1)"
NOT_A_POLICY="Namespaces\\.Unshare: policy entrypoint is an entrypoint-mode profile \\(Unshare=none\\): it says how ward hardens itself inside a container, not what a container may be given: as a policy it would let containers share the host's pid, network and every other namespace"
NOT_A_POLICY_FIX="give ward hook a policy that unshares namespaces: --policy default, or a copy of it"
crun_result direct-entrypoint
assert_eq "hook by hand --policy entrypoint: refused as a broken policy (exit 125)" 125 "$RC"
assert_match "hook by hand --policy entrypoint: the file:line, the key, why" "$ERR" \
        "^ward: error: [^ ]*$UNSHARE_AT: $NOT_A_POLICY"
assert_contains "hook by hand --policy entrypoint: the fix" "$ERR" "ward:   fix: $NOT_A_POLICY_FIX"
assert_match "syslog: --policy entrypoint: the error and its fix, facility authpriv" "$LOG" \
        "<83>[^>]* ward-hook\\[[0-9]+\\]: refused container direct-entrypoint: error: [^ ]*$UNSHARE_AT: $NOT_A_POLICY; fix: $NOT_A_POLICY_FIX"

crun_result host-ns-entrypoint
assert_ne "crun: host-ns bundle under --policy entrypoint refused (non-zero)" 0 "$RC"
assert_eq "crun: host-ns bundle under --policy entrypoint: its process never ran" "" "$OUT"
assert_contains "crun: host-ns bundle under --policy entrypoint: says its hook failed" "$ERR" "hook"
assert_not_contains "syslog: host-ns bundle not allowed under entrypoint" "$LOG" \
        "allowed container ward-it-host-ns-entrypoint-$$"
assert_contains "syslog: a broken policy's refusal still names the container" "$LOG" \
        "refused container ward-it-host-ns-entrypoint-$$: error: "
assert_eq "syslog: the policy refused twice (by hand, then under crun)" 2 \
        "$(printf '%s\n' "$LOG" | grep -c "error: [^ ]*$UNSHARE_AT: Namespaces.Unshare: policy entrypoint is")"

crun_result host-ns-default
assert_ne "crun: host-ns bundle under --policy default refused (non-zero)" 0 "$RC"
assert_eq "crun: host-ns bundle under --policy default: its process never ran" "" "$OUT"
assert_contains "syslog: host-ns under default: W020" "$LOG" \
        "refused container ward-it-host-ns-default-$$: W020 host-pid (high)"
assert_contains "syslog: host-ns under default: W021" "$LOG" \
        "refused container ward-it-host-ns-default-$$: W021 host-network (high)"
assert_contains "syslog: host-ns under default: the verdict" "$LOG" \
        "refused container ward-it-host-ns-default-$$ (bundle $WORK/b-host-ns-default): 2 rules of policy default violated"

crun_result host-ns-nohook
assert_eq "control: the host-ns bundle without the hook runs" "0 ran-host-ns-nohook" "$RC $OUT"

# -- flags are never abbreviated ---------------------------------------------------------------
# A flag added later must not change what a hooks.d entry means: --pol is refused, which
# refuses the container, and the journal says which flag was meant.
crun_result abbreviated
assert_ne "crun: a hook with --pol refused the container (non-zero)" 0 "$RC"
assert_eq "crun: a hook with --pol: the process never ran" "" "$OUT"
assert_contains "syslog: --pol: the flag it meant" "$LOG" \
        "refused container ward-it-abbreviated-$$: error: command line: --pol: unknown flag --pol; fix: did you mean --policy? (flags cannot be abbreviated)"

# -- the shipped hooks.d entry ----------------------------------------------------------------
run_cmd python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "1.0.0", d
assert d["hook"]["path"].startswith("/") and d["hook"]["args"][:3] == ["ward", "hook", "--policy"], d
a = d["hook"]["args"]
assert a[a.index("--log-file") + 1].startswith("/"), d
assert d["when"] == {"always": True} or "annotations" in d["when"], d
assert set(d["stages"]) <= {"prestart", "createRuntime"} and d["stages"], d
print("ok")' "$WARD_BUILD_DIR/examples/oci-hooks.d/ward-policy.json"
assert_eq "examples/oci-hooks.d/ward-policy.json(.in, configured) is a hooks.d 1.0.0 entry for ward hook" "ok" "$OUT"

finish
