#!/usr/bin/env bash
# The compiled seccomp filter is cached (seccomp_cache.h): a cache file is used only when it
# is ours alone and was made from the very same inputs; a sandbox never gets it writable.
source "$(dirname "$0")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
ia32_check "$R"
P=(/bin/ward-probe "--tag=$TAG")
export WARD_CACHE_DIR=$WORK/cache/seccomp
printf '[Profile]\nInclude=default\n[Seccomp]\nDeny=getppid\n' >"$WORK/deny.profile"
printf '[Profile]\nInclude=default\n[Seccomp]\nDeny=getpid\n' >"$WORK/deny2.profile"
count_files() { find "$WARD_CACHE_DIR" -maxdepth 1 -name '*.bpf' 2>/dev/null | wc -l; }

wrun --rootfs "$R" -- "${P[@]}" seccomp getppid
assert_eq "first run: exit 0, filter on, getppid allowed" "0 2 OK" \
        "$RC $(kv Seccomp) $(kv getppid)"
assert_eq "first run: one filter cached" 1 "$(count_files)"
default_file=$(find "$WARD_CACHE_DIR" -name '*.bpf')
assert_eq "the cache file is 0600 and the directory 0700" "600 700" \
        "$(stat -c %a "$default_file") $(stat -c %a "$WARD_CACHE_DIR")"

wrun --rootfs "$R" -- "${P[@]}" seccomp getppid
assert_eq "second run (from the cache): same filter" "0 2 OK" \
        "$RC $(kv Seccomp) $(kv getppid)"
assert_eq "second run: no new file" 1 "$(count_files)"

# Other inputs, other filter: a cache keyed on less would hand back the default one.
wrun --profile "$WORK/deny.profile" --rootfs "$R" -- "${P[@]}" getppid
assert_eq "Deny=getppid is not served the default filter" "0 EPERM" "$RC $(kv getppid)"
assert_eq "Deny=getppid: a second file" 2 "$(count_files)"

# A file whose content is another input's filter: the stored key differs, so it is not used.
deny_file=$(find "$WARD_CACHE_DIR" -name '*.bpf' ! -path "$default_file")
cp "$deny_file" "$default_file"
wrun --rootfs "$R" -- "${P[@]}" getppid
assert_eq "a swapped cache file is detected and recompiled: getppid allowed" "0 OK" \
        "$RC $(kv getppid)"
if cmp -s "$deny_file" "$default_file"; then
        fail "the swapped cache file was rewritten"
else
        ok "the swapped cache file was rewritten"
fi

# A directory others may write is not trusted: nothing read from it, nothing written to it.
chmod 0777 "$WARD_CACHE_DIR"
wrun --profile "$WORK/deny2.profile" --rootfs "$R" -- "${P[@]}" seccomp getppid
assert_eq "world-writable cache dir: the filter is still applied" "0 2 OK" \
        "$RC $(kv Seccomp) $(kv getppid)"
assert_eq "world-writable cache dir: nothing written to it" 2 "$(count_files)"
chmod 0700 "$WARD_CACHE_DIR"

# The sandbox must never be able to write the cache.
wrun --rootfs "$R" -v "$WORK/cache:/tmp/c:rw" -- "${P[@]}" status
assert_eq "a writable bind of the cache: exit 125" 125 "$RC"
assert_contains "a writable bind of the cache: the message names the key" "$ERR" \
        "Filesystem.Bind"
assert_contains "a writable bind of the cache: and the cache" "$ERR" "seccomp cache"
wrun --rootfs "$R" -v "$WORK/cache:/tmp/c" -- "${P[@]}" status
assert_eq "a read-only bind of the cache is fine" 0 "$RC"
# Even a sandbox without a filter must not write the cache: the next confined run reads it
# (rootless, the files it would write are the caller's own, which the cache trusts).
wrun --rootfs "$R" --security-opt seccomp=unconfined -v "$WORK/cache:/tmp/c:rw" -- \
        "${P[@]}" seccomp
assert_eq "without seccomp a writable bind of the cache is still refused" 125 "$RC"

# -- the filter in force, generated on a first run and read back from the cache ----------
# ward writes the BPF itself (seccomp_bpf.c): the same refusals whether the program was just
# generated or read from the cache, and the kernel shows the app under exactly one filter.
export WARD_CACHE_DIR=$WORK/fresh/seccomp
file_id() { stat -c '%i %Y' "$WARD_CACHE_DIR"/*.bpf 2>/dev/null; }

# app_status: `ward run` the probe's sleep-trap in the background and read the app's
# /proc/PID/status from the host: APP_STATUS="Seccomp Seccomp_filters".
app_status() {
        local out=$WORK/bg.out pid app= p
        : >"$out"
        snapshot
        "$WARD" run --rootfs "$R" -- "${P[@]}" sleep-trap >"$out" 2>"$out.err" </dev/null &
        pid=$!
        CLEANUP_PIDS="${CLEANUP_PIDS:-} $pid"
        if wait_for_line "$out" ready 15; then
                for p in $(descendants "$pid"); do
                        [ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" = "${P[*]} sleep-trap " ] &&
                                app=$p
                done
        fi
        APP_STATUS=$(awk '$1 == "Seccomp:" { s = $2 } $1 == "Seccomp_filters:" { f = $2 }
                END { print s, f }' "/proc/${app:-none}/status" 2>/dev/null)
        kill -TERM "$pid" 2>/dev/null
        wait_exit "$pid" 20
        RC=$?
        LAST_CMD="ward run --rootfs $R -- ${P[*]} sleep-trap (in the background)"
        OUT=$(cat "$out") ERR=$(cat "$out.err")
        leftover_check "$LAST_CMD"
}

# refusals WHEN: the filter's verdicts as the app meets them.
refusals() {
        local when=$1 call
        wrun --rootfs "$R" -- "${P[@]}" seccomp syscalls workload
        assert_eq "$when: exit 0, Seccomp 2, one filter" "0 2 1" \
                "$RC $(kv Seccomp) $(kv Seccomp_filters)"
        for call in unshare_user clone_newuser setns mount keyctl bpf ptrace_child; do
                assert_eq "$when: $call is refused with EPERM" EPERM "$(kv "$call")"
        done
        assert_eq "$when: clone3 and personality(ADDR_NO_RANDOMIZE) get ENOSYS" \
                "ENOSYS ENOSYS" "$(kv clone3) $(kv personality)"
        assert_int80 "$when: i386 calls kill" "$(kv int80)"
        assert_eq "$when: x32 calls kill" killed:SYS "$(kv x32)"
        assert_eq "$when: getppid, threads and fork work" "OK OK OK" \
                "$(kv getppid) $(kv thread) $(kv fork)"
}

assert_eq "a fresh cache directory: nothing cached yet" 0 "$(count_files)"
refusals "first run (generated)"
assert_eq "first run: the program is cached" 1 "$(count_files)"
cached=$(file_id)
# A cache file that could not be used would be regenerated and renamed over: a new inode.
refusals "second run (from the cache)"
assert_eq "second run: the cache file was read, not rewritten" "$cached" "$(file_id)"
app_status
assert_eq "from the cache: the app's /proc status shows one filter (Seccomp: 2)" "2 1" \
        "$APP_STATUS"
assert_eq "from the cache: the app stopped on SIGTERM (exit 42)" 42 "$RC"
export WARD_CACHE_DIR=$WORK/fresh2/seccomp
app_status
assert_eq "generated: the app's /proc status shows one filter (Seccomp: 2)" "2 1" \
        "$APP_STATUS"
assert_eq "generated: and it was cached" 1 "$(count_files)"
# -- writers killed, and a cache that only grows -----------------------------------------
# A ward killed while it writes a new entry leaves nothing: the file is unnamed (O_TMPFILE)
# until whole. 40 cold-cache runs killed at random moments of their first 40 ms; before,
# about 1 in 25 left a ".HASH.bpf.PID" behind for good.
export WARD_CACHE_DIR=$WORK/killed/seccomp
mkdir -p "$WARD_CACHE_DIR" && chmod 700 "$WARD_CACHE_DIR" "$WORK/killed"
for i in $(seq 1 40); do
        rm -f "$WARD_CACHE_DIR"/*.bpf
        "$WARD" run --rootfs "$R" -- /bin/true >/dev/null 2>&1 &
        pid=$!
        sleep "0.0$((RANDOM % 4))$((RANDOM % 10))"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
done
T_RUNS=$((T_RUNS + 40))
assert_eq "40 writers killed at random moments: no private name left" "" \
        "$(find "$WARD_CACHE_DIR" -name '.*' -printf '%f ')"
# What an older ward left (a private name of a dead writer), and far more entries than
# anyone needs: the next write removes the first and the oldest of the others.
export WARD_CACHE_DIR=$WORK/full/seccomp
mkdir -p "$WARD_CACHE_DIR" && chmod 700 "$WARD_CACHE_DIR" "$WORK/full"
: >"$WARD_CACHE_DIR/.0123456789abcdef.bpf.999999999"
for i in $(seq 1 300); do
        : >"$WARD_CACHE_DIR/$(printf '%016x' "$i").bpf"
done
touch -d '2 days ago' "$WARD_CACHE_DIR"/*.bpf
touch "$WARD_CACHE_DIR/$(printf '%016x' 300).bpf" # the newest of the old ones stays
wrun --rootfs "$R" -- "${P[@]}" getppid
assert_eq "a full cache: the run works" "0 OK" "$RC $(kv getppid)"
assert_eq "a full cache: the dead writer's private name is gone" "" \
        "$(find "$WARD_CACHE_DIR" -name '.*' -printf '%f ')"
assert_eq "a full cache: 301 entries pruned to the 192 newest" 192 "$(count_files)"
assert_eq "a full cache: the newest old entry stays" yes \
        "$([ -e "$WARD_CACHE_DIR/$(printf '%016x' 300).bpf" ] && echo yes)"
finish
