// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_verdict.h"

struct rbi_config_service {
	uint8_t categories;
	uint8_t flags;
};

struct rbi_config {
	struct rbi_config_counts n;
	struct rbi_addr_table *zones;		/* value: zone */
	struct rbi_addr_table *recorders;	/* value: recorder */
	/* value: net_id; with the service's ports, for flows it opens */
	struct rbi_l4_table *service_nets;
	/* value: net_id; any port, for flows a service host opens */
	struct rbi_addr_table *service_hosts;
	struct rbi_addr_table *doh_nets;	/* value: resolver */
	/* The policy's DNS resolvers, when it names them; value 0. */
	struct rbi_addr_table *resolvers;
	/* value: enum rbi_infra; zones, recorders and resolvers, any port */
	struct rbi_addr_table *infra;
	struct rbi_name_table *names;		/* value: pattern_id */
	uint8_t *zone_public;
	struct rbi_config_service *services;
	uint32_t *pattern_value;		/* pattern_id -> service | DoH */
	uint32_t *net_service;			/* net_id -> service */
	uint32_t prohibited;
	uint8_t mode[__RBI_ENF_MAX];
	bool fail_open;
};

struct rbi_l4_table {
	struct rbi_addr_table *t[2];	/* TCP, UDP */
};

struct rbi_l4_table *rbi_l4_table_alloc(void)
{
	struct rbi_l4_table *t = rbi_zalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->t[0] = rbi_addr_table_alloc();
	t->t[1] = rbi_addr_table_alloc();
	if (!t->t[0] || !t->t[1]) {
		rbi_l4_table_free(t);
		return NULL;
	}
	return t;
}

void rbi_l4_table_free(struct rbi_l4_table *t)
{
	if (!t)
		return;
	rbi_addr_table_free(t->t[0]);
	rbi_addr_table_free(t->t[1]);
	rbi_free(t);
}

int rbi_l4_table_add(struct rbi_l4_table *t, const struct rbi_prefix *p,
		     uint16_t port_lo, uint16_t port_hi, uint8_t l4,
		     uint32_t value)
{
	int err = 0;

	if (l4 && ((l4 != RBI_L4_TCP && l4 != RBI_L4_UDP) || !port_lo))
		return -EINVAL;
	if (l4 != RBI_L4_UDP)
		err = rbi_addr_table_add(t->t[0], p, port_lo, port_hi, value);
	if (!err && l4 != RBI_L4_TCP)
		err = rbi_addr_table_add(t->t[1], p, port_lo, port_hi, value);
	return err;
}

bool rbi_l4_table_lookup(const struct rbi_l4_table *t, const struct rbi_ip *ip,
			 uint16_t port, uint8_t l4, uint32_t *value)
{
	if (l4 != RBI_L4_TCP && l4 != RBI_L4_UDP)
		port = 0;
	return rbi_addr_table_lookup(t->t[l4 == RBI_L4_UDP], ip, port, value,
				     NULL);
}

static void *rbi_config_array(uint32_t n, size_t size)
{
	/* Always allocated, so that lookups never test for NULL arrays. */
	return rbi_zalloc((size_t)(n ? n : 1) * size);
}

struct rbi_config *rbi_config_alloc(const struct rbi_config_counts *n)
{
	struct rbi_config *c = rbi_zalloc(sizeof(*c));
	uint32_t i;

	if (!c)
		return NULL;
	c->n = *n;
	c->zones = rbi_addr_table_alloc();
	c->recorders = rbi_addr_table_alloc();
	c->service_nets = rbi_l4_table_alloc();
	c->service_hosts = rbi_addr_table_alloc();
	c->doh_nets = rbi_addr_table_alloc();
	c->resolvers = rbi_addr_table_alloc();
	c->infra = rbi_addr_table_alloc();
	c->names = rbi_name_table_alloc();
	c->zone_public = rbi_config_array(n->zones, sizeof(*c->zone_public));
	c->services = rbi_config_array(n->services, sizeof(*c->services));
	c->pattern_value = rbi_config_array(n->patterns,
					    sizeof(*c->pattern_value));
	c->net_service = rbi_config_array(n->nets, sizeof(*c->net_service));
	if (!c->zones || !c->recorders || !c->service_nets ||
	    !c->service_hosts || !c->doh_nets || !c->resolvers ||
	    !c->infra || !c->names ||
	    !c->zone_public || !c->services || !c->pattern_value ||
	    !c->net_service) {
		rbi_config_free(c);
		return NULL;
	}
	for (i = 0; i < n->patterns; i++)
		c->pattern_value[i] = RBI_NONE;
	for (i = 0; i < n->nets; i++)
		c->net_service[i] = RBI_NONE;
	c->prohibited = RBI_CAT_ALL;
	return c;
}

void rbi_config_free(struct rbi_config *c)
{
	if (!c)
		return;
	rbi_addr_table_free(c->zones);
	rbi_addr_table_free(c->recorders);
	rbi_l4_table_free(c->service_nets);
	rbi_addr_table_free(c->service_hosts);
	rbi_addr_table_free(c->doh_nets);
	rbi_addr_table_free(c->resolvers);
	rbi_addr_table_free(c->infra);
	rbi_name_table_free(c->names);
	rbi_free(c->zone_public);
	rbi_free(c->services);
	rbi_free(c->pattern_value);
	rbi_free(c->net_service);
	rbi_free(c);
}

const struct rbi_config_counts *rbi_config_counts(const struct rbi_config *c)
{
	return &c->n;
}

int rbi_config_set_zone(struct rbi_config *c, uint32_t zone, bool public)
{
	if (zone >= c->n.zones)
		return -ERANGE;
	c->zone_public[zone] = public;
	return 0;
}

/*
 * Adds p to the infrastructure (any port) once the table that holds it
 * took it. A prefix already there keeps the role it was given first.
 */
static int rbi_config_infra_add(struct rbi_config *c, int err,
				const struct rbi_prefix *p,
				enum rbi_infra role)
{
	if (err)
		return err;
	err = rbi_addr_table_add(c->infra, p, 0, 0xffff, role);
	return err == -EEXIST ? 0 : err;
}

int rbi_config_add_zone_net(struct rbi_config *c, uint32_t zone,
			    const struct rbi_prefix *p)
{
	if (zone >= c->n.zones)
		return -ERANGE;
	return rbi_config_infra_add(c, rbi_addr_table_add(c->zones, p, 0,
							  0xffff, zone),
				    p, RBI_INFRA_ZONE);
}

int rbi_config_add_recorder_net(struct rbi_config *c, uint32_t recorder,
				const struct rbi_prefix *p, uint16_t port_lo,
				uint16_t port_hi)
{
	if (recorder >= c->n.recorders)
		return -ERANGE;
	if (port_lo > port_hi)
		return -EINVAL;
	return rbi_config_infra_add(c, rbi_addr_table_add(c->recorders, p,
							  port_lo, port_hi,
							  recorder),
				    p, RBI_INFRA_RECORDER);
}

int rbi_config_set_service(struct rbi_config *c, uint32_t service,
			   uint32_t categories, uint32_t flags)
{
	if (service >= c->n.services)
		return -ERANGE;
	if (categories & ~RBI_CAT_ALL)
		return -EINVAL;
	c->services[service].categories = (uint8_t)categories;
	c->services[service].flags = (uint8_t)flags;
	return 0;
}

int rbi_config_add_pattern(struct rbi_config *c, const char *pattern,
			   size_t len, uint32_t value, uint32_t pattern_id)
{
	int err;

	if (pattern_id >= c->n.patterns)
		return -ERANGE;
	if (value & RBI_DOH_VALUE ? (value & ~RBI_DOH_VALUE) >= c->n.doh :
	    value >= c->n.services)
		return -ERANGE;
	err = rbi_name_table_add(c->names, pattern, len, pattern_id);
	if (err)
		return err;
	c->pattern_value[pattern_id] = value;
	return 0;
}

int rbi_config_add_service_net(struct rbi_config *c, uint32_t service,
			       const struct rbi_prefix *p, uint16_t port_lo,
			       uint16_t port_hi, uint8_t l4, uint32_t net_id)
{
	bool first;
	int err;

	if (service >= c->n.services || net_id >= c->n.nets)
		return -ERANGE;
	if (port_lo > port_hi)
		return -EINVAL;
	/* A network with several port ranges comes once per range. */
	first = c->net_service[net_id] == RBI_NONE;
	err = rbi_l4_table_add(c->service_nets, p, port_lo, port_hi, l4,
			       net_id);
	/*
	 * A /0 network is a port signature (an on-premises product that could
	 * be anywhere), not a set of service hosts: flows that hosts open
	 * must not all count as opened by the service. When two services
	 * list the same hosts, the first one listed names them.
	 */
	if (!err && p->len && first) {
		err = rbi_addr_table_add(c->service_hosts, p, 0, 0xffff,
					 net_id);
		if (err == -EEXIST)
			err = 0;
	}
	if (err)
		return err;
	c->net_service[net_id] = service;
	return 0;
}

int rbi_config_add_doh_net(struct rbi_config *c, uint32_t doh,
			   const struct rbi_prefix *p)
{
	if (doh >= c->n.doh)
		return -ERANGE;
	return rbi_config_infra_add(c, rbi_addr_table_add(c->doh_nets, p, 0,
							  0xffff, doh),
				    p, RBI_INFRA_RESOLVER);
}

int rbi_config_add_resolver_net(struct rbi_config *c,
				const struct rbi_prefix *p)
{
	int err = rbi_addr_table_add(c->resolvers, p, 0, 0xffff, 0);

	return rbi_config_infra_add(c, err == -EEXIST ? 0 : err, p,
				    RBI_INFRA_RESOLVER);
}

enum rbi_infra rbi_config_infra(const struct rbi_config *c,
				const struct rbi_ip *ip)
{
	uint32_t role;

	if (!rbi_addr_table_lookup(c->infra, ip, 0, &role, NULL))
		return RBI_INFRA_NONE;
	return (enum rbi_infra)role;
}

void rbi_config_set_prohibited(struct rbi_config *c, uint32_t categories)
{
	c->prohibited = categories & RBI_CAT_ALL;
}

void rbi_config_set_mode(struct rbi_config *c, enum rbi_enforce_setting what,
			 enum rbi_mode mode)
{
	if ((unsigned int)what < __RBI_ENF_MAX &&
	    (unsigned int)mode < __RBI_MODE_MAX)
		c->mode[what] = (uint8_t)mode;
}

void rbi_config_set_fail_open(struct rbi_config *c, bool open)
{
	c->fail_open = open;
}

bool rbi_config_fails_open(const struct rbi_config *c)
{
	return c->fail_open;
}

static uint32_t rbi_lookup(const struct rbi_addr_table *t,
			   const struct rbi_ip *ip, uint16_t port)
{
	uint32_t value;
	uint8_t plen;

	return rbi_addr_table_lookup(t, ip, port, &value, &plen) ?
	       value : RBI_NONE;
}

static uint32_t rbi_name_value(const struct rbi_config *c, const char *name,
			       size_t len, uint32_t *pattern_id)
{
	uint32_t id;

	if (!len || !rbi_name_table_lookup(c->names, name, len, &id) ||
	    id >= c->n.patterns)
		return RBI_NONE;
	*pattern_id = id;
	return c->pattern_value[id];
}

uint32_t rbi_config_name_service(const struct rbi_config *c, const char *name,
				 size_t len, uint32_t *pattern_id)
{
	uint32_t id = RBI_NONE, v = rbi_name_value(c, name, len, &id);

	if (v == RBI_NONE || v & RBI_DOH_VALUE ||
	    !(c->services[v].categories & c->prohibited))
		return RBI_NONE;
	if (pattern_id)
		*pattern_id = id;
	return v;
}

static void rbi_decision_set(struct rbi_decision *d,
			     enum rbi_verdict verdict, enum rbi_rule rule,
			     enum rbi_reason reason)
{
	d->verdict = (uint8_t)verdict;
	d->rule = (uint8_t)rule;
	d->reason = (uint8_t)reason;
}

/* Applies an enforce setting: block, or allow and maybe log. */
static bool rbi_by_setting(const struct rbi_config *c, struct rbi_decision *d,
			   enum rbi_enforce_setting what, enum rbi_rule rule,
			   enum rbi_reason reason)
{
	switch (c->mode[what]) {
	case RBI_MODE_BLOCK:
		rbi_decision_set(d, RBI_BLOCK, rule, reason);
		return true;
	case RBI_MODE_LOG:
		rbi_decision_set(d, RBI_ALLOW, rule, reason);
		d->log = true;
		return true;
	default:
		return false;
	}
}

/*
 * A flow that involves service s: blocked when s offers a prohibited
 * category, unless s is a shared host and the policy only logs those.
 */
static bool rbi_service_hit(const struct rbi_config *c, struct rbi_decision *d,
			    uint32_t s, enum rbi_reason reason)
{
	static const uint8_t rule_of[__RBI_CAT_MAX] = {
		[RBI_CAT_RBI] = RBI_RULE_PROHIBIT_RBI,
		[RBI_CAT_CATEGORISATION] = RBI_RULE_PROHIBIT_CATEGORISATION,
		[RBI_CAT_EMOTION] = RBI_RULE_PROHIBIT_EMOTION,
	};
	uint32_t hit;
	unsigned int cat;

	if (s >= c->n.services)
		return false;
	d->service = s;
	hit = c->services[s].categories & c->prohibited;
	if (!hit) {
		d->category = (uint8_t)__RBI_CAT_MAX;
		rbi_decision_set(d, RBI_ALLOW, RBI_RULE_NONE,
			   RBI_WHY_CATEGORY_ALLOWED);
		return true;
	}
	/* Report the gravest prohibited category the service offers. */
	for (cat = 0; !(hit & RBI_CAT_BIT(cat)); cat++)
		;
	d->category = (uint8_t)cat;
	rbi_decision_set(d, RBI_BLOCK, rule_of[cat], reason);
	if (c->services[s].flags & RBI_SVC_SHARED &&
	    c->mode[RBI_ENF_SHARED_HOSTS] != RBI_MODE_BLOCK) {
		d->verdict = RBI_ALLOW;
		d->reason = RBI_WHY_SHARED_LOG;
		d->log = c->mode[RBI_ENF_SHARED_HOSTS] == RBI_MODE_LOG;
	}
	return true;
}

/*
 * DNS that learning can't read: over TLS or QUIC (port 853), and, when
 * the policy names its resolvers, DNS to any other server. The dns-over-
 * https setting governs it, as it does DoH: all of them hide names.
 */
static bool rbi_dns_unseen(const struct rbi_config *c,
			   const struct rbi_flow *f)
{
	if (f->dport == RBI_PORT_DOT)
		return true;
	return f->dport == RBI_PORT_DNS &&
	       rbi_addr_table_count(c->resolvers) &&
	       rbi_lookup(c->resolvers, &f->dst, f->dport) == RBI_NONE;
}

/* The camera opened the flow: what it reaches and how. */
static bool rbi_classify_egress(const struct rbi_config *c,
				const struct rbi_flow *f,
				struct rbi_decision *d)
{
	uint32_t v, net;

	v = rbi_name_value(c, f->name, f->name_len, &d->pattern_id);
	if (v != RBI_NONE && !(v & RBI_DOH_VALUE))
		return rbi_service_hit(c, d, v, RBI_WHY_NAME);
	if (f->learned != RBI_NONE)
		return rbi_service_hit(c, d, f->learned, RBI_WHY_LEARNED);
	if (rbi_l4_table_lookup(c->service_nets, &f->dst, f->dport, f->l4,
				&net) && net < c->n.nets) {
		d->net_id = net;
		return rbi_service_hit(c, d, c->net_service[net],
				       RBI_WHY_NETWORK);
	}
	d->recorder = rbi_lookup(c->recorders, &f->dst, f->dport);
	if (d->recorder != RBI_NONE) {
		rbi_decision_set(d, RBI_ALLOW, RBI_RULE_NONE, RBI_WHY_RECORDER);
		return true;
	}
	if (v != RBI_NONE) {
		d->doh = v & ~RBI_DOH_VALUE;
	} else if (f->dport == RBI_PORT_HTTPS) {
		d->doh = rbi_lookup(c->doh_nets, &f->dst, f->dport);
	}
	if ((d->doh != RBI_NONE || rbi_dns_unseen(c, f)) &&
	    rbi_by_setting(c, d, RBI_ENF_DOH, RBI_RULE_DOH, RBI_WHY_DOH))
		return true;
	if ((f->app == RBI_APP_QUIC ||
	     (f->l4 == RBI_L4_UDP && f->dport == RBI_PORT_HTTPS)) &&
	    rbi_by_setting(c, d, RBI_ENF_QUIC, RBI_RULE_QUIC, RBI_WHY_QUIC))
		return true;
	if (f->ech &&
	    rbi_by_setting(c, d, RBI_ENF_ECH, RBI_RULE_ECH, RBI_WHY_ECH))
		return true;
	return false;
}

/* Someone opened a flow to a camera: a service host, or a stream pull. */
static bool rbi_classify_ingress(const struct rbi_config *c,
				 const struct rbi_flow *f,
				 struct rbi_decision *d)
{
	uint32_t net = rbi_lookup(c->service_hosts, &f->src, f->sport);
	bool rtsp;

	d->ingress = true;
	if (net != RBI_NONE && net < c->n.nets) {
		d->net_id = net;
		return rbi_service_hit(c, d, c->net_service[net],
				       RBI_WHY_SOURCE_NETWORK);
	}
	if (f->markers &&
	    rbi_by_setting(c, d, RBI_ENF_ANALYTICS, RBI_RULE_ANALYTICS,
			RBI_WHY_ANALYTICS))
		return true;
	rtsp = f->app == RBI_APP_RTSP ||
	       (f->l4 == RBI_L4_TCP && f->app == RBI_APP_NONE &&
		(f->dport == RBI_PORT_RTSP || f->dport == RBI_PORT_RTSPS));
	if (!rtsp)
		return false;
	/* A recorder pulling video is what recorders are for. */
	d->recorder = rbi_lookup(c->recorders, &f->src, f->dport);
	if (d->recorder == RBI_NONE)
		d->recorder = rbi_lookup(c->recorders, &f->src, f->sport);
	if (d->recorder != RBI_NONE) {
		rbi_decision_set(d, RBI_ALLOW, RBI_RULE_NONE, RBI_WHY_RECORDER);
		return true;
	}
	rbi_decision_set(d, RBI_BLOCK, RBI_RULE_RTSP_PULL, RBI_WHY_RTSP_PULL);
	return true;
}

void rbi_classify(const struct rbi_config *c, const struct rbi_flow *f,
		  struct rbi_decision *d)
{
	uint32_t src_zone = rbi_lookup(c->zones, &f->src, 0);
	uint32_t dst_zone = rbi_lookup(c->zones, &f->dst, 0);
	bool src_public = src_zone < c->n.zones && c->zone_public[src_zone];
	bool dst_public = dst_zone < c->n.zones && c->zone_public[dst_zone];

	rbi_memset(d, 0, sizeof(*d));
	d->zone = src_zone;
	d->service = RBI_NONE;
	d->recorder = RBI_NONE;
	d->doh = RBI_NONE;
	d->pattern_id = RBI_NONE;
	d->net_id = RBI_NONE;
	d->category = (uint8_t)__RBI_CAT_MAX;

	if (src_public && rbi_classify_egress(c, f, d))
		return;
	if (dst_public) {
		struct rbi_decision in = *d;

		in.zone = dst_zone;
		if (rbi_classify_ingress(c, f, &in) &&
		    (in.verdict == RBI_BLOCK || !src_public)) {
			*d = in;
			return;
		}
	}
	if (src_public || dst_public) {
		d->zone = src_public ? src_zone : dst_zone;
		rbi_decision_set(d, RBI_ALLOW, RBI_RULE_NONE, RBI_WHY_NO_MATCH);
	} else if (src_zone != RBI_NONE || dst_zone != RBI_NONE) {
		d->zone = src_zone != RBI_NONE ? src_zone : dst_zone;
		rbi_decision_set(d, RBI_ALLOW, RBI_RULE_NONE, RBI_WHY_NOT_PUBLIC);
	} else {
		rbi_decision_set(d, RBI_ALLOW, RBI_RULE_NONE, RBI_WHY_NO_ZONE);
	}
}

void rbi_decide_fail(const struct rbi_config *c, const struct rbi_flow *f,
		     enum rbi_fail why, struct rbi_decision *d)
{
	rbi_classify(c, f, d);
	/* Outside every public zone there is nothing to fail closed on. */
	if (d->verdict == RBI_BLOCK || d->reason == RBI_WHY_NO_ZONE ||
	    d->reason == RBI_WHY_NOT_PUBLIC)
		return;
	rbi_decision_set(d, c->fail_open ? RBI_ALLOW : RBI_BLOCK,
			 RBI_RULE_FAIL_CLOSED, RBI_WHY_FAIL_CLOSED);
	d->log = c->fail_open;
	d->fail = (uint8_t)why;
}

void rbi_decide_fail_always(const struct rbi_config *c,
			    const struct rbi_flow *f, enum rbi_fail why,
			    struct rbi_decision *d)
{
	rbi_decide_fail(c, f, why, d);
	if (d->rule == RBI_RULE_FAIL_CLOSED) {
		d->verdict = RBI_BLOCK;
		d->log = false;
	}
}

bool rbi_config_ip_public(const struct rbi_config *c, const struct rbi_ip *ip)
{
	uint32_t zone = rbi_lookup(c->zones, ip, 0);

	return zone < c->n.zones && c->zone_public[zone];
}

const char *rbi_category_name(enum rbi_category cat)
{
	static const char *const names[__RBI_CAT_MAX] = {
		[RBI_CAT_RBI] = "remote-biometric-identification",
		[RBI_CAT_CATEGORISATION] = "biometric-categorisation",
		[RBI_CAT_EMOTION] = "emotion-recognition",
	};

	return (unsigned int)cat < __RBI_CAT_MAX ? names[cat] : NULL;
}

const char *rbi_app_name(enum rbi_app app)
{
	static const char *const names[__RBI_APP_MAX] = {
		[RBI_APP_NONE] = NULL,
		[RBI_APP_TLS] = "tls",
		[RBI_APP_HTTP] = "http",
		[RBI_APP_DNS] = "dns",
		[RBI_APP_RTSP] = "rtsp",
		[RBI_APP_QUIC] = "quic",
	};

	return (unsigned int)app < __RBI_APP_MAX ? names[app] : NULL;
}

const char *rbi_mode_name(enum rbi_mode mode)
{
	static const char *const names[__RBI_MODE_MAX] = {
		[RBI_MODE_BLOCK] = "block",
		[RBI_MODE_LOG] = "log",
		[RBI_MODE_ALLOW] = "allow",
	};

	return (unsigned int)mode < __RBI_MODE_MAX ? names[mode] : NULL;
}

const char *rbi_rule_id(enum rbi_rule rule)
{
	static const char *const names[__RBI_RULE_MAX] = {
		[RBI_RULE_NONE] = NULL,
		[RBI_RULE_PROHIBIT_RBI] = "prohibit-rbi",
		[RBI_RULE_PROHIBIT_CATEGORISATION] = "prohibit-categorisation",
		[RBI_RULE_PROHIBIT_EMOTION] = "prohibit-emotion-recognition",
		[RBI_RULE_QUIC] = "block-quic",
		[RBI_RULE_ECH] = "block-ech",
		[RBI_RULE_DOH] = "block-doh",
		[RBI_RULE_RTSP_PULL] = "block-rtsp-pull",
		[RBI_RULE_ANALYTICS] = "block-camera-analytics",
		[RBI_RULE_FAIL_CLOSED] = "fail-closed",
	};

	return (unsigned int)rule < __RBI_RULE_MAX ? names[rule] : NULL;
}

const char *rbi_verdict_name(enum rbi_verdict v)
{
	return v == RBI_BLOCK ? "block" : "allow";
}

const char *rbi_fail_name(enum rbi_fail why)
{
	static const char *const names[__RBI_FAIL_MAX] = {
		[RBI_FAIL_NONE] = NULL,
		[RBI_FAIL_TABLE_FULL] = "flow-table-full",
		[RBI_FAIL_MEMORY] = "out-of-memory",
		[RBI_FAIL_EXPIRED] = "expired",
		[RBI_FAIL_UNLOADED] = "unloaded",
		[RBI_FAIL_MIDSTREAM] = "midstream",
		[RBI_FAIL_SYN_DATA] = "syn-data",
		[RBI_FAIL_URGENT] = "urgent-data",
		[RBI_FAIL_REWRITE] = "rewritten-retransmission",
		[RBI_FAIL_TLS] = "tls-malformed",
		[RBI_FAIL_TOO_BIG] = "too-big",
		[RBI_FAIL_AMBIGUOUS] = "ambiguous",
		[RBI_FAIL_REQUEST] = "request-malformed",
		[RBI_FAIL_NOT_REQUEST] = "not-a-request",
		[RBI_FAIL_UNINSPECTABLE] = "uninspectable",
		[RBI_FAIL_SERVER_FIRST] = "server-first",
		[RBI_FAIL_DNS] = "dns-malformed",
		[RBI_FAIL_QUERIES_FULL] = "dns-queries-full",
	};

	return (unsigned int)why < __RBI_FAIL_MAX ? names[why] : NULL;
}
