#!/bin/busybox sh
# The guest side of test_cgroup_vm.sh: PID 1 of a QEMU guest with a pure cgroup v2 tree.
# Prints "RESULT NAME VALUE" lines on the serial console for the host to grep, then powers
# off. Every test is guarded by a timeout so that a hang still reaches "RESULT done".
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t cgroup2 none /sys/fs/cgroup
# What systemd does at boot: delegate the controllers below the root cgroup.
echo "+cpu +memory +pids" >/sys/fs/cgroup/cgroup.subtree_control
echo; echo "RESULT controllers $(cat /sys/fs/cgroup/cgroup.controllers)"
export WARD_CACHE_DIR=/tmp/ward-cache HOME=/tmp
W=/opt/ward/ward
R=/sandbox

one_line() { tr '\n' ' ' <"$1" | sed 's/ *$//'; }

# No limit asked: ward must not create anything under /sys/fs/cgroup.
timeout 30 $W run --rootfs $R -- /bin/true >/tmp/n.out 2>&1
rc=$?
created=no
[ -e /sys/fs/cgroup/ward ] && created=yes
echo "RESULT nolimit rc=$rc created=$created"
sed 's/^/GUEST nolimit: /' /tmp/n.out

# A memory hog under --memory 32m: OOM-killed, and ward says so.
timeout 60 $W run --rootfs $R --memory 32m -- /bin/ward-probe hog >/tmp/oom.out 2>/tmp/oom.err
echo "RESULT oom-rc $?"
echo "RESULT oom-stderr $(grep 'out of memory' /tmp/oom.err | head -n 1)"
sed 's/^/GUEST oom: /' /tmp/oom.err

# A fork loop under --pids-limit 8: the init and 7 children fit, the rest are refused.
timeout 60 $W run --rootfs $R --pids-limit 8 -- /bin/ward-probe forks 20 >/tmp/pids.out 2>/tmp/pids.err
echo "RESULT pids-rc $?"
echo "RESULT pids-stdout $(one_line /tmp/pids.out)"
echo "RESULT pids-stderr $(grep 'fork refused' /tmp/pids.err | head -n 1)"
sed 's/^/GUEST pids: /' /tmp/pids.err

# The files while a sandbox runs, and whose cgroup the monitor stays in.
$W run --rootfs $R --cpus 0.5 --memory 48m -- /bin/sleep 3 >/tmp/cpu.out 2>&1 &
wpid=$!
sleep 1.5
cg=/sys/fs/cgroup/ward/ward-$wpid
echo "RESULT cpu-max $(cat $cg/cpu.max 2>&1)"
echo "RESULT memory-max $(cat $cg/memory.max 2>&1)"
procs=$(cat $cg/cgroup.procs 2>/dev/null | tr '\n' ' ')
outside=no
[ -n "$procs" ] && ! grep -qx "$wpid" $cg/cgroup.procs && outside=yes
echo "RESULT monitor-outside $outside"
echo "GUEST cgroup.procs: $procs; the monitor: $(cat /proc/$wpid/cgroup)"
wait $wpid
sed 's/^/GUEST cpu: /' /tmp/cpu.out

# cpu.max: a busy loop under --cpus 0.5 gets about half of the (one) CPU; without a limit
# nearly all of it.
timeout 60 $W run --rootfs $R --cpus 0.5 -- /bin/ward-probe burn 4 >/tmp/burn.out 2>&1
echo "RESULT cpu-burn-limited $(grep '^burn' /tmp/burn.out)"
timeout 60 $W run --rootfs $R -- /bin/ward-probe burn 2 >/tmp/burn0.out 2>&1
echo "RESULT cpu-burn-free $(grep '^burn' /tmp/burn0.out)"

# The app's first action reads its own cgroup: with the host's cgroup namespace kept it
# sees the full path, in a cgroup namespace of its own only "/".
timeout 30 $W run --rootfs $R --share cgroup --pids-limit 16 -- /bin/ward-probe cat /proc/self/cgroup \
        >/tmp/cg.out 2>&1 &
cgpid=$!
wait $cgpid
echo "RESULT app-cgroup $(sed 's/^cat \/proc\/self\/cgroup=//' /tmp/cg.out | sed "s/-$cgpid\$/-MONITOR/")"
timeout 30 $W run --rootfs $R --pids-limit 16 -- /bin/ward-probe cat /proc/self/cgroup >/tmp/cg2.out 2>&1
echo "RESULT app-cgroup-ns $(sed 's/^cat \/proc\/self\/cgroup=//' /tmp/cg2.out)"

# A monitor SIGKILLed at a random moment of its life cannot remove its cgroup; the next
# ward removes the cgroups of dead monitors. Counted right after each kill (what the kills
# left: the control, which shows there was something to remove) and at the end.
killed=0
for i in $(seq 1 30); do
        $W run --rootfs $R --pids-limit 16 -- /bin/sleep 5 >/dev/null 2>&1 &
        kpid=$!
        usleep $((RANDOM * 30)) # 0 to 1 s
        kill -KILL $kpid
        wait $kpid 2>/dev/null
        [ -d /sys/fs/cgroup/ward/ward-$kpid ] && killed=$((killed + 1))
done
sleep 1
timeout 30 $W run --rootfs $R --pids-limit 16 -- /bin/true >/tmp/prune.out 2>&1
prc=$?
echo "RESULT sigkill-left-before-next-run $killed"
echo "RESULT sigkill-next-run-rc $prc"
sed 's/^/GUEST prune: /' /tmp/prune.out

left=$(ls /sys/fs/cgroup/ward 2>/dev/null | grep '^ward-' | tr '\n' ' ')
echo "RESULT leftover ${left:-none}"

# uid 1000 in a subtree root delegated to it by hand.
sh /opt/guest-rootless.sh
echo "RESULT uptime $(cut -d' ' -f1 /proc/uptime)"
echo "RESULT done"
poweroff -f
