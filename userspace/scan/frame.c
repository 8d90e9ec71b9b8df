// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "rbi_parse.h"
#include "scan/frame.h"

enum {
	RBI_ETH_HLEN = 14,
	RBI_SLL_HLEN = 16,
	RBI_SLL2_HLEN = 20,
	RBI_ETH_IPV4 = 0x0800,
	RBI_ETH_IPV6 = 0x86dd,
	RBI_ETH_VLAN = 0x8100,
	RBI_ETH_QINQ = 0x88a8,
	RBI_ETH_QINQ_OLD = 0x9100,
	RBI_ETH_PPPOE = 0x8864,
	RBI_ETH_MPLS = 0x8847,
	RBI_ETH_MPLS_MC = 0x8848,
	RBI_PPPOE_HLEN = 6,
	RBI_PPP_IPV4 = 0x0021,
	RBI_PPP_IPV6 = 0x0057,
	RBI_MPLS_BOS = 0x100,	/* bottom of stack bit of a label entry */
	/* BSD AF_INET6 differs by system: NetBSD/OpenBSD, FreeBSD, Darwin. */
	RBI_BSD_INET = 2,
	RBI_BSD_INET6_A = 24,
	RBI_BSD_INET6_B = 28,
	RBI_BSD_INET6_C = 30,
	/* Bounds on what one frame may stack up. */
	RBI_FRAME_TAGS_MAX = 8,
	RBI_FRAME_TUNNELS_MAX = 2,
	RBI_FRAME_EXTS_MAX = 16,
	RBI_IP4_HLEN = 20,
	RBI_IP6_HLEN = 40,
	RBI_TCP_HLEN = 20,
	RBI_UDP_HLEN = 8,
	RBI_PROTO_IPIP = 4,
	RBI_PROTO_IPV6 = 41,
	RBI_IP6_HOPOPTS = 0,
	RBI_IP6_ROUTING = 43,
	RBI_IP6_FRAGMENT = 44,
	RBI_IP6_AH = 51,
	RBI_IP6_DSTOPTS = 60,
	RBI_IP6_MOBILITY = 135,
	RBI_IP6_HIP = 139,
	RBI_IP6_SHIM6 = 140,
	RBI_IP6_EXP1 = 253,
	RBI_IP6_EXP2 = 254,
};

/* What follows the link layer. */
enum rbi_l3 {
	RBI_L3_NONE,
	RBI_L3_V4,
	RBI_L3_V6,
	RBI_L3_ANY,		/* raw IP: the version nibble says */
	__RBI_L3_MAX
};

struct rbi_frame_ctx {
	struct rbi_ipfrag *frags;
	uint64_t now;
	struct rbi_frame *pkt;
	unsigned int tunnels;
	bool cut;
};

/* A header that does not fit: cut by the capture, or lying. */
static enum rbi_frame_result rbi_frame_short(const struct rbi_frame_ctx *x)
{
	return x->cut ? RBI_FRAME_TRUNCATED : RBI_FRAME_MALFORMED;
}

static enum rbi_l3 rbi_frame_ppp_proto(uint16_t proto)
{
	if (proto == RBI_PPP_IPV4)
		return RBI_L3_V4;
	return proto == RBI_PPP_IPV6 ? RBI_L3_V6 : RBI_L3_NONE;
}

/* RFC 1661 2 and RFC 1662 3.1: an optional ff 03, then a 1 or 2 byte id. */
static enum rbi_l3 rbi_frame_ppp(struct rbi_cur *c)
{
	uint8_t b;
	uint16_t proto;

	if (rbi_cur_left(c) >= 2 && c->p[c->off] == 0xff &&
	    c->p[c->off + 1] == 0x03)
		c->off += 2;
	if (!rbi_cur_u8(c, &b))
		return RBI_L3_NONE;
	proto = b;
	/* Protocol field compression: an odd first byte is the whole id. */
	if (!(b & 1)) {
		if (!rbi_cur_u8(c, &b))
			return RBI_L3_NONE;
		proto = (uint16_t)(proto << 8 | b);
	}
	return rbi_frame_ppp_proto(proto);
}

static enum rbi_l3 rbi_frame_pppoe(struct rbi_cur *c)
{
	return rbi_cur_skip(c, RBI_PPPOE_HLEN) ? rbi_frame_ppp(c) : RBI_L3_NONE;
}

/* The MPLS label stack down to its bottom; the payload's nibble decides. */
static enum rbi_l3 rbi_frame_mpls(struct rbi_cur *c)
{
	uint32_t label;
	unsigned int i;

	for (i = 0; i < RBI_FRAME_TAGS_MAX; i++) {
		if (!rbi_cur_u32(c, &label))
			return RBI_L3_NONE;
		if (label & RBI_MPLS_BOS)
			return RBI_L3_ANY;
	}
	return RBI_L3_NONE;
}

/* An EtherType, after as many VLAN tags as a frame may stack. */
static enum rbi_l3 rbi_frame_ethertype(struct rbi_cur *c, uint16_t type)
{
	unsigned int tags;

	for (tags = 0; tags < RBI_FRAME_TAGS_MAX; tags++) {
		switch (type) {
		case RBI_ETH_IPV4:
			return RBI_L3_V4;
		case RBI_ETH_IPV6:
			return RBI_L3_V6;
		case RBI_ETH_VLAN:
		case RBI_ETH_QINQ:
		case RBI_ETH_QINQ_OLD:
			if (!rbi_cur_skip(c, 2) || !rbi_cur_u16(c, &type))
				return RBI_L3_NONE;
			break;
		case RBI_ETH_PPPOE:
			return rbi_frame_pppoe(c);
		case RBI_ETH_MPLS:
		case RBI_ETH_MPLS_MC:
			return rbi_frame_mpls(c);
		default:
			return RBI_L3_NONE;
		}
	}
	return RBI_L3_NONE;
}

/* The address family word of BSD loopback, in either byte order. */
static enum rbi_l3 rbi_frame_bsd(struct rbi_cur *c, bool host_order)
{
	const uint8_t *b;
	uint32_t fam;

	if (!rbi_cur_bytes(c, 4, &b))
		return RBI_L3_NONE;
	fam = rbi_get_be32(b);
	/* Host order from a little-endian machine puts the family first. */
	if (host_order && b[0])
		fam = b[0] | (uint32_t)b[1] << 8;
	switch (fam) {
	case RBI_BSD_INET:
		return RBI_L3_V4;
	case RBI_BSD_INET6_A:
	case RBI_BSD_INET6_B:
	case RBI_BSD_INET6_C:
		return RBI_L3_V6;
	default:
		return RBI_L3_NONE;
	}
}

static enum rbi_l3 rbi_frame_link(enum rbi_link link, struct rbi_cur *c)
{
	uint16_t type;

	switch (link) {
	case RBI_LINK_ETHER:
		if (!rbi_cur_skip(c, RBI_ETH_HLEN - 2) ||
		    !rbi_cur_u16(c, &type))
			return RBI_L3_NONE;
		return rbi_frame_ethertype(c, type);
	case RBI_LINK_SLL:
		if (!rbi_cur_skip(c, RBI_SLL_HLEN - 2) ||
		    !rbi_cur_u16(c, &type))
			return RBI_L3_NONE;
		return rbi_frame_ethertype(c, type);
	case RBI_LINK_SLL2:
		if (!rbi_cur_u16(c, &type) ||
		    !rbi_cur_skip(c, RBI_SLL2_HLEN - 2))
			return RBI_L3_NONE;
		return rbi_frame_ethertype(c, type);
	case RBI_LINK_RAW:
		return RBI_L3_ANY;
	case RBI_LINK_PPP:
		return rbi_frame_ppp(c);
	case RBI_LINK_PPPOE:
		return rbi_frame_pppoe(c);
	case RBI_LINK_NULL:
	case RBI_LINK_LOOP:
		return rbi_frame_bsd(c, link == RBI_LINK_NULL);
	default:
		return RBI_L3_NONE;
	}
}

static enum rbi_frame_result rbi_frame_ip(struct rbi_frame_ctx *x,
				      const uint8_t *p, size_t len,
				      enum rbi_l3 l3);

static enum rbi_frame_result rbi_frame_tcp(struct rbi_frame_ctx *x,
				       const uint8_t *p, size_t len)
{
	struct rbi_frame *pkt = x->pkt;
	size_t hl;

	if (len < RBI_TCP_HLEN)
		return rbi_frame_short(x);
	hl = (size_t)(p[12] >> 4) * 4;
	if (hl < RBI_TCP_HLEN)
		return RBI_FRAME_MALFORMED;
	if (len < hl)
		return rbi_frame_short(x);
	pkt->l4 = RBI_PROTO_TCP;
	pkt->sport = rbi_get_be16(p);
	pkt->dport = rbi_get_be16(p + 2);
	pkt->seq = rbi_get_be32(p + 4);
	pkt->ack = rbi_get_be32(p + 8);
	pkt->tcp_flags = p[13];
	pkt->data = p + hl;
	pkt->len = len - hl;
	pkt->cut = x->cut;
	return RBI_FRAME_OK;
}

static enum rbi_frame_result rbi_frame_udp(struct rbi_frame_ctx *x,
				       const uint8_t *p, size_t len)
{
	struct rbi_frame *pkt = x->pkt;
	size_t ulen;

	if (len < RBI_UDP_HLEN)
		return rbi_frame_short(x);
	ulen = rbi_get_be16(p + 4);
	/* 0 is a jumbogram's (RFC 2675) or an offloading sender's. */
	if (!ulen)
		ulen = len;
	if (ulen < RBI_UDP_HLEN)
		return RBI_FRAME_MALFORMED;
	if (ulen > len) {
		if (!x->cut)
			return RBI_FRAME_MALFORMED;
		ulen = len;
	}
	pkt->l4 = RBI_PROTO_UDP;
	pkt->sport = rbi_get_be16(p);
	pkt->dport = rbi_get_be16(p + 2);
	pkt->data = p + RBI_UDP_HLEN;
	pkt->len = ulen - RBI_UDP_HLEN;
	pkt->cut = x->cut;
	return RBI_FRAME_OK;
}

static enum rbi_frame_result rbi_frame_l4(struct rbi_frame_ctx *x,
					  uint8_t proto, const uint8_t *p,
					  size_t len)
{
	switch (proto) {
	case RBI_PROTO_TCP:
		return rbi_frame_tcp(x, p, len);
	case RBI_PROTO_UDP:
		return rbi_frame_udp(x, p, len);
	case RBI_PROTO_IPIP:
	case RBI_PROTO_IPV6:
		/* Bounded, so this recursion is too. */
		if (++x->tunnels > RBI_FRAME_TUNNELS_MAX)
			return RBI_FRAME_OTHER;
		return rbi_frame_ip(x, p, len, proto == RBI_PROTO_IPIP ?
				  RBI_L3_V4 : RBI_L3_V6);
	default:
		return RBI_FRAME_OTHER;
	}
}

/*
 * Hands a fragment to the reassembler; on DONE, *p and *len are the whole
 * datagram's payload and *proto what it carries.
 */
static enum rbi_frame_result rbi_frame_frag(struct rbi_frame_ctx *x,
					const struct rbi_ipfrag_key *key,
					uint32_t off, bool more,
					const uint8_t **p, size_t *len,
					uint8_t *proto)
{
	struct rbi_ipfrag_out out;

	/* A cut fragment can never complete its datagram. */
	if (x->cut)
		return RBI_FRAME_TRUNCATED;
	if (!x->frags || x->pkt->reassembled)
		return RBI_FRAME_OTHER;
	switch (rbi_ipfrag_add(x->frags, key, *proto, off, more, *p, *len,
			       x->now, &out)) {
	case RBI_IPFRAG_HELD:
		return RBI_FRAME_HELD;
	case RBI_IPFRAG_DONE:
		*p = out.data;
		*len = out.len;
		*proto = out.proto;
		x->pkt->reassembled = true;
		return RBI_FRAME_OK;
	default:
		return RBI_FRAME_FRAG_DROPPED;
	}
}

static void rbi_frame_addr(struct rbi_ip *ip, uint8_t family, const uint8_t *a)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = family;
	memcpy(ip->a, a, family == RBI_IP_V4 ? 4 : 16);
}

/* How much of a datagram the frame holds: total, or less when cut. */
static size_t rbi_frame_avail(struct rbi_frame_ctx *x, size_t total, size_t len)
{
	if (total > len) {
		x->cut = true;
		return len;
	}
	return total;
}

static enum rbi_frame_result rbi_frame_ipv4(struct rbi_frame_ctx *x,
					const uint8_t *p, size_t len)
{
	struct rbi_ipfrag_key key;
	enum rbi_frame_result r;
	size_t hl, total;
	uint16_t frag, id;
	uint8_t proto;

	if (len < RBI_IP4_HLEN)
		return RBI_FRAME_TRUNCATED;
	hl = (size_t)(p[0] & 0x0f) * 4;
	total = rbi_get_be16(p + 2);
	/* 0: a sender that offloads segmentation; trust the capture. */
	if (!total)
		total = len;
	if (p[0] >> 4 != 4 || hl < RBI_IP4_HLEN || total < hl)
		return RBI_FRAME_MALFORMED;
	if (len < hl)
		return RBI_FRAME_TRUNCATED;
	total = rbi_frame_avail(x, total, len);
	rbi_frame_addr(&x->pkt->src, RBI_IP_V4, p + 12);
	rbi_frame_addr(&x->pkt->dst, RBI_IP_V4, p + 16);
	proto = p[9];
	id = rbi_get_be16(p + 4);
	frag = rbi_get_be16(p + 6);
	len = total - hl;
	p += hl;
	if (frag & 0x3fff) {
		key.src = x->pkt->src;
		key.dst = x->pkt->dst;
		key.id = id;
		key.proto = proto;
		r = rbi_frame_frag(x, &key, (uint32_t)(frag & 0x1fff) * 8,
				 frag & 0x2000, &p, &len, &proto);
		if (r != RBI_FRAME_OK)
			return r;
	}
	return rbi_frame_l4(x, proto, p, len);
}

/*
 * Length of an extension header whose second byte is h1, or 0 when nh is
 * not one that is skipped (the upper layer, or one we stop at: ESP, No
 * Next Header). The Fragment header is handled apart.
 */
static size_t rbi_frame_ext_len(uint8_t nh, uint8_t h1)
{
	switch (nh) {
	case RBI_IP6_HOPOPTS:
	case RBI_IP6_ROUTING:
	case RBI_IP6_DSTOPTS:
	case RBI_IP6_MOBILITY:
	case RBI_IP6_HIP:
	case RBI_IP6_SHIM6:
	case RBI_IP6_EXP1:
	case RBI_IP6_EXP2:
		return ((size_t)h1 + 1) * 8;
	case RBI_IP6_AH:
		return ((size_t)h1 + 2) * 4;
	default:
		return 0;
	}
}

static enum rbi_frame_result rbi_frame_ipv6_frag(struct rbi_frame_ctx *x,
					     const uint8_t **p, size_t *len,
					     uint8_t *nh)
{
	const uint8_t *h = *p;
	struct rbi_ipfrag_key key;
	uint16_t off;

	if (*len < 8)
		return rbi_frame_short(x);
	*nh = h[0];
	off = rbi_get_be16(h + 2);
	*p += 8;
	*len -= 8;
	/* An atomic fragment (RFC 6946) is the whole datagram. */
	if (!(off & 0xfff9))
		return RBI_FRAME_OK;
	key.src = x->pkt->src;
	key.dst = x->pkt->dst;
	key.id = rbi_get_be32(h + 4);
	key.proto = 0;
	return rbi_frame_frag(x, &key, off & 0xfff8, off & 1, p, len, nh);
}

static enum rbi_frame_result rbi_frame_ipv6(struct rbi_frame_ctx *x,
					const uint8_t *p, size_t len)
{
	enum rbi_frame_result r;
	size_t total, ext;
	unsigned int i;
	uint8_t nh;

	if (len < RBI_IP6_HLEN)
		return RBI_FRAME_TRUNCATED;
	if (p[0] >> 4 != 6)
		return RBI_FRAME_MALFORMED;
	total = rbi_get_be16(p + 4);
	if (!total)
		total = len - RBI_IP6_HLEN;
	total = rbi_frame_avail(x, total, len - RBI_IP6_HLEN);
	rbi_frame_addr(&x->pkt->src, RBI_IP_V6, p + 8);
	rbi_frame_addr(&x->pkt->dst, RBI_IP_V6, p + 24);
	nh = p[6];
	p += RBI_IP6_HLEN;
	len = total;
	for (i = 0; i < RBI_FRAME_EXTS_MAX; i++) {
		if (nh == RBI_IP6_FRAGMENT) {
			r = rbi_frame_ipv6_frag(x, &p, &len, &nh);
			if (r != RBI_FRAME_OK)
				return r;
			continue;
		}
		ext = rbi_frame_ext_len(nh, len >= 2 ? p[1] : 0);
		if (!ext)
			return rbi_frame_l4(x, nh, p, len);
		if (len < 2 || ext > len)
			return rbi_frame_short(x);
		nh = p[0];
		p += ext;
		len -= ext;
	}
	return RBI_FRAME_MALFORMED;
}

static enum rbi_frame_result rbi_frame_ip(struct rbi_frame_ctx *x,
				      const uint8_t *p, size_t len,
				      enum rbi_l3 l3)
{
	if (l3 == RBI_L3_ANY) {
		if (!len)
			return RBI_FRAME_TRUNCATED;
		l3 = p[0] >> 4 == 4 ? RBI_L3_V4 :
		     p[0] >> 4 == 6 ? RBI_L3_V6 : RBI_L3_NONE;
		if (l3 == RBI_L3_NONE)
			return RBI_FRAME_MALFORMED;
	}
	return l3 == RBI_L3_V4 ? rbi_frame_ipv4(x, p, len) :
	       rbi_frame_ipv6(x, p, len);
}

enum rbi_frame_result rbi_frame_decode(enum rbi_link link, const uint8_t *frame,
				   size_t caplen, struct rbi_ipfrag *frags,
				   uint64_t now, struct rbi_frame *pkt)
{
	struct rbi_frame_ctx x = { frags, now, pkt, 0, false };
	struct rbi_cur c;
	enum rbi_l3 l3;

	/* The rest is written on the way to OK; this runs for every frame. */
	pkt->tcp_flags = 0;
	pkt->seq = 0;
	pkt->ack = 0;
	pkt->reassembled = false;
	rbi_cur_init(&c, frame, caplen);
	l3 = rbi_frame_link(link, &c);
	if (l3 == RBI_L3_NONE)
		return c.short_read ? RBI_FRAME_TRUNCATED : RBI_FRAME_NOT_IP;
	return rbi_frame_ip(&x, frame + c.off, caplen - c.off, l3);
}

const char *rbi_frame_result_name(enum rbi_frame_result r)
{
	static const char *const names[__RBI_PKT_MAX] = {
		[RBI_FRAME_OK] = "ok",
		[RBI_FRAME_HELD] = "held",
		[RBI_FRAME_NOT_IP] = "not-ip",
		[RBI_FRAME_OTHER] = "other",
		[RBI_FRAME_TRUNCATED] = "truncated",
		[RBI_FRAME_MALFORMED] = "malformed",
		[RBI_FRAME_FRAG_DROPPED] = "fragment-dropped",
	};

	return (unsigned int)r < __RBI_PKT_MAX ? names[r] : "?";
}
