#!/usr/bin/env bash
# Socket families that reach past the sandbox's network namespace or into a large kernel
# surface: AF_VSOCK ignores network namespaces (two --network none sandboxes can talk over
# it, and a guest's sandbox reaches its hypervisor, CID 2), AF_ALG is the kernel crypto API.
# ward's filter refuses both (EAFNOSUPPORT, as a kernel without them), also with high bits
# set in the family (the kernel reads an int); a profile opts in by name with
# [Seccomp] AllowSocketFamily=, which explain shows and ward check rates (W043).
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
PORT=$((20000 + RANDOM % 20000))

OPTIN=$WORK/optin.profile
printf '%s\n' "[Profile]" "Include=default" "[Seccomp]" "AllowSocketFamily=vsock alg" >"$OPTIN"

# ward: both families refused by the filter, the ordinary ones untouched.
wrun --rootfs "$R" -- "${P[@]}" socket-families alg-hash vsock-send 2 "$PORT" x
assert_eq "ward: the probe ran" 0 "$RC"
for k in socket_vsock socket_vsock_dgram socket_vsock_highbits socket_alg; do
        assert_eq "ward: $k refused by the filter" EAFNOSUPPORT "$(kv "$k")"
done
assert_eq "ward: the hypervisor (vsock CID 2) is not reached" EAFNOSUPPORT "$(kv vsock_send)"
assert_eq "ward: no AF_ALG hash" EAFNOSUPPORT "$(kv alg_hash)"
for k in socket_unix socket_inet socket_inet6 socket_netlink; do
        assert_eq "ward: $k still works" OK "$(kv "$k")"
done

# Proof that the filter answers: DefaultAction=kill kills on socket(AF_VSOCK).
printf '%s\n' "[Profile]" "Include=default" "[Seccomp]" "DefaultAction=kill" >"$WORK/kill.profile"
wrun --profile "$WORK/kill.profile" --rootfs "$R" -- "${P[@]}" socket-families
assert_eq "DefaultAction=kill: socket(AF_VSOCK) is the filter's (SIGSYS)" 159 "$RC"

# Weakened: no filter. What the host kernel has decides what gets through.
wrun --rootfs "$R" --security-opt seccomp=unconfined -- "${P[@]}" socket-families alg-hash \
        vsock-send 2 "$PORT" x
HOST_VSOCK=$(kv socket_vsock) HOST_ALG=$(kv socket_alg) HOST_REACH=$(kv vsock_send)
if [ "$HOST_VSOCK" = OK ]; then
        ok "weakened: socket(AF_VSOCK) is created (the attack is real)"
        assert_eq "weakened: high bits in the family still make a vsock socket" OK \
                "$(kv socket_vsock_highbits)"
        assert_ne "weakened: vsock CID 2 answers past --network none (not EAFNOSUPPORT)" \
                EAFNOSUPPORT "$HOST_REACH"
else
        skip "weakened: socket(AF_VSOCK)" "the host has no vsock ($HOST_VSOCK)"
fi
if [ "$HOST_ALG" = OK ]; then
        ok "weakened: socket(AF_ALG) is created (the attack is real)"
        assert_eq "weakened: sha256 through AF_ALG" OK "$(kv alg_hash)"
else
        skip "weakened: socket(AF_ALG)" "the host kernel has no AF_ALG ($HOST_ALG)"
fi

# Opting in by name: each family named opens, the filter stays on.
wrun --profile "$OPTIN" --rootfs "$R" -- "${P[@]}" seccomp socket-families
assert_eq "AllowSocketFamily=vsock alg: the filter is still on" 2 "$(kv Seccomp)"
if [ "$HOST_VSOCK" = OK ]; then
        assert_eq "AllowSocketFamily=vsock: socket(AF_VSOCK) opens" OK "$(kv socket_vsock)"
else
        skip "AllowSocketFamily=vsock: socket(AF_VSOCK) opens" "the host has no vsock"
fi
if [ "$HOST_ALG" = OK ]; then
        assert_eq "AllowSocketFamily=alg: socket(AF_ALG) opens" OK "$(kv socket_alg)"
else
        skip "AllowSocketFamily=alg: socket(AF_ALG) opens" "the host kernel has no AF_ALG"
fi

# Two --network none sandboxes over vsock's loopback (CID 1), where the host has it: the
# listener is not tagged, so that the leftover checks of the sender's run do not count it.
vsock_pair() { # PROFILE: the listener's output in $WORK/listen.out, the sender's in $OUT
        "$WARD" run --profile "$1" --rootfs "$R" -- /bin/ward-probe vsock-listen "$PORT" 5 \
                >"$WORK/listen.out" 2>&1 &
        LISTENER=$!
        wait_for_line "$WORK/listen.out" vsock_listen=OK 10
        wrun --profile "$1" --rootfs "$R" -- "${P[@]}" vsock-send 1 "$PORT" across-sandboxes
        wait_exit "$LISTENER" 15 >/dev/null
}
if [ "$HOST_VSOCK" = OK ]; then
        vsock_pair "$OPTIN"
        if [ "$(kv vsock_received "$(cat "$WORK/listen.out")")" = across-sandboxes ]; then
                ok "opted in: two --network none sandboxes exchange data over vsock"
                vsock_pair "$WARD_SOURCE_DIR/profiles/default.profile"
                assert_eq "ward: the second sandbox cannot send" EAFNOSUPPORT "$(kv vsock_send)"
                assert_eq "ward: the first cannot listen" EAFNOSUPPORT \
                        "$(kv vsock_listen "$(cat "$WORK/listen.out")")"
        else
                skip "vsock between two sandboxes" "no vsock loopback here (CID 1: $(kv vsock_send))"
        fi
fi

# explain says what is refused and what the profile let through; a typo is exit 125.
wexplain --profile "$OPTIN" --rootfs "$R" -- /bin/true
assert_contains "explain: AllowSocketFamily= and where" "$OUT" \
        "Seccomp.AllowSocketFamily = vsock alg    ($OPTIN:4)"
wexplain --rootfs "$R" -- /bin/true
assert_contains "explain: the refused families" "$OUT" "socket() of the families vsock alg refused"
printf '%s\n' "[Seccomp]" "AllowSocketFamily=vsok" >"$WORK/typo.profile"
wrun --profile "$WORK/typo.profile" --rootfs "$R" -- /bin/true
assert_eq "AllowSocketFamily=vsok: exit 125" 125 "$RC"
assert_contains "AllowSocketFamily=vsok: names the file, line and key" "$ERR" \
        "typo.profile:2: Seccomp.AllowSocketFamily: \"vsok\""
assert_contains "AllowSocketFamily=vsok: did you mean" "$ERR" 'did you mean "vsock"'
run_cmd "$WARD" check --profile "$OPTIN"
assert_contains "ward check: the opt-in is rated (W043)" "$OUT" "W043 medium   socket-family"
run_cmd "$WARD" check --profile default
assert_not_contains "ward check: the default has no W043" "$OUT" W043
finish
