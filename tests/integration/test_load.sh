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
mkdir -p "$WORK/status" "$WORK/rss"

fds_before=$(ls /proc/$$/fd | wc -l)
snapshot
cg_before=$(ls /sys/fs/cgroup/ward 2>/dev/null | wc -l)
start=$SECONDS

# One launcher: sandboxes FIRST, FIRST+2, ... (two launchers interleave), each in the
# background; it waits for one of its own to end when it has ALIVE/2 alive.
launcher() {
        local i alive=0
        for ((i = $1; i < N; i += 2)); do
                if ((alive >= ALIVE / 2)); then
                        wait -n
                        alive=$((alive - 1))
                fi
                (
                        "$WARD" run --rootfs "$R" -- /bin/sh -c 'sleep 1; exit "$1"' "$TAG" \
                                $((i % 200)) >/dev/null 2>"$WORK/status/$i.err" </dev/null
                        echo $? >"$WORK/status/$i"
                ) &
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
                read -r comm 2>/dev/null <"/proc/$p/comm" && [ "$comm" = ward ] || continue
                read -r stat 2>/dev/null <"/proc/$p/stat" || continue
                stat=${stat##*) }
                set -- $stat
                read -r pcomm 2>/dev/null <"/proc/$2/comm"
                [ "$pcomm" = ward ] || echo "$p"
        done
}

# While they run: how many sandboxes are alive, and each monitor's resident memory.
max_alive=0
while kill -0 "$L0" 2>/dev/null || kill -0 "$L1" 2>/dev/null; do
        monitors=$(our_monitors)
        alive=$(printf '%s' "$monitors" | grep -c .)
        ((alive > max_alive)) && max_alive=$alive
        for p in $monitors; do
                rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null)
                [ -n "$rss" ] && echo "$rss" >>"$WORK/rss/samples"
        done
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

# The monitors' RSS: the mean of the first and of the last tenth of the samples.
if [ -s "$WORK/rss/samples" ]; then
        read -r first last < <(awk '{v[NR] = $1} END {
                k = int(NR / 10); if (k < 1) k = 1;
                for (i = 1; i <= k; i++) { a += v[i]; b += v[NR - i + 1] }
                printf "%d %d\n", a / k, b / k }' "$WORK/rss/samples")
        echo "# monitor RSS: ${first} kB early, ${last} kB late" \
                "($(wc -l <"$WORK/rss/samples") samples)"
        if ((last <= first + first / 5 + 256)); then
                ok "the monitor's RSS is flat (${first} kB -> ${last} kB)"
        else
                fail "the monitor's RSS is flat" "early ${first} kB, late ${last} kB"
        fi
else
        skip "the monitor's RSS is flat" "no sample taken"
fi

LAST_CMD="$N x ward run --rootfs $R -- /bin/sh -c 'sleep 1; exit N'"
leftover_check "$N sandboxes"
assert_eq "no fd left open in the test shell" "$fds_before" "$(ls /proc/$$/fd | wc -l)"
assert_eq "no ward process left" "" "$(our_monitors)"
assert_eq "no cgroup left under /sys/fs/cgroup/ward" "$cg_before" \
        "$(ls /sys/fs/cgroup/ward 2>/dev/null | wc -l)"
finish
