// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rbiblock.ko's events: one per flow it blocked or marked for logging,
 * with the name it saw. What the module did not deliver (held back by its
 * rate limit, or lost) becomes a dropped-events gap; the module's own
 * counters are the one count of those.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon/internal.h"
#include "util/plural.h"

/* What a module counter grew by since *seen; it restarts on a reload. */
static uint64_t rbi_events_delta(uint64_t *seen, uint64_t now)
{
	uint64_t delta = now >= *seen ? now - *seen : now;

	*seen = now;
	return delta;
}

/* The module's status, from a socket of its own (events share none). */
static int rbi_events_status(struct rbi_modctl_status *st, uint16_t *family)
{
	char err[RBI_NFT_ERR_LEN];
	struct rbi_modctl *m;
	int rc;

	if (rbi_modctl_open(&m, err, sizeof(err)))
		return -1;
	rc = rbi_modctl_status(m, st, err, sizeof(err));
	if (family)
		*family = rbi_modctl_family(m);
	rbi_modctl_close(m);
	return rc;
}

static void rbi_events_gap(struct rbi_daemon *d, uint64_t n,
			   const char *what, const char *why)
{
	char detail[256];

	snprintf(detail, sizeof(detail), "rbiblock.ko %s %llu %s (%s): "
		 "those flows are recorded from the ruleset's copies, without "
		 "their names", what, (unsigned long long)n,
		 rbi_plural(n, "event", "events"), why);
	rbi_daemon_gap(d, "dropped-events", n, detail);
}

/*
 * Events the module did not deliver: held back by its token bucket, or
 * lost for want of memory or socket space (this socket's overrun among
 * them). Their flows are still recorded from the ruleset's NFLOG copies,
 * only without their names. Whatever told the daemon to look (an event's
 * suppressed count, ENOBUFS, a heartbeat), the module's counters say how
 * many, so that none is counted twice.
 */
static void rbi_events_gaps(struct rbi_daemon *d, bool overrun)
{
	struct rbi_modctl_status st;
	uint64_t held, failed;

	d->events_check = false;
	if (rbi_events_status(&st, NULL)) {
		if (overrun)
			rbi_daemon_gap(d, "dropped-events", 1, "the module's "
				       "event socket overran, and the module "
				       "could not be asked how many were "
				       "lost");
		return;
	}
	held = rbi_events_delta(&d->events_held,
				st.stats[RBI_STAT_EVENTS_SUPPRESSED]);
	failed = rbi_events_delta(&d->events_failed,
				  st.stats[RBI_STAT_EVENTS_FAILED]);
	if (overrun && !failed) {
		/* Counted by the module an instant later: not again then. */
		failed = 1;
		d->events_failed++;
	}
	if (held)
		rbi_events_gap(d, held, "held back", "its event_rate limit");
	if (failed)
		rbi_events_gap(d, failed, "could not deliver",
			       "no memory, or the socket overran");
}

void rbi_daemon_events_close(struct rbi_daemon *d)
{
	rbi_modctl_close(d->events);
	d->events = NULL;
}

/*
 * Joins the module's events group when the module is loaded, and again
 * when it was reloaded (a new generic netlink family). What the module
 * counted before is not this daemon's to report.
 */
void rbi_daemon_events_open(struct rbi_daemon *d)
{
	struct rbi_modctl_status st;
	char err[RBI_NFT_ERR_LEN];
	uint16_t family;

	if (!rbi_module_loaded() || rbi_events_status(&st, &family)) {
		if (d->events)
			rbi_daemon_events_close(d);
		return;
	}
	if (d->events && family == d->events_family)
		return;
	rbi_daemon_events_close(d);
	if (rbi_modctl_open_events(&d->events, err, sizeof(err))) {
		rbi_daemon_log(LOG_WARNING, "module events: %s", err);
		return;
	}
	d->events_family = rbi_modctl_family(d->events);
	d->events_held = st.stats[RBI_STAT_EVENTS_SUPPRESSED];
	d->events_failed = st.stats[RBI_STAT_EVENTS_FAILED];
	rbi_daemon_say("module events: listening");
}

static void rbi_events_one(void *ctx, const struct rbi_modctl_event *ev)
{
	struct rbi_daemon *d = ctx;

	if (ev->suppressed)
		d->events_check = true;
	rbi_runrecs_event(d->recs, ev, rbi_daemon_now_ms());
}

void rbi_daemon_events_read(struct rbi_daemon *d)
{
	char err[RBI_NFT_ERR_LEN];
	int n;

	n = rbi_modctl_events_read(d->events, rbi_events_one, d, err,
				   sizeof(err));
	if (n == -ENOBUFS) {
		rbi_events_gaps(d, true);
	} else if (n < 0) {
		rbi_daemon_log(LOG_WARNING, "module events: %s", err);
		rbi_daemon_events_close(d);
	}
	if (d->events_check)
		rbi_events_gaps(d, false);
}

/*
 * The module: its events heard, what it did not send declared, and the
 * policy applied held (a module loaded or reloaded since holds none).
 */
void rbi_daemon_module_check(struct rbi_daemon *d)
{
	struct rbi_modctl_status st;

	rbi_daemon_events_open(d);
	if (!d->events)
		return;
	rbi_events_gaps(d, false);
	if (d->backend == RBI_BACKEND_NFT || d->backend == RBI_BACKEND_QUEUE ||
	    rbi_events_status(&st, NULL) ||
	    !strcmp(st.sha256, d->p->sha256_hex))
		return;
	rbi_daemon_gap(d, "ruleset-mismatch", 1, "rbiblock.ko did not hold "
		       "the policy (loaded or changed outside rbictl); "
		       "re-applied");
	rbi_daemon_enforce(d, d->p);
}
