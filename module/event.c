// SPDX-License-Identifier: GPL-2.0
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <net/genetlink.h>

#include "event.h"
#include "genl.h"
#include "modcfg.h"
#include "params.h"
#include "pernet.h"

void rbi_events_init(struct rbi_events *ev)
{
	spin_lock_init(&ev->lock);
	ev->tokens = (u64)rbi_param_event_burst * HZ;
	ev->last = jiffies;
}

/*
 * Takes a token. Returns false when there is none (the event is held back
 * and counted); otherwise true with *held the events held back before it.
 */
static bool rbi_events_take(struct rbi_events *ev, u64 *held)
{
	u64 cap = (u64)rbi_param_event_burst * HZ;
	unsigned long now = jiffies;
	bool ok;

	spin_lock_bh(&ev->lock);
	ev->tokens = min(cap, ev->tokens +
			 (u64)(now - ev->last) * rbi_param_event_rate);
	ev->last = now;
	ok = ev->tokens >= HZ;
	if (ok) {
		ev->tokens -= HZ;
		*held = ev->held;
		ev->held = 0;
	} else {
		ev->held++;
	}
	spin_unlock_bh(&ev->lock);
	return ok;
}

static int rbi_put_ip(struct sk_buff *skb, int type, const struct rbi_ip *ip)
{
	return nla_put(skb, type, ip->family == RBI_IP_V4 ? 4 : 16, ip->a);
}

static int rbi_put_flow(struct sk_buff *skb, const struct rbi_flow *f)
{
	if (rbi_put_ip(skb, RBI_A_SRC, &f->src) ||
	    rbi_put_ip(skb, RBI_A_DST, &f->dst) ||
	    nla_put_u16(skb, RBI_A_SPORT, f->sport) ||
	    nla_put_u16(skb, RBI_A_DPORT, f->dport) ||
	    nla_put_u8(skb, RBI_A_L4, f->l4) ||
	    nla_put_u8(skb, RBI_A_APP, f->app))
		return -EMSGSIZE;
	if (f->name_len &&
	    nla_put_string(skb, RBI_A_NAME, f->name))
		return -EMSGSIZE;
	if (f->ech && nla_put_flag(skb, RBI_A_ECH))
		return -EMSGSIZE;
	return 0;
}

static int rbi_put_decision(struct sk_buff *skb, const struct rbi_modcfg *mc,
			    const struct rbi_decision *d)
{
	if (nla_put_u8(skb, RBI_A_VERDICT, d->verdict) ||
	    nla_put_u8(skb, RBI_A_RULE, d->rule) ||
	    nla_put_u8(skb, RBI_A_REASON, d->reason) ||
	    nla_put_u8(skb, RBI_A_CATEGORY, d->category) ||
	    nla_put_u32(skb, RBI_A_ZONE, d->zone) ||
	    nla_put_u32(skb, RBI_A_SERVICE, d->service) ||
	    nla_put_string(skb, RBI_A_SERVICE_ID,
			   rbi_modcfg_service_id(mc, d->service)) ||
	    nla_put_u32(skb, RBI_A_RECORDER, d->recorder) ||
	    nla_put_u32(skb, RBI_A_DOH, d->doh) ||
	    nla_put_u32(skb, RBI_A_PATTERN_ID, d->pattern_id) ||
	    nla_put_u32(skb, RBI_A_NET_ID, d->net_id) ||
	    nla_put_u32(skb, RBI_A_GENERATION, mc->generation))
		return -EMSGSIZE;
	if ((d->log && nla_put_flag(skb, RBI_A_LOG)) ||
	    (d->ingress && nla_put_flag(skb, RBI_A_INGRESS)) ||
	    (d->fail && nla_put_u8(skb, RBI_A_FAIL, d->fail)))
		return -EMSGSIZE;
	return 0;
}

static int rbi_event_fill(struct sk_buff *skb, const struct rbi_modcfg *mc,
			  const struct rbi_flow *f,
			  const struct rbi_decision *d, u8 hook, u64 held)
{
	void *hdr = genlmsg_put(skb, 0, 0, &rbi_genl_family, 0, RBI_CMD_EVENT);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, RBI_A_TIME, ktime_get_real_ns(),
			      RBI_A_UNSPEC) ||
	    nla_put_u64_64bit(skb, RBI_A_SUPPRESSED, held, RBI_A_UNSPEC) ||
	    nla_put_u8(skb, RBI_A_HOOK, hook) ||
	    rbi_put_flow(skb, f) || rbi_put_decision(skb, mc, d)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

void rbi_event_flow(struct rbi_pernet *pn, const struct rbi_modcfg *mc,
		    const struct rbi_flow *f, const struct rbi_decision *d,
		    u8 hook)
{
	struct sk_buff *skb;
	u64 held;

	if (!genl_has_listeners(&rbi_genl_family, pn->net, 0))
		return;
	if (!rbi_events_take(&pn->events, &held)) {
		rbi_stat_add(pn, RBI_STAT_EVENTS_SUPPRESSED, 1);
		return;
	}
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb || rbi_event_fill(skb, mc, f, d, hook, held)) {
		nlmsg_free(skb);
		rbi_stat_add(pn, RBI_STAT_EVENTS_FAILED, 1);
		return;
	}
	if (genlmsg_multicast_netns(&rbi_genl_family, pn->net, skb, 0, 0,
				    GFP_ATOMIC))
		rbi_stat_add(pn, RBI_STAT_EVENTS_FAILED, 1);
	else
		rbi_stat_add(pn, RBI_STAT_EVENTS, 1);
}

