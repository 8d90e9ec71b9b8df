/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What every dissector returns, and a bounds-checked byte cursor that they
 * all read through, so that "never read past the length" is enforced in one
 * place rather than re-argued in each parser.
 */
#ifndef RBI_PARSE_H
#define RBI_PARSE_H

#include "rbi_compat.h"

enum rbi_parse_result {
	RBI_PARSE_OK = 0,
	/* A valid prefix: call again with more bytes of the same stream. */
	RBI_PARSE_NEED_MORE,
	/* Not this protocol at all: stop feeding this dissector. */
	RBI_PARSE_NOT_MINE,
	/* This protocol, but broken: a length field lies, a name loops... */
	RBI_PARSE_MALFORMED,
	/* Larger than the dissector's bound: give up, treat as unnamed. */
	RBI_PARSE_TOO_BIG,
	__RBI_PARSE_MAX
};

const char *rbi_parse_result_name(enum rbi_parse_result r);

/* Longest DNS name in presentation form (RFC 1035: 255 octets on the wire). */
#define RBI_NAME_MAX	253
#define RBI_NAME_BUF	(RBI_NAME_MAX + 1)

/*
 * Presentation form (RFC 1035 5.1) of the bytes of a name: a byte that
 * cannot appear literally is written as \DDD. Callers escape their own
 * separator as well ('.' inside a DNS label, ',' inside an ALPN list).
 */
static inline bool rbi_byte_needs_escape(uint8_t b)
{
	return b < 0x21 || b == 0x7f || b == '\\';
}

static inline void rbi_byte_escape(uint8_t b, char out[4])
{
	out[0] = '\\';
	out[1] = (char)('0' + b / 100);
	out[2] = (char)('0' + b / 10 % 10);
	out[3] = (char)('0' + b % 10);
}

struct rbi_cur {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool short_read;	/* a read ran past len: the input was cut */
};

static inline void rbi_cur_init(struct rbi_cur *c, const uint8_t *p, size_t len)
{
	c->p = p;
	c->len = len;
	c->off = 0;
	c->short_read = false;
}

static inline size_t rbi_cur_left(const struct rbi_cur *c)
{
	return c->len - c->off;
}

static inline bool rbi_cur_need(struct rbi_cur *c, size_t n)
{
	if (rbi_cur_left(c) < n) {
		c->short_read = true;
		return false;
	}
	return true;
}

static inline bool rbi_cur_u8(struct rbi_cur *c, uint8_t *v)
{
	if (!rbi_cur_need(c, 1))
		return false;
	*v = c->p[c->off++];
	return true;
}

static inline bool rbi_cur_u16(struct rbi_cur *c, uint16_t *v)
{
	if (!rbi_cur_need(c, 2))
		return false;
	*v = rbi_get_be16(c->p + c->off);
	c->off += 2;
	return true;
}

static inline bool rbi_cur_u24(struct rbi_cur *c, uint32_t *v)
{
	if (!rbi_cur_need(c, 3))
		return false;
	*v = (uint32_t)c->p[c->off] << 16 | rbi_get_be16(c->p + c->off + 1);
	c->off += 3;
	return true;
}

static inline bool rbi_cur_u32(struct rbi_cur *c, uint32_t *v)
{
	if (!rbi_cur_need(c, 4))
		return false;
	*v = rbi_get_be32(c->p + c->off);
	c->off += 4;
	return true;
}

/* Points *out at the next n bytes and steps over them. */
static inline bool rbi_cur_bytes(struct rbi_cur *c, size_t n, const uint8_t **out)
{
	if (!rbi_cur_need(c, n))
		return false;
	*out = c->p + c->off;
	c->off += n;
	return true;
}

static inline bool rbi_cur_skip(struct rbi_cur *c, size_t n)
{
	const uint8_t *unused;

	return rbi_cur_bytes(c, n, &unused);
}

/* A sub-cursor over the next n bytes, which the parent steps over. */
static inline bool rbi_cur_sub(struct rbi_cur *c, size_t n, struct rbi_cur *sub)
{
	const uint8_t *p;

	if (!rbi_cur_bytes(c, n, &p))
		return false;
	rbi_cur_init(sub, p, n);
	return true;
}

#endif /* RBI_PARSE_H */
