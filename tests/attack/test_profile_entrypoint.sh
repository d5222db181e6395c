#!/usr/bin/env bash
# Entrypoint mode and a planted profile (issue 11): in a Docker-like crun container
# (crun_lib.sh) whose app runs as uid 1000 with HOME on a volume that survives a restart,
# the app, already under ward, writes $HOME/.config/ward/profiles/entrypoint.profile with
# ward's filter off. At the next start ward must not take it: in entrypoint mode the whole
# container is the sandbox, so a profile counts only when it is built in or on a read-only
# mount. Control: the same file on a read-only mount is read, and does remove ward's
# filter, so what was planted would have taken effect.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../integration/crun_lib.sh"

VOL=$WORK/volume # the container's /tmp: a volume, kept across restarts
mkdir -p "$VOL/h/.config/ward/profiles"
chown -R 2001000:2001000 "$VOL" # the container's uid 1000
chmod 0755 "$VOL"
PLANTED=/tmp/h/.config/ward/profiles/entrypoint.profile
# printf's format: the \n stay two characters until the container's shell runs it.
PLANT='[Namespaces]\nUnshare=none\n[Process]\nDropBoundingSet=try\n[Filesystem]\nReadOnly=yes\n[Seccomp]\nProfile=unconfined\n'

# ctr_vol MODE ARGS...: ARGS as uid 1000 with HOME=/tmp/h and the volume on /tmp (MODE rw
# or ro).
ctr_vol() {
        local mode=$1
        shift
        B_UID=1000 B_GID=1000 ctr_jq '
                .process.env |= map(if startswith("HOME=") then "HOME=/tmp/h" else . end) |
                .mounts |= map(if .destination == "/tmp" then
                        {destination: "/tmp", type: "bind", source: "'"$VOL"'",
                         options: ["rbind", "'"$mode"'", "nosuid", "nodev"]} else . end)' "$@"
}

ctr_vol rw "${EP[@]}" /bin/sh -c "/bin/ward-probe seccomp && printf '$PLANT' >$PLANTED"
assert_eq "first start: ward runs the app" 0 "$RC"
assert_eq "first start: ward's filter on top of the runtime's" 2 "$(kv Seccomp_filters)"
assert_eq "the app planted a profile in its HOME" yes \
        "$([ -s "$VOL/h/.config/ward/profiles/entrypoint.profile" ] && echo yes)"
ctr_vol rw "${EP[@]}" "${P[@]}" seccomp
assert_eq "next start: the planted profile is refused" 125 "$RC"
assert_contains "next start: the refusal names the file and why" "$ERR" \
        "entrypoint mode: profile /tmp/h/.config/ward/profiles/entrypoint.profile is on a writable mount"
assert_ne "next start: the app did not run without ward's filter" 1 "$(kv Seccomp_filters)"
# Control: on a read-only mount the same file is the caller's own profile, and it does
# take ward's filter away.
ctr_vol ro "${EP[@]}" "${P[@]}" seccomp
assert_eq "control: the file on a read-only mount is read" 0 "$RC"
assert_eq "control: ... and the app runs under the runtime's filter only" 1 \
        "$(kv Seccomp_filters)"
# Without the file, the built-in profile applies whatever HOME holds.
rm -f "$VOL/h/.config/ward/profiles/entrypoint.profile"
ctr_vol rw "${EP[@]}" "${P[@]}" seccomp
assert_eq "without it: the built-in entrypoint profile" "0 2" "$RC $(kv Seccomp_filters)"
finish
