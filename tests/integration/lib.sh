# Helpers for the integration tests: sourced by tests/integration/test_*.sh.
#
# Env (set by ctest): WARD (required), WARD_INIT, WARD_BUILD_DIR, WARD_SOURCE_DIR.
# WARD_PROBE overrides the probe's path (default: $WARD_BUILD_DIR/tests/ward-probe).
#
# Every check prints "ok - NAME" or "not ok - NAME" followed by "#   " lines that show the
# command, its exit status and its output. `finish` prints the totals and exits non-zero
# if anything failed. Nothing here mounts anything or signals a process it did not start.
#
# Side by side: ctest runs two suites at once (tests/run.sh and .ci/run pass -j2), and the
# leftover checks below (wrun, snapshot/leftover_check, finish) see only what their own
# suite made, by these keys, which a new test must keep to:
#   - $WORK: everything the suite makes goes in it (rootfs, sockets, logs, TMPDIR of the
#     tools it drives). Mounts inside another suite's work directory (ward-it.*) are that
#     suite's to check.
#   - $TAG: the command line of every process started in a sandbox carries it (the probe's
#     --tag=$TAG, a shell's $0); a name that the sandbox might leak into the host's /tmp,
#     /var/tmp, /run or /dev/shm holds it too (/tmp/ward-it-$TAG). Names holding another
#     run's tag (ward-it-PID-N) are that run's.
#   - ward-test-*: what the suite itself must put in /tmp, /var/tmp, /run or /dev/shm (a
#     stand-in socket, a listener's path: not $TAG, which marks sandbox processes); no
#     run's check counts these, so the suite removes them itself.
# What cannot be keyed (the id-lease pool's first range, a VM's CPU) is listed in
# tests/CMakeLists.txt (RUN_SERIAL, RESOURCE_LOCK) with the reason.

set -u

WARD=${WARD:?set WARD to the ward binary}
WARD_BUILD_DIR=${WARD_BUILD_DIR:-$(cd "$(dirname "$WARD")" && pwd)}
WARD_SOURCE_DIR=${WARD_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PROBE=${WARD_PROBE:-$WARD_BUILD_DIR/tests/ward-probe}

if [ ! -x "$WARD" ]; then
        echo "Bail out! WARD=$WARD is not an executable"
        exit 1
fi
if [ ! -x "$PROBE" ]; then
        echo "Bail out! the probe $PROBE is not built (cmake --build ... --target ward-probe)"
        exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ward-it.XXXXXX") || {
        echo "Bail out! mktemp failed"
        exit 1
}
# A marker for the command lines of the processes the tests start inside sandboxes: the
# probe ignores --tag=, shells get it as $0. Used to prove nothing is left running.
TAG="ward-it-$$-$RANDOM$RANDOM"
printf '%s\n' "$TAG" >"$WORK/.tag-pattern"

T_CHECKS=0
T_FAILED=0
T_SKIPPED=0
T_RUNS=0
T_LEFTOVER_FAILS=0
T_TIMEOUT=${T_TIMEOUT:-30} # seconds for one foreground command

# ---------------------------------------------------------------------------------------
# Reporting

ok() {
        T_CHECKS=$((T_CHECKS + 1))
        echo "ok - $1"
}

# fail NAME [DETAIL...]: a failed check; the details and the last command's output follow.
fail() {
        local line
        T_CHECKS=$((T_CHECKS + 1))
        T_FAILED=$((T_FAILED + 1))
        echo "not ok - $1"
        shift
        for line in "$@"; do
                echo "#   $line"
        done
        last_command_report
}

skip() {
        T_SKIPPED=$((T_SKIPPED + 1))
        echo "ok - $1 # SKIP $2"
}

# What the last run_cmd/wrun did, indented for a failure report.
last_command_report() {
        [ -n "${LAST_CMD:-}" ] || return 0
        echo "#   command: $LAST_CMD"
        echo "#   exit status: ${RC:-?}"
        if [ -n "${OUT:-}" ]; then
                echo "#   stdout:"
                printf '%s\n' "$OUT" | head -n 60 | sed 's/^/#     /'
        fi
        if [ -n "${ERR:-}" ]; then
                echo "#   stderr:"
                printf '%s\n' "$ERR" | head -n 30 | sed 's/^/#     /'
        fi
}

# assert_eq NAME EXPECTED ACTUAL
assert_eq() {
        if [ "$2" = "$3" ]; then
                ok "$1"
        else
                fail "$1" "expected: '$2'" "got:      '$3'"
        fi
}

# assert_ne NAME UNEXPECTED ACTUAL
assert_ne() {
        if [ "$2" != "$3" ]; then
                ok "$1"
        else
                fail "$1" "expected anything but: '$2'"
        fi
}

# assert_contains NAME HAYSTACK NEEDLE
assert_contains() {
        if [[ $2 == *"$3"* ]]; then
                ok "$1"
        else
                fail "$1" "expected to contain: '$3'" "in: '$(printf '%s' "$2" | head -c 2000)'"
        fi
}

# assert_not_contains NAME HAYSTACK NEEDLE
assert_not_contains() {
        if [[ $2 != *"$3"* ]]; then
                ok "$1"
        else
                fail "$1" "expected NOT to contain: '$3'" \
                        "in: '$(printf '%s' "$2" | head -c 2000)'"
        fi
}

# assert_match NAME STRING ERE
assert_match() {
        if [[ $2 =~ $3 ]]; then
                ok "$1"
        else
                fail "$1" "expected to match: /$3/" "got: '$(printf '%s' "$2" | head -c 2000)'"
        fi
}

# assert_exit CODE CMD...: run CMD (run_cmd: OUT, ERR, RC are set) and check its status.
assert_exit() {
        local want=$1
        shift
        run_cmd "$@"
        assert_eq "exit $want: $*" "$want" "$RC"
}

# finish: the totals, the final leftover check, and the script's exit status.
finish() {
        final_leftover_check
        echo "# $T_CHECKS checks, $T_FAILED failed, $T_SKIPPED skipped; $T_RUNS ward runs"
        [ "$T_FAILED" = 0 ] && exit 0
        exit 1
}

# ---------------------------------------------------------------------------------------
# Running things

# run_cmd CMD...: run CMD in the foreground with a hard time limit; sets OUT, ERR, RC and
# LAST_CMD. Stdin is /dev/null unless RUN_STDIN names a file.
run_cmd() {
        local q
        printf -v q '%q ' "$@"
        LAST_CMD=${q% }
        timeout -s KILL "$T_TIMEOUT" "$@" <"${RUN_STDIN:-/dev/null}" \
                >"$WORK/.out" 2>"$WORK/.err"
        RC=$?
        OUT=$(cat "$WORK/.out")
        ERR=$(cat "$WORK/.err")
        if [ "$RC" = 137 ] && [ -z "$OUT$ERR" ]; then
                ERR="(killed after ${T_TIMEOUT}s, or by SIGKILL)"
        fi
        return 0
}

# A runner that is not root but has supplementary groups: rootless, ward refuses to start
# while they would stay in the sandbox (they cannot be dropped there; see
# tests/attack/test_rootless_groups.sh). The other suites test the sandbox, not the
# runner's groups, so wrun and wexplain accept them.
KEEP_GROUPS=()
if [ "$(id -u)" != 0 ] && [ -n "$(id -G | tr ' ' '\n' | grep -vx "$(id -g)")" ]; then
        KEEP_GROUPS=(--keep-groups)
fi

# wrun ARGS...: `ward run ARGS...` through run_cmd, then the leftover check (no new host
# mounts, no new children of this shell, no tagged process left, no new temporary file).
wrun() {
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd "$WARD" run "${KEEP_GROUPS[@]}" "$@"
        leftover_check "ward run $*"
}

# wexplain ARGS...: `ward explain ARGS...`, same checks.
wexplain() {
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd "$WARD" explain "${KEEP_GROUPS[@]}" "$@"
        leftover_check "ward explain $*"
}

# kv KEY [TEXT]: the value of the first "KEY=value" line of TEXT (default: $OUT).
# Prints "<missing>" when there is none, so that an absent line never equals "".
kv() {
        local key=$1 text=${2-$OUT} line
        while IFS= read -r line; do
                if [ "${line:0:${#key}+1}" = "$key=" ]; then
                        printf '%s' "${line:${#key}+1}"
                        return 0
                fi
        done <<<"$text"
        printf '<missing>'
}

# ia32_check ROOTFS: whether this kernel runs i386 system calls: IA32=yes or no. A kernel
# built without IA32 emulation (or booted with ia32_emulation=false) kills an `int 0x80`
# with SIGSEGV even without any filter, so what a filter does to one cannot be told there.
# Asked of an unconfined sandbox, once per test.
ia32_check() {
        wrun --rootfs "$1" --security-opt seccomp=unconfined -- /bin/ward-probe "--tag=$TAG" \
                syscalls
        if [ "$(kv int80)" = OK ]; then IA32=yes; else IA32=no; fi
        [ "$IA32" = yes ] ||
                echo "# this kernel has no IA32 emulation (int 0x80 without a filter: $(kv int80))"
}

# assert_int80 NAME VALUE: VALUE must be killed:SYS where the kernel runs i386 calls; skipped
# with the reason where it does not (ia32_check first).
assert_int80() {
        if [ "${IA32:-yes}" = yes ]; then
                assert_eq "$1" killed:SYS "$2"
        else
                skip "$1" "this kernel has no IA32 emulation: int 0x80 dies of SIGSEGV unfiltered"
        fi
}

# ---------------------------------------------------------------------------------------
# The rootfs

# make_rootfs DIR: a busybox-static root with the probe in /bin, an `app` user (1000),
# the usual empty mount points, world-readable so that any uid can use it.
make_rootfs() {
        local dir=$1 app
        local applets=(sh ash ls cat id echo touch mount umount ps sleep kill true false env
                grep sed awk head tail wc mkdir rm cp mv ln chmod chown stat readlink
                hostname ip ifconfig df test "[" printf pwd uname whoami find xargs tr sort
                dd nproc ulimit umask tee timeout)
        if [ ! -x /bin/busybox ]; then
                echo "Bail out! /bin/busybox is missing: apt-get install busybox-static"
                exit 1
        fi
        if command -v ldd >/dev/null && ldd /bin/busybox >/dev/null 2>&1; then
                echo "Bail out! /bin/busybox is dynamically linked: apt-get install busybox-static"
                exit 1
        fi
        mkdir -p "$dir"/{bin,sbin,usr/bin,dev,proc,sys,tmp,etc,root,run,var/tmp,home/app} ||
                exit 1
        cp /bin/busybox "$dir/bin/busybox" || exit 1
        for app in "${applets[@]}"; do
                ln -sf busybox "$dir/bin/$app"
        done
        cp "$PROBE" "$dir/bin/ward-probe" || exit 1
        chmod 755 "$dir/bin/ward-probe"
        cat >"$dir/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:app:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
        cat >"$dir/etc/group" <<'EOF'
root:x:0:
app:x:1000:
nogroup:x:65534:
EOF
        echo rootfs >"$dir/etc/hostname"
        chmod 755 "$dir" "$dir"/{bin,sbin,usr,usr/bin,dev,proc,sys,etc,root,run,var,home}
        chmod 1777 "$dir/tmp" "$dir/var/tmp"
        chown 1000:1000 "$dir/home/app" 2>/dev/null
}

# ---------------------------------------------------------------------------------------
# Leftovers: host mounts, children of this shell, tagged processes

# Mounts as "mountpoint root fstype source": what a leak changes, independent of mount ids.
# Not those inside another suite's work directory: they come and go with that suite.
host_mounts() {
        local line
        local -a f
        while IFS= read -r line; do
                read -r -a f <<<"$line"
                if [[ ${f[4]} != "$WORK" && ${f[4]} != "$WORK"/* ]] &&
                        [[ ${f[4]} == */ward-it.* || ${f[4]} == */ward-test-* ]]; then
                        continue
                fi
                local i=6
                while [ "${f[$i]}" != "-" ]; do i=$((i + 1)); done
                printf '%s %s %s %s\n' "${f[4]}" "${f[3]}" "${f[$((i + 1))]}" "${f[$((i + 2))]}"
        done </proc/self/mountinfo | sort
}

# CHILDREN=the children of this shell, one per line, sorted. Builtins only, and no command
# substitution: a forked reader would list itself.
read_children() {
        local c part all=() sorted=()
        for c in /proc/$$/task/*/children; do
                part=
                read -r -d '' part <"$c"
                all+=($part)
        done
        # Sort numerically without a fork (small lists).
        local i j t
        for ((i = 0; i < ${#all[@]}; i++)); do
                for ((j = i + 1; j < ${#all[@]}; j++)); do
                        if ((all[j] < all[i])); then
                                t=${all[i]} all[i]=${all[j]} all[j]=$t
                        fi
                done
        done
        printf -v CHILDREN '%s\n' "${all[@]}"
        [ ${#all[@]} = 0 ] && CHILDREN=
}

# Processes whose command line holds our marker (grep reads the marker from a file so that
# its own command line does not match).
tagged_pids() {
        grep -lsFf "$WORK/.tag-pattern" /proc/[0-9]*/cmdline 2>/dev/null |
                sed -n 's|^/proc/\([0-9]*\)/cmdline$|\1|p' | sort -n
}

# new_lines OLD NEW: the non-empty lines of NEW that are not lines of OLD.
new_lines() {
        grep -vxF -f <(printf '%s\n' "$1") <<<"$2" | grep -v '^$'
}

# Temporary files a run might leave: names with "ward" in the usual temp places, except the
# test suites' own work directories and files, and names that hold another run's tag.
temp_entries() {
        local d f
        for d in "${TMPDIR:-/tmp}" /tmp /var/tmp /run /dev/shm; do
                for f in "$d"/*ward* "$d"/.*ward*; do
                        [ -e "$f" ] || [ -L "$f" ] || continue
                        case ${f##*/} in ward-it.* | ward-test-*) continue ;; esac
                        [[ ${f##*/} == *ward-it-[0-9]*-[0-9]* && ${f##*/} != *"$TAG"* ]] &&
                                continue
                        # ward's own state (the id-range leases, ward(1) FILES), not a leftover.
                        [ "$f" = /run/ward ] && continue
                        echo "$f"
                done
        done | sort -u
}

# The host's shared device nodes: a runtime that fchowns its stdio (crun does) must never
# be handed one of them.
host_devices() {
        stat -c '%n %u:%g %a' /dev/null /dev/zero /dev/full /dev/random /dev/urandom 2>&1
}

snapshot() {
        SNAP_DEVICES=$(host_devices)
        SNAP_TEMP=$(temp_entries)
        SNAP_MOUNTS=$(host_mounts)
        read_children
        SNAP_CHILDREN=$CHILDREN
}

# leftover_check WHAT: compare with the last snapshot; a failure names what is left.
leftover_check() {
        local what=$1 mounts children tagged new_mounts new_children new_temp devices tries=0
        devices=$(new_lines "$SNAP_DEVICES" "$(host_devices)")
        if [ -n "$devices" ]; then
                T_LEFTOVER_FAILS=$((T_LEFTOVER_FAILS + 1))
                fail "the host's device nodes are unchanged after: $what" "now: $devices"
        fi
        while :; do
                new_temp=$(new_lines "$SNAP_TEMP" "$(temp_entries)")
                mounts=$(host_mounts)
                read_children
                children=$CHILDREN
                tagged=$(tagged_pids)
                new_mounts=$(new_lines "$SNAP_MOUNTS" "$mounts")
                new_children=$(new_lines "$SNAP_CHILDREN" "$children")
                [ -z "$new_mounts$new_children$tagged$new_temp" ] && return 0
                # ward has returned; give the kernel a moment to finish tearing down.
                tries=$((tries + 1))
                [ "$tries" -ge 10 ] && break
                sleep 0.1
        done
        T_LEFTOVER_FAILS=$((T_LEFTOVER_FAILS + 1))
        fail "nothing left on the host after: $what" \
                ${new_mounts:+"new host mounts:" "$(printf '%s\n' "$new_mounts" | head -20)"} \
                ${new_children:+"new children of the test shell: $(echo $new_children)"} \
                ${tagged:+"sandbox processes still running: $(echo $tagged)" "$(ps_of $tagged)"} \
                ${new_temp:+"new temporary files: $(echo $new_temp)"}
}

ps_of() {
        local p
        for p in "$@"; do
                printf '%s: %s\n' "$p" "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
        done
}

# The pids of PID's descendants (not PID itself), depth first.
descendants() {
        local p c kids
        for c in /proc/"$1"/task/*/children; do
                kids=$(cat "$c" 2>/dev/null) || continue
                for p in $kids; do
                        echo "$p"
                        descendants "$p"
                done
        done
}

# starttime PID: field 22 of /proc/PID/stat; together with the pid it names one process.
starttime() {
        local stat
        stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
        stat=${stat##*) }
        set -- $stat
        echo "${20}"
}

# alive PID STARTTIME: the same process still exists and is not a zombie.
alive() {
        local stat
        stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
        stat=${stat##*) }
        set -- $stat
        [ "$1" != Z ] && [ "${20}" = "$2" ]
}

# crun_spec_bundle DIR: a new bundle DIR with the config.json `crun spec` writes, kept also
# as $WORK/crun-spec.json for the tests' jq filters to start from.
crun_spec_bundle() {
        mkdir -p "$1"
        (cd "$1" && crun spec) || {
                echo "Bail out! crun spec failed"
                exit 1
        }
        cp "$1/config.json" "$WORK/crun-spec.json"
}

# wait_file PATH SECONDS: true once PATH exists.
wait_file() {
        local deadline=$((SECONDS + $2))
        until [ -e "$1" ]; do
                ((SECONDS < deadline)) || return 1
                sleep 0.02
        done
}

# wait_for_line FILE TEXT SECONDS: true once FILE has a line equal to TEXT.
wait_for_line() {
        local deadline=$((SECONDS + $3))
        until grep -qxF -- "$2" "$1" 2>/dev/null; do
                ((SECONDS < deadline)) || return 1
                sleep 0.05
        done
}

# wait_exit PID SECONDS: the exit status of background job PID; SIGKILL after SECONDS
# (then the status is 137 and "timeout" is printed to stderr).
wait_exit() {
        local pid=$1 deadline=$((SECONDS + $2))
        while kill -0 "$pid" 2>/dev/null; do
                if ((SECONDS >= deadline)); then
                        echo "timeout: killing $pid" >&2
                        kill -KILL "$pid" 2>/dev/null
                        break
                fi
                sleep 0.05
        done
        wait "$pid"
}

final_leftover_check() {
        local tagged under
        tagged=$(tagged_pids)
        if [ -n "$tagged" ]; then
                LAST_CMD=
                fail "no sandbox process of this script is left running" "$(ps_of $tagged)"
        fi
        under=$(awk -v w="$WORK" '$5 == w || index($5, w "/") == 1 {print $5}' \
                /proc/self/mountinfo)
        if [ -n "$under" ]; then
                LAST_CMD=
                fail "no host mount is left under the work dir" "$under"
        fi
}

lib_cleanup() {
        local rc=$? p under
        # Our own sandbox processes only: the marker is in their command line.
        for p in $(tagged_pids); do
                kill -KILL "$p" 2>/dev/null
        done
        for p in ${CLEANUP_PIDS:-}; do
                kill -KILL "$p" 2>/dev/null
        done
        under=$(awk -v w="$WORK" '$5 == w || index($5, w "/") == 1 {print $5}' \
                /proc/self/mountinfo)
        if [ -n "$under" ]; then
                # Never rm -rf through a leaked (possibly rw bind) mount into the host.
                echo "# NOT removing $WORK: host mounts are left under it:"
                printf '#   %s\n' $under
                exit 1
        fi
        rm -rf --one-file-system "$WORK"
        exit "$rc"
}
trap lib_cleanup EXIT

# need_root WHY: skip the whole suite (exit 77) unless run as root.
need_root() {
        [ "$(id -u)" = 0 ] && return 0
        echo "1..0 # SKIP $1"
        exit 77
}

# need_tools "PACKAGES" TOOL...: skip the whole suite (exit 77) when a TOOL is missing,
# naming the Debian PACKAGES that bring them.
need_tools() {
        local packages=$1 tool
        shift
        for tool; do
                command -v "$tool" >/dev/null && continue
                echo "1..0 # SKIP $tool is not installed (apt-get install -y $packages)"
                exit 77
        done
}

# reachable_by UID: WARD, ward-init and PROBE executable by UID, and $WORK (mode 0755) its
# way to them. A checkout under /root (mode 0700, as on a fresh machine) hides the build
# from the uids the rootless checks switch to: they then run copies in $WORK/bin (ward-init
# beside ward, where ward looks first), and WARD, WARD_INIT and PROBE name the copies. The
# copies are outside the build tree: a profile named by its file in profiles/ is not found.
reachable_by() {
        local uid=$1 init f hidden=
        init=${WARD_INIT:-$(dirname "$WARD")/ward-init}
        chmod 755 "$WORK" || return 1
        for f in "$WARD" "$init" "$PROBE"; do
                [ -e "$f" ] || continue
                setpriv --reuid="$uid" --regid="$uid" --clear-groups test -x "$f" && continue
                hidden=$f
                break
        done
        [ -n "$hidden" ] || return 0
        mkdir -p "$WORK/bin" && chmod 755 "$WORK/bin" || return 1
        cp "$WARD" "$WORK/bin/ward" && cp "$PROBE" "$WORK/bin/ward-probe" || return 1
        if [ -e "$init" ]; then
                cp "$init" "$WORK/bin/ward-init" || return 1
                WARD_INIT=$WORK/bin/ward-init
        fi
        echo "# uid $uid cannot reach $hidden: running copies of ward, ward-init and the probe in $WORK/bin"
        WARD=$WORK/bin/ward PROBE=$WORK/bin/ward-probe
}

# An `ok`/`not ok` header so that the log says which binaries are tested.
echo "# ward=$WARD probe=$PROBE work=$WORK kernel=$(uname -r) uid=$(id -u)"
