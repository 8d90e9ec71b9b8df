/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_EVENT_H
#define RBI_EVENT_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "core/rbi_verdict.h"

struct rbi_pernet;
struct rbi_modcfg;

/*
 * A token bucket per namespace, so that a camera opening flows in a loop
 * cannot flood the daemon. Tokens count in 1/HZ of an event.
 */
struct rbi_events {
	spinlock_t lock;	/* guards the bucket: the fields below */
	u64 tokens;
	unsigned long last;	/* jiffies of the last refill */
	u64 held;		/* suppressed since the last event sent */
};

void rbi_events_init(struct rbi_events *ev);

/* Sends the event for a decided flow to the events group, if allowed. */
void rbi_event_flow(struct rbi_pernet *pn, const struct rbi_modcfg *mc,
		    const struct rbi_flow *f, const struct rbi_decision *d,
		    u8 hook);

#endif
