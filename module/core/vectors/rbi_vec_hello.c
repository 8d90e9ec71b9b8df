// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_vec_hello.h"

enum {
	HELLO_EXT_SERVER_NAME = 0x0000,
	HELLO_EXT_PADDING = 0x0015,
	HELLO_EXT_VERSIONS = 0x002b,
	HELLO_EXT_ECH = 0xfe0d,
	HELLO_REC_HDR = 5,
	HELLO_HS_HDR = 4,
	HELLO_EXT_HDR = 4,
};

struct hello_out {
	uint8_t *b;
	size_t cap;
	size_t len;
	bool short_;
};

static void put8(struct hello_out *o, unsigned int v)
{
	if (o->len < o->cap)
		o->b[o->len] = (uint8_t)v;
	else
		o->short_ = true;
	o->len++;
}

static void put16(struct hello_out *o, unsigned int v)
{
	put8(o, v >> 8);
	put8(o, v);
}

static void putn(struct hello_out *o, const void *p, size_t n)
{
	const uint8_t *s = p;

	while (n--)
		put8(o, *s++);
}

static void fill(struct hello_out *o, size_t n, uint8_t seed)
{
	while (n--)
		put8(o, seed = (uint8_t)(seed * 29 + 7));
}

/* Writes a 16- or 24-bit length at at, for the bytes since at + width. */
static void patch_len(struct hello_out *o, size_t at, int width)
{
	size_t n = o->len - at - (size_t)width;
	int i;

	for (i = 0; i < width && at + (size_t)i < o->cap; i++)
		o->b[at + i] = (uint8_t)(n >> (8 * (width - 1 - i)));
}

static void hello_sni(struct hello_out *o, const struct rbi_vec_hello *h)
{
	const char *names[2] = { h->sni, h->sni2 };
	size_t ext, list, n;
	int i;

	put16(o, HELLO_EXT_SERVER_NAME);
	ext = o->len;
	put16(o, 0);
	list = o->len;
	put16(o, 0);
	for (i = 0; i < 2 && names[i]; i++) {
		n = rbi_strlen(names[i]);
		put8(o, 0);
		put16(o, (unsigned int)n);
		putn(o, names[i], n);
	}
	patch_len(o, list, 2);
	patch_len(o, ext, 2);
}

/* An outer ECH: cipher suite, config id, enc and a made-up payload. */
static void hello_ech(struct hello_out *o)
{
	size_t at;

	put16(o, HELLO_EXT_ECH);
	at = o->len;
	put16(o, 0);
	put8(o, 0);
	put16(o, 0x0001);
	put16(o, 0x0001);
	put8(o, 0x42);
	put16(o, 32);
	fill(o, 32, 1);
	put16(o, 144);
	fill(o, 144, 2);
	patch_len(o, at, 2);
}

/* The handshake message alone, from out[0]. */
static void hello_message(struct hello_out *o, const struct rbi_vec_hello *h)
{
	static const uint8_t suites[] = { 0x13, 0x01, 0x13, 0x02, 0x13, 0x03,
					  0xc0, 0x2f };
	size_t size = h->size ? h->size : RBI_VEC_HELLO_PADDED - HELLO_REC_HDR;
	size_t hs, exts, pad;

	put8(o, 1);
	hs = o->len;
	put8(o, 0);
	put16(o, 0);
	put16(o, 0x0303);
	fill(o, 32, 3);
	put8(o, 32);
	fill(o, 32, 4);
	put16(o, sizeof(suites));
	putn(o, suites, sizeof(suites));
	put8(o, 1);
	put8(o, 0);
	exts = o->len;
	put16(o, 0);
	if (h->sni)
		hello_sni(o, h);
	put16(o, HELLO_EXT_VERSIONS);
	put16(o, 5);
	put8(o, 4);
	put16(o, 0x0304);
	put16(o, 0x0303);
	if (h->ech)
		hello_ech(o);
	if (o->len + HELLO_EXT_HDR <= size) {
		pad = size - o->len - HELLO_EXT_HDR;
		put16(o, HELLO_EXT_PADDING);
		put16(o, (unsigned int)pad);
		while (pad--)
			put8(o, 0);
	}
	patch_len(o, exts, 2);
	patch_len(o, hs, 3);
}

size_t rbi_vec_hello_build(const struct rbi_vec_hello *h, uint8_t *out,
			   size_t cap)
{
	struct hello_out o = { out, cap, 0, false };
	size_t rec = h->rec ? h->rec : RBI_VEC_HELLO_REC_MAX, msg, n, total;
	size_t from, to;

	hello_message(&o, h);
	msg = o.len;
	n = (msg + rec - 1) / rec;
	total = msg + n * HELLO_REC_HDR;
	if (o.short_ || total > cap)
		return 0;
	/* Records from the last one back, each moved to where it goes. */
	to = total;
	while (n--) {
		from = n * rec;
		to -= msg - from < rec ? msg - from : rec;
		rbi_memmove(out + to, out + from, RBI_MIN(rec, msg - from));
		to -= HELLO_REC_HDR;
		out[to] = 22;
		rbi_put_be16(0x0301, out + to + 1);
		rbi_put_be16((uint16_t)RBI_MIN(rec, msg - from), out + to + 3);
		msg = from;
	}
	return total;
}
