#!/usr/bin/env bash
# The app's process: only fds 0-2 even when the caller leaks fds, its cwd is inside the
# root (CVE-2024-21626), rlimits, the environment cleared to a known set, umask, stdin.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")

# -- file descriptors -------------------------------------------------------------------
# The caller leaks fds 3 (a host file), 7 (/dev/null) and 9 (the host's root directory).
exec 3</etc/hostname 7>/dev/null 9</
wrun --rootfs "$R" -- "${P[@]}" fds
assert_eq "fds: exit 0" 0 "$RC"
assert_eq "fds: only 0, 1, 2 reach the app although the caller leaks 3, 7, 9" 0,1,2 \
        "$(kv fds)"
assert_eq "fds: stdin is /dev/null (no -i)" /dev/null "$(kv fd.0)"

wrun --rootfs "$R" --no-init -- "${P[@]}" fds
assert_eq "fds (--no-init): only 0, 1, 2" "0 0,1,2" "$RC $(kv fds)"

wrun --rootfs "$R" --user 9999:9999 --cap-add NET_BIND_SERVICE -- "${P[@]}" fds
assert_eq "fds (--user, ambient caps): only 0, 1, 2" "0 0,1,2" "$RC $(kv fds)"

# -- working directory ------------------------------------------------------------------
wrun --rootfs "$R" -- "${P[@]}" cwd
assert_eq "cwd: / by default" "0 / OK yes" \
        "$RC $(kv cwd) $(kv cwd_errno) $(kv cwd_top_is_root)"

wrun --rootfs "$R" -w /tmp -- "${P[@]}" cwd
assert_eq "-w /tmp" "0 /tmp OK yes" "$RC $(kv cwd) $(kv cwd_errno) $(kv cwd_top_is_root)"

wrun --rootfs "$R" -w /home/app --user app -- "${P[@]}" cwd
assert_eq "-w /home/app --user app" "0 /home/app yes" "$RC $(kv cwd) $(kv cwd_top_is_root)"

wrun --rootfs "$R" -w /nonexistent-dir -- "${P[@]}" cwd
assert_eq "-w to a missing directory: exit 125" 125 "$RC"
assert_contains "-w to a missing directory: the message names it" "$ERR" /nonexistent-dir
assert_contains "-w to a missing directory: 'ward: error:'" "$ERR" "ward: error:"
assert_eq "-w to a missing directory: the app did not run" "" "$OUT"

wrun --rootfs "$R" -w /etc/passwd -- "${P[@]}" cwd
assert_eq "-w to a file: exit 125" 125 "$RC"

wrun --rootfs "$R" -w tmp -- "${P[@]}" cwd
assert_eq "-w relative: exit 125 (must be absolute)" 125 "$RC"

# Escape attempts (CVE-2024-21626): a cwd through /proc/self/fd/N, with the host's root
# open as fd 9 in the caller, or through another process's cwd/root. Either ward refuses
# (125) or the app's cwd is inside the sandbox's root.
for w in /proc/self/fd/3 /proc/self/fd/4 /proc/self/fd/5 /proc/self/fd/6 /proc/self/fd/7 \
        /proc/self/fd/8 /proc/self/fd/9 /proc/self/fd/10 /proc/self/cwd /proc/self/root \
        /proc/1/cwd /proc/1/root /proc/thread-self/fd/9 /..; do
        wrun --rootfs "$R" -w "$w" -- "${P[@]}" cwd
        if [ "$RC" = 125 ]; then
                ok "-w $w: refused (125)"
        else
                assert_eq "-w $w: the app's cwd is inside the root" "0 yes" \
                        "$RC $(kv cwd_top_is_root)"
                assert_eq "-w $w: getcwd works (not '(unreachable)')" OK "$(kv cwd_errno)"
        fi
done
exec 3<&- 7>&- 9<&-

# -- rlimits ----------------------------------------------------------------------------
wrun --rootfs "$R" -- "${P[@]}" rlimits
assert_eq "default: exit 0" 0 "$RC"
assert_eq "default profile: nofile=1024:1024" 1024:1024 "$(kv rlimit.nofile)"
assert_eq "default profile: nproc=512:512" 512:512 "$(kv rlimit.nproc)"
assert_eq "default profile: core=0:0" 0:0 "$(kv rlimit.core)"

wrun --rootfs "$R" --ulimit nofile=100:200 -- "${P[@]}" rlimits
assert_eq "--ulimit nofile=100:200" "0 100:200" "$RC $(kv rlimit.nofile)"

wrun --rootfs "$R" --ulimit nofile=300 --ulimit core=0 --ulimit nproc=50:60 \
        --ulimit fsize=1048576 --ulimit stack=4194304:8388608 --ulimit memlock=65536 \
        --ulimit msgqueue=1000 --ulimit cpu=100:200 -- "${P[@]}" rlimits
assert_eq "--ulimit several: exit 0" 0 "$RC"
assert_eq "--ulimit nofile=300: soft = hard" 300:300 "$(kv rlimit.nofile)"
assert_eq "--ulimit nproc=50:60" 50:60 "$(kv rlimit.nproc)"
assert_eq "--ulimit fsize=1048576" 1048576:1048576 "$(kv rlimit.fsize)"
assert_eq "--ulimit stack=4194304:8388608" 4194304:8388608 "$(kv rlimit.stack)"
assert_eq "--ulimit memlock=65536" 65536:65536 "$(kv rlimit.memlock)"
assert_eq "--ulimit msgqueue=1000" 1000:1000 "$(kv rlimit.msgqueue)"
assert_eq "--ulimit cpu=100:200" 100:200 "$(kv rlimit.cpu)"

wrun --profile strict --rootfs "$R" -- "${P[@]}" rlimits
assert_eq "strict: nofile=256:256" "0 256:256" "$RC $(kv rlimit.nofile)"
assert_eq "strict: nproc=64:64" 64:64 "$(kv rlimit.nproc)"
assert_eq "strict: fsize=64M" 67108864:67108864 "$(kv rlimit.fsize)"

# 2048 as the hard limit, or the caller's own where it is lower and root lacks
# CAP_SYS_RESOURCE (a container): only that capability raises a hard limit.
nofile_hard=2048
cap_eff=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
if ((((0x$cap_eff >> 24) & 1) == 0)) && [ "$(ulimit -Hn)" != unlimited ] &&
        (($(ulimit -Hn) < 2048)); then
        nofile_hard=$(ulimit -Hn)
        echo "# no CAP_SYS_RESOURCE here: the hard limit checked is the caller's $nofile_hard"
fi
cat >"$WORK/limits.profile" <<EOF
[Profile]
Include=default
[Resources]
LimitNOFILE=512:$nofile_hard
LimitAS=infinity
LimitSTACK=16M
EOF
wrun --profile "$WORK/limits.profile" --rootfs "$R" -- "${P[@]}" rlimits
assert_eq "profile LimitNOFILE=512:$nofile_hard" "0 512:$nofile_hard" "$RC $(kv rlimit.nofile)"
assert_eq "profile LimitAS=infinity" unlimited:unlimited "$(kv rlimit.as)"
assert_eq "profile LimitSTACK=16M" 16777216:16777216 "$(kv rlimit.stack)"

# As root, ward may raise a hard limit above the caller's (docker run --ulimit can), but only
# with CAP_SYS_RESOURCE (bit 24): some hosts withhold it even from root. Without it ward must
# refuse with exit 125 naming the key, never start the app with a lower limit.
cap_eff=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
has_sys_resource=$(( (0x$cap_eff >> 24) & 1 ))
if [ "$(id -u)" = 0 ]; then
        read -r _ _ _ rt_hard _ < <(grep 'Max realtime priority' /proc/self/limits)
        if [ "$rt_hard" != unlimited ] && [ "$rt_hard" -lt 5 ]; then
                wrun --rootfs "$R" --ulimit rtprio=5 -- "${P[@]}" rlimits
                if [ "$has_sys_resource" = 1 ]; then
                        assert_eq "as root, --ulimit rtprio=5 (caller's hard limit: $rt_hard)" \
                                "0 5:5" "$RC $(kv rlimit.rtprio)"
                else
                        assert_eq "without CAP_SYS_RESOURCE, rtprio=5 above hard $rt_hard: exit 125" \
                                125 "$RC"
                        assert_contains "rtprio refusal names the key" "$ERR" "LimitRTPRIO"
                        assert_eq "rtprio refusal: the app did not run" "" "$OUT"
                fi
        fi
        nofile_hard=$(ulimit -Hn)
        if [ "$nofile_hard" != unlimited ] && [ "$nofile_hard" -lt 1048576 ]; then
                up=$((nofile_hard + 1000))
                wrun --rootfs "$R" --ulimit nofile=$up:$up -- "${P[@]}" rlimits
                if [ "$has_sys_resource" = 1 ]; then
                        assert_eq "as root, --ulimit nofile above the caller's hard limit ($nofile_hard)" \
                                "0 $up:$up" "$RC $(kv rlimit.nofile)"
                else
                        assert_eq "without CAP_SYS_RESOURCE, nofile above hard $nofile_hard: exit 125" \
                                125 "$RC"
                        assert_contains "nofile refusal names the key" "$ERR" "LimitNOFILE"
                fi
        fi
fi

# -- environment ------------------------------------------------------------------------
env_keys() { sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' <<<"$OUT" | sort | tr '\n' ' '; }
KNOWN=" HOME HOSTNAME PATH TERM container "

export FOO=bar WARD_IT_SECRET=leak
wrun --rootfs "$R" -- "${P[@]}" env
assert_eq "env: exit 0" 0 "$RC"
assert_eq "env: PATH is the default" \
        /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$(kv PATH)"
assert_eq "env: the caller's FOO does not leak" "<missing>" "$(kv FOO)"
assert_eq "env: the caller's WARD_IT_SECRET does not leak" "<missing>" "$(kv WARD_IT_SECRET)"
unknown=
for k in $(env_keys); do
        [[ $KNOWN == *" $k "* ]] || unknown="$unknown $k"
done
assert_eq "env: only the known set ($KNOWN)" "" "${unknown# }"

printf '# comment\nFROMFILE=one\n\nBOTH=file\nFOO\n' >"$WORK/env-file"
wrun --rootfs "$R" -e FOO -e K=V -e EMPTY= -e NOT_SET_ANYWHERE_XYZ --env-file "$WORK/env-file" \
        -e BOTH=flag -e PATH=/bin -- "${P[@]}" env
assert_eq "env flags: exit 0" 0 "$RC"
assert_eq "-e FOO copies the caller's value" bar "$(kv FOO)"
assert_eq "-e K=V" V "$(kv K)"
assert_eq "-e EMPTY= sets an empty value" "" "$(kv EMPTY)"
assert_eq "-e UNSET (not in ward's env) is skipped" "<missing>" "$(kv NOT_SET_ANYWHERE_XYZ)"
assert_eq "--env-file FROMFILE=one" one "$(kv FROMFILE)"
assert_eq "-e wins over --env-file" flag "$(kv BOTH)"
assert_eq "-e PATH=/bin replaces PATH" /bin "$(kv PATH)"
assert_eq "env: still no WARD_IT_SECRET" "<missing>" "$(kv WARD_IT_SECRET)"
unset FOO WARD_IT_SECRET

# -- umask ------------------------------------------------------------------------------
wrun --rootfs "$R" -- "${P[@]}" status put /tmp/f x stat /tmp/f
assert_eq "umask: default 0022" "0 0022" "$RC $(kv Umask)"
assert_match "umask 022: a new file is 0644" "$(kv "stat /tmp/f")" '^file mode=0644 '

cat >"$WORK/umask.profile" <<EOF
[Profile]
Include=default
[Process]
UMask=027
EOF
wrun --profile "$WORK/umask.profile" --rootfs "$R" -- "${P[@]}" status put /tmp/f x stat /tmp/f
assert_eq "profile UMask=027" "0 0027" "$RC $(kv Umask)"
assert_match "umask 027: a new file is 0640" "$(kv "stat /tmp/f")" '^file mode=0640 '

# -- stdin ------------------------------------------------------------------------------
echo "caller's input" >"$WORK/stdin"
RUN_STDIN=$WORK/stdin wrun --rootfs "$R" -- /bin/sh -c 'cat; echo end' "$TAG"
assert_eq "without -i the caller's stdin does not reach the app" "0 end" \
        "$RC $(echo $OUT)"
RUN_STDIN=$WORK/stdin wrun --rootfs "$R" -i -- /bin/sh -c 'cat; echo end' "$TAG"
assert_eq "-i passes the caller's stdin" "0 caller's input end" "$RC $(echo $OUT)"

# -- terminal ---------------------------------------------------------------------------
# Under script(1) the caller has a terminal. Without -t the app is in a new session with no
# controlling terminal and cannot push input into the caller's (TIOCSTI); with -t it gets a
# pseudo-terminal of its own.
if command -v script >/dev/null; then
        printf -v cmd '%q ' "$WARD" run --rootfs "$R" -- "${P[@]}" tiocsti
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd script -qec "exec $cmd" /dev/null
        OUT=$(tr -d '\r' <<<"$OUT")
        leftover_check "ward run under script(1)"
        assert_eq "no -t, on a terminal: exit 0" 0 "$RC"
        assert_match "no -t: /dev/tty cannot be opened (no controlling terminal)" \
                "$(kv ctty)" '^E'
        for fd in 0 1 2; do
                assert_ne "no -t: TIOCSTI on fd $fd is refused" OK "$(kv "tiocsti.$fd")"
        done
        printf -v cmd '%q ' "$WARD" run -t --rootfs "$R" -- "${P[@]}" tiocsti status
        T_RUNS=$((T_RUNS + 1))
        snapshot
        run_cmd script -qec "exec $cmd" /dev/null
        OUT=$(tr -d '\r' <<<"$OUT")
        leftover_check "ward run -t under script(1)"
        assert_eq "-t: exit 0" 0 "$RC"
        assert_eq "-t: fds 0-2 are a terminal" "1 1 1" \
                "$(kv isatty.0) $(kv isatty.1) $(kv isatty.2)"
        assert_eq "-t: the terminal is the app's controlling terminal" yes "$(kv ctty)"
        assert_eq "-t: still no capabilities" 0000000000000000 "$(kv CapEff)"
else
        skip "terminal checks" "script(1) is not installed"
fi

finish
