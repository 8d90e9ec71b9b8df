/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Enforcing a policy through the backends there are: the nftables ruleset
 * always; rbiblock.ko's configuration when the module is loaded and
 * allowed; or, in its place, the queue backend, where the ruleset hands
 * undecided flows and DNS answers to the daemon (rbi_nft_defs.h). What
 * 'rbictl apply' and the daemon both do.
 */
#ifndef RBI_BACKEND_H
#define RBI_BACKEND_H

#include "nft/nft.h"
#include "policy/policy.h"

enum rbi_backend {
	RBI_BACKEND_AUTO,
	RBI_BACKEND_NFT,
	RBI_BACKEND_MODULE,
	RBI_BACKEND_QUEUE,
	__RBI_BACKEND_MAX
};

/* The backend named s ("auto", "nft", "module", "queue"); -1 for another. */
int rbi_backend_parse(const char *s, enum rbi_backend *b);
const char *rbi_backend_name(enum rbi_backend b);

/* The inspection queues of the queue backend: one per CPU, bounded. */
uint16_t rbi_backend_queues(void);

enum {
	RBI_BACKEND_OFFLOAD = 1 << 0,	/* rbiblock's own flowtable */
	RBI_BACKEND_FORCE = 1 << 1,	/* even over a table that looks alike */
};

/*
 * The nft ruleset is always installed; with on-failure: closed it is
 * installed with camera egress blocked (except to recorders) whenever
 * fail_closed (or a missing required module, or a kernel that cannot
 * queue) says the policy can't be guaranteed. used names the backends in
 * force ("nft", "nft+module", "nft+queue"): with the module, its
 * configuration is pushed after the ruleset. The queue backend's rules
 * bypass the queues when nothing listens only under on-failure: open.
 * With RBI_BACKEND_OFFLOAD, the ruleset has its own flowtable where the
 * kernel takes one. RBI_BACKEND_FORCE replaces the table even when it looks
 * like the one to apply (someone changed what its light form does not
 * show: set elements). keep: where the ruleset for a boot is kept
 * (rbi_nft_keep_restore()), or NULL.
 */
struct rbi_backend_result {
	struct rbi_nft_apply_result nft;
	const char *used;
	const char *fail_closed;	/* the reason in force, or NULL */
	bool missing;	/* applied, without the module or queue required */
	struct rbi_nft_foreign foreign;	/* other tables that offload */
	/* What they leave unenforced ("" nothing): rbi_backend_offload_gap */
	char unguarded[RBI_NFT_COMMENT_MAX];
};

int rbi_backend_apply(const struct rbi_policy *p, enum rbi_backend backend,
		      const char *fail_closed, unsigned int flags,
		      const char *keep, struct rbi_backend_result *res,
		      char *err, size_t len);

/*
 * What other tables' flowtables leave unenforced, into why ("" when
 * nothing). rbiblock.ko in use (module) keeps every flow it still reads
 * out of any flowtable until it has decided it; without it (the nft or
 * the queue backend) nothing can: a flow they offload skips what
 * rbiblock reads after its first packets, DNS answers and (queue) the
 * client's first bytes. read_err: they could not be read (NULL: they
 * were), which counts as the worst.
 */
void rbi_backend_offload_gap(const struct rbi_nft_foreign *f, bool module,
			     const char *read_err, char *why, size_t len);

#endif
