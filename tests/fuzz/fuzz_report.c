// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: the report from records an attacker wrote. A log whose leaf
 * hashes were rewritten to match still reaches the tally record by
 * record, so whatever a record holds must never crash the tally or the
 * page: policy records with odd catalogues and zones, starts and stops in
 * any order, times going back, counts and offsets out of range.
 *
 * Each input line is the body of one record (the members after the common
 * ones); its first byte picks the type, and the harness adds the common
 * fields with an index and a time that moves by the second byte's value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/report.h"
#include "audit/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char *const types[] = {
		"policy", "block", "heartbeat", "start", "stop", "gap", "log",
	};
	struct rbi_audit_tally *t = rbi_audit_tally_new(0, 0);
	struct rbi_buf line = RBI_BUF_INIT, out = RBI_BUF_INIT;
	struct rbi_audit_key key = { "fuzz.example/log", { 1, 2, 3, 4 },
				     { 0 }, { 0 }, false };
	struct rbi_audit_report_opts o = { "log", "k.pub", &key, 0, 0,
					   1795600000000000LL };
	static struct rbi_audit_rec r;
	struct rbi_audit_result res;
	const char *p = (const char *)data, *end = p + len, *nl;
	int64_t ts = 1795600000000000LL;
	char head[160];
	uint64_t idx = 0;

	if (!t)
		return 0;
	memset(&res, 0, sizeof(res));
	res.ok = len && data[0] & 1;
	while (p + 2 <= end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		/* A step back now and then: clocks do that. */
		ts += ((int64_t)(uint8_t)p[1] - 16) * 1000000;
		snprintf(head, sizeof(head), "{\"v\":1,\"type\":\"%s\","
			 "\"idx\":%llu,\"ts\":\"", types[(uint8_t)p[0] % 7],
			 (unsigned long long)idx++);
		rbi_buf_reset(&line);
		rbi_buf_adds(&line, head);
		rbi_audit_ts_add(&line, ts, "");
		rbi_buf_adds(&line, "\",\"boot_id\":\"b\"");
		if (nl > p + 2) {
			rbi_buf_addc(&line, ',');
			rbi_buf_add(&line, p + 2, (size_t)(nl - p - 2));
		}
		rbi_buf_addc(&line, '}');
		if (!rbi_buf_failed(&line) &&
		    !rbi_audit_rec_parse(line.data, line.len, &r))
			rbi_audit_tally_record(t, &r, line.data, line.len);
		p = nl + 1;
	}
	rbi_audit_tally_end(t);
	rbi_audit_report_html(&o, &res, t, &out);
	if (!rbi_buf_failed(&out) && !strstr(rbi_buf_str(&out), "</html>"))
		abort();
	rbi_buf_free(&out);
	rbi_buf_free(&line);
	rbi_audit_tally_free(t);
	return 0;
}
