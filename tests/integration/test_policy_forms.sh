#!/usr/bin/env bash
# One set of facts for a profile and for its OCI form: `ward check --profile P` and
# `ward check --oci` on the config.json `ward spec --profile P` writes must give the same
# findings (ids and severities) and the same score. A property over every shipped profile
# that has an OCI form and over generated ones, each a single change on top of default
# and some combinations.
#
# Not compared, with the reason asserted: a profile with Landlock=yes (ward spec refuses it:
# the spec has no field for it) and the entrypoint profile (in place, its namespaces and
# limits are the outer runtime's, W110, while a config.json is never in place).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v python3 >/dev/null; then
        echo "1..0 # SKIP python3 is missing (apt-get install python3)"
        exit 77
fi
PROFILES=$WARD_SOURCE_DIR/profiles

# findings FILE: "SCORE ID:SEVERITY ..." of ward check's JSON on stdin.
findings() {
        python3 -c '
import json, sys
d = json.load(sys.stdin)
print("%.1f" % d["score"], *sorted("%s:%s" % (f["id"], f["severity"]) for f in d["findings"]))'
}

# same_facts NAME PROFILE...: both forms give the same findings and score.
same_facts() {
        local name=$1 p args=() spec
        shift
        for p in "$@"; do args+=(--profile "$p"); done
        run_cmd "$WARD" check "${args[@]}" --format json
        assert_eq "$name: ward check --profile runs" 0 "$RC"
        local from_profile
        from_profile=$(printf '%s' "$OUT" | findings)
        spec=$WORK/spec-$RANDOM.json
        run_cmd "$WARD" spec "${args[@]}" -- /bin/true
        assert_eq "$name: ward spec runs" 0 "$RC"
        printf '%s\n' "$OUT" >"$spec"
        run_cmd "$WARD" check --oci "$spec" --format json
        assert_eq "$name: ward check --oci of its spec runs" 0 "$RC"
        assert_eq "$name: the same findings and score from the profile and from its config.json" \
                "$from_profile" "$(printf '%s' "$OUT" | findings)"
}

# -- every shipped profile that has an OCI form ------------------------------------------
for p in "$PROFILES"/*.profile "$PROFILES"/examples/*.profile; do
        name=${p#"$PROFILES"/}
        name=${name%.profile}
        if grep -q '^Unshare=none' "$p"; then
                run_cmd "$WARD" check --profile "$p"
                assert_contains "$name: in place, not compared (W110)" "$OUT" "W110 info"
                continue
        fi
        if grep -q '^Landlock=yes' "$p"; then
                run_cmd "$WARD" spec --profile "$p" -- /bin/true
                assert_eq "$name: ward spec refuses Landlock=yes (not compared)" 125 "$RC"
                assert_contains "$name: says why" "$ERR" "the OCI runtime spec has no field for Landlock"
                continue
        fi
        same_facts "$name" "$p"
done

# -- generated: single changes on top of default, and combinations -------------------------
# (LimitNOFILE=infinity is left out: ward spec has no config.json spelling for it.)
GEN=(
        "root-slash|[Filesystem]\nRoot=/\n"
        "root-slash-writable|[Filesystem]\nRoot=/\nReadOnly=no\n"
        "host-network|[Network]\nMode=host\n"
        "host-network-pid|[Namespaces]\nUnshare=user mount uts ipc cgroup\n[Network]\nMode=host\n"
        "no-userns-root|[Namespaces]\nUnshare=pid mount net uts ipc cgroup\n"
        "no-userns-user|[Namespaces]\nUnshare=pid mount net uts ipc cgroup\n[Process]\nUser=1000:1000\n"
        "caps-admin|[Process]\nCapabilities=SYS_ADMIN NET_BIND_SERVICE\n"
        "caps-all|[Process]\nCapabilities=ALL\n"
        "no-nnp|[Process]\nNoNewPrivileges=no\n"
        "writable-root|[Filesystem]\nReadOnly=no\n"
        "seccomp-unconfined|[Seccomp]\nProfile=unconfined\n"
        "seccomp-log|[Seccomp]\nDefaultAction=log\n"
        "seccomp-allow-ptrace|[Seccomp]\nAllow=ptrace\n"
        "seccomp-allow-mount|[Seccomp]\nAllow=@mount\n"
        "bind-etc-rw|[Filesystem]\nBind=/etc /host-etc rw\n"
        "bind-etc-file-ro|[Filesystem]\nBind=/etc/hostname /etc/hostname\n"
        "bind-var-run|[Filesystem]\nBind=/var/run /host-run\n"
        "bind-root|[Filesystem]\nBind=/ /host\n"
        "bind-dev-null|[Filesystem]\nBind=/dev/null /x\n"
        "limits|[Resources]\nMemory=256M\nPids=128\nCPUs=0.5\n"
        "rlimits-low|[Resources]\nLimitNOFILE=64\nLimitNPROC=64\n"
        "mask-empty|[Filesystem]\nMaskPath=\n"
        "everything-open|[Namespaces]\nUnshare=mount\n[Network]\nMode=host\n[Filesystem]\nReadOnly=no\nBind=/ /host rw\n[Process]\nCapabilities=ALL\nNoNewPrivileges=no\n[Seccomp]\nProfile=unconfined\n"
        "locked-down|[Resources]\nMemory=64M\nPids=32\nCPUs=0.25\n[Process]\nUser=1000:1000\n"
)
for g in "${GEN[@]}"; do
        IFS='|' read -r name text <<<"$g"
        printf '[Profile]\nInclude=default\n%b' "$text" >"$WORK/$name.profile"
        same_facts "generated $name" "$WORK/$name.profile"
done

finish
