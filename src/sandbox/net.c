/* Networking over rtnetlink with libmnl: bring loopback up in the new network namespace. */
#include "ward/net.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static void close_socketp(struct mnl_socket **nl)
{
        if (*nl)
                mnl_socket_close(*nl);
}

/* RTM_NEWLINK naming an existing link with IFF_UP in both flags and change: "set it up".
 * The kernel finds the link by IFLA_IFNAME (index 0), which spares if_nametoindex()'s own
 * socket and ioctl on every start. */
static int send_link_up(struct mnl_socket *nl, const char *ifname, unsigned seq)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        struct ifinfomsg *ifm;

        nlh->nlmsg_type = RTM_NEWLINK;
        nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
        nlh->nlmsg_seq = seq;
        ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        ifm->ifi_index = 0;
        ifm->ifi_flags = IFF_UP;
        ifm->ifi_change = IFF_UP;
        mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
        if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
                return -errno;
        return 0;
}

/* The kernel answers with one NLMSG_ERROR: error 0 is the ACK, anything else the failure.
 * mnl_cb_run() checks the sequence number and port, and turns the error into errno. */
static int read_ack(struct mnl_socket *nl, unsigned seq)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        unsigned portid = mnl_socket_get_portid(nl);

        for (;;) {
                ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                errno = 0;
                int r = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
                if (r < 0)
                        return -(errno ? errno : EPROTO);
                if (r == MNL_CB_STOP)
                        return 0;
                /* MNL_CB_OK: something that is not the answer yet; read on. */
        }
}

int net_link_up(const char *ifname, struct ward_error *e)
{
        struct mnl_socket *nl __attribute__((cleanup(close_socketp))) = NULL;
        unsigned seq = (unsigned)time(NULL);
        int r;

        if (strlen(ifname) >= IFNAMSIZ)
                return ward_error_set(e, EINVAL,
                                      "no network interface %s: the name is longer "
                                      "than %d characters",
                                      ifname, IFNAMSIZ - 1);
        nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
        if (!nl)
                return ward_error_set(e, errno, "cannot open an rtnetlink socket");
        if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
                return ward_error_set(e, errno, "cannot bind the rtnetlink socket");
        if ((r = send_link_up(nl, ifname, seq)) < 0)
                return ward_error_set(e, r, "cannot ask the kernel to bring %s up", ifname);
        if ((r = read_ack(nl, seq)) == -ENODEV)
                return ward_error_set(e, -r, "no network interface %s", ifname);
        if (r < 0)
                return ward_error_set(e, r, "the kernel refused to bring %s up", ifname);
        return 0;
}

int net_apply(const struct ward_config *c, struct ward_error *e)
{
        int r;

        if (c->net_mode != WARD_NET_NONE)
                return 0;
        /* Mode=none without a network namespace would be the host's network: refuse. */
        if (!(c->unshare_flags & CLONE_NEWNET)) {
                ward_error_at(e, &c->net_origin, "Network.Mode", 0,
                              "Mode=none needs a new network namespace, but \"net\" is not "
                              "unshared");
                ward_error_hint(e, "add \"net\" to Namespaces.Unshare=, or say Mode=host if "
                                   "the app must share the host's network");
                return -EINVAL;
        }
        r = net_link_up("lo", e);
        if (r < 0) {
                char msg[sizeof(e->msg)];
                snprintf(msg, sizeof(msg), "%s", e->msg);
                ward_error_at(e, &c->net_origin, "Network.Mode", r, "%s", msg);
                ward_error_hint(e, "Mode=none needs loopback up in the new network namespace; "
                                   "use Mode=host only if the app must share the host's "
                                   "network");
        }
        return r;
}
