// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The queue backend in the daemon: its queues bound before the ruleset
 * that fills them is applied, its threads started, what they decide taken
 * into flow records, and what the queues lost declared in the audit log.
 *
 * A queue that cannot be bound (another program holds it) must not be
 * named by the ruleset, which would hand that program the cameras'
 * packets: the daemon then applies the nft backend instead, fails closed
 * when the policy says on-failure: closed, and declares why.
 */
#include <stdio.h>
#include <string.h>

#include "daemon/internal.h"
#include "nft/defs.h"
#include "util/plural.h"

enum {
	/* A packet whole: an IP packet's largest. */
	RBI_QUEUE_COPY = 65535,
};

enum rbi_backend rbi_daemon_backend(const struct rbi_daemon *d)
{
	if (d->backend != RBI_BACKEND_QUEUE)
		return d->backend;
	return d->queues ? RBI_BACKEND_QUEUE : RBI_BACKEND_NFT;
}

/*
 * Whether the table in force is the queue backend's: its queues held
 * packets with no daemon to answer them since the last one stopped.
 */
static bool rbi_queues_unattended(void)
{
	char err[RBI_NFT_ERR_LEN];
	struct rbi_nft_state st;
	bool was;

	if (rbi_nft_read(&st, false, err, sizeof(err)))
		return false;
	was = st.present && strstr(st.comment, "backend=nft+queue");
	rbi_nft_state_free(&st);
	return was;
}

/* The inspection queues, each with its thread's table of flows. */
static int rbi_queues_flows(struct rbi_daemon *d, bool fail_open, char *err,
			    size_t len)
{
	struct rbi_nft_queue q = { RBI_NFT_QUEUE_NONE, 0, false, false };
	uint16_t i, n = rbi_backend_queues();
	struct rbi_qflows *t;
	int rc = 0;

	if (rbi_nft_queue_probe(&q, err, len))
		return -1;
	for (i = 0; i < n && !rc; i++) {
		t = rbi_qflows_new(d, &d->qbudget, q.inner);
		if (!t) {
			snprintf(err, len, "out of memory");
			return -1;
		}
		d->qflows[d->n_qflows++] = t;
		rc = rbi_queues_add(d->queues, RBI_NFT_QUEUE_FIRST + i,
				    RBI_QUEUE_COPY, fail_open,
				    rbi_daemon_queue_flow, t, err, len);
	}
	return rc;
}

void rbi_daemon_queues_open(struct rbi_daemon *d)
{
	bool fail_open = !d->p->fail_closed;
	char err[RBI_NFT_ERR_LEN] = "out of memory";
	int rc = -1;

	d->queue_restart = rbi_queues_unattended();
	d->queues = rbi_queues_new();
	if (d->queues)
		rc = rbi_queues_add(d->queues, RBI_NFT_QUEUE_DNS,
				    RBI_QUEUE_COPY, fail_open,
				    rbi_daemon_queue_dns, d, err, sizeof(err));
	if (!rc)
		rc = rbi_queues_flows(d, fail_open, err, sizeof(err));
	if (!rc)
		rc = rbi_queues_start(d->queues);
	if (rc) {
		snprintf(d->queue_fail, sizeof(d->queue_fail), "the queue "
			 "backend could not start: %.*s",
			 (int)sizeof(d->queue_fail) / 2, err);
		rbi_daemon_queues_close(d);
		rbi_daemon_log(LOG_ERR, "queue: %s; applying the nft backend",
			       d->queue_fail);
		return;
	}
	rbi_daemon_say("queue: inspecting undecided public-zone flows in "
		       "NFQUEUE %u-%u, DNS answers of this host in %u",
		       RBI_NFT_QUEUE_FIRST, RBI_NFT_QUEUE_FIRST +
		       d->n_qflows - 1, RBI_NFT_QUEUE_DNS);
}

/*
 * At a heartbeat, queues that could not be bound are tried again: once
 * the program that held them lets go, the queue backend takes over from
 * the nft backend it fell back to.
 */
void rbi_daemon_queues_retry(struct rbi_daemon *d)
{
	if (d->backend != RBI_BACKEND_QUEUE || d->queues)
		return;
	d->queue_fail[0] = '\0';
	rbi_daemon_queues_open(d);
	if (d->queues)
		rbi_daemon_enforce(d, d->p);
}

/* What happened before the audit log was open, now that it is. */
void rbi_daemon_queues_audit(struct rbi_daemon *d)
{
	const char *meanwhile = d->p->fail_closed ? "were dropped" :
				"passed uninspected";
	char detail[RBI_NFT_ERR_LEN];

	if (d->queue_fail[0])
		rbi_daemon_gap(d, "queue-unavailable", 1, d->queue_fail);
	if (d->queue_restart) {
		snprintf(detail, sizeof(detail), "the queue backend's rules "
			 "were in force with no daemon to serve them: DNS "
			 "answers to cameras and undecided public-zone flows "
			 "%s until this start", meanwhile);
		rbi_daemon_gap(d, "queue-restart", 1, detail);
		d->queue_restart = false;
	}
}

static uint64_t rbi_queues_delta(uint64_t now, uint64_t *seen)
{
	uint64_t delta = now >= *seen ? now - *seen : now;

	*seen = now;
	return delta;
}

void rbi_daemon_qflow_stats(const struct rbi_daemon *d,
			    struct rbi_qflow_stats *sum)
{
	struct rbi_qflow_stats one;
	uint64_t *to = (uint64_t *)sum;
	const uint64_t *from = (const uint64_t *)&one;
	unsigned int i;
	size_t k;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < d->n_qflows; i++) {
		rbi_qflows_get_stats(d->qflows[i], &one);
		for (k = 0; k < sizeof(one) / sizeof(uint64_t); k++)
			to[k] += from[k];
	}
}

/*
 * Counts the queues lost since the last look, as gap records, and says
 * what the inspection did, for the journal.
 */
void rbi_daemon_queues_check(struct rbi_daemon *d)
{
	struct rbi_queues_stats st, *seen = &d->qseen;
	uint64_t full, user, overruns, bad[6];
	char detail[RBI_NFT_ERR_LEN];
	struct rbi_qflow_stats f;

	if (!d->queues)
		return;
	rbi_queues_get_stats(d->queues, &st);
	rbi_daemon_qflow_stats(d, &f);
	rbi_daemon_say("queue: %llu %s read, %llu %s opened, %llu "
		       "decided (%llu blocked), %llu forgotten undecided, "
		       "%llu refused a state, %llu refused bytes",
		       (unsigned long long)st.q.packets,
		       rbi_plural(st.q.packets, "packet", "packets"),
		       (unsigned long long)f.flows,
		       rbi_plural(f.flows, "flow", "flows"),
		       (unsigned long long)f.decided,
		       (unsigned long long)f.blocked,
		       (unsigned long long)f.expired,
		       (unsigned long long)f.table_full,
		       (unsigned long long)f.memory);
	full = rbi_queues_delta(st.kernel_full, &seen->kernel_full);
	user = rbi_queues_delta(st.kernel_user, &seen->kernel_user);
	overruns = rbi_queues_delta(st.q.overruns, &seen->q.overruns);
	if (full || user || overruns) {
		snprintf(detail, sizeof(detail), "the kernel dropped %llu "
			 "%s because a queue was full and %llu because the "
			 "daemon's socket was, which overran %llu %s%s",
			 (unsigned long long)full,
			 rbi_plural(full, "packet", "packets"),
			 (unsigned long long)user,
			 (unsigned long long)overruns,
			 rbi_plural(overruns, "time", "times"),
			 d->p->fail_closed ? "" :
			 "; on-failure: open lets such packets pass "
			 "uninspected, uncounted by the kernel");
		rbi_daemon_gap(d, "queue-overrun", full + user + overruns,
			       detail);
	}
	bad[0] = rbi_queues_delta(st.q.malformed, &seen->q.malformed);
	bad[1] = rbi_queues_delta(st.q.refused, &seen->q.refused);
	bad[2] = rbi_queues_delta(st.q.unseen, &seen->q.unseen);
	bad[3] = rbi_queues_delta(st.events_lost, &seen->events_lost);
	bad[4] = rbi_queues_delta(f.unread + __atomic_load_n(&d->dns_unread,
							     __ATOMIC_RELAXED),
				  &d->unread_seen);
	bad[5] = rbi_queues_delta(f.learn_failed +
				  __atomic_load_n(&d->dns_failed,
						  __ATOMIC_RELAXED),
				  &d->learn_failed_seen);
	if (!(bad[0] | bad[1] | bad[2] | bad[3] | bad[4] | bad[5]))
		return;
	snprintf(detail, sizeof(detail), "%llu unreadable %s and %llu %s "
		 "queued while binding were dropped; %llu %s refused (their "
		 "queue flushed by a new ruleset); %llu %s not recorded "
		 "(mailbox full); %llu %s too long to read whole and %llu "
		 "DNS %s whose addresses could not be learned were dropped",
		 (unsigned long long)bad[0],
		 rbi_plural(bad[0], "message", "messages"),
		 (unsigned long long)bad[2],
		 rbi_plural(bad[2], "packet", "packets"),
		 (unsigned long long)bad[1],
		 rbi_plural(bad[1], "verdict was", "verdicts were"),
		 (unsigned long long)bad[3],
		 rbi_plural(bad[3], "decision was", "decisions were"),
		 (unsigned long long)bad[4],
		 rbi_plural(bad[4], "packet", "packets"),
		 (unsigned long long)bad[5],
		 rbi_plural(bad[5], "answer", "answers"));
	rbi_daemon_gap(d, "queue-error", bad[0] + bad[1] + bad[2] + bad[3] +
		       bad[4] + bad[5], detail);
}

static void rbi_queues_event(void *ctx, const struct rbi_modctl_event *ev)
{
	struct rbi_daemon *d = ctx;

	rbi_runrecs_event(d->recs, ev, rbi_daemon_now_ms());
}

void rbi_daemon_queues_read(struct rbi_daemon *d)
{
	rbi_queues_take(d->queues, rbi_queues_event, d);
}

void rbi_daemon_queues_close(struct rbi_daemon *d)
{
	/* The threads stop before the tables they use go. */
	rbi_queues_free(d->queues);
	d->queues = NULL;
	while (d->n_qflows)
		rbi_qflows_free(d->qflows[--d->n_qflows]);
}
