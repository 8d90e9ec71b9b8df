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
	/* The data need no clearing: only bytes below have or in runs count. */
	r->have = 0;
	r->runs = 0;
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

/* Copies the bytes of [lo, hi) that no earlier segment brought. */
static size_t rbi_reasm_fill(struct rbi_reasm *r, uint32_t lo, uint32_t hi,
			     const uint8_t *src, uint32_t src_off)
{
	uint32_t at = lo, end;
	size_t added = 0;
	unsigned int i;

	for (i = 0; i <= r->runs && at < hi; i++) {
		end = i < r->runs ? RBI_MIN(r->run[i].lo, hi) : hi;
		if (end > at) {
			memcpy(r->data + at, src + (at - src_off), end - at);
			added += end - at;
		}
		if (i < r->runs && r->run[i].hi > at)
			at = r->run[i].hi;
	}
	return added;
}

/* Merges [lo, hi) into the runs; false when that makes too many. */
static bool rbi_reasm_merge(struct rbi_reasm *r, uint32_t lo, uint32_t hi)
{
	struct rbi_reasm_run out[RBI_REASM_HOLES + 1];
	unsigned int i, n = 0;
	bool placed = false;

	for (i = 0; i < r->runs; i++) {
		const struct rbi_reasm_run *x = &r->run[i];

		if (x->hi < lo) {
			out[n++] = *x;
		} else if (x->lo > hi) {
			if (!placed) {
				out[n++] = (struct rbi_reasm_run){ lo, hi };
				placed = true;
			}
			out[n++] = *x;
		} else {
			lo = RBI_MIN(lo, x->lo);
			hi = x->hi > hi ? x->hi : hi;
		}
	}
	if (!placed)
		out[n++] = (struct rbi_reasm_run){ lo, hi };
	if (n > RBI_REASM_HOLES)
		return false;
	memcpy(r->run, out, n * sizeof(out[0]));
	r->runs = n;
	return true;
}

/* Moves the runs that now touch the in-order prefix into it. */
static void rbi_reasm_absorb(struct rbi_reasm *r)
{
	unsigned int i = 0;

	while (i < r->runs && r->run[i].lo <= r->have) {
		if (r->run[i].hi > r->have)
			r->have = r->run[i].hi;
		i++;
	}
	if (!i)
		return;
	memmove(r->run, r->run + i, (r->runs - i) * sizeof(r->run[0]));
	r->runs -= i;
}

enum rbi_reasm_result rbi_reasm_add(struct rbi_reasm *r, uint64_t off,
				    const uint8_t *data, size_t len)
{
	uint32_t lo, hi, had = r->have;
	size_t added;

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
	added = rbi_reasm_fill(r, lo, hi, data, lo);
	if (!added)
		return RBI_REASM_OLD;
	if (!rbi_reasm_merge(r, lo, hi))
		return RBI_REASM_FULL;
	rbi_reasm_absorb(r);
	return r->have > had ? RBI_REASM_GREW : RBI_REASM_HELD;
}
