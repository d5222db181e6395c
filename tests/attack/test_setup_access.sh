#!/usr/bin/env bash
# CVE-2016-9962: the sandbox reaches the process the host set up (its memory, fds, root,
# cwd, environment) through /proc/PID or ptrace. ward's setup has exec'd the init before
# any code of the image runs; the init is non-dumpable, holds only fds 0-2, and the
# seccomp filter refuses ptrace.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
exec 9</ 8<"$WORK"

wrun --rootfs "$R" -- "${P[@]}" proc-attack 1
assert_eq "ward: the probe ran" 0 "$RC"
assert_eq "ward: /proc/1/mem" EACCES "$(kv 'proc_mem 1')"
assert_eq "ward: /proc/1/environ" EACCES "$(kv 'proc_environ 1')"
assert_eq "ward: /proc/1/root" EACCES "$(kv 'proc_root 1')"
assert_eq "ward: /proc/1/cwd" EACCES "$(kv 'proc_cwd 1')"
assert_eq "ward: ptrace(PID 1)" EPERM "$(kv 'proc_ptrace 1')"
assert_eq "ward: the init's fds cannot be followed" "" "$(kv 'proc_fd 1.0' | grep -v '^$')"

# Weakened (CAP_SYS_PTRACE overrides non-dumpable, no seccomp): the attack reaches the
# init, and proves that nothing of the host is behind it: fds 0-2 only, root and cwd
# inside, no caller's environment.
wrun --rootfs "$R" "${WEAK[@]}" -- "${P[@]}" proc-attack 1
assert_eq "weakened: /proc/1/mem opens (the attack is real)" OK "$(kv 'proc_mem 1')"
assert_eq "weakened: ptrace(PID 1) works (the attack is real)" OK "$(kv 'proc_ptrace 1')"
assert_eq "weakened: /proc/1/root opens" OK "$(kv 'proc_root 1')"
assert_eq "weakened: but the init's root is inside the sandbox's root" no \
        "$(kv 'proc_root_outside 1')"
assert_eq "weakened: and its cwd too" no "$(kv 'proc_cwd_outside 1')"
# Besides 0-2, the init holds one fd: the write end of its report pipe to the monitor (how
# the app ended: init.h), a pipe, never a file or socket of the host's. The app never gets
# it (close-on-exec in the init; test_fd_cwd_leak lists the app's fds).
fds=$(grep -o '^proc_fd 1\.[0-9]*' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')
assert_match "weakened: the init holds fds 0, 1, 2 and its report pipe only" "$fds" \
        '^proc_fd 1\.0 proc_fd 1\.1 proc_fd 1\.2( proc_fd 1\.[0-9]+)?$'
extra=${fds#proc_fd 1.0 proc_fd 1.1 proc_fd 1.2}
if [ -n "$extra" ]; then
        assert_match "weakened: that one is a pipe" "$(kv "${extra# }")" '^pipe:\[[0-9]+\]$'
fi
assert_not_contains "weakened: no init fd leads out of the root" "$OUT" proc_fd_outside
finish
