// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The daemon's enforcement: the backends, fail-closed when asked, and the
 * table kept as applied. nf_tables announces every change to the table;
 * what another program did (the table deleted, the learned maps flushed,
 * anything else changed) is undone as soon as the loop reads it, with the
 * addresses the memo learned put back, and the time the table was not as
 * applied becomes a gap record spanning it. What another rbictl did (an
 * operator's apply or flush) is left to the next heartbeat, as before: the
 * operator meant it, and reloading the daemon is how to keep it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/time.h"
#include "daemon/internal.h"
#include "util/grow.h"

const char *rbi_daemon_fail_reason(const struct rbi_daemon *d)
{
	if (d->fail[0])
		return d->fail;
	if (d->queue_fail[0])
		return d->queue_fail;
	return d->module_lost ? "rbiblock.ko went away while the ruleset "
	       "relied on it" : NULL;
}

void rbi_daemon_unguarded_record(struct rbi_daemon *d)
{
	char detail[RBI_NFT_ERR_LEN];

	snprintf(detail, sizeof(detail), "%s; %s", d->unguarded,
		 d->p->fail_closed ? "on-failure: closed, camera egress is "
		 "blocked except to recorders" : "on-failure: open, "
		 "enforcement goes on without it");
	rbi_daemon_gap(d, "offload-unguarded", 1, detail);
}

static void rbi_daemon_unguarded(struct rbi_daemon *d,
				 const struct rbi_backend_result *res)
{
	if (!strcmp(d->unguarded, res->unguarded))
		return;
	snprintf(d->unguarded, sizeof(d->unguarded), "%s", res->unguarded);
	/* Before the log is opened, its opening records it. */
	if (res->unguarded[0] && rbi_daemon_audit_asked(d))
		rbi_daemon_unguarded_record(d);
	else
		rbi_daemon_log(LOG_INFO, "offload: no other table takes flows "
			       "past rbiblock any more");
}

/*
 * Ours. Not watched while it commits: the kernel would write one
 * notification per element to a listener (seconds for a large policy),
 * all of them ours. The watch opens again as soon as it is in.
 */
static int rbi_daemon_apply(struct rbi_daemon *d, const struct rbi_policy *p,
			    bool force)
{
	const char *fail = rbi_daemon_fail_reason(d);
	struct rbi_backend_result res;
	char err[RBI_NFT_ERR_LEN];
	bool watched = d->watch;
	int rc;

	rbi_nft_watch_close(d->watch);
	d->watch = NULL;
	rc = rbi_backend_apply(p, rbi_daemon_backend(d), fail,
			       (d->no_offload ? 0 : RBI_BACKEND_OFFLOAD) |
			       (force ? RBI_BACKEND_FORCE : 0), d->keep, &res,
			       err, sizeof(err));
	d->module_used = !d->module_lost && res.used &&
			 !strcmp(res.used, "nft+module");
	if (watched)
		rbi_daemon_watch_open(d);
	if (res.nft.sha256[0])
		snprintf(d->ruleset, sizeof(d->ruleset), "%s", res.nft.sha256);
	/*
	 * A required module that is missing (a kernel it was not built for)
	 * is on-failure's to handle, and the ruleset says how: the daemon
	 * stays, to record, and takes the module up when it is loaded.
	 */
	if (rc && !res.missing) {
		rbi_daemon_log(LOG_ERR, "apply failed: %s", err);
		return -1;
	}
	snprintf(d->applied_fail, sizeof(d->applied_fail), "%s",
		 res.fail_closed ? res.fail_closed : "");
	rbi_daemon_unguarded(d, &res);
	if (rc)
		rbi_daemon_log(LOG_ERR, "%s", err);
	if (res.nft.keep_err[0])
		rbi_daemon_log(LOG_WARNING, "the ruleset for a boot that can't "
			       "enforce its policy was not kept: %s",
			       res.nft.keep_err);
	rbi_daemon_log(res.fail_closed ? LOG_ERR : LOG_INFO,
		       "%s policy %s (sha256 %s), backend %s, ruleset sha256 "
		       "%s, %zu learned addresses kept%s%s",
		       res.nft.unchanged ? "in force:" : "applied:", p->name,
		       p->sha256_hex, res.used, res.nft.sha256,
		       res.nft.carried,
		       res.fail_closed ? ", FAIL-CLOSED: " : "",
		       res.fail_closed ? res.fail_closed : "");
	/* Entering or leaving fail-closed is told at once, not at a ping. */
	rbi_daemon_notify(d, "");
	return 0;
}

int rbi_daemon_enforce(struct rbi_daemon *d, const struct rbi_policy *p)
{
	return rbi_daemon_apply(d, p, false);
}

/* Enters or leaves fail-closed; what changes is re-applied. */
void rbi_daemon_fail(struct rbi_daemon *d, const char *why)
{
	if (!strcmp(d->fail, why ? why : ""))
		return;
	snprintf(d->fail, sizeof(d->fail), "%s", why ? why : "");
	if (why && !d->p->fail_closed)
		rbi_daemon_log(LOG_ERR, "audit: %s (on-failure: open, "
			       "enforcement goes on)", why);
	rbi_daemon_enforce(d, d->p);
}

void rbi_daemon_module_watch(struct rbi_daemon *d)
{
	bool loaded;

	if (!d->module_used && !d->module_lost)
		return;
	loaded = rbi_module_loaded();
	if (loaded == d->module_used)
		return;
	d->module_lost = !loaded;
	rbi_daemon_gap(d, loaded ? "module-back" : "module-gone", 1, loaded ?
		       "rbiblock.ko is loaded again; re-applied" :
		       "rbiblock.ko went away while the ruleset relied on it; "
		       "re-applied without it");
	rbi_daemon_enforce(d, d->p);
}

/*
 * On arrays of its own: the queue backend's threads learn meanwhile, with
 * d->entries.
 */
void rbi_daemon_restore_learned(struct rbi_daemon *d)
{
	struct rbi_memo_entry *v = NULL;
	struct rbi_nft_learn *l = NULL;
	char err[RBI_NFT_ERR_LEN];
	struct rbi_nft_change mine;
	size_t n = 0, cap = 0, i;
	uint32_t pos = 0;

	for (;;) {
		if (rbi_grow_to(&v, &cap, n + 1, sizeof(*v)) ||
		    !rbi_memo_next(&d->memo, &pos, &v[n]))
			break;
		n++;
	}
	l = n ? calloc(n, sizeof(*l)) : NULL;
	for (i = 0; l && i < n; i++) {
		l[i].family = v[i].ip.family;
		memcpy(l[i].addr, v[i].ip.a, 16);
		l[i].verdict = rbi_nft_service_verdict(d->p, v[i].service);
		l[i].timeout = v[i].left ? v[i].left : 1;
		l[i].comment = v[i].comment;
	}
	if (n && (!l || rbi_nft_learn(l, n, err, sizeof(err))))
		rbi_daemon_say("restoring learned addresses failed: %s",
			       l ? err : "out of memory");
	if (d->watch)
		rbi_nft_watch_read(d->watch, &mine);
	if (n && l)
		rbi_daemon_say("restored: %zu learned addresses", n);
	free(l);
	free(v);
}

void rbi_daemon_watch_open(struct rbi_daemon *d)
{
	char err[RBI_NFT_ERR_LEN];

	d->watch = rbi_nft_watch_open(err, sizeof(err));
	if (!d->watch)
		rbi_daemon_say("%s: changes to the table are found at the "
			       "next heartbeat only", err);
}

/* Whether the table still reads back as applied, in its light form. */
static bool rbi_daemon_table_intact(void)
{
	char err[RBI_NFT_ERR_LEN];
	struct rbi_nft_state st;
	bool ok;

	if (rbi_nft_read(&st, false, err, sizeof(err)))
		return false;
	ok = st.present && st.verified;
	rbi_nft_state_free(&st);
	return ok;
}

void rbi_daemon_watch_read(struct rbi_daemon *d)
{
	struct rbi_nft_change c;
	char detail[256];
	/* From the last time the table was known as applied. */
	int64_t since = d->proven_us ? d->proven_us : rbi_audit_now_us();
	const char *what;
	int rc;

	memset(&c, 0, sizeof(c));
	if (!rbi_nft_watch_read(d->watch, &c))
		return;
	if (c.by_rbictl && !c.by_others && !c.overrun) {
		d->proven_hold = true;
		rbi_daemon_log(LOG_NOTICE, "table inet rbiblock was changed by "
			       "%s: the next heartbeat puts the daemon's "
			       "policy back (SIGHUP it to keep the change)",
			       c.by);
		return;
	}
	if (c.learned_lost && !c.table_gone && !c.changed) {
		rbi_daemon_restore_learned(d);
		snprintf(detail, sizeof(detail), "learned addresses were "
			 "deleted by %s; put back", c.by);
		d->proven_us = rbi_audit_now_us();
		rbi_daemon_gap_span(d, "ruleset-mismatch", 1, since,
				    d->proven_us, detail);
		return;
	}
	/* Notifications lost: put back only what reads back wrong. */
	if (!c.table_gone && !c.changed && rbi_daemon_table_intact()) {
		rbi_daemon_restore_learned(d);
		return;
	}
	rc = rbi_daemon_apply(d, d->p, true);
	rbi_daemon_restore_learned(d);
	what = c.table_gone ? "removed" : c.changed ? "changed" :
	       "found changed";
	snprintf(detail, sizeof(detail), "table inet rbiblock was %s by %s; "
		 "%s", what, c.by[0] ? c.by : "someone (notifications were "
		 "lost)", rc ? "putting it back failed" : "put back");
	if (!rc)
		d->proven_us = rbi_audit_now_us();
	rbi_daemon_gap_span(d, "ruleset-mismatch", 1, since,
			    rbi_audit_now_us(), detail);
}
