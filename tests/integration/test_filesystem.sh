#!/usr/bin/env bash
# The sandbox's filesystem: read-only root, tmpfs, masked and read-only /proc and /sys
# paths, a minimal /dev, mount(2) refused, bind mounts (ro by default, :rw, symlinked
# targets resolved inside the root: CVE-2021-30465), --rootfs /, and no host mount left.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
# A directory anyone may write to and a file anyone may write: only a read-only mount can
# make writing them fail, so EROFS (not EACCES) is the exact answer.
mkdir -p "$R/data" && chmod 1777 "$R/data"
echo image >"$R/data/existing" && chmod 666 "$R/data/existing"

# -- read-only root, tmpfs --------------------------------------------------------------
wrun --rootfs "$R" -- "${P[@]}" write /new-at-root write /data/new write /data/existing \
        write /tmp/scratch statfs / statfs /tmp stat /tmp
assert_eq "default: exit 0" 0 "$RC"
assert_eq "root: creating /new-at-root gives EROFS" EROFS "$(kv "write /new-at-root")"
assert_eq "root: creating in a 1777 directory gives EROFS" EROFS "$(kv "write /data/new")"
assert_eq "root: writing a 0666 file gives EROFS" EROFS "$(kv "write /data/existing")"
assert_match "root: / is mounted read-only" "$(kv "flags /")" '^ro'
assert_eq "nothing reached the image" "image" "$(cat "$R/data/existing")"
[ -e "$R/data/new" ] || [ -e "$R/new-at-root" ] &&
        fail "the image is unchanged" "$(ls -la "$R" "$R/data")"
assert_eq "default tmpfs: /tmp is writable" OK "$(kv "write /tmp/scratch")"
assert_eq "default tmpfs: /tmp is a tmpfs" 0x1021994 "$(kv "fstype /tmp")"
assert_eq "default tmpfs: 64M" 67108864 "$(kv "size /tmp")"
assert_eq "default tmpfs: rw,nosuid,nodev,noexec" rw,nosuid,nodev,noexec "$(kv "flags /tmp")"
assert_match "default tmpfs: mode 1777" "$(kv "stat /tmp")" '^dir mode=1777 '
[ -e "$R/tmp/scratch" ] && fail "tmpfs writes do not reach the image's /tmp"

wrun --rootfs "$R" --tmpfs /tmp:size=8m,mode=1700 -- "${P[@]}" statfs /tmp stat /tmp \
        write /tmp/x
assert_eq "--tmpfs /tmp:size=8m,mode=1700: exit 0" 0 "$RC"
assert_eq "--tmpfs size=8m honoured" 8388608 "$(kv "size /tmp")"
assert_match "--tmpfs mode=1700 honoured" "$(kv "stat /tmp")" '^dir mode=1700 '
assert_eq "--tmpfs /tmp writable" OK "$(kv "write /tmp/x")"

wrun --rootfs "$R" --tmpfs /data -- "${P[@]}" statfs /data write /data/x ls /data
assert_eq "--tmpfs /data: exit 0, writable" "0 OK" "$RC $(kv "write /data/x")"
assert_eq "--tmpfs /data hides the image's files" x "$(kv "ls /data")"
assert_eq "--tmpfs /data: noexec by default" rw,nosuid,nodev,noexec "$(kv "flags /data")"

# --read-only=false (a writable root) is the explicit choice; --read-only wins back.
cat >"$WORK/rw.profile" <<EOF
[Profile]
Include=default
[Filesystem]
ReadOnly=no
EOF
wrun --profile "$WORK/rw.profile" --rootfs "$R" -- "${P[@]}" put /data/rw-root written
assert_eq "ReadOnly=no: the root is writable" "0 OK" "$RC $(kv "write /data/rw-root")"
assert_eq "ReadOnly=no: the write lands in the image" written "$(cat "$R/data/rw-root" 2>&1)"
rm -f "$R/data/rw-root"
wrun --profile "$WORK/rw.profile" --read-only --rootfs "$R" -- "${P[@]}" write /data/ro
assert_eq "--read-only overrides ReadOnly=no" "0 EROFS" "$RC $(kv "write /data/ro")"

# -- /proc and /sys ---------------------------------------------------------------------
wrun --rootfs "$R" -- "${P[@]}" read /proc/kcore read /proc/keys read /proc/timer_list \
        ls /proc/acpi ls /sys/firmware statfs /proc/acpi statfs /sys/firmware write /proc/sys/kernel/hostname \
        write /proc/sysrq-trigger statfs /proc/sys statfs /proc/sysrq-trigger \
        statfs /proc/irq statfs /proc/bus statfs /proc/fs statfs /sys write /sys/ward-probe \
        read /proc/self/status hostname
assert_eq "proc: exit 0" 0 "$RC"
for f in /proc/kcore /proc/keys /proc/timer_list; do
        # Masked with /dev/null: opens, and reads nothing. A path this kernel does not have
        # cannot be masked and need not be.
        if [ -e "$f" ]; then
                assert_eq "masked: $f reads empty" "OK 0" "$(kv "read $f") $(kv "bytes $f")"
        else
                assert_match "masked: $f (absent on this kernel) reads nothing" \
                        "$(kv "read $f") $(kv "bytes $f")" '^(ENOENT <missing>|OK 0)$'
        fi
done
# A masked directory is an empty read-only tmpfs (listing it shows nothing, or is refused
# when its mode is 0).
for d in /proc/acpi /sys/firmware; do
        assert_match "masked: $d shows nothing" "$(kv "ls $d")" '^(|EACCES)$'
        assert_eq "masked: $d is a read-only tmpfs" "0x1021994 ro" \
                "$(kv "fstype $d") $(kv "flags $d" | cut -d, -f1)"
done
assert_match "read-only: writing /proc/sys/kernel/hostname is refused" \
        "$(kv "write /proc/sys/kernel/hostname")" '^(EROFS|EACCES|EPERM)$'
for p in /proc/sys /proc/sysrq-trigger /proc/irq /proc/bus /proc/fs /sys; do
        if [ -e "$p" ]; then
                assert_match "read-only: $p is on a read-only mount" "$(kv "flags $p")" '^ro'
        else
                assert_eq "read-only: $p (absent on this kernel) is absent" ENOENT \
                        "$(kv "statfs $p")"
        fi
done
if [ -e /proc/sysrq-trigger ]; then
        assert_match "read-only: writing /proc/sysrq-trigger is refused" \
                "$(kv "write /proc/sysrq-trigger")" '^(EROFS|EACCES|EPERM)$'
fi
assert_eq "read-only: creating a file in /sys gives EROFS" EROFS "$(kv "write /sys/ward-probe")"
assert_eq "/proc/self/status stays readable" OK "$(kv "read /proc/self/status")"
assert_eq "the hostname did not change" ward "$(kv hostname)"

# -- /dev -------------------------------------------------------------------------------
wrun --rootfs "$R" -- "${P[@]}" ls /dev stat /dev/null stat /dev/zero stat /dev/full \
        stat /dev/random stat /dev/urandom stat /dev/tty stat /dev/ptmx stat /dev/pts \
        stat /dev/shm write /dev/null write /dev/full read /dev/null write /dev/shm/x \
        statfs /dev/pts statfs /dev/shm
assert_eq "/dev: exit 0" 0 "$RC"
devs=$(kv "ls /dev")
for d in null zero full random urandom tty pts ptmx shm; do
        assert_contains "/dev has $d" ",$devs," ",$d,"
done
allowed=",null,zero,full,random,urandom,tty,pts,ptmx,shm,fd,stdin,stdout,stderr,core,console,mqueue,"
extra=
for d in ${devs//,/ }; do
        [[ $allowed == *",$d,"* ]] || extra="$extra $d"
done
assert_eq "/dev has nothing else (no disks, no kmsg, no mem)" "" "${extra# }"
assert_match "/dev/null is char 1:3" "$(kv "stat /dev/null")" '^char .* rdev=1:3 '
assert_match "/dev/zero is char 1:5" "$(kv "stat /dev/zero")" '^char .* rdev=1:5 '
assert_match "/dev/full is char 1:7" "$(kv "stat /dev/full")" '^char .* rdev=1:7 '
assert_match "/dev/random is char 1:8" "$(kv "stat /dev/random")" '^char .* rdev=1:8 '
assert_match "/dev/urandom is char 1:9" "$(kv "stat /dev/urandom")" '^char .* rdev=1:9 '
assert_match "/dev/tty is char 5:0" "$(kv "stat /dev/tty")" '^char .* rdev=5:0 '
assert_match "/dev/ptmx is the new devpts' (char 5:2 or a link to pts/ptmx)" \
        "$(kv "stat /dev/ptmx")" '^(char .* rdev=5:2 |link )'
assert_eq "/dev/pts is a devpts" 0x1cd1 "$(kv "fstype /dev/pts")"
assert_eq "/dev/shm is a tmpfs" 0x1021994 "$(kv "fstype /dev/shm")"
assert_eq "/dev/null is writable" OK "$(kv "write /dev/null")"
assert_eq "/dev/full gives ENOSPC" ENOSPC "$(kv "write /dev/full")"
assert_eq "/dev/shm is writable" OK "$(kv "write /dev/shm/x")"

# -- mount(2) and friends refused --------------------------------------------------------
wrun --rootfs "$R" -- "${P[@]}" mount sethostname hostname
assert_eq "mount: exit 0" 0 "$RC"
assert_eq "mount(2) of a tmpfs is refused" EPERM "$(kv mount)"
assert_eq "remounting / read-write is refused" EPERM "$(kv remount_root_rw)"
assert_eq "unmounting /proc is refused" EPERM "$(kv umount_proc)"
assert_eq "sethostname(2) is refused" EPERM "$(kv sethostname)"
assert_eq "the hostname is unchanged" ward "$(kv hostname)"

# -- bind mounts ------------------------------------------------------------------------
VOL=$WORK/vol
mkdir -p "$VOL" && chmod 777 "$VOL" && echo "from host" >"$VOL/hello"
chmod 644 "$VOL/hello"

wrun --rootfs "$R" -v "$VOL:/data" -- "${P[@]}" cat /data/hello write /data/new statfs /data
assert_eq "-v SRC:DST: exit 0" 0 "$RC"
assert_eq "-v SRC:DST: the host's file is visible" "from host" "$(kv "cat /data/hello")"
assert_eq "-v SRC:DST is read-only by default" EROFS "$(kv "write /data/new")"
assert_match "-v SRC:DST: mounted ro" "$(kv "flags /data")" '^ro'
[ -e "$VOL/new" ] && fail "-v read-only: nothing reached the host"

wrun --rootfs "$R" -v "$VOL:/data:ro" -- "${P[@]}" write /data/new
assert_eq "-v SRC:DST:ro is read-only" "0 EROFS" "$RC $(kv "write /data/new")"

wrun --rootfs "$R" -v "$VOL:/data:rw" -- "${P[@]}" put /data/from-sandbox "hello host"
assert_eq "-v SRC:DST:rw is writable" "0 OK" "$RC $(kv "write /data/from-sandbox")"
assert_eq "-v :rw: the write is visible on the host" "hello host" \
        "$(cat "$VOL/from-sandbox" 2>&1)"
rm -f "$VOL/from-sandbox"

wrun --rootfs "$R" -v "$VOL/hello:/etc/hostname" -- "${P[@]}" cat /etc/hostname \
        write /etc/hostname
assert_eq "-v FILE:FILE binds a single file" "0 from host" "$RC $(kv "cat /etc/hostname")"
assert_match "-v FILE:FILE is read-only" "$(kv "write /etc/hostname")" '^(EROFS|EACCES)$'
assert_eq "the host file is unchanged" "from host" "$(cat "$VOL/hello")"

# CVE-2021-30465: a bind target that is a symlink in the rootfs is resolved inside it.
etc_before=$(stat -c '%i %Y %Z' /etc; ls -A /etc | md5sum)
ln -s /etc "$R/evil-abs"
ln -s ../../../../../../../../etc "$R/evil-rel"
mkdir -p "$R/sub" && ln -s /etc "$R/sub/evil"
for target in /evil-abs /evil-rel /sub/evil /sub/../evil-abs; do
        wrun --rootfs "$R" -v "$VOL:$target:rw" -- "${P[@]}" cat /etc/hello \
                put /etc/ward-it-landed-$TAG yes
        if [[ $target == *..* ]] && [ "$RC" = 125 ]; then
                # Refusing a ".." in the target outright is as safe as resolving it.
                assert_contains "bind target $target with '..': refused, and said why" \
                        "$ERR" "$target"
                continue
        fi
        assert_eq "symlinked bind target $target: lands on the rootfs's /etc" \
                "0 from host" "$RC $(kv "cat /etc/hello")"
        assert_eq "symlinked bind target $target: a write goes to the bind source" yes \
                "$(cat "$VOL/ward-it-landed-$TAG" 2>&1)"
        if [ -e "/etc/ward-it-landed-$TAG" ] || [ -e "/etc/hello" ]; then
                fail "symlinked bind target $target: the host's /etc is untouched" \
                        "$(ls -la "/etc/ward-it-landed-$TAG" /etc/hello 2>&1)"
                rm -f "/etc/ward-it-landed-$TAG"
        fi
        rm -f "$VOL/ward-it-landed-$TAG"
done
assert_eq "the host's /etc is unchanged" "$etc_before" \
        "$(stat -c '%i %Y %Z' /etc; ls -A /etc | md5sum)"
assert_eq "the rootfs's own /etc is unchanged (the bind was only a mount)" \
        "group hostname passwd" "$(ls "$R/etc" | tr '\n' ' ' | sed 's/ $//')"
rm -f "$R/evil-abs" "$R/evil-rel" "$R/sub/evil"

# A bind source given through a symlink on the host is fine (the caller chose it).
ln -s "$VOL" "$WORK/vol-link"
wrun --rootfs "$R" -v "$WORK/vol-link:/data" -- "${P[@]}" cat /data/hello
assert_eq "a symlinked bind source is followed on the host" "0 from host" \
        "$RC $(kv "cat /data/hello")"

# -- the host's root, read-only ----------------------------------------------------------
no_tmp=$WORK/no-tmpfs.profile
cat >"$no_tmp" <<EOF
[Profile]
Include=default
[Filesystem]
Tmpfs=
EOF
# The sandbox's root is not the host's: a probe in a checkout under /root (0700) is out of
# its reach.
reachable_by 65534
wrun --profile "$no_tmp" --rootfs / -- "$PROBE" "--tag=$TAG" write "/tmp/ward-it-$TAG" \
        write "/var/tmp/ward-it-$TAG" write "/ward-it-$TAG" statfs / hostname
assert_eq "--rootfs / (no tmpfs): exit 0" 0 "$RC"
assert_eq "--rootfs /: /tmp is read-only without --tmpfs" EROFS \
        "$(kv "write /tmp/ward-it-$TAG")"
assert_eq "--rootfs /: the host's /var/tmp (1777) is read-only" EROFS \
        "$(kv "write /var/tmp/ward-it-$TAG")"
assert_eq "--rootfs /: / is read-only" EROFS "$(kv "write /ward-it-$TAG")"
assert_match "--rootfs /: / is a read-only mount" "$(kv "flags /")" '^ro'
for f in "/tmp/ward-it-$TAG" "/var/tmp/ward-it-$TAG" "/ward-it-$TAG"; do
        if [ -e "$f" ]; then
                fail "--rootfs /: $f was not created on the host"
                rm -f "$f"
        fi
done

# The probe may itself live under the host's /tmp, which the tmpfs hides: use the host's
# own shell and coreutils, which the read-only host root provides.
wrun --rootfs / -- /bin/sh -c "echo x >/tmp/ward-it-$TAG && echo write=OK; stat -f -c fstype=%t /tmp" "$TAG"
assert_eq "--rootfs / with the default tmpfs: /tmp writable" "0 OK 1021994" \
        "$RC $(kv write) $(kv fstype)"
if [ -e "/tmp/ward-it-$TAG" ]; then
        fail "--rootfs /: the tmpfs write did not reach the host's /tmp"
        rm -f "/tmp/ward-it-$TAG"
fi

finish
