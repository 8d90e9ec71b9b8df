// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DNS learning: copies of the DNS answers sent to cameras teach the
 * learned maps the addresses of prohibited services' names, and the memo
 * the names, for the flows' records. Answers over TCP are put back in
 * order first (dnsstream.c). What learning refuses or cannot read is
 * counted: said at once, listed in status, and recorded in the audit log
 * as a gap at the next heartbeat. The queue backend's threads learn here
 * too (the answers they hold, the ones the inspection engine matched to
 * their queries): one answer at a time, under llock.
 */
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include "audit/time.h"
#include "daemon/internal.h"
#include "util/grow.h"

static void rbi_learn_tell(const struct rbi_dnslearn *out)
{
	char ip[RBI_IP_STRLEN];
	struct rbi_ip a;
	size_t i;

	for (i = 0; i < out->n && i < RBI_DAEMON_SAY_MAX; i++) {
		a.family = out->v[i].entry.family;
		memcpy(a.a, out->v[i].entry.addr, 16);
		rbi_ip_format(&a, ip, sizeof(ip));
		rbi_daemon_say("learned: %s for %s (ttl %u, kept %u s)", ip,
			       out->v[i].comment, out->v[i].ttl,
			       out->v[i].entry.timeout);
	}
	if (out->n > RBI_DAEMON_SAY_MAX)
		rbi_daemon_say("learned: %zu more addresses for %s",
			       out->n - RBI_DAEMON_SAY_MAX,
			       out->v[0].comment);
}

/* The refusals of one answer: at once in the journal, later in the log. */
static void rbi_learn_refusals(struct rbi_daemon *d,
			       const struct rbi_dnslearn *out)
{
	const struct rbi_learn_event *ev;
	char ip[RBI_IP_STRLEN];
	uint64_t n;
	size_t i;

	if (!out->n_refused)
		return;
	for (i = 0; i < __RBI_LEARN_REF_MAX; i++) {
		d->unlearned.refused[i] += out->refused[i];
		d->pending.refused[i] += out->refused[i];
	}
	for (i = 0; i < out->n_shown; i++) {
		ev = &out->shown[i];
		rbi_ip_format(&ev->ip, ip, sizeof(ip));
		rbi_daemon_log(LOG_WARNING, "learn refused: %s for %s %s (%s)",
			       ip, d->p->services[ev->service].id, out->name,
			       rbi_learn_refusal_name(ev->refused));
		if (!d->pending_example[0])
			snprintf(d->pending_example,
				 sizeof(d->pending_example), "%s for %.64s (%s)",
				 ip, out->name,
				 rbi_learn_refusal_name(ev->refused));
	}
	n = out->n_refused - out->n_shown;
	if (n)
		rbi_daemon_log(LOG_WARNING, "learn refused: %llu more "
			       "addresses for %s (%llu over the per-service "
			       "cap, %llu over the table cap)",
			       (unsigned long long)n,
			       out->name, (unsigned long long)
			       out->refused[RBI_LEARN_REF_SERVICE_CAP],
			       (unsigned long long)
			       out->refused[RBI_LEARN_REF_TOTAL_CAP]);
	if (!d->pending_from)
		d->pending_from = rbi_audit_now_us();
	__atomic_store_n(&d->state_dirty, true, __ATOMIC_RELAXED);
}

/* What could not be read: counted, said and recorded like a refusal. */
static void rbi_learn_unread(struct rbi_daemon *d, uint64_t bytes,
			     bool malformed)
{
	if (!bytes && !malformed)
		return;
	d->unlearned.unread += bytes;
	d->pending.unread += bytes;
	d->unlearned.malformed += malformed;
	d->pending.malformed += malformed;
	if (!d->pending_from)
		d->pending_from = rbi_audit_now_us();
	__atomic_store_n(&d->state_dirty, true, __ATOMIC_RELAXED);
}

/* Sets what d->lrn learned in the learned maps: -1 when it could not. */
static int rbi_learn_set(struct rbi_daemon *d)
{
	struct rbi_dnslearn *out = &d->lrn;
	char err[RBI_NFT_ERR_LEN];
	size_t i;

	rbi_learn_unread(d, 0, out->malformed);
	rbi_learn_refusals(d, out);
	if (out->failed)
		rbi_daemon_log(LOG_ERR, "learn failed: out of memory; some "
			       "addresses of %s are only in the memo",
			       out->name);
	if (!out->n)
		return 0;
	if (rbi_grow_to(&d->entries, &d->cap_entries, out->n,
			sizeof(*d->entries))) {
		rbi_daemon_log(LOG_ERR, "learn failed: out of memory");
		return -1;
	}
	for (i = 0; i < out->n; i++)
		d->entries[i] = out->v[i].entry;
	if (rbi_nft_learn(d->entries, out->n, err, sizeof(err))) {
		rbi_daemon_log(LOG_ERR, "learn failed: %s", err);
		return -1;
	}
	rbi_learn_tell(out);
	return 0;
}

/*
 * One DNS message, from the resolver f->src. False when it could not be
 * read whole or what it taught could not be set: a held answer is then
 * dropped, since the camera's resolver might read more of it than we did.
 */
static bool rbi_learn_msg(void *ctx, const struct rbi_frame *f,
			  const uint8_t *msg, size_t len)
{
	struct rbi_daemon *d = ctx;

	rbi_dnslearn(&d->lrn, &d->memo, d->p, msg, len, &f->src, d->grace,
		     &d->scratch);
	if (rbi_learn_set(d) || d->lrn.malformed)
		d->learn_rc = -1;
	return !d->learn_rc;
}

int rbi_daemon_dns(struct rbi_daemon *d, const struct rbi_nflog_pkt *l)
{
	struct rbi_frame frame;
	bool refused = false;
	int rc;

	pthread_mutex_lock(&d->llock);
	d->learn_rc = 0;
	if (!rbi_daemon_decode(l, &frame, false)) {
		rbi_learn_unread(d, l->len, false);
		refused = true;
	} else {
		if (frame.cut)
			rbi_learn_unread(d, frame.len, false);
		if (frame.l4 == IPPROTO_TCP)
			rbi_learn_unread(d, rbi_dnsstreams_segment(
					 d->streams, &frame,
					 rbi_daemon_now_ms(), rbi_learn_msg,
					 d, &refused), false);
		else if (!frame.cut)
			rbi_learn_msg(d, &frame, frame.data, frame.len);
		refused |= frame.cut;
	}
	rc = refused ? -1 : d->learn_rc;
	pthread_mutex_unlock(&d->llock);
	return rc;
}

int rbi_daemon_learn_set(struct rbi_daemon *d,
			 const struct rbi_dns_answer_set *set,
			 const struct rbi_ip *from)
{
	int rc;

	pthread_mutex_lock(&d->llock);
	rbi_dnslearn_set(&d->lrn, &d->memo, d->p, set, from, d->grace);
	rc = rbi_learn_set(d);
	pthread_mutex_unlock(&d->llock);
	return rc;
}

void rbi_daemon_learn_gaps(struct rbi_daemon *d)
{
	struct rbi_daemon_unlearned pending, *u = &pending;
	char detail[512], example[sizeof(d->pending_example)];
	uint64_t infra = 0, caps, n;
	int64_t from;
	size_t i;

	pthread_mutex_lock(&d->llock);
	pending = d->pending;
	from = d->pending_from;
	snprintf(example, sizeof(example), "%s", d->pending_example);
	memset(&d->pending, 0, sizeof(d->pending));
	d->pending_example[0] = '\0';
	d->pending_from = 0;
	pthread_mutex_unlock(&d->llock);
	if (!from)
		return;
	for (i = 0; i < RBI_LEARN_REF_SERVICE_CAP; i++)
		infra += u->refused[i];
	caps = u->refused[RBI_LEARN_REF_SERVICE_CAP] +
	       u->refused[RBI_LEARN_REF_TOTAL_CAP];
	if (infra + caps) {
		snprintf(detail, sizeof(detail), "DNS answers named %llu "
			 "addresses that were not learned: %llu of the "
			 "policy's own infrastructure or no host (camera "
			 "network %llu, recorder %llu, resolver %llu, not a "
			 "host %llu), %llu over the per-service cap, %llu over "
			 "the table cap; e.g. %s",
			 (unsigned long long)(infra + caps),
			 (unsigned long long)infra,
			 (unsigned long long)u->refused[RBI_LEARN_REF_ZONE],
			 (unsigned long long)u->refused[RBI_LEARN_REF_RECORDER],
			 (unsigned long long)u->refused[RBI_LEARN_REF_RESOLVER],
			 (unsigned long long)u->refused[RBI_LEARN_REF_SPECIAL],
			 (unsigned long long)
			 u->refused[RBI_LEARN_REF_SERVICE_CAP],
			 (unsigned long long)u->refused[RBI_LEARN_REF_TOTAL_CAP],
			 example[0] ? example : "-");
		rbi_daemon_gap_span(d, "learn-refused", infra + caps, from,
				    rbi_audit_now_us(), detail);
	}
	n = u->unread + u->malformed;
	if (n) {
		snprintf(detail, sizeof(detail), "DNS answers not read whole: "
			 "%llu bytes of TCP or cut answers given up, %llu "
			 "answers with a broken record (what came before it "
			 "was learned)", (unsigned long long)u->unread,
			 (unsigned long long)u->malformed);
		rbi_daemon_gap_span(d, "dns-unread", n, from,
				    rbi_audit_now_us(), detail);
	}
}
