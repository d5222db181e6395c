#!/usr/bin/env bash
# The README's two commands, as written, on a fresh Debian 12: a debootstrap'ed bookworm
# minbase root (nothing but what debootstrap puts there), a clean `git clone` of this
# repository at /root/ward (/root mode 0700, as on a fresh machine), entered as root
# without sudo. Command 1 (apt-get update/install, build, the busybox demo) and command 2
# (the test suites) must both exit 0; the skip list command 2 prints is shown.
#
# How the root is entered: a private mount, PID, UTS, IPC and cgroup namespace, fresh
# /proc, /sys and /dev, /run a tmpfs, then pivot_root into the root and the old root
# detached: no chroot, so a test that asks "am I in a chroot?" sees what a booted machine
# shows. The network is the host's (apt-get reaches the Debian archive; the tests use
# loopback and namespaces of their own). The host's cgroup tree is not there: the fresh
# sysfs has an empty /sys/fs/cgroup and nothing is bound into it, so no suite can write a
# limit into the host's hierarchy; cgroup suites skip, as on a host without cgroup v2.
#
# It needs the network and takes long (15-30 minutes), so it runs only with WARD_FRESH=1
# (ctest -L fresh). The debootstrap'ed root is cached, pristine, under
# $WARD_BUILD_DIR/test-cache/fresh/bookworm-DATE (one a day; older ones are removed) and
# copied for every run. WARD_FRESH_MIRROR=URL: another Debian mirror.
set -u

skip_all() {
        echo "1..0 # SKIP $1"
        exit 77
}

[ "${WARD_FRESH:-}" = 1 ] || skip_all "set WARD_FRESH=1 to run (needs the Debian archive, takes 15-30 min)"
[ "$(id -u)" = 0 ] || skip_all "debootstrap, mount and pivot_root need root"
for tool in debootstrap git unshare pivot_root mountpoint; do
        command -v "$tool" >/dev/null || skip_all "$tool is not installed"
done

. "$(dirname "$0")/../integration/lib.sh"

CACHE=$WARD_BUILD_DIR/test-cache/fresh
KEY=bookworm-$(date -u +%Y%m%d)
PRISTINE=$CACHE/$KEY
R=$CACHE/run
MIRROR=${WARD_FRESH_MIRROR:-http://deb.debian.org/debian}
LOG=$WARD_BUILD_DIR/fresh-readme.log

# readme_block N: the Nth ```sh block of README.md's "Quick start" section, as one line.
readme_block() {
        awk -v want="$1" '
                /^## / { in_qs = ($0 == "## Quick start") }
                in_qs && /^```sh$/ { n++; inblk = 1; next }
                inblk && /^```/ { inblk = 0; next }
                inblk && n == want { print }
        ' "$WARD_SOURCE_DIR/README.md"
}

build_pristine() {
        local start=$SECONDS
        [ -e "$PRISTINE/.ward-complete" ] && return 0
        rm -rf "$CACHE"/bookworm-* || exit 1
        mkdir -p "$CACHE" || exit 1
        # debootstrap mounts /proc and /sys in the target: in a mount namespace of its own,
        # so that an interrupted run leaves nothing mounted on the host.
        if ! unshare --mount --propagation private debootstrap --variant=minbase bookworm \
                "$PRISTINE.tmp" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
                LAST_CMD="debootstrap --variant=minbase bookworm" RC=1 ERR=""
                OUT=$(tail -n 30 "$WORK/debootstrap.log")
                fail "debootstrap built a fresh bookworm root" "see the log's end below"
                rm -rf "$PRISTINE.tmp"
                finish
        fi
        mv "$PRISTINE.tmp" "$PRISTINE" && touch "$PRISTINE/.ward-complete" || exit 1
        echo "# debootstrap: $((SECONDS - start))s"
}

# A copy of the pristine root, with a clean clone of the committed tree at /root/ward.
prepare_run() {
        rm -rf "$R" && cp -a "$PRISTINE" "$R" && rm -f "$R/.ward-complete" || exit 1
        # What the installer would have set up: name resolution and a host name.
        cp -L /etc/resolv.conf "$R/etc/resolv.conf" && echo fresh >"$R/etc/hostname" || exit 1
        chmod 0700 "$R/root" || exit 1
        git clone -q --no-hardlinks "$WARD_SOURCE_DIR" "$R/root/ward" || exit 1
        echo "# /root/ward: clean clone of $(git -C "$WARD_SOURCE_DIR" rev-parse --short HEAD)"
}

# The commands run by the root's own bash, from a login-like environment: nothing of the
# host's environment leaks in (no WARD*, no PATH of the host's).
write_inner() {
        cat >"$R/root/readme-commands.sh" <<EOF || exit 1
cd /root/ward || exit 1
echo "== README command 1"
start=\$SECONDS
$CMD1
rc=\$?
echo "== README command 1: exit \$rc in \$((SECONDS - start))s"
[ \$rc = 0 ] || exit 101
echo "== README command 2"
start=\$SECONDS
$CMD2
rc=\$?
echo "== README command 2: exit \$rc in \$((SECONDS - start))s"
[ \$rc = 0 ] || exit 102
exit 0
EOF
}

# Runs in the new namespaces: mounts the fresh /proc /sys /dev /run, pivots, runs bash.
enter() {
        cat <<'EOF'
set -e
R=$1
mount --bind "$R" "$R"
mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
mount -t sysfs -o nosuid,nodev,noexec,ro sysfs "$R/sys"
mount -t tmpfs -o nosuid,mode=755,size=16m dev "$R/dev"
for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
        IFS=: read -r name maj min <<<"$n"
        mknod -m 666 "$R/dev/$name" c "$maj" "$min"
done
mkdir "$R/dev/pts" "$R/dev/shm" "$R/dev/mqueue"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$R/dev/pts"
ln -s pts/ptmx "$R/dev/ptmx"
ln -s /proc/self/fd "$R/dev/fd"
ln -s /proc/self/fd/0 "$R/dev/stdin"
ln -s /proc/self/fd/1 "$R/dev/stdout"
ln -s /proc/self/fd/2 "$R/dev/stderr"
mount -t tmpfs -o nosuid,nodev,mode=1777 shm "$R/dev/shm"
mount -t mqueue -o nosuid,nodev,noexec mqueue "$R/dev/mqueue"
mount -t tmpfs -o nosuid,nodev,mode=755,size=64m run "$R/run"
hostname fresh
cd "$R"
mkdir -p .old-root
pivot_root . .old-root
cd /
umount -l /.old-root
rmdir /.old-root
set +e
exec env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        DEBIAN_FRONTEND=noninteractive /bin/bash /root/readme-commands.sh </dev/null
EOF
}

CMD1=$(readme_block 1)
CMD2=$(readme_block 2)
OUT="$CMD1"$'\n'"$CMD2" ERR="" RC=0 LAST_CMD="readme_block 1 and 2"
assert_match "README quick start, command 1: one line that installs, builds, runs the demo" \
        "$CMD1" '^[^'$'\n'']*apt-get update[^'$'\n'']*apt-get install.*busybox-demo'
assert_match "README, command 2: one line that builds and runs the tests" "$CMD2" \
        '^[^'$'\n'']*cmake --build[^'$'\n'']*tests/run\.sh'
[ "$T_FAILED" = 0 ] || finish
echo "# command 1: $CMD1"
echo "# command 2: $CMD2"

build_pristine
prepare_run
write_inner
start=$SECONDS
unshare --mount --propagation private --pid --fork --uts --ipc --cgroup \
        bash -c "$(enter)" enter "$R" >"$LOG" 2>&1
rc=$?
echo "# both commands in the fresh root: exit $rc in $((SECONDS - start))s (log: $LOG)"
grep -E '^== README' "$LOG" | sed 's/^/#   /'
OUT=$(tail -n 60 "$LOG") ERR="" RC=$rc LAST_CMD="README commands in the fresh root"
case $rc in
101) fail "README command 1 exits 0 on a fresh Debian 12, as root, checkout in /root" ;;
102)
        ok "README command 1 exits 0 on a fresh Debian 12, as root, checkout in /root"
        fail "README command 2 exits 0 on a fresh Debian 12, as root, checkout in /root"
        ;;
0)
        ok "README command 1 exits 0 on a fresh Debian 12, as root, checkout in /root"
        ok "README command 2 exits 0 on a fresh Debian 12, as root, checkout in /root"
        ;;
*) fail "the fresh root was entered (pivot_root) and the README commands ran" ;;
esac
# What command 2 skipped there, and why.
sed -n '/^Skipped here/,$p' "$LOG" | sed 's/^/# /'
grep -E 'tests passed|tests failed|^[[:space:]]+[0-9]+ - .*(Failed|Not Run)' "$LOG" | sed 's/^/# /'
[ "${WARD_FRESH_KEEP:-}" = 1 ] || rm -rf "$R"
finish
