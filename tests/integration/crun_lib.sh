# Helpers for tests that run ward inside crun containers shaped like Docker's defaults with
# userns-remap (tests/integration/test_entrypoint.sh, tests/attack/test_entrypoint_attacks.sh):
# sourced after lib.sh. Skips (77) without root or crun. Sets up the image R ($WORK/rootfs:
# busybox, the probe, ward and ward-init under /opt/ward with the shipped profiles in
# $PROFILES, the host's /usr for ward's libraries) and defines W, EP, P, make_bundle,
# crun_cmd and ctr.
#
# crun on this host (a cgroup v1/v2 hybrid) runs with --cgroup-manager=disabled, in a
# private mount namespace where a tmpfs hides /sys/fs/cgroup/unified (bench/startup.sh
# does the same); nothing is mounted on the host. crun (1.8) fchowns its stdio to the
# container's root: its stdin is always a file of ours, never the host's /dev/null.
if [ "$(id -u)" != 0 ]; then
        echo "# SKIP: crun containers shaped like Docker's need root"
        exit 77
fi
for tool in crun unshare mountpoint; do
        if ! command -v "$tool" >/dev/null; then
                echo "# SKIP: $tool is not installed (apt-get install crun util-linux)"
                exit 77
        fi
done
WARD_INIT=${WARD_INIT:-$WARD_BUILD_DIR/ward-init}

# The container's root is host uid 2000000 (Docker's userns-remap): it must reach the image.
chmod 755 "$WORK"

# -- the image: busybox, the probe, ward under /opt/ward, the host's /usr for ward's libs --
R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$R/opt/ward/bin" "$R/opt/ward/share/ward/profiles" "$R/usr" "$R/lib64"
cp "$WARD" "$R/opt/ward/bin/ward" && cp "$WARD_INIT" "$R/opt/ward/bin/ward-init" || exit 1
cp "$WARD_SOURCE_DIR"/profiles/*.profile "$R/opt/ward/share/ward/profiles/" || exit 1
# The dynamic loader where ward's ELF header says; /usr comes from the host (read-only).
rmdir "$R/lib64" && ln -s usr/lib64 "$R/lib64" && ln -s usr/lib "$R/lib"
chmod -R a+rX "$R/opt"
PROFILES=$R/opt/ward/share/ward/profiles

W=/opt/ward/bin/ward
EP=("$W" run --profile entrypoint --)
P=(/bin/ward-probe "--tag=$TAG")
CAPS='"CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"'
# Docker's default set, as a CapBnd mask: bits 0-8 (CHOWN..SETUID but 2), 10, 13, 18, 27, 29, 31.
DOCKER_CAPBND=00000000a80425fb

json_args() {
        local a out= sep=
        for a in "$@"; do
                a=${a//\\/\\\\}
                a=${a//\"/\\\"}
                out+="$sep\"$a\""
                sep=,
        done
        printf '%s' "$out"
}

# make_bundle DIR ARGS...: a Docker-like config.json. Env: B_UID/B_GID (0), B_RO (true),
# B_CAPS_EP (effective/permitted caps; default Docker's for uid 0, none otherwise),
# B_SECCOMP_EXTRA (more rules, JSON objects with a leading comma).
make_bundle() {
        local dir=$1 uid=${B_UID:-0} gid=${B_GID:-0} ro=${B_RO:-true} ep
        shift
        if [ "$uid" = 0 ]; then ep=${B_CAPS_EP-$CAPS}; else ep=${B_CAPS_EP-}; fi
        mkdir -p "$dir"
        cat >"$dir/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": {"uid": $uid, "gid": $gid},
    "args": [$(json_args "$@")],
    "env": ["PATH=/opt/ward/bin:/bin:/usr/bin", "HOME=/root", "HOSTNAME=ctr", "SECRET=leaked"],
    "cwd": "/",
    "capabilities": {"bounding": [$CAPS], "effective": [$ep], "permitted": [$ep],
                     "inheritable": [], "ambient": []},
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": $NOFILE, "soft": $NOFILE}],
    "noNewPrivileges": false
  },
  "root": {"path": "$R", "readonly": $ro},
  "hostname": "ctr",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
     "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
     "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
     "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs",
     "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "nodev", "mode=1777", "size=16m"]},
    {"destination": "/run", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "nodev", "mode=1777", "size=1m"]},
    {"destination": "/usr", "type": "bind", "source": "/usr",
     "options": ["rbind", "ro", "nosuid", "nodev"]}
  ],
  "linux": {
    "namespaces": [{"type": "user"}, {"type": "pid"}, {"type": "network"}, {"type": "ipc"},
                   {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}],
    "uidMappings": [{"containerID": 0, "hostID": 2000000, "size": 65536}],
    "gidMappings": [{"containerID": 0, "hostID": 2000000, "size": 65536}],
    "maskedPaths": ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
                    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                    "/proc/sched_debug", "/proc/scsi", "/sys/firmware"],
    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                      "/proc/sysrq-trigger"],
    "seccomp": {
      "defaultAction": "SCMP_ACT_ALLOW",
      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
      "syscalls": [
        {"names": ["unshare", "setns", "mount", "umount2", "pivot_root", "open_tree",
                   "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr"],
         "action": "SCMP_ACT_ERRNO", "errnoRet": 1}${B_SECCOMP_EXTRA:-}
      ]
    }
  }
}
EOF
}

# Docker gives 1048576; in a user namespace crun cannot raise it above ours.
NOFILE=$(ulimit -Hn)
[ "$NOFILE" = unlimited ] && NOFILE=1048576
CRUN_STATE=$WORK/crun-state
mkdir -p "$CRUN_STATE"
CRUN_STDIN=$WORK/crun-stdin
: >"$CRUN_STDIN"
N=0

# crun_cmd ID BUNDLE: the command line that runs the bundle (for run_cmd or a background
# job): a private mount namespace, a tmpfs over the v2 half of the hybrid cgroup tree there
# only, then crun. crun (1.8) fchowns its stdio to the container's root: its stdin is a
# file of ours ($CRUN_STDIN), never the host's /dev/null.
crun_cmd() {
        CRUN=(unshare --mount --propagation private -- sh -c \
                'if mountpoint -q /sys/fs/cgroup/unified; then mount -t tmpfs -o size=4k ward-it /sys/fs/cgroup/unified || exit 124; fi; exec "$@"' \
                sh crun --root "$CRUN_STATE" --cgroup-manager=disabled run --bundle "$2" "$1")
}

# ctr ARGS...: run ARGS as the container's process (B_* as for make_bundle); OUT/ERR/RC.
ctr() {
        N=$((N + 1))
        T_RUNS=$((T_RUNS + 1))
        make_bundle "$WORK/b$N" "$@"
        crun_cmd "ward-it-$$-$N" "$WORK/b$N"
        snapshot
        RUN_STDIN=$CRUN_STDIN run_cmd "${CRUN[@]}"
        leftover_check "crun: $*"
}

# ctr_jq FILTER ARGS...: ctr with config.json passed through jq FILTER (a more careless
# runtime); CRUN_EXTRA: more `crun run` options; CTR_FD3: a path the runtime holds open on
# fd 3 (with --preserve-fds 1, what a leak looks like to the container).
ctr_jq() {
        local filter=$1 id b
        shift
        N=$((N + 1))
        T_RUNS=$((T_RUNS + 1))
        b=$WORK/b$N id="ward-it-$$-$N"
        make_bundle "$b" "$@"
        jq "$filter" "$b/config.json" >"$b/c.json" && mv "$b/c.json" "$b/config.json"
        crun_cmd "$id" "$b"
        CRUN=("${CRUN[@]:0:${#CRUN[@]}-4}" run ${CRUN_EXTRA:-} --bundle "$b" "$id")
        snapshot
        if [ -n "${CTR_FD3:-}" ]; then
                RUN_STDIN=$CRUN_STDIN run_cmd "${CRUN[@]}" 3<"$CTR_FD3"
        else
                RUN_STDIN=$CRUN_STDIN run_cmd "${CRUN[@]}"
        fi
        leftover_check "crun: $*"
}
