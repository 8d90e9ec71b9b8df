// SPDX-License-Identifier: GPL-2.0
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_conntrack_l4proto.h>

#include "offload.h"

void rbi_offload_hold(struct nf_conn *ct)
{
	set_bit(IPS_OFFLOAD_BIT, &ct->status);
}

/*
 * The timeout conntrack gives a TCP entry in its state, as
 * nf_conntrack_tcp_packet() picks it: shorter while data waits for its
 * acknowledgement (a blocked flow's does for good).
 */
static u32 rbi_offload_tcp_timeout(struct nf_conn *ct)
{
	const struct nf_tcp_net *tn = nf_tcp_pernet(nf_ct_net(ct));
	const struct ip_ct_tcp *tcp = &ct->proto.tcp;
	u32 t = tn->timeouts[tcp->state];

	if ((tcp->seen[0].flags | tcp->seen[1].flags) &
	    IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED)
		t = min(t, tn->timeouts[TCP_CONNTRACK_UNACK]);
	return t;
}

void rbi_offload_let_go(struct nf_conn *ct)
{
	u32 t;

	clear_bit(IPS_OFFLOAD_BIT, &ct->status);
	if (nf_ct_protonum(ct) != IPPROTO_TCP)
		return;
	spin_lock_bh(&ct->lock);
	t = rbi_offload_tcp_timeout(ct);
	if (nf_ct_expires(ct) > t)
		WRITE_ONCE(ct->timeout, nfct_time_stamp + t);
	spin_unlock_bh(&ct->lock);
}

bool rbi_offload_forbid(struct nf_conn *ct)
{
	if (nf_ct_ext_exist(ct, NF_CT_EXT_HELPER))
		return true;
	if (nf_ct_is_confirmed(ct))
		return false;
	return nf_ct_helper_ext_add(ct, GFP_ATOMIC) != NULL;
}
