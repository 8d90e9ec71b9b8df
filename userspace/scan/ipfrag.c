// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "scan/ipfrag.h"

enum {
	RBI_IPFRAG_BLOCK = 8,	/* fragment offsets count 8-byte blocks */
	RBI_IPFRAG_BLOCKS = (RBI_IPFRAG_MAX + RBI_IPFRAG_BLOCK - 1) /
			    RBI_IPFRAG_BLOCK,
};

struct rbi_ipfrag_slot {
	struct rbi_ipfrag_key key;
	bool busy;
	bool proto_known;
	uint8_t proto;
	uint64_t first;		/* capture time of the first fragment */
	uint32_t end;		/* the length, once the last fragment came */
	uint32_t max_end;	/* furthest byte any fragment reached */
	uint32_t blocks;	/* blocks received */
	uint8_t *buf;		/* RBI_IPFRAG_MAX bytes, kept for reuse */
	uint8_t seen[(RBI_IPFRAG_BLOCKS + 7) / 8];
};

struct rbi_ipfrag {
	struct rbi_ipfrag_stats st;
	unsigned int n;
	struct rbi_ipfrag_slot slot[];
};

struct rbi_ipfrag *rbi_ipfrag_alloc(unsigned int slots)
{
	struct rbi_ipfrag *f;

	if (!slots)
		slots = 1;
	f = calloc(1, sizeof(*f) + slots * sizeof(f->slot[0]));
	if (f)
		f->n = slots;
	return f;
}

void rbi_ipfrag_free(struct rbi_ipfrag *f)
{
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		free(f->slot[i].buf);
	free(f);
}

static bool rbi_ipfrag_same(const struct rbi_ipfrag_key *a,
			    const struct rbi_ipfrag_key *b)
{
	return a->id == b->id && a->proto == b->proto &&
	       a->src.family == b->src.family &&
	       !memcmp(a->src.a, b->src.a, sizeof(a->src.a)) &&
	       !memcmp(a->dst.a, b->dst.a, sizeof(a->dst.a));
}

static void rbi_ipfrag_release(struct rbi_ipfrag_slot *s)
{
	s->busy = false;
	s->proto_known = false;
	s->end = 0;
	s->max_end = 0;
	s->blocks = 0;
	memset(s->seen, 0, sizeof(s->seen));
}

/*
 * The slot of key's datagram, or a fresh one for it: a free slot, else the
 * oldest datagram's. Datagrams past the timeout are given up on the way.
 */
static struct rbi_ipfrag_slot *rbi_ipfrag_slot(struct rbi_ipfrag *f,
					       const struct rbi_ipfrag_key *key,
					       uint64_t now)
{
	struct rbi_ipfrag_slot *s, *free_slot = NULL, *oldest = NULL;
	unsigned int i;

	for (i = 0; i < f->n; i++) {
		s = &f->slot[i];
		if (s->busy && now > s->first &&
		    now - s->first > RBI_IPFRAG_TIMEOUT_US) {
			f->st.timed_out++;
			rbi_ipfrag_release(s);
		}
		if (!s->busy) {
			if (!free_slot)
				free_slot = s;
			continue;
		}
		if (rbi_ipfrag_same(&s->key, key))
			return s;
		if (!oldest || s->first < oldest->first)
			oldest = s;
	}
	s = free_slot;
	if (!s) {
		f->st.evicted++;
		s = oldest;
		rbi_ipfrag_release(s);
	}
	s->busy = true;
	s->key = *key;
	s->first = now;
	return s;
}

/* The ends fragments announce must agree with each other. */
static bool rbi_ipfrag_ends(struct rbi_ipfrag_slot *s, uint32_t end,
			    bool more)
{
	if (!more) {
		if ((s->end && s->end != end) || s->max_end > end)
			return false;
		s->end = end;
	} else if (s->end && end > s->end) {
		return false;
	}
	if (end > s->max_end)
		s->max_end = end;
	return true;
}

/* Marks the blocks [off, end) covers; true when one was already there. */
static bool rbi_ipfrag_mark(struct rbi_ipfrag_slot *s, uint32_t off,
			    uint32_t end)
{
	uint32_t b, last = (end + RBI_IPFRAG_BLOCK - 1) / RBI_IPFRAG_BLOCK;
	bool overlap = false;

	for (b = off / RBI_IPFRAG_BLOCK; b < last; b++) {
		if (s->seen[b / 8] & (1u << (b % 8))) {
			overlap = true;
			continue;
		}
		s->seen[b / 8] |= (uint8_t)(1u << (b % 8));
		s->blocks++;
	}
	return overlap;
}

enum rbi_ipfrag_result rbi_ipfrag_add(struct rbi_ipfrag *f,
				      const struct rbi_ipfrag_key *key,
				      uint8_t proto, uint32_t off, bool more,
				      const uint8_t *data, size_t len,
				      uint64_t now, struct rbi_ipfrag_out *out)
{
	struct rbi_ipfrag_slot *s;
	uint32_t end;

	f->st.fragments++;
	if (off > RBI_IPFRAG_MAX || len > RBI_IPFRAG_MAX - off ||
	    (more && len % RBI_IPFRAG_BLOCK)) {
		f->st.invalid++;
		return RBI_IPFRAG_DROPPED;
	}
	end = off + (uint32_t)len;
	s = rbi_ipfrag_slot(f, key, now);
	if (!s->buf)
		s->buf = malloc(RBI_IPFRAG_MAX);
	if (!s->buf) {
		f->st.no_memory++;
		rbi_ipfrag_release(s);
		return RBI_IPFRAG_DROPPED;
	}
	if (!rbi_ipfrag_ends(s, end, more)) {
		f->st.invalid++;
		return RBI_IPFRAG_DROPPED;
	}
	memcpy(s->buf + off, data, len);
	if (rbi_ipfrag_mark(s, off, end))
		f->st.overlaps++;
	if (off == 0) {
		s->proto = proto;
		s->proto_known = true;
	}
	if (!s->end || !s->proto_known ||
	    s->blocks < (s->end + RBI_IPFRAG_BLOCK - 1) / RBI_IPFRAG_BLOCK)
		return RBI_IPFRAG_HELD;
	out->data = s->buf;
	out->len = s->end;
	out->proto = s->proto;
	f->st.completed++;
	rbi_ipfrag_release(s);
	return RBI_IPFRAG_DONE;
}

void rbi_ipfrag_flush(struct rbi_ipfrag *f)
{
	unsigned int i;

	for (i = 0; i < f->n; i++) {
		if (f->slot[i].busy) {
			f->st.timed_out++;
			rbi_ipfrag_release(&f->slot[i]);
		}
	}
}

const struct rbi_ipfrag_stats *rbi_ipfrag_stats(const struct rbi_ipfrag *f)
{
	return &f->st;
}

size_t rbi_ipfrag_mem_bound(const struct rbi_ipfrag *f)
{
	return sizeof(*f) + f->n * (sizeof(f->slot[0]) + RBI_IPFRAG_MAX);
}
