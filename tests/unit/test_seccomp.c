/* Unit tests for src/seccomp/seccomp.c and the [Seccomp] keys: groups, names, plans and the
 * compiled BPF. Nothing here loads a filter: the test process stays unconfined. */
#include <check.h>
#include <errno.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/profile.h"
#include "ward/seccomp.h"
#include "ward/util.h"

#include "config_fixture.h"
static struct ward_seccomp_plan plan;

static int nr(const char *name)
{
        int n = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name);
        ck_assert_msg(n >= 0, "%s is not an x86_64 syscall", name);
        return n;
}

static int verdict(const char *name)
{
        return plan.verdict[nr(name)];
}

static void build(void)
{
        ck_assert_int_eq(seccomp_plan_build(&c, &plan, &e), 0);
}

static bool member(const char *const *list, const char *name)
{
        for (size_t i = 0; list && list[i]; i++)
                if (strcmp(list[i], name) == 0)
                        return true;
        return false;
}

/* ------------------------------------------------------------------------------------- */

START_TEST(test_groups_and_names)
{
        char hint[64];

        ck_assert(member(seccomp_group_members("@mount"), "mount"));
        ck_assert(member(seccomp_group_members("@mount"), "pivot_root"));
        ck_assert(member(seccomp_group_members("@module"), "finit_module"));
        ck_assert(member(seccomp_group_members("@keyring"), "keyctl"));
        ck_assert(member(seccomp_group_members("@debug"), "ptrace"));
        ck_assert(member(seccomp_group_members("@system-service"), "read"));
        ck_assert(!member(seccomp_group_members("@system-service"), "mount"));
        ck_assert(!member(seccomp_group_members("@system-service"), "ptrace"));
        ck_assert_ptr_null(seccomp_group_members("@nope"));
        /* Every member of every group is a real x86_64 syscall name. */
        for (const char *const *g = seccomp_group_names(); *g; g++)
                for (const char *const *m = seccomp_group_members(*g); *m; m++)
                        ck_assert_msg(seccomp_check_word(*m, hint, sizeof(hint)) == 0,
                                      "%s: %s is not a syscall", *g, *m);

        ck_assert_int_eq(seccomp_check_word("getppid", hint, sizeof(hint)), 0);
        ck_assert_int_eq(seccomp_check_word("@privileged", hint, sizeof(hint)), 0);
        ck_assert_int_eq(seccomp_check_word("getppidd", hint, sizeof(hint)), -EINVAL);
        ck_assert_str_eq(hint, "getppid");
        ck_assert_int_eq(seccomp_check_word("@mout", hint, sizeof(hint)), -EINVAL);
        ck_assert_str_eq(hint, "@mount");
        /* socketcall exists on i386 only. */
        ck_assert_int_eq(seccomp_check_word("socketcall", hint, sizeof(hint)), -EINVAL);
}
END_TEST

START_TEST(test_actions)
{
        int a = -1;

        ck_assert_int_eq(seccomp_action_from_name("kill", &a), 0);
        ck_assert_int_eq(a, WARD_SECCOMP_KILL);
        ck_assert_int_eq(seccomp_action_from_name("KILL", &a), -EINVAL);
        ck_assert_str_eq(seccomp_action_name(WARD_SECCOMP_LOG), "log");
}
END_TEST

START_TEST(test_default_plan)
{
        build();
        ck_assert_int_eq(plan.action, WARD_SECCOMP_ERRNO);
        ck_assert_int_eq(verdict("read"), WARD_SC_ALLOW);
        ck_assert_int_eq(verdict("rt_sigprocmask"), WARD_SC_ALLOW);
        ck_assert_int_eq(verdict("wait4"), WARD_SC_ALLOW);
        ck_assert_int_eq(verdict("clone"), WARD_SC_ALLOW_NO_NS);
        ck_assert_int_eq(verdict("clone3"), WARD_SC_ENOSYS);
        ck_assert_int_eq(verdict("personality"), WARD_SC_ALLOW_PERSONA);
        static const char *const refused[] = {"unshare",
                                              "setns",
                                              "mount",
                                              "umount2",
                                              "pivot_root",
                                              "move_mount",
                                              "open_tree",
                                              "fsopen",
                                              "fsmount",
                                              "fsconfig",
                                              "mount_setattr",
                                              "keyctl",
                                              "add_key",
                                              "request_key",
                                              "bpf",
                                              "perf_event_open",
                                              "init_module",
                                              "finit_module",
                                              "delete_module",
                                              "kexec_load",
                                              "kexec_file_load",
                                              "reboot",
                                              "ptrace",
                                              "process_vm_readv",
                                              "process_vm_writev",
                                              "userfaultfd",
                                              "clock_settime",
                                              "settimeofday",
                                              "adjtimex",
                                              "clock_adjtime",
                                              "swapon",
                                              "swapoff",
                                              "acct",
                                              "quotactl",
                                              "lookup_dcookie",
                                              "open_by_handle_at",
                                              "name_to_handle_at",
                                              "iopl",
                                              "ioperm",
                                              "syslog",
                                              "vhangup",
                                              "nfsservctl",
                                              "uselib",
                                              "ustat",
                                              "sysfs",
                                              "_sysctl",
                                              "create_module",
                                              "get_kernel_syms",
                                              "query_module",
                                              "io_uring_setup",
                                              "modify_ldt",
                                              "chroot",
                                              "sethostname",
                                              NULL};
        for (size_t i = 0; refused[i]; i++)
                ck_assert_msg(verdict(refused[i]) == WARD_SC_REFUSE, "%s is not refused",
                              refused[i]);
        ck_assert_uint_gt(plan.n_rules, 300);
}
END_TEST

START_TEST(test_caps_open_gated_syscalls)
{
        c.caps_keep = (1ULL << CAP_SYS_PTRACE) | (1ULL << CAP_SYS_TIME) | (1ULL << CAP_SYS_BOOT) |
                      (1ULL << CAP_SYS_MODULE) | (1ULL << CAP_SYS_ADMIN);
        build();
        ck_assert_int_eq(verdict("ptrace"), WARD_SC_ALLOW);
        ck_assert_int_eq(verdict("process_vm_readv"), WARD_SC_ALLOW);
        ck_assert_int_eq(verdict("clock_settime"), WARD_SC_ALLOW);
        ck_assert_int_eq(verdict("reboot"), WARD_SC_ALLOW);
        ck_assert_int_eq(verdict("finit_module"), WARD_SC_ALLOW);
        ck_assert_int_eq(verdict("sethostname"), WARD_SC_ALLOW);
        /* SYS_ADMIN does not open mounts or namespaces; kexec stays refused. */
        ck_assert_int_eq(verdict("mount"), WARD_SC_REFUSE);
        ck_assert_int_eq(verdict("unshare"), WARD_SC_REFUSE);
        ck_assert_int_eq(verdict("kexec_load"), WARD_SC_REFUSE);
        ck_assert_int_eq(verdict("bpf"), WARD_SC_REFUSE);
}
END_TEST

START_TEST(test_profile_keys)
{
        ck_assert_int_eq(load_text("[Seccomp]\nAllow=@mount clone3\nDeny=getppid @keyring\n"
                                   "DefaultAction=kill\n"),
                         0);
        build();
        ck_assert_int_eq(plan.action, WARD_SECCOMP_KILL);
        ck_assert_int_eq(verdict("mount"), WARD_SC_ALLOW);
        ck_assert_int_eq(verdict("clone3"), WARD_SC_ALLOW);
        ck_assert_int_eq(verdict("getppid"), WARD_SC_REFUSE);
        ck_assert_int_eq(verdict("keyctl"), WARD_SC_REFUSE);
        ck_assert_uint_eq(c.seccomp.default_action_origin.line, 4);

        /* Deny= wins over Allow=, whatever the order. */
        ck_assert_int_eq(load_text("[Seccomp]\nDeny=ptrace\nAllow=@debug\n"), 0);
        build();
        ck_assert_int_eq(verdict("ptrace"), WARD_SC_REFUSE);
        ck_assert_int_eq(verdict("kcmp"), WARD_SC_ALLOW);

        /* An empty value resets the list. */
        ck_assert_int_eq(load_text("[Seccomp]\nDeny=\nAllow=\n"), 0);
        ck_assert_uint_eq(c.seccomp.n_deny, 0);
        ck_assert_uint_eq(c.seccomp.n_allow, 0);

        ck_assert_int_eq(load_text("[Seccomp]\nProfile=unconfined\n"), 0);
        ck_assert(!c.seccomp.enabled);
        ck_assert_int_eq(load_text("[Seccomp]\nProfile=default\n"), 0);
        ck_assert(c.seccomp.enabled);
}
END_TEST

static void assert_error(int r, const char *where, const char *key, const char *msg_part,
                         const char *hint_part)
{
        ck_assert_int_lt(r, 0);
        ck_assert_str_eq(e.where, where);
        ck_assert_str_eq(e.key, key);
        ck_assert_msg(strstr(e.msg, msg_part), "message \"%s\" lacks \"%s\"", e.msg, msg_part);
        ck_assert_msg(strstr(e.hint, hint_part), "hint \"%s\" lacks \"%s\"", e.hint, hint_part);
        ck_assert_int_eq(e.exit_code, WARD_EXIT_FAILED);
}

START_TEST(test_profile_errors)
{
        assert_error(load_text("[Seccomp]\n\nDeny=getppid mnt\n"), "test.profile:3", "Seccomp.Deny",
                     "unknown x86_64 syscall \"mnt\"", "did you mean");
        assert_error(load_text("[Seccomp]\nAllow=@mout\n"), "test.profile:2", "Seccomp.Allow",
                     "unknown syscall group \"@mout\"", "did you mean \"@mount\"?");
        assert_error(load_text("[Seccomp]\nDefaultAction=trap\n"), "test.profile:2",
                     "Seccomp.DefaultAction", "unknown action", "errno");
        assert_error(load_text("[Seccomp]\nProfile=seccomp.json\n"), "test.profile:2",
                     "Seccomp.Profile", "needs an absolute path", "full path");
        assert_error(load_text("[Seccomp]\nProfile=/nonexistent/seccomp.json\n"), "test.profile:2",
                     "Seccomp.Profile", "cannot read seccomp profile /nonexistent/seccomp.json",
                     "");
        assert_error(load_text("[Seccomp]\nProfile=strict\n"), "test.profile:2", "Seccomp.Profile",
                     "unknown seccomp profile", "JSON");
        assert_error(load_text("[Seccomp]\nProfil=default\n"), "test.profile:2", "Seccomp.Profil",
                     "unknown key", "did you mean Profile=?");
}
END_TEST

START_TEST(test_no_new_privs_required)
{
        c.no_new_privs = false;
        ck_assert_int_eq(seccomp_validate(&c, &e), -EPERM);
        ck_assert_str_eq(e.key, "Process.NoNewPrivileges");
        ck_assert(strstr(e.hint, "seccomp=unconfined"));
        c.caps_keep = 1ULL << CAP_SYS_ADMIN;
        ck_assert_int_eq(seccomp_validate(&c, &e), 0);
        c.caps_keep = 0;
        c.seccomp.enabled = false;
        ck_assert_int_eq(seccomp_validate(&c, &e), 0);
}
END_TEST

/* The plan compiles to BPF (no load): a few hundred instructions of 8 bytes. */
static off_t exported_size(void)
{
        _cleanup_close_ int fd = memfd_create("bpf", MFD_CLOEXEC);
        struct stat st;

        ck_assert_int_ge(fd, 0);
        build();
        ck_assert_int_eq(seccomp_plan_export(&plan, fd, &e), 0);
        ck_assert_int_eq(fstat(fd, &st), 0);
        ck_assert_int_eq(st.st_size % 8, 0);
        return st.st_size;
}

START_TEST(test_compiles)
{
        off_t plain = exported_size(), killing;

        ck_assert_int_gt(plain, 8 * 100);
        ck_assert_int_eq(load_text("[Seccomp]\nDefaultAction=kill\nAllow=@debug\n"), 0);
        killing = exported_size();
        ck_assert_int_gt(killing, 8 * 100);
        ck_assert_int_eq(load_text("[Seccomp]\nDefaultAction=log\n"), 0);
        ck_assert_int_gt(exported_size(), 8 * 100);
}
END_TEST

/* Deny= with Profile=unconfined would be dropped without a word: refused, naming both. */
START_TEST(test_unconfined_with_deny)
{
        ck_assert_int_eq(load_text("[Seccomp]\nProfile=unconfined\nDeny=ptrace\n"), 0);
        ck_assert_int_eq(seccomp_validate(&c, &e), -EINVAL);
        ck_assert_str_eq(e.where, "test.profile:3");
        ck_assert_str_eq(e.key, "Seccomp.Deny");
        ck_assert_msg(strstr(e.msg, "Deny=ptrace") && strstr(e.msg, "test.profile:2"), "%s", e.msg);
        /* Allow= and DefaultAction= refuse nothing more: no conflict. */
        config_free(&c);
        ck_assert_int_eq(config_init(&c, &e), 0);
        ck_assert_int_eq(load_text("[Seccomp]\nAllow=ptrace\nDefaultAction=kill\n"
                                   "Profile=unconfined\n"),
                         0);
        ck_assert_int_eq(seccomp_validate(&c, &e), 0);
}
END_TEST

static int check_needs(const char *text)
{
        void *bpf = NULL;
        size_t len = 0;
        int r;

        config_free(&c);
        ck_assert_int_eq(config_init(&c, &e), 0);
        ck_assert_msg(load_text(text) == 0, "%s: %s", text, e.msg);
        build();
        ck_assert_int_eq(seccomp_plan_bpf(&plan, &bpf, &len, &e), 0);
        memset(&e, 0, sizeof(e));
        r = seccomp_check_filter_for_init(&c, bpf, len, &e);
        free(bpf);
        return r;
}

/* A filter ward-init runs under must let it block, wait for and forward signals. */
START_TEST(test_init_needs)
{
        ck_assert_int_eq(check_needs(""), 0);
        ck_assert_int_eq(check_needs("[Seccomp]\nDefaultAction=kill\n"), 0);
        ck_assert_int_eq(check_needs("[Seccomp]\nDeny=getpid ptrace\n"), 0);
        ck_assert_int_eq(check_needs("[Seccomp]\nDeny=rt_sigtimedwait writev\n"), -EPERM);
        ck_assert_str_eq(e.key, "Seccomp.Deny");
        ck_assert_str_eq(e.where, "test.profile:2");
        ck_assert_msg(strstr(e.msg, "refuses rt_sigtimedwait writev, which ward-init needs to "
                                    "wait for the signals it forwards"),
                      "%s", e.msg);
        ck_assert_int_eq(check_needs("[Seccomp]\nDeny=kill\n"), -EPERM);
        ck_assert_msg(strstr(e.msg, "forward signals to the app"), "%s", e.msg);
        /* Audit mode lets everything through, logged; without the init nothing is needed. */
        ck_assert_int_eq(check_needs("[Seccomp]\nDeny=kill\nDefaultAction=log\n"), 0);
        ck_assert_int_eq(check_needs("[Init]\nInit=no\n[Seccomp]\nDeny=kill wait4\n"), 0);
}
END_TEST

static Suite *seccomp_suite(void)
{
        Suite *s = suite_create("seccomp");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_groups_and_names);
        tcase_add_test(tc, test_actions);
        tcase_add_test(tc, test_default_plan);
        tcase_add_test(tc, test_caps_open_gated_syscalls);
        tcase_add_test(tc, test_profile_keys);
        tcase_add_test(tc, test_profile_errors);
        tcase_add_test(tc, test_no_new_privs_required);
        tcase_add_test(tc, test_compiles);
        tcase_add_test(tc, test_unconfined_with_deny);
        tcase_add_test(tc, test_init_needs);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(seccomp_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
