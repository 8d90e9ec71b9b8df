/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_MODULE_INSPECT_H
#define RBI_MODULE_INSPECT_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_labels.h>

#include "core/rbi_verdict.h"

struct rbi_flow_state;
struct rbi_pernet;

/* One packet of a flow not decided yet, as the hook found it. */
struct rbi_pkt {
	struct sk_buff *skb;
	struct nf_conn *ct;
	struct nf_conn_labels *labels;
	enum ip_conntrack_dir dir;
	u8 hook;		/* NF_INET_* */
	u8 l4;			/* IPPROTO_* */
	u8 flags;		/* enum rbi_insp_flag */
	u32 seq;		/* TCP: the header's sequence number */
	u32 ack;		/* TCP: its acknowledgement number */
	int in_ifindex;		/* where it came in; 0: from this host */
	int out_ifindex;	/* where it goes out; 0: to this host */
	unsigned int off;	/* payload offset in skb */
	unsigned int len;	/* payload bytes */
};

/*
 * Runs the inspection engine on p's flow (which has labels), writes its
 * decision into the labels, learns from DNS answers that match a query.
 * Returns NF_DROP only for a packet the engine holds back: its sender
 * sends it again. Blocked flows are dropped by the ruleset.
 */
unsigned int rbi_inspect(struct rbi_pernet *pn, const struct rbi_pkt *p);

/*
 * A UDP flow allowed but watched: p is a datagram of its initiator. Decides
 * the flow again (as QUIC) when it carries a QUIC long header.
 */
void rbi_inspect_watched(struct rbi_pernet *pn, const struct rbi_pkt *p);

/*
 * Decides the flow of a state that is given up fail-closed, for why;
 * flows lock held, bottom halves off.
 */
void rbi_inspect_expire(struct rbi_pernet *pn, struct rbi_flow_state *st,
			enum rbi_fail why);

#endif
