#!/usr/bin/env bash
# Seccomp from a Docker/OCI JSON profile (--security-opt seccomp=FILE, Profile=FILE.json):
# the profile is enforced inside the sandbox (getppid and keyctl refused by it, with a
# control run under ward's default filter where getppid works), and malformed or
# unsupported profiles are exit 125 with a line:column or the JSON path.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
ia32_check "$R"
P=(/bin/ward-probe "--tag=$TAG")

J=$WORK/deny-getppid.json
cat >"$J" <<'JSON'
{
  "defaultAction": "SCMP_ACT_ALLOW",
  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [
    {
      "names": ["getppid", "keyctl"],
      "action": "SCMP_ACT_ERRNO",
      "errnoRet": 1,
      "comment": "refused, to see the profile at work"
    }
  ]
}
JSON

# -- enforced ----------------------------------------------------------------------------
wrun --rootfs "$R" --security-opt "seccomp=$J" -- "${P[@]}" seccomp getppid syscalls
assert_eq "JSON profile: exit 0" 0 "$RC"
assert_eq "JSON profile: Seccomp=2 (filter mode)" 2 "$(kv Seccomp)"
assert_eq "JSON profile: getppid refused with EPERM (errnoRet 1)" EPERM "$(kv getppid)"
assert_eq "JSON profile: keyctl refused with EPERM" EPERM "$(kv keyctl)"
assert_int80 "JSON profile: an i386 syscall still kills (native-only filter)" "$(kv int80)"

# Control: the default filter lets getppid through, so the EPERM above is the profile's.
wrun --rootfs "$R" -- "${P[@]}" seccomp getppid
assert_eq "control default profile: getppid works" "0 OK" "$RC $(kv getppid)"

# The same file through a profile's [Seccomp] Profile=.
cat >"$WORK/json.profile" <<EOF2
[Seccomp]
Profile=$J
EOF2
wrun --profile "$WORK/json.profile" --rootfs "$R" -- "${P[@]}" seccomp getppid
assert_eq "Profile=FILE.json: getppid refused" "0 2 EPERM" "$RC $(kv Seccomp) $(kv getppid)"

wexplain --rootfs "$R" --security-opt "seccomp=$J" -- /bin/true
assert_contains "explain: Seccomp.Profile is the file" "$OUT" "Seccomp.Profile = $J"
assert_contains "explain: the seccomp step names the file" "$OUT" \
        "load the seccomp filter from $J (2 rules"

# -- refused -----------------------------------------------------------------------------
head -c 60 "$J" >"$WORK/truncated.json"
wrun --rootfs "$R" --security-opt "seccomp=$WORK/truncated.json" -- "${P[@]}" exit 0
assert_eq "truncated JSON: 125" 125 "$RC"
assert_match "truncated JSON: FILE:LINE:COLUMN" "$ERR" "truncated\\.json:[0-9]+:[0-9]+: "

printf '{"defaultAction": "SCMP_ACT_ERRNO",\n "syscalls": [{"names": ["read"],\n  "action": "SCMP_ACT_ALLOW", "priority": 1}]}\n' >"$WORK/unknown.json"
wrun --rootfs "$R" --security-opt "seccomp=$WORK/unknown.json" -- "${P[@]}" exit 0
assert_eq "unknown key: 125" 125 "$RC"
assert_contains "unknown key: named with its JSON path" "$ERR" "syscalls[0].priority: unknown key"

printf '{"defaultAction": "SCMP_ACT_NOTIFY"}\n' >"$WORK/notify.json"
wrun --rootfs "$R" --security-opt "seccomp=$WORK/notify.json" -- "${P[@]}" exit 0
assert_eq "SCMP_ACT_NOTIFY: 125" 125 "$RC"
assert_contains "SCMP_ACT_NOTIFY: refused by name" "$ERR" "SCMP_ACT_NOTIFY is not supported"

wrun --rootfs "$R" --security-opt "seccomp=deny-getppid.json" -- "${P[@]}" exit 0
assert_eq "relative path: 125" 125 "$RC"
assert_contains "relative path: the hint asks for an absolute one" "$ERR" "absolute path"

finish
