// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmod/modstat.h"
#include "util/grow.h"

struct rbi_modstat_walk {
	struct rbi_modstat *ms;
	size_t cap;
	bool failed;
};

static int rbi_modstat_learned_cb(void *ctx,
				  const struct rbi_modctl_learned *e)
{
	struct rbi_modstat_walk *w = ctx;
	struct rbi_modstat *ms = w->ms;
	struct rbi_modctl_learned *slot;

	if (ms->n_learned == RBI_MODSTAT_LEARNED_MAX) {
		ms->learned_cut = true;
		return 1;
	}
	slot = rbi_grow_push(ms->learned, &ms->n_learned, &w->cap);
	if (!slot) {
		w->failed = true;
		return 1;
	}
	*slot = *e;
	return 0;
}

int rbi_modstat_read(struct rbi_modstat *ms, const char *applied, char *err,
		     size_t errlen)
{
	struct rbi_modstat_walk w = { ms, 0, false };
	struct rbi_modctl *m;
	int rc;

	memset(ms, 0, sizeof(*ms));
	snprintf(ms->applied, sizeof(ms->applied), "%s",
		 applied ? applied : "");
	rc = rbi_modctl_open(&m, err, errlen);
	if (rc)
		return rc;
	rc = rbi_modctl_status(m, &ms->st, err, errlen);
	if (!rc)
		rc = rbi_modctl_learned(m, rbi_modstat_learned_cb, &w, err,
					errlen);
	rbi_modctl_close(m);
	if (!rc && w.failed) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	}
	if (rc)
		rbi_modstat_free(ms);
	return rc;
}

void rbi_modstat_free(struct rbi_modstat *ms)
{
	free(ms->learned);
	ms->learned = NULL;
	ms->n_learned = 0;
}

bool rbi_modstat_in_step(const struct rbi_modstat *ms)
{
	return ms->st.generation && !strcmp(ms->st.sha256, ms->applied);
}

static const char *rbi_modstat_step(const struct rbi_modstat *ms)
{
	if (!ms->st.generation)
		return "NO configuration: it classifies nothing (run "
		       "'rbictl apply')";
	if (!ms->applied[0])
		return "no ruleset applied to compare with";
	return rbi_modstat_in_step(ms) ? "the policy applied to the ruleset" :
	       "NOT the policy applied to the ruleset (run 'rbictl apply')";
}

void rbi_modstat_text(const struct rbi_modstat *ms)
{
	const struct rbi_modctl_status *st = &ms->st;
	char ip[RBI_IP_STRLEN];
	size_t i;

	printf("  configuration: generation %u", st->generation);
	if (st->generation)
		printf(", policy %s (sha256 %s)", st->name, st->sha256);
	printf(", %s\n", rbi_modstat_step(ms));
	printf("  events: %llu sent, %llu held back by the rate limit, "
	       "%llu failed\n",
	       (unsigned long long)st->stats[RBI_STAT_EVENTS],
	       (unsigned long long)st->stats[RBI_STAT_EVENTS_SUPPRESSED],
	       (unsigned long long)st->stats[RBI_STAT_EVENTS_FAILED]);
	printf("  learned addresses: %zu%s\n", ms->n_learned,
	       ms->learned_cut ? " (and more)" : "");
	for (i = 0; i < ms->n_learned && i < RBI_MODSTAT_TEXT_LEARNED; i++) {
		rbi_ip_format(&ms->learned[i].ip, ip, sizeof(ip));
		printf("    %-39s %s, %u s left\n", ip,
		       ms->learned[i].service_id, ms->learned[i].expires);
	}
	if (i < ms->n_learned)
		printf("    ... (all of them: rbictl status --json)\n");
	rbi_modstat_counters_text(st->stats);
}

void rbi_modstat_counters_text(const uint64_t *stats)
{
	size_t i;

	printf("  counters:\n");
	for (i = 0; i < __RBI_STAT_MAX; i++)
		printf("    %-20s %llu\n", rbi_modctl_stat_name(i),
		       (unsigned long long)stats[i]);
}

void rbi_modstat_counters_json(struct rbi_json *j, const uint64_t *stats)
{
	size_t i;

	rbi_json_key(j, "counters");
	rbi_json_obj_begin(j);
	for (i = 0; i < __RBI_STAT_MAX; i++)
		rbi_json_kuint(j, rbi_modctl_stat_name(i), stats[i]);
	rbi_json_obj_end(j);
}

void rbi_modstat_json(const struct rbi_modstat *ms, struct rbi_json *j)
{
	const struct rbi_modctl_status *st = &ms->st;
	char ip[RBI_IP_STRLEN];
	size_t i;

	rbi_json_obj_begin(j);
	rbi_json_kuint(j, "generation", st->generation);
	rbi_json_kstr(j, "policy", st->generation ? st->name : NULL);
	rbi_json_kstr(j, "policy_sha256", st->generation ? st->sha256 : NULL);
	rbi_json_kbool(j, "policy_applied", rbi_modstat_in_step(ms));
	rbi_json_kuint(j, "events_suppressed",
		       st->stats[RBI_STAT_EVENTS_SUPPRESSED]);
	rbi_json_kuint(j, "mem_allocs", st->mem_allocs);
	rbi_modstat_counters_json(j, st->stats);
	rbi_json_kbool(j, "learned_cut", ms->learned_cut);
	rbi_json_key(j, "learned");
	rbi_json_arr_begin(j);
	for (i = 0; i < ms->n_learned; i++) {
		rbi_ip_format(&ms->learned[i].ip, ip, sizeof(ip));
		rbi_json_obj_begin(j);
		rbi_json_kstr(j, "addr", ip);
		rbi_json_kstr(j, "service", ms->learned[i].service_id);
		rbi_json_kuint(j, "expires", ms->learned[i].expires);
		rbi_json_obj_end(j);
	}
	rbi_json_arr_end(j);
	rbi_json_obj_end(j);
}
