#!/usr/bin/env bash
# Root-run sandboxes sharing host ids (issue 11). At 698981e every root-run sandbox was host
# uid 2000000: a setuid binary that sandbox A left in its rw bind made whoever ran it on the
# host uid 2000000, which was also the root of sandbox B (its files, its processes). Now each
# running sandbox leases a range of its own (src/sandbox/idmap.c), so A's planted file gives
# A's ids, which are nobody else's while A runs.
#
# Checked: two concurrent sandboxes get disjoint ranges; A's setuid file, run on the host as
# nobody, gets A's ids and cannot read B's root-only file in B's rw bind; the binds carry
# nosuid,nodev in the sandbox; the lease is not among the sandbox's fds; a SIGKILLed ward's
# range is free again; a fixed IdMapBase= on a leased range is refused; 20 concurrent starts
# get 20 distinct ranges. The control: a fixed IdMapBase= shared by A and B, where the same
# planted file does read B's secret.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

need_root "leased id ranges and setuid files owned by them need root"
POOL=/run/ward/idmap
FIRST=2000000
RANGE=65536
R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$R/data"

# The pool is ward's real state, which other wards may be using right now: remove only what
# this script created, and a lock file only while holding its lock (idmap.h's rule).
HAD_RUN_WARD=no
HAD_POOL=no
[ -d /run/ward ] && HAD_RUN_WARD=yes
[ -d "$POOL" ] && HAD_POOL=yes
KILLED_RANGE_FILE=
pool_cleanup() {
        if [ -n "$KILLED_RANGE_FILE" ] && [ -e "$KILLED_RANGE_FILE" ]; then
                flock -n -E 75 "$KILLED_RANGE_FILE" rm -f "$KILLED_RANGE_FILE"
        fi
        [ "$HAD_POOL" = yes ] || rmdir "$POOL" 2>/dev/null
        [ "$HAD_RUN_WARD" = yes ] || rmdir /run/ward 2>/dev/null
        return 0
}
trap 'rc=$?; pool_cleanup; (exit $rc); lib_cleanup' EXIT

# start_holder NAME DATA SETUP [WARD OPTIONS...]: a sandbox in the background (HOLDER_PID is
# the ward process) with DATA bound rw on /data. It runs the shell code SETUP, writes its
# uid map and the flags of /data to DATA/NAME.map, then waits for DATA/NAME.go (60 s at most).
start_holder() {
        local name=$1 data=$2 setup=$3
        shift 3
        T_RUNS=$((T_RUNS + 1))
        "$WARD" run --rootfs "$R" "$@" -v "$data:/data:rw" -- /bin/sh -c "$setup"'
/bin/ward-probe uidmap statfs /data fds >/data/$1.tmp && mv /data/$1.tmp /data/$1.map
i=0
while [ ! -e /data/$1.go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done' \
                "$TAG-$name" "$name" </dev/null >"$WORK/$name.out" 2>"$WORK/$name.err" &
        HOLDER_PID=$!
}

# wait_map NAME DATA: true once the holder wrote its map (20 s at most).
wait_map() {
        local deadline=$((SECONDS + 20))
        until [ -e "$2/$1.map" ]; do
                ((SECONDS < deadline)) || return 1
                sleep 0.05
        done
}

# host_base NAME DATA: the first host id of the holder's uid map, "none" without one.
host_base() {
        local line
        line=$(kv uid_map "$(cat "$2/$1.map" 2>/dev/null)")
        set -- $line
        [ "$#" = 3 ] && [ "$1" = 0 ] && echo "$2" || echo none
}

# finish_holder NAME DATA PID: let it exit, then its status (137 if it had to be killed).
finish_holder() {
        touch "$2/$1.go"
        wait_exit "$3" 20
}

# holder_pids NAME: the pids of the processes with "$TAG-NAME" in their command line (the
# pattern comes from a file, so that grep does not find itself).
holder_pids() {
        printf '%s\n' "$TAG-$1" >"$WORK/.pattern-$1"
        grep -lsFf "$WORK/.pattern-$1" /proc/[0-9]*/cmdline |
                sed -n 's|^/proc/\([0-9]*\)/cmdline$|\1|p'
}

# The pid on the host of the holder's shell (its $0 is "$TAG-NAME").
holder_shell_pid() {
        local p
        for p in $(holder_pids "$1"); do
                if tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q '^/bin/sh -c'; then
                        echo "$p"
                        return 0
                fi
        done
        return 1
}

disjoint() { # BASE1 BASE2: the two ranges of 65536 do not overlap
        [ "$1" != none ] && [ "$2" != none ] &&
                { [ $(($1 + RANGE)) -le "$2" ] || [ $(($2 + RANGE)) -le "$1" ]; }
}

PLANT='cp /bin/ward-probe /data/suid && chmod 6755 /data/suid'
SECRET='echo secret >/data/secret && chmod 600 /data/secret'

# attack A_OPTS B_OPTS LABEL: A plants a setuid (and setgid) copy of the probe in its rw bind,
# B keeps a root-only file in its own; the planted file then runs on the host as nobody and
# reads B's file. (B's processes it could signal too, kill(2) compares uids; ptrace and
# /proc/PID/environ need a capability in B's user namespace.) Sets BASE_A, BASE_B, OUT.
attack() {
        local label=$3 da=$WORK/$3-a db=$WORK/$3-b pa pb bpid
        mkdir -p "$da" "$db"
        chmod 777 "$da" "$db"
        read -ra aopts <<<"$1"
        read -ra bopts <<<"$2"
        start_holder "$label-b" "$db" "$SECRET &&" "${bopts[@]}"
        pb=$HOLDER_PID
        start_holder "$label-a" "$da" "$PLANT &&" "${aopts[@]}"
        pa=$HOLDER_PID
        if ! wait_map "$label-a" "$da" || ! wait_map "$label-b" "$db"; then
                fail "$label: both sandboxes started" "$(cat "$WORK/$label-a.err" "$WORK/$label-b.err")"
        fi
        BASE_A=$(host_base "$label-a" "$da")
        BASE_B=$(host_base "$label-b" "$db")
        A_MAP=$(cat "$da/$label-a.map" 2>/dev/null)
        bpid=$(holder_shell_pid "$label-b") || bpid=0
        # Host view: B's shell runs as B's root, A's file belongs to A's root.
        B_HOST_UID=$(awk '/^Uid:/ {print $2}' "/proc/$bpid/status" 2>/dev/null)
        SUID_OWNER=$(stat -c '%u:%g %a' "$da/suid" 2>/dev/null)
        run_cmd setpriv --reuid 65534 --regid 65534 --clear-groups "$da/suid" "--tag=$TAG" \
                status read "$db/secret"
        B_SECRET=$(kv "read $db/secret")
        finish_holder "$label-a" "$da" "$pa"
        RC_A=$?
        finish_holder "$label-b" "$db" "$pb"
        RC_B=$?
}

if findmnt -n -o OPTIONS -T "$WORK" | grep -qw nosuid; then
        echo "1..0 # SKIP $WORK is on a nosuid mount: a planted setuid file cannot run there"
        exit 77
fi

# ---------------------------------------------------------------------------------------
# Two concurrent sandboxes with the default (leased) ranges. ward's filter now refuses the
# chmod that plants the file (test_setid_files.sh): A opts out with AllowSetuidFiles=yes,
# so that what is tested here is the second line, the ranges.
printf '[Profile]\nInclude=%s/profiles/default.profile\n[Seccomp]\nAllowSetuidFiles=yes\n' \
        "$WARD_SOURCE_DIR" >"$WORK/setid.profile"
chmod 644 "$WORK/setid.profile"
attack "--profile $WORK/setid.profile" "" auto
assert_eq "auto: both sandboxes exited 0" "0 0" "$RC_A $RC_B"
assert_ne "auto: A has a uid map of 65536 ids" none "$BASE_A"
assert_ne "auto: B has a uid map of 65536 ids" none "$BASE_B"
if disjoint "$BASE_A" "$BASE_B"; then
        ok "auto: A ($BASE_A) and B ($BASE_B) have disjoint host id ranges"
else
        fail "auto: A ($BASE_A) and B ($BASE_B) have disjoint host id ranges"
fi
assert_eq "auto: B's processes run as B's root, host uid $BASE_B" "$BASE_B" "$B_HOST_UID"
assert_eq "auto: A's planted file is setuid and setgid A's root on the host" \
        "$BASE_A:$BASE_A 6755" "$SUID_OWNER"
assert_eq "auto: the planted file ran on the host as nobody" 0 "$RC"
assert_eq "auto: it got A's ids" "$BASE_A" "$(kv euid)"
assert_ne "auto: A's ids are not B's root" "$BASE_B" "$(kv euid)"
assert_eq "auto: it cannot read B's root-only file in B's bind" EACCES "$B_SECRET"
# The sandbox side of every bind: a setuid file there never runs setuid in a sandbox.
assert_match "auto: the rw bind is nosuid,nodev in the sandbox" "$(kv 'flags /data' "$A_MAP")" \
        '^rw,nosuid,nodev'
assert_not_contains "auto: the lease is not among the sandbox's fds" "$A_MAP" /run/ward

# ---------------------------------------------------------------------------------------
# The control: A and B given the same fixed range. The same planted file is B's root.
printf '[Profile]\nInclude=%s/profiles/default.profile\n[Namespaces]\nIdMapBase=%s\n%s\n%s\n' \
        "$WARD_SOURCE_DIR" "$FIRST" '[Seccomp]' 'AllowSetuidFiles=yes' >"$WORK/fixed.profile"
chmod 644 "$WORK/fixed.profile"
attack "--profile $WORK/fixed.profile" "--profile $WORK/fixed.profile" fixed
assert_eq "control (fixed IdMapBase= in both): both exited 0" "0 0" "$RC_A $RC_B"
assert_eq "control: A and B share host range $FIRST" "$FIRST $FIRST" "$BASE_A $BASE_B"
assert_eq "control: the planted file got B's root's uid" "$FIRST" "$(kv euid)"
assert_eq "control: it reads B's root-only file (the attack is real)" OK "$B_SECRET"

# ---------------------------------------------------------------------------------------
# A SIGKILLed ward's range is free again: the kernel dropped its flock.
D=$WORK/killed
mkdir -p "$D" && chmod 777 "$D"
start_holder c "$D" ""
PC=$HOLDER_PID
wait_map c "$D" || fail "killed: the sandbox started" "$(cat "$WORK/c.err")"
BASE_C=$(host_base c "$D")
K=none
[ "$BASE_C" != none ] && K=$(((BASE_C - FIRST) / RANGE))
KILLED_RANGE_FILE=$POOL/range-$K
flock -n -E 75 "$KILLED_RANGE_FILE" true
assert_eq "killed: while C runs, its lease $KILLED_RANGE_FILE is locked" 75 "$?"
# A fixed IdMapBase= on a range that a running sandbox leased would share its ids: refused.
printf '[Profile]\nInclude=%s/profiles/default.profile\n[Namespaces]\nIdMapBase=%s\n' \
        "$WARD_SOURCE_DIR" "$BASE_C" >"$WORK/on-c.profile"
chmod 644 "$WORK/on-c.profile"
# (run_cmd, not wrun: C is a child of this shell that the leftover check would count.)
run_cmd "$WARD" run --profile "$WORK/on-c.profile" --rootfs "$R" -- /bin/true
assert_eq "killed: IdMapBase= on C's leased range is refused while C runs" 125 "$RC"
assert_contains "killed: ... naming the overlap and the fix" "$ERR" "a running sandbox leased"
kill -KILL "$PC"
wait "$PC" 2>/dev/null
deadline=$((SECONDS + 10))
while [ -n "$(holder_pids c)" ] && ((SECONDS < deadline)); do
        sleep 0.05
done
assert_eq "killed: C's sandbox died with its ward (parent-death signal)" "" "$(holder_pids c)"
flock -n -E 75 "$KILLED_RANGE_FILE" true
assert_eq "killed: after SIGKILL, the range's lease is free" 0 "$?"
wrun --rootfs "$R" -- /bin/ward-probe "--tag=$TAG" uidmap
BASE_D=$(set -- $(kv uid_map) && echo "${2:-none}")
if [ "$RC" = 0 ] && [ "$BASE_D" != none ] && [ "$BASE_C" != none ] && [ "$BASE_D" -le "$BASE_C" ]; then
        ok "killed: the next sandbox gets that range again or a lower one ($BASE_D <= $BASE_C)"
else
        fail "killed: the next sandbox gets that range again or a lower one ($BASE_D <= $BASE_C)"
fi

# ---------------------------------------------------------------------------------------
# 20 concurrent starts: all alive together, 20 distinct ranges.
D=$WORK/many
mkdir -p "$D" && chmod 777 "$D"
N=20
pids=()
for i in $(seq 1 $N); do
        start_holder "m$i" "$D" ""
        pids+=("$HOLDER_PID")
done
started=0
for i in $(seq 1 $N); do
        wait_map "m$i" "$D" && started=$((started + 1))
done
assert_eq "many: all $N sandboxes started and run together" "$N" "$started"
bases=$(for i in $(seq 1 $N); do host_base "m$i" "$D"; done)
failed=0
for i in $(seq 1 $N); do
        finish_holder "m$i" "$D" "${pids[$((i - 1))]}" || failed=$((failed + 1))
done
assert_eq "many: all $N exited 0" 0 "$failed"
assert_eq "many: $N distinct host ranges" "$N" "$(grep -v none <<<"$bases" | sort -u | wc -l)"
finish
