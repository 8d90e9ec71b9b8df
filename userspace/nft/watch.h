/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Watching table inet rbiblock through nf_tables' netlink notifications:
 * every committed change to it, by anyone, arrives as messages about the
 * objects changed followed by the new generation, which names the process
 * that committed it. Changes by this process (any of its threads) are its
 * own; what others did is reported, so that the daemon puts the table
 * back at once rather than at its next heartbeat. Expired set elements
 * come and go unannounced.
 */
#ifndef RBI_NFT_WATCH_H
#define RBI_NFT_WATCH_H

#include <stdbool.h>
#include <stddef.h>

/* What other processes did to the table since the last read. */
struct rbi_nft_change {
	bool table_gone;	/* the table was deleted */
	bool learned_lost;	/* elements of the learned maps were deleted */
	bool changed;		/* anything else of it was changed */
	bool overrun;		/* notifications were lost: anything may have */
	/* Which programs: rbictl (apply, flush: an operator), or others. */
	bool by_rbictl;
	bool by_others;
	char by[64];		/* "nft (pid 1234)": the last one who did */
};

struct rbi_nft_watch;

/* NULL with a sentence in err. */
struct rbi_nft_watch *rbi_nft_watch_open(char *err, size_t len);
void rbi_nft_watch_close(struct rbi_nft_watch *w);
int rbi_nft_watch_fd(const struct rbi_nft_watch *w);

/*
 * Reads what is queued, adding to *c (which the caller clears). Returns
 * whether anything was reported.
 */
bool rbi_nft_watch_read(struct rbi_nft_watch *w, struct rbi_nft_change *c);

#endif
