#!/usr/bin/env bash
# The compiled seccomp filter is cached (seccomp_cache.h): a cache file is used only when it
# is ours alone and was made from the very same inputs; a sandbox never gets it writable.
source "$(dirname "$0")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
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
wrun --rootfs "$R" --security-opt seccomp=unconfined -v "$WORK/cache:/tmp/c:rw" -- \
        "${P[@]}" seccomp
assert_eq "without seccomp the cache is not in play" "0 0" "$RC $(kv Seccomp)"
finish
