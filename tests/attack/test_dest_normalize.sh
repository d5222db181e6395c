#!/usr/bin/env bash
# Mount destinations spelled around a string compare: "/./proc", "//proc", "/proc/.",
# "/dev/." and "/proc/../proc" are /proc and /dev to the kernel, but were not "/proc" to
# the check that refuses a mount over the sandbox's own proc (CVE-2019-19921's class): a
# volume of the host's /proc at /./proc showed every host process. Each spelling, from the
# command line, a profile and a bundle's config.json, must be refused with 125 before
# anything runs; a path that only starts like /proc (/procfoo) is no reserved place, and a
# harmless spelling of an ordinary path still works. The control: a mount by string path
# at "$R/./proc" covers "$R/proc" (what the check must foresee), and the same bind at a
# place ward allows does show the host's processes.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$R/procfoo" "$R/mnt/h"
need_naive "$R"
HOSTDIR=$WORK/hostdir
mkdir -p "$HOSTDIR"
echo host >"$HOSTDIR/file"
chmod 755 "$HOSTDIR"

# Run inside the sandbox: whether /proc shows this test's own shell, a host process.
# shellcheck disable=SC2016 # expanded by the sandbox's shell
SEES='if test -d /proc/$1; then echo proc=host; else echo proc=own; fi
test -c /dev/null && echo devnull=yes; echo ran=yes'
sees() { wrun --rootfs "$R" "$@" -- /bin/sh -c "$SEES" "$TAG" "$$"; }

# refused NAME MESSAGE ARGS...: ward exits 125 with MESSAGE and the command never ran.
refused() {
        local name=$1 msg=$2
        shift 2
        sees "$@"
        assert_eq "$name: refused (125)" 125 "$RC"
        assert_contains "$name: says why" "$ERR" "$msg"
        assert_not_contains "$name: the command did not run" "$OUT" "ran=yes"
}

# -- the command line ------------------------------------------------------------------
for dst in /./proc //proc /proc/. /proc/ /proc/./ ///proc//./; do
        refused "-v /proc:$dst" "cannot mount on /proc" -v "/proc:$dst"
        assert_contains "-v /proc:$dst: names the flag" "$ERR" "--volume"
done
refused "-v HOSTDIR:/./proc/sys" "cannot mount on /proc/sys" -v "$HOSTDIR:/./proc/sys"
for dst in /dev/. //dev /dev/ /./dev/./; do
        refused "--tmpfs $dst" "cannot mount on /dev" --tmpfs "$dst"
        assert_contains "--tmpfs $dst: names the flag" "$ERR" "--tmpfs"
done
for dst in /proc/../proc /mnt/../proc /../proc /mnt/..; do
        refused "-v HOSTDIR:$dst" '".." component' -v "$HOSTDIR:$dst"
done
refused "--tmpfs /tmp/../dev" '".." component' --tmpfs /tmp/../dev
refused "-w /tmp/../proc" '".." component' -w /tmp/../proc
refused "-v HOSTDIR:/./" "cannot mount over the root" -v "$HOSTDIR:/./"

# Component boundaries: /procfoo is not under /proc; a harmless spelling still works.
sees --tmpfs /procfoo
assert_eq "--tmpfs /procfoo: not /proc, allowed" "0 own" "$RC $(kv proc)"
wrun --rootfs "$R" -v "$HOSTDIR:/mnt/./h//" -w /./mnt/h/ -- /bin/sh -c 'pwd; cat file' "$TAG"
assert_eq "-v HOSTDIR:/mnt/./h// -w /./mnt/h/: mounted at /mnt/h, cwd /mnt/h" \
        "0 /mnt/h host" "$RC $(printf '%s' "$OUT" | tr '\n' ' ' | sed 's/ $//')"

# -- a profile ---------------------------------------------------------------------------
P=$WORK/dest.profile
for line in "Bind=/proc /./proc" "Bind=/proc //proc/" "Tmpfs=/dev/." "Bind=$HOSTDIR /proc/../proc" \
        "MaskPath=/proc/../etc" "ReadOnlyPath=/./proc/../sys" "WorkingDirectory=/tmp/.."; do
        section=Filesystem
        [ "${line%%=*}" = WorkingDirectory ] && section=Process
        printf '[Profile]\nInclude=default\n\n[%s]\n%s\n' "$section" "$line" >"$P"
        chmod 644 "$P"
        case $line in
        *..*) msg='".." component' ;;
        Tmpfs*) msg="cannot mount on /dev" ;;
        *) msg="cannot mount on /proc" ;;
        esac
        refused "profile $line" "$msg" --profile "$P"
        assert_contains "profile $line: names the file and line" "$ERR" "$P:5"
done

# -- a bundle's config.json ----------------------------------------------------------------
if [ "$(id -u)" != 0 ]; then
        skip "bundle destinations" "bundles without a user namespace need root"
elif ! command -v crun >/dev/null || ! command -v jq >/dev/null; then
        skip "bundle destinations" "crun and jq are not installed (apt-get install -y crun jq)"
else
        B=$WORK/bundle
        crun_spec_bundle "$B"
        bundle() {
                jq --arg root "$R" --arg tag "$TAG" --arg pid "$$" --arg sees "$SEES" '
                        .root.path = $root | .process.terminal = false
                        | .process.args = ["/bin/sh", "-c", $sees, $tag, $pid]
                        | .linux.namespaces += [{type: "user"}]
                        | del(.mounts[] | select(.type == "cgroup"))
                        | '"$1" "$WORK/crun-spec.json" >"$B/config.json"
        }
        bundle '.'
        wrun --bundle "$B"
        assert_eq "bundle: the plain bundle runs with its own proc" "0 own" "$RC $(kv proc)"
        for dst in /./proc //proc /proc/. /./proc/sys; do
                bundle '.mounts += [{destination: "'"$dst"'", type: "bind", source: "/proc",
                        options: ["rbind", "ro"]}]'
                wrun --bundle "$B"
                assert_eq "bundle destination $dst: refused (125)" 125 "$RC"
                # "cannot mount on /proc...", or the bind is no match for ward's own /proc
                assert_contains "bundle destination $dst: says why" "$ERR" "ward mounts"
                assert_not_contains "bundle destination $dst: nothing ran" "$OUT" "ran=yes"
        done
        # A tmpfs at /dev/. is the standard /dev, which ward builds itself: it is not
        # mounted over ward's /dev (that would leave an empty one, without /dev/null).
        bundle '.mounts += [{destination: "/dev/.", type: "tmpfs", source: "tmpfs"}]'
        wrun --bundle "$B"
        assert_eq "bundle destination /dev/.: ward's own /dev (with /dev/null), own proc" \
                "0 yes own" "$RC $(kv devnull) $(kv proc)"
        bundle '.mounts += [{destination: "/proc/../proc", type: "bind", source: "/proc",
                options: ["rbind"]}]'
        wrun --bundle "$B"
        assert_eq "bundle destination /proc/../proc: refused (125)" 125 "$RC"
        assert_contains "bundle destination /proc/../proc: says why" "$ERR" '".." component'
        assert_contains "bundle destination /proc/../proc: names the JSON path" "$ERR" \
                "mounts["
fi

# -- controls ------------------------------------------------------------------------------
# The same bind at a place ward allows: the host's processes are there to see, so a bind
# landing on /proc would have shown them too.
wrun --rootfs "$R" -v /proc:/mnt -- /bin/sh -c 'test -d /mnt/$1 && echo hostpids=yes' \
        "$TAG" "$$"
assert_eq "control: -v /proc:/mnt shows this host shell's pid" "0 yes" "$RC $(kv hostpids)"
# A mount by string path: "$R/./proc" and "$R/dev/." are the image's /proc and /dev.
if naive_part "naive runtime: a mount at ROOT/./proc"; then
        run_cmd setpriv --reuid 65534 --regid 65534 --clear-groups unshare -Urpfm sh -c \
                'mount -t proc proc "$0/proc" && mount --rbind /proc "$0/./proc" &&
                 mount -t tmpfs naive "$0/dev/." &&
                 test -d "$0/proc/$1" && echo hostpids=yes; stat -f -c "dev=%T" "$0/dev"' \
                "$R" "$$"
        assert_eq "naive runtime: a bind at ROOT/./proc covers ROOT/proc with the host's pids" \
                "0 yes" "$RC $(kv hostpids)"
        assert_eq "naive runtime: a tmpfs at ROOT/dev/. covers ROOT/dev" tmpfs "$(kv dev)"
fi
finish
