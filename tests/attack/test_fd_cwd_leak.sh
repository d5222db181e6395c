#!/usr/bin/env bash
# CVE-2024-21626: a host directory fd leaked into the sandbox, or a working directory left
# outside the root (-w /proc/self/fd/N), lets the app walk ".." up to the host's root.
. "$(dirname "${BASH_SOURCE[0]}")/attack_lib.sh"

R=$WORK/rootfs
make_rootfs "$R"
P=(/bin/ward-probe "--tag=$TAG")
need_naive "$R"

# The caller leaks the host's root (fd 9) and a host directory (fd 8), as runc leaked its
# cgroup directory fd.
exec 8<"$WORK" 9</

wrun --rootfs "$R" -- "${P[@]}" fd-escape cwd
assert_eq "ward: the probe ran" 0 "$RC"
assert_eq "ward: no inherited fd leads out of the root" no "$(kv fd_escape)"
assert_eq "ward: the cwd is inside the root" yes "$(kv cwd_top_is_root)"

for w in /proc/self/fd/8 /proc/self/fd/9 /proc/self/cwd /proc/1/cwd /proc/1/root; do
        wrun --rootfs "$R" -w "$w" -- "${P[@]}" fd-escape cwd
        if [ "$RC" = 125 ]; then
                ok "ward -w $w: refused (125)"
        else
                assert_eq "ward -w $w: cwd inside the root, no fd leads out" "0 yes no" \
                        "$RC $(kv cwd_top_is_root) $(kv fd_escape)"
        fi
done

# The weakest ward keeps closing fds and entering the cwd inside the root: neither is an
# option, so the weakened half is the naive runtime below.
wrun --rootfs "$R" "${WEAK[@]}" -w /proc/self/fd/9 -- "${P[@]}" fd-escape cwd
if [ "$RC" = 125 ]; then
        ok "weakened ward -w /proc/self/fd/9: still refused (125)"
else
        assert_eq "weakened ward -w /proc/self/fd/9: still inside, no fd out" "0 yes no" \
                "$RC $(kv cwd_top_is_root) $(kv fd_escape)"
fi

# The naive runtime inherits fds 8 and 9 and the caller's cwd (a host directory): the same
# probe finds its way out through each.
if naive_part "naive runtime: leaked fds and cwd"; then
        (cd "$WORK" && naive_run "$R" /bin/ward-probe "--tag=$TAG" fd-escape cwd
                printf '%s\n' "$RC" "$OUT" >"$WORK/.naive-out")
        RC=$(head -n1 "$WORK/.naive-out")
        OUT=$(tail -n +2 "$WORK/.naive-out")
        assert_eq "naive runtime: the probe ran" 0 "$RC"
        assert_eq "naive runtime: the leaked fd 9 leads out of the root" yes "$(kv fd_escape.9)"
        assert_eq "naive runtime: the leaked fd 8 leads out of the root" yes "$(kv fd_escape.8)"
        assert_eq "naive runtime: the cwd is outside the root" no "$(kv cwd_top_is_root)"
fi
exec 8<&- 9<&-
finish
