/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The flow records of `rbictl run`: what the daemon hears about a flow
 * becomes one audit record.
 *
 * It hears of a flow from two sources. The ruleset's NFLOG copies of the
 * packets it blocks or logs name the rule, and whether the verdict was the
 * module's (prefix "... module"), but carry no name. rbiblock.ko's event
 * for a flow it decided carries the module's whole decision with the name
 * (SNI, HTTP Host, RTSP host), the application and ECH.
 *
 * One source of truth per flow:
 *  - a verdict of the ruleset alone: its NFLOG copies. Copies of one flow
 *    within RBI_RUNREC_MERGE_MS make one record with their count;
 *  - a verdict of the module: its event. The flow's NFLOG copies only add
 *    to the record's count while it waits out the merge window; after
 *    that the flow is remembered as recorded (until RBI_RUNREC_SEEN_MS
 *    after its last copy) and its copies are dropped. When no event came
 *    within the window (the module's token bucket held it back, or it was
 *    lost), the copies stand in for it: a record with the rule but without
 *    the name. The events held back are a gap record (cmd_run.c), so that
 *    the missing names are never lost silently.
 * So a flow the module decides gets one record, whichever source arrives
 * first. If more flows are remembered than RBI_RUNREC_SEEN fits, the
 * oldest is forgotten: at worst a flow gets a second record, never none.
 */
#ifndef RBI_RUNREC_H
#define RBI_RUNREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmod/modctl.h"

enum {
	RBI_RUNREC_MERGE_MS = 2000,
	RBI_RUNREC_SEEN_MS = 300000,	/* longer than TCP's longest RTO */
	RBI_RUNREC_PENDING = 256,
	RBI_RUNREC_SEEN = 8192,		/* flows remembered, a power of 2 */
};

/* A flow by its addresses and ports, as its initiator opened it. */
struct rbi_runrec_key {
	struct rbi_ip src;
	struct rbi_ip dst;
	uint16_t sport;
	uint16_t dport;
	uint8_t l4;
};

enum rbi_runrec_kind {
	RBI_RUNREC_BLOCK,	/* an audit block record */
	RBI_RUNREC_LOG,		/* allowed but recorded: a log record */
	__RBI_RUNREC_KIND_MAX
};

/* One record to write. */
struct rbi_runrec {
	struct rbi_runrec_key key;
	enum rbi_runrec_kind kind;
	enum rbi_rule rule;	/* RBI_RULE_NONE: not known (see ev) */
	bool module;		/* the module's verdict */
	bool has_event;		/* ev is the module's event for the flow */
	struct rbi_modctl_event ev;
	uint64_t first_ms;
	uint64_t count;		/* packets the ruleset copied, >= 0 */
};

typedef void (*rbi_runrec_emit)(void *ctx, const struct rbi_runrec *rec);

struct rbi_runrecs;

struct rbi_runrecs *rbi_runrecs_new(rbi_runrec_emit emit, void *ctx);
void rbi_runrecs_free(struct rbi_runrecs *t);

/* An NFLOG copy of a packet of flow k (as the packet had it). */
void rbi_runrecs_copy(struct rbi_runrecs *t, const struct rbi_runrec_key *k,
		      enum rbi_runrec_kind kind, enum rbi_rule rule,
		      bool module, uint64_t now_ms);

/* The module's event for a flow it blocked or marked for logging. */
void rbi_runrecs_event(struct rbi_runrecs *t,
		       const struct rbi_modctl_event *ev, uint64_t now_ms);

/* Emits the records whose merge window is over, or all of them. */
void rbi_runrecs_flush(struct rbi_runrecs *t, bool all, uint64_t now_ms);

/* Records waiting: the daemon's poll timeout shortens while there are. */
size_t rbi_runrecs_pending(const struct rbi_runrecs *t);

#endif
