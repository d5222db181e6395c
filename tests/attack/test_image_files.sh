#!/usr/bin/env bash
# Files of a hostile image (and of a bundle) read on the host as root. `--user NAME` looks
# NAME up in the image's /etc/passwd and /etc/group, before any namespace exists: with
# /etc/passwd a character device (10:130, a watchdog), ward's open armed the host's watchdog
# and the machine rebooted; a FIFO would block an open without O_NONBLOCK; a symlink, a
# huge file. ward opens such a file only beneath the root fd (RESOLVE_IN_ROOT), O_NOFOLLOW,
# and only once fstat of an O_PATH fd said it is a regular file of at most 8 MiB: anything
# else is refused without ever being opened. The same for a bundle's config.json (ward run
# --bundle, ward hook).
#
# "Opened" is seen with inotify: IN_OPEN is reported for every real open of the node, and
# not for an O_PATH one. Only harmless nodes are used: a FIFO and 1:3 (/dev/null).
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

need_root "device nodes in the image and --user lookups as root need root"

R=$WORK/rootfs
make_rootfs "$R"
cp "$R/etc/passwd" "$WORK/passwd.good"
cp "$R/etc/group" "$WORK/group.good"

# The watcher: perl's syscall(2) with the kernel's numbers from syscall.ph.
cat >"$WORK/.watch.pl" <<'PERL'
# watch.pl PATH STOPFILE: "opened" as soon as PATH is opened (IN_OPEN), "not-opened" once
# STOPFILE exists and no open was queued before it.
require "syscall.ph";
my ($path, $stop) = @ARGV;
my $fd = syscall(&SYS_inotify_init1, 0);
die "inotify_init1: $!\n" if $fd < 0;
die "inotify_add_watch $path: $!\n" if syscall(&SYS_inotify_add_watch, $fd, $path, 0x20) < 0;
$| = 1;
print "ready\n";
my $rin = '';
vec($rin, $fd, 1) = 1;
for (my $i = 0; $i < 1200; $i++) {
        my $done = -e $stop;
        if (select(my $rout = $rin, undef, undef, $done ? 0 : 0.05) > 0) {
                print "opened\n";
                exit 0;
        }
        if ($done) {
                print "not-opened\n";
                exit 0;
        }
}
print "watcher timeout\n";
PERL
WATCH=yes
if ! perl -e 'require "syscall.ph"' 2>/dev/null; then
        WATCH=no
        echo "# perl has no syscall.ph here: whether a node was opened cannot be watched"
fi

# watch_start PATH: start watching PATH for an open; watch_verdict prints "opened" or
# "not-opened" once the command under watch has returned.
watch_start() {
        rm -f "$WORK/.watch-stop" "$WORK/.watch-out"
        perl "$WORK/.watch.pl" "$1" "$WORK/.watch-stop" >"$WORK/.watch-out" 2>&1 &
        WATCH_PID=$!
        CLEANUP_PIDS="$WATCH_PID"
        wait_for_line "$WORK/.watch-out" ready 10
}
watch_verdict() {
        touch "$WORK/.watch-stop"
        wait_exit "$WATCH_PID" 10 >/dev/null 2>&1
        CLEANUP_PIDS=
        sed -n '2p' "$WORK/.watch-out"
}

# CARELESS_OPEN PATH: what the old code did: open O_RDONLY | O_NONBLOCK, then fstat.
cat >"$WORK/.careless.pl" <<'PERL'
use Fcntl;
sysopen(my $f, $ARGV[0], O_RDONLY | O_NONBLOCK) or die "open $ARGV[0]: $!\n";
print -f $f ? "regular\n" : "not regular\n";
PERL
CARELESS_OPEN=(perl "$WORK/.careless.pl")

# watched_run NAME NODE ARGS...: ward run ARGS with NODE watched; asserts 125, the reason,
# and that NODE was never opened.
watched_run() {
        local name=$1 node=$2 verdict
        shift 2
        [ "$WATCH" = yes ] && watch_start "$node"
        wrun "$@"
        [ "$WATCH" = yes ] && verdict=$(watch_verdict)
        assert_eq "ward: $name: refused (125)" 125 "$RC"
        assert_contains "ward: $name: says it is not a regular file" "$ERR" "not a regular file"
        if [ "$WATCH" = yes ]; then
                assert_eq "ward: $name: never opened on the host" not-opened "$verdict"
        else
                skip "ward: $name: never opened on the host" "no syscall.ph for the watcher"
        fi
}

# -- /etc/passwd and /etc/group a character device (1:3 stands in for 10:130) ----------
rm "$R/etc/passwd"
mknod -m 644 "$R/etc/passwd" c 1 3
watched_run "/etc/passwd a char device" "$R/etc/passwd" --rootfs "$R" --user app -- /bin/true
assert_contains "ward: /etc/passwd a char device: names the file" "$ERR" "/etc/passwd"
if [ "$WATCH" = yes ]; then
        watch_start "$R/etc/passwd"
        run_cmd "${CARELESS_OPEN[@]}" "$R/etc/passwd"
        assert_eq "control: a careless open (O_NONBLOCK, then fstat) opens the device" \
                "opened" "$(watch_verdict)"
fi
rm "$R/etc/passwd"
cp "$WORK/passwd.good" "$R/etc/passwd"

rm "$R/etc/group"
mknod -m 644 "$R/etc/group" c 1 3
watched_run "/etc/group a char device" "$R/etc/group" --rootfs "$R" --user app:app -- /bin/true
assert_contains "ward: /etc/group a char device: names the file" "$ERR" "/etc/group"
rm "$R/etc/group"
cp "$WORK/group.good" "$R/etc/group"

# -- /etc/passwd a symlink to a device node of the image -------------------------------
mknod -m 644 "$R/dev/watchdog" c 1 3
mv "$R/etc/passwd" "$R/etc/passwd.real"
ln -s /dev/watchdog "$R/etc/passwd"
[ "$WATCH" = yes ] && watch_start "$R/dev/watchdog"
wrun --rootfs "$R" --user app -- /bin/true
[ "$WATCH" = yes ] && verdict=$(watch_verdict)
assert_eq "ward: /etc/passwd -> /dev/watchdog (a node of the image): refused (125)" 125 "$RC"
assert_contains "ward: /etc/passwd a symlink: says so" "$ERR" "symbolic link"
if [ "$WATCH" = yes ]; then
        assert_eq "ward: /etc/passwd -> /dev/watchdog: the node never opened" not-opened \
                "$verdict"
fi
rm "$R/etc/passwd" "$R/dev/watchdog"
mv "$R/etc/passwd.real" "$R/etc/passwd"

# -- /etc/passwd a FIFO nobody writes to ------------------------------------------------
rm "$R/etc/passwd"
mkfifo -m 644 "$R/etc/passwd"
watched_run "/etc/passwd a FIFO" "$R/etc/passwd" --rootfs "$R" --user app -- /bin/true
run_cmd timeout 2 cat "$R/etc/passwd"
assert_eq "control: a blocking open of the FIFO hangs (killed by timeout)" 124 "$RC"
if [ "$WATCH" = yes ]; then
        watch_start "$R/etc/passwd"
        run_cmd "${CARELESS_OPEN[@]}" "$R/etc/passwd"
        assert_eq "control: a careless open of the FIFO opens it" opened "$(watch_verdict)"
fi
rm "$R/etc/passwd"
cp "$WORK/passwd.good" "$R/etc/passwd"

# -- /etc/passwd of 64 MiB (sparse): refused by its size, not read --------------------------
cp "$WORK/passwd.good" "$R/etc/passwd"
truncate -s 64M "$R/etc/passwd"
wrun --rootfs "$R" --user app -- /bin/true
assert_eq "ward: a 64 MiB /etc/passwd: refused (125)" 125 "$RC"
assert_contains "ward: a 64 MiB /etc/passwd: says it is too large" "$ERR" "larger than"
run_cmd perl -e 'open(my $f, "<", $ARGV[0]) or die; <$f> for 1 .. 3; my $l = <$f>;
                 print length($l), "\n"' "$R/etc/passwd"
assert_eq "control: a line reader holds the whole 64 MiB tail as one line" \
        "$((64 * 1024 * 1024 - $(wc -c <"$WORK/passwd.good")))" "$OUT"
cp "$WORK/passwd.good" "$R/etc/passwd"

# The good files still work: the checks refuse only what they should.
wrun --rootfs "$R" --user app:app -- /bin/id -u
assert_eq "ward: --user app with regular files: runs as 1000" "0 1000" "$RC $OUT"

# -- a bundle's config.json a char device (ward run --bundle, ward hook) ----------------
B=$WORK/bundle
mkdir -p "$B"
mknod -m 644 "$B/config.json" c 1 3
watched_run "--bundle: config.json a char device" "$B/config.json" --bundle "$B"
RUN_STDIN=$WORK/state.json
printf '{"ociVersion":"1.0.2","id":"hostile","status":"creating","bundle":"%s"}' "$B" \
        >"$RUN_STDIN"
[ "$WATCH" = yes ] && watch_start "$B/config.json"
run_cmd "$WARD" hook --policy default
[ "$WATCH" = yes ] && verdict=$(watch_verdict)
unset RUN_STDIN
assert_eq "ward hook: config.json a char device: refused (125)" 125 "$RC"
assert_contains "ward hook: config.json a char device: says why" "$ERR" "not a regular file"
if [ "$WATCH" = yes ]; then
        assert_eq "ward hook: config.json a char device: never opened" not-opened "$verdict"
fi
finish
