#!/bin/bash
# The guest side of test_systemd_vm.sh: run by the unit ward-vmtest.service in a Debian guest
# booted with systemd. Prints "RESULT NAME VALUE" lines on the console for the host to grep,
# then powers off. Every wait is bounded so that a hang still reaches "RESULT done".
exec >/dev/console 2>&1
export SYSTEMD_PAGER= SYSTEMD_COLORS=0

say() { echo "RESULT $*"; }
prop() { systemctl show -p "$2" --value "$1"; }
journal() { journalctl -q -o cat -u "$1" --no-pager 2>/dev/null; }
# wait_state UNIT STATE SECONDS
wait_state() {
        local i
        for ((i = 0; i < $3 * 10; i++)); do
                [ "$(systemctl is-active "$1")" = "$2" ] && return 0
                sleep 0.1
        done
        return 1
}

say uptime-start "$(cut -d' ' -f1 /proc/uptime)"
say controllers "$(cat /sys/fs/cgroup/cgroup.controllers)"

# Type=notify: the app sleeps 3 s and then sends READY=1; until then the unit is
# "activating", after it "active".
systemctl start --no-block ward-notify.service
sleep 1.5
say notify-before-ready "$(systemctl is-active ward-notify.service)"
wait_state ward-notify.service active 90
say notify-after-ready "$(systemctl is-active ward-notify.service)"
main=$(prop ward-notify.service MainPID)
say notify-mainpid-comm "$(cat /proc/"$main"/comm 2>&1)"
unit_cg=/sys/fs/cgroup$(prop ward-notify.service ControlGroup)
say notify-monitor-cgroup "$(sed -n 's/^0:://p' /proc/"$main"/cgroup | sed "s|^$(prop ward-notify.service ControlGroup)|UNIT|")"
say notify-unit-children "$(cd "$unit_cg" && ls -d */ 2>/dev/null | tr -d / | tr '\n' ' ')"
app=""
for p in $(cat "$unit_cg"/payload/cgroup.procs 2>/dev/null); do
        [ "$(cat /proc/"$p"/comm 2>/dev/null)" = ward-probe ] && app=$p
done
say notify-app-in-payload "${app:+yes}"
say notify-payload-memory-max "$(cat "$unit_cg"/payload/memory.max 2>&1)"
say notify-subtree-control "$(cat "$unit_cg"/cgroup.subtree_control 2>&1)"
say notify-app-says "$(journal ward-notify.service | grep -m1 '^notify=')"
say notify-status "$(prop ward-notify.service StatusText)"
# systemd makes "/" shared: none of the sandbox's mounts may propagate back to the host.
say notify-host-mounts-under-sandbox "$(grep -c ' /srv/sandbox' /proc/self/mountinfo)"

# systemctl stop: SIGTERM reaches the app (it prints "got SIGTERM" and exits 42, which the
# unit counts as success), well within the stop timeout.
t0=$(date +%s%N)
timeout 60 systemctl stop ward-notify.service
t1=$(date +%s%N)
say stop-ms $(((t1 - t0) / 1000000))
say stop-state "$(systemctl is-active ward-notify.service)"
say stop-result "$(prop ward-notify.service Result)"
# ExecStopPost= saw it (the inactive unit itself may be unloaded, properties and all).
say stop-exit-status "$(cat /run/ward-notify.stopped 2>&1)"
say stop-app-got-term "$(journal ward-notify.service | grep -c '^got SIGTERM')"
say stop-cgroup-gone "$([ -e "$unit_cg" ] && echo present || echo gone)"
journal ward-notify.service | sed 's/^/GUEST notify: /'

# WatchdogSec=3: still active 7 s later only if the pings reach systemd.
timeout 60 systemctl start ward-watchdog.service
s1=$(systemctl is-active ward-watchdog.service)
sleep 7
say watchdog-state "$s1 $(systemctl is-active ward-watchdog.service)"
say watchdog-app-says "$(journal ward-watchdog.service | grep -m1 '^watchdog_usec=\|WATCHDOG')"
timeout 60 systemctl stop ward-watchdog.service
journal ward-watchdog.service | sed 's/^/GUEST watchdog: /'

# The app's exit status is the unit's.
timeout 60 systemctl start ward-exit3.service
say exit3-status "$(prop ward-exit3.service ExecMainStatus)"
say exit3-result "$(prop ward-exit3.service Result)"

# A signal death is the unit's: ward dies of the app's signal (systemd reads SIGSEGV, as
# Restart=on-abnormal needs), not exit 139.
timeout 60 systemctl start ward-segv.service
sleep 1
say segv-code "$(prop ward-segv.service ExecMainCode) $(prop ward-segv.service ExecMainStatus)"
say segv-result "$(prop ward-segv.service Result)"
journal ward-segv.service | sed 's/^/GUEST segv: /'

# Restart=on-abnormal restarts a unit whose app crashed: ward died of SIGSEGV, as it did.
timeout 60 systemctl start ward-segv-restart.service
sleep 3
say segv-restarts "$(prop ward-segv-restart.service NRestarts)"
timeout 60 systemctl stop ward-segv-restart.service

# The shipped web-notify unit with a typo in ward's options: ward exits 125 and
# RestartPreventExitStatus=125 keeps systemd from retrying; the same unit without that line
# is retried (the control).
for u in ward-example-web-typo ward-example-web-typo-retry; do
        timeout 60 systemctl start "$u.service"
        sleep 3
        say "$u" "$(prop "$u.service" ExecMainStatus) $(prop "$u.service" NRestarts)"
        timeout 60 systemctl stop "$u.service"
        systemctl reset-failed "$u.service" 2>/dev/null
done

# systemctl reload (SIGHUP): still active 3 s later (--stop-timeout 1s); then a stop by
# SIGTERM, which the app does not catch, leaves the unit inactive, not failed with 143.
timeout 60 systemctl start ward-reload.service
wait_state ward-reload.service active 30
sleep 1
timeout 30 systemctl reload ward-reload.service
sleep 3
say reload-state "$(systemctl is-active ward-reload.service)"
say reload-app-says "$(journal ward-reload.service | grep -c '^reloaded')"
timeout 60 systemctl stop ward-reload.service
say reload-stop-state "$(systemctl is-active ward-reload.service)"
journal ward-reload.service | sed 's/^/GUEST reload: /'

# ward run from a shell that stays in the unit's cgroup.
timeout 60 systemctl start ward-shell.service
sh_out=$(journal ward-shell.service)
say shell-rc "$(sed -n 's/^shell-rc=\([0-9]*\) .*/\1/p' <<<"$sh_out")"
say shell-cgroup "$(sed -n 's/^.*shell-cgroup=//p' <<<"$sh_out")"
say shell-explain "$(grep -m1 -o 'create the cgroup [^ ]*' <<<"$sh_out")"
sed 's/^/GUEST shell: /' <<<"$sh_out"

# Rootless: the user's systemd --user instance delegates a subtree to a user unit.
ur() { runuser -u wardu -- env XDG_RUNTIME_DIR=/run/user/1000 "$@"; }
timeout 60 systemctl start user@1000.service
ur timeout 60 systemctl --user start ward-user.service
say user-state "$(ur systemctl --user is-active ward-user.service)"
ucg=/sys/fs/cgroup$(ur systemctl --user show -p ControlGroup --value ward-user.service)
say user-children "$(cd "$ucg" && ls -d */ 2>/dev/null | tr -d / | tr '\n' ' ')"
say user-pids-max "$(cat "$ucg"/payload/pids.max 2>&1)"
uapp=""
for p in $(cat "$ucg"/payload/cgroup.procs 2>/dev/null); do
        [ "$(cat /proc/"$p"/comm 2>/dev/null)" = ward-probe ] && uapp=$p
done
say user-app-uid "$(stat -c %u /proc/"$uapp" 2>/dev/null)"
ur timeout 60 systemctl --user stop ward-user.service
say user-stop-state "$(ur systemctl --user is-active ward-user.service)"
journalctl -q -o cat --no-pager _SYSTEMD_USER_UNIT=ward-user.service 2>/dev/null |
        sed 's/^/GUEST user: /'

# Socket activation (examples/systemd/echo.*): the first connection starts the service,
# which serves it on fd 3.
systemctl start ward-example-echo.socket
reply=$(timeout 60 bash -c 'exec 3<>/dev/tcp/127.0.0.1/7777; echo hello >&3; read -r l <&3; echo "$l"')
say echo-reply "$reply"
sleep 1
say echo-app-says "$(journal ward-example-echo.service | grep -m1 '^listen_pid=')"
journal ward-example-echo.service | sed 's/^/GUEST echo: /'

# examples/systemd/web-notify.service: Type=notify, Delegate=yes and limits.
timeout 90 systemctl start ward-example-web-notify.service
say web-state "$(systemctl is-active ward-example-web-notify.service)"
wcg=/sys/fs/cgroup$(prop ward-example-web-notify.service ControlGroup)/payload
say web-limits "cpu.max=$(cat $wcg/cpu.max) memory.max=$(cat $wcg/memory.max) pids.max=$(cat $wcg/pids.max)"
timeout 60 systemctl stop ward-example-web-notify.service
st=$(systemctl is-active ward-example-web-notify.service)
[ "$st" = failed ] && st=inactive # the probe exits 42 on SIGTERM: not a success there
say web-stopped "$st"
journal ward-example-web-notify.service | sed 's/^/GUEST web: /'

say uptime "$(cut -d' ' -f1 /proc/uptime)"
say done
systemctl --no-block poweroff
