// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/b64.h"
#include "audit/proof.h"
#include "audit/tree.h"

bool rbi_audit_u64_parse(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && !errno;
}

/* Decodes one base64 line into out; false when it is not base64. */
static bool rbi_proof_b64_line(const char *s, size_t n, struct rbi_buf *out,
			       size_t max, size_t *len)
{
	uint8_t *tmp = malloc(max);
	bool ok;

	ok = tmp && !rbi_audit_b64_decode(s, n, tmp, max, len);
	if (ok)
		rbi_buf_add(out, tmp, *len);
	free(tmp);
	return ok && !rbi_buf_failed(out);
}

int rbi_audit_proof_parse(const char *p, size_t n, struct rbi_audit_proof *pr,
			  char *why, size_t why_len)
{
	const char *line;
	size_t pos = 0, len, got;
	unsigned int ln = 1;
	char num[32];

	if (!rbi_audit_line_next(p, n, &pos, &line, &len) ||
	    len != strlen(RBI_AUDIT_PROOF_MAGIC) ||
	    memcmp(line, RBI_AUDIT_PROOF_MAGIC, len))
		return snprintf(why, why_len, "not a %s file",
				RBI_AUDIT_PROOF_MAGIC);
	if (!rbi_audit_line_next(p, n, &pos, &line, &len))
		return snprintf(why, why_len, "truncated");
	ln++;
	if (len > 6 && !memcmp(line, "extra ", 6)) {
		if (!rbi_proof_b64_line(line + 6, len - 6, &pr->extra,
					RBI_AUDIT_LEAF_MAX + 3, &got))
			return snprintf(why, why_len, "line %u: bad base64", ln);
		pr->has_extra = true;
		if (!rbi_audit_line_next(p, n, &pos, &line, &len))
			return snprintf(why, why_len, "truncated");
		ln++;
	}
	if (len < 7 || len - 6 >= sizeof(num) || memcmp(line, "index ", 6))
		return snprintf(why, why_len, "line %u: no index", ln);
	memcpy(num, line + 6, len - 6);
	num[len - 6] = '\0';
	if (!rbi_audit_u64_parse(num, &pr->index))
		return snprintf(why, why_len, "line %u: bad index", ln);
	while (rbi_audit_line_next(p, n, &pos, &line, &len) && len) {
		ln++;
		if (!rbi_proof_b64_line(line, len, &pr->hashes, 48, &got) ||
		    got != RBI_AUDIT_HASH_LEN)
			return snprintf(why, why_len, "line %u: a proof hash "
					"must be 32 bytes of base64", ln);
		if (pr->hashes.len > RBI_AUDIT_PROOF_MAX * RBI_AUDIT_HASH_LEN)
			return snprintf(why, why_len, "too many proof hashes");
	}
	if (pos >= n)
		return snprintf(why, why_len, "no checkpoint after the proof");
	pr->note = p + pos;
	pr->note_len = n - pos;
	return 0;
}

void rbi_audit_proof_free(struct rbi_audit_proof *pr)
{
	rbi_buf_free(&pr->extra);
	rbi_buf_free(&pr->hashes);
}
