/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The verdict: given what is known of a flow (addresses, ports, the name a
 * dissector found), decide block or allow and say which rule and why. The
 * kernel module, `rbictl policy explain` and `rbictl scan` all call
 * rbi_classify() on a configuration built through the same functions, so
 * what an auditor's scan reports is what the gateway enforces.
 */
#ifndef RBI_VERDICT_H
#define RBI_VERDICT_H

#include "rbi_compat.h"
#include "rbi_addr.h"
#include "rbi_name.h"

enum rbi_category {
	RBI_CAT_RBI,
	RBI_CAT_CATEGORISATION,
	RBI_CAT_EMOTION,
	__RBI_CAT_MAX
};

#define RBI_CAT_BIT(c)	(1u << (c))
#define RBI_CAT_ALL	(RBI_CAT_BIT(__RBI_CAT_MAX) - 1)

enum rbi_app {
	RBI_APP_NONE,
	RBI_APP_TLS,
	RBI_APP_HTTP,
	RBI_APP_DNS,
	RBI_APP_RTSP,
	RBI_APP_QUIC,
	__RBI_APP_MAX
};

/* What the policy's `enforce` settings may say. */
enum rbi_mode {
	RBI_MODE_BLOCK,
	RBI_MODE_LOG,
	RBI_MODE_ALLOW,
	__RBI_MODE_MAX
};

enum rbi_enforce_setting {
	RBI_ENF_SHARED_HOSTS,
	RBI_ENF_ECH,
	RBI_ENF_QUIC,
	RBI_ENF_DOH,
	RBI_ENF_ANALYTICS,
	__RBI_ENF_MAX
};

/* Rules a flow can be blocked by; each carries a basis in the policy. */
enum rbi_rule {
	RBI_RULE_NONE,
	RBI_RULE_PROHIBIT_RBI,
	RBI_RULE_PROHIBIT_CATEGORISATION,
	RBI_RULE_PROHIBIT_EMOTION,
	RBI_RULE_QUIC,
	RBI_RULE_ECH,
	RBI_RULE_DOH,
	RBI_RULE_RTSP_PULL,
	RBI_RULE_ANALYTICS,
	RBI_RULE_FAIL_CLOSED,
	__RBI_RULE_MAX
};

/* Why a decision came out as it did; rbictl turns these into sentences. */
enum rbi_reason {
	RBI_WHY_NO_ZONE,		/* neither end is in a zone */
	RBI_WHY_NOT_PUBLIC,		/* the camera's zone is not public */
	RBI_WHY_NO_MATCH,		/* public zone, nothing prohibited */
	RBI_WHY_RECORDER,		/* the peer is an approved recorder */
	RBI_WHY_NAME,			/* the name matches a service pattern */
	RBI_WHY_LEARNED,		/* address learned from a DNS answer */
	RBI_WHY_NETWORK,		/* destination in a service network */
	RBI_WHY_SOURCE_NETWORK,		/* a service host opened the flow */
	RBI_WHY_CATEGORY_ALLOWED,	/* service not in prohibited categories */
	RBI_WHY_SHARED_LOG,		/* shared host, shared-hosts: log */
	RBI_WHY_DOH,
	RBI_WHY_QUIC,
	RBI_WHY_ECH,
	RBI_WHY_RTSP_PULL,
	RBI_WHY_ANALYTICS,
	RBI_WHY_FAIL_CLOSED,		/* not decided positively: see fail */
	__RBI_WHY_MAX
};

/*
 * Why a flow in a publicly accessible zone was decided fail-closed: its
 * payload passes only once it has been positively decided, and every other
 * outcome is one of these (rbi_decide_fail()). Events, counters and audit
 * records name them by rbi_fail_name().
 */
enum rbi_fail {
	RBI_FAIL_NONE,
	RBI_FAIL_TABLE_FULL,		/* no room to hold the flow's state */
	RBI_FAIL_MEMORY,		/* reassembly budget or memory spent */
	RBI_FAIL_EXPIRED,		/* undecided for too long */
	RBI_FAIL_UNLOADED,		/* configuration gone while undecided */
	RBI_FAIL_MIDSTREAM,		/* the flow was not seen to open */
	RBI_FAIL_SYN_DATA,		/* data in a SYN */
	RBI_FAIL_URGENT,		/* urgent data, which servers strip */
	RBI_FAIL_REWRITE,		/* a resent byte differs from the first */
	RBI_FAIL_TLS,			/* ClientHello malformed or ambiguous */
	RBI_FAIL_TOO_BIG,		/* past the bound the module reads */
	RBI_FAIL_AMBIGUOUS,		/* two names, or two framings */
	RBI_FAIL_REQUEST,		/* HTTP or RTSP request malformed */
	RBI_FAIL_NOT_REQUEST,		/* a request's successor is none */
	RBI_FAIL_UNINSPECTABLE,		/* requests the module cannot read */
	RBI_FAIL_SERVER_FIRST,		/* the server spoke at length first */
	RBI_FAIL_DNS,			/* port 53 bytes that stopped being DNS */
	RBI_FAIL_QUERIES_FULL,		/* no room to remember a DNS query */
	__RBI_FAIL_MAX
};

enum rbi_verdict {
	RBI_ALLOW,
	RBI_BLOCK,
	__RBI_VERDICT_MAX
};

enum rbi_service_flags {
	RBI_SVC_SHARED = 1 << 0,	/* the host serves other APIs too */
	RBI_SVC_UNCONFIRMED = 1 << 1,	/* not in official documentation */
};

/* Name-table values at or above this are DoH resolvers, not services. */
#define RBI_DOH_VALUE	0x80000000u
#define RBI_NONE	0xffffffffu

enum {
	RBI_PORT_DNS = 53,
	RBI_PORT_DOT = 853,	/* DNS over TLS, and over QUIC */
	RBI_PORT_RTSP = 554,
	RBI_PORT_RTSPS = 322,
	RBI_PORT_HTTPS = 443,
	RBI_L4_TCP = 6,
	RBI_L4_UDP = 17,
};

/*
 * A longest-prefix table whose entries hold for TCP, for UDP or for both
 * (l4 0). An entry for both is in each protocol's table, so that a lookup
 * is one walk under the usual rule: longest prefix, then the narrowest
 * port range, then the entry added first. A flow of any other protocol has
 * no ports: it looks up port 0, which only entries for both protocols and
 * every port cover, since a protocol's own ranges must start at port 1.
 */
struct rbi_l4_table;

struct rbi_l4_table *rbi_l4_table_alloc(void);
void rbi_l4_table_free(struct rbi_l4_table *t);
/*
 * As rbi_addr_table_add, for protocol l4 (0: both). -EINVAL as well for a
 * protocol other than TCP or UDP, or a protocol's range that starts at 0.
 * After a failure the entry may be in one protocol's table: callers give
 * up on the whole table.
 */
int rbi_l4_table_add(struct rbi_l4_table *t, const struct rbi_prefix *p,
		     uint16_t port_lo, uint16_t port_hi, uint8_t l4,
		     uint32_t value);
bool rbi_l4_table_lookup(const struct rbi_l4_table *t, const struct rbi_ip *ip,
			 uint16_t port, uint8_t l4, uint32_t *value);

/* Sizes fixed up front, so that building never needs to reallocate. */
struct rbi_config_counts {
	uint32_t zones;
	uint32_t recorders;
	uint32_t services;
	uint32_t doh;
	uint32_t patterns;	/* name patterns of services and resolvers */
	uint32_t nets;		/* service networks */
};

struct rbi_config;

struct rbi_config *rbi_config_alloc(const struct rbi_config_counts *n);
void rbi_config_free(struct rbi_config *c);
const struct rbi_config_counts *rbi_config_counts(const struct rbi_config *c);

/* Every add returns 0 or a negative errno (-EINVAL, -ENOMEM, -ERANGE). */
int rbi_config_set_zone(struct rbi_config *c, uint32_t zone, bool public);
int rbi_config_add_zone_net(struct rbi_config *c, uint32_t zone,
			    const struct rbi_prefix *p);
int rbi_config_add_recorder_net(struct rbi_config *c, uint32_t recorder,
				const struct rbi_prefix *p, uint16_t port_lo,
				uint16_t port_hi);
int rbi_config_set_service(struct rbi_config *c, uint32_t service,
			   uint32_t categories, uint32_t flags);
/*
 * Pattern pattern_id (< counts.patterns) names service value, or DoH
 * resolver (value & ~RBI_DOH_VALUE) when value has RBI_DOH_VALUE set.
 */
int rbi_config_add_pattern(struct rbi_config *c, const char *pattern,
			   size_t len, uint32_t value, uint32_t pattern_id);
/* l4: RBI_L4_TCP, RBI_L4_UDP, or 0 for both. */
int rbi_config_add_service_net(struct rbi_config *c, uint32_t service,
			       const struct rbi_prefix *p, uint16_t port_lo,
			       uint16_t port_hi, uint8_t l4, uint32_t net_id);
int rbi_config_add_doh_net(struct rbi_config *c, uint32_t doh,
			   const struct rbi_prefix *p);
/*
 * A network of the policy's own DNS resolvers. Once it names any, DNS
 * from public zones to other servers is treated as DNS-over-HTTPS is.
 */
int rbi_config_add_resolver_net(struct rbi_config *c,
				const struct rbi_prefix *p);

/* What an address is to the policy's own infrastructure. */
enum rbi_infra {
	RBI_INFRA_NONE,
	RBI_INFRA_ZONE,		/* a camera network */
	RBI_INFRA_RECORDER,
	RBI_INFRA_RESOLVER,	/* a DNS resolver, the policy's or a DoH one */
	__RBI_INFRA_MAX
};

/* Zones, recorders (any port) and resolvers, which are no service. */
enum rbi_infra rbi_config_infra(const struct rbi_config *c,
				const struct rbi_ip *ip);
void rbi_config_set_prohibited(struct rbi_config *c, uint32_t categories);
void rbi_config_set_mode(struct rbi_config *c, enum rbi_enforce_setting what,
			 enum rbi_mode mode);

struct rbi_flow {
	struct rbi_ip src;	/* the initiator */
	struct rbi_ip dst;
	uint16_t sport;
	uint16_t dport;
	uint8_t l4;		/* RBI_L4_TCP or RBI_L4_UDP */
	uint8_t app;		/* enum rbi_app */
	bool ech;		/* ClientHello carried ECH or ESNI */
	const char *name;	/* SNI, Host, query name or RTSP host */
	size_t name_len;	/* 0: no name seen */
	/* Service index of dst as learned from DNS, or RBI_NONE. */
	uint32_t learned;
	/* Camera-analytics markers found (non-zero: face analytics). */
	uint32_t markers;
};

struct rbi_decision {
	uint8_t verdict;	/* enum rbi_verdict */
	uint8_t rule;		/* enum rbi_rule */
	uint8_t reason;		/* enum rbi_reason */
	uint8_t category;	/* enum rbi_category, valid with a service */
	bool log;		/* allowed, but record it */
	bool ingress;		/* the camera is the responder */
	uint32_t zone;		/* the camera's zone, or RBI_NONE */
	uint32_t service;	/* or RBI_NONE */
	uint32_t recorder;	/* or RBI_NONE */
	uint32_t doh;		/* or RBI_NONE */
	uint32_t pattern_id;	/* the name pattern that matched, or RBI_NONE */
	uint32_t net_id;	/* the service network that matched, or RBI_NONE */
	uint8_t fail;		/* enum rbi_fail, with RBI_WHY_FAIL_CLOSED */
};

void rbi_classify(const struct rbi_config *c, const struct rbi_flow *f,
		  struct rbi_decision *d);

/*
 * enforce.on-failure: closed (the default) or open. Open keeps a flow the
 * module cannot decide allowed, recorded (log) rather than blocked.
 */
void rbi_config_set_fail_open(struct rbi_config *c, bool open);
bool rbi_config_fails_open(const struct rbi_config *c);

/*
 * The decision for a flow that could not be decided positively, for why:
 * what rbi_classify() says when that is a block (a prohibited service
 * named before the failure stays the reason) or when neither end is in a
 * publicly accessible zone, else rule fail-closed with
 * reason RBI_WHY_FAIL_CLOSED, blocked, or allowed and logged when the
 * configuration fails open.
 */
void rbi_decide_fail(const struct rbi_config *c, const struct rbi_flow *f,
		     enum rbi_fail why, struct rbi_decision *d);
/*
 * The same, blocked under on-failure: open too: for what must never pass
 * whatever a policy says of outages (a DNS answer the engine can't read
 * whole: the camera's resolver would read addresses no block knows).
 */
void rbi_decide_fail_always(const struct rbi_config *c,
			    const struct rbi_flow *f, enum rbi_fail why,
			    struct rbi_decision *d);

/* Whether ip is in a publicly accessible zone. */
bool rbi_config_ip_public(const struct rbi_config *c, const struct rbi_ip *ip);

/*
 * The service of a DNS name, as DNS learning needs it: RBI_NONE when the
 * name is no prohibited service's. pattern_id may be NULL.
 */
uint32_t rbi_config_name_service(const struct rbi_config *c, const char *name,
				 size_t len, uint32_t *pattern_id);

const char *rbi_category_name(enum rbi_category cat);
const char *rbi_app_name(enum rbi_app app);
const char *rbi_mode_name(enum rbi_mode mode);
const char *rbi_rule_id(enum rbi_rule rule);
const char *rbi_verdict_name(enum rbi_verdict v);
/* "flow-table-full", ...; NULL for RBI_FAIL_NONE and outside the enum. */
const char *rbi_fail_name(enum rbi_fail why);

#endif
