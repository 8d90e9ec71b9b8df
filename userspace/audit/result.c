// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/result.h"
#include "audit/time.h"
#include "util/json.h"
#include "util/plural.h"

static const char *const rbi_fault_names[__RBI_AUDIT_F_MAX] = {
	[RBI_AUDIT_F_SIGNATURE] = "signature",
	[RBI_AUDIT_F_CHECKPOINT] = "checkpoint",
	[RBI_AUDIT_F_ROOT] = "root",
	[RBI_AUDIT_F_RECORD] = "record",
	[RBI_AUDIT_F_MISSING] = "missing",
	[RBI_AUDIT_F_TIME] = "time",
	[RBI_AUDIT_F_START] = "start",
	[RBI_AUDIT_F_HEARTBEAT] = "heartbeat",
	[RBI_AUDIT_F_POLICY] = "policy",
	[RBI_AUDIT_F_GAP] = "gap",
};

const char *rbi_audit_fault_name(unsigned int kind)
{
	return kind < __RBI_AUDIT_F_MAX ? rbi_fault_names[kind] : "unknown";
}

void rbi_audit_result_free(struct rbi_audit_result *res)
{
	free(res->faults.v);
	free(res->gaps.v);
	free(res->pruned.v);
	free(res->notes.v);
	free(res->epochs);
	memset(res, 0, sizeof(*res));
}

static void rbi_res_period(struct rbi_buf *out, int64_t from, int64_t until)
{
	rbi_audit_ts_add(out, from, "?");
	rbi_buf_adds(out, " .. ");
	rbi_audit_ts_add(out, until, "?");
}

static void rbi_res_span_text(struct rbi_buf *out, const char *label,
			      const struct rbi_audit_span *sp)
{
	rbi_buf_printf(out, "%s epoch-%04u leaves %llu-%llu (", label,
		       sp->epoch, (unsigned long long)sp->from_idx,
		       (unsigned long long)sp->to_idx);
	rbi_res_period(out, sp->from_ts, sp->until_ts);
	rbi_buf_printf(out, "): %s\n", sp->detail);
}

void rbi_audit_result_text(const struct rbi_audit_result *res,
			   struct rbi_buf *out)
{
	const struct rbi_audit_epoch_info *e;
	char label[64];
	size_t i;

	for (i = 0; i < res->nepochs; i++) {
		e = &res->epochs[i];
		rbi_buf_printf(out, "epoch-%04u %s: %llu %s, %llu %s (latest "
			       "signs %llu), ", e->num, e->origin,
			       (unsigned long long)e->leaves,
			       rbi_plural(e->leaves, "leaf", "leaves"),
			       (unsigned long long)e->checkpoints,
			       rbi_plural(e->checkpoints, "checkpoint",
					  "checkpoints"),
			       (unsigned long long)e->signed_size);
		rbi_res_period(out, e->first_ts, e->last_ts);
		rbi_buf_addc(out, '\n');
	}
	for (i = 0; i < res->faults.n; i++) {
		snprintf(label, sizeof(label), "FAULT %s:",
			 rbi_audit_fault_name(res->faults.v[i].kind));
		rbi_res_span_text(out, label, &res->faults.v[i]);
	}
	for (i = 0; i < res->gaps.n; i++) {
		snprintf(label, sizeof(label), "gap %s:", res->gaps.v[i].what);
		rbi_res_span_text(out, label, &res->gaps.v[i]);
	}
	for (i = 0; i < res->pruned.n; i++)
		rbi_res_span_text(out, "pruned:", &res->pruned.v[i]);
	for (i = 0; i < res->notes.n; i++)
		rbi_res_span_text(out, "note:", &res->notes.v[i]);
	rbi_buf_printf(out, "%llu %s checked: %s, %zu %s, %zu declared %s\n",
		       (unsigned long long)res->records,
		       rbi_plural(res->records, "record", "records"),
		       res->ok ? "INTACT" : "NOT INTACT", res->faults.n,
		       rbi_plural(res->faults.n, "fault", "faults"),
		       res->gaps.n, rbi_plural(res->gaps.n, "gap", "gaps"));
}

static void rbi_res_kts(struct rbi_json *j, const char *key, int64_t ts)
{
	char s[RBI_AUDIT_TS_LEN + 1];

	if (!ts) {
		rbi_json_key(j, key);
		rbi_json_null(j);
		return;
	}
	rbi_audit_ts_format(ts, s);
	rbi_json_kstr(j, key, s);
}

static void rbi_res_spans_json(struct rbi_json *j, const char *key,
			       const struct rbi_audit_spans *s, bool fault)
{
	const struct rbi_audit_span *sp;
	size_t i;

	rbi_json_key(j, key);
	rbi_json_arr_begin(j);
	for (i = 0; i < s->n; i++) {
		sp = &s->v[i];
		rbi_json_obj_begin(j);
		if (fault)
			rbi_json_kstr(j, "kind", rbi_audit_fault_name(sp->kind));
		else if (sp->what[0])
			rbi_json_kstr(j, "what", sp->what);
		rbi_json_kuint(j, "epoch", sp->epoch);
		rbi_json_kuint(j, "from_idx", sp->from_idx);
		rbi_json_kuint(j, "to_idx", sp->to_idx);
		rbi_res_kts(j, "from", sp->from_ts);
		rbi_res_kts(j, "until", sp->until_ts);
		rbi_json_kuint(j, "count", sp->count);
		rbi_json_kstr(j, "detail", sp->detail);
		rbi_json_obj_end(j);
	}
	rbi_json_arr_end(j);
}

void rbi_audit_result_json(const struct rbi_audit_result *res,
			   struct rbi_buf *out)
{
	const struct rbi_audit_epoch_info *e;
	struct rbi_json j;
	size_t i;

	rbi_json_init(&j, out);
	rbi_json_obj_begin(&j);
	rbi_json_kbool(&j, "ok", res->ok);
	rbi_json_kuint(&j, "records", res->records);
	rbi_res_kts(&j, "first", res->first_ts);
	rbi_res_kts(&j, "last", res->last_ts);
	rbi_json_key(&j, "epochs");
	rbi_json_arr_begin(&j);
	for (i = 0; i < res->nepochs; i++) {
		e = &res->epochs[i];
		rbi_json_obj_begin(&j);
		rbi_json_kuint(&j, "epoch", e->num);
		rbi_json_kstr(&j, "origin", e->origin);
		rbi_json_kuint(&j, "leaves", e->leaves);
		rbi_json_kuint(&j, "checkpoints", e->checkpoints);
		rbi_json_kuint(&j, "signed_size", e->signed_size);
		rbi_res_kts(&j, "first", e->first_ts);
		rbi_res_kts(&j, "last", e->last_ts);
		rbi_json_obj_end(&j);
	}
	rbi_json_arr_end(&j);
	rbi_res_spans_json(&j, "faults", &res->faults, true);
	rbi_res_spans_json(&j, "gaps", &res->gaps, false);
	rbi_res_spans_json(&j, "pruned", &res->pruned, false);
	rbi_res_spans_json(&j, "notes", &res->notes, false);
	rbi_json_obj_end(&j);
	rbi_buf_addc(out, '\n');
}
