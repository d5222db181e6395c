#!/usr/bin/env bash
# ward doctor: its verdicts agree with what ward run does, on this host and on hosts made
# to lack one feature (a chroot, no CAP_SYS_RESOURCE with a low hard limit, a /run others
# may write, vm.memfd_noexec=2). Each of those has its control: the normal host gives the
# other status, and ward run there succeeds.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_tools "jq" jq

R=$WORK/rootfs
make_rootfs "$R"

# status FEATURE [TEXT]: the status column of FEATURE's line in doctor's text output.
status() {
        awk -v f="$1" '$1 == f { print $2; exit }' <<<"${2-$OUT}"
}

# doctor_in DESCRIPTION CMD...: run CMD (which execs ward doctor), keep its output.
doctor_in() {
        run_cmd "$@"
        T_RUNS=$((T_RUNS + 1))
}

# -- options -----------------------------------------------------------------------------
run_cmd "$WARD" doctor --help
assert_eq "--help: exit 0" 0 "$RC"
assert_contains "--help: the usage" "$OUT" "Usage: ward doctor [--format text|json]"
run_cmd "$WARD" doctor --format xml
assert_eq "--format xml: exit 125" 125 "$RC"
assert_contains "--format xml: names the flag and the choices" "$ERR" "use text or json"
run_cmd "$WARD" doctor --bogus
assert_eq "unknown option: exit 125" 125 "$RC"

# -- this host ---------------------------------------------------------------------------
doctor_in "$WARD" doctor
HOST=$OUT
HOST_RC=$RC
wrun --rootfs "$R" -- /bin/true
RUN_RC=$RC
if [ "$RUN_RC" = 0 ]; then
        assert_eq "host: ward run works, doctor exits 0" 0 "$HOST_RC"
        assert_eq "host: namespaces ok" ok "$(status namespaces "$HOST")"
        assert_match "host: the last line says the default profile runs" "$HOST" \
                "can run the default profile here"$
else
        assert_eq "host: ward run fails ($RUN_RC), doctor exits 1" 1 "$HOST_RC"
fi
for f in chroot namespaces seccomp init memfd rlimits mounts run-dir cgroup-v2 landlock \
        ia32-emulation hook-log; do
        assert_match "host: a verdict for $f" "$(status "$f" "$HOST")" \
                '^(ok|degraded|missing|unknown)$'
done

# cgroup v2: doctor's verdict is run's (reading only: run is asked for a limit only where
# doctor says it would be refused, so no cgroup is ever created here).
if [ "$(status cgroup-v2 "$HOST")" = missing ]; then
        wrun --memory 64m --rootfs "$R" -- /bin/true
        assert_eq "cgroup-v2 missing: ward run --memory 64m is refused" 125 "$RC"
        why=$(awk '$1 == "cgroup-v2" { $1 = ""; $2 = ""; print; exit }' <<<"$HOST")
        reason=${why#*refused: }
        reason=${reason% (missing:*}
        assert_contains "cgroup-v2 missing: run gives the reason doctor gives" "$ERR" \
                "$reason"
        assert_eq "cgroup-v2 missing: the default profile still runs" 0 "$RUN_RC"
        if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
                assert_contains "/sys/fs/cgroup is no cgroup2 mount: doctor names the layout" \
                        "$why" "cgroup v1 or a hybrid layout"
        fi
else
        skip "cgroup-v2 missing vs ward run --memory" \
                "this host has cgroup v2 (a run would create a cgroup)"
fi

# IA32 emulation: where doctor is sure it is missing, an unfiltered int 0x80 (the probe, in a
# sandbox without seccomp) must fail; where it cannot tell, it says unknown, not ok.
ia32=$(status ia32-emulation "$HOST")
assert_ne "ia32-emulation: never claimed without an int 0x80" ok "$ia32"
if [ "$ia32" = missing ]; then
        ia32_check "$R"
        assert_eq "ia32-emulation missing: int 0x80 fails unfiltered" no "$IA32"
else
        skip "ia32-emulation missing vs int 0x80" "doctor cannot tell on this host ($ia32)"
fi

# json: parses, and says what the text says.
doctor_in "$WARD" doctor --format json
assert_eq "json: the same exit status" "$HOST_RC" "$RC"
if jq -e 'type == "array" and length > 0 and all(.[]; has("feature") and has("status")
        and has("why") and has("fix"))' <<<"$OUT" >/dev/null; then
        ok "json: an array of {feature, status, why, fix}"
else
        fail "json: an array of {feature, status, why, fix}"
fi
text_pairs=$(awk 'NF && $1 !~ /^fix:/ && /^[a-z]/ && $2 ~ /^(ok|degraded|missing|unknown)$/ \
        { print $1, $2 }' <<<"$HOST")
json_pairs=$(jq -r '.[] | "\(.feature) \(.status)"' <<<"$OUT")
assert_eq "json: the same verdicts as the text" "$text_pairs" "$json_pairs"

# -- hosts that lack a feature (root: namespaces, setpriv, mounts, sysctls) -------------
if [ "$(id -u)" != 0 ] || [ "$RUN_RC" != 0 ]; then
        skip "hosts that lack a feature" "needs root, and a host where ward run works"
        finish
fi

# A chroot: the kernel refuses a new user namespace even to root.
C=$WORK/chroot
mkdir -p "$C/w" "$C/proc" && cp -a "$R/." "$C/" && cp "$WARD" "$WARD_INIT" "$C/w/"
for lib in $(ldd "$WARD" | awk '/=> \// {print $3} /^\t\/lib/ {print $1}'); do
        mkdir -p "$C$(dirname "$lib")" && cp -L "$lib" "$C$lib"
done
in_chroot='mount -t proc proc "$1/proc" && chroot "$1" /w/ward "${@:2}"'
doctor_in unshare -m bash -c "$in_chroot" sh "$C" doctor
assert_eq "chroot: doctor exits 1" 1 "$RC"
assert_eq "chroot: namespaces missing" missing "$(status namespaces)"
assert_eq "chroot: the chroot is named" missing "$(status chroot)"
assert_match "chroot: the fix says to leave the chroot" "$OUT" \
        "fix: ward runs in a chroot.*run it outside the chroot"
CHROOT_TEXT=$OUT
doctor_in unshare -m bash -c "$in_chroot" sh "$C" doctor --format json
assert_eq "chroot json: namespaces missing" missing \
        "$(jq -r '.[] | select(.feature == "namespaces") | .status' <<<"$OUT")"
run_cmd unshare -m bash -c "$in_chroot" sh "$C" run --rootfs / -- /bin/true
T_RUNS=$((T_RUNS + 1))
assert_eq "chroot: ward run fails too (125)" 125 "$RC"
assert_contains "chroot: run's fix is doctor's" "$CHROOT_TEXT" \
        "$(sed -n 's/^ward:   fix: //p' <<<"$ERR" | head -n 1)"
assert_eq "control: no chroot on the host" ok "$(status chroot "$HOST")"

# Root without CAP_SYS_RESOURCE and a hard limit of 256 files: LimitNOFILE=1024 cannot be set.
if command -v setpriv >/dev/null; then
        no_res=(setpriv --bounding-set -sys_resource --inh-caps=-all --)
        doctor_in "${no_res[@]}" bash -c 'ulimit -n 256; exec "$0" doctor' "$WARD"
        assert_eq "hard limit 256, no CAP_SYS_RESOURCE: doctor exits 1" 1 "$RC"
        assert_eq "hard limit 256, no CAP_SYS_RESOURCE: rlimits missing" missing \
                "$(status rlimits)"
        assert_match "hard limit 256: the fix names CAP_SYS_RESOURCE" "$OUT" \
                "fix: .*CAP_SYS_RESOURCE"
        run_cmd "${no_res[@]}" bash -c 'ulimit -n 256; exec "$0" run --rootfs "$1" -- /bin/true' \
                "$WARD" "$R"
        T_RUNS=$((T_RUNS + 1))
        assert_eq "hard limit 256: ward run fails too (125)" 125 "$RC"
        assert_contains "hard limit 256: run names the key doctor names" "$ERR" "LimitNOFILE"
        doctor_in "${no_res[@]}" bash -c 'exec "$0" doctor' "$WARD"
        assert_eq "control: no CAP_SYS_RESOURCE, hard limit $(ulimit -Hn): rlimits ok" ok \
                "$(status rlimits)"
else
        skip "rlimits verdict" "setpriv is not installed (apt-get install util-linux)"
fi

# /run writable by others (a tmpfs of mode 1777 over it): the id-range leases are refused.
doctor_in unshare -m bash -c 'mount -t tmpfs -o mode=1777 tmpfs /run && exec "$0" doctor' \
        "$WARD"
assert_eq "/run mode 1777: doctor exits 1" 1 "$RC"
assert_eq "/run mode 1777: run-dir missing" missing "$(status run-dir)"
assert_match "/run mode 1777: the fix is chmod go-w /run" "$OUT" "fix: .*chmod go-w /run"
run_cmd unshare -m bash -c \
        'mount -t tmpfs -o mode=1777 tmpfs /run && exec "$0" run --rootfs "$1" -- /bin/true' \
        "$WARD" "$R"
T_RUNS=$((T_RUNS + 1))
assert_eq "/run mode 1777: ward run fails too (125)" 125 "$RC"
assert_contains "/run mode 1777: run says what doctor says" "$ERR" "writable by group or others"
doctor_in unshare -m bash -c 'mount -t tmpfs -o mode=0755 tmpfs /run && exec "$0" doctor' \
        "$WARD"
assert_eq "control: an empty /run of mode 0755: run-dir ok" ok "$(status run-dir)"
assert_eq "control: an empty /run of mode 0755: doctor exits 0" 0 "$RC"

# Root of a user namespace of its own (a rootless container): uid 0, but the monitor
# cannot clone the host's mounts; and with user.max_user_namespaces=0 there, no sandbox
# namespaces either.
doctor_in unshare -U -r "$WARD" doctor
assert_eq "user namespace: doctor exits 1" 1 "$RC"
assert_eq "user namespace: mounts missing" missing "$(status mounts)"
assert_eq "user namespace: namespaces still ok" ok "$(status namespaces)"
run_cmd unshare -U -r "$WARD" run --rootfs "$R" -- /bin/true
T_RUNS=$((T_RUNS + 1))
assert_eq "user namespace: ward run fails too (125)" 125 "$RC"
assert_contains "user namespace: run fails where doctor says" "$ERR" "cannot clone the root"
assert_eq "control: the host's mounts verdict is ok" ok "$(status mounts "$HOST")"
doctor_in unshare -U -r bash -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$0" doctor' \
        "$WARD"
assert_eq "max_user_namespaces=0: namespaces missing" missing "$(status namespaces)"
assert_match "max_user_namespaces=0: the fix names the sysctl that is 0" "$OUT" \
        "fix: user\\.max_user_namespaces is 0: sysctl -w user\\.max_user_namespaces="

# Inside a container whose seccomp filter refuses new namespaces: ward's own sandbox, with
# the host's / as its root so that ward is there, and no tmpfs over /tmp (a checkout or
# build under /tmp must stay visible). (A sanitized ward's leak check cannot run in a
# sandbox: it would turn any exit status into 1.)
printf '[Profile]\nInclude=default\n[Filesystem]\nTmpfs=\n' >"$WORK/no-tmpfs.profile"
nested=("$WARD" run --profile "$WORK/no-tmpfs.profile" -e ASAN_OPTIONS=detect_leaks=0 --rootfs / --)
doctor_in "${nested[@]}" "$WARD" doctor
assert_eq "in a ward sandbox: doctor exits 1" 1 "$RC"
assert_eq "in a ward sandbox: namespaces missing" missing "$(status namespaces)"
assert_match "in a ward sandbox: the fix names the seccomp filter" "$OUT" \
        "namespaces +missing .*"$'\n'" +fix: .*seccomp filter"
run_cmd "${nested[@]}" "$WARD" run --rootfs / -- /bin/true
T_RUNS=$((T_RUNS + 2))
assert_eq "in a ward sandbox: ward run fails too (125)" 125 "$RC"

# Rootless (nobody, no groups): doctor speaks for the caller, as ward run acts for it. The
# host's / as the root: $WORK is not nobody's to enter.
if command -v setpriv >/dev/null; then
        as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
        doctor_in "${as_nobody[@]}" "$WARD" doctor
        NOBODY=$OUT
        NOBODY_RC=$RC
        wrun_rc=$(
                run_cmd "${as_nobody[@]}" "$WARD" run --rootfs / -- /bin/true
                echo "$RC"
        )
        T_RUNS=$((T_RUNS + 1))
        assert_eq "rootless: doctor's exit status agrees with ward run's ($wrun_rc)" \
                "$([ "$wrun_rc" = 0 ] && echo 0 || echo 1)" "$NOBODY_RC"
        assert_eq "rootless: memfd degraded (only host root sets vm.memfd_noexec)" degraded \
                "$(status memfd "$NOBODY")"
        assert_match "rootless: run-dir not used" "$NOBODY" "run-dir +ok +not used: rootless"
fi

# vm.memfd_noexec=2 in ward's own pid namespace: no executable memfd for the init's copy.
if [ -e /proc/sys/vm/memfd_noexec ]; then
        noexec='echo 2 >/proc/sys/vm/memfd_noexec && exec "$0" "$@"'
        doctor_in unshare -fp --mount-proc bash -c "$noexec" "$WARD" doctor
        assert_eq "memfd_noexec=2: doctor exits 1" 1 "$RC"
        assert_eq "memfd_noexec=2: memfd missing" missing "$(status memfd)"
        assert_match "memfd_noexec=2: the fix names the sysctl" "$OUT" "fix: .*vm.memfd_noexec"
        run_cmd unshare -fp --mount-proc bash -c "$noexec" "$WARD" run --rootfs "$R" -- /bin/true
        T_RUNS=$((T_RUNS + 1))
        assert_eq "memfd_noexec=2: ward run fails too (125)" 125 "$RC"
        assert_contains "memfd_noexec=2: run names the sysctl" "$ERR" "vm.memfd_noexec=2"
        doctor_in unshare -fp --mount-proc "$WARD" doctor
        assert_eq "control: a new pid namespace alone: memfd ok" ok "$(status memfd)"
        assert_eq "control: the host's memfd verdict is ok" ok "$(status memfd "$HOST")"
else
        skip "memfd verdict" "the kernel has no vm.memfd_noexec (Linux 6.3+)"
fi

finish
