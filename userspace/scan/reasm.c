// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "rbi_compat.h"
#include "scan/reasm.h"

void rbi_reasm_pool_init(struct rbi_reasm_pool *p, uint32_t max)
{
	memset(p, 0, sizeof(*p));
	p->st.max = max;
}

void rbi_reasm_pool_destroy(struct rbi_reasm_pool *p)
{
	struct rbi_reasm *r;

	while (p->free) {
		r = p->free;
		p->free = r->next;
		free(r);
	}
	p->allocated = 0;
}

void rbi_reasm_reset(struct rbi_reasm *r)
{
	/* The data need no clearing: only bytes below have or held count. */
	r->have = 0;
	r->end = 0;
	memset(r->held, 0, sizeof(r->held));
}

struct rbi_reasm *rbi_reasm_get(struct rbi_reasm_pool *p)
{
	struct rbi_reasm *r = p->free;

	if (r) {
		p->free = r->next;
	} else if (p->allocated < p->st.max) {
		r = malloc(sizeof(*r));
		if (r)
			p->allocated++;
	}
	if (!r) {
		p->st.exhausted++;
		return NULL;
	}
	rbi_reasm_reset(r);
	r->next = NULL;
	p->st.taken++;
	if (++p->st.in_use > p->st.peak)
		p->st.peak = p->st.in_use;
	return r;
}

void rbi_reasm_put(struct rbi_reasm_pool *p, struct rbi_reasm *r)
{
	if (!r)
		return;
	r->next = p->free;
	p->free = r;
	p->st.in_use--;
}

static bool rbi_reasm_bit(const uint8_t *m, uint32_t i)
{
	return m[i / 8] >> (i % 8) & 1;
}

/* The first byte in [from, to) that arrived (want) or did not, else to. */
static uint32_t rbi_reasm_find(const uint8_t *m, uint32_t from, uint32_t to,
			       bool want)
{
	const uint8_t none = want ? 0x00 : 0xff;
	uint32_t i = from;

	while (i < to) {
		if (!(i % 8) && m[i / 8] == none)
			i += 8;
		else if (rbi_reasm_bit(m, i) == want)
			return i;
		else
			i++;
	}
	return to;
}

/* Marks bytes [from, to) as arrived. */
static void rbi_reasm_mark(uint8_t *m, uint32_t from, uint32_t to)
{
	for (; from < to && from % 8; from++)
		m[from / 8] |= (uint8_t)(1u << (from % 8));
	if (to - from >= 8) {
		memset(m + from / 8, 0xff, (to - from) / 8);
		from += (to - from) / 8 * 8;
	}
	for (; from < to; from++)
		m[from / 8] |= (uint8_t)(1u << (from % 8));
}

enum rbi_reasm_result rbi_reasm_add(struct rbi_reasm *r, uint64_t off,
				    const uint8_t *data, size_t len)
{
	uint32_t lo, hi, at, gap, had = r->have;
	bool added = false;

	if (off >= RBI_REASM_CAP)
		return RBI_REASM_BEYOND;
	lo = (uint32_t)off;
	hi = (uint32_t)RBI_MIN((uint64_t)RBI_REASM_CAP, off + len);
	if (hi <= r->have)
		return RBI_REASM_OLD;
	if (lo < r->have) {
		data += r->have - lo;
		lo = r->have;
	}
	/* In order with nothing held beyond: no bitmap to look at. */
	if (lo == r->have && !rbi_reasm_waiting(r)) {
		memcpy(r->data + lo, data, hi - lo);
		r->have = hi;
		r->end = hi;
		return RBI_REASM_GREW;
	}
	/* Only the bytes that no earlier segment brought. */
	for (at = lo; at < hi; at = gap) {
		at = rbi_reasm_find(r->held, at, hi, false);
		gap = rbi_reasm_find(r->held, at, hi, true);
		if (gap == at)
			continue;
		memcpy(r->data + at, data + (at - lo), gap - at);
		rbi_reasm_mark(r->held, at, gap);
		added = true;
	}
	if (!added)
		return RBI_REASM_OLD;
	if (hi > r->end)
		r->end = hi;
	r->have = rbi_reasm_find(r->held, r->have, r->end, false);
	return r->have > had ? RBI_REASM_GREW : RBI_REASM_HELD;
}
