// SPDX-License-Identifier: GPL-2.0
#include <linux/ktime.h>
#include <linux/netdevice.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_labels.h>
#include <net/netns/generic.h>

#include "hook.h"
#include "modcfg.h"
#include "pernet.h"
#include "txn.h"

static unsigned int rbi_net_id;

struct rbi_net *rbi_net(const struct net *net)
{
	return net_generic(net, rbi_net_id);
}

u64 rbi_stat_sum(const struct rbi_net *rn, enum rbi_stat s)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(rn->stats, cpu)->v[s];
	return sum;
}

/*
 * Conntrack must run in the namespace, and its entries carry labels only
 * when created after nf_connlabels_get(): flows older than the first
 * configuration are never classified (RBI_STAT_NO_LABELS counts them).
 */
static int rbi_net_activate(struct rbi_net *rn)
{
	int err;

	if (rn->active)
		return 0;
	err = nf_ct_netns_get(rn->net, NFPROTO_INET);
	if (err)
		return err;
	err = nf_connlabels_get(rn->net, RBI_CT_LABEL_HIGHEST);
	if (err)
		goto put_ct;
	err = rbi_hooks_register(rn->net);
	if (err)
		goto put_labels;
	rn->active = true;
	return 0;
put_labels:
	nf_connlabels_put(rn->net);
put_ct:
	nf_ct_netns_put(rn->net, NFPROTO_INET);
	return err;
}

static void rbi_net_deactivate(struct rbi_net *rn)
{
	if (!rn->active)
		return;
	rbi_hooks_unregister(rn->net);
	/*
	 * Unregistering does not wait for packets already inside a hook:
	 * one could still add a flow after the flush below.
	 */
	synchronize_net();
	rbi_flows_flush(&rn->flows);
	nf_connlabels_put(rn->net);
	nf_ct_netns_put(rn->net, NFPROTO_INET);
	rn->active = false;
}

static void rbi_net_merge(struct rbi_net *rn, struct rbi_modcfg *to,
			  const struct rbi_modcfg *from)
{
	if (!from)
		return;
	spin_lock_bh(&rn->learn_lock);
	rbi_modcfg_learn_merge(to, from, ktime_get_seconds());
	spin_unlock_bh(&rn->learn_lock);
}

int rbi_net_publish(struct rbi_net *rn, struct rbi_modcfg *mc)
{
	struct rbi_modcfg *old;
	int err;

	old = rcu_dereference_protected(rn->config, lockdep_is_held(&rn->lock));
	if (!mc && !old)
		return 0;
	if (mc) {
		err = rbi_net_activate(rn);
		if (err)
			return err;
		mc->generation = ++rn->generation;
		rbi_net_merge(rn, mc, old);
	} else {
		rbi_net_deactivate(rn);
	}
	rcu_assign_pointer(rn->config, mc);
	synchronize_rcu();
	/* Answers that packets still under the old one learned meanwhile. */
	if (mc)
		rbi_net_merge(rn, mc, old);
	rbi_modcfg_free(old);
	return 0;
}

static int __net_init rbi_net_init(struct net *net)
{
	struct rbi_net *rn = rbi_net(net);

	rn->net = net;
	mutex_init(&rn->lock);
	spin_lock_init(&rn->learn_lock);
	rbi_flows_init(&rn->flows);
	rbi_events_init(&rn->events);
	rn->stats = alloc_percpu(struct rbi_stats);
	return rn->stats ? 0 : -ENOMEM;
}

static void __net_exit rbi_net_exit(struct net *net)
{
	struct rbi_net *rn = rbi_net(net);

	mutex_lock(&rn->lock);
	rbi_txn_drop(rn);
	rbi_net_publish(rn, NULL);
	mutex_unlock(&rn->lock);
	free_percpu(rn->stats);
}

static struct pernet_operations rbi_net_ops = {
	.init = rbi_net_init,
	.exit = rbi_net_exit,
	.id = &rbi_net_id,
	.size = sizeof(struct rbi_net),
};

int rbi_net_register(void)
{
	return register_pernet_subsys(&rbi_net_ops);
}

void rbi_net_unregister(void)
{
	unregister_pernet_subsys(&rbi_net_ops);
}
