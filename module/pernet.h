/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_PERNET_H
#define RBI_PERNET_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>

#include "core/rbi_dnsq.h"
#include "event.h"
#include "flow.h"
#include "uapi/rbiblock.h"

struct rbi_modcfg;
struct rbi_txn;

struct rbi_stats {
	u64 v[__RBI_STAT_MAX];
};

/*
 * Everything the module keeps per network namespace. A namespace costs
 * nothing until a configuration is committed in it: only then does the
 * module ask for conntrack and its labels and register its hooks.
 */
struct rbi_pernet {
	struct net *net;
	/* Replaced under lock; read under RCU or under lock. */
	struct rbi_modcfg __rcu *config;
	/*
	 * Serialises configuration changes, transactions and activation,
	 * and guards the four fields below it. Process context only.
	 */
	struct mutex lock;
	struct rbi_txn *txn;
	u32 txn_seq;
	u32 generation;
	bool active;
	/*
	 * Guards dnsq, the DNS queries of cameras awaiting their answers,
	 * which exists while the namespace is active. Taken inside
	 * flows.lock (DNS over TCP), never around it.
	 */
	spinlock_t dnsq_lock;
	struct rbi_dnsq *dnsq;
	/*
	 * Guards the learned table of config, for reads as for writes. Taken
	 * inside dnsq_lock (an answer learns as it matches its query), never
	 * around it.
	 */
	spinlock_t learn_lock;
	struct rbi_flows flows;
	struct rbi_events events;
	struct rbi_stats __percpu *stats;
};

int rbi_pernet_register(void);
void rbi_pernet_unregister(void);

struct rbi_pernet *rbi_pernet(const struct net *net);

/*
 * Makes mc the configuration (NULL: none), carrying learned addresses
 * over, and frees the previous one. Registers the hooks on the first, and
 * unregisters them when mc is NULL; while a namespace holds a
 * configuration, the module holds a reference on itself, so that it
 * cannot be unloaded under the rules that rely on it. Caller holds
 * pn->lock; may sleep.
 */
int rbi_pernet_publish(struct rbi_pernet *pn, struct rbi_modcfg *mc);

static inline void rbi_stat_add(struct rbi_pernet *pn, enum rbi_stat s, u64 n)
{
	this_cpu_add(pn->stats->v[s], n);
}

u64 rbi_stat_sum(const struct rbi_pernet *pn, enum rbi_stat s);

#endif
