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
#define RBI_NFT_CH_INPUT	"input"
#define RBI_NFT_CH_NO_VERDICT	"no_verdict"
#define RBI_NFT_CH_MODULE	"module_verdicts"
#define RBI_NFT_CH_EGRESS	"camera_egress"
#define RBI_NFT_CH_INGRESS	"camera_ingress"
#define RBI_NFT_CH_REPLIES	"flow_replies"
#define RBI_NFT_CH_INSPECT	"inspect"	/* queue backend */
#define RBI_NFT_CH_QVERDICTS	"queue_verdicts"	/* queue backend */

/*
 * rbiblock's own flowtable: flows checked against the ruleset in force and
 * decided allowed, with nothing more to inspect, skip the forward path.
 */
#define RBI_NFT_FLOWTABLE	"rbiblock_ft"

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

/*
 * The queue backend (`rbictl run --backend queue`): the daemon inspects in
 * userspace what the module would inspect in the kernel. The packets of
 * undecided public-zone flows wait in one of the queues from
 * RBI_NFT_QUEUE_FIRST on (one per CPU, a flow always in the same one)
 * until the daemon has decided the flow: every packet, both ways, from the
 * client's SYN on, since the inspection engine (rbi_inspect.h) reads them
 * all, as the module does; DNS answers among them teach the learned maps
 * before they go on. The answers the gateway's own resolver sends cameras
 * wait in RBI_NFT_QUEUE_DNS until the daemon has learned from them.
 *
 * The ruleset tells the daemon which way a packet goes in the top byte of
 * the packet's mark (RBI_NFT_QMARK_REPLY, or 0), and whether conntrack
 * took it for a new connection (RBI_NFT_QMARK_NEW: a port used again once
 * its old connection closed, looked at afresh as the module does a new
 * conntrack entry). The daemon tells the ruleset its decision in the same
 * byte, the only field of a packet a queue verdict can set on every
 * kernel. The
 * base chain RBI_NFT_CH_QVERDICTS, which runs right after the one that
 * queued the packet, writes the decision into the conntrack label bits
 * the module would have set (rbiblock.h), puts the byte back to 0 and
 * blocks or lets the packet go. The other 24 bits of the mark are left as
 * they were.
 */
enum rbi_nft_queue_num {
	RBI_NFT_QUEUE_DNS = 4711,
	RBI_NFT_QUEUE_FIRST = 4712,
	RBI_NFT_QUEUES_MAX = 16,
};

enum rbi_nft_qmark {
	RBI_NFT_QMARK_MASK = 0xff000000,
	RBI_NFT_QMARK_REPLY = 0x01000000,	/* set by the ruleset ... */
	RBI_NFT_QMARK_NEW = 0x02000000,		/* ... conntrack's first */
	RBI_NFT_QMARK_ALLOW = 0xa0000000,
	RBI_NFT_QMARK_WATCH = 0xb0000000,	/* allow, watch for QUIC */
	RBI_NFT_QMARK_LOG = 0xc0000000,
};

/*
 * A UDP flow the daemon allowed before it showed QUIC: its later datagrams
 * with a QUIC long header go to the daemon again. The module's own bit for
 * the same thing (it looks at each such datagram itself).
 */
enum {
	RBI_CT_LABEL_QUIC_WATCH = RBI_CT_LABEL_WATCH,
};

/* A block by rule (enum rbi_rule, 1 .. __RBI_RULE_MAX - 1). */
#define RBI_NFT_QMARK_BLOCK(rule) \
	(0x80000000u | (unsigned int)(rule) << 24)

/* DNS learning: timeout = TTL + grace, then clamped to these bounds. */
enum rbi_learn_bounds {
	RBI_LEARN_GRACE_DEFAULT = 30,	/* seconds */
	RBI_LEARN_MIN = 5,
	RBI_LEARN_MAX = 86400,
};

#endif
