#!/usr/bin/env bash
# `ward check [run options] -- CMD` judges the config `ward run` would build from the same
# line (one parser, cli.c), and `ward run` warns, one stderr line each, about the findings
# rated high or critical on the config it applies, and still runs. Controls: the default
# profile and a medium finding warn about nothing; --profile P -- CMD equals --profile P.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# warnings TEXT: the rule ids of ward run's warning lines, space separated.
warnings() {
        grep -o '^ward: warning: W[0-9]* ' <<<"$1" | awk '{print $3}' | tr '\n' ' ' |
                sed 's/ $//'
}

# -- the check of a command line ---------------------------------------------------------
run_cmd "$WARD" check -v /proc:/x -- /bin/true
assert_eq "check -v /proc:/x: exit 0 (no --fail-on)" 0 "$RC"
assert_match "check -v /proc:/x: the system-bind rule, high or critical" "$OUT" \
        $'\nW072 (high|critical) +host-system-bind: '
assert_contains "check -v /proc:/x: names the source" "$OUT" "found: /proc"
assert_contains "check -v /proc:/x: the first line names the flag" \
        "$(head -n1 <<<"$OUT")" "default (ward profile) with --volume /proc:/x"
run_cmd "$WARD" check -- /bin/true
assert_not_contains "control: check -- /bin/true has no system-bind finding" "$OUT" "W072"

run_cmd "$WARD" check -v /proc:/x --fail-on high -- /bin/true
assert_eq "check -v /proc:/x --fail-on high: exit 1" 1 "$RC"
run_cmd "$WARD" check --fail-on high -- /bin/true
assert_eq "control: check --fail-on high -- /bin/true: exit 0" 0 "$RC"

# The engine socket as the issue spells it (nothing need exist for check), and a fake one
# reached through an innocent-looking symlink, which check resolves as mount(2) would.
run_cmd "$WARD" check -v /run/docker.sock:/x -- true
assert_match "check -v /run/docker.sock:/x: the engine-socket rule" "$OUT" \
        $'\nW070 (high|critical) +engine-socket: '
if python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
        "$WORK/docker.sock" 2>/dev/null; then
        ln -s docker.sock "$WORK/innocent"
        run_cmd "$WARD" check -v "$WORK/innocent:/x" -- true
        assert_match "check -v LINK:/x (LINK -> a docker.sock): engine-socket" "$OUT" \
                $'\nW070 critical +engine-socket: '
        assert_contains "check -v LINK:/x: the resolved socket named" "$OUT" \
                "found: $WORK/docker.sock"
else
        skip "check -v of an engine socket" "python3 cannot bind a unix socket in $WORK"
fi
run_cmd "$WARD" check -v "$WORK:/x" -- true
assert_not_contains "control: a bind of a plain directory is no engine socket" "$OUT" "W070"

# Every run flag goes through run's code: the limits clear their rules.
run_cmd "$WARD" check --memory 256m --pids-limit 64 --cpus 1 --format json -- true
assert_eq "check --memory --pids-limit --cpus: exit 0" 0 "$RC"
assert_eq "check with the three limits: no finding, score 0.0" '0.0 []' \
        "$(sed -n 's/^  "score": \([0-9.]*\),$/\1/p; s/^  "findings": \(\[\]\)$/\1/p' <<<"$OUT" |
                paste -sd ' ')" # (sed: a fresh Debian has no python3)

# -- the profile form is unchanged by a command ----------------------------------------
for p in strict default entrypoint; do
        run_cmd "$WARD" check --profile "$p"
        a_out=$OUT a_rc=$RC
        run_cmd "$WARD" check --profile "$p" -- true
        assert_eq "check --profile $p -- true: the same bytes as --profile $p" \
                "$a_rc:$a_out" "$RC:$OUT"
done
run_cmd "$WARD" check --profile strict --format json
a_out=$OUT
run_cmd "$WARD" check --format json --profile strict -- /bin/true
assert_eq "check --profile strict --format json -- /bin/true: the same JSON" "$a_out" "$OUT"

# -- errors: the same as ward run's ---------------------------------------------------------
for bad in "--memory lots" "-v relative:/x" "--ulimit nosuch=1" "--cap-add NOT_A_CAP" \
        "--network bridge" "--user"; do
        read -ra args <<<"$bad"
        run_cmd "$WARD" run "${args[@]}" -- true
        r_rc=$RC r_err=$ERR
        run_cmd "$WARD" check "${args[@]}" -- true
        assert_eq "check $bad: the same exit status and message as run" "$r_rc:$r_err" \
                "$RC:$ERR"
        assert_eq "check $bad: exit 125" 125 "$RC"
done
run_cmd "$WARD" run --no-such-flag -- true
r_err=$ERR
run_cmd "$WARD" check --no-such-flag -- true
assert_eq "check --no-such-flag: exit 125" 125 "$RC"
assert_eq "check --no-such-flag: run's message, the help named for check" \
        "${r_err//ward run --help/ward check --help}" "$ERR"
run_cmd "$WARD" check -v /proc:/x
assert_eq "check with run flags and no command: exit 125" 125 "$RC"
assert_contains "check with run flags and no command: says so" "$ERR" "no command given"
run_cmd "$WARD" check --oci /dev/null -v /proc:/x -- true
assert_eq "check --oci with run flags: exit 125" 125 "$RC"
run_cmd "$WARD" check --bundle "$WORK"
assert_eq "check --bundle: exit 125" 125 "$RC"
assert_contains "check --bundle: points at --oci" "$ERR" "ward check --oci DIR/config.json"

# -- ward run's warnings ----------------------------------------------------------------------
R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$R/x"

wrun --rootfs "$R" -- /bin/sh -c 'echo app-ran'
if [ "$RC" != 0 ]; then
        skip "ward run cannot start a sandbox here (exit $RC: ${ERR%%$'\n'*})"
        finish
fi
assert_eq "control: ward run --rootfs R: no warning" "" "$(warnings "$ERR")"
assert_not_contains "control: ward run --rootfs R: no warning line at all" "$ERR" \
        "ward: warning: W"

wrun -v /proc:/x --rootfs "$R" -- /bin/sh -c 'echo app-ran; test -e /x/self/status && echo proc-seen'
assert_eq "run -v /proc:/x: exit 0 (a warning changes no status)" 0 "$RC"
assert_contains "run -v /proc:/x: the app ran" "$OUT" "app-ran"
assert_contains "run -v /proc:/x: ... and saw the bind" "$OUT" "proc-seen"
assert_eq "run -v /proc:/x: one warning, W072" "W072" "$(warnings "$ERR")"
assert_match "run -v /proc:/x: the line as ward check rates it" "$ERR" \
        '(^|'$'\n'')ward: warning: W072 host-system-bind \((high|critical)\): [^'$'\n'']+ \(found: /proc\); fix: [^'$'\n'']+'
assert_eq "run -v /proc:/x: exactly one line on stderr" 1 "$(grep -c . <<<"$ERR")"

# A medium finding is no warning: a writable root (W030).
wrun --read-only=false --rootfs "$R" -- /bin/sh -c 'echo app-ran'
assert_eq "run --read-only=false: exit 0" 0 "$RC"
assert_eq "run --read-only=false (medium): no warning" "" "$(warnings "$ERR")"
run_cmd "$WARD" check --read-only=false --rootfs "$R" -- true
assert_contains "... while check does report it, as medium" "$OUT" "W030 medium"

# Several at once, in ward check's order.
wrun --cap-add SYS_ADMIN -v /proc:/x --rootfs "$R" -- /bin/sh -c 'echo app-ran'
assert_eq "run --cap-add SYS_ADMIN -v /proc:/x: exit 0" 0 "$RC"
assert_contains "run --cap-add SYS_ADMIN -v /proc:/x: the app ran" "$OUT" "app-ran"
run_cmd "$WARD" check --cap-add SYS_ADMIN -v /proc:/x --rootfs "$R" -- true
expected=$(grep -oE '^W[0-9]+ (high|critical) ' <<<"$OUT" | awk '{print $1}' | tr '\n' ' ' |
        sed 's/ $//')
assert_eq "run's warnings are check's high and critical findings" "W002 W072" "$expected"
wrun --cap-add SYS_ADMIN -v /proc:/x --rootfs "$R" -- true
assert_eq "... and run warns about exactly those" "$expected" "$(warnings "$ERR")"

# The warnings change no refusal: a missing bind target is still exit 125.
wrun -v /proc:/nonexistent-in-image --rootfs "$R" -- true
assert_eq "run with a missing bind target: still exit 125" 125 "$RC"

finish
