/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_SCRATCH_H
#define RBI_SCRATCH_H

#include "core/rbi_inspect.h"

enum {
	/* The largest packet payload GRO and GSO build by default. */
	RBI_SCRATCH_PKT = 65536,
};

/*
 * What one packet's inspection needs beyond a few words: the engine's
 * scratch, the state of a flow seen for the first time and the result,
 * and a linear copy of a payload the skb holds in pieces. Far too large
 * for the kernel stack, and needed on every CPU at once, so each CPU has
 * its own.
 */
struct rbi_scratch {
	struct rbi_insp_scratch insp;
	struct rbi_insp fresh;
	struct rbi_insp_result res;
	u8 pkt[RBI_SCRATCH_PKT];
};

int rbi_scratch_init(void);
void rbi_scratch_exit(void);

/* This CPU's scratch; the caller keeps bottom halves disabled. */
struct rbi_scratch *rbi_scratch_get(void);

#endif
