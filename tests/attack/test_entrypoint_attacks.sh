#!/usr/bin/env bash
# Entrypoint mode (profiles/entrypoint.profile: no namespaces of its own) attacked from the
# app, inside crun containers shaped like Docker's with userns-remap (crun_lib.sh): new
# user namespaces and mounts (refused by ward's filter stacked on the runtime's), writes
# outside Landlock's ReadWrite=, /proc/1 (ward-init, non-dumpable) and ptrace of it, a
# setuid binary (no_new_privs), raising rlimits, a directory fd leaked by the runtime
# (CVE-2024-21626's shape). Each has a control: the same probe run directly in the same
# container, or in a more careless one, gets through where the runtime allows it.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../integration/crun_lib.sh"

HOSTDIR=$WORK/hostdir
mkdir -p "$HOSTDIR"
echo host >"$HOSTDIR/file"
# A setuid binary owned by the container's root (host uid 2000000).
cp "$PROBE" "$R/bin/suid-probe"
chown 2000000:2000000 "$R/bin/suid-probe"
chmod 4755 "$R/bin/suid-probe"

ctr "${P[@]}" status
if [ "$RC" != 0 ] || [ "$(kv CapEff)" = "<missing>" ]; then
        fail "crun runs a Docker-like container (precondition)"
        finish
fi

# -- new namespaces and mounts ---------------------------------------------------------
# A careless runtime without a seccomp filter: the app alone makes a user namespace (in
# which it is root and may mount); under ward, ward's own filter refuses it.
NOSEC='del(.linux.seccomp)'
ctr_jq "$NOSEC" "${P[@]}" syscalls mount
assert_eq "control (no runtime filter): unshare(CLONE_NEWUSER) works" OK "$(kv unshare_user)"
assert_eq "control (no runtime filter): clone(CLONE_NEWUSER) works" OK "$(kv clone_newuser)"
ctr_jq "$NOSEC" "${EP[@]}" "${P[@]}" syscalls mount
assert_eq "ward (no runtime filter): ran" 0 "$RC"
assert_eq "ward (no runtime filter): unshare refused" EPERM "$(kv unshare_user)"
assert_eq "ward (no runtime filter): clone(CLONE_NEWUSER) refused" EPERM "$(kv clone_newuser)"
assert_eq "ward (no runtime filter): setns refused" EPERM "$(kv setns)"
assert_eq "ward (no runtime filter): mount refused" EPERM "$(kv mount)"
assert_ne "ward (no runtime filter): remounting / rw refused" OK "$(kv remount_root_rw)"
assert_ne "ward (no runtime filter): unmounting /proc refused" OK "$(kv umount_proc)"
# Docker-like runtime filter and ward's stacked: both refuse.
ctr "${EP[@]}" "${P[@]}" syscalls seccomp
assert_eq "ward: two filters stacked" 2 "$(kv Seccomp_filters)"
assert_eq "ward: unshare refused" EPERM "$(kv unshare_user)"
assert_eq "ward: keyctl refused" EPERM "$(kv keyctl)"
assert_eq "ward: bpf refused" EPERM "$(kv bpf)"

# -- writes outside Landlock's ReadWrite= -------------------------------------------------
ctr "${P[@]}" write /run/x
assert_eq "control: the app writes the runtime's writable /run" OK "$(kv 'write /run/x')"
ctr "${EP[@]}" "${P[@]}" write /run/x write /tmp/x put /dev/shm/x text
LL=$(kv 'write /run/x')
if [ "$LL" = OK ] && ! "$WARD" explain --profile entrypoint -- true 2>/dev/null |
        grep -q 'Landlock: ABI [1-9]'; then
        skip "ward: /run refused by Landlock" "this kernel has no Landlock"
else
        assert_eq "ward: /run (not in ReadWrite=) refused by Landlock" EACCES "$LL"
fi
assert_eq "ward: /tmp (ReadWrite=) still writable" OK "$(kv 'write /tmp/x')"

# -- PID 1: its environment, memory, fds; ptrace ------------------------------------------
# Control: a shell as the container's PID 1 (dumpable, same uid): the app reads its
# environment and its fds.
ctr /bin/sh -c '"$@"; true' sh "${P[@]}" proc-attack 1
assert_eq "control: /proc/1/environ of a plain PID 1 is readable" OK "$(kv 'proc_environ 1')"
assert_ne "control: the fds of a plain PID 1 are readable" "" "$(kv 'proc_fd 1.0')"
ctr "${EP[@]}" "${P[@]}" pid1 proc-attack 1
assert_eq "ward: PID 1 is ward-init" memfd:ward-init "$(kv pid1_comm)"
assert_eq "ward: /proc/1/environ refused (non-dumpable)" EACCES "$(kv 'proc_environ 1')"
assert_eq "ward: /proc/1/mem refused" EACCES "$(kv 'proc_mem 1')"
assert_eq "ward: the fds of PID 1 are not readable" "" "$(kv 'proc_fd 1.0')$(kv 'proc_fd 1.1')"
assert_ne "ward: /proc/1/root refused" OK "$(kv 'proc_root 1')"
assert_eq "ward: ptrace of PID 1 refused" EPERM "$(kv 'proc_ptrace 1')"

# -- a setuid binary ----------------------------------------------------------------------
B_UID=1000 B_GID=1000 ctr /bin/suid-probe "--tag=$TAG" status
assert_eq "control (no no_new_privs): the setuid binary makes uid 1000 root" "1000 0" \
        "$(kv uid) $(kv euid)"
B_UID=1000 B_GID=1000 ctr "${EP[@]}" /bin/suid-probe "--tag=$TAG" status
assert_eq "ward: ran as uid 1000" 0 "$RC"
assert_eq "ward: no_new_privs" 1 "$(kv NoNewPrivs)"
assert_eq "ward: the setuid bit is ignored" "1000 1000" "$(kv uid) $(kv euid)"

# -- rlimits --------------------------------------------------------------------------------
# The runtime gives NOFILE (Docker: 1048576); ward lowers it to 1024, for good.
RAISE='ulimit -n '$NOFILE' 2>/dev/null; echo "nofile=$(ulimit -Sn):$(ulimit -Hn)"'
ctr /bin/sh -c "$RAISE" "$TAG"
assert_eq "control: the app has the runtime's open files" "$NOFILE:$NOFILE" "$(kv nofile)"
ctr "${EP[@]}" /bin/sh -c "$RAISE" "$TAG"
assert_eq "ward: LimitNOFILE=1024 cannot be raised (hard limit, no CAP_SYS_RESOURCE)" \
        1024:1024 "$(kv nofile)"

# -- a directory fd leaked by the runtime -----------------------------------------------
CRUN_EXTRA="--preserve-fds 1" CTR_FD3=$HOSTDIR ctr_jq . "${P[@]}" fds fd-escape
assert_eq "control: the leaked host directory is fd 3 in the container" \
        "$HOSTDIR" "$(kv fd.3)"
assert_eq "control: and leads out of the root" yes "$(kv fd_escape)"
CRUN_EXTRA="--preserve-fds 1" CTR_FD3=$HOSTDIR ctr_jq . "${EP[@]}" "${P[@]}" fds fd-escape
assert_eq "ward: ran" 0 "$RC"
assert_eq "ward: the leaked fd is closed" "<missing>" "$(kv fd.3)"
assert_eq "ward: nothing leads out of the root" no "$(kv fd_escape)"
assert_eq "the host directory unchanged" file "$(ls -A "$HOSTDIR")"
finish
