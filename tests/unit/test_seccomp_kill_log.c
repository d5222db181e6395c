/* The SECCOMP audit record reader (seccomp_kill_log.h): which records count as kills and
 * how the call is named. The records are in the exact shape kernel 6.18 sends. */
#include <check.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ward/seccomp_kill_log.h"

#define RECORD(uid, sig, arch, nr)                                                                 \
        "audit(1796655887.407:3388): auid=4294967295 uid=" uid " gid=2000000 "                     \
        "ses=4294967295 subj=unconfined pid=18089 comm=\"ward-probe\" exe=\"/bin/ward-probe\" "    \
        "sig=" sig " arch=" arch " syscall=" nr " compat=0 ip=0x44b559 code=0x80000000"

START_TEST(test_kill_record)
{
        struct seccomp_kill_record r;
        char name[64];

        ck_assert_int_eq(seccomp_kill_log_parse(RECORD("2000000", "31", "c000003e", "110"), &r), 1);
        ck_assert_uint_eq(r.uid, 2000000);
        ck_assert_int_eq(r.pid, 18089);
        ck_assert_int_eq(r.nr, 110);
        ck_assert_str_eq(r.comm, "ward-probe");
        ck_assert_str_eq(seccomp_kill_record_call(&r, name, sizeof(name)), "x86_64");
        ck_assert_str_eq(name, "getppid");
}
END_TEST

START_TEST(test_other_abis)
{
        struct seccomp_kill_record r;
        char name[64];

        ck_assert_int_eq(seccomp_kill_log_parse(RECORD("7", "31", "c000003e", "1073741863"), &r),
                         1);
        ck_assert_str_eq(seccomp_kill_record_call(&r, name, sizeof(name)), "x32");
        ck_assert_str_eq(name, "getpid");
        ck_assert_int_eq(seccomp_kill_log_parse(RECORD("7", "31", "40000003", "20"), &r), 1);
        ck_assert_str_eq(seccomp_kill_record_call(&r, name, sizeof(name)), "i386");
        ck_assert_str_eq(name, "getpid");
        ck_assert_int_eq(seccomp_kill_log_parse(RECORD("7", "31", "c000003e", "99999"), &r), 1);
        ck_assert_str_eq(seccomp_kill_record_call(&r, name, sizeof(name)), "x86_64");
        ck_assert_str_eq(name, "?");
}
END_TEST

START_TEST(test_not_kills)
{
        struct seccomp_kill_record r;

        /* The log action's record: the call went through. */
        ck_assert_int_eq(seccomp_kill_log_parse(RECORD("7", "0", "c000003e", "110"), &r), 0);
        /* No uid= of its own: auid= must not stand in for it. */
        ck_assert_int_eq(seccomp_kill_log_parse("audit(1.2:3): auid=2000000 pid=5 sig=31 "
                                                "arch=c000003e syscall=110",
                                                &r),
                         0);
        ck_assert_int_eq(seccomp_kill_log_parse(RECORD("20x", "31", "c000003e", "110"), &r), 0);
        ck_assert_int_eq(seccomp_kill_log_parse(RECORD("-1", "31", "c000003e", "110"), &r), 0);
        ck_assert_int_eq(
            seccomp_kill_log_parse("type=1326 " RECORD("7", "31", "c000003e", "110"), &r), 0);
}
END_TEST

START_TEST(test_comm_forms)
{
        struct seccomp_kill_record r;

        /* A name with a space or a quote comes hex-encoded, unquoted. */
        ck_assert_int_eq(seccomp_kill_log_parse("audit(1.2:3): uid=7 pid=5 comm=612062 sig=31 "
                                                "arch=c000003e syscall=110",
                                                &r),
                         1);
        ck_assert_str_eq(r.comm, "612062");
}
END_TEST

/* dgram_add: append one netlink message of type with text to buf at *len (padded unless it
 * is the last, as the kernel sends them). */
static void dgram_add(char *buf, size_t *len, uint16_t type, const char *text, bool pad)
{
        struct nlmsghdr h = {.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + strlen(text)),
                             .nlmsg_type = type};

        memset(buf + *len, 0, NLMSG_ALIGN(h.nlmsg_len));
        memcpy(buf + *len, &h, sizeof(h));
        memcpy(buf + *len + NLMSG_HDRLEN, text, strlen(text));
        *len += pad ? NLMSG_ALIGN(h.nlmsg_len) : h.nlmsg_len;
}

START_TEST(test_datagrams)
{
        struct seccomp_kill_log l = {.fd = -1, .uid_lo = 2000000, .uid_count = 65536};
        char buf[4096];
        size_t len = 0;
        char name[64];

        /* Another sandbox's kill, a non-SECCOMP record, then two of ours, the last unpadded
         * with an odd length (the case that once walked past the end). */
        dgram_add(buf, &len, 1326, RECORD("3000000", "31", "c000003e", "110"), true);
        dgram_add(buf, &len, 1300, RECORD("2000000", "31", "c000003e", "110"), true);
        dgram_add(buf, &len, 1326, RECORD("2000001", "31", "c000003e", "165"), true);
        char odd[512] = RECORD("2065535", "31", "c000003e", "1");
        while ((NLMSG_HDRLEN + strlen(odd)) % NLMSG_ALIGNTO == 0)
                strcat(odd, " y");
        dgram_add(buf, &len, 1326, odd, false);
        ck_assert_uint_ne(len % NLMSG_ALIGNTO, 0);
        seccomp_kill_log_take(&l, buf, len);
        ck_assert_int_eq(l.count, 2);
        seccomp_kill_record_call(&l.last, name, sizeof(name));
        ck_assert_str_eq(name, "write");
        ck_assert_uint_eq(l.last.uid, 2065535);

        /* One past the range is not ours. */
        len = 0;
        dgram_add(buf, &len, 1326, RECORD("2065536", "31", "c000003e", "1"), false);
        seccomp_kill_log_take(&l, buf, len);
        ck_assert_int_eq(l.count, 2);
}
END_TEST

START_TEST(test_datagram_lengths)
{
        struct seccomp_kill_log l = {.fd = -1, .uid_lo = 0, .uid_count = 100};
        char buf[4096];
        size_t len = 0;
        struct nlmsghdr h;

        dgram_add(buf, &len, 1326, RECORD("7", "31", "c000003e", "110"), false);
        /* Cut short: the message says more than the datagram holds. */
        seccomp_kill_log_take(&l, buf, len - 1);
        ck_assert_int_eq(l.count, 0);
        /* A length below the header's own. */
        memcpy(&h, buf, sizeof(h));
        h.nlmsg_len = 4;
        memcpy(buf, &h, sizeof(h));
        seccomp_kill_log_take(&l, buf, len);
        ck_assert_int_eq(l.count, 0);
        /* Shorter than a header: nothing read. */
        seccomp_kill_log_take(&l, buf, NLMSG_HDRLEN - 1);
        ck_assert_int_eq(l.count, 0);
}
END_TEST

/* Not joining the group leaves nothing to read: find says none. */
START_TEST(test_closed_log_finds_nothing)
{
        struct seccomp_kill_log l = SECCOMP_KILL_LOG_NONE;

        ck_assert_int_eq(seccomp_kill_log_find(&l, 100), 0);
        seccomp_kill_log_close(&l);
        ck_assert_int_eq(l.fd, -1);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("seccomp_kill_log");
        TCase *tc = tcase_create("core");
        SRunner *sr;
        int failed;

        tcase_add_test(tc, test_kill_record);
        tcase_add_test(tc, test_other_abis);
        tcase_add_test(tc, test_not_kills);
        tcase_add_test(tc, test_comm_forms);
        tcase_add_test(tc, test_datagrams);
        tcase_add_test(tc, test_datagram_lengths);
        tcase_add_test(tc, test_closed_log_finds_nothing);
        suite_add_tcase(s, tc);
        sr = srunner_create(s);
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
