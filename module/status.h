/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_STATUS_H
#define RBI_STATUS_H

#include <net/genetlink.h>

/* RBI_CMD_STATUS_GET: the configuration, sizes and counters. */
int rbi_status_get(struct sk_buff *skb, struct genl_info *info);

/* RBI_CMD_LEARNED_GET: one message per learned address. */
int rbi_status_learned_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif
