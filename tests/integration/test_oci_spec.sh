#!/usr/bin/env bash
# `ward spec`: the config.json it prints runs under crun (Debian's), and the probe inside
# sees the same protections as under `ward run` with the same profile: capabilities,
# no_new_privs, seccomp (mode 2 and the same verdicts, syscall by syscall), the read-only
# root, uid/gid/groups, umask and rlimits. The same config.json also runs under
# `ward run --bundle` with the same result (the round trip).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "crun runs a 65536-id bundle only as root"
need_tools "crun jq util-linux" crun jq unshare

R=$WORK/rootfs
make_rootfs "$R"
# crun enters the root as the sandbox's root, host uid 69108864: it must reach the image
# (ward's monitor clones it with its own credentials and needs no such thing).
chmod 755 "$WORK"
P=(/bin/ward-probe "--tag=$TAG" status rlimits seccomp syscalls write /etc/x)
# What must agree between ward and crun. pid/ppid differ on purpose: ward runs its init.
KEYS=(CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp Seccomp_filters Umask uid euid
        gid egid groups ngroups "write /etc/x")
N=0

# crun_run BUNDLE: crun, as bench/startup.sh runs it on this host: in a private mount
# namespace (where a tmpfs hides the v2 part of the hybrid cgroup tree crun refuses), with
# no cgroup manager and its state below $WORK. Its stdin is a pipe, never /dev/null: crun
# (1.8) fchowns its stdio to the container's root, and would give the host's /dev/null to
# uid 2000000; the check after the run proves it did not.
crun_run() {
        local before
        N=$((N + 1))
        T_RUNS=$((T_RUNS + 1))
        snapshot
        before=$(stat -c '%u:%g %a' /dev/null)
        run_cmd unshare --mount --propagation private -- /bin/sh -c '
                [ "$(readlink /proc/self/ns/mnt)" != "$1" ] || exit 99
                if mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
                        mount -t tmpfs -o size=4k,mode=755 ward-it /sys/fs/cgroup/unified || exit 98
                fi
                printf "" | crun --root "$2" --cgroup-manager=disabled run --bundle "$3" "$4"' \
                sh "$(readlink /proc/self/ns/mnt)" "$WORK/crun-state" "$1" "ward-it-$$-$N"
        leftover_check "crun run --bundle $1"
        assert_eq "crun left the host's /dev/null alone" "$before" "$(stat -c '%u:%g %a' /dev/null)"
}

# same_reports NAME: every key of KEYS and every rlimit and syscall line agree.
same_reports() {
        local name=$1 a=$2 b=$3 k
        for k in "${KEYS[@]}"; do
                assert_eq "$name: $k" "$(kv "$k" "$a")" "$(kv "$k" "$b")"
        done
        assert_eq "$name: rlimits" "$(grep '^rlimit\.' <<<"$a")" "$(grep '^rlimit\.' <<<"$b")"
        assert_eq "$name: syscall verdicts" \
                "$(sed -n '/^Seccomp_filters=/,/^write /p' <<<"$a")" \
                "$(sed -n '/^Seccomp_filters=/,/^write /p' <<<"$b")"
}

for profile in default strict; do
        B=$WORK/spec-$profile
        mkdir -p "$B"
        run_cmd "$WARD" spec --profile "$profile" --rootfs "$R" -- "${P[@]}"
        assert_eq "spec $profile: exit 0" 0 "$RC"
        printf '%s\n' "$OUT" >"$B/config.json"
        assert_eq "spec $profile: valid JSON with ociVersion 1.x" 1.0.2 \
                "$(jq -r .ociVersion "$B/config.json")"
        assert_eq "spec $profile: seccomp ENOSYS default, x86_64 only" \
                "SCMP_ACT_ERRNO 38 SCMP_ARCH_X86_64" \
                "$(jq -r '.linux.seccomp | "\(.defaultAction) \(.defaultErrnoRet) \(.architectures|join(","))"' \
                        "$B/config.json")"

        crun_run "$B"
        assert_eq "spec $profile: crun runs it" 0 "$RC"
        CRUN_OUT=$OUT
        assert_eq "spec $profile under crun: seccomp filter mode" 2 "$(kv Seccomp)"
        assert_eq "spec $profile under crun: no capabilities" 0000000000000000 "$(kv CapBnd)"
        assert_eq "spec $profile under crun: no_new_privs" 1 "$(kv NoNewPrivs)"
        assert_eq "spec $profile under crun: read-only root" EROFS "$(kv "write /etc/x")"
        assert_eq "spec $profile under crun: mount refused" EPERM "$(kv mount)"

        wrun --profile "$profile" --rootfs "$R" -- "${P[@]}"
        assert_eq "ward run --profile $profile: exit 0" 0 "$RC"
        same_reports "crun(spec $profile) = ward run --profile $profile" "$CRUN_OUT" "$OUT"

        wrun --bundle "$B"
        assert_eq "ward run --bundle (spec $profile): exit 0" 0 "$RC"
        same_reports "crun(spec $profile) = ward run --bundle" "$CRUN_OUT" "$OUT"
done

# The spec's ids are not a leased sandbox's: without IdMapBase= it maps the range above the
# pool. Before (50db247) it mapped the pool's first range, which a lone `ward run` always
# leases: a container crun started from the spec shared that sandbox's ids, and
# `ward run --bundle` of the spec waited 5 s and failed (EBUSY) while the sandbox ran.
B=$WORK/spec-default
assert_eq "spec: the uid mapping lies above the id pool" "0 69108864 65536" \
        "$(jq -r '.linux.uidMappings[0] | "\(.containerID) \(.hostID) \(.size)"' "$B/config.json")"
"$WARD" run --rootfs "$R" -- /bin/sh -c 'echo up; sleep 30' >"$WORK/holder.out" 2>&1 &
holder=$!
CLEANUP_PIDS="${CLEANUP_PIDS:-} $holder"
wait_for_line "$WORK/holder.out" up 15
holder_init=$(cat /proc/"$holder"/task/"$holder"/children 2>/dev/null)
holder_uid=$(stat -c %u /proc/"${holder_init%% *}" 2>/dev/null)
in_pool=no
[[ $holder_uid =~ ^[0-9]+$ ]] && ((holder_uid >= 2000000 && holder_uid < 69108864)) && in_pool=yes
assert_eq "control: a running sandbox holds a range of the pool (uid $holder_uid)" yes "$in_pool"
mkdir -p "$WORK/spec-ids"
jq --arg tag "--tag=$TAG" '.process.args = ["/bin/ward-probe", $tag, "uidmap"]' \
        "$B/config.json" >"$WORK/spec-ids/config.json"
wrun --bundle "$WORK/spec-ids"
assert_eq "ward run --bundle (spec) beside a running sandbox: exit 0" 0 "$RC"
assert_eq "... with the spec's ids, not the running sandbox's" "0 69108864 65536" "$(kv uid_map)"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
assert_eq "strict under crun: uid 65534" 65534 "$(kv uid "$CRUN_OUT")"
assert_eq "strict under crun: umask 077" 0077 "$(kv Umask "$CRUN_OUT")"
assert_eq "strict under crun: nofile 256" 256:256 "$(kv rlimit.nofile "$CRUN_OUT")"

# Flags reach the spec as they reach run: a kept capability, a writable bind, a tmpfs.
mkdir -p "$WORK/data" "$R/data" "$R/scratch"
chmod 777 "$WORK/data" # the sandbox's root is host uid 69108864
run_cmd "$WARD" spec --rootfs "$R" --cap-add NET_RAW -v "$WORK/data:/data:rw" \
        --tmpfs /scratch:size=1m -- /bin/ward-probe "--tag=$TAG" status write /data/f \
        statfs /scratch
assert_eq "spec with flags: exit 0" 0 "$RC"
mkdir -p "$WORK/flags" && printf '%s\n' "$OUT" >"$WORK/flags/config.json"
crun_run "$WORK/flags"
assert_eq "flags under crun: NET_RAW kept" 0000000000002000 "$(kv CapBnd)"
assert_eq "flags under crun: the rw bind is writable" OK "$(kv "write /data/f")"
assert_eq "flags under crun: the tmpfs" "rw,nosuid,nodev,noexec" "$(kv "flags /scratch")"

# The host's network: no network namespace, and the host's /sys bound read-only.
run_cmd "$WARD" spec --network host --rootfs "$R" -- /bin/ward-probe "--tag=$TAG" net \
        statfs /sys
mkdir -p "$WORK/host-net" && printf '%s\n' "$OUT" >"$WORK/host-net/config.json"
assert_eq "spec --network host: no network namespace" "" \
        "$(jq -r '.linux.namespaces[] | select(.type == "network") | .type' \
                "$WORK/host-net/config.json")"
crun_run "$WORK/host-net"
CRUN_OUT=$OUT
wrun --network host --rootfs "$R" -- /bin/ward-probe "--tag=$TAG" net statfs /sys
assert_eq "--network host: crun and ward see the same interfaces" "$(kv ifaces "$CRUN_OUT")" \
        "$(kv ifaces)"
assert_eq "--network host: the same read-only /sys" "$(kv "flags /sys" "$CRUN_OUT")" \
        "$(kv "flags /sys")"
assert_eq "--network host: /sys read-only" ro,nosuid,nodev,noexec "$(kv "flags /sys")"

# cgroup limits become linux.resources (crun runs here without a cgroup manager, so only
# the document is checked; tests/vm proves the limits themselves).
run_cmd "$WARD" spec --rootfs "$R" --memory 64m --memory-swap 96m --cpus 0.5 \
        --pids-limit 32 -- /bin/true
assert_eq "spec limits: memory, swap (memory+swap), cpu, pids" \
        "67108864 100663296 50000 100000 32" \
        "$(jq -r '.linux.resources | "\(.memory.limit) \(.memory.swap) \(.cpu.quota) \(.cpu.period) \(.pids.limit)"' <<<"$OUT")"

# What the spec cannot say is refused, not dropped.
cat >"$WORK/ll.profile" <<'EOF'
[Landlock]
Landlock=yes
ReadOnly=/
EOF
run_cmd "$WARD" spec --profile "$WORK/ll.profile" --rootfs "$R" -- /bin/true
assert_eq "spec with Landlock=yes: exit 125" 125 "$RC"
assert_contains "spec with Landlock=yes: says why" "$ERR" "no field for Landlock"

run_cmd "$WARD" spec --rootfs "$R"
assert_eq "spec without a command: exit 125" 125 "$RC"

finish
