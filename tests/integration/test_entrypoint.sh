#!/usr/bin/env bash
# ward as a container image's entrypoint (profiles/entrypoint.profile), inside real crun
# containers shaped like Docker's defaults with userns-remap (the container's root is host
# uid 2000000, so that the probe's attacks run in a non-initial user namespace), with
# Docker's 14 default capabilities (no SYS_ADMIN), nothing of no_new_privs, an outer
# seccomp filter that refuses unshare and mount, rlimit nofile 1048576, a tmpfs /tmp and
# /run. ward runs there as PID 1 (`ward run --profile entrypoint -- ward-probe ...`) and
# the probe reports what holds: capabilities dropped, no_new_privs, two seccomp filters,
# the rlimits, Landlock, the environment, zombies reaped, SIGTERM from outside reaching
# the app, tini's points (exit codes, -g, -e, subreaper and its warning), USER 10001, and
# exit 125 for a required protection the container does not allow.
#
# crun on this host (a cgroup v1/v2 hybrid) runs with --cgroup-manager=disabled, in a
# private mount namespace where a tmpfs hides /sys/fs/cgroup/unified (bench/startup.sh
# does the same); nothing is mounted on the host. Needs root and crun (Debian: crun).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# The image, make_bundle, crun_cmd, ctr (root and crun, or a skip).
. "$(dirname "${BASH_SOURCE[0]}")/crun_lib.sh"

cat >"$PROFILES/ep-try.profile" <<'EOF'
[Profile]
Include=entrypoint
[Filesystem]
ReadOnly=try
EOF
cat >"$PROFILES/ep-tini.profile" <<'EOF'
[Profile]
Include=entrypoint
[Init]
ProcessGroup=yes
SuccessExitStatus=143
EOF
cat >"$PROFILES/ep-user.profile" <<'EOF'
[Profile]
Include=entrypoint
[Process]
User=10002:10002
EOF
cat >"$PROFILES/ep-bounding.profile" <<'EOF'
[Profile]
Include=entrypoint
[Process]
DropBoundingSet=yes
EOF
cat >"$PROFILES/ep-mount.profile" <<'EOF'
[Profile]
Include=entrypoint
[Filesystem]
Tmpfs=/tmp
EOF
cat >"$PROFILES/ep-landlock-off.profile" <<'EOF'
[Profile]
Include=entrypoint
[Landlock]
Landlock=no
EOF
# orphan.sh: leave an orphan; say who adopted it (the nearest subreaper).
cat >"$R/bin/orphan.sh" <<'EOF'
#!/bin/sh
(sleep 3 & echo $! >/tmp/orphan.pid)
o=$(cat /tmp/orphan.pid)
echo "parent=$PPID"
echo "adopter=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$o/status)"
kill $o
EOF
chmod 755 "$R/bin/orphan.sh"

# The kernel's Landlock ABI, as ward's explain reports it (0: none, Landlock=try skips it).
LL_ABI=$("$WARD" explain --profile entrypoint -- true 2>/dev/null |
        sed -n 's/^  Landlock: ABI \([0-9]*\)$/\1/p')
# landlock_eq NAME EXPECTED ACTUAL: assert_eq where the kernel has Landlock, else skip.
landlock_eq() {
        if [ "${LL_ABI:-0}" -gt 0 ]; then
                assert_eq "$@"
        else
                skip "$1" "this kernel has no Landlock"
        fi
}


# -- the control: the probe alone in the container, no ward ------------------------------
ctr "${P[@]}" status seccomp rlimits write /run/x syscalls
if [ "$RC" != 0 ] || [ "$(kv CapEff)" = "<missing>" ]; then
        fail "crun runs a Docker-like container (precondition)"
        finish
fi
ok "crun runs a Docker-like container (precondition)"
assert_eq "control: the container's root has Docker's capabilities" "$DOCKER_CAPBND" "$(kv CapBnd)"
assert_eq "control: CapEff too" "$DOCKER_CAPBND" "$(kv CapEff)"
assert_eq "control: no_new_privs is not set" 0 "$(kv NoNewPrivs)"
assert_eq "control: one seccomp filter (the runtime's)" 1 "$(kv Seccomp_filters)"
assert_eq "control: nofile is the runtime's" "$NOFILE:$NOFILE" "$(kv rlimit.nofile)"
assert_eq "control: /run is writable without Landlock" OK "$(kv 'write /run/x')"
assert_eq "control: the runtime's filter refuses unshare" EPERM "$(kv unshare_user)"
assert_eq "control: the runtime's filter allows ptrace of a child" OK "$(kv ptrace_child)"

# -- ward as PID 1, root, Docker's defaults plus --read-only --------------------------------
ctr "${EP[@]}" "${P[@]}" status seccomp rlimits env pid1 write /tmp/x write /run/x \
        write /dev/shm/x write /dev/pts/ptmx syscalls
assert_eq "entrypoint: exit 0" 0 "$RC"
assert_eq "entrypoint: CapEff empty" 0000000000000000 "$(kv CapEff)"
assert_eq "entrypoint: CapPrm empty" 0000000000000000 "$(kv CapPrm)"
assert_eq "entrypoint: CapBnd empty (ward held CAP_SETPCAP)" 0000000000000000 "$(kv CapBnd)"
assert_eq "entrypoint: CapInh empty" 0000000000000000 "$(kv CapInh)"
assert_eq "entrypoint: CapAmb empty" 0000000000000000 "$(kv CapAmb)"
assert_eq "entrypoint: NoNewPrivs 1" 1 "$(kv NoNewPrivs)"
assert_eq "entrypoint: two seccomp filters stacked (runtime's + ward's)" 2 \
        "$(kv Seccomp_filters)"
assert_eq "entrypoint: LimitNOFILE=1024 applied" 1024:1024 "$(kv rlimit.nofile)"
assert_eq "entrypoint: LimitCORE=0 applied" 0:0 "$(kv rlimit.core)"
landlock_eq "entrypoint: Landlock lets the app write /tmp" OK "$(kv 'write /tmp/x')"
landlock_eq "entrypoint: Landlock refuses /run (not in ReadWrite=)" EACCES "$(kv 'write /run/x')"
assert_eq "entrypoint: /dev/shm is writable (ReadWrite=)" OK "$(kv 'write /dev/shm/x')"
assert_eq "entrypoint: the terminal's /dev/pts opens for writing (ReadWrite=)" OPENED \
        "$(kv 'write /dev/pts/ptmx')"
assert_eq "entrypoint: PATH passed through" /opt/ward/bin:/bin:/usr/bin "$(kv PATH)"
assert_eq "entrypoint: a variable not listed is cleared" "<missing>" "$(kv SECRET)"
assert_eq "entrypoint: HOSTNAME (listed) passed" ctr "$(kv HOSTNAME)"
assert_eq "entrypoint: PID 1 is ward-init from its memfd" memfd:ward-init "$(kv pid1_comm)"
assert_eq "entrypoint: the app's parent is PID 1" 1 "$(kv ppid)"
assert_eq "entrypoint: unshare refused" EPERM "$(kv unshare_user)"
assert_eq "entrypoint: ptrace refused by ward's filter (the runtime's allows it)" EPERM \
        "$(kv ptrace_child)"
assert_eq "entrypoint: uid unchanged (0)" 0 "$(kv uid)"
assert_eq "entrypoint: nothing on stderr" "" "$ERR"

# Landlock, not the file modes, refused /run: the same run with Landlock=no writes it.
ctr "$W" run --profile ep-landlock-off -- "${P[@]}" write /run/x
assert_eq "Landlock=no (control): /run is writable" OK "$(kv 'write /run/x')"
# And /dev/pts opens for writing only because the profile lists it.
printf '[Profile]\nInclude=entrypoint\n[Landlock]\nReadWrite=\nReadWrite=/tmp\n' \
        >"$PROFILES/ep-nopts.profile"
ctr "$W" run --profile ep-nopts -- "${P[@]}" write /dev/pts/ptmx
landlock_eq "without /dev/pts in ReadWrite= (control): it is refused" EACCES \
        "$(kv 'write /dev/pts/ptmx')"

# Sysctl= in entrypoint mode: the namespaces are the outer runtime's; refused, pointing there.
printf '[Profile]\nInclude=entrypoint\n[Namespaces]\nSysctl=net.ipv4.ip_unprivileged_port_start=80\n' \
        >"$PROFILES/ep-sysctl.profile"
ctr "$W" run --profile ep-sysctl -- "${P[@]}" status
assert_eq "Sysctl= in entrypoint mode: exit 125" 125 "$RC"
assert_contains "Sysctl= in entrypoint mode: names the key" "$ERR" "Namespaces.Sysctl"
assert_contains "Sysctl= in entrypoint mode: says where to set it" "$ERR" "docker run --sysctl"

# --no-init: the app replaces ward and is PID 1 itself.
ctr "$W" run --profile entrypoint --no-init -- "${P[@]}" status pid1
assert_eq "--no-init: the app is PID 1" 1 "$(kv pid)"
assert_eq "--no-init: still confined (NoNewPrivs)" 1 "$(kv NoNewPrivs)"
ctr "$W" run --profile entrypoint --no-init -- "${P[@]}" seccomp
assert_eq "--no-init: two seccomp filters" 2 "$(kv Seccomp_filters)"

# -- tini's points, with ward-init as the container's PID 1 --------------------------------
ctr "${EP[@]}" "${P[@]}" zombies
assert_eq "PID 1: orphans are adopted by ward-init" 1,1,1,1,1 "$(kv adopted_by)"
assert_eq "PID 1: ward-init reaps every exited orphan" 0 "$(kv zombies)"
ctr "${P[@]}" zombies
assert_eq "control: a PID 1 that does not reap leaves zombies" 5 "$(kv zombies)"

ctr "${EP[@]}" /bin/sh -c 'exit 3' "$TAG"
assert_eq "exit status 3 comes back through crun" 3 "$RC"
ctr "${EP[@]}" /bin/sh -c 'kill -TERM $$' "$TAG"
assert_eq "an app killed by SIGTERM gives 143 (128+N)" 143 "$RC"
ctr "${EP[@]}" /bin/sh -c 'kill -KILL $$' "$TAG"
assert_eq "an app killed by SIGKILL gives 137" 137 "$RC"
ctr "${EP[@]}" no-such-command "$TAG"
assert_eq "a command not found gives 127" 127 "$RC"
assert_contains "not found is explained" "$ERR" no-such-command

# bg_ctr OUTFILE ARGS...: the container in the background; BG_PID, BG_ID.
bg_ctr() {
        local out=$1
        shift
        N=$((N + 1))
        T_RUNS=$((T_RUNS + 1))
        BG_ID="ward-it-$$-$N"
        make_bundle "$WORK/b$N" "$@"
        crun_cmd "$BG_ID" "$WORK/b$N"
        "${CRUN[@]}" <"$CRUN_STDIN" >"$out" 2>"$out.err" &
        BG_PID=$!
        CLEANUP_PIDS="${CLEANUP_PIDS:-} $BG_PID"
}

# container_pid1 ID: the host pid of the container's PID 1, from crun's state.
container_pid1() {
        local deadline=$((SECONDS + 10)) state
        while ((SECONDS < deadline)); do
                state=$(crun --root "$CRUN_STATE" state "$1" 2>/dev/null)
                if [[ $state =~ \"pid\":\ *([0-9]+) ]] && [ "${BASH_REMATCH[1]}" != 0 ]; then
                        echo "${BASH_REMATCH[1]}"
                        return 0
                fi
                sleep 0.05
        done
        return 1
}

# term_pid1 OUTFILE READYLINE: once READYLINE is out, SIGTERM the container's PID 1 from
# the host (what docker stop and the kubelet do); RC is then crun's exit status.
term_pid1() {
        local pid1
        snapshot
        if ! wait_for_line "$1" "$2" 10 || ! pid1=$(container_pid1 "$BG_ID"); then
                fail "the container started ($2)" "$(cat "$1" "$1.err")"
                kill -KILL "$BG_PID" 2>/dev/null
                wait "$BG_PID"
                RC=none
                return
        fi
        PID1_COMM=$(cat "/proc/$pid1/comm")
        kill -TERM "$pid1"
        wait_exit "$BG_PID" 15
        RC=$?
        OUT=$(cat "$1")
        ERR=$(cat "$1.err")
        LAST_CMD="crun run $BG_ID (SIGTERM to its PID 1, host pid $pid1)"
        leftover_check "$LAST_CMD"
}

bg_ctr "$WORK/term.out" "${EP[@]}" "${P[@]}" sleep-trap
term_pid1 "$WORK/term.out" ready
assert_eq "SIGTERM to the container's PID 1 was taken by ward-init" memfd:ward-init \
        "$PID1_COMM"
assert_eq "SIGTERM from outside reaches the app; its status 42 comes back" 42 "$RC"
assert_contains "the app got SIGTERM" "$OUT" "got SIGTERM"

# Init.ProcessGroup=yes (-g): the signal reaches the app's whole group, so its child
# (which the shell traps around) dies of it too; SuccessExitStatus=143 (-e 143) then turns
# the app's own death by SIGTERM into 0. The control without them: the child runs to its
# end and 143 stays 143.
cat >"$R/bin/tini-g.sh" <<'EOF'
trap 'echo parent-got-term' TERM
sleep 3 &
p=$!
echo ready
wait $p
wait $p
echo "child=$?"
trap - TERM
kill -TERM $$
EOF
chmod 755 "$R/bin/tini-g.sh"
bg_ctr "$WORK/g.out" "$W" run --profile ep-tini -- /bin/sh /bin/tini-g.sh "$TAG"
term_pid1 "$WORK/g.out" ready
assert_eq "ProcessGroup=yes: the app's child got SIGTERM too" child=143 \
        "$(grep child= <<<"$OUT")"
assert_eq "SuccessExitStatus=143: death by SIGTERM reported as 0" 0 "$RC"
bg_ctr "$WORK/nog.out" "${EP[@]}" /bin/sh /bin/tini-g.sh "$TAG"
term_pid1 "$WORK/nog.out" ready
assert_eq "control: without ProcessGroup= only the app gets it" child=0 \
        "$(grep child= <<<"$OUT")"
assert_eq "control: without SuccessExitStatus= 143 stays" 143 "$RC"

# -- not PID 1: ward-init is a child subreaper ------------------------------------------
ctr /bin/sh -c "$W run --profile entrypoint -- /bin/orphan.sh; echo rc=\$?" "$TAG"
assert_eq "not PID 1: exit 0" 0 "$RC"
assert_match "not PID 1: the orphan's adopter is known" "$(kv adopter)" '^[0-9]+$'
assert_eq "not PID 1: ward-init adopts the app's orphans (subreaper)" "$(kv parent)" \
        "$(kv adopter)"
assert_ne "not PID 1: the adopter is not the container's PID 1" 1 "$(kv adopter)"
assert_eq "not PID 1: the app's status comes back" 0 "$(kv rc)"
# tini's warning when it is neither PID 1 nor a subreaper: the runtime's filter here also
# refuses prctl(PR_SET_CHILD_SUBREAPER).
NO_SUBREAPER=', {"names": ["prctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
  "args": [{"index": 0, "value": 36, "op": "SCMP_CMP_EQ"}]}'
B_SECCOMP_EXTRA=$NO_SUBREAPER \
        ctr /bin/sh -c "$W run --profile entrypoint -- /bin/true; echo rc=\$?" "$TAG"
assert_eq "no subreaper: the app still runs" 0 "$(kv rc)"
assert_contains "no subreaper: ward-init warns, as tini does" "$ERR" \
        "not PID 1 and cannot register as a child subreaper"
B_SECCOMP_EXTRA=$NO_SUBREAPER ctr /bin/sh -c "$W init -- /bin/true; echo rc=\$?" "$TAG"
assert_contains "no subreaper: ward init alone warns too" "$ERR" \
        "not PID 1 and cannot register as a child subreaper"
ctr /bin/sh -c "$W run --profile entrypoint -- /bin/true; echo rc=\$?" "$TAG"
assert_eq "control: a subreaper gives no warning" "" "$ERR"

# -- fds the caller leaked (CVE-2024-21626) do not reach the app ---------------------------
ctr /bin/sh -c "exec 7</etc/passwd; $W run --profile entrypoint -- /bin/ward-probe fds" "$TAG"
assert_eq "a leaked fd 7 is closed for the app" 0,1,2 "$(kv fds)"
# A runtime's seccomp profile older than close_range (EPERM): the /proc/self/fd fallback.
B_SECCOMP_EXTRA=', {"names": ["close_range"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}' \
        ctr /bin/sh -c "exec 7</etc/passwd; $W run --profile entrypoint -- /bin/ward-probe fds" \
        "$TAG"
assert_eq "close_range refused: the leaked fd is still closed" 0,1,2 "$(kv fds)"

# -- what the container does not allow: exit 125 naming the outer setting -----------------
B_RO=false ctr "${EP[@]}" "${P[@]}" status
assert_eq "writable root, ReadOnly=yes: exit 125" 125 "$RC"
assert_contains "writable root: the message says so" "$ERR" "the root filesystem is writable"
assert_contains "writable root: the message names --read-only" "$ERR" "--read-only"
assert_contains "writable root: and the profile key" "$ERR" "Filesystem.ReadOnly=try"
assert_eq "writable root: the app did not run" "" "$OUT"
# A profile in a writable image is one the app could rewrite for the next start: refused.
# (The image's files are the host's root's, unmapped in the container: with 65534 left out
# of the map, nobody there can be their owner, so the ownership rule passes them.)
UNMAPPED_65534='.linux.uidMappings[0].size = 65534 | .linux.gidMappings[0].size = 65534'
B_RO=false ctr_jq "$UNMAPPED_65534" "$W" run --profile ep-try -- "${P[@]}" status
assert_eq "writable root: a profile in the image is refused" 125 "$RC"
assert_contains "writable root: ... as on a writable mount" "$ERR" "is on a writable mount"
# The same profiles on a read-only mount (docker run -v DIR:DIR:ro): ep-try and the
# entrypoint.profile beside it, which its Include= finds first.
B_RO=false ctr_jq "$UNMAPPED_65534"' | .mounts += [{
        destination: "/opt/ward/share/ward/profiles", type: "bind",
        source: "'"$PROFILES"'", options: ["bind", "ro"]}]' \
        "$W" run --profile ep-try -- "${P[@]}" status
assert_eq "writable root, ReadOnly=try: exit 0" 0 "$RC"
assert_eq "ReadOnly=try: the rest still applies" 1 "$(kv NoNewPrivs)"
assert_contains "ReadOnly=try: a warning" "$ERR" "warning: Filesystem.ReadOnly=try"
ctr "$W" run --profile ep-mount -- "${P[@]}" status
assert_eq "a Tmpfs= in entrypoint mode: exit 125" 125 "$RC"
assert_contains "Tmpfs=: needs a mount namespace" "$ERR" "needs a mount namespace"
assert_contains "Tmpfs=: names the outer setting" "$ERR" "docker run --tmpfs"
ctr "$W" run --profile entrypoint --memory 64m -- "${P[@]}" status
assert_eq "--memory in entrypoint mode: exit 125" 125 "$RC"
assert_contains "--memory: names the outer setting" "$ERR" "docker run --memory"

# User= as root with CAP_SETUID: switched, everything else still applied.
ctr "$W" run --profile ep-user -- "${P[@]}" status
assert_eq "User=10002 as root: exit 0" 0 "$RC"
assert_eq "User=10002: uid" 10002 "$(kv uid)"
assert_eq "User=10002: gid" 10002 "$(kv gid)"
assert_eq "User=10002: no supplementary groups" "" "$(kv groups)"
assert_eq "User=10002: CapEff empty" 0000000000000000 "$(kv CapEff)"

# -- USER 10001 in the image: ward applies everything that needs no privilege -------------
export B_UID=10001 B_GID=10001
ctr "${P[@]}" status
assert_eq "USER 10001 control: no effective capability" 0000000000000000 "$(kv CapEff)"
assert_eq "USER 10001 control: Docker's bounding set" "$DOCKER_CAPBND" "$(kv CapBnd)"
ctr "${EP[@]}" "${P[@]}" status seccomp rlimits env write /tmp/x write /run/x
assert_eq "USER 10001: exit 0" 0 "$RC"
assert_eq "USER 10001: uid" 10001 "$(kv uid)"
assert_eq "USER 10001: CapEff empty" 0000000000000000 "$(kv CapEff)"
assert_eq "USER 10001: CapPrm empty" 0000000000000000 "$(kv CapPrm)"
assert_eq "USER 10001: CapAmb empty" 0000000000000000 "$(kv CapAmb)"
assert_eq "USER 10001: NoNewPrivs 1" 1 "$(kv NoNewPrivs)"
assert_eq "USER 10001: two seccomp filters" 2 "$(kv Seccomp_filters)"
assert_eq "USER 10001: LimitNOFILE=1024" 1024:1024 "$(kv rlimit.nofile)"
landlock_eq "USER 10001: Landlock: /tmp writable" OK "$(kv 'write /tmp/x')"
landlock_eq "USER 10001: Landlock: /run refused" EACCES "$(kv 'write /run/x')"
assert_eq "USER 10001: SECRET cleared" "<missing>" "$(kv SECRET)"
assert_eq "USER 10001: the bounding set cannot be dropped (no CAP_SETPCAP)" \
        "$DOCKER_CAPBND" "$(kv CapBnd)"
assert_contains "USER 10001: DropBoundingSet=try says so" "$ERR" \
        "warning: Process.DropBoundingSet=try"
ctr "$W" run --profile ep-landlock-off -- "${P[@]}" write /run/x
assert_eq "USER 10001, Landlock=no (control): /run is writable" OK "$(kv 'write /run/x')"
ctr "$W" run --profile ep-bounding -- "${P[@]}" status
assert_eq "USER 10001, DropBoundingSet=yes: exit 125" 125 "$RC"
assert_contains "DropBoundingSet=yes: names --cap-drop ALL" "$ERR" "--cap-drop ALL"
ctr "$W" run --profile ep-user -- "${P[@]}" status
assert_eq "USER 10001, User=10002: exit 125" 125 "$RC"
assert_contains "User=10002 without CAP_SETUID: names the outer setting" "$ERR" \
        "Dockerfile USER"
printf '[Profile]\nInclude=entrypoint\n[Process]\nNoNewPrivileges=no\n' \
        >"$PROFILES/ep-nnp-off.profile"
ctr "$W" run --profile ep-nnp-off -- "${P[@]}" status
assert_eq "USER 10001, a bounding set kept without no_new_privs: exit 125" 125 "$RC"
assert_contains "NoNewPrivileges=no: a setuid binary could gain the bounding set" "$ERR" \
        "a setuid binary could gain"
# --cap-drop ALL on the outer runtime: then the bounding set is empty too.
CAPS= ctr "${EP[@]}" "${P[@]}" status
assert_eq "USER 10001 with --cap-drop ALL: CapBnd empty" 0000000000000000 "$(kv CapBnd)"
assert_eq "USER 10001 with --cap-drop ALL: no warning" "" "$ERR"
unset B_UID B_GID

# -- ward explain inside the container ---------------------------------------------------
ctr "$W" explain --profile entrypoint -- /bin/true
assert_eq "explain: exit 0" 0 "$RC"
assert_contains "explain: PID 1" "$OUT" "pid 1: ward-init will be PID 1"
assert_contains "explain: the root is read-only" "$OUT" "root filesystem: read-only"
assert_contains "explain: the runtime's filter" "$OUT" "the runtime's filter is in force"
assert_contains "explain: no namespaces here" "$OUT" "new namespaces: cannot be created here"
assert_contains "explain: the bounding set" "$OUT" "bounding set reduced to (none)"
B_RO=false ctr "$W" explain --profile entrypoint -- /bin/true
assert_eq "explain on a writable root: exit 125" 125 "$RC"
assert_contains "explain: says ward run would refuse" "$OUT" "ward run would refuse"
assert_contains "explain: and why" "$ERR" "the root filesystem is writable"

# -- the same [Init] keys in sandbox mode (ward run --rootfs): ward-init gets -g and -e ------
printf '[Init]\nProcessGroup=yes\nSuccessExitStatus=3\n' >"$WORK/init-keys.profile"
wrun --rootfs "$R" --profile default --profile "$WORK/init-keys.profile" -- /bin/sh -c \
        'exit 3' "$TAG"
assert_eq "sandbox, SuccessExitStatus=3: exit 3 reported as 0" 0 "$RC"
wrun --rootfs "$R" --profile default --profile "$WORK/init-keys.profile" -- /bin/sh -c \
        'exit 4' "$TAG"
assert_eq "sandbox, SuccessExitStatus=3: exit 4 stays 4" 4 "$RC"
wrun --rootfs "$R" --profile default --profile "$WORK/init-keys.profile" -- "${P[@]}" status
assert_eq "sandbox, ProcessGroup=yes: the app leads its own process group" "$(kv pid)" \
        "$(kv pgid)"
wrun --rootfs "$R" --profile default --profile "$WORK/init-keys.profile" -- /bin/sh -c \
        'tr "\0" " " </proc/1/cmdline' "$TAG"
assert_contains "sandbox, ProcessGroup=yes: ward-init signals the group (-g)" "$OUT" " -g "
wrun --rootfs "$R" -- /bin/sh -c 'tr "\0" " " </proc/1/cmdline' "$TAG"
assert_not_contains "sandbox, control: without it, no -g" "$OUT" " -g "
# With or without it, as under tini.
wrun --rootfs "$R" -- "${P[@]}" status
assert_eq "sandbox: the app leads its own process group without ProcessGroup= too" \
        "$(kv pid)" "$(kv pgid)"

finish
