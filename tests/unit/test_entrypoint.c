/* Unit tests for entrypoint mode: its profile keys, the shipped profile, ward-init's command
 * line, and the preflight refusals that do not depend on the container (the ones that do
 * are proved in crun containers by tests/integration/test_entrypoint.sh). */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/entrypoint.h"
#include "ward/init_args.h"
#include "ward/profile.h"

#include "config_fixture.h"

static void set_command(const char *cmd)
{
        for (size_t i = 0; i < c.argc; i++)
                free(c.argv[i]);
        free(c.argv);
        c.argv = calloc(2, sizeof(char *));
        ck_assert_ptr_nonnull(c.argv);
        c.argv[0] = strdup(cmd);
        c.argc = 1;
}

/* An entrypoint config that passes everywhere: the root may be writable (ReadOnly=no). */
static void load_permissive(const char *more)
{
        char text[2048];

        config_free(&c);
        ck_assert_int_eq(config_init(&c, &e), 0);
        snprintf(text, sizeof(text),
                 "[Namespaces]\nUnshare=none\n[Filesystem]\nReadOnly=no\nTmpfs=\n"
                 "[Process]\nDropBoundingSet=try\n%s",
                 more);
        ck_assert_int_eq(load_text(text), 0);
        set_command("/bin/true");
}

static void assert_refused(const char *key, const char *msg_part, const char *hint_part)
{
        memset(&e, 0, sizeof(e));
        ck_assert_int_lt(entrypoint_preflight(&c, &e), 0);
        ck_assert_str_eq(e.key, key);
        ck_assert_msg(strstr(e.msg, msg_part), "message \"%s\" lacks \"%s\"", e.msg, msg_part);
        ck_assert_msg(strstr(e.hint, hint_part), "hint \"%s\" lacks \"%s\"", e.hint, hint_part);
}

START_TEST(test_unshare_none)
{
        ck_assert_int_eq(load_text("[Namespaces]\nUnshare=none\n"), 0);
        ck_assert(c.in_place);
        ck_assert_uint_eq(c.unshare_flags, 0);
        ck_assert_int_eq(c.net_mode, WARD_NET_HOST);
        ck_assert_uint_eq(c.unshare_origin.line, 2);
        /* A later list is sandbox mode again. */
        ck_assert_int_eq(load_text("[Namespaces]\nUnshare=none\nUnshare=user pid mount\n"), 0);
        ck_assert(!c.in_place);
        ck_assert_uint_eq(c.unshare_flags, CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS);
        /* An empty list is not entrypoint mode: only the explicit word is. */
        ck_assert_int_eq(load_text("[Namespaces]\nUnshare=\n"), 0);
        ck_assert(!c.in_place);
}
END_TEST

START_TEST(test_try_keys)
{
        ck_assert_int_eq(load_text("[Filesystem]\nReadOnly=try\n"), 0);
        ck_assert(c.read_only && c.read_only_try);
        ck_assert_int_eq(load_text("[Filesystem]\nReadOnly=try\nReadOnly=no\n"), 0);
        ck_assert(!c.read_only && !c.read_only_try);
        ck_assert_int_eq(load_text("[Process]\nDropBoundingSet=try\n"), 0);
        ck_assert(c.bounding_try);
        ck_assert_uint_eq(c.bounding_origin.line, 2);
        ck_assert_int_eq(load_text("[Process]\nDropBoundingSet=yes\n"), 0);
        ck_assert(!c.bounding_try);
        ck_assert_int_lt(load_text("[Process]\nDropBoundingSet=no\n"), 0);
        ck_assert_str_eq(e.key, "Process.DropBoundingSet");
        ck_assert(strstr(e.hint, "try"));
}
END_TEST

START_TEST(test_init_keys)
{
        char **argv;

        ck_assert_int_eq(load_text("[Init]\nProcessGroup=yes\nSuccessExitStatus=143 0\n"
                                   "SuccessExitStatus=3\n"),
                         0);
        set_command("app");
        ck_assert(c.init_group);
        argv = init_args_build(&c);
        ck_assert_ptr_nonnull(argv);
        ck_assert_str_eq(argv[0], "ward-init");
        ck_assert_str_eq(argv[1], "-g");
        ck_assert_str_eq(argv[2], "-e");
        ck_assert_str_eq(argv[3], "0");
        ck_assert_str_eq(argv[4], "-e");
        ck_assert_str_eq(argv[5], "3");
        ck_assert_str_eq(argv[6], "-e");
        ck_assert_str_eq(argv[7], "143");
        ck_assert_str_eq(argv[8], "--");
        ck_assert_str_eq(argv[9], "app");
        ck_assert_ptr_null(argv[10]);
        free(argv);

        ck_assert_int_eq(load_text("[Init]\nSuccessExitStatus=\nProcessGroup=no\n"), 0);
        argv = init_args_build(&c);
        ck_assert_str_eq(argv[0], "ward-init");
        ck_assert_str_eq(argv[1], "--");
        ck_assert_str_eq(argv[2], "app");
        ck_assert_ptr_null(argv[3]);
        free(argv);

        ck_assert_int_lt(load_text("[Init]\nSuccessExitStatus=256\n"), 0);
        ck_assert_str_eq(e.key, "Init.SuccessExitStatus");
        ck_assert_int_lt(load_text("[Init]\nSuccessExitStatus=x\n"), 0);
}
END_TEST

START_TEST(test_landlock_any_port)
{
        ck_assert_int_eq(load_text("[Landlock]\nBindTCP=80\nBindTCP=any\nConnectTCP=any\n"), 0);
        ck_assert(c.landlock.bind_tcp_any && c.landlock.connect_tcp_any);
        ck_assert_uint_eq(c.landlock.n_bind_tcp, 0);
        ck_assert_int_eq(c.landlock.mode, WARD_LANDLOCK_ON); /* a rule asks for Landlock */
        ck_assert_int_eq(load_text("[Landlock]\nBindTCP=443\n"), 0);
        ck_assert(!c.landlock.bind_tcp_any);
        ck_assert_uint_eq(c.landlock.n_bind_tcp, 1);
}
END_TEST

START_TEST(test_shipped_entrypoint_profile)
{
        ck_assert_int_eq(profile_load(&c, WARD_SOURCE_PROFILES_DIR "/entrypoint.profile", &e), 0);
        ck_assert(c.in_place);
        ck_assert_uint_eq(c.unshare_flags, 0);
        ck_assert(c.read_only && !c.read_only_try);
        ck_assert_uint_eq(c.n_mounts, 0);
        ck_assert_uint_eq(c.caps_keep, 0);
        ck_assert(c.bounding_try);
        ck_assert(c.no_new_privs);
        ck_assert(!c.user_set);
        ck_assert(c.seccomp.enabled);
        ck_assert_int_eq(c.landlock.mode, WARD_LANDLOCK_TRY);
        ck_assert(c.landlock.bind_tcp_any && c.landlock.connect_tcp_any);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].hard, 1024);
        ck_assert_uint_eq(c.rlimits[RLIMIT_CORE].hard, 0);
        ck_assert(!c.rlimits[RLIMIT_NPROC].set);
        ck_assert(c.init);
}
END_TEST

START_TEST(test_preflight_passes)
{
        load_permissive("");
        ck_assert_int_eq(entrypoint_preflight(&c, &e), 0);
        ck_assert_str_eq(c.root, "/");
        ck_assert_uint_eq(c.uid, geteuid()); /* no User=: the container's user stays */
        ck_assert_uint_eq(c.gid, getegid());
}
END_TEST

START_TEST(test_preflight_refusals)
{
        load_permissive("[Filesystem]\nRoot=/srv\n");
        assert_refused("Filesystem.Root", "container's own root", "--rootfs");
        load_permissive("[Filesystem]\nTmpfs=/run\n");
        assert_refused("Filesystem.Tmpfs", "needs a mount namespace", "docker run --tmpfs");
        load_permissive("[Filesystem]\nMaskPath=/proc/foo\n");
        assert_refused("Filesystem.MaskPath", "needs a mount namespace", "outer runtime");
        load_permissive("[Namespaces]\nHostname=web\n");
        assert_refused("Namespaces.Hostname", "uts namespace", "--hostname");
        load_permissive("[Network]\nMode=none\n");
        assert_refused("Network.Mode", "network namespace", "--network none");
        load_permissive("[Resources]\nMemory=64M\n");
        assert_refused("Resources", "cgroup limits", "docker run --memory");
        load_permissive("[Resources]\nResources=try\nMemory=64M\n");
        ck_assert_int_eq(entrypoint_preflight(&c, &e), 0);
}
END_TEST

START_TEST(test_preflight_read_only_root)
{
        struct statvfs st;

        ck_assert_int_eq(statvfs("/", &st), 0);
        if (st.f_flag & ST_RDONLY)
                return; /* the check below needs a writable root (the test host's) */
        load_permissive("[Filesystem]\nReadOnly=yes\n");
        assert_refused("Filesystem.ReadOnly", "the root filesystem is writable", "--read-only");
        ck_assert(strstr(e.hint, "Filesystem.ReadOnly=try"));
        load_permissive("[Filesystem]\nReadOnly=try\n");
        ck_assert_int_eq(entrypoint_preflight(&c, &e), 0);
}
END_TEST

START_TEST(test_preflight_no_command)
{
        ck_assert_int_eq(load_text("[Namespaces]\nUnshare=none\n"), 0);
        ck_assert_int_lt(entrypoint_preflight(&c, &e), 0);
        ck_assert(strstr(e.msg, "no command"));
}
END_TEST

START_TEST(test_detect)
{
        struct ward_entrypoint_env env;

        entrypoint_detect(&env);
        ck_assert_int_eq(env.pid, getpid());
        ck_assert_uint_eq(env.uid, geteuid());
        ck_assert_int_ge(env.seccomp_mode, 0);
        ck_assert_int_ge(env.landlock_abi, 0);
}
END_TEST

static Suite *entrypoint_suite(void)
{
        Suite *s = suite_create("entrypoint");
        TCase *tc = tcase_create("keys");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_unshare_none);
        tcase_add_test(tc, test_try_keys);
        tcase_add_test(tc, test_init_keys);
        tcase_add_test(tc, test_landlock_any_port);
        tcase_add_test(tc, test_shipped_entrypoint_profile);
        suite_add_tcase(s, tc);

        tc = tcase_create("preflight");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_preflight_passes);
        tcase_add_test(tc, test_preflight_refusals);
        tcase_add_test(tc, test_preflight_read_only_root);
        tcase_add_test(tc, test_preflight_no_command);
        tcase_add_test(tc, test_detect);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(entrypoint_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
