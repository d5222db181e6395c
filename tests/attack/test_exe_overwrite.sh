#!/usr/bin/env bash
# CVE-2019-5736: the sandbox overwrites the host's runtime binary through /proc/PID/exe,
# directly or by holding an O_PATH fd and reopening it for writing once the process exited.
# ward never runs a host file in the sandbox: the init is a sealed memfd copy, non-dumpable.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
need_naive "$R"
sums() { sha256sum "$WARD" "$WARD_INIT" "$PROBE" 2>/dev/null; }
WARD_INIT=${WARD_INIT:-$WARD_BUILD_DIR/ward-init}
before=$(sums)

# -- against ward --------------------------------------------------------------------------
wrun --rootfs "$R" -- "${P[@]}" pid1 exe-attack 1
assert_eq "ward: the probe ran" 0 "$RC"
# The exe link itself is unreadable (non-dumpable); the comm shows where the init runs from.
assert_eq "ward: PID 1 runs from a memfd, not a host file" memfd:ward-init "$(kv pid1_comm)"
assert_eq "ward: /proc/1/exe cannot even be opened O_PATH (non-dumpable init)" EACCES \
        "$(kv 'exe_opath 1')"
assert_eq "ward: /proc/1/exe cannot be opened for writing" EACCES "$(kv 'exe_open_rw 1')"
assert_not_contains "ward: no write to the init's binary succeeded" "$OUT" "write 1=OK"

# The weakest ward: every capability (CAP_SYS_PTRACE overrides non-dumpable) and no seccomp.
# The attack now reaches the init's exe; what stops it is that the exe is a running, sealed
# memfd (ETXTBSY, then the seal) and a copy: the host binary is never at the other end.
# ward has no option to run the init from the host file, so this is as weak as it gets.
wrun --rootfs "$R" "${WEAK[@]}" -- "${P[@]}" pid1 exe-attack 1
assert_eq "weakened ward: the probe ran" 0 "$RC"
assert_eq "weakened ward: the attack reaches /proc/1/exe (O_PATH open works)" OK \
        "$(kv 'exe_opath 1')"
assert_ne "weakened ward: reopening it read-write fails" OK "$(kv 'exe_reopen 1')"
assert_ne "weakened ward: opening it read-write fails" OK "$(kv 'exe_open_rw 1')"
assert_not_contains "weakened ward: no write to the init's binary succeeded" "$OUT" "write 1=OK"
assert_match "weakened ward: what it reached is the memfd copy" "$(kv pid1_exe)" '^/memfd:'

# -- the O_PATH-then-reopen variant, against a host binary that a sandbox process runs -----
# This is what ward avoids by design; run against a host file the sandbox may write (a
# copy of busybox, owned by the sandbox's root, bound in read-write) the attack rewrites it.
cp /bin/busybox "$WORK/victim"
touch "$R/victim"
if [ "$(id -u)" = 0 ]; then
        chown 2000000:2000000 "$WORK/victim" # the sandbox's root, as root runs it
fi
victim_sum=$(sha256sum <"$WORK/victim")
wrun --rootfs "$R" "${WEAK[@]}" -v "$WORK/victim:/victim:rw" -- "${P[@]}" \
        exe-attack-exited /victim
assert_eq "weakened: a host binary run in the sandbox: its exe held O_PATH" OK \
        "$(kv exited_opath)"
assert_eq "weakened: reopened read-write after the process exited (CVE-2019-5736)" OK \
        "$(kv exited_reopen)"
assert_eq "weakened: and written" OK "$(kv exited_write)"
assert_eq "the victim is unchanged (the probe writes back the byte it read)" "$victim_sum" \
        "$(sha256sum <"$WORK/victim")"

# The same variant against ward's init: the only process the host set up. It runs for the
# sandbox's whole life, and when it exits the pid namespace is gone, so the attacker never
# sees it exit; the hold-and-reopen is refused at the O_PATH step already.
wrun --rootfs "$R" -- "${P[@]}" exe-attack 1
assert_ne "ward: no O_PATH fd on the init's exe to reopen later" OK "$(kv 'exe_opath 1')"

# Without the init (--no-init), PID 1 is the app itself, a file of the read-only image.
wrun --rootfs "$R" --no-init -- "${P[@]}" exe-attack 1
assert_eq "--no-init: PID 1 (the app) cannot rewrite its own image binary" "" \
        "$(grep -E '^exe_(reopen_)?write 1=OK' <<<"$OUT")"

# -- the naive runtime: nothing stops the attack on a file the attacker's user may write ---
if naive_part "naive runtime: the O_PATH-then-reopen attack"; then
        cp /bin/busybox "$R/bin/victim2"
        chown 65534:65534 "$R/bin/victim2" 2>/dev/null
        naive_run "$R" /bin/ward-probe "--tag=$TAG" exe-attack-exited /bin/victim2
        assert_eq "naive runtime: exe held O_PATH, reopened rw and written after exit" "OK OK OK" \
                "$(kv exited_opath) $(kv exited_reopen) $(kv exited_write)"
fi

assert_eq "the host's ward, ward-init and probe binaries are unchanged" "$before" "$(sums)"
finish
