/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef RBI_CMD_NFT_H
#define RBI_CMD_NFT_H

#include "nft/nft.h"
#include "policy/policy.h"

int rbi_cmd_apply(int argc, char **argv);
int rbi_cmd_status(int argc, char **argv);
int rbi_cmd_flush(int argc, char **argv);

extern const char rbi_help_apply[];
extern const char rbi_help_status[];
extern const char rbi_help_flush[];

#define RBI_CMDS_NFT \
	{ "apply", "[-p POLICY] [--backend auto|nft|module]", \
	  "install the policy as one atomic nftables transaction", \
	  rbi_help_apply, rbi_cmd_apply }, \
	{ "status", "[--json] [-p POLICY]", \
	  "what is enforced, counters, learned addresses, and the gaps", \
	  rbi_help_status, rbi_cmd_status }, \
	{ "flush", "", "remove rbiblock's nftables table (and nothing else)", \
	  rbi_help_flush, rbi_cmd_flush }

enum rbi_backend {
	RBI_BACKEND_AUTO,
	RBI_BACKEND_NFT,
	RBI_BACKEND_MODULE,
	__RBI_BACKEND_MAX
};

/* Whether rbiblock.ko is loaded (/sys/module/rbiblock exists). */
bool rbi_module_loaded(void);

/*
 * What apply and run both do: enforce p through the backend asked for.
 * The nft ruleset is always installed; with on-failure: closed it is
 * installed with camera egress blocked (except to recorders) whenever
 * fail_closed (or a missing required module) says the policy can't be
 * guaranteed. *used names the backends in force ("nft", "nft+module"):
 * with the module, its configuration is pushed after the ruleset.
 */
struct rbi_backend_result {
	struct rbi_nft_apply_result nft;
	const char *used;
	const char *fail_closed;	/* the reason in force, or NULL */
};

int rbi_backend_apply(const struct rbi_policy *p, enum rbi_backend backend,
		const char *fail_closed, struct rbi_backend_result *res,
		char *err, size_t len);

#endif
