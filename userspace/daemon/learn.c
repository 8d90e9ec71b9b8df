// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DNS learning: copies of the DNS answers sent to cameras teach the
 * learned maps the addresses of prohibited services' names, and the memo
 * the names, for the flows' records.
 */
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include "daemon/internal.h"
#include "scan/frame.h"

int rbi_daemon_dns(struct rbi_daemon *d, const struct rbi_nflog_pkt *l)
{
	struct rbi_frame frame;
	size_t n;

	if (!rbi_daemon_decode(l, &frame, false))
		return 0;
	n = rbi_dnslearn(d->p, frame.data, frame.len,
			 frame.l4 == IPPROTO_TCP, d->grace, &d->scratch,
			 d->learned, RBI_DAEMON_LEARN_MAX);
	return rbi_daemon_learn(d, d->learned, n);
}

int rbi_daemon_learn(struct rbi_daemon *d, const struct rbi_learned *learned,
		     size_t n)
{
	struct rbi_nft_learn entries[RBI_DAEMON_LEARN_MAX];
	char err[RBI_NFT_ERR_LEN], ip[RBI_IP_STRLEN];
	struct rbi_ip addr;
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		entries[i] = learned[i].entry;
	if (rbi_nft_learn(entries, n, err, sizeof(err))) {
		rbi_daemon_log(LOG_ERR, "learn failed: %s", err);
		return -1;
	}
	for (i = 0; i < n; i++) {
		addr.family = entries[i].family;
		memcpy(addr.a, entries[i].addr, 16);
		rbi_memo_add(&d->memo, &addr, learned[i].service,
			     entries[i].timeout, learned[i].comment);
		rbi_ip_format(&addr, ip, sizeof(ip));
		rbi_daemon_say("learned: %s for %s (ttl %u, kept %u s)", ip,
			       learned[i].comment, learned[i].ttl,
			       entries[i].timeout);
	}
	return 0;
}
