// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <libmnl/libmnl.h>

#include "daemon/nflog.h"
#include "util/nl.h"

enum {
	RBI_NFLOG_BUF = 1 << 16,
	RBI_NFLOG_RCVBUF = 8 << 20,
};

struct rbi_nflog {
	struct rbi_nl nl;
	char buf[RBI_NFLOG_BUF];
};

static struct nlmsghdr *rbi_nflog_hdr(struct rbi_nflog *l, char *buf,
				      uint16_t group)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;

	nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = rbi_nl_next_seq(&l->nl);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons(group);
	return nlh;
}

static int rbi_nflog_bind(struct rbi_nflog *l, uint16_t group,
			  uint32_t copy, struct rbi_nl_error *e)
{
	struct nfulnl_msg_config_cmd cmd = { NFULNL_CFG_CMD_BIND };
	struct nfulnl_msg_config_mode mode;
	struct nlmsghdr *nlh;
	char buf[256];
	int ret;

	/*
	 * Copies of a ruleset already installed can arrive between a request
	 * and its ack: rbi_nl_talk() passes over them to the ack.
	 */
	nlh = rbi_nflog_hdr(l, buf, group);
	mnl_attr_put(nlh, NFULA_CFG_CMD, sizeof(cmd), &cmd);
	ret = rbi_nl_talk(&l->nl, nlh, NULL, NULL, e);
	if (ret)
		return ret;
	memset(&mode, 0, sizeof(mode));
	mode.copy_mode = NFULNL_COPY_PACKET;
	mode.copy_range = htonl(copy);
	nlh = rbi_nflog_hdr(l, buf, group);
	mnl_attr_put(nlh, NFULA_CFG_MODE, sizeof(mode), &mode);
	/*
	 * Each packet at once: the kernel would otherwise hold copies for up
	 * to a second, and DNS learning would lag the camera by as much.
	 */
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(1));
	mnl_attr_put_u32(nlh, NFULA_CFG_TIMEOUT, htonl(0));
	return rbi_nl_talk(&l->nl, nlh, NULL, NULL, e);
}

struct rbi_nflog *rbi_nflog_open(const uint16_t *groups,
				 const uint32_t *copy, size_t n, char *err,
				 size_t len)
{
	struct rbi_nflog *l = calloc(1, sizeof(*l));
	struct rbi_nl_error e;
	size_t i;
	int ret;

	if (!l) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	ret = rbi_nl_open(&l->nl, NETLINK_NETFILTER, RBI_NFLOG_RCVBUF);
	if (ret) {
		snprintf(err, len, "cannot open an nfnetlink_log socket: %s",
			 strerror(-ret));
		rbi_nflog_close(l);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		ret = rbi_nflog_bind(l, groups[i], copy[i], &e);
		if (ret) {
			snprintf(err, len, "cannot bind NFLOG group %u: %s%s",
				 groups[i], e.msg, ret == -EBUSY ?
				 " (is another 'rbictl run' in this network "
				 "namespace?)" : "");
			rbi_nflog_close(l);
			return NULL;
		}
	}
	return l;
}

void rbi_nflog_close(struct rbi_nflog *l)
{
	if (!l)
		return;
	rbi_nl_close(&l->nl);
	free(l);
}

int rbi_nflog_fd(const struct rbi_nflog *l)
{
	return rbi_nl_fd(&l->nl);
}

struct rbi_nflog_cb {
	void (*cb)(const struct rbi_nflog_pkt *pkt, void *ctx);
	void *ctx;
};

static int rbi_nflog_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct rbi_nflog_cb *c = data;
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	struct rbi_nflog_pkt pkt = { ntohs(g->res_id), "", NULL, 0 };
	struct nlattr *a;

	if ((nlh->nlmsg_type & 0xff) != NFULNL_MSG_PACKET)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		switch (mnl_attr_get_type(a)) {
		case NFULA_PREFIX:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				pkt.prefix = mnl_attr_get_str(a);
			break;
		case NFULA_PAYLOAD:
			pkt.data = mnl_attr_get_payload(a);
			pkt.len = mnl_attr_get_payload_len(a);
			break;
		default:
			break;
		}
	}
	if (pkt.data)
		c->cb(&pkt, c->ctx);
	return MNL_CB_OK;
}

int rbi_nflog_read(struct rbi_nflog *l,
		   void (*cb)(const struct rbi_nflog_pkt *pkt, void *ctx),
		   void *ctx)
{
	struct rbi_nflog_cb c = { cb, ctx };
	int n, count = 0;

	for (;;) {
		n = (int)recv(rbi_nl_fd(&l->nl), l->buf, sizeof(l->buf),
			      MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ?
			       count : -1;
		mnl_cb_run(l->buf, (size_t)n, 0, 0, rbi_nflog_msg, &c);
		count++;
	}
}
