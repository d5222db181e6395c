#!/usr/bin/env bash
# ward-init (and `ward init`) used on their own, outside any sandbox: exit statuses, signal
# forwarding, process groups, reaping as PID 1 and as a child subreaper, -e, and that the
# init is not dumpable. Needs root for the PID-namespace and uid-change checks (skipped
# otherwise). Every check prints "ok - ..." or "not ok - ..."; any failure fails the script.
#
# Env: WARD_INIT (required), WARD (optional: `ward init` gets the same checks when it works).
# shellcheck disable=SC2016 # single-quoted $vars are for the app's shell to expand
set -u

WARD_INIT=${WARD_INIT:?set WARD_INIT to the ward-init binary}
WARD=${WARD:-}

TMP=$(mktemp -d /tmp/ward-test-init.XXXXXX) || exit 1
chmod 755 "$TMP" # the uid-65534 checks execute files from here
failures=0
checks=0
leftovers=() # "PID WORDS": processes we started that may outlive a check

# kill_leftover PID WORDS: SIGKILL PID if its command line still contains WORDS (pids are
# reused: never signal a process that is not the one we started).
kill_leftover() {
        local cmdline
        cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 0
        [[ $cmdline == *"$2"* ]] && kill -KILL "$1" 2>/dev/null
        return 0
}

cleanup() {
        local p
        for p in "${leftovers[@]}"; do
                kill_leftover "${p%% *}" "${p#* }"
        done
        rm -rf "$TMP"
}
trap cleanup EXIT

ok() {
        checks=$((checks + 1))
        echo "ok - $1"
}

not_ok() {
        checks=$((checks + 1))
        failures=$((failures + 1))
        echo "not ok - $1"
        shift
        local line
        for line in "$@"; do
                echo "#   $line"
        done
}

# check DESCRIPTION EXPECTED ACTUAL [DIAGNOSTIC...]
check_eq() {
        local what=$1 want=$2 got=$3
        shift 3
        if [ "$want" = "$got" ]; then
                ok "$what"
        else
                not_ok "$what" "expected: $want" "got:      $got" "$@"
        fi
}

skip() {
        echo "ok - $1 # SKIP $2"
}

# Foreground runs get a hard limit so that a broken init fails the check, not the suite.
run() {
        timeout -s KILL 60 "$@"
}

# wait_file PATH SECONDS: true once PATH exists.
wait_file() {
        local deadline=$((SECONDS + $2))
        until [ -e "$1" ]; do
                ((SECONDS < deadline)) || return 1
                sleep 0.02
        done
}

# wait_status PID SECONDS: the exit status of background job PID; SIGKILL after SECONDS.
wait_status() {
        local pid=$1 deadline=$((SECONDS + $2))
        while kill -0 "$pid" 2>/dev/null; do
                if ((SECONDS >= deadline)); then
                        kill -KILL "$pid" 2>/dev/null
                        break
                fi
                sleep 0.02
        done
        wait "$pid"
}

# gone PID: the process no longer runs (absent, or a zombie waiting for its reaper).
gone() {
        local stat
        stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
        stat=${stat##*) }
        [ "${stat%% *}" = Z ]
}

# wait_gone PID SECONDS
wait_gone() {
        local deadline=$((SECONDS + $2))
        until gone "$1"; do
                ((SECONDS < deadline)) || return 1
                sleep 0.02
        done
}

# ---------------------------------------------------------------------------------------
# Helper scripts the app runs (files, so that nothing needs three levels of quoting).

# trap.sh SIGNAL STATUS READYFILE: exit STATUS when SIGNAL arrives. READYFILE gets our pid.
# It gives up after 30 s (exit 99): a check that failed before its kill, or a run that
# died, leaves no shell looping behind (the leftovers list only knows apps that got ready).
cat >"$TMP/trap.sh" <<'EOF'
trap "exit $2" "$1"
echo $$ >"$3.tmp" && mv "$3.tmp" "$3"
i=0
while [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
exit 99
EOF

# group.sh PIDFILE READYFILE: a shell with a child in its process group.
cat >"$TMP/group.sh" <<'EOF'
sleep 30 &
echo $! >"$1"
touch "$2"
wait
EOF

# subreaper.sh PIDFILE: leave an orphan behind; succeed if our parent adopted it.
cat >"$TMP/subreaper.sh" <<'EOF'
(sleep 2 & echo $! >"$1")
orphan=$(cat "$1")
adopter=$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$orphan/status")
[ "$adopter" = "$PPID" ] && exit 0
echo "orphan $orphan adopted by $adopter, not by our parent $PPID"
exit 1
EOF

# orphans.sh: as a child of PID 1, make orphans that exit at once, give PID 1 time to reap
# them, then print how many zombies this pid namespace holds while we still run.
cat >"$TMP/orphans.sh" <<'EOF'
[ "$PPID" = 1 ] || { echo "parent is $PPID, not 1"; exit 90; }
for i in 1 2 3 4 5; do (sleep 0.1 &); done
sleep 1
cat /proc/[0-9]*/stat 2>/dev/null | sed -n 's/^[0-9]* (.*) Z .*/Z/p' | wc -l
EOF

printf 'not a program\0\001\002' >"$TMP/garbage"
chmod 755 "$TMP/garbage"
printf '#!/bin/sh\nexit 0\n' >"$TMP/not-executable"
chmod 644 "$TMP/not-executable"

# ---------------------------------------------------------------------------------------

# exit_status_checks LABEL: INIT (an array) is the init command line before its options.
exit_status_checks() {
        local l=$1 code out
        for code in 0 3 255; do
                run "${INIT[@]}" -- sh -c "exit $code" </dev/null
                check_eq "$l: exit status $code is passed on" "$code" "$?"
        done
        run "${INIT[@]}" -- sh -c 'kill -TERM $$' </dev/null
        check_eq "$l: app killed by SIGTERM gives 143" 143 "$?"
        run "${INIT[@]}" -- sh -c 'kill -KILL $$' </dev/null
        check_eq "$l: app killed by SIGKILL gives 137" 137 "$?"

        out=$(run "${INIT[@]}" -- ward-no-such-command-xyz 2>&1 </dev/null)
        check_eq "$l: command not found gives 127" 127 "$?"
        check_eq "$l: not found is explained" \
                "ward-init: ward-no-such-command-xyz: No such file or directory" "$out"
        run "${INIT[@]}" -- "$TMP/not-executable" </dev/null 2>/dev/null
        check_eq "$l: file without x bit gives 126" 126 "$?"
        run "${INIT[@]}" -- "$TMP" </dev/null 2>/dev/null
        check_eq "$l: directory gives 126" 126 "$?"
        out=$(run "${INIT[@]}" -- "$TMP/garbage" 2>&1 </dev/null)
        check_eq "$l: exec format error gives 126, no /bin/sh fallback" 126 "$?" "$out"
        out=$(PATH="$TMP:/usr/bin:/bin" run "${INIT[@]}" -- garbage 2>&1 </dev/null)
        check_eq "$l: exec format error found through PATH gives 126" 126 "$?" "$out"
        out=$(PATH="/nonexistent:/usr/bin:/bin" run "${INIT[@]}" -- true 2>&1 </dev/null)
        check_eq "$l: PATH is searched past missing directories" 0 "$?" "$out"
}

quiet_and_usage_checks() {
        local l=$1 out
        out=$(run "${INIT[@]}" -- sh -c '(sleep 0.05 &); sleep 0.2; echo done' 2>&1 </dev/null)
        check_eq "$l: silent without -v (stdin not a tty)" "done" "$out"
        out=$(run "${INIT[@]}" -v -- true 2>&1 >/dev/null </dev/null)
        if [[ $out == *"exited with status 0"* ]]; then
                ok "$l: -v reports the app's exit"
        else
                not_ok "$l: -v reports the app's exit" "stderr: $out"
        fi
        run "${INIT[@]}" --help >/dev/null 2>&1
        check_eq "$l: --help exits 0" 0 "$?"
        run "${INIT[@]}" >/dev/null 2>&1
        check_eq "$l: no command gives 125" 125 "$?"
        run "${INIT[@]}" -e 256 -- true >/dev/null 2>&1
        check_eq "$l: -e 256 is refused (125)" 125 "$?"
        run "${INIT[@]}" -e x -- true >/dev/null 2>&1
        check_eq "$l: -e x is refused (125)" 125 "$?"
        run "${INIT[@]}" -Z -- true >/dev/null 2>&1
        check_eq "$l: unknown option gives 125" 125 "$?"
        run "${INIT[@]}" -s -- true </dev/null
        check_eq "$l: -s is accepted (tini compatibility)" 0 "$?"
        run "${INIT[@]}" -- sh -c 'exit 0' -g </dev/null
        check_eq "$l: options after the command belong to the command" 0 "$?"
}

remap_checks() {
        local l=$1
        run "${INIT[@]}" -e 3 -- sh -c 'exit 3' </dev/null
        check_eq "$l: -e 3 turns exit 3 into 0" 0 "$?"
        run "${INIT[@]}" -e 3 -- sh -c 'exit 4' </dev/null
        check_eq "$l: -e 3 leaves exit 4 alone" 4 "$?"
        run "${INIT[@]}" -e 3 -e 143 -- sh -c 'kill -TERM $$' </dev/null
        check_eq "$l: -e 143 (repeated -e) turns death by SIGTERM into 0" 0 "$?"
}

# forward_check LABEL SIGNAL STATUS [APP_PREFIX...]: SIGNAL sent to the init reaches the app.
forward_check() {
        local l=$1 sig=$2 status=$3 ready="$TMP/ready.$2" pid rc app
        shift 3
        rm -f "$ready"
        "${INIT[@]}" -- "$@" sh "$TMP/trap.sh" "$sig" "$status" "$ready" </dev/null &
        pid=$!
        if ! wait_file "$ready" 10; then
                kill -KILL "$pid" 2>/dev/null
                wait "$pid"
                not_ok "$l: SIG$sig sent to the init reaches the app" "the app never started"
                return
        fi
        app=$(cat "$ready")
        leftovers+=("$app trap.sh")
        kill -"$sig" "$pid"
        wait_status "$pid" 10
        rc=$?
        kill_leftover "$app" trap.sh # only when the signal never arrived
        check_eq "$l: SIG$sig sent to the init reaches the app" "$status" "$rc"
}

signal_checks() {
        local l=$1
        forward_check "$l" TERM 42
        forward_check "$l" USR1 43
        # Bash starts background jobs with SIGINT ignored: the init must still take it. The
        # app keeps it ignored, as under tini (sh could not trap it): env gives it back.
        forward_check "$l" INT 44 env --default-signal=INT
        forward_check "$l" HUP 45
        forward_check "$l" USR2 46
        forward_check "$l" WINCH 47
        # With -v and stderr a closed pipe, the init's own writes raise SIGPIPE at itself:
        # that one is not the app's (and forwarding it would write, and raise, again).
        {
                run "${INIT[@]}" -v -- sh -c 'trap "exit 9" PIPE; sleep 0.3; (true &); sleep 0.5' \
                        2>&1 >/dev/null </dev/null
                echo $? >"$TMP/pipe.rc"
        } | true
        check_eq "$l: SIGPIPE raised by the init's own stderr is not forwarded" 0 \
                "$(cat "$TMP/pipe.rc")"
}

# group_run OPTS...: SIGTERM to the init; prints whether the app's child survived.
group_run() {
        local ready="$TMP/group.ready" pidfile="$TMP/group.pid" pid rc child
        rm -f "$ready" "$pidfile"
        "${INIT[@]}" "$@" -- sh "$TMP/group.sh" "$pidfile" "$ready" </dev/null &
        pid=$!
        if ! wait_file "$ready" 10; then
                kill -KILL "$pid" 2>/dev/null
                wait "$pid"
                echo "never-started"
                return
        fi
        child=$(cat "$pidfile")
        leftovers+=("$child sleep 30")
        kill -TERM "$pid"
        wait_status "$pid" 10
        rc=$?
        if wait_gone "$child" 3; then
                echo "rc=$rc child=gone"
        else
                echo "rc=$rc child=alive"
                kill_leftover "$child" "sleep 30"
        fi
}

group_checks() {
        local l=$1
        check_eq "$l: -g sends SIGTERM to the app's whole process group" \
                "rc=143 child=gone" "$(group_run -g)"
        # The control: without -g only the app is signalled, so the check above can fail.
        check_eq "$l: without -g only the app gets it (control)" \
                "rc=143 child=alive" "$(group_run)"
}

subreaper_checks() {
        local l=$1 out rc
        out=$(run "${INIT[@]}" -- sh "$TMP/subreaper.sh" "$TMP/orphan.pid" 2>&1 </dev/null)
        rc=$?
        leftovers+=("$(cat "$TMP/orphan.pid" 2>/dev/null || echo 0) sleep 2")
        check_eq "$l: not PID 1, the init adopts orphans (child subreaper)" 0 "$rc" "$out"
        out=$(run sh "$TMP/subreaper.sh" "$TMP/orphan-control.pid" 2>&1 </dev/null)
        rc=$?
        leftovers+=("$(cat "$TMP/orphan-control.pid" 2>/dev/null || echo 0) sleep 2")
        check_eq "$l: a plain parent does not adopt them (control)" 1 "$rc" "$out"
}

# The checks that need root: a pid namespace of our own (the init is PID 1 there) and
# another uid. unshare --mount-proc gives the namespace its own /proc.
pidns() {
        run unshare --pid --fork --mount-proc "$@"
}

pid1_checks() {
        local l=$1 out rc
        if ! pidns true 2>/dev/null; then
                skip "$l: PID 1 checks" "cannot create a pid namespace (needs root)"
                return
        fi
        out=$(pidns "${INIT[@]}" -- sh "$TMP/orphans.sh" 2>&1 </dev/null)
        check_eq "$l: as PID 1, exited orphans are reaped while the app runs" 0 "$out"
        # The control: a PID 1 that never waits (sleep) leaves them as zombies.
        out=$(pidns sh -c "sh '$TMP/orphans.sh' & exec sleep 2" 2>&1 </dev/null)
        check_eq "$l: a PID 1 that does not reap leaves zombies (control)" 5 "$out"

        pidns "${INIT[@]}" -- sh -c 'exit 7' </dev/null
        check_eq "$l: as PID 1, the exit status is passed on" 7 "$?"
        # The trap runs at once in `wait` (a foreground sleep would hold it for 5 s).
        pidns "${INIT[@]}" -- sh -c 'trap "kill \$s; exit 48" USR1; sleep 5 & s=$!
                kill -USR1 1; wait $s; exit 1' </dev/null
        check_eq "$l: as PID 1, a signal from inside the namespace is forwarded" 48 "$?"
        pid1_term_check "$l"
}

# SIGTERM from the parent pid namespace to PID 1 (what the monitor does) reaches the app.
pid1_term_check() {
        local l=$1 ready="$TMP/pid1.ready" pid init rc
        rm -f "$ready"
        unshare --pid --fork --mount-proc "${INIT[@]}" -- sh "$TMP/trap.sh" TERM 49 "$ready" \
                </dev/null &
        pid=$!
        if ! wait_file "$ready" 10; then
                kill -KILL "$pid" 2>/dev/null
                wait "$pid"
                not_ok "$l: as PID 1, SIGTERM from outside reaches the app" "never started"
                return
        fi
        init=$(cat /proc/"$pid"/task/*/children)
        kill -TERM "$init"
        wait_status "$pid" 10
        rc=$?
        check_eq "$l: as PID 1, SIGTERM from outside reaches the app" 49 "$rc"
}

# CVE-2019-5736: the app must not reach the init's binary through /proc/<init>/exe. As
# root the app could (CAP_SYS_PTRACE), so both run as uid 65534: between processes of the
# same uid only the init's non-dumpable flag stands in the way.
dumpable_checks() {
        local l=$1 out rc copy
        copy="$TMP/bin/$(basename "${INIT[0]}")"
        local as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
                skip "$l: non-dumpable checks" "needs root and setpriv"
                return
        fi
        # A copy nobody can read: an unreadable binary would make the process non-dumpable
        # by itself, and the check would prove nothing.
        mkdir -p "$TMP/bin" && chmod 755 "$TMP/bin" && cp "${INIT[0]}" "$copy" &&
                chmod 755 "$copy"
        run "${as_nobody[@]}" test -r "$copy"
        check_eq "$l: uid 65534 can read the init binary (precondition)" 0 "$?"
        out=$(run "${as_nobody[@]}" sh -c 'sleep 2 & p=$!; readlink -v /proc/$p/exe; kill $p' \
                2>&1 </dev/null)
        check_eq "$l: a dumpable process's exe is readable by its uid (control)" 0 "$?" "$out"

        out=$(run "${as_nobody[@]}" "$copy" "${INIT[@]:1}" -- \
                sh -c 'readlink -v /proc/$PPID/exe' 2>&1 </dev/null)
        rc=$?
        if [ "$rc" != 0 ] && [[ $out == *"Permission denied"* ]]; then
                ok "$l: the init's /proc/PID/exe is closed to the app (non-dumpable)"
        else
                not_ok "$l: the init's /proc/PID/exe is closed to the app (non-dumpable)" \
                        "rc=$rc: $out"
        fi
        if pidns true 2>/dev/null; then
                out=$(pidns "${as_nobody[@]}" "$copy" "${INIT[@]:1}" -- \
                        sh -c 'readlink -v /proc/1/exe' 2>&1 </dev/null)
                rc=$?
                if [ "$rc" != 0 ] && [[ $out == *"Permission denied"* ]]; then
                        ok "$l: as PID 1, /proc/1/exe is closed to the app"
                else
                        not_ok "$l: as PID 1, /proc/1/exe is closed to the app" "rc=$rc: $out"
                fi
        fi
}

# ^C typed on a terminal: script(1) gives the init a pty as its controlling terminal.
# script runs the command with $SHELL -c; "exec" keeps that shell out of the foreground
# group, where dash (no wait-and-cooperative-exit) would die of the ^C itself.
# tty_run OPTS...: sends ^C once the app is ready; prints the app's exit status.
tty_run() {
        local ready="$TMP/tty.ready" cmd
        rm -f "$ready"
        printf -v cmd '%q ' "${INIT[@]}" "$@" -- sh "$TMP/trap.sh" INT 50 "$ready"
        {
                wait_file "$ready" 10
                printf '\003'
                sleep 1 # keep the pty's input open until the app has reacted
        } | run script -qec "exec $cmd" /dev/null >/dev/null 2>&1
        echo "${PIPESTATUS[1]}"
        [ -s "$ready" ] && kill_leftover "$(cat "$ready")" trap.sh
}

tty_checks() {
        local l=$1 out
        if ! command -v script >/dev/null; then
                skip "$l: terminal checks" "script(1) is not installed"
                return
        fi
        check_eq "$l: ^C on the terminal reaches the app" 50 "$(tty_run)"
        check_eq "$l: ^C on the terminal reaches the app in its own group (-g)" 50 \
                "$(tty_run -g)"
        # -g hands the terminal to the app's group only if the init held it: a job started
        # in the background of a job-control shell must not take the foreground. The app
        # prints whether its group is the terminal's foreground group.
        check_eq "$l: -g in the background leaves the terminal to the shell" different \
                "$(tty_foreground_run '&')"
        check_eq "$l: -g in the foreground hands the terminal to the app (control)" same \
                "$(tty_foreground_run '')"
}

# tty_foreground_run '&'|'': run `init -g` from a job-control shell on a pty, in the
# background or not; prints "same" if the app's group got the terminal, else "different".
tty_foreground_run() {
        local cmd out pgid tpgid
        printf -v cmd '%q ' "${INIT[@]}" -g -- sh -c 'ps -o pgid=,tpgid= -p $$'
        out=$(run script -qec "set -m; $cmd $1 wait" /dev/null </dev/null 2>&1 | tr -d '\r' |
                grep -E '^ *[0-9]+ +[0-9]+ *$')
        read -r pgid tpgid <<<"$out"
        if [ -z "${pgid:-}" ]; then
                echo "no output: $out"
        elif [ "$pgid" = "$tpgid" ]; then
                echo same
        else
                echo different
        fi
}

# tini's -w, -p and environment, for images that switch from tini.
tini_checks() {
        local l=$1 out rc pidfile=$TMP/pdeath.pid app
        out=$(run "${INIT[@]}" -w -- sh -c '(sleep 0.05 &); sleep 0.4' 2>&1 </dev/null)
        check_eq "$l: -w warns when an orphaned zombie is reaped" 1 \
                "$(grep -c 'warning: reaped zombie process' <<<"$out")" "$out"
        out=$(run "${INIT[@]}" -- sh -c '(sleep 0.05 &); sleep 0.4' 2>&1 </dev/null)
        check_eq "$l: without -w, nothing (control)" "" "$out"
        out=$(run "${INIT[@]}" -p NOSUCH -- true 2>&1 </dev/null)
        rc=$?
        check_eq "$l: -p with a bad signal: 125" 125 "$rc" "$out"
        # -p TERM: when the init's parent dies, the init gets SIGTERM and forwards it.
        for p in "-p SIGTERM" ""; do
                rm -f "$pidfile"
                # The parent: a shell that starts the init in the background and exits once
                # the app runs (before that, the init may not have asked for the signal yet).
                sh -c "\"\$@\" $p -- sh -c 'echo \$\$ >$pidfile; exec sleep 30' </dev/null \
                        >/dev/null 2>&1 & until [ -s $pidfile ]; do sleep 0.05; done" sh "${INIT[@]}"
                wait_file "$pidfile" 10
                app=$(cat "$pidfile" 2>/dev/null || echo 0)
                leftovers+=("$app sleep 30")
                if wait_gone "$app" 3; then out=gone; else out=alive; fi
                if [ -n "$p" ]; then
                        check_eq "$l: -p SIGTERM: the parent died, the app got SIGTERM" gone "$out"
                else
                        check_eq "$l: without -p the app lives on (control)" alive "$out"
                        kill_leftover "$app" "sleep 30"
                fi
        done
        check_eq "$l: TINI_KILL_PROCESS_GROUP=1 is -g" "rc=143 child=gone" \
                "$(TINI_KILL_PROCESS_GROUP=1 group_run)"
        # The app starts with the signals the init's parent ignored still ignored (SIGPIPE:
        # bit 13), and with no other (the init's own mask and SIGCHLD reset stay its own).
        out=$(run env --ignore-signal=PIPE "${INIT[@]}" -- awk '/^SigIgn|^SigBlk/ { print $2 }' \
                /proc/self/status 2>&1 </dev/null | tr '\n' ' ')
        check_eq "$l: SIGPIPE ignored by the parent stays ignored in the app" \
                "0000000000000000 0000000000001000 " "$out"
        out=$(run env --default-signal=PIPE "${INIT[@]}" -- awk '/^SigIgn/ { print $2 }' \
                /proc/self/status 2>&1 </dev/null)
        check_eq "$l: SIGPIPE not ignored by the parent is not ignored (control)" \
                0000000000000000 "$out"
        out=$(run "${INIT[@]}" -- sh -c 'set -- $(cat /proc/$$/stat); [ "$5" = $$ ] && echo own' \
                2>&1 </dev/null)
        check_eq "$l: the app leads its own process group, as under tini" own "$out"
}

suite() {
        local l=$1
        exit_status_checks "$l"
        quiet_and_usage_checks "$l"
        remap_checks "$l"
        signal_checks "$l"
        group_checks "$l"
        subreaper_checks "$l"
        tini_checks "$l"
        pid1_checks "$l"
        dumpable_checks "$l"
        tty_checks "$l"
}

INIT=("$WARD_INIT")
suite ward-init

if [ -n "$WARD" ] && [ -x "$WARD" ] && "$WARD" init --help >/dev/null 2>&1; then
        INIT=("$WARD" init)
        suite "ward init"
else
        echo "# SKIP ward init: ${WARD:-WARD unset} does not run \`ward init --help\`"
fi

echo "# $checks checks, $failures failed"
[ "$failures" = 0 ]
