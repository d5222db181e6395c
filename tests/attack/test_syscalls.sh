#!/usr/bin/env bash
# The kernel's most exposed interfaces, reached by system call: keyrings (keyctl, add_key),
# new user namespaces (unshare, clone), module loading, mount, bpf. The seccomp filter
# refuses them (EPERM), whatever capabilities the profile keeps.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
CALLS="keyctl add_key unshare_user clone_newuser init_module mount"

wrun --rootfs "$R" -- "${P[@]}" syscalls
assert_eq "ward: the probe ran" 0 "$RC"
for c in $CALLS; do
        assert_eq "ward: $c refused by the filter" EPERM "$(kv "$c")"
done

# Every capability but the filter on: the filter alone still refuses them (a kept
# capability opens the calls it governs: CAP_SYS_MODULE opens init_module, which then meets
# the kernel's own check against the host's user namespace).
wrun --rootfs "$R" --cap-add ALL -- "${P[@]}" syscalls
for c in ${CALLS/init_module/}; do
        assert_eq "ward --cap-add ALL: $c still refused" EPERM "$(kv "$c")"
done
assert_match "ward --cap-add ALL: init_module: the kernel refuses it (EPERM, or ENOSYS)" \
        "$(kv init_module)" '^(EPERM|ENOSYS)$'

# Proof that it is the filter that answers, not the kernel: with DefaultAction=kill the
# same calls kill the caller with SIGSYS.
cat >"$WORK/kill.profile" <<'P'
[Profile]
Include=default
[Seccomp]
DefaultAction=kill
P
wrun --profile "$WORK/kill.profile" --rootfs "$R" -- "${P[@]}" syscalls
for c in $CALLS; do
        assert_eq "DefaultAction=kill: $c is the filter's (SIGSYS)" killed:SYS "$(kv "$c")"
done

# Weakened (no filter, every capability): the keyring, the new user namespace and mount
# go through, all inside the sandbox's own namespaces (the keyring is the probe's own
# process keyring). Module loading then meets the kernel's own check: CAP_SYS_MODULE in
# the host's user namespace (EPERM), or no module support at all (ENOSYS).
wrun --rootfs "$R" "${WEAK[@]}" -- "${P[@]}" syscalls
for c in keyctl add_key unshare_user clone_newuser mount; do
        assert_eq "weakened: $c goes through (the attack is real)" OK "$(kv "$c")"
done
assert_match "weakened: init_module: only the user namespace (or the kernel) stops it" \
        "$(kv init_module)" '^(EPERM|ENOSYS)$'
finish
