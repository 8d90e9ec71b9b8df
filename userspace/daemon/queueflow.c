// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The queue backend's inspection (rbi_nft_defs.h): every packet of an
 * undecided public-zone flow, both ways, handed to the inspection engine
 * the module runs (rbi_inspect.h), one state per flow. Each queue's thread
 * has a table of its own: a flow's packets always reach the same queue.
 * The engine's decision goes back in the verdict's mark, which the
 * ruleset turns into the module's conntrack label bits; what it reports
 * reaches the main thread as the module's events would.
 *
 * What the engine leaves to its caller: a blocked flow passes no other
 * packet (one queued before the labels held, or of a flow conntrack gave
 * no labels, is given the block again); no room for a state or its bytes
 * fails the flow closed (RBI_FAIL_TABLE_FULL, RBI_FAIL_MEMORY); a state
 * idle too long is forgotten, and its flow's next packet is then one of
 * a flow not seen to open, which fails closed too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netfilter.h>
#include <sys/random.h>

#include "rbi_inspect.h"
#include "daemon/internal.h"
#include "nft/defs.h"
#include "scan/frame.h"

enum {
	RBI_QFLOW_OPEN = 4096,		/* undecided flows, all threads */
	RBI_QFLOW_BYTES = 16 << 20,	/* bytes held, all threads */
	RBI_QFLOW_STATES = 1 << 14,	/* states a thread keeps */
	RBI_QFLOW_BUCKETS = 1 << 12,
	RBI_QFLOW_EVICT = 8,		/* oldest states looked at for room */
	RBI_QFLOW_IDLE = 30,		/* seconds: a stalled flow is dropped */
	/*
	 * ... an undecided UDP flow (DNS: a camera's resolver asks from a new
	 * port each time, and an answer matches its query in the engine's
	 * query table, which keeps it longer, with or without the flow).
	 */
	RBI_QFLOW_IDLE_UDP = 5,
	RBI_QFLOW_IDLE_BETWEEN = 300,	/* ... one idle between requests */
	/*
	 * A decided flow is remembered a little, for its packets queued
	 * before its label bits held (and flows conntrack gave no labels).
	 */
	RBI_QFLOW_KEEP = 2,
	RBI_QFLOW_DNSQ = 4096,		/* DNS queries awaiting answers */
};

struct rbi_qflow {
	struct rbi_qflow *next;		/* in its bucket */
	struct rbi_qflow *older;	/* by last packet */
	struct rbi_qflow *newer;
	struct rbi_runrec_key key;	/* as the initiator opened it */
	uint32_t hash;
	uint64_t last;			/* seconds */
	uint32_t code;			/* its decision's mark, once decided */
	bool watch;			/* allowed UDP, QUIC watched for here */
	bool open;			/* undecided: counted in the budget */
	struct rbi_insp st;
};

struct rbi_qflows {
	struct rbi_daemon *d;
	struct rbi_qflow *bucket[RBI_QFLOW_BUCKETS];
	struct rbi_qflow *oldest;
	struct rbi_qflow *newest;
	uint32_t seed;
	struct rbi_qflow_budget *budget;
	size_t n;
	uint64_t swept;
	bool inner;
	bool learn_failed;
	struct rbi_insp_scratch *scr;
	struct rbi_dnsq *dnsq;
	const struct rbi_ip *responder;	/* of the flow at hand */
	struct rbi_qflow_stats st;
};

static uint64_t rbi_qflow_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

static void rbi_qflow_count(uint64_t *c)
{
	__atomic_add_fetch(c, 1, __ATOMIC_RELAXED);
}

struct rbi_qflows *rbi_qflows_new(struct rbi_daemon *d,
				  struct rbi_qflow_budget *budget, bool inner)
{
	struct rbi_qflows *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) !=
	    sizeof(t->seed))
		t->seed = (uint32_t)rbi_qflow_now() ^ (uint32_t)(uintptr_t)t;
	t->d = d;
	t->inner = inner;
	t->budget = budget;
	t->scr = malloc(sizeof(*t->scr));
	t->dnsq = rbi_dnsq_alloc(RBI_QFLOW_DNSQ, t->seed);
	if (!t->scr || !t->dnsq) {
		rbi_qflows_free(t);
		return NULL;
	}
	return t;
}

static void rbi_qflow_release(struct rbi_qflows *t, struct rbi_qflow *f)
{
	__atomic_sub_fetch(&t->budget->bytes, f->st.cap + f->st.rcap,
			   __ATOMIC_RELAXED);
	free(f->st.buf);
	free(f->st.rbuf);
	f->st.buf = f->st.rbuf = NULL;
	f->st.cap = f->st.rcap = 0;
}

void rbi_qflows_free(struct rbi_qflows *t)
{
	struct rbi_qflow *f, *next;

	if (!t)
		return;
	for (f = t->oldest; f; f = next) {
		next = f->newer;
		rbi_qflow_release(t, f);
		free(f);
	}
	rbi_dnsq_free(t->dnsq);
	free(t->scr);
	free(t);
}

void rbi_qflows_get_stats(const struct rbi_qflows *t,
			  struct rbi_qflow_stats *s)
{
	const uint64_t *from = (const uint64_t *)&t->st;
	uint64_t *to = (uint64_t *)s;
	size_t i;

	for (i = 0; i < sizeof(*s) / sizeof(uint64_t); i++)
		to[i] = __atomic_load_n(&from[i], __ATOMIC_RELAXED);
}

static uint32_t rbi_qflow_hash(const struct rbi_qflows *t,
			       const struct rbi_runrec_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint32_t h = 2166136261u ^ t->seed;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 16777619u;
	return h ^ (h >> 15);
}

static void rbi_qflow_unlink(struct rbi_qflows *t, struct rbi_qflow *f)
{
	if (f->older)
		f->older->newer = f->newer;
	else
		t->oldest = f->newer;
	if (f->newer)
		f->newer->older = f->older;
	else
		t->newest = f->older;
	f->older = f->newer = NULL;
}

static void rbi_qflow_touch(struct rbi_qflows *t, struct rbi_qflow *f,
			    uint64_t now)
{
	f->last = now;
	if (t->newest == f)
		return;
	if (f->older || f->newer || t->oldest == f)
		rbi_qflow_unlink(t, f);
	f->older = t->newest;
	if (t->newest)
		t->newest->newer = f;
	else
		t->oldest = f;
	t->newest = f;
}

/* The flow is no longer undecided: out of the budget's count. */
static void rbi_qflow_close(struct rbi_qflows *t, struct rbi_qflow *f)
{
	if (f->open)
		__atomic_sub_fetch(&t->budget->open, 1, __ATOMIC_RELAXED);
	f->open = false;
}

/* Counts the flow undecided; false when as many are as may be. */
static bool rbi_qflow_reopen(struct rbi_qflows *t, struct rbi_qflow *f)
{
	if (__atomic_add_fetch(&t->budget->open, 1, __ATOMIC_RELAXED) >
	    RBI_QFLOW_OPEN) {
		__atomic_sub_fetch(&t->budget->open, 1, __ATOMIC_RELAXED);
		return false;
	}
	f->open = true;
	return true;
}

static void rbi_qflow_del(struct rbi_qflows *t, struct rbi_qflow *f)
{
	struct rbi_qflow **pp = &t->bucket[f->hash % RBI_QFLOW_BUCKETS];

	while (*pp != f)
		pp = &(*pp)->next;
	*pp = f->next;
	rbi_qflow_unlink(t, f);
	rbi_qflow_release(t, f);
	rbi_qflow_close(t, f);
	free(f);
	t->n--;
}

/*
 * Forgets what waited too long, at most once a second: decided flows
 * after RBI_QFLOW_KEEP, undecided UDP after RBI_QFLOW_IDLE_UDP, flows
 * between requests after RBI_QFLOW_IDLE_BETWEEN, any other after
 * RBI_QFLOW_IDLE.
 */
static void rbi_qflows_expire(struct rbi_qflows *t, uint64_t now)
{
	struct rbi_qflow *f, *next;
	uint64_t idle;

	if (now == t->swept)
		return;
	t->swept = now;
	for (f = t->oldest; f && now - f->last > RBI_QFLOW_KEEP; f = next) {
		next = f->newer;
		idle = f->code ? RBI_QFLOW_KEEP :
		       f->key.l4 == RBI_L4_UDP ? RBI_QFLOW_IDLE_UDP :
		       rbi_insp_between(&f->st) ? RBI_QFLOW_IDLE_BETWEEN :
		       RBI_QFLOW_IDLE;
		if (now - f->last <= idle)
			continue;
		if (!f->code)
			rbi_qflow_count(&t->st.expired);
		rbi_qflow_del(t, f);
	}
}

static bool rbi_key_eq(const struct rbi_runrec_key *a,
		       const struct rbi_runrec_key *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static struct rbi_qflow *rbi_qflow_find(struct rbi_qflows *t,
					const struct rbi_runrec_key *k,
					uint32_t hash)
{
	struct rbi_qflow *f;

	for (f = t->bucket[hash % RBI_QFLOW_BUCKETS]; f; f = f->next)
		if (f->hash == hash && rbi_key_eq(&f->key, k))
			return f;
	return NULL;
}

/* The engine's view of a flow: the initiator's, with what DNS taught. */
static void rbi_qflow_flow(struct rbi_qflows *t,
			   const struct rbi_runrec_key *k, struct rbi_flow *fl)
{
	memset(fl, 0, sizeof(*fl));
	fl->src = k->src;
	fl->dst = k->dst;
	fl->sport = k->sport;
	fl->dport = k->dport;
	fl->l4 = k->l4;
	fl->learned = rbi_memo_find(&t->d->memo, &k->dst, NULL, 0);
}

/*
 * Room for one more state: a thread full of them forgets the oldest it
 * has decided (its flow's label bits hold its decision), never one it
 * has not.
 */
static bool rbi_qflow_room(struct rbi_qflows *t)
{
	struct rbi_qflow *f = t->oldest;
	unsigned int i;

	for (i = 0; t->n >= RBI_QFLOW_STATES && f && i < RBI_QFLOW_EVICT;
	     i++, f = f->newer) {
		if (!f->open) {
			rbi_qflow_del(t, f);
			return true;
		}
	}
	return t->n < RBI_QFLOW_STATES;
}

/*
 * A new state, or NULL when the undecided flows, or this thread's
 * states, are as many as may be.
 */
static struct rbi_qflow *rbi_qflow_add(struct rbi_qflows *t,
				       const struct rbi_runrec_key *k,
				       uint32_t hash)
{
	struct rbi_qflow *f;
	struct rbi_flow fl;

	if (!rbi_qflow_room(t))
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	if (!rbi_qflow_reopen(t, f)) {
		free(f);
		return NULL;
	}
	f->key = *k;
	f->hash = hash;
	rbi_qflow_flow(t, k, &fl);
	rbi_insp_open(&f->st, &fl);
	f->next = t->bucket[hash % RBI_QFLOW_BUCKETS];
	t->bucket[hash % RBI_QFLOW_BUCKETS] = f;
	t->n++;
	rbi_qflow_count(&t->st.flows);
	return f;
}

/*
 * What a DNS answer that matched its query taught, set before it goes;
 * learning refuses the responder's own address.
 */
static void rbi_qflow_learn(void *ctx, const struct rbi_dns_answer_set *set)
{
	struct rbi_qflows *t = ctx;

	if (rbi_daemon_learn_set(t->d, set, t->responder))
		t->learn_failed = true;
}

static void rbi_qflow_env(struct rbi_qflows *t, uint64_t now,
			  struct rbi_insp_env *env)
{
	memset(env, 0, sizeof(*env));
	env->cfg = t->d->p->config;
	env->scr = t->scr;
	env->dnsq = t->dnsq;
	env->now = now;
	env->learn = rbi_qflow_learn;
	env->ctx = t;
}

/* The module's event for what the engine reported. */
static void rbi_qflow_report(struct rbi_qflows *t,
			     const struct rbi_insp_result *res)
{
	const struct rbi_policy *p = t->d->p;
	struct rbi_modctl_event ev;
	struct timespec ts;

	memset(&ev, 0, sizeof(ev));
	clock_gettime(CLOCK_REALTIME, &ts);
	ev.time_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	ev.hook = NF_INET_FORWARD;
	ev.flow = res->flow;
	ev.flow.name = NULL;
	if (res->flow.name_len) {
		ev.flow.name_len = res->flow.name_len < sizeof(ev.name) ?
				   res->flow.name_len : sizeof(ev.name) - 1;
		memcpy(ev.name, res->flow.name, ev.flow.name_len);
	}
	ev.d = res->d;
	if (res->d.service < p->n_services)
		snprintf(ev.service_id, sizeof(ev.service_id), "%s",
			 p->services[res->d.service].id);
	rbi_queues_post(t->d->queues, &ev);
}

/*
 * The mark that tells the ruleset a decision. A UDP flow allowed before
 * it showed QUIC stays watched: by the ruleset where the kernel reads
 * the datagrams' first bytes, else here, the flow left undecided.
 */
static void rbi_qflow_decided(struct rbi_qflows *t, struct rbi_qflow *f,
			      const struct rbi_insp_result *res)
{
	const struct rbi_decision *d = &res->d;

	rbi_qflow_count(&t->st.decided);
	if (d->verdict == RBI_BLOCK) {
		rbi_qflow_count(&t->st.blocked);
		f->code = RBI_NFT_QMARK_BLOCK(d->rule);
	} else if (d->log) {
		f->code = RBI_NFT_QMARK_LOG;
	} else if (res->watch) {
		f->watch = true;
		f->code = t->inner ? RBI_NFT_QMARK_WATCH : 0;
	} else {
		f->code = RBI_NFT_QMARK_ALLOW;
	}
	rbi_qflow_release(t, f);
	rbi_qflow_close(t, f);
}

static void rbi_qflow_result(struct rbi_qflows *t, struct rbi_qflow *f,
			     const struct rbi_insp_result *res)
{
	unsigned int stats[RBI_INSP_STATS_MAX];
	size_t i, n = rbi_insp_stats(res, stats);

	for (i = 0; i < n; i++)
		rbi_qflow_count(&t->st.stat[stats[i]]);
	if (res->report)
		rbi_qflow_report(t, res);
	if (res->decided)
		rbi_qflow_decided(t, f, res);
}

/*
 * Room for what the packet brings: the window (rbuf for the responder's
 * side) grown within RBI_QFLOW_BYTES over all threads. False when there
 * is none.
 */
static bool rbi_qflow_grow(struct rbi_qflows *t, struct rbi_qflow *f,
			   bool reply, uint32_t room)
{
	uint8_t **buf = reply ? &f->st.rbuf : &f->st.buf;
	uint32_t *cap = reply ? &f->st.rcap : &f->st.cap;
	uint8_t *nb;

	if (room <= *cap)
		return true;
	if (__atomic_add_fetch(&t->budget->bytes, room - *cap,
			       __ATOMIC_RELAXED) > RBI_QFLOW_BYTES ||
	    !(nb = realloc(*buf, room))) {
		__atomic_sub_fetch(&t->budget->bytes, room - *cap,
				   __ATOMIC_RELAXED);
		return false;
	}
	*buf = nb;
	*cap = room;
	return true;
}

static uint8_t rbi_qflow_flags(const struct rbi_frame *fr, bool reply)
{
	uint8_t f = 0;

	if (fr->tcp_flags & RBI_TCP_SYN)
		f |= RBI_INSP_SYN;
	if (fr->tcp_flags & RBI_TCP_FIN)
		f |= RBI_INSP_FIN;
	if (fr->tcp_flags & RBI_TCP_RST)
		f |= RBI_INSP_RST;
	if (fr->tcp_flags & RBI_TCP_URG)
		f |= RBI_INSP_URG;
	/* Only the responder's acknowledgements free the client's bytes. */
	if (reply && (fr->tcp_flags & RBI_TCP_ACK))
		f |= RBI_INSP_ACK;
	if (reply)
		f |= RBI_INSP_REPLY;
	return f;
}

/*
 * A flow the thread has no room for is decided fail-closed at once; its
 * next packets come back and are refused again, until the table has room.
 */
static uint32_t rbi_qflow_refuse(struct rbi_qflows *t,
				 const struct rbi_runrec_key *k,
				 const struct rbi_insp_env *env)
{
	struct rbi_insp_result res;
	struct rbi_qflow f;
	struct rbi_flow fl;

	memset(&f, 0, sizeof(f));
	rbi_qflow_count(&t->st.table_full);
	rbi_qflow_flow(t, k, &fl);
	rbi_insp_open(&f.st, &fl);
	rbi_insp_fail(&f.st, env, RBI_FAIL_TABLE_FULL, &res);
	rbi_qflow_result(t, &f, &res);
	return f.code;
}

/*
 * The flow's verdict on one packet (fresh: the first of a conntrack
 * entry): NF_DROP, or NF_ACCEPT with *code the decision's mark (0 while
 * undecided).
 */
static unsigned int rbi_qflow_packet(struct rbi_qflows *t,
				     const struct rbi_frame *fr, bool reply,
				     bool fresh, uint64_t now, uint32_t *code)
{
	struct rbi_insp_result res;
	struct rbi_runrec_key k;
	struct rbi_insp_env env;
	struct rbi_insp_pkt p;
	struct rbi_qflow *f;
	struct rbi_flow fl;
	enum rbi_insp_verdict v;
	uint32_t hash, room;

	memset(&k, 0, sizeof(k));
	k.src = reply ? fr->dst : fr->src;
	k.dst = reply ? fr->src : fr->dst;
	k.sport = reply ? fr->dport : fr->sport;
	k.dport = reply ? fr->sport : fr->dport;
	k.l4 = fr->l4;
	t->responder = &k.dst;
	hash = rbi_qflow_hash(t, &k);
	rbi_qflow_env(t, now, &env);
	f = rbi_qflow_find(t, &k, hash);
	/*
	 * A new conntrack entry for a flow still remembered: its ports were
	 * used again once the old connection closed. The module would see a
	 * new entry, and a state of its own.
	 */
	if (f && fresh) {
		rbi_qflow_del(t, f);
		f = NULL;
	}
	if (!f)
		f = rbi_qflow_add(t, &k, hash);
	if (!f) {
		*code = rbi_qflow_refuse(t, &k, &env);
		return NF_ACCEPT;
	}
	rbi_qflow_touch(t, f, now);
	if (f->watch && !reply && rbi_insp_is_quic(fr->data, fr->len)) {
		/* QUIC after all: the flow is looked at afresh. */
		rbi_qflow_flow(t, &k, &fl);
		rbi_insp_open(&f->st, &fl);
		f->watch = false;
		f->code = 0;
		if (!rbi_qflow_reopen(t, f)) {
			rbi_qflow_count(&t->st.table_full);
			rbi_insp_fail(&f->st, &env, RBI_FAIL_TABLE_FULL, &res);
			rbi_qflow_result(t, f, &res);
		}
	}
	*code = f->code;
	if (rbi_insp_decided(&f->st))
		return NF_ACCEPT;
	memset(&p, 0, sizeof(p));
	p.data = fr->data;
	p.len = (uint32_t)fr->len;
	p.seq = fr->seq;
	p.ack = fr->ack;
	p.flags = rbi_qflow_flags(fr, reply);
	room = rbi_insp_room(&f->st, &p);
	if (room && !rbi_qflow_grow(t, f, reply, room)) {
		rbi_qflow_count(&t->st.memory);
		rbi_insp_fail(&f->st, &env, RBI_FAIL_MEMORY, &res);
		v = RBI_INSP_PASS;
	} else {
		rbi_qflow_count(&t->st.stat[RBI_STAT_PACKETS]);
		v = rbi_insp_packet(&f->st, &env, &p, &res);
	}
	rbi_qflow_result(t, f, &res);
	*code = f->code;
	if (t->learn_failed) {
		t->learn_failed = false;
		rbi_qflow_count(&t->st.learn_failed);
		return NF_DROP;
	}
	return v == RBI_INSP_DROP ? NF_DROP : NF_ACCEPT;
}

void rbi_daemon_queue_flow(struct rbi_queue *q, const struct rbi_queue_pkt *pkt,
			   void *ctx)
{
	uint32_t way = pkt->mark & RBI_NFT_QMARK_MASK;
	uint32_t keep = pkt->mark & ~(uint32_t)RBI_NFT_QMARK_MASK, code = 0;
	struct rbi_qflows *t = ctx;
	uint64_t now = rbi_qflow_now();
	unsigned int verdict;
	struct rbi_frame fr;

	/*
	 * What cannot be read whole cannot be inspected: dropped, the sender
	 * resends it (in segments the queue can copy).
	 */
	if (pkt->len < pkt->wire_len ||
	    rbi_frame_decode(RBI_LINK_RAW, pkt->data, pkt->len, NULL, 0,
			     &fr) != RBI_FRAME_OK || fr.cut) {
		rbi_qflow_count(&t->st.unread);
		rbi_queue_verdict(q, pkt->id, NF_DROP);
		return;
	}
	pthread_rwlock_rdlock(&t->d->plock);
	verdict = rbi_qflow_packet(t, &fr, way == RBI_NFT_QMARK_REPLY,
				   way == RBI_NFT_QMARK_NEW, now, &code);
	pthread_rwlock_unlock(&t->d->plock);
	if (verdict == NF_DROP)
		rbi_queue_verdict(q, pkt->id, NF_DROP);
	else
		rbi_queue_verdict_mark(q, pkt->id, NF_ACCEPT, keep | code);
	rbi_qflows_expire(t, now);
}
