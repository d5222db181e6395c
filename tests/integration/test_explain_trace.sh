#!/usr/bin/env bash
# `ward explain` says what `ward run` does: for every shipped profile (default, strict, the
# examples, entrypoint in a crun container) and a few option mixes, a sandbox runs with
# WARD_TRACE_STEPS=FD, which writes each step's "side:name" as setup (or entrypoint mode)
# applies it, and the trace must be exactly the [setup:...] / [in-place:...] tags of
# `ward explain` with the same options, in the same order (src/steps/steps.c, ARCHITECTURE.md).
#
# Controls: the comparison is shown to fail on a trace with two steps swapped and on a
# trace missing one; without the variable there is no trace; a bad value is a warning; the
# trace's fd is the caller's own and never reaches the app.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# crun_lib exits 77 without root or crun: source it only when it can run (entrypoint mode),
# else make a plain image.
HAVE_CRUN=no
if [ "$(id -u)" = 0 ] && command -v crun >/dev/null && command -v unshare >/dev/null &&
        command -v mountpoint >/dev/null; then
        . "$(dirname "${BASH_SOURCE[0]}")/crun_lib.sh"
        HAVE_CRUN=yes
else
        R=$WORK/rootfs
        make_rootfs "$R"
fi
# What the example profiles name (Landlock paths, tmpfs targets) exists in the image.
mkdir -p "$R"/{usr/lib,usr/lib64,usr/share/nginx,usr/sbin,var/cache/nginx,data,w}
for d in lib lib64; do [ -e "$R/$d" ] || mkdir "$R/$d"; done
touch "$R/usr/sbin/nginx" "$R/lib64/ld-linux-x86-64.so.2"
P=(/bin/ward-probe "--tag=$TAG")
TRACE=$WORK/trace

# explained TEXT: the applied steps `ward explain` lists, one "side:name" a line (a row
# that prints several lines is one step).
explained() {
        sed -n 's/^ *[0-9][0-9]*\. .*  \[\(\(setup\|in-place\):[a-z-]*\)\]$/\1/p' <<<"$1" | uniq
}

# same_steps NAME EXPLAIN TRACE: the check itself.
same_steps() {
        local want have=$3
        want=$(explained "$2")
        if [ -n "$want" ] && [ "$want" = "$have" ]; then
                ok "$1: the trace is explain's list ($(wc -l <<<"$have") steps)"
        else
                fail "$1: the trace is explain's list" "explain:" "$want" "trace:" "$have" \
                        "diff (explain, trace):" "$(diff <(echo "$want") <(echo "$have"))"
        fi
}

# traced NAME ARGS...: ward explain ARGS, then ward run ARGS with the trace on fd 7; the
# command's own status does not matter (the exec step is traced before the exec).
traced() {
        local name=$1 explain_out
        shift
        wexplain "$@"
        if [ "$RC" != 0 ]; then
                fail "$name: ward explain exits 0" "exit $RC" "$ERR"
                return
        fi
        explain_out=$OUT
        exec 7>"$TRACE"
        WARD_TRACE_STEPS=7 wrun "$@"
        exec 7>&-
        assert_match "$name: ward run gets to the app" "$RC" '^(0|126)$'
        same_steps "$name" "$explain_out" "$(cat "$TRACE")"
}

# -- the comparison can fail ------------------------------------------------------------
wexplain --profile strict --rootfs "$R" -- "${P[@]}" exit 0
E=$OUT
exec 7>"$TRACE"
WARD_TRACE_STEPS=7 wrun --profile strict --rootfs "$R" -- "${P[@]}" exit 0
exec 7>&-
T=$(cat "$TRACE")
assert_eq "control: strict runs" 0 "$RC"
assert_match "control: explain tags the monitor's rows too" "$E" '  \[monitor:clone3\]'
assert_match "control: the bounding set is dropped before the uid switch" \
        "$(tr '\n' ' ' <<<"$T")" 'setup:bounding-set setup:credentials '
assert_match "control: close-on-exec before seccomp (no user filter decides it), then exec" \
        "$(tr '\n' ' ' <<<"$T")" 'setup:close-on-exec setup:seccomp setup:exec $'
same_steps "control strict" "$E" "$T"
SWAPPED=$(sed '/^setup:bounding-set$/{h;d};/^setup:credentials$/{G}' <<<"$T")
assert_ne "control: two steps swapped (the trace differs)" "$T" "$SWAPPED"
want=$(explained "$E")
assert_ne "control: a trace with two steps swapped does not compare equal" "$want" "$SWAPPED"
assert_ne "control: a trace missing a step does not compare equal" "$want" \
        "$(grep -vx 'setup:landlock' <<<"$T")"

# -- the trace's fd and variable --------------------------------------------------------
wrun --profile strict --rootfs "$R" -- "${P[@]}" exit 0
assert_eq "no WARD_TRACE_STEPS: runs" 0 "$RC"
: >"$TRACE"
exec 7<"$TRACE"
WARD_TRACE_STEPS=7 wrun --profile strict --rootfs "$R" -- "${P[@]}" exit 0
exec 7<&-
assert_eq "an fd open for reading only: still runs" 0 "$RC"
assert_contains "an fd open for reading only: a warning" "$ERR" "WARD_TRACE_STEPS=7"
assert_eq "an fd open for reading only: nothing written" "" "$(cat "$TRACE")"
WARD_TRACE_STEPS=/etc/passwd wrun --profile strict --rootfs "$R" -- "${P[@]}" exit 0
assert_eq "a path, not an fd: still runs" 0 "$RC"
assert_contains "a path, not an fd: a warning" "$ERR" "is not an fd open for writing"
exec 7>"$TRACE"
WARD_TRACE_STEPS=7 wrun --rootfs "$R" -- "${P[@]}" fds env
exec 7>&-
assert_eq "the app: only fds 0-2" "0,1,2" "$(kv fds)"
assert_not_contains "the app: no WARD_TRACE_STEPS in its environment" "$OUT" WARD_TRACE_STEPS
assert_contains "the trace was still written" "$(cat "$TRACE")" "setup:exec"

# -- every shipped profile --------------------------------------------------------------
traced "default" --profile default --rootfs "$R" -- "${P[@]}" exit 0
traced "strict" --profile strict --rootfs "$R" -- "${P[@]}" exit 0
for f in "$WARD_SOURCE_DIR"/profiles/examples/*.profile; do
        traced "example ${f##*/}" --profile "$f" --rootfs "$R" -- "${P[@]}" exit 0
done

# -- option mixes -----------------------------------------------------------------------
traced "no init, host network, host uts, user 1000, writable root" --rootfs "$R" --no-init \
        --network host --share uts -u 1000 --read-only=false -- "${P[@]}" exit 0
traced "-i, no seccomp, a capability kept" --rootfs "$R" -i --security-opt \
        seccomp=unconfined --cap-add NET_BIND_SERVICE -- "${P[@]}" exit 0
traced "a tmpfs, a bind, a named user, groups" --rootfs "$R" --tmpfs /data -v "$WORK:/w:ro" \
        -u app --group-add 65534 -- "${P[@]}" exit 0
traced "no-new-privileges=true, memory limit left out" --rootfs "$R" --security-opt \
        no-new-privileges=true -- "${P[@]}" exit 0

# A bundle whose linux.seccomp has no noNewPrivileges: its filter is loaded before the
# credentials (bundle-seccomp, which also marks the fds close-on-exec).
if command -v jq >/dev/null; then
        mkdir -p "$WORK/bundle"
        run_cmd "$WARD" spec --rootfs "$R" -- "${P[@]}" exit 0
        jq '.process.noNewPrivileges = false | .process.terminal = false
            | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["keyctl"],
                action: "SCMP_ACT_ERRNO", errnoRet: 1}]}' <<<"$OUT" >"$WORK/bundle/config.json"
        traced "bundle, linux.seccomp without noNewPrivileges" --bundle "$WORK/bundle"
        assert_match "bundle: close-on-exec, then its filter, before the credentials" \
                "$(tr '\n' ' ' <<<"$(cat "$TRACE")")" \
                'setup:bundle-seccomp setup:credentials .*setup:seccomp setup:exec $'
else
        skip "bundle, linux.seccomp without noNewPrivileges" "jq is not installed"
fi

if command -v script >/dev/null; then
        # -t: the terminal step makes the session (no setsid row).
        exec 7>"$TRACE"
        wexplain -t --rootfs "$R" -- "${P[@]}" exit 0
        E=$OUT
        WARD_TRACE_STEPS=7 run_cmd script -qec "exec $WARD run -t --rootfs $R -- ${P[*]} exit 0" \
                /dev/null
        exec 7>&-
        assert_eq "-t under script(1): exit 0" 0 "$RC"
        same_steps "-t under script(1)" "$E" "$(cat "$TRACE")"
        assert_not_contains "-t: no separate session step" "$(cat "$TRACE")" "setup:session"
else
        skip "-t" "script(1) is not installed (apt-get install bsdutils)"
fi

if command -v python3 >/dev/null; then
        # Under systemd's NOTIFY_SOCKET, the relay is a step of its own.
        python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM); s.bind(sys.argv[1]); time.sleep(60)' \
                "$WORK/notify.sock" &
        NPID=$!
        for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$WORK/notify.sock" ] && break; sleep 0.2; done
        NOTIFY_SOCKET=$WORK/notify.sock traced "NOTIFY_SOCKET" --rootfs "$R" -- "${P[@]}" exit 0
        assert_contains "NOTIFY_SOCKET: the relay step was applied" "$(cat "$TRACE")" \
                "setup:notify"
        kill "$NPID" 2>/dev/null
        wait "$NPID" 2>/dev/null
else
        skip "NOTIFY_SOCKET" "python3 is not installed"
fi

# -- rootless: the identity step takes the caller's ids --------------------------------
AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
        timeout 10 "${AS_USER[@]}" unshare --user --map-root-user true 2>/dev/null; then
        reachable_by 65534
        cd "$WORK" || exit 1 # a cwd the caller can use
        run_cmd "${AS_USER[@]}" "$WARD" explain --rootfs "$R" -- "${P[@]}" exit 0
        E=$OUT
        exec 7>"$TRACE"
        run_cmd "${AS_USER[@]}" env WARD_TRACE_STEPS=7 "$WARD" run --rootfs "$R" -- \
                "${P[@]}" exit 0
        exec 7>&-
        cd - >/dev/null || exit 1
        assert_eq "rootless: exit 0" 0 "$RC"
        same_steps "rootless" "$E" "$(cat "$TRACE")"
        assert_contains "rootless: the identity step" "$(cat "$TRACE")" "setup:identity"
else
        skip "rootless" "needs root, setpriv and unprivileged user namespaces"
fi

# -- entrypoint mode: the in-place rows, inside a container ------------------------------
if [ "$HAVE_CRUN" = yes ]; then
        for mix in "" "--no-init" "--cap-drop ALL"; do
                # shellcheck disable=SC2086 # $mix is a list of words
                ctr /bin/sh -c "$W explain --profile entrypoint $mix -- /bin/true >/tmp/e 2>&1; WARD_TRACE_STEPS=7 $W run --profile entrypoint $mix -- ${P[*]} exit 0 7>/tmp/t; echo rc=\$?; cat /tmp/e; echo ::trace; cat /tmp/t"
                assert_eq "entrypoint $mix: exit 0" 0 "$(kv rc)"
                same_steps "entrypoint $mix" "$(sed '/^::trace$/,$d' <<<"$OUT")" \
                        "$(sed '1,/^::trace$/d' <<<"$OUT")"
        done
else
        skip "entrypoint mode" "needs root and crun (apt-get install crun)"
fi

finish
