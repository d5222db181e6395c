/* Unit tests for networking: bringing loopback up over rtnetlink, in a forked child that is
 * in a new user and network namespace this test created (the host's links are never
 * touched). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/net.h"
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

/* The interface's flags (SIOCGIFFLAGS), or -errno. */
static long long link_flags(const char *ifname)
{
        struct ifreq ifr;
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        long long r;

        if (fd < 0)
                return -errno;
        memset(&ifr, 0, sizeof(ifr));
        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
        r = ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ? -errno : (unsigned short)ifr.ifr_flags;
        close(fd);
        return r;
}

/* Which network namespace we are in, to prove the child is not in the test's. */
static void netns_id(char *buf, size_t len)
{
        ssize_t n = readlink("/proc/self/ns/net", buf, len - 1);

        buf[n > 0 ? n : 0] = '\0';
}

enum action {
        LINK_UP_LO,
        LINK_UP_TWICE,
        LINK_UP_MISSING,
        LINK_UP_LONG_NAME,
        APPLY,
};

struct net_args {
        enum action action;
        enum ward_net_mode mode;
        unsigned long unshare_flags;
};

static void child_net(struct report *rep, void *arg)
{
        const struct net_args *a = arg;
        struct ward_config c;

        netns_id(rep->s[0], sizeof(rep->s[0]));
        rep->v[0] = link_flags("lo");
        switch (a->action) {
        case LINK_UP_LO:
                rep->rc = net_link_up("lo", &rep->e);
                break;
        case LINK_UP_TWICE:
                rep->rc = net_link_up("lo", &rep->e);
                if (rep->rc == 0)
                        rep->rc = net_link_up("lo", &rep->e);
                break;
        case LINK_UP_MISSING:
                rep->rc = net_link_up("nosuchif0", &rep->e);
                break;
        case LINK_UP_LONG_NAME:
                rep->rc = net_link_up("averyveryverylongifname0", &rep->e);
                break;
        case APPLY:
                memset(&c, 0, sizeof(c));
                c.net_mode = a->mode;
                c.unshare_flags = a->unshare_flags;
                c.net_origin = (struct ward_origin){.file = "net.profile", .line = 4};
                rep->rc = net_apply(&c, &rep->e);
                break;
        }
        rep->v[1] = link_flags("lo");
}

/* Run action in a new user + network namespace; false (printed) if that is impossible. */
static bool run_net(struct net_args *a, struct report *rep)
{
        char outer[64];

        if (!run_in_userns(CLONE_NEWNET, MAP_SELF, child_net, a, rep))
                return false;
        netns_id(outer, sizeof(outer));
        ck_assert_str_ne(rep->s[0], "");
        ck_assert_str_ne(rep->s[0], outer);
        /* lo exists, and is down, in a new network namespace. */
        ck_assert_int_ge(rep->v[0], 0);
        ck_assert_int_eq(rep->v[0] & IFF_UP, 0);
        ck_assert_int_ne(rep->v[0] & IFF_LOOPBACK, 0);
        return true;
}

START_TEST(test_link_up_lo)
{
        struct net_args a = {.action = LINK_UP_LO};
        struct report rep;

        if (!run_net(&a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s", rep.rc, rep.e.msg);
        ck_assert_int_ge(rep.v[1], 0);
        ck_assert_int_ne(rep.v[1] & IFF_UP, 0);
}
END_TEST

/* Bringing up a link that is already up is not an error. */
START_TEST(test_link_up_twice)
{
        struct net_args a = {.action = LINK_UP_TWICE};
        struct report rep;

        if (!run_net(&a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s", rep.rc, rep.e.msg);
        ck_assert_int_ne(rep.v[1] & IFF_UP, 0);
}
END_TEST

START_TEST(test_link_up_missing)
{
        struct net_args a = {.action = LINK_UP_MISSING};
        struct report rep;

        if (!run_net(&a, &rep))
                return;
        ck_assert_int_lt(rep.rc, 0);
        ck_assert_int_eq(rep.rc, -rep.e.err);
        ck_assert_int_eq(rep.e.err, ENODEV);
        ck_assert_msg(strstr(rep.e.msg, "nosuchif0"), "message \"%s\" does not name it", rep.e.msg);
        ck_assert_int_eq(rep.e.exit_code, WARD_EXIT_FAILED);
        ck_assert_int_eq(rep.v[1] & IFF_UP, 0); /* lo untouched */

        a.action = LINK_UP_LONG_NAME;
        if (!run_net(&a, &rep))
                return;
        ck_assert_int_lt(rep.rc, 0);
        ck_assert_msg(strstr(rep.e.msg, "averyveryverylongifname0"), "message \"%s\"", rep.e.msg);
}
END_TEST

/* Mode=host shares the host's namespace: nothing to do, lo stays as it is. */
START_TEST(test_apply_host_does_nothing)
{
        struct net_args a = {.action = APPLY, .mode = WARD_NET_HOST, .unshare_flags = CLONE_NEWNET};
        struct report rep;

        if (!run_net(&a, &rep))
                return;
        ck_assert_int_eq(rep.rc, 0);
        ck_assert_str_eq(rep.e.msg, "");
        ck_assert_int_eq(rep.v[1] & IFF_UP, 0);

        a.unshare_flags = 0;
        if (!run_net(&a, &rep))
                return;
        ck_assert_int_eq(rep.rc, 0);
        ck_assert_int_eq(rep.v[1] & IFF_UP, 0);
}
END_TEST

START_TEST(test_apply_none_brings_lo_up)
{
        struct net_args a = {.action = APPLY, .mode = WARD_NET_NONE, .unshare_flags = CLONE_NEWNET};
        struct report rep;

        if (!run_net(&a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s", rep.rc, rep.e.msg);
        ck_assert_int_ne(rep.v[1] & IFF_UP, 0);
}
END_TEST

/* Mode=none without a network namespace would be the host's network: refused, untouched. */
START_TEST(test_apply_none_without_netns_refused)
{
        struct net_args a = {.action = APPLY, .mode = WARD_NET_NONE, .unshare_flags = 0};
        struct report rep;

        if (!run_net(&a, &rep))
                return;
        ck_assert_int_eq(rep.rc, -EINVAL);
        ck_assert_str_eq(rep.e.key, "Network.Mode");
        ck_assert_str_eq(rep.e.where, "net.profile:4");
        ck_assert_str_ne(rep.e.hint, "");
        ck_assert_int_eq(rep.v[1] & IFF_UP, 0);
}
END_TEST

static Suite *net_suite(void)
{
        Suite *s = suite_create("net");
        TCase *tc = tcase_create("link");

        tcase_set_timeout(tc, 20);
        tcase_add_test(tc, test_link_up_lo);
        tcase_add_test(tc, test_link_up_twice);
        tcase_add_test(tc, test_link_up_missing);
        suite_add_tcase(s, tc);

        tc = tcase_create("apply");
        tcase_set_timeout(tc, 20);
        tcase_add_test(tc, test_apply_host_does_nothing);
        tcase_add_test(tc, test_apply_none_brings_lo_up);
        tcase_add_test(tc, test_apply_none_without_netns_refused);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(net_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
