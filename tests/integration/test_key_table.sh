#!/usr/bin/env bash
# One key table (src/keys/keys.c) and everything that must agree with it: `ward help keys`
# prints it; man/ward.profile.5 documents exactly its keys; ward run's --help and ward(1)
# name every flag it lists; every key's example value is accepted and `ward explain` shows
# it with its file and line; every key with an OCI member goes out through `ward spec` and
# comes back through a bundle with config.json as its origin. Then the key added through
# the table alone, Process.OOMScoreAdjust=, is checked from inside a sandbox.
#
# Controls: a man page with one key removed, and a table row the man page lacks, are each
# shown to fail the comparison; a sandbox without the key has the host's score.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools "jq" jq

R=$WORK/rootfs
make_rootfs "$R"
MAN5=$WARD_SOURCE_DIR/man/ward.profile.5
MAN1=$WARD_SOURCE_DIR/man/ward.1

# The table, one row a line, fields split by \037 (tabs would collapse in `read`).
run_cmd "$WARD" help keys --format tsv
assert_eq "ward help keys --format tsv: exit 0" 0 "$RC"
TABLE=$(tail -n +2 <<<"$OUT" | tr '\t' '\037')
assert_match "the table has the keys of every section" "$(cut -d$'\037' -f1 <<<"$TABLE" |
        sort -u | tr '\n' ' ')" "Filesystem .*Init .*Landlock .*Namespaces .*Network .*Policy .*Process .*Profile .*Resources .*Seccomp"
run_cmd "$WARD" help keys
assert_contains "ward help keys: a row as text" "$OUT" "[Process] OOMScoreAdjust="
assert_contains "ward help keys: its flag" "$OUT" "flag: --oom-score-adj VALUE"
run_cmd "$WARD" help keys --format xml
assert_eq "ward help keys --format xml: exit 125" 125 "$RC"

# ---------------------------------------------------------------------------------------
# The man page's keys: the .TP/.TQ headings under each .SS [Section], and the Limit table.

man_keys() {
        awk '/^\.SS \[/ { sec = $2; gsub(/[][]/, "", sec); next }
             /^\.S[SH] / { sec = "" }
             sec && (prev == ".TP" || prev == ".TQ") && /^\.B[IR]? +[A-Za-z]+=/ {
                     k = $0; sub(/^\.B[IR]? +/, "", k); sub(/=.*/, "", k); print sec "." k }
             sec == "Resources" && /^Limit[A-Z]+= / { k = $1; sub(/=$/, "", k); print sec "." k }
             { prev = $0 }' "$1" | sort -u
}
table_keys() {
        awk -F$'\037' '{ print $1 "." $2 }' <<<"$TABLE" | sort -u
}
# same_keys NAME MAN TABLE: the comparison itself.
same_keys() {
        local missing extra
        missing=$(comm -13 <(printf '%s\n' "$2") <(printf '%s\n' "$3") | tr '\n' ' ')
        extra=$(comm -23 <(printf '%s\n' "$2") <(printf '%s\n' "$3") | tr '\n' ' ')
        if [ -z "$missing$extra" ]; then
                ok "$1"
        else
                fail "$1" "in the table, not in ward.profile(5): $missing" \
                        "in ward.profile(5), not in the table: $extra"
        fi
}
MAN_KEYS=$(man_keys "$MAN5")
assert_match "ward.profile(5) lists keys (parsed $(wc -l <<<"$MAN_KEYS"))" \
        "$(wc -l <<<"$MAN_KEYS")" '^[0-9]{2,}$'
same_keys "ward.profile(5) documents exactly the table's keys" "$MAN_KEYS" "$(table_keys)"
# Controls: the same comparison fails on a man page without OOMScoreAdjust= and on a
# table with a row the page lacks.
grep -v '^\.BI OOMScoreAdjust=' "$MAN5" >"$WORK/man5-minus"
( same_keys "control" "$(man_keys "$WORK/man5-minus")" "$(table_keys)" ) >"$WORK/ctl1"
assert_contains "control: a key missing from the man page is caught" "$(cat "$WORK/ctl1")" \
        "Process.OOMScoreAdjust"
( same_keys "control" "$MAN_KEYS" "$(printf '%s\nProcess.Nice\n' "$(table_keys)" | sort)" ) \
        >"$WORK/ctl2"
assert_contains "control: a row the man page lacks is caught" "$(cat "$WORK/ctl2")" "not ok"

# ---------------------------------------------------------------------------------------
# Flags: every flag and other spelling the table names is in --help and in ward(1).

run_cmd "$WARD" run --help
HELP=$OUT
MAN1_TEXT=$(sed 's/\\-/-/g' "$MAN1")
while IFS=$'\037' read -r sec key flag also oci example; do
        for f in $(grep -oE -- '(^|[ ,])--?[a-z][a-z-]*' <<<"$flag $also" | tr -d ' ,'); do
                [[ $f == -? ]] && want="$f, " || want="$f"
                [[ $HELP == *"$want"* ]] || fail "--help names $f ($sec.$key)" "$HELP"
                [[ $MAN1_TEXT == *"$f"* ]] || fail "ward(1) names $f ($sec.$key)"
                N_FLAGS=$((${N_FLAGS:-0} + 1))
        done
done <<<"$TABLE"
assert_match "every flag of the table is in --help and ward(1) (${N_FLAGS:-0} checked)" \
        "${N_FLAGS:-0}" '^[1-9][0-9]+$'

# ---------------------------------------------------------------------------------------
# Every key's example: accepted, and explain shows it with the profile's file and line
# (PassEnvironment= shows as the Environment= entry it adds; Include= in "Profiles read").

# context SECTION KEY: lines a profile needs before the key for its example to stand alone.
context() {
        case "$1.$2" in
        Resources.MemorySwap) printf '[Resources]\nResources=try\nMemory=64M\n' ;; # OCI: a total
        Resources.*) printf '[Resources]\nResources=try\n' ;; # cgroup limits on any host
        Landlock.*) printf '[Landlock]\nExecute=/bin\n' ;;   # Landlock needs something to run
        esac
}
export TERM=${TERM:-dumb}
P=$WORK/p.profile
N_EXAMPLES=0
while IFS=$'\037' read -r sec key flag also oci example; do
        [ "$key" = Root ] && example=$R
        { printf '[Profile]\nInclude=default\n'; context "$sec" "$key"
          printf '[%s]\n%s=%s\n' "$sec" "$key" "$example"; } >"$P"
        line=$(wc -l <"$P")
        args=(--rootfs "$R")
        [ "$sec.$key" = Filesystem.Root ] && args=()
        # run_cmd, not wexplain: explain creates nothing, and 68 leftover scans cost minutes.
        run_cmd "$WARD" explain "${args[@]}" --profile "$P" -- /bin/true
        N_EXAMPLES=$((N_EXAMPLES + 1))
        if [ "$RC" != 0 ]; then
                fail "$sec.$key=$example is accepted" "$ERR"
                continue
        fi
        case "$sec.$key" in
        Profile.Include) want="  <built-in>/default.profile" ;;
        Process.PassEnvironment) want="Process.Environment = TERM=$TERM    ($P:$line)" ;;
        *) want="$sec.$key = " ;;
        esac
        if [[ $OUT != *"$want"* ]] ||
                { [[ $want == *" = " ]] && ! grep -qF -- "    ($P:$line)" <<<"$(grep -F -- "$want" <<<"$OUT")"; }; then
                fail "explain shows $sec.$key=$example from $P:$line" "$(grep -F "$sec." <<<"$OUT")"
        fi
done <<<"$TABLE"
assert_eq "explain showed every key's example with its origin ($N_EXAMPLES keys)" \
        "$(wc -l <<<"$TABLE")" "$N_EXAMPLES"

# ---------------------------------------------------------------------------------------
# OCI both ways: ward spec writes the member; explain of that bundle names it as the origin.

N_OCI=0
while IFS=$'\037' read -r sec key flag also oci example; do
        [ -n "$oci" ] || continue
        [ "$key" = Root ] && example=$R
        # Seccomp.Profile's member carries ward's own filter (a JSON path would need a file).
        [ "$sec.$key" = Seccomp.Profile ] && example=default
        B=$WORK/bundle-$sec-$key
        mkdir -p "$B"
        { printf '[Profile]\nInclude=default\n'; context "$sec" "$key"
          printf '[%s]\n%s=%s\n' "$sec" "$key" "$example"; } >"$P"
        args=(--rootfs "$R")
        [ "$sec.$key" = Filesystem.Root ] && args=()
        run_cmd "$WARD" spec "${args[@]}" --profile "$P" -- /bin/true
        printf '%s\n' "$OUT" >"$B/config.json"
        jq_path=$(jq -nc --arg p "$oci" '$p | split(".")')
        if [ "$RC" != 0 ] || ! jq -e --argjson p "$jq_path" 'getpath($p) != null' \
                "$B/config.json" >/dev/null; then
                fail "ward spec writes $oci for $sec.$key" "$ERR"
                continue
        fi
        run_cmd "$WARD" explain --bundle "$B"
        origin="$B/config.json: $oci"
        # On a host without cgroup v2 controllers a bundle's limits are refused (a bundle
        # has no Resources=try), after explain has printed them.
        if [ "$RC" != 0 ] && [[ $ERR == *"cgroup v2 controllers"* ]] && [ "$sec" = Resources ]; then
                RC=0
        fi
        if [ "$RC" != 0 ] || ! grep -E "^($sec\.$key|$oci) = " <<<"$OUT" | grep -qF "($origin"; then
                fail "a bundle's $oci comes back as $sec.$key" "$ERR" \
                        "$(grep -E "^($sec\.$key|$oci) = " <<<"$OUT")"
                continue
        fi
        N_OCI=$((N_OCI + 1))
done <<<"$TABLE"
assert_eq "every key with an OCI member goes out and back ($N_OCI keys)" \
        "$(awk -F$'\037' '$5 != ""' <<<"$TABLE" | wc -l)" "$N_OCI"

# What `ward spec --network host` writes (a bind of the host's /sys, read-only) runs as a
# bundle; it was refused before (issue 14). A writable one stays refused.
B=$WORK/bundle-host-net
mkdir -p "$B"
"$WARD" spec --rootfs "$R" --network host -- /bin/ward-probe "--tag=$TAG" status >"$B/config.json"
wrun --bundle "$B"
assert_eq "ward spec --network host runs as a bundle" 0 "$RC"
jq '(.mounts[] | select(.destination == "/sys")).options = ["rbind", "nosuid"]' \
        "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
wrun --bundle "$B"
assert_eq "a writable bind of /sys in a bundle: exit 125" 125 "$RC"
assert_contains "a writable bind of /sys: says why" "$ERR" "writable /sys"

# ---------------------------------------------------------------------------------------
# The key added through the table: the sandbox's own /proc/self/oom_score_adj.

HOST_SCORE=$(cat /proc/self/oom_score_adj)
wrun --rootfs "$R" -- /bin/cat /proc/self/oom_score_adj
assert_eq "control: without the key the sandbox has ward's score" "$HOST_SCORE" "$OUT"
wrun --rootfs "$R" --oom-score-adj 500 -- /bin/cat /proc/self/oom_score_adj
assert_eq "--oom-score-adj 500: the sandbox's score" 500 "$OUT"
printf '[Profile]\nInclude=default\n[Process]\nOOMScoreAdjust=700\n' >"$P"
wrun --rootfs "$R" --profile "$P" -- /bin/sh -c 'cat /proc/self/oom_score_adj; cat /proc/1/oom_score_adj'
assert_eq "OOMScoreAdjust=700: the app's and the init's score" "700
700" "$OUT"
B=$WORK/bundle-oom
mkdir -p "$B"
"$WARD" spec --rootfs "$R" -- /bin/cat /proc/self/oom_score_adj |
        jq '.process.oomScoreAdj = 321' >"$B/config.json"
wrun --bundle "$B"
assert_eq "a bundle's process.oomScoreAdj: the sandbox's score" 321 "$OUT"
wrun --rootfs "$R" --oom-score-adj 1001 -- /bin/true
assert_eq "--oom-score-adj 1001: exit 125" 125 "$RC"
assert_contains "--oom-score-adj 1001: names the flag and the range" "$ERR" "-1000"
# Lowering needs CAP_SYS_RESOURCE in the host's user namespace: with it, the score is set;
# without it (root on some hosts lacks it), ward refuses rather than run with another.
LOWER=$((HOST_SCORE - 100))
[ "$LOWER" -lt -1000 ] && LOWER=-1000
wrun --rootfs "$R" --oom-score-adj "$LOWER" -- /bin/cat /proc/self/oom_score_adj
if grep -q '^CapEff:.*' /proc/self/status && [ "$(id -u)" = 0 ] &&
        (($(printf '%d' "0x$(awk '/^CapEff/ {print $2}' /proc/self/status)") >> 24 & 1)); then
        assert_eq "lowering the score with CAP_SYS_RESOURCE: set" "$LOWER" "$OUT"
else
        assert_eq "lowering the score without CAP_SYS_RESOURCE: exit 125" 125 "$RC"
        assert_contains "lowering without CAP_SYS_RESOURCE: names the key" "$ERR" \
                "Process.OOMScoreAdjust"
        assert_contains "lowering without CAP_SYS_RESOURCE: names the capability" "$ERR" \
                "CAP_SYS_RESOURCE"
fi

finish
