#!/usr/bin/env bash
# ward doctor's verdicts on hosts that lack things, each checked against what ward run does
# on the same host. Two boots of one busybox initramfs (guest-doctor.sh) under QEMU/TCG:
#   full:       the Debian kernel as it boots, pure cgroup v2: as root cgroup-v2 ok and a
#               --memory run works; as uid 1000 the namespaces are ok, then with
#               user.max_user_namespaces=0 missing, the sysctl named, doctor exits non-zero
#               and ward run exits 125.
#   nolandlock: lsm= without landlock: landlock missing with the reason, and a profile with
#               Landlock=yes is refused (125); the full boot is its control.
# The host's own hybrid cgroup tree (cgroup-v2 missing, and --memory refused with doctor's
# reason) is test_doctor.sh's. About 10 s a boot here; recipe: ../shared/vm/README.md.
#
# Exit 77 (skip) with the reason when qemu, the kernel, jq, busybox-static or setpriv is
# missing: apt-get install qemu-system-x86 linux-image-amd64 busybox-static cpio util-linux jq
set -u

skip_all() {
        echo "1..0 # SKIP $1"
        exit 77
}

command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86_64 is not installed"
command -v cpio >/dev/null || skip_all "cpio is not installed"
[ -x /bin/busybox ] || skip_all "/bin/busybox is not installed (busybox-static)"
command -v jq >/dev/null || skip_all "jq is not installed"
SETPRIV=$(command -v setpriv) || skip_all "setpriv (util-linux) is not installed"
KERNEL=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1)
[ -n "$KERNEL" ] && [ -r "$KERNEL" ] || skip_all "no /boot/vmlinuz-*-amd64 (linux-image-amd64)"

. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/initrd.sh"

VM_TIMEOUT=${VM_TIMEOUT:-120}
I=$WORK/initrd

# boot CASE [KERNEL_ARGS]: the console of that boot in $WORK/CASE.txt.
boot() {
        local start=$SECONDS
        timeout -s KILL "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m 512M -smp 1 \
                -nographic -no-reboot -kernel "$KERNEL" -initrd "$WORK/initrd.gz" \
                -append "console=ttyS0 quiet panic=-1 ward.case=$1 ${2:-}" \
                </dev/null >"$WORK/$1.log" 2>&1
        local rc=$?
        tr -d '\r' <"$WORK/$1.log" >"$WORK/$1.txt"
        echo "# guest $1: boot to poweroff in $((SECONDS - start))s (qemu exit $rc)"
        if ! grep -q '^RESULT done' "$WORK/$1.txt"; then
                LAST_CMD="qemu-system-x86_64 ... ward.case=$1 (console log follows)"
                RC=$rc OUT=$(tail -n 60 "$WORK/$1.txt") ERR=""
                fail "guest $1 ran every check and powered off" "no 'RESULT done' on the console"
                return 1
        fi
        ok "guest $1 ran every check and powered off"
        grep -E '^(RESULT|GUEST)' "$WORK/$1.txt" | cut -c1-300 | sed 's/^/#   /'
}

# result CASE NAME: the value of "RESULT NAME VALUE" on CASE's console.
result() {
        sed -n "s/^RESULT $2 //p" "$WORK/$1.txt" | head -n 1
}

# verdict CASE WHO FEATURE FIELD: a field (status, why, fix) of FEATURE in that JSON.
verdict() {
        result "$1" "$2-json" | jq -r --arg f "$3" --arg k "$4" \
                '.[] | select(.feature == $f) | .[$k]' 2>/dev/null
}

build_initrd "$(dirname "$0")/guest-doctor.sh"
# The kernel's own lsm= list, without landlock, for the second guest.
LSM=$(sed -n 's/^CONFIG_LSM="\(.*\)"$/\1/p' "/boot/config-${KERNEL#/boot/vmlinuz-}" 2>/dev/null)
[ -n "$LSM" ] || LSM=landlock,lockdown,yama,apparmor
NOLL=$(tr ',' '\n' <<<"$LSM" | grep -vx landlock | paste -sd, -)

if boot full; then
        OUT=$(cat "$WORK/full.txt") ERR="" RC=0 LAST_CMD="guest full: console"
        # (a) Pure cgroup v2, as root: available, and ward run applies the limits.
        assert_eq "pure cgroup v2, root: cgroup-v2 ok" ok "$(verdict full root cgroup-v2 status)"
        assert_eq "pure cgroup v2, root: doctor exits 0" 0 "$(result full root-rc)"
        assert_eq "pure cgroup v2, root: ward run --memory --pids-limit agrees (exit 0)" 0 \
                "$(result full root-memory-rc)"
        # A normal user with nothing delegated: limits refused, by doctor and by run alike.
        assert_eq "uid 1000, nothing delegated: cgroup-v2 missing" missing \
                "$(verdict full user-on cgroup-v2 status)"
        assert_eq "uid 1000, nothing delegated: ward run --memory agrees (exit 125)" 125 \
                "$(result full user-memory-rc)"
        why=$(verdict full user-on cgroup-v2 why)
        assert_contains "uid 1000, nothing delegated: run's error is doctor's reason" \
                "$(result full user-memory-stderr)" "${why%%: Permission denied*}"
        assert_contains "uid 1000, nothing delegated: doctor's fix is run's" \
                "$(result full user-memory-stderr)" "$(verdict full user-on cgroup-v2 fix)"
        # (b) Unprivileged user namespaces: on (the control), then off.
        assert_eq "uid 1000, user namespaces on: namespaces ok" ok \
                "$(verdict full user-on namespaces status)"
        assert_eq "uid 1000, user namespaces on: ward run works (exit 0)" 0 \
                "$(result full user-on-run-rc)"
        assert_eq "user.max_user_namespaces=0 in the guest" 0 "$(result full max-user-namespaces)"
        assert_eq "max_user_namespaces=0, uid 1000: namespaces missing" missing \
                "$(verdict full user-off namespaces status)"
        assert_contains "max_user_namespaces=0, uid 1000: the fix names the sysctl" \
                "$(verdict full user-off namespaces fix)" "user.max_user_namespaces is 0"
        assert_ne "max_user_namespaces=0, uid 1000: doctor exits non-zero" 0 \
                "$(result full user-off-rc)"
        assert_eq "max_user_namespaces=0, uid 1000: ward run agrees (exit 125)" 125 \
                "$(result full user-off-run-rc)"
        assert_contains "max_user_namespaces=0, uid 1000: ward run names the sysctl" \
                "$(result full user-off-run-stderr)" "user.max_user_namespaces is 0"
        # Landlock with the kernel's own lsm=: there (ok, or degraded on an older ABI).
        assert_match "lsm= with landlock: landlock ok or degraded" \
                "$(verdict full root landlock status)" '^(ok|degraded)$'
        assert_eq "lsm= with landlock: a Landlock=yes profile runs (exit 0)" 0 \
                "$(result full root-landlock-rc)"
fi

if boot nolandlock "lsm=$NOLL"; then
        OUT=$(cat "$WORK/nolandlock.txt") ERR="" RC=0 LAST_CMD="guest nolandlock: console"
        assert_not_contains "lsm=$NOLL: the guest's LSMs lack landlock" \
                "$(result nolandlock lsm)" "landlock"
        # (c) Landlock off.
        assert_eq "lsm= without landlock: landlock missing" missing \
                "$(verdict nolandlock root landlock status)"
        assert_contains "lsm= without landlock: doctor says why" \
                "$(verdict nolandlock root landlock why)" "the kernel has no Landlock"
        assert_contains "lsm= without landlock: the fix names lsm=" \
                "$(verdict nolandlock root landlock fix)" "landlock in lsm="
        assert_eq "lsm= without landlock: the default profile still runs (doctor exits 0)" 0 \
                "$(result nolandlock root-rc)"
        assert_eq "lsm= without landlock: ward run with Landlock=yes agrees (exit 125)" 125 \
                "$(result nolandlock root-landlock-rc)"
        assert_contains "lsm= without landlock: ward run says why" \
                "$(result nolandlock root-landlock-stderr)" "Landlock is not available"
        assert_eq "lsm= without landlock: cgroup v2 still ok" ok \
                "$(verdict nolandlock root cgroup-v2 status)"
fi
finish
