#!/usr/bin/env bash
# The noexec /tmp: a program downloaded there does not run by execve() (the mount), but
# copied into a memfd it ran with execveat(AT_EMPTY_PATH). ward sets vm.memfd_noexec=2 in the
# sandbox's pid namespace (Linux 6.3+, root-run: setup writes it while it still has the
# monitor's uid 0; [Process] MemfdExec=try by default, =no to require it): every memfd is then non-executable and MFD_EXEC is refused (EACCES). ward-init,
# itself executed from a sealed memfd, is made outside, by the monitor, and still runs.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
YES=$WORK/memfd-yes.profile
printf '%s\n' "[Profile]" "Include=default" "[Process]" "MemfdExec=yes" >"$YES"
NO=$WORK/memfd-no.profile
printf '%s\n' "[Profile]" "Include=default" "[Process]" "MemfdExec=no" >"$NO"

if [ ! -e /proc/sys/vm/memfd_noexec ]; then
        # Where the kernel cannot, ward says so, and refuses when it is required.
        wexplain --rootfs "$R" -- /bin/true
        assert_contains "no vm.memfd_noexec: explain says memfds stay executable" "$OUT" \
                "vm.memfd_noexec NOT set (the kernel has no vm.memfd_noexec (Linux 6.3+))"
        wrun --profile "$NO" --rootfs "$R" -- "${P[@]}" exit 0
        assert_eq "no vm.memfd_noexec: MemfdExec=no is exit 125" 125 "$RC"
        echo "1..0 # SKIP the kernel has no vm.memfd_noexec (Linux 6.3+): the attack half"
        finish
fi
HOST=$(cat /proc/sys/vm/memfd_noexec)
echo "# host vm.memfd_noexec=$HOST"

# ward: the downloaded program runs neither way; the sysctl is the sandbox's own.
wrun --rootfs "$R" -- "${P[@]}" memfd-exec /tmp/payload pid1
assert_eq "ward: the probe ran under ward-init (exit 0)" 0 "$RC"
assert_eq "ward: ward-init is PID 1 (its own memfd still runs)" memfd:ward-init "$(kv pid1_comm)"
assert_eq "ward: /tmp is noexec (execve refused)" EACCES "$(kv exec_direct)"
assert_eq "ward: vm.memfd_noexec is 2 in the sandbox" 2 "$(kv memfd_noexec)"
assert_eq "ward: memfd_create(MFD_EXEC) refused" EACCES "$(kv memfd_create_exec)"
assert_eq "ward: the copy in a memfd does not run" EACCES "$(kv memfd_exec)"
assert_eq "ward: the host's vm.memfd_noexec is untouched" "$HOST" \
        "$(cat /proc/sys/vm/memfd_noexec)"
wrun --profile "$NO" --rootfs "$R" -- "${P[@]}" memfd-exec /tmp/payload
assert_eq "MemfdExec=no: the same, required" "0 EACCES" "$RC $(kv memfd_exec)"
wexplain --rootfs "$R" -- /bin/true
assert_contains "explain: the sysctl step" "$OUT" \
        "setup: vm.memfd_noexec=2 in the sandbox's pid namespace"

# Where it cannot be had: required is exit 125, naming the key; try says so in explain.
# (A fixed IdMapBase= outside ward's pool: a leased range needs a pid namespace.)
printf '%s\n' "[Profile]" "Include=default" "[Namespaces]" "Unshare=" "Unshare=user mount net uts ipc" \
        "IdMapBase=80000000" "[Process]" "MemfdExec=no" >"$WORK/nopid.profile"
wrun --profile "$WORK/nopid.profile" --rootfs "$R" -- "${P[@]}" exit 0
assert_eq "no pid namespace, MemfdExec=no: exit 125" 125 "$RC"
assert_contains "no pid namespace, MemfdExec=no: names the key" "$ERR" \
        "nopid.profile:8: Process.MemfdExec: memfds cannot be made non-executable"
sed -i 's/^MemfdExec=no$/MemfdExec=try/' "$WORK/nopid.profile"
wexplain --profile "$WORK/nopid.profile" --rootfs "$R" -- /bin/true
assert_contains "no pid namespace, try: explain says memfds stay executable" "$OUT" \
        "vm.memfd_noexec NOT set (the sandbox has no pid namespace of its own"

# Weakened: MemfdExec=yes (the host's setting). The mount still refuses execve(), but the
# memfd copy runs: the hole the sysctl closes.
wrun --profile "$YES" --rootfs "$R" -- "${P[@]}" memfd-exec /tmp/payload
assert_eq "weakened: /tmp is still noexec" EACCES "$(kv exec_direct)"
if [ "$HOST" -ge 2 ]; then
        skip "weakened: the memfd copy runs" "the host's own vm.memfd_noexec is $HOST"
else
        assert_eq "weakened: the downloaded program runs from a memfd (the attack is real)" OK \
                "$(kv memfd_exec)"
fi
finish
