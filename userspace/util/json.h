/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The JSON writer for rbictl's machine-readable output and audit records:
 * compact (no whitespace), keys in the order the caller writes them, strings
 * escaped per RFC 8259 (control characters as \u00XX, invalid UTF-8 bytes as
 * U+FFFD) so that any byte a packet carried is safe in a record.
 *
 * The audit writer formats every event with it, so the common case is
 * fast: a string's runs of bytes that need no escape are copied at once,
 * numbers are formatted without printf.
 */
#ifndef RBI_JSON_H
#define RBI_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

enum { RBI_JSON_DEPTH_MAX = 32 };

struct rbi_json {
	struct rbi_buf *out;
	unsigned int depth;
	bool first[RBI_JSON_DEPTH_MAX];
};

void rbi_json_init(struct rbi_json *j, struct rbi_buf *out);
void rbi_json_obj_begin(struct rbi_json *j);
void rbi_json_obj_end(struct rbi_json *j);
void rbi_json_arr_begin(struct rbi_json *j);
void rbi_json_arr_end(struct rbi_json *j);
/* A key inside an object; the next value call writes its value. */
void rbi_json_key(struct rbi_json *j, const char *key);
void rbi_json_keyn(struct rbi_json *j, const char *key, size_t n);
void rbi_json_str(struct rbi_json *j, const char *s);
void rbi_json_strn(struct rbi_json *j, const char *s, size_t n);
/*
 * s[0..n) as a string whose escaped form takes at most cap bytes: when it
 * would take more, it is cut at a character boundary and ends in mark
 * (plain ASCII, counted in cap). The C string form writes null for NULL.
 */
void rbi_json_strn_cap(struct rbi_json *j, const char *s, size_t n,
		       size_t cap, const char *mark);
void rbi_json_str_cap(struct rbi_json *j, const char *s, size_t cap,
		      const char *mark);
void rbi_json_int(struct rbi_json *j, int64_t v);
void rbi_json_uint(struct rbi_json *j, uint64_t v);
void rbi_json_bool(struct rbi_json *j, bool v);
void rbi_json_null(struct rbi_json *j);

/* key + value shorthands; a NULL string writes null. */
void rbi_json_kstr(struct rbi_json *j, const char *key, const char *s);
void rbi_json_kint(struct rbi_json *j, const char *key, int64_t v);
void rbi_json_kuint(struct rbi_json *j, const char *key, uint64_t v);
void rbi_json_kbool(struct rbi_json *j, const char *key, bool v);

/* Appends s to out, escaped as the inside of a JSON string. */
void rbi_json_escape(struct rbi_buf *out, const char *s, size_t n);

/*
 * For writers that render into memory of their own: the length of the
 * leading run of s[0..n) that a JSON string holds as it is (printable
 * ASCII but '"' and '\\'), and v in decimal at p (returns its end; at most
 * RBI_JSON_UINT_MAX bytes, no NUL).
 */
enum { RBI_JSON_UINT_MAX = 20 };
size_t rbi_json_plain(const char *s, size_t n);
char *rbi_json_put_uint(char *p, uint64_t v);

#endif
