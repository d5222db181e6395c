#!/usr/bin/env bash
# Fail closed on seccomp input (issue 11). A seccomp filter that refuses what ward-init needs (here a JSON allowlist without
# rt_sigtimedwait) used to run: the init could not wait for signals, so SIGTERM to ward never
# reached the app, which was SIGKILLed after StopTimeout. ward checks every filter the init
# runs under and refuses one that starves it (exit 125 naming the file, the syscall, and the
# fix); the same allowlist with rt_sigtimedwait forwards SIGTERM.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools python3 python3 # the allowlists are written from ward spec's JSON

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")

# An allowlist as a user would write it: ward's own filter exported as OCI JSON, less one
# name (or not).
run_cmd "$WARD" spec --rootfs "$R" -- /bin/true
assert_eq "ward spec: exit 0" 0 "$RC"
printf '%s' "$OUT" >"$WORK/spec.json"
allowlist() { # DROP OUT: the spec's linux.seccomp, without syscall DROP
        python3 - "$WORK/spec.json" "$1" "$2" <<'PY'
import json, sys
spec, drop, out = sys.argv[1:]
s = json.load(open(spec))["linux"]["seccomp"]
for rule in s["syscalls"]:
    rule["names"] = [n for n in rule["names"] if n != drop]
s["syscalls"] = [r for r in s["syscalls"] if r["names"]]
json.dump(s, open(out, "w"))
PY
}
allowlist rt_sigtimedwait "$WORK/no-sigtimedwait.json"
allowlist none "$WORK/full.json"
allowlist setpgid "$WORK/no-setpgid.json"
chmod 644 "$WORK"/*.json

printf '%s\n' "[Profile]" "Include=default" "[Init]" "StopTimeout=3s" >"$WORK/stop.profile"

# bg_sigterm JSON: ward in the background with JSON, SIGTERM once the app is ready; sets
# RC (ward's exit status) and SECS (how long it took).
bg_sigterm() {
        local out=$WORK/bg.out start
        : >"$out"
        : >"$out.err"
        snapshot
        "$WARD" run --profile "$WORK/stop.profile" --security-opt "seccomp=$1" --rootfs "$R" \
                -- "${P[@]}" sleep-trap >"$out" 2>"$out.err" </dev/null &
        BG=$!
        CLEANUP_PIDS="${CLEANUP_PIDS:-} $BG"
        if ! wait_for_line "$out" ready 15; then
                wait_exit "$BG" 20 >/dev/null 2>&1
                RC=$? SECS=0 OUT=$(cat "$out") ERR=$(cat "$out.err")
                LAST_CMD="ward run --security-opt seccomp=$1 ... sleep-trap (never ready)"
                return
        fi
        start=$SECONDS
        kill -TERM "$BG"
        wait_exit "$BG" 20 2>>"$out.err"
        RC=$? SECS=$((SECONDS - start)) OUT=$(cat "$out") ERR=$(cat "$out.err")
        LAST_CMD="ward run --security-opt seccomp=$1 ... sleep-trap (SIGTERM to ward)"
        leftover_check "ward run (SIGTERM)"
}

# ward: the starving allowlist is refused before anything runs.
wrun --security-opt "seccomp=$WORK/no-sigtimedwait.json" --rootfs "$R" -- "${P[@]}" exit 0
assert_eq "allowlist without rt_sigtimedwait: exit 125" 125 "$RC"
assert_contains "allowlist without rt_sigtimedwait: names the file and the syscall" "$ERR" \
        "$WORK/no-sigtimedwait.json refuses rt_sigtimedwait, which ward-init needs"
assert_contains "allowlist without rt_sigtimedwait: says what breaks" "$ERR" \
        "SIGTERM would never reach the app"
assert_contains "allowlist without rt_sigtimedwait: the fix" "$ERR" "allow rt_sigtimedwait"

# ward: the complete allowlist runs, and SIGTERM reaches the app (it exits 42 on it).
bg_sigterm "$WORK/full.json"
assert_eq "complete allowlist: SIGTERM reaches the app (exit 42)" 42 "$RC"

# Without the init nothing needs it: --no-init runs the starving allowlist.
wrun --no-init --security-opt "seccomp=$WORK/no-sigtimedwait.json" --rootfs "$R" \
        -- "${P[@]}" exit 7
assert_eq "--no-init: the allowlist is the app's business (exit 7)" 7 "$RC"

# The same holds for ward's own filter: Deny= of what the init needs is refused by key.
printf '%s\n' "[Profile]" "Include=default" "[Seccomp]" "Deny=kill" >"$WORK/deny-kill.profile"
wrun --profile "$WORK/deny-kill.profile" --rootfs "$R" -- "${P[@]}" exit 0
assert_eq "Deny=kill: exit 125" 125 "$RC"
assert_contains "Deny=kill: names the key and line" "$ERR" "deny-kill.profile:4: Seccomp.Deny"

# Fail closed on the rest of the seccomp input: a refusal of a name libseccomp does not
# know (a typo) in a profile whose default lets it run, and Deny= with no filter at all.
cat >"$WORK/typo.json" <<'J'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["ptrce"], "action": "SCMP_ACT_ERRNO"},
              {"names": ["fancy_new_call"], "action": "SCMP_ACT_ALLOW"}]}
J
sed 's/"ptrce"/"ptrace"/' "$WORK/typo.json" >"$WORK/fixed.json"
chmod 644 "$WORK"/*.json
wrun --security-opt "seccomp=$WORK/typo.json" --rootfs "$R" -- "${P[@]}" exit 0
assert_eq "JSON refusal of \"ptrce\": exit 125" 125 "$RC"
assert_contains "JSON refusal of \"ptrce\": the JSON path and the name" "$ERR" \
        "typo.json: syscalls[0].names[0]: \"ptrce\" is no syscall libseccomp"
assert_contains "JSON refusal of \"ptrce\": did you mean" "$ERR" 'did you mean "ptrace"'
wrun --security-opt "seccomp=$WORK/fixed.json" --rootfs "$R" -- "${P[@]}" syscalls
assert_eq "control: spelled right, the rule refuses ptrace" "0 EPERM" "$RC $(kv ptrace_child)"
wexplain --security-opt "seccomp=$WORK/fixed.json" --rootfs "$R" -- /bin/true
assert_contains "explain: the unknown name of an allow rule is skipped, and said" "$OUT" \
        "skipped names libseccomp does not know (in rules that allow, or refuse what the default action refuses anyway): fancy_new_call"
printf '%s\n' "[Profile]" "Include=default" "[Seccomp]" "Profile=unconfined" "Deny=ptrace" \
        >"$WORK/unconfined-deny.profile"
wrun --profile "$WORK/unconfined-deny.profile" --rootfs "$R" -- "${P[@]}" exit 0
assert_eq "Profile=unconfined with Deny=ptrace: exit 125" 125 "$RC"
assert_contains "Profile=unconfined with Deny=: names Deny= and where unconfined was set" "$ERR" \
        "unconfined-deny.profile:5: Seccomp.Deny: Deny=ptrace asks the seccomp filter to refuse"

# What the check prevents, where ward does not check (an older ward accepts the allowlist):
# the app never sees SIGTERM and is killed at StopTimeout (137), not exit 42.
# ward-init gives the app a process group of its own (as tini does); a filter that refuses
# setpgid leaves it in the init's group, and the app still runs.
pgroup='set -- $(cat /proc/$$/stat); echo "pid=$$ pgid=$5"'
wrun --security-opt "seccomp=$WORK/no-setpgid.json" --rootfs "$R" -- /bin/sh -c "$pgroup" "$TAG"
assert_eq "allowlist without setpgid: the app runs in the init's group" "0 pid=2 pgid=1" "$RC $OUT"
wrun --security-opt "seccomp=$WORK/full.json" --rootfs "$R" -- /bin/sh -c "$pgroup" "$TAG"
assert_eq "control: with setpgid, its own group" "0 pid=2 pgid=2" "$RC $OUT"

if [ "${WARD_SHOW_STARVED:-0}" = 1 ]; then
        bg_sigterm "$WORK/no-sigtimedwait.json"
        assert_eq "starving allowlist (unchecked): SIGTERM does not reach the app" 137 "$RC"
fi
finish
