// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft/plan.h"
#include "util/grow.h"

enum {
	RBI_NFT_MERGE_BACK = 64,	/* elements looked back at to merge */
};

static const struct rbi_nft_set_info rbi_nft_sets[__RBI_NFT_SET_MAX] = {
	[RBI_NFT_SET_PUBLIC] = { "public_zones",
		"camera networks in publicly accessible zones",
		false, false, false, false },
	[RBI_NFT_SET_NONPUBLIC] = { "nonpublic_zones",
		"zones that are not publicly accessible: outside the "
		"prohibition", false, false, false, false },
	[RBI_NFT_SET_RECORDERS] = { "recorders",
		"approved recorders: address . port", false, true, false,
		false },
	[RBI_NFT_SET_DOH] = { "doh_resolvers",
		"known DNS-over-HTTPS resolvers", false, false, false, false },
	[RBI_NFT_SET_RESOLVERS] = { "dns_resolvers",
		"the policy's DNS resolvers: the only ones cameras may ask",
		false, false, false, false },
	[RBI_NFT_MAP_SVC_NETS] = { "service_nets",
		"service networks, any port: what cameras may not reach",
		true, false, false, false },
	[RBI_NFT_MAP_SVC_PORTS] = { "service_net_ports",
		"service networks on given ports: address . port",
		true, true, false, false },
	[RBI_NFT_MAP_SVC_PORTS_TCP] = { "service_net_ports_tcp",
		"service networks on given TCP ports, where TCP and UDP "
		"differ", true, true, false, false, RBI_L4_TCP },
	[RBI_NFT_MAP_SVC_PORTS_UDP] = { "service_net_ports_udp",
		"service networks on given UDP ports, where TCP and UDP "
		"differ", true, true, false, false, RBI_L4_UDP },
	[RBI_NFT_MAP_SVC_SIGS] = { "service_ports",
		"port signatures of on-premises products, at any address",
		true, false, true, false },
	[RBI_NFT_MAP_SVC_SIGS_TCP] = { "service_ports_tcp",
		"port signatures on TCP, where TCP and UDP differ",
		true, false, true, false, RBI_L4_TCP },
	[RBI_NFT_MAP_SVC_SIGS_UDP] = { "service_ports_udp",
		"port signatures on UDP, where TCP and UDP differ",
		true, false, true, false, RBI_L4_UDP },
	[RBI_NFT_MAP_SVC_HOSTS] = { "service_hosts",
		"service hosts: what may not open flows to cameras",
		true, false, false, false },
	[RBI_NFT_MAP_LEARNED] = { "learned_services",
		"service addresses learned from DNS answers, until TTL + "
		"grace", true, false, false, true },
};

const struct rbi_nft_set_info *rbi_nft_set_info(enum rbi_nft_set set)
{
	return (unsigned int)set < __RBI_NFT_SET_MAX ? &rbi_nft_sets[set] :
	       NULL;
}

const char *rbi_nft_verdict_chain(uint32_t verdict, char *buf, size_t len)
{
	const char *id = rbi_rule_id(RBI_NFT_RULE(verdict));
	const char *act;
	size_t i;

	switch (RBI_NFT_ACTION(verdict)) {
	case RBI_NFT_BLOCK:
		act = "block_";
		break;
	case RBI_NFT_LOG:
		act = "log_";
		break;
	default:
		return NULL;
	}
	if (!id)
		return NULL;
	snprintf(buf, len, "%s%s", act, id);
	/* Rule ids use '-', which nft's grammar does not take in names. */
	for (i = 0; buf[i]; i++)
		if (buf[i] == '-')
			buf[i] = '_';
	return buf;
}

/* A camera address of a publicly accessible zone, to ask the classifier. */
static bool rbi_nft_public_addr(const struct rbi_policy *p,
				struct rbi_ip *ip)
{
	size_t i;

	for (i = 0; i < p->n_zones; i++) {
		if (p->zones[i].public && p->zones[i].n_nets) {
			*ip = p->zones[i].nets[0].prefix.ip;
			return true;
		}
	}
	return false;
}

uint32_t rbi_nft_service_verdict(const struct rbi_policy *p, uint32_t service)
{
	struct rbi_decision d;
	struct rbi_flow f;

	memset(&f, 0, sizeof(f));
	if (service >= p->n_services || !rbi_nft_public_addr(p, &f.src))
		return 0;
	f.dst = f.src;
	f.l4 = RBI_L4_TCP;
	f.learned = service;
	rbi_classify(p->config, &f, &d);
	if (d.verdict == RBI_BLOCK)
		return RBI_NFT_VERDICT(RBI_NFT_BLOCK, d.rule);
	if (d.log)
		return RBI_NFT_VERDICT(RBI_NFT_LOG, d.rule);
	return RBI_NFT_VERDICT(RBI_NFT_ACCEPT, RBI_RULE_NONE);
}

static uint32_t rbi_nft_mode_verdict(enum rbi_mode mode, enum rbi_rule rule)
{
	switch (mode) {
	case RBI_MODE_BLOCK:
		return RBI_NFT_VERDICT(RBI_NFT_BLOCK, rule);
	case RBI_MODE_LOG:
		return RBI_NFT_VERDICT(RBI_NFT_LOG, rule);
	default:
		return 0;
	}
}

/* ---- flattening longest-prefix entries into disjoint ranges ---- */

struct rbi_nft_entry {
	struct rbi_prefix pfx;
	uint16_t port_lo;
	uint16_t port_hi;
	uint8_t l4;		/* 0: TCP and UDP */
	uint32_t value;
};

struct rbi_nft_entries {
	struct rbi_nft_entry *v;
	size_t n;
	size_t cap;
};

/* How the owner of a piece becomes an element: verdict 0 leaves it out. */
struct rbi_nft_classes {
	uint32_t (*verdict)(const void *ctx, uint32_t value);
	const char *(*comment)(const void *ctx, uint32_t value);
	const void *ctx;
};

static const struct rbi_port_range rbi_nft_any_port = { 0, RBI_PORT_MAX, 0 };

static int rbi_nft_entry_add(struct rbi_nft_entries *e,
			     const struct rbi_prefix *pfx,
			     const struct rbi_port_range *r, uint32_t value)
{
	struct rbi_nft_entry *x = rbi_grow_push(e->v, &e->n, &e->cap);

	if (!x)
		return -ENOMEM;
	x->pfx = *pfx;
	/* The classifier reads ::ffff:a.b.c.d/N as IPv4; so do the sets. */
	rbi_prefix_unmap(&x->pfx);
	x->port_lo = r->lo;
	x->port_hi = r->hi;
	x->l4 = r->l4;
	x->value = value;
	return 0;
}

/* Each port range of a network, or the whole port space. */
static int rbi_nft_entry_ports(struct rbi_nft_entries *e,
			       const struct rbi_prefix *pfx,
			       const struct rbi_port_range *ports,
			       size_t n_ports, uint32_t value)
{
	size_t i;
	int err;

	if (!n_ports)
		return rbi_nft_entry_add(e, pfx, &rbi_nft_any_port, value);
	for (i = 0; i < n_ports; i++) {
		err = rbi_nft_entry_add(e, pfx, &ports[i], value);
		if (err)
			return err;
	}
	return 0;
}

/* An address boundary: a[] big-endian, or past the end of the space. */
struct rbi_nft_bound {
	uint8_t a[16];
	bool top;
};

static int rbi_nft_bound_cmp(const void *x, const void *y)
{
	const struct rbi_nft_bound *a = x, *b = y;

	if (a->top != b->top)
		return a->top ? 1 : -1;
	return memcmp(a->a, b->a, sizeof(a->a));
}

static int rbi_nft_port_cmp(const void *x, const void *y)
{
	return (int)*(const uint32_t *)x - (int)*(const uint32_t *)y;
}

/* a + 1 over w bytes; true when it wrapped past the end of the space. */
static bool rbi_nft_inc(uint8_t *a, size_t w)
{
	size_t i = w;

	while (i--)
		if (++a[i])
			return false;
	return true;
}

static void rbi_nft_dec(uint8_t *a, size_t w)
{
	size_t i = w;

	while (i--)
		if (a[i]--)
			return;
}

/* The last address of a prefix. */
static void rbi_nft_prefix_last(const struct rbi_prefix *p, size_t w,
				uint8_t *a)
{
	unsigned int bit;

	memcpy(a, p->ip.a, 16);
	for (bit = p->len; bit < w * 8; bit++)
		a[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
}

struct rbi_nft_cuts {
	struct rbi_nft_bound *addr;
	size_t n_addr;
	uint32_t *port;
	size_t n_port;
};

static size_t rbi_nft_uniq(void *v, size_t n, size_t size,
			   int (*cmp)(const void *, const void *))
{
	char *b = v;
	size_t i, k = 0;

	qsort(v, n, size, cmp);
	for (i = 0; i < n; i++)
		if (!k || cmp(b + (k - 1) * size, b + i * size))
			memmove(b + k++ * size, b + i * size, size);
	return k;
}

/* Every boundary of every prefix and port range of one family. */
static int rbi_nft_cuts(const struct rbi_nft_entries *e, uint8_t family,
			size_t w, struct rbi_nft_cuts *c)
{
	struct rbi_nft_bound *b;
	size_t i;

	c->addr = calloc(e->n * 2 + 1, sizeof(*c->addr));
	c->port = calloc(e->n * 2 + 1, sizeof(*c->port));
	if (!c->addr || !c->port)
		return -ENOMEM;
	c->n_addr = 1;		/* the zero address */
	c->n_port = 1;		/* port 0 */
	for (i = 0; i < e->n; i++) {
		if (e->v[i].pfx.ip.family != family)
			continue;
		memcpy(c->addr[c->n_addr++].a, e->v[i].pfx.ip.a, 16);
		b = &c->addr[c->n_addr];
		rbi_nft_prefix_last(&e->v[i].pfx, w, b->a);
		if (!rbi_nft_inc(b->a, w))
			c->n_addr++;
		c->port[c->n_port++] = e->v[i].port_lo;
		if (e->v[i].port_hi < RBI_PORT_MAX)
			c->port[c->n_port++] = e->v[i].port_hi + 1u;
	}
	c->n_addr = rbi_nft_uniq(c->addr, c->n_addr, sizeof(*c->addr),
				 rbi_nft_bound_cmp);
	c->n_port = rbi_nft_uniq(c->port, c->n_port, sizeof(*c->port),
				 rbi_nft_port_cmp);
	return 0;
}

static int rbi_nft_elem_add(struct rbi_nft_elems *out,
			    const struct rbi_nft_elem *x)
{
	struct rbi_nft_elem *slot = rbi_grow_push(out->v, &out->n, &out->cap);

	if (!slot)
		return -ENOMEM;
	*slot = *x;
	return 0;
}

/*
 * A piece that continues an element of the row before it (same owner and
 * ports, adjacent addresses) widens that element instead: a /16 with a
 * different /24 inside comes out as three elements, not one per cut. A
 * row holds at most one element per port segment, so looking back a
 * bounded way finds the row before.
 */
static bool rbi_nft_elem_extend(struct rbi_nft_elems *out,
				const struct rbi_nft_elem *x, size_t w)
{
	struct rbi_nft_elem *e;
	uint8_t next[16];
	size_t i, stop = out->n > RBI_NFT_MERGE_BACK ?
			 out->n - RBI_NFT_MERGE_BACK : 0;

	for (i = out->n; i-- > stop;) {
		e = &out->v[i];
		if (e->verdict != x->verdict || e->value != x->value ||
		    e->port_lo != x->port_lo || e->port_hi != x->port_hi)
			continue;
		memcpy(next, e->hi, 16);
		if (rbi_nft_inc(next, w) || memcmp(next, x->lo, w))
			continue;
		memcpy(e->hi, x->hi, 16);
		return true;
	}
	return false;
}

/*
 * What owns each address and port: the classifier's own tables, one for
 * every protocol, or one per protocol when some entry has one.
 */
struct rbi_nft_owner {
	struct rbi_addr_table *any;
	struct rbi_l4_table *l4;
};

static bool rbi_nft_owner_find(const struct rbi_nft_owner *o,
			       const struct rbi_ip *ip, uint16_t port,
			       uint8_t l4, uint32_t *value)
{
	if (o->l4)
		return rbi_l4_table_lookup(o->l4, ip, port, l4, value);
	return rbi_addr_table_lookup(o->any, ip, port, value, NULL);
}

/* Where a flattening's elements go, for one family. */
struct rbi_nft_outs {
	struct rbi_nft_elems *any;	/* what TCP and UDP both meet */
	struct rbi_nft_elems *l4[2];	/* TCP, UDP where they differ */
	struct rbi_nft_elems *other;	/* other protocols; NULL: none */
};

/* The runs of owners of one piece, for protocol l4, merged into out. */
static int rbi_nft_runs(const struct rbi_nft_owner *o, uint8_t l4,
			const struct rbi_nft_cuts *c,
			const struct rbi_nft_classes *cls,
			struct rbi_nft_elem *x, size_t w,
			struct rbi_nft_elems *out)
{
	struct rbi_ip ip = { .family = w == 4 ? RBI_IP_V4 : RBI_IP_V6 };
	uint32_t value, run_value = RBI_NONE, run_verdict = 0, verdict;
	size_t j;
	int err;

	memcpy(ip.a, x->lo, 16);
	for (j = 0; j <= c->n_port; j++) {
		verdict = 0;
		value = RBI_NONE;
		if (j < c->n_port &&
		    rbi_nft_owner_find(o, &ip, (uint16_t)c->port[j], l4,
				       &value))
			verdict = cls->verdict(cls->ctx, value);
		if (j < c->n_port && verdict == run_verdict &&
		    value == run_value)
			continue;
		if (run_verdict) {
			x->port_hi = j < c->n_port ?
				     (uint16_t)(c->port[j] - 1) : RBI_PORT_MAX;
			x->verdict = run_verdict;
			x->value = run_value;
			x->comment = cls->comment(cls->ctx, run_value);
			if (!rbi_nft_elem_extend(out, x, w)) {
				err = rbi_nft_elem_add(out, x);
				if (err)
					return err;
			}
		}
		if (j < c->n_port)
			x->port_lo = (uint16_t)c->port[j];
		run_verdict = verdict;
		run_value = value;
	}
	return 0;
}

enum rbi_nft_shape {
	RBI_NFT_UNIFORM,	/* one owner on every port, either protocol */
	RBI_NFT_SAME,		/* owners by port, the same for TCP and UDP */
	RBI_NFT_BY_L4,		/* TCP and UDP differ */
};

static enum rbi_nft_shape rbi_nft_piece_shape(const struct rbi_nft_owner *o,
					      const struct rbi_nft_cuts *c,
					      const struct rbi_nft_elem *x,
					      size_t w)
{
	struct rbi_ip ip = { .family = w == 4 ? RBI_IP_V4 : RBI_IP_V6 };
	enum rbi_nft_shape shape = RBI_NFT_UNIFORM;
	uint32_t tcp, udp, first = RBI_NONE;
	size_t j;

	memcpy(ip.a, x->lo, 16);
	for (j = 0; j < c->n_port; j++) {
		tcp = udp = RBI_NONE;
		rbi_nft_owner_find(o, &ip, (uint16_t)c->port[j], RBI_L4_TCP,
				   &tcp);
		if (o->l4)
			rbi_nft_owner_find(o, &ip, (uint16_t)c->port[j],
					   RBI_L4_UDP, &udp);
		else
			udp = tcp;
		if (tcp != udp)
			return RBI_NFT_BY_L4;
		if (!j)
			first = tcp;
		else if (tcp != first)
			shape = RBI_NFT_SAME;
	}
	return shape;
}

/*
 * One address piece: its owners on each port segment, to the maps both
 * protocols read when they agree, else per protocol. Where the owner
 * varies by port, the owner that flows of other protocols meet (port 0)
 * goes to out->other, which rules read after the port maps.
 */
static int rbi_nft_piece(const struct rbi_nft_owner *o,
			 const struct rbi_nft_cuts *c,
			 const struct rbi_nft_classes *cls,
			 struct rbi_nft_elem *x, size_t w,
			 const struct rbi_nft_outs *out)
{
	enum rbi_nft_shape shape = rbi_nft_piece_shape(o, c, x, w);
	struct rbi_nft_elem other = *x;
	struct rbi_ip ip = { .family = w == 4 ? RBI_IP_V4 : RBI_IP_V6 };
	int err;

	if (shape != RBI_NFT_BY_L4) {
		err = rbi_nft_runs(o, RBI_L4_TCP, c, cls, x, w, out->any);
	} else {
		err = rbi_nft_runs(o, RBI_L4_TCP, c, cls, x, w, out->l4[0]);
		if (!err)
			err = rbi_nft_runs(o, RBI_L4_UDP, c, cls, &other, w,
					   out->l4[1]);
	}
	memcpy(ip.a, x->lo, 16);
	other.value = RBI_NONE;
	if (err || shape == RBI_NFT_UNIFORM || !out->other ||
	    !rbi_nft_owner_find(o, &ip, 0, 0, &other.value))
		return err;
	other.verdict = cls->verdict(cls->ctx, other.value);
	if (!other.verdict)
		return 0;
	other.port_lo = 0;
	other.port_hi = RBI_PORT_MAX;
	other.comment = cls->comment(cls->ctx, other.value);
	return rbi_nft_elem_extend(out->other, &other, w) ? 0 :
	       rbi_nft_elem_add(out->other, &other);
}

/* The same adds, in the same order, as the classifier's tables. */
static int rbi_nft_owner_fill(struct rbi_nft_owner *o,
			      const struct rbi_nft_entries *e, uint8_t family)
{
	size_t i;
	int err = 0;

	for (i = 0; i < e->n && !o->l4; i++)
		if (e->v[i].pfx.ip.family == family && e->v[i].l4)
			o->l4 = rbi_l4_table_alloc();
	if (!o->l4)
		o->any = rbi_addr_table_alloc();
	if (!o->l4 && !o->any)
		return -ENOMEM;
	for (i = 0; i < e->n && !err; i++) {
		if (e->v[i].pfx.ip.family != family)
			continue;
		if (o->l4)
			err = rbi_l4_table_add(o->l4, &e->v[i].pfx,
					       e->v[i].port_lo,
					       e->v[i].port_hi, e->v[i].l4,
					       e->v[i].value);
		else
			err = rbi_addr_table_add(o->any, &e->v[i].pfx,
						 e->v[i].port_lo,
						 e->v[i].port_hi,
						 e->v[i].value);
		if (err == -EEXIST)
			err = 0;
	}
	return err;
}

static int rbi_nft_flatten(const struct rbi_nft_entries *e,
			   enum rbi_nft_family fam,
			   const struct rbi_nft_classes *cls,
			   const struct rbi_nft_outs *out)
{
	uint8_t family = fam == RBI_NFT_V4_IDX ? RBI_IP_V4 : RBI_IP_V6;
	size_t i, w = rbi_nft_width(fam);
	struct rbi_nft_owner o = { NULL, NULL };
	struct rbi_nft_cuts c = { NULL, 0, NULL, 0 };
	struct rbi_nft_elem x;
	int err = rbi_nft_owner_fill(&o, e, family);

	if (!err && o.l4 && !out->l4[0])
		err = -EINVAL;
	if (!err)
		err = rbi_nft_cuts(e, family, w, &c);
	for (i = 0; i < c.n_addr && !err; i++) {
		memset(&x, 0, sizeof(x));
		memcpy(x.lo, c.addr[i].a, 16);
		if (i + 1 < c.n_addr) {
			memcpy(x.hi, c.addr[i + 1].a, 16);
			rbi_nft_dec(x.hi, w);
		} else {
			memset(x.hi, 0xff, w);
		}
		err = rbi_nft_piece(&o, &c, cls, &x, w, out);
	}
	free(c.addr);
	free(c.port);
	rbi_addr_table_free(o.any);
	rbi_l4_table_free(o.l4);
	return err;
}

/* No set: entries that never have a protocol. */
#define RBI_NFT_NO_SET	__RBI_NFT_SET_MAX

/*
 * Both families into sets[set], and where TCP and UDP differ into
 * sets[tcp] and sets[udp]. Service networks, whose pieces are later split
 * by port, keep what other protocols meet in sets[set] as well.
 */
static int rbi_nft_flatten_both(struct rbi_nft_plan *plan,
				const struct rbi_nft_entries *e,
				const struct rbi_nft_classes *cls,
				enum rbi_nft_set set, enum rbi_nft_set tcp,
				enum rbi_nft_set udp)
{
	struct rbi_nft_outs out;
	size_t f;
	int err = 0;

	for (f = 0; f < __RBI_NFT_FAMILY_MAX && !err; f++) {
		out.any = &plan->sets[set][f];
		out.other = set == RBI_NFT_MAP_SVC_NETS ? out.any : NULL;
		out.l4[0] = tcp < __RBI_NFT_SET_MAX ? &plan->sets[tcp][f] :
			    NULL;
		out.l4[1] = udp < __RBI_NFT_SET_MAX ? &plan->sets[udp][f] :
			    NULL;
		err = rbi_nft_flatten(e, f, cls, &out);
	}
	return err;
}

/* ---- what each set holds ---- */

static uint32_t rbi_nft_zone_public(const void *ctx, uint32_t v)
{
	const struct rbi_policy *p = ctx;

	return v < p->n_zones && p->zones[v].public;
}

static uint32_t rbi_nft_zone_other(const void *ctx, uint32_t v)
{
	const struct rbi_policy *p = ctx;

	return v < p->n_zones && !p->zones[v].public;
}

static const char *rbi_nft_zone_name(const void *ctx, uint32_t v)
{
	return ((const struct rbi_policy *)ctx)->zones[v].name;
}

static uint32_t rbi_nft_member(const void *ctx, uint32_t v)
{
	return 1;
}

static const char *rbi_nft_recorder_name(const void *ctx, uint32_t v)
{
	return ((const struct rbi_policy *)ctx)->recorders[v].name;
}

static const char *rbi_nft_doh_id(const void *ctx, uint32_t v)
{
	return ((const struct rbi_policy *)ctx)->doh[v].id;
}

static const char *rbi_nft_resolver_name(const void *ctx, uint32_t v)
{
	return ((const struct rbi_policy *)ctx)->resolvers[v].name;
}

struct rbi_nft_svc_ctx {
	const struct rbi_policy *p;
	const uint32_t *verdict;	/* per service */
};

static uint32_t rbi_nft_svc_verdict(const void *ctx, uint32_t v)
{
	const struct rbi_nft_svc_ctx *s = ctx;

	return v < s->p->n_services ? s->verdict[v] : 0;
}

static const char *rbi_nft_svc_id(const void *ctx, uint32_t v)
{
	return ((const struct rbi_nft_svc_ctx *)ctx)->p->services[v].id;
}

static int rbi_nft_plan_zones(struct rbi_nft_plan *plan)
{
	const struct rbi_policy *p = plan->p;
	struct rbi_nft_entries e = { NULL, 0, 0 };
	struct rbi_nft_classes pub = { rbi_nft_zone_public, rbi_nft_zone_name,
				       p };
	struct rbi_nft_classes other = { rbi_nft_zone_other,
					 rbi_nft_zone_name, p };
	size_t i, k;
	int err = 0;

	for (i = 0; i < p->n_zones && !err; i++)
		for (k = 0; k < p->zones[i].n_nets && !err; k++)
			err = rbi_nft_entry_add(&e, &p->zones[i].nets[k].prefix,
						&rbi_nft_any_port, (uint32_t)i);
	if (!err)
		err = rbi_nft_flatten_both(plan, &e, &pub, RBI_NFT_SET_PUBLIC,
					   RBI_NFT_NO_SET, RBI_NFT_NO_SET);
	if (!err)
		err = rbi_nft_flatten_both(plan, &e, &other,
					   RBI_NFT_SET_NONPUBLIC,
					   RBI_NFT_NO_SET, RBI_NFT_NO_SET);
	free(e.v);
	return err;
}

static int rbi_nft_plan_recorders(struct rbi_nft_plan *plan)
{
	const struct rbi_policy *p = plan->p;
	struct rbi_nft_entries e = { NULL, 0, 0 };
	struct rbi_nft_classes cls = { rbi_nft_member, rbi_nft_recorder_name,
				       p };
	const struct rbi_recorder *r;
	size_t i, k;
	int err = 0;

	for (i = 0; i < p->n_recorders && !err; i++) {
		r = &p->recorders[i];
		for (k = 0; k < r->n_nets && !err; k++)
			err = rbi_nft_entry_ports(&e, &r->nets[k].prefix,
						  r->ports, r->n_ports,
						  (uint32_t)i);
	}
	if (!err)
		err = rbi_nft_flatten_both(plan, &e, &cls,
					   RBI_NFT_SET_RECORDERS,
					   RBI_NFT_NO_SET, RBI_NFT_NO_SET);
	free(e.v);
	return err;
}

static int rbi_nft_plan_doh(struct rbi_nft_plan *plan)
{
	const struct rbi_policy *p = plan->p;
	struct rbi_nft_entries e = { NULL, 0, 0 };
	struct rbi_nft_classes cls = { rbi_nft_member, rbi_nft_doh_id, p };
	size_t i, k;
	int err = 0;

	for (i = 0; i < p->n_doh && !err; i++)
		for (k = 0; k < p->doh[i].n_nets && !err; k++)
			err = rbi_nft_entry_add(&e, &p->doh[i].nets[k].prefix,
						&rbi_nft_any_port, (uint32_t)i);
	if (!err)
		err = rbi_nft_flatten_both(plan, &e, &cls, RBI_NFT_SET_DOH,
					   RBI_NFT_NO_SET, RBI_NFT_NO_SET);
	free(e.v);
	return err;
}

static int rbi_nft_plan_resolvers(struct rbi_nft_plan *plan)
{
	const struct rbi_policy *p = plan->p;
	struct rbi_nft_entries e = { NULL, 0, 0 };
	struct rbi_nft_classes cls = { rbi_nft_member, rbi_nft_resolver_name,
				       p };
	size_t i, k;
	int err = 0;

	for (i = 0; i < p->n_resolvers && !err; i++)
		for (k = 0; k < p->resolvers[i].n_nets && !err; k++)
			err = rbi_nft_entry_add(&e,
						&p->resolvers[i].nets[k].prefix,
						&rbi_nft_any_port, (uint32_t)i);
	if (!err)
		err = rbi_nft_flatten_both(plan, &e, &cls,
					   RBI_NFT_SET_RESOLVERS,
					   RBI_NFT_NO_SET, RBI_NFT_NO_SET);
	free(e.v);
	return err;
}

/*
 * Egress pieces on every port go to the address map, the rest to the
 * address . port map, read before it: the address map also holds what
 * other protocols (no ports) meet where the owner varies by port. Port
 * signatures (/0 networks) are kept out of both and looked up by port
 * after them: the classifier falls back to a /0 only where no longer
 * prefix covers the address and port, which is exactly where both maps
 * miss, and cutting a /0 at every service network would multiply
 * elements by the signatures' ports.
 */
static int rbi_nft_split_ports(struct rbi_nft_plan *plan)
{
	struct rbi_nft_elems *nets, *ports;
	struct rbi_nft_elem *x;
	size_t f, i, k;
	int err = 0;

	for (f = 0; f < __RBI_NFT_FAMILY_MAX && !err; f++) {
		nets = &plan->sets[RBI_NFT_MAP_SVC_NETS][f];
		ports = &plan->sets[RBI_NFT_MAP_SVC_PORTS][f];
		for (i = k = 0; i < nets->n && !err; i++) {
			x = &nets->v[i];
			if (!x->port_lo && x->port_hi == RBI_PORT_MAX)
				nets->v[k++] = *x;
			else
				err = rbi_nft_elem_add(ports, x);
		}
		nets->n = k;
	}
	return err;
}

static int rbi_nft_plan_services(struct rbi_nft_plan *plan)
{
	const struct rbi_policy *p = plan->p;
	struct rbi_nft_entries egress = { NULL, 0, 0 };
	struct rbi_nft_entries ingress = { NULL, 0, 0 };
	struct rbi_nft_entries sigs = { NULL, 0, 0 };
	uint32_t *verdict = calloc(p->n_services + 1, sizeof(*verdict));
	struct rbi_nft_svc_ctx ctx = { p, verdict };
	struct rbi_nft_classes cls = { rbi_nft_svc_verdict, rbi_nft_svc_id,
				       &ctx };
	const struct rbi_service *s;
	size_t i, k;
	uint8_t len;
	int err = verdict ? 0 : -ENOMEM;

	for (i = 0; i < p->n_services && !err; i++) {
		s = &p->services[i];
		verdict[i] = rbi_nft_service_verdict(p, (uint32_t)i);
		for (k = 0; k < s->n_nets && !err; k++) {
			/* A /0 network is a port signature, not hosts. */
			len = s->nets[k].prefix.len;
			err = rbi_nft_entry_ports(len ? &egress : &sigs,
						  &s->nets[k].prefix,
						  s->ports, s->n_ports,
						  (uint32_t)i);
			if (!err && len)
				err = rbi_nft_entry_add(&ingress,
							&s->nets[k].prefix,
							&rbi_nft_any_port,
							(uint32_t)i);
		}
	}
	if (!err)
		err = rbi_nft_flatten_both(plan, &egress, &cls,
					   RBI_NFT_MAP_SVC_NETS,
					   RBI_NFT_MAP_SVC_PORTS_TCP,
					   RBI_NFT_MAP_SVC_PORTS_UDP);
	if (!err)
		err = rbi_nft_split_ports(plan);
	if (!err)
		err = rbi_nft_flatten_both(plan, &sigs, &cls,
					   RBI_NFT_MAP_SVC_SIGS,
					   RBI_NFT_MAP_SVC_SIGS_TCP,
					   RBI_NFT_MAP_SVC_SIGS_UDP);
	if (!err)
		err = rbi_nft_flatten_both(plan, &ingress, &cls,
					   RBI_NFT_MAP_SVC_HOSTS,
					   RBI_NFT_NO_SET, RBI_NFT_NO_SET);
	free(sigs.v);
	free(egress.v);
	free(ingress.v);
	free(verdict);
	return err;
}

int rbi_nft_plan_build(const struct rbi_policy *p, struct rbi_nft_plan *plan)
{
	struct rbi_ip ip;
	int err;

	memset(plan, 0, sizeof(*plan));
	plan->p = p;
	plan->any_public = rbi_nft_public_addr(p, &ip);
	plan->doh = rbi_nft_mode_verdict(p->mode[RBI_ENF_DOH], RBI_RULE_DOH);
	plan->quic = rbi_nft_mode_verdict(p->mode[RBI_ENF_QUIC],
					  RBI_RULE_QUIC);
	err = rbi_nft_plan_zones(plan);
	if (!err)
		err = rbi_nft_plan_recorders(plan);
	if (!err)
		err = rbi_nft_plan_doh(plan);
	if (!err)
		err = rbi_nft_plan_resolvers(plan);
	if (!err)
		err = rbi_nft_plan_services(plan);
	if (err)
		rbi_nft_plan_free(plan);
	return err;
}

void rbi_nft_plan_free(struct rbi_nft_plan *plan)
{
	size_t s, f;

	for (s = 0; s < __RBI_NFT_SET_MAX; s++)
		for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
			free(plan->sets[s][f].v);
	memset(plan->sets, 0, sizeof(plan->sets));
}
