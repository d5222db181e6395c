#!/usr/bin/env bash
# The command line: --help for every command, version, `ward explain` (settings with their
# origins and the numbered steps; creates nothing), and --profile default from the build
# tree.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")

# -- help and version -------------------------------------------------------------------
for args in "--help" "-h" "help" "run --help" "explain --help" "init --help" "help run" \
        "version --help"; do
        run_cmd "$WARD" $args
        assert_eq "ward $args: exit 0" 0 "$RC"
        assert_contains "ward $args: prints a usage text" "$OUT" "Usage: ward"
done
# docker run's -h is the hostname: a unit's `ward run -h web` must run, not print the help
# and exit 0 (it did).
wrun --rootfs "$R" -h web -- "${P[@]}" hostname
assert_eq "ward run -h web: runs (exit 0)" 0 "$RC"
assert_eq "ward run -h web: the hostname is web" web "$(kv hostname)"
wrun --rootfs "$R" -h
assert_eq "ward run -h without a name: 125" 125 "$RC"
assert_contains "ward run -h without a name: says the help is --help" "$ERR" "ward run --help"
run_cmd "$WARD" explain --rootfs "$R" -m 64m -- /bin/true
assert_contains "ward explain -m 64m: is --memory" "$OUT" "Resources.Memory = 64M    (command line)"
run_cmd "$WARD" run --help
assert_contains "ward run --help: documents --rootfs" "$OUT" --rootfs
assert_contains "ward run --help: documents --cap-drop" "$OUT" --cap-drop
assert_contains "ward run --help: names the exit statuses or the manual" "$OUT" "ward"
run_cmd "$WARD" run --rootfs "$R" --help -- "${P[@]}" exit 3
assert_eq "ward run --help among other flags: exit 0 (the command does not run)" 0 "$RC"
assert_contains "ward run --help among other flags: prints the usage" "$OUT" "Usage: ward run"
run_cmd "$WARD" init --help
assert_contains "ward init --help: documents -g" "$OUT" "-g"

for args in version --version -V; do
        run_cmd "$WARD" $args
        assert_eq "ward $args: exit 0" 0 "$RC"
        assert_match "ward $args: prints a version" "$OUT" '[0-9]+\.[0-9]+\.[0-9]+'
done
project_version=$(sed -n 's/^project(ward VERSION \([0-9.]*\).*/\1/p' \
        "$WARD_SOURCE_DIR/CMakeLists.txt")
if [ -n "$project_version" ]; then
        run_cmd "$WARD" version
        assert_contains "ward version: the project's version" "$OUT" "$project_version"
fi

run_cmd "$WARD" no-such-command
assert_eq "ward no-such-command: exit 125" 125 "$RC"
assert_contains "ward no-such-command: the message names it" "$ERR" no-such-command

# -- explain ----------------------------------------------------------------------------
tree_before=$(cd "$R" && find . -printf '%p %m %U %G %s %T@\n' | sort)
wexplain --profile strict --rootfs "$R" -- /app
assert_eq "explain --profile strict: exit 0" 0 "$RC"
assert_contains "explain: names the strict profile with a line" "$OUT" "strict.profile:"
assert_contains "explain: names default.profile (included by strict)" "$OUT" \
        "default.profile:"
assert_contains "explain: settings from flags say 'command line'" "$OUT" "command line"
assert_contains "explain: shows the rootfs" "$OUT" "$R"
assert_contains "explain: shows the strict user" "$OUT" 65534
assert_contains "explain: shows the command" "$OUT" /app
assert_match "explain: numbered steps (1.)" "$OUT" $'(^|\n)[[:space:]]*1[.)][[:space:]]'
assert_match "explain: numbered steps (2.)" "$OUT" $'(^|\n)[[:space:]]*2[.)][[:space:]]'
assert_match "explain: numbered steps (5.)" "$OUT" $'(^|\n)[[:space:]]*5[.)][[:space:]]'
assert_eq "explain: the rootfs is untouched" "$tree_before" \
        "$(cd "$R" && find . -printf '%p %m %U %G %s %T@\n' | sort)"

# The origin of a setting follows the later source: a flag beats the profile.
wexplain --profile strict --rootfs "$R" --hostname explained-host --user 4242 -- /app
assert_eq "explain with flags: exit 0" 0 "$RC"
host_line=$(grep -m1 explained-host <<<"$OUT")
assert_contains "explain: --hostname's value is attributed to the command line" \
        "$host_line" "command line"
user_line=$(grep -m1 4242 <<<"$OUT")
assert_contains "explain: --user's value is attributed to the command line" \
        "$user_line" "command line"

# Every variable, the description and the groups have their own origin: a profile's
# Environment= at its line, an --env-file at its line, -e on the command line, the last
# setter of a name winning; SupplementaryGroups apart from User=.
cat >"$WORK/origins.profile" <<'EOF2'
[Profile]
Description=origins under test
[Process]
Environment=FROM_PROFILE=1
Environment=REPLACED=profile
EOF2
printf '# comment\nFROM_FILE=1\nREPLACED=file\n' >"$WORK/origins.env"
wexplain --profile "$WORK/origins.profile" --rootfs "$R" --env-file "$WORK/origins.env" \
        -e FOO=1 --group-add 27 -- /app
assert_eq "explain with variables: exit 0" 0 "$RC"
assert_contains "explain: -e's variable is the command line's" "$OUT" \
        "Process.Environment = FOO=1    (command line)"
assert_contains "explain: a profile's Environment= names its file and line" "$OUT" \
        "Process.Environment = FROM_PROFILE=1    ($WORK/origins.profile:4)"
assert_contains "explain: an --env-file's variable names the file and line" "$OUT" \
        "Process.Environment = FROM_FILE=1    ($WORK/origins.env:2)"
assert_contains "explain: a replaced variable names its later setter" "$OUT" \
        "Process.Environment = REPLACED=file    ($WORK/origins.env:3)"
assert_contains "explain: the built-in PATH says so" "$OUT" \
        "/sbin:/bin    (built-in default)"
assert_contains "explain: the description names its file and line" "$OUT" \
        "Profile.Description = origins under test    ($WORK/origins.profile:2)"
assert_contains "explain: --group-add is the command line's" "$OUT" \
        "Process.SupplementaryGroups = 27    (command line)"
assert_contains "explain: the user stays the built-in default" "$OUT" \
        "Process.User = 0:0 (the sandbox's root)    (built-in default)"
assert_contains "explain: the command is the command line's" "$OUT" \
        "Command = /app    (command line)"

wexplain --rootfs "$R" -- /app
assert_eq "explain with the default profile: exit 0" 0 "$RC"
assert_contains "explain: the search finds the default profile built into ward" \
        "$OUT" "<built-in>/default.profile"

# Without a rootfs explain still prints everything, and says that run would refuse.
wexplain
assert_contains "explain with nothing: prints the steps" "$OUT" "Steps"
if [ "$RC" != 0 ]; then
        assert_eq "explain with nothing: 125 (run would refuse)" 125 "$RC"
        assert_contains "explain with nothing: says what is missing" "$ERR" "--rootfs"
fi

# Needs no privileges: uid 65534 can explain (the rootfs is only looked at).
chmod 755 "$WORK"
T_RUNS=$((T_RUNS + 1))
snapshot
(cd "$WORK" && run_cmd setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env \
        "$WARD" explain --profile strict --rootfs "$R" -- /app
        echo "$RC" >"$WORK/.explain-rc")
assert_eq "explain as uid 65534: exit 0" 0 "$(cat "$WORK/.explain-rc")"
leftover_check "explain as uid 65534"
chmod 700 "$WORK"

# -- --profile default from the build tree ----------------------------------------------
wrun --profile default --rootfs "$R" -- "${P[@]}" status
assert_eq "--profile default (build tree): exit 0" 0 "$RC"
assert_eq "--profile default: NoNewPrivs" 1 "$(kv NoNewPrivs)"
wrun --profile strict --profile default --rootfs "$R" -- "${P[@]}" status
assert_eq "--profile strict --profile default: later wins for what both set (umask)" \
        "0 0022" "$RC $(kv Umask)"
wrun --profile "$WARD_SOURCE_DIR/profiles/strict.profile" --rootfs "$R" -- "${P[@]}" status
assert_eq "--profile FILE (a path)" "0 65534" "$RC $(kv uid)"
(cd "$WORK" && printf '[Profile]\nInclude=default\n[Namespaces]\nHostname=fromcwd\n' \
        >"$WORK/local.profile")
T_RUNS=$((T_RUNS + 1))
snapshot
(cd "$WORK" && run_cmd "$WARD" run --profile local --rootfs "$R" -- "${P[@]}" hostname &&
        printf '%s\n' "$RC" "$OUT" >"$WORK/.local-result")
# Never in the current directory (a sandbox may write it through a rw bind): a bare name
# is looked up in the profile directories only, and a local file is named as a path.
assert_eq "--profile NAME is not looked up in ./" 125 "$(head -1 "$WORK/.local-result")"
leftover_check "ward run --profile local"
T_RUNS=$((T_RUNS + 1))
snapshot
(cd "$WORK" && run_cmd "$WARD" run --profile ./local.profile --rootfs "$R" -- "${P[@]}" hostname &&
        printf '%s\n' "$RC" "$OUT" >"$WORK/.local-result")
assert_eq "--profile ./FILE (a path) is read from ./" "0 hostname=fromcwd" \
        "$(head -2 "$WORK/.local-result" | tr '\n' ' ' | sed 's/ $//')"
leftover_check "ward run --profile ./local.profile"

# -- output that cannot be written is an error the exit status shows ------------------------
# (Before: ward check exited 0 into /dev/full, an error message into a pipe whose reader
# had gone killed ward with SIGPIPE, 141, and -t's relay dropped the app's output into
# /dev/full and exited 0.)
if [ -w /dev/full ]; then
        "$WARD" check --profile default >/dev/full 2>"$WORK/full.err"
        assert_eq "ward check > /dev/full: 125" 125 "$?"
        assert_contains "ward check > /dev/full: says why" "$(cat "$WORK/full.err")" \
                "cannot write the output"
        "$WARD" check --profile default >/dev/null
        assert_eq "ward check > /dev/null: 0 (control)" 0 "$?"
        # Once the write failed the pty is hung up: the app may die of that SIGHUP (129)
        # before it exits 0 (then 125); never 0.
        run_cmd script -qec \
                "$WARD run -t --rootfs $R -- /bin/sh -c 'echo hello' >/dev/full; echo rc=\$?" /dev/null
        T_RUNS=$((T_RUNS + 1))
        assert_match "ward run -t > /dev/full: fails (125, or 129 after the hang-up)" \
                "$(printf '%s' "$OUT" | tr -d '\r' | sed -n 's/^rc=//p')" '^(125|129)$'
        assert_contains "ward run -t > /dev/full: names the lost output" "$OUT" \
                "of the app's standard output could not be written"
else
        skip "output into /dev/full" "/dev/full is not writable here"
fi
{ sleep 0.3; "$WARD" run --bogus-flag 2>&1; echo "rc=$?" >"$WORK/pipe.rc"; } | true
assert_eq "an error message into a closed pipe: 125, not SIGPIPE's 141" rc=125 \
        "$(cat "$WORK/pipe.rc")"

finish
