# A policy for `ward hook --policy podman`: what `podman run IMAGE` gives a container with
# podman's defaults (rootful podman 4.3 with crun, Debian 12's containers.conf and
# seccomp.json from containers-common), and nothing more. A container started with
# tighter flags (--read-only, --cap-drop, --user, no_new_privs, a stricter seccomp
# profile) passes too; --privileged, an added dangerous capability, a bind of the host's
# root or system directories, a host namespace, --security-opt seccomp=unconfined or a
# filter letting through anything beyond podman's are refused.
#
# It is weaker than --policy default, on purpose, where podman's defaults are: each such
# item below says what it admits and why. Where you control the flags, prefer --policy
# default (a podman container then needs --read-only, --cap-drop ALL, --security-opt
# no-new-privileges, a user or user namespace, its own cgroup namespace, rlimits,
# --security-opt mask=/proc/asound and a seccomp profile like ward's: see ward(1)).
#
# A policy only: it is the maximum a container may have. It is not meant for `ward run`,
# where it would run the app as the host's root with these capabilities (under ward's own
# seccomp filter, not podman's).

[Profile]
Include=default
Description=ward policy for podman's defaults: its capabilities, seccomp profile, masks

[Namespaces]
# No user namespace: rootful podman runs the container's root as the host's root (W010),
# kept in check by the capabilities and the seccomp filter below. No cgroup namespace:
# podman's default on a cgroup v1 host (on cgroup v2 it makes one); the cgroup namespace
# only names cgroup paths, and the runtime mounts /sys/fs/cgroup read-only (W025, low).
# The pid, mount, network, UTS and IPC namespaces are the container's own, as podman makes
# them: --pid host, --network host, --ipc host, --uts host and joining another
# container's pid, IPC, UTS or mount namespace are refused (a network namespace joined by
# path: see [Policy]). (The empty line first: a list key adds to default.profile's.)
Unshare=
Unshare=pid mount net uts ipc

[Filesystem]
# podman's root is writable (W030).
ReadOnly=no
# podman's masked paths (containers-common) replace ward's: /proc/asound is only
# read-only there, not hidden (W090 judges the container by this list, so a container
# must still mask or make read-only every path below).
MaskPath=
MaskPath=/proc/acpi /proc/kcore /proc/keys /proc/latency_stats /proc/timer_list
MaskPath=/proc/timer_stats /proc/sched_debug /proc/scsi /sys/firmware /sys/fs/selinux
MaskPath=/sys/dev/block
ReadOnlyPath=
ReadOnlyPath=/proc/asound /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger

[Process]
# podman's default capability set (default_capabilities in containers.conf; W003, low):
# none of them reaches past the container on its own. The older defaults NET_RAW, MKNOD
# and AUDIT_WRITE (podman's built-in list when no containers.conf names one) are refused:
# add them here in a copy of this policy if your podman gives them.
Capabilities=CHOWN DAC_OVERRIDE FOWNER FSETID KILL NET_BIND_SERVICE SETFCAP SETGID
Capabilities=SETPCAP SETUID SYS_CHROOT
# podman leaves no_new_privs off unless --security-opt no-new-privileges (W050).
NoNewPrivileges=no

[Resources]
# podman's rlimits as root: RLIMIT_NOFILE 1048576 and RLIMIT_NPROC 4194304 unless
# containers.conf's default_ulimits says otherwise (W062, W063). A container above them
# is refused. No memory, pids or CPU limit is required: the default policy asks none.
LimitNOFILE=1048576
LimitNPROC=4194304

[Policy]
# podman's default network (a bridge, or slirp4netns/pasta rootless) is a network namespace
# podman makes and names to the runtime by path (/run/netns/netns-...). Such a namespace
# may be joined when ward finds it and it is not the host's (W026): this also admits
# --network container:NAME and ns:PATH, sharing another container's network, never the
# host's (--network host is W021) nor a path ward cannot find. No other type may be
# joined: --pid, --ipc, --uts container:NAME are refused.
AllowJoinNamespaces=net
#
# The dangerous calls podman's seccomp profile lets through whatever the container's
# capabilities (W041, W042), tolerated on top of ward's own filter. A filter letting
# through any other of them (init_module, kexec_load, bpf, open_by_handle_at, iopl,
# perf_event_open, userfaultfd, add_key, ...: podman's refuses them without the
# capability they need; a default action that allows or logs does, unless the filter
# refuses each), or no filter at all is refused. What each call reaches in such a
# container, where the kernel checks it:
#
# Mounts: mount, umount2, umount, pivot_root and the new mount API (fsopen, fsconfig,
# fsmount, fspick, move_mount, open_tree, mount_setattr) need CAP_SYS_ADMIN in the user
# namespace owning the mount namespace: the host's, and the container has no
# CAP_SYS_ADMIN (W002 refuses it). Inside a user namespace of its own (below) only the
# filesystems the kernel lets users mount (tmpfs, overlay, fuse...), never the host's.
AllowCalls=mount umount2 umount pivot_root fsopen fsconfig fsmount fspick move_mount
AllowCalls=open_tree mount_setattr
# New namespaces: unshare, clone and clone3 with CLONE_NEW* flags. Every flag but
# CLONE_NEWUSER needs CAP_SYS_ADMIN; a new user namespace needs no capability (unless
# the host's user.max_user_namespaces is 0), and in it the process holds every capability
# over what it creates there, nothing of the host's. This is the largest tolerance: the
# kernel's user-namespace code (and the filesystems above) is reachable, where ward's
# own filter and --policy default refuse it. podman allows it for nested containers.
# setns joins a namespace only with CAP_SYS_ADMIN over it: the host's are out of reach.
AllowCalls=unshare clone clone3 setns
# reboot needs CAP_SYS_BOOT (not in the set above); in a pid namespace it would only end
# the container's own init.
AllowCalls=reboot
# ptrace, process_vm_readv and process_vm_writev reach only processes of the same uid
# without more capabilities (CAP_SYS_PTRACE is refused, W002), and the pid namespace
# shows only the container's own.
AllowCalls=ptrace process_vm_readv process_vm_writev
# keyctl: the kernel's keyrings are not per container. Without a user namespace the
# container's root is the host's uid 0, and keyctl reaches uid 0's user keyring, shared
# with the host's root (/proc/keys is masked, the keys' permissions still apply). Do not
# keep secrets in root's user keyring on a podman host under this policy. add_key and
# request_key, which podman's profile refuses, stay refused.
AllowCalls=keyctl
# name_to_handle_at only names a file (open_by_handle_at, which opens one by handle,
# needs CAP_DAC_READ_SEARCH and stays refused); syslog reads the kernel log only with
# CAP_SYSLOG or kernel.dmesg_restrict=0 (Debian's kernels default to 1).
AllowCalls=name_to_handle_at syslog
