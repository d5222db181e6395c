#!/bin/busybox sh
# The guest side of test_doctor_vm.sh: PID 1 of a QEMU guest with a pure cgroup v2 tree.
# ward.case=full (the kernel's own lsm=) or ward.case=nolandlock (lsm= without landlock) on
# the kernel command line says which host this guest plays. Prints "RESULT NAME VALUE"
# lines on the serial console (doctor's JSON on one line), then powers off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t cgroup2 none /sys/fs/cgroup
mount -t securityfs none /sys/kernel/security
# What systemd does at boot: enable the controllers below the root cgroup.
echo "+cpu +memory +pids" >/sys/fs/cgroup/cgroup.subtree_control
export WARD_CACHE_DIR=/tmp/ward-cache HOME=/tmp
W=/opt/ward/ward
R=/sandbox
U=1000
CASE=$(sed -n 's/.*ward\.case=\([a-z]*\).*/\1/p' /proc/cmdline)
echo
echo "RESULT case $CASE"
echo "RESULT lsm $(cat /sys/kernel/security/lsm 2>/dev/null || echo unreadable)"

one_line() { tr '\n' ' ' <"$1" | sed 's/ *$//'; }

# doctor NAME [AS_USER]: ward doctor --format json, its exit status and its JSON.
doctor() {
        if [ -n "${2:-}" ]; then
                as_user 60 $W doctor --format json >/tmp/d.out 2>/tmp/d.err
        else
                timeout 60 $W doctor --format json >/tmp/d.out 2>/tmp/d.err
        fi
        echo "RESULT $1-rc $?"
        echo "RESULT $1-json $(one_line /tmp/d.out)"
        sed "s/^/GUEST $1 stderr: /" /tmp/d.err
}

# run NAME [AS_USER] ARGS...: ward run ARGS, its exit status and the first line of stderr.
run() {
        name=$1
        shift
        if [ "$1" = user ]; then
                shift
                as_user 60 $W run "$@" >/tmp/r.out 2>/tmp/r.err
        else
                timeout 60 $W run "$@" >/tmp/r.out 2>/tmp/r.err
        fi
        echo "RESULT $name-rc $?"
        echo "RESULT $name-stderr $(one_line /tmp/r.err)"
}

as_user() {
        secs=$1
        shift
        timeout "$secs" /usr/bin/setpriv --reuid=$U --regid=$U --clear-groups -- \
                env -i PATH=/bin:/usr/bin HOME=/tmp/u WARD_CACHE_DIR=/tmp/u/cache "$@"
}

# Unprivileged user namespaces on (a Debian kernel has a switch of its own).
[ -w /proc/sys/kernel/unprivileged_userns_clone ] &&
        echo 1 >/proc/sys/kernel/unprivileged_userns_clone
mkdir -p /tmp/u && chown $U:$U /tmp/u
# A profile that asks for Landlock (=yes: refused where the kernel has none).
mkdir -p /opt/prof && cat >/opt/prof/landlock.profile <<'EOF'
[Profile]
Include=default
[Landlock]
Landlock=yes
ReadOnly=/bin
Execute=/bin/ward-probe
EOF

doctor root
# Root on a pure cgroup v2 host: limits apply.
run root-memory --rootfs $R --memory 32m --pids-limit 16 -- /bin/ward-probe exit 0
run root-landlock --profile /opt/prof/landlock.profile --rootfs $R -- /bin/ward-probe exit 0

if [ "$CASE" = full ]; then
        # A normal user: namespaces work; cgroup limits do not (nothing is delegated).
        doctor user-on user
        run user-on-run user --rootfs $R -- /bin/ward-probe exit 0
        run user-memory user --rootfs $R --memory 32m -- /bin/ward-probe exit 0
        # Unprivileged user namespaces off.
        echo 0 >/proc/sys/user/max_user_namespaces
        echo "RESULT max-user-namespaces $(cat /proc/sys/user/max_user_namespaces)"
        doctor user-off user
        run user-off-run user --rootfs $R -- /bin/ward-probe exit 0
fi

echo "RESULT done"
poweroff -f
