/* Unit tests for the cgroup limits: value parsing and formatting, the [Resources] keys and
 * their file:line errors, docker's --memory-swap total, and that nothing is wanted (so
 * nothing is touched) when no limit is set. Nothing here writes under /sys/fs/cgroup. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ward/cgroup.h"
#include "ward/config.h"
#include "ward/profile.h"

#include "config_fixture.h"

static uint64_t parse_ok(int id, const char *s)
{
        const char *why = NULL;
        uint64_t v = 0;

        ck_assert_msg(cgroup_parse_limit(id, s, &v, &why) == 0, "%s: %s refused: %s",
                      cgroup_limit_key(id), s, why);
        return v;
}

static void parse_bad(int id, const char *s, const char *why_part)
{
        const char *why = NULL;
        uint64_t v = 0;

        ck_assert_msg(cgroup_parse_limit(id, s, &v, &why) < 0, "%s: %s accepted",
                      cgroup_limit_key(id), s);
        ck_assert_msg(why && strstr(why, why_part), "%s: %s: why \"%s\" lacks \"%s\"",
                      cgroup_limit_key(id), s, why ? why : "(null)", why_part);
}

static void file_is(int id, uint64_t v, const char *want)
{
        char buf[64];

        cgroup_format_file(id, v, buf, sizeof(buf));
        ck_assert_str_eq(buf, want);
}

static void human_is(int id, uint64_t v, const char *want)
{
        char buf[64];

        cgroup_format_human(id, v, buf, sizeof(buf));
        ck_assert_str_eq(buf, want);
}

START_TEST(test_keys)
{
        ck_assert_int_eq(cgroup_limit_from_key("Memory"), WARD_CG_MEMORY);
        ck_assert_int_eq(cgroup_limit_from_key("IOWeight"), WARD_CG_IO_WEIGHT);
        ck_assert_int_eq(cgroup_limit_from_key("memory"), -EINVAL);
        ck_assert_str_eq(cgroup_limit_file(WARD_CG_CPUS), "cpu.max");
        ck_assert_str_eq(cgroup_limit_file(WARD_CG_MEMORY_SWAP), "memory.swap.max");
        ck_assert_str_eq(cgroup_limit_controller(WARD_CG_IO_WEIGHT), "io");
}
END_TEST

START_TEST(test_sizes)
{
        ck_assert_uint_eq(parse_ok(WARD_CG_MEMORY, "64M"), 64ull << 20);
        ck_assert_uint_eq(parse_ok(WARD_CG_MEMORY, "64m"), 64ull << 20);
        ck_assert_uint_eq(parse_ok(WARD_CG_MEMORY_HIGH, "1G"), 1ull << 30);
        ck_assert_uint_eq(parse_ok(WARD_CG_MEMORY, "max"), WARD_CGROUP_MAX);
        ck_assert_uint_eq(parse_ok(WARD_CG_MEMORY_SWAP, "0"), 0);
        parse_bad(WARD_CG_MEMORY, "0", "at least 1M");
        parse_bad(WARD_CG_MEMORY, "512K", "at least 1M");
        parse_bad(WARD_CG_MEMORY, "64Q", "expected a size");
        parse_bad(WARD_CG_MEMORY, "", "expected a size");
        parse_bad(WARD_CG_MEMORY, "-1", "expected a size");
        file_is(WARD_CG_MEMORY, 64ull << 20, "67108864");
        file_is(WARD_CG_MEMORY, WARD_CGROUP_MAX, "max");
        human_is(WARD_CG_MEMORY, 64ull << 20, "64M");
        human_is(WARD_CG_MEMORY, 1000, "1000");
}
END_TEST

START_TEST(test_cpus)
{
        ck_assert_uint_eq(parse_ok(WARD_CG_CPUS, "0.5"), 50000);
        ck_assert_uint_eq(parse_ok(WARD_CG_CPUS, "2"), 200000);
        ck_assert_uint_eq(parse_ok(WARD_CG_CPUS, "1.25"), 125000);
        ck_assert_uint_eq(parse_ok(WARD_CG_CPUS, "0.01"), 1000);
        ck_assert_uint_eq(parse_ok(WARD_CG_CPUS, "max"), WARD_CGROUP_MAX);
        parse_bad(WARD_CG_CPUS, "0.001", "at least 0.01");
        parse_bad(WARD_CG_CPUS, "0", "at least 0.01");
        parse_bad(WARD_CG_CPUS, "1.2345", "three decimals");
        parse_bad(WARD_CG_CPUS, ".5", "number of CPUs");
        parse_bad(WARD_CG_CPUS, "1.", "number of CPUs");
        parse_bad(WARD_CG_CPUS, "half", "number of CPUs");
        parse_bad(WARD_CG_CPUS, "5000", "4096");
        file_is(WARD_CG_CPUS, 50000, "50000 100000");
        file_is(WARD_CG_CPUS, WARD_CGROUP_MAX, "max 100000");
        human_is(WARD_CG_CPUS, 50000, "0.5");
        human_is(WARD_CG_CPUS, 200000, "2");
        human_is(WARD_CG_CPUS, 125000, "1.25");
}
END_TEST

START_TEST(test_weights_and_pids)
{
        ck_assert_uint_eq(parse_ok(WARD_CG_CPU_WEIGHT, "1"), 1);
        ck_assert_uint_eq(parse_ok(WARD_CG_IO_WEIGHT, "10000"), 10000);
        parse_bad(WARD_CG_CPU_WEIGHT, "0", "1 to 10000");
        parse_bad(WARD_CG_IO_WEIGHT, "10001", "1 to 10000");
        parse_bad(WARD_CG_CPU_WEIGHT, "max", "1 to 10000");
        ck_assert_uint_eq(parse_ok(WARD_CG_PIDS, "32"), 32);
        ck_assert_uint_eq(parse_ok(WARD_CG_PIDS, "max"), WARD_CGROUP_MAX);
        parse_bad(WARD_CG_PIDS, "0", "at least 1");
        parse_bad(WARD_CG_PIDS, "-1", "at least 1");
        parse_bad(WARD_CG_PIDS, "12x", "at least 1");
        file_is(WARD_CG_PIDS, 32, "32");
}
END_TEST

START_TEST(test_profile_keys)
{
        char buf[64];

        ck_assert(!cgroup_wanted(&c));
        ck_assert_int_eq(load_text("[Resources]\nMemory=256M\nCPUs=0.5\nPids=128\nCPUWeight=50\n"
                                   "IOWeight=200\nMemoryHigh=200M\nMemorySwap=0\nResources=try\n"
                                   "CgroupParent=/ward/web\n"),
                         0);
        ck_assert(cgroup_wanted(&c));
        ck_assert_uint_eq(c.cgroup.limits[WARD_CG_MEMORY].value, 256ull << 20);
        ck_assert_uint_eq(c.cgroup.limits[WARD_CG_MEMORY].origin.line, 2);
        ck_assert_uint_eq(c.cgroup.limits[WARD_CG_CPUS].value, 50000);
        ck_assert_uint_eq(c.cgroup.limits[WARD_CG_PIDS].value, 128);
        ck_assert(c.cgroup.limits[WARD_CG_MEMORY_SWAP].set);
        ck_assert(c.cgroup.try_only);
        ck_assert_str_eq(c.cgroup.parent, "/ward/web");
        /* The full path under the cgroup2 mount names the same cgroup. */
        ck_assert_int_eq(load_text("[Resources]\nCgroupParent=/sys/fs/cgroup/deleg\n"), 0);
        ck_assert_str_eq(c.cgroup.parent, "/deleg");
        cgroup_needed_controllers(&c, buf, sizeof(buf));
        ck_assert_str_eq(buf, "cpu, io, memory, pids");
        /* Key= resets a limit. */
        ck_assert_int_eq(load_text("[Resources]\nMemory=\n"), 0);
        ck_assert(!c.cgroup.limits[WARD_CG_MEMORY].set);
}
END_TEST

START_TEST(test_profile_errors)
{
        ck_assert_int_eq(load_text("[Resources]\n\nMemory=lots\n"), -EINVAL);
        ck_assert_str_eq(e.where, "test.profile:3");
        ck_assert_str_eq(e.key, "Resources.Memory");
        ck_assert_ptr_nonnull(strstr(e.msg, "invalid value \"lots\""));
        ck_assert_int_eq(load_text("[Resources]\nCPUs=0.001\n"), -EINVAL);
        ck_assert_str_eq(e.key, "Resources.CPUs");
        ck_assert_ptr_nonnull(strstr(e.msg, "at least 0.01"));
        ck_assert_int_eq(load_text("[Resources]\nResources=maybe\n"), -EINVAL);
        ck_assert_ptr_nonnull(strstr(e.msg, "expected yes or try"));
        ck_assert_int_eq(load_text("[Resources]\nCgroupParent=ward\n"), -EINVAL);
        ck_assert_int_eq(load_text("[Resources]\nCgroupParent=/ward/../etc\n"), -EINVAL);
        ck_assert_int_eq(load_text("[Resources]\nCgroupParent=/\n"), -EINVAL);
        ck_assert_int_eq(load_text("[Resources]\nCgroupParent=/sys/fs/cgroup/\n"), -EINVAL);
        ck_assert_int_eq(load_text("[Resources]\nCgroupParent=/sys/fs/cgroup\n"), -EINVAL);
        ck_assert_int_eq(load_text("[Resources]\nPids=lots\n"), -EINVAL);
        ck_assert_ptr_nonnull(strstr(e.hint, "Pids=128"));
}
END_TEST

/* docker's --memory-swap is memory plus swap; the kernel file wants swap alone. */
START_TEST(test_swap_total)
{
        struct ward_origin o = {.file = "command line", .line = 0};
        char missing[64], why[400];

        ck_assert_int_eq(profile_apply(&c, "Resources", "Memory", "256M", &o, &e), 0);
        ck_assert_int_eq(profile_apply(&c, "Resources", "MemorySwap", "1G", &o, &e), 0);
        struct ward_plan plan = WARD_PLAN_EMPTY;

        c.cgroup.swap_is_total = true;
        c.cgroup.try_only = true; /* so prepare does not depend on the host's cgroups */
        ck_assert_int_eq(cgroup_validate(&c, &e), 0);
        /* The setting stays as asked (validate is pure); the kernel file gets swap alone. */
        ck_assert_uint_eq(c.cgroup.limits[WARD_CG_MEMORY_SWAP].value, 1ull << 30);
        ck_assert(c.cgroup.swap_is_total);
        ck_assert_uint_eq(cgroup_file_value(&c, WARD_CG_MEMORY_SWAP),
                          (1ull << 30) - (256ull << 20));
        ck_assert_uint_eq(cgroup_file_value(&c, WARD_CG_MEMORY), 256ull << 20);
        ck_assert_int_eq(plan_init(&plan, &c, &e), 0);
        ck_assert_int_eq(cgroup_prepare(&c, &plan, &e), 0);
        /* Skipped exactly when the host lacks the controllers, with the reason. */
        ck_assert_int_eq(plan.cgroup.skipped,
                         cgroup_check(&c, &plan, missing, sizeof(missing), why, sizeof(why)) < 0);
        if (plan.cgroup.skipped)
                ck_assert_ptr_nonnull(strstr(plan.cgroup.skip_reason, "are not available"));
        plan_done(&plan);
}
END_TEST

START_TEST(test_swap_total_refused)
{
        struct ward_origin o = {.file = "command line", .line = 0};

        ck_assert_int_eq(profile_apply(&c, "Resources", "MemorySwap", "1G", &o, &e), 0);
        c.cgroup.swap_is_total = true;
        ck_assert_int_lt(cgroup_validate(&c, &e), 0);
        ck_assert_ptr_nonnull(strstr(e.msg, "needs --memory"));
        ck_assert_int_eq(profile_apply(&c, "Resources", "Memory", "2G", &o, &e), 0);
        ck_assert_int_lt(cgroup_validate(&c, &e), 0);
        ck_assert_ptr_nonnull(strstr(e.msg, "smaller than --memory"));
}
END_TEST

static Suite *cgroup_suite(void)
{
        Suite *s = suite_create("cgroup");
        TCase *tc = tcase_create("values");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_keys);
        tcase_add_test(tc, test_sizes);
        tcase_add_test(tc, test_cpus);
        tcase_add_test(tc, test_weights_and_pids);
        tcase_add_test(tc, test_profile_keys);
        tcase_add_test(tc, test_profile_errors);
        tcase_add_test(tc, test_swap_total);
        tcase_add_test(tc, test_swap_total_refused);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(cgroup_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
