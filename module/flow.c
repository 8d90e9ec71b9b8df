// SPDX-License-Identifier: GPL-2.0
#include <linux/hash.h>
#include <linux/jiffies.h>

#include "flow.h"
#include "memory.h"
#include "params.h"

enum {
	RBI_FLOW_GC_PERIOD = HZ,
};

static void rbi_flows_gc(struct work_struct *work);

void rbi_flows_init(struct rbi_flows *f)
{
	unsigned int i;

	spin_lock_init(&f->lock);
	for (i = 0; i < ARRAY_SIZE(f->hash); i++)
		INIT_HLIST_HEAD(&f->hash[i]);
	f->max = rbi_param_flows_max;
	f->budget.max = rbi_param_flow_bytes_max;
	INIT_DELAYED_WORK(&f->gc, rbi_flows_gc);
}

static struct hlist_head *rbi_flows_bucket(struct rbi_flows *f,
					   const struct nf_conn *ct)
{
	return &f->hash[hash_ptr(ct, RBI_FLOW_HASH_BITS)];
}

struct rbi_flow_state *rbi_flows_find(struct rbi_flows *f,
				      const struct nf_conn *ct)
{
	struct rbi_flow_state *st;

	hlist_for_each_entry(st, rbi_flows_bucket(f, ct), node)
		if (st->ct == ct)
			return st;
	return NULL;
}

struct rbi_flow_state *rbi_flows_add(struct rbi_flows *f, struct nf_conn *ct)
{
	struct rbi_flow_state *st;

	if (f->count >= f->max || f->stopping)
		return NULL;
	st = rbi_mem_zalloc_atomic(sizeof(*st));
	if (!st)
		return NULL;
	nf_conntrack_get(&ct->ct_general);
	st->ct = ct;
	st->last = jiffies;
	hlist_add_head(&st->node, rbi_flows_bucket(f, ct));
	if (!f->count++)
		schedule_delayed_work(&f->gc, RBI_FLOW_GC_PERIOD);
	return st;
}

void rbi_flows_del(struct rbi_flows *f, struct rbi_flow_state *st)
{
	hlist_del(&st->node);
	f->count--;
	rbi_stream_free(&st->orig, &f->budget);
	rbi_stream_free(&st->reply, &f->budget);
	nf_ct_put(st->ct);
	rbi_mem_free(st);
}

/* The conntrack entry is gone, or the flow has stalled. */
static bool rbi_flow_stale(const struct rbi_flow_state *st)
{
	unsigned long idle = jiffies - st->last;

	if (nf_ct_is_dying(st->ct))
		return true;
	if (!nf_ct_is_confirmed(st->ct) &&
	    idle > RBI_FLOW_UNCONFIRMED_SECS * HZ)
		return true;
	return idle > RBI_FLOW_IDLE_SECS * HZ;
}

static void rbi_flows_gc(struct work_struct *work)
{
	struct rbi_flows *f = container_of(to_delayed_work(work),
					   struct rbi_flows, gc);
	struct rbi_flow_state *st;
	struct hlist_node *tmp;
	unsigned int i;

	spin_lock_bh(&f->lock);
	for (i = 0; i < ARRAY_SIZE(f->hash); i++) {
		hlist_for_each_entry_safe(st, tmp, &f->hash[i], node) {
			if (!rbi_flow_stale(st))
				continue;
			rbi_flows_del(f, st);
			f->expired++;
		}
	}
	if (f->count && !f->stopping)
		schedule_delayed_work(&f->gc, RBI_FLOW_GC_PERIOD);
	spin_unlock_bh(&f->lock);
}

void rbi_flows_flush(struct rbi_flows *f)
{
	struct rbi_flow_state *st;
	struct hlist_node *tmp;
	unsigned int i;

	spin_lock_bh(&f->lock);
	f->stopping = true;
	spin_unlock_bh(&f->lock);
	cancel_delayed_work_sync(&f->gc);
	spin_lock_bh(&f->lock);
	for (i = 0; i < ARRAY_SIZE(f->hash); i++)
		hlist_for_each_entry_safe(st, tmp, &f->hash[i], node)
			rbi_flows_del(f, st);
	f->stopping = false;
	spin_unlock_bh(&f->lock);
}
