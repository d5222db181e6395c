#!/usr/bin/env bash
# Hostile OCI bundles (`ward run --bundle`): a root.path or /proc that is a symlink, mount
# destinations through the image's symlinks to host paths (CVE-2021-30465 by config.json),
# bind sources with ".." (one that climbs to "/" used to be looked up inside the image once
# the root was stacked on "/", so the image could redirect the bind to any host path),
# relative hooks, a config.json that is a FIFO or a symlink (ward hook, which runs as root,
# refuses one), huge args and env arrays. Each: exit 125 (or the attack contained) and
# nothing left on the host; where a careless runtime falls for it, that is shown too.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

need_root "bundles without a user namespace need root"
need_tools "crun jq" crun jq

R=$WORK/rootfs
make_rootfs "$R"
mkdir -p "$R/data"
need_naive "$R"
B=$WORK/bundle
crun_spec_bundle "$B"
HOSTDIR=$WORK/hostdir
mkdir -p "$HOSTDIR"
echo host >"$HOSTDIR/file"
chmod 777 "$HOSTDIR"
host_state() { ls -A "$HOSTDIR" | tr '\n' ' ' | sed 's/ $//'; }

# bundle JQ-FILTER: crun spec's config.json on the test rootfs, running the probe's ARGS
# (no terminal, no cgroup mount), with a user namespace (the probe's attacks refuse to run
# without one), then JQ-FILTER.
bundle() {
        jq --arg root "$R" --arg tag "--tag=$TAG" '
                .root.path = $root | .process.terminal = false
                | .process.args = ["/bin/ward-probe", $tag]
                | .linux.namespaces += [{type: "user"}]
                | del(.mounts[] | select(.type == "cgroup"))
                | '"$1" "$WORK/crun-spec.json" >"$B/config.json"
}

# -- root.path: a symlink (out of the bundle, or to /) is refused; ".." is the path it names
for link in "$R" / "../../../../../.."; do
        ln -sfn "$link" "$B/rootlink"
        bundle '.root.path = "rootlink" | .process.args += ["write", "/pwned"]'
        wrun --bundle "$B"
        assert_eq "root.path a symlink to $link: refused (125)" 125 "$RC"
        assert_contains "root.path a symlink to $link: says so" "$ERR" "is a symlink"
done
rm "$B/rootlink"
# Climbing to the host's / is the same as writing root.path "/": the bundle's author may
# name any root; it stays read-only as config.json asks and nothing on the host changes.
bundle '.root.path = "../../../../../../../../.." | .root.readonly = true
        | .process.args = ["'"$PROBE"'", "--tag='"$TAG"'", "write", "'"$HOSTDIR"'/pwned"]'
wexplain --bundle "$B"
assert_contains "root.path with ..: explain shows the path named" "$OUT" \
        "Filesystem.Root = $B/../../../../../../../../.."
wrun --bundle "$B"
assert_eq "root.path with .. to /: the app runs" 0 "$RC"
assert_contains "root.path with .. to /: the read-only root holds" \
        "$(kv "write $HOSTDIR/pwned")" "EROFS"
assert_eq "root.path with .. to /: the host directory unchanged" file "$(host_state)"

# -- mount destinations through the image's symlinks (CVE-2021-30465 by config.json) ----
rmdir "$R/data"
for link in "$HOSTDIR" "../../../../../../../../$HOSTDIR"; do
        ln -sfn "$link" "$R/data"
        bundle '.mounts += [{destination: "/data", type: "tmpfs", source: "tmpfs"}]
                | .process.args += ["write", "/data/pwned"]'
        wrun --bundle "$B"
        assert_eq "tmpfs destination /data -> $link: refused (125)" 125 "$RC"
        assert_contains "tmpfs destination /data -> $link: names /data" "$ERR" /data
        bundle '.mounts += [{destination: "/data/sub", type: "bind", source: "'"$WORK"'",
                             options: ["rbind", "rw"]}]'
        wrun --bundle "$B"
        assert_eq "bind destination /data/sub, /data -> $link: refused (125)" 125 "$RC"
done
rm "$R/data" && mkdir "$R/data"
assert_eq "destinations: the host directory got nothing" file "$(host_state)"
bundle '.mounts += [{destination: "/../../../'"$HOSTDIR"'", type: "tmpfs", source: "tmpfs"}]'
wrun --bundle "$B"
assert_eq "destination with ..: refused (125)" 125 "$RC"
assert_contains "destination with ..: says why" "$ERR" '".." component'
if naive_part "naive runtime: a mount destination through the image's symlink"; then
        rmdir "$R/data"
        ln -sfn "$HOSTDIR" "$R/data"
        run_cmd setpriv --reuid 65534 --regid 65534 --clear-groups unshare -Urm sh -c \
                'mount -t tmpfs naive "$0/data" && stat -f -c %T "$1"' "$R" "$HOSTDIR"
        assert_eq "naive runtime: mounting the image's /data covers the host directory" \
                "0 tmpfs" "$RC $OUT"
        rm "$R/data" && mkdir "$R/data"
fi

# -- bind sources with "..": the host path they name, never one the image chooses --------
# The source climbs out of the bundle to "/" and back down to HOSTDIR; the image holds a
# symlink at that same path (inside itself) to another host directory, SECRET.
SECRET=$WORK/secret
mkdir -p "$SECRET" "$R/$(dirname "$HOSTDIR")"
echo secret >"$SECRET/file"
ln -sfn "$SECRET" "$R/$HOSTDIR"
up=$(echo "$B" | sed 's|/[^/]*|../|g')
# Without a user namespace (crun spec's) setup clones the sources itself; with one, the
# monitor does. Both must bind the path named.
for userns in no yes; do
        drop='del(.linux.namespaces[] | select(.type == "user"))'
        [ $userns = yes ] && drop=.
        bundle "$drop"' | .mounts += [{destination: "/data", type: "bind",
                        source: "'"$up$up${HOSTDIR#/}"'", options: ["rbind", "ro"]}]
                | .process.args += ["cat", "/data/file", "statfs", "/data"]'
        wrun --bundle "$B"
        assert_eq "bind source with .. to / (user ns: $userns): the app runs" 0 "$RC"
        assert_eq "bind source with .. to / (user ns: $userns): the host path it names is bound" \
                host "$(kv "cat /data/file")"
        assert_match "bind source with .. to / (user ns: $userns): read-only as asked" \
                "$(kv "flags /data")" "^ro,"
done
assert_eq "bind source with ..: the host directory unchanged" file "$(host_state)"
assert_eq "bind source with ..: the other directory unchanged" file "$(ls -A "$SECRET")"
# The careless order (look the source up by string once the image is stacked on "/", as
# ward did): the ".." crosses into the image, and its symlink picks the host directory.
run_cmd unshare -m --propagation private sh -c \
        'mount --rbind "$1" / && cat "$2"/file' sh "$R" "$B/$up$up${HOSTDIR#/}"
assert_eq "careless order: the image redirected the source to another host directory" \
        "0 secret" "$RC $OUT"
rm "$R/$HOSTDIR"

# -- /proc in the image a symlink -------------------------------------------------------
rmdir "$R/proc"
for link in "$HOSTDIR" /data; do
        ln -sfn "$link" "$R/proc"
        bundle '.process.args += ["statfs", "/proc"]'
        wrun --bundle "$B"
        assert_eq "/proc -> $link: refused (125)" 125 "$RC"
        assert_contains "/proc -> $link: says /proc is a symlink" "$ERR" "/proc"
        rm "$R/proc"
done
mkdir "$R/proc"
assert_eq "/proc: the host directory got nothing" file "$(host_state)"

# -- hooks: relative or not a program ------------------------------------------------------
for path in "bin/true" "../../bin/true" "./hook"; do
        bundle '.hooks = {prestart: [{path: "'"$path"'"}]}'
        wrun --bundle "$B"
        assert_eq "hook path $path: refused (125)" 125 "$RC"
        assert_contains "hook path $path: names the key" "$ERR" "hooks.prestart[0].path"
done
bundle '.hooks = {createRuntime: [{path: "'"$WORK"'"}]}'
wrun --bundle "$B"
assert_eq "hook path a directory: refused (125)" 125 "$RC"
assert_contains "hook path a directory: names the hook" "$ERR" "hooks.createRuntime[0]"

# -- config.json: a FIFO (nobody writing) or a symlink -----------------------------------
bundle '.process.args += ["status"]'
mv "$B/config.json" "$WORK/config.json"
mkfifo "$B/config.json"
wrun --bundle "$B"
assert_eq "config.json a FIFO: refused at once (125, no hang)" 125 "$RC"
assert_contains "config.json a FIFO: says why" "$ERR" "not a regular file"
rm "$B/config.json"
# ward run reads config.json with the invoker's rights: a symlink names a file the invoker
# could give anyway. ward hook runs as root from the runtime: it never follows one.
ln -s "$WORK/config.json" "$B/config.json"
wrun --bundle "$B"
assert_eq "config.json a symlink: ward run reads it as the invoker" 0 "$RC"
RUN_STDIN=$WORK/state.json
printf '{"ociVersion":"1.0.2","id":"hostile","status":"creating","bundle":"%s"}' "$B" \
        >"$RUN_STDIN"
run_cmd "$WARD" hook --policy default
unset RUN_STDIN
assert_eq "ward hook: config.json a symlink: refused (125)" 125 "$RC"
assert_contains "ward hook: config.json a symlink: says why" "$ERR" "config.json"
rm "$B/config.json"

# -- huge args and env: linear time, and the kernel's E2BIG reported ---------------------
# 100,000 args of 24 bytes, or env entries, need 3.3 MB of the new stack: above the 2 MiB
# exec allows under the 8 MiB stack limit config.json sets (JSON stays under 4 MiB).
STACK='.process.rlimits = [{type: "RLIMIT_STACK", soft: 8388608, hard: 8388608}]'
bundle "$STACK"' | .process.args += [range(100000) | "aaaaaaaaaaaaaaaaaaaaaaaa"]'
wrun --bundle "$B"
assert_eq "100,000 args: cannot be executed (126), E2BIG said" "126 yes" \
        "$RC $(echo "$ERR" | grep -q E2BIG && echo yes)"
bundle "$STACK"' | .process.env = [range(100000) | "K\(.)=aaaaaaaaaaaaaaaaaaa"]
        | .process.args += ["status"]'
wrun --bundle "$B"
assert_eq "100,000 env entries: cannot be executed (126), E2BIG said" "126 yes" \
        "$RC $(echo "$ERR" | grep -q E2BIG && echo yes)"
bundle '.process.env = [range(20000) | "K\(. % 100)=\(.)"] | .process.args += ["env"]'
wrun --bundle "$B"
assert_eq "20,000 env entries, 100 keys: runs with the last value of each" "0 19999" \
        "$RC $(echo "$OUT" | sed -n 's/^.*K99=//p' | head -n1)"
finish
