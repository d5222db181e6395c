#!/usr/bin/env bash
# CVE-2021-30465: a hostile image makes a mount target a symlink to a host path (or swaps
# a directory for one while the runtime sets up), so that a mount meant for the sandbox
# lands on the host. ward resolves every target inside the root, follows no symlink, and
# mounts through fds.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
need_naive "$R"
HOSTDIR=$WORK/hostdir
mkdir -p "$HOSTDIR" "$WORK/src" "$R/data"
echo host >"$HOSTDIR/file"
chmod 777 "$HOSTDIR"

# -- static symlinks: the tmpfs target (/tmp) and a bind target (/data) -------------------
rmdir "$R/tmp"
for link in "$HOSTDIR" "../../../../../../../../$HOSTDIR"; do
        ln -sfn "$link" "$R/tmp"
        wrun --rootfs "$R" -- "${P[@]}" write /tmp/pwned
        assert_eq "ward: /tmp -> $link: refused (125)" 125 "$RC"
        assert_contains "ward: /tmp -> $link: the message names /tmp" "$ERR" /tmp
        rm -f "$R/tmp"

        rmdir "$R/data"
        ln -sfn "$link" "$R/data"
        mkdir "$R/tmp" && chmod 1777 "$R/tmp"
        wrun --rootfs "$R" -v "$WORK/src:/data:rw" -- "${P[@]}" write /data/pwned
        assert_eq "ward: bind target /data -> $link: refused (125)" 125 "$RC"
        rm -f "$R/data" && mkdir "$R/data" && rmdir "$R/tmp"
done
mkdir "$R/tmp" && chmod 1777 "$R/tmp"
assert_eq "the host directory got nothing" file "$(ls "$HOSTDIR" | tr '\n' ' ' | sed 's/ $//')"

# -- the race: swap /data between a directory and a symlink to the host while ward runs ----
swapper() {
        mkdir -p "$WORK/swap"
        ln -sfn "$HOSTDIR" "$WORK/swap/link"
        mkdir -p "$WORK/swap/dir"
        while :; do
                mv -T "$WORK/swap/link" "$R/data" 2>/dev/null &&
                        ln -sfn "$HOSTDIR" "$WORK/swap/link"
                rm -rf "$R/data" 2>/dev/null && mkdir "$R/data" 2>/dev/null
        done
}
swapper &
SWAPPER=$!
CLEANUP_PIDS="$SWAPPER"
refused=0 ran=0 other=0 wrote=0
for i in $(seq 1 40); do
        wrun --rootfs "$R" -v "$WORK/src:/data:rw" -- "${P[@]}" write /data/pwned
        case $RC in
        0)
                ran=$((ran + 1))
                [ "$(kv 'write /data/pwned')" = OK ] && wrote=$((wrote + 1))
                ;;
        125) refused=$((refused + 1)) ;;
        *) other=$((other + 1)) ;;
        esac
done
kill "$SWAPPER"
wait "$SWAPPER" 2>/dev/null
rm -rf "$R/data" && mkdir "$R/data"
echo "# race: $ran runs ($wrote wrote /data/pwned), $refused refused, $other other"
assert_eq "race: every run either ran or was refused" 0 "$other"
assert_eq "race: the host directory never got the sandbox's file" file \
        "$(ls "$HOSTDIR" | tr '\n' ' ' | sed 's/ $//')"
# The swapper keeps going while the app runs, so a run may find /data missing; a write
# that worked went into the bind's source.
if [ "$wrote" -gt 0 ]; then
        assert_eq "race: the writes that worked landed in the bind source" yes \
                "$([ -e "$WORK/src/pwned" ] && echo yes)"
fi

# -- the naive runtime: a mount by string path follows the image's symlink to the host ----
if naive_part "naive runtime: a mount through the symlink"; then
        rmdir "$R/tmp"
        ln -sfn "$HOSTDIR" "$R/tmp"
        run_cmd setpriv --reuid 65534 --regid 65534 --clear-groups unshare -Urm sh -c \
                'mount -t tmpfs naive "$0/tmp" && stat -f -c %T "$1"' "$R" "$HOSTDIR"
        assert_eq "naive runtime: mounting the image's /tmp covers the host directory" \
                "0 tmpfs" "$RC $OUT"
        rm "$R/tmp" && mkdir "$R/tmp" && chmod 1777 "$R/tmp"
fi
finish
