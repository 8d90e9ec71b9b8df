/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_FLOW_H
#define RBI_FLOW_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/netfilter/nf_conntrack.h>

#include "stream.h"

enum {
	RBI_FLOW_HASH_BITS = 10,
	/* A flow whose reassembly has not moved for this long is given up. */
	RBI_FLOW_IDLE_SECS = 30,
	/* ... and one whose conntrack entry was never confirmed, sooner. */
	RBI_FLOW_UNCONFIRMED_SECS = 5,
};

/*
 * What the module keeps of a TCP flow it has not decided yet: the client's
 * first bytes, or for DNS over TCP the server's. Conntrack has no extension
 * a module can add, so states hang off a hash keyed by the conntrack entry,
 * which each state holds a reference on: the entry cannot be freed and its
 * address reused while the state exists. A worker frees the states of dying
 * entries and idle ones.
 */
struct rbi_flow_state {
	struct hlist_node node;
	struct nf_conn *ct;
	unsigned long last;	/* jiffies when the stream last grew */
	struct rbi_stream orig;	/* initiator to responder */
	struct rbi_stream reply;	/* responder to initiator: DNS */
	u32 tls_need;		/* stream length worth parsing again */
	u32 head_scan;		/* bytes searched for a head's end */
	u32 marked;		/* bytes searched for analytics markers */
	u32 markers;		/* the markers found in them */
	u8 apps_left;		/* dissectors not yet ruled out */
	bool parsed;		/* the dissectors ran once */
};

struct rbi_flows {
	/* Guards the table, the states in it and their streams' budget. */
	spinlock_t lock;
	struct hlist_head hash[1 << RBI_FLOW_HASH_BITS];
	u32 count;
	u32 max;
	struct rbi_budget budget;
	u64 expired;
	struct delayed_work gc;
	bool stopping;
};

void rbi_flows_init(struct rbi_flows *f);

/* Lock held for the three below. */
struct rbi_flow_state *rbi_flows_find(struct rbi_flows *f,
				      const struct nf_conn *ct);
/* NULL when the namespace holds as many flows as it may, or no memory. */
struct rbi_flow_state *rbi_flows_add(struct rbi_flows *f, struct nf_conn *ct);
void rbi_flows_del(struct rbi_flows *f, struct rbi_flow_state *st);

/* Stops the worker and frees every state; process context, no hooks. */
void rbi_flows_flush(struct rbi_flows *f);

#endif
