// SPDX-License-Identifier: GPL-2.0
/*
 * The fast path. A flow that has its verdict costs one conntrack label
 * test here (two for a UDP flow still watched for QUIC); everything else
 * goes to rbi_inspect().
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_labels.h>

#include "core/rbi_inspect.h"
#include "hook.h"
#include "inspect.h"
#include "pernet.h"
#include "uapi/rbiblock.h"

/* The transport header's offset and protocol; false when unreadable. */
static bool rbi_pkt_l4(struct sk_buff *skb, u8 pf, unsigned int *thoff,
		       u8 *proto)
{
	__be16 frag_off;
	int off;

	if (pf == NFPROTO_IPV4) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->frag_off & htons(IP_OFFSET))
			return false;
		*thoff = skb_network_offset(skb) + iph->ihl * 4;
		*proto = iph->protocol;
		return true;
	}
	*proto = ipv6_hdr(skb)->nexthdr;
	off = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
			       sizeof(struct ipv6hdr), proto, &frag_off);
	if (off < 0 || (frag_off & htons(~0x7)))
		return false;
	*thoff = off;
	return true;
}

static bool rbi_pkt_tcp(struct sk_buff *skb, unsigned int thoff,
			struct rbi_pkt *p)
{
	const struct tcphdr *th;
	struct tcphdr _th;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || th->doff < sizeof(_th) / 4)
		return false;
	p->off = thoff + th->doff * 4;
	p->seq = ntohl(th->seq);
	p->ack = ntohl(th->ack_seq);
	p->flags |= (th->syn ? RBI_INSP_SYN : 0) | (th->fin ? RBI_INSP_FIN : 0) |
		    (th->rst ? RBI_INSP_RST : 0) | (th->urg ? RBI_INSP_URG : 0) |
		    (th->ack ? RBI_INSP_ACK : 0);
	return true;
}

/*
 * Fills p from the packet. False for a packet that is not of the flow's
 * own protocol (an ICMP error about it) or cannot be read.
 */
static bool rbi_pkt_parse(struct sk_buff *skb, u8 pf, struct rbi_pkt *p)
{
	unsigned int thoff;
	u8 proto;

	if (!rbi_pkt_l4(skb, pf, &thoff, &proto) ||
	    proto != nf_ct_protonum(p->ct))
		return false;
	p->l4 = proto;
	if (proto == IPPROTO_TCP) {
		if (!rbi_pkt_tcp(skb, thoff, p))
			return false;
	} else if (proto == IPPROTO_UDP) {
		p->off = thoff + sizeof(struct udphdr);
	} else {
		p->off = skb->len;
	}
	if (p->off > skb->len)
		return false;
	p->len = skb->len - p->off;
	return true;
}

/*
 * A datagram of a watched UDP flow's initiator that may start a QUIC long
 * header: the two top bits of its first byte. RTP, DTLS, STUN and the
 * rest leave here after one byte.
 */
static bool rbi_pkt_maybe_quic(struct sk_buff *skb, u8 pf, struct rbi_pkt *p)
{
	u8 b, *first;

	if (!rbi_pkt_parse(skb, pf, p) || p->l4 != IPPROTO_UDP || !p->len)
		return false;
	first = skb_header_pointer(skb, p->off, 1, &b);
	return first && (*first & 0xc0) == 0xc0;
}

static unsigned int rbi_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	struct rbi_pernet *pn = rbi_pernet(state->net);
	enum ip_conntrack_info ctinfo;
	struct rbi_pkt p = { .skb = skb };

	p.ct = nf_ct_get(skb, &ctinfo);
	if (!p.ct)
		return NF_ACCEPT;
	p.labels = nf_ct_labels_find(p.ct);
	if (unlikely(!p.labels)) {
		rbi_stat_add(pn, RBI_STAT_NO_LABELS, 1);
		return NF_ACCEPT;
	}
	p.dir = CTINFO2DIR(ctinfo);
	p.hook = state->hook;
	if (likely(test_bit(RBI_CT_LABEL_DECIDED, p.labels->bits))) {
		if (unlikely(test_bit(RBI_CT_LABEL_WATCH, p.labels->bits)) &&
		    p.dir == IP_CT_DIR_ORIGINAL &&
		    rbi_pkt_maybe_quic(skb, state->pf, &p))
			rbi_inspect_watched(pn, &p);
		return NF_ACCEPT;
	}
	if (!rbi_pkt_parse(skb, state->pf, &p))
		return NF_ACCEPT;
	if (p.dir == IP_CT_DIR_REPLY)
		p.flags |= RBI_INSP_REPLY;
	p.in_ifindex = state->in ? state->in->ifindex : 0;
	p.out_ifindex = state->out && state->hook != NF_INET_LOCAL_IN ?
			state->out->ifindex : 0;
	return rbi_inspect(pn, &p);
}

#define RBI_HOOK(family, num) {			\
	.hook = rbi_hook,			\
	.pf = family,				\
	.hooknum = num,				\
	.priority = RBI_HOOK_PRIORITY,		\
}

static const struct nf_hook_ops rbi_hook_ops[] = {
	RBI_HOOK(NFPROTO_IPV4, NF_INET_FORWARD),
	RBI_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN),
	RBI_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_OUT),
	RBI_HOOK(NFPROTO_IPV6, NF_INET_FORWARD),
	RBI_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_IN),
	RBI_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_OUT),
};

int rbi_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, rbi_hook_ops,
				     ARRAY_SIZE(rbi_hook_ops));
}

void rbi_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, rbi_hook_ops, ARRAY_SIZE(rbi_hook_ops));
}
