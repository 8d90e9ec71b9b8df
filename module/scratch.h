/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_SCRATCH_H
#define RBI_SCRATCH_H

#include "core/rbi_dns.h"
#include "core/rbi_http.h"
#include "core/rbi_rtsp.h"
#include "core/rbi_tls.h"

enum {
	/* The largest UDP payload: a DNS answer is read whole. */
	RBI_SCRATCH_PKT = 65536,
};

/*
 * What one packet's inspection needs beyond a few words: the dissectors'
 * outputs and a linear copy of a datagram. Far too large for the kernel
 * stack, and needed on every CPU at once, so each CPU has its own.
 */
struct rbi_scratch {
	union {
		struct rbi_tls_hello tls;
		struct rbi_http_req http;
		struct rbi_rtsp_req rtsp;
	} app;
	struct rbi_dns_msg dns_msg;
	struct rbi_dns_answer_set dns;
	u8 pkt[RBI_SCRATCH_PKT];
};

int rbi_scratch_init(void);
void rbi_scratch_exit(void);

/* This CPU's scratch; the caller keeps bottom halves disabled. */
struct rbi_scratch *rbi_scratch_get(void);

#endif
