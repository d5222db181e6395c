# A stand-in syslog daemon for the suites that check what ward hook logs (test_oci_hook,
# test_podman). Sourced by their private-namespace stages, before lib.sh (which those stages
# do not load): it only defines a function.

# syslog_listen FILE: a stand-in syslog daemon on /dev/log (bind it in a private mount
# namespace with a /dev of its own): every datagram, one line each, until SYSLOG_PID is killed.
syslog_listen() {
        python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
out = open(sys.argv[1], "ab", buffering=0)
open(sys.argv[1] + ".ready", "w").close()
while True:
    out.write(s.recv(65536).replace(b"\n", b" ") + b"\n")
' "$1" &
        SYSLOG_PID=$!
        for _ in $(seq 100); do [ -e "$1.ready" ] && break; sleep 0.05; done
}
