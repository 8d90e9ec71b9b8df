/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * DNS learning: what one DNS answer teaches the learned maps. The answer
 * is read by rbi_dns_collect() and learned by rbi_learn_answer() into the
 * memo's table, with the rules the module and `rbictl scan` keep too
 * (rbi_learn.h: what is never learned, the caps, aliases); each address
 * learned becomes a map entry with its timeout and a comment naming the
 * service and the name, and each refused one is counted by reason.
 */
#ifndef RBI_DNSLEARN_H
#define RBI_DNSLEARN_H

#include "rbi_dns.h"
#include "rbi_learn.h"
#include "daemon/memo.h"
#include "nft/nft.h"
#include "policy/policy.h"

enum {
	RBI_DNSLEARN_SHOWN = 4,	/* refusals kept whole, for messages */
};

struct rbi_learned {
	struct rbi_nft_learn entry;
	uint32_t service;
	uint32_t ttl;			/* as the answer said */
	char comment[RBI_NFT_COMMENT_MAX];
};

/* What one message taught, or would have. */
struct rbi_dnslearn {
	struct rbi_learned *v;		/* learned, for the maps */
	size_t n, cap;
	uint64_t refused[__RBI_LEARN_REF_MAX];
	uint64_t n_refused;
	struct rbi_learn_event shown[RBI_DNSLEARN_SHOWN];
	size_t n_shown;
	char name[RBI_NAME_BUF];	/* the chain name that decided */
	bool malformed;			/* a record was broken */
	bool failed;			/* out of memory: some not kept */
};

void rbi_dnslearn_free(struct rbi_dnslearn *out);

/*
 * Learns from the DNS message msg[0..len) (a UDP payload, or a message a
 * TCP stream framed), which from sent, into m and out (emptied first).
 * grace is added to each TTL for the map's timeout, the sum clamped to
 * RBI_LEARN_MIN..MAX. scratch is a caller's buffer (the answer set is too
 * large for a stack). Returns how many addresses were learned.
 */
size_t rbi_dnslearn(struct rbi_dnslearn *out, struct rbi_memo *m,
		    const struct rbi_policy *p, const uint8_t *msg,
		    size_t len, const struct rbi_ip *from, unsigned int grace,
		    struct rbi_dns_answer_set *scratch);

/*
 * The same from an answer already collected (rbi_dns_collect), as the
 * inspection engine hands over the answers that matched a query.
 */
size_t rbi_dnslearn_set(struct rbi_dnslearn *out, struct rbi_memo *m,
			const struct rbi_policy *p,
			const struct rbi_dns_answer_set *set,
			const struct rbi_ip *from, unsigned int grace);

#endif
