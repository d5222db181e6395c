#!/usr/bin/env bash
# ward hook deployed as `cmake --install` leaves it, under a real podman (Debian 12: 4.3,
# crun 1.8), on a host without /dev/log:
#
# - the installed hooks.d entry (${prefix}/share/containers/oci/hooks.d/ward-policy.json)
#   names ${prefix}/bin/ward, which exists (podman skips a hook whose path does not, and
#   the gate would be open without a word);
# - that directory as podman's --hooks-dir, unchanged (enforce mode, --log-file
#   /var/log/ward-hook.log): a hardened container binding the host's / is refused and its
#   command never runs, with the rule (W071) in the log file; the hardened container runs;
# - the same entry with --mode audit: the dangerous container runs, the reason logged;
# - without --log-file, a stand-in journal on /run/systemd/journal/socket receives the
#   reasons (MESSAGE=..., PRIORITY=4, SYSLOG_IDENTIFIER=ward-hook); with nothing listening
#   there (the control), the hook's stderr ends by saying where the lines did not go;
# - --log-file refuses (exit 125, naming the flag) a symlink, a FIFO, a relative path, a
#   file others may write, and a directory others may write (/tmp-like, sticky, too):
#   whoever can write there could swap the file; a root-owned directory works (control).
#
# Host safety: as test_podman.sh, every podman command runs in a private mount namespace
# (unshare -m) where tmpfs mounts cover /sys/fs/cgroup, /var/lib, /var/log (the entry's
# log file lands there, not in the host's), /run/systemd (the stand-in journal) and /dev
# (fresh nodes, no /dev/log); podman's state, configuration and crun's state are in the
# test's directory, the storage driver is vfs, --cgroups=disabled, --network none.

. "$(dirname "${BASH_SOURCE[0]}")/podman_lib.sh"

# The stand-in journal: every datagram on the journal's socket, its fields one per line,
# and a line "--" after each, until JOURNAL_PID is killed (the socket file stays: stale).
journal_listen() {
        python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[2])
out = open(sys.argv[1], "ab", buffering=0)
open(sys.argv[1] + ".ready", "w").close()
while True:
    out.write(s.recv(65536) + b"--\n")
' "$1" /run/systemd/journal/socket &
        JOURNAL_PID=$!
        for _ in $(seq 100); do [ -e "$1.ready" ] && break; sleep 0.05; done
}

# Inside the private mount namespace: run every case, record what happened (NAME.rc,
# NAME.out, NAME.err); the outer stage asserts.
hook_stage() {
        local w=$1 n
        . "$w/stage.env" || exit 1
        podman_private_host "$w"
        mount -n -t tmpfs -o size=1m,mode=755 ward-it-varlog /var/log || exit 1
        if [ -d /run/systemd ]; then
                mount -n -t tmpfs -o size=1m,mode=755 ward-it-systemd /run/systemd || exit 1
                mkdir -m 755 /run/systemd/journal
        fi
        # What the hook finds: no syslog daemon, no journal (yet).
        for n in /dev/log /run/systemd/journal/socket; do
                [ -e "$n" ] && echo "$n"
        done >"$w/sinks-present"
        podman_use_config
        stage_cases
        pm rm -a -f -t 0 >/dev/null 2>&1
        exit 0
}

# direct_run NAME ARGS...: the installed ward hook ARGS by hand, the state on stdin.
direct_run() {
        local name=$1
        shift
        printf '%q ' "$PREFIX/bin/ward" hook "$@" >"$W/$name.cmd"
        timeout -s KILL 20 "$PREFIX/bin/ward" hook "$@" <"$PT/state.json" \
                >"$W/$name.out" 2>"$W/$name.err"
        echo $? >"$W/$name.rc"
}

stage_cases() {
        local run=(run --rm --pull=never --network none --cgroups=disabled)
        local bind=(-v "$PT/marks:/marks:rw")
        # test_podman.sh's hardened container: what the default policy asks of podman's.
        local hardened=(--read-only --cap-drop ALL --security-opt no-new-privileges
                --user 10001 --cgroupns private --ulimit nofile=1024:1024
                --ulimit nproc=512:512 --security-opt "seccomp=$PT/ward-seccomp.json"
                --security-opt mask=/proc/asound)
        case_run import import "$PT/rootfs.tar" "$IMG"

        # -- enforce: the installed entry as it is -----------------------------------------
        PM_HOOKS=$HOOKS_ENFORCE case_run enforce-hostroot "${run[@]}" "${bind[@]}" \
                --cidfile "$PT/enforce-hostroot.cid" "${hardened[@]}" -v /:/host:ro "$IMG" \
                /bin/sh -c 'touch /marks/enforce-hostroot-ran' "$TAG"
        PM_HOOKS=$HOOKS_ENFORCE case_run enforce-hardened "${run[@]}" "${bind[@]}" \
                --cidfile "$PT/enforce-hardened.cid" "${hardened[@]}" "$IMG" \
                /bin/sh -c 'touch /marks/enforce-hardened-ran; echo ran-hardened' "$TAG"
        # -- audit: the same entry with --mode audit ---------------------------------------
        PM_HOOKS=$PT/hooks-audit case_run audit-hostroot "${run[@]}" "${bind[@]}" \
                --cidfile "$PT/audit-hostroot.cid" "${hardened[@]}" -v /:/host:ro "$IMG" \
                /bin/sh -c 'touch /marks/audit-hostroot-ran; echo ran-audit' "$TAG"
        cp /var/log/ward-hook.log "$W/hook.log" 2>/dev/null
        stat -c '%u %a %F' /var/log/ward-hook.log >"$W/hook.log.stat" 2>&1

        # -- the journal's socket: the entry without --log-file ----------------------------
        if [ -d /run/systemd/journal ]; then
                journal_listen "$W/journal"
                PM_HOOKS=$PT/hooks-nolog case_run journal-hostroot "${run[@]}" "${bind[@]}" \
                        --cidfile "$PT/journal-hostroot.cid" "${hardened[@]}" \
                        -v /:/host:ro "$IMG" /bin/sh -c 'touch /marks/journal-hostroot-ran' "$TAG"
                direct_run journal-direct --policy default
                sleep 0.2 # the last datagrams
                kill "$JOURNAL_PID"
                wait "$JOURNAL_PID" 2>/dev/null
        fi
        # -- the control: nothing listens anywhere (the journal's socket file is stale) ---
        direct_run nosink-direct --policy default
        PM_HOOKS=$PT/hooks-nolog case_run nosink-hostroot "${run[@]}" "${bind[@]}" \
                --cidfile "$PT/nosink-hostroot.cid" "${hardened[@]}" -v /:/host:ro "$IMG" \
                /bin/sh -c 'touch /marks/nosink-hostroot-ran' "$TAG"
        cp /var/log/ward-hook.log "$W/hook-after.log" 2>/dev/null
}

if [ "${1:-}" = --hook-stage ]; then
        W=$2
        hook_stage "$W"
fi

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "rootful podman: containers as root, a private mount namespace"
need_tools "podman crun python3 util-linux cmake" podman crun python3 unshare cmake
if ! unshare -m --propagation private true 2>/dev/null; then
        echo "1..0 # SKIP cannot create a mount namespace here (unshare -m)"
        exit 77
fi

# -- cmake --install, no DESTDIR: the paths the entry names exist ---------------------------
PREFIX=$WORK/prefix
HOOKS_ENFORCE=$PREFIX/share/containers/oci/hooks.d
run_cmd cmake --install "$WARD_BUILD_DIR" --prefix "$PREFIX"
assert_eq "cmake --install --prefix $PREFIX: exit 0" 0 "$RC"
ENTRY=$HOOKS_ENFORCE/ward-policy.json
run_cmd python3 -c 'import json, sys
h = json.load(open(sys.argv[1]))["hook"]; a = h["args"]
print(h["path"], a[a.index("--mode") + 1], a[a.index("--log-file") + 1])' "$ENTRY"
assert_eq "the installed hooks.d entry: ward in the prefix, enforce, a log file" \
        "$PREFIX/bin/ward enforce /var/log/ward-hook.log" "$OUT"
assert_eq "the path the entry names is the installed ward" yes \
        "$([ -x "$(cut -d' ' -f1 <<<"$OUT")" ] && echo yes || echo no)"
for u in echo.service web-notify.service; do
        assert_contains "the installed example $u starts the installed ward" \
                "$(cat "$PREFIX/share/doc/ward/examples/systemd/$u" 2>/dev/null)" \
                "ExecStart=$PREFIX/bin/ward run "
done
if [ "$(sed -n 's/^\([^ ]*\) .*/\1/p' <<<"$OUT")" != "$PREFIX/bin/ward" ]; then
        finish # what follows would test another ward
fi

# -- podman's world (as test_podman.sh) -------------------------------------------------------
PT=$WORK/podman
mkdir -p "$PT"/{tmp,net,no-cni,crun,no-hooks,hooks-audit,hooks-nolog,marks} || exit 1
chmod 1777 "$PT/marks"
: >"$PT/stdin"
podman_write_config
make_rootfs "$PT/rootfs"
tar -C "$PT/rootfs" -cf "$PT/rootfs.tar" . || exit 1
# A seccomp filter the default policy accepts: ward's own, as `ward spec` exports it.
run_cmd sh -c '"$1" spec --profile default -- /bin/true | python3 -c "import json, sys
json.dump(json.load(sys.stdin)[\"linux\"][\"seccomp\"], open(sys.argv[1], \"w\"))" "$2"' \
        sh "$WARD" "$PT/ward-seccomp.json"
[ "$RC" = 0 ] || fail "ward spec's seccomp filter as a podman profile"
# The installed entry with --mode audit, and without --log-file.
run_cmd python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); a = d["hook"]["args"]
a[a.index("--mode") + 1] = "audit"; json.dump(d, open(sys.argv[2], "w"))
a[a.index("--mode") + 1] = "enforce"; i = a.index("--log-file"); del a[i:i + 2]
json.dump(d, open(sys.argv[3], "w"))' "$ENTRY" "$PT/hooks-audit/ward-policy.json" \
        "$PT/hooks-nolog/ward-policy.json"
[ "$RC" = 0 ] || fail "the audit and no-log copies of the entry"
# The state a runtime would give the hook by hand: a bundle crun spec writes (root, all
# of crun's default capabilities: refused for W010 among others).
mkdir -p "$PT/bundle" && (cd "$PT/bundle" && crun spec) || fail "crun spec"
printf '{"ociVersion": "1.0.2", "id": "%s-direct", "pid": %d, "bundle": "%s"}' "$TAG" $$ \
        "$PT/bundle" >"$PT/state.json"

IMG=localhost/$TAG-busybox
cat >"$WORK/stage.env" <<EOF
PT=$(printf %q "$PT") TAG=$TAG IMG=$IMG PREFIX=$(printf %q "$PREFIX")
HOOKS_ENFORCE=$(printf %q "$HOOKS_ENFORCE")
OUTER_MNTNS=$(printf %q "$(readlink /proc/self/ns/mnt)")
EOF

snapshot
HOST_LOG_BEFORE=$(stat -c %Y /var/log/ward-hook.log 2>&1)
T_TIMEOUT=240 run_cmd unshare -m --propagation private bash "${BASH_SOURCE[0]}" \
        --hook-stage "$WORK"
assert_eq "the podman stage ran to its end" 0 "$RC"
leftover_check "the podman stage"
assert_eq "the host's /var/log/ward-hook.log is untouched (the stage's was a tmpfs)" \
        "$HOST_LOG_BEFORE" "$(stat -c %Y /var/log/ward-hook.log 2>&1)"
assert_eq "in the stage, nothing listened on /dev/log or the journal's socket" "" \
        "$(cat "$WORK/sinks-present" 2>/dev/null)"

ran() { [ -e "$PT/marks/$1-ran" ] && echo present || echo absent; }
cid() { cat "$PT/$1.cid" 2>/dev/null || echo NO-ID; }
LOG=$(cat "$WORK/hook.log" 2>/dev/null)
STAMP='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z ward-hook\[[0-9]+\]'

res import
assert_eq "podman import of the busybox rootfs" 0 "$RC"

# -- enforce --------------------------------------------------------------------------------
res enforce-hostroot
id=$(cid enforce-hostroot)
assert_ne "enforce: -v /:/host refused (podman exits non-zero)" 0 "$RC"
assert_contains "enforce: podman says the installed hook failed" "$ERR" \
        "error executing hook \`$PREFIX/bin/ward\`"
assert_eq "enforce: -v /:/host: its command never ran" absent "$(ran enforce-hostroot)"
assert_match "enforce: the log file's first line for it names the rule" "$LOG" \
        "$STAMP: warning: refusing container $id under policy podman: W071 \\(details follow\\)"
assert_match "enforce: the log file has the rule's reason and fix" "$LOG" \
        "$STAMP: warning: refused container $id: W071 host-root-bind \\(critical\\): .*; fix: "
assert_match "enforce: the log file has the verdict" "$LOG" \
        "refused container $id \\(bundle [^)]*\\): 1 rule of policy podman violated"
res enforce-hardened
id=$(cid enforce-hardened)
assert_eq "enforce: the hardened container runs" "0 ran-hardened" "$RC $OUT"
assert_eq "enforce: the hardened container's command ran" present "$(ran enforce-hardened)"
assert_match "enforce: the log file says it was allowed" "$LOG" \
        "$STAMP: info: allowed container $id \\(bundle [^)]*\\) under policy podman"
assert_eq "the log file: root's, 0600, a regular file" "0 600 regular file" \
        "$(cat "$WORK/hook.log.stat" 2>/dev/null)"

# -- audit ----------------------------------------------------------------------------------
res audit-hostroot
id=$(cid audit-hostroot)
assert_eq "audit: -v /:/host runs" "0 ran-audit" "$RC $OUT"
assert_eq "audit: its command ran" present "$(ran audit-hostroot)"
assert_match "audit: the log file names the rule it would refuse" "$LOG" \
        "$STAMP: warning: audit mode, would refuse container $id under policy podman: W071"
assert_match "audit: and the verdict, allowed" "$LOG" "would refuse container $id \\(bundle \
[^)]*\\): 1 rule of policy podman violated \\(audit mode: allowed\\)"

# -- the journal's socket -------------------------------------------------------------------
if [ -e "$WORK/journal.ready" ]; then
        JOURNAL=$(cat "$WORK/journal" 2>/dev/null)
        res journal-hostroot
        id=$(cid journal-hostroot)
        assert_ne "journal: no --log-file, -v /:/host refused" 0 "$RC"
        assert_eq "journal: its command never ran" absent "$(ran journal-hostroot)"
        assert_contains "journal: MESSAGE= names the rule" "$JOURNAL" \
                "MESSAGE=refusing container $id under policy podman: W071 (details follow)"
        assert_match "journal: one datagram's fields: priority, facility, identifier, pid" \
                "$(tr '\n' ' ' <<<"$JOURNAL")" "PRIORITY=4 SYSLOG_FACILITY=10 \
SYSLOG_IDENTIFIER=ward-hook SYSLOG_PID=[0-9]+ MESSAGE=refused container $id: W071 "
        res journal-direct
        assert_eq "journal: the hook by hand refuses crun's default bundle (exit 1)" 1 "$RC"
        assert_match "journal: by hand, MESSAGE= names W010" "$JOURNAL" \
                "MESSAGE=refusing container $TAG-direct under policy default: [W0-9 ]*W010"
        assert_not_contains "journal: no 'stderr alone' notice when the journal took it" \
                "$ERR" "went to stderr alone"
else
        skip "the journal's socket: this host has no /run/systemd to cover with a tmpfs"
fi

# -- the control: no sink at all ------------------------------------------------------------
res nosink-direct
assert_eq "no sink: the hook by hand still refuses (exit 1)" 1 "$RC"
assert_match "no sink: stderr's first line names the rules" "$(head -1 <<<"$ERR")" \
        "^ward hook: refusing container $TAG-direct under policy default: [W0-9 ]*W010"
assert_eq "no sink: stderr's last line says the lines went nowhere else, and the fix" \
        "ward hook: warning: the lines above went to stderr alone, which podman and crun do \
not show: nothing listens on /dev/log or /run/systemd/journal/socket and no --log-file was \
given; fix: add \"--log-file\", \"/var/log/ward-hook.log\" to the hook's args" \
        "$(tail -1 <<<"$ERR")"
res nosink-hostroot
assert_ne "no sink: -v /:/host refused all the same" 0 "$RC"
assert_eq "no sink: its command never ran" absent "$(ran nosink-hostroot)"
assert_not_contains "no sink: podman shows no rule (why the log file matters)" "$ERR" "W071"
assert_not_contains "no sink: nothing of it in the log file" \
        "$(cat "$WORK/hook-after.log" 2>/dev/null)" "$(cid nosink-hostroot)"

# -- --log-file: what it refuses, by hand ---------------------------------------------------
# hook_log NAME PATH [MODE]: the installed hook on the state, with --log-file PATH.
hook_log() {
        RUN_STDIN=$PT/state.json run_cmd "$PREFIX/bin/ward" hook --policy default \
                --mode "${3:-enforce}" --log-file "$2"
}
L=$WORK/logs
mkdir -m 755 "$L" "$L/open" "$L/sticky" && chmod 777 "$L/open" && chmod 1777 "$L/sticky"
: >"$L/target"
ln -s "$L/target" "$L/link"
mkfifo "$L/fifo"
: >"$L/shared.log" && chmod 666 "$L/shared.log"
hook_log control "$L/ward-hook.log"
assert_eq "--log-file in a root-owned directory (control): refused container, exit 1" 1 "$RC"
assert_match "control: the file has the rule" "$(cat "$L/ward-hook.log" 2>/dev/null)" \
        "$STAMP: warning: refusing container $TAG-direct under policy default: [W0-9 ]*W010"
assert_match "control: stderr's first line names the rules as well" "$(head -1 <<<"$ERR")" \
        "^ward hook: refusing container $TAG-direct under policy default: "
for c in "link:a symlink:(a symlink).*ELOOP" "fifo:a FIFO:ENXIO|not a regular file" \
        "shared.log:a file others may write:writable by others" \
        "open/ward-hook.log:in a directory others may write:is not root's alone" \
        "sticky/ward-hook.log:in a sticky directory like /tmp:is not root's alone"; do
        IFS=: read -r f what why <<<"$c"
        hook_log "$f" "$L/$f"
        assert_eq "--log-file $what: exit 125" 125 "$RC"
        assert_match "--log-file $what: the flag and why" "$ERR" \
                "ward: error: command line: --log-file: .*($why)"
        assert_contains "--log-file $what: the fix" "$ERR" "ward:   fix: "
done
assert_eq "--log-file a symlink: its target was not written" "" "$(cat "$L/target")"
assert_eq "--log-file in a directory others may write: no file was created" \
        "absent absent" "$([ -e "$L/open/ward-hook.log" ] && echo present || echo absent) \
$([ -e "$L/sticky/ward-hook.log" ] && echo present || echo absent)"
# Exceptions asked for and not granted are logged after the summary, whose line stays the
# first on stderr.
python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); d["annotations"] = {"org.ward.exception": "W999,W010"}
json.dump(d, open(sys.argv[2], "w"))' "$PT/state.json" "$PT/state-exception.json"
RUN_STDIN=$PT/state-exception.json run_cmd "$PREFIX/bin/ward" hook --policy default \
        --log-file "$L/ward-hook.log"
assert_eq "exceptions not granted: refused (exit 1)" 1 "$RC"
assert_match "exceptions not granted: stderr's first line is still the rules" \
        "$(head -1 <<<"$ERR")" "^ward hook: refusing container $TAG-direct under policy default: "
assert_contains "exceptions not granted: W999 named, later" "$ERR" \
        "org.ward.exception names no rule \"W999\"; ignored"
assert_contains "exceptions not granted: W010 not allowed by the policy" "$ERR" \
        "exception for W010 requested by org.ward.exception, but policy default allows no exception"
hook_log relative ward-hook.log
assert_eq "--log-file relative: exit 125" 125 "$RC"
assert_contains "--log-file relative: why" "$ERR" "is not an absolute path"
hook_log audit "$L/link" audit
assert_eq "--log-file a symlink in audit mode: allowed like a broken policy (exit 0)" 0 "$RC"
assert_contains "--log-file a symlink in audit mode: the error, and that it allowed" "$ERR" \
        "audit mode: container $TAG-direct allowed despite the error"

finish
