// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: the audit log's JSON reader on any bytes, as a verifier meets
 * a log handed over by the party it audits. An object it accepts is read
 * as the verifier reads it: every member looked up by its key, strings
 * decoded (always to valid UTF-8, whatever escapes they hold), numbers
 * read, nested objects opened again, down to the reader's depth limit.
 */
#include <stdint.h>
#include <stdlib.h>

#include "audit/audit.h"
#include "audit/json.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void walk(const char *s, size_t n, unsigned int depth)
{
	struct rbi_audit_jobj *o = malloc(sizeof(*o));
	struct rbi_buf str = RBI_BUF_INIT, key = RBI_BUF_INIT;
	const struct rbi_audit_jfield *f;
	uint64_t v;
	size_t i;

	if (!o)
		return;
	if (rbi_audit_json_parse(s, n, o) != RBI_AUDIT_OK)
		goto out;
	for (i = 0; i < o->count; i++) {
		f = &o->f[i];
		rbi_buf_reset(&key);
		rbi_buf_add(&key, f->key, f->key_len);
		if (!rbi_buf_failed(&key))
			rbi_audit_json_get(o, rbi_buf_str(&key));
		rbi_audit_json_eq(&f->v, "block");
		rbi_buf_reset(&str);
		if (rbi_audit_json_str(&f->v, &str) && !rbi_buf_failed(&str) &&
		    !rbi_utf8_valid(str.data, str.len))
			abort();
		rbi_audit_json_u64(&f->v, &v);
		if (f->v.type == RBI_AUDIT_JOBJ && depth < RBI_AUDIT_JDEPTH_MAX)
			walk(f->v.p, f->v.n, depth + 1);
	}
out:
	rbi_buf_free(&str);
	rbi_buf_free(&key);
	free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	walk((const char *)data, len, 0);
	return 0;
}
