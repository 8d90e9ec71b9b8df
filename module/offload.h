/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flowtables kept off the flows the module still reads. A flow in any
 * flowtable (an nft `flow add`, tc's act_ct) is forwarded from the ingress
 * hook on: none of its packets reaches the forward hook again, where the
 * module and the ruleset read them, so a table like OpenWrt's fw4, which
 * offloads every established flow, would take a camera's ClientHello past
 * both (the handshake's last ACK is what offloads it). Every one of them
 * takes a flow only if it can set IPS_OFFLOAD_BIT in its conntrack entry,
 * and none takes a flow whose entry has a helper extension:
 *  - a flow the module keeps a state for holds the bit from its first
 *    packet, before its entry is even confirmed, until the state goes;
 *    then it is let go (rbi_offload_let_go), an RCU grace period later,
 *    when no packet that met the ruleset before the decision can still be
 *    on its way to another table's chain;
 *  - a flow read for as long as it lasts without a state (DNS over UDP, a
 *    datagram flow watched for QUIC) gets an empty helper extension on its
 *    first packet (rbi_offload_forbid), which no flowtable ever takes.
 * Only forwarded flows: flowtables take no other.
 */
#ifndef RBI_OFFLOAD_H
#define RBI_OFFLOAD_H

#include <net/netfilter/nf_conntrack.h>

/* Holds a flow out of every flowtable; ct not confirmed yet. */
void rbi_offload_hold(struct nf_conn *ct);

/*
 * Lets a held flow go: from any context, no packet of the flow in the
 * hooks that met it before its state went. Its timeout, which conntrack's
 * collector kept a day ahead while the bit was set, is brought back to
 * what its TCP state gives it.
 */
void rbi_offload_let_go(struct nf_conn *ct);

/*
 * Keeps a flow out of every flowtable for good, on its first packet (ct
 * not confirmed); false when there was no memory for it.
 */
bool rbi_offload_forbid(struct nf_conn *ct);

#endif
