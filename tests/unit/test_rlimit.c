/* Unit tests for resource limits: every name and spelling, value parsing, and rlimit_apply()
 * in a forked child inside a user namespace this test created (where it cannot raise a hard
 * limit, since that needs CAP_SYS_RESOURCE in the initial namespace). */
#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/rlimit.h"
#include "ward/util.h"

/* ---- running code in a child inside a new user namespace ------------------------------ */

/* What the child saw, sent back over a pipe: the parent makes the assertions. */
struct report {
        int setup_err; /* errno of the namespace setup; 0 when the child's function ran */
        char setup_what[64];
        int rc;
        struct ward_error e;
        long long v[8];
        char s[4][256];
};

#include "userns_child.h"

/* ---- names ---------------------------------------------------------------------------- */

START_TEST(test_name_spellings)
{
        static const char *const spellings[] = {
            "NOFILE",      "nofile",        "NoFile",        "LimitNOFILE",   "limitnofile",
            "LIMITNOFILE", "RLIMIT_NOFILE", "rlimit_nofile", "Rlimit_NoFile",
        };
        int res;

        for (size_t i = 0; i < ARRAY_SIZE(spellings); i++) {
                res = -1;
                ck_assert_msg(rlimit_from_name(spellings[i], &res) == 0, "%s refused",
                              spellings[i]);
                ck_assert_int_eq(res, RLIMIT_NOFILE);
        }
        ck_assert_int_eq(rlimit_from_name("LimitAS", &res), 0);
        ck_assert_int_eq(res, RLIMIT_AS);
        ck_assert_int_eq(rlimit_from_name("RLIMIT_STACK", &res), 0);
        ck_assert_int_eq(res, RLIMIT_STACK);
        ck_assert_int_eq(rlimit_from_name("rtprio", &res), 0);
        ck_assert_int_eq(res, RLIMIT_RTPRIO);
        ck_assert_str_eq(rlimit_to_name(RLIMIT_NOFILE), "NOFILE");
}
END_TEST

START_TEST(test_names_round_trip)
{
        static const char *const expected[] = {
            "AS",   "CORE",   "CPU",   "DATA", "FSIZE",  "LOCKS",  "MEMLOCK",    "MSGQUEUE",
            "NICE", "NOFILE", "NPROC", "RSS",  "RTPRIO", "RTTIME", "SIGPENDING", "STACK",
        };
        bool seen[ARRAY_SIZE(expected)] = {false};

        ck_assert_int_eq(WARD_RLIMIT_COUNT, 16);
        for (int res = 0; res < WARD_RLIMIT_COUNT; res++) {
                const char *name = rlimit_to_name(res);
                char buf[64];
                size_t k;
                int back;

                ck_assert_msg(name != NULL, "resource %d has no name", res);
                for (k = 0; k < ARRAY_SIZE(expected); k++)
                        if (strcmp(name, expected[k]) == 0)
                                break;
                ck_assert_msg(k < ARRAY_SIZE(expected), "unexpected name %s", name);
                ck_assert_msg(!seen[k], "%s named twice", name);
                seen[k] = true;

                back = -1;
                ck_assert_int_eq(rlimit_from_name(name, &back), 0);
                ck_assert_int_eq(back, res);
                snprintf(buf, sizeof(buf), "Limit%s", name);
                back = -1;
                ck_assert_int_eq(rlimit_from_name(buf, &back), 0);
                ck_assert_int_eq(back, res);
                snprintf(buf, sizeof(buf), "RLIMIT_%s", name);
                back = -1;
                ck_assert_int_eq(rlimit_from_name(buf, &back), 0);
                ck_assert_int_eq(back, res);
                for (k = 0; name[k]; k++)
                        buf[k] = (char)tolower((unsigned char)name[k]);
                buf[k] = '\0';
                back = -1;
                ck_assert_int_eq(rlimit_from_name(buf, &back), 0);
                ck_assert_int_eq(back, res);
        }
        /* The table matches the kernel's numbering. */
        ck_assert_str_eq(rlimit_to_name(RLIMIT_AS), "AS");
        ck_assert_str_eq(rlimit_to_name(RLIMIT_SIGPENDING), "SIGPENDING");
        ck_assert_str_eq(rlimit_to_name(RLIMIT_RTTIME), "RTTIME");
        ck_assert_ptr_null(rlimit_to_name(WARD_RLIMIT_COUNT));
        ck_assert_ptr_null(rlimit_to_name(-1));
        ck_assert_ptr_null(rlimit_to_name(1000));
}
END_TEST

START_TEST(test_names_unknown)
{
        static const char *const bad[] = {
            "",        "Limit",   "RLIMIT_",          "FOO",
            "NOFILES", "NOFIL",   "LimitLimitNOFILE", "RLIMIT_LimitNOFILE",
            " NOFILE", "NOFILE ", "Limit_NOFILE",     "RLIMITNOFILE",
        };
        int res = 42;

        for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
                ck_assert_msg(rlimit_from_name(bad[i], &res) == -EINVAL, "\"%s\" accepted", bad[i]);
        ck_assert_int_eq(rlimit_from_name(NULL, &res), -EINVAL);
        ck_assert_int_eq(res, 42);
}
END_TEST

/* ---- values --------------------------------------------------------------------------- */

static void assert_value(int res, const char *s, rlim_t soft, rlim_t hard)
{
        rlim_t lo = 7, hi = 7;
        int r = rlimit_parse_value(res, s, &lo, &hi);

        ck_assert_msg(r == 0, "\"%s\" for %s refused: %d", s, rlimit_to_name(res), r);
        ck_assert_msg(lo == soft && hi == hard, "\"%s\": %llu:%llu, not %llu:%llu", s,
                      (unsigned long long)lo, (unsigned long long)hi, (unsigned long long)soft,
                      (unsigned long long)hard);
}

static void assert_refused(int res, const char *s)
{
        rlim_t lo = 7, hi = 7;
        int r = rlimit_parse_value(res, s, &lo, &hi);

        ck_assert_msg(r == -EINVAL || r == -ERANGE, "\"%s\" for %s: %d, not refused", s,
                      rlimit_to_name(res) ? rlimit_to_name(res) : "?", r);
        ck_assert_msg(lo == 7 && hi == 7, "\"%s\" refused but changed the output", s);
}

START_TEST(test_values)
{
        assert_value(RLIMIT_NOFILE, "1024", 1024, 1024);
        assert_value(RLIMIT_NOFILE, "1024:4096", 1024, 4096);
        assert_value(RLIMIT_NOFILE, "0", 0, 0);
        assert_value(RLIMIT_NOFILE, "infinity", RLIM_INFINITY, RLIM_INFINITY);
        assert_value(RLIMIT_NOFILE, "unlimited:infinity", RLIM_INFINITY, RLIM_INFINITY);
        assert_value(RLIMIT_NOFILE, "INFINITY", RLIM_INFINITY, RLIM_INFINITY);
        assert_value(RLIMIT_NOFILE, "512:infinity", 512, RLIM_INFINITY);
        /* soft > hard parses: the caller refuses it with its own message. */
        assert_value(RLIMIT_NOFILE, "4096:1024", 4096, 1024);
        assert_value(RLIMIT_AS, "64M", 64ull << 20, 64ull << 20);
        assert_value(RLIMIT_AS, "1G:2G", 1ull << 30, 2ull << 30);
        assert_value(RLIMIT_STACK, "8M:infinity", 8ull << 20, RLIM_INFINITY);
        assert_value(RLIMIT_CORE, "0", 0, 0);
        assert_value(RLIMIT_CPU, "60:120", 60, 120);
        assert_value(RLIMIT_AS, "18446744073709551614", 18446744073709551614ull,
                     18446744073709551614ull);
}
END_TEST

START_TEST(test_values_refused)
{
        char long_soft[128];

        assert_refused(RLIMIT_NOFILE, "64M"); /* not a byte-valued limit */
        assert_refused(RLIMIT_CPU, "10k");
        assert_refused(RLIMIT_NOFILE, "99999999999999999999");
        assert_refused(RLIMIT_AS, "99999999999999999999");
        assert_refused(RLIMIT_AS, "99999999999T");
        /* The number that is RLIM_INFINITY must be spelled "infinity". */
        assert_refused(RLIMIT_NOFILE, "18446744073709551615");
        assert_refused(RLIMIT_NOFILE, "10:");
        assert_refused(RLIMIT_NOFILE, ":10");
        assert_refused(RLIMIT_NOFILE, ":");
        assert_refused(RLIMIT_NOFILE, "abc");
        assert_refused(RLIMIT_NOFILE, "");
        assert_refused(RLIMIT_NOFILE, "1:2:3");
        assert_refused(RLIMIT_NOFILE, "-1");
        assert_refused(RLIMIT_NOFILE, " 10");
        assert_refused(RLIMIT_NOFILE, "10 ");
        assert_refused(RLIMIT_NOFILE, "infinite");
        assert_refused(RLIMIT_NOFILE, "1024:abc");
        assert_refused(RLIMIT_AS, "64X");
        memset(long_soft, '1', sizeof(long_soft) - 1);
        long_soft[sizeof(long_soft) - 1] = '\0';
        long_soft[100] = ':';
        assert_refused(RLIMIT_NOFILE, long_soft);
        /* Not a resource. */
        assert_refused(WARD_RLIMIT_COUNT, "1");
        assert_refused(-1, "1");
}
END_TEST

/* ---- applying, in a child ------------------------------------------------------------- */

struct apply_args {
        struct rlimit start; /* NOFILE set with setrlimit first; rlim_max 0: leave it */
        int res[3];
        struct rlimit want[3];
        size_t n;
};

static void child_apply(struct report *rep, void *arg)
{
        const struct apply_args *a = arg;
        struct ward_config c;
        struct rlimit rl;

        memset(&c, 0, sizeof(c));
        if (a->start.rlim_max && setrlimit(RLIMIT_NOFILE, &a->start) < 0) {
                rep->rc = -1000 - errno;
                return;
        }
        for (size_t i = 0; i < a->n; i++) {
                c.rlimits[a->res[i]].set = true;
                c.rlimits[a->res[i]].soft = a->want[i].rlim_cur;
                c.rlimits[a->res[i]].hard = a->want[i].rlim_max;
                c.rlimits[a->res[i]].origin =
                    (struct ward_origin){.file = "test.profile", .line = 12};
        }
        getrlimit(RLIMIT_NOFILE, &rl);
        rep->v[6] = (long long)rl.rlim_cur;
        rep->v[7] = (long long)rl.rlim_max;
        rep->rc = rlimit_apply(&c, 0, &rep->e);
        for (size_t i = 0; i < a->n && i < 3; i++) {
                getrlimit(a->res[i], &rl);
                rep->v[2 * i] = (long long)rl.rlim_cur;
                rep->v[2 * i + 1] = (long long)rl.rlim_max;
        }
        if (!a->n) {
                getrlimit(RLIMIT_NOFILE, &rl);
                rep->v[0] = (long long)rl.rlim_cur;
                rep->v[1] = (long long)rl.rlim_max;
        }
}

START_TEST(test_apply_lowers)
{
        struct apply_args a = {.res = {RLIMIT_NOFILE}, .want = {{100, 200}}, .n = 1};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_apply, &a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s: %s", rep.rc, rep.e.msg, rep.e.hint);
        ck_assert_int_eq(rep.v[0], 100);
        ck_assert_int_eq(rep.v[1], 200);
}
END_TEST

START_TEST(test_apply_several)
{
        struct apply_args a = {.res = {RLIMIT_NOFILE, RLIMIT_CORE, RLIMIT_AS},
                               .want = {{64, 128}, {0, 0}, {1ull << 30, 2ull << 30}},
                               .n = 3};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_apply, &a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s: %s", rep.rc, rep.e.msg, rep.e.hint);
        ck_assert_int_eq(rep.v[0], 64);
        ck_assert_int_eq(rep.v[1], 128);
        ck_assert_int_eq(rep.v[2], 0);
        ck_assert_int_eq(rep.v[3], 0);
        ck_assert_int_eq(rep.v[4], 1ll << 30);
        ck_assert_int_eq(rep.v[5], 2ll << 30);
}
END_TEST

/* Nothing set: nothing changes. */
START_TEST(test_apply_nothing_set)
{
        struct apply_args a = {.n = 0};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_apply, &a, &rep))
                return;
        ck_assert_int_eq(rep.rc, 0);
        ck_assert_int_eq(rep.v[0], rep.v[6]);
        ck_assert_int_eq(rep.v[1], rep.v[7]);
}
END_TEST

/* Raising a hard limit needs CAP_SYS_RESOURCE in the initial user namespace, which nothing
 * in a user namespace holds: the error names the key and says how far it may go. */
START_TEST(test_apply_raise_refused)
{
        struct apply_args a = {
            .start = {100, 200}, .res = {RLIMIT_NOFILE}, .want = {{100, 400}}, .n = 1};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_apply, &a, &rep))
                return;
        ck_assert_int_eq(rep.rc, -EPERM);
        ck_assert_int_eq(rep.e.err, EPERM);
        ck_assert_str_eq(rep.e.key, "Resources.LimitNOFILE");
        ck_assert_str_eq(rep.e.where, "test.profile:12");
        ck_assert_int_eq(rep.e.exit_code, WARD_EXIT_FAILED);
        ck_assert_msg(strstr(rep.e.msg, "100:400"), "message \"%s\"", rep.e.msg);
        ck_assert_msg(strstr(rep.e.hint, "at most 200"), "hint \"%s\"", rep.e.hint);
        /* The limits stay as they were. */
        ck_assert_int_eq(rep.v[0], 100);
        ck_assert_int_eq(rep.v[1], 200);
}
END_TEST

START_TEST(test_apply_soft_above_hard)
{
        struct apply_args a = {
            .start = {100, 200}, .res = {RLIMIT_NOFILE}, .want = {{150, 120}}, .n = 1};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_apply, &a, &rep))
                return;
        ck_assert_int_eq(rep.rc, -EINVAL);
        ck_assert_str_eq(rep.e.key, "Resources.LimitNOFILE");
        ck_assert_msg(strstr(rep.e.hint, "soft"), "hint \"%s\"", rep.e.hint);
        ck_assert_msg(!strstr(rep.e.hint, "at most"), "hint \"%s\"", rep.e.hint);
        ck_assert_int_eq(rep.v[0], 100);
        ck_assert_int_eq(rep.v[1], 200);
}
END_TEST

static Suite *rlimit_suite(void)
{
        Suite *s = suite_create("rlimit");
        TCase *tc = tcase_create("names");

        tcase_add_test(tc, test_name_spellings);
        tcase_add_test(tc, test_names_round_trip);
        tcase_add_test(tc, test_names_unknown);
        suite_add_tcase(s, tc);

        tc = tcase_create("values");
        tcase_add_test(tc, test_values);
        tcase_add_test(tc, test_values_refused);
        suite_add_tcase(s, tc);

        tc = tcase_create("apply");
        tcase_set_timeout(tc, 20);
        tcase_add_test(tc, test_apply_lowers);
        tcase_add_test(tc, test_apply_several);
        tcase_add_test(tc, test_apply_nothing_set);
        tcase_add_test(tc, test_apply_raise_refused);
        tcase_add_test(tc, test_apply_soft_above_hard);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(rlimit_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
