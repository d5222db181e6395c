#!/bin/busybox sh
# The rootless half of test_cgroup_vm.sh, run by guest-init.sh (as root, after the root
# tests) in the same guest. Root delegates a cgroup subtree to uid 1000 by hand, the cgroup
# v2 way (the recipe in ward(1), "Rootless cgroup limits"), and uid 1000 runs ward with
# --cgroup-parent.
# Prints "RESULT rl-NAME VALUE" lines.
W=/opt/ward/ward
R=/sandbox
U=1000
CG=/sys/fs/cgroup
D=$CG/deleg

echo "RESULT rl-start-uptime $(cut -d' ' -f1 /proc/uptime)"

one_line() { tr '\n' ' ' <"$1" | sed 's/ *$//'; }

# Unprivileged user namespaces (a Debian kernel has a switch of its own).
[ -w /proc/sys/kernel/unprivileged_userns_clone ] &&
        echo 1 >/proc/sys/kernel/unprivileged_userns_clone
mkdir -p /tmp/u && chown $U:$U /tmp/u

# as_user SECONDS CGROUP CMD...: CMD as uid 1000 under a time limit, started in CGROUP (a
# path below /sys/fs/cgroup, "" for the root cgroup). Only root can move the user's
# process in from outside the delegated subtree, so root moves it and then drops to the
# user, keeping the pid. timeout's watcher is forked before the move, so it stays out of
# CGROUP, which then holds only what CMD starts.
as_user() {
        secs=$1 cg=$2
        shift 2
        timeout "$secs" sh -c 'if [ -n "$1" ]; then echo $$ >'"$CG"'$1/cgroup.procs || exit 99; fi
                shift
                exec /usr/bin/setpriv --reuid='$U' --regid='$U' --clear-groups -- \
                        env -i PATH=/bin:/usr/bin HOME=/tmp/u WARD_CACHE_DIR=/tmp/u/cache "$@"' \
                sh "$cg" "$@"
}

# What root runs to delegate $D to the user, as ward(1) says: the directory and its
# cgroup.procs, cgroup.threads and cgroup.subtree_control become the user's, the
# controllers are enabled in the parent (the root cgroup, done by guest-init.sh), and a
# leaf shell/ is the user's. The user's shell must then live in that leaf (as_user puts it
# there): a process moves only between cgroups below one the user may write, and a cgroup
# with processes cannot enable controllers for its children.
mkdir $D
chown $U:$U $D $D/cgroup.procs $D/cgroup.threads $D/cgroup.subtree_control
mkdir $D/shell && chown -R $U:$U $D/shell
echo "RESULT rl-setup $(stat -c %u $D $D/cgroup.procs $D/cgroup.subtree_control \
        $D/shell/cgroup.procs | tr '\n' ' ')"

# wait_empty CGROUP: until the processes started in it are gone.
wait_empty() {
        i=0
        while [ -n "$(cat $1/cgroup.procs)" ] && [ $i -lt 50 ]; do
                sleep 0.1
                i=$((i + 1))
        done
}

# The user's shell in the delegated cgroup itself, which has no controllers enabled yet:
# the no-internal-processes rule (EBUSY).
as_user 30 /deleg $W run --rootfs $R --cgroup-parent /deleg --memory 32m -- /bin/true \
        >/tmp/rl-int.out 2>/tmp/rl-int.err
echo "RESULT rl-internal-rc $?"
echo "RESULT rl-internal-stderr $(one_line /tmp/rl-int.err)"
wait_empty $D

# The user's shell still in the root cgroup, outside the delegated subtree.
as_user 30 "" $W run --rootfs $R --cgroup-parent /deleg --pids-limit 16 -- /bin/true \
        >/tmp/rl-out.out 2>/tmp/rl-out.err
echo "RESULT rl-outside-rc $?"
echo "RESULT rl-outside-stderr $(one_line /tmp/rl-out.err)"
echo "RESULT rl-outside-subtree-control [$(cat $D/cgroup.subtree_control)]"

# With pids (a threaded controller) enabled, as an earlier ward --pids-limit leaves it, a
# process may enter the delegated cgroup, which then refuses memory with EOPNOTSUPP
# instead: the same rule.
echo +pids >$D/cgroup.subtree_control
as_user 30 /deleg $W run --rootfs $R --cgroup-parent /deleg --memory 32m -- /bin/true \
        >/tmp/rl-int2.out 2>/tmp/rl-int2.err
echo "RESULT rl-internal2-rc $?"
echo "RESULT rl-internal2-stderr $(one_line /tmp/rl-int2.err)"
wait_empty $D

# From a leaf of the subtree: a memory hog under --memory 32m is OOM-killed and reported.
# (--cgroup-parent spelled as the full path this time.)
as_user 60 /deleg/shell $W run --rootfs $R --cgroup-parent $D --memory 32m -- \
        /bin/ward-probe hog >/tmp/rl-oom.out 2>/tmp/rl-oom.err
echo "RESULT rl-oom-rc $?"
echo "RESULT rl-oom-stderr $(grep 'out of memory' /tmp/rl-oom.err | head -n 1)"
sed 's/^/GUEST rl-oom: /' /tmp/rl-oom.err

# Forks beyond --pids-limit 8 are refused.
as_user 60 /deleg/shell $W run --rootfs $R --cgroup-parent /deleg --pids-limit 8 -- \
        /bin/ward-probe forks 20 >/tmp/rl-pids.out 2>/tmp/rl-pids.err
echo "RESULT rl-pids-rc $?"
echo "RESULT rl-pids-stdout $(one_line /tmp/rl-pids.out)"
echo "RESULT rl-pids-stderr $(grep 'fork refused' /tmp/rl-pids.err | head -n 1)"
sed 's/^/GUEST rl-pids: /' /tmp/rl-pids.err

# The files while a sandbox runs (read as soon as the app has printed, while it sleeps);
# the app reads its own cgroup first (the host's cgroup namespace kept: the full path).
as_user 30 /deleg/shell $W run --rootfs $R --cgroup-parent /deleg --share cgroup --memory 48m \
        --pids-limit 16 --cpus 0.5 -- /bin/sh -c 'cat /proc/self/cgroup; sleep 2' \
        >/tmp/rl-run.out 2>/tmp/rl-run.err &
bg=$!
i=0
while [ ! -s /tmp/rl-run.out ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
done
cg=$(ls -d $D/ward-* 2>/dev/null | head -n 1)
echo "RESULT rl-cgroup-name ${cg##*/}"
echo "RESULT rl-limits $(cat $cg/memory.max $cg/pids.max $cg/cpu.max 2>&1 | tr '\n' ' ')"
echo "RESULT rl-owner $(stat -c %u $cg $cg/memory.max 2>&1 | tr '\n' ' ')"
echo "RESULT rl-subtree-control $(cat $D/cgroup.subtree_control)"
wait $bg
echo "RESULT rl-run-rc $?"
echo "RESULT rl-app-cgroup $(head -n 1 /tmp/rl-run.out | sed "s|${cg#$CG}\$|/deleg/ward-MONITOR|")"
sed 's/^/GUEST rl-run: /' /tmp/rl-run.err

left=$(cd $D && for f in *; do [ -d "$f" ] && [ "$f" != shell ] && echo "$f"; done | tr '\n' ' ')
echo "RESULT rl-leftover ${left:-none}"

# A parent the user does not own: /ward, made by root's runs above, and the default.
as_user 30 /deleg/shell $W run --rootfs $R --cgroup-parent /ward --memory 32m -- \
        /bin/true >/tmp/rl-own.out 2>/tmp/rl-own.err
echo "RESULT rl-notowned-rc $?"
echo "RESULT rl-notowned-stderr $(one_line /tmp/rl-own.err)"
as_user 30 /deleg/shell $W run --rootfs $R --memory 32m -- /bin/true \
        >/tmp/rl-def.out 2>/tmp/rl-def.err
echo "RESULT rl-default-rc $?"
echo "RESULT rl-default-stderr $(one_line /tmp/rl-def.err)"

# A subtree below a cgroup that passes on pids but not memory: --memory fails closed.
mkdir $CG/mid $CG/mid/deleg2
echo "+pids" >$CG/mid/cgroup.subtree_control
chown $U:$U $CG/mid/deleg2 $CG/mid/deleg2/cgroup.procs $CG/mid/deleg2/cgroup.threads \
        $CG/mid/deleg2/cgroup.subtree_control
as_user 30 /deleg/shell $W run --rootfs $R --cgroup-parent /mid/deleg2 --memory 32m -- \
        /bin/true >/tmp/rl-nomem.out 2>/tmp/rl-nomem.err
echo "RESULT rl-nomem-rc $?"
echo "RESULT rl-nomem-stderr $(one_line /tmp/rl-nomem.err)"
left=$(ls $CG/mid/deleg2 | grep '^ward-' | tr '\n' ' ')
echo "RESULT rl-nomem-leftover ${left:-none}"
