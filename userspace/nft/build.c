// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The plan into libnftnl objects: the table, its sets with their elements,
 * and the chains. Each rule is written the way nft(8) itself encodes the
 * same statement, so that `nft list table inet rbiblock` prints it as an
 * operator would have typed it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_NFQUEUE.h>
#include <libnftnl/expr.h>
#include <libnftnl/udata.h>

#include "nft/defs.h"
#include "nft/internal.h"
#include "rbiblock.h"

/* nft's datatype ids (nftables src/datatype.h), for the sets' key types. */
enum {
	RBI_NFT_TYPE_IPADDR = 7,
	RBI_NFT_TYPE_IP6ADDR = 8,
	RBI_NFT_TYPE_INET_SERVICE = 13,
	RBI_NFT_TYPE_BITS = 6,
	RBI_NFT_VERDICT_LEN = 16,	/* the kernel's struct nft_verdict */
	RBI_NFT_REG_PORT_V4 = NFT_REG32_01,	/* after a 4-byte address */
	/* After a 16-byte one: NFT_REG32_04, which the kernel dumps as this. */
	RBI_NFT_REG_PORT_V6 = NFT_REG_2,
};

/* Offsets in the IPv4 and IPv6 headers, and in the transport header. */
enum {
	RBI_PORT_MDNS = 5353,
};

enum {
	RBI_IP4_SADDR = 12,
	RBI_IP4_DADDR = 16,
	RBI_IP6_SADDR = 8,
	RBI_IP6_DADDR = 24,
	RBI_TH_SPORT = 0,
	RBI_TH_DPORT = 2,
	RBI_TH_FLAGS = 13,
	/* The TCP flags the inspection engine reads: FIN, SYN, RST, URG. */
	RBI_TCP_CTL = 0x27,
};

/* enum ip_conntrack_dir, as `ct direction` compares it. */
enum {
	RBI_CT_DIR_ORIGINAL = 0,
	RBI_CT_DIR_REPLY = 1,
};

_Static_assert(RBI_NFT_PRIORITY > RBI_HOOK_PRIORITY,
	       "the chains must run after the module's hooks");

struct rbi_nft_ctx {
	const struct rbi_nft_plan *plan;
	struct rbi_nft_objs *o;
	struct nftnl_rule *r;	/* the rule being written */
	uint32_t mark;		/* this ruleset's generation, in place */
};

/* ---- expressions ---- */

static void rbi_e_add(struct rbi_nft_ctx *c, struct nftnl_expr *e)
{
	if (!e) {
		c->o->failed = true;
		return;
	}
	nftnl_rule_add_expr(c->r, e);
}

/*
 * A "meta" or "ct" expression with key: loaded into register 1 (reg is
 * its DREG attribute), or stored from it (its SREG attribute).
 */
static void rbi_e_key(struct rbi_nft_ctx *c, const char *name,
		      uint16_t key_attr, uint32_t key, uint16_t reg)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (e) {
		nftnl_expr_set_u32(e, key_attr, key);
		nftnl_expr_set_u32(e, reg, NFT_REG_1);
	}
	rbi_e_add(c, e);
}

static void rbi_e_meta(struct rbi_nft_ctx *c, uint32_t key)
{
	rbi_e_key(c, "meta", NFTNL_EXPR_META_KEY, key, NFTNL_EXPR_META_DREG);
}

static void rbi_e_ct(struct rbi_nft_ctx *c, uint32_t key)
{
	rbi_e_key(c, "ct", NFTNL_EXPR_CT_KEY, key, NFTNL_EXPR_CT_DREG);
}

static void rbi_e_cmp(struct rbi_nft_ctx *c, uint32_t op, const void *data,
		      uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
		nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	}
	rbi_e_add(c, e);
}

static void rbi_e_payload(struct rbi_nft_ctx *c, uint32_t base,
			  uint32_t offset, uint32_t len, uint32_t dreg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, dreg);
	}
	rbi_e_add(c, e);
}

/* Matches set (or, with NFT_LOOKUP_F_INV, misses it); vmap: jumps. */
static void rbi_e_lookup_flags(struct rbi_nft_ctx *c, const char *set,
			       bool vmap, uint32_t flags)
{
	struct nftnl_expr *e = nftnl_expr_alloc("lookup");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
		nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
		if (vmap)
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG,
					   NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, flags);
	}
	rbi_e_add(c, e);
}

static void rbi_e_lookup(struct rbi_nft_ctx *c, const char *set, bool vmap)
{
	rbi_e_lookup_flags(c, set, vmap, 0);
}

static void rbi_e_counter(struct rbi_nft_ctx *c)
{
	rbi_e_add(c, nftnl_expr_alloc("counter"));
}

static void rbi_e_log(struct rbi_nft_ctx *c, uint16_t group,
		      const char *prefix)
{
	struct nftnl_expr *e = nftnl_expr_alloc("log");

	if (e) {
		if (prefix)
			nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, prefix);
		nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, group);
	}
	rbi_e_add(c, e);
}

static void rbi_e_verdict(struct rbi_nft_ctx *c, int verdict,
			  const char *chain)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT,
				   (uint32_t)verdict);
		if (chain)
			nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
	}
	rbi_e_add(c, e);
}

/* Register 1 = register 1 & MASK ^ XOR: len bytes of mask and xor. */
static void rbi_e_bitwise(struct rbi_nft_ctx *c, const void *mask,
			  const void *xor, uint32_t len)
{
	struct nftnl_expr *bw = nftnl_expr_alloc("bitwise");

	if (bw) {
		nftnl_expr_set_u32(bw, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(bw, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
		nftnl_expr_set_u32(bw, NFTNL_EXPR_BITWISE_LEN, len);
		nftnl_expr_set(bw, NFTNL_EXPR_BITWISE_MASK, mask, len);
		nftnl_expr_set(bw, NFTNL_EXPR_BITWISE_XOR, xor, len);
	}
	rbi_e_add(c, bw);
}

/* `ct KEY & MASK ^ XOR` into register 1. */
static void rbi_e_ct_masked(struct rbi_nft_ctx *c, uint32_t key,
			    const void *mask, const void *xor, uint32_t len)
{
	rbi_e_ct(c, key);
	rbi_e_bitwise(c, mask, xor, len);
}

/* The bytes of the flow's 128-bit label bitmap that hold bit. */
static void rbi_label_bit(uint8_t mask[16], unsigned int bit)
{
	mask[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

/* `ct label & MASK op 0`, in one load of the label bitmap. */
static void rbi_e_ct_label_mask(struct rbi_nft_ctx *c, const uint8_t mask[16],
				uint32_t op)
{
	uint8_t zero[16] = { 0 };

	rbi_e_ct_masked(c, NFT_CT_LABELS, mask, zero, sizeof(zero));
	rbi_e_cmp(c, op, zero, sizeof(zero));
}

/*
 * Whether any of the label bits first..last is set (op NFT_CMP_NEQ) or
 * none is (NFT_CMP_EQ).
 */
static void rbi_e_ct_labels(struct rbi_nft_ctx *c, unsigned int first,
			    unsigned int last, uint32_t op)
{
	uint8_t mask[16] = { 0 };
	unsigned int bit;

	for (bit = first; bit <= last; bit++)
		rbi_label_bit(mask, bit);
	rbi_e_ct_label_mask(c, mask, op);
}

/* `ct label N`: the bit set in the flow's label bitmap. */
static void rbi_e_ct_label(struct rbi_nft_ctx *c, unsigned int bit)
{
	rbi_e_ct_labels(c, bit, bit, NFT_CMP_NEQ);
}

/* The module's verdict bits: a rule that blocked, or "log". */
static void rbi_e_module_verdict(struct rbi_nft_ctx *c, uint32_t op)
{
	rbi_e_ct_labels(c, RBI_CT_LABEL_RULE_FIRST, RBI_CT_LABEL_LOG, op);
}

/* `ct state new`: the packet conntrack opened an entry for. */
static void rbi_e_ct_new(struct rbi_nft_ctx *c)
{
	uint32_t bit = NF_CT_STATE_BIT(IP_CT_NEW), zero = 0;

	rbi_e_ct_masked(c, NFT_CT_STATE, &bit, &zero, sizeof(bit));
	rbi_e_cmp(c, NFT_CMP_NEQ, &zero, sizeof(zero));
}

/* `ct direction original|reply`. */
static void rbi_e_ct_dir(struct rbi_nft_ctx *c, uint8_t dir)
{
	rbi_e_ct(c, NFT_CT_DIRECTION);
	rbi_e_cmp(c, NFT_CMP_EQ, &dir, sizeof(dir));
}

static void rbi_e_ct_mark(struct rbi_nft_ctx *c, uint32_t mask,
			  uint32_t xor)
{
	rbi_e_ct_masked(c, NFT_CT_MARK, &mask, &xor, sizeof(mask));
}

/* `ct mark and 0xff000000 == GEN`: checked against this ruleset. */
static void rbi_e_checked(struct rbi_nft_ctx *c)
{
	rbi_e_ct_mark(c, RBI_NFT_MARK_MASK, 0);
	rbi_e_cmp(c, NFT_CMP_EQ, &c->mark, sizeof(c->mark));
}

/* `ct mark set ct mark and 0x00ffffff or GEN`. */
static void rbi_e_set_checked(struct rbi_nft_ctx *c)
{
	rbi_e_ct_mark(c, ~(uint32_t)RBI_NFT_MARK_MASK, c->mark);
	rbi_e_key(c, "ct", NFTNL_EXPR_CT_KEY, NFT_CT_MARK,
		  NFTNL_EXPR_CT_SREG);
}

static void rbi_e_limit(struct rbi_nft_ctx *c, uint64_t per_second)
{
	struct nftnl_expr *e = nftnl_expr_alloc("limit");

	if (e) {
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, per_second);
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, 1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, 5);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, 0);
	}
	rbi_e_add(c, e);
}

/* `meta nfproto ipv4|ipv6`, which every ip/ip6 match in inet needs. */
static void rbi_e_nfproto(struct rbi_nft_ctx *c, enum rbi_nft_family f)
{
	uint8_t proto = f == RBI_NFT_V4_IDX ? NFPROTO_IPV4 : NFPROTO_IPV6;

	rbi_e_meta(c, NFT_META_NFPROTO);
	rbi_e_cmp(c, NFT_CMP_EQ, &proto, sizeof(proto));
}

static void rbi_e_l4proto(struct rbi_nft_ctx *c, uint8_t proto)
{
	rbi_e_meta(c, NFT_META_L4PROTO);
	rbi_e_cmp(c, NFT_CMP_EQ, &proto, sizeof(proto));
}

/* The address field: ip/ip6 saddr or daddr into reg 1. */
static void rbi_e_addr_load(struct rbi_nft_ctx *c, enum rbi_nft_family f,
			    bool src)
{
	bool v4 = f == RBI_NFT_V4_IDX;

	rbi_e_payload(c, NFT_PAYLOAD_NETWORK_HEADER,
		      v4 ? (src ? RBI_IP4_SADDR : RBI_IP4_DADDR) :
		      (src ? RBI_IP6_SADDR : RBI_IP6_DADDR),
		      (uint32_t)rbi_nft_width(f), NFT_REG_1);
}

static void rbi_e_addr(struct rbi_nft_ctx *c, enum rbi_nft_family f,
		       bool src)
{
	rbi_e_nfproto(c, f);
	rbi_e_addr_load(c, f, src);
}

static void rbi_e_port(struct rbi_nft_ctx *c, uint32_t offset,
		       uint32_t dreg)
{
	rbi_e_payload(c, NFT_PAYLOAD_TRANSPORT_HEADER, offset, 2, dreg);
}

static void rbi_e_port_eq(struct rbi_nft_ctx *c, uint32_t offset,
			  uint16_t port)
{
	uint16_t be = htons(port);

	rbi_e_port(c, offset, NFT_REG_1);
	rbi_e_cmp(c, NFT_CMP_EQ, &be, sizeof(be));
}

/* ---- the queue backend's expressions ---- */

static bool rbi_queued(const struct rbi_nft_ctx *c)
{
	return c->plan && c->plan->queue.kind != RBI_NFT_QUEUE_NONE;
}

/*
 * Hands the packet to queues num .. num + total - 1, flows hashed over
 * them by their addresses, so that a flow's packets always meet the same
 * queue (and the same thread of the daemon). Bypass: when nothing listens,
 * the packet passes (on-failure: open); else it is dropped. The nft queue
 * expression where the kernel has it, else the NFQUEUE target of the
 * same meaning through nft_compat; the kernel owns the target's data.
 */
static void rbi_e_queue(struct rbi_nft_ctx *c, uint16_t num, uint16_t total)
{
	const struct rbi_nft_queue *q = &c->plan->queue;
	struct xt_NFQ_info_v3 *info;
	struct nftnl_expr *e;

	if (q->kind == RBI_NFT_QUEUE_NATIVE) {
		e = nftnl_expr_alloc("queue");
		if (e) {
			nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_NUM, num);
			nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_TOTAL, total);
			nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_FLAGS,
					   q->bypass ? NFT_QUEUE_FLAG_BYPASS :
					   0);
		}
		rbi_e_add(c, e);
		return;
	}
	e = nftnl_expr_alloc("target");
	info = calloc(1, XT_ALIGN(sizeof(*info)));
	if (e && info) {
		info->queuenum = num;
		info->queues_total = total;
		info->flags = q->bypass ? NFQ_FLAG_BYPASS : 0;
		nftnl_expr_set_str(e, NFTNL_EXPR_TG_NAME, "NFQUEUE");
		nftnl_expr_set_u32(e, NFTNL_EXPR_TG_REV, 3);
		nftnl_expr_set(e, NFTNL_EXPR_TG_INFO, info,
			       XT_ALIGN(sizeof(*info)));
		info = NULL;
	}
	free(info);
	rbi_e_add(c, e);
}

/*
 * A datagram that looks like QUIC with a long header: the form and fixed
 * bits, a version that is not 0, a destination connection ID of at most
 * 20 bytes (what the ruleset can read at fixed offsets of what
 * rbi_insp_is_quic() checks; the daemon checks the rest).
 */
static void rbi_e_quic_shape(struct rbi_nft_ctx *c)
{
	uint8_t bits = 0xc0, none = 0, cid = 20;
	uint32_t zero = 0;

	rbi_e_payload(c, NFT_PAYLOAD_INNER_HEADER, 0, 1, NFT_REG_1);
	rbi_e_bitwise(c, &bits, &none, sizeof(bits));
	rbi_e_cmp(c, NFT_CMP_EQ, &bits, sizeof(bits));
	rbi_e_payload(c, NFT_PAYLOAD_INNER_HEADER, 1, 4, NFT_REG_1);
	rbi_e_cmp(c, NFT_CMP_NEQ, &zero, sizeof(zero));
	rbi_e_payload(c, NFT_PAYLOAD_INNER_HEADER, 5, 1, NFT_REG_1);
	rbi_e_cmp(c, NFT_CMP_LTE, &cid, sizeof(cid));
}

/*
 * The segment carries data: its first byte past the transport header
 * loads (masked to nothing, it matches whatever it is); without data the
 * rule ends here.
 */
static void rbi_e_has_data(struct rbi_nft_ctx *c)
{
	uint8_t zero = 0;

	rbi_e_payload(c, NFT_PAYLOAD_INNER_HEADER, 0, 1, NFT_REG_1);
	rbi_e_bitwise(c, &zero, &zero, sizeof(zero));
	rbi_e_cmp(c, NFT_CMP_EQ, &zero, sizeof(zero));
}

/* `meta mark & 0xff000000 == value`: a decision of the daemon, or none. */
static void rbi_e_qmark(struct rbi_nft_ctx *c, uint32_t value)
{
	uint32_t mask = RBI_NFT_QMARK_MASK, zero = 0;

	rbi_e_meta(c, NFT_META_MARK);
	rbi_e_bitwise(c, &mask, &zero, sizeof(mask));
	rbi_e_cmp(c, NFT_CMP_EQ, &value, sizeof(value));
}

/*
 * `meta mark set meta mark & 0x00ffffff | value`: the top byte is
 * rbiblock's, the operator's bits stay.
 */
static void rbi_e_qmark_set(struct rbi_nft_ctx *c, uint32_t value)
{
	uint32_t keep = ~(uint32_t)RBI_NFT_QMARK_MASK;

	rbi_e_meta(c, NFT_META_MARK);
	rbi_e_bitwise(c, &keep, &value, sizeof(keep));
	rbi_e_key(c, "meta", NFTNL_EXPR_META_KEY, NFT_META_MARK,
		  NFTNL_EXPR_META_SREG);
}

/*
 * `ct label set` of "decided" and of bit (another label bit, or again
 * "decided"), as the module sets them. Having such a rule in the table is
 * also what makes conntrack give new flows their labels.
 */
static void rbi_e_set_labels(struct rbi_nft_ctx *c, unsigned int bit)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");
	uint8_t bits[16] = { 0 };

	bits[RBI_CT_LABEL_DECIDED / 8] |= 1u << (RBI_CT_LABEL_DECIDED % 8);
	bits[bit / 8] |= (uint8_t)(1u << (bit % 8));
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_1);
		nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, bits, sizeof(bits));
	}
	rbi_e_add(c, e);
	rbi_e_key(c, "ct", NFTNL_EXPR_CT_KEY, NFT_CT_LABELS,
		  NFTNL_EXPR_CT_SREG);
}

/* Checked, so that the flow's later packets skip the checks, and let go. */
static void rbi_e_accept_checked(struct rbi_nft_ctx *c)
{
	rbi_e_set_checked(c);
	rbi_e_verdict(c, NF_ACCEPT, NULL);
}

/*
 * Ends a rule that lets a flow go: checked; in the queue backend, on to be
 * inspected first (which checks it once decided).
 */
static void rbi_e_pass(struct rbi_nft_ctx *c)
{
	if (rbi_queued(c))
		rbi_e_verdict(c, NFT_GOTO, RBI_NFT_CH_INSPECT);
	else
		rbi_e_accept_checked(c);
}

/*
 * Holds the packet for the daemon, the way it goes (0 from the flow's
 * initiator, RBI_NFT_QMARK_REPLY to it) in the top byte of its mark.
 */
static void rbi_e_hold(struct rbi_nft_ctx *c, uint32_t way)
{
	rbi_e_qmark_set(c, way);
	rbi_e_queue(c, RBI_NFT_QUEUE_FIRST, c->plan->queue.n);
}

/* `flow add @rbiblock_ft`. */
static void rbi_e_flow_add(struct rbi_nft_ctx *c)
{
	struct nftnl_expr *e = nftnl_expr_alloc("flow_offload");

	if (e)
		nftnl_expr_set_str(e, NFTNL_EXPR_FLOW_TABLE_NAME,
				   RBI_NFT_FLOWTABLE);
	rbi_e_add(c, e);
}

/* ---- objects ---- */

static void rbi_nft_set_comment(struct rbi_nft_ctx *c, void *obj,
				void (*set)(void *, uint16_t, const void *,
					    uint32_t),
				uint16_t attr, uint8_t type, const char *text)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(RBI_NFT_COMMENT_MAX +
							  8);
	char cut[RBI_NFT_COMMENT_MAX];

	if (!u) {
		c->o->failed = true;
		return;
	}
	snprintf(cut, sizeof(cut), "%s", text);
	nftnl_udata_put_strz(u, type, cut);
	set(obj, attr, nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
}

static void rbi_nft_rule_udata(void *r, uint16_t a, const void *d, uint32_t n)
{
	nftnl_rule_set_data(r, a, d, n);
}

static void rbi_chain_udata(void *ch, uint16_t a, const void *d, uint32_t n)
{
	nftnl_chain_set_data(ch, a, d, n);
}

static void rbi_set_udata(void *s, uint16_t a, const void *d, uint32_t n)
{
	nftnl_set_set_data(s, a, d, n);
}

static void rbi_elem_udata(void *e, uint16_t a, const void *d, uint32_t n)
{
	nftnl_set_elem_set(e, a, d, n);
}

static void rbi_nft_rule_begin(struct rbi_nft_ctx *c, const char *chain)
{
	c->r = nftnl_rule_alloc();
	if (!c->r) {
		c->o->failed = true;
		return;
	}
	nftnl_rule_set_u32(c->r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	nftnl_rule_set_str(c->r, NFTNL_RULE_TABLE, RBI_NFT_TABLE);
	nftnl_rule_set_str(c->r, NFTNL_RULE_CHAIN, chain);
}

static void rbi_nft_rule_end(struct rbi_nft_ctx *c, const char *comment)
{
	if (!c->r)
		return;
	rbi_nft_set_comment(c, c->r, rbi_nft_rule_udata, NFTNL_RULE_USERDATA,
			    NFTNL_UDATA_RULE_COMMENT, comment);
	rbi_nft_objs_add_rule(c->o, c->r);
	c->r = NULL;
}

/* A chain; a base chain of hook at priority prio when hook >= 0. */
static void rbi_chain_add_at(struct rbi_nft_ctx *c, const char *name,
			     int hook, int prio, const char *comment)
{
	struct nftnl_chain *ch = nftnl_chain_alloc();

	if (!ch) {
		c->o->failed = true;
		return;
	}
	nftnl_chain_set_u32(ch, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, RBI_NFT_TABLE);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, name);
	if (hook >= 0) {
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM, (uint32_t)hook);
		nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, prio);
		nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, "filter");
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	rbi_nft_set_comment(c, ch, rbi_chain_udata, NFTNL_CHAIN_USERDATA,
			    NFTNL_UDATA_CHAIN_COMMENT, comment);
	rbi_nft_objs_add_chain(c->o, ch);
}

static void rbi_chain_add(struct rbi_nft_ctx *c, const char *name,
			  int hook, const char *comment)
{
	rbi_chain_add_at(c, name, hook, RBI_NFT_PRIORITY, comment);
}

static void rbi_set_name(enum rbi_nft_set s, enum rbi_nft_family f,
			 char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", rbi_nft_set_info(s)->name,
		 f == RBI_NFT_V4_IDX ? RBI_NFT_V4 : RBI_NFT_V6);
}

/* The key bytes of an element: address, then (concatenations) a port. */
static uint32_t rbi_elem_key(const uint8_t *addr, uint16_t port, bool ports,
			     size_t w, uint8_t *key)
{
	uint16_t be = htons(port);

	memset(key, 0, 20);
	memcpy(key, addr, w);
	if (!ports)
		return (uint32_t)w;
	memcpy(key + w, &be, sizeof(be));
	return (uint32_t)w + 4;
}

static struct nftnl_set_elem *rbi_elem_new(struct rbi_nft_ctx *c,
					   struct nftnl_set *s)
{
	struct nftnl_set_elem *e = nftnl_set_elem_alloc();

	if (!e)
		c->o->failed = true;
	else
		nftnl_set_elem_add(s, e);
	return e;
}

/* Where a map sends a verdict; an address it allows may still be named. */
static void rbi_elem_verdict(struct rbi_nft_ctx *c, struct nftnl_set_elem *e,
			     uint32_t verdict)
{
	char chain[64];
	const char *name = rbi_nft_verdict_chain(verdict, chain,
						 sizeof(chain));

	if (!name && rbi_queued(c))
		name = RBI_NFT_CH_INSPECT;
	if (name) {
		nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_VERDICT,
				       (uint32_t)NFT_GOTO);
		nftnl_set_elem_set_str(e, NFTNL_SET_ELEM_CHAIN, name);
	} else {
		nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_VERDICT, NF_ACCEPT);
	}
}

/* A port-range element: its start, and an end one past it (none at 65535). */
static void rbi_elem_port(struct rbi_nft_ctx *c, struct nftnl_set *s,
			  struct nftnl_set_elem *e,
			  const struct rbi_nft_set_info *info,
			  const struct rbi_nft_elem *x)
{
	uint16_t be = htons(x->port_lo);

	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &be, sizeof(be));
	if (info->map)
		rbi_elem_verdict(c, e, x->verdict);
	if (x->comment)
		rbi_nft_set_comment(c, e, rbi_elem_udata,
				    NFTNL_SET_ELEM_USERDATA,
				    NFTNL_UDATA_SET_ELEM_COMMENT, x->comment);
	if (x->port_hi == RBI_PORT_MAX)
		return;
	e = rbi_elem_new(c, s);
	if (!e)
		return;
	be = htons((uint16_t)(x->port_hi + 1));
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &be, sizeof(be));
	nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_FLAGS,
			       NFT_SET_ELEM_INTERVAL_END);
}

/*
 * One plan element. Single-field interval sets take a start element and an
 * end element one past the last address (none at the top of the space);
 * concatenations take both ends, inclusive, in one element.
 */
static void rbi_elem_add(struct rbi_nft_ctx *c, struct nftnl_set *s,
			 const struct rbi_nft_set_info *info, size_t w,
			 const struct rbi_nft_elem *x)
{
	struct nftnl_set_elem *e = rbi_elem_new(c, s);
	uint8_t key[20], end[16];
	uint32_t n;
	size_t i;

	if (!e)
		return;
	if (info->port_only) {
		rbi_elem_port(c, s, e, info, x);
		return;
	}
	n = rbi_elem_key(x->lo, x->port_lo, info->ports, w, key);
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key, n);
	if (info->ports) {
		n = rbi_elem_key(x->hi, x->port_hi, true, w, key);
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY_END, key, n);
	}
	if (info->map)
		rbi_elem_verdict(c, e, x->verdict);
	if (x->comment)
		rbi_nft_set_comment(c, e, rbi_elem_udata,
				    NFTNL_SET_ELEM_USERDATA,
				    NFTNL_UDATA_SET_ELEM_COMMENT, x->comment);
	if (info->ports)
		return;
	memcpy(end, x->hi, 16);
	for (i = w; i--;)
		if (++end[i])
			break;
	if (i == (size_t)-1)
		return;
	e = rbi_elem_new(c, s);
	if (!e)
		return;
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, end, (uint32_t)w);
	nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_FLAGS,
			       NFT_SET_ELEM_INTERVAL_END);
}

static void rbi_set_add(struct rbi_nft_ctx *c, enum rbi_nft_set which,
			enum rbi_nft_family f)
{
	const struct rbi_nft_set_info *info = rbi_nft_set_info(which);
	const struct rbi_nft_elems *el = &c->plan->sets[which][f];
	uint32_t w = (uint32_t)rbi_nft_width(f);
	uint32_t type = f == RBI_NFT_V4_IDX ? RBI_NFT_TYPE_IPADDR :
			RBI_NFT_TYPE_IP6ADDR;
	uint32_t flags = info->timeout ? NFT_SET_TIMEOUT : NFT_SET_INTERVAL;
	struct nftnl_set *s = nftnl_set_alloc();
	uint8_t fields[2] = { (uint8_t)w, 2 };
	char name[64];
	size_t i;

	if (!s) {
		c->o->failed = true;
		return;
	}
	rbi_set_name(which, f, name, sizeof(name));
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
	nftnl_set_set_str(s, NFTNL_SET_TABLE, RBI_NFT_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	if (info->port_only) {
		type = RBI_NFT_TYPE_INET_SERVICE;
		w = 2;
	} else if (info->ports) {
		flags |= NFT_SET_CONCAT;
		type = type << RBI_NFT_TYPE_BITS | RBI_NFT_TYPE_INET_SERVICE;
		w += 4;
		nftnl_set_set_data(s, NFTNL_SET_DESC_CONCAT, fields,
				   sizeof(fields));
	}
	if (info->map) {
		flags |= NFT_SET_MAP;
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, NFT_DATA_VERDICT);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, RBI_NFT_VERDICT_LEN);
	}
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, w);
	nftnl_set_set_u32(s, NFTNL_SET_ID, (uint32_t)c->o->n_sets + 1);
	rbi_nft_set_comment(c, s, rbi_set_udata, NFTNL_SET_USERDATA,
			    NFTNL_UDATA_SET_COMMENT, info->comment);
	for (i = 0; i < el->n; i++)
		rbi_elem_add(c, s, info, rbi_nft_width(f), &el->v[i]);
	rbi_nft_objs_add_set(c->o, s);
}

/* ---- the chains ---- */

/* "rbiblock block prohibit-rbi", with " module" for the module's. */
static void rbi_log_prefix(const char *act, enum rbi_rule rule, bool module,
			   char *buf, size_t len)
{
	snprintf(buf, len, RBI_NFT_LOG_PREFIX "%s %s%s", act, rbi_rule_id(rule),
		 module ? " " RBI_NFT_BY_MODULE : "");
}

/* Ends a rule the way a verdict says: log and drop, or log, or accept. */
static void rbi_nft_rule_action_by(struct rbi_nft_ctx *c, uint32_t verdict,
			       bool module, const char *comment)
{
	char prefix[64];

	rbi_e_counter(c);
	switch (RBI_NFT_ACTION(verdict)) {
	case RBI_NFT_BLOCK:
		rbi_log_prefix(RBI_NFT_ACT_BLOCK, RBI_NFT_RULE(verdict),
			       module, prefix, sizeof(prefix));
		rbi_e_log(c, RBI_NFLOG_BLOCK, prefix);
		rbi_e_verdict(c, NF_DROP, NULL);
		break;
	case RBI_NFT_LOG:
		rbi_log_prefix(RBI_NFT_ACT_LOG, RBI_NFT_RULE(verdict), module,
			       prefix, sizeof(prefix));
		rbi_e_log(c, RBI_NFLOG_BLOCK, prefix);
		/* Recorded once: its later packets take the fast path. */
		rbi_e_pass(c);
		break;
	default:
		rbi_e_verdict(c, NF_ACCEPT, NULL);
		break;
	}
	rbi_nft_rule_end(c, comment);
}

static void rbi_nft_rule_action(struct rbi_nft_ctx *c, uint32_t verdict,
			    const char *comment)
{
	rbi_nft_rule_action_by(c, verdict, false, comment);
}

/* block_<rule> and log_<rule>: where the verdict maps send packets. */
static void rbi_chains_verdicts(struct rbi_nft_ctx *c)
{
	static const enum rbi_rule rules[] = {
		RBI_RULE_PROHIBIT_RBI, RBI_RULE_PROHIBIT_CATEGORISATION,
		RBI_RULE_PROHIBIT_EMOTION,
	};
	static const enum rbi_nft_action acts[] = { RBI_NFT_BLOCK,
						    RBI_NFT_LOG };
	const struct rbi_policy *p = c->plan->p;
	char chain[64], what[RBI_NFT_COMMENT_MAX];
	uint32_t v;
	size_t i, k;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		for (k = 0; k < 2; k++) {
			v = RBI_NFT_VERDICT(acts[k], rules[i]);
			rbi_nft_verdict_chain(v, chain, sizeof(chain));
			snprintf(what, sizeof(what), "%s: %s",
				 rbi_rule_id(rules[i]),
				 k ? "shared hosts, logged and allowed" :
				 p->rules[rules[i]].what);
			rbi_chain_add(c, chain, -1, what);
			rbi_nft_rule_begin(c, chain);
			rbi_nft_rule_action(c, v, rbi_rule_id(rules[i]));
		}
	}
}

/* The module's verdicts, present whether or not it is loaded. */
static void rbi_chain_module(struct rbi_nft_ctx *c)
{
	char comment[RBI_NFT_COMMENT_MAX];
	unsigned int rule;

	rbi_chain_add(c, RBI_NFT_CH_MODULE, -1,
		      "verdicts rbiblock.ko wrote into conntrack labels");
	for (rule = RBI_RULE_NONE + 1; rule < __RBI_RULE_MAX; rule++) {
		rbi_nft_rule_begin(c, RBI_NFT_CH_MODULE);
		rbi_e_ct_label(c, RBI_CT_LABEL_RULE(rule));
		snprintf(comment, sizeof(comment), "%s (module)",
			 rbi_rule_id(rule));
		rbi_nft_rule_action_by(c, RBI_NFT_VERDICT(RBI_NFT_BLOCK, rule),
				   true, comment);
	}
	/* Logged flows: a few packets a second is a record, not a flood. */
	rbi_nft_rule_begin(c, RBI_NFT_CH_MODULE);
	rbi_e_ct_label(c, RBI_CT_LABEL_LOG);
	rbi_e_counter(c);
	rbi_e_limit(c, 5);
	rbi_e_log(c, RBI_NFLOG_BLOCK, RBI_NFT_LOG_PREFIX RBI_NFT_ACT_LOG " "
		  RBI_NFT_BY_MODULE);
	rbi_nft_rule_end(c, "allowed but recorded (module)");
}

static void rbi_nft_rule_vmap(struct rbi_nft_ctx *c, const char *chain,
			  enum rbi_nft_set which, enum rbi_nft_family f,
			  bool src, const char *comment)
{
	char name[64];

	rbi_set_name(which, f, name, sizeof(name));
	rbi_nft_rule_begin(c, chain);
	rbi_e_counter(c);
	rbi_e_addr(c, f, src);
	rbi_e_lookup(c, name, true);
	rbi_nft_rule_end(c, comment);
}

/* ip daddr . tcp dport vmap @service_net_ports_v4, and the like. */
static void rbi_rule_addr_port(struct rbi_nft_ctx *c, const char *chain,
			       enum rbi_nft_set which, enum rbi_nft_family f,
			       uint8_t proto, bool src, uint32_t port_off,
			       const char *comment)
{
	const struct rbi_nft_set_info *info = rbi_nft_set_info(which);
	char name[64];

	rbi_set_name(which, f, name, sizeof(name));
	rbi_nft_rule_begin(c, chain);
	if (info->map)
		rbi_e_counter(c);
	rbi_e_nfproto(c, f);
	rbi_e_l4proto(c, proto);
	rbi_e_addr_load(c, f, src);
	rbi_e_port(c, port_off, f == RBI_NFT_V4_IDX ? RBI_NFT_REG_PORT_V4 :
		   RBI_NFT_REG_PORT_V6);
	if (info->map) {
		rbi_e_lookup(c, name, true);
		rbi_nft_rule_end(c, info->comment);
		return;
	}
	rbi_e_lookup(c, name, false);
	rbi_e_counter(c);
	rbi_e_pass(c);
	rbi_nft_rule_end(c, comment);
}

static const uint8_t rbi_nft_protos[] = { IPPROTO_TCP, IPPROTO_UDP };

/* Whether rules for protocol proto read set which. */
static bool rbi_set_for(enum rbi_nft_set which, uint8_t proto)
{
	uint8_t l4 = rbi_nft_set_info(which)->l4;

	return !l4 || l4 == proto;
}

static void rbi_rules_both_l4(struct rbi_nft_ctx *c, const char *chain,
			      enum rbi_nft_set which, bool src,
			      uint32_t port_off, const char *comment)
{
	size_t f, i;

	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		for (i = 0; i < 2; i++)
			if (c->plan->sets[which][f].n &&
			    rbi_set_for(which, rbi_nft_protos[i]))
				rbi_rule_addr_port(c, chain, which, f,
						   rbi_nft_protos[i], src,
						   port_off, comment ? comment :
						   rbi_nft_set_info(which)->
						   comment);
}

/* tcp dport vmap @service_ports_v4: what no longer prefix decided. */
static void rbi_rules_sigs(struct rbi_nft_ctx *c, enum rbi_nft_set which)
{
	const struct rbi_nft_set_info *info = rbi_nft_set_info(which);
	char name[64];
	size_t f, i;

	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++) {
		if (!c->plan->sets[which][f].n)
			continue;
		rbi_set_name(which, f, name, sizeof(name));
		for (i = 0; i < 2; i++) {
			if (!rbi_set_for(which, rbi_nft_protos[i]))
				continue;
			rbi_nft_rule_begin(c, RBI_NFT_CH_EGRESS);
			rbi_e_counter(c);
			rbi_e_nfproto(c, f);
			rbi_e_l4proto(c, rbi_nft_protos[i]);
			rbi_e_port(c, RBI_TH_DPORT, NFT_REG_1);
			rbi_e_lookup(c, name, true);
			rbi_nft_rule_end(c, info->comment);
		}
	}
}

static void rbi_rules_doh(struct rbi_nft_ctx *c)
{
	char name[64], comment[RBI_NFT_COMMENT_MAX];
	size_t f;

	if (!c->plan->doh)
		return;
	snprintf(comment, sizeof(comment), "%s: DNS-over-HTTPS resolvers "
		 "would hide names from DNS learning", rbi_rule_id(RBI_RULE_DOH));
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++) {
		if (!c->plan->sets[RBI_NFT_SET_DOH][f].n)
			continue;
		rbi_set_name(RBI_NFT_SET_DOH, f, name, sizeof(name));
		rbi_nft_rule_begin(c, RBI_NFT_CH_EGRESS);
		rbi_e_addr(c, f, false);
		rbi_e_lookup(c, name, false);
		rbi_e_port_eq(c, RBI_TH_DPORT, RBI_PORT_HTTPS);
		rbi_nft_rule_action(c, c->plan->doh, comment);
	}
}

/*
 * DNS that learning can't read, as rbi_classify() treats it: over TLS or
 * QUIC (port 853), and, when the policy names its resolvers, DNS to any
 * other server (of a family without resolvers: to any server at all).
 */
static void rbi_rules_dns_unseen(struct rbi_nft_ctx *c)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	const struct rbi_nft_elems *res = c->plan->sets[RBI_NFT_SET_RESOLVERS];
	char name[64], comment[RBI_NFT_COMMENT_MAX];
	size_t f, i;

	if (!c->plan->doh)
		return;
	snprintf(comment, sizeof(comment), "%s: DNS over TLS or QUIC would "
		 "hide names from DNS learning", rbi_rule_id(RBI_RULE_DOH));
	for (i = 0; i < 2; i++) {
		rbi_nft_rule_begin(c, RBI_NFT_CH_EGRESS);
		rbi_e_l4proto(c, protos[i]);
		rbi_e_port_eq(c, RBI_TH_DPORT, RBI_PORT_DOT);
		rbi_nft_rule_action(c, c->plan->doh, comment);
	}
	if (!res[RBI_NFT_V4_IDX].n && !res[RBI_NFT_V6_IDX].n)
		return;
	snprintf(comment, sizeof(comment), "%s: DNS to a server that is not "
		 "one of the policy's resolvers", rbi_rule_id(RBI_RULE_DOH));
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++) {
		rbi_set_name(RBI_NFT_SET_RESOLVERS, f, name, sizeof(name));
		for (i = 0; i < 2; i++) {
			rbi_nft_rule_begin(c, RBI_NFT_CH_EGRESS);
			rbi_e_l4proto(c, protos[i]);
			rbi_e_port_eq(c, RBI_TH_DPORT, RBI_PORT_DNS);
			if (res[f].n) {
				rbi_e_addr(c, f, false);
				rbi_e_lookup_flags(c, name, false,
						   NFT_LOOKUP_F_INV);
			} else {
				rbi_e_nfproto(c, f);
			}
			rbi_nft_rule_action(c, c->plan->doh, comment);
		}
	}
}

static void rbi_rule_quic(struct rbi_nft_ctx *c)
{
	char comment[RBI_NFT_COMMENT_MAX];

	if (!c->plan->quic)
		return;
	snprintf(comment, sizeof(comment), "%s: QUIC hides the server name; "
		 "clients fall back to TLS", rbi_rule_id(RBI_RULE_QUIC));
	rbi_nft_rule_begin(c, RBI_NFT_CH_EGRESS);
	rbi_e_l4proto(c, IPPROTO_UDP);
	rbi_e_port_eq(c, RBI_TH_DPORT, RBI_PORT_HTTPS);
	rbi_nft_rule_action(c, c->plan->quic, comment);
}

static void rbi_rule_fail_closed(struct rbi_nft_ctx *c, const char *why)
{
	char comment[RBI_NFT_COMMENT_MAX];

	snprintf(comment, sizeof(comment), "%s: %s",
		 rbi_rule_id(RBI_RULE_FAIL_CLOSED), why);
	rbi_nft_rule_begin(c, RBI_NFT_CH_EGRESS);
	rbi_nft_rule_action(c, RBI_NFT_VERDICT(RBI_NFT_BLOCK,
					   RBI_RULE_FAIL_CLOSED), comment);
}

/*
 * Flows that cameras in public zones open, in rbi_classify's order:
 * learned addresses, service networks, recorders, then the enforce
 * settings. Names (SNI, Host) are the module's.
 */
static void rbi_chain_egress(struct rbi_nft_ctx *c, const char *fail_closed)
{
	size_t f;

	rbi_chain_add(c, RBI_NFT_CH_EGRESS, -1,
		      "flows that cameras in publicly accessible zones open");
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		rbi_nft_rule_vmap(c, RBI_NFT_CH_EGRESS, RBI_NFT_MAP_LEARNED, f,
			      false, "addresses of service names, learned "
			      "from DNS answers");
	/* Before the address map: it holds what other protocols meet there. */
	rbi_rules_both_l4(c, RBI_NFT_CH_EGRESS, RBI_NFT_MAP_SVC_PORTS_TCP,
			  false, RBI_TH_DPORT, NULL);
	rbi_rules_both_l4(c, RBI_NFT_CH_EGRESS, RBI_NFT_MAP_SVC_PORTS_UDP,
			  false, RBI_TH_DPORT, NULL);
	rbi_rules_both_l4(c, RBI_NFT_CH_EGRESS, RBI_NFT_MAP_SVC_PORTS, false,
			  RBI_TH_DPORT, NULL);
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		if (c->plan->sets[RBI_NFT_MAP_SVC_NETS][f].n)
			rbi_nft_rule_vmap(c, RBI_NFT_CH_EGRESS,
				      RBI_NFT_MAP_SVC_NETS, f, false,
				      "service networks, any port");
	rbi_rules_sigs(c, RBI_NFT_MAP_SVC_SIGS);
	rbi_rules_sigs(c, RBI_NFT_MAP_SVC_SIGS_TCP);
	rbi_rules_sigs(c, RBI_NFT_MAP_SVC_SIGS_UDP);
	rbi_rules_both_l4(c, RBI_NFT_CH_EGRESS, RBI_NFT_SET_RECORDERS, false,
			  RBI_TH_DPORT, "recorder: where video may go");
	if (fail_closed)
		rbi_rule_fail_closed(c, fail_closed);
	rbi_rules_doh(c);
	rbi_rules_dns_unseen(c);
	rbi_rule_quic(c);
}

/*
 * A host learned from DNS opening a flow towards a camera is that service
 * as much as one in its networks is: the learned maps, by source.
 */
static void rbi_rules_learned_ingress(struct rbi_nft_ctx *c)
{
	size_t f;

	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		rbi_nft_rule_vmap(c, RBI_NFT_CH_INGRESS, RBI_NFT_MAP_LEARNED, f,
				  true, "a service host learned from DNS "
				  "opened the flow");
}

/*
 * Flows opened towards cameras in public zones: by a service host (of its
 * networks, or learned), or a stream pull (RTSP) by anyone but a recorder.
 */
static void rbi_chain_ingress(struct rbi_nft_ctx *c)
{
	static const uint16_t rtsp[] = { RBI_PORT_RTSP, RBI_PORT_RTSPS };
	char comment[RBI_NFT_COMMENT_MAX];
	size_t f, i;

	rbi_chain_add(c, RBI_NFT_CH_INGRESS, -1,
		      "flows opened towards cameras in publicly accessible "
		      "zones");
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		if (c->plan->sets[RBI_NFT_MAP_SVC_HOSTS][f].n)
			rbi_nft_rule_vmap(c, RBI_NFT_CH_INGRESS,
				      RBI_NFT_MAP_SVC_HOSTS, f, true,
				      "a service host opened the flow");
	rbi_rules_learned_ingress(c);
	/* A recorder pulls from the camera's port, or from its own. */
	rbi_rules_both_l4(c, RBI_NFT_CH_INGRESS, RBI_NFT_SET_RECORDERS, true,
			  RBI_TH_DPORT, "recorder pulling video");
	rbi_rules_both_l4(c, RBI_NFT_CH_INGRESS, RBI_NFT_SET_RECORDERS, true,
			  RBI_TH_SPORT, "recorder pulling video");
	snprintf(comment, sizeof(comment), "%s: video pulled by a host that "
		 "is not an approved recorder", rbi_rule_id(RBI_RULE_RTSP_PULL));
	for (i = 0; i < 2; i++) {
		rbi_nft_rule_begin(c, RBI_NFT_CH_INGRESS);
		rbi_e_l4proto(c, IPPROTO_TCP);
		rbi_e_port_eq(c, RBI_TH_DPORT, rtsp[i]);
		rbi_nft_rule_action(c, RBI_NFT_VERDICT(RBI_NFT_BLOCK,
						   RBI_RULE_RTSP_PULL),
				comment);
	}
}

/*
 * A DNS answer to a camera: copied for learning; in the queue backend held
 * until the daemon has learned from it, so that the camera cannot connect
 * to an address before the block is in place.
 */
static void rbi_e_dns_learn(struct rbi_nft_ctx *c)
{
	if (rbi_queued(c)) {
		rbi_e_queue(c, RBI_NFT_QUEUE_DNS, 1);
		rbi_nft_rule_end(c, "DNS answers to cameras: held until DNS "
				 "learning has read them");
		return;
	}
	rbi_e_log(c, RBI_NFLOG_DNS, NULL);
	rbi_nft_rule_end(c, "DNS answers to cameras: copy for DNS learning");
}

/*
 * DNS answers towards public zones, for DNS learning: from port 53, and
 * from 5353, which resolvers answer on too (mDNS is local and never
 * crosses the gateway).
 */
static void rbi_rules_dns_copy(struct rbi_nft_ctx *c, const char *chain)
{
	static const uint8_t protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	static const uint16_t ports[] = { RBI_PORT_DNS, RBI_PORT_MDNS };
	char name[64];
	size_t f, i;

	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++) {
		if (!c->plan->sets[RBI_NFT_SET_PUBLIC][f].n)
			continue;
		rbi_set_name(RBI_NFT_SET_PUBLIC, f, name, sizeof(name));
		/* Port first: every packet meets these rules, few match. */
		for (i = 0; i < 4; i++) {
			rbi_nft_rule_begin(c, chain);
			rbi_e_l4proto(c, protos[i % 2]);
			rbi_e_port_eq(c, RBI_TH_SPORT, ports[i / 2]);
			rbi_e_addr(c, f, false);
			rbi_e_lookup(c, name, false);
			rbi_e_counter(c);
			rbi_e_dns_learn(c);
		}
	}
}

/* Flows by zone set: to target (NFT_JUMP or NFT_GOTO), else checked. */
static void rbi_rule_jump_zone(struct rbi_nft_ctx *c, enum rbi_nft_set set,
			       enum rbi_nft_family f, bool src, int code,
			       const char *target, const char *comment)
{
	char name[64];

	if (!c->plan->sets[set][f].n)
		return;
	rbi_set_name(set, f, name, sizeof(name));
	rbi_nft_rule_begin(c, RBI_NFT_CH_FORWARD);
	rbi_e_addr(c, f, src);
	rbi_e_lookup(c, name, false);
	rbi_e_counter(c);
	if (target)
		rbi_e_verdict(c, code, target);
	else
		rbi_e_accept_checked(c);
	rbi_nft_rule_end(c, comment);
}

/* ---- the queue backend's chains ---- */

/*
 * Public-zone flows the address rules did not block are inspected, in
 * the queue backend; the rules for the camera's side already ran.
 */
static void rbi_rules_inspect_zones(struct rbi_nft_ctx *c)
{
	size_t f;

	if (!rbi_queued(c))
		return;
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		rbi_rule_jump_zone(c, RBI_NFT_SET_PUBLIC, f, true, NFT_GOTO,
				   RBI_NFT_CH_INSPECT, "inspected: a camera in "
				   "a public zone opened the flow");
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		rbi_rule_jump_zone(c, RBI_NFT_SET_PUBLIC, f, false, NFT_GOTO,
				   RBI_NFT_CH_INSPECT, "inspected: a flow "
				   "towards a camera in a public zone");
}

/*
 * A client's segment with neither data nor SYN, FIN, RST or URG (an
 * acknowledgement of the responder's bytes) tells the engine nothing: it
 * passes without a trip to the daemon, where the kernel can see that
 * (the first byte past the header does not load).
 */
static void rbi_rules_bare_acks(struct rbi_nft_ctx *c)
{
	uint8_t ctl = RBI_TCP_CTL, zero = 0;
	int data;

	if (!c->plan->queue.inner)
		return;
	for (data = 1; data >= 0; data--) {
		rbi_nft_rule_begin(c, RBI_NFT_CH_INSPECT);
		rbi_e_l4proto(c, IPPROTO_TCP);
		rbi_e_payload(c, NFT_PAYLOAD_TRANSPORT_HEADER, RBI_TH_FLAGS, 1,
			      NFT_REG_1);
		rbi_e_bitwise(c, &ctl, &zero, sizeof(ctl));
		rbi_e_cmp(c, NFT_CMP_EQ, &zero, sizeof(zero));
		if (data) {
			rbi_e_has_data(c);
			rbi_e_counter(c);
			rbi_e_hold(c, 0);
			rbi_nft_rule_end(c, "the client's data: held until "
					 "the daemon has read it");
		} else {
			rbi_e_counter(c);
			rbi_e_verdict(c, NF_ACCEPT, NULL);
			rbi_nft_rule_end(c, "the client's bare "
					 "acknowledgement: nothing to read");
		}
	}
}

/*
 * Where the queue backend's public-zone flows end once no rule blocked
 * them by address: a decided flow is checked and passes; every packet of
 * an undecided one waits in a queue until the daemon has read it.
 */
static void rbi_chain_inspect(struct rbi_nft_ctx *c)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	size_t i;

	rbi_chain_add(c, RBI_NFT_CH_INSPECT, -1, "public-zone flows the "
		      "daemon decides (queue backend)");
	rbi_nft_rule_begin(c, RBI_NFT_CH_INSPECT);
	rbi_e_ct_label(c, RBI_CT_LABEL_DECIDED);
	rbi_e_counter(c);
	rbi_e_accept_checked(c);
	rbi_nft_rule_end(c, "decided: later packets of the flow skip the "
			 "checks");
	for (i = 0; i < 2; i++) {
		rbi_nft_rule_begin(c, RBI_NFT_CH_INSPECT);
		rbi_e_l4proto(c, protos[i]);
		rbi_e_ct_new(c);
		rbi_e_counter(c);
		rbi_e_hold(c, RBI_NFT_QMARK_NEW);
		rbi_nft_rule_end(c, "a new connection: held until the daemon "
				 "has read it");
	}
	rbi_rules_bare_acks(c);
	for (i = 0; i < 2; i++) {
		rbi_nft_rule_begin(c, RBI_NFT_CH_INSPECT);
		rbi_e_l4proto(c, protos[i]);
		rbi_e_counter(c);
		rbi_e_hold(c, 0);
		rbi_nft_rule_end(c, "undecided: held until the daemon has "
				 "read it");
	}
	rbi_nft_rule_begin(c, RBI_NFT_CH_INSPECT);
	rbi_e_counter(c);
	rbi_e_accept_checked(c);
	rbi_nft_rule_end(c, "neither TCP nor UDP: decided by its addresses");
}

/*
 * Replies of undecided public-zone flows go to the daemon too: it needs
 * the responder's acknowledgements and first bytes. Flows checked or
 * decided pass at once.
 */
static void rbi_rules_inspect_replies(struct rbi_nft_ctx *c)
{
	char name[64];
	size_t f, src;

	rbi_nft_rule_begin(c, RBI_NFT_CH_REPLIES);
	rbi_e_checked(c);
	rbi_e_verdict(c, NF_ACCEPT, NULL);
	rbi_nft_rule_end(c, "the flow was checked against this ruleset");
	rbi_nft_rule_begin(c, RBI_NFT_CH_REPLIES);
	rbi_e_ct_label(c, RBI_CT_LABEL_DECIDED);
	rbi_e_verdict(c, NF_ACCEPT, NULL);
	rbi_nft_rule_end(c, "the flow was decided");
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++) {
		if (!c->plan->sets[RBI_NFT_SET_PUBLIC][f].n)
			continue;
		rbi_set_name(RBI_NFT_SET_PUBLIC, f, name, sizeof(name));
		for (src = 0; src < 2; src++) {
			rbi_nft_rule_begin(c, RBI_NFT_CH_REPLIES);
			rbi_e_addr(c, f, src);
			rbi_e_lookup(c, name, false);
			rbi_e_counter(c);
			rbi_e_hold(c, RBI_NFT_QMARK_REPLY);
			rbi_nft_rule_end(c, "a reply of an undecided public-"
					 "zone flow: held until the daemon "
					 "has read it");
		}
	}
}

/*
 * A UDP flow allowed before it showed QUIC: a datagram that looks like a
 * QUIC long header goes to the daemon again, ahead of the fast path, on
 * kernels that can read it.
 */
static void rbi_rule_quic_watch(struct rbi_nft_ctx *c)
{
	if (!rbi_queued(c) || !c->plan->queue.inner)
		return;
	rbi_nft_rule_begin(c, RBI_NFT_CH_FORWARD);
	rbi_e_l4proto(c, IPPROTO_UDP);
	rbi_e_ct_label(c, RBI_CT_LABEL_QUIC_WATCH);
	rbi_e_ct_dir(c, RBI_CT_DIR_ORIGINAL);
	rbi_e_quic_shape(c);
	rbi_e_counter(c);
	rbi_e_hold(c, 0);
	rbi_nft_rule_end(c, "QUIC on a UDP flow allowed before it showed "
			 "QUIC: held for the daemon");
}

/*
 * The daemon's decisions, as its verdicts marked the packets it held: a
 * base chain right after the one that queued them, which is where the
 * kernel takes a packet on once a verdict lets it go. The decision goes
 * into the conntrack labels (the module's bits), the packet is blocked and
 * logged as a module verdict would be, or checked and let go. Every other
 * packet meets one rule here.
 */
static void rbi_chain_qverdicts(struct rbi_nft_ctx *c)
{
	static const struct {
		uint32_t mark;
		unsigned int bit;
		const char *what;
	} allow[] = {
		{ RBI_NFT_QMARK_ALLOW, RBI_CT_LABEL_DECIDED,
		  "allowed (queue)" },
		{ RBI_NFT_QMARK_WATCH, RBI_CT_LABEL_QUIC_WATCH,
		  "allowed, QUIC watched for (queue)" },
		{ RBI_NFT_QMARK_LOG, RBI_CT_LABEL_LOG,
		  "allowed and recorded (queue)" },
	};
	char comment[RBI_NFT_COMMENT_MAX];
	unsigned int rule;
	size_t i;

	rbi_chain_add_at(c, RBI_NFT_CH_QVERDICTS, NF_INET_FORWARD,
			 RBI_NFT_PRIORITY + 1, "the daemon's decisions on "
			 "flows it inspected (queue backend)");
	rbi_nft_rule_begin(c, RBI_NFT_CH_QVERDICTS);
	rbi_e_qmark(c, 0);
	rbi_e_verdict(c, NF_ACCEPT, NULL);
	rbi_nft_rule_end(c, "no decision of the daemon");
	/* Let through by the bypass with no daemon: its way byte put back. */
	for (i = 0; i < 2; i++) {
		rbi_nft_rule_begin(c, RBI_NFT_CH_QVERDICTS);
		rbi_e_qmark(c, i ? RBI_NFT_QMARK_NEW : RBI_NFT_QMARK_REPLY);
		rbi_e_qmark_set(c, 0);
		rbi_e_verdict(c, NF_ACCEPT, NULL);
		rbi_nft_rule_end(c, "not held: no daemon (on-failure: open)");
	}
	for (i = 0; i < sizeof(allow) / sizeof(allow[0]); i++) {
		rbi_nft_rule_begin(c, RBI_NFT_CH_QVERDICTS);
		rbi_e_qmark(c, allow[i].mark);
		rbi_e_set_labels(c, allow[i].bit);
		rbi_e_qmark_set(c, 0);
		rbi_e_counter(c);
		rbi_e_accept_checked(c);
		rbi_nft_rule_end(c, allow[i].what);
	}
	for (rule = RBI_RULE_NONE + 1; rule < __RBI_RULE_MAX; rule++) {
		rbi_nft_rule_begin(c, RBI_NFT_CH_QVERDICTS);
		rbi_e_qmark(c, RBI_NFT_QMARK_BLOCK(rule));
		rbi_e_set_labels(c, RBI_CT_LABEL_RULE(rule));
		snprintf(comment, sizeof(comment), "%s (queue)",
			 rbi_rule_id(rule));
		rbi_nft_rule_action_by(c, RBI_NFT_VERDICT(RBI_NFT_BLOCK, rule),
				       true, comment);
	}
}

static void rbi_rule_module_jump(struct rbi_nft_ctx *c, const char *chain)
{
	rbi_nft_rule_begin(c, chain);
	rbi_e_module_verdict(c, NFT_CMP_NEQ);
	rbi_e_counter(c);
	rbi_e_verdict(c, NFT_JUMP, RBI_NFT_CH_MODULE);
	rbi_nft_rule_end(c, "flows rbiblock.ko blocked or marked for logging");
}

/* ---- rbiblock.ko in use: no verdict, no payload ---- */

/*
 * Where packets of public zones go that rbiblock.ko has no verdict on:
 * dropped and counted. Not logged: conntrack's INVALID packets (late
 * retransmissions of closed connections among them) would flood the
 * audit log with records of nothing.
 */
static void rbi_chain_no_verdict(struct rbi_nft_ctx *c)
{
	char name[64], comment[RBI_NFT_COMMENT_MAX];
	size_t f;
	int src;

	rbi_chain_add(c, RBI_NFT_CH_NO_VERDICT, -1, "packets of publicly "
		      "accessible zones that rbiblock.ko has no verdict on");
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++) {
		if (!c->plan->sets[RBI_NFT_SET_PUBLIC][f].n)
			continue;
		rbi_set_name(RBI_NFT_SET_PUBLIC, f, name, sizeof(name));
		for (src = 1; src >= 0; src--) {
			snprintf(comment, sizeof(comment), "%s: %s a camera, "
				 "no verdict, no payload",
				 rbi_rule_id(RBI_RULE_FAIL_CLOSED),
				 src ? "from" : "to");
			rbi_nft_rule_begin(c, RBI_NFT_CH_NO_VERDICT);
			rbi_e_addr(c, f, src);
			rbi_e_lookup(c, name, false);
			rbi_e_counter(c);
			rbi_e_verdict(c, NF_DROP, NULL);
			rbi_nft_rule_end(c, comment);
		}
	}
}

/*
 * Sends to no_verdict what the module never read: TCP and UDP packets
 * conntrack could not place (INVALID, untracked), and flows with neither
 * a verdict nor the module's "inspecting" mark (older than its
 * configuration, or packets it could not parse).
 */
static void rbi_rules_no_verdict(struct rbi_nft_ctx *c, const char *chain)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	uint32_t states = NF_CT_STATE_INVALID_BIT |
			  NF_CT_STATE_UNTRACKED_BIT, zero = 0;
	uint8_t seen[16] = { 0 };
	size_t i;

	for (i = 0; i < 2; i++) {
		rbi_nft_rule_begin(c, chain);
		rbi_e_l4proto(c, protos[i]);
		rbi_e_ct_masked(c, NFT_CT_STATE, &states, &zero,
				sizeof(states));
		rbi_e_cmp(c, NFT_CMP_NEQ, &zero, sizeof(zero));
		rbi_e_counter(c);
		rbi_e_verdict(c, NFT_JUMP, RBI_NFT_CH_NO_VERDICT);
		rbi_nft_rule_end(c, "conntrack could not place it");
	}
	rbi_label_bit(seen, RBI_CT_LABEL_DECIDED);
	rbi_label_bit(seen, RBI_CT_LABEL_INSPECTING);
	rbi_nft_rule_begin(c, chain);
	rbi_e_ct_label_mask(c, seen, NFT_CMP_EQ);
	rbi_e_counter(c);
	rbi_e_verdict(c, NFT_JUMP, RBI_NFT_CH_NO_VERDICT);
	rbi_nft_rule_end(c, "rbiblock.ko neither decided nor is inspecting "
			 "the flow");
}

/*
 * The gateway's own flows (a local resolver, proxy or recorder talking
 * with cameras): rbiblock.ko decides them in its input and output hooks,
 * and its verdicts hold there as they do for forwarded flows.
 */
static void rbi_chain_input(struct rbi_nft_ctx *c)
{
	rbi_chain_add(c, RBI_NFT_CH_INPUT, NF_INET_LOCAL_IN,
		      "rbiblock: traffic to the gateway itself");
	rbi_rule_module_jump(c, RBI_NFT_CH_INPUT);
	rbi_rules_no_verdict(c, RBI_NFT_CH_INPUT);
}

/* ---- rbiblock's own flowtable ---- */

struct nftnl_flowtable *rbi_nft_flowtable_new(const char **devs)
{
	struct nftnl_flowtable *ft = nftnl_flowtable_alloc();

	if (!ft)
		return NULL;
	nftnl_flowtable_set_u32(ft, NFTNL_FLOWTABLE_FAMILY, NFPROTO_INET);
	nftnl_flowtable_set_str(ft, NFTNL_FLOWTABLE_TABLE, RBI_NFT_TABLE);
	nftnl_flowtable_set_str(ft, NFTNL_FLOWTABLE_NAME, RBI_NFT_FLOWTABLE);
	nftnl_flowtable_set_u32(ft, NFTNL_FLOWTABLE_HOOKNUM,
				NF_NETDEV_INGRESS);
	nftnl_flowtable_set_s32(ft, NFTNL_FLOWTABLE_PRIO, RBI_NFT_PRIORITY);
	/* Conntrack's byte counts (nf_conntrack_acct) go on for its flows. */
	nftnl_flowtable_set_u32(ft, NFTNL_FLOWTABLE_FLAGS,
				NFT_FLOWTABLE_COUNTER);
	if (nftnl_flowtable_set_array(ft, NFTNL_FLOWTABLE_DEVICES, devs) < 0) {
		nftnl_flowtable_free(ft);
		return NULL;
	}
	return ft;
}

/*
 * A flow goes to the flowtable once nothing more is to be learned from
 * its packets: checked against this ruleset (a new one flushes the
 * flowtable with the table, and checks every flow again), no verdict of
 * the module's on it (a block or a log), nothing it still reads
 * (inspecting, watched for QUIC), and, with the module, decided by it.
 * Without the module, DNS flows stay: their answers are copied for
 * learning. The counter counts the flows offloaded, since `flow add`
 * ends the rule when it does not offload.
 */
static void rbi_rule_offload(struct rbi_nft_ctx *c)
{
	uint8_t mask[16] = { 0 }, want[16] = { 0 }, zero[16] = { 0 };
	uint16_t dns = htons(53);
	unsigned int bit;

	if (!c->o->flowtable)
		return;
	for (bit = RBI_CT_LABEL_RULE_FIRST; bit <= RBI_CT_LABEL_LOG; bit++)
		rbi_label_bit(mask, bit);
	/* "inspecting" stays when "decided" comes, "watch" with it. */
	rbi_label_bit(mask, RBI_CT_LABEL_WATCH);
	if (c->plan->module) {
		rbi_label_bit(mask, RBI_CT_LABEL_DECIDED);
		rbi_label_bit(want, RBI_CT_LABEL_DECIDED);
	}
	rbi_nft_rule_begin(c, RBI_NFT_CH_FORWARD);
	rbi_e_checked(c);
	rbi_e_ct_masked(c, NFT_CT_LABELS, mask, zero, sizeof(mask));
	rbi_e_cmp(c, NFT_CMP_EQ, want, sizeof(want));
	if (!c->plan->module) {
		rbi_e_port(c, RBI_TH_SPORT, NFT_REG_1);
		rbi_e_cmp(c, NFT_CMP_NEQ, &dns, sizeof(dns));
		rbi_e_port(c, RBI_TH_DPORT, NFT_REG_1);
		rbi_e_cmp(c, NFT_CMP_NEQ, &dns, sizeof(dns));
	}
	rbi_e_flow_add(c);
	rbi_e_counter(c);
	rbi_nft_rule_end(c, "decided and allowed, nothing more to inspect: "
			 "offloaded to flowtable " RBI_NFT_FLOWTABLE);
}

/*
 * The first rules decide most packets. A packet of a flow already checked
 * against this ruleset, in the direction that opened it, with no verdict
 * of the module on it, meets one rule. Module verdicts come before the
 * replies, so that a flow the module blocks is cut both ways; replies
 * come before the "checked" test, so that DNS answers are still copied
 * for learning.
 */
static void rbi_chain_forward(struct rbi_nft_ctx *c)
{
	size_t f;

	rbi_chain_add(c, RBI_NFT_CH_FORWARD, NF_INET_FORWARD,
		      "rbiblock: traffic through the gateway");
	rbi_rule_quic_watch(c);
	rbi_rule_offload(c);
	rbi_nft_rule_begin(c, RBI_NFT_CH_FORWARD);
	rbi_e_ct_dir(c, RBI_CT_DIR_ORIGINAL);
	rbi_e_checked(c);
	rbi_e_module_verdict(c, NFT_CMP_EQ);
	rbi_e_counter(c);
	rbi_e_verdict(c, NF_ACCEPT, NULL);
	rbi_nft_rule_end(c, "fast path: flow checked against this ruleset, no "
		     "module verdict");
	rbi_rule_module_jump(c, RBI_NFT_CH_FORWARD);
	if (c->plan->module)
		rbi_rules_no_verdict(c, RBI_NFT_CH_FORWARD);
	/* A flow is judged by who opened it; its replies follow. */
	rbi_nft_rule_begin(c, RBI_NFT_CH_FORWARD);
	rbi_e_ct_dir(c, RBI_CT_DIR_REPLY);
	rbi_e_counter(c);
	rbi_e_verdict(c, NFT_GOTO, RBI_NFT_CH_REPLIES);
	rbi_nft_rule_end(c, "replies follow the decision on the flow");
	rbi_nft_rule_begin(c, RBI_NFT_CH_FORWARD);
	rbi_e_checked(c);
	rbi_e_counter(c);
	rbi_e_verdict(c, NF_ACCEPT, NULL);
	rbi_nft_rule_end(c, "flow already checked against this ruleset");
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		rbi_rule_jump_zone(c, RBI_NFT_SET_PUBLIC, f, true, NFT_JUMP,
				   RBI_NFT_CH_EGRESS,
				   "a camera in a public zone opened the flow");
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		rbi_rule_jump_zone(c, RBI_NFT_SET_PUBLIC, f, false, NFT_JUMP,
				   RBI_NFT_CH_INGRESS,
				   "a flow towards a camera in a public zone");
	rbi_rules_inspect_zones(c);
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		rbi_rule_jump_zone(c, RBI_NFT_SET_NONPUBLIC, f, true, 0, NULL,
				   "zone not publicly accessible: outside "
				   "the prohibition");
	rbi_nft_rule_begin(c, RBI_NFT_CH_FORWARD);
	rbi_e_counter(c);
	rbi_e_set_checked(c);
	rbi_nft_rule_end(c, "checked and allowed: later packets of the flow "
		     "skip the checks");
}

/* Replies pass; DNS answers among them are copied for learning first. */
static void rbi_chain_replies(struct rbi_nft_ctx *c)
{
	rbi_chain_add(c, RBI_NFT_CH_REPLIES, -1,
		      "replies: the flow was decided on its first packet");
	if (rbi_queued(c))
		rbi_rules_inspect_replies(c);
	else
		rbi_rules_dns_copy(c, RBI_NFT_CH_REPLIES);
	rbi_nft_rule_begin(c, RBI_NFT_CH_REPLIES);
	rbi_e_counter(c);
	rbi_e_verdict(c, NF_ACCEPT, NULL);
	rbi_nft_rule_end(c, "replies follow the decision on the flow");
}

static void rbi_chain_output(struct rbi_nft_ctx *c)
{
	rbi_chain_add(c, RBI_NFT_CH_OUTPUT, NF_INET_LOCAL_OUT,
		      "rbiblock: the gateway's own resolver answering cameras");
	if (c->plan->module) {
		rbi_rule_module_jump(c, RBI_NFT_CH_OUTPUT);
		rbi_rules_no_verdict(c, RBI_NFT_CH_OUTPUT);
	}
	rbi_rules_dns_copy(c, RBI_NFT_CH_OUTPUT);
}

static void rbi_table_add(struct rbi_nft_ctx *c)
{
	c->o->table = nftnl_table_alloc();
	if (!c->o->table) {
		c->o->failed = true;
		return;
	}
	nftnl_table_set_u32(c->o->table, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	nftnl_table_set_str(c->o->table, NFTNL_TABLE_NAME, RBI_NFT_TABLE);
	nftnl_table_set_u32(c->o->table, NFTNL_TABLE_FLAGS, 0);
}

/* Hex digits into len bytes; false when they are not that. */
static bool rbi_nft_unhex(const char *hex, uint8_t *out, size_t len)
{
	unsigned int b;
	size_t i;

	for (i = 0; i < len; i++) {
		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return false;
		out[i] = (uint8_t)b;
	}
	return true;
}

void rbi_nft_set_table_udata(struct rbi_nft_objs *o, const char *policy,
			     const char *digest, const char *light,
			     const char *backend)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(RBI_NFT_UDATA_MAX);
	char comment[RBI_NFT_COMMENT_MAX];
	uint8_t digests[2 * RBI_NFT_DIGEST_LEN];

	if (!u) {
		o->failed = true;
		return;
	}
	snprintf(comment, sizeof(comment), "rbiblock " RBI_NFT_POLICY_KEY "%s "
		 RBI_NFT_RULESET_KEY "%.*s backend=%s", policy,
		 RBI_NFT_DIGEST_SHORT, digest, backend);
	nftnl_udata_put_strz(u, NFTNL_UDATA_TABLE_COMMENT, comment);
	if (rbi_nft_unhex(digest, digests, RBI_NFT_DIGEST_LEN) &&
	    rbi_nft_unhex(light, digests + RBI_NFT_DIGEST_LEN,
			  RBI_NFT_DIGEST_LEN))
		nftnl_udata_put(u, RBI_NFT_UDATA_DIGESTS, sizeof(digests),
				digests);
	nftnl_table_set_data(o->table, NFTNL_TABLE_USERDATA,
			     nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
}

void rbi_nft_comment_value(const char *comment, const char *key, char *out,
			   size_t len)
{
	const char *p = comment;
	size_t n = strlen(key);

	out[0] = '\0';
	while ((p = strstr(p, key)) && p != comment && p[-1] != ' ')
		p += n;
	if (p)
		snprintf(out, len, "%.*s", (int)strcspn(p + n, " "), p + n);
}

/*
 * The generation: from the policy, the fail-closed state and whether the
 * module decides, so that a different ruleset checks every flow again;
 * never 0 (an unmarked flow), and never avoid.
 */
static uint32_t rbi_nft_generation(const struct rbi_nft_plan *plan,
				   uint32_t avoid)
{
	const char *s[3] = { plan->p->sha256_hex, plan->fail_closed,
			     plan->module ? "module" : NULL };
	uint32_t h = 2166136261u;
	size_t i, k;

	for (i = 0; i < 3; i++)
		for (k = 0; s[i] && s[i][k]; k++)
			h = (h ^ (uint8_t)s[i][k]) * 16777619u;
	h = (h ^ (h >> 16)) & 0xff;
	if (!h)
		h = 1;
	if (h << RBI_NFT_MARK_SHIFT == avoid)
		h = h % 0xff + 1;
	return h << RBI_NFT_MARK_SHIFT;
}

int rbi_nft_build(const struct rbi_nft_plan *plan, uint32_t avoid,
		  struct rbi_nft_objs *o)
{
	struct rbi_nft_ctx c = { plan, o, NULL,
				 rbi_nft_generation(plan, avoid) };
	size_t s, f;

	memset(o, 0, sizeof(*o));
	rbi_table_add(&c);
	if (plan->offload_devs && plan->offload_devs[0]) {
		o->flowtable = rbi_nft_flowtable_new(plan->offload_devs);
		if (!o->flowtable)
			o->failed = true;
	}
	for (s = 0; s < __RBI_NFT_SET_MAX; s++)
		for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
			if (plan->sets[s][f].n || s == RBI_NFT_MAP_LEARNED)
				rbi_set_add(&c, s, f);
	rbi_chains_verdicts(&c);
	rbi_chain_module(&c);
	if (plan->module)
		rbi_chain_no_verdict(&c);
	rbi_chain_egress(&c, plan->fail_closed);
	rbi_chain_ingress(&c);
	rbi_chain_replies(&c);
	rbi_chain_forward(&c);
	if (plan->module)
		rbi_chain_input(&c);
	rbi_chain_output(&c);
	if (rbi_queued(&c)) {
		rbi_chain_inspect(&c);
		rbi_chain_qverdicts(&c);
	}
	if (o->failed) {
		rbi_nft_objs_free(o);
		return -ENOMEM;
	}
	return 0;
}

int rbi_nft_build_trial(const struct rbi_nft_queue *q, bool inner,
			struct rbi_nft_objs *o)
{
	struct rbi_nft_plan plan;
	struct rbi_nft_ctx c = { &plan, o, NULL, 0 };

	memset(&plan, 0, sizeof(plan));
	memset(o, 0, sizeof(*o));
	plan.queue = *q;
	rbi_chain_add(&c, "queue_trial", -1, "what the kernel supports");
	rbi_nft_rule_begin(&c, "queue_trial");
	if (inner) {
		rbi_e_quic_shape(&c);
		rbi_e_verdict(&c, NF_ACCEPT, NULL);
	} else {
		rbi_e_queue(&c, RBI_NFT_QUEUE_FIRST, 1);
	}
	rbi_nft_rule_end(&c, "trial");
	if (o->failed) {
		rbi_nft_objs_free(o);
		return -ENOMEM;
	}
	return 0;
}

/* Expressions seen of `ct mark and MASK == GEN`, as rbi_e_checked() wrote. */
struct rbi_gen_find {
	int seen;
	uint32_t gen;
};

static int rbi_gen_expr(struct nftnl_expr *e, void *data)
{
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	struct rbi_gen_find *g = data;
	const void *d;
	uint32_t len;

	if (!strcmp(name, "ct") && nftnl_expr_is_set(e, NFTNL_EXPR_CT_DREG) &&
	    nftnl_expr_get_u32(e, NFTNL_EXPR_CT_KEY) == NFT_CT_MARK) {
		g->seen = 1;
		return 0;
	}
	if (g->seen == 1 && !strcmp(name, "bitwise")) {
		g->seen = 2;
		return 0;
	}
	if (g->seen == 2 && !strcmp(name, "cmp")) {
		d = nftnl_expr_get(e, NFTNL_EXPR_CMP_DATA, &len);
		if (d && len == sizeof(g->gen)) {
			memcpy(&g->gen, d, len);
			return -1;
		}
	}
	g->seen = 0;
	return 0;
}

uint32_t rbi_nft_checked_gen(const struct rbi_nft_objs *o)
{
	struct rbi_gen_find g = { 0, 0 };
	size_t i;

	for (i = 0; i < o->n_rules && !g.gen; i++)
		if (!strcmp(nftnl_rule_get_str(o->rules[i], NFTNL_RULE_CHAIN),
			    RBI_NFT_CH_FORWARD))
			nftnl_expr_foreach(o->rules[i], rbi_gen_expr, &g);
	return g.gen;
}
