#!/usr/bin/env bash
# bench/startup.sh: how long `ward run` takes to start and finish /bin/true, side by side
# with plain exec, unshare(1), bubblewrap and crun, in one hyperfine run. Prints the mean
# of each, the ratios (ward/bwrap, ward/crun, each vs exec) and ward's targets.
#
#   bench/startup.sh              run it (root for the crun column, see README.md)
#   bench/startup.sh --install    as root: apt-get install what is missing first
#
# Environment: RUNS (timed runs per command, default 100), WARMUP (default 3),
# WARD (the ward binary; default: build/ward next to this script, then /work/build/ward,
# then /work/build*/ward, preferring one that is not an ASan/UBSan build),
# KEEP_JSON=FILE (copy hyperfine's JSON export there).
#
# Host safety: the only mounts this script makes are a tmpfs over /sys/fs/cgroup/unified
# and a private null device over /dev/null (crun fchowns its stdio), and only inside a
# new, private mount namespace (unshare -m) that dies with hyperfine;
# the host's cgroup tree is never written. Everything else lives in one temp dir that is
# removed on exit.
set -euo pipefail

readonly ID_MAP_BASE=2000000 # the host uid/gid ward maps the sandbox's root to (config.h)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { printf 'startup.sh: %s\n' "$*" >&2; exit 2; }
note() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------
# Inner stage: runs inside the private mount namespace (as root), or directly (non-root).
# Preflights every command once, drops the ones that fail (recording why), and times the
# rest with hyperfine. $1 = the temp dir prepared by the outer stage.
# ---------------------------------------------------------------------------------------
inner_stage() {
    local t=$1 name cmd out
    local -a argv hf=()

    if [[ $(id -u) == 0 ]]; then
        # Refuse to mount anything unless we really are in a mount namespace of our own.
        [[ $(readlink /proc/self/ns/mnt) != "${WARD_BENCH_OUTER_MNTNS:?}" ]] ||
            die "inner stage is still in the caller's mount namespace; not mounting"
        if mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
            # crun refuses a v1/v2 hybrid; hide the v2 part (private namespace only).
            mount -t tmpfs -o size=4k,mode=755 ward-bench /sys/fs/cgroup/unified
        fi
        # crun (1.8) fchowns its stdio to the container's root, and hyperfine gives every
        # command /dev/null: here /dev/null is a node of our own, so the host's keeps its
        # owner.
        mknod -m 666 "$t/null" c 1 3
        mount --bind "$t/null" /dev/null
    fi

    : >"$t/status"
    local -a names=()
    local -A cmd_of=()
    while IFS=$'\t' read -r name cmd; do
        [[ -n $name ]] || continue
        read -ra argv <<<"$cmd"
        if out=$("${argv[@]}" 2>&1 </dev/null); then
            names+=("$name")
            cmd_of[$name]=$cmd
            printf '%s\tok\t\n' "$name" >>"$t/status"
        else
            local rc=$?
            out=$(printf '%s' "$out" | tr '\n\t' '  ' | cut -c1-600)
            printf '%s\tfailed\texit %s: %s\n' "$name" "$rc" "$out" >>"$t/status"
        fi
    done <"$t/commands"

    # -N: no intermediate shell, so a run costs exactly the command's fork+exec+wait.
    # A non-zero exit aborts hyperfine (no --ignore-failure): every timed run succeeded.
    # When a command fails in the middle (e.g. ward being rebuilt under us), it is marked
    # failed with hyperfine's message and the others are timed again without it.
    while ((${#names[@]})); do
        hf=()
        for name in "${names[@]}"; do hf+=(-n "$name" "${cmd_of[$name]}"); done
        if hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --time-unit millisecond             --export-json "$t/results.json" "${hf[@]}" 2>&1 | tee "$t/hyperfine.log"; then
            return 0
        fi
        name=$(sed -n 's/^Benchmark [0-9]*: //p' "$t/hyperfine.log" | tail -n1)
        out=$(grep -m1 '^Error' "$t/hyperfine.log" | cut -c1-600 || true)
        [[ -n $name && -n ${cmd_of[$name]:-} ]] || die "hyperfine failed: ${out:-see above}"
        printf '%s\tfailed\tduring the timed runs: %s\n' "$name" "$out" >>"$t/status"
        note "startup.sh: $name failed during the timed runs; timing the others again"
        local -a keep=()
        local n
        for n in "${names[@]}"; do [[ $n == "$name" ]] || keep+=("$n"); done
        names=("${keep[@]}")
    done
    note "startup.sh: every command failed; nothing to time"
}

if [[ ${1:-} == --inner-stage ]]; then
    inner_stage "$2"
    exit 0
fi

# ---------------------------------------------------------------------------------------
# Outer stage
# ---------------------------------------------------------------------------------------
install=0
for a in "$@"; do
    case $a in
    --install) install=1 ;;
    -h | --help)
        sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown argument '$a' (try --help)" ;;
    esac
done

RUNS=${RUNS:-100}
WARMUP=${WARMUP:-3}
[[ $RUNS =~ ^[0-9]+$ && $RUNS -ge 2 ]] || die "RUNS must be a number >= 2 (got '$RUNS')"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a number (got '$WARMUP')"
((RUNS >= 30)) || note "note: RUNS=$RUNS; use at least 30 for numbers worth quoting"
export RUNS WARMUP
is_root=0
[[ $(id -u) == 0 ]] && is_root=1

# --- dependencies ------------------------------------------------------------------------
static_busybox() { [[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1; }
declare -A pkg_of=([hyperfine]=hyperfine [bwrap]=bubblewrap [crun]=crun [unshare]=util-linux
    [mountpoint]=util-linux [python3]=python3)
missing_pkgs() {
    local c
    for c in hyperfine bwrap crun unshare mountpoint python3; do
        command -v "$c" >/dev/null || printf '%s\n' "${pkg_of[$c]}"
    done
    static_busybox || echo busybox-static
}
mapfile -t missing < <(missing_pkgs | sort -u)
if ((${#missing[@]})); then
    if ((install && is_root)); then
        note "installing: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q "${missing[@]}" >&2 ||
            { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; } ||
            die "apt-get install ${missing[*]} failed"
        mapfile -t missing < <(missing_pkgs | sort -u)
    else
        note "missing Debian packages: ${missing[*]}"
        if ((is_root)); then
            note "  install them with: $0 --install   (or apt-get install -y ${missing[*]})"
        else
            note "  as root: apt-get install -y ${missing[*]}   (or $0 --install)"
        fi
    fi
fi
for need in hyperfine unshare mountpoint python3; do
    command -v "$need" >/dev/null || die "$need is required (Debian package ${pkg_of[$need]})"
done
static_busybox || die "a static /bin/busybox is required for the rootfs (Debian package busybox-static)"

# --- ward --------------------------------------------------------------------------------
ward=${WARD:-}
# A sanitizer build (ASan/UBSan) is several times slower and says nothing about ward's
# startup: it is taken only when nothing else exists, and then with a warning.
sanitized() { grep -aqE '__asan_init|__ubsan_handle' "$1" 2>/dev/null; }
if [[ -z $ward ]]; then
    for c in "$here/../build/ward" /work/main/build/ward /work/build/ward /work/build*/ward; do
        [[ -x $c ]] || continue
        if sanitized "$c"; then
            [[ -n ${asan_ward:-} ]] || asan_ward=$c
            continue
        fi
        ward=$c
        break
    done
    [[ -n $ward || -z ${asan_ward:-} ]] || ward=$asan_ward
fi
[[ -z $ward ]] || ! sanitized "$ward" ||
    note "warning: $ward is a sanitizer build; its times are not ward's (set WARD=)"
[[ -z $ward || -x $ward ]] || die "WARD=$ward is not an executable"
[[ -n $ward ]] && ward=$(readlink -f "$ward")

# --- temp dir, cleanup, mount check ------------------------------------------------------
t=$(mktemp -d "${TMPDIR:-/tmp}/ward-bench.XXXXXX")
[[ $t =~ ^[A-Za-z0-9/._-]+$ ]] || { rm -rf -- "$t"; die "temp dir '$t' has unusual characters; set TMPDIR"; }
chmod 755 "$t" # the sandboxes' root maps to an unprivileged host uid that must traverse it
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if grep -qF " $t" /proc/self/mountinfo; then
        note "startup.sh: BUG: mounts left under $t:"
        grep -F " $t" /proc/self/mountinfo >&2
        rc=1
    else
        rm -rf -- "$t"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
unified_before=$(grep -F ' /sys/fs/cgroup/unified ' /proc/self/mountinfo || true)

# --- the rootfs R: busybox-static and its applets -----------------------------------------
r=$t/rootfs
mkdir -p "$r"/{bin,dev,etc,proc,sys,tmp,root,run}
cp /bin/busybox "$r/bin/busybox"
while read -r applet; do
    [[ $applet == busybox || -e $r/bin/$applet ]] || ln -s busybox "$r/bin/$applet"
done < <(/bin/busybox --list)
[[ -L $r/bin/true ]] || ln -s busybox "$r/bin/true"
ln -s bin "$r/sbin"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$r/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
chmod 1777 "$r/tmp"

# --- the commands ------------------------------------------------------------------------
declare -A skipped=()
cmds=$t/commands
{
    printf 'exec\t/bin/true\n'
    printf 'unshare\tunshare --user --map-root-user --pid --fork --mount --net --uts --ipc --cgroup /bin/true\n'
    if command -v bwrap >/dev/null; then
        printf 'bwrap\t%s --unshare-all --ro-bind %s / --tmpfs /tmp --proc /proc --dev /dev --cap-drop ALL /bin/true\n' \
            "$(command -v bwrap)" "$r"
    fi
} >"$cmds"
command -v bwrap >/dev/null || skipped[bwrap]="not installed (Debian package bubblewrap)"

if ! command -v crun >/dev/null; then
    skipped[crun]="not installed (Debian package crun)"
elif ((!is_root)); then
    skipped[crun]="measured as root only (its bundle maps 65536 ids as ward does as root, and on a hybrid cgroup host it runs in a private mount namespace)"
else
    mkdir -p "$t/bundle" "$t/crun-state"
    (cd "$t/bundle" && crun spec) >/dev/null
    python3 "$here/crun-bundle.py" "$t/bundle/config.json" "$r" "$ID_MAP_BASE"
    # crun run deletes its container when it exits, so one id per script run is unique
    # at every moment; its state lives in $t/crun-state, never in /run/crun.
    printf 'crun\t%s --root %s --cgroup-manager=disabled run --bundle %s wardbench-%s\n' \
        "$(command -v crun)" "$t/crun-state" "$t/bundle" "$$" >>"$cmds"
fi

if [[ -n $ward ]]; then
    printf 'ward\t%s run --rootfs %s --profile default -- /bin/true\n' "$ward" "$r" >>"$cmds"
else
    skipped[ward]="no binary: set WARD=, or build it (cmake -B build && cmake --build build)"
fi

# --- machine and versions ----------------------------------------------------------------
ver() { "$@" 2>&1 | head -n1 || true; }
echo "== ward startup benchmark: /bin/true, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:   $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
echo "kernel:    $(uname -srm)"
echo "hyperfine: $(ver hyperfine --version)"
echo "unshare:   $(ver unshare --version)"
command -v bwrap >/dev/null && echo "bwrap:     $(ver bwrap --version)"
command -v crun >/dev/null && echo "crun:      $(ver crun --version)"
echo "busybox:   $(ver /bin/busybox | cut -d' ' -f1-2)"
[[ -n $ward ]] && echo "ward:      $ward ($(ver "$ward" version))"
echo "runs:      $RUNS timed + $WARMUP warmup per command; rootfs $r"
echo

# --- time them ---------------------------------------------------------------------------
export WARD_BENCH_OUTER_MNTNS
WARD_BENCH_OUTER_MNTNS=$(readlink /proc/self/ns/mnt)
if ((is_root)); then
    # A new mount namespace with private propagation: the tmpfs over
    # /sys/fs/cgroup/unified (for crun) exists only there and goes when hyperfine exits.
    unshare --mount --propagation private -- bash "${BASH_SOURCE[0]}" --inner-stage "$t"
else
    bash "${BASH_SOURCE[0]}" --inner-stage "$t"
fi
[[ -z ${KEEP_JSON:-} || ! -f $t/results.json ]] || cp "$t/results.json" "$KEEP_JSON"

unified_after=$(grep -F ' /sys/fs/cgroup/unified ' /proc/self/mountinfo || true)
[[ $unified_before == "$unified_after" ]] ||
    { note "startup.sh: BUG: /sys/fs/cgroup/unified changed in the caller's namespace"; exit 1; }

# --- report ------------------------------------------------------------------------------
for k in "${!skipped[@]}"; do printf '%s\tskipped\t%s\n' "$k" "${skipped[$k]}"; done >>"$t/status"
echo
python3 - "$t/results.json" "$t/status" "$t/commands" <<'EOF'
import json, os, sys

results_path, status_path, commands_path = sys.argv[1:4]
order = ["exec", "unshare", "bwrap", "crun", "ward"]
status, why = {}, {}
for line in open(status_path):
    name, st, msg = (line.rstrip("\n").split("\t", 2) + ["", ""])[:3]
    status[name], why[name] = st, msg
cmdline = dict(l.rstrip("\n").split("\t", 1) for l in open(commands_path) if "\t" in l)
res = {}
if os.path.exists(results_path):
    for r in json.load(open(results_path))["results"]:
        res[r["command"]] = r

ms = lambda s: s * 1000.0
base = res.get("exec")
print(f"{'command':<8} {'mean ms':>8} {'± σ':>7} {'median':>8} {'min':>7} {'x exec':>7}  status")
for n in order:
    r = res.get(n)
    if r:
        rel = f"{r['mean'] / base['mean']:.2f}x" if base else "-"
        print(f"{n:<8} {ms(r['mean']):8.2f} {ms(r['stddev'] or 0):7.2f} {ms(r['median']):8.2f}"
              f" {ms(r['min']):7.2f} {rel:>7}  ok")
    else:
        st = status.get(n, "skipped")
        print(f"{n:<8} {'-':>8} {'-':>7} {'-':>8} {'-':>7} {'-':>7}  {st}")

print()
def ratio(a, b, target):
    ra, rb = res.get(a), res.get(b)
    if not ra or not rb:
        miss = a if not ra else b
        print(f"{a}/{b}: n/a ({miss} {status.get(miss, 'skipped')})   target <= {target:.1f}x")
        return
    v = ra["mean"] / rb["mean"]
    verdict = "MET" if v <= target else "NOT MET"
    print(f"{a}/{b}: {v:.2f}x   target <= {target:.1f}x: {verdict}"
          f"   (medians: {ra['median'] / rb['median']:.2f}x)")
ratio("ward", "bwrap", 1.0)
ratio("ward", "crun", 0.6)

problems = [n for n in order if status.get(n) in ("failed", "skipped")]
if problems:
    print()
for n in problems:
    print(f"{n} {status[n]}: {why[n]}")
    if status[n] == "failed":
        print(f"  command: {cmdline.get(n, '?')}")
EOF
