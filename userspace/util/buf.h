/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A growable byte buffer. Allocation failure is sticky: every later append
 * is a no-op and rbi_buf_failed() says so, so callers check once at the end
 * instead of after each append.
 */
#ifndef RBI_BUF_H
#define RBI_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rbi_buf {
	char *data;	/* always NUL-terminated when len > 0 */
	size_t len;
	size_t cap;
	bool failed;
};

#define RBI_BUF_INIT { NULL, 0, 0, false }

void rbi_buf_free(struct rbi_buf *b);
void rbi_buf_reset(struct rbi_buf *b);
bool rbi_buf_failed(const struct rbi_buf *b);
void rbi_buf_add(struct rbi_buf *b, const void *p, size_t n);
void rbi_buf_adds(struct rbi_buf *b, const char *s);
void rbi_buf_addc(struct rbi_buf *b, char c);
void rbi_buf_printf(struct rbi_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * The free space at the end when it holds n bytes and the NUL after
 * them, else NULL (nothing grows, nothing fails): for a writer that fills
 * it in place, then counts what it wrote with rbi_buf_commit().
 */
char *rbi_buf_spare(struct rbi_buf *b, size_t n);
void rbi_buf_commit(struct rbi_buf *b, size_t n);

/* The contents as a C string ("" when empty). */
const char *rbi_buf_str(const struct rbi_buf *b);

#endif
