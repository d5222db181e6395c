#!/usr/bin/env bash
# CVE-2019-16884 / CVE-2019-19921: a hostile image makes /proc a symlink (to a fake proc
# inside it, or to a host path), or something is mounted over /proc, so that the runtime's
# proc mount and masked paths (or its LSM label writes) go somewhere else.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
need_naive "$R"
HOSTDIR=$WORK/hostdir
mkdir -p "$HOSTDIR" "$R/fakeproc/sys"
chmod 777 "$HOSTDIR"

rmdir "$R/proc"
for link in /fakeproc "$HOSTDIR" ../../../../../"$HOSTDIR"; do
        ln -sfn "$link" "$R/proc"
        wrun --rootfs "$R" -- "${P[@]}" statfs /proc
        assert_eq "ward: /proc -> $link: refused (125)" 125 "$RC"
        assert_contains "ward: /proc -> $link: says /proc is a symlink" "$ERR" "/proc"
        rm "$R/proc"
done
touch "$R/proc"
wrun --rootfs "$R" -- "${P[@]}" statfs /proc
assert_eq "ward: /proc a regular file: refused (125)" 125 "$RC"
rm "$R/proc" && mkdir "$R/proc"

# Something mounted over /proc or inside it (a volume): refused before anything is created.
for target in /proc /proc/sys /proc/self //proc/; do
        wrun --rootfs "$R" -v "$HOSTDIR:$target" -- "${P[@]}" statfs /proc
        assert_eq "ward: -v HOSTDIR:$target refused (125)" 125 "$RC"
        assert_contains "ward: -v HOSTDIR:$target: a clear message" "$ERR" "cannot mount on"
done
wrun --rootfs "$R" --tmpfs /proc -- "${P[@]}" statfs /proc
assert_eq "ward: --tmpfs /proc refused (125)" 125 "$RC"

# With a good image, /proc is a real proc with the masks in place, even when weakened.
for cfg in default weak; do
        if [ $cfg = weak ]; then args=("${WEAK[@]}"); else args=(); fi
        wrun --rootfs "$R" "${args[@]}" -- "${P[@]}" statfs /proc statfs /proc/sys stat /proc/keys
        assert_eq "$cfg ward: /proc is procfs" "0 0x9fa0" "$RC $(kv 'fstype /proc')"
        assert_match "$cfg ward: /proc/sys is read-only" "$(kv 'flags /proc/sys')" '^ro,'
        assert_match "$cfg ward: /proc/keys is masked (/dev/null)" "$(kv 'stat /proc/keys')" \
                '^char .*rdev=1:3'
done

# The naive runtime mounts proc by string path: the image's symlink takes it to the host.
if naive_part "naive runtime: proc through the symlink"; then
        rmdir "$R/proc"
        ln -sfn "$HOSTDIR" "$R/proc"
        run_cmd setpriv --reuid 65534 --regid 65534 --clear-groups unshare -Urpfm sh -c \
                'mount -t proc proc "$0/proc" && stat -f -c %T "$1"' "$R" "$HOSTDIR"
        assert_eq "naive runtime: proc lands on the host directory through the image's symlink" \
                "0 proc" "$RC $OUT"
        rm "$R/proc" && mkdir "$R/proc" && chmod 755 "$R/proc"
fi
finish
