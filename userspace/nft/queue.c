// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What the kernel offers the queue backend's rules, asked by trying them
 * in transactions that are never committed (rbi_nft_nl_try): the nft
 * queue expression (nft_queue) or else the NFQUEUE target (nft_compat),
 * and the inner-header payload base (Linux 5.16) that the QUIC watch and
 * the bare acknowledgements' rule read. Asked once a process: kernels do
 * not grow expressions while rbictl runs.
 */
#include <stdio.h>
#include <string.h>

#include "nft/internal.h"

/* 0 when the kernel takes the trial rule, -1 (err) when not. */
static int rbi_nft_queue_try(struct rbi_nft_nl *nl,
			     const struct rbi_nft_queue *q, bool payload,
			     char *err, size_t len)
{
	struct rbi_nft_objs o;
	int rc;

	if (rbi_nft_build_trial(q, payload, &o)) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	rc = rbi_nft_nl_try(nl, &o, err, len);
	rbi_nft_objs_free(&o);
	return rc;
}

int rbi_nft_queue_probe(struct rbi_nft_queue *q, char *err, size_t len)
{
	static struct rbi_nft_queue known;
	struct rbi_nft_queue t = *q;
	char why[RBI_NFT_ERR_LEN];
	struct rbi_nft_nl *nl;

	if (known.kind != RBI_NFT_QUEUE_NONE) {
		q->kind = known.kind;
		q->inner = known.inner;
		return 0;
	}
	nl = rbi_nft_nl_open(err, len);
	if (!nl)
		return -1;
	t.kind = RBI_NFT_QUEUE_NATIVE;
	if (rbi_nft_queue_try(nl, &t, false, why, sizeof(why))) {
		t.kind = RBI_NFT_QUEUE_XT;
		if (rbi_nft_queue_try(nl, &t, false, err, len)) {
			snprintf(err, len, "this kernel can queue no packet to "
				 "userspace: it has neither the nft queue "
				 "expression (nft_queue: %s) nor the NFQUEUE "
				 "target (nft_compat, xt_NFQUEUE)", why);
			rbi_nft_nl_close(nl);
			return -1;
		}
	}
	t.inner = !rbi_nft_queue_try(nl, &t, true, why, sizeof(why));
	rbi_nft_nl_close(nl);
	known = t;
	q->kind = t.kind;
	q->inner = t.inner;
	return 0;
}
