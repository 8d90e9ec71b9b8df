// SPDX-License-Identifier: GPL-2.0
#include <linux/log2.h>
#include <linux/string.h>

#include "memory.h"
#include "stream.h"

enum {
	/* Most ClientHellos and request heads fit the first allocation. */
	RBI_STREAM_MIN_CAP = 2048,
};

void rbi_stream_sync(struct rbi_stream *s, u32 isn)
{
	s->next = isn;
	s->synced = true;
}

/* Room for need bytes, charged to the budget; false when refused. */
static bool rbi_stream_reserve(struct rbi_stream *s, struct rbi_budget *b,
			       u32 need, u32 max)
{
	u32 cap = max_t(u32, RBI_STREAM_MIN_CAP, roundup_pow_of_two(need));
	u8 *buf;

	if (need <= s->cap)
		return true;
	cap = min(cap, max);
	if (b->used - s->cap + cap > b->max)
		return false;
	buf = rbi_mem_zalloc_atomic(cap);
	if (!buf)
		return false;
	if (s->len)
		memcpy(buf, s->buf, s->len);
	rbi_mem_free(s->buf);
	b->used = b->used - s->cap + cap;
	s->buf = buf;
	s->cap = cap;
	return true;
}

enum rbi_seg rbi_stream_add(struct rbi_stream *s, struct rbi_budget *b,
			    const struct sk_buff *skb, unsigned int off,
			    unsigned int len, u32 seq, u32 max)
{
	s32 ahead;
	u32 skip;

	if (!s->synced)
		rbi_stream_sync(s, seq);
	ahead = (s32)(seq - s->next);
	if (ahead > 0)
		return RBI_SEG_GAP;
	if ((s64)len + ahead <= 0)
		return RBI_SEG_OLD;
	/* The part of the segment before next was seen already. */
	off -= ahead;
	len += ahead;
	skip = min(s->skip, len);
	s->skip -= skip;
	s->next += skip;
	off += skip;
	len -= skip;
	if (!len)
		return RBI_SEG_NEW;
	if (len > max - s->len)
		return RBI_SEG_FULL;
	if (!rbi_stream_reserve(s, b, s->len + len, max))
		return RBI_SEG_NOMEM;
	if (skb_copy_bits(skb, off, s->buf + s->len, len))
		return RBI_SEG_NOMEM;
	s->len += len;
	s->next += len;
	return RBI_SEG_NEW;
}

void rbi_stream_resync(struct rbi_stream *s, u32 next)
{
	s->len = 0;
	s->skip = 0;
	rbi_stream_sync(s, next);
}

void rbi_stream_consume(struct rbi_stream *s, u32 n)
{
	memmove(s->buf, s->buf + n, s->len - n);
	s->len -= n;
}

void rbi_stream_free(struct rbi_stream *s, struct rbi_budget *b)
{
	b->used -= s->cap;
	rbi_mem_free(s->buf);
	memset(s, 0, sizeof(*s));
}
