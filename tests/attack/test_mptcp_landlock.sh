#!/usr/bin/env bash
# Landlock's network rules (ABI 4+) confine TCP only: with BindTCP=8080 and no ConnectTCP=,
# an MPTCP socket (socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP)) listened on another port and
# connected out. Under Landlock TCP rules ward's filter keeps AF_INET/AF_INET6 sockets to
# what Landlock sees (TCP streams) and to datagrams (UDP, ping, which no Landlock ABI
# confines): MPTCP, SCTP, raw and every other protocol get EPROTONOSUPPORT.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

printf '[Landlock]\nExecute=/bin\n' >"$WORK/abi.profile"
ABI=$("$WARD" explain --profile "$WORK/abi.profile" --rootfs / -- true 2>/dev/null |
        sed -n 's/.*Landlock ABI \([0-9]*\):.*/\1/p')
if [ -z "$ABI" ] || [ "$ABI" -lt 4 ]; then
        echo "1..0 # SKIP Landlock network rules need ABI 4, this kernel has '${ABI:-none}'"
        exit 77
fi
MPTCP=$(cat /proc/sys/net/mptcp/enabled 2>/dev/null)
echo "# Landlock ABI $ABI, net.mptcp.enabled=${MPTCP:-absent}"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
LL=$WORK/bind8080.profile
cat >"$LL" <<EOF
[Profile]
Include=default
[Landlock]
Landlock=yes
ReadOnly=/
ReadWrite=/tmp
Execute=/bin
BindTCP=8080
EOF

# ward: Landlock refuses TCP on 9090 (EACCES), the filter refuses the protocols Landlock
# cannot see, before any bind or connect.
wrun --profile "$LL" --rootfs "$R" -- "${P[@]}" mptcp 9090
assert_eq "ward: the probe ran" 0 "$RC"
assert_eq "ward: Landlock refuses a TCP bind to 9090" EACCES "$(kv tcp_bind)"
for k in mptcp_socket mptcp6_socket sctp_socket sctp_stream_socket; do
        assert_eq "ward: $k refused by the filter" EPROTONOSUPPORT "$(kv "$k")"
done
assert_eq "ward: no MPTCP listener on 9090" "<missing>" "$(kv mptcp_listen)"
assert_eq "ward: TCP sockets still open (IPPROTO_TCP, SOCK_NONBLOCK)" OK "$(kv tcp_socket)"
assert_eq "ward: UDP sockets still open (Landlock does not confine them)" OK "$(kv udp_socket)"

wexplain --profile "$LL" --rootfs "$R" -- /bin/true
assert_contains "explain: the protocol rule is shown" "$OUT" \
        "MPTCP, SCTP, raw and every other protocol refused (EPROTONOSUPPORT)"

# Proof that the filter answers: DefaultAction=kill kills on the MPTCP socket().
printf '%s\n' "[Seccomp]" "DefaultAction=kill" >>"$LL.kill"
cat "$LL" "$LL.kill" >"$WORK/kill.profile"
wrun --profile "$WORK/kill.profile" --rootfs "$R" -- "${P[@]}" mptcp 9090
assert_eq "DefaultAction=kill: the MPTCP socket() is the filter's (SIGSYS)" 159 "$RC"

# A JSON profile is the user's whole filter: under Landlock TCP rules it must refuse MPTCP
# and SCTP itself. Docker's kind of socket rule (only AF_VSOCK refused) is exit 125.
cat >"$WORK/vsock-only.json" <<'J'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO",
               "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_EQ"}]}]}
J
cat >"$WORK/no-mptcp.json" <<'J'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO",
               "args": [{"index": 2, "value": 262, "op": "SCMP_CMP_EQ"}]},
              {"names": ["socket"], "action": "SCMP_ACT_ERRNO",
               "args": [{"index": 2, "value": 132, "op": "SCMP_CMP_EQ"}]}]}
J
chmod 644 "$WORK"/*.json
wrun --profile "$LL" --security-opt "seccomp=$WORK/vsock-only.json" --rootfs "$R" \
        -- "${P[@]}" mptcp 9090
assert_eq "JSON profile that lets MPTCP through, under BindTCP=: exit 125" 125 "$RC"
assert_contains "JSON profile that lets MPTCP through: says why" "$ERR" \
        "lets MPTCP sockets through, which Landlock's TCP rules (BindTCP=, ConnectTCP=) do not see"
wrun --profile "$LL" --security-opt "seccomp=$WORK/no-mptcp.json" --rootfs "$R" \
        -- "${P[@]}" mptcp 9090
assert_eq "JSON profile that refuses MPTCP and SCTP: runs, MPTCP refused" "0 EPERM" \
        "$RC $(kv mptcp_socket)"

# Without Landlock TCP rules nothing is narrowed: MPTCP is an ordinary protocol then.
wrun --rootfs "$R" -- "${P[@]}" mptcp 9091
if [ "$MPTCP" = 1 ]; then
        assert_eq "no Landlock: MPTCP sockets are not refused" OK "$(kv mptcp_socket)"
else
        assert_ne "no Landlock: the filter does not refuse MPTCP" EPROTONOSUPPORT \
                "$(kv mptcp_socket)"
fi

# Weakened: the same Landlock rules, no filter. MPTCP walks around them.
wrun --profile "$LL" --rootfs "$R" --security-opt seccomp=unconfined -- "${P[@]}" mptcp 9090
assert_eq "weakened: Landlock is on (TCP bind to 9090 refused)" EACCES "$(kv tcp_bind)"
if [ "$MPTCP" = 1 ]; then
        assert_eq "weakened: MPTCP listens on 9090 past BindTCP=8080 (the attack is real)" OK \
                "$(kv mptcp_listen)"
        assert_eq "weakened: MPTCP connects out past the empty ConnectTCP=" OK \
                "$(kv mptcp_connect)"
else
        skip "weakened: MPTCP past Landlock" "net.mptcp.enabled is '${MPTCP:-absent}' here"
fi
wexplain --profile "$LL" --rootfs "$R" --security-opt seccomp=unconfined -- /bin/true
assert_contains "explain without a filter: warns that MPTCP is not refused" "$OUT" \
        "WARNING: no seccomp filter, so MPTCP, SCTP and raw sockets are NOT refused"
finish
