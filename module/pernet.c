// SPDX-License-Identifier: GPL-2.0
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_labels.h>
#include <net/netns/generic.h>

#include "hook.h"
#include "modcfg.h"
#include "params.h"
#include "pernet.h"
#include "txn.h"

static unsigned int rbi_pernet_id;

struct rbi_pernet *rbi_pernet(const struct net *net)
{
	return net_generic(net, rbi_pernet_id);
}

u64 rbi_stat_sum(const struct rbi_pernet *pn, enum rbi_stat s)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(pn->stats, cpu)->v[s];
	return sum;
}

/*
 * Conntrack must run in the namespace, and its entries carry labels only
 * when created after nf_connlabels_get(): flows older than the first
 * configuration have none (RBI_STAT_NO_LABELS counts their packets, and
 * the ruleset drops those of public zones). The module pins itself: its
 * hooks, and the verdicts the ruleset reads, must outlive no
 * configuration, and an unload can only come after every one is cleared,
 * when no hook is left to outlive the generic netlink family either.
 */
static int rbi_pernet_activate(struct rbi_pernet *pn)
{
	struct rbi_dnsq *q;
	int err;

	if (pn->active)
		return 0;
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	err = -ENOMEM;
	q = rbi_dnsq_alloc(rbi_param_dns_queries_max, get_random_u32());
	if (!q)
		goto put_module;
	err = nf_ct_netns_get(pn->net, NFPROTO_INET);
	if (err)
		goto free_dnsq;
	err = nf_connlabels_get(pn->net, RBI_CT_LABEL_HIGHEST);
	if (err)
		goto put_ct;
	spin_lock_bh(&pn->dnsq_lock);
	pn->dnsq = q;
	spin_unlock_bh(&pn->dnsq_lock);
	err = rbi_hooks_register(pn->net);
	if (err)
		goto put_labels;
	pn->active = true;
	return 0;
put_labels:
	spin_lock_bh(&pn->dnsq_lock);
	pn->dnsq = NULL;
	spin_unlock_bh(&pn->dnsq_lock);
	nf_connlabels_put(pn->net);
put_ct:
	nf_ct_netns_put(pn->net, NFPROTO_INET);
free_dnsq:
	rbi_dnsq_free(q);
put_module:
	module_put(THIS_MODULE);
	return err;
}

static void rbi_pernet_deactivate(struct rbi_pernet *pn)
{
	struct rbi_dnsq *q;

	if (!pn->active)
		return;
	rbi_hooks_unregister(pn->net);
	/*
	 * Unregistering does not wait for packets already inside a hook:
	 * one could still add a flow after the flush below.
	 */
	synchronize_net();
	rbi_flows_flush(&pn->flows);
	spin_lock_bh(&pn->dnsq_lock);
	q = pn->dnsq;
	pn->dnsq = NULL;
	spin_unlock_bh(&pn->dnsq_lock);
	rbi_dnsq_free(q);
	nf_connlabels_put(pn->net);
	nf_ct_netns_put(pn->net, NFPROTO_INET);
	pn->active = false;
	module_put(THIS_MODULE);
}

static void rbi_pernet_merge(struct rbi_pernet *pn, struct rbi_modcfg *to,
			     const struct rbi_modcfg *from)
{
	if (!from)
		return;
	spin_lock_bh(&pn->learn_lock);
	rbi_modcfg_learn_merge(to, from, ktime_get_seconds());
	spin_unlock_bh(&pn->learn_lock);
}

int rbi_pernet_publish(struct rbi_pernet *pn, struct rbi_modcfg *mc)
{
	struct rbi_modcfg *old;
	int err;

	old = rcu_dereference_protected(pn->config, lockdep_is_held(&pn->lock));
	if (!mc && !old)
		return 0;
	if (mc) {
		err = rbi_pernet_activate(pn);
		if (err)
			return err;
		mc->generation = ++pn->generation;
		rbi_pernet_merge(pn, mc, old);
	} else {
		rbi_pernet_deactivate(pn);
	}
	rcu_assign_pointer(pn->config, mc);
	synchronize_rcu();
	/* Answers that packets still under the old one learned meanwhile. */
	if (mc)
		rbi_pernet_merge(pn, mc, old);
	rbi_modcfg_free(old);
	return 0;
}

static int __net_init rbi_pernet_init(struct net *net)
{
	struct rbi_pernet *pn = rbi_pernet(net);

	pn->net = net;
	mutex_init(&pn->lock);
	spin_lock_init(&pn->dnsq_lock);
	spin_lock_init(&pn->learn_lock);
	rbi_flows_init(&pn->flows);
	rbi_events_init(&pn->events);
	pn->stats = alloc_percpu(struct rbi_stats);
	return pn->stats ? 0 : -ENOMEM;
}

static void __net_exit rbi_pernet_exit(struct net *net)
{
	struct rbi_pernet *pn = rbi_pernet(net);

	mutex_lock(&pn->lock);
	rbi_txn_drop(pn);
	rbi_pernet_publish(pn, NULL);
	mutex_unlock(&pn->lock);
	free_percpu(pn->stats);
}

static struct pernet_operations rbi_pernet_ops = {
	.init = rbi_pernet_init,
	.exit = rbi_pernet_exit,
	.id = &rbi_pernet_id,
	.size = sizeof(struct rbi_pernet),
};

int rbi_pernet_register(void)
{
	return register_pernet_subsys(&rbi_pernet_ops);
}

void rbi_pernet_unregister(void)
{
	unregister_pernet_subsys(&rbi_pernet_ops);
}
