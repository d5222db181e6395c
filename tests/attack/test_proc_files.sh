#!/usr/bin/env bash
# The kernel's knobs and secrets under /proc: writes to /proc/sysrq-trigger and /proc/sys,
# reads of /proc/kcore and /proc/keys. ward masks them (/dev/null or ENOENT) or mounts them
# read-only, and the sandbox's root is not the host's.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
need_naive "$R"
A=(write /proc/sysrq-trigger sysctl-write read /proc/kcore read /proc/keys stat /proc/keys
        statfs /proc/keys)

for cfg in default weak; do
        if [ $cfg = weak ]; then args=("${WEAK[@]}"); else args=(); fi
        wrun --rootfs "$R" "${args[@]}" -- "${P[@]}" "${A[@]}"
        assert_eq "$cfg ward: the probe ran" 0 "$RC"
        assert_ne "$cfg ward: /proc/sysrq-trigger cannot be opened for writing" OPENED \
                "$(kv 'write /proc/sysrq-trigger')"
        # /proc/sys is mounted read-only, and its files belong to the host's root: even
        # a sysctl of the sandbox's own network namespace cannot be written.
        assert_match "$cfg ward: a /proc/sys write is refused" "$(kv sysctl_write)" \
                '^(EROFS|EACCES)$'
        assert_match "$cfg ward: /proc/kcore is masked" "$(kv 'read /proc/kcore')" \
                '^(ENOENT|EACCES|OK)$'
        [ "$(kv 'read /proc/kcore')" = OK ] &&
                assert_eq "$cfg ward: /proc/kcore reads nothing" 0 "$(kv 'bytes /proc/kcore')"
        assert_eq "$cfg ward: /proc/keys reads nothing" 0 "$(kv 'bytes /proc/keys')"
        assert_match "$cfg ward: /proc/keys is /dev/null" "$(kv 'stat /proc/keys')" \
                '^char .*rdev=1:3'
done

# The naive runtime: its own proc, nothing masked or read-only. The sysctl write goes
# through (a net sysctl of its own namespace, rewritten with the value it holds),
# /proc/keys is the kernel's file; /proc/sysrq-trigger is then stopped only by the user
# namespace (the file belongs to the host's root).
if naive_part "naive runtime: /proc unmasked"; then
        naive_run "$R" /bin/ward-probe "--tag=$TAG" "${A[@]}"
        assert_eq "naive runtime: the probe ran" 0 "$RC"
        assert_eq "naive runtime: the /proc/sys write works" OK "$(kv sysctl_write)"
        assert_eq "naive runtime: /proc/keys is the kernel's (procfs)" 0x9fa0 \
                "$(kv 'fstype /proc/keys')"
        assert_match "naive runtime: /proc/keys is a file" "$(kv 'stat /proc/keys')" '^file '
        if [ -e /proc/sysrq-trigger ]; then
                assert_eq "naive runtime: /proc/sysrq-trigger: only the user namespace stops it" \
                        EACCES "$(kv 'write /proc/sysrq-trigger')"
        else
                skip "naive runtime: /proc/sysrq-trigger" \
                        "this kernel has none (CONFIG_MAGIC_SYSRQ=n)"
        fi
        if [ -e /proc/kcore ]; then
                assert_eq "naive runtime: /proc/kcore: only the user namespace stops it" EACCES \
                        "$(kv 'read /proc/kcore')"
        else
                skip "naive runtime: /proc/kcore" "this kernel has none (CONFIG_PROC_KCORE=n)"
        fi
fi
finish
