/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * IPv4 and IPv6 fragment reassembly for the capture scanner, in bounded
 * memory: a fixed number of datagrams in progress, each at most 64 KiB,
 * given up after RBI_IPFRAG_TIMEOUT_US of capture time or when a newer one
 * needs the slot. A DNS answer or a QUIC Initial cut into fragments still
 * reaches the dissectors whole.
 *
 * Fragments may come in any order, repeat or overlap; bytes a later
 * fragment sends again overwrite the earlier ones (and overlaps counts
 * them). A datagram is done once its last fragment has been seen and every
 * byte before that end has arrived.
 */
#ifndef RBI_IPFRAG_H
#define RBI_IPFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rbi_addr.h"

enum {
	RBI_IPFRAG_SLOTS = 64,
	/* The largest IP payload: 65535 minus the smallest IPv4 header. */
	RBI_IPFRAG_MAX = 65535 - 20,
};

#define RBI_IPFRAG_TIMEOUT_US	(30ull * 1000000)

/* Which datagram a fragment belongs to (RFC 791, RFC 8200 4.5). */
struct rbi_ipfrag_key {
	struct rbi_ip src;
	struct rbi_ip dst;
	uint32_t id;
	uint8_t proto;		/* IPv4's protocol; 0 for IPv6 */
};

struct rbi_ipfrag_stats {
	uint64_t fragments;	/* fragments offered */
	uint64_t completed;	/* datagrams reassembled */
	uint64_t timed_out;	/* datagrams given up after the timeout */
	uint64_t evicted;	/* given up for a newer datagram */
	uint64_t overlaps;	/* fragments that resent bytes */
	uint64_t invalid;	/* past 64 KiB, or conflicting ends */
	uint64_t no_memory;
};

enum rbi_ipfrag_result {
	RBI_IPFRAG_HELD,	/* kept; the datagram is not whole yet */
	RBI_IPFRAG_DONE,	/* the datagram is whole: see rbi_ipfrag_out */
	RBI_IPFRAG_DROPPED,	/* not kept: invalid, or out of memory */
	__RBI_IPFRAG_MAX
};

/* A whole datagram's payload, valid until the next rbi_ipfrag_add(). */
struct rbi_ipfrag_out {
	const uint8_t *data;
	size_t len;
	uint8_t proto;		/* what the payload is (TCP, UDP, ...) */
};

struct rbi_ipfrag;

struct rbi_ipfrag *rbi_ipfrag_alloc(unsigned int slots);
void rbi_ipfrag_free(struct rbi_ipfrag *f);

/*
 * Offers the fragment carrying bytes [off, off + len) of key's datagram;
 * more is the More Fragments flag. proto is what the datagram carries
 * (for IPv6 the Next Header after the Fragment header), kept from the
 * fragment at offset 0. now is capture time in microseconds.
 */
enum rbi_ipfrag_result rbi_ipfrag_add(struct rbi_ipfrag *f,
				      const struct rbi_ipfrag_key *key,
				      uint8_t proto, uint32_t off, bool more,
				      const uint8_t *data, size_t len,
				      uint64_t now, struct rbi_ipfrag_out *out);

/* Gives up every datagram in progress (end of a capture), counting it. */
void rbi_ipfrag_flush(struct rbi_ipfrag *f);

const struct rbi_ipfrag_stats *rbi_ipfrag_stats(const struct rbi_ipfrag *f);

/* Bytes the reassembler holds once every slot has been used. */
size_t rbi_ipfrag_mem_bound(const struct rbi_ipfrag *f);

#endif
