// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/dnslearn.h"
#include "nft/defs.h"
#include "util/grow.h"

static uint32_t rbi_dnslearn_timeout(uint32_t ttl, unsigned int grace)
{
	uint64_t t = (uint64_t)ttl + grace;

	if (t < RBI_LEARN_MIN)
		return RBI_LEARN_MIN;
	return t > RBI_LEARN_MAX ? RBI_LEARN_MAX : (uint32_t)t;
}

struct rbi_dnslearn_ctx {
	struct rbi_dnslearn *out;
	struct rbi_memo *m;
	const struct rbi_policy *p;
	const struct rbi_dns_answer_set *set;
	unsigned int grace;
};

static void rbi_dnslearn_refused(struct rbi_dnslearn *out,
				 const struct rbi_learn_event *ev)
{
	out->refused[ev->refused]++;
	out->n_refused++;
	if (out->n_shown < RBI_DNSLEARN_SHOWN)
		out->shown[out->n_shown++] = *ev;
}

static void rbi_dnslearn_event(void *ctx, const struct rbi_learn_event *ev)
{
	struct rbi_dnslearn_ctx *x = ctx;
	struct rbi_dnslearn *out = x->out;
	struct rbi_learned *l;
	struct rbi_ip ip = ev->ip;

	if (!out->name[0])
		rbi_dns_chain_name(x->set, ev->name, out->name);
	if (ev->refused >= 0) {
		rbi_dnslearn_refused(out, ev);
		return;
	}
	l = rbi_grow_push(out->v, &out->n, &out->cap);
	if (!l) {
		out->failed = true;
		return;
	}
	/* The maps hold an IPv4-mapped address as the IPv4 one it is. */
	rbi_ip_unmap(&ip);
	memset(l, 0, sizeof(*l));
	l->service = ev->service;
	l->ttl = ev->ttl;
	l->entry.family = ip.family;
	memcpy(l->entry.addr, ip.a, 16);
	l->entry.verdict = rbi_nft_service_verdict(x->p, ev->service);
	l->entry.timeout = rbi_dnslearn_timeout(ev->ttl, x->grace);
	/* What libnftnl keeps of a comment: a long name is cut short. */
	snprintf(l->comment, sizeof(l->comment), "%s %.*s",
		 x->p->services[ev->service].id, RBI_NFT_COMMENT_MAX / 2 - 1,
		 out->name);
	rbi_memo_name(x->m, &ip, l->comment);
}

void rbi_dnslearn_free(struct rbi_dnslearn *out)
{
	free(out->v);
	memset(out, 0, sizeof(*out));
}

static void rbi_dnslearn_reset(struct rbi_dnslearn *out)
{
	size_t i;

	out->n = 0;
	out->n_refused = 0;
	out->n_shown = 0;
	out->name[0] = '\0';
	out->malformed = false;
	out->failed = false;
	for (i = 0; i < __RBI_LEARN_REF_MAX; i++)
		out->refused[i] = 0;
}

static size_t rbi_dnslearn_answer(struct rbi_dnslearn *out,
				  struct rbi_memo *m,
				  const struct rbi_policy *p,
				  const struct rbi_dns_answer_set *set,
				  const struct rbi_ip *from, unsigned int grace)
{
	struct rbi_dnslearn_ctx x = { out, m, p, set, grace };
	size_t i;

	rbi_memo_learn(m, p->config, set, from, rbi_dnslearn_event, &x);
	for (i = 0; i < out->n; i++)
		out->v[i].entry.comment = out->v[i].comment;
	return out->n;
}

size_t rbi_dnslearn_set(struct rbi_dnslearn *out, struct rbi_memo *m,
			const struct rbi_policy *p,
			const struct rbi_dns_answer_set *set,
			const struct rbi_ip *from, unsigned int grace)
{
	rbi_dnslearn_reset(out);
	return rbi_dnslearn_answer(out, m, p, set, from, grace);
}

size_t rbi_dnslearn(struct rbi_dnslearn *out, struct rbi_memo *m,
		    const struct rbi_policy *p, const uint8_t *msg,
		    size_t len, const struct rbi_ip *from, unsigned int grace,
		    struct rbi_dns_answer_set *scratch)
{
	struct rbi_dns_msg dm;

	rbi_dnslearn_reset(out);
	if (rbi_dns_parse(msg, len, &dm) != RBI_PARSE_OK) {
		out->malformed = true;
		return 0;
	}
	/* A broken record later on does not undo what came before it. */
	out->malformed = rbi_dns_collect(&dm, scratch) != RBI_PARSE_OK;
	return rbi_dnslearn_answer(out, m, p, scratch, from, grace);
}
