#!/usr/bin/env bash
# ward check and ward hook without a runtime: the shipped profiles' scores (and that the
# README's table says the same), --format json read by python3, --fail-on exit codes, the
# hook's verdict and exceptions from state JSON on stdin, and hostile JSON (truncated,
# huge, deeply nested, wrong types, unknown fields, not a file) giving exit 125 with
# LINE:COLUMN or the JSON path, never a crash.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v python3 >/dev/null; then
        echo "1..0 # SKIP python3 is missing (apt-get install python3)"
        exit 77
fi
BUNDLE_PY=$WARD_SOURCE_DIR/tests/integration/oci_bundle.py
PROFILES=$WARD_SOURCE_DIR/profiles

# -- ward check on the shipped profiles --------------------------------------------------
run_cmd "$WARD" check --list-rules
assert_eq "--list-rules: exit 0" 0 "$RC"
assert_eq "--list-rules: 33 rules" 33 "$(printf '%s\n' "$OUT" | grep -c '^W[0-9][0-9][0-9] ')"
assert_contains "--list-rules: the engine socket rule" "$OUT" "W070 critical engine-socket"
assert_contains "--list-rules: the in-place note" "$OUT" "W110 info     outer-container"

run_cmd "$WARD" check --profile default
assert_eq "check default: exit 0" 0 "$RC"
assert_match "check default: an exposure line" "$OUT" $'\nexposure: [0-9]+\\.[0-9]/10 (OK|MEDIUM|EXPOSED|UNSAFE) '
assert_contains "check default: no memory limit is a finding" "$OUT" "W060 medium   no-memory-limit"
assert_contains "check default: the fix is a profile key" "$OUT" "fix: set Resources.Memory="

# Every shipped profile: JSON with a number score in 0..10 and a list of findings, and the
# same score in the README's table.
readme_scores=$(sed -n 's/^| `\([^`]*\)` | \([0-9.]*\) | .*/\1 \2/p' "$WARD_SOURCE_DIR/README.md")
for p in "$PROFILES"/*.profile "$PROFILES"/examples/*.profile; do
        name=${p#"$PROFILES"/}
        name=${name%.profile}
        run_cmd "$WARD" check --profile "$p" --format json
        assert_eq "check $name --format json: exit 0" 0 "$RC"
        score=$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d["score"], (int, float)) and not isinstance(d["score"], bool), d["score"]
assert 0 <= d["score"] <= 10, d["score"]
assert isinstance(d["findings"], list)
for f in d["findings"]:
    assert set(("id", "severity", "reason", "fix")) <= set(f), f
    assert f["severity"] in ("info", "low", "medium", "high", "critical"), f
print("%.1f" % d["score"])' 2>&1)
        assert_match "check $name: JSON score is a number, findings a list" "$score" '^[0-9]+\.[0-9]$'
        assert_contains "README lists $name with score $score" "$readme_scores" "$name $score"
done

# -- entrypoint mode: what the outer container decides is not the host's exposure ---------
run_cmd "$WARD" check --profile entrypoint
assert_eq "check entrypoint: exit 0" 0 "$RC"
for id in W010 W011 W020 W021 W022 W023 W024 W025 W026 W060 W061 W064 W090; do
        assert_not_contains "check entrypoint: no $id finding" "$OUT" $'\n'"$id "
done
assert_contains "check entrypoint: the outer-container note" "$OUT" "W110 info     outer-container: "
assert_contains "check entrypoint: the note names what is not judged" "$OUT" \
        "found: Unshare=none (not judged: W010 W011 W020 W021 W022 W023 W024 W025 W026 W060 W061 W064 W090)"
assert_contains "check entrypoint: the note says where to look" "$OUT" "ward check --oci path/to/config.json"
assert_contains "check entrypoint: ward's own gap stays (no RLIMIT_NPROC)" "$OUT" "W063 low"
assert_contains "check entrypoint: 0.1, the note not scored" "$OUT" \
        "exposure: 0.1/10 OK (0 critical, 0 high, 0 medium, 1 low; 1 info, not scored)"
run_cmd "$WARD" check --profile entrypoint --format json
assert_eq "check entrypoint --format json: score and findings" "0.1 OK W063:low W110:info Unshare=none" \
        "$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
note = [f for f in d["findings"] if f["id"] == "W110"][0]
assert "ward hook --policy" in note["fix"], note
print(d["score"], d["rating"], *["%s:%s" % (f["id"], f["severity"]) for f in d["findings"]],
      note["detail"].split(" ")[0])')"
# Only the note left: --fail-on low (the lowest it takes) passes; info is not a threshold.
printf '[Resources]\nLimitNPROC=512\n' >"$WORK/nproc.profile"
run_cmd "$WARD" check --profile entrypoint --profile "$WORK/nproc.profile" --fail-on low
assert_eq "entrypoint + LimitNPROC --fail-on low: the info note does not fail (exit 0)" 0 "$RC"
assert_contains "entrypoint + LimitNPROC: 0.0" "$OUT" "exposure: 0.0/10 OK"
run_cmd "$WARD" check --profile entrypoint --fail-on info
assert_eq "--fail-on info: exit 125" 125 "$RC"
# In place does not excuse ward's own protections.
printf '[Process]\nNoNewPrivileges=no\n' >"$WORK/nnp.profile"
run_cmd "$WARD" check --profile entrypoint --profile "$WORK/nnp.profile" --fail-on medium
assert_eq "entrypoint without no_new_privs --fail-on medium: exit 1" 1 "$RC"
assert_contains "entrypoint without no_new_privs: W050" "$OUT" "W050 medium   no-new-privs"
# Control: the same profile with namespaces of its own is judged for what it lacks.
printf '[Namespaces]\nUnshare=user\n' >"$WORK/userns.profile"
run_cmd "$WARD" check --profile entrypoint --profile "$WORK/userns.profile"
assert_contains "entrypoint + Unshare=user: W020 host-pid" "$OUT" "W020 high     host-pid"
assert_contains "entrypoint + Unshare=user: W060" "$OUT" "W060 medium   no-memory-limit"
assert_not_contains "entrypoint + Unshare=user: no in-place note" "$OUT" "W110"
printf '[Namespaces]\nUnshare=user pid mount\n' >"$WORK/ns3.profile"
run_cmd "$WARD" check --profile entrypoint --profile "$WORK/ns3.profile"
assert_not_contains "entrypoint + Unshare=user pid mount: no W020" "$OUT" $'\nW020 '
assert_contains "entrypoint + Unshare=user pid mount: W021 host-network" "$OUT" "W021 high     host-network"

# --fail-on: the default profile has medium findings and nothing high.
run_cmd "$WARD" check --profile default --fail-on medium
assert_eq "--fail-on medium with medium findings: exit 1" 1 "$RC"
run_cmd "$WARD" check --profile default --fail-on high
assert_eq "--fail-on high without high findings: exit 0" 0 "$RC"
run_cmd "$WARD" check --profile default --fail-on severe
assert_eq "--fail-on severe: exit 125" 125 "$RC"
assert_contains "--fail-on severe: the choices" "$ERR" "low, medium, high, critical"
run_cmd "$WARD" check
assert_eq "check without --profile/--oci: exit 125" 125 "$RC"
run_cmd "$WARD" check --profile default --oci /dev/null
assert_eq "check with both --profile and --oci: exit 125" 125 "$RC"
run_cmd "$WARD" check --profile no-such-profile
assert_eq "check of a missing profile: exit 125" 125 "$RC"
# The flags follow ward run's rules: no GNU abbreviations (a flag added later must not
# change what a CI script's command line means), the closest flag as the fix.
run_cmd "$WARD" check --prof default
assert_eq "check --prof: exit 125" 125 "$RC"
assert_contains "check --prof: not abbreviated" "$ERR" "did you mean --profile? (flags cannot be abbreviated)"
run_cmd "$WARD" check --profile default --fail-no high
assert_eq "check --fail-no: exit 125" 125 "$RC"
assert_contains "check --fail-no: the closest flag" "$ERR" "did you mean --fail-on? (ward check --help lists every flag)"
run_cmd "$WARD" check --list-rules=yes
assert_contains "check --list-rules=yes: takes no value" "$ERR" "--list-rules takes no value"
run_cmd "$WARD" check --profile
assert_contains "check --profile: needs a value" "$ERR" "--profile needs a value"
run_cmd "$WARD" help check
assert_contains "ward help check" "$OUT" "Usage: ward check"
run_cmd "$WARD" hook --help
assert_contains "ward hook --help" "$OUT" "Usage: ward hook"

# A profile that keeps SYS_ADMIN and binds docker.sock: critical and high findings.
cat >"$WORK/loose.profile" <<'EOF'
[Process]
Capabilities=SYS_ADMIN
[Filesystem]
Bind=/var/run/docker.sock /var/run/docker.sock rw
EOF
run_cmd "$WARD" check --profile "$WORK/loose.profile" --fail-on critical
assert_eq "loose profile --fail-on critical: exit 1" 1 "$RC"
# The source as mount(2) reaches it: /var/run is a symlink to /run on most hosts.
assert_contains "loose profile: W070 with the socket, resolved" "$OUT" \
        "found: $(readlink -f /var/run)/docker.sock (rw)"
assert_contains "loose profile: W002 with the capability" "$OUT" "found: SYS_ADMIN"
assert_match "loose profile: a critical finding scores at least 9.0" "$OUT" "exposure: (9\\.[0-9]|10\\.0)/10 UNSAFE"

# -- OCI configs -------------------------------------------------------------------------
# A small stand-in for `crun spec`, turned into the test bundles by oci_bundle.py.
base_config() {
        cat >"$1" <<'EOF'
{"ociVersion": "1.0.2",
 "process": {"args": ["sh"], "capabilities": {}},
 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
 "linux": {"maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
   "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
   "/sys/firmware", "/proc/scsi"],
  "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]}}
EOF
}
HOOK='{"path": "/bin/true"}'
: >"$WORK/docker.sock"
for v in hardened privileged docker-sock host-ns; do
        mkdir -p "$WORK/b-$v/rootfs"
        base_config "$WORK/b-$v/config.json"
        python3 "$BUNDLE_PY" "$WORK/b-$v/config.json" rootfs "$v" "$HOOK" SOCK="$WORK/docker.sock" ||
                fail "oci_bundle.py $v"
done

run_cmd "$WARD" check --oci "$WORK/b-hardened/config.json" --format json
assert_eq "check --oci hardened: exit 0" 0 "$RC"
assert_eq "check --oci hardened: only the missing cgroup limits" "0.5 W060 W061 W064" \
        "$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["score"], *[f["id"] for f in d["findings"]])')"
run_cmd "$WARD" check --oci "$WORK/b-privileged/config.json" --fail-on critical
assert_eq "check --oci privileged --fail-on critical: exit 1" 1 "$RC"
assert_contains "check --oci privileged: W001" "$OUT" "W001 critical privileged"
assert_contains "check --oci privileged: the fix is an OCI field" "$OUT" "fix: drop --privileged"
run_cmd "$WARD" check --oci "$WORK/b-docker-sock/config.json" --format json
assert_contains "check --oci docker-sock: W070 names the source" "$OUT" "\"detail\": \"$WORK/docker.sock (rw)\""

# -- hostile JSON ------------------------------------------------------------------------
H=$WORK/hostile
mkdir -p "$H"
head -c 150 "$WORK/b-hardened/config.json" >"$H/truncated.json"
run_cmd "$WARD" check --oci "$H/truncated.json"
assert_eq "truncated: exit 125" 125 "$RC"
assert_match "truncated: FILE:LINE:COLUMN" "$ERR" "truncated\\.json:[0-9]+:[0-9]+: invalid JSON"

python3 -c 'import sys; sys.stdout.write("{\"a\": \"" + "x" * (5 << 20) + "\"}")' >"$H/huge.json"
run_cmd "$WARD" check --oci "$H/huge.json"
assert_eq "huge (5 MiB): exit 125" 125 "$RC"
assert_contains "huge: the limit" "$ERR" "larger than 4194304 bytes"

python3 -c 'import sys; sys.stdout.write("{\"a\": " + "[" * 200000 + "]" * 200000 + "}")' >"$H/deep.json"
run_cmd "$WARD" check --oci "$H/deep.json"
assert_eq "200000 levels deep: exit 125" 125 "$RC"
assert_match "deep: FILE:LINE:COLUMN" "$ERR" "deep\\.json:1:[0-9]+: invalid JSON"

printf '{"process": {"user": {"uid": "root"}}}' >"$H/types.json"
run_cmd "$WARD" check --oci "$H/types.json"
assert_eq "wrong type: exit 125" 125 "$RC"
assert_contains "wrong type: the JSON path" "$ERR" "process.user.uid: expected a number, got a string"

printf '{"linux": {"namespaces": [{"type": "pid"}, "network"]}}' >"$H/types2.json"
run_cmd "$WARD" check --oci "$H/types2.json"
assert_contains "wrong element type: the index" "$ERR" "linux.namespaces[1]: expected an object"

printf '{"mounts": [{"destination": "/tmp", "type": "tmpfs", "options": ["nosuid", 5]}]}' \
    >"$H/types3.json"
run_cmd "$WARD" check --oci "$H/types3.json"
assert_contains "wrong mount option type: the whole path" "$ERR" \
    "mounts[0].options[1]: expected a string, got a number"

printf '{"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [5]}}}' \
    >"$H/types4.json"
run_cmd "$WARD" check --oci "$H/types4.json"
assert_contains "wrong seccomp rule type: the whole path" "$ERR" \
    "linux.seccomp.syscalls[0]: expected an object, got a number"

printf '{"process": {}, "process": {"noNewPrivileges": true}}' >"$H/dup.json"
run_cmd "$WARD" check --oci "$H/dup.json"
assert_eq "duplicate key: exit 125" 125 "$RC"
assert_contains "duplicate key: named" "$ERR" "duplicate object key"

printf '{"futureThing": {"x": [1, {"y": null}]}, "process": {"whatever": 1}, "linux": {"intelRdt": {}}}' >"$H/unknown.json"
run_cmd "$WARD" check --oci "$H/unknown.json"
assert_eq "unknown fields are ignored: exit 0" 0 "$RC"

printf '[]' >"$H/array.json"
run_cmd "$WARD" check --oci "$H/array.json"
assert_eq "top level not an object: exit 125" 125 "$RC"

run_cmd "$WARD" check --oci "$H"
assert_eq "a directory: exit 125" 125 "$RC"
mkfifo "$H/fifo.json"
run_cmd "$WARD" check --oci "$H/fifo.json"
assert_eq "a FIFO: exit 125, without waiting for a writer" 125 "$RC"
assert_contains "a FIFO: not a regular file" "$ERR" "not a regular file"

# -- ward hook, fed state JSON as a runtime would ----------------------------------------
state() { # state FILE BUNDLE [ANNOTATIONS_JSON]
        local ann='{}'
        [ $# -ge 3 ] && ann=$3
        printf '{"ociVersion": "1.0.2", "id": "t-%s", "status": "creating", "pid": %d, "bundle": "%s", "annotations": %s}\n' \
                "${2##*/}" $$ "$2" "$ann" >"$1"
}
hook() { # hook STATE_FILE POLICY
        RUN_STDIN=$1 run_cmd "$WARD" hook --policy "$2"
}

state "$WORK/s-hardened" "$WORK/b-hardened"
hook "$WORK/s-hardened" default
assert_eq "hook: hardened bundle allowed under default (exit 0)" 0 "$RC"
assert_eq "hook: nothing on stderr when allowed" "" "$ERR"

state "$WORK/s-privileged" "$WORK/b-privileged"
hook "$WORK/s-privileged" default
assert_eq "hook: privileged refused (exit 1)" 1 "$RC"
assert_contains "hook: privileged: W001 on stderr" "$ERR" "ward hook: refused container t-b-privileged: W001 privileged (critical): "
assert_eq "hook: one line per violated rule, then the verdict" \
        "W001 W040 W050 W080 W090 5" \
        "$(printf '%s\n' "$ERR" | sed -n 's/^ward hook: refused container [^:]*: \(W[0-9]*\) .*/\1/p' | tr '\n' ' ')$(printf '%s\n' "$ERR" | sed -n 's/.*: \([0-9]*\) rules of policy default violated$/\1/p')"

assert_eq "hook: the first line names every rule at once" \
        "ward hook: refusing container t-b-privileged under policy default: W001 W040 W050 W080 W090 (details follow)" \
        "$(printf '%s\n' "$ERR" | head -n 1)"

# Audit mode: the same verdict, logged as what would be refused; the container runs.
RUN_STDIN=$WORK/s-privileged run_cmd "$WARD" hook --policy default --mode audit
assert_eq "hook --mode audit: privileged allowed (exit 0)" 0 "$RC"
assert_contains "hook --mode audit: the rules it would refuse, first" "$(printf '%s\n' "$ERR" | head -n 1)" \
        "ward hook: audit mode, would refuse container t-b-privileged under policy default: W001 W040 W050 W080 W090"
assert_contains "hook --mode audit: each rule" "$ERR" \
        "ward hook: would refuse container t-b-privileged: W001 privileged (critical): "
assert_contains "hook --mode audit: the verdict" "$ERR" \
        "5 rules of policy default violated (audit mode: allowed)"
RUN_STDIN=$WORK/s-hardened run_cmd "$WARD" hook --policy default --mode audit
assert_eq "hook --mode audit: hardened allowed, nothing said" "0 " "$RC $ERR"
RUN_STDIN=$WORK/s-hardened run_cmd "$WARD" hook --policy default --mode enforce
assert_eq "hook --mode enforce: hardened allowed" 0 "$RC"
RUN_STDIN=$WORK/s-privileged run_cmd "$WARD" hook --policy default --mode enforce
assert_eq "hook --mode enforce: privileged refused" 1 "$RC"
printf '{"id": "gone", "bundle": "%s/no-such-bundle"}' "$WORK" >"$WORK/s-gone"
RUN_STDIN=$WORK/s-gone run_cmd "$WARD" hook --policy default --mode audit
assert_eq "hook --mode audit: an unreadable bundle is logged, the container runs" 0 "$RC"
assert_contains "hook --mode audit: the error" "$ERR" "cannot open the bundle"
assert_contains "hook --mode audit: allowed despite the error" "$ERR" \
        "ward hook: audit mode: container gone allowed despite the error"
RUN_STDIN=$WORK/s-privileged run_cmd "$WARD" hook --policy default --mode audit --bogus
assert_eq "hook --mode audit with a bad flag: refused all the same (125)" 125 "$RC"
RUN_STDIN=$WORK/s-hardened run_cmd "$WARD" hook --policy default --mode permissive
assert_eq "hook --mode permissive: 125" 125 "$RC"
assert_contains "hook --mode permissive: the choices" "$ERR" "--mode \"permissive\": use enforce or audit"

state "$WORK/s-sock" "$WORK/b-docker-sock"
hook "$WORK/s-sock" default
assert_eq "hook: docker.sock bind refused (exit 1)" 1 "$RC"
assert_contains "hook: docker.sock: W070 with the source" "$ERR" "W070 engine-socket (critical): "
assert_contains "hook: docker.sock: the source path" "$ERR" "[$WORK/docker.sock (rw)]"

# Exceptions: the annotation waives a rule only where the policy allows it.
cat >"$WORK/sock-ok.profile" <<EOF
[Profile]
Include=$PROFILES/default.profile
[Policy]
AllowExceptions=W070
EOF
state "$WORK/s-sock-ex" "$WORK/b-docker-sock" '{"org.ward.exception": "W070"}'
hook "$WORK/s-sock-ex" default
assert_eq "hook: exception the policy does not allow: still refused" 1 "$RC"
assert_contains "hook: says the policy allows no exception" "$ERR" \
        "exception for W070 requested by org.ward.exception, but policy default allows no exception for it"
hook "$WORK/s-sock-ex" "$WORK/sock-ok.profile"
assert_eq "hook: exception the policy allows: exit 0" 0 "$RC"
hook "$WORK/s-sock" "$WORK/sock-ok.profile"
assert_eq "hook: an allowed exception still needs the annotation" 1 "$RC"
state "$WORK/s-priv-ex" "$WORK/b-privileged" '{"org.ward.exception": "engine-socket,W001"}'
hook "$WORK/s-priv-ex" "$WORK/sock-ok.profile"
assert_eq "hook: an exception covers only the rules it names" 1 "$RC"
assert_contains "hook: W001 not waived" "$ERR" "W001 privileged"

# A policy NAME never comes from the directory the hook runs in (a runtime may use the
# bundle, which the container's creator writes).
mkdir -p "$WORK/cwd"
printf '[Process]\nCapabilities=ALL\n' >"$WORK/cwd/default.profile"
cd "$WORK/cwd" || fail "cd $WORK/cwd"
RUN_STDIN=$WORK/s-privileged run_cmd "$WARD" hook --policy default
cd - >/dev/null || fail "cd back"
assert_contains "hook: default.profile in the cwd is not the policy" "$ERR" "W001 privileged"

# Bad state and bundles: exit 125, which refuses the container too.
printf '{"id": "x", "bundle": "rel/dir"}' >"$WORK/s-rel"
hook "$WORK/s-rel" default
assert_eq "hook: relative bundle: 125" 125 "$RC"
assert_contains "hook: relative bundle: said" "$ERR" "bundle: not an absolute path"
printf '{"id": "x", "bundle": "/"' >"$WORK/s-trunc"
hook "$WORK/s-trunc" default
assert_eq "hook: truncated state: 125" 125 "$RC"
assert_match "hook: truncated state: LINE:COLUMN" "$ERR" "OCI state \\(stdin\\):1:[0-9]+: invalid JSON"
printf '{"id": "x", "bundle": 7}' >"$WORK/s-type"
hook "$WORK/s-type" default
assert_eq "hook: bundle not a string: 125" 125 "$RC"
state "$WORK/s-none" "$WORK/no-such-bundle"
hook "$WORK/s-none" default
assert_eq "hook: missing bundle: 125" 125 "$RC"
mkdir -p "$WORK/b-link"
ln -s ../b-hardened/config.json "$WORK/b-link/config.json"
state "$WORK/s-link" "$WORK/b-link"
hook "$WORK/s-link" default
assert_eq "hook: config.json a symlink: 125" 125 "$RC"
assert_contains "hook: config.json a symlink: said" "$ERR" "symbolic link"
hook "$WORK/s-hardened" no-such-policy
assert_eq "hook: missing policy: 125" 125 "$RC"
RUN_STDIN=/dev/null run_cmd "$WARD" hook
assert_eq "hook without --policy: 125" 125 "$RC"
assert_contains "hook without --policy: said" "$ERR" "--policy NAME|FILE is required"

# An entrypoint (in-place) profile is no policy: its namespaces are the outer runtime's,
# and read as the maximum they would let a container share the host's pid and network.
state "$WORK/s-host-ns" "$WORK/b-host-ns"
hook "$WORK/s-host-ns" default
assert_eq "hook: host pid and network refused under default (exit 1)" "1 W020 W021" \
        "$RC $(printf '%s\n' "$ERR" | sed -n 's/^ward hook: refused container [^:]*: \(W[0-9]*\) .*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
at=$(grep -n '^Unshare=none$' "$PROFILES/entrypoint.profile" | cut -d: -f1)
for st in s-host-ns s-hardened; do
        hook "$WORK/$st" entrypoint
        assert_eq "hook --policy entrypoint ($st): refused as a broken policy (exit 125)" 125 "$RC"
        assert_contains "hook --policy entrypoint ($st): the file:line and key" "$ERR" \
                "ward: error: <built-in>/entrypoint.profile:$at: Namespaces.Unshare: policy entrypoint is an entrypoint-mode profile (Unshare=none)"
        assert_contains "hook --policy entrypoint ($st): the fix" "$ERR" \
                "ward:   fix: give ward hook a policy that unshares namespaces: --policy default, or a copy of it"
        # (stderr may end with the note that no log sink exists: not a verdict)
        assert_not_contains "hook --policy entrypoint ($st): no verdict on the container" "$ERR" \
                "ward hook: refus"
done
# Unshare=none wherever it is set, here on top of the default profile.
printf '[Profile]\nInclude=%s/default.profile\n[Namespaces]\nUnshare=none\n' "$PROFILES" >"$WORK/in-place.profile"
hook "$WORK/s-host-ns" "$WORK/in-place.profile"
assert_eq "hook: default + Unshare=none as policy: 125" 125 "$RC"
assert_contains "hook: default + Unshare=none: blamed where it is set" "$ERR" \
        "ward: error: $WORK/in-place.profile:4: Namespaces.Unshare: policy $WORK/in-place.profile is an entrypoint-mode profile"
# The entrypoint profile given namespaces of its own is a policy again, and judges them.
printf '[Profile]\nInclude=%s/entrypoint.profile\n[Namespaces]\nUnshare=user pid net\n' "$PROFILES" >"$WORK/ep-ns.profile"
hook "$WORK/s-host-ns" "$WORK/ep-ns.profile"
assert_eq "hook: entrypoint + Unshare=user pid net as policy: host pid refused (exit 1)" 1 "$RC"
assert_contains "hook: entrypoint + namespaces: W020" "$ERR" "W020 host-pid (high)"

# The flags follow ward run's rules: no abbreviation (a hooks.d entry must keep its
# meaning when a flag is added), the closest flag as the fix.
hook "$WORK/s-hardened" default
assert_eq "hook --policy default: the hardened bundle allowed (control)" 0 "$RC"
RUN_STDIN=$WORK/s-hardened run_cmd "$WARD" hook --pol default
assert_eq "hook --pol: exit 125, which refuses the container" 125 "$RC"
assert_contains "hook --pol: not abbreviated" "$ERR" \
        "ward: error: command line: --pol: unknown flag --pol"
assert_contains "hook --pol: the flag meant" "$ERR" "did you mean --policy? (flags cannot be abbreviated)"
RUN_STDIN=$WORK/s-hardened run_cmd "$WARD" hook --polcy default
assert_contains "hook --polcy: the closest flag" "$ERR" "did you mean --policy? (ward hook --help lists every flag)"
RUN_STDIN=/dev/null run_cmd "$WARD" hook --policy
assert_contains "hook --policy: needs a value" "$ERR" "--policy needs a value"
RUN_STDIN=/dev/null run_cmd "$WARD" hook --help=yes
assert_contains "hook --help=yes: takes no value" "$ERR" "--help takes no value"
RUN_STDIN=/dev/null run_cmd "$WARD" hook --policy default extra
assert_eq "hook with an extra argument: 125" 125 "$RC"
assert_contains "hook with an extra argument: said" "$ERR" "unexpected argument \"extra\""

finish
