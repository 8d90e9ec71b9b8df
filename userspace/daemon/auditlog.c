// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The daemon's side of the audit log. The log is written on a thread of
 * its own: the loop copies each record into a job and queues it, and never
 * waits on the log's disk, so that a slow, full or frozen filesystem holds
 * up neither DNS learning nor the table's upkeep. The thread takes what is
 * queued as one batch, appends it and syncs once (group commit).
 *
 * What goes wrong becomes a reason to fail closed, never a silent loss:
 *  - a log that can't be opened, or a write that fails, as before;
 *  - a batch that has not finished after RBI_DAEMON_AUDIT_STALL_MS: the
 *    loop sees the thread busy that long and fails closed while it is;
 *    once the batch is through, a write-stall gap spans the stall, so
 *    that the log declares the time it could not speak for;
 *  - a queue full of jobs (RBI_DAEMON_AUDIT_QUEUE) drops the newest and
 *    counts them, and records written while no log was open are counted:
 *    both become gap records as soon as the log takes records again.
 * The log is well again, and fail-closed lifted, only once two heartbeats'
 * checkpoints were signed since the last failure (a whole period without
 * one): a nearly full disk that fails every other write does not make
 * the ruleset flap.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "audit/time.h"
#include "daemon/internal.h"
#include "daemon/status.h"
#include "policy/facts.h"

enum {
	RBI_DAEMON_AUDIT_QUEUE = 4096,	/* jobs waiting, at most */
	/* Strings a job owns: a heartbeat's counter names and three more. */
	RBI_AJ_STRINGS = RBI_AUDIT_COUNTERS_MAX + 8,
	/* How long stopping waits for the last records to be written. */
	RBI_DAEMON_AUDIT_CLOSE_MS = 5000,
};

enum rbi_aj_kind {
	RBI_AJ_OPEN,
	RBI_AJ_POLICY,
	RBI_AJ_FLOW,
	RBI_AJ_GAP,
	RBI_AJ_HEARTBEAT,
	RBI_AJ_CLOSE,
};

/* One job: a record or an action, with copies of everything it names. */
struct rbi_aj {
	struct rbi_aj *next;
	enum rbi_aj_kind kind;
	bool log;		/* a flow allowed but recorded */
	union {
		struct rbi_audit_config cfg;
		struct rbi_audit_policy pol;
		struct rbi_audit_block blk;
		struct rbi_audit_gap gap;
		struct rbi_audit_heartbeat hb;
		const char *reason;
	} u;
	struct rbi_audit_counter ctr[RBI_AUDIT_COUNTERS_MAX];
	char *own[RBI_AJ_STRINGS];
	size_t n_own;
	bool failed;		/* a copy failed: not queued */
};

struct rbi_daemon_audit {
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t wake, idle;
	int efd;			/* tells the loop of new results */
	/* Under lock: the queue. */
	struct rbi_aj *head, **tail;
	size_t n;
	uint64_t dropped;		/* jobs the full queue refused */
	bool stop, done;
	/* Under lock: results, for the loop. */
	bool open;
	/* Short enough to fit a fail-closed reason with its words around. */
	char open_err[96];		/* why it could not be opened */
	char write_err[96];		/* the last write's failure, or "" */
	char last_err[96];		/* the last failure, kept */
	uint64_t failures;		/* writes that failed */
	char news[256];			/* for the journal, once */
	uint64_t signed_cps;		/* heartbeats signed */
	uint64_t hb_done;		/* heartbeats taken off the queue */
	uint64_t opens_done;		/* opens tried */
	/* When the batch in progress began (monotonic ms), or 0. */
	_Atomic uint64_t busy_since;
	/* The thread's own. */
	struct rbi_audit_log *log;
	uint64_t lost;			/* records while no log was open */
	int64_t lost_from;
	/* The loop's own. */
	uint64_t hb_queued;
	uint64_t opens_queued;
	uint64_t failures_seen;
};

static uint64_t rbi_audit_mono_ms(void)
{
	return rbi_daemon_now_ms();
}

/* ---- jobs ---- */

static const char *rbi_aj_keep(struct rbi_aj *j, const char *s, size_t len)
{
	char *c;

	if (!s)
		return NULL;
	if (j->n_own == RBI_AJ_STRINGS || !(c = malloc(len + 1))) {
		j->failed = true;
		return NULL;
	}
	memcpy(c, s, len);
	c[len] = '\0';
	j->own[j->n_own++] = c;
	return c;
}

static const char *rbi_aj_str(struct rbi_aj *j, const char *s)
{
	return s ? rbi_aj_keep(j, s, strlen(s)) : NULL;
}

static void rbi_aj_free(struct rbi_aj *j)
{
	size_t i;

	for (i = 0; i < j->n_own; i++)
		free(j->own[i]);
	free(j);
}

static struct rbi_aj *rbi_aj_new(enum rbi_aj_kind kind)
{
	struct rbi_aj *j = calloc(1, sizeof(*j));

	if (j)
		j->kind = kind;
	return j;
}

/* Queues j (or drops it, counted, when the queue is full or j failed). */
static void rbi_aj_queue(struct rbi_daemon *d, struct rbi_aj *j)
{
	struct rbi_daemon_audit *q = d->audit;

	if (!q || !j || j->failed) {
		if (q) {
			pthread_mutex_lock(&q->lock);
			q->dropped++;
			pthread_mutex_unlock(&q->lock);
		}
		if (j)
			rbi_aj_free(j);
		return;
	}
	pthread_mutex_lock(&q->lock);
	if (q->n >= RBI_DAEMON_AUDIT_QUEUE && j->kind != RBI_AJ_CLOSE &&
	    j->kind != RBI_AJ_OPEN) {
		q->dropped++;
		pthread_mutex_unlock(&q->lock);
		rbi_aj_free(j);
		return;
	}
	*q->tail = j;
	q->tail = &j->next;
	q->n++;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
}

/* ---- the thread ---- */

/* The stable part of the writer's error: what failed, not how often. */
static void rbi_audit_why(struct rbi_daemon_audit *q, char *out, size_t len)
{
	const char *e = rbi_audit_log_error(q->log);

	snprintf(out, len, "%.*s", (int)strcspn(e, ";"), e);
}

/* A line for the loop to say; under the lock. */
static void rbi_aj_news(struct rbi_daemon_audit *q, const char *line)
{
	size_t n = strlen(q->news);

	snprintf(q->news + n, sizeof(q->news) - n, "%s%s", n ? "; " : "",
		 line);
}

/* A write failed; under the lock. */
static void rbi_aj_failed(struct rbi_daemon_audit *q)
{
	rbi_audit_why(q, q->write_err, sizeof(q->write_err));
	memcpy(q->last_err, q->write_err, sizeof(q->last_err));
	q->failures++;
}

static void rbi_aj_lost(struct rbi_daemon_audit *q)
{
	if (!q->lost++)
		q->lost_from = rbi_audit_now_us();
}

static void rbi_aj_gap(struct rbi_daemon_audit *q, const char *what,
		       uint64_t count, int64_t from, const char *detail)
{
	struct rbi_audit_gap g = { what, from, rbi_audit_now_us(), count,
				   detail };

	rbi_audit_append_gap(q->log, &g, NULL);
}

static void rbi_aj_open(struct rbi_daemon_audit *q, struct rbi_aj *j)
{
	enum rbi_audit_open_state state;
	char err[96], opened[192];
	struct rbi_audit_log *log;

	if (q->log) {
		rbi_audit_close(q->log, "audit settings changed");
		q->log = NULL;
	}
	if (rbi_audit_open(&j->u.cfg, &log, &state, err, sizeof(err)) !=
	    RBI_AUDIT_OK) {
		pthread_mutex_lock(&q->lock);
		q->open = false;
		q->opens_done++;
		snprintf(q->open_err, sizeof(q->open_err), "%s", err);
		pthread_mutex_unlock(&q->lock);
		return;
	}
	q->log = log;
	snprintf(opened, sizeof(opened), "log %s opened (%s)", j->u.cfg.dir,
		 state == RBI_AUDIT_OPENED_NEW ? "new" :
		 state == RBI_AUDIT_OPENED_CLEAN ? "clean" :
		 state == RBI_AUDIT_OPENED_RECOVERED ? "recovered" : "ALARM");
	if (q->lost) {
		rbi_aj_gap(q, "log-unavailable", q->lost, q->lost_from,
			   "records not written while the audit log could "
			   "not be opened");
		q->lost = 0;
	}
	pthread_mutex_lock(&q->lock);
	q->open = true;
	q->opens_done++;
	q->open_err[0] = '\0';
	rbi_aj_news(q, opened);
	pthread_mutex_unlock(&q->lock);
}

/* Runs one job; true when it appended something to sync. */
static bool rbi_aj_run(struct rbi_daemon_audit *q, struct rbi_aj *j)
{
	int rc = RBI_AUDIT_OK;

	if (j->kind == RBI_AJ_OPEN) {
		rbi_aj_open(q, j);
		return q->log != NULL;
	}
	if (!q->log) {
		if (j->kind != RBI_AJ_HEARTBEAT && j->kind != RBI_AJ_CLOSE)
			rbi_aj_lost(q);
		return false;
	}
	switch (j->kind) {
	case RBI_AJ_POLICY:
		rc = rbi_audit_append_policy(q->log, &j->u.pol, NULL);
		break;
	case RBI_AJ_FLOW:
		rc = j->log ? rbi_audit_append_log(q->log, &j->u.blk, NULL) :
		     rbi_audit_append_block(q->log, &j->u.blk, NULL);
		break;
	case RBI_AJ_GAP:
		/* A gap of no span is stamped as written: within the log. */
		if (!j->u.gap.from && !j->u.gap.until)
			j->u.gap.from = j->u.gap.until = rbi_audit_now_us();
		rc = rbi_audit_append_gap(q->log, &j->u.gap, NULL);
		break;
	case RBI_AJ_HEARTBEAT:
		rc = rbi_audit_heartbeat(q->log, &j->u.hb, NULL);
		pthread_mutex_lock(&q->lock);
		if (rc == RBI_AUDIT_OK) {
			q->signed_cps++;
			q->write_err[0] = '\0';
		} else {
			rbi_aj_failed(q);
		}
		pthread_mutex_unlock(&q->lock);
		return false;
	case RBI_AJ_CLOSE:
		rbi_audit_close(q->log, j->u.reason);
		q->log = NULL;
		pthread_mutex_lock(&q->lock);
		q->open = false;
		pthread_mutex_unlock(&q->lock);
		return false;
	default:
		break;
	}
	return rc == RBI_AUDIT_OK;
}

/* Appends what the loop could not queue, then syncs the batch. */
static void rbi_aj_sync(struct rbi_daemon_audit *q, uint64_t dropped,
			bool appended)
{
	char why[128];
	int rc;

	if (!q->log)
		return;
	if (dropped) {
		snprintf(why, sizeof(why), "%llu records not written: the "
			 "audit log's queue was full",
			 (unsigned long long)dropped);
		rbi_aj_gap(q, "dropped-records", dropped, rbi_audit_now_us(),
			   why);
		appended = true;
	}
	if (!appended)
		return;
	/*
	 * Not under the lock: a sync can wait as long as the disk does, and
	 * the loop takes the lock to find out that it waits.
	 */
	rc = rbi_audit_sync(q->log);
	pthread_mutex_lock(&q->lock);
	if (rc == RBI_AUDIT_OK)
		q->write_err[0] = '\0';
	else
		rbi_aj_failed(q);
	pthread_mutex_unlock(&q->lock);
}

/* A batch that took longer than the bound: the time it could not speak. */
static void rbi_aj_stalled(struct rbi_daemon_audit *q, uint64_t ms,
			   int64_t from)
{
	char detail[160];

	if (!q->log || ms <= RBI_DAEMON_AUDIT_STALL_MS)
		return;
	snprintf(detail, sizeof(detail), "audit log writes did not finish "
		 "for %llu.%03llu s (on-failure acted on it)",
		 (unsigned long long)(ms / 1000),
		 (unsigned long long)(ms % 1000));
	rbi_aj_gap(q, "write-stall", 0, from, detail);
	rbi_aj_sync(q, 0, true);
	pthread_mutex_lock(&q->lock);
	rbi_aj_news(q, "write-stall gap recorded");
	rbi_aj_news(q, detail);
	pthread_mutex_unlock(&q->lock);
}

static void *rbi_audit_thread(void *arg)
{
	struct rbi_daemon_audit *q = arg;
	uint64_t dropped, t0, hb;
	struct rbi_aj *batch, *j;
	bool appended, stop;
	uint64_t one = 1;
	int64_t from;

	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (!q->head && !q->stop)
			pthread_cond_wait(&q->wake, &q->lock);
		batch = q->head;
		stop = q->stop && !batch;
		q->head = NULL;
		q->tail = &q->head;
		q->n = 0;
		dropped = q->dropped;
		q->dropped = 0;
		pthread_mutex_unlock(&q->lock);
		if (stop)
			break;
		t0 = rbi_audit_mono_ms();
		from = rbi_audit_now_us();
		atomic_store(&q->busy_since, t0);
		appended = false;
		hb = 0;
		for (j = batch; j; j = j->next) {
			appended |= rbi_aj_run(q, j);
			hb += j->kind == RBI_AJ_HEARTBEAT;
		}
		rbi_aj_sync(q, dropped, appended);
		atomic_store(&q->busy_since, 0);
		rbi_aj_stalled(q, rbi_audit_mono_ms() - t0, from);
		while ((j = batch)) {
			batch = j->next;
			rbi_aj_free(j);
		}
		pthread_mutex_lock(&q->lock);
		q->hb_done += hb;
		pthread_mutex_unlock(&q->lock);
		if (write(q->efd, &one, sizeof(one)) < 0)
			continue;
	}
	pthread_mutex_lock(&q->lock);
	q->done = true;
	pthread_cond_signal(&q->idle);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* ---- the loop's side ---- */

int rbi_daemon_audit_start(struct rbi_daemon *d)
{
	struct rbi_daemon_audit *q = calloc(1, sizeof(*q));

	if (!q)
		return -1;
	q->tail = &q->head;
	q->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (q->efd < 0 || pthread_mutex_init(&q->lock, NULL) ||
	    pthread_cond_init(&q->wake, NULL) ||
	    pthread_cond_init(&q->idle, NULL) ||
	    pthread_create(&q->thread, NULL, rbi_audit_thread, q)) {
		if (q->efd >= 0)
			close(q->efd);
		free(q);
		return -1;
	}
	q->started = true;
	d->audit = q;
	return 0;
}

/*
 * Closes the log and ends the thread; a thread stuck on the disk is left
 * behind after a while (the next start recovers the log, and says so).
 */
void rbi_daemon_audit_stop(struct rbi_daemon *d, const char *reason)
{
	struct rbi_daemon_audit *q = d->audit;
	struct timespec until;
	struct rbi_aj *j;
	bool done;

	if (!q)
		return;
	j = rbi_aj_new(RBI_AJ_CLOSE);
	if (j)
		j->u.reason = rbi_aj_str(j, reason);
	rbi_aj_queue(d, j);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += RBI_DAEMON_AUDIT_CLOSE_MS / 1000;
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_signal(&q->wake);
	while (!q->done &&
	       pthread_cond_timedwait(&q->idle, &q->lock, &until) != ETIMEDOUT)
		;
	done = q->done;
	pthread_mutex_unlock(&q->lock);
	d->audit = NULL;
	if (!done) {
		rbi_daemon_log(LOG_ERR, "audit: the log's disk did not answer "
			       "within %d s; stopping without its stop record",
			       RBI_DAEMON_AUDIT_CLOSE_MS / 1000);
		return;
	}
	pthread_join(q->thread, NULL);
	close(q->efd);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->wake);
	pthread_cond_destroy(&q->idle);
	free(q);
}

static struct rbi_aj *rbi_aj_policy(const struct rbi_daemon *d)
{
	struct rbi_aj *j = rbi_aj_new(RBI_AJ_POLICY);
	struct rbi_buf facts = RBI_BUF_INIT;

	if (!j)
		return NULL;
	j->u.pol.name = rbi_aj_str(j, d->p->name);
	j->u.pol.source = rbi_aj_str(j, d->path ? d->path :
				     RBI_POLICY_BUILTIN);
	j->u.pol.text = rbi_aj_keep(j, d->p->files[0].text,
				    d->p->files[0].len);
	j->u.pol.text_len = d->p->files[0].len;
	/* What it compiled to: catalogue, prohibition, zones, settings. */
	if (!rbi_policy_facts(d->p, &facts, RBI_AUDIT_FACTS_CAP)) {
		j->u.pol.facts = rbi_aj_keep(j, facts.data, facts.len);
		j->u.pol.facts_len = facts.len;
	}
	rbi_buf_free(&facts);
	return j;
}

/*
 * The policy's record, then what no ruleset of it can enforce, so that
 * the log (and the report made of it) says so for as long as it holds.
 */
static void rbi_audit_policy_records(struct rbi_daemon *d)
{
	const char *limits[RBI_STATUS_GAPS_MAX];
	char detail[1024];
	size_t n, i, at = 0;

	rbi_aj_queue(d, rbi_aj_policy(d));
	n = rbi_status_limits(d->p, limits, RBI_STATUS_GAPS_MAX);
	for (i = 0; i < n && at < sizeof(detail); i++)
		at += (size_t)snprintf(detail + at, sizeof(detail) - at,
				       "%s%s", i ? "; " : "", limits[i]);
	if (n)
		rbi_daemon_gap(d, "not-enforced", n, detail);
}

void rbi_daemon_audit_open(struct rbi_daemon *d)
{
	struct rbi_aj *j = rbi_aj_new(RBI_AJ_OPEN);

	if (j) {
		j->u.cfg.dir = rbi_aj_str(j, d->p->audit.dir);
		j->u.cfg.origin = rbi_aj_str(j, d->p->audit.origin);
		j->u.cfg.key_path = rbi_aj_str(j, d->p->audit.key);
		j->u.cfg.heartbeat = d->p->audit.heartbeat;
		j->u.cfg.retention = d->p->audit.retention;
	}
	rbi_aj_queue(d, j);
	/* The ruleset was just applied: proven as of now. */
	if (!d->proven_us)
		d->proven_us = rbi_audit_now_us();
	rbi_audit_policy_records(d);
	if (d->unguarded[0])
		rbi_daemon_unguarded_record(d);
	if (d->audit)
		d->audit->opens_queued++;
}

bool rbi_daemon_audit_asked(const struct rbi_daemon *d)
{
	return d->audit && d->audit->opens_queued;
}

static bool rbi_audit_same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

void rbi_daemon_audit_policy(struct rbi_daemon *d,
			     const struct rbi_policy *old)
{
	if (rbi_audit_same(old->audit.dir, d->p->audit.dir) &&
	    rbi_audit_same(old->audit.origin, d->p->audit.origin) &&
	    rbi_audit_same(old->audit.key, d->p->audit.key) &&
	    old->audit.heartbeat == d->p->audit.heartbeat &&
	    old->audit.retention == d->p->audit.retention) {
		rbi_audit_policy_records(d);
		return;
	}
	rbi_daemon_log(LOG_NOTICE, "audit: the policy changes the audit "
		       "settings: the log in %s is closed, the log in %s opened",
		       old->audit.dir, d->p->audit.dir);
	rbi_daemon_audit_open(d);
}

void rbi_daemon_gap_span(struct rbi_daemon *d, const char *what,
			 uint64_t count, int64_t from_us, int64_t until_us,
			 const char *detail)
{
	struct rbi_aj *j = rbi_aj_new(RBI_AJ_GAP);

	rbi_daemon_log(LOG_WARNING, "gap: %s: %s", what, detail);
	if (j) {
		j->u.gap.what = rbi_aj_str(j, what);
		j->u.gap.from = from_us;
		j->u.gap.until = until_us;
		j->u.gap.count = count;
		j->u.gap.detail = rbi_aj_str(j, detail);
	}
	rbi_aj_queue(d, j);
}

void rbi_daemon_gap(struct rbi_daemon *d, const char *what, uint64_t count,
		    const char *detail)
{
	rbi_daemon_gap_span(d, what, count, 0, 0, detail);
}

void rbi_daemon_gap_from(struct rbi_daemon *d, const char *what, int64_t from,
			 uint64_t count, const char *detail)
{
	int64_t now = rbi_audit_now_us();

	rbi_daemon_gap_span(d, what, count, from && from < now ? from : now,
			    now, detail);
}

/* The flow's record into j, every string of it copied. */
static void rbi_aj_block(struct rbi_aj *j, const struct rbi_audit_block *ab)
{
	struct rbi_audit_block *b = &j->u.blk;
	const char **strs[] = {
		&b->zone, &b->camera, &b->src, &b->dst, &b->l4, &b->app,
		&b->name, &b->service, &b->category, &b->rule, &b->basis,
		&b->policy_sha256, &b->direction, &b->backend, &b->fail,
	};
	size_t i;

	*b = *ab;
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		*strs[i] = rbi_aj_str(j, *strs[i]);
}

void rbi_daemon_flow_record(struct rbi_daemon *d,
			    const struct rbi_audit_block *ab, bool log)
{
	struct rbi_aj *j = rbi_aj_new(RBI_AJ_FLOW);

	if (j) {
		rbi_aj_block(j, ab);
		j->log = log;
	}
	rbi_aj_queue(d, j);
}

bool rbi_daemon_heartbeat_record(struct rbi_daemon *d,
				 const struct rbi_audit_heartbeat *hb)
{
	struct rbi_daemon_audit *q = d->audit;
	struct rbi_aj *j;
	uint64_t done;
	size_t i;

	if (!q)
		return false;
	pthread_mutex_lock(&q->lock);
	done = q->hb_done;
	pthread_mutex_unlock(&q->lock);
	if (q->hb_queued > done)
		return false;
	j = rbi_aj_new(RBI_AJ_HEARTBEAT);
	if (!j)
		return false;
	j->u.hb = *hb;
	j->u.hb.policy_sha256 = rbi_aj_str(j, hb->policy_sha256);
	j->u.hb.ruleset_sha256 = rbi_aj_str(j, hb->ruleset_sha256);
	j->u.hb.backend = rbi_aj_str(j, hb->backend);
	j->u.hb.counters = j->ctr;
	for (i = 0; i < hb->ncounters && i < RBI_AUDIT_COUNTERS_MAX; i++) {
		j->ctr[i].name = hb->counters[i].name;
		j->ctr[i].value = hb->counters[i].value;
	}
	j->u.hb.ncounters = i;
	/* Counter names are the daemon's own: copied like the rest. */
	for (i = 0; i < j->u.hb.ncounters; i++)
		j->ctr[i].name = rbi_aj_str(j, j->ctr[i].name);
	q->hb_queued++;
	rbi_aj_queue(d, j);
	return true;
}

void rbi_daemon_audit_check(struct rbi_daemon *d)
{
	struct rbi_daemon_audit *q = d->audit;
	char why[RBI_NFT_COMMENT_MAX], news[256];
	uint64_t busy, signed_cps, n;
	bool open, opening;

	if (!q)
		return;
	if (read(q->efd, &n, sizeof(n)) < 0)
		n = 0;
	busy = atomic_load(&q->busy_since);
	pthread_mutex_lock(&q->lock);
	open = q->open;
	signed_cps = q->signed_cps;
	memcpy(news, q->news, sizeof(news));
	q->news[0] = '\0';
	if (busy && rbi_audit_mono_ms() - busy > RBI_DAEMON_AUDIT_STALL_MS)
		snprintf(why, sizeof(why), "audit log writes stalled");
	else if (!open && !q->open_err[0])
		why[0] = '\0';
	else if (!open)
		snprintf(why, sizeof(why), "audit log unavailable: %s",
			 q->open_err);
	else if (q->write_err[0] || q->failures != q->failures_seen)
		/* A failure since the last look counts, even if cleared. */
		snprintf(why, sizeof(why), "audit log write failed: %s",
			 q->last_err);
	else
		why[0] = '\0';
	q->failures_seen = q->failures;
	opening = q->opens_queued > q->opens_done;
	pthread_mutex_unlock(&q->lock);
	if (news[0])
		rbi_daemon_say("audit: %s", news);
	if (why[0]) {
		d->fail_signed = signed_cps;
		rbi_daemon_fail(d, why);
	} else if (d->fail[0] && signed_cps >= d->fail_signed + 2) {
		rbi_daemon_fail(d, NULL);
	}
	/* A log that could not be opened is tried again at each heartbeat. */
	if (!open && !opening && time(NULL) >= d->next_heartbeat)
		rbi_daemon_audit_open(d);
}

int rbi_daemon_audit_fd(const struct rbi_daemon *d)
{
	return d->audit ? d->audit->efd : -1;
}

int rbi_daemon_audit_timeout(const struct rbi_daemon *d)
{
	uint64_t busy = d->audit ? atomic_load(&d->audit->busy_since) : 0,
		 now = rbi_audit_mono_ms();

	if (!busy)
		return -1;
	if (now - busy > RBI_DAEMON_AUDIT_STALL_MS)
		return 1000;
	return (int)(RBI_DAEMON_AUDIT_STALL_MS - (now - busy)) + 1;
}
