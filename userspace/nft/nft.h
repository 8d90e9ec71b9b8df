/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The nftables backend: `table inet rbiblock`, built with libnftnl and
 * installed with libmnl in one batch transaction, read back and flushed.
 *
 * Apply deletes and recreates the table inside the batch, so that the
 * kernel either installs the new ruleset whole or leaves the old one
 * exactly as it was. The table's comment names the canonical digest of
 * the ruleset sent; before sending, apply reads the installed table back
 * and an unchanged policy changes nothing, counters and learned addresses
 * included; a changed one keeps the learned addresses still valid for
 * services it still blocks or logs (rbi_nft_carry), in the same batch.
 * The table's user data keeps the digests of what was applied, whole and
 * light (without set elements): reading the table back checks the kernel
 * still holds it, at a cost independent of the policy's size in the light
 * form. No other table is ever named in a message, so nothing else is
 * touched.
 */
#ifndef RBI_NFT_H
#define RBI_NFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nft/plan.h"

enum {
	RBI_NFT_ERR_LEN = 512,
	RBI_NFT_COMMENT_MAX = 128,	/* libnftnl's comment limit, NUL incl. */
};

struct rbi_nft_apply_opts {
	const char *backend;	/* recorded in the table's comment */
	const char *fail_closed; /* why camera egress is blocked, or NULL */
	bool offload;		/* with rbiblock's flowtable, where it can be */
	bool force;		/* replace the table even if it looks the same */
	/* Where the ruleset for a boot is kept (keep.c), or NULL. */
	const char *keep;
};

struct rbi_nft_apply_result {
	bool unchanged;		/* the installed ruleset was already this */
	char sha256[65];	/* canonical digest of the ruleset in force */
	size_t elements;	/* set elements installed */
	size_t carried;		/* learned addresses kept from the old table */
	/*
	 * rbiblock's flowtable (RBI_NFT_FLOWTABLE): the interfaces it hooks,
	 * or, when none, why there is no flowtable (a kernel without
	 * nf_flow_table_inet, no interface up).
	 */
	size_t offload_devs;
	char offload[RBI_NFT_ERR_LEN];
	/* Why the ruleset for a boot could not be kept; "" when it was. */
	char keep_err[RBI_NFT_ERR_LEN];
};

/* Why a ruleset kept for a boot blocks camera egress, when it does. */
#define RBI_NFT_KEPT_WHY "put back at boot: the policy could not be " \
			 "enforced, see the journal"

/* What a kept ruleset says of itself (keep.c). */
struct rbi_nft_kept {
	char applied[65];	/* the digest of the ruleset then applied */
	char backend[16];
	char policy[65];	/* the sha256 of its policy */
	char name[128];
	int64_t saved;		/* seconds since the epoch */
};

/*
 * When no table inet rbiblock is installed (a reboot), installs the
 * ruleset kept in path by an earlier apply with opts.keep: 0, with k
 * saying what it was; 1 when a table is installed (left alone); -1 with
 * err (none kept, damaged, or refused by the kernel).
 */
int rbi_nft_keep_restore(const char *path, struct rbi_nft_kept *k,
			 char *err, size_t len);

/* 0, or -1 with a sentence in err. */
int rbi_nft_apply(const struct rbi_nft_plan *plan,
		  const struct rbi_nft_apply_opts *o,
		  struct rbi_nft_apply_result *res, char *err, size_t len);

/*
 * Fills in how the queue backend's rules can queue on this kernel (kind,
 * inner; the rest of q is the caller's), asking it once per
 * process. -1 with err when the kernel can queue no packet.
 */
int rbi_nft_queue_probe(struct rbi_nft_queue *q, char *err, size_t len);

/*
 * Flowtables of other tables that a rule of theirs adds flows to (as
 * OpenWrt's fw4 does with software offloading): each one as "table inet
 * fw4, flowtable ft (DEVICES), flow add in chain forward". A flow such a
 * rule offloads skips the forward hook, rbiblock.ko and table inet
 * rbiblock with it, from its next packet on. rbiblock.ko keeps the flows
 * it is still reading out of every flowtable; without it (the nft or the
 * queue backend), nothing does.
 */
enum {
	RBI_NFT_FOREIGN_MAX = 8,
	RBI_NFT_FOREIGN_LEN = 320,	/* one, with names of 63 bytes */
};

struct rbi_nft_foreign {
	size_t n;
	size_t more;		/* beyond RBI_NFT_FOREIGN_MAX, not listed */
	char what[RBI_NFT_FOREIGN_MAX][RBI_NFT_FOREIGN_LEN];
};

/* Reads them; 0, or -1 with a sentence in err. */
int rbi_nft_foreign_read(struct rbi_nft_foreign *f, char *err, size_t len);

/* Deletes table inet rbiblock; *existed says whether there was one. */
int rbi_nft_flush(bool *existed, char *err, size_t len);

/* One rule's counter, as read back. */
struct rbi_nft_counter {
	char chain[64];
	char comment[RBI_NFT_COMMENT_MAX];
	uint64_t packets;
	uint64_t bytes;
};

struct rbi_nft_state {
	bool present;
	bool full;		/* every element was read back */
	char comment[RBI_NFT_COMMENT_MAX];	/* the table's */
	char policy[65];	/* sha256 of the policy the comment names */
	/* Read back whole: its digest; else the digest applied. */
	char sha256[65];
	/*
	 * Read back whole: it is the digest the comment names. Else: the
	 * table, chains, sets and rules are the ones applied (elements
	 * were not read; a watching daemon sees any change to them).
	 */
	bool verified;
	struct rbi_nft_counter *counters;
	size_t n_counters;
	size_t elements[__RBI_NFT_SET_MAX][__RBI_NFT_FAMILY_MAX];
	char fail_closed[RBI_NFT_COMMENT_MAX];	/* "" when not active */
	/* The interfaces RBI_NFT_FLOWTABLE hooks; "" when there is none. */
	char offload_devs[256];
};

/*
 * Reads table inet rbiblock back; present is false when there is none.
 * Without full, set elements are not read (but the learned maps'), so
 * that the cost does not grow with the policy's networks: what heartbeats
 * and status do.
 */
int rbi_nft_read(struct rbi_nft_state *st, bool full, char *err,
		 size_t len);
void rbi_nft_state_free(struct rbi_nft_state *st);

/*
 * Learned addresses: adds (or refreshes) addr -> verdict in the learned
 * map of its family, for timeout seconds, with a comment naming the
 * service and the DNS name. One transaction of its own.
 */
struct rbi_nft_learn {
	uint8_t family;		/* RBI_IP_V4 or RBI_IP_V6 */
	uint8_t addr[16];
	uint32_t verdict;	/* from rbi_nft_service_verdict() */
	uint32_t timeout;	/* seconds */
	const char *comment;
};

int rbi_nft_learn(const struct rbi_nft_learn *l, size_t n, char *err,
		  size_t len);

#endif
