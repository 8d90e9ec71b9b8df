// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "util/nl.h"

enum {
	/* One receive: a dump fills about a page per message. */
	RBI_NL_RECV_BUF = 32768,
};

int rbi_nl_open(struct rbi_nl *nl, int bus, int rcvbuf)
{
	int on = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(bus);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		rbi_nl_close(nl);
		return err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Errors come with their message, without echoing large requests. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &on, sizeof(on));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &on, sizeof(on));
	/* Sequence numbers that a restart doesn't start again at 1. */
	nl->seq = (uint32_t)time(NULL);
	/* Past rmem_max where the capability allows it. */
	if (rcvbuf && setsockopt(rbi_nl_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE,
				 &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(rbi_nl_fd(nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	return 0;
}

void rbi_nl_close(struct rbi_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

int rbi_nl_fd(const struct rbi_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

uint32_t rbi_nl_next_seq(struct rbi_nl *nl)
{
	return ++nl->seq;
}

struct rbi_nl_extack_ctx {
	const char *msg;
	uint32_t off;
};

static int rbi_nl_extack_attr(const struct nlattr *a, void *data)
{
	struct rbi_nl_extack_ctx *x = data;

	switch (mnl_attr_get_type(a)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			x->msg = mnl_attr_get_str(a);
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			x->off = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

const char *rbi_nl_extack(const struct nlmsghdr *nlh, uint32_t *bad_off)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct rbi_nl_extack_ctx x = { NULL, 0 };
	size_t off = sizeof(*e);

	if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*e)) &&
	    (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
		/* Without NLM_F_CAPPED the request is echoed first. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (off < nlh->nlmsg_len - sizeof(*nlh))
			mnl_attr_parse(nlh, (unsigned int)off,
				       rbi_nl_extack_attr, &x);
	}
	if (bad_off)
		*bad_off = x.off;
	return x.msg;
}

/* One request being answered: its replies, and how it ended. */
struct rbi_nl_req {
	mnl_cb_t cb;
	void *data;
	uint32_t seq;
	int error;
	struct rbi_nl_error *e;
};

static int rbi_nl_req_data(const struct nlmsghdr *nlh, void *data)
{
	struct rbi_nl_req *r = data;

	/* Multicast (seq 0) shares the socket: not an answer. */
	if (nlh->nlmsg_seq != r->seq)
		return MNL_CB_OK;
	return r->cb ? r->cb(nlh, r->data) : MNL_CB_OK;
}

/* An ack (error 0) ends the request; anything else is its error. */
static int rbi_nl_req_error(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct rbi_nl_req *r = data;
	const char *why;

	if (nlh->nlmsg_seq != r->seq)
		return MNL_CB_OK;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		r->error = -EBADMSG;
		return MNL_CB_STOP;
	}
	r->error = e->error > 0 ? -e->error : e->error;
	if (r->error) {
		why = rbi_nl_extack(nlh, &r->e->bad_off);
		snprintf(r->e->msg, sizeof(r->e->msg), "%s",
			 why ? why : strerror(-r->error));
	}
	return MNL_CB_STOP;
}

/*
 * The end of a dump, with the error that cut it short if any. nfnetlink_log
 * ends a batch of packet copies with a DONE of its own (sequence 0): that
 * one ends nothing of ours.
 */
static int rbi_nl_req_done(const struct nlmsghdr *nlh, void *data)
{
	struct rbi_nl_req *r = data;
	int err;

	if (nlh->nlmsg_seq != r->seq)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		r->error = err < 0 ? err : 0;
		if (r->error)
			snprintf(r->e->msg, sizeof(r->e->msg), "%s",
				 strerror(-r->error));
	}
	return MNL_CB_STOP;
}

int rbi_nl_talk(struct rbi_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data, struct rbi_nl_error *e)
{
	/* Given a control array, libmnl applies no defaults: DONE too. */
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = rbi_nl_req_error,
		[NLMSG_DONE] = rbi_nl_req_done,
	};
	struct rbi_nl_req r = { cb, data, nlh->nlmsg_seq, 0, e };
	char buf[RBI_NL_RECV_BUF];
	ssize_t n;
	int ret;

	memset(e, 0, sizeof(*e));
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		goto sys;
	do {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			goto sys;
		/* Sequence numbers are the callbacks' to tell apart. */
		ret = mnl_cb_run2(buf, (size_t)n, 0, nl->portid,
				  rbi_nl_req_data, &r, ctl, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		goto sys;
	return r.error;
sys:
	ret = errno ? -errno : -EIO;
	snprintf(e->msg, sizeof(e->msg), "%s", strerror(-ret));
	return ret;
}
