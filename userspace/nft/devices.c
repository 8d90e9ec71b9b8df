// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The interfaces rbiblock's flowtable hooks, found when the ruleset is
 * applied: every interface of the namespace that is up, is not loopback
 * and is not a port of another one. A bridge's or bond's ports hand their
 * packets to the master, which is the interface that routes them; a
 * flowtable on a port would see them before the bridge did.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "nft/internal.h"
#include "util/nl.h"

enum {
	RBI_DEVS_REQ = 256,	/* the request: a header and an rtgenmsg */
};

struct rbi_devs_walk {
	struct rbi_nft_devs *d;
	size_t skipped;		/* past RBI_NFT_DEVS_MAX */
};

static int rbi_devs_link(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL }, *a;
	struct rbi_devs_walk *w = data;
	struct rbi_nft_devs *d = w->d;
	const char *name;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
		if (mnl_attr_get_type(a) <= IFLA_MAX)
			tb[mnl_attr_get_type(a)] = a;
	if (!(ifi->ifi_flags & IFF_UP) || (ifi->ifi_flags & IFF_LOOPBACK) ||
	    tb[IFLA_MASTER] || !tb[IFLA_IFNAME] ||
	    mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	name = mnl_attr_get_str(tb[IFLA_IFNAME]);
	if (!name[0] || strlen(name) >= IFNAMSIZ)
		return MNL_CB_OK;
	if (d->n == RBI_NFT_DEVS_MAX) {
		w->skipped++;
		return MNL_CB_OK;
	}
	memcpy(d->name[d->n], name, strlen(name) + 1);
	d->v[d->n] = d->name[d->n];
	d->n++;
	return MNL_CB_OK;
}

int rbi_nft_devices(struct rbi_nft_devs *d, char *err, size_t len)
{
	char buf[RBI_DEVS_REQ];
	struct rbi_devs_walk w = { d, 0 };
	struct rbi_nl_error e;
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	struct rbi_nl nl;
	int rc;

	memset(d, 0, sizeof(*d));
	rc = rbi_nl_open(&nl, NETLINK_ROUTE, 0);
	if (rc) {
		snprintf(err, len, "cannot open a route netlink socket: %s",
			 strerror(-rc));
		return -1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = rbi_nl_next_seq(&nl);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	rc = rbi_nl_talk(&nl, nlh, rbi_devs_link, &w, &e);
	rbi_nl_close(&nl);
	if (rc) {
		snprintf(err, len, "listing the interfaces: %s", e.msg);
		memset(d, 0, sizeof(*d));
		return -1;
	}
	d->skipped = w.skipped;
	return 0;
}
