#!/usr/bin/env bash
# Every error path is exit 125 with "ward: error: ..." naming the flag or the profile key
# (with FILE:LINE for profile errors), nothing runs, and nothing is left on the host.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
mkdir -p "$R/data"

# bad DESCRIPTION NEEDLES ARGS...: `ward run ARGS` exits 125, prints "ward: error:" and
# every ';'-separated needle on stderr (a needle "a|b" is satisfied by either), and the app
# prints nothing.
bad() {
        local what=$1 needles=$2 n alt found
        shift 2
        wrun "$@"
        assert_eq "$what: exit 125" 125 "$RC"
        assert_contains "$what: says 'ward: error:'" "$ERR" "ward: error: "
        IFS=';' read -r -a n <<<"$needles"
        for needle in "${n[@]}"; do
                found=
                IFS='|' read -r -a alt <<<"$needle"
                for a in "${alt[@]}"; do
                        [[ $ERR == *"$a"* ]] && found=$a
                done
                if [ -n "$found" ]; then
                        ok "$what: the message names '$found'"
                else
                        fail "$what: the message names '$needle'" "stderr: $ERR"
                fi
        done
        assert_eq "$what: the app did not run" "" "$OUT"
}

# profile NAME LINES...: write $WORK/NAME.profile; prints its path.
profile() {
        local f=$WORK/$1.profile
        shift
        printf '%s\n' "$@" >"$f"
        echo "$f"
}

# -- the rootfs -------------------------------------------------------------------------
bad "missing rootfs" "--rootfs;$WORK/no-such-rootfs" \
        --rootfs "$WORK/no-such-rootfs" -- "${P[@]}" exit 0
echo file >"$WORK/rootfs-file"
bad "rootfs is a file" "--rootfs;$WORK/rootfs-file" \
        --rootfs "$WORK/rootfs-file" -- "${P[@]}" exit 0
ln -s "$R" "$WORK/rootfs-link"
bad "rootfs is a symlink" "--rootfs;$WORK/rootfs-link" \
        --rootfs "$WORK/rootfs-link" -- "${P[@]}" exit 0
bad "rootfs is relative and missing" "--rootfs" \
        --rootfs no-such-relative-rootfs -- "${P[@]}" exit 0

# -- flags ------------------------------------------------------------------------------
bad "unknown flag" "--bogus" --rootfs "$R" --bogus -- "${P[@]}" exit 0
bad "misspelt flag" "--hostnme;did you mean;--hostname" \
        --rootfs "$R" --hostnme web -- "${P[@]}" exit 0
bad "no command" "command" --rootfs "$R"
bad "no command after --" "command" --rootfs "$R" --
bad "--ulimit nofile=abc" "--ulimit;abc" --rootfs "$R" --ulimit nofile=abc -- "${P[@]}" exit 0
bad "--ulimit bogus=1" "--ulimit;bogus" --rootfs "$R" --ulimit bogus=1 -- "${P[@]}" exit 0
bad "--ulimit soft above hard" "--ulimit" \
        --rootfs "$R" --ulimit nofile=200:100 -- "${P[@]}" exit 0
bad "--cap-add BOGUS" "--cap-add;BOGUS" --rootfs "$R" --cap-add BOGUS -- "${P[@]}" exit 0
bad "--cap-drop BOGUS" "--cap-drop;BOGUS" --rootfs "$R" --cap-drop BOGUS -- "${P[@]}" exit 0
bad "--network bogus" "--network;bogus" --rootfs "$R" --network bogus -- "${P[@]}" exit 0
bad "--security-opt bogus" "--security-opt;bogus" \
        --rootfs "$R" --security-opt bogus -- "${P[@]}" exit 0
bad "--user of a name not in the image" "--user|Process.User;nosuchuser" \
        --rootfs "$R" --user nosuchuser -- "${P[@]}" exit 0
bad "--user with a bad gid" "--user|Process.User;abc" --rootfs "$R" --user 1000:abc -- "${P[@]}" exit 0
bad "--env-file missing" "--env-file;$WORK/no-such-env-file" \
        --rootfs "$R" --env-file "$WORK/no-such-env-file" -- "${P[@]}" exit 0
bad "--stop-timeout bogus" "--stop-timeout" \
        --rootfs "$R" --stop-timeout soon -- "${P[@]}" exit 0
bad "--hostname too long" "--hostname" \
        --rootfs "$R" --hostname "$(printf 'h%.0s' {1..70})" -- "${P[@]}" exit 0
bad "-w relative" "-w" --rootfs "$R" -w relative/dir -- "${P[@]}" exit 0
bad "--profile missing" "no-such-profile-xyz" \
        --profile no-such-profile-xyz --rootfs "$R" -- "${P[@]}" exit 0
bad "--profile missing file" "$WORK/no-such.profile" \
        --profile "$WORK/no-such.profile" --rootfs "$R" -- "${P[@]}" exit 0

# -- mounts -----------------------------------------------------------------------------
bad "tmpfs target missing in the rootfs" "--tmpfs;/no-such-dir" \
        --rootfs "$R" --tmpfs /no-such-dir -- "${P[@]}" exit 0
bad "tmpfs target relative" "--tmpfs" --rootfs "$R" --tmpfs tmp -- "${P[@]}" exit 0
bad "tmpfs bad size" "--tmpfs;size" --rootfs "$R" --tmpfs /tmp:size=lots -- "${P[@]}" exit 0
bad "tmpfs unknown option" "--tmpfs;bogus" --rootfs "$R" --tmpfs /tmp:bogus=1 -- "${P[@]}" exit 0
bad "bind source missing" "$WORK/no-such-src" \
        --rootfs "$R" -v "$WORK/no-such-src:/data" -- "${P[@]}" exit 0
bad "bind source relative" "--volume" --rootfs "$R" -v "rel:/data" -- "${P[@]}" exit 0
bad "bind target relative" "--volume" --rootfs "$R" -v "$WORK:data" -- "${P[@]}" exit 0
bad "bind mode bogus" "--volume;bogus" --rootfs "$R" -v "$WORK:/data:bogus" -- "${P[@]}" exit 0
bad "bind without target" "--volume" --rootfs "$R" -v "$WORK" -- "${P[@]}" exit 0

# -- profiles ---------------------------------------------------------------------------
pf=$(profile unknown-key "# a profile with a typo" "[Filesystem]" "Rot=/x")
bad "unknown profile key" "$pf:3:;Rot;did you mean Root" --profile "$pf" --rootfs "$R" -- \
        "${P[@]}" exit 0
pf=$(profile unknown-section "[Profile]" "Description=x" "[Filesytem]" "ReadOnly=yes")
bad "unknown profile section" "$pf:3:;Filesytem;did you mean [Filesystem]" \
        --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$(profile bad-nofile "[Profile]" "Include=default" "[Resources]" "LimitNOFILE=abc")
bad "LimitNOFILE=abc" "$pf:4:;Resources.LimitNOFILE;abc" \
        --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$(profile bad-bool "[Process]" "NoNewPrivileges=perhaps")
bad "NoNewPrivileges=perhaps" "$pf:2:;Process.NoNewPrivileges;perhaps" \
        --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$(profile bad-cap "[Process]" "" "Capabilities=NET_BIND_SERVIC")
bad "Capabilities=NET_BIND_SERVIC" "$pf:3:;Process.Capabilities;NET_BIND_SERVIC;NET_BIND_SERVICE" \
        --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$(profile bad-ns "[Namespaces]" "Unshare=user pid mount bogusns")
bad "Unshare=... bogusns" "$pf:2:;Namespaces.Unshare;bogusns" \
        --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$(profile bad-tmpfs "[Filesystem]" "Tmpfs=/tmp size=huge")
bad "Tmpfs=/tmp size=huge" "$pf:2:;Filesystem.Tmpfs;huge" \
        --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$(profile bad-umask "[Process]" "UMask=999")
bad "UMask=999" "$pf:2:;Process.UMask;999" --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$(profile bad-network "[Network]" "Mode=bridge")
bad "Network Mode=bridge" "$pf:2:;Network.Mode;bridge" \
        --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$(profile no-section "ReadOnly=yes")
bad "a key before any section" "$pf:1:" --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$(profile no-bracket "[Filesystem" "ReadOnly=yes")
bad "a section without ']'" "$pf:1:" --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$WORK/nul.profile
printf '[Filesystem]\nReadOnly=y\0es\n' >"$pf"
bad "a NUL byte in a profile" "$pf:2:" --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$WORK/long.profile
{ echo "[Profile]"; printf 'Description=%s\n' "$(head -c 100000 /dev/zero | tr '\0' x)"; } >"$pf"
bad "an overlong line" "$pf:2:" --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0

# Includes: a cycle, including oneself, a missing include (by name and by path).
a=$(profile cycle-a "[Profile]" "Include=cycle-b.profile")
b=$(profile cycle-b "# b" "[Profile]" "Include=cycle-a.profile")
bad "include cycle" "cycle;Include;cycle-a.profile;cycle-b.profile" \
        --profile "$a" --rootfs "$R" -- "${P[@]}" exit 0
assert_match "include cycle: the message has a FILE:LINE" "$ERR" "cycle-[ab]\\.profile:[23]:"
pf=$(profile self "[Profile]" "Include=self.profile")
bad "a profile including itself" "$pf:2:;cycle" --profile "$pf" --rootfs "$R" -- \
        "${P[@]}" exit 0
pf=$(profile missing-include "[Profile]" "Include=no-such-profile-xyz")
bad "missing include (name)" "$pf:2:;Include;no-such-profile-xyz" \
        --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
pf=$(profile missing-include-path "[Profile]" "" "Include=$WORK/nope/x.profile")
bad "missing include (path)" "$pf:3:;Include;$WORK/nope/x.profile" \
        --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0

# A profile that names a rootfs that does not exist: the error points at the profile.
pf=$(profile bad-root "[Filesystem]" "Root=$WORK/no-such-root")
bad "Root= missing" "$pf:2:;Filesystem.Root;$WORK/no-such-root" \
        --profile "$pf" -- "${P[@]}" exit 0

# explain reports the same errors.
pf=$(profile unknown-key "# a profile with a typo" "[Filesystem]" "Rot=/x")
wexplain --profile "$pf" --rootfs "$R" -- /app
assert_eq "explain with an unknown key: exit 125" 125 "$RC"
assert_contains "explain with an unknown key: FILE:LINE" "$ERR" "$pf:3:"

# The error is a fix-it: the hint line for an unknown key.
pf=$(profile unknown-key "# a profile with a typo" "[Filesystem]" "Rot=/x")
wrun --profile "$pf" --rootfs "$R" -- "${P[@]}" exit 0
assert_match "unknown key: a 'ward:   fix:' line follows" "$ERR" $'\nward:   fix: '

# -- hints that name the real cause ------------------------------------------------------
# Out of file descriptors: whatever step hits the limit, the fix names the limit (before:
# "user namespaces may be disabled" at -n 12, a bad root at -n 6).
for n in 6 8 10 12; do
        run_cmd bash -c "ulimit -n $n; exec \"\$0\" run --rootfs \"\$1\" -- /bin/true" "$WARD" "$R"
        T_RUNS=$((T_RUNS + 1))
        assert_contains "ulimit -n $n: the fix names the fd limit" "$ERR" \
                "ran out of file descriptors: it was started with a limit of $n"
        assert_not_contains "ulimit -n $n: no word of user namespaces" "$ERR" "user namespaces"
done
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
        # Root without CAP_SYS_RESOURCE (a container, a unit's CapabilityBoundingSet=): a
        # hard limit cannot go above ward's own; "run ward as root" was the hint.
        run_cmd setpriv --bounding-set -sys_resource --inh-caps=-all -- bash -c \
                "ulimit -n 24; exec \"\$0\" run --rootfs \"\$1\" -- /bin/true" "$WARD" "$R"
        T_RUNS=$((T_RUNS + 1))
        assert_contains "root without CAP_SYS_RESOURCE: the fix says so" "$ERR" \
                "without CAP_SYS_RESOURCE"
        assert_not_contains "root without CAP_SYS_RESOURCE: not 'run ward as root'" "$ERR" \
                "run ward as root"
        # In a chroot the kernel refuses a new user namespace to root too (in a mount
        # namespace of the test's own, so that the chroot's /proc goes with it).
        C=$WORK/chroot
        mkdir -p "$C/w" "$C/proc" && cp -a "$R/." "$C/" && cp "$WARD" "$WARD_INIT" "$C/w/"
        for lib in $(ldd "$WARD" | awk '/=> \// {print $3} /^\t\/lib/ {print $1}'); do
                mkdir -p "$C$(dirname "$lib")" && cp -L "$lib" "$C$lib"
        done
        run_cmd unshare -m sh -c 'mount -t proc proc "$1/proc" && chroot "$1" /w/ward run --rootfs / -- /bin/true' \
                sh "$C"
        T_RUNS=$((T_RUNS + 1))
        assert_eq "in a chroot: 125" 125 "$RC"
        assert_contains "in a chroot: the fix names the chroot" "$ERR" "chroot"
else
        skip "root's hints (CAP_SYS_RESOURCE, chroot)" "needs root and setpriv"
fi

finish
