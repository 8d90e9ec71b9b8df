/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What is enforced now, as 'rbictl status' reports it: the ruleset read
 * back, the module's state, the daemon, and the list of what is NOT
 * enforced and why, derived from them and the policy.
 */
#ifndef RBI_STATUS_H
#define RBI_STATUS_H

#include <stdbool.h>

#include "daemon/daemon.h"
#include "kmod/modstat.h"
#include "nft/nft.h"
#include "policy/policy.h"

enum {
	RBI_STATUS_GAPS_MAX = 16,
};

struct rbi_status {
	struct rbi_nft_state nft;
	const struct rbi_policy *p;	/* the policy file, if it loaded */
	bool policy_applied;		/* its sha256 is the applied one */
	bool module;
	bool queue;			/* the queue backend's ruleset */
	bool mod_read;			/* mod holds the module's state */
	struct rbi_modstat mod;
	char mod_err[RBI_NFT_ERR_LEN];
	long daemon;			/* pid of rbictl run, or 0 */
	const char *daemon_by;		/* where it was found */
	bool state_read;		/* state holds what it says */
	struct rbi_daemon_state state;
	struct rbi_nft_foreign foreign;	/* other tables that offload */
	char foreign_err[RBI_NFT_ERR_LEN];	/* "" when they were read */
	char offload_gap[RBI_NFT_COMMENT_MAX];
	const char *gaps[RBI_STATUS_GAPS_MAX];	/* not enforced, and why */
	size_t n_gaps;
	char names_gap[256];
};

/*
 * Reads the state into s, compared with policy p (NULL: none loaded).
 * The daemon is the one in pidfile if given, else in the default pid
 * file, else the one in rbiblock.service's control group. Without full,
 * set elements are not read back (but the learned ones): the cost does
 * not grow with the policy's networks. -1 with err when the ruleset
 * can't be read.
 */
int rbi_status_read(struct rbi_status *s, const struct rbi_policy *p,
		    const char *pidfile, bool full, char *err, size_t len);

/*
 * What no ruleset of policy p can enforce, whatever runs: the ways around
 * DNS learning and zones it can't close. Into out[0..max); how many.
 */
size_t rbi_status_limits(const struct rbi_policy *p, const char **out,
			 size_t max);
void rbi_status_free(struct rbi_status *s);

/* Learned map elements of family index fam (RBI_NFT_V4_IDX, _V6_IDX). */
uint64_t rbi_status_learned(const struct rbi_status *s, int fam);

/* Publicly accessible zones in p: none, and the policy blocks nothing. */
size_t rbi_status_public_zones(const struct rbi_policy *p);

/*
 * The conntrack bits rbiblock takes, for the operator's own rules (the
 * queue backend takes a label bit more, and the top byte of the packet
 * mark of the packets it holds: the same mask as the ct mark's).
 */
void rbi_status_conntrack(const struct rbi_status *s, char mark[16],
			  char labels[16]);

#endif
