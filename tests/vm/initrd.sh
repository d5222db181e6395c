# Sourced by the busybox-guest VM suites (test_cgroup_vm, test_doctor_vm), after
# tests/integration/lib.sh: the initramfs they boot.
#
# build_initrd GUEST_SCRIPT [FILE:GUEST_PATH]...: $WORK/initrd.gz with busybox, ward and
# ward-init under /opt/ward and the profiles where an installed ward looks
# (../share/ward/profiles), the shared libraries of ward and setpriv (busybox's cannot
# switch to uid 1000 for the rootless cases), /etc/passwd and /etc/group with uid 1000, a
# rootfs for the sandbox, GUEST_SCRIPT as the guest's /init2, and each extra FILE. Needs
# I (a scratch directory), WARD, WARD_INIT, WARD_SOURCE_DIR and SETPRIV.
build_initrd() {
        local lib extra
        mkdir -p "$I"/{bin,dev,proc,sys,tmp,newroot,opt/ward,opt/share/ward/profiles} || exit 1
        cp /bin/busybox "$I/bin/busybox" || exit 1
        cp "$WARD" "$I/opt/ward/ward" && cp "$WARD_INIT" "$I/opt/ward/ward-init" || exit 1
        cp "$WARD_SOURCE_DIR"/profiles/*.profile "$I/opt/share/ward/profiles/" || exit 1
        for lib in $(for b in "$WARD" "$SETPRIV"; do ldd "$b"; done |
                awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u); do
                mkdir -p "$I$(dirname "$lib")" && cp -L "$lib" "$I$lib" || exit 1
        done
        make_rootfs "$I/sandbox"
        cp "$1" "$I/init2" || exit 1
        shift
        for extra in "$@"; do
                cp "${extra%%:*}" "$I${extra#*:}" || exit 1
        done
        mkdir -p "$I/usr/bin" "$I/etc" && cp "$SETPRIV" "$I/usr/bin/setpriv" || exit 1
        printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/tmp/u:/bin/sh\n' \
                >"$I/etc/passwd" || exit 1
        printf 'root:x:0:\nuser:x:1000:\n' >"$I/etc/group" || exit 1
        # pivot_root cannot leave the initramfs: move everything to a tmpfs and switch_root.
        # Its / is 0755, as on a real system (a tmpfs is 1777 by default, and ward refuses a
        # world-writable directory above its state in /run/ward).
        cat >"$I/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t tmpfs -o size=256m,mode=0755 tmpfs /newroot
for d in bin etc lib lib64 usr opt sandbox init2; do
        [ -e /$d ] && /bin/busybox cp -a /$d /newroot/
done
/bin/busybox mkdir -p /newroot/dev /newroot/proc /newroot/sys /newroot/tmp /newroot/run
exec /bin/busybox switch_root /newroot /init2
INIT
        chmod 755 "$I/init" "$I/init2"
        (cd "$I" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$WORK/initrd.gz" || exit 1
}
