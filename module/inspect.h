/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_INSPECT_H
#define RBI_INSPECT_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_labels.h>

struct rbi_pernet;

/* One packet of a flow not decided yet, as the hook found it. */
struct rbi_pkt {
	struct sk_buff *skb;
	struct nf_conn *ct;
	struct nf_conn_labels *labels;
	enum ip_conntrack_dir dir;
	u8 hook;		/* NF_INET_* */
	u8 l4;			/* IPPROTO_* */
	bool syn;		/* TCP SYN */
	bool fin;		/* TCP FIN or RST */
	u32 seq;		/* TCP: sequence number of the first byte */
	unsigned int off;	/* payload offset in skb */
	unsigned int len;	/* payload bytes */
};

/*
 * Classifies the flow of p (which has labels) as far as p allows: records
 * a verdict in its labels once one is known, learns from DNS answers.
 * Returns NF_DROP only for a segment that arrived out of order while the
 * flow is reassembled.
 */
unsigned int rbi_inspect(struct rbi_pernet *pn, const struct rbi_pkt *p);

#endif
