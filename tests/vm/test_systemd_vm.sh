#!/usr/bin/env bash
# ward as a systemd unit, in a real systemd: boots a Debian bookworm guest (debootstrap
# minbase + systemd) under QEMU/TCG with the Debian kernel and initrd, and runs ward from
# units there: Type=notify + Delegate=yes (READY=1 relayed, sandbox in the unit's payload/
# cgroup, systemctl stop reaches the app, exit status kept), an app exiting 3, and a
# socket-activated service. Recipe and timings: ../shared/vm/README.md.
#
# The debootstrap tree is cached in $WARD_BUILD_DIR/vm-cache (about 30 s to build, once per
# build directory; CI starts from a clean clone and so builds it fresh). Needs root and the
# Debian archive (WARD_VM_MIRROR=URL for another mirror; WARD_VM_CACHE=DIR for another
# cache). Exit 77 (skip) when a tool is missing:
# apt-get install debootstrap e2fsprogs qemu-system-x86 linux-image-amd64
set -u

skip_all() {
        echo "1..0 # SKIP $1"
        exit 77
}

command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86_64 is not installed"
command -v debootstrap >/dev/null || skip_all "debootstrap is not installed"
command -v mkfs.ext4 >/dev/null || skip_all "mkfs.ext4 (e2fsprogs) is not installed"
[ "$(id -u)" = 0 ] || skip_all "debootstrap and mkfs.ext4 -d need root"
KERNEL=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1)
[ -n "$KERNEL" ] && [ -r "$KERNEL" ] || skip_all "no /boot/vmlinuz-*-amd64 (linux-image-amd64)"
INITRD=/boot/initrd.img-${KERNEL#/boot/vmlinuz-}
[ -r "$INITRD" ] || skip_all "no $INITRD (update-initramfs)"

. "$(dirname "$0")/../integration/lib.sh"

VM_TIMEOUT=${VM_TIMEOUT:-240}
CACHE=${WARD_VM_CACHE:-$WARD_BUILD_DIR/vm-cache}
# dbus: logind and user@.service (the rootless test's systemd --user) need the system bus.
PACKAGES=systemd,systemd-sysv,udev,dbus
S=$CACHE/bookworm-systemd
LOG=$WORK/console.log
W=/opt/ward/bin/ward

# The Debian root, built once per cache directory.
build_sysroot() {
        local start=$SECONDS
        [ "$(cat "$S/.ward-complete" 2>/dev/null)" = "$PACKAGES" ] && return 0
        rm -rf "$S" "$S.tmp"
        mkdir -p "$CACHE" || exit 1
        # debootstrap mounts /proc and /sys in the target: in a mount namespace of its own,
        # so that an interrupted run leaves nothing mounted on the host.
        if ! unshare --mount --propagation private \
                debootstrap --variant=minbase --include="$PACKAGES" bookworm \
                "$S.tmp" ${WARD_VM_MIRROR:-} >"$WORK/debootstrap.log" 2>&1; then
                LAST_CMD="debootstrap --variant=minbase --include=$PACKAGES bookworm"
                RC=1 OUT=$(tail -n 30 "$WORK/debootstrap.log") ERR=""
                fail "debootstrap built the guest's root" "see the log's end below"
                rm -rf "$S.tmp"
                finish
        fi
        mv "$S.tmp" "$S" && echo "$PACKAGES" >"$S/.ward-complete" || exit 1
        echo "# debootstrap: $((SECONDS - start))s"
}

# unit NAME: the unit file from stdin.
unit() {
        cat >"$S/etc/systemd/system/$1" || exit 1
}

# example NAME: examples/systemd/NAME(.in) as the build configured it, as ward-example-NAME,
# run against the guest's ward, sandbox and probe.
example() {
        sed -e "s|^ExecStart=/[^ ]*/ward |ExecStart=$W |" -e 's|--rootfs /srv/[a-z]*|--rootfs /srv/sandbox|' \
                -e 's|/usr/bin/echo-server|/bin/ward-probe listen-echo|' \
                -e 's|/usr/sbin/web-server --foreground|/bin/ward-probe notify READY=1 sleep-trap|' \
                -e 's|echo\.socket|ward-example-echo.socket|' \
                "$WARD_BUILD_DIR/examples/systemd/$1" | unit "ward-example-$1"
}

# What this test adds to the cached root; removed and rewritten on every run.
install_ward() {
        local lib
        rm -rf "$S/opt/ward" "$S/srv/sandbox" "$S"/etc/systemd/system/ward-* \
                "$S"/etc/systemd/user/ward-* "$S/etc/systemd/system/user@1000.service.d" \
                "$S"/etc/systemd/system/sockets.target.wants/ward-* \
                "$S"/etc/systemd/system/multi-user.target.wants/ward-*
        mkdir -p "$S/opt/ward/bin" "$S/opt/ward/share/ward/profiles" || exit 1
        cp "$WARD" "$S/opt/ward/bin/ward" && cp "$WARD_INIT" "$S/opt/ward/bin/ward-init" || exit 1
        cp "$WARD_SOURCE_DIR"/profiles/*.profile "$S/opt/ward/share/ward/profiles/" || exit 1
        # Shared libraries the guest's Debian lacks (minbase has no libmnl, libjansson).
        for lib in $(ldd "$WARD" | awk '$2 == "=>" && $3 ~ /^\// {print $3}'); do
                [ -e "$S$lib" ] || cp -L "$lib" "$S$lib" || exit 1
        done
        cp "$(dirname "$0")/guest-systemd.sh" "$S/opt/ward/guest-systemd.sh" || exit 1
        chmod 755 "$S/opt/ward/guest-systemd.sh"
        make_rootfs "$S/srv/sandbox"
        echo wardvm >"$S/etc/hostname"
        # An unprivileged user whose systemd --user instance runs ward rootless.
        if ! grep -q '^wardu:' "$S/etc/passwd"; then
                echo 'wardu:x:1000:1000:ward test:/home/wardu:/bin/sh' >>"$S/etc/passwd"
                echo 'wardu:x:1000:' >>"$S/etc/group"
                echo 'wardu:!:19000:0:99999:7:::' >>"$S/etc/shadow"
        fi
        mkdir -p "$S/home/wardu" && chown 1000:1000 "$S/home/wardu" || exit 1
        write_units
}

write_units() {
        unit ward-notify.service <<EOF
[Unit]
Description=ward test: Type=notify with Delegate=yes
[Service]
Type=notify
Delegate=yes
KillMode=mixed
TimeoutStartSec=90
TimeoutStopSec=30
SuccessExitStatus=42
ExecStopPost=/bin/sh -c 'echo "\$SERVICE_RESULT \$EXIT_CODE \$EXIT_STATUS" >/run/ward-notify.stopped'
ExecStart=$W run --rootfs /srv/sandbox --memory 64m -- /bin/sh -c 'sleep 3; exec /bin/ward-probe notify STATUS=probe-ready notify READY=1 sleep-trap'
EOF
        # WatchdogSec=: the app pings every second through the relay, or is killed after 3 s.
        cat >"$S/srv/sandbox/bin/watchdog-app" <<'EOF'
#!/bin/sh
[ -n "$WATCHDOG_USEC" ] || { echo "no WATCHDOG_USEC"; exit 1; }
echo "watchdog_usec=$WATCHDOG_USEC"
/bin/ward-probe notify READY=1
while sleep 1; do /bin/ward-probe notify WATCHDOG=1 >/dev/null; done
EOF
        chmod 755 "$S/srv/sandbox/bin/watchdog-app"
        unit ward-watchdog.service <<EOF
[Unit]
Description=ward test: WatchdogSec= through the relay
[Service]
Type=notify
KillMode=mixed
WatchdogSec=3
ExecStart=$W run --rootfs /srv/sandbox -- /bin/watchdog-app
EOF
        # The app dies of SIGSEGV: as the main process, ward dies of it too (no core). ($$$$:
        # systemd makes $$ of it, the shell its own pid.)
        unit ward-segv.service <<EOF
[Unit]
Description=ward test: the app dies of SIGSEGV
[Service]
Type=exec
ExecStart=$W run --rootfs /srv/sandbox -- /bin/sh -c 'kill -SEGV \$\$\$\$'
EOF
        # ExecReload= sends SIGHUP: the app reloads and keeps running past --stop-timeout;
        # systemctl stop then ends it with SIGTERM, which it does not catch (no 143).
        unit ward-reload.service <<EOF
[Unit]
Description=ward test: a HUP reload
[Service]
Type=exec
ExecReload=/bin/sh -c 'kill -HUP \$MAINPID'
ExecStart=$W run --rootfs /srv/sandbox --stop-timeout 1s -- /bin/sh -c "trap 'echo reloaded' HUP; echo started; while :; do sleep 0.1; done"
EOF
        unit ward-exit3.service <<EOF
[Unit]
Description=ward test: the app exits 3
[Service]
Type=exec
Delegate=yes
ExecStart=$W run --rootfs /srv/sandbox -- /bin/ward-probe exit 3
EOF
        # ward started by a shell that stays: both move to supervisor/.
        cat >"$S/opt/ward/shell-unit.sh" <<EOF
#!/bin/sh
$W run --rootfs /srv/sandbox --pids-limit 16 -- /bin/ward-probe exit 0
echo "shell-rc=\$? shell-cgroup=\$(sed -n 's/^0:://p' /proc/self/cgroup)"
$W explain --rootfs /srv/sandbox --memory 64m -- /bin/true | grep -o 'create the cgroup [^,]*'
EOF
        chmod 755 "$S/opt/ward/shell-unit.sh"
        unit ward-shell.service <<EOF
[Unit]
Description=ward test: ward run from a shell that stays
[Service]
Type=oneshot
Delegate=yes
ExecStart=/opt/ward/shell-unit.sh
EOF
        # What pam_systemd (not in minbase) would set for the user's manager.
        mkdir -p "$S/etc/systemd/user" "$S/etc/systemd/system/user@1000.service.d" || exit 1
        printf '[Service]\nEnvironment=XDG_RUNTIME_DIR=/run/user/1000\n' \
                >"$S/etc/systemd/system/user@1000.service.d/ward-test.conf" || exit 1
        cat >"$S/etc/systemd/user/ward-user.service" <<EOF || exit 1
[Unit]
Description=ward test: rootless, in a user unit with Delegate=yes
[Service]
Type=notify
Delegate=yes
KillMode=mixed
TimeoutStartSec=60
SuccessExitStatus=42
ExecStart=$W run --rootfs /srv/sandbox --pids-limit 16 -- /bin/ward-probe notify READY=1 sleep-trap
EOF
        # The shipped examples, with the guest's paths and the probe as the app.
        example echo.socket
        example echo.service
        example web-notify.service
        # The same with a typo in ward's options, as shipped and without
        # RestartPreventExitStatus=125 (the control).
        local web=$S/etc/systemd/system/ward-example-web-notify.service
        grep -q '^RestartPreventExitStatus=125$' "$web" &&
                sed 's/--memory 256m/--memroy 256m/' "$web" | unit ward-example-web-typo.service &&
                grep -q -- --memroy "$S/etc/systemd/system/ward-example-web-typo.service" || {
                echo "Bail out! web-notify.service: no RestartPreventExitStatus=125 or --memory 256m"
                exit 1
        }
        grep -v '^RestartPreventExitStatus=' "$S/etc/systemd/system/ward-example-web-typo.service" |
                unit ward-example-web-typo-retry.service
        unit ward-segv-restart.service <<EOF
[Unit]
Description=ward test: the app dies of SIGSEGV, Restart=on-abnormal
StartLimitIntervalSec=0
[Service]
Type=exec
Restart=on-abnormal
RestartSec=500ms
ExecStart=$W run --rootfs /srv/sandbox -- /bin/sh -c 'kill -SEGV \$\$\$\$'
EOF
        unit ward-vmtest.service <<EOF
[Unit]
Description=ward test runner
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/opt/ward/guest-systemd.sh
[Install]
WantedBy=multi-user.target
EOF
        mkdir -p "$S/etc/systemd/system/multi-user.target.wants" || exit 1
        ln -sf /etc/systemd/system/ward-vmtest.service \
                "$S/etc/systemd/system/multi-user.target.wants/ward-vmtest.service" || exit 1
}

boot() {
        local start=$SECONDS
        mkfs.ext4 -q -F -d "$S" "$WORK/sys.img" 1G || exit 1
        echo "# mkfs.ext4 -d: $((SECONDS - start))s"
        start=$SECONDS
        timeout -s KILL "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m 1G -smp 1 \
                -nographic -no-reboot -kernel "$KERNEL" -initrd "$INITRD" \
                -drive "file=$WORK/sys.img,if=virtio,format=raw" \
                -append 'root=/dev/vda rw console=ttyS0 quiet panic=-1 systemd.show_status=0' \
                </dev/null >"$LOG" 2>&1
        VM_RC=$?
        VM_SECONDS=$((SECONDS - start))
        tr -d '\r' <"$LOG" >"$LOG.txt"
        cp "$LOG.txt" "$WARD_BUILD_DIR/vm-systemd-console.log" 2>/dev/null
}

result() {
        sed -n "s/^.*RESULT $1 //p" "$LOG.txt" | head -n 1
}

build_sysroot
install_ward
boot
echo "# guest: boot to poweroff in ${VM_SECONDS}s (qemu exit $VM_RC, kernel $(basename "$KERNEL"))"
if ! grep -q 'RESULT done' "$LOG.txt"; then
        LAST_CMD="qemu-system-x86_64 ... (console log follows)"
        RC=$VM_RC OUT=$(tail -n 80 "$LOG.txt") ERR=""
        fail "the guest ran every test and powered off" "no 'RESULT done' on the console"
        finish
fi
ok "the guest booted systemd, ran the tests and powered off (${VM_SECONDS}s)"
grep -E 'RESULT|GUEST' "$LOG.txt" | sed 's/^.*\(RESULT\|GUEST\)/\1/; s/^/#   /'

OUT=$(cat "$LOG.txt") ERR="" RC=$VM_RC LAST_CMD="guest console"
assert_eq "Type=notify: activating until the app's READY=1" "activating" \
        "$(result notify-before-ready)"
assert_eq "Type=notify: active after the app's READY=1" "active" "$(result notify-after-ready)"
assert_eq "ward is the unit's main PID" "ward" "$(result notify-mainpid-comm)"
assert_eq "Delegate=yes: the monitor moved to the unit's supervisor/ leaf" "UNIT/supervisor" \
        "$(result notify-monitor-cgroup)"
assert_eq "Delegate=yes: the unit's cgroup holds payload/ and supervisor/" \
        "payload supervisor " "$(result notify-unit-children)"
assert_eq "Delegate=yes: the app runs in payload/" "yes" "$(result notify-app-in-payload)"
assert_eq "Delegate=yes: --memory 64m is payload/'s memory.max" "67108864" \
        "$(result notify-payload-memory-max)"
assert_contains "Delegate=yes: memory enabled in the unit's subtree_control" \
        "$(result notify-subtree-control)" "memory"
assert_eq "the app reached the relay at /dev/ward-notify" "notify=OK socket=/dev/ward-notify" \
        "$(result notify-app-says)"
assert_eq "STATUS= from the app reaches systemd" "probe-ready" "$(result notify-status)"
assert_eq "shared / (systemd): no sandbox mount propagates to the host" "0" \
        "$(result notify-host-mounts-under-sandbox)"
assert_eq "systemctl stop: the unit is inactive" "inactive" "$(result stop-state)"
assert_eq "systemctl stop: the unit stopped cleanly" "success" "$(result stop-result)"
assert_eq "systemctl stop: SIGTERM reached the app (it exits 42), ward's status is it" \
        "success exited 42" "$(result stop-exit-status)"
assert_eq "systemctl stop: the app said so once" "1" "$(result stop-app-got-term)"
assert_match "systemctl stop: well within TimeoutStopSec=30" "$(result stop-ms)" \
        '^([0-9]{1,4}|1[0-9]{4})$'
assert_eq "systemctl stop: the unit's cgroup is gone" "gone" "$(result stop-cgroup-gone)"
assert_eq "WatchdogSec=3: the app gets WATCHDOG_USEC" "watchdog_usec=3000000" \
        "$(result watchdog-app-says)"
assert_eq "WatchdogSec=3: the app's WATCHDOG=1 keeps the unit alive past 3 s" \
        "active active" "$(result watchdog-state)"
assert_eq "the app dies of SIGSEGV: so does ward, the unit's main process (code 2 killed, 11)" \
        "2 11" "$(result segv-code)"
assert_eq "the app dies of SIGSEGV: the unit's result is signal" "signal" "$(result segv-result)"
assert_match "Restart=on-abnormal: the SIGSEGV crash is restarted (NRestarts)" \
        "$(result segv-restarts)" '^[1-9][0-9]*$'
assert_eq "examples/systemd/web-notify.service with a typo: ward's 125, not retried" \
        "125 0" "$(result ward-example-web-typo)"
assert_match "control: the same unit without RestartPreventExitStatus=125 is retried" \
        "$(result ward-example-web-typo-retry)" '^125 [1-9][0-9]*$'
assert_eq "systemctl reload (SIGHUP): the unit is still active 3 s later" "active" \
        "$(result reload-state)"
assert_eq "systemctl reload: the app got SIGHUP" "1" "$(result reload-app-says)"
assert_eq "systemctl stop after the reload: inactive (ward died of SIGTERM as the app did)" \
        "inactive" "$(result reload-stop-state)"
assert_eq "the app's exit status 3 is the unit's ExecMainStatus" "3" "$(result exit3-status)"
assert_eq "the app's exit status 3 fails the unit" "exit-code" "$(result exit3-result)"
assert_eq "Delegate=yes, ward run from a shell: ward exits 0" "0" "$(result shell-rc)"
assert_eq "Delegate=yes, ward run from a shell: the shell moved to supervisor/ too" \
        "/system.slice/ward-shell.service/supervisor" "$(result shell-cgroup)"
assert_eq "Delegate=yes: ward explain names the payload cgroup" \
        "create the cgroup /sys/fs/cgroup/system.slice/ward-shell.service/payload" \
        "$(result shell-explain)"
assert_eq "rootless user unit: active after READY=1" "active" "$(result user-state)"
assert_eq "rootless user unit: ward in supervisor/, the app in payload/" \
        "payload supervisor " "$(result user-children)"
assert_eq "rootless user unit: --pids-limit 16 is payload/'s pids.max" "16" \
        "$(result user-pids-max)"
assert_eq "rootless user unit: the sandbox runs as the user on the host" "1000" \
        "$(result user-app-uid)"
assert_eq "rootless user unit: systemctl --user stop stops it" "inactive" \
        "$(result user-stop-state)"
assert_eq "socket activation (examples/systemd/echo.*): the app serves the first connection" \
        "echo: hello" "$(result echo-reply)"
assert_eq "socket activation: LISTEN_PID is the app's pid in the sandbox, the fd named" \
        "listen_pid=2 getpid=2 listen_fds=1 names=echo" "$(result echo-app-says)"
assert_eq "examples/systemd/web-notify.service: active after READY=1" "active" \
        "$(result web-state)"
assert_eq "examples/systemd/web-notify.service: the limits in payload/" \
        "cpu.max=100000 100000 memory.max=268435456 pids.max=128" "$(result web-limits)"
assert_eq "examples/systemd/web-notify.service: stopped by systemctl stop" "inactive" \
        "$(result web-stopped)"
finish
