#!/usr/bin/env bash
# ward under a real podman (Debian 12: podman 4.3, crun 1.8), in its two uses that involve a
# container engine:
#
# - entrypoint mode: examples/Dockerfile's last stage built by podman (its "build" and
#   "runtime" stages replaced by named build contexts: ward installed from this build, a
#   busybox image with the host's libraries and the probe), then run as the Dockerfile's
#   header says: capabilities, no_new_privs, two seccomp filters, ward-init as PID 1,
#   USER 10001, the app's exit status as podman's, orphans reaped, `podman stop` reaching
#   the app at once, the default CMD serving, and exit 125 without --read-only;
# - ward hook as a hooks.d entry (the build's examples/oci-hooks.d/ward-policy.json, its
#   path pointed at this build, without its --log-file) given with --hooks-dir: --privileged and --cap-add ALL are refused before
#   their command runs, and so is a hardened container with --ipc host or with podman's
#   own masked paths (/proc/asound is only read-only), each for that one rule (the reasons
#   reach syslog; podman's stderr only says the hook failed); the hardened container
#   runs, and the privileged one runs without the hook.
#
# Host safety: every podman command runs in a private mount namespace (unshare -m) where
# tmpfs mounts cover /sys/fs/cgroup (podman then sees no cgroup tree and, with
# --cgroups=disabled and --cgroup-manager=cgroupfs, makes none), /var/lib (containers/image
# keeps a blob cache in /var/lib/containers/cache whatever --root says) and /dev (fresh
# device nodes, since crun fchowns its stdio; podman's shm locks; a /dev/log this script
# reads). All of podman's state is under the work directory (--root, --runroot, --tmpdir,
# crun's --root, a containers.conf and registries.conf of its own), the storage driver is
# vfs (no overlay mounts), every container has --network none (the one RUN step of the
# build, mkdir and echo under --isolation chroot, cannot have it). Afterwards the host's
# cgroup tree, /etc/containers and the paths podman would use by default are compared
# with a snapshot taken before.

. "$(dirname "${BASH_SOURCE[0]}")/syslog_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/podman_lib.sh"

# podman_stage DIR: inside the private mount namespace, run every podman command and
# record what happened (NAME.rc, NAME.out, NAME.err, NAME.ms); the outer stage asserts.
podman_stage() {
        local w=$1 n
        . "$w/stage.env" || exit 1
        podman_private_host "$w"
        syslog_listen "$w/syslog"
        podman_use_config
        stage_cases
        pm rm -a -f -t 0 >/dev/null 2>&1
        sleep 0.2 # the last datagrams
        kill "$SYSLOG_PID"
        wait "$SYSLOG_PID" 2>/dev/null
        exit 0
}

# wait_file FILE SECONDS: true once FILE exists.
wait_file() {
        local i
        for ((i = 0; i < $2 * 20; i++)); do
                [ -e "$1" ] && return 0
                sleep 0.05
        done
        return 1
}

# The runs; the outer stage reads what they recorded.
stage_cases() {
        local run=(run --rm --pull=never --network none --cgroups=disabled) i
        local ep=(--read-only --cap-drop ALL --tmpfs /tmp) probe=(/bin/ward-probe "--tag=$TAG")
        # -- the images ------------------------------------------------------------------
        case_run build-base build --isolation chroot --pull=never \
                -t "$BASE_IMG" -f "$PT/base/Containerfile" "$PT/base"
        case_run build-example build --isolation chroot --pull=never \
                --build-context "build=$PT/ward-out" \
                --build-context "runtime=container-image://$BASE_IMG" \
                -t "$IMG" -f "$SRC/examples/Dockerfile" "$SRC"
        case_run inspect image inspect --format \
                '{{json .Config.Entrypoint}} {{json .Config.Cmd}} {{.Config.User}}' "$IMG"

        # -- entrypoint mode ---------------------------------------------------------------
        case_run ep-status "${run[@]}" "${ep[@]}" "$IMG" "${probe[@]}" status seccomp pid1 rlimits
        case_run ep-noward-control "${run[@]}" "${ep[@]}" --entrypoint /bin/ward-probe "$IMG" \
                "--tag=$TAG" status seccomp
        case_run ep-writable "${run[@]}" --cap-drop ALL --tmpfs /tmp "$IMG" "${probe[@]}" status
        case_run ep-exit3 "${run[@]}" "${ep[@]}" "$IMG" /bin/sh -c 'exit 3' "$TAG"
        case_run ep-explain "${run[@]}" --read-only --entrypoint ward "$IMG" \
                explain --profile entrypoint -- busybox httpd -f -p 8080 -h /srv
        case_run ep-zombies "${run[@]}" "${ep[@]}" "$IMG" "${probe[@]}" zombies
        case_run ep-zombies-control "${run[@]}" "${ep[@]}" --entrypoint /bin/ward-probe "$IMG" \
                "--tag=$TAG" zombies

        # podman stop: SIGTERM to the container's PID 1 (ward-init), which passes it on to
        # the app; the app's trap writes a marker into a bind-mounted host directory.
        case_run ep-trap-start run -d --pull=never --name "$TAG-trap" --network none \
                --cgroups=disabled "${ep[@]}" -v "$PT/marks:/tmp/marks:rw" "$IMG" /bin/sh -c \
                'trap "echo term >/tmp/marks/term; exit 42" TERM; echo ready >/tmp/marks/ready
                 while :; do sleep 0.1; done' "$TAG"
        if wait_file "$PT/marks/ready" 10; then
                case_run ep-trap-stop stop -t 5 "$TAG-trap"
        fi
        case_run ep-trap-wait wait "$TAG-trap"
        case_run ep-trap-rm rm -f -t 0 "$TAG-trap"

        # The image's own CMD: busybox httpd serving /srv as USER 10001 behind ward.
        case_run ep-httpd-start run -d --pull=never --name "$TAG-httpd" --network none \
                --cgroups=disabled "${ep[@]}" "$IMG"
        for ((i = 0; i < 50; i++)); do
                case_run ep-httpd-get exec "$TAG-httpd" busybox wget -q -O - \
                        http://127.0.0.1:8080/
                [ "$(cat "$W/ep-httpd-get.rc")" = 0 ] && break
                sleep 0.1
        done
        case_run ep-httpd-pid1 exec "$TAG-httpd" cat /proc/1/comm
        case_run ep-httpd-stop stop -t 5 "$TAG-httpd"
        case_run ep-httpd-wait wait "$TAG-httpd"
        case_run ep-httpd-rm rm -f -t 0 "$TAG-httpd"

        # -- ward hook as a hooks.d entry --------------------------------------------------
        local bind=(-v "$PT/marks:/marks:rw")
        # What the default policy asks of a podman container beyond its defaults: no
        # capability, a read-only root, no_new_privs, not root (or a user namespace), its
        # own cgroup namespace (podman's default on cgroup v2, not on v1), rlimits within
        # the policy's, /proc/asound masked (podman leaves it only read-only), and a
        # seccomp filter that refuses mount, new namespaces, ptrace and keyctl (ward's).
        local unmasked=(--read-only --cap-drop ALL --security-opt no-new-privileges
                --user 10001 --cgroupns private --ulimit nofile=1024:1024
                --ulimit nproc=512:512 --security-opt "seccomp=$PT/ward-seccomp.json")
        local hardened=("${unmasked[@]}" --security-opt mask=/proc/asound)
        for i in privileged:--privileged cap-all:--cap-add=ALL; do
                PM_HOOKS=$PT/hooks case_run "hook-${i%%:*}" "${run[@]}" "${bind[@]}" \
                        --cidfile "$PT/${i%%:*}.cid" --user 0 "${i#*:}" "$BASE_IMG" \
                        /bin/sh -c "touch /marks/${i%%:*}-ran; echo ran" "$TAG"
        done
        PM_HOOKS=$PT/hooks case_run hook-hardened "${run[@]}" "${bind[@]}" \
                --cidfile "$PT/hardened.cid" "${hardened[@]}" "$BASE_IMG" \
                /bin/sh -c 'touch /marks/hardened-ran; echo ran-hardened' "$TAG"
        # One step past the policy each: the host's IPC namespace (podman refuses --pid host
        # without cgroups), podman's own masked paths.
        PM_HOOKS=$PT/hooks case_run hook-ipc-host "${run[@]}" "${bind[@]}" \
                --cidfile "$PT/ipc-host.cid" "${hardened[@]}" --ipc host "$BASE_IMG" \
                /bin/sh -c 'touch /marks/ipc-host-ran' "$TAG"
        PM_HOOKS=$PT/hooks case_run hook-asound "${run[@]}" "${bind[@]}" \
                --cidfile "$PT/asound.cid" "${unmasked[@]}" "$BASE_IMG" \
                /bin/sh -c 'touch /marks/asound-ran' "$TAG"
        case_run nohook-privileged "${run[@]}" "${bind[@]}" --user 0 --privileged "$BASE_IMG" \
                /bin/sh -c 'touch /marks/nohook-privileged-ran; echo ran' "$TAG"
}

if [ "${1:-}" = --podman-stage ]; then
        W=$2
        podman_stage "$W"
fi

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "rootful podman: containers as root, a private mount namespace"
need_tools "podman crun python3 util-linux cmake" podman crun python3 unshare cmake ldd
if ! unshare -m --propagation private true 2>/dev/null; then
        echo "1..0 # SKIP cannot create a mount namespace here (unshare -m)"
        exit 77
fi
if ! podman build --help 2>/dev/null | grep -q -- --build-context; then
        echo "1..0 # SKIP this podman has no build --build-context (podman >= 4.3 has)"
        exit 77
fi

# -- podman's world: configuration, state, hooks, the build contexts ------------------------
# Networks: none, and the CNI backend with no plugin (netavark, the default, keeps state in
# /run/containers/networks whatever the configuration says).
PT=$WORK/podman
mkdir -p "$PT"/{tmp,net,no-cni,crun,no-hooks,hooks,marks,base,ward-out} || exit 1
chmod 1777 "$PT/marks" # written by the containers' uid 10001 and root
: >"$PT/stdin"
podman_write_config
NOFILE=$(ulimit -Hn) # what podman gives (podman_write_config)

# The "runtime" stage's stand-in: busybox, the probe, and ward's libraries from the host
# (ldd; ward-init is static), each where the binary's loader looks.
make_rootfs "$PT/base/rootfs"
mkdir -p "$PT/base/rootfs/usr/lib" "$PT/base/rootfs/usr/lib64" || exit 1
ln -s usr/lib "$PT/base/rootfs/lib" && ln -s usr/lib64 "$PT/base/rootfs/lib64" || exit 1
for lib in $(ldd "$WARD" 2>/dev/null | grep -o '/[^ ]*'); do
        dest=$PT/base/rootfs/usr/${lib#/usr/}
        mkdir -p "${dest%/*}" && cp -L "$lib" "$dest" || exit 1
done
printf 'FROM scratch\nCOPY rootfs/ /\n' >"$PT/base/Containerfile"
# The "build" stage's stand-in: this build installed under out/usr, as that stage does.
run_cmd env DESTDIR="$PT/ward-out/out" cmake --install "$WARD_BUILD_DIR" --prefix /usr
[ "$RC" = 0 ] || fail "cmake --install to the build context"
# The shipped hooks.d entry, its path pointed at this build, without its --log-file (the
# host's /var/log; syslog is this test's sink, test_hook_install's is the file), and with
# --policy default: this test checks ward's own default policy against podman's flags
# (the shipped entry's podman policy is test_podman_policy's).
run_cmd python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); d["hook"]["path"] = sys.argv[2]
a = d["hook"]["args"]; i = a.index("--log-file"); del a[i:i + 2]
a[a.index("--policy") + 1] = "default"
json.dump(d, open(sys.argv[3], "w"))' "$WARD_BUILD_DIR/examples/oci-hooks.d/ward-policy.json" \
        "$WARD" "$PT/hooks/ward-policy.json"
[ "$RC" = 0 ] || fail "the hooks.d entry"
# A seccomp filter the default policy accepts: ward's own, as `ward spec` exports it.
# podman's default (containers-common) lets mount, unshare, setns, ptrace and keyctl
# through, relying on capabilities, which the policy judges as W041 and W042.
run_cmd sh -c '"$1" spec --profile default -- /bin/true | python3 -c "import json, sys
json.dump(json.load(sys.stdin)[\"linux\"][\"seccomp\"], open(sys.argv[1], \"w\"))" "$2"' \
        sh "$WARD" "$PT/ward-seccomp.json"
[ "$RC" = 0 ] || fail "ward spec's seccomp filter as a podman profile"

IMG=localhost/$TAG-example
BASE_IMG=localhost/$TAG-base
cat >"$WORK/stage.env" <<EOF
PT=$(printf %q "$PT") TAG=$TAG IMG=$IMG BASE_IMG=$BASE_IMG
SRC=$(printf %q "$WARD_SOURCE_DIR") OUTER_MNTNS=$(printf %q "$(readlink /proc/self/ns/mnt)")
EOF

# -- what the host looks like before -------------------------------------------------------
# The host's cgroup tree, but for the siblings of this shell's own cgroups: those come and
# go with whatever runs beside the test (a supervisor's per-job cgroups), not with podman.
cgroup_tree() {
        local parents p e skip
        parents=$(sed -n 's|^[0-9]*:[^:]*:\(/..*\)/[^/]*$|\1|p' /proc/self/cgroup | sort -u)
        find /sys/fs/cgroup -maxdepth 3 2>/dev/null | sort | while IFS= read -r e; do
                skip=
                for p in $parents; do
                        [[ ${e%/*} == /sys/fs/cgroup*"$p" ]] && skip=1
                done
                [ -n "$skip" ] || echo "$e"
        done
}
# podman's default places, which this test must never use.
podman_paths() {
        local p
        ls -laR --time-style=full-iso /etc/containers /etc/cni 2>&1
        for p in /run/libpod /run/containers /run/podman /run/netns /var/lib/containers \
                /var/lib/cni /etc/containers/networks /etc/cni/net.d; do
                [ -e "$p" ] && echo "present: $p"
        done
        ls -la --time-style=full-iso /run/crun 2>/dev/null
        ls -d /dev/shm/libpod* /dev/shm/*podman* /var/tmp/buildah* /var/tmp/storage* \
                /var/tmp/container_images* /var/tmp/podman* /tmp/buildah* /tmp/podman* \
                /tmp/storage* 2>/dev/null
}
CGROUP_BEFORE=$(cgroup_tree)
PATHS_BEFORE=$(podman_paths)

# -- the stage -----------------------------------------------------------------------------
snapshot
T_TIMEOUT=240 run_cmd unshare -m --propagation private bash "${BASH_SOURCE[0]}" \
        --podman-stage "$WORK"
assert_eq "the podman stage ran to its end" 0 "$RC"
echo "# the stage ran $(ls "$WORK"/*.rc 2>/dev/null | wc -l) podman commands"
leftover_check "the podman stage"
LOG=$(cat "$WORK/syslog" 2>/dev/null)
assert_eq "the host's cgroup tree is unchanged" "" \
        "$(diff <(echo "$CGROUP_BEFORE") <(cgroup_tree) | head -20)"
assert_eq "/etc/containers and podman's default paths are unchanged" "" \
        "$(diff <(echo "$PATHS_BEFORE") <(podman_paths) | head -20)"


# -- the image: examples/Dockerfile's last stage -------------------------------------------
res build-base
assert_eq "podman build: the base image (FROM scratch)" 0 "$RC"
res build-example
assert_eq "podman build: examples/Dockerfile, build and runtime stages as build contexts" 0 "$RC"
assert_not_contains "podman build: the apt-get stages did not run" "$OUT" "apt-get"
assert_contains "podman build: the last stage's RUN ran" "$OUT" "RUN mkdir -p /srv"
res inspect
assert_eq "the image: the Dockerfile's ENTRYPOINT, CMD and USER" \
        '["/usr/bin/ward","run","--profile","entrypoint","--"] ["busybox","httpd","-f","-p","8080","-h","/srv"] 10001' \
        "$OUT"
if [ "$(cat "$WORK/build-example.rc" 2>/dev/null)" != 0 ]; then
        fail "the image was built (precondition of the entrypoint checks)"
        finish
fi

# -- entrypoint mode -----------------------------------------------------------------------
res ep-status
assert_eq "entrypoint: podman run --read-only --cap-drop ALL --tmpfs /tmp: exit 0" 0 "$RC"
assert_eq "entrypoint: CapEff empty" 0000000000000000 "$(kv CapEff)"
assert_eq "entrypoint: CapPrm empty" 0000000000000000 "$(kv CapPrm)"
assert_eq "entrypoint: CapBnd empty" 0000000000000000 "$(kv CapBnd)"
assert_eq "entrypoint: CapAmb empty" 0000000000000000 "$(kv CapAmb)"
assert_eq "entrypoint: NoNewPrivs 1" 1 "$(kv NoNewPrivs)"
assert_eq "entrypoint: Seccomp 2 (filtering)" 2 "$(kv Seccomp)"
assert_eq "entrypoint: two seccomp filters, podman's and ward's" 2 "$(kv Seccomp_filters)"
assert_eq "entrypoint: PID 1 is ward-init, from its memfd" memfd:ward-init "$(kv pid1_comm)"
assert_eq "entrypoint: the app is PID 1's child" 1 "$(kv ppid)"
assert_eq "entrypoint: the app runs as the image's USER 10001" 10001 "$(kv uid)"
assert_eq "entrypoint: the profile's LimitNOFILE=1024 (podman gave $NOFILE)" 1024:1024 \
        "$(kv rlimit.nofile)"
assert_eq "entrypoint: nothing on stderr" "" "$ERR"
res ep-noward-control
assert_eq "control, the probe as entrypoint: one seccomp filter (podman's)" 1 \
        "$(kv Seccomp_filters)"
assert_eq "control, the probe as entrypoint: no_new_privs is not set" 0 "$(kv NoNewPrivs)"

res ep-writable
assert_eq "entrypoint without --read-only: exit 125" 125 "$RC"
# The lines the Dockerfile's header shows, from the profile built into ward.
RO_LINE=$(grep -n '^ReadOnly=yes$' "$WARD_SOURCE_DIR/profiles/entrypoint.profile" | cut -d: -f1)
assert_contains "without --read-only: the built-in profile's Filesystem.ReadOnly, and why" \
        "$ERR" "ward: error: <built-in>/entrypoint.profile:$RO_LINE: \
Filesystem.ReadOnly: the root filesystem is writable"
assert_contains "without --read-only: the fix names --read-only" "$ERR" \
        "ward:   fix: start the container with --read-only (Kubernetes: \
securityContext.readOnlyRootFilesystem: true), or set Filesystem.ReadOnly=try"
assert_eq "without --read-only: the app did not run" "" "$OUT"

res ep-exit3
assert_eq "entrypoint: the app's exit status 3 is podman's" 3 "$RC"
res ep-explain
assert_eq "ward explain in the image (--entrypoint ward): exit 0" 0 "$RC"
assert_contains "ward explain: ward-init would be PID 1" "$OUT" "pid 1: ward-init will be PID 1"
assert_contains "ward explain: the root is read-only" "$OUT" "root filesystem: read-only"
assert_contains "ward explain: podman's seccomp filter" "$OUT" "the runtime's filter is in force"

res ep-zombies
assert_eq "entrypoint: orphans are adopted by ward-init" 1,1,1,1,1 "$(kv adopted_by)"
assert_eq "entrypoint: ward-init reaps every exited orphan" 0 "$(kv zombies)"
res ep-zombies-control
assert_eq "control, no ward: a PID 1 that does not reap leaves zombies" 5 "$(kv zombies)"

res ep-trap-start
assert_eq "podman run -d: the trapping app started" 0 "$RC"
res ep-trap-stop
assert_eq "podman stop -t 5: exit 0" 0 "$RC"
assert_match "podman stop -t 5: done well before the 5 s timeout (${MS} ms)" "$MS" \
        '^([0-9]{1,3}|[0-2][0-9]{3})$'
assert_eq "podman stop: SIGTERM reached the app (its trap wrote the marker)" term \
        "$(cat "$PT/marks/term" 2>/dev/null)"
res ep-trap-wait
assert_eq "podman stop: the app's status from its trap (42) is the container's" 42 "$OUT"

res ep-httpd-get
assert_eq "the image's CMD: busybox httpd serves /srv as USER 10001" \
        "hello from behind ward" "$OUT"
res ep-httpd-pid1
assert_eq "the image's CMD: PID 1 is ward-init" memfd:ward-init "$OUT"
res ep-httpd-stop
assert_eq "podman stop of the httpd: exit 0" 0 "$RC"
assert_match "podman stop of the httpd: well before the timeout (${MS} ms)" "$MS" \
        '^([0-9]{1,3}|[0-2][0-9]{3})$'
res ep-httpd-wait
assert_eq "podman stop of the httpd: killed by SIGTERM, 143" 143 "$OUT"

# -- ward hook -----------------------------------------------------------------------------
# hook_refused NAME CASE LABEL=RULE...: refused by the hook, the command never ran, each
# RULE (a regex for the start of a rule's line) in syslog for that container.
hook_refused() {
        local name=$1 case=$2 id rule
        shift 2
        res "$case"
        id=$(cat "$PT/${case#hook-}.cid" 2>/dev/null)
        assert_ne "hook: $name refused (podman exits non-zero)" 0 "$RC"
        assert_contains "hook: $name: podman says the hook failed" "$ERR" \
                "error executing hook \`$WARD\`"
        assert_eq "hook: $name: its command never ran" "absent" \
                "$([ -e "$PT/marks/${case#hook-}-ran" ] && echo present || echo absent)"
        assert_eq "hook: $name: its command printed nothing" "" "$OUT"
        for rule; do
                assert_match "hook: $name: syslog names ${rule%%=*}" "$LOG" \
                        "<84>[^>]* ward-hook\\[[0-9]+\\]: refused container ${id:-NO-ID}: ${rule#*=}"
        done
        assert_match "hook: $name: syslog has the verdict" "$LOG" "refused container \
${id:-NO-ID} \\(bundle [^)]*/userdata\\): [0-9]+ rules? of policy default violated"
}
# Every capability is W001; podman's --privileged grants the host's bounding set, which
# may lack one (CAP_SYS_RESOURCE, on the host this was written on), and then it is W002
# with CAP_SYS_ADMIN.
ALLCAPS='W001, or W002 with SYS_ADMIN=W00(1 privileged \(critical\)|'
ALLCAPS+='2 dangerous-capability \(high\): [^[]*\[[^]]*SYS_ADMIN)'
hook_refused --privileged hook-privileged "$ALLCAPS" 'W040=W040 no-seccomp \(high\)' \
        'W080=W080 device-access \(high\)' 'W090=W090 masked-paths \(medium\)'
hook_refused "--cap-add ALL" hook-cap-all "$ALLCAPS"
# only_rule NAME CASE: the container was refused for one rule alone.
only_rule() {
        assert_match "hook: $1: that rule alone" "$LOG" "refused container \
$(cat "$PT/${2#hook-}.cid" 2>/dev/null) \\(bundle [^)]*\\): 1 rule of policy default violated"
}
hook_refused "hardened but --ipc host" hook-ipc-host 'W022=W022 host-ipc \(medium\)'
only_rule "hardened but --ipc host" hook-ipc-host
hook_refused "hardened but podman's masked paths (no mask=/proc/asound)" hook-asound \
        'W090 [/proc/asound]=W090 masked-paths \(medium\): [^[]*\[/proc/asound\]'
only_rule "hardened but podman's masked paths" hook-asound

res hook-hardened
id=$(cat "$PT/hardened.cid" 2>/dev/null)
assert_eq "hook: the hardened container runs (exit 0)" 0 "$RC"
assert_eq "hook: the hardened container's output" ran-hardened "$OUT"
assert_eq "hook: the hardened container's command ran" present \
        "$([ -e "$PT/marks/hardened-ran" ] && echo present || echo absent)"
assert_contains "syslog: the hardened container allowed" "$LOG" \
        "allowed container ${id:-NO-ID} (bundle "
assert_not_contains "syslog: the hardened container has no refusal" "$LOG" \
        "refused container ${id:-NO-ID}"

res nohook-privileged
assert_eq "control: --privileged without the hook runs" "0 ran" "$RC $OUT"
assert_eq "control: --privileged without the hook: its command ran" present \
        "$([ -e "$PT/marks/nohook-privileged-ran" ] && echo present || echo absent)"

finish
