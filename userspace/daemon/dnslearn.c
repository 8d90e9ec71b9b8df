// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <string.h>

#include "daemon/dnslearn.h"
#include "nft/defs.h"

static uint32_t rbi_dnslearn_timeout(uint32_t ttl, unsigned int grace)
{
	uint64_t t = (uint64_t)ttl + grace;

	if (t < RBI_LEARN_MIN)
		return RBI_LEARN_MIN;
	return t > RBI_LEARN_MAX ? RBI_LEARN_MAX : (uint32_t)t;
}

/*
 * The service each chain position answers for: a name of a service, or
 * any name an earlier service name's CNAME led to (a CDN host serving it).
 */
static void rbi_dnslearn_chain(const struct rbi_policy *p,
			    const struct rbi_dns_answer_set *set,
			    uint32_t *svc, unsigned int *named_by)
{
	uint32_t cur = RBI_NONE, s;
	unsigned int i, by = 0;

	for (i = 0; i < set->name_count; i++) {
		s = rbi_config_name_service(p->config, set->names[i],
					    strlen(set->names[i]), NULL);
		if (s != RBI_NONE) {
			cur = s;
			by = i;
		}
		svc[i] = cur;
		named_by[i] = by;
	}
}

size_t rbi_dnslearn(const struct rbi_policy *p, const uint8_t *msg,
		     size_t len, bool tcp, unsigned int grace,
		     struct rbi_dns_answer_set *set,
		     struct rbi_learned *out, size_t max)
{
	struct rbi_dns_msg m;
	size_t off = 0;

	if (tcp && rbi_dns_tcp_next(msg, len, &off, &msg, &len) !=
	    RBI_PARSE_OK)
		return 0;
	if (rbi_dns_parse(msg, len, &m) != RBI_PARSE_OK)
		return 0;
	memset(set, 0, sizeof(*set));
	/* A broken record later on does not undo what came before it. */
	rbi_dns_collect(&m, set);
	return rbi_dnslearn_set(p, set, grace, out, max);
}

size_t rbi_dnslearn_set(const struct rbi_policy *p,
			const struct rbi_dns_answer_set *set,
			unsigned int grace, struct rbi_learned *out,
			size_t max)
{
	uint32_t svc[RBI_DNS_CHAIN_MAX];
	unsigned int by[RBI_DNS_CHAIN_MAX];
	const struct rbi_dns_addr *a;
	struct rbi_learned *l;
	size_t n = 0, i;

	rbi_dnslearn_chain(p, set, svc, by);
	for (i = 0; i < set->addr_count && n < max; i++) {
		a = &set->addrs[i];
		if (a->name >= set->name_count || svc[a->name] == RBI_NONE)
			continue;
		l = &out[n++];
		memset(l, 0, sizeof(*l));
		l->service = svc[a->name];
		l->ttl = a->ttl;
		l->entry.family = a->family == 4 ? RBI_IP_V4 : RBI_IP_V6;
		memcpy(l->entry.addr, a->bytes, 16);
		l->entry.verdict = rbi_nft_service_verdict(p, l->service);
		l->entry.timeout = rbi_dnslearn_timeout(a->ttl, grace);
		snprintf(l->comment, sizeof(l->comment), "%s %s",
			 p->services[l->service].id,
			 set->names[by[a->name]]);
		l->entry.comment = l->comment;
	}
	return n;
}
