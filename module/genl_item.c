// SPDX-License-Identifier: GPL-2.0
/*
 * The RBI_A_ITEM nest: its attribute policy, its decoding into the core's
 * struct rbi_item, and the extack message for an item the core refused.
 */
#include "core/rbi_name.h"
#include "genl_item.h"

static int rbi_genl_item_validate_addr(const struct nlattr *attr,
				       struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == 4 || nla_len(attr) == 16)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "address must be 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
}

const struct nla_policy rbi_genl_item_policy[RBI_IA_MAX + 1] = {
	[RBI_IA_KIND] = NLA_POLICY_MAX(NLA_U8, __RBI_ITEM_MAX - 1),
	[RBI_IA_INDEX] = { .type = NLA_U32 },
	[RBI_IA_ID] = { .type = NLA_U32 },
	[RBI_IA_VALUE] = { .type = NLA_U32 },
	[RBI_IA_FLAGS] = { .type = NLA_U32 },
	[RBI_IA_ADDR] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
					       rbi_genl_item_validate_addr, 16),
	[RBI_IA_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[RBI_IA_PORT_LO] = { .type = NLA_U16 },
	[RBI_IA_PORT_HI] = { .type = NLA_U16 },
	[RBI_IA_TEXT] = { .type = NLA_NUL_STRING, .len = RBI_LIMIT_TEXT },
};

static u32 rbi_genl_item_u32(struct nlattr **tb, int type, u32 absent)
{
	return tb[type] ? nla_get_u32(tb[type]) : absent;
}

static int rbi_genl_item_prefix(struct nlattr **tb, const struct nlattr *nest,
				struct rbi_prefix *p,
				struct netlink_ext_ack *extack)
{
	int len;

	if (!tb[RBI_IA_ADDR] || !tb[RBI_IA_PREFIX_LEN]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "network item without address and length");
		return -EINVAL;
	}
	len = nla_len(tb[RBI_IA_ADDR]);
	memset(p, 0, sizeof(*p));
	p->ip.family = len == 4 ? RBI_IP_V4 : RBI_IP_V6;
	memcpy(p->ip.a, nla_data(tb[RBI_IA_ADDR]), len);
	p->len = nla_get_u8(tb[RBI_IA_PREFIX_LEN]);
	if (p->len > len * 8) {
		NL_SET_ERR_MSG_ATTR(extack, tb[RBI_IA_PREFIX_LEN],
				    "prefix longer than its address");
		return -EINVAL;
	}
	return 0;
}

int rbi_genl_item_parse(const struct nlattr *nest, struct rbi_item *it,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RBI_IA_MAX + 1];
	int err;

	err = nla_parse_nested(tb, RBI_IA_MAX, nest, rbi_genl_item_policy,
			       extack);
	if (err)
		return err;
	if (!tb[RBI_IA_KIND]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "item without a kind");
		return -EINVAL;
	}
	memset(it, 0, sizeof(*it));
	it->kind = nla_get_u8(tb[RBI_IA_KIND]);
	it->index = rbi_genl_item_u32(tb, RBI_IA_INDEX, 0);
	it->id = rbi_genl_item_u32(tb, RBI_IA_ID, 0);
	it->value = rbi_genl_item_u32(tb, RBI_IA_VALUE, 0);
	it->flags = rbi_genl_item_u32(tb, RBI_IA_FLAGS, 0);
	it->port_lo = tb[RBI_IA_PORT_LO] ? nla_get_u16(tb[RBI_IA_PORT_LO]) : 0;
	it->port_hi = tb[RBI_IA_PORT_HI] ? nla_get_u16(tb[RBI_IA_PORT_HI]) :
		      0xffff;
	if (tb[RBI_IA_TEXT]) {
		it->text = nla_data(tb[RBI_IA_TEXT]);
		it->text_len = strlen(it->text);
	}
	if (it->kind == RBI_ITEM_PATTERN && !it->text_len) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "name pattern without text");
		return -EINVAL;
	}
	if (rbi_item_has_prefix(it->kind))
		return rbi_genl_item_prefix(tb, nest, &it->prefix, extack);
	return 0;
}

static const char *rbi_genl_item_why_invalid(const struct rbi_item *it)
{
	struct rbi_prefix masked = it->prefix;
	const char *why = "invalid item";

	if (it->kind == RBI_ITEM_PATTERN) {
		rbi_name_pattern_check(it->text, it->text_len, &why);
		return why;
	}
	if (it->kind == RBI_ITEM_SERVICE || it->kind == RBI_ITEM_PROHIBITED)
		return "unknown category bits";
	if (!rbi_item_has_prefix(it->kind))
		return why;
	if (it->port_lo > it->port_hi)
		return "port range ends before it starts";
	if (it->kind == RBI_ITEM_SERVICE_NET && it->value &&
	    ((it->value != RBI_L4_TCP && it->value != RBI_L4_UDP) ||
	     !it->port_lo))
		return "ports of a protocol other than TCP or UDP, or from 0";
	rbi_prefix_mask(&masked);
	if (memcmp(&masked, &it->prefix, sizeof(masked)))
		return "network has host bits set";
	return why;
}

const char *rbi_genl_item_why(const struct rbi_item *it, int err)
{
	switch (err) {
	case -ERANGE:
		return "index, id or setting beyond the sizes given at begin";
	case -EEXIST:
		return it->kind == RBI_ITEM_PATTERN ?
		       "the same name pattern twice" :
		       "the same network and ports twice";
	case -ENOSPC:
		return "too many overlapping one-label '*' patterns on one path";
	case -ENOMEM:
		return "out of memory";
	case -EINVAL:
		return rbi_genl_item_why_invalid(it);
	default:
		return "item refused";
	}
}
