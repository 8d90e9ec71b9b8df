// SPDX-License-Identifier: GPL-2.0
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>

#include "flow.h"
#include "inspect.h"
#include "memory.h"
#include "offload.h"
#include "params.h"
#include "pernet.h"

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

struct rbi_flow_state *rbi_flows_add(struct rbi_flows *f, struct nf_conn *ct,
				     bool hold)
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
	st->held = hold;
	if (hold)
		rbi_offload_hold(ct);
	hlist_add_head(&st->node, rbi_flows_bucket(f, ct));
	if (!f->count++)
		schedule_delayed_work(&f->gc, RBI_FLOW_GC_PERIOD);
	return st;
}

static void rbi_flow_state_free(struct rcu_head *head)
{
	struct rbi_flow_state *st = container_of(head, struct rbi_flow_state,
						 rcu);

	if (st->held)
		rbi_offload_let_go(st->ct);
	nf_ct_put(st->ct);
	rbi_mem_free(st);
}

/*
 * The flow's entry is let go of (and, held, let into flowtables) only a
 * grace period after the state goes, its decision written by then: a
 * packet of it that met the ruleset before a decision to block could
 * otherwise reach a chain that offloads it, which takes all its later
 * packets past the ruleset that drops them.
 */
void rbi_flows_del(struct rbi_flows *f, struct rbi_flow_state *st)
{
	hlist_del(&st->node);
	f->count--;
	f->budget.used -= st->insp.cap + st->insp.rcap;
	rbi_mem_free(st->insp.buf);
	rbi_mem_free(st->insp.rbuf);
	call_rcu(&st->rcu, rbi_flow_state_free);
}

bool rbi_flows_room(struct rbi_flows *f, struct rbi_flow_state *st,
		    bool reply, u32 room)
{
	struct rbi_insp *in = &st->insp;
	u8 **buf = reply ? &in->rbuf : &in->buf;
	u32 *cap = reply ? &in->rcap : &in->cap;
	u32 held = reply ? in->rlen : in->len;
	u32 max = reply ? RBI_INSP_DNS_FRAME_MAX : RBI_INSP_WINDOW;
	u32 want;
	u8 *b;

	if (room <= *cap)
		return true;
	want = min_t(u32, max_t(u32, RBI_FLOW_BUF_MIN,
				roundup_pow_of_two(room)), max);
	if (f->budget.used - *cap + want > f->budget.max)
		return false;
	b = rbi_mem_zalloc_atomic(want);
	if (!b)
		return false;
	if (held)
		memcpy(b, *buf, held);
	rbi_mem_free(*buf);
	f->budget.used = f->budget.used - *cap + want;
	*buf = b;
	*cap = want;
	return true;
}

/*
 * How long a state may wait for its next packet: a request stream between
 * requests may idle as a keep-alive connection does, one in the middle of
 * a hello or a head may not. Unconfirmed entries never left this host.
 */
static bool rbi_flow_expired(const struct rbi_flow_state *st, bool *quietly)
{
	unsigned long idle = jiffies - st->last;
	unsigned int secs = rbi_insp_between(&st->insp) ?
			    rbi_param_keepalive_secs : rbi_param_idle_secs;

	*quietly = nf_ct_is_dying(st->ct) ||
		   (!nf_ct_is_confirmed(st->ct) &&
		    idle > RBI_FLOW_UNCONFIRMED_SECS * HZ);
	return *quietly || idle > secs * HZ;
}

/*
 * A state gone is a flow no longer inspected: unless its conntrack entry
 * is gone too, its flow is decided fail-closed rather than forgotten, so
 * that no later packet passes uninspected.
 */
static void rbi_flows_sweep(struct rbi_flows *f, bool all)
{
	struct rbi_pernet *pn = container_of(f, struct rbi_pernet, flows);
	struct rbi_flow_state *st;
	struct hlist_node *tmp;
	bool quietly;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f->hash); i++) {
		hlist_for_each_entry_safe(st, tmp, &f->hash[i], node) {
			if (!all && !rbi_flow_expired(st, &quietly))
				continue;
			if (all || !quietly)
				rbi_inspect_expire(pn, st, all ?
						   RBI_FAIL_UNLOADED :
						   RBI_FAIL_EXPIRED);
			rbi_flows_del(f, st);
			f->expired++;
		}
	}
}

static void rbi_flows_gc(struct work_struct *work)
{
	struct rbi_flows *f = container_of(to_delayed_work(work),
					   struct rbi_flows, gc);

	spin_lock_bh(&f->lock);
	rbi_flows_sweep(f, false);
	if (f->count && !f->stopping)
		schedule_delayed_work(&f->gc, RBI_FLOW_GC_PERIOD);
	spin_unlock_bh(&f->lock);
}

void rbi_flows_flush(struct rbi_flows *f)
{
	spin_lock_bh(&f->lock);
	f->stopping = true;
	spin_unlock_bh(&f->lock);
	cancel_delayed_work_sync(&f->gc);
	spin_lock_bh(&f->lock);
	rbi_flows_sweep(f, true);
	f->stopping = false;
	spin_unlock_bh(&f->lock);
}
