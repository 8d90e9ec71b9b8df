/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A small JSON reader for audit records: one object per call, its
 * top-level members located in place (no allocation, no recursion), nested
 * objects and arrays kept as raw spans that can be read again the same way.
 * The whole value is validated (RFC 8259 grammar, escapes, no raw control
 * characters), so a record that passes is well-formed JSON.
 */
#ifndef RBI_AUDIT_JSON_H
#define RBI_AUDIT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum rbi_audit_jtype {
	RBI_AUDIT_JSTR,
	RBI_AUDIT_JNUM,
	RBI_AUDIT_JBOOL,
	RBI_AUDIT_JNULL,
	RBI_AUDIT_JOBJ,
	RBI_AUDIT_JARR,
	__RBI_AUDIT_JTYPE_MAX
};

enum {
	RBI_AUDIT_JFIELDS_MAX = 64,
	RBI_AUDIT_JDEPTH_MAX = 16,
};

struct rbi_audit_jval {
	enum rbi_audit_jtype type;
	const char *p;	/* strings: between the quotes, still escaped */
	size_t n;
};

struct rbi_audit_jfield {
	const char *key;	/* between the quotes, still escaped */
	size_t key_len;
	struct rbi_audit_jval v;
};

struct rbi_audit_jobj {
	size_t count;
	struct rbi_audit_jfield f[RBI_AUDIT_JFIELDS_MAX];
};

/* Parses s[0..n) as exactly one object. RBI_AUDIT_OK or EMALFORMED. */
int rbi_audit_json_parse(const char *s, size_t n, struct rbi_audit_jobj *o);
const struct rbi_audit_jval *rbi_audit_json_get(const struct rbi_audit_jobj *o,
						const char *key);
/*
 * The elements of an array read by rbi_audit_json_parse(), one a call:
 * *pos starts at 0. False at the end (or if arr is not an array).
 */
bool rbi_audit_json_next(const struct rbi_audit_jval *arr, size_t *pos,
			 struct rbi_audit_jval *v);
/* True when v is a string whose raw text is exactly lit. */
bool rbi_audit_json_eq(const struct rbi_audit_jval *v, const char *lit);
/* Appends the decoded string (UTF-8) to out; false if v is not a string. */
bool rbi_audit_json_str(const struct rbi_audit_jval *v, struct rbi_buf *out);
bool rbi_audit_json_u64(const struct rbi_audit_jval *v, uint64_t *out);

#endif
