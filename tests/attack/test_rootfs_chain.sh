#!/usr/bin/env bash
# The directories above the root filesystem. Whoever may write one of them can make the
# image's name mean another directory at any moment: a user who owned a parent of root's
# image swapped it for her own with renameat2(RENAME_EXCHANGE) while root's `ward run` was
# starting, and got her image run (7 of 139 runs against 698981e, which checked only the
# image's own directory and then opened it again by name). ward now walks the path from /
# and refuses it unless every directory on the way belongs to root or the caller and is
# writable by no one else (sticky and root's, like /tmp, is fine), before anything is
# opened; and it opens the root once: every later step (the clone, the passwd lookup)
# uses that fd, never the name.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

need_root "directories of other users and the race as root's ward need root"
NOBODY=65534

# The swapper: renameat2(A, B, RENAME_EXCHANGE) in a loop until STOPFILE exists (at most
# MAX seconds); prints how many exchanges it made (an even number: it leaves them as found).
# It rests 1 ms after every 49 (odd: each rest finds the names the other way round), so
# that on a small machine ward still gets the CPU.
cat >"$WORK/.swap.pl" <<'PERL'
require "syscall.ph";
my ($a, $b, $stop, $max) = @ARGV;
my ($n, $end) = (0, time + $max);
while (!-e $stop && time < $end) {
        for (1 .. 49) {
                syscall(&SYS_renameat2, -100, $a, -100, $b, 2) == 0 or die "renameat2: $!\n";
                $n++;
        }
        select(undef, undef, undef, 0.001);
}
$n++ if $n % 2 && syscall(&SYS_renameat2, -100, $a, -100, $b, 2) == 0;
print "$n\n";
PERL
chmod 644 "$WORK/.swap.pl"
SWAP=yes
perl -e 'require "syscall.ph"' 2>/dev/null || SWAP=no

# swap_start A B [AS_NOBODY]: exchange A and B until swap_stop.
swap_start() {
        rm -f "$WORK/.swap-stop" "$WORK/.swap-out"
        if [ "${3:-}" = nobody ]; then
                setpriv --reuid $NOBODY --regid $NOBODY --clear-groups \
                        perl "$WORK/.swap.pl" "$1" "$2" "$WORK/.swap-stop" 30 \
                        >"$WORK/.swap-out" 2>&1 &
        else
                perl "$WORK/.swap.pl" "$1" "$2" "$WORK/.swap-stop" 30 >"$WORK/.swap-out" 2>&1 &
        fi
        SWAPPER=$!
        CLEANUP_PIDS=$SWAPPER
}
# swap_stop: SWAPS=the number of exchanges made.
swap_stop() {
        touch "$WORK/.swap-stop"
        wait_exit "$SWAPPER" 10 >/dev/null 2>&1
        CLEANUP_PIDS=
        SWAPS=$(head -n 1 "$WORK/.swap-out")
        [[ $SWAPS =~ ^[0-9]+$ ]] || SWAPS=0
}

# -- a directory above the image: its owner and mode ------------------------------------
# $WORK/q/p/img: q and p are given owners and modes; the image itself is root's.
Q=$WORK/q
P=$Q/p
make_rootfs "$P/img"
echo good >"$P/img/MARK"
chmod 755 "$Q" "$P"

# chain_case NAME DIR OWNER MODE EXPECT WHAT: DIR gets OWNER and MODE, then ward runs the
# image; EXPECT is "runs" or "refused" (125, naming DIR, WHAT and the mode).
chain_case() {
        local name=$1 dir=$2 owner=$3 mode=$4 expect=$5 what=${6:-}
        chown "$owner" "$dir" && chmod "$mode" "$dir"
        wrun --rootfs "$P/img" -- /bin/cat /MARK
        if [ "$expect" = runs ]; then
                assert_eq "$name: the image runs" "0 good" "$RC $OUT"
        else
                assert_eq "$name: refused (125)" 125 "$RC"
                assert_ne "$name: the image did not run" good "$OUT"
                assert_contains "$name: names the directory" "$ERR" "$dir,"
                assert_contains "$name: says why" "$ERR" "$what"
                assert_contains "$name: gives its mode" "$ERR" "mode $(printf %04o $((8#$mode)))"
                assert_match "$name: says what to do" "$ERR" "(chown root|chmod go-w) $dir"
        fi
        chown 0:0 "$dir" && chmod 755 "$dir"
}

chain_case "a parent owned by another user" "$P" $NOBODY:$NOBODY 755 refused \
        "belongs to uid $NOBODY"
chain_case "a grandparent owned by another user" "$Q" $NOBODY:$NOBODY 755 refused \
        "belongs to uid $NOBODY"
chain_case "a parent writable by its group" "$P" 0:$NOBODY 775 refused \
        "writable by its group"
chain_case "a parent writable by every user" "$P" 0:0 777 refused "writable by every user"
chain_case "a sticky parent that is not root's" "$P" $NOBODY:$NOBODY 1777 refused \
        "belongs to uid $NOBODY"
chain_case "a sticky parent of root's (like /tmp)" "$P" 0:0 1777 runs
chain_case "a parent of root's, 0755" "$P" 0:0 755 runs

# A symlink on the way is followed, and what it leads through is checked the same way.
mkdir -m 755 "$WORK/links"
ln -s "$Q" "$WORK/links/q"
chown $NOBODY:$NOBODY "$Q"
wrun --rootfs "$WORK/links/q/p/img" -- /bin/cat /MARK
assert_eq "through a symlink to another user's directory: refused (125)" 125 "$RC"
assert_contains "through a symlink: names the directory it leads through" "$ERR" "$Q,"
chown 0:0 "$Q"
wrun --rootfs "$WORK/links/q/p/img" -- /bin/cat /MARK
assert_eq "through a symlink to root's directories: runs" "0 good" "$RC $OUT"

# -- rootless: the caller's own directories are fine, another user's are not -------------
# (The root tree is then cloned by setup, in its own mount namespace, from the working
# directory the monitor handed over: the name is not looked up again there either.)
AS_NOBODY=(setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups --reset-env)
if ! timeout 10 "${AS_NOBODY[@]}" unshare --user --map-root-user true 2>/dev/null; then
        skip "rootless: the caller's own and another user's directories" \
                "uid $NOBODY cannot create a user namespace here"
else
        reachable_by $NOBODY
        chown $NOBODY:$NOBODY "$P"
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd "${AS_NOBODY[@]}" "$WARD" run --rootfs "$P/img" --user app -- /bin/sh -c \
                'cat /MARK; id -u'
        leftover_check "(uid $NOBODY) ward run --rootfs $P/img"
        assert_eq "rootless: a parent of the caller's own: runs, --user app looked up" \
                "0 good 1000" "$RC $(printf '%s' "$OUT" | tr '\n' ' ' | sed 's/ $//')"
        # The monitor held the root's host-side fd and its own cwd across the clone: the
        # child must not (-w /proc/self/fd/N would lead out of the root, CVE-2024-21626).
        for n in 3 4 5 6 7 8 9; do
                T_RUNS=$((T_RUNS + 1))
                snapshot
                run_cmd "${AS_NOBODY[@]}" "$WARD" run --rootfs "$P/img" -w /proc/self/fd/$n \
                        -- /bin/ward-probe "--tag=$TAG" cwd
                leftover_check "(uid $NOBODY) ward run -w /proc/self/fd/$n"
                if [ "$RC" = 125 ]; then
                        ok "rootless: -w /proc/self/fd/$n: refused (125)"
                else
                        assert_eq "rootless: -w /proc/self/fd/$n: the cwd is inside the root" \
                                "0 yes" "$RC $(kv cwd_top_is_root)"
                fi
        done
        chown 4242:4242 "$P"
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd "${AS_NOBODY[@]}" "$WARD" run --rootfs "$P/img" -- /bin/cat /MARK
        leftover_check "(uid $NOBODY) ward run --rootfs $P/img"
        assert_eq "rootless: a parent of another user's: refused (125)" 125 "$RC"
        assert_contains "rootless: a parent of another user's: names it and its owner" "$ERR" \
                "$P, which belongs to uid 4242"
        chown 0:0 "$P"
fi

# -- the race: the other user swaps her image in for root's (RENAME_EXCHANGE) ------------
# alice (here: nobody) owns $A; root's image is $A/img, hers $A/evil.
A=$WORK/alice
mkdir -m 755 "$A"
cp -a "$P/img" "$A/img"
cp -a "$P/img" "$A/evil"
echo evil >"$A/evil/MARK"
chown -R $NOBODY:$NOBODY "$A/evil"
chown $NOBODY:$NOBODY "$A"
if [ "$SWAP" = no ]; then
        skip "race: renameat2 swaps against ward" "perl has no syscall.ph here"
else
        swap_start "$A/img" "$A/evil" nobody
        runs=0 refused=0 good=0 evil=0 other=0
        deadline=$((SECONDS + 8))
        snapshot # once for the loop: ward is run as fast as it can go
        while [ "$runs" -lt 40 ] && [ "$SECONDS" -lt "$deadline" ]; do
                run_cmd "$WARD" run --rootfs "$A/img" -- /bin/cat /MARK
                runs=$((runs + 1))
                case "$RC:$OUT" in
                125:*) refused=$((refused + 1)) ;;
                0:good) good=$((good + 1)) ;;
                0:evil) evil=$((evil + 1)) ;;
                *)
                        other=$((other + 1))
                        echo "# race: unexpected: $RC ${OUT:0:80} ${ERR:0:200}"
                        ;;
                esac
        done
        swap_stop
        T_RUNS=$((T_RUNS + runs))
        leftover_check "the race's $runs runs"
        echo "# race: $runs runs of root's ward: $refused refused, $good ran root's image," \
                "$evil ran the other user's; $SWAPS exchanges meanwhile"
        assert_ne "race: the other user's exchanges went on meanwhile" 0 "$SWAPS"
        assert_eq "race: every run refused (the chain is checked before any open)" \
                "$runs" "$refused"
        assert_eq "race: the other user's image never ran" 0 "$evil"

        # The control: check the image's owner by name, then use it by name again (what
        # 698981e did between its lstat and its open_tree): the swap wins.
        swap_start "$A/img" "$A/evil" nobody
        run_cmd perl -e 'my ($img, $tries, $won, $end) = ($ARGV[0], 0, 0, time + 2);
                while (time < $end && $won < 3) {
                        $tries++;
                        my @st = lstat($img);
                        next unless @st && $st[4] == 0;
                        open(my $f, "<", "$img/MARK") or next;
                        $won++ if <$f> eq "evil\n";
                }
                print "$won $tries\n"' "$A/img"
        read -r won tries <<<"$OUT"
        swap_stop
        echo "# control: $won of $tries check-then-use by name read the other user's image"
        assert_ne "control: check by name, use by name: the swap gets the other image used" \
                0 "$won"
fi
chown 0:0 "$A"

# -- one open: the lookups and the mounts see the same image ----------------------------
# Root's own directory, two images of root's that root swaps (an admin's update in place):
# every run must be wholly the one or the other, its MARK and its app user (1000 in one,
# 2000 in the other) from the same image.
S=$WORK/s
mkdir -m 755 "$S"
cp -a "$P/img" "$S/one"
cp -a "$P/img" "$S/two"
echo one >"$S/one/MARK"
echo two >"$S/two/MARK"
sed -i 's/^app:x:1000:1000:/app:x:2000:2000:/' "$S/two/etc/passwd"
if [ "$SWAP" = yes ]; then
        swap_start "$S/one" "$S/two"
        runs=0 mixed=0 failed=0 ones=0 twos=0
        deadline=$((SECONDS + 6))
        snapshot
        while [ "$runs" -lt 30 ] && [ "$SECONDS" -lt "$deadline" ]; do
                run_cmd "$WARD" run --rootfs "$S/one" --user app -- /bin/sh -c 'cat /MARK; id -u'
                runs=$((runs + 1))
                got=$(printf '%s' "$OUT" | tr '\n' ' ')
                case "$RC:$got" in
                "0:one 1000") ones=$((ones + 1)) ;;
                "0:two 2000") twos=$((twos + 1)) ;;
                0:*) mixed=$((mixed + 1)) && echo "# one open: a mixed run: $got" ;;
                *) failed=$((failed + 1)) && echo "# one open: $RC ${ERR:0:200}" ;;
                esac
        done
        swap_stop
        T_RUNS=$((T_RUNS + runs))
        leftover_check "the one-open check's $runs runs"
        echo "# one open: $runs runs ($ones of one, $twos of two), $mixed mixed," \
                "$failed failed; $SWAPS exchanges"
        assert_eq "one open: no run mixed the two images (passwd of one, files of the other)" \
                0 "$mixed"
        assert_eq "one open: every run ran" 0 "$failed"
fi
finish
