#!/usr/bin/env bash
# `cmake --install` to a throw-away prefix: the installed ward finds its ward-init and the
# shipped profiles relative to itself, never in the source or build tree.
source "$(dirname "$0")/lib.sh"

PREFIX=$WORK/prefix
R=$WORK/rootfs
make_rootfs "$R"

run_cmd cmake --install "$WARD_BUILD_DIR" --prefix "$PREFIX"
assert_eq "cmake --install to a temporary prefix: exit 0" 0 "$RC"
for f in bin/ward libexec/ward/ward-init share/ward/profiles/default.profile \
        share/ward/profiles/strict.profile share/man/man1/ward.1 share/man/man5/ward.profile.5 \
        share/man/man8/ward-init.8; do
        if [ -e "$PREFIX/$f" ]; then ok "installed $f"; else fail "installed $f"; fi
done

# From / so that ./NAME.profile cannot be what is found.
WARD="$PREFIX/bin/ward"
cd / || exit 1
for profile in default strict; do
        wexplain --profile "$profile" --rootfs "$R" -- /bin/true
        assert_eq "installed: explain --profile $profile: exit 0" 0 "$RC"
        assert_contains "installed: --profile $profile is the one built into ward" "$OUT" \
                "<built-in>/$profile.profile"
        assert_not_contains "installed: --profile $profile is not read from the source tree" \
                "$OUT" "$WARD_SOURCE_DIR/profiles"
done
# A profile installed beside the shipped ones is found in the prefix.
printf '[Profile]\nInclude=default\n[Namespaces]\nHostname=site\n' \
        >"$PREFIX/share/ward/profiles/site.profile"
wexplain --profile site --rootfs "$R" -- /bin/true
assert_contains "installed: --profile site is read from the prefix" "$OUT" \
        "$PREFIX/bin/../share/ward/profiles/site.profile"
# A binary copied alone still has the shipped profiles.
mkdir -p "$WORK/alone" && cp "$PREFIX/bin/ward" "$WORK/alone/ward"
WARD=$WORK/alone/ward
wexplain --profile strict --rootfs "$R" -- /bin/true
assert_eq "a ward binary copied alone: --profile strict works" 0 "$RC"
WARD=$PREFIX/bin/ward
wrun --profile strict --rootfs "$R" -- /bin/ward-probe "--tag=$TAG" status
assert_eq "installed: run --profile strict: exit 0" 0 "$RC"
assert_eq "installed: strict runs as 65534" 65534 "$(kv uid)"
assert_eq "installed: no capabilities" 0000000000000000 "$(kv CapEff)"
run_cmd "$WARD" run --rootfs "$R" -- /bin/sh -c 'cat /proc/1/cmdline | tr "\0" " "'
assert_match "installed: PID 1 is the installed ward-init" "$OUT" \
        '^ward-init (--report-fd=[0-9]+ )?-- /bin/sh'
cd "$WORK" || exit 1
finish
