#!/usr/bin/env bash
# ward-init next to tini (issue 13): one table of cases, each run under tini and under
# ward-init, as PID 1 of a fresh pid namespace and as a child subreaper (-s) in this shell.
# A case prints what a user of the init can observe (an exit status, whether a signal
# arrived, the app's process group, its ignored signals...) and the row holds what tini's
# users rely on. Where ward-init differs on purpose the row says why, and ward-init is held
# to its own documented behaviour (ward-init(8), COMPARED WITH TINI) instead.
#
# Prints "tini N/M, ward-init K/M" and every row where the two differ. Any row that either
# init gets wrong fails the suite: a tini failure means the table is wrong.
#
# Env: WARD, WARD_INIT (required), TINI (default: tini on PATH).
# shellcheck disable=SC2016,SC2317 # $vars for the app's shell; cases are called by row
source "$(dirname "$0")/lib.sh"

WARD_INIT=${WARD_INIT:?set WARD_INIT to the ward-init binary}
TINI=${TINI:-$(command -v tini || true)}
if [ -z "$TINI" ] || [ ! -x "$TINI" ]; then
        echo "1..0 # SKIP tini is not installed (apt-get install -y tini)"
        exit 77
fi
# Every case starts from default signal dispositions (a background job of this script
# would have SIGINT and SIGQUIT ignored), or from the ones the case chooses.
if ! env --default-signal --ignore-signal=PIPE true 2>/dev/null; then
        echo "1..0 # SKIP env(1) has no --default-signal/--ignore-signal (coreutils >= 8.31)"
        exit 77
fi
echo "# tini=$TINI ($("$TINI" --version 2>&1)) ward-init=$WARD_INIT"

SIGS=(env --default-signal) # what every init starts under, unless the case says otherwise
PREFIX=()                   # pid1: unshare -fp --mount-proc
MODE_OPTS=()                # sub: -s
MODE=
BIN=

# ---------------------------------------------------------------------------------------
# The app's side: small scripts. TAG is always their last argument, so that lib.sh finds
# (and ends) any of them left running; every loop is bounded.

LOOP='i=0; while [ $i -lt "$n" ]; do sleep 0.05; i=$((i+1)); done'

# forward.sh SIGNAL CODE READY TAG: exit CODE when SIGNAL arrives.
cat >"$WORK/forward.sh" <<EOF
trap "exit \$2" "\$1"
touch "\$3"
n=200; $LOOP
exit 99
EOF

# reap.sh DETAIL TAG: leave an orphan (alive 1 s); print whether our parent, the init,
# adopted it and, with DETAIL=full, whether it was reaped once it had exited (a zombie for
# half a second is not; the machine may be slow, so no fixed deadline before that).
cat >"$WORK/reap.sh" <<EOF
o=\$(sh -c 'sleep 1 >/dev/null & echo \$!')
sleep 0.1
p=\$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/\$o/status")
if [ "\$p" = "\$PPID" ]; then r=adopted; else r=not-adopted; fi
[ "\$1" = full ] || { echo \$r; exit 0; }
i=0 z=0
while [ \$i -lt 400 ] && [ \$z -lt 10 ]; do
        state=\$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/\$o/status" 2>/dev/null)
        [ -n "\$state" ] || break
        [ "\$state" = Z ] && z=\$((z+1))
        sleep 0.05; i=\$((i+1))
done
if [ -z "\$state" ]; then echo "\$r reaped"; else echo "\$r state-\$state"; fi
EOF

# group_child.sh GOT READY PIDFILE TAG: the app's child, in the app's process group.
cat >"$WORK/group_child.sh" <<EOF
echo \$\$ >"\$3"
trap 'echo got >"\$1"; exit 0' TERM
touch "\$2"
n=100; $LOOP
EOF

# group_app.sh READY GOT CHILDREADY PIDFILE TAG: start a child; on SIGTERM give the child
# two seconds to note its own copy (as PID 1 our exit would kill it first), then exit 42.
cat >"$WORK/group_app.sh" <<EOF
sh "$WORK/group_child.sh" "\$2" "\$3" "\$4" "\$5" &
n=100; i=0; while [ ! -e "\$3" ] && [ \$i -lt \$n ]; do sleep 0.05; i=\$((i+1)); done
trap 'n=40; i=0; while [ ! -e "\$2" ] && [ \$i -lt \$n ]; do sleep 0.05; i=\$((i+1)); done; exit 42' TERM
touch "\$1"
n=200; $LOOP
exit 99
EOF

# note_term.sh GOT READY TAG: note a SIGTERM in GOT and exit. READY gets our pid.
cat >"$WORK/note_term.sh" <<EOF
trap 'echo got >"\$1"; exit 0' TERM
echo \$\$ >"\$2.tmp" && mv "\$2.tmp" "\$2"
n=100; $LOOP
EOF

# linger.sh PIDFILE TAG: a child the app leaves running when it exits.
cat >"$WORK/linger.sh" <<EOF
echo \$\$ >"\$1"
n=60; $LOOP
EOF

# tty_app.sh READY TAG: count the ^C that reach us (the trap runs between sleeps).
cat >"$WORK/tty_app.sh" <<EOF
c=0
trap 'c=\$((c+1))' INT
touch "\$1"
n=30; $LOOP
echo "sigint=\$c"
EOF

echo 'exit 4' >"$WORK/exit4.sh"
printf 'not a program\0\001\002' >"$WORK/garbage"
chmod 755 "$WORK/garbage"
printf '#!/bin/sh\nexit 0\n' >"$WORK/no-x-bit"
chmod 644 "$WORK/no-x-bit"

# ---------------------------------------------------------------------------------------
# Running an init

# fg OPTS... -- CMD...: the init in the foreground; RC, and its stdout/stderr in files.
fg() {
        timeout -s KILL 20 "${SIGS[@]}" "${PREFIX[@]}" "$BIN" "${MODE_OPTS[@]}" "$@" \
                </dev/null >"$WORK/fg.out" 2>"$WORK/fg.err"
        RC=$?
}

# bg OPTS... -- CMD...: the init in the background; BG is what we started, INIT_PID the
# init (BG's child when a PREFIX runs it).
bg() {
        local deadline=$((SECONDS + 10))
        "${SIGS[@]}" "${PREFIX[@]}" "$BIN" "${MODE_OPTS[@]}" "$@" </dev/null >/dev/null \
                2>"$WORK/bg.err" &
        BG=$!
        INIT_PID=$BG
        [ ${#PREFIX[@]} = 0 ] && return 0
        INIT_PID=
        while [ -z "$INIT_PID" ] && ((SECONDS < deadline)); do
                read -r INIT_PID _ <"/proc/$BG/task/$BG/children" 2>/dev/null
                [ -n "$INIT_PID" ] || sleep 0.02
        done
}

# bg_end: wait for BG (10 s at most, then SIGKILL to the init and BG); sets RC.
bg_end() {
        local deadline=$((SECONDS + 10))
        while kill -0 "$BG" 2>/dev/null && ((SECONDS < deadline)); do
                sleep 0.02
        done
        kill -KILL "${INIT_PID:-$BG}" "$BG" 2>/dev/null
        wait "$BG"
        RC=$?
}


# end_tagged PIDFILE: SIGKILL a script of ours that may outlive its case (pids are reused:
# only when its command line still holds our TAG).
end_tagged() {
        local pid cmdline
        pid=$(cat "$1" 2>/dev/null) || return 0
        cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 0
        [[ $cmdline == *"$TAG"* ]] && kill -KILL "$pid" 2>/dev/null
        return 0
}

# ---------------------------------------------------------------------------------------
# The cases: each prints one line, the observable result.

case_status() { # ARGS...: the init's exit status
        fg "$@"
        echo "$RC"
}

case_forward() { # SIGNAL: sent to the init once the app traps it
        local ready="$WORK/ready.forward"
        rm -f "$ready"
        bg -- sh "$WORK/forward.sh" "$1" 42 "$ready" "$TAG"
        wait_file "$ready" 10 && kill -"$1" "$INIT_PID"
        bg_end
        echo "$RC"
}

case_to_own_init() { # the app signals its init, which sends it back
        # The trap runs at once in `wait` (a foreground sleep would hold it for 5 s).
        fg -- sh -c 'trap "kill \$s; exit 48" USR1; sleep 5 & s=$!; kill -USR1 $PPID; wait $s
                exit 1' "$TAG"
        echo "$RC"
}

case_reap() { # DETAIL [OPTS...]
        local detail=$1
        shift
        fg "$@" -- sh "$WORK/reap.sh" "$detail" "$TAG"
        cat "$WORK/fg.out"
}

case_pgroup() { # does the app lead a process group of its own?
        fg "$@" -- sh -c 'set -- $(cat /proc/$$/stat); [ "$5" = $$ ] && echo own || echo shared' \
                "$TAG"
        cat "$WORK/fg.out"
}

case_group_signal() { # [OPTS...]: SIGTERM to the init; did the app's child get one?
        local ready="$WORK/ready.group" got="$WORK/got.group" cready="$WORK/cready.group"
        local pidfile="$WORK/pid.group"
        rm -f "$ready" "$got" "$cready" "$pidfile"
        bg "$@" -- sh "$WORK/group_app.sh" "$ready" "$got" "$cready" "$pidfile" "$TAG"
        wait_file "$ready" 10 && kill -TERM "$INIT_PID"
        bg_end
        sleep 0.2
        end_tagged "$pidfile"
        if [ -e "$got" ]; then echo "rc=$RC child=signalled"; else echo "rc=$RC child=not"; fi
}

case_sig_ignored() { # SIGNALS: start the init with them ignored; the app's SigIgn
        local SIGS=(env --default-signal)
        [ -n "$1" ] && SIGS+=("--ignore-signal=$1")
        fg -- awk '/^SigIgn:/ { print $2 }' /proc/self/status
        cat "$WORK/fg.out"
}

case_sig_blocked() { # the app's blocked mask (the init blocks nearly everything)
        fg -- awk '/^SigBlk:/ { print $2 }' /proc/self/status
        cat "$WORK/fg.out"
}

case_pdeath() { # [OPTS...]: the init's parent dies; did the app get SIGTERM?
        local ready="$WORK/ready.pdeath" got="$WORK/got.pdeath" PREFIX=("${PREFIX[@]}")
        rm -f "$ready" "$got"
        # As a subreaper the init's parent is a shell of ours; as PID 1 it is unshare.
        [ "$MODE" = sub ] && PREFIX=(sh -c '"$@" & wait' "$TAG")
        bg "$@" -- sh "$WORK/note_term.sh" "$got" "$ready" "$TAG"
        wait_file "$ready" 10 && kill -KILL "$BG"
        wait "$BG" 2>/dev/null
        # A parent-death signal comes within milliseconds of the death: 2 s tell "not".
        wait_file "$got" 2
        if [ -e "$got" ]; then echo signalled; else echo not; fi
        # Without -p, the init and the app are still there.
        kill -KILL "$INIT_PID" 2>/dev/null
        end_tagged "$ready"
}

case_chatter() { # ARGS...: does the init say anything (tini -v writes to stdout)?
        fg "$@"
        if [ -s "$WORK/fg.err" ] || [ -s "$WORK/fg.out" ]; then echo chatty; else echo quiet; fi
}

case_warn() { # [OPTS...]: how many reaped-zombie warnings for one orphan
        # The app ends once the orphan is gone (reaped), or after 5 s.
        fg "$@" -- sh -c 'o=$(sh -c "sleep 0.05 >/dev/null & echo \$!"); i=0
                while [ -e /proc/$o ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done' "$TAG"
        grep -ci 'reaped zombie' "$WORK/fg.err"
}

case_stdout() { # ARGS...: the app's output
        fg "$@"
        cat "$WORK/fg.out"
}

case_exit_early() { # the app exits leaving a child: the init exits at once, its status
        local pidfile="$WORK/pid.linger" start=${EPOCHREALTIME/[.,]/} took
        rm -f "$pidfile"
        fg -- sh -c 'sh "$1" "$2" "$0" & exit 5' "$TAG" "$WORK/linger.sh" "$pidfile"
        took=$((${EPOCHREALTIME/[.,]/} - start)) # microseconds; the child lives 3 s
        wait_file "$pidfile" 1                   # as a subreaper the init left it running
        end_tagged "$pidfile"
        if ((took < 2500000)); then echo "$RC at-once"; else echo "$RC late"; fi
}

# tty OPTS... -- CMD...: the init on a pty of script(1), in the foreground (TTY_BG empty)
# or as a background job of a job-control shell (TTY_BG='&'); prints the app's stdout.
tty() {
        local cmd
        printf -v cmd '%q ' "${SIGS[@]}" "${PREFIX[@]}" "$BIN" "${MODE_OPTS[@]}" "$@"
        timeout -s KILL 20 script -qec "set -m; $cmd ${TTY_BG:-;} wait" /dev/null 2>&1 |
                tr -d '\r' | sed -n 's/^\(\^C\)*\(fg\|bg\|sigint=[0-9]*\)$/\2/p'
}

case_tty_foreground() { # [&]: is the app's group the terminal's foreground group?
        local TTY_BG=$1
        tty -- sh -c 'set -- $(cat /proc/$$/stat); [ "$5" = "$8" ] && echo fg || echo bg' \
                "$TAG" </dev/null
}

case_tty_ctrl_c() { # ^C typed on the terminal: how many SIGINT the app gets
        local ready="$WORK/ready.tty"
        rm -f "$ready"
        {
                wait_file "$ready" 10
                printf '\003'
                sleep 3 # the pty's input stays open until the app is done
        } | tty -- sh "$WORK/tty_app.sh" "$ready" "$TAG"
}

# ---------------------------------------------------------------------------------------
# The table

ROWS=0
TINI_PASS=0
WARD_PASS=0
DIFFS=()

# row LABEL WANT WARD_WANT WHY CASE [ARGS...]: run CASE under both inits. WARD_WANT "="
# means as tini; otherwise WHY says why ward-init differs on purpose.
row() {
        local label="$MODE: $1" want=$2 ward_want=$3 why=$4 got_tini got_ward
        shift 4
        [ "$ward_want" = "=" ] && ward_want=$want
        BIN=$TINI
        got_tini=$("$@")
        BIN=$WARD_INIT
        got_ward=$("$@")
        ROWS=$((ROWS + 1))
        LAST_CMD=
        if [ "$got_tini" = "$want" ]; then
                TINI_PASS=$((TINI_PASS + 1))
                ok "tini: $label: $got_tini"
        else
                fail "tini: $label (the table is wrong, or this tini differs)" \
                        "expected: '$want'" "got:      '$got_tini'"
        fi
        if [ "$got_ward" = "$ward_want" ]; then
                WARD_PASS=$((WARD_PASS + 1))
                ok "ward-init: $label: $got_ward${why:+ (differs on purpose: $why)}"
        else
                fail "ward-init: $label" "expected: '$ward_want'${why:+ ($why)}" \
                        "got:      '$got_ward'" "tini:     '$got_tini'"
        fi
        [ "$got_tini" = "$got_ward" ] && return 0
        DIFFS+=("$label: tini '$got_tini', ward-init '$got_ward'${why:+ -- on purpose: $why}")
}

table() {
        local s
        for s in 0 3 255; do
                row "exit status $s passed on" "$s" = "" case_status -- sh -c "exit $s"
        done
        row "app killed by SIGTERM: 143" 143 = "" case_status -- sh -c 'kill -TERM $$'
        row "app killed by SIGKILL: 137" 137 = "" case_status -- sh -c 'kill -KILL $$'
        for s in TERM INT QUIT HUP USR1 USR2 WINCH ALRM; do
                row "SIG$s sent to the init reaches the app" 42 = "" case_forward "$s"
        done
        row "a signal the app sends its init comes back" 48 = "" case_to_own_init
        row "an orphan is adopted and reaped" "adopted reaped" = "" case_reap full
        row "the app leads its own process group" own = "" case_pgroup
        row "-g: the app leads its own process group" own = "" case_pgroup -g
        row "-g: SIGTERM reaches the app's child too" "rc=42 child=signalled" = "" \
                case_group_signal -g
        row "without -g only the app gets SIGTERM" "rc=42 child=not" = "" case_group_signal
        row "TINI_KILL_PROCESS_GROUP=1 is -g" "rc=42 child=signalled" = "" \
                env_case TINI_KILL_PROCESS_GROUP=1 -- case_group_signal
        row "TINI_KILL_PROCESS_GROUP set but empty" "rc=42 child=signalled" "rc=42 child=not" \
                "an empty variable reads as unset, so ENV TINI_KILL_PROCESS_GROUP= turns it off" \
                env_case TINI_KILL_PROCESS_GROUP= -- case_group_signal
        row "SIGPIPE and SIGINT ignored by the parent stay ignored" 0000000000001002 = "" \
                case_sig_ignored PIPE,INT
        row "nothing ignored by the parent: nothing ignored (control)" 0000000000000000 = "" \
                case_sig_ignored ""
        row "the app's signal mask is empty" 0000000000000000 = "" case_sig_blocked
        row "-e 3: exit 3 is 0" 0 = "" case_status -e 3 -- sh -c 'exit 3'
        row "-e 3: exit 4 stays 4" 4 = "" case_status -e 3 -- sh -c 'exit 4'
        row "-e 143: death by SIGTERM is 0" 0 = "" case_status -e 143 -- sh -c 'kill -TERM $$'
        row "-p SIGTERM: the parent dies, the app gets SIGTERM" signalled = "" \
                case_pdeath -p SIGTERM
        row "without -p the app does not (control)" not = "" case_pdeath
        row "-w warns when an orphan is reaped" 1 = "" case_warn -w
        row "without -w, no warning (control)" 0 = "" case_warn
        row "quiet by default" quiet = "" case_chatter -- true
        row "-v says what happens" chatty = "" case_chatter -v -- true
        row "TINI_VERBOSITY=3 says what happens" chatty = "" \
                env_case TINI_VERBOSITY=3 -- case_chatter -- true
        row "options after the command are the command's" -g = "" \
                case_stdout -- sh -c 'echo "$1"' sh -g
        row "the command without --" 4 = "" case_status sh "$WORK/exit4.sh"
        row "without --, an option after the command" 1 4 \
                "options end at the command (ward-init(8)): ward-init sh -c CMD runs sh -c CMD" \
                case_status sh -c 'exit 4'
        row "the app exits leaving a child: the init exits at once" "5 at-once" = "" \
                case_exit_early
        row "command not found: 127" 127 = "" case_status -- ward-no-such-command-xyz
        row "file without x bit: 126" 126 = "" case_status -- "$WORK/no-x-bit"
        row "a directory: 126" 126 = "" case_status -- "$WORK"
        row "an executable that is neither binary nor script" 127 126 \
                "no execvp(3) /bin/sh fallback: docker's 126, 'cannot be executed'" \
                case_status -- "$WORK/garbage"
        row "unknown option" 1 125 \
                "125 is the init's own failure, as docker and ward run give; 1 is an app's" \
                case_status -Z -- true
        row "no command" 1 125 "as for a bad option" case_status
        row "-e 256" 1 125 "as for a bad option" case_status -e 256 -- true
        row "-p with no such signal" 1 125 "as for a bad option" case_status -p SIGNOPE -- true
        if [ "$MODE" = sub ]; then
                sub_rows
        fi
        tty_rows
}

sub_rows() {
        local MODE_OPTS=()
        row "without -s an orphan goes to the init" not-adopted adopted \
                "ward-init is always a child subreaper: zombies never pile up unseen" \
                case_reap short
        row "TINI_SUBREAPER=1 is -s" "adopted reaped" = "" \
                env_case TINI_SUBREAPER=1 -- case_reap full
}

tty_rows() {
        if ! command -v script >/dev/null; then
                skip "$MODE: terminal rows" "script(1) is not installed (apt-get install -y util-linux)"
                return
        fi
        row "on a terminal the app's group is the foreground" fg = "" case_tty_foreground ""
        row "^C on the terminal reaches the app, once" sigint=1 = "" case_tty_ctrl_c
        # Not as PID 1 under unshare -fp: neither the shell's group nor the init's is
        # visible in the new namespace (both read as 0), so the init cannot tell, and does
        # as tini does (ward-init(8)).
        [ "$MODE" = pid1 ] && return 0
        row "a background job: the terminal stays the shell's" fg bg \
                "an init started with & must not take the terminal from the shell" \
                case_tty_foreground '&'
}

# env_case VAR=VALUE... -- CASE [ARGS...]: CASE with the variables in the init's
# environment (and nothing else changed).
env_case() {
        local ENVS=()
        while [ "$1" != -- ]; do
                ENVS+=("$1")
                shift
        done
        shift
        local SIGS=("${SIGS[@]}" "${ENVS[@]}")
        "$@"
}

# ---------------------------------------------------------------------------------------

if unshare -fp --mount-proc true 2>/dev/null; then
        MODE=pid1 PREFIX=(unshare -fp --mount-proc) MODE_OPTS=()
        table
        # The reaping rows can fail: a PID 1 that never waits leaves the orphan a zombie.
        BIN=$(command -v sh)
        fg -c 'sh "$1" full "$2" & exec sleep 5' sh "$WORK/reap.sh" "$TAG"
        assert_eq "pid1: a PID 1 that does not reap leaves a zombie (control)" \
                "adopted state-Z" "$(cat "$WORK/fg.out")"
else
        skip "PID 1 rows" "cannot create a pid namespace here (unshare -fp needs root)"
fi
MODE=sub PREFIX=() MODE_OPTS=(-s)
table

echo "# tini $TINI_PASS/$ROWS, ward-init $WARD_PASS/$ROWS"
echo "# ${#DIFFS[@]} rows where ward-init and tini differ:"
for d in "${DIFFS[@]}"; do
        echo "#   $d"
done
finish
