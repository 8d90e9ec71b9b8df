// SPDX-License-Identifier: GPL-2.0
#include <linux/ktime.h>

#include "core/rbi_dns.h"
#include "dnslearn.h"
#include "modcfg.h"
#include "pernet.h"
#include "scratch.h"

enum {
	/* Longest DNS-over-TCP message learned from, framing included. */
	RBI_DNS_TCP_HOLD = 16384 + 2,
};

static void rbi_dns_learn_msg(struct rbi_pernet *pn, struct rbi_modcfg *mc,
			      struct rbi_scratch *scr, const u8 *msg,
			      size_t len)
{
	enum rbi_parse_result r;
	unsigned int n;

	if (rbi_dns_parse(msg, len, &scr->dns_msg) != RBI_PARSE_OK ||
	    !rbi_dns_is_response(&scr->dns_msg)) {
		rbi_stat_add(pn, RBI_STAT_DNS_MALFORMED, 1);
		return;
	}
	rbi_stat_add(pn, RBI_STAT_DNS_ANSWERS, 1);
	/* A broken record still leaves what came before it: keep that. */
	r = rbi_dns_collect(&scr->dns_msg, &scr->dns);
	if (r != RBI_PARSE_OK)
		rbi_stat_add(pn, RBI_STAT_DNS_MALFORMED, 1);
	if (!scr->dns.addr_count)
		return;
	spin_lock(&pn->learn_lock);
	n = rbi_learn_answer(mc->learned, mc->cfg, &scr->dns,
			     ktime_get_seconds());
	spin_unlock(&pn->learn_lock);
	rbi_stat_add(pn, RBI_STAT_LEARNED, n);
}

void rbi_dns_learn_udp(struct rbi_pernet *pn, struct rbi_modcfg *mc,
		       struct rbi_scratch *scr, const struct rbi_pkt *p)
{
	if (p->len > sizeof(scr->pkt) ||
	    skb_copy_bits(p->skb, p->off, scr->pkt, p->len)) {
		rbi_stat_add(pn, RBI_STAT_DNS_MALFORMED, 1);
		return;
	}
	rbi_dns_learn_msg(pn, mc, scr, scr->pkt, p->len);
}

/*
 * Learns from every whole message held and forgets it. A frame too long to
 * hold is passed over unread, and one too short to be DNS is skipped.
 */
static void rbi_dns_learn_frames(struct rbi_pernet *pn, struct rbi_modcfg *mc,
				 struct rbi_scratch *scr, struct rbi_stream *s)
{
	enum rbi_parse_result r;
	const u8 *msg;
	size_t off, len;
	u32 frame;

	while (s->len >= 2) {
		off = 0;
		r = rbi_dns_tcp_next(s->buf, s->len, &off, &msg, &len);
		if (r == RBI_PARSE_OK) {
			rbi_dns_learn_msg(pn, mc, scr, msg, len);
			rbi_stream_consume(s, off);
			continue;
		}
		frame = 2 + get_unaligned_be16(s->buf);
		if (r == RBI_PARSE_NEED_MORE && frame <= RBI_DNS_TCP_HOLD)
			return;
		rbi_stat_add(pn, r == RBI_PARSE_NEED_MORE ?
			     RBI_STAT_DNS_UNREAD : RBI_STAT_DNS_MALFORMED, 1);
		if (frame > s->len) {
			s->skip = frame - s->len;
			frame = s->len;
		}
		rbi_stream_consume(s, frame);
	}
}

unsigned int rbi_dns_learn_tcp(struct rbi_pernet *pn, struct rbi_modcfg *mc,
			       struct rbi_scratch *scr, const struct rbi_pkt *p,
			       struct rbi_flow_state *st)
{
	struct rbi_stream *s = &st->reply;
	unsigned int off = p->off, len = p->len, n;
	u32 seq = p->seq;

	/* In slices, so that a segment never has to fit the stream whole. */
	while (len) {
		n = min_t(unsigned int, len, RBI_DNS_TCP_HOLD - s->len);
		switch (rbi_stream_add(s, &pn->flows.budget, p->skb, off, n,
				       seq, RBI_DNS_TCP_HOLD)) {
		case RBI_SEG_GAP:
			rbi_stat_add(pn, RBI_STAT_OOO_DROPS, 1);
			return NF_DROP;
		case RBI_SEG_NEW:
		case RBI_SEG_OLD:
			break;
		default:
			/* Frame boundaries are lost: start again after it. */
			rbi_stat_add(pn, RBI_STAT_DNS_UNREAD, 1);
			rbi_stream_resync(s, p->seq + p->len);
			return NF_ACCEPT;
		}
		rbi_dns_learn_frames(pn, mc, scr, s);
		off += n;
		seq += n;
		len -= n;
	}
	return NF_ACCEPT;
}
