#!/usr/bin/env bash
# cgroup v2 limits in a real pure-v2 kernel: the host's cgroup tree is a v1/v2 hybrid owned
# by its supervisor, so this boots the Debian kernel under QEMU/TCG (KVM hangs here) with a
# busybox initramfs holding ward, runs ward in the guest, and greps the serial console.
# One boot runs the root tests (guest-init.sh), then uid 1000's in a cgroup subtree that
# root delegated to it by hand (guest-rootless.sh).
# Recipe and timings: ../shared/vm/README.md (about 10 s from boot to poweroff).
#
# Exit 77 (skip) with the reason when qemu, the kernel, busybox-static or setpriv is missing:
# apt-get install qemu-system-x86 linux-image-amd64 busybox-static cpio util-linux
set -u

skip_all() {
        echo "1..0 # SKIP $1"
        exit 77
}

command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86_64 is not installed"
command -v cpio >/dev/null || skip_all "cpio is not installed"
SETPRIV=$(command -v setpriv) || skip_all "setpriv (util-linux) is not installed"
KERNEL=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1)
[ -n "$KERNEL" ] && [ -r "$KERNEL" ] || skip_all "no /boot/vmlinuz-*-amd64 (linux-image-amd64)"

. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/initrd.sh"

VM_TIMEOUT=${VM_TIMEOUT:-120}
I=$WORK/initrd
LOG=$WORK/console.log

boot() {
        local start=$SECONDS
        timeout -s KILL "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m 512M -smp 1 \
                -nographic -no-reboot -kernel "$KERNEL" -initrd "$WORK/initrd.gz" \
                -append 'console=ttyS0 quiet panic=-1' </dev/null >"$LOG" 2>&1
        VM_RC=$?
        VM_SECONDS=$((SECONDS - start))
        tr -d '\r' <"$LOG" >"$LOG.txt"
}

# The value of "RESULT NAME VALUE" on the console.
result() {
        sed -n "s/^.*RESULT $1 //p" "$LOG.txt" | head -n 1
}

build_initrd "$(dirname "$0")/guest-init.sh" \
        "$(dirname "$0")/guest-rootless.sh:/opt/guest-rootless.sh"
boot
echo "# guest: boot to poweroff in ${VM_SECONDS}s (qemu exit $VM_RC, kernel $(basename "$KERNEL"))"
if ! grep -q '^RESULT done' "$LOG.txt"; then
        LAST_CMD="qemu-system-x86_64 ... (console log follows)"
        RC=$VM_RC OUT=$(tail -n 60 "$LOG.txt") ERR=""
        fail "the guest ran every test and powered off" "no 'RESULT done' on the console"
        finish
fi
ok "the guest booted, ran the tests and powered off (${VM_SECONDS}s)"
grep -E '^(RESULT|GUEST)' "$LOG.txt" | sed 's/^/#   /'

OUT=$(cat "$LOG.txt") ERR="" RC=$VM_RC LAST_CMD="guest console"
assert_contains "guest: /sys/fs/cgroup is cgroup2 with memory and pids" \
        "$(result controllers)" "memory"
assert_eq "memory: the hog is OOM-killed, exit 137" "137" "$(result oom-rc)"
assert_contains "memory: the kill is reported in words" "$(result oom-stderr)" \
        "ward: the app was killed: out of memory (memory.max=32M)"
assert_eq "pids: ward exits with the probe's status" "0" "$(result pids-rc)"
assert_match "pids: forks beyond pids.max are refused" "$(result pids-stdout)" \
        '^forks started=[1-7] refused=1[3-9]$'
assert_match "pids: the refusals are reported in words" "$(result pids-stderr)" \
        '^ward: fork refused [0-9]+ times?: pids.max=8 reached$'
assert_eq "cpu: cpu.max holds the quota of --cpus 0.5" "50000 100000" "$(result cpu-max)"
assert_eq "memory: memory.max holds --memory 48m" "50331648" "$(result memory-max)"
assert_eq "the app's cgroup holds the sandbox, not the monitor" "yes" \
        "$(result monitor-outside)"
assert_match "SIGKILLed monitors left cgroups (control: there is something to remove)" \
        "$(result sigkill-left-before-next-run)" '^[1-9][0-9]*$'
assert_eq "the run after the SIGKILLs exits 0" 0 "$(result sigkill-next-run-rc)"
assert_eq "no cgroup is left behind under /sys/fs/cgroup/ward (the next run removed them)" \
        "none" "$(result leftover)"
# cpu_ms / wall_ms of a busy loop, in percent.
burn_percent() {
        sed -n 's/^burn wall_ms=\([0-9]*\) cpu_ms=\([0-9]*\)$/\2 \1/p' <<<"$1" |
                awk '$2 > 0 {printf "%d", 100 * $1 / $2}'
}
LIMITED=$(burn_percent "$(result cpu-burn-limited)")
FREE=$(burn_percent "$(result cpu-burn-free)")
echo "# cpu: busy loop under --cpus 0.5: ${LIMITED:-?}% of a CPU; without a limit: ${FREE:-?}%"
assert_match "cpu: a busy loop under --cpus 0.5 gets 30-70% of a CPU" "${LIMITED:-none}" \
        '^([3-6][0-9]|70)$'
assert_match "cpu: without a limit it gets more than 80%" "${FREE:-none}" '^(8[1-9]|9[0-9]|1[0-9][0-9])$'
assert_eq "the app starts inside its cgroup (its first read of /proc/self/cgroup)" \
        "0::/ward/ward-MONITOR" "$(result app-cgroup)"
assert_eq "a cgroup namespace hides the host's path from the app" "0::/" \
        "$(result app-cgroup-ns)"
assert_eq "no limit asked: ward creates no cgroup" "rc=0 created=no" "$(result nolimit)"

# Rootless: uid 1000 in /sys/fs/cgroup/deleg, which root delegated to it by hand.
assert_eq "rootless: root chowned deleg/ and its delegation files, the user made shell/" \
        "1000 1000 1000 1000" "$(result rl-setup | sed 's/ *$//')"
assert_eq "rootless: --memory, --cgroup-parent /sys/fs/cgroup/deleg: OOM-killed, exit 137" "137" \
        "$(result rl-oom-rc)"
assert_eq "rootless: the OOM kill is reported in words" \
        "ward: the app was killed: out of memory (memory.max=32M)" "$(result rl-oom-stderr)"
assert_eq "rootless: pids: ward exits with the probe's status" "0" "$(result rl-pids-rc)"
assert_match "rootless: pids: forks beyond pids.max are refused" "$(result rl-pids-stdout)" \
        '^forks started=[1-7] refused=1[3-9]$'
assert_match "rootless: pids: the refusals are reported in words" "$(result rl-pids-stderr)" \
        '^ward: fork refused [0-9]+ times?: pids.max=8 reached$'
assert_match "rootless: the sandbox's cgroup is deleg/ward-<monitor pid>" \
        "$(result rl-cgroup-name)" '^ward-[0-9]+$'
assert_eq "rootless: memory.max, pids.max, cpu.max hold --memory 48m --pids-limit 16 --cpus 0.5" \
        "50331648 16 50000 100000" "$(result rl-limits | sed 's/ *$//')"
assert_eq "rootless: the sandbox's cgroup and its files belong to the user" "1000 1000" \
        "$(result rl-owner | sed 's/ *$//')"
assert_eq "rootless: ward enabled the controllers in deleg/cgroup.subtree_control" \
        "cpu memory pids" "$(result rl-subtree-control)"
assert_eq "rootless: the run exits 0" "0" "$(result rl-run-rc)"
assert_eq "rootless: the app starts inside deleg/ward-<monitor pid>" "0::/deleg/ward-MONITOR" \
        "$(result rl-app-cgroup)"
assert_eq "rootless: nothing is left under deleg/ but the user's shell/" "none" \
        "$(result rl-leftover)"

# Rootless refusals: exit 125 before the sandbox starts, naming the setting and the fix.
# refused NAME RESULT-PREFIX NEEDLE...: rl-PREFIX-rc is 125 and rl-PREFIX-stderr holds
# every needle.
refused() {
        local name=$1 r=$2 needle
        shift 2
        assert_eq "$name: exit 125" "125" "$(result "rl-$r-rc")"
        for needle in "$@"; do
                assert_contains "$name: says '$needle'" "$(result "rl-$r-stderr")" "$needle"
        done
}
refused "rootless, shell in deleg/ itself" internal \
        "command line: Resources.CgroupParent: cannot enable the controllers in /sys/fs/cgroup/deleg" \
        "(EBUSY)" "fix: /sys/fs/cgroup/deleg holds processes" \
        "(the no-internal-process rule): move them to a leaf below it"
assert_eq "rootless, shell outside the subtree: refused before writing deleg/'s subtree_control" \
        "[]" "$(result rl-outside-subtree-control)"
refused "rootless, shell in deleg/ with pids enabled" internal2 "(ENOTSUP)" \
        "(the no-internal-process rule): move them to a leaf below it"
refused "rootless, shell outside the delegated subtree" outside \
        "Resources.CgroupParent: cannot start the sandbox below /sys/fs/cgroup/deleg" \
        "ward runs in the cgroup /, and the kernel moves a process from there only" \
        "may write /sys/fs/cgroup/cgroup.procs (of the common ancestor)" \
        "fix: start ward from a cgroup inside /sys/fs/cgroup/deleg"
refused "rootless, --cgroup-parent /ward (root's)" notowned \
        "command line: Resources.CgroupParent: cannot enable the controllers in /sys/fs/cgroup/ward" \
        "(EACCES)" "fix: /sys/fs/cgroup/ward/cgroup.subtree_control belongs to uid 0" \
        "a subtree delegated to you, given with --cgroup-parent"
refused "rootless, no --cgroup-parent (the default /ward)" default \
        "built-in default: Resources.CgroupParent: cannot enable the controllers in" \
        "belongs to uid 0"
refused "rootless, memory not passed down to the parent" nomem \
        "Resources.Memory: cgroup v2 controllers memory are not available" \
        '/sys/fs/cgroup/mid/deleg2 delegates only "pids"' \
        'fix: the owner of /sys/fs/cgroup/mid enables them for /mid/deleg2: echo "+memory" > /sys/fs/cgroup/mid/cgroup.subtree_control'
assert_eq "rootless, memory not passed down: no cgroup was created" "none" \
        "$(result rl-nomem-leftover)"
finish
