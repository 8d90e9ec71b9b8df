// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The daemon's side of the audit log: opened at start (and retried at
 * each heartbeat while it can't be), a policy record per policy, gap
 * records, and a sync after each round of the loop. A log that can't be
 * opened or written is a reason to fail closed.
 */
#include <stdio.h>
#include <string.h>

#include "audit/time.h"
#include "daemon/internal.h"
#include "policy/facts.h"

/*
 * The policy's text, and what it compiled to: the catalogue with each
 * file's digest, the prohibition, zones and enforce settings.
 */
void rbi_daemon_policy_record(struct rbi_daemon *d)
{
	struct rbi_buf facts = RBI_BUF_INIT;
	struct rbi_audit_policy ap = {
		d->p->name, d->path ? d->path : RBI_POLICY_BUILTIN,
		d->p->files[0].text, d->p->files[0].len, NULL, 0,
	};

	if (!rbi_policy_facts(d->p, &facts, RBI_AUDIT_FACTS_CAP)) {
		ap.facts = facts.data;
		ap.facts_len = facts.len;
	}
	if (d->log && rbi_audit_append_policy(d->log, &ap, NULL) ==
	    RBI_AUDIT_OK)
		d->log_dirty = true;
	rbi_buf_free(&facts);
}

void rbi_daemon_audit_open(struct rbi_daemon *d)
{
	struct rbi_audit_config cfg;
	enum rbi_audit_open_state state;
	char err[96], why[RBI_NFT_COMMENT_MAX];

	memset(&cfg, 0, sizeof(cfg));
	cfg.dir = d->p->audit.dir;
	cfg.origin = d->p->audit.origin;
	cfg.key_path = d->p->audit.key;
	cfg.heartbeat = d->p->audit.heartbeat;
	cfg.retention = d->p->audit.retention;
	if (rbi_audit_open(&cfg, &d->log, &state, err, sizeof(err)) !=
	    RBI_AUDIT_OK) {
		d->log = NULL;
		snprintf(why, sizeof(why), "audit log unavailable: %s", err);
		rbi_daemon_fail(d, why);
		return;
	}
	rbi_daemon_log(state == RBI_AUDIT_OPENED_ALARM ? LOG_ERR : LOG_INFO,
		       "audit: log %s opened (%s)", cfg.dir,
		       state == RBI_AUDIT_OPENED_NEW ? "new" :
		       state == RBI_AUDIT_OPENED_CLEAN ? "clean" :
		       state == RBI_AUDIT_OPENED_RECOVERED ? "recovered" :
		       "ALARM");
	if (!d->proven_us)
		d->proven_us = rbi_audit_now_us();
	rbi_daemon_policy_record(d);
	if (d->unguarded[0])
		rbi_daemon_unguarded_record(d);
	rbi_daemon_fail(d, NULL);
}

void rbi_daemon_gap(struct rbi_daemon *d, const char *what, uint64_t count,
		    const char *detail)
{
	rbi_daemon_gap_from(d, what, rbi_audit_now_us(), count, detail);
}

void rbi_daemon_gap_from(struct rbi_daemon *d, const char *what, int64_t from,
			 uint64_t count, const char *detail)
{
	struct rbi_audit_gap g;

	memset(&g, 0, sizeof(g));
	g.what = what;
	g.until = rbi_audit_now_us();
	g.from = from && from < g.until ? from : g.until;
	g.count = count;
	g.detail = detail;
	rbi_daemon_log(LOG_WARNING, "gap: %s: %s", what, detail);
	if (d->log && rbi_audit_append_gap(d->log, &g, NULL) == RBI_AUDIT_OK)
		d->log_dirty = true;
}

void rbi_daemon_sync(struct rbi_daemon *d)
{
	char why[RBI_NFT_COMMENT_MAX];

	if (!d->log || !d->log_dirty)
		return;
	d->log_dirty = false;
	if (rbi_audit_sync(d->log) == RBI_AUDIT_OK) {
		rbi_daemon_fail(d, NULL);
		return;
	}
	snprintf(why, sizeof(why), "audit log write failed: %s",
		 rbi_audit_log_error(d->log));
	rbi_daemon_fail(d, why);
}
