#!/usr/bin/env bash
# Exit statuses through `ward run` (docker run's: the app's, 128+N, 125/126/127), signals
# sent to the monitor reaching the app, zombies reaped by the init, and a SIGKILLed monitor
# taking the whole sandbox with it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
printf '#!/bin/sh\nexit 0\n' >"$R/bin/not-executable" && chmod 644 "$R/bin/not-executable"
printf 'not a program\0\001\002' >"$R/bin/garbage" && chmod 755 "$R/bin/garbage"

# -- exit statuses ----------------------------------------------------------------------
for mode in --init --no-init; do
        for code in 0 3 255; do
                wrun --rootfs "$R" $mode -- "${P[@]}" exit "$code"
                assert_eq "$mode: the app's exit status $code is ward's" "$code" "$RC"
        done
        # (Only with the init: as PID 1 of its namespace the app cannot be killed from
        # inside it, by itself or by its children: the kernel drops those signals.)
        if [ "$mode" = --init ]; then
                wrun --rootfs "$R" $mode -- /bin/sh -c 'kill -KILL $$' "$TAG"
                assert_eq "$mode: app killed by SIGKILL gives 137" 137 "$RC"
                wrun --rootfs "$R" $mode -- /bin/sh -c 'kill -TERM $$' "$TAG"
                assert_eq "$mode: app killed by SIGTERM gives 143" 143 "$RC"
                wrun --rootfs "$R" $mode -- /bin/sh -c 'kill -SEGV $$' "$TAG"
                assert_eq "$mode: app killed by SIGSEGV gives 139" 139 "$RC"
        fi
        wrun --rootfs "$R" $mode -- /bin/no-such-command "$TAG"
        assert_eq "$mode: /bin/no-such-command gives 127" 127 "$RC"
        assert_contains "$mode: not found is explained" "$ERR" no-such-command
        wrun --rootfs "$R" $mode -- no-such-command "$TAG"
        assert_eq "$mode: no-such-command (PATH search) gives 127" 127 "$RC"
        wrun --rootfs "$R" $mode -- /bin/not-executable "$TAG"
        assert_eq "$mode: a file without the x bit gives 126" 126 "$RC"
        assert_contains "$mode: not executable is explained" "$ERR" not-executable
        wrun --rootfs "$R" $mode -- /etc "$TAG"
        assert_eq "$mode: a directory gives 126" 126 "$RC"
        wrun --rootfs "$R" $mode -- /bin/garbage "$TAG"
        assert_eq "$mode: an exec format error gives 126" 126 "$RC"
done
wrun --rootfs "$R" --bogus-flag -- "${P[@]}" exit 0
assert_eq "a bad flag gives 125" 125 "$RC"
assert_eq "a bad flag: the app did not run" "" "$OUT"

# A death that ward's own setting caused is said, with the setting and where it was set; an
# app that exits 153 by itself (what a SIGXFSZ death also gives) is not blamed on it. The
# init tells the monitor which it was (before, both were a silent 153).
wrun --rootfs "$R" --ulimit fsize=1024 -- /bin/sh -c \
        'dd if=/dev/zero of=/tmp/big bs=2048 count=1 2>/dev/null' "$TAG"
assert_eq "LimitFSIZE: the app dies of SIGXFSZ (153)" 153 "$RC"
assert_contains "LimitFSIZE: ward names the limit and where it was set" "$ERR" \
        "killed by SIGXFSZ: a file it wrote grew past LimitFSIZE=1024 (command line)"
wrun --rootfs "$R" --ulimit fsize=1024 -- /bin/sh -c 'exit 153' "$TAG"
assert_eq "exit 153 by itself: 153" 153 "$RC"
assert_not_contains "exit 153 by itself: no word of a limit (control)" "$ERR" "killed by"

# A fork refused at LimitNPROC leaves no trace but the app's failure: the init counts the
# tasks of the app's user left when the app failed, and ward names the limit when they
# reached it (before, 50db247: not a word). Controls: the same loop under a higher limit
# forks every child; a failure below the limit is not blamed on it.
fork_loop='for i in $(seq 40); do sleep 1 & done; wait'
wrun --rootfs "$R" --ulimit nproc=20 -- /bin/sh -c "$fork_loop" "$TAG"
assert_eq "LimitNPROC=20: the shell's fork fails, it exits 2" 2 "$RC"
assert_contains "LimitNPROC=20: the shell saw EAGAIN" "$ERR" "Resource temporarily unavailable"
assert_contains "LimitNPROC=20: ward names the limit and where it was set" "$ERR" \
        "at LimitNPROC=20 (command line), beyond which a fork or a new thread fails with EAGAIN"
wrun --rootfs "$R" --ulimit nproc=100 -- /bin/sh -c "$fork_loop" "$TAG"
assert_eq "LimitNPROC=100 (control): the 40 children run, exit 0" 0 "$RC"
assert_not_contains "LimitNPROC=100 (control): no word of the limit" "$ERR" LimitNPROC
wrun --rootfs "$R" --ulimit nproc=100 -- /bin/sh -c 'sleep 3 & sleep 3 & exit 4' "$TAG"
assert_eq "a failure far below LimitNPROC: exit 4" 4 "$RC"
assert_not_contains "a failure far below LimitNPROC: not blamed on it" "$ERR" LimitNPROC

# The app leaving a background process behind: ward returns with the app's status and the
# sandbox (the orphan included) is gone.
start=$SECONDS
wrun --rootfs "$R" -- /bin/sh -c '/bin/ward-probe --tag=$0 sleep-trap >/dev/null & exit 5' \
        "$TAG"
assert_eq "app exits 5 leaving a child: ward exits 5" 5 "$RC"
assert_match "app exits leaving a child: ward returns at once" "$((SECONDS - start))" '^[0-3]$'

# -- zombies ----------------------------------------------------------------------------
wrun --rootfs "$R" -- "${P[@]}" zombies
assert_eq "zombies: exit 0" 0 "$RC"
assert_eq "zombies: orphans are adopted by PID 1 (the init)" 1,1,1,1,1 "$(kv adopted_by)"
assert_eq "zombies: the init reaps every exited orphan" 0 "$(kv zombies)"
# The control: without the init the app is PID 1 and does not reap.
wrun --rootfs "$R" --no-init -- "${P[@]}" zombies
assert_eq "zombies --no-init (control): the probe as PID 1 leaves 5 zombies" "0 5" \
        "$RC $(kv zombies)"

# -- signals to the monitor -------------------------------------------------------------
# bg_ward OUTFILE ARGS...: `ward run ARGS` in the background; BG_PID is its pid.
bg_ward() {
        local out=$1
        shift
        # Emptied here, synchronously: the background redirection truncates only once the
        # forked shell runs, and wait_for_line could meanwhile read a previous run's
        # "ready" and signal the shell before it has become ward.
        : >"$out"
        : >"$out.err"
        "$WARD" run "$@" >"$out" 2>"$out.err" </dev/null &
        BG_PID=$!
        CLEANUP_PIDS="${CLEANUP_PIDS:-} $BG_PID"
}

# signal_check SIGNAL STATUS CMD...: CMD prints "ready" and exits STATUS on SIGNAL.
signal_check() {
        local sig=$1 want=$2 out=$WORK/sig.$1 rc
        shift 2
        snapshot
        bg_ward "$out" --rootfs "$R" "$@"
        if ! wait_for_line "$out" ready 15; then
                kill -KILL "$BG_PID" 2>/dev/null
                wait "$BG_PID"
                LAST_CMD="ward run --rootfs $R $*" RC=? OUT=$(cat "$out") ERR=$(cat "$out.err")
                fail "SIG$sig to the monitor reaches the app" "the app never printed ready"
                return
        fi
        kill -"$sig" "$BG_PID"
        wait_exit "$BG_PID" 20 2>>"$out.err"
        rc=$?
        LAST_CMD="ward run --rootfs $R $* (SIG$sig sent to the monitor)"
        RC=$rc OUT=$(cat "$out") ERR=$(cat "$out.err")
        assert_eq "SIG$sig to the monitor reaches the app: exit $want" "$want" "$rc"
        leftover_check "ward run (SIG$sig)"
}

signal_check TERM 42 -- "${P[@]}" sleep-trap
assert_contains "SIGTERM: the app got it" "$OUT" "got SIGTERM"
assert_not_contains "SIGTERM: the app had SIGTERM unblocked" "$OUT" sigterm_blocked
for pair in INT:44 HUP:45 QUIT:46 USR1:47 USR2:48 WINCH:49; do
        sig=${pair%:*} code=${pair#*:}
        signal_check "$sig" "$code" -- /bin/sh -c \
                "trap 'exit $code' $sig; echo ready; while :; do sleep 0.05; done" "$TAG"
done
# Every signal an app can catch reaches it, not only the common ones: the monitor keeps
# only CHLD, PIPE, the faults and job control (ward(1), SIGNALS). Before, these killed the
# monitor and the app was SIGKILLed with it (exit 137 or the monitor's 128+N).
rtsig=$(($(kill -l RTMIN 2>/dev/null || echo 34) + 3))
for pair in ALRM:50 PWR:51 XCPU:52 VTALRM:53 PROF:54 SYS:55 URG:56 "$rtsig:57"; do
        sig=${pair%:*} code=${pair#*:}
        signal_check "$sig" "$code" -- /bin/sh -c \
                "trap 'exit $code' $sig; echo ready; while :; do sleep 0.05; done" "$TAG"
done
signal_check TERM 42 --no-init -- "${P[@]}" sleep-trap
assert_contains "SIGTERM --no-init: the app got it" "$OUT" "got SIGTERM"

# An app that ignores SIGTERM is killed after --stop-timeout.
start=$SECONDS
signal_check TERM 137 --stop-timeout 1s -- /bin/sh -c \
        "trap '' TERM; echo ready; while :; do sleep 0.05; done" "$TAG"
assert_match "--stop-timeout 1s: SIGKILL follows within a few seconds" \
        "$((SECONDS - start))" '^[0-5]$'

# Without a pid namespace, ProcessGroup=yes gives the app a process group of its own, which
# the StopTimeout kill of the init's group missed: the app ran on after ward (a tagged
# process left over). Without ProcessGroup=yes the app is in the init's group: the control.
# (Without a pid namespace a user namespace may not mount /proc: neither.)
printf '[Init]\nProcessGroup=yes\n' >"$WORK/own-group.profile"
for extra in "--profile $WORK/own-group.profile" ""; do
        # shellcheck disable=SC2086 # $extra is zero or two words
        signal_check TERM 137 --profile default $extra --share pid --share user \
                --stop-timeout 1s -- \
                /bin/sh -c "trap '' TERM; echo ready; while :; do sleep 0.05; done" "$TAG"
done

# SIGHUP asks a daemon to reload; it keeps running, and must not be killed after
# --stop-timeout as after a stop signal (ExecReload=kill -HUP $MAINPID). The control is the
# check above: after SIGTERM the same timer kills within seconds.
out=$WORK/hup.out
snapshot
bg_ward "$out" --rootfs "$R" --stop-timeout 1s -- /bin/sh -c \
        "trap 'echo reloaded' HUP; trap 'exit 42' TERM; echo ready; while :; do sleep 0.05; done" \
        "$TAG"
if wait_for_line "$out" ready 15; then
        kill -HUP "$BG_PID"
        wait_for_line "$out" reloaded 10
        sleep 2.5
        LAST_CMD="ward run --stop-timeout 1s -- sh (SIGHUP, 2.5 s, then SIGTERM)"
        if kill -0 "$BG_PID" 2>/dev/null; then
                ok "SIGHUP: the app still runs 2.5 s later (--stop-timeout 1s)"
        else
                fail "SIGHUP: the app still runs 2.5 s later (--stop-timeout 1s)" \
                        "ward exited: $(cat "$out.err")"
        fi
        assert_contains "SIGHUP: the app got it" "$(cat "$out")" reloaded
        kill -TERM "$BG_PID" 2>/dev/null
        wait_exit "$BG_PID" 20 2>>"$out.err"
        RC=$? OUT=$(cat "$out") ERR=$(cat "$out.err")
        assert_eq "SIGHUP then SIGTERM: the app's own exit status" 42 "$RC"
        assert_not_contains "SIGHUP: no StopTimeout kill" "$ERR" "did not exit within"
        leftover_check "ward run (SIGHUP)"
else
        kill -KILL "$BG_PID" 2>/dev/null
        wait "$BG_PID"
        fail "SIGHUP: the app still runs" "the app never printed ready: $(cat "$out.err")"
fi

# -- SIGKILL to the monitor: the sandbox dies with it ------------------------------------
out=$WORK/kill.out
snapshot
bg_ward "$out" --rootfs "$R" -- "${P[@]}" sleep-trap
if wait_for_line "$out" ready 15; then
        procs=()
        for d in $(descendants "$BG_PID"); do
                procs+=("$d:$(starttime "$d")")
        done
        pidns=
        [ ${#procs[@]} -gt 0 ] && pidns=$(readlink "/proc/${procs[-1]%%:*}/ns/pid" 2>/dev/null)
        if [ "$pidns" = "$(readlink /proc/self/ns/pid)" ]; then
                fail "SIGKILL: the sandbox has a pid namespace of its own" "$pidns"
                pidns= # never scan (and kill in) the host's own pid namespace
        fi
        assert_ne "SIGKILL: the sandbox has processes (precondition)" 0 "${#procs[@]}"
        kill -KILL "$BG_PID"
        wait "$BG_PID"
        deadline=$((SECONDS + 5))
        while :; do
                left=()
                for p in "${procs[@]}"; do
                        alive "${p%%:*}" "${p#*:}" && left+=("${p%%:*}")
                done
                # Every live (non-zombie) process in the sandbox's pid namespace.
                in_ns=()
                if [ -n "$pidns" ]; then
                        for f in /proc/[0-9]*/ns/pid; do
                                [ "$(readlink "$f" 2>/dev/null)" = "$pidns" ] || continue
                                p=${f#/proc/}
                                p=${p%%/*}
                                st=$(starttime "$p") && alive "$p" "$st" && in_ns+=("$p")
                        done
                fi
                [ ${#left[@]} = 0 ] && [ ${#in_ns[@]} = 0 ] && break
                ((SECONDS >= deadline)) && break
                sleep 0.1
        done
        LAST_CMD="ward run --rootfs $R -- ${P[*]} sleep-trap (SIGKILL sent to the monitor)"
        RC=137 OUT=$(cat "$out") ERR=$(cat "$out.err")
        assert_eq "SIGKILL to the monitor: no process of the sandbox remains" "" \
                "$(ps_of "${left[@]}")"
        assert_eq "SIGKILL to the monitor: the sandbox's pid namespace is empty" "" \
                "$(ps_of "${in_ns[@]}")"
        for p in "${left[@]}" "${in_ns[@]}"; do
                kill -KILL "$p" 2>/dev/null # ours: descendants of the ward we started
        done
        leftover_check "ward run (SIGKILL to the monitor)"
else
        kill -KILL "$BG_PID" 2>/dev/null
        wait "$BG_PID"
        LAST_CMD="ward run --rootfs $R -- ${P[*]} sleep-trap" OUT=$(cat "$out") \
                ERR=$(cat "$out.err")
        fail "SIGKILL to the monitor: the app never printed ready"
fi


# ---------------------------------------------------------------------------------------
# [Init] ExitLikeApp=: how ward ends when the app died of a signal. A shell's $? is 128+N
# for both a death and an exit(128+N), so python3 tells them apart (a negative returncode
# is a death by signal).

# how_ward_ended PROFILE_LINE: "signal N" or "exit N" of `ward run` whose app dies of TERM.
how_ward_ended() {
        printf '[Profile]\nInclude=default\n[Init]\n%s\n' "$1" >"$WORK/exit.profile"
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd python3 -c 'import subprocess, sys
r = subprocess.run(sys.argv[1:]).returncode
print("signal %d" % -r if r < 0 else "exit %d" % r)' "$WARD" run --rootfs "$R" \
                --profile "$WORK/exit.profile" -- /bin/sh -c 'kill -TERM $$'
        leftover_check "ward run (ExitLikeApp, $1)"
}
if command -v python3 >/dev/null; then
        # ward's parent here is python3, never a systemd manager: auto is "no".
        how_ward_ended "ExitLikeApp=auto"
        assert_eq "ExitLikeApp=auto, not under systemd: exit 143 (docker's)" "exit 143" "$OUT"
        how_ward_ended "ExitLikeApp=yes"
        assert_eq "ExitLikeApp=yes: ward dies of the app's SIGTERM" "signal 15" "$OUT"
        how_ward_ended "ExitLikeApp=no"
        assert_eq "ExitLikeApp=no: exit 143" "exit 143" "$OUT"
        printf '[Profile]\nInclude=default\n[Init]\nExitLikeApp=yes\n' >"$WORK/exit.profile"
        wrun --rootfs "$R" --profile "$WORK/exit.profile" -- /bin/sh -c 'exit 143'
        assert_eq "ExitLikeApp=yes: an app's own exit(143) stays an exit" 143 "$RC"
        wexplain --rootfs "$R" --profile "$WORK/exit.profile" -- /bin/true
        assert_contains "explain shows ExitLikeApp=" "$OUT" "Init.ExitLikeApp = yes    ("
else
        skip "ExitLikeApp= (4 checks)" "python3 is not installed (apt-get install -y python3)"
fi

finish
