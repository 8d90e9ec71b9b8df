/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_GENL_ITEM_H
#define RBI_GENL_ITEM_H

#include <net/netlink.h>

#include "core/rbi_item.h"

/*
 * Decodes an RBI_A_ITEM nest into *it (which points into the message).
 * Returns 0, or a negative errno with an extack message on the nest.
 */
int rbi_item_parse(const struct nlattr *nest, struct rbi_item *it,
		   struct netlink_ext_ack *extack);

/* Why rbi_item_apply() refused it with err, as an extack message. */
const char *rbi_item_why(const struct rbi_item *it, int err);

#endif
