/* Unit tests for the profile reader: values, origins, lists, includes and every error. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/oci_norm.h"
#include "ward/profile.h"
#include "ward/util.h"

#define DATA WARD_TEST_DATA_DIR
#define CAP_CHOWN_BIT (UINT64_C(1) << 0)
#define CAP_NET_BIND_SERVICE_BIT (UINT64_C(1) << 10)
#define CAP_NET_RAW_BIT (UINT64_C(1) << 13)
#define ALL_NAMESPACES                                                                             \
        (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | \
         CLONE_NEWCGROUP)

#include "config_fixture.h"

static bool ends_with(const char *s, const char *suffix)
{
        size_t ls = strlen(s), lx = strlen(suffix);
        return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static const struct ward_mount *find_mount(const char *target)
{
        for (size_t i = 0; i < c.n_mounts; i++)
                if (strcmp(c.mounts[i].target, target) == 0)
                        return &c.mounts[i];
        return NULL;
}

static bool has_path(const struct ward_path *list, size_t n, const char *path)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(list[i].path, path) == 0)
                        return true;
        return false;
}

/* Assert a failure: the error names where, the key, and the message / hint contain text. */
static void assert_error(int r, const char *where, const char *key, const char *msg_part,
                         const char *hint_part)
{
        ck_assert_int_lt(r, 0);
        ck_assert_str_eq(e.where, where);
        ck_assert_str_eq(e.key, key);
        ck_assert_msg(strstr(e.msg, msg_part), "message \"%s\" lacks \"%s\"", e.msg, msg_part);
        if (hint_part)
                ck_assert_msg(strstr(e.hint, hint_part), "hint \"%s\" lacks \"%s\"", e.hint,
                              hint_part);
        ck_assert_int_eq(e.exit_code, WARD_EXIT_FAILED);
}

/* ------------------------------------------------------------------------------------- */

START_TEST(test_good_file_values)
{
        ck_assert_int_eq(profile_load(&c, DATA "/good.profile", &e), 0);

        ck_assert_str_eq(c.description, "every key, once");
        ck_assert(ends_with(c.description_origin.file, "/good.profile"));
        ck_assert_uint_eq(c.description_origin.line, 3);
        ck_assert_uint_eq(c.unshare_flags,
                          CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS);
        ck_assert_str_eq(c.hostname, "web-1");
        ck_assert_uint_eq(c.id_map_base, 3000000);
        ck_assert_str_eq(c.root, "/srv/images/web");
        ck_assert(!c.read_only);

        ck_assert_uint_eq(c.n_mounts, 4);
        ck_assert_int_eq(c.mounts[0].kind, WARD_MOUNT_TMPFS);
        ck_assert_str_eq(c.mounts[0].target, "/tmp");
        ck_assert_uint_eq(c.mounts[0].size_bytes, 32u << 20);
        ck_assert_uint_eq(c.mounts[0].mode, 01777);
        ck_assert(!c.mounts[0].exec);
        ck_assert_str_eq(c.mounts[1].target, "/run");
        ck_assert_uint_eq(c.mounts[1].size_bytes, 1u << 20);
        ck_assert_uint_eq(c.mounts[1].mode, 0700);
        ck_assert(c.mounts[1].exec);
        ck_assert_int_eq(c.mounts[2].kind, WARD_MOUNT_BIND);
        ck_assert_str_eq(c.mounts[2].source, "/srv/data");
        ck_assert_str_eq(c.mounts[2].target, "/data");
        ck_assert(c.mounts[2].writable);
        ck_assert_str_eq(c.mounts[3].source, "/etc/ssl/certs");
        ck_assert(!c.mounts[3].writable); /* read-only unless rw */

        ck_assert(has_path(c.masked_paths, c.n_masked_paths, "/proc/mask-me"));
        ck_assert(has_path(c.masked_paths, c.n_masked_paths, "/proc/kcore")); /* default kept */
        ck_assert(has_path(c.readonly_paths, c.n_readonly_paths, "/proc/readonly-me"));

        ck_assert(c.user_set);
        ck_assert_str_eq(c.user_spec, "9999:8888");
        ck_assert_uint_eq(c.uid, 9999);
        ck_assert_uint_eq(c.gid, 8888);
        ck_assert_uint_eq(c.n_groups, 2);
        ck_assert_uint_eq(c.groups[0], 27);
        ck_assert_uint_eq(c.groups[1], 100);
        ck_assert_uint_eq(c.caps_keep, CAP_NET_BIND_SERVICE_BIT | CAP_CHOWN_BIT);
        ck_assert(c.no_new_privs);
        ck_assert_str_eq(config_get_env(&c, "LANG"), "C.UTF-8");
        ck_assert_str_eq(config_get_env(&c, "COLOR"), "#fff"); /* no whitespace: not a comment */
        ck_assert_ptr_nonnull(config_get_env(&c, "PATH"));
        ck_assert_str_eq(c.cwd, "/srv");
        ck_assert_uint_eq(c.umask, 077);

        ck_assert(c.rlimits[RLIMIT_NOFILE].set);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].soft, 512);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].hard, 1024);
        ck_assert_uint_eq(c.rlimits[RLIMIT_CORE].soft, 0);
        ck_assert_uint_eq(c.rlimits[RLIMIT_CORE].hard, 0);
        ck_assert_uint_eq(c.rlimits[RLIMIT_AS].hard, 1ull << 30);
        /* Not in the file: the built-in safe value stays. */
        ck_assert(c.rlimits[RLIMIT_NPROC].set);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NPROC].hard, 512);
        ck_assert_ptr_null(c.rlimits[RLIMIT_NPROC].origin.file);

        ck_assert_int_eq(c.net_mode, WARD_NET_HOST);
        ck_assert(!c.init);
        ck_assert_uint_eq(c.stop_timeout_ms, 1500);
}
END_TEST

START_TEST(test_good_file_origins)
{
        ck_assert_int_eq(profile_load(&c, DATA "/good.profile", &e), 0);

        ck_assert(ends_with(c.hostname_origin.file, "/good.profile"));
        ck_assert_uint_eq(c.unshare_origin.line, 7);
        ck_assert_uint_eq(c.hostname_origin.line, 8);
        ck_assert_uint_eq(c.id_map_origin.line, 9);
        ck_assert_uint_eq(c.root_origin.line, 12);
        ck_assert_uint_eq(c.read_only_origin.line, 13);
        ck_assert_uint_eq(c.mounts[0].origin.line, 14);
        ck_assert_uint_eq(c.mounts[3].origin.line, 17);
        ck_assert_uint_eq(c.user_origin.line, 22);
        ck_assert_uint_eq(c.caps_origin.line, 25);
        ck_assert_uint_eq(c.cwd_origin.line, 29);
        ck_assert_uint_eq(c.umask_origin.line, 30);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].origin.line, 34);
        ck_assert_uint_eq(c.net_origin.line, 39);
        ck_assert_uint_eq(c.init_origin.line, 42);
        ck_assert_uint_eq(c.stop_timeout_origin.line, 43);
        /* Untouched settings keep the built-in origin. */
        ck_assert_ptr_null(c.masked_paths[0].origin.file);
        /* Every origin points at one interned copy of the name. */
        ck_assert_ptr_eq(c.hostname_origin.file, c.stop_timeout_origin.file);

        ck_assert_uint_eq(c.n_profiles_loaded, 1);
        ck_assert(ends_with(c.profiles_loaded[0], "/tests/unit/data/good.profile"));
        ck_assert_int_eq(c.profiles_loaded[0][0], '/');
}
END_TEST

START_TEST(test_syntax_details)
{
        /* BOM, CRLF, blank lines, indentation, spaces around '=', inline comment forms. */
        ck_assert_int_eq(load_text("\xef\xbb\xbf# comment\r\n"
                                   "\r\n"
                                   "  [ Namespaces ]  # trailing comment\r\n"
                                   "   Hostname   =   spaced\t# tab before the comment\r\n"
                                   "[Process]\n"
                                   "Environment=URL=http://x/#frag\n"
                                   "Environment=MSG=a # b\n"
                                   "; a semicolon comment\n"
                                   "[Init]\n"
                                   "StopTimeout=2s"), /* no final newline */
                         0);
        ck_assert_str_eq(c.hostname, "spaced");
        ck_assert_uint_eq(c.hostname_origin.line, 4);
        ck_assert_str_eq(c.hostname_origin.file, "test.profile");
        ck_assert_str_eq(config_get_env(&c, "URL"), "http://x/#frag");
        ck_assert_str_eq(config_get_env(&c, "MSG"), "a");
        ck_assert_uint_eq(c.stop_timeout_ms, 2000);
        ck_assert_uint_eq(c.stop_timeout_origin.line, 10);
}
END_TEST

START_TEST(test_repeated_keys_append)
{
        size_t masked = c.n_masked_paths;

        ck_assert_int_eq(load_text("[Filesystem]\n"
                                   "MaskPath=/a\n"
                                   "MaskPath=/b /c\n"
                                   "MaskPath=/proc/kcore\n" /* already a default: kept once */
                                   "Tmpfs=/tmp\n"
                                   "Tmpfs=/run\n"
                                   "[Namespaces]\n"
                                   "Unshare=\n"
                                   "Unshare=user\n"
                                   "Unshare=pid,mount\n"
                                   "[Process]\n"
                                   "Capabilities=CHOWN\n"
                                   "Capabilities=NET_RAW\n"
                                   "SupplementaryGroups=10\n"
                                   "SupplementaryGroups=20 10\n"
                                   "Environment=A=1\n"
                                   "Environment=B=2\n"
                                   "Environment=A=3\n"),
                         0);
        ck_assert_uint_eq(c.n_masked_paths, masked + 3);
        ck_assert(has_path(c.masked_paths, c.n_masked_paths, "/c"));
        ck_assert_uint_eq(c.masked_paths[c.n_masked_paths - 1].origin.line, 3);
        ck_assert_uint_eq(c.n_mounts, 2);
        ck_assert_uint_eq(c.unshare_flags, CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS);
        ck_assert_uint_eq(c.caps_keep, CAP_CHOWN_BIT | CAP_NET_RAW_BIT);
        ck_assert_uint_eq(c.n_groups, 2);
        ck_assert_uint_eq(c.groups[1], 20);
        ck_assert_str_eq(config_get_env(&c, "A"), "3"); /* same name: replaced */
        ck_assert_str_eq(config_get_env(&c, "B"), "2");
        ck_assert_ptr_null(c.env[c.n_env]);
        /* In its first place, with the line that set it last; PATH is still the default's. */
        ck_assert_uint_eq(c.n_env, 3);
        ck_assert_str_eq(c.env[1], "A=3");
        ck_assert_uint_eq(c.env_origins[1].line, 18);
        ck_assert_uint_eq(c.env_origins[2].line, 17);
        ck_assert_ptr_null(c.env_origins[0].file);
        /* SupplementaryGroups= has its own origin and leaves User='s alone. */
        ck_assert_uint_eq(c.groups_origin.line, 15);
        ck_assert_ptr_null(c.user_origin.file);
}
END_TEST

/* config_add_env: a KEY set again keeps its place and takes the later origin; NULL is the
 * built-in default; clearing leaves an empty, NULL-terminated list that grows again. */
START_TEST(test_env_origins)
{
        const struct ward_origin first = {.file = "a.profile", .line = 4};
        const struct ward_origin later = {.file = "command line", .line = 0};
        const struct ward_origin bundle = {.file = "config.json", .key = "process.env[2]"};

        ck_assert_int_eq(config_add_env(&c, "LANG=C", &first), 0);
        ck_assert_int_eq(config_add_env(&c, "TZ=UTC", &bundle), 0);
        ck_assert_int_eq(config_add_env(&c, "LANG=C.UTF-8", &later), 0);
        ck_assert_uint_eq(c.n_env, 3); /* PATH, LANG, TZ */
        ck_assert_str_eq(c.env[1], "LANG=C.UTF-8");
        ck_assert_str_eq(c.env_origins[1].file, "command line");
        ck_assert_uint_eq(c.env_origins[1].line, 0);
        ck_assert_str_eq(c.env_origins[2].key, "process.env[2]");
        ck_assert_ptr_null(c.env_origins[0].file); /* the built-in PATH */
        ck_assert_int_eq(config_add_env(&c, "PATH=/bin", &first), 0);
        ck_assert_str_eq(c.env_origins[0].file, "a.profile");
        ck_assert_int_eq(config_add_env(&c, "TZ=CET", NULL), 0);
        ck_assert_ptr_null(c.env_origins[2].file);
        ck_assert_ptr_null(c.env_origins[2].key);

        config_clear_env(&c);
        ck_assert_uint_eq(c.n_env, 0);
        ck_assert_ptr_null(c.env[0]);
        ck_assert_int_eq(config_add_env(&c, "ONLY=1", &later), 0);
        ck_assert_uint_eq(c.n_env, 1);
        ck_assert_str_eq(c.env_origins[0].file, "command line");
        ck_assert_ptr_null(c.env[1]);
}
END_TEST

/* Many variables (a 1 MiB --env-file holds ~100,000): each KEY keeps its first place, a
 * later setting of it replaces the value in place, and a cleared environment (a bundle's
 * process.env replaces the rest) is indexed afresh. */
START_TEST(test_env_many)
{
        const struct ward_origin later = {.file = "command line", .line = 0};
        char kv[64];

        for (int i = 0; i < 150000; i++) {
                snprintf(kv, sizeof(kv), "K%d=%d", i, i);
                ck_assert_int_eq(config_add_env(&c, kv, NULL), 0);
        }
        ck_assert_uint_eq(c.n_env, 150001); /* + PATH */
        for (int i = 0; i < 150000; i += 7) {
                snprintf(kv, sizeof(kv), "K%d=again", i);
                ck_assert_int_eq(config_add_env(&c, kv, &later), 0);
        }
        ck_assert_uint_eq(c.n_env, 150001);
        ck_assert_str_eq(c.env[1 + 70], "K70=again");
        ck_assert_str_eq(c.env_origins[1 + 70].file, "command line");
        ck_assert_str_eq(c.env[1 + 71], "K71=71");
        ck_assert_str_eq(config_get_env(&c, "K149999"), "149999");
        ck_assert_ptr_null(c.env[c.n_env]);

        config_clear_env(&c); /* a bundle's process.env starts afresh */
        ck_assert_int_eq(config_add_env(&c, "A=1", NULL), 0);
        ck_assert_int_eq(config_add_env(&c, "B=2", NULL), 0);
        ck_assert_int_eq(config_add_env(&c, "B=3", &later), 0);
        ck_assert_int_eq(config_add_env(&c, "C=4", &later), 0);
        ck_assert_uint_eq(c.n_env, 3);
        ck_assert_str_eq(c.env[1], "B=3");
        ck_assert_str_eq(c.env[2], "C=4");
        ck_assert_ptr_null(c.env[3]);
}
END_TEST

/* [Policy] AllowCalls= and AllowJoinNamespaces=: lists that add, reset when empty, and
 * fail closed on a name they do not know. */
START_TEST(test_policy_tolerances)
{
        size_t n;
        const struct oci_call *calls = oci_dangerous_calls(&n);
        uint64_t mount = 0, keyctl = 0;

        for (size_t i = 0; i < n; i++) {
                if (strcmp(calls[i].name, "mount") == 0)
                        mount = UINT64_C(1) << i;
                if (strcmp(calls[i].name, "keyctl") == 0)
                        keyctl = UINT64_C(1) << i;
        }
        ck_assert_int_eq(load_text("[Policy]\n"
                                   "AllowCalls=ptrace\n"
                                   "AllowCalls=\n"
                                   "AllowCalls=mount\n"
                                   "AllowCalls=keyctl, mount\n"
                                   "AllowJoinNamespaces=ipc\n"
                                   "AllowJoinNamespaces=\n"
                                   "AllowJoinNamespaces=net\n"),
                         0);
        ck_assert_uint_eq(c.policy_calls, mount | keyctl);
        ck_assert_uint_eq(c.policy_calls_origin.line, 5);
        ck_assert_uint_eq(c.policy_join_ns, CLONE_NEWNET);
        assert_error(load_text("[Policy]\nAllowCalls=mount read\n"), "test.profile:2",
                     "Policy.AllowCalls", "\"read\" is not one of the dangerous system calls",
                     "such as mount or keyctl");
        assert_error(load_text("[Policy]\nAllowJoinNamespaces=network\n"), "test.profile:2",
                     "Policy.AllowJoinNamespaces", "unknown namespace \"network\"", "net");
}
END_TEST

START_TEST(test_empty_assignment_resets)
{
        ck_assert_int_eq(load_text("[Filesystem]\n"
                                   "Tmpfs=/tmp\n"
                                   "Bind=/srv /srv\n"
                                   "Tmpfs=/run\n"
                                   "Tmpfs=\n"
                                   "MaskPath=\n"
                                   "ReadOnlyPath=\n"
                                   "MaskPath=/only\n"
                                   "[Process]\n"
                                   "Capabilities=CHOWN NET_RAW\n"
                                   "Capabilities=\n"
                                   "SupplementaryGroups=5\n"
                                   "SupplementaryGroups=\n"
                                   "Environment=\n"
                                   "Environment=ONLY=1\n"
                                   "User=1000\n"
                                   "User=\n"
                                   "[Resources]\n"
                                   "LimitNOFILE=10\n"
                                   "LimitNOFILE=\n"
                                   "[Namespaces]\n"
                                   "Unshare=\n"),
                         0);
        ck_assert_uint_eq(c.n_mounts, 1); /* the bind stays: Tmpfs= clears tmpfs only */
        ck_assert_int_eq(c.mounts[0].kind, WARD_MOUNT_BIND);
        ck_assert_uint_eq(c.n_masked_paths, 1);
        ck_assert_str_eq(c.masked_paths[0].path, "/only");
        ck_assert_uint_eq(c.n_readonly_paths, 0);
        ck_assert_uint_eq(c.caps_keep, 0);
        ck_assert_uint_eq(c.caps_origin.line, 11);
        ck_assert_uint_eq(c.n_groups, 0);
        ck_assert_uint_eq(c.n_env, 1);
        ck_assert_str_eq(c.env[0], "ONLY=1");
        ck_assert_ptr_null(c.env[1]);
        ck_assert(!c.user_set);
        ck_assert_ptr_null(c.user_spec);
        ck_assert(!c.rlimits[RLIMIT_NOFILE].set);
        ck_assert_uint_eq(c.unshare_flags, 0);
        ck_assert_int_eq(c.net_mode, WARD_NET_HOST); /* no net namespace: the host's network */
}
END_TEST

START_TEST(test_include_composition)
{
        ck_assert_int_eq(profile_load(&c, DATA "/include_top.profile", &e), 0);

        /* Before the Include: replaced by the included file's value. */
        ck_assert_str_eq(c.hostname, "base");
        ck_assert(ends_with(c.hostname_origin.file, "include_base.profile"));
        ck_assert_uint_eq(c.hostname_origin.line, 2);
        /* After the Include: the including file wins. */
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].soft, 200);
        ck_assert(ends_with(c.rlimits[RLIMIT_NOFILE].origin.file, "include_top.profile"));
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].origin.line, 13);
        ck_assert_uint_eq(c.id_map_base, 4000000);
        /* The same tmpfs target from another file is overridden in place (the built-in /tmp
         * first, then include_base's); the built-in /run stays. */
        ck_assert_uint_eq(c.n_mounts, 2);
        ck_assert_ptr_eq(find_mount("/tmp"), &c.mounts[0]);
        ck_assert_uint_eq(c.mounts[0].size_bytes, 16u << 20);
        ck_assert(ends_with(c.mounts[0].origin.file, "include_top.profile"));
        /* Lists add up across files. */
        ck_assert(has_path(c.masked_paths, c.n_masked_paths, "/base-masked"));
        ck_assert(has_path(c.masked_paths, c.n_masked_paths, "/top-masked"));

        ck_assert_uint_eq(c.n_profiles_loaded, 2);
        ck_assert(ends_with(c.profiles_loaded[0], "/include_top.profile"));
        ck_assert(ends_with(c.profiles_loaded[1], "/include_base.profile"));
}
END_TEST

START_TEST(test_include_relative_path)
{
        ck_assert_int_eq(profile_load(&c, DATA "/include_path.profile", &e), 0);
        ck_assert_str_eq(c.hostname, "base");
        ck_assert_uint_eq(c.stop_timeout_ms, 3000);
        ck_assert_uint_eq(c.n_profiles_loaded, 3);
        ck_assert(ends_with(c.profiles_loaded[1], "/data/sub/child.profile"));
        ck_assert(ends_with(c.profiles_loaded[2], "/data/include_base.profile"));
}
END_TEST

START_TEST(test_include_diamond)
{
        ck_assert_int_eq(profile_load(&c, DATA "/diamond.profile", &e), 0);
        ck_assert_uint_eq(c.n_profiles_loaded, 5);
        ck_assert(ends_with(c.profiles_loaded[4], "/include_base.profile"));
        /* The same Tmpfs= line read twice is one mount (in place of the built-in /tmp,
         * beside the built-in /run). */
        ck_assert_uint_eq(c.n_mounts, 2);
        ck_assert_ptr_eq(find_mount("/tmp"), &c.mounts[0]);
        ck_assert_uint_eq(c.mounts[0].size_bytes, 8u << 20);
        ck_assert_uint_eq(c.stop_timeout_ms, 3000);
}
END_TEST

START_TEST(test_include_cycle)
{
        int r = profile_load(&c, DATA "/cycle_a.profile", &e);

        ck_assert_int_eq(r, -ELOOP);
        ck_assert_str_eq(e.key, "Profile.Include");
        ck_assert(ends_with(e.where, "/cycle_b.profile:3"));
        ck_assert_str_eq(e.msg, "include cycle: cycle_a.profile -> cycle_b.profile -> "
                                "cycle_a.profile");
        ck_assert_int_eq(e.err, ELOOP);
}
END_TEST

START_TEST(test_include_self)
{
        char dir[] = "/tmp/ward-profile-XXXXXX", path[128];
        FILE *f;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/self.profile", dir);
        ck_assert_ptr_nonnull(f = fopen(path, "we"));
        fputs("[Profile]\nInclude=self\n", f);
        fclose(f);
        ck_assert_int_eq(profile_load(&c, path, &e), -ELOOP);
        ck_assert_str_eq(e.msg, "include cycle: self.profile -> self.profile");
        unlink(path);
        rmdir(dir);
}
END_TEST

START_TEST(test_include_depth_limit)
{
        char dir[] = "/tmp/ward-profile-XXXXXX", path[128];
        const int files = WARD_PROFILE_MAX_INCLUDE_DEPTH + 2;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        for (int i = 0; i < files; i++) {
                FILE *f;
                snprintf(path, sizeof(path), "%s/p%d.profile", dir, i);
                ck_assert_ptr_nonnull(f = fopen(path, "we"));
                if (i + 1 < files)
                        fprintf(f, "[Profile]\nInclude=p%d\n", i + 1);
                fclose(f);
        }
        /* The top file plus 16 levels of includes is fine... */
        snprintf(path, sizeof(path), "%s/p1.profile", dir);
        ck_assert_int_eq(profile_load(&c, path, &e), 0);
        ck_assert_uint_eq(c.n_profiles_loaded, WARD_PROFILE_MAX_INCLUDE_DEPTH + 1);
        /* ...one more is not. */
        snprintf(path, sizeof(path), "%s/p0.profile", dir);
        ck_assert_int_eq(profile_load(&c, path, &e), -ELOOP);
        ck_assert_str_eq(e.key, "Profile.Include");
        ck_assert_msg(strstr(e.msg, "deeper than 16"), "%s", e.msg);
        for (int i = 0; i < files; i++) {
                snprintf(path, sizeof(path), "%s/p%d.profile", dir, i);
                unlink(path);
        }
        rmdir(dir);
}
END_TEST

START_TEST(test_include_missing)
{
        int r = profile_load(&c, DATA "/missing_include.profile", &e);

        ck_assert_int_eq(r, -ENOENT);
        ck_assert(ends_with(e.where, "/missing_include.profile:3"));
        ck_assert_str_eq(e.key, "Profile.Include");
        ck_assert_msg(strstr(e.msg, "\"no-such-profile-anywhere\" not found in /etc/ward/profiles, "
                                    "<built-in>, "),
                      "%s", e.msg);
        ck_assert_msg(!strstr(e.msg, " ./,") && !strstr(e.msg, " .,"), "%s",
                      e.msg); /* not the cwd */
        ck_assert_msg(strstr(e.msg, "/etc/ward/profiles"), "%s", e.msg);
        ck_assert_msg(strstr(e.hint, "no-such-profile-anywhere.profile"), "%s", e.hint);
}
END_TEST

START_TEST(test_include_only_in_files)
{
        struct ward_origin o = {.file = "command line", .line = 0};

        ck_assert_int_lt(profile_apply(&c, "Profile", "Include", "default", &o, &e), 0);
        ck_assert_str_eq(e.key, "Profile.Include");
        ck_assert_int_eq(load_text("[Profile]\nInclude=\n"), -EINVAL);
        assert_error(-EINVAL, "test.profile:2", "Profile.Include", "empty value", "Include=");
}
END_TEST

START_TEST(test_unknown_section_and_key)
{
        assert_error(load_text("[Procss]\nUser=1\n"), "test.profile:1", "Procss",
                     "unknown section [Procss]", "did you mean [Process]?");
        assert_error(load_text("[Cgroup]\nMemory=1G\n"), "test.profile:1", "Cgroup",
                     "unknown section", "cgroup limits go in [Resources]");
        assert_error(load_text("[Nothing]\n"), "test.profile:1", "Nothing", "unknown section",
                     "sections: [Profile] [Namespaces]");
        assert_error(load_text("[Namespaces]\n\nHostnme=x\n"), "test.profile:3",
                     "Namespaces.Hostnme", "unknown key \"Hostnme\" in [Namespaces]",
                     "did you mean Hostname=?");
        assert_error(load_text("[Process]\nHostname=x\n"), "test.profile:2", "Process.Hostname",
                     "unknown key", "Hostname= belongs in [Namespaces]");
        assert_error(load_text("[Resources]\nLimitNOFLE=1\n"), "test.profile:2",
                     "Resources.LimitNOFLE", "unknown key", "did you mean LimitNOFILE=?");
        assert_error(load_text("[Resources]\nLimitnofile=1\n"), "test.profile:2",
                     "Resources.Limitnofile", "unknown key", "did you mean LimitNOFILE=?");
        assert_error(load_text("[Resources]\nMemry=256M\n"), "test.profile:2", "Resources.Memry",
                     "unknown key", "did you mean Memory=?");
        assert_error(load_text("[Init]\nZzz=1\n"), "test.profile:2", "Init.Zzz", "unknown key",
                     "keys in [Init]: Init= StopTimeout=");
}
END_TEST

START_TEST(test_line_errors)
{
        assert_error(load_text("Hostname=x\n"), "test.profile:1", "Hostname",
                     "comes before any [Section]", "[Namespaces]");
        assert_error(load_text("[Namespaces]\nHostname\n"), "test.profile:2", "Namespaces",
                     "line without '='", "Key=Value");
        assert_error(load_text("[Namespaces]\n=x\n"), "test.profile:2", "Namespaces",
                     "no key before '='", NULL);
        assert_error(load_text("[Namespaces\n"), "test.profile:1", "", "closing ']'", NULL);
}
END_TEST

START_TEST(test_overlong_line)
{
        size_t n = WARD_PROFILE_MAX_LINE + 64;
        _cleanup_free_ char *text = malloc(n + 32);

        strcpy(text, "[Profile]\nDescription=");
        memset(text + strlen(text), 'x', n);
        text[strlen("[Profile]\nDescription=") + n] = '\0';
        assert_error(load_text(text), "test.profile:2", "", "line longer than 4096 bytes", NULL);
        ck_assert_int_eq(e.err, E2BIG);

        /* Exactly the limit is fine. */
        size_t prefix = strlen("Description=");
        strcpy(text, "[Profile]\nDescription=");
        memset(text + strlen(text), 'y', WARD_PROFILE_MAX_LINE - prefix);
        text[10 + WARD_PROFILE_MAX_LINE] = '\0';
        ck_assert_int_eq(load_text(text), 0);
        ck_assert_uint_eq(strlen(c.description), WARD_PROFILE_MAX_LINE - prefix);
}
END_TEST

START_TEST(test_nul_byte)
{
        static const char text[] = "[Namespaces]\nHostname=a\0b\n";

        memset(&e, 0, sizeof(e));
        assert_error(profile_load_buffer(&c, text, sizeof(text) - 1, "test.profile", &e),
                     "test.profile:2", "", "NUL byte", NULL);
        ck_assert_str_eq(c.hostname, "ward"); /* nothing applied from that line */
}
END_TEST

START_TEST(test_too_large)
{
        char dir[] = "/tmp/ward-profile-XXXXXX", path[128];
        int fd;

        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(profile_load_buffer(&c, "", WARD_PROFILE_MAX_SIZE + 1, "big.profile", &e),
                         -EFBIG);
        ck_assert_msg(strstr(e.msg, "larger than 1 MiB"), "%s", e.msg);

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/big.profile", dir);
        fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(ftruncate(fd, WARD_PROFILE_MAX_SIZE + 1), 0);
        close(fd);
        ck_assert_int_eq(profile_load(&c, path, &e), -EFBIG);
        ck_assert_int_eq(e.err, EFBIG);
        unlink(path);
        rmdir(dir);
}
END_TEST

START_TEST(test_not_a_regular_file)
{
        ck_assert_int_lt(profile_load(&c, DATA "/sub/", &e), 0);
        ck_assert_msg(strstr(e.msg, "not a regular file"), "%s", e.msg);
        ck_assert_int_eq(profile_load(&c, DATA "/nonexistent.profile", &e), -ENOENT);
        ck_assert_int_eq(e.err, ENOENT);
}
END_TEST

START_TEST(test_bad_values)
{
        static const struct {
                const char *text;
                const char *key;
                const char *msg;
                const char *hint;
        } cases[] = {
            {"[Namespaces]\nIdMapBase=abc\n", "Namespaces.IdMapBase", "not a number", NULL},
            {"[Namespaces]\nIdMapBase=0\n", "Namespaces.IdMapBase", "root to the host's", NULL},
            {"[Namespaces]\nIdMapBase=4294967295\n", "Namespaces.IdMapBase", "does not fit", NULL},
            {"[Namespaces]\nIdMapBase=99999999999999\n", "Namespaces.IdMapBase", "does not fit",
             NULL},
            {"[Namespaces]\nUnshare=user pidd\n", "Namespaces.Unshare",
             "unknown namespace \"pidd\"", "did you mean \"pid\"?"},
            {"[Namespaces]\nHostname=-bad\n", "Namespaces.Hostname", "not a valid hostname", NULL},
            {"[Namespaces]\nHostname=a b\n", "Namespaces.Hostname", "not a valid hostname", NULL},
            {"[Namespaces]\nHostname=\n", "Namespaces.Hostname", "not a valid hostname", NULL},
            {"[Filesystem]\nReadOnly=maybe\n", "Filesystem.ReadOnly", "not a boolean", "yes or no"},
            {"[Filesystem]\nTmpfs=/tmp size=12Q\n", "Filesystem.Tmpfs", "not a size",
             "options: size=SIZE (e.g. 64M)"},
            {"[Filesystem]\nTmpfs=/tmp size=0\n", "Filesystem.Tmpfs", "unlimited", NULL},
            {"[Filesystem]\nTmpfs=/tmp mode=999\n", "Filesystem.Tmpfs", "octal", NULL},
            {"[Filesystem]\nTmpfs=/tmp mode=17777\n", "Filesystem.Tmpfs", "octal", NULL},
            {"[Filesystem]\nTmpfs=/tmp sise=1M\n", "Filesystem.Tmpfs", "unknown option",
             "did you mean \"size=\"?"},
            {"[Filesystem]\nTmpfs=/tmp\nTmpfs=/tmp/\n", "Filesystem.Tmpfs",
             "already a mount target (test.profile:2)", NULL},
            {"[Filesystem]\nBind=/a\n", "Filesystem.Bind", "no target", "SOURCE TARGET"},
            {"[Filesystem]\nBind=/a /b rx\n", "Filesystem.Bind", "ro or rw", NULL},
            {"[Filesystem]\nBind=/a /b ro x\n", "Filesystem.Bind", "too many words", NULL},
            {"[Process]\nUser=-1\n", "Process.User", "not UID[:GID]", NULL},
            {"[Process]\nUser=4294967295\n", "Process.User", "not UID[:GID]", NULL},
            {"[Process]\nUser=1000:\n", "Process.User", "not UID[:GID]", NULL},
            {"[Process]\nUser=1000x\n", "Process.User", "not UID[:GID]", NULL},
            {"[Process]\nUser=a:b:c\n", "Process.User", "not UID[:GID]", NULL},
            {"[Process]\nSupplementaryGroups=wheel\n", "Process.SupplementaryGroups",
             "numeric gids", NULL},
            {"[Process]\nCapabilities=NET_BIND_SERVIC\n", "Process.Capabilities",
             "unknown capability", "did you mean NET_BIND_SERVICE?"},
            {"[Process]\nNoNewPrivileges=sure\n", "Process.NoNewPrivileges", "not a boolean", NULL},
            {"[Process]\nEnvironment=NOVALUE\n", "Process.Environment", "no '='",
             "PassEnvironment"},
            {"[Process]\nEnvironment=1X=y\n", "Process.Environment", "not a valid variable", NULL},
            {"[Process]\nPassEnvironment=A-B\n", "Process.PassEnvironment", "not a valid variable",
             NULL},
            {"[Process]\nUMask=1777\n", "Process.UMask", "not an octal umask", NULL},
            {"[Process]\nUMask=rw\n", "Process.UMask", "not an octal umask", NULL},
            {"[Process]\nWorkingDirectory=\n", "Process.WorkingDirectory", "empty value", NULL},
            {"[Resources]\nLimitNOFILE=lots\n", "Resources.LimitNOFILE", "not a limit",
             "SOFT[:HARD]"},
            {"[Resources]\nLimitNOFILE=10:5\n", "Resources.LimitNOFILE",
             "soft limit is above the hard one", NULL},
            {"[Network]\nMode=bridge\n", "Network.Mode", "unknown network mode", "none"},
            {"[Init]\nInit=perhaps\n", "Init.Init", "not a boolean", NULL},
            {"[Init]\nStopTimeout=10 parsecs\n", "Init.StopTimeout", "not a duration", "10s"},
            {"[Init]\nStopTimeout=-1s\n", "Init.StopTimeout", "not a duration", NULL},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                int r;
                config_free(&c);
                ck_assert_int_eq(config_init(&c, &e), 0);
                r = load_text(cases[i].text);
                ck_assert_msg(r < 0, "case %zu (%s) was accepted", i, cases[i].text);
                ck_assert_msg(strcmp(e.key, cases[i].key) == 0, "case %zu: key %s", i, e.key);
                ck_assert_msg(strstr(e.msg, cases[i].msg), "case %zu: message \"%s\"", i, e.msg);
                ck_assert_msg(!cases[i].hint || strstr(e.hint, cases[i].hint),
                              "case %zu: hint \"%s\"", i, e.hint);
                ck_assert_msg(strncmp(e.where, "test.profile:", 13) == 0, "case %zu: %s", i,
                              e.where);
        }
}
END_TEST

START_TEST(test_relative_paths_refused)
{
        static const struct {
                const char *text;
                const char *key;
                const char *msg;
        } cases[] = {
            {"[Filesystem]\nRoot=rootfs\n", "Filesystem.Root", "not an absolute path"},
            {"[Filesystem]\nTmpfs=tmp\n", "Filesystem.Tmpfs", "not an absolute path"},
            {"[Filesystem]\nTmpfs=/tmp/../etc\n", "Filesystem.Tmpfs", "\"..\" component"},
            {"[Filesystem]\nTmpfs=/\n", "Filesystem.Tmpfs", "cannot mount over the root"},
            {"[Filesystem]\nBind=data /data\n", "Filesystem.Bind", "not an absolute host path"},
            {"[Filesystem]\nBind=/data data\n", "Filesystem.Bind", "not an absolute path"},
            {"[Filesystem]\nBind=/data /srv/..\n", "Filesystem.Bind", "\"..\" component"},
            {"[Filesystem]\nMaskPath=proc/kcore\n", "Filesystem.MaskPath", "not an absolute path"},
            {"[Filesystem]\nReadOnlyPath=/proc/../etc\n", "Filesystem.ReadOnlyPath",
             "\"..\" component"},
            {"[Process]\nWorkingDirectory=srv\n", "Process.WorkingDirectory",
             "not an absolute path"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                int r = load_text(cases[i].text);
                ck_assert_msg(r < 0, "case %zu (%s) was accepted", i, cases[i].text);
                ck_assert_str_eq(e.key, cases[i].key);
                ck_assert_msg(strstr(e.msg, cases[i].msg), "case %zu: \"%s\"", i, e.msg);
                ck_assert_str_eq(e.where, "test.profile:2");
        }
}
END_TEST

/* Every in-sandbox path is kept as the kernel resolves it, so that "/./proc" meets the
 * checks as /proc, and two spellings of one target are one target. */
START_TEST(test_sandbox_paths_normalized)
{
        ck_assert_int_eq(load_text("[Filesystem]\n"
                                   "Tmpfs=/./tmp/.\n"
                                   "Bind=/proc /./proc/\n"
                                   "MaskPath=//proc/./cpuinfo/ /proc/kcore/.\n"
                                   "ReadOnlyPath=/sys/.\n"
                                   "[Process]\n"
                                   "WorkingDirectory=/./srv//app/.\n"),
                         0);
        ck_assert_str_eq(c.mounts[0].target, "/tmp");
        ck_assert_uint_eq(c.mounts[0].mode, 01777); /* known as /tmp, whatever the spelling */
        ck_assert_ptr_nonnull(find_mount("/proc")); /* after the built-in /run */
        ck_assert_uint_eq(c.n_mounts, 3);
        ck_assert_str_eq(c.masked_paths[c.n_masked_paths - 1].path, "/proc/cpuinfo");
        size_t kcore = 0; /* a default: kept once, however spelled again */
        for (size_t i = 0; i < c.n_masked_paths; i++)
                kcore += strcmp(c.masked_paths[i].path, "/proc/kcore") == 0;
        ck_assert_uint_eq(kcore, 1);
        ck_assert_str_eq(c.readonly_paths[c.n_readonly_paths - 1].path, "/sys");
        ck_assert_str_eq(c.cwd, "/srv/app");
        /* One target, two spellings, one file: a mistake, as with one spelling. */
        ck_assert_int_lt(load_text("[Filesystem]\nBind=/a /data\nBind=/b /./data/\n"), 0);
        ck_assert_msg(strstr(e.msg, "already a mount target"), "\"%s\"", e.msg);
        ck_assert_int_lt(load_text("[Process]\nWorkingDirectory=/srv/..\n"), 0);
        ck_assert_str_eq(e.key, "Process.WorkingDirectory");
}
END_TEST

START_TEST(test_tmpfs_and_bind_details)
{
        /* The empty Tmpfs= clears the built-in /tmp and /run first. */
        ck_assert_int_eq(load_text("[Filesystem]\n"
                                   "Tmpfs=\n"
                                   "Tmpfs=//var//tmp/\n"
                                   "Tmpfs=/cache size=1G mode=0750 noexec rw nosuid nodev\n"
                                   "Bind=/src /dst/\n"),
                         0);
        ck_assert_uint_eq(c.n_mounts, 3);
        ck_assert_str_eq(c.mounts[0].target, "/var/tmp"); /* normalized */
        ck_assert_uint_eq(c.mounts[0].mode, 01777);       /* a /tmp-like directory */
        ck_assert_uint_eq(c.mounts[0].size_bytes, 0);     /* 0: the default size */
        ck_assert_uint_eq(c.mounts[1].mode, 0750);
        ck_assert_uint_eq(c.mounts[1].size_bytes, 1ull << 30);
        ck_assert_ptr_null(c.mounts[1].source);
        ck_assert_str_eq(c.mounts[2].target, "/dst");
        ck_assert(!c.mounts[0].optional && !c.mounts[1].optional); /* required by default */

        /* The command line (another origin) replaces a profile's mount, keeping its place. */
        struct ward_origin cli = {.file = config_intern(&c, "command line"), .line = 0};
        ck_assert_int_eq(profile_apply(&c, "Filesystem", "Bind", "/other /var/tmp rw", &cli, &e),
                         0);
        ck_assert_uint_eq(c.n_mounts, 3);
        ck_assert_int_eq(c.mounts[0].kind, WARD_MOUNT_BIND);
        ck_assert_str_eq(c.mounts[0].source, "/other");
        ck_assert(c.mounts[0].writable);
        ck_assert_str_eq(c.mounts[0].origin.file, "command line");
        /* But twice from the command line is a mistake. */
        ck_assert_int_lt(profile_apply(&c, "Filesystem", "Tmpfs", "/var/tmp", &cli, &e), 0);
        ck_assert_msg(strstr(e.msg, "already a mount target (command line)"), "%s", e.msg);
}
END_TEST

START_TEST(test_user_forms)
{
        ck_assert_int_eq(load_text("[Process]\nUser=1000\n"), 0);
        ck_assert_uint_eq(c.uid, 1000);
        ck_assert_uint_eq(c.gid, 1000); /* the gid defaults to the uid */
        ck_assert_str_eq(c.user_spec, "1000");
        ck_assert_int_eq(load_text("[Process]\nUser=0:0\n"), 0);
        ck_assert_uint_eq(c.uid, 0);
        ck_assert_uint_eq(c.gid, 0);
        ck_assert(c.user_set);
        ck_assert_int_eq(load_text("[Process]\nUser=nginx\n"), 0);
        ck_assert_str_eq(c.user_spec, "nginx"); /* resolved in the image later */
        ck_assert(c.user_set);
        ck_assert_int_eq(load_text("[Process]\nUser=1001:www-data\n"), 0);
        ck_assert_str_eq(c.user_spec, "1001:www-data");
        ck_assert_uint_eq(c.uid, 1001);
}
END_TEST

START_TEST(test_environment_pass)
{
        setenv("WARD_TEST_PASS", "passed value", 1);
        unsetenv("WARD_TEST_UNSET");
        ck_assert_int_eq(load_text("[Process]\nPassEnvironment=WARD_TEST_PASS WARD_TEST_UNSET\n"
                                   "PassEnvironment=\n"),
                         0);
        ck_assert_str_eq(config_get_env(&c, "WARD_TEST_PASS"), "passed value");
        ck_assert_ptr_null(config_get_env(&c, "WARD_TEST_UNSET"));
}
END_TEST

START_TEST(test_network_and_unshare_last_wins)
{
        ck_assert_int_eq(load_text("[Network]\nMode=host\n"), 0);
        ck_assert_uint_eq(c.unshare_flags & CLONE_NEWNET, 0);
        ck_assert_int_eq(c.net_mode, WARD_NET_HOST);
        ck_assert_int_eq(load_text("[Namespaces]\nUnshare=net\n"), 0);
        ck_assert_uint_eq(c.unshare_flags & CLONE_NEWNET, CLONE_NEWNET);
        ck_assert_int_eq(c.net_mode, WARD_NET_NONE);
        ck_assert_uint_eq(c.net_origin.line, 2);
        ck_assert_int_eq(load_text("[Namespaces]\nUnshare=net\n[Network]\nMode=host\n"), 0);
        ck_assert_uint_eq(c.unshare_flags & CLONE_NEWNET, 0);
        ck_assert_uint_eq(c.unshare_flags, ALL_NAMESPACES & ~(unsigned long)CLONE_NEWNET);
        ck_assert_uint_eq(c.net_origin.line, 4);
        ck_assert_int_eq(load_text("[Network]\nMode=none\n"), 0);
        ck_assert_uint_eq(c.unshare_flags, ALL_NAMESPACES);
}
END_TEST

START_TEST(test_capabilities_all)
{
        ck_assert_int_eq(load_text("[Process]\nCapabilities=ALL\n"), 0);
        ck_assert_uint_ne(c.caps_keep, 0);
        ck_assert_uint_eq(c.caps_keep & CAP_NET_RAW_BIT, CAP_NET_RAW_BIT);
        ck_assert_int_eq(load_text("[Process]\nCapabilities=\nCapabilities=CAP_NET_RAW, chown\n"),
                         0);
        ck_assert_uint_eq(c.caps_keep, CAP_NET_RAW_BIT | CAP_CHOWN_BIT);
}
END_TEST

/* "optional" in any place among the options; the --tmpfs form (commas) becomes the same. */
START_TEST(test_tmpfs_optional)
{
        struct ward_origin cli = {.file = NULL, .line = 0};

        ck_assert_int_eq(load_text("[Filesystem]\n"
                                   "Tmpfs=\n"
                                   "Tmpfs=/run optional size=16M mode=755\n"
                                   "Tmpfs=/srv size=1M optional exec\n"),
                         0);
        ck_assert_uint_eq(c.n_mounts, 2); /* the empty Tmpfs= cleared the built-in ones */
        ck_assert(c.mounts[0].optional);
        ck_assert_uint_eq(c.mounts[0].size_bytes, 16u << 20);
        ck_assert_uint_eq(c.mounts[0].mode, 0755);
        ck_assert(c.mounts[1].optional && c.mounts[1].exec);

        /* A later line for the same target replaces it whole: optional does not linger. */
        cli.file = config_intern(&c, "command line");
        ck_assert_int_eq(profile_apply(&c, "Filesystem", "Tmpfs", "/run size=2M", &cli, &e), 0);
        ck_assert_uint_eq(c.n_mounts, 2);
        ck_assert_str_eq(c.mounts[0].target, "/run");
        ck_assert(!c.mounts[0].optional);

        /* Misspelled: refused with the closest option named, never read as required. */
        assert_error(load_text("[Filesystem]\nTmpfs=/run optinal\n"), "test.profile:2",
                     "Filesystem.Tmpfs", "unknown option", "did you mean \"optional\"?");
}
END_TEST

START_TEST(test_shipped_default_profile)
{
        ck_assert_int_eq(profile_load(&c, WARD_SOURCE_PROFILES_DIR "/default.profile", &e), 0);
        ck_assert_uint_eq(c.unshare_flags, ALL_NAMESPACES);
        ck_assert_str_eq(c.hostname, "ward");
        ck_assert(c.read_only);
        ck_assert_uint_eq(c.n_mounts, 2);
        ck_assert_str_eq(c.mounts[0].target, "/tmp");
        ck_assert_uint_eq(c.mounts[0].size_bytes, 64u << 20);
        ck_assert_uint_eq(c.mounts[0].mode, 01777);
        ck_assert(!c.mounts[0].exec);
        ck_assert(!c.mounts[0].optional); /* /tmp is required */
        /* An empty /run hides the image's (the host's, with --rootfs /) Unix sockets. */
        ck_assert_str_eq(c.mounts[1].target, "/run");
        ck_assert_uint_eq(c.mounts[1].size_bytes, 16u << 20);
        ck_assert_uint_eq(c.mounts[1].mode, 0755);
        ck_assert(!c.mounts[1].exec);
        ck_assert(c.mounts[1].optional);
        ck_assert_uint_eq(c.caps_keep, 0);
        ck_assert(c.no_new_privs);
        ck_assert(!c.user_set);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].soft, 1024);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].hard, 1024);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NPROC].hard, 512);
        ck_assert_uint_eq(c.rlimits[RLIMIT_CORE].hard, 0);
        ck_assert_int_eq(c.net_mode, WARD_NET_NONE);
        ck_assert(c.init);
        ck_assert_uint_eq(c.stop_timeout_ms, 10000);
        ck_assert(ends_with(c.caps_origin.file, "profiles/default.profile"));
        ck_assert_uint_gt(c.caps_origin.line, 0);
}
END_TEST

START_TEST(test_shipped_strict_profile)
{
        ck_assert_int_eq(profile_load(&c, WARD_SOURCE_PROFILES_DIR "/strict.profile", &e), 0);
        ck_assert_uint_eq(c.n_profiles_loaded, 2);
        ck_assert(ends_with(c.profiles_loaded[0], "profiles/strict.profile"));
        ck_assert(ends_with(c.profiles_loaded[1], "profiles/default.profile"));
        ck_assert_str_eq(c.description, "ward strict: default plus an unprivileged user and "
                                        "tight limits");
        ck_assert_uint_eq(c.uid, 65534);
        ck_assert_uint_eq(c.gid, 65534);
        ck_assert_uint_eq(c.umask, 077);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NPROC].hard, 64);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].hard, 256);
        ck_assert_uint_eq(c.rlimits[RLIMIT_FSIZE].hard, 64u << 20);
        ck_assert_uint_eq(c.rlimits[RLIMIT_CORE].hard, 0); /* from default */
        ck_assert_uint_eq(c.n_mounts, 2);
        ck_assert_uint_eq(c.mounts[0].size_bytes, 16u << 20);
        ck_assert_str_eq(c.mounts[1].target, "/run"); /* replaces the default's, in place */
        ck_assert_uint_eq(c.mounts[1].size_bytes, 4u << 20);
        ck_assert(c.mounts[1].optional);
        ck_assert(ends_with(c.mounts[1].origin.file, "profiles/strict.profile"));
        ck_assert_uint_eq(c.stop_timeout_ms, 5000);
        ck_assert(c.read_only);
        ck_assert_uint_eq(c.caps_keep, 0);
}
END_TEST

START_TEST(test_find_by_name)
{
        char path[PATH_MAX], dirs[8][4096];
        size_t n = profile_search_path(dirs, ARRAY_SIZE(dirs));

        ck_assert_uint_ge(n, 3);
        for (size_t i = 0; i < n; i++) /* never the current directory, nothing relative */
                ck_assert_msg(dirs[i][0] == '/' || strcmp(dirs[i], "<built-in>") == 0, "%s",
                              dirs[i]);
        ck_assert_str_eq(dirs[n - 1], WARD_SOURCE_PROFILES_DIR); /* run from the build tree */
        ck_assert_int_eq(profile_find("strict", path, sizeof(path), &e), 0);
        ck_assert_str_eq(path, "<built-in>/strict.profile");
        ck_assert_int_eq(profile_find(DATA "/good.profile", path, sizeof(path), &e), 0);
        ck_assert_str_eq(path, DATA "/good.profile");

        ck_assert_int_eq(profile_find("../no-such-dir/x", path, sizeof(path), &e), -ENOENT);
        ck_assert_int_eq(profile_find("bad name", path, sizeof(path), &e), -EINVAL);
        ck_assert_msg(strstr(e.msg, "is not a profile name"), "%s", e.msg);
        ck_assert_int_eq(profile_find(".hidden", path, sizeof(path), &e), -EINVAL);
        /* A file name alone is not looked up in the current directory. */
        ck_assert_int_eq(profile_find("default.profile", path, sizeof(path), &e), -EINVAL);
        ck_assert_msg(strstr(e.hint, "./default.profile"), "%s", e.hint);
        ck_assert_int_eq(profile_find("strcit", path, sizeof(path), &e), -ENOENT);
        ck_assert_str_eq(e.hint, "did you mean \"strict\"?");
        ck_assert_int_eq(profile_find("nope", path, sizeof(path), &e), -ENOENT);
        ck_assert_msg(strstr(e.hint, "install nope.profile in one of these"), "%s", e.hint);
        ck_assert_msg(strstr(e.msg, "profile \"nope\" not found in /etc/ward/profiles, "), "%s",
                      e.msg);
        ck_assert_msg(strstr(e.msg, WARD_SOURCE_PROFILES_DIR), "%s", e.msg);
}
END_TEST

static void write_file(const char *path, const char *text, mode_t mode)
{
        FILE *f = fopen(path, "we");

        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
        ck_assert_int_eq(chmod(path, mode), 0);
}

/* The attack of issue 11: a default.profile in the current directory (a directory the
 * sandbox could write through a rw bind) must not be what `default` means. */
START_TEST(test_find_ignores_current_directory)
{
        char dir[] = "/tmp/ward-cwd-XXXXXX", path[PATH_MAX], found[PATH_MAX], old[PATH_MAX];

        ck_assert_ptr_nonnull(getcwd(old, sizeof(old)));
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/default.profile", dir);
        write_file(path, "[Namespaces]\nUnshare=none\nHostname=planted\n", 0644);
        ck_assert_int_eq(chdir(dir), 0);
        ck_assert_int_eq(profile_find("default", found, sizeof(found), &e), 0);
        ck_assert_str_eq(found, "<built-in>/default.profile");
        ck_assert_int_eq(profile_load(&c, "default", &e), 0);
        ck_assert_str_eq(c.hostname, "ward");
        /* Named as a path, the same file is read (it passes the ownership rule). */
        ck_assert_int_eq(profile_load(&c, "./default.profile", &e), 0);
        ck_assert_str_eq(c.hostname, "planted");
        ck_assert_int_eq(chdir(old), 0);
        unlink(path);
        rmdir(dir);
}
END_TEST

/* Group- or world-writable files and directories, and other users' files, are refused
 * with the component, its owner and mode named. */
START_TEST(test_find_untrusted_files)
{
        char dir[] = "/tmp/ward-trust-XXXXXX", sub[160], path[PATH_MAX];

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(sub, sizeof(sub), "%s/open", dir);
        ck_assert_int_eq(mkdir(sub, 0755), 0);
        snprintf(path, sizeof(path), "%s/p.profile", sub);
        write_file(path, "[Namespaces]\nHostname=x\n", 0644);
        ck_assert_int_eq(profile_load(&c, path, &e), 0);

        ck_assert_int_eq(chmod(path, 0664), 0); /* group-writable file */
        ck_assert_int_eq(profile_load(&c, path, &e), -EPERM);
        ck_assert_msg(strstr(e.msg, "is writable by its group (uid"), "%s", e.msg);
        ck_assert_msg(strstr(e.msg, "mode 0664"), "%s", e.msg);
        ck_assert_msg(strstr(e.hint, "chmod go-w"), "%s", e.hint);
        ck_assert_int_eq(chmod(path, 0644), 0);

        ck_assert_int_eq(chmod(sub, 0777), 0); /* a world-writable directory above it */
        ck_assert_int_eq(profile_load(&c, path, &e), -EPERM);
        ck_assert_msg(strstr(e.msg, sub), "%s", e.msg);
        ck_assert_msg(strstr(e.msg, "mode 0777"), "%s", e.msg);
        ck_assert_int_eq(chmod(sub, 01777), 0); /* sticky, as /tmp: fine */
        ck_assert_int_eq(profile_load(&c, path, &e), 0);
        ck_assert_int_eq(chmod(sub, 0755), 0);

        if (geteuid() == 0) { /* someone else's file */
                ck_assert_int_eq(chown(path, 65534, 65534), 0);
                ck_assert_int_eq(profile_load(&c, path, &e), -EPERM);
                ck_assert_msg(strstr(e.msg, "belongs to uid 65534"), "%s", e.msg);
        }
        /* An include is held to the same rule. */
        snprintf(path, sizeof(path), "%s/top.profile", dir);
        write_file(path, "[Profile]\nInclude=open/p.profile\n", 0644);
        if (geteuid() == 0) {
                ck_assert_int_eq(profile_load(&c, path, &e), -EPERM);
                ck_assert_str_eq(e.key, "Profile.Include");
        }
        unlink(path);
        snprintf(path, sizeof(path), "%s/p.profile", sub);
        unlink(path);
        /* A FIFO is refused at once, never opened. */
        ck_assert_int_eq(mkfifo(path, 0644), 0);
        ck_assert_int_eq(profile_load(&c, path, &e), -EINVAL);
        ck_assert_msg(strstr(e.msg, "not a regular file"), "%s", e.msg);
        unlink(path);
        rmdir(sub);
        rmdir(dir);
}
END_TEST

static void make_xdg_profile(const char *dir, char *path, size_t len)
{
        char sub[128];

        snprintf(sub, sizeof(sub), "%s/ward", dir);
        ck_assert_int_eq(mkdir(sub, 0700), 0);
        snprintf(sub, sizeof(sub), "%s/ward/profiles", dir);
        ck_assert_int_eq(mkdir(sub, 0700), 0);
        snprintf(path, len, "%s/xdgtest.profile", sub);
        write_file(path, "[Namespaces]\nHostname=xdg\n", 0600);
}

static void remove_xdg_profile(const char *dir, const char *path)
{
        char sub[128];

        unlink(path);
        snprintf(sub, sizeof(sub), "%s/ward/profiles", dir);
        rmdir(sub);
        snprintf(sub, sizeof(sub), "%s/ward", dir);
        rmdir(sub);
        rmdir(dir);
}

/* The caller's own directory is searched for a caller other than root only: root's ward
 * takes nothing from $HOME or $XDG_CONFIG_HOME. */
START_TEST(test_find_xdg)
{
        char dir[] = "/tmp/ward-xdg-XXXXXX", path[PATH_MAX], found[PATH_MAX];
        char dirs[8][4096];

        ck_assert_ptr_nonnull(mkdtemp(dir));
        make_xdg_profile(dir, path, sizeof(path));
        setenv("XDG_CONFIG_HOME", dir, 1);
        if (geteuid() == 0) {
                ck_assert_int_eq(profile_find("xdgtest", found, sizeof(found), &e), -ENOENT);
                ck_assert_str_eq(profile_search_path(dirs, ARRAY_SIZE(dirs)) ? dirs[0] : "",
                                 "/etc/ward/profiles");
                /* As a user (this test runs in a forked child): their own directory first. */
                char cmd[200];
                snprintf(cmd, sizeof(cmd), "chown -R 65534:65534 %s", dir);
                ck_assert_int_eq(system(cmd), 0);
                ck_assert_int_eq(setresgid(65534, 65534, 65534), 0);
                ck_assert_int_eq(setresuid(65534, 65534, 65534), 0);
        }
        profile_search_path(dirs, ARRAY_SIZE(dirs));
        snprintf(found, sizeof(found), "%s/ward/profiles", dir);
        ck_assert_str_eq(dirs[0], found);
        ck_assert_int_eq(profile_find("xdgtest", found, sizeof(found), &e), 0);
        ck_assert_str_eq(found, path);
        ck_assert_int_eq(profile_load(&c, "xdgtest", &e), 0);
        ck_assert_str_eq(c.hostname, "xdg");
        remove_xdg_profile(dir, path);
}
END_TEST

static Suite *profile_suite(void)
{
        Suite *s = suite_create("profile");
        TCase *tc = tcase_create("values");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_good_file_values);
        tcase_add_test(tc, test_policy_tolerances);
        tcase_add_test(tc, test_good_file_origins);
        tcase_add_test(tc, test_syntax_details);
        tcase_add_test(tc, test_repeated_keys_append);
        tcase_add_test(tc, test_env_origins);
        tcase_add_test(tc, test_env_many);
        tcase_add_test(tc, test_empty_assignment_resets);
        tcase_add_test(tc, test_tmpfs_and_bind_details);
        tcase_add_test(tc, test_tmpfs_optional);
        tcase_add_test(tc, test_user_forms);
        tcase_add_test(tc, test_environment_pass);
        tcase_add_test(tc, test_network_and_unshare_last_wins);
        tcase_add_test(tc, test_capabilities_all);
        suite_add_tcase(s, tc);

        tc = tcase_create("includes");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_include_composition);
        tcase_add_test(tc, test_include_relative_path);
        tcase_add_test(tc, test_include_diamond);
        tcase_add_test(tc, test_include_cycle);
        tcase_add_test(tc, test_include_self);
        tcase_add_test(tc, test_include_depth_limit);
        tcase_add_test(tc, test_include_missing);
        tcase_add_test(tc, test_include_only_in_files);
        suite_add_tcase(s, tc);

        tc = tcase_create("errors");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_unknown_section_and_key);
        tcase_add_test(tc, test_line_errors);
        tcase_add_test(tc, test_overlong_line);
        tcase_add_test(tc, test_nul_byte);
        tcase_add_test(tc, test_too_large);
        tcase_add_test(tc, test_not_a_regular_file);
        tcase_add_test(tc, test_bad_values);
        tcase_add_test(tc, test_relative_paths_refused);
        tcase_add_test(tc, test_sandbox_paths_normalized);
        suite_add_tcase(s, tc);

        tc = tcase_create("shipped");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_shipped_default_profile);
        tcase_add_test(tc, test_shipped_strict_profile);
        tcase_add_test(tc, test_find_by_name);
        tcase_add_test(tc, test_find_xdg);
        tcase_add_test(tc, test_find_ignores_current_directory);
        tcase_add_test(tc, test_find_untrusted_files);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(profile_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
