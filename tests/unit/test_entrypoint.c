/* Unit tests for entrypoint mode: its profile keys, the shipped profile, ward-init's command
 * line, and the preflight refusals that do not depend on the container (the ones that do
 * are proved in crun containers by tests/integration/test_entrypoint.sh). */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/config.h"
#include "ward/entrypoint.h"
#include "ward/init_args.h"
#include "ward/profile.h"
#include "ward/key_row.h"
#include "ward/keys.h"

#include "config_fixture.h"

/* What a child in a user namespace reports (userns_child.h). */
struct report {
        int setup_err;
        char setup_what[64];
        int rc;
        struct ward_error e;
        uint64_t bounding_before, bounding, effective, permitted;
};

#include "userns_child.h"

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

/* vm.memfd_noexec is 2 (or more) on this host. */
static bool host_memfd_noexec_enforced(void)
{
        FILE *f = fopen("/proc/sys/vm/memfd_noexec", "re");
        int v = 0;

        if (f) {
                if (fscanf(f, "%d", &v) != 1)
                        v = 0;
                fclose(f);
        }
        return v >= 2;
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
        argv = init_args_build(&c, -1);
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
        argv = init_args_build(&c, -1);
        ck_assert_str_eq(argv[0], "ward-init");
        ck_assert_str_eq(argv[1], "--");
        ck_assert_str_eq(argv[2], "app");
        ck_assert_ptr_null(argv[3]);
        free(argv);

        /* With a monitor (a report fd) and no pid namespace the app stays in the init's
         * process group, which the monitor kills; with a pid namespace, in place (no report
         * fd), or with -g, it leads its own, as under tini. */
        ck_assert_int_eq(load_text("[Namespaces]\nUnshare=\nUnshare=user mount\n"), 0);
        argv = init_args_build(&c, 7);
        ck_assert_str_eq(argv[1], "--report-fd=7");
        ck_assert_str_eq(argv[2], "--same-group");
        ck_assert_str_eq(argv[3], "--");
        ck_assert_ptr_null(argv[5]);
        free(argv);
        argv = init_args_build(&c, -1);
        ck_assert_str_eq(argv[1], "--");
        free(argv);
        ck_assert_int_eq(load_text("[Init]\nProcessGroup=yes\n"), 0);
        argv = init_args_build(&c, 7);
        ck_assert_str_eq(argv[2], "-g");
        free(argv);
        ck_assert_int_eq(load_text("[Namespaces]\nUnshare=pid\n[Init]\nProcessGroup=no\n"), 0);
        argv = init_args_build(&c, 7);
        ck_assert_str_eq(argv[2], "--");
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

/* Every key of the table, set to its example in an entrypoint profile: refused by its own
 * name, or known to be applied in place (or to change nothing there). A key added later
 * that entrypoint mode would silently ignore fails here until it is refused or listed. */
static const char *const applied_in_place[] = {
    "Profile.Description", /* text */
    "Namespaces.Unshare",  /* decides the mode itself */
    "Filesystem.ReadOnly", /* read-only-root: checked, 125 when writable */
    "Process.User",
    "Process.SupplementaryGroups",
    "Process.Capabilities",
    "Process.NoNewPrivileges",
    "Process.DropBoundingSet",
    "Process.Environment",
    "Process.PassEnvironment",
    "Process.WorkingDirectory",
    "Process.UMask",
    "Process.OOMScoreAdjust", /* the steps credentials, capabilities, ..., oom-score-adj */
    "Process.KeepGroups",     /* only lifts a rootless sandbox's refusal */
    "Resources.Resources",    /* try: cgroup limits are refused without it */
    "Network.Mode",           /* host: the container's network, as entrypoint mode has */
    "Init.Init",
    "Init.ProcessGroup",
    "Init.SuccessExitStatus", /* ward-init's options */
    "Init.StopTimeout",       /* the outer runtime's grace period (ward.profile(5)) */
    "Seccomp.Profile",
    "Seccomp.Allow",
    "Seccomp.Deny",
    "Seccomp.DefaultAction",
    "Seccomp.AllowSocketFamily",
    "Seccomp.AllowSetuidFiles",
    "Landlock.Execute",
    "Policy.AllowExceptions",
    "Policy.AllowCalls",
    "Policy.AllowJoinNamespaces", /* ward hook's */
};

static bool listed_in_place(const char *name)
{
        for (size_t i = 0; i < sizeof(applied_in_place) / sizeof(*applied_in_place); i++)
                if (strcmp(applied_in_place[i], name) == 0)
                        return true;
        return strncmp(name, "Resources.Limit", 15) == 0; /* the rlimits step */
}

START_TEST(test_every_key_refused_or_applied)
{
        size_t n, checked = 0;
        const struct ward_key *k = keys_table(&n);
        char name[96], text[512];

        for (size_t i = 0; i < n; i++) {
                if (!k[i].example || !k[i].parse)
                        continue;
                snprintf(name, sizeof(name), "%s.%s", k[i].section, k[i].key);
                snprintf(text, sizeof(text), "[%s]\n%s=%s\n", k[i].section, k[i].key, k[i].example);
                load_permissive(text);
                memset(&e, 0, sizeof(e));
                checked++;
                if (entrypoint_preflight(&c, &e) < 0) {
                        /* cgroup keys share "Resources"; Landlock's need Execute= first */
                        ck_assert_msg(strcmp(e.key, name) == 0 ||
                                          (strcmp(e.key, "Resources") == 0 &&
                                           strcmp(k[i].section, "Resources") == 0) ||
                                          strcmp(e.key, "Landlock.Landlock") == 0,
                                      "%s=%s: refused under another key, %s: %s", name,
                                      k[i].example, e.key, e.msg);
                        continue;
                }
                ck_assert_msg(listed_in_place(name),
                              "%s=%s is accepted in entrypoint mode, but no in-place step is "
                              "known to apply it: refuse it in entrypoint.c or list it here",
                              name, k[i].example);
        }
        ck_assert_uint_ge(checked, 50);
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
        /* Keys that only ward run's monitor or setup applies: refused, never ignored (before,
         * 50db247: all four passed, and MemfdExec=no ran with executable memfds). */
        if (!host_memfd_noexec_enforced()) { /* a host value of 2 is inherited: no refusal */
                load_permissive("[Process]\nMemfdExec=no\n");
                assert_refused("Process.MemfdExec", "no pid namespace of its own", "MemfdExec=try");
        }
        load_permissive("[Namespaces]\nIdMapBase=3000000\n");
        assert_refused("Namespaces.IdMapBase", "user namespace", "linux.uidMappings");
        load_permissive("[Resources]\nCgroupParent=/ward/web\n");
        assert_refused("Resources.CgroupParent", "makes no cgroup", "--cgroup-parent");
        load_permissive("[Init]\nExitLikeApp=yes\n");
        assert_refused("Init.ExitLikeApp", "execs ward-init", "remove ExitLikeApp=yes");
        /* Controls: what entrypoint mode does apply, or what changes nothing, passes. */
        load_permissive("[Process]\nMemfdExec=try\n[Init]\nExitLikeApp=no\nStopTimeout=5s\n");
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

/* A container's non-root user: no CAP_SETPCAP in the effective set. Only the bounding
 * set stays, and only with DropBoundingSet=try; every other set is emptied. */
static void child_apply_without_setpcap(struct report *rep, void *arg)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
        struct ward_config cc;

        if (config_init(&cc, &rep->e) < 0 || syscall(SYS_capget, &hdr, data) < 0) {
                rep->rc = -ENOMEM;
                return;
        }
        data[0].effective &= ~(1u << CAP_SETPCAP);
        if (syscall(SYS_capset, &hdr, data) < 0) {
                rep->rc = -1000 - errno;
                return;
        }
        cc.in_place = true;
        cc.bounding_try = *(const bool *)arg;
        for (int cap = 0; cap < 64; cap++)
                if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
                        rep->bounding_before |= UINT64_C(1) << cap;
        rep->rc = caps_drop_bounding(&cc, &rep->e);
        if (rep->rc == 0)
                rep->rc = caps_apply(&cc, &rep->e);
        for (int cap = 0; cap < 64; cap++)
                if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
                        rep->bounding |= UINT64_C(1) << cap;
        if (syscall(SYS_capget, &hdr, data) == 0) {
                rep->effective = data[0].effective | (uint64_t)data[1].effective << 32;
                rep->permitted = data[0].permitted | (uint64_t)data[1].permitted << 32;
        }
        config_free(&cc);
}

START_TEST(test_bounding_try_without_setpcap)
{
        bool try = true;
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_apply_without_setpcap, &try, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s", rep.rc, rep.e.msg);
        ck_assert_uint_ne(rep.bounding_before, 0);
        ck_assert_uint_eq(rep.bounding, rep.bounding_before); /* it could not be dropped */
        ck_assert_uint_eq(rep.effective, 0);
        ck_assert_uint_eq(rep.permitted, 0);
}
END_TEST

START_TEST(test_bounding_yes_without_setpcap)
{
        bool try = false;
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_apply_without_setpcap, &try, &rep))
                return;
        ck_assert_int_eq(rep.rc, -EPERM);
        ck_assert_str_eq(rep.e.key, "Process.Capabilities");
        ck_assert_msg(strstr(rep.e.hint, "--cap-drop ALL"), "hint: %s", rep.e.hint);
        ck_assert_msg(strstr(rep.e.hint, "DropBoundingSet=try"), "hint: %s", rep.e.hint);
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
        tcase_add_test(tc, test_every_key_refused_or_applied);
        tcase_add_test(tc, test_preflight_refusals);
        tcase_add_test(tc, test_preflight_read_only_root);
        tcase_add_test(tc, test_preflight_no_command);
        tcase_add_test(tc, test_detect);
        suite_add_tcase(s, tc);

        tc = tcase_create("bounding set");
        tcase_add_test(tc, test_bounding_try_without_setpcap);
        tcase_add_test(tc, test_bounding_yes_without_setpcap);
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
