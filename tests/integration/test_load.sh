#!/usr/bin/env bash
# Load: LOAD_N sandboxes (500) launched two at a time, at most LOAD_ALIVE (50) alive at
# once, each living about a second and exiting with its own status. Every status must come
# back right, and afterwards no process, mount, temporary file or fd of ward's is left;
# the monitors' resident memory stays flat from the first sandboxes to the last.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=${LOAD_N:-500}
ALIVE=${LOAD_ALIVE:-50}
R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$WORK/status" "$WORK/rss" "$WORK/alive" "$WORK/monitor"
mkfifo "$WORK/nap"

fds_before=$(ls /proc/$$/fd | wc -l)
snapshot
cg_before=$(ls /sys/fs/cgroup/ward 2>/dev/null)
start=$SECONDS

# One sandbox: launched in the background, its monitor's resident memory read every 0.2 s
# while it lives (bash builtins only: a fork per sample would load the machine more than
# the sandboxes do). What it records is the median of those samples: the one taken before
# the setup child is cloned, and one taken while it exits (an ASan build runs its leak check
# then and grows for a moment), do not move a median. The naps are reads with a timeout on a
# FIFO nobody writes to. A monitor under /proc that the test
# shell itself scans each time would be seen too late: on two busy cores one scan of /proc
# takes seconds, longer than a sandbox lives.
one_sandbox() {
        local i=$1 monitor nap line rss samples=()
        : >"$WORK/alive/$i"
        "$WARD" run --rootfs "$R" -- /bin/sh -c 'sleep 1; exit "$1"' "$TAG" $((i % 200)) \
                >/dev/null 2>"$WORK/status/$i.err" </dev/null &
        monitor=$!
        : >"$WORK/monitor/$monitor"
        exec {nap}<>"$WORK/nap"
        while kill -0 "$monitor" 2>/dev/null; do
                rss=
                while read -r line; do
                        case $line in VmRSS:*) set -- $line && rss=$2 ;; esac
                done 2>/dev/null <"/proc/$monitor/status"
                [ -n "$rss" ] && samples+=("$rss")
                read -r -t 0.2 -u "$nap" line
        done
        wait "$monitor"
        echo $? >"$WORK/status/$i"
        exec {nap}<&-
        ((${#samples[@]})) && echo "$i ${samples[*]}" >"$WORK/rss/$i"
        rm -f "$WORK/alive/$i"
}

# One launcher: sandboxes FIRST, FIRST+2, ... (two launchers interleave), each in the
# background; it waits for one of its own to end when it has ALIVE/2 alive.
launcher() {
        local i alive=0
        for ((i = $1; i < N; i += 2)); do
                if ((alive >= ALIVE / 2)); then
                        wait -n
                        alive=$((alive - 1))
                fi
                one_sandbox "$i" &
                alive=$((alive + 1))
        done
        wait
}
launcher 0 &
L0=$!
launcher 1 &
L1=$!
CLEANUP_PIDS="$L0 $L1"

# Our monitors: the `ward run` processes with our tag (other ward users on the machine are
# not ours to count), not the setup child a monitor clones, which is `ward` too until it
# executes the init.
our_monitors() {
        local p comm stat pcomm
        for p in $(tagged_pids); do
                comm= pcomm=
                read -r comm 2>/dev/null <"/proc/$p/comm" && [ "$comm" = ward ] || continue
                read -r stat 2>/dev/null <"/proc/$p/stat" || continue
                stat=${stat##*) }
                set -- $stat
                read -r pcomm 2>/dev/null <"/proc/$2/comm"
                [ "$pcomm" = ward ] || echo "$p"
        done
}

# While they run: how many sandboxes are alive (the launchers' own count, kept as files).
max_alive=0
while kill -0 "$L0" 2>/dev/null || kill -0 "$L1" 2>/dev/null; do
        alive=$(find "$WORK/alive" -type f | wc -l)
        ((alive > max_alive)) && max_alive=$alive
        if ((SECONDS - start > 240)); then
                fail "the load finished within 240 s"
                break
        fi
        sleep 0.2
done
wait "$L0" "$L1"
T_RUNS=$((T_RUNS + N))
elapsed=$((SECONDS - start))
echo "# $N sandboxes in ${elapsed}s, at most $max_alive alive at once"

wrong=0 missing=0
for ((i = 0; i < N; i++)); do
        if [ ! -f "$WORK/status/$i" ]; then
                missing=$((missing + 1))
        elif [ "$(cat "$WORK/status/$i")" != $((i % 200)) ]; then
                wrong=$((wrong + 1))
                [ "$wrong" -le 3 ] && echo "# sandbox $i: exit $(cat "$WORK/status/$i")," \
                        "want $((i % 200)): $(head -c 300 "$WORK/status/$i.err")"
        fi
done
assert_eq "every sandbox reported an exit status" 0 "$missing"
assert_eq "every exit status is the app's own" 0 "$wrong"
assert_match "up to $ALIVE sandboxes were alive at once (saw $max_alive)" "$max_alive" \
        '^[1-9][0-9]*$'
if ((max_alive > ALIVE)); then
        fail "never more than $ALIVE alive at once" "saw $max_alive"
fi

# The monitors' RSS. Each monitor is its own process, so what could grow from the first
# sandboxes to the last is what every monitor pays: state ward keeps under /run, a lease
# table, anything that scales with the load. The mean of the first tenth of the sandboxes'
# medians against the last tenth's.
measured=$(find "$WORK/rss" -type f | wc -l)
if ((measured >= 20)); then
        k=$((N / 10))
        read -r first last < <(cat "$WORK"/rss/* | awk -v n="$N" -v k="$k" '
                function median(   i, j, t, c) {
                        c = NF - 1
                        for (i = 2; i <= NF; i++) v[i - 1] = $i
                        for (i = 2; i <= c; i++)
                                for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
                                        t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
                                }
                        return v[int((c + 1) / 2)]
                }
                $1 < k { a += median(); na++ } $1 >= n - k { b += median(); nb++ }
                END { printf "%d %d\n", na ? a / na : 0, nb ? b / nb : 0 }')
        echo "# monitor RSS: ${first} kB early, ${last} kB late (medians of $measured monitors)"
        if ((first > 0 && last <= first + first / 5 + 256)); then
                ok "the monitor's RSS is flat (${first} kB -> ${last} kB)"
        else
                fail "the monitor's RSS is flat" "early ${first} kB, late ${last} kB"
        fi
else
        fail "the monitor's RSS is flat" "only $measured of $N monitors were sampled"
fi

LAST_CMD="$N x ward run --rootfs $R -- /bin/sh -c 'sleep 1; exit N'"
leftover_check "$N sandboxes"
assert_eq "no fd left open in the test shell" "$fds_before" "$(ls /proc/$$/fd | wc -l)"
assert_eq "no ward process left" "" "$(our_monitors)"
# A monitor's cgroup is ward-PID (src/sandbox/cgroup.c): ours are those of our monitors' pids, the
# others belong to whatever runs beside this test. A name of another form is counted too.
our_new_cgroups() {
        local cg
        for cg in $(new_lines "$cg_before" "$(ls /sys/fs/cgroup/ward 2>/dev/null)"); do
                if ! [[ $cg =~ ^ward-[0-9]+$ ]] || [ -e "$WORK/monitor/${cg#ward-}" ]; then
                        echo "$cg"
                fi
        done
}
assert_eq "no cgroup left under /sys/fs/cgroup/ward" "" "$(our_new_cgroups)"
finish
