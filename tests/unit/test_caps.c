/* Unit tests for capabilities: names, masks, and the five sets after caps_drop_bounding and
 * caps_apply. The apply functions only ever run in a forked child inside a user namespace
 * this test created, where they change nothing but that child. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/config.h"
#include "ward/util.h"

#define BIT(n) (UINT64_C(1) << (n))
#define CAP_CHOWN_NR 0
#define CAP_NET_BIND_SERVICE_NR 10
#define CAP_SYS_ADMIN_NR 21

/* ---- running code in a child inside a new user namespace ------------------------------ */

enum { CAP_INH, CAP_PRM, CAP_EFF, CAP_BND, CAP_AMB, N_CAPSETS };
static const char *const capset_names[N_CAPSETS] = {"CapInh", "CapPrm", "CapEff", "CapBnd",
                                                    "CapAmb"};

/* What the child saw, sent back over a pipe: the parent makes the assertions. */
struct report {
        int setup_err; /* errno of the namespace setup; 0 when the child's function ran */
        char setup_what[64];
        int rc;
        struct ward_error e;
        long long v[4];
        char caps[N_CAPSETS][20];      /* /proc/self/status after the calls */
        char exec_caps[N_CAPSETS][20]; /* the same, as seen by a program exec'd afterwards */
};

#include "userns_child.h"

/* The Cap* lines of a /proc/PID/status, as the hex strings the kernel prints. */
static void read_capsets(FILE *f, char out[N_CAPSETS][20])
{
        char line[256];

        while (fgets(line, sizeof(line), f)) {
                for (int i = 0; i < N_CAPSETS; i++) {
                        size_t n = strlen(capset_names[i]);
                        if (strncmp(line, capset_names[i], n) == 0 && line[n] == ':')
                                sscanf(line + n + 1, " %19s", out[i]);
                }
        }
}

static void read_own_capsets(char out[N_CAPSETS][20])
{
        FILE *f = fopen("/proc/self/status", "re");

        if (f) {
                read_capsets(f, out);
                fclose(f);
        }
}

/* What a program exec'd now would hold: cat's view of its own /proc/self/status. */
static void read_exec_capsets(char out[N_CAPSETS][20])
{
        int p[2];
        pid_t pid;
        FILE *f;

        if (pipe2(p, O_CLOEXEC) < 0)
                return;
        pid = fork();
        if (pid == 0) {
                if (dup2(p[1], STDOUT_FILENO) >= 0)
                        execl("/bin/cat", "cat", "/proc/self/status", (char *)NULL);
                _exit(127);
        }
        close(p[1]);
        if (pid > 0 && (f = fdopen(p[0], "re"))) {
                read_capsets(f, out);
                fclose(f);
        } else {
                close(p[0]);
        }
        if (pid > 0)
                waitpid(pid, NULL, 0);
}

/* ---- names and masks ------------------------------------------------------------------ */

START_TEST(test_from_name_spellings)
{
        static const char *const spellings[] = {
            "NET_BIND_SERVICE", "CAP_NET_BIND_SERVICE", "cap_net_bind_service",
            "net_bind_service", "Net_Bind_Service",     "Cap_Net_Bind_Service",
        };
        int cap;

        for (size_t i = 0; i < ARRAY_SIZE(spellings); i++) {
                cap = -1;
                ck_assert_msg(caps_from_name(spellings[i], &cap) == 0, "%s refused", spellings[i]);
                ck_assert_int_eq(cap, CAP_NET_BIND_SERVICE_NR);
        }
        ck_assert_int_eq(caps_from_name("SYS_ADMIN", &cap), 0);
        ck_assert_int_eq(cap, CAP_SYS_ADMIN_NR);
        ck_assert_int_eq(caps_from_name("chown", &cap), 0);
        ck_assert_int_eq(cap, CAP_CHOWN_NR);
}
END_TEST

START_TEST(test_from_name_refused)
{
        char longname[201];
        int cap = 77;

        memset(longname, 'A', sizeof(longname) - 1);
        longname[sizeof(longname) - 1] = '\0';
        ck_assert_int_eq(caps_from_name("", &cap), -EINVAL);
        ck_assert_int_eq(caps_from_name("NET_BIND", &cap), -EINVAL);
        ck_assert_int_eq(caps_from_name("CAP_", &cap), -EINVAL);
        ck_assert_int_eq(caps_from_name(longname, &cap), -EINVAL);
        ck_assert_int_eq(caps_from_name("ALL", &cap), -EINVAL);
        ck_assert_int_eq(caps_from_name("CAP_ALL", &cap), -EINVAL);
        ck_assert_int_eq(caps_from_name("10", &cap), -EINVAL);
        ck_assert_int_eq(caps_from_name("CAP_CAP_CHOWN", &cap), -EINVAL);
        ck_assert_int_eq(caps_from_name("NET_BIND_SERVICE ", &cap), -EINVAL);
        /* A valid name followed by enough junk to overflow the lower-case copy. */
        memcpy(longname, "NET_BIND_SERVICE", strlen("NET_BIND_SERVICE"));
        ck_assert_int_eq(caps_from_name(longname, &cap), -EINVAL);
        ck_assert_int_eq(cap, 77); /* failures leave the output alone */
}
END_TEST

START_TEST(test_to_name)
{
        int last = -1;
        FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fscanf(f, "%d", &last), 1);
        fclose(f);

        ck_assert_str_eq(caps_to_name(CAP_SYS_ADMIN_NR), "SYS_ADMIN");
        ck_assert_str_eq(caps_to_name(CAP_NET_BIND_SERVICE_NR), "NET_BIND_SERVICE");
        ck_assert_str_eq(caps_to_name(CAP_CHOWN_NR), "CHOWN");
        ck_assert_ptr_null(caps_to_name(-1));
        ck_assert_ptr_null(caps_to_name(64));
        ck_assert_ptr_null(caps_to_name(1000));
        ck_assert_ptr_null(caps_to_name(last + 1));
        /* Every known number round-trips through its name. */
        for (int cap = 0; cap <= last; cap++) {
                const char *n = caps_to_name(cap);
                int back = -1;
                if (!n)
                        continue; /* newer than libcap-ng */
                ck_assert_int_eq(caps_from_name(n, &back), 0);
                ck_assert_int_eq(back, cap);
        }
}
END_TEST

START_TEST(test_all)
{
        int last = -1;
        FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
        uint64_t all = caps_all();

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fscanf(f, "%d", &last), 1);
        fclose(f);
        ck_assert_int_ge(last, CAP_SYS_ADMIN_NR);

        ck_assert(all & BIT(CAP_SYS_ADMIN_NR));
        ck_assert(all & BIT(CAP_CHOWN_NR));
        ck_assert(all & BIT(last));
        if (last < 63)
                ck_assert_uint_eq(all >> (last + 1), 0);
        ck_assert_uint_eq(all, last >= 63 ? UINT64_MAX : BIT(last + 1) - 1);
}
END_TEST

START_TEST(test_format)
{
        char buf[1024];

        caps_format(0, buf, sizeof(buf));
        ck_assert_str_eq(buf, "(none)");
        caps_format(BIT(CAP_NET_BIND_SERVICE_NR) | BIT(CAP_CHOWN_NR), buf, sizeof(buf));
        ck_assert_str_eq(buf, "CHOWN NET_BIND_SERVICE");
        caps_format(BIT(CAP_SYS_ADMIN_NR), buf, sizeof(buf));
        ck_assert_str_eq(buf, "SYS_ADMIN");
        /* A bit without a name (beyond this kernel's last) shows as its number. */
        caps_format(BIT(63) | BIT(CAP_CHOWN_NR), buf, sizeof(buf));
        ck_assert_str_eq(buf, "CHOWN 63");
        /* A short buffer ends on a whole name and is never overrun. */
        memset(buf, 'x', sizeof(buf));
        caps_format(BIT(CAP_NET_BIND_SERVICE_NR) | BIT(CAP_CHOWN_NR), buf, 8);
        ck_assert_str_eq(buf, "CHOWN");
        ck_assert_int_eq(buf[8], 'x');
        memset(buf, 'x', sizeof(buf));
        caps_format(BIT(CAP_NET_BIND_SERVICE_NR), buf, 4);
        ck_assert_str_eq(buf, "(no");
        ck_assert_int_eq(buf[4], 'x');
        /* Everything fits in a generous buffer and starts with the lowest number. */
        caps_format(caps_all(), buf, sizeof(buf));
        ck_assert(strncmp(buf, "CHOWN DAC_OVERRIDE ", 19) == 0);
        ck_assert_ptr_nonnull(strstr(buf, " SYS_ADMIN "));
}
END_TEST

/* ---- applying the sets, in a child ---------------------------------------------------- */

struct apply_args {
        uint64_t bounding_keep; /* what caps_drop_bounding keeps */
        uint64_t keep;          /* what caps_apply keeps */
        uid_t switch_to;        /* 0: stay root; else PR_SET_KEEPCAPS and setresuid first */
};

static void child_apply(struct report *rep, void *arg)
{
        const struct apply_args *a = arg;
        struct ward_config c;

        if (config_init(&c, &rep->e) < 0) {
                rep->rc = -ENOMEM;
                return;
        }
        c.caps_origin = (struct ward_origin){.file = "caps.profile", .line = 3};
        c.caps_keep = a->bounding_keep;
        rep->rc = caps_drop_bounding(&c, &rep->e);
        if (rep->rc == 0 && a->switch_to) {
                if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
                    setresuid(a->switch_to, a->switch_to, a->switch_to) < 0)
                        rep->rc = -1000 - errno;
        }
        c.caps_keep = a->keep;
        c.uid = a->switch_to; /* caps_apply() raises ambient caps for a non-root c->uid */
        if (rep->rc == 0)
                rep->rc = caps_apply(&c, &rep->e);
        rep->v[0] = getuid();
        read_own_capsets(rep->caps);
        if (rep->rc == 0)
                read_exec_capsets(rep->exec_caps);
        config_free(&c);
}

static void assert_capsets(char sets[N_CAPSETS][20], const char *inh, const char *prm,
                           const char *eff, const char *bnd, const char *amb)
{
        ck_assert_str_eq(sets[CAP_INH], inh);
        ck_assert_str_eq(sets[CAP_PRM], prm);
        ck_assert_str_eq(sets[CAP_EFF], eff);
        ck_assert_str_eq(sets[CAP_BND], bnd);
        ck_assert_str_eq(sets[CAP_AMB], amb);
}

START_TEST(test_apply_root_keeps_one)
{
        struct apply_args a = {.bounding_keep = BIT(CAP_NET_BIND_SERVICE_NR),
                               .keep = BIT(CAP_NET_BIND_SERVICE_NR)};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_apply, &a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s: %s", rep.rc, rep.e.key, rep.e.msg);
        ck_assert_int_eq(rep.v[0], 0);
        assert_capsets(rep.caps, "0000000000000400", "0000000000000400", "0000000000000400",
                       "0000000000000400", "0000000000000000");
        /* uid 0 gets permitted = bounding set at exec: still NET_BIND_SERVICE only. */
        assert_capsets(rep.exec_caps, "0000000000000400", "0000000000000400", "0000000000000400",
                       "0000000000000400", "0000000000000000");
}
END_TEST

START_TEST(test_apply_root_keeps_two)
{
        uint64_t two = BIT(CAP_NET_BIND_SERVICE_NR) | BIT(CAP_CHOWN_NR);
        struct apply_args a = {.bounding_keep = two, .keep = two};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_apply, &a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s", rep.rc, rep.e.msg);
        assert_capsets(rep.caps, "0000000000000401", "0000000000000401", "0000000000000401",
                       "0000000000000401", "0000000000000000");
}
END_TEST

START_TEST(test_apply_root_keeps_none)
{
        struct apply_args a = {0};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_apply, &a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s", rep.rc, rep.e.msg);
        assert_capsets(rep.caps, "0000000000000000", "0000000000000000", "0000000000000000",
                       "0000000000000000", "0000000000000000");
        assert_capsets(rep.exec_caps, "0000000000000000", "0000000000000000", "0000000000000000",
                       "0000000000000000", "0000000000000000");
}
END_TEST

/* Keeping a capability the bounding set no longer has cannot work: caps_apply says so. */
START_TEST(test_apply_outside_bounding_refused)
{
        struct apply_args a = {.bounding_keep = BIT(CAP_NET_BIND_SERVICE_NR),
                               .keep = BIT(CAP_NET_BIND_SERVICE_NR) | BIT(CAP_CHOWN_NR)};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_apply, &a, &rep))
                return;
        ck_assert_int_lt(rep.rc, 0);
        ck_assert_int_eq(rep.rc, -rep.e.err);
        ck_assert_str_eq(rep.e.key, "Process.Capabilities");
        ck_assert_str_eq(rep.e.where, "caps.profile:3");
        ck_assert_int_eq(rep.e.err, EPERM);
        ck_assert_msg(strstr(rep.e.msg, "CHOWN"), "message \"%s\" does not name CHOWN", rep.e.msg);
        ck_assert_str_ne(rep.e.hint, "");
        ck_assert_str_eq(rep.caps[CAP_BND], "0000000000000400");
}
END_TEST

/* A non-root uid keeps its capabilities across exec only through the ambient set. Switching
 * to uid 1000 needs it mapped, and only root may write a map wider than its own id. */
START_TEST(test_apply_nonroot_ambient)
{
        struct apply_args a = {.bounding_keep = BIT(CAP_NET_BIND_SERVICE_NR),
                               .keep = BIT(CAP_NET_BIND_SERVICE_NR),
                               .switch_to = 1000};
        struct report rep;

        if (geteuid() != 0) {
                printf("SKIP: test_apply_nonroot_ambient: mapping uid 1000 into a user namespace "
                       "needs root (an unprivileged user may map only its own uid)\n");
                fflush(stdout);
                return;
        }
        if (!run_in_userns(0, MAP_WIDE, child_apply, &a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s: %s", rep.rc, rep.e.key, rep.e.msg);
        ck_assert_int_eq(rep.v[0], 1000);
        assert_capsets(rep.caps, "0000000000000400", "0000000000000400", "0000000000000400",
                       "0000000000000400", "0000000000000400");
        /* And the exec'd program, running as uid 1000, still holds it. */
        assert_capsets(rep.exec_caps, "0000000000000400", "0000000000000400", "0000000000000400",
                       "0000000000000400", "0000000000000400");
}
END_TEST

static Suite *caps_suite(void)
{
        Suite *s = suite_create("caps");
        TCase *tc = tcase_create("names");

        tcase_add_test(tc, test_from_name_spellings);
        tcase_add_test(tc, test_from_name_refused);
        tcase_add_test(tc, test_to_name);
        tcase_add_test(tc, test_all);
        tcase_add_test(tc, test_format);
        suite_add_tcase(s, tc);

        tc = tcase_create("apply");
        tcase_set_timeout(tc, 20);
        tcase_add_test(tc, test_apply_root_keeps_one);
        tcase_add_test(tc, test_apply_root_keeps_two);
        tcase_add_test(tc, test_apply_root_keeps_none);
        tcase_add_test(tc, test_apply_outside_bounding_refused);
        tcase_add_test(tc, test_apply_nonroot_ambient);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(caps_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
