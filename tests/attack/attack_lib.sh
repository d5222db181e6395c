# Helpers for the escape battery (tests/attack/test_*.sh), on top of the integration
# tests' lib.sh: every attack runs once against ward, where it must fail, and once against
# a deliberately weakened configuration, where it must get through (that is what proves
# the attack is real and the test can fail). A weakening is either a ward option
# (--cap-add ALL, --security-opt seccomp=unconfined, ...) or the "naive runtime" below.
# shellcheck source=../integration/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

# The probe under --rootfs /: the sandbox's /tmp is a tmpfs and a build directory may be
# below /tmp (CI builds in a clone there), so the probe comes in through a read-only bind
# of its directory onto /mnt (Debian's base-files has /mnt). Usage:
#   wrun --rootfs / [OPTIONS] "${HOST_PROBE[@]}" SUBCOMMAND...
HOST_PROBE=(-v "$(dirname "$PROBE"):/mnt:ro" -- /mnt/ward-probe "--tag=$TAG")

# The naive runtime chroots as nobody, and so the rootfs must be reachable by nobody.
chmod 755 "$WORK"

# The naive runtime: what a careless launcher does. As the host's nobody, in throwaway user,
# pid, mount, uts and net namespaces (nobody is root in them), a proc mounted by string
# path, then chroot(2) without chdir: the cwd and every fd of the caller are inherited, no
# masked paths, no read-only /proc/sys, no seccomp, no no_new_privs, no new session. It can
# hurt nothing on the host that nobody could not, and the probe's attacks still see
# non-initial user and pid namespaces, so they run.
naive_run() {
        naive_cmd "$1"
        shift
        run_cmd "${NAIVE_CMD[@]}" "$@"
}

# naive_cmd ROOTFS: NAIVE_CMD=(the naive runtime's command line, the command to follow), for
# a test that starts it its own way (on a terminal: test_terminal).
naive_cmd() {
        cat >"$WORK/.naive-chroot.pl" <<'PERL'
my $root = shift;
chroot($root) or die "naive chroot $root: $!\n";
exec { $ARGV[0] } @ARGV or die "naive exec $ARGV[0]: $!\n";
PERL
        chmod 644 "$WORK/.naive-chroot.pl"
        NAIVE_CMD=(setpriv --reuid 65534 --regid 65534 --clear-groups
                unshare -Urpfmun --kill-child sh -c
                'mount -t proc proc "$1/proc" && exec perl "$0" "$@"'
                "$WORK/.naive-chroot.pl" "$1")
}

# need_naive ROOTFS: whether the naive runtime runs here (it needs unprivileged user
# namespaces): NAIVE=yes or no. Without it the weakened halves that use it are skipped, with
# the reason, and ward's own half of every test still runs.
need_naive() {
        naive_run "$1" /bin/ward-probe "--tag=$TAG" in-sandbox
        if [ "$RC" = 0 ] && [ "$(kv in-sandbox)" = yes ]; then
                NAIVE=yes
        else
                NAIVE=no
                echo "# the naive runtime does not run here (unprivileged user namespaces?):"
                last_command_report
        fi
}

# naive_part NAME: true when the naive runtime can run; otherwise NAME is reported skipped.
naive_part() {
        [ "${NAIVE:-no}" = yes ] && return 0
        skip "$1" "the naive runtime needs unprivileged user namespaces"
        return 1
}

# WEAK: the weakest configuration ward can be given: every capability (in the sandbox's
# user namespace), no seccomp filter, no no_new_privs, a writable root.
WEAK=(--cap-add ALL --security-opt seccomp=unconfined --security-opt no-new-privileges=false
        --read-only=false)
