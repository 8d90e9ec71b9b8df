// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: the JSON writer against the audit log's JSON reader. Any
 * bytes, written as a string cut to a cap (the first two input bytes),
 * must make an object the reader accepts, whose string decodes to the
 * input (each byte that is not UTF-8 read as U+FFFD), or to a prefix of
 * it ending in the mark when cut, and whose escaped form fits the cap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/json.h"
#include "util/json.h"
#include "util/utf8.h"

#define MARK "[cut]"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* What the reader should give back for s: invalid bytes as U+FFFD. */
static void expected(const char *s, size_t n, struct rbi_buf *out)
{
	size_t i = 0, k;

	while (i < n) {
		k = rbi_utf8_seq(s + i, n - i);
		if (k) {
			rbi_buf_add(out, s + i, k);
			i += k;
		} else {
			rbi_buf_adds(out, "\xef\xbf\xbd");
			i++;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rbi_buf doc = RBI_BUF_INIT, got = RBI_BUF_INIT;
	struct rbi_buf want = RBI_BUF_INIT, whole = RBI_BUF_INIT;
	const struct rbi_audit_jval *v;
	static struct rbi_audit_jobj o;
	const char *s = (const char *)data + 2;
	struct rbi_json j;
	size_t cap, n, keep;

	if (len < 2)
		return 0;
	cap = (size_t)data[0] << 8 | data[1];
	n = len - 2;
	rbi_json_init(&j, &doc);
	rbi_json_obj_begin(&j);
	rbi_json_key(&j, "s");
	rbi_json_strn_cap(&j, s, n, cap, MARK);
	rbi_json_kint(&j, "n", (int64_t)cap - 32768);
	rbi_json_obj_end(&j);
	if (rbi_buf_failed(&doc))
		abort();
	if (rbi_audit_json_parse(doc.data, doc.len, &o))
		abort();
	v = rbi_audit_json_get(&o, "s");
	if (!v || !rbi_audit_json_str(v, &got))
		abort();
	if (cap >= sizeof(MARK) - 1 && v->n > cap)
		abort();
	expected(s, n, &want);
	if (got.len == want.len &&
	    (!got.len || !memcmp(got.data, want.data, got.len)))
		goto out;
	/* Cut, only when the whole does not fit: a prefix, then the mark. */
	rbi_json_escape(&whole, s, n);
	keep = got.len - (sizeof(MARK) - 1);
	if (whole.len <= cap || got.len < sizeof(MARK) - 1 || keep > want.len ||
	    memcmp(got.data + keep, MARK, sizeof(MARK) - 1) ||
	    (keep && memcmp(got.data, want.data, keep)))
		abort();
out:
	rbi_buf_free(&doc);
	rbi_buf_free(&got);
	rbi_buf_free(&want);
	rbi_buf_free(&whole);
	return 0;
}
