// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

void rbi_buf_free(struct rbi_buf *b)
{
	free(b->data);
	*b = (struct rbi_buf)RBI_BUF_INIT;
}

void rbi_buf_reset(struct rbi_buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->data)
		b->data[0] = '\0';
}

bool rbi_buf_failed(const struct rbi_buf *b)
{
	return b->failed;
}

static bool rbi_buf_reserve(struct rbi_buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->failed)
		return false;
	if (b->len + n + 1 <= b->cap)
		return true;
	if (n > SIZE_MAX / 2 - b->len) {
		b->failed = true;
		return false;
	}
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

char *rbi_buf_spare(struct rbi_buf *b, size_t n)
{
	if (b->failed || !b->data || n >= b->cap - b->len)
		return NULL;
	return b->data + b->len;
}

void rbi_buf_commit(struct rbi_buf *b, size_t n)
{
	b->len += n;
	b->data[b->len] = '\0';
}

void rbi_buf_add(struct rbi_buf *b, const void *p, size_t n)
{
	if (!rbi_buf_reserve(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void rbi_buf_adds(struct rbi_buf *b, const char *s)
{
	rbi_buf_add(b, s, strlen(s));
}

void rbi_buf_addc(struct rbi_buf *b, char c)
{
	rbi_buf_add(b, &c, 1);
}

void rbi_buf_printf(struct rbi_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !rbi_buf_reserve(b, (size_t)n)) {
		b->failed = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *rbi_buf_str(const struct rbi_buf *b)
{
	return b->data ? b->data : "";
}
