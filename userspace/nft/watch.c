// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>

#include "nft/defs.h"
#include "nft/plan.h"
#include "nft/watch.h"
#include "util/nl.h"

enum {
	/* Every message of a large transaction is a notification. */
	RBI_WATCH_RCVBUF = 16 << 20,
	RBI_WATCH_BUF = 64 << 10,
	/* The table's name: attribute 1 of every object message. */
	RBI_WATCH_ATTR_TABLE = 1,
};

struct rbi_nft_watch {
	struct rbi_nl nl;
	/* The transaction whose messages are arriving, until its NEWGEN. */
	struct rbi_nft_change pend;
	pid_t self;
	uint8_t buf[RBI_WATCH_BUF];
};

struct rbi_nft_watch *rbi_nft_watch_open(char *err, size_t len)
{
	struct rbi_nft_watch *w = calloc(1, sizeof(*w));
	int grp = NFNLGRP_NFTABLES, ret;

	if (!w) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	ret = rbi_nl_open(&w->nl, NETLINK_NETFILTER, RBI_WATCH_RCVBUF);
	if (!ret && setsockopt(rbi_nl_fd(&w->nl), SOL_NETLINK,
			       NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		ret = -errno;
	if (ret) {
		snprintf(err, len, "cannot watch nf_tables: %s",
			 strerror(-ret));
		rbi_nft_watch_close(w);
		return NULL;
	}
	w->self = getpid();
	return w;
}

void rbi_nft_watch_close(struct rbi_nft_watch *w)
{
	if (!w)
		return;
	if (w->nl.sock)
		rbi_nl_close(&w->nl);
	free(w);
}

int rbi_nft_watch_fd(const struct rbi_nft_watch *w)
{
	return rbi_nl_fd(&w->nl);
}

/* The string attribute type of an object message, or NULL. */
static const char *rbi_watch_attr(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == type &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			return mnl_attr_get_str(a);
	return NULL;
}

static bool rbi_watch_learned(const char *set)
{
	const char *name = rbi_nft_set_info(RBI_NFT_MAP_LEARNED)->name;
	size_t n = strlen(name);

	return set && !strncmp(set, name, n) &&
	       (!strcmp(set + n, RBI_NFT_V4) || !strcmp(set + n, RBI_NFT_V6));
}

/*
 * Whether pid, as nf_tables names the committer (the thread's id), is a
 * thread of this process: the daemon's threads learn too.
 */
static bool rbi_watch_ours(const struct rbi_nft_watch *w, uint32_t pid)
{
	char path[40];

	if (pid == (uint32_t)w->self)
		return true;
	snprintf(path, sizeof(path), "/proc/self/task/%u", pid);
	return pid && !access(path, F_OK);
}

/* A new generation: the transaction before it was someone's. */
static void rbi_watch_gen(struct rbi_nft_watch *w, const struct nlmsghdr *nlh,
			  struct rbi_nft_change *c, bool *any)
{
	const struct nlattr *a;
	uint32_t pid = 0;
	const char *name = "?";

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_GEN_PROC_PID &&
		    mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			pid = ntohl(mnl_attr_get_u32(a));
		if (mnl_attr_get_type(a) == NFTA_GEN_PROC_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			name = mnl_attr_get_str(a);
	}
	if (!rbi_watch_ours(w, pid) &&
	    (w->pend.table_gone || w->pend.learned_lost || w->pend.changed)) {
		c->table_gone |= w->pend.table_gone;
		c->learned_lost |= w->pend.learned_lost;
		c->changed |= w->pend.changed;
		if (strcmp(name, "rbictl"))
			c->by_others = true;
		else
			c->by_rbictl = true;
		snprintf(c->by, sizeof(c->by), "%s (pid %u)", name, pid);
		*any = true;
	}
	memset(&w->pend, 0, sizeof(w->pend));
}

static int rbi_watch_msg(const struct nlmsghdr *nlh, void *data)
{
	void **ctx = data;
	struct rbi_nft_watch *w = ctx[0];
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	unsigned int type = NFNL_MSG_TYPE(nlh->nlmsg_type);
	const char *table;

	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_NFTABLES ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		return MNL_CB_OK;
	if (type == NFT_MSG_NEWGEN) {
		rbi_watch_gen(w, nlh, ctx[1], ctx[2]);
		return MNL_CB_OK;
	}
	table = rbi_watch_attr(nlh, RBI_WATCH_ATTR_TABLE);
	if (g->nfgen_family != NFPROTO_INET || !table ||
	    strcmp(table, RBI_NFT_TABLE))
		return MNL_CB_OK;
	/* A destroy command is announced as a delete. */
	if (type == NFT_MSG_DELTABLE)
		w->pend.table_gone = true;
	else if (type == NFT_MSG_DELSETELEM &&
		 rbi_watch_learned(rbi_watch_attr(nlh, NFTA_SET_ELEM_LIST_SET)))
		w->pend.learned_lost = true;
	else
		w->pend.changed = true;
	return MNL_CB_OK;
}

bool rbi_nft_watch_read(struct rbi_nft_watch *w, struct rbi_nft_change *c)
{
	bool any = false;
	void *ctx[3] = { w, c, &any };
	ssize_t n;

	for (;;) {
		n = recv(rbi_nl_fd(&w->nl), w->buf, sizeof(w->buf),
			 MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			c->overrun = true;
			any = true;
			continue;
		}
		if (n <= 0)
			return any;
		mnl_cb_run(w->buf, (size_t)n, 0, 0, rbi_watch_msg, ctx);
	}
}
