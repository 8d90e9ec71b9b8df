// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reading records back: the JSON reader, record formatting and parsing,
 * RFC 3339 times, and the escaping of every export format (CSV, syslog
 * structured data, CEF, HTML).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "audit/export.h"
#include "audit/report.h"
#include "audit/tally.h"
#include "audit/time.h"

typedef void (*escape_fn)(struct rbi_buf *, const char *, size_t);

static void assert_escaped(escape_fn fn, const char *in, const char *want)
{
	struct rbi_buf out = RBI_BUF_INIT;

	fn(&out, in, strlen(in));
	assert_string_equal(rbi_buf_str(&out), want);
	rbi_buf_free(&out);
}

static void test_csv(void **state)
{
	assert_escaped(rbi_audit_csv_field, "plain", "plain");
	assert_escaped(rbi_audit_csv_field, "a,b", "\"a,b\"");
	assert_escaped(rbi_audit_csv_field, "say \"hi\"", "\"say \"\"hi\"\"\"");
	assert_escaped(rbi_audit_csv_field, "two\r\nlines", "\"two\r\nlines\"");
	assert_escaped(rbi_audit_csv_field, "lf\n", "\"lf\n\"");
	assert_escaped(rbi_audit_csv_field, "", "");
	assert_escaped(rbi_audit_csv_field, "=HYPERLINK(\"x\")",
		       "\"'=HYPERLINK(\"\"x\"\")\"");
	assert_escaped(rbi_audit_csv_field, "+1", "\"'+1\"");
	assert_escaped(rbi_audit_csv_field, "@sum", "\"'@sum\"");
	assert_escaped(rbi_audit_csv_field, "a=b", "a=b");
}

static void test_syslog_sd(void **state)
{
	assert_escaped(rbi_audit_sd_value, "plain", "plain");
	assert_escaped(rbi_audit_sd_value, "a\"b", "a\\\"b");
	assert_escaped(rbi_audit_sd_value, "a\\b", "a\\\\b");
	assert_escaped(rbi_audit_sd_value, "a]b", "a\\]b");
	assert_escaped(rbi_audit_sd_value, "[x]=y", "[x\\]=y");
}

static void test_cef(void **state)
{
	assert_escaped(rbi_audit_cef_header, "a|b\\c", "a\\|b\\\\c");
	assert_escaped(rbi_audit_cef_header, "no=escape", "no=escape");
	assert_escaped(rbi_audit_cef_header, "one\nline", "one line");
	assert_escaped(rbi_audit_cef_value, "a=b", "a\\=b");
	assert_escaped(rbi_audit_cef_value, "a\\b", "a\\\\b");
	assert_escaped(rbi_audit_cef_value, "l1\nl2\rl3", "l1\\nl2\\rl3");
	assert_escaped(rbi_audit_cef_value, "a|b", "a|b");
}

static void test_html(void **state)
{
	assert_escaped(rbi_audit_html_escape, "<script>&\"'",
		       "&lt;script&gt;&amp;&quot;&#39;");
}

static void test_json_reader(void **state)
{
	static const char ok[] =
		"{\"a\":\"x\\\"y\\u00e9\\ud83d\\ude00\",\"n\":-1.5e3,\"t\":true,"
		"\"z\":null,\"o\":{\"k\":[1,{\"d\":\"}\"}]},\"u\":18446744073709551615}";
	struct rbi_buf s = RBI_BUF_INIT;
	struct rbi_audit_jobj o;
	const struct rbi_audit_jval *v;
	uint64_t u;

	assert_int_equal(rbi_audit_json_parse(ok, strlen(ok), &o), 0);
	assert_int_equal(o.count, 6);
	assert_true(rbi_audit_json_str(rbi_audit_json_get(&o, "a"), &s));
	assert_string_equal(rbi_buf_str(&s), "x\"y\xc3\xa9\xf0\x9f\x98\x80");
	v = rbi_audit_json_get(&o, "o");
	assert_int_equal(v->type, RBI_AUDIT_JOBJ);
	assert_int_equal(v->n, strlen("{\"k\":[1,{\"d\":\"}\"}]}"));
	assert_true(rbi_audit_json_u64(rbi_audit_json_get(&o, "u"), &u));
	assert_true(u == UINT64_MAX);
	assert_false(rbi_audit_json_u64(rbi_audit_json_get(&o, "n"), &u));
	assert_null(rbi_audit_json_get(&o, "missing"));
	rbi_buf_free(&s);
}

static void test_json_reader_rejects(void **state)
{
	static const char *const bad[] = {
		"", "{", "{}x", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1]",
		"{\"a\":\"\x01\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
		"{\"a\":01}", "{\"a\":1.}", "{\"a\":tru}", "{\"a\":\"\xff\"}",
		"{\"a\":{\"b\":1}", "{\"a\":[1,2}", "{\"a\":\"unterminated}",
		"{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}",
	};
	struct rbi_audit_jobj o;
	size_t i, k;
	char *dup;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rbi_audit_json_parse(bad[i], strlen(bad[i]),
				 &o), RBI_AUDIT_EMALFORMED);
	/* Every strict prefix of a valid object fails, in an exact buffer. */
	for (k = 0; k < 40; k++) {
		static const char ok[] = "{\"a\":\"b\",\"c\":[1,{\"d\":2}]}";

		if (k >= strlen(ok))
			break;
		dup = malloc(k ? k : 1);
		memcpy(dup, ok, k);
		assert_int_equal(rbi_audit_json_parse(dup, k, &o),
				 RBI_AUDIT_EMALFORMED);
		free(dup);
	}
}

static void test_time(void **state)
{
	char ts[RBI_AUDIT_TS_LEN + 1];
	int64_t us;

	assert_int_equal(rbi_audit_ts_parse("2026-11-26T10:00:00.000123Z", 27,
			 &us), 0);
	rbi_audit_ts_format(us, ts);
	assert_string_equal(ts, "2026-11-26T10:00:00.000123Z");
	assert_int_equal(rbi_audit_ts_parse("2026-11-26T12:00:00+02:00", 25,
			 &us), 0);
	rbi_audit_ts_format(us, ts);
	assert_string_equal(ts, "2026-11-26T10:00:00.000000Z");
	assert_int_equal(rbi_audit_ts_parse("2026-02-30T00:00:00Z", 20, &us),
			 RBI_AUDIT_EMALFORMED);
	assert_int_equal(rbi_audit_ts_parse("2026-11-26 10:00Z", 17, &us),
			 RBI_AUDIT_EMALFORMED);
	assert_int_equal(rbi_audit_time_arg("-24h", 86400000000LL * 2, &us),
			 0);
	assert_true(us == 86400000000LL);
	assert_int_equal(rbi_audit_time_arg("2026-11-26", 0, &us), 0);
	rbi_audit_ts_format(us, ts);
	assert_string_equal(ts, "2026-11-26T00:00:00.000000Z");
	assert_int_equal(rbi_audit_time_arg("yesterday", 0, &us),
			 RBI_AUDIT_EMALFORMED);
}

static void test_durations(void **state)
{
	uint64_t s;

	assert_int_equal(rbi_audit_duration_parse("400d", &s), 0);
	assert_true(s == 400ull * 86400);
	assert_int_equal(rbi_audit_duration_parse("60s", &s), 0);
	assert_true(s == 60);
	assert_int_equal(rbi_audit_duration_parse("1h", &s), 0);
	assert_true(s == 3600);
	assert_int_equal(rbi_audit_duration_parse("5", &s), 0);
	assert_true(s == 5);
	assert_int_equal(rbi_audit_duration_parse("h", &s),
			 RBI_AUDIT_EMALFORMED);
	assert_int_equal(rbi_audit_duration_parse("1.5h", &s),
			 RBI_AUDIT_EMALFORMED);
}

static void test_record_roundtrip(void **state)
{
	struct rbi_audit_rec_common c = { RBI_AUDIT_REC_BLOCK, 7,
					  1795600000000123LL, "boot" };
	struct rbi_audit_block b = {
		"zone \"q\"", "10.20.0.5", "10.20.0.5", "198.51.100.7", 443,
		"tcp", "tls",
		"evil\x01\xff.example", "svc", "cat", "rule", "basis",
		"sha", "egress", 3, "nft", RBI_AUDIT_ECH_YES,
	};
	struct rbi_buf out = RBI_BUF_INIT, tmp = RBI_BUF_INIT;
	struct rbi_audit_rec r;

	assert_int_equal(rbi_audit_rec_block(&out, &c, &b), 0);
	assert_non_null(strstr(out.data, "\"name\":\"evil\\u0001\\ufffd."));
	assert_non_null(strstr(out.data, "\",\"ech\":true,\"service\":"));
	assert_int_equal(rbi_audit_rec_parse(out.data, out.len, &r), 0);
	assert_int_equal(r.type, RBI_AUDIT_REC_BLOCK);
	assert_int_equal(r.idx, 7);
	assert_true(r.ts == 1795600000000123LL);
	assert_string_equal(rbi_audit_rec_str(&r, "zone", &tmp), "zone \"q\"");
	rbi_buf_free(&out);
	rbi_buf_free(&tmp);
}

/* Export of one record in fmt, as a string the caller frees. */
static char *export(enum rbi_audit_format fmt, const struct rbi_buf *line)
{
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_audit_rec r;
	char *s;

	assert_int_equal(rbi_audit_rec_parse(line->data, line->len, &r), 0);
	rbi_audit_export_record(fmt, &r, line->data, line->len, "gw", &out);
	s = strdup(rbi_buf_str(&out));
	rbi_buf_free(&out);
	return s;
}

/*
 * A flow allowed but recorded: a "log" record with the block fields,
 * never counted or exported as a block.
 */
static void test_log_record(void **state)
{
	struct rbi_audit_rec_common c = { RBI_AUDIT_REC_LOG, 9,
					  1795600000000123LL, "boot" };
	struct rbi_audit_block b = {
		"square", "10.20.0.5", "10.20.0.5", "198.51.100.7", 443, "udp",
		"quic",
		NULL, NULL, NULL, "block-quic", "basis", "sha", "egress", 2,
		"nft", RBI_AUDIT_ECH_UNKNOWN,
	};
	struct rbi_buf line = RBI_BUF_INIT;
	struct rbi_audit_rec r;
	char *s;

	assert_int_equal(rbi_audit_rec_block(&line, &c, &b), 0);
	assert_non_null(strstr(line.data, "\"type\":\"log\","));
	assert_int_equal(rbi_audit_rec_parse(line.data, line.len, &r), 0);
	assert_int_equal(r.type, RBI_AUDIT_REC_LOG);
	assert_true(rbi_audit_rec_is_flow(r.type));
	assert_int_equal(rbi_audit_rec_type_parse("log", 3), RBI_AUDIT_REC_LOG);
	s = export(RBI_AUDIT_FMT_CSV, &line);
	/* The flow's own columns, and nothing left over for "detail". */
	assert_non_null(strstr(s, ",log,square,10.20.0.5,10.20.0.5,"
				  "198.51.100.7,443,udp,quic,,,,,block-quic,"));
	assert_non_null(strstr(s, ",2,nft,\r\n"));
	free(s);
	s = export(RBI_AUDIT_FMT_CEF, &line);
	/* No service: the header names the address it went to. */
	assert_non_null(strstr(s, "|rbi-log|Logged flow to 198.51.100.7 "
				  "udp/443|5|"));
	assert_non_null(strstr(s, " act=log "));
	assert_null(strstr(s, "act=block"));
	free(s);
	s = export(RBI_AUDIT_FMT_SYSLOG, &line);
	assert_true(!strncmp(s, "<109>1 ", 7));
	free(s);
	rbi_buf_free(&line);
}

static void test_record_truncates(void **state)
{
	struct rbi_audit_rec_common c = { RBI_AUDIT_REC_POLICY, 0, 0, "b" };
	struct rbi_buf out = RBI_BUF_INIT, tmp = RBI_BUF_INIT;
	static char text[200000];
	struct rbi_audit_policy p = { "n", "s", text, sizeof(text), NULL, 0 };
	struct rbi_buf body = RBI_BUF_INIT;
	struct rbi_audit_rec r;
	const char *t;

	/* Control bytes escape to six: the worst case for the cap. */
	memset(text, 0x01, sizeof(text));
	assert_int_equal(rbi_audit_rec_policy_body(&body, &p, "sha"), 0);
	assert_int_equal(rbi_audit_rec_body(&out, &c, body.data, body.len), 0);
	rbi_buf_free(&body);
	assert_true(out.len <= RBI_AUDIT_LEAF_MAX);
	assert_int_equal(rbi_audit_rec_parse(out.data, out.len, &r), 0);
	t = rbi_audit_rec_str(&r, "text", &tmp);
	assert_true(tmp.len > 1000);
	assert_string_equal(t + tmp.len - strlen(RBI_AUDIT_TRUNCATED),
			    RBI_AUDIT_TRUNCATED);
	rbi_buf_free(&out);
	rbi_buf_free(&tmp);
}

static void test_record_rejects(void **state)
{
	static const char *const bad[] = {
		"{\"v\":2,\"type\":\"stop\",\"idx\":0,\"ts\":\"2026-11-26T10:00:00Z\",\"boot_id\":\"b\"}",
		"{\"v\":1,\"type\":\"nope\",\"idx\":0,\"ts\":\"2026-11-26T10:00:00Z\",\"boot_id\":\"b\"}",
		"{\"type\":\"stop\",\"v\":1,\"idx\":0,\"ts\":\"2026-11-26T10:00:00Z\",\"boot_id\":\"b\"}",
		"{\"v\":1,\"type\":\"stop\",\"idx\":-1,\"ts\":\"2026-11-26T10:00:00Z\",\"boot_id\":\"b\"}",
		"{\"v\":1,\"type\":\"stop\",\"idx\":0,\"ts\":\"yesterday\",\"boot_id\":\"b\"}",
	};
	struct rbi_audit_rec r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rbi_audit_rec_parse(bad[i], strlen(bad[i]), &r),
				 RBI_AUDIT_EMALFORMED);
}

static void test_filter(void **state)
{
	static const char line[] =
		"{\"v\":1,\"type\":\"block\",\"idx\":1,\"ts\":\"2026-11-26T10:00:00Z\","
		"\"boot_id\":\"b\",\"zone\":\"z1\",\"camera\":\"10.0.0.1\","
		"\"service\":\"s1\"}";
	struct rbi_audit_filter f = { 0, 0, NULL, NULL, NULL, -1 };
	struct rbi_buf tmp = RBI_BUF_INIT;
	struct rbi_audit_rec r;

	assert_int_equal(rbi_audit_rec_parse(line, strlen(line), &r), 0);
	assert_true(rbi_audit_filter_match(&f, &r, &tmp));
	f.zone = "z2";
	assert_false(rbi_audit_filter_match(&f, &r, &tmp));
	f.zone = "z1";
	f.service = "s1";
	f.type = RBI_AUDIT_REC_BLOCK;
	assert_true(rbi_audit_filter_match(&f, &r, &tmp));
	f.since = r.ts + 1;
	assert_false(rbi_audit_filter_match(&f, &r, &tmp));
	rbi_buf_free(&tmp);
}

/*
 * The tally keeps RBI_TALLY_MAX keys per map, the last one "(other)",
 * however many distinct services a log names: it used to add "(other)"
 * once at the cap and then every new key again.
 */
static void test_tally_cap(void **state)
{
	struct rbi_audit_rec_common c = { RBI_AUDIT_REC_BLOCK, 0,
					  1795600000000000LL, "boot" };
	struct rbi_audit_block b = {
		"square", "10.20.0.5", "10.20.0.5", "198.51.100.7", 443, "tcp",
		"tls", NULL, NULL, "remote-biometric-identification", "rule",
		"basis", "sha", "egress", 2, "nft", RBI_AUDIT_ECH_UNKNOWN,
	};
	struct rbi_audit_tally *t = rbi_audit_tally_new(0, 0);
	struct rbi_buf line = RBI_BUF_INIT;
	const struct rbi_tally_map *m;
	struct rbi_audit_rec r;
	uint64_t flows = 0, other = 0;
	char svc[32];
	size_t i;
	const unsigned int n = 3 * RBI_TALLY_MAX;

	assert_non_null(t);
	b.service = svc;
	for (i = 0; i < n; i++) {
		snprintf(svc, sizeof(svc), "service-%zu", i);
		c.idx = i;
		c.ts += 1000;
		rbi_buf_reset(&line);
		assert_int_equal(rbi_audit_rec_block(&line, &c, &b), 0);
		assert_int_equal(rbi_audit_rec_parse(line.data, line.len, &r),
				 0);
		rbi_audit_tally_record(t, &r, line.data, line.len);
	}
	m = &t->services;
	assert_int_equal(m->n, RBI_TALLY_MAX);
	for (i = 0; i < m->n; i++) {
		flows += m->e[i].flows;
		if (!strcmp(m->e[i].key, RBI_TALLY_OTHER_KEY)) {
			other++;
			assert_int_equal(m->e[i].flows,
					 n - (RBI_TALLY_MAX - 1));
			assert_int_equal(m->e[i].packets,
					 2 * (n - (RBI_TALLY_MAX - 1)));
		}
	}
	assert_int_equal(other, 1);
	/* Flows are records, not packets: every one counted once. */
	assert_int_equal(flows, n);
	assert_int_equal(t->blocks, n);
	assert_int_equal(t->block_packets, 2 * n);
	assert_false(t->failed);
	rbi_buf_free(&line);
	rbi_audit_tally_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_syslog_sd),
		cmocka_unit_test(test_cef),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_json_reader),
		cmocka_unit_test(test_json_reader_rejects),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_record_roundtrip),
		cmocka_unit_test(test_log_record),
		cmocka_unit_test(test_record_truncates),
		cmocka_unit_test(test_record_rejects),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_tally_cap),
	};

	return cmocka_run_group_tests_name("audit_export", tests, NULL, NULL);
}
