/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_GENL_ITEM_H
#define RBI_GENL_ITEM_H

#include <net/netlink.h>

#include "core/rbi_item.h"
#include "uapi/rbiblock.h"

/* Validates an RBI_A_ITEM nest before a handler sees it. */
extern const struct nla_policy rbi_genl_item_policy[RBI_IA_MAX + 1];

/*
 * Decodes an RBI_A_ITEM nest into *it (which points into the message).
 * Returns 0, or a negative errno with an extack message on the nest.
 */
int rbi_genl_item_parse(const struct nlattr *nest, struct rbi_item *it,
			struct netlink_ext_ack *extack);

/* Why rbi_item_apply() refused it with err, as an extack message. */
const char *rbi_genl_item_why(const struct rbi_item *it, int err);

#endif
