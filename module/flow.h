/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_FLOW_H
#define RBI_FLOW_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/netfilter/nf_conntrack.h>

#include "core/rbi_inspect.h"

enum {
	RBI_FLOW_HASH_BITS = 10,
	/* A flow whose conntrack entry was never confirmed is let go. */
	RBI_FLOW_UNCONFIRMED_SECS = 5,
	/* Most hellos and request heads fit the first buffer. */
	RBI_FLOW_BUF_MIN = 2048,
};

/*
 * What the module keeps of a TCP flow it has not decided yet: the
 * inspection engine's state and the buffers it reads the streams in.
 * Conntrack has no extension a module can add, so states hang off a hash
 * keyed by the conntrack entry, which each state holds a reference on: the
 * entry cannot be freed and its address reused while the state exists.
 */
struct rbi_flow_state {
	struct hlist_node node;
	struct nf_conn *ct;
	unsigned long last;	/* jiffies of its last packet */
	/*
	 * The interface the initiator's packets leave by (0: to this
	 * host): only the responder's packets, which come in by it, may
	 * acknowledge client bytes.
	 */
	int out_ifindex;
	u8 hook;		/* NF_INET_* where it was first seen */
	bool held;		/* out of every flowtable (offload.h) */
	struct rcu_head rcu;	/* freed a grace period after its removal */
	struct rbi_insp insp;
};

/* Bytes held by all states of a namespace, against a limit. */
struct rbi_budget {
	u32 used;
	u32 max;
};

struct rbi_flows {
	/* Guards the table, the states in it and the budget. */
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

/* Lock held for the four below. */
struct rbi_flow_state *rbi_flows_find(struct rbi_flows *f,
				      const struct nf_conn *ct);
/*
 * NULL when the namespace holds as many flows as it may, or no memory.
 * With hold, the flow is kept out of every flowtable while the state lasts
 * (ct not confirmed yet: its first packet).
 */
struct rbi_flow_state *rbi_flows_add(struct rbi_flows *f, struct nf_conn *ct,
				     bool hold);
/* Its flow's decision written first: the hold ends a grace period later. */
void rbi_flows_del(struct rbi_flows *f, struct rbi_flow_state *st);

/*
 * Makes the state's client buffer (reply: its responder buffer) at least
 * room bytes, within the namespace's budget; false when refused.
 */
bool rbi_flows_room(struct rbi_flows *f, struct rbi_flow_state *st,
		    bool reply, u32 room);

/*
 * Stops the worker and decides every state's flow fail-closed (reason
 * unloaded) before freeing it; process context, no hooks.
 */
void rbi_flows_flush(struct rbi_flows *f);

#endif
