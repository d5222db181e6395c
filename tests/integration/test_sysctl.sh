#!/usr/bin/env bash
# [Namespaces] Sysctl=, --sysctl, a bundle's linux.sysctl: the values are written in the
# sandbox's own namespaces and read back inside, they take effect (a non-root uid binds
# port 80 with net.ipv4.ip_unprivileged_port_start=80, EACCES without it), the host keeps
# its own, and a host-wide sysctl, or a namespaced one whose namespace the sandbox shares
# with the host, is refused by name with 125 before anything runs.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "the host-wide controls compare the host's values; uid 1000 needs ids to map"

R=$WORK/rootfs
make_rootfs "$R"
chmod 755 "$WORK"
PORT=net.ipv4.ip_unprivileged_port_start
PORT_FILE=/proc/sys/net/ipv4/ip_unprivileged_port_start
HOST_PORT=$(cat $PORT_FILE)
HOST_SHMMAX=$(cat /proc/sys/kernel/shmmax)
HOST_MSG_MAX=$(cat /proc/sys/fs/mqueue/msg_max)
HOST_DOMAIN=$(cat /proc/sys/kernel/domainname)
HOST_PANIC=$(cat /proc/sys/kernel/panic)
P=(/bin/ward-probe "--tag=$TAG")

# -- the effect, and its control --------------------------------------------------------
wrun --rootfs "$R" -u 1000 -- "${P[@]}" bind-tcp 80
assert_eq "control: uid 1000 without the sysctl: exit 0" 0 "$RC"
assert_eq "control: uid 1000 cannot bind port 80" EACCES "$(kv "bind-tcp 80")"
wrun --rootfs "$R" -u 1000 --sysctl $PORT=80 -- "${P[@]}" bind-tcp 80 bind-tcp 79
assert_eq "--sysctl $PORT=80: exit 0" 0 "$RC"
assert_eq "--sysctl $PORT=80: uid 1000 binds port 80" OK "$(kv "bind-tcp 80")"
assert_eq "--sysctl $PORT=80: port 79 stays privileged" EACCES "$(kv "bind-tcp 79")"
wrun --rootfs "$R" --sysctl $PORT=80 -- /bin/cat $PORT_FILE
assert_eq "--sysctl $PORT=80: read back inside" 80 "$OUT"
assert_eq "--sysctl $PORT=80: the host keeps its own" "$HOST_PORT" "$(cat $PORT_FILE)"

# -- ipc and uts, from a profile --------------------------------------------------------
cat >"$WORK/s.profile" <<'EOF'
[Profile]
Include=default
[Namespaces]
Sysctl=kernel.shmmax=4096
Sysctl=fs.mqueue.msg_max=20
Sysctl=kernel.domainname=example.org
Sysctl=fs.mqueue.msg_max=21
EOF
wrun --rootfs "$R" --profile "$WORK/s.profile" -- /bin/cat /proc/sys/kernel/shmmax \
        /proc/sys/fs/mqueue/msg_max /proc/sys/kernel/domainname
assert_eq "Sysctl= ipc and uts: exit 0" 0 "$RC"
assert_eq "Sysctl= ipc and uts: read back (a name given again takes the later value)" \
        "4096 21 example.org" "$(tr '\n' ' ' <<<"$OUT" | sed 's/ $//')"
assert_eq "Sysctl= ipc and uts: the host keeps its own" \
        "$HOST_SHMMAX $HOST_MSG_MAX $HOST_DOMAIN" "$(cat /proc/sys/kernel/shmmax \
        /proc/sys/fs/mqueue/msg_max /proc/sys/kernel/domainname | tr '\n' ' ' | sed 's/ $//')"
run_cmd "$WARD" explain --rootfs "$R" --profile "$WORK/s.profile" -- /bin/true
assert_contains "explain: the key with its file and line" "$OUT" \
        "Namespaces.Sysctl = kernel.shmmax=4096    ($WORK/s.profile:4)"
assert_match "explain: the setup step" "$OUT" \
        'write "4096" to /proc/sys/kernel/shmmax .*\[setup:sysctl\]'
printf '[Profile]\nInclude=%s\n[Namespaces]\nSysctl=\n' "$WORK/s.profile" >"$WORK/e.profile"
run_cmd "$WARD" explain --rootfs "$R" --profile "$WORK/e.profile" -- /bin/true
assert_eq "an empty Sysctl= drops those set so far" "" "$(grep -F Namespaces.Sysctl <<<"$OUT")"

# -- refusals: by name, 125, before anything runs ----------------------------------------
# refused NAME EXIT-REGEX ARGS...: ward run ARGS exits 125 and stderr matches.
refused() {
        local name=$1 want=$2
        shift 2
        wrun --rootfs "$R" "$@" -- /bin/touch /tmp/ran
        assert_eq "$name: exit 125" 125 "$RC"
        assert_match "$name: names it" "$ERR" "$want"
}
refused "kernel.panic (host-wide)" '--sysctl: invalid value "kernel.panic=1": not namespaced' \
        --sysctl kernel.panic=1
assert_eq "kernel.panic: the host's is untouched" "$HOST_PANIC" "$(cat /proc/sys/kernel/panic)"
refused "vm.swappiness (host-wide)" 'vm.swappiness=1.*not namespaced' --sysctl vm.swappiness=1
refused "kernel.hostname" 'kernel.hostname is Namespaces.Hostname=' --sysctl kernel.hostname=x
refused "net.* with the host's network" \
        'Namespaces.Sysctl: net.ipv4.ip_forward needs the sandbox.s own network namespace' \
        --network host --sysctl net.ipv4.ip_forward=1
refused "ipc sysctl with the host's ipc namespace" \
        'kernel.shmmax needs the sandbox.s own ipc namespace' --share ipc --sysctl kernel.shmmax=1
refused "a name that climbs out of /proc/sys" 'not a sysctl name' --sysctl net.../../../x=1
refused "a name this kernel lacks" 'cannot set net.ipv4.no_such_thing .*ENOENT' \
        --sysctl net.ipv4.no_such_thing=1
refused "no value" '"net.ipv4.ip_forward=": no value' --sysctl net.ipv4.ip_forward=
printf '[Profile]\nInclude=default\n[Namespaces]\nSysctl=kernel.panic=1\n' >"$WORK/p.profile"
refused "kernel.panic in a profile" "$WORK/p.profile:4: Namespaces.Sysctl: .*kernel.panic" \
        --profile "$WORK/p.profile"
assert_eq "no refused run ran its command" "" "$(ls "$R/tmp/ran" 2>/dev/null)"

# -- a bundle: ward spec writes linux.sysctl, and run reads it back ----------------------
B=$WORK/bundle
mkdir -p "$B"
run_cmd "$WARD" spec --rootfs "$R" -u 1000 --sysctl $PORT=80 -- "${P[@]}" bind-tcp 80 \
        read $PORT_FILE
assert_eq "spec --sysctl: exit 0" 0 "$RC"
printf '%s\n' "$OUT" >"$B/config.json"
assert_eq "spec --sysctl: linux.sysctl" '{"net.ipv4.ip_unprivileged_port_start":"80"}' \
        "$(jq -c .linux.sysctl "$B/config.json")"
wrun --bundle "$B"
assert_eq "bundle linux.sysctl: exit 0" 0 "$RC"
assert_eq "bundle linux.sysctl: uid 1000 binds port 80" OK "$(kv "bind-tcp 80")"
jq '.linux.sysctl["kernel.panic"] = "1"' "$B/config.json" >"$WORK/c.json"
cp "$WORK/c.json" "$B/config.json"
wrun --bundle "$B"
assert_eq "bundle kernel.panic: exit 125" 125 "$RC"
assert_contains "bundle kernel.panic: named by its JSON path" "$ERR" \
        'linux.sysctl["kernel.panic"]: not namespaced'
assert_contains "bundle kernel.panic: the hint speaks of the config's hostname" "$ERR" \
        "the hostname is the config's \"hostname\""
assert_not_contains "bundle kernel.panic: no profile key in the hint" "$ERR" "Namespaces."
# A net.* sysctl in a bundle without its own network namespace: the fix is the config's
# (before, 50db247: "give the sandbox Network.Mode=none", a profile key the bundle lacks).
jq 'del(.linux.sysctl["kernel.panic"]) | .linux.namespaces |= map(select(.type != "network"))' \
        "$B/config.json" >"$WORK/c.json"
cp "$WORK/c.json" "$B/config.json"
wrun --bundle "$B"
assert_eq "bundle net.* sysctl without a network namespace: exit 125" 125 "$RC"
assert_contains "... the fix in the config's words" "$ERR" \
        'give the sandbox a {"type": "network"} entry in linux.namespaces'

# -- a normal user's sandbox: its own user namespace owns the network namespace ----------
RUID=65534
AS_USER=(setpriv --reuid=$RUID --regid=$RUID --clear-groups --reset-env)
cd "$WORK" || exit 1
if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)" = 0 ] ||
        ! timeout 10 "${AS_USER[@]}" unshare --user --map-root-user true 2>/dev/null; then
        skip "rootless --sysctl" "uid $RUID cannot create a user namespace"
else
        # Its uid 0 holds no capability once ward has dropped them: port 80 needs the sysctl.
        T_RUNS=$((T_RUNS + 1))
        run_cmd "${AS_USER[@]}" "$WARD" run --rootfs "$R" -- "${P[@]}" bind-tcp 80
        assert_eq "rootless control: port 80 refused" EACCES "$(kv "bind-tcp 80")"
        run_cmd "${AS_USER[@]}" "$WARD" run --rootfs "$R" --sysctl $PORT=80 -- "${P[@]}" \
                bind-tcp 80
        assert_eq "rootless --sysctl $PORT=80: exit 0" 0 "$RC"
        assert_eq "rootless --sysctl $PORT=80: port 80 bound" OK "$(kv "bind-tcp 80")"
fi

finish
