# podman as the suites that run it see it (test_podman, test_podman_policy,
# test_hook_install): every piece of its state under $PT, crun as its runtime, vfs storage,
# no network and no cgroups, and the host's cgroup tree, /var/lib and /dev covered by tmpfs
# in the suite's own private mount namespace. Sourced by the suites (outer stage) and by
# their private-namespace stages alike: it only defines functions.

# podman_write_config [LINE...]: containers.conf, registries.conf and storage.conf in $PT;
# each LINE goes into containers.conf's [containers] table first. crun sets the
# container's rlimits as they are asked, and without CAP_SYS_RESOURCE (not in every host's
# bounding set) it cannot raise one; podman's defaults as root (nofile and nproc 1048576,
# or 4194304) are above the host's. The host's hard limits then, nproc at most
# kernel.pid_max (above it, crun's setrlimit(RLIMIT_NPROC) failed with EPERM on the host
# this was written on, even below the hard limit).
podman_write_config() {
        local nofile nproc pidmax
        nofile=$(ulimit -Hn)
        nproc=$(ulimit -Hu)
        pidmax=$(cat /proc/sys/kernel/pid_max)
        [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pidmax" ] && nproc=$pidmax
        {
                echo "[containers]"
                [ $# -gt 0 ] && printf '%s\n' "$@"
                cat <<EOF
cgroups = "disabled"
netns = "none"
log_driver = "k8s-file"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PT/events.log"
runtime = "crun"
tmp_dir = "$PT/tmp"
volume_path = "$PT/volumes"
image_copy_tmp_dir = "$PT/tmp"
num_locks = 64
[network]
network_backend = "cni"
network_config_dir = "$PT/net"
cni_plugin_dirs = ["$PT/no-cni"]
EOF
        } >"$PT/containers.conf"
        echo 'unqualified-search-registries = []' >"$PT/registries.conf"
        cat >"$PT/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$PT/root"
runroot = "$PT/runroot"
EOF
}

# podman_private_host DIR: in the stage, once DIR/stage.env is read: refuse to go on in
# the caller's mount namespace, then cover the host's cgroup tree, /var/lib and /dev (a
# /dev of our own, built in DIR/dev) with tmpfs. -n: these mounts live only here; nothing
# for the host's /run/mount/utab.
podman_private_host() {
        local w=$1 n major minor
        [ "$(readlink /proc/self/ns/mnt)" != "$OUTER_MNTNS" ] || {
                echo "still in the caller's mount namespace; not mounting" >&2
                exit 1
        }
        mount -n -t tmpfs -o size=4k,mode=755 ward-it-cgroup /sys/fs/cgroup || exit 1
        mount -n -t tmpfs -o size=1m,mode=755 ward-it-varlib /var/lib || exit 1
        mkdir -p "$w/dev" && mount -n -t tmpfs -o size=8m,mode=755 ward-it-dev "$w/dev" ||
                exit 1
        for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
                IFS=: read -r n major minor <<<"$n"
                mknod -m 666 "$w/dev/$n" c "$major" "$minor" || exit 1
        done
        ln -s /proc/self/fd "$w/dev/fd"
        mkdir -m 1777 "$w/dev/shm"
        mount -n --move "$w/dev" /dev || exit 1
}

# podman_use_config: podman reads podman_write_config's files, and no others.
podman_use_config() {
        export CONTAINERS_CONF=$PT/containers.conf CONTAINERS_REGISTRIES_CONF=$PT/registries.conf
        export CONTAINERS_STORAGE_CONF=$PT/storage.conf TMPDIR=$PT/tmp
}

# pm ARGS...: podman with every piece of its state in $PT, crun as its runtime (with its
# state there too), no hooks but those of --hooks-dir (an empty directory unless PM_HOOKS
# names another).
pm() {
        timeout -s KILL 60 podman --root "$PT/root" --runroot "$PT/runroot" \
                --storage-driver vfs --events-backend file --runtime /usr/bin/crun \
                --runtime-flag "root=$PT/crun" --cgroup-manager cgroupfs --tmpdir "$PT/tmp" \
                --network-config-dir "$PT/net" --hooks-dir "${PM_HOOKS:-$PT/no-hooks}" "$@" \
                <"$PT/stdin"
}

# case_run NAME ARGS...: pm ARGS, its status, output and time recorded under $W/NAME.
case_run() {
        local name=$1 t0
        shift
        printf '%q ' podman "$@" >"$W/$name.cmd"
        t0=$(date +%s%N)
        pm "$@" >"$W/$name.out" 2>"$W/$name.err"
        echo $? >"$W/$name.rc"
        echo $((($(date +%s%N) - t0) / 1000000)) >"$W/$name.ms"
}

# res NAME: what the stage recorded under $WORK/NAME, as run_cmd would have (for the
# failure reports): LAST_CMD, RC, OUT, ERR, and MS (how long it took).
res() {
        LAST_CMD="$(cat "$WORK/$1.cmd" 2>/dev/null) (in the podman stage)"
        RC=$(cat "$WORK/$1.rc" 2>/dev/null || echo missing)
        OUT=$(cat "$WORK/$1.out" 2>/dev/null)
        ERR=$(cat "$WORK/$1.err" 2>/dev/null)
        MS=$(cat "$WORK/$1.ms" 2>/dev/null || echo 999999)
}
