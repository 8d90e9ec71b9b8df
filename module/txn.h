/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_TXN_H
#define RBI_TXN_H

#include <net/genetlink.h>

struct rbi_modcfg;
struct rbi_pernet;

/* A configuration being loaded, owned by the socket that began it. */
struct rbi_txn {
	u32 id;
	u32 portid;
	struct rbi_modcfg *mc;
	u32 items_expected;
	u32 items_received;
};

/* Handlers of RBI_CMD_CONFIG_*. */
int rbi_txn_begin(struct sk_buff *skb, struct genl_info *info);
int rbi_txn_add(struct sk_buff *skb, struct genl_info *info);
int rbi_txn_commit(struct sk_buff *skb, struct genl_info *info);
int rbi_txn_abort(struct sk_buff *skb, struct genl_info *info);
int rbi_txn_clear(struct sk_buff *skb, struct genl_info *info);

/* Drops the transaction in progress, if any; pn->lock held. */
void rbi_txn_drop(struct rbi_pernet *pn);

/* The socket portid of net has closed: drops its transaction. */
void rbi_txn_release(struct net *net, u32 portid);

#endif
