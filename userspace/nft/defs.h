/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The names `table inet rbiblock` is built from, in one place, so that
 * rbictl apply, status, run, the tests and an operator's own rules agree
 * on them. The numbers the kernel side shares (conntrack label bits, hook
 * priorities, NFLOG groups) are the module's ABI, in rbiblock.h.
 */
#ifndef RBI_NFT_DEFS_H
#define RBI_NFT_DEFS_H

#include "rbiblock.h"

#define RBI_NFT_TABLE		"rbiblock"

/* Log prefixes: "rbiblock block prohibit-rbi", "rbiblock log block-quic". */
#define RBI_NFT_LOG_PREFIX	"rbiblock "
#define RBI_NFT_ACT_BLOCK	"block"
#define RBI_NFT_ACT_LOG		"log"
#define RBI_NFT_BY_MODULE	"module"	/* last word: the module's verdict */

/* Chains. Per-rule chains are "block_<rule id>" and "log_<rule id>". */
#define RBI_NFT_CH_FORWARD	"forward"
#define RBI_NFT_CH_OUTPUT	"output"
#define RBI_NFT_CH_MODULE	"module_verdicts"
#define RBI_NFT_CH_EGRESS	"camera_egress"
#define RBI_NFT_CH_INGRESS	"camera_ingress"
#define RBI_NFT_CH_REPLIES	"flow_replies"

/*
 * Sets and maps, each in a _v4 and a _v6 flavour: what they hold is in
 * enum rbi_nft_set (rbi_nft_plan.h).
 */
#define RBI_NFT_V4		"_v4"
#define RBI_NFT_V6		"_v6"

/*
 * Conntrack mark bits rbiblock takes: a flow that passed every check is
 * marked with the ruleset's generation there, and its later packets skip
 * the checks until a different ruleset is applied. The other bits of the
 * mark are left as they are, for the operator; `rbictl status` names them.
 *
 * Not a conntrack label bit: nft can set label bits but never clear one
 * (`ct label set` ORs into the labels), so a "checked" label could not be
 * taken back by the next ruleset. Only a walk over every conntrack entry
 * through ctnetlink after each apply could, and until it ended the flows
 * checked against the old ruleset would skip the new one. `ct mark set`
 * replaces the field whole, so a new generation takes effect in the same
 * transaction as the ruleset that brings it.
 */
enum rbi_nft_mark {
	RBI_NFT_MARK_MASK = 0xff000000,
	RBI_NFT_MARK_SHIFT = 24,
};

/* DNS learning: timeout = TTL + grace, then clamped to these bounds. */
enum rbi_learn_bounds {
	RBI_LEARN_GRACE_DEFAULT = 30,	/* seconds */
	RBI_LEARN_MIN = 5,
	RBI_LEARN_MAX = 86400,
};

#endif
