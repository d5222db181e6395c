#!/usr/bin/env bash
# The caller's terminal handed to the app. A login's terminal is open read-write on fds 0-2;
# an app given it can read what the user types meanwhile, turn echo off (TCSETS) and switch
# the line discipline to N_NULL (TIOCSETD), all of it still in force after the app exited.
# Without -t, ward gives the app a pipe in place of each standard fd that is a terminal and
# relays it (stdin only with -i, else /dev/null); with -t, a pty of the sandbox's own.
# Then the liveness of that relay: a SIGTERM is forwarded while input is stuck, a stalled
# terminal does not hold a stop, and 200 MiB flow each way at once, byte-exact.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

need_tools python3 python3
R=$WORK/rootfs
make_rootfs "$R"
ln -sf busybox "$R/bin/stty"
ln -sf busybox "$R/bin/yes"
mkdir -m 755 "$R/flag"
P=(/bin/ward-probe "--tag=$TAG")
PTY=(python3 "$(dirname "${BASH_SOURCE[0]}")/pty_run.py")
need_naive "$R"

# in_pty [pty_run.py OPTIONS] -- CMD...: CMD on a fresh terminal (tests/attack/pty_run.py),
# typed at and inspected afterwards; its report in OUT.
in_pty() {
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd "${PTY[@]}" "$@"
        leftover_check "$*"
}

# The attack from the app: fds 0-2, /dev/tty, read what is typed for 2 s, TCSETS, TIOCSETD.
ATTACK=("${P[@]}" terminal-attack 2000)

in_pty --stdin --type $'secret\n' -- "$WARD" run --rootfs "$R" -- "${ATTACK[@]}"
assert_eq "ward: exit 0" 0 "$(kv exit)"
assert_eq "ward: none of the app's fds 0-2 is a terminal" none "$(kv tty_fds)"
assert_eq "ward: /dev/tty does not open (no controlling terminal)" ENXIO "$(kv devtty)"
assert_eq "ward: the app reads nothing typed on the caller's terminal" none "$(kv typed)"
assert_eq "ward: TCSETS finds no terminal" notty "$(kv tcsets)"
assert_eq "ward: TIOCSETD finds no terminal" notty "$(kv tiocsetd)"
assert_eq "ward: the caller's terminal keeps its echo" on "$(kv after_echo)"
assert_eq "ward: the caller's terminal keeps N_TTY" 0 "$(kv after_ldisc)"
assert_eq "ward: the caller's shell reads what was typed" "[secret]" "$(kv after_input)"
assert_contains "ward: the app's output reaches the terminal (relayed)" "$OUT" $'\nready\n'

# stdout and stderr on one terminal: one pipe, so that their order stays as written.
in_pty --stdin -- "$WARD" run --rootfs "$R" -- /bin/sh -c \
        'for i in 1 2 3; do echo out$i; echo err$i >&2; done' "$TAG"
assert_contains "ward: stdout and stderr keep their order on the terminal" "$OUT" \
        $'out1\nerr1\nout2\nerr2\nout3\nerr3\n'

# -i: the typed line reaches the app through the relay, the terminal itself does not.
in_pty --stdin --type $'secret\n' -- "$WARD" run -i --rootfs "$R" -- "${ATTACK[@]}"
assert_eq "ward -i: none of the app's fds 0-2 is a terminal" none "$(kv tty_fds)"
assert_eq "ward -i: the typed line reaches the app's stdin" "[secret]" "$(kv typed)"
assert_eq "ward -i: TCSETS finds no terminal" notty "$(kv tcsets)"
assert_eq "ward -i: the caller's terminal keeps its echo" on "$(kv after_echo)"
assert_eq "ward -i: the caller's terminal keeps N_TTY" 0 "$(kv after_ldisc)"

# -t: the attack lands on the sandbox's own pty; -t -i puts the caller's terminal in raw mode
# for the run and restores it.
in_pty --stdin --type $'secret\n' -- "$WARD" run -t --rootfs "$R" -- "${ATTACK[@]}"
assert_eq "ward -t: the app's fds are a terminal (its own pty)" 0,1,2 "$(kv tty_fds)"
assert_eq "ward -t: TCSETS acts on the sandbox's pty" OK "$(kv tcsets)"
assert_eq "ward -t: the caller's terminal keeps its echo" on "$(kv after_echo)"
assert_eq "ward -t: the caller's terminal keeps N_TTY" 0 "$(kv after_ldisc)"
assert_eq "ward -t: the caller's shell reads what was typed (no -i)" "[secret]" \
        "$(kv after_input)"
in_pty --stdin --type $'secret\r' -- "$WARD" run -t -i --rootfs "$R" -- "${ATTACK[@]}"
assert_eq "ward -t -i: the typed line reaches the app's pty" "[secret]" "$(kv typed)"
assert_eq "ward -t -i: the caller's terminal gets its echo back" on "$(kv after_echo)"
assert_eq "ward -t -i: the caller's terminal keeps N_TTY" 0 "$(kv after_ldisc)"

# The control: the naive runtime hands the caller's fds on; the same attack gets through.
if naive_part "naive runtime: the caller's terminal"; then
        naive_cmd "$R"
        in_pty --stdin --type $'secret\n' -- "${NAIVE_CMD[@]}" "${ATTACK[@]}"
        assert_eq "naive runtime: the app's fds 0-2 are the caller's terminal" 0,1,2 \
                "$(kv tty_fds)"
        assert_eq "naive runtime: the app reads the typed line" "[secret]" "$(kv typed)"
        assert_eq "naive runtime: TCSETS works" OK "$(kv tcsets)"
        assert_eq "naive runtime: N_NULL stays on the caller's terminal" 27 "$(kv after_ldisc)"
        assert_ne "naive runtime: echo is not on any more" on "$(kv after_echo)"
        assert_eq "naive runtime: the caller's shell lost the typed line" "[]" \
                "$(kv after_input)"
fi

# Fds that are not terminals pass straight through (no relay): a pipe, a file.
T_RUNS=$((T_RUNS + 1))
snapshot
run_cmd bash -c '{ readlink "/proc/$BASHPID/fd/1" >&2; "$@" 2>"$0"; } | cat' "$WORK/app-stderr" \
        "$WARD" run --rootfs "$R" -- "${P[@]}" fds
leftover_check "ward run ... fds | cat"
assert_match "ward: a pipe on stdout is the app's own stdout" "$(kv fd.1)" '^pipe:\['
assert_eq "ward: the very same pipe (no relay)" "$ERR" "$(kv fd.1)"
assert_match "ward: a file on stderr is the app's own stderr" "$(kv fd.2)" 'app-stderr$'

# Liveness: input the app never reads (-t -i) must not hold a SIGTERM up.
yes | head -c 16000000 >"$WORK/lines"
T_RUNS=$((T_RUNS + 1))
snapshot
"$WARD" run -t -i --stop-timeout 2s --rootfs "$R" -- "${P[@]}" sleep-trap \
        <"$WORK/lines" >"$WORK/stuck.out" 2>"$WORK/stuck.err" &
pid=$!
for _ in $(seq 100); do grep -q ready "$WORK/stuck.out" 2>/dev/null && break; sleep 0.1; done
sleep 1
start=$EPOCHREALTIME
kill -TERM "$pid"
wait_exit "$pid" 10
rc=$?
took=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
LAST_CMD="ward run -t -i --stop-timeout 2s ... sleep-trap <16 MB of lines; SIGTERM after 1 s"
RC=$rc OUT=$(tr -d '\r' <"$WORK/stuck.out") ERR=$(cat "$WORK/stuck.err")
assert_eq "ward -t -i, input stuck: SIGTERM reaches the app (exit 42)" 42 "$rc"
assert_match "ward -t -i, input stuck: ward exits within StopTimeout (${took}s)" "$took" \
        '^[01]\.'
leftover_check "$LAST_CMD"

# Liveness: a terminal that takes no output (the user's ^S) must not hold a stop up either.
in_pty --stall --term-after 2 --timeout 20 -- "$WARD" run --stop-timeout 2s --rootfs "$R" -- \
        /bin/sh -c 'yes' "$TAG"
assert_eq "ward, output stalled: SIGTERM ends the app (143)" 143 "$(kv exit)"
assert_match "ward, output stalled: ward exits within StopTimeout" "$(kv term_to_exit)" \
        '^[01]\.'

# Liveness: with -t, ward's stdout closed under the app (| head -1) hangs the pty up: the
# run ends instead of the app writing on into nothing.
T_RUNS=$((T_RUNS + 1))
snapshot
T_TIMEOUT=20 run_cmd bash -c '"$@" | head -c 1 >/dev/null; echo "status=${PIPESTATUS[0]}"' _ \
        "$WARD" run -t --rootfs "$R" -- /bin/sh -c 'yes' "$TAG"
leftover_check "ward run -t ... yes | head -c 1"
assert_eq "ward -t, stdout closed: the run ends" 0 "$RC"
assert_ne "ward -t, stdout closed: the app does not outlive it (no timeout)" "<missing>" \
        "$(kv status)"

# Throughput and both directions at once through the pipe relay: 20 MiB typed into a raw
# terminal, echoed back by the app.
head -c $((20 << 20)) /dev/urandom >"$WORK/data20"
want=$(sha256sum <"$WORK/data20")
in_pty --raw --stdin --hash --feed "$WORK/data20" --timeout 120 -- "$WARD" run -i --rootfs "$R" \
        -- /bin/sh -c "head -c $((20 << 20))" "$TAG"
assert_eq "ward -i, terminal relay: 20 MiB each way, exit 0" 0 "$(kv exit)"
assert_eq "ward -i, terminal relay: 20 MiB each way, byte-exact" "${want%% *}" \
        "$(kv output_sha256)"
rm -f "$WORK/data20"

# 200 MiB each way through -t -i at once: stdin a pipe, an app that echoes it back. The app
# makes its pty raw first; the input only starts once it has (a flag in a bind).
N=$((200 << 20))
head -c "$N" /dev/urandom >"$WORK/data"
want=$(sha256sum <"$WORK/data")
mkdir -m 1777 "$WORK/flag"
mkfifo "$WORK/in"
(
        for _ in $(seq 600); do [ -e "$WORK/flag/ready" ] && break; sleep 0.05; done
        exec cat "$WORK/data"
) >"$WORK/in" &
feeder=$!
CLEANUP_PIDS="$feeder"
T_RUNS=$((T_RUNS + 1))
snapshot
start=$EPOCHREALTIME
T_TIMEOUT=150 RUN_STDIN=$WORK/in run_cmd bash -c '"$@" >"$0"' "$WORK/out" \
        "$WARD" run -t -i -v "$WORK/flag:/flag:rw" --rootfs "$R" -- /bin/sh -c \
        "stty raw -echo -iexten && touch /flag/ready && exec head -c $N" "$TAG"
took=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
kill "$feeder" 2>/dev/null
wait "$feeder" 2>/dev/null
leftover_check "ward run -t -i ... head -c $N"
assert_eq "ward -t -i: 200 MiB each way, exit 0 within 150 s" 0 "$RC"
assert_eq "ward -t -i: 200 MiB out" "$N" "$(stat -c %s "$WORK/out")"
assert_eq "ward -t -i: 200 MiB each way, byte-exact" "$want" "$(sha256sum <"$WORK/out")"
echo "# 200 MiB each way through -t -i in ${took}s"
rm -f "$WORK/data" "$WORK/out"
finish
