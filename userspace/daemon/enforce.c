// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The daemon's enforcement: the backends, and fail-closed when asked. */
#include <stdio.h>
#include <string.h>

#include "daemon/internal.h"

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
	if (res->unguarded[0])
		rbi_daemon_unguarded_record(d);
	else
		rbi_daemon_log(LOG_INFO, "offload: no other table takes flows "
			       "past rbiblock any more");
}

int rbi_daemon_enforce(struct rbi_daemon *d, const struct rbi_policy *p)
{
	const char *fail = rbi_daemon_fail_reason(d);
	struct rbi_backend_result res;
	char err[RBI_NFT_ERR_LEN];
	int rc;

	rc = rbi_backend_apply(p, rbi_daemon_backend(d), fail, !d->no_offload,
			       &res, err, sizeof(err));
	d->module_used = !d->module_lost && res.used &&
			 !strcmp(res.used, "nft+module");
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
	rbi_daemon_unguarded(d, &res);
	if (rc)
		rbi_daemon_log(LOG_ERR, "%s", err);
	rbi_daemon_log(res.fail_closed ? LOG_ERR : LOG_INFO,
		       "%s policy %s (sha256 %s), backend %s, ruleset sha256 "
		       "%s, %zu learned addresses kept%s%s",
		       res.nft.unchanged ? "in force:" : "applied:", p->name,
		       p->sha256_hex, res.used, res.nft.sha256,
		       res.nft.carried,
		       res.fail_closed ? ", FAIL-CLOSED: " : "",
		       res.fail_closed ? res.fail_closed : "");
	return 0;
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
