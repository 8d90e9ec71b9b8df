// SPDX-License-Identifier: GPL-2.0
#include <linux/ktime.h>

#include "genl.h"
#include "memory.h"
#include "modcfg.h"
#include "pernet.h"
#include "status.h"

/* Counters are per CPU; gauges are read from the state they describe. */
static void rbi_status_values(struct rbi_pernet *pn,
			      const struct rbi_modcfg *mc, u64 *v)
{
	struct rbi_learn_stats ls = {};
	struct rbi_dnsq_stats qs = {};
	int s;

	for (s = 0; s < __RBI_STAT_MAX; s++)
		v[s] = rbi_stat_sum(pn, s);
	spin_lock_bh(&pn->flows.lock);
	v[RBI_STAT_PENDING] = pn->flows.count;
	v[RBI_STAT_PENDING_BYTES] = pn->flows.budget.used;
	v[RBI_STAT_PENDING_EXPIRED] = pn->flows.expired;
	spin_unlock_bh(&pn->flows.lock);
	spin_lock_bh(&pn->dnsq_lock);
	if (pn->dnsq)
		rbi_dnsq_get_stats(pn->dnsq, ktime_get_seconds(), &qs);
	spin_unlock_bh(&pn->dnsq_lock);
	v[RBI_STAT_DNS_PENDING] = qs.pending;
	if (mc) {
		spin_lock_bh(&pn->learn_lock);
		rbi_learn_get_stats(mc->learned, ktime_get_seconds(), &ls);
		spin_unlock_bh(&pn->learn_lock);
	}
	v[RBI_STAT_LEARNED_LIVE] = ls.live;
	v[RBI_STAT_LEARNED_CAPACITY] = ls.capacity;
	v[RBI_STAT_LEARNED_EVICTED] = ls.evicted;
}

static int rbi_status_stats(struct sk_buff *msg, const u64 *v)
{
	struct nlattr *nest = nla_nest_start(msg, RBI_A_STATS);
	int s;

	if (!nest)
		return -EMSGSIZE;
	for (s = 0; s < __RBI_STAT_MAX; s++)
		if (nla_put_u64_64bit(msg, s + 1, v[s], 0))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int rbi_status_config(struct sk_buff *msg, const struct rbi_modcfg *mc)
{
	if (!mc)
		return nla_put_u32(msg, RBI_A_GENERATION, 0);
	if (nla_put_u32(msg, RBI_A_GENERATION, mc->generation) ||
	    nla_put_string(msg, RBI_A_POLICY_SHA256, mc->sha256) ||
	    nla_put_string(msg, RBI_A_POLICY_NAME, mc->name) ||
	    nla_put_u32(msg, RBI_A_ZONES, mc->n.zones) ||
	    nla_put_u32(msg, RBI_A_RECORDERS, mc->n.recorders) ||
	    nla_put_u32(msg, RBI_A_SERVICES, mc->n.services) ||
	    nla_put_u32(msg, RBI_A_DOHS, mc->n.doh) ||
	    nla_put_u32(msg, RBI_A_PATTERNS, mc->n.patterns) ||
	    nla_put_u32(msg, RBI_A_NETS, mc->n.nets))
		return -EMSGSIZE;
	return 0;
}

/* Under pn->lock, so that no commit frees the configuration meanwhile. */
static int rbi_status_fill(struct sk_buff *msg, struct rbi_pernet *pn,
			   const struct rbi_modcfg *mc)
{
	u64 v[__RBI_STAT_MAX];

	rbi_status_values(pn, mc, v);
	if (rbi_status_config(msg, mc) ||
	    nla_put_u64_64bit(msg, RBI_A_MEM_ALLOCS, rbi_mem_outstanding(),
			      RBI_A_UNSPEC) ||
	    rbi_status_stats(msg, v))
		return -EMSGSIZE;
	return 0;
}

int rbi_status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct rbi_pernet *pn = rbi_pernet(genl_info_net(info));
	struct rbi_modcfg *mc;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rbi_genl_family, 0,
				RBI_CMD_STATUS_GET);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_lock(&pn->lock);
	mc = rcu_dereference_protected(pn->config, lockdep_is_held(&pn->lock));
	err = rbi_status_fill(msg, pn, mc);
	mutex_unlock(&pn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int rbi_status_learned_fill(struct sk_buff *skb,
				   struct netlink_callback *cb,
				   const struct rbi_modcfg *mc,
				   const struct rbi_learn_entry *e, u64 now)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &rbi_genl_family,
				NLM_F_MULTI, RBI_CMD_LEARNED_GET);

	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put(skb, RBI_A_ADDR, e->ip.family == RBI_IP_V4 ? 4 : 16,
		    e->ip.a) ||
	    nla_put_u32(skb, RBI_A_SERVICE, e->service) ||
	    nla_put_string(skb, RBI_A_SERVICE_ID,
			   rbi_modcfg_service_id(mc, e->service)) ||
	    nla_put_u32(skb, RBI_A_EXPIRES, (u32)(e->expires - now))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: the next table slot to look at. */
int rbi_status_learned_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rbi_pernet *pn = rbi_pernet(sock_net(skb->sk));
	u64 now = ktime_get_seconds();
	struct rbi_learn_entry e;
	struct rbi_modcfg *mc;
	u32 pos = cb->args[0], at;
	bool more;

	rcu_read_lock();
	mc = rcu_dereference(pn->config);
	if (!mc)
		goto out;
	/* A new configuration mid-dump marks the dump interrupted. */
	cb->seq = mc->generation;
	for (;;) {
		at = pos;
		spin_lock_bh(&pn->learn_lock);
		more = rbi_learn_next(mc->learned, &pos, now, &e);
		spin_unlock_bh(&pn->learn_lock);
		if (!more)
			break;
		if (rbi_status_learned_fill(skb, cb, mc, &e, now)) {
			pos = at;
			break;
		}
	}
	cb->args[0] = pos;
out:
	rcu_read_unlock();
	return skb->len;
}
