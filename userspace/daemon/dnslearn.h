/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * DNS learning: the addresses a DNS answer gives for names of prohibited
 * services, following CNAME chains, as entries for the learned maps.
 * The answer set comes from rbi_dns_collect, the service of each chain
 * name from rbi_config_name_service: the same code the module and
 * `rbictl scan` use.
 */
#ifndef RBI_DNSLEARN_H
#define RBI_DNSLEARN_H

#include "rbi_dns.h"
#include "nft/nft.h"
#include "policy/policy.h"

struct rbi_learned {
	struct rbi_nft_learn entry;
	uint32_t service;
	uint32_t ttl;			/* as the answer said */
	char comment[RBI_NFT_COMMENT_MAX];
};

/*
 * Reads one DNS message (a UDP payload, or TCP payload framed with its
 * length) into out[0..max); returns how many addresses to learn. grace
 * is added to each TTL, and the sum clamped to RBI_LEARN_MIN..MAX.
 * scratch is a caller's buffer (the answer set is too large for a stack).
 */
size_t rbi_dnslearn(const struct rbi_policy *p, const uint8_t *msg,
		     size_t len, bool tcp, unsigned int grace,
		     struct rbi_dns_answer_set *scratch,
		     struct rbi_learned *out, size_t max);

/*
 * The same from an answer already collected (rbi_dns_collect), as the
 * inspection engine hands over the answers that matched a query.
 */
size_t rbi_dnslearn_set(const struct rbi_policy *p,
			const struct rbi_dns_answer_set *set,
			unsigned int grace, struct rbi_learned *out,
			size_t max);

#endif
