// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <libmnl/libmnl.h>

#include "daemon/queue.h"
#include "util/nl.h"

enum {
	/* Room for a packet's attributes besides its payload. */
	RBI_QUEUE_MSG_EXTRA = 512,
	RBI_QUEUE_RCVBUF = 16 << 20,
	/* One verdict message: header, nfgenmsg, verdict, mark. */
	RBI_QUEUE_VERDICT_LEN = 64,
};

struct rbi_queue {
	struct rbi_nl nl;
	uint16_t num;
	bool bound;		/* packets read since the bind */
	size_t msg_cap;		/* bytes of each receive buffer */
	uint8_t *bufs;		/* RBI_QUEUE_BATCH receive buffers */
	size_t out_len;
	size_t out_n;
	struct rbi_queue_stats st;
	char out[RBI_QUEUE_VERDICTS * RBI_QUEUE_VERDICT_LEN];
};

/* Counters the daemon's main thread reads while the queue's thread runs. */
static void rbi_queue_count(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
}

static struct nlmsghdr *rbi_queue_hdr(void *buf, uint16_t num, uint8_t type,
				      uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;

	nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons(num);
	return nlh;
}

/*
 * Binds the queue and sets its mode in one request, so that no packet
 * arrives in the default mode (metadata only) between two of them.
 */
static int rbi_queue_bind(struct rbi_queue *q, uint32_t copy, bool fail_open,
			  struct rbi_nl_error *e)
{
	struct nfqnl_msg_config_cmd cmd = { NFQNL_CFG_CMD_BIND, 0, 0 };
	struct nfqnl_msg_config_params params;
	uint32_t flags = NFQA_CFG_F_GSO |
			 (fail_open ? NFQA_CFG_F_FAIL_OPEN : 0);
	char buf[256];
	struct nlmsghdr *nlh;

	nlh = rbi_queue_hdr(buf, q->num, NFQNL_MSG_CONFIG, NLM_F_ACK,
			    rbi_nl_next_seq(&q->nl));
	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(cmd), &cmd);
	params.copy_range = htonl(copy);
	params.copy_mode = NFQNL_COPY_PACKET;
	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(params), &params);
	mnl_attr_put_u32(nlh, NFQA_CFG_QUEUE_MAXLEN, htonl(RBI_QUEUE_MAXLEN));
	mnl_attr_put_u32(nlh, NFQA_CFG_MASK,
			 htonl(NFQA_CFG_F_GSO | NFQA_CFG_F_FAIL_OPEN));
	mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags));
	return rbi_nl_talk(&q->nl, nlh, NULL, NULL, e);
}

struct rbi_queue *rbi_queue_open(uint16_t num, uint32_t copy, bool fail_open,
				 int *errnum, char *err, size_t len)
{
	struct rbi_queue *q = calloc(1, sizeof(*q));
	struct rbi_nl_error e;
	int ret = -ENOMEM;

	if (q) {
		q->num = num;
		q->msg_cap = copy + RBI_QUEUE_MSG_EXTRA;
		q->bufs = malloc(q->msg_cap * RBI_QUEUE_BATCH);
	}
	if (!q || !q->bufs) {
		snprintf(err, len, "queue %u: out of memory", num);
		goto fail;
	}
	ret = rbi_nl_open(&q->nl, NETLINK_NETFILTER, RBI_QUEUE_RCVBUF);
	if (ret) {
		snprintf(err, len, "queue %u: cannot open an nfnetlink_queue "
			 "socket: %s", num, strerror(-ret));
		goto fail;
	}
	ret = rbi_queue_bind(q, copy, fail_open, &e);
	if (ret) {
		snprintf(err, len, "cannot bind NFQUEUE %u: %s%s", num, e.msg,
			 ret == -EPERM || ret == -EBUSY ? " (another program, "
			 "or another 'rbictl run', holds it)" : "");
		goto fail;
	}
	*errnum = 0;
	return q;
fail:
	*errnum = ret;
	rbi_queue_close(q);
	return NULL;
}

void rbi_queue_close(struct rbi_queue *q)
{
	if (!q)
		return;
	if (q->nl.sock)
		rbi_nl_close(&q->nl);
	free(q->bufs);
	free(q);
}

int rbi_queue_fd(const struct rbi_queue *q)
{
	return rbi_nl_fd(&q->nl);
}

uint16_t rbi_queue_num(const struct rbi_queue *q)
{
	return q->num;
}

void rbi_queue_get_stats(const struct rbi_queue *q, struct rbi_queue_stats *s)
{
	s->packets = __atomic_load_n(&q->st.packets, __ATOMIC_RELAXED);
	s->malformed = __atomic_load_n(&q->st.malformed, __ATOMIC_RELAXED);
	s->overruns = __atomic_load_n(&q->st.overruns, __ATOMIC_RELAXED);
	s->refused = __atomic_load_n(&q->st.refused, __ATOMIC_RELAXED);
	s->unseen = __atomic_load_n(&q->st.unseen, __ATOMIC_RELAXED);
}

size_t rbi_queue_put_verdict(void *buf, size_t cap, uint16_t num,
			     uint32_t id, uint32_t verdict,
			     const uint32_t *mark)
{
	struct nfqnl_msg_verdict_hdr vh = { htonl(verdict), htonl(id) };
	struct nlmsghdr *nlh;

	if (cap < RBI_QUEUE_VERDICT_LEN)
		return 0;
	nlh = rbi_queue_hdr(buf, num, NFQNL_MSG_VERDICT, 0, id);
	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(vh), &vh);
	if (mark)
		mnl_attr_put_u32(nlh, NFQA_MARK, htonl(*mark));
	return nlh->nlmsg_len;
}

static void rbi_queue_put(struct rbi_queue *q, uint32_t id, uint32_t verdict,
			  const uint32_t *mark)
{
	if (q->out_n == RBI_QUEUE_VERDICTS)
		rbi_queue_flush(q);
	q->out_len += rbi_queue_put_verdict(q->out + q->out_len,
					    sizeof(q->out) - q->out_len,
					    q->num, id, verdict, mark);
	q->out_n++;
}

void rbi_queue_verdict(struct rbi_queue *q, uint32_t id, uint32_t verdict)
{
	rbi_queue_put(q, id, verdict, NULL);
}

void rbi_queue_verdict_mark(struct rbi_queue *q, uint32_t id,
			    uint32_t verdict, uint32_t mark)
{
	rbi_queue_put(q, id, verdict, &mark);
}

int rbi_queue_flush(struct rbi_queue *q)
{
	ssize_t n;

	if (!q->out_n)
		return 0;
	n = send(rbi_queue_fd(q), q->out, q->out_len, 0);
	q->out_len = 0;
	q->out_n = 0;
	return n < 0 ? -errno : 0;
}

/* The attributes of a packet message, by type; NULL when absent. */
static int rbi_queue_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= NFQA_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

int rbi_queue_msg(const struct nlmsghdr *nlh, struct rbi_queue_pkt *pkt,
		  bool *id_ok)
{
	const struct nlattr *tb[NFQA_MAX + 1] = { NULL };
	const struct nfqnl_msg_packet_hdr *ph;

	*id_ok = false;
	memset(pkt, 0, sizeof(*pkt));
	if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_QUEUE ||
	    (nlh->nlmsg_type & 0xff) != NFQNL_MSG_PACKET)
		return -EAGAIN;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct nfgenmsg)) ||
	    mnl_attr_parse(nlh, sizeof(struct nfgenmsg), rbi_queue_attr,
			   tb) < 0 ||
	    !tb[NFQA_PACKET_HDR] ||
	    mnl_attr_get_payload_len(tb[NFQA_PACKET_HDR]) < sizeof(*ph))
		return -EBADMSG;
	ph = mnl_attr_get_payload(tb[NFQA_PACKET_HDR]);
	pkt->id = ntohl(ph->packet_id);
	pkt->proto = ntohs(ph->hw_protocol);
	pkt->hook = ph->hook;
	*id_ok = true;
	if (tb[NFQA_MARK]) {
		if (mnl_attr_validate(tb[NFQA_MARK], MNL_TYPE_U32) < 0)
			return -EBADMSG;
		pkt->mark = ntohl(mnl_attr_get_u32(tb[NFQA_MARK]));
	}
	if (!tb[NFQA_PAYLOAD])
		return -EBADMSG;
	pkt->data = mnl_attr_get_payload(tb[NFQA_PAYLOAD]);
	pkt->len = mnl_attr_get_payload_len(tb[NFQA_PAYLOAD]);
	pkt->wire_len = pkt->len;
	if (tb[NFQA_CAP_LEN]) {
		if (mnl_attr_validate(tb[NFQA_CAP_LEN], MNL_TYPE_U32) < 0)
			return -EBADMSG;
		pkt->wire_len = ntohl(mnl_attr_get_u32(tb[NFQA_CAP_LEN]));
		if (pkt->wire_len < pkt->len)
			return -EBADMSG;
	}
	return 0;
}

/*
 * The kernel answered a verdict with an error: the packet was gone (the
 * ruleset was replaced, which flushes the queue) or the verdict was bad.
 */
static void rbi_queue_error(struct rbi_queue *q, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)) || e->error)
		rbi_queue_count(&q->st.refused, 1);
}

/*
 * Packets that arrived between the bind and its acknowledgement were
 * passed over by the request's reader: the first packet read says how
 * many (ids count from 1 in a new queue). They are dropped in one batch
 * verdict, as any packet nobody decided is.
 */
static void rbi_queue_first(struct rbi_queue *q, uint32_t id)
{
	struct nfqnl_msg_verdict_hdr vh = { htonl(NF_DROP), htonl(id - 1) };
	char buf[RBI_QUEUE_VERDICT_LEN];
	struct nlmsghdr *nlh;

	q->bound = true;
	if (id <= 1)
		return;
	nlh = rbi_queue_hdr(buf, q->num, NFQNL_MSG_VERDICT_BATCH, 0, 0);
	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(vh), &vh);
	if (send(rbi_queue_fd(q), nlh, nlh->nlmsg_len, 0) >= 0)
		rbi_queue_count(&q->st.unseen, id - 1);
}

static void rbi_queue_datagram(struct rbi_queue *q, const void *buf,
			       size_t n, rbi_queue_cb cb, void *ctx)
{
	const struct nlmsghdr *nlh = buf;
	struct rbi_queue_pkt pkt;
	int len = (int)n, rc;
	bool id_ok;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			rbi_queue_error(q, nlh);
			continue;
		}
		rc = rbi_queue_msg(nlh, &pkt, &id_ok);
		if (rc == -EAGAIN)
			continue;
		if (id_ok && !q->bound)
			rbi_queue_first(q, pkt.id);
		if (rc) {
			rbi_queue_count(&q->st.malformed, 1);
			if (id_ok)
				rbi_queue_verdict(q, pkt.id, NF_DROP);
			continue;
		}
		rbi_queue_count(&q->st.packets, 1);
		cb(q, &pkt, ctx);
	}
}

int rbi_queue_read(struct rbi_queue *q, rbi_queue_cb cb, void *ctx)
{
	struct mmsghdr msgs[RBI_QUEUE_BATCH];
	struct iovec iov[RBI_QUEUE_BATCH];
	int n, i;

	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < RBI_QUEUE_BATCH; i++) {
		iov[i].iov_base = q->bufs + (size_t)i * q->msg_cap;
		iov[i].iov_len = q->msg_cap;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(rbi_queue_fd(q), msgs, RBI_QUEUE_BATCH, MSG_DONTWAIT,
		     NULL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		if (errno == ENOBUFS)
			rbi_queue_count(&q->st.overruns, 1);
		return -errno;
	}
	for (i = 0; i < n; i++)
		rbi_queue_datagram(q, iov[i].iov_base, msgs[i].msg_len, cb,
				   ctx);
	return n;
}

int rbi_queue_kernel_drops(uint16_t num, uint64_t *full, uint64_t *user)
{
	FILE *f = fopen("/proc/net/netfilter/nfnetlink_queue", "r");
	unsigned long long d, u;
	unsigned int qn;
	char line[256];
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (rc && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%u %*u %*u %*u %*u %llu %llu", &qn, &d,
			   &u) == 3 && qn == num) {
			*full = d;
			*user = u;
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}
