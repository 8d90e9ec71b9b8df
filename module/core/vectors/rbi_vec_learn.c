// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Learned-address vectors: each case runs a short script of adds, answers
 * and lookups on a fresh table, with time passed in as the callers do:
 * expiry at the exact second, TTL clamps, refreshes that never shorten a
 * life, eviction from a full probe window, IPv4-mapped addresses, which
 * addresses of a CNAME chain an answer teaches, what is never learned,
 * the caps, and the names a client is sent to next. Answers are built
 * as DNS messages and read by rbi_dns_collect(), as the callers do.
 */
#include "../rbi_learn.h"
#include "rbi_vectors.h"

enum rbi_vec_learn_op {
	RBI_VEC_LEARN_END,	/* no more steps */
	RBI_VEC_LEARN_ADD,	/* rbi_learn_add(ip, svc, ttl, now) == rc */
	RBI_VEC_LEARN_LOOK,	/* rbi_learn_lookup(ip, now) == svc */
	RBI_VEC_LEARN_ANSWER,	/* rbi_learn_answer(answer, now) == rc */
	RBI_VEC_LEARN_STATS,	/* added, refreshed, evicted, live at now */
	RBI_VEC_LEARN_WALK,	/* rbi_learn_next() yields rc entries */
	RBI_VEC_LEARN_REFUSED,	/* refused[svc] == rc at now */
	RBI_VEC_LEARN_FILL,	/* rc adds of ip + 0, 1.. for svc at now */
	__RBI_VEC_LEARN_OP_MAX
};

enum {
	RBI_VEC_LEARN_STEPS = 12,
	RBI_VEC_LEARN_NAMES = 3,
	RBI_VEC_LEARN_ADDRS = 8,
	RBI_VEC_LEARN_MSG = 1024,
	/* Services of the vector configuration. */
	RBI_VEC_SVC_REKOG = 0,
	RBI_VEC_SVC_EMOTION = 1,
	RBI_VEC_SVC_ALLOWED = 2,
	RBI_VEC_SVC_COUNT = 3,
	RBI_VEC_NONE = -1,	/* lookup finds nothing */
};

struct rbi_vec_learn_addr {
	const char *ip;		/* NULL after the last */
	uint8_t name;		/* owner: index into names */
	uint32_t ttl;
};

/*
 * An answer: the chain (question first, a CNAME from each name to the
 * next), addresses owned by its names, and optionally an HTTPS record of
 * the last name with a target ("" for the owner itself) and hints. With
 * cut, the chain's last name has no record at all.
 */
struct rbi_vec_learn_answer {
	const char *names[RBI_VEC_LEARN_NAMES];	/* NULL after the last */
	struct rbi_vec_learn_addr addrs[RBI_VEC_LEARN_ADDRS];
	const char *https_target;
	const char *hints[2];
	const char *from;	/* the resolver that answered, or NULL */
};

struct rbi_vec_learn_step {
	enum rbi_vec_learn_op op;
	const char *ip;
	int svc;		/* RBI_VEC_NONE: RBI_NONE */
	uint32_t ttl;
	uint64_t now;
	int rc;
	const struct rbi_vec_learn_answer *answer;
	uint32_t stats[4];	/* added, refreshed, evicted, live */
};

struct rbi_vec_learn_case {
	const char *id;
	uint32_t capacity;
	struct rbi_vec_learn_step steps[RBI_VEC_LEARN_STEPS];
};

#define RBI_VL_ADD(ip, svc, ttl, now) \
	{ RBI_VEC_LEARN_ADD, ip, svc, ttl, now, 0 }
#define RBI_VL_ADD_RC(ip, svc, rc) \
	{ RBI_VEC_LEARN_ADD, ip, svc, 60, 0, rc }
#define RBI_VL_LOOK(ip, now, svc) \
	{ RBI_VEC_LEARN_LOOK, ip, svc, 0, now, 0 }
#define RBI_VL_ANSWER(a, now, n) \
	{ RBI_VEC_LEARN_ANSWER, NULL, 0, 0, now, n, a }
#define RBI_VL_STATS(now, ...) \
	{ RBI_VEC_LEARN_STATS, NULL, 0, 0, now, 0, NULL, { __VA_ARGS__ } }
#define RBI_VL_WALK(now, n) \
	{ RBI_VEC_LEARN_WALK, NULL, 0, 0, now, n }
#define RBI_VL_REFUSED(why, n) \
	{ RBI_VEC_LEARN_REFUSED, NULL, why, 0, 0, n }
#define RBI_VL_FILL(ip, svc, n, now) \
	{ RBI_VEC_LEARN_FILL, ip, svc, 300, now, n }

#define RBI_VL_REKOG "rekognition.eu-west-1.amazonaws.com"

static const struct rbi_vec_learn_answer rbi_vec_ans_question = {
	{ RBI_VL_REKOG },
	{ { "198.51.100.7", 0, 300 }, { "2001:db8::7", 0, 600 } },
};

static const struct rbi_vec_learn_answer rbi_vec_ans_cname_to = {
	{ "faces.city.example", RBI_VL_REKOG },
	{ { "198.51.100.8", 1, 300 } },
};

static const struct rbi_vec_learn_answer rbi_vec_ans_cname_below = {
	{ "api.emotion.example", "edge.cdn.example" },
	{ { "203.0.113.9", 1, 300 } },
};

/* Only a broken resolver gives the first name an address as well. */
static const struct rbi_vec_learn_answer rbi_vec_ans_before = {
	{ "www.city.example", RBI_VL_REKOG },
	{ { "192.0.2.1", 0, 300 }, { "192.0.2.2", 1, 300 } },
};

static const struct rbi_vec_learn_answer rbi_vec_ans_none = {
	{ "www.city.example" },
	{ { "192.0.2.3", 0, 300 } },
};

static const struct rbi_vec_learn_answer rbi_vec_ans_allowed = {
	{ "api.allowed.example" },
	{ { "192.0.2.4", 0, 300 } },
};

static const struct rbi_vec_learn_answer rbi_vec_ans_ttls = {
	{ RBI_VL_REKOG },
	{ { "198.51.100.10", 0, 5 }, { "198.51.100.11", 0, 7200 } },
};

/* A forged answer: the policy's infrastructure, no hosts, one service. */
static const struct rbi_vec_learn_answer rbi_vec_ans_forged = {
	{ RBI_VL_REKOG },
	{ { "100.64.0.7", 0, 86400 }, { "100.64.1.5", 0, 86400 },
	  { "100.64.2.53", 0, 86400 }, { "127.0.0.1", 0, 86400 },
	  { "0.0.0.0", 0, 86400 }, { "ff02::1", 0, 86400 },
	  { "198.51.100.53", 0, 86400 }, { "198.51.100.9", 0, 86400 } },
	.from = "198.51.100.53",
};

static const struct rbi_vec_learn_answer rbi_vec_ans_mapped_zone = {
	{ RBI_VL_REKOG },
	{ { "::ffff:100.64.0.9", 0, 300 }, { "fe80::1", 0, 300 },
	  { "2001:db8::9", 0, 300 } },
};

/* A CNAME-only answer, then the answer to the client's next question. */
static const struct rbi_vec_learn_answer rbi_vec_ans_cut = {
	{ RBI_VL_REKOG, "edge.cdn.example" },
};

static const struct rbi_vec_learn_answer rbi_vec_ans_target = {
	{ "edge.cdn.example" },
	{ { "198.51.100.20", 0, 300 } },
};

static const struct rbi_vec_learn_answer rbi_vec_ans_https = {
	{ RBI_VL_REKOG },
	.https_target = "",
	.hints = { "198.51.100.21", "2001:db8::21" },
};

static const struct rbi_vec_learn_answer rbi_vec_ans_https_target = {
	{ RBI_VL_REKOG },
	.https_target = "svc.cdn.example",
};

static const struct rbi_vec_learn_answer rbi_vec_ans_svc_target = {
	{ "svc.cdn.example" },
	{ { "198.51.100.22", 0, 300 } },
};

static const struct rbi_vec_learn_case rbi_vec_learn_cases[] = {
	{ "v4-until-expiry", 64, {
		RBI_VL_ADD("198.51.100.7", 3, 300, 1000),
		RBI_VL_LOOK("198.51.100.7", 1000, 3),
		RBI_VL_LOOK("198.51.100.7", 1299, 3),
		RBI_VL_LOOK("198.51.100.7", 1300, RBI_VEC_NONE),
		RBI_VL_LOOK("198.51.100.8", 1000, RBI_VEC_NONE) } },
	{ "v6-until-expiry", 64, {
		RBI_VL_ADD("2001:db8::7", 5, 120, 50),
		RBI_VL_LOOK("2001:db8::7", 169, 5),
		RBI_VL_LOOK("2001:db8::7", 170, RBI_VEC_NONE),
		RBI_VL_LOOK("2001:db8::8", 60, RBI_VEC_NONE) } },
	{ "v4-is-not-v6-with-same-bytes", 64, {
		RBI_VL_ADD("10.0.0.1", 1, 300, 0),
		RBI_VL_LOOK("a00:1::", 1, RBI_VEC_NONE),
		RBI_VL_LOOK("10.0.0.1", 1, 1) } },
	{ "mapped-answer-covers-v4", 64, {
		RBI_VL_ADD("::ffff:192.0.2.1", 2, 300, 0),
		RBI_VL_LOOK("192.0.2.1", 10, 2),
		RBI_VL_LOOK("::ffff:192.0.2.1", 10, 2) } },
	{ "v4-covers-mapped-lookup", 64, {
		RBI_VL_ADD("192.0.2.1", 2, 300, 0),
		RBI_VL_LOOK("::ffff:192.0.2.1", 10, 2) } },
	{ "ttl-zero-clamps-up", 64, {
		RBI_VL_ADD("192.0.2.5", 1, 0, 100),
		RBI_VL_LOOK("192.0.2.5", 100 + RBI_LEARN_TTL_MIN - 1, 1),
		RBI_VL_LOOK("192.0.2.5", 100 + RBI_LEARN_TTL_MIN,
			    RBI_VEC_NONE) } },
	{ "ttl-huge-clamps-down", 64, {
		RBI_VL_ADD("192.0.2.5", 1, 0x7fffffff, 0),
		RBI_VL_LOOK("192.0.2.5", RBI_LEARN_TTL_MAX - 1, 1),
		RBI_VL_LOOK("192.0.2.5", RBI_LEARN_TTL_MAX, RBI_VEC_NONE) } },
	{ "refresh-never-shortens", 64, {
		RBI_VL_ADD("192.0.2.6", 1, 600, 0),
		RBI_VL_ADD("192.0.2.6", 4, 60, 10),
		RBI_VL_LOOK("192.0.2.6", 599, 4),
		RBI_VL_LOOK("192.0.2.6", 600, RBI_VEC_NONE),
		RBI_VL_STATS(0, 1, 1, 0, 1) } },
	{ "refresh-extends", 64, {
		RBI_VL_ADD("192.0.2.6", 1, 100, 0),
		RBI_VL_ADD("192.0.2.6", 1, 100, 90),
		RBI_VL_LOOK("192.0.2.6", 189, 1),
		RBI_VL_LOOK("192.0.2.6", 190, RBI_VEC_NONE) } },
	{ "expired-slot-reused", 64, {
		RBI_VL_ADD("192.0.2.6", 1, 60, 0),
		RBI_VL_ADD("192.0.2.6", 2, 60, 100),
		RBI_VL_LOOK("192.0.2.6", 100, 2),
		RBI_VL_STATS(100, 2, 0, 0, 1) } },
	{ "bad-input-refused", 64, {
		RBI_VL_ADD_RC(NULL, 1, -EINVAL),
		RBI_VL_ADD_RC("192.0.2.7", RBI_VEC_NONE, -EINVAL),
		RBI_VL_LOOK(NULL, 0, RBI_VEC_NONE),
		RBI_VL_STATS(0, 0, 0, 0, 0) } },
	/*
	 * Capacity 8 is one probe window: every address competes, and three
	 * quarters of it, 6, is all the table may hold.
	 */
	{ "table-cap-refuses-the-newest", RBI_LEARN_PROBE, {
		RBI_VL_ADD("10.0.0.1", 1, 300, 0),
		RBI_VL_ADD("10.0.0.2", 1, 100, 0),
		RBI_VL_ADD("10.0.0.3", 1, 300, 0),
		RBI_VL_ADD("10.0.0.4", 1, 300, 0),
		RBI_VL_ADD("10.0.0.5", 1, 300, 0),
		RBI_VL_ADD("10.0.0.6", 1, 300, 0),
		RBI_VL_ADD_RC("10.0.0.7", 7, -ENOSPC),
		RBI_VL_LOOK("10.0.0.2", 1, 1),
		RBI_VL_LOOK("10.0.0.7", 1, RBI_VEC_NONE),
		RBI_VL_REFUSED(RBI_LEARN_REF_TOTAL_CAP, 1),
		RBI_VL_STATS(1, 6, 0, 0, 6) } },
	{ "table-cap-frees-the-expired", RBI_LEARN_PROBE, {
		RBI_VL_ADD("10.0.0.1", 1, 300, 0),
		RBI_VL_ADD("10.0.0.2", 1, 300, 0),
		RBI_VL_ADD("10.0.0.3", 1, 300, 0),
		RBI_VL_ADD("10.0.0.4", 1, 300, 0),
		RBI_VL_ADD("10.0.0.5", 1, 300, 0),
		RBI_VL_ADD("10.0.0.6", 1, 60, 0),
		RBI_VL_ADD("10.0.0.9", 7, 300, 60),
		RBI_VL_LOOK("10.0.0.1", 60, 1),
		RBI_VL_LOOK("10.0.0.9", 60, 7),
		RBI_VL_STATS(60, 7, 0, 0, 6) } },
	{ "walk-live-entries", 64, {
		RBI_VL_ADD("10.0.0.1", 1, 300, 0),
		RBI_VL_ADD("2001:db8::1", 1, 60, 0),
		RBI_VL_ADD("10.0.0.2", 1, 300, 0),
		RBI_VL_WALK(0, 3),
		RBI_VL_WALK(60, 2),
		RBI_VL_WALK(300, 0) } },
	{ "answer-question-is-service", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_question, 10, 2),
		RBI_VL_LOOK("198.51.100.7", 10, RBI_VEC_SVC_REKOG),
		RBI_VL_LOOK("2001:db8::7", 609, RBI_VEC_SVC_REKOG),
		RBI_VL_LOOK("198.51.100.7", 310, RBI_VEC_NONE) } },
	{ "answer-cname-to-service", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_cname_to, 0, 1),
		RBI_VL_LOOK("198.51.100.8", 0, RBI_VEC_SVC_REKOG) } },
	{ "answer-alias-below-service", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_cname_below, 0, 1),
		RBI_VL_LOOK("203.0.113.9", 0, RBI_VEC_SVC_EMOTION) } },
	{ "answer-names-before-service-own-nothing", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_before, 0, 1),
		RBI_VL_LOOK("192.0.2.1", 0, RBI_VEC_NONE),
		RBI_VL_LOOK("192.0.2.2", 0, RBI_VEC_SVC_REKOG) } },
	{ "answer-no-service", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_none, 0, 0),
		RBI_VL_LOOK("192.0.2.3", 0, RBI_VEC_NONE) } },
	{ "answer-category-not-prohibited", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_allowed, 0, 0),
		RBI_VL_LOOK("192.0.2.4", 0, RBI_VEC_NONE) } },
	{ "answer-ttl-per-address", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_ttls, 0, 2),
		RBI_VL_LOOK("198.51.100.10", RBI_LEARN_TTL_MIN - 1,
			    RBI_VEC_SVC_REKOG),
		RBI_VL_LOOK("198.51.100.10", RBI_LEARN_TTL_MIN, RBI_VEC_NONE),
		RBI_VL_LOOK("198.51.100.11", 7199, RBI_VEC_SVC_REKOG) } },
	{ "answer-infrastructure-never-learned", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_forged, 0, 1),
		RBI_VL_LOOK("198.51.100.9", 0, RBI_VEC_SVC_REKOG),
		RBI_VL_LOOK("100.64.1.5", 0, RBI_VEC_NONE),
		RBI_VL_REFUSED(RBI_LEARN_REF_ZONE, 1),
		RBI_VL_REFUSED(RBI_LEARN_REF_RECORDER, 1),
		RBI_VL_REFUSED(RBI_LEARN_REF_RESOLVER, 2),
		RBI_VL_REFUSED(RBI_LEARN_REF_SPECIAL, 3),
		RBI_VL_WALK(0, 1) } },
	{ "answer-mapped-and-link-local-refused", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_mapped_zone, 0, 1),
		RBI_VL_REFUSED(RBI_LEARN_REF_ZONE, 1),
		RBI_VL_REFUSED(RBI_LEARN_REF_SPECIAL, 1),
		RBI_VL_LOOK("2001:db8::9", 0, RBI_VEC_SVC_REKOG) } },
	{ "service-cap", 8192, {
		RBI_VL_FILL("10.1.0.0", RBI_VEC_SVC_REKOG,
			    RBI_LEARN_SERVICE_MAX, 0),
		RBI_VL_ADD_RC("10.2.0.1", RBI_VEC_SVC_REKOG, -ENOSPC),
		RBI_VL_REFUSED(RBI_LEARN_REF_SERVICE_CAP, 1),
		RBI_VL_ADD("10.2.0.2", RBI_VEC_SVC_EMOTION, 300, 0),
		/* A refresh is never refused. */
		RBI_VL_ADD("10.1.0.5", RBI_VEC_SVC_REKOG, 300, 1),
		/* Once the first ones expire, there is room again. */
		RBI_VL_ADD("10.2.0.3", RBI_VEC_SVC_REKOG, 300, 300),
		RBI_VL_LOOK("10.2.0.3", 300, RBI_VEC_SVC_REKOG),
		RBI_VL_REFUSED(RBI_LEARN_REF_SERVICE_CAP, 1) } },
	{ "table-cap", 64, {
		RBI_VL_FILL("10.1.0.0", RBI_VEC_SVC_REKOG, 48, 0),
		RBI_VL_ADD_RC("10.2.0.1", RBI_VEC_SVC_EMOTION, -ENOSPC),
		RBI_VL_REFUSED(RBI_LEARN_REF_TOTAL_CAP, 1),
		RBI_VL_WALK(0, 48) } },
	{ "cname-only-answer-then-target", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_cut, 0, 0),
		RBI_VL_ANSWER(&rbi_vec_ans_target, 10, 1),
		RBI_VL_LOOK("198.51.100.20", 10, RBI_VEC_SVC_REKOG) } },
	{ "target-alias-expires", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_cut, 0, 0),
		RBI_VL_ANSWER(&rbi_vec_ans_target, 86400, 0) } },
	{ "https-hints", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_https, 0, 2),
		RBI_VL_LOOK("198.51.100.21", 0, RBI_VEC_SVC_REKOG),
		RBI_VL_LOOK("2001:db8::21", 0, RBI_VEC_SVC_REKOG) } },
	{ "https-target-then-its-answer", 64, {
		RBI_VL_ANSWER(&rbi_vec_ans_https_target, 0, 0),
		RBI_VL_ANSWER(&rbi_vec_ans_svc_target, 0, 1),
		RBI_VL_LOOK("198.51.100.22", 0, RBI_VEC_SVC_REKOG) } },
};

#undef RBI_VL_ADD
#undef RBI_VL_ADD_RC
#undef RBI_VL_LOOK
#undef RBI_VL_ANSWER
#undef RBI_VL_STATS
#undef RBI_VL_WALK
#undef RBI_VL_REFUSED
#undef RBI_VL_FILL
#undef RBI_VL_REKOG

static const char *rbi_vec_learn_name(size_t i)
{
	return rbi_vec_learn_cases[i].id;
}

static uint32_t rbi_vec_learn_svc(int svc)
{
	return svc == RBI_VEC_NONE ? RBI_NONE : (uint32_t)svc;
}

/* A NULL or unparsable text gives family 0, which the table refuses. */
static void rbi_vec_learn_ip(const char *s, struct rbi_ip *ip)
{
	rbi_memset(ip, 0, sizeof(*ip));
	if (s && rbi_ip_parse(s, rbi_strlen(s), ip))
		ip->family = 0;
}

static struct rbi_config *rbi_vec_learn_config(void)
{
	static const struct {
		const char *pattern;
		uint32_t service;
		uint32_t categories;
	} pats[] = {
		{ "rekognition.*.amazonaws.com", RBI_VEC_SVC_REKOG,
		  RBI_CAT_BIT(RBI_CAT_RBI) },
		{ "*.emotion.example", RBI_VEC_SVC_EMOTION,
		  RBI_CAT_BIT(RBI_CAT_EMOTION) },
		{ "api.allowed.example", RBI_VEC_SVC_ALLOWED, 0 },
	};
	static const char *const infra[] = {
		"100.64.0.0/24", "100.64.1.5/32", "100.64.2.53/32",
	};
	struct rbi_config_counts n = { 0 };
	struct rbi_prefix p[RBI_ARRAY_SIZE(infra)];
	struct rbi_config *c;
	uint32_t i;

	n.services = RBI_VEC_SVC_COUNT;
	n.patterns = RBI_ARRAY_SIZE(pats);
	n.zones = 1;
	n.recorders = 1;
	for (i = 0; i < RBI_ARRAY_SIZE(infra); i++)
		if (rbi_prefix_parse(infra[i], rbi_strlen(infra[i]), &p[i],
				     NULL))
			return NULL;
	c = rbi_config_alloc(&n);
	if (!c)
		return NULL;
	if (rbi_config_set_zone(c, 0, true) ||
	    rbi_config_add_zone_net(c, 0, &p[0]) ||
	    rbi_config_add_recorder_net(c, 0, &p[1], 554, 554) ||
	    rbi_config_add_resolver_net(c, &p[2])) {
		rbi_config_free(c);
		return NULL;
	}
	for (i = 0; i < RBI_ARRAY_SIZE(pats); i++) {
		if (rbi_config_set_service(c, pats[i].service,
					   pats[i].categories, 0) ||
		    rbi_config_add_pattern(c, pats[i].pattern,
					   rbi_strlen(pats[i].pattern),
					   pats[i].service, i)) {
			rbi_config_free(c);
			return NULL;
		}
	}
	return c;
}

/* A message being built: bytes and the answer count. */
struct rbi_vec_learn_msg {
	uint8_t b[RBI_VEC_LEARN_MSG];
	size_t len;
	unsigned int an;
};

static void rbi_vec_learn_put(struct rbi_vec_learn_msg *m, const void *p,
			      size_t n)
{
	if (m->len + n <= sizeof(m->b))
		rbi_memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void rbi_vec_learn_put16(struct rbi_vec_learn_msg *m, uint16_t v)
{
	uint8_t b[2];

	rbi_put_be16(v, b);
	rbi_vec_learn_put(m, b, 2);
}

static void rbi_vec_learn_put_name(struct rbi_vec_learn_msg *m,
				   const char *s)
{
	const char *dot;
	uint8_t n;

	while (*s) {
		dot = s;
		while (*dot && *dot != '.')
			dot++;
		n = (uint8_t)(dot - s);
		rbi_vec_learn_put(m, &n, 1);
		rbi_vec_learn_put(m, s, n);
		s = *dot ? dot + 1 : dot;
	}
	n = 0;
	rbi_vec_learn_put(m, &n, 1);
}

/* A record's head: owner, type, class IN, TTL; RDLENGTH is rdlen. */
static void rbi_vec_learn_rr(struct rbi_vec_learn_msg *m, const char *owner,
			     uint16_t type, uint32_t ttl, uint16_t rdlen)
{
	uint8_t b[4];

	rbi_vec_learn_put_name(m, owner);
	rbi_vec_learn_put16(m, type);
	rbi_vec_learn_put16(m, RBI_DNS_CLASS_IN);
	rbi_put_be32(ttl, b);
	rbi_vec_learn_put(m, b, 4);
	rbi_vec_learn_put16(m, rdlen);
	m->an++;
}

static uint16_t rbi_vec_learn_name_len(const char *s)
{
	return (uint16_t)(*s ? rbi_strlen(s) + 2 : 1);
}

static void rbi_vec_learn_https(struct rbi_vec_learn_msg *m,
				const struct rbi_vec_learn_answer *a,
				const char *owner)
{
	uint16_t len = 2 + rbi_vec_learn_name_len(a->https_target);
	struct rbi_ip ip[2];
	unsigned int i;

	for (i = 0; i < 2 && a->hints[i]; i++) {
		rbi_vec_learn_ip(a->hints[i], &ip[i]);
		len += 4 + (ip[i].family == RBI_IP_V4 ? 4 : 16);
	}
	rbi_vec_learn_rr(m, owner, RBI_DNS_TYPE_HTTPS, 300, len);
	rbi_vec_learn_put16(m, 1);
	rbi_vec_learn_put_name(m, a->https_target);
	for (i = 0; i < 2 && a->hints[i]; i++) {
		len = ip[i].family == RBI_IP_V4 ? 4 : 16;
		rbi_vec_learn_put16(m, len == 4 ? RBI_DNS_SVC_IPV4HINT :
				    RBI_DNS_SVC_IPV6HINT);
		rbi_vec_learn_put16(m, len);
		rbi_vec_learn_put(m, ip[i].a, len);
	}
}

/* The answer as a DNS message. */
static void rbi_vec_learn_build(const struct rbi_vec_learn_answer *a,
				struct rbi_vec_learn_msg *m)
{
	static const uint8_t hdr[RBI_DNS_HDR_LEN] = {
		0xbe, 0xef, 0x81, 0x80, 0, 1,
	};
	const struct rbi_vec_learn_addr *v;
	unsigned int i, n = 0;
	struct rbi_ip ip;

	m->len = 0;
	m->an = 0;
	rbi_vec_learn_put(m, hdr, sizeof(hdr));
	rbi_vec_learn_put_name(m, a->names[0]);
	rbi_vec_learn_put16(m, RBI_DNS_TYPE_A);
	rbi_vec_learn_put16(m, RBI_DNS_CLASS_IN);
	while (n < RBI_VEC_LEARN_NAMES && a->names[n])
		n++;
	for (i = 1; i < n; i++) {
		rbi_vec_learn_rr(m, a->names[i - 1], RBI_DNS_TYPE_CNAME,
				 RBI_LEARN_TTL_MAX,
				 rbi_vec_learn_name_len(a->names[i]));
		rbi_vec_learn_put_name(m, a->names[i]);
	}
	for (i = 0; i < RBI_VEC_LEARN_ADDRS && a->addrs[i].ip; i++) {
		v = &a->addrs[i];
		rbi_vec_learn_ip(v->ip, &ip);
		rbi_vec_learn_rr(m, a->names[v->name], ip.family == RBI_IP_V4 ?
				 RBI_DNS_TYPE_A : RBI_DNS_TYPE_AAAA, v->ttl,
				 ip.family == RBI_IP_V4 ? 4 : 16);
		rbi_vec_learn_put(m, ip.a, ip.family == RBI_IP_V4 ? 4 : 16);
	}
	if (a->https_target)
		rbi_vec_learn_https(m, a, a->names[n - 1]);
	rbi_put_be16((uint16_t)m->an, m->b + 6);
}

static unsigned int rbi_vec_learn_walk(const struct rbi_learn *t, uint64_t now)
{
	struct rbi_learn_entry e;
	unsigned int n = 0;
	uint32_t pos = 0;

	while (rbi_learn_next(t, &pos, now, &e))
		n++;
	return n;
}

struct rbi_vec_learn_env {
	struct rbi_learn *t;
	struct rbi_config *c;
	/* Too large for a kernel stack, as the callers' are. */
	struct rbi_dns_answer_set *set;
	struct rbi_dns_msg *dm;
	struct rbi_vec_learn_msg *msg;
};

/* Learns from an answer; -1 when its message does not read back. */
static long rbi_vec_learn_answer(const struct rbi_vec_learn_env *env,
				 const struct rbi_vec_learn_answer *a,
				 uint64_t now)
{
	struct rbi_ip from;

	rbi_vec_learn_build(a, env->msg);
	if (env->msg->len > sizeof(env->msg->b) ||
	    rbi_dns_parse(env->msg->b, env->msg->len, env->dm) !=
	    RBI_PARSE_OK ||
	    rbi_dns_collect(env->dm, env->set) != RBI_PARSE_OK)
		return -1;
	rbi_vec_learn_ip(a->from, &from);
	return rbi_learn_answer(env->t, env->c, env->set,
				a->from ? &from : NULL, now, NULL, NULL);
}

/* n adds from ip up, one address each; how many succeeded. */
static long rbi_vec_learn_fill(const struct rbi_vec_learn_env *env,
			       const struct rbi_vec_learn_step *s)
{
	struct rbi_ip ip;
	long n = 0;
	int i;

	rbi_vec_learn_ip(s->ip, &ip);
	for (i = 0; i < s->rc; i++) {
		rbi_put_be32(rbi_get_be32(ip.a) + 1, ip.a);
		n += !rbi_learn_add(env->t, &ip, rbi_vec_learn_svc(s->svc),
				    s->ttl, s->now, NULL);
	}
	return n;
}

static int rbi_vec_learn_stats(const struct rbi_vec_learn_env *env,
			       const struct rbi_vec_learn_step *s,
			       char *why, size_t why_len)
{
	struct rbi_learn_stats st;

	rbi_learn_get_stats(env->t, s->now, &st);
	if (st.added == s->stats[0] && st.refreshed == s->stats[1] &&
	    st.evicted == s->stats[2] && st.live == s->stats[3])
		return 0;
	rbi_snprintf(why, why_len, "stats added %u refreshed %u evicted %u "
		     "live %u, want %u %u %u %u", (unsigned int)st.added,
		     (unsigned int)st.refreshed, (unsigned int)st.evicted,
		     st.live, s->stats[0], s->stats[1], s->stats[2],
		     s->stats[3]);
	return -1;
}

/* The value a step yields, to compare with what it wants. */
static long rbi_vec_learn_run(const struct rbi_vec_learn_env *env,
			      const struct rbi_vec_learn_step *s)
{
	struct rbi_learn_stats st;
	struct rbi_ip ip;
	uint32_t svc;

	rbi_vec_learn_ip(s->ip, &ip);
	switch (s->op) {
	case RBI_VEC_LEARN_ADD:
		return rbi_learn_add(env->t, &ip, rbi_vec_learn_svc(s->svc),
				     s->ttl, s->now, NULL);
	case RBI_VEC_LEARN_FILL:
		return rbi_vec_learn_fill(env, s);
	case RBI_VEC_LEARN_REFUSED:
		rbi_learn_get_stats(env->t, 0, &st);
		return (long)st.refused[s->svc];
	case RBI_VEC_LEARN_LOOK:
		svc = rbi_learn_lookup(env->t, &ip, s->now);
		/* A slot exactly where the lookup finds a service. */
		if ((rbi_learn_slot(env->t, &ip, s->now) == RBI_NONE) !=
		    (svc == RBI_NONE))
			return -2;
		return (long)svc;
	case RBI_VEC_LEARN_ANSWER:
		return rbi_vec_learn_answer(env, s->answer, s->now);
	default:
		return rbi_vec_learn_walk(env->t, s->now);
	}
}

static int rbi_vec_learn_steps(const struct rbi_vec_learn_case *tc,
			       const struct rbi_vec_learn_env *env,
			       char *why, size_t why_len)
{
	const struct rbi_vec_learn_step *s;
	long got, want;
	unsigned int i;

	for (i = 0; i < RBI_VEC_LEARN_STEPS; i++) {
		s = &tc->steps[i];
		if (s->op == RBI_VEC_LEARN_END)
			break;
		if (s->op == RBI_VEC_LEARN_STATS) {
			if (rbi_vec_learn_stats(env, s, why, why_len))
				return -1;
			continue;
		}
		got = rbi_vec_learn_run(env, s);
		want = s->op == RBI_VEC_LEARN_LOOK ?
		       (long)rbi_vec_learn_svc(s->svc) : s->rc;
		if (got != want) {
			rbi_snprintf(why, why_len, "step %u (%s): got %ld, "
				     "want %ld", i, s->ip ? s->ip : "-", got,
				     want);
			return -1;
		}
	}
	return 0;
}

static int rbi_vec_learn_check(size_t i, char *why, size_t why_len)
{
	const struct rbi_vec_learn_case *tc = &rbi_vec_learn_cases[i];
	struct rbi_vec_learn_env env;
	int rc = -1;

	env.t = rbi_learn_alloc(tc->capacity, 0);
	env.c = rbi_vec_learn_config();
	env.set = rbi_zalloc(sizeof(*env.set));
	env.dm = rbi_zalloc(sizeof(*env.dm));
	env.msg = rbi_zalloc(sizeof(*env.msg));
	if (env.t && env.c && env.set && env.dm && env.msg)
		rc = rbi_vec_learn_steps(tc, &env, why, why_len);
	else
		rbi_snprintf(why, why_len, "out of memory");
	rbi_free(env.msg);
	rbi_free(env.dm);
	rbi_free(env.set);
	rbi_config_free(env.c);
	rbi_learn_free(env.t);
	return rc;
}

const struct rbi_vec_group rbi_vec_learn = {
	.name = "learn",
	.count = RBI_ARRAY_SIZE(rbi_vec_learn_cases),
	.case_name = rbi_vec_learn_name,
	.check = rbi_vec_learn_check,
};
