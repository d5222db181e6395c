# ward's default profile: every protection on, at the strictest values that still run an
# ordinary service. `ward run` loads it when no --profile is given; other profiles start
# from it with Include=default and change single keys (for a scalar the last line wins,
# for a list a line adds to it, and an empty Key= empties the list first).
#
# See ward.profile(5) for every key, and `ward explain` for what a profile resolves to.

[Profile]
Description=ward default: every namespace, read-only root, no capabilities, no_new_privs

[Namespaces]
# Every namespace: the sandbox sees its own processes, mounts, network, hostname, IPC
# objects and cgroup tree, and its root is an unprivileged uid on the host (the user
# namespace maps the sandbox's ids to an unused range, or to the caller when rootless).
Unshare=user pid mount net uts ipc cgroup
# A fixed name, so that the host's name does not leak into logs and error pages.
Hostname=ward

[Filesystem]
# No Root= here: the image belongs to the service (--rootfs or a service's profile).
# The image is read-only: an attacker who gets code execution cannot persist or plant
# binaries. Services that must write get a tmpfs or an explicit rw Bind=.
ReadOnly=yes
# Scratch space most programs expect; small, and noexec so that a program downloaded
# into it cannot be executed or mapped executable, nor (MemfdExec=, below) run from a
# memfd copy. An interpreter can still read a script from it (sh /tmp/x): see
# ward.profile(5), Tmpfs=. A required tmpfs target must exist in the image, and /tmp
# nearly always does.
Tmpfs=/tmp size=64M mode=1777
# An empty /run, so that the image's (with --rootfs /, the host's) sockets cannot be
# reached: a read-only mount does not stop connect() on a Unix socket, and the D-Bus
# system bus and others there are world-writable. Its own network namespace does not help:
# a path socket is reached through the filesystem (only abstract sockets are per netns).
# optional: skipped where the image has no /run; a /run that is a symlink is followed
# inside the image (a dangling one is refused). /var/run is not listed: on Debian and
# most distributions it is a symlink to /run, hidden by this one.
Tmpfs=/run size=16M mode=0755 optional
# The Docker/OCI masked paths (/proc/kcore, /proc/keys, /sys/firmware, ...) and read-only
# paths (/proc/sys, /proc/sysrq-trigger, ...) are built in; MaskPath= and ReadOnlyPath=
# add to them.

[Process]
# No User=: the app runs as the sandbox's root, which the user namespace maps to an
# unprivileged host uid, and which holds no capabilities (below). Set User= to a non-root
# uid where the image allows it (see strict.profile).
# No capabilities kept: the bounding, effective, permitted, inheritable and ambient sets
# are all emptied. A web server on a port below 1024 adds NET_BIND_SERVICE.
Capabilities=
# setuid binaries and file capabilities in the image cannot raise privileges.
NoNewPrivileges=yes
WorkingDirectory=/
# Files the app creates are not writable by group or others.
UMask=022
# Memfds are never executable (vm.memfd_noexec=2 in the sandbox's pid namespace), where
# the kernel (6.3+) and a root-run ward allow; explain says when not. MemfdExec=no requires.
MemfdExec=try

[Resources]
# Enough descriptors for an ordinary server; a leak hits the wall early.
LimitNOFILE=1024
# A fork bomb stops here. Since Linux 5.14 the count is per uid inside the sandbox's user
# namespace; on older kernels it is per host uid, shared with the caller when rootless.
LimitNPROC=512
# No core dumps: they would write the app's memory (keys, passwords) to disk.
LimitCORE=0

[Network]
# A private network namespace with only loopback: nothing in, nothing out. Services that
# must talk to the network say Mode=host in their own profile.
Mode=none

[Init]
# ward-init is PID 1: it reaps zombies and forwards signals, which most apps do not do.
Init=yes
# After SIGTERM, the app gets this long to exit cleanly before SIGKILL.
StopTimeout=10s
