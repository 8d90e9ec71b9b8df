// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DNS answers to cameras, held in NFQUEUE RBI_NFT_QUEUE_DNS: what an
 * answer teaches is in the learned maps before the answer goes on, so
 * that the camera's first packet to a prohibited service's address meets
 * its block. An answer that teaches nothing goes on at once. One that
 * cannot be read whole, or whose addresses could not be set, is dropped
 * and counted: the camera asks again, and never holds an address ahead
 * of its block.
 */
#include <linux/netfilter.h>

#include "daemon/internal.h"
#include "nft/defs.h"

void rbi_daemon_queue_dns(struct rbi_queue *q, const struct rbi_queue_pkt *pkt,
			  void *ctx)
{
	struct rbi_nflog_pkt l = { RBI_NFLOG_DNS, "", pkt->data, pkt->len };
	struct rbi_daemon *d = ctx;
	int rc;

	if (pkt->len < pkt->wire_len) {
		__atomic_add_fetch(&d->dns_unread, 1, __ATOMIC_RELAXED);
		rbi_queue_verdict(q, pkt->id, NF_DROP);
		return;
	}
	pthread_rwlock_rdlock(&d->plock);
	rc = rbi_daemon_dns(d, &l);
	pthread_rwlock_unlock(&d->plock);
	if (rc)
		__atomic_add_fetch(&d->dns_failed, 1, __ATOMIC_RELAXED);
	rbi_queue_verdict(q, pkt->id, rc ? NF_DROP : NF_ACCEPT);
}
