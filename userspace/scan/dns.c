// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "scan/internal.h"

/* Further questions of a DNS flow reported whatever they name. */
enum { RBI_SCAN_DNS_REPORT = 16 };

/* Learns from a response: service addresses, for flows that follow. */
static void rbi_scan_learn(struct rbi_scan *s, const struct rbi_dns_msg *m)
{
	/* A broken record still leaves what came before it usable. */
	rbi_dns_collect(m, &s->answers);
	s->st.count[RBI_SC_DNS_LEARNED] +=
		rbi_learn_answer(s->learn, s->policy->config, &s->answers,
				 NULL, s->now / 1000000, NULL, NULL);
}

/* FNV-1a: enough to tell a flow's few question names apart. */
static uint32_t rbi_scan_name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	while (*name)
		h = (h ^ (uint8_t)*name++) * 16777619u;
	return h;
}

/* Whether the flow reported name already; remembers it if not. */
static bool rbi_scan_dns_seen(struct rbi_scan_flow *f, const char *name)
{
	uint32_t h = rbi_scan_name_hash(name);
	unsigned int i, n = RBI_MIN(f->dns.n, (uint8_t)RBI_SCAN_DNS_SEEN);

	for (i = 0; i < n; i++)
		if (f->dns.seen[i] == h)
			return true;
	f->dns.seen[f->dns.n % RBI_SCAN_DNS_SEEN] = h;
	if (f->dns.n < UINT8_MAX)
		f->dns.n++;
	return false;
}

/*
 * One DNS message sent by side: learn from it, and name the flow by its
 * question. A socket that asks several questions (a stub resolver walking
 * its search list, say) reports each new one as well, at the time it was
 * asked: the one that names a service may well not be the first.
 */
static void rbi_scan_dns_question(struct rbi_scan *s, uint32_t idx,
				  struct rbi_scan_flow *f, unsigned int side,
				  const struct rbi_dns_msg *m)
{
	uint16_t qtype, qclass;

	if (rbi_dns_question(m, s->name, &qtype, &qclass) != RBI_PARSE_OK) {
		s->st.count[RBI_SC_DNS_MALFORMED]++;
		rbi_scan_why(f, RBI_UN_MALFORMED);
		return;
	}
	if (!s->name[0] || rbi_scan_dns_seen(f, s->name))
		return;
	if (f->state == RBI_FLOW_OPEN) {
		/* The question names it even when only the answer was seen. */
		rbi_scan_named(s, idx, f, rbi_dns_is_response(m) ? !side : side,
			       RBI_APP_DNS, s->name);
		return;
	}
	/*
	 * A tunnel over DNS asks a new name in every query: past the first
	 * few, only the questions the policy matches are worth a record.
	 */
	if (rbi_scan_report(s, idx, f, s->name, s->now,
			    f->dns.n > RBI_SCAN_DNS_REPORT))
		s->st.count[RBI_SC_DNS_MORE_NAMES]++;
	else
		s->st.count[RBI_SC_DNS_UNREPORTED]++;
}

/*
 * One DNS message sent by side. True once it leaves no query of the flow
 * unanswered.
 */
bool rbi_scan_dns_msg(struct rbi_scan *s, uint32_t idx,
		      struct rbi_scan_flow *f, unsigned int side,
		      const uint8_t *msg, size_t len)
{
	struct rbi_dns_msg m;

	s->st.count[RBI_SC_DNS_MESSAGES]++;
	if (rbi_dns_parse(msg, len, &m) != RBI_PARSE_OK) {
		s->st.count[RBI_SC_DNS_MALFORMED]++;
		rbi_scan_why(f, RBI_UN_MALFORMED);
		return !f->dns.pending;
	}
	f->app = RBI_APP_DNS;
	if (rbi_dns_is_response(&m)) {
		rbi_scan_learn(s, &m);
		if (f->dns.pending)
			f->dns.pending--;
	} else if (f->dns.pending < UINT8_MAX) {
		f->dns.pending++;
	}
	rbi_scan_dns_question(s, idx, f, side, &m);
	return !f->dns.pending;
}
