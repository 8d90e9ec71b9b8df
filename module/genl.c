// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: attribute policies, the command table and
 * the events group. Every command and the group need CAP_NET_ADMIN in the
 * namespace, and every attribute is validated strictly before a handler
 * sees it.
 */
#include <linux/netlink.h>
#include <linux/notifier.h>

#include "genl.h"
#include "genl_item.h"
#include "status.h"
#include "txn.h"

/* Only what requests carry; replies and events use the rest. */
static const struct nla_policy rbi_genl_policy[RBI_A_MAX + 1] = {
	[RBI_A_TXN] = { .type = NLA_U32 },
	[RBI_A_ZONES] = { .type = NLA_U32 },
	[RBI_A_RECORDERS] = { .type = NLA_U32 },
	[RBI_A_SERVICES] = { .type = NLA_U32 },
	[RBI_A_DOHS] = { .type = NLA_U32 },
	[RBI_A_PATTERNS] = { .type = NLA_U32 },
	[RBI_A_NETS] = { .type = NLA_U32 },
	[RBI_A_ITEMS] = { .type = NLA_U32 },
	[RBI_A_POLICY_SHA256] = { .type = NLA_NUL_STRING,
				  .len = RBI_SHA256_HEX },
	[RBI_A_POLICY_NAME] = { .type = NLA_NUL_STRING,
				.len = RBI_LIMIT_POLICY_NAME },
	[RBI_A_ITEM] = NLA_POLICY_NESTED(rbi_genl_item_policy),
};

bool rbi_genl_has(struct genl_info *info, int type, const char *msg)
{
	if (info->attrs[type])
		return true;
	rbi_genl_err(info->extack, NULL, msg);
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
	return false;
}

#define RBI_OP(c, fn) {					\
	.cmd = c,					\
	.doit = fn,					\
	.flags = GENL_UNS_ADMIN_PERM,			\
}

static const struct genl_ops rbi_genl_ops[] = {
	RBI_OP(RBI_CMD_CONFIG_BEGIN, rbi_txn_begin),
	RBI_OP(RBI_CMD_CONFIG_ADD, rbi_txn_add),
	RBI_OP(RBI_CMD_CONFIG_COMMIT, rbi_txn_commit),
	RBI_OP(RBI_CMD_CONFIG_ABORT, rbi_txn_abort),
	RBI_OP(RBI_CMD_CONFIG_CLEAR, rbi_txn_clear),
	RBI_OP(RBI_CMD_STATUS_GET, rbi_status_get),
	{
		.cmd = RBI_CMD_LEARNED_GET,
		.dumpit = rbi_status_learned_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group rbi_genl_mcgrps[] = {
	{ .name = RBI_GENL_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family rbi_genl_family __ro_after_init = {
	.name = RBI_GENL_NAME,
	.version = RBI_GENL_VERSION,
	.maxattr = RBI_A_MAX,
	.policy = rbi_genl_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = rbi_genl_ops,
	.n_ops = ARRAY_SIZE(rbi_genl_ops),
	.resv_start_op = RBI_CMD_CONFIG_BEGIN,
	.mcgrps = rbi_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(rbi_genl_mcgrps),
};

/* A transaction dies with the socket that began it. */
static int rbi_genl_notify(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		rbi_txn_release(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block rbi_genl_notifier = {
	.notifier_call = rbi_genl_notify,
};

int rbi_genl_register(void)
{
	int err = genl_register_family(&rbi_genl_family);

	if (err)
		return err;
	err = netlink_register_notifier(&rbi_genl_notifier);
	if (err)
		genl_unregister_family(&rbi_genl_family);
	return err;
}

void rbi_genl_unregister(void)
{
	netlink_unregister_notifier(&rbi_genl_notifier);
	genl_unregister_family(&rbi_genl_family);
}
