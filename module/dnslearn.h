/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_DNSLEARN_H
#define RBI_DNSLEARN_H

#include "flow.h"
#include "inspect.h"

struct rbi_modcfg;
struct rbi_pernet;
struct rbi_scratch;

/*
 * DNS learning: the addresses an answer gives for a prohibited name enter
 * the learned table while the answer is still inside the hook, before it
 * goes on to the client, so the client's first packet to one of them is
 * classified as the service's. Callers hold bottom halves off.
 */

/* An answer in one UDP datagram: the payload of p. */
void rbi_dns_learn_udp(struct rbi_pernet *pn, struct rbi_modcfg *mc,
		       struct rbi_scratch *scr, const struct rbi_pkt *p);

/*
 * A segment of the server's side of a DNS-over-TCP connection, whose
 * state st the caller holds locked. Returns NF_DROP for a segment that
 * came before its turn.
 */
unsigned int rbi_dns_learn_tcp(struct rbi_pernet *pn, struct rbi_modcfg *mc,
			       struct rbi_scratch *scr, const struct rbi_pkt *p,
			       struct rbi_flow_state *st);

#endif
