// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Heartbeats: every audit.heartbeat, the ruleset is read back in its light
 * form and checked (re-applied when it was changed or removed), the module
 * checked, what learning gave up recorded, and a heartbeat record with the
 * block counters' growth signs the log. Reading back leaves the sets'
 * elements out (the watch in enforce.c sees changes to them), so that a
 * heartbeat costs the same for a thousand networks as for a million.
 */
#include <stdio.h>
#include <string.h>

#include "audit/time.h"
#include "daemon/internal.h"
#include "nft/defs.h"

/*
 * Counters of blocks: the per-rule chains, the module's verdicts, the
 * queue backend's (the packet that decided a flow; its later ones meet
 * the module's chain), the enforce settings' rules.
 */
static bool rbi_heartbeat_blocks(const struct rbi_nft_counter *c)
{
	if (!strcmp(c->chain, RBI_NFT_CH_QVERDICTS))
		return strncmp(c->comment, "allowed", 7) != 0;
	return !strncmp(c->chain, "block_", 6) ||
	       !strcmp(c->chain, RBI_NFT_CH_MODULE) ||
	       strstr(c->comment, "block-");
}

/*
 * The block counters, summed by name (the rule comment up to its first
 * ':'), as what they grew by since the last heartbeat.
 */
static size_t rbi_heartbeat_counters(struct rbi_daemon *d,
				     const struct rbi_nft_state *st,
				     struct rbi_audit_counter *out)
{
	char names[RBI_AUDIT_COUNTERS_MAX][RBI_AUDIT_COUNTER_NAME_CAP];
	uint64_t now[RBI_AUDIT_COUNTERS_MAX];
	char name[RBI_AUDIT_COUNTER_NAME_CAP];
	size_t i, k, n = 0;

	for (i = 0; i < st->n_counters; i++) {
		if (!rbi_heartbeat_blocks(&st->counters[i]))
			continue;
		snprintf(name, sizeof(name), "%.*s",
			 (int)strcspn(st->counters[i].comment, ":"),
			 st->counters[i].comment);
		for (k = 0; k < n && strcmp(names[k], name); k++)
			;
		if (k == n) {
			if (n == RBI_AUDIT_COUNTERS_MAX)
				continue;
			memcpy(names[n], name, sizeof(name));
			now[n++] = 0;
		}
		now[k] += st->counters[i].packets;
	}
	for (i = 0; i < n; i++) {
		out[i].name = d->last_names[i];
		out[i].value = now[i];
		for (k = 0; k < d->n_last; k++)
			if (!strcmp(d->last_names[k], names[i]) &&
			    d->last[k].value <= now[i])
				out[i].value = now[i] - d->last[k].value;
	}
	for (i = 0; i < n; i++) {
		memcpy(d->last_names[i], names[i], sizeof(names[i]));
		d->last[i].name = d->last_names[i];
		d->last[i].value = now[i];
	}
	d->n_last = n;
	return n;
}

/*
 * Whether another table started (or stopped) offloading flows past
 * rbiblock since the last apply: a firewall reloaded after rbictl run
 * started, such as OpenWrt's fw4 with software offloading.
 */
static bool rbi_heartbeat_offload_changed(const struct rbi_daemon *d)
{
	char why[RBI_NFT_COMMENT_MAX], err[RBI_NFT_ERR_LEN];
	struct rbi_nft_foreign f;
	int rc = rbi_nft_foreign_read(&f, err, sizeof(err));

	rbi_backend_offload_gap(&f, d->module_used, rc ? err : NULL, why,
				sizeof(why));
	return strcmp(why, d->unguarded) != 0;
}

void rbi_daemon_heartbeat(struct rbi_daemon *d)
{
	struct rbi_audit_counter ctr[RBI_AUDIT_COUNTERS_MAX];
	struct rbi_audit_heartbeat hb;
	struct rbi_nft_state st;
	char err[RBI_NFT_ERR_LEN];
	bool gone;

	d->next_heartbeat = time(NULL) + d->p->audit.heartbeat;
	if (rbi_nft_read(&st, false, err, sizeof(err)) == 0 &&
	    (!st.present || !st.verified || strcmp(st.sha256, d->ruleset))) {
		gone = !st.present;
		rbi_nft_state_free(&st);
		rbi_daemon_enforce(d, d->p);
		rbi_daemon_restore_learned(d);
		/* Unproven from the last time it was known as applied. */
		rbi_daemon_gap_from(d, "ruleset-mismatch", d->proven_us, 1,
				    gone ? "table inet rbiblock was removed; "
				    "re-applied" : "table inet rbiblock was "
				    "changed outside rbictl; re-applied");
		rbi_nft_read(&st, false, err, sizeof(err));
	} else if (rbi_heartbeat_offload_changed(d)) {
		rbi_nft_state_free(&st);
		rbi_daemon_enforce(d, d->p);
		rbi_nft_read(&st, false, err, sizeof(err));
	}
	if (st.present && st.verified && !strcmp(st.sha256, d->ruleset)) {
		d->proven_us = rbi_audit_now_us();
		d->proven_hold = false;
	}
	rbi_daemon_module_check(d);
	rbi_daemon_queues_retry(d);
	rbi_daemon_queues_check(d);
	rbi_daemon_learn_gaps(d);
	memset(&hb, 0, sizeof(hb));
	hb.policy_sha256 = d->p->sha256_hex;
	hb.ruleset_sha256 = st.present ? st.sha256 : "";
	hb.module = rbi_module_loaded();
	hb.backend = rbi_daemon_backend(d) == RBI_BACKEND_QUEUE ?
		     "nft+queue" : hb.module && d->backend != RBI_BACKEND_NFT ?
		     "nft+module" : "nft";
	hb.counters = ctr;
	hb.ncounters = rbi_heartbeat_counters(d, &st, ctr);
	rbi_daemon_heartbeat_record(d, &hb);
	rbi_nft_state_free(&st);
	rbi_daemon_state_write(d);
}
