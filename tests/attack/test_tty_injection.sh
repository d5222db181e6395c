#!/usr/bin/env bash
# TIOCSTI / TIOCLINUX: the app pushes a command into the input queue of its caller's
# terminal, which the caller's shell then reads and runs once the app exits. ward never
# hands the app the caller's terminal (a pipe that ward relays takes its place, see
# test_terminal), and puts it in a new session, where that terminal would not be its
# controlling one (TIOCSTI refused); with -t the app gets a pseudo-terminal of its own.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
need_naive "$R"
if ! command -v script >/dev/null; then
        echo "1..0 # SKIP script(1) is missing (apt-get install bsdutils)"
        exit 77
fi

# in_terminal CMD: run CMD on a fresh pseudo-terminal (script(1)); after it, the shell on
# that terminal reads one line with a timeout: what the attacker typed, if anything.
in_terminal() {
        {
                # script(1) turns its stdin's end (/dev/null) into an end-of-file on the
                # terminal: consume it first, or the read below would see it instead.
                printf 'read -r -t 1 eof\n'
                printf '%q ' "$@"
                printf '\nread -r -t 2 line; echo "after=[$line]"\n'
        } >"$WORK/.term.sh"
        snapshot
        run_cmd script -qec "bash $WORK/.term.sh" /dev/null
        OUT=${OUT//$'\r'/}
        leftover_check "$*"
}

in_terminal "$WARD" run --rootfs "$R" -- "${P[@]}" tiocsti-inject $'echo INJECTED\n'
assert_eq "ward: the probe ran" 0 "$RC"
assert_eq "ward: the app has no terminal on fds 0-2 to push into" notty "$(kv tiocsti_inject)"
assert_ne "ward: TIOCLINUX is refused" OK "$(kv tioclinux)"
assert_eq "ward: the caller's shell read nothing" "[]" "$(kv after)"

in_terminal "$WARD" run -t --rootfs "$R" -- "${P[@]}" tiocsti-inject $'echo INJECTED\n'
assert_eq "ward -t: the caller's shell read nothing" "[]" "$(kv after)"

# Weakened ward: capabilities in the sandbox's user namespace do not give CAP_SYS_ADMIN
# over the host's terminal, and the new session stays.
in_terminal "$WARD" run "${WEAK[@]}" --rootfs "$R" -- "${P[@]}" tiocsti-inject $'echo INJECTED\n'
assert_ne "weakened ward: TIOCSTI still refused" OK "$(kv tiocsti_inject)"
assert_eq "weakened ward: the caller's shell read nothing" "[]" "$(kv after)"

# The naive runtime keeps the caller's session: the injected line reaches the caller's
# shell (where the kernel allows TIOCSTI at all: dev.tty.legacy_tiocsti=1).
if naive_part "naive runtime: TIOCSTI into the same session"; then
        legacy=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)
        in_terminal setpriv --reuid 65534 --regid 65534 --clear-groups unshare -Urpfmun sh -c \
                'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$R" \
                /bin/ward-probe "--tag=$TAG" tiocsti-inject $'echo INJECTED\n'
        if [ "$legacy" = 1 ]; then
                assert_eq "naive runtime: TIOCSTI works" OK "$(kv tiocsti_inject)"
                assert_eq "naive runtime: the caller's shell read the injected line" \
                        "[echo INJECTED]" "$(kv after)"
        else
                # The kernel refuses TIOCSTI to everyone without CAP_SYS_ADMIN: only it stops this.
                skip "naive runtime: TIOCSTI injection" "dev.tty.legacy_tiocsti=0 on this kernel"
        fi
fi
# TIOCLINUX's paste only acts on a virtual console, never on a pseudo-terminal: there is
# no weaker configuration under which it reaches the caller's pty.
finish
