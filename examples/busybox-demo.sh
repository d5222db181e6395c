#!/usr/bin/env bash
# A first look at ward: build a throw-away rootfs from the static busybox (Debian package
# busybox-static), run a shell in ward's default sandbox, and show from the inside what it
# looks like. The rootfs lives in a mktemp directory that is removed on exit.
#
#   sudo ./examples/busybox-demo.sh        (from the repository root, after the build)
#   ./examples/busybox-demo.sh             (works rootless too, where user namespaces do)
#
# Env: WARD (default: build/ward of this repository), BUSYBOX (default: /bin/busybox).
# Exits with ward's exit status.
set -euo pipefail

# ward from the build tree this script belongs to, wherever it is run from.
WARD=${WARD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/ward}
BUSYBOX=${BUSYBOX:-}

if [ ! -x "$WARD" ]; then
        echo "busybox-demo: $WARD not found: build first, from the repository root:" >&2
        echo "busybox-demo:   cmake -S . -B build && cmake --build build -j\"\$(nproc)\"" >&2
        exit 125
fi

# busybox-static installs /bin/busybox; a dynamic busybox would need a libc in the rootfs.
if [ -z "$BUSYBOX" ]; then
        for candidate in /bin/busybox /usr/bin/busybox; do
                [ -x "$candidate" ] && BUSYBOX=$candidate && break
        done
fi
if [ -z "$BUSYBOX" ] || [ ! -x "$BUSYBOX" ]; then
        echo "busybox-demo: no busybox found: sudo apt-get install -y busybox-static" >&2
        exit 125
fi
if command -v ldd >/dev/null && ldd "$BUSYBOX" >/dev/null 2>&1; then
        echo "busybox-demo: $BUSYBOX is dynamically linked: sudo apt-get install -y busybox-static" >&2
        exit 125
fi

ROOTFS=$(mktemp -d "${TMPDIR:-/tmp}/ward-demo.XXXXXX")
trap 'rm -rf "$ROOTFS"' EXIT

# The image: busybox and a symlink per applet in /bin, the directories ward mounts onto
# (/proc, /dev, /sys, and /tmp for the default profile's tmpfs), a minimal passwd/group.
mkdir -p "$ROOTFS"/{bin,dev,etc,proc,root,run,sys,tmp}
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for applet in $("$ROOTFS/bin/busybox" --list); do
        [ "$applet" = busybox ] || ln -s busybox "$ROOTFS/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
        >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOTFS/etc/group"
# The sandbox's root is an unprivileged host uid: it must be able to enter the image.
chmod 755 "$ROOTFS"

echo "+ $WARD run --rootfs $ROOTFS -- /bin/sh -c '...'"
status=0
"$WARD" run --rootfs "$ROOTFS" -- /bin/sh -c 'id; hostname; cat /proc/self/status | grep -E "^(Cap|NoNewPrivs|Seccomp)"; touch /x || echo "root is read-only"; touch /tmp/ok && echo "tmpfs is writable"' || status=$?
echo "+ ward exited with status $status"
exit "$status"
