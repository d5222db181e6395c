# ward's entrypoint profile: ward as a container image's entrypoint, inside a container
# that another runtime (Docker, Kubernetes, ECS, podman) started and that ward cannot
# change from the outside:
#
#   ENTRYPOINT ["/usr/bin/ward", "run", "--profile", "entrypoint", "--"]
#   CMD ["/app/server"]
#
# There ward usually holds no CAP_SYS_ADMIN and the runtime's seccomp filter refuses new
# namespaces and mounts, so this profile asks for none. ward hardens its own process and
# then executes ward-init (from a sealed copy), which runs the app as PID 1 does.
# What the profile requires and the container does not allow is exit 125 with the outer
# setting to change; `ward explain --profile entrypoint -- CMD` inside the container says
# what will and will not be applied. See ward.profile(5), "ENTRYPOINT MODE".
#
# Not included: default.profile (its namespaces, mounts and hostname need namespaces).

[Profile]
Description=ward entrypoint: harden in place inside a container, no namespaces, no mounts

[Namespaces]
# No clone, no new namespace, no mount: the outer runtime made them.
Unshare=none

[Filesystem]
# The root must already be read-only (docker run --read-only, Kubernetes
# readOnlyRootFilesystem): a writable one is exit 125. An image that must write to its
# root sets ReadOnly=try in its own profile (a warning instead).
ReadOnly=yes

[Process]
# No User=: the container's user stays (the image's USER, docker run --user, runAsUser).
# As root with CAP_SETUID, User= switches to another uid; without it, only to the same.
# Every capability is dropped: effective, permitted, inheritable and ambient always.
Capabilities=
# The bounding set too where ward holds CAP_SETPCAP (root in Docker's default set). A
# non-root USER cannot drop it; what stays is inert, since no_new_privs and an empty
# permitted set mean no exec can gain a capability. --cap-drop ALL empties it anyway.
DropBoundingSet=try
NoNewPrivileges=yes
# The app's environment is what is listed here, nothing else: the image's PATH and the
# usual locale and terminal variables pass through; others must be named.
PassEnvironment=PATH HOME HOSTNAME TERM LANG LC_ALL TZ
UMask=022

[Resources]
# rlimits only; cgroup limits are the outer runtime's (--memory, --cpus, --pids-limit).
LimitNOFILE=1024
# No core dumps: they would write the app's memory to disk.
LimitCORE=0
# No process limit (this empties the built-in LimitNPROC=512): without a user namespace it
# counts every process of the uid on the whole host, other containers included; use the
# runtime's --pids-limit.
LimitNPROC=

[Seccomp]
# ward's allowlist, loaded last and stacked on the runtime's filter: a call must pass both.
Profile=default

[Landlock]
# Applied where the kernel has it: the app may read and execute the image, write only in
# /tmp, /dev/shm and its terminal (/dev/pts: `docker run -t`, and /dev/stdout then), and
# cannot signal processes or reach abstract unix sockets outside its domain. The paths
# must exist (Docker, Kubernetes and crun give all three); an app that writes elsewhere
# (a volume) lists it in its own profile. Any TCP port may be bound and connected to.
Landlock=try
Execute=/
ReadWrite=/tmp /dev/shm /dev/pts
BindTCP=any
ConnectTCP=any

[Init]
# ward-init runs the app: PID 1 if ward was (it reaps every orphan and forwards
# docker stop's SIGTERM), else a child subreaper.
Init=yes
