// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What a valid policy must say: unique names, zones that agree where they
 * overlap, recorders that are not RBI services, and -- for any publicly
 * accessible zone -- the four parts of the prohibition, unweakened.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/internal.h"

void rbi_pdiag(struct rbi_diags *d, enum rbi_diag_level level,
	       const struct rbi_loc *loc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rbi_diag_add(d, level, loc->file, loc->line, loc->col, "%s", msg);
}

static const struct {
	enum rbi_rule rule;
	const char *what;
} rbi_rule_text[] = {
	{ RBI_RULE_PROHIBIT_RBI, "block flows between cameras in publicly "
	  "accessible zones and remote biometric identification services, "
	  "both ways" },
	{ RBI_RULE_PROHIBIT_CATEGORISATION, "block flows between cameras in "
	  "publicly accessible zones and biometric categorisation services" },
	{ RBI_RULE_PROHIBIT_EMOTION, "block flows between cameras in publicly "
	  "accessible zones and emotion recognition services" },
	{ RBI_RULE_QUIC, "block QUIC from publicly accessible zones, so that "
	  "clients fall back to TLS over TCP where the service name is "
	  "visible" },
	{ RBI_RULE_ECH, "block TLS ClientHellos with Encrypted Client Hello "
	  "from publicly accessible zones, since they hide the service name" },
	{ RBI_RULE_DOH, "block DNS-over-HTTPS resolvers from publicly "
	  "accessible zones, so that DNS learning cannot be bypassed" },
	{ RBI_RULE_RTSP_PULL, "block RTSP stream pulls from cameras in "
	  "publicly accessible zones by hosts that are not approved "
	  "recorders" },
	{ RBI_RULE_ANALYTICS, "block face-analytics requests to cameras in "
	  "publicly accessible zones (face libraries, face events)" },
	{ RBI_RULE_FAIL_CLOSED, "when rbiblock cannot guarantee the policy, "
	  "block camera egress except to approved recorders" },
};

static bool rbi_rule_active(const struct rbi_policy *p, enum rbi_rule r)
{
	switch (r) {
	case RBI_RULE_PROHIBIT_RBI:
		return p->prohibited & RBI_CAT_BIT(RBI_CAT_RBI);
	case RBI_RULE_PROHIBIT_CATEGORISATION:
		return p->prohibited & RBI_CAT_BIT(RBI_CAT_CATEGORISATION);
	case RBI_RULE_PROHIBIT_EMOTION:
		return p->prohibited & RBI_CAT_BIT(RBI_CAT_EMOTION);
	case RBI_RULE_QUIC:
		return p->mode[RBI_ENF_QUIC] != RBI_MODE_ALLOW;
	case RBI_RULE_ECH:
		return p->mode[RBI_ENF_ECH] != RBI_MODE_ALLOW;
	case RBI_RULE_DOH:
		return p->mode[RBI_ENF_DOH] != RBI_MODE_ALLOW;
	case RBI_RULE_ANALYTICS:
		return p->mode[RBI_ENF_ANALYTICS] != RBI_MODE_ALLOW;
	case RBI_RULE_FAIL_CLOSED:
		return p->fail_closed;
	default:
		return true;
	}
}

static bool rbi_policy_index(struct rbi_policy *p)
{
	struct rbi_config_counts n;
	size_t i, k, pi = 0, ni = 0;

	rbi_policy_counts(p, &n);
	p->pattern_refs = calloc(n.patterns + 1, sizeof(*p->pattern_refs));
	p->net_refs = calloc(n.nets + 1, sizeof(*p->net_refs));
	if (!p->pattern_refs || !p->net_refs)
		return false;
	for (i = 0; i < p->n_services; i++) {
		for (k = 0; k < p->services[i].n_names; k++) {
			p->pattern_refs[pi].svc = &p->services[i];
			p->pattern_refs[pi++].item = (uint32_t)k;
		}
		for (k = 0; k < p->services[i].n_nets; k++) {
			p->net_refs[ni].svc = &p->services[i];
			p->net_refs[ni++].item = (uint32_t)k;
		}
	}
	for (i = 0; i < p->n_doh; i++) {
		for (k = 0; k < p->doh[i].n_names; k++) {
			p->pattern_refs[pi].svc = &p->doh[i];
			p->pattern_refs[pi++].item = (uint32_t)k;
		}
	}
	p->n_pattern_refs = pi;
	p->n_net_refs = ni;
	return true;
}

bool rbi_policy_finish(struct rbi_policy *p)
{
	size_t i;
	int n;

	for (i = 0; i < RBI_ARRAY_SIZE(rbi_rule_text); i++) {
		struct rbi_rule_info *r = &p->rules[rbi_rule_text[i].rule];

		r->rule = rbi_rule_text[i].rule;
		r->id = rbi_rule_id(r->rule);
		r->what = rbi_rule_text[i].what;
		r->active = rbi_rule_active(p, r->rule);
		/* The prohibition rules cite the policy's legal basis itself;
		 * the others say which setting serves it. */
		if (r->rule <= RBI_RULE_PROHIBIT_EMOTION)
			n = asprintf(&r->basis, "%s", p->basis);
		else
			n = asprintf(&r->basis, "In support of %s: %s",
				     p->name ? p->name : "the policy", p->basis);
		if (n < 0) {
			r->basis = NULL;
			return false;
		}
	}
	return rbi_policy_index(p);
}

const struct rbi_policy_ref *rbi_policy_pattern(const struct rbi_policy *p,
						uint32_t pattern_id)
{
	return pattern_id < p->n_pattern_refs ? &p->pattern_refs[pattern_id] :
	       NULL;
}

const struct rbi_policy_ref *rbi_policy_net(const struct rbi_policy *p,
					    uint32_t net_id)
{
	return net_id < p->n_net_refs ? &p->net_refs[net_id] : NULL;
}

uint32_t rbi_policy_service_by_id(const struct rbi_policy *p, const char *id,
				  size_t len)
{
	size_t i;

	for (i = 0; i < p->n_services; i++)
		if (strlen(p->services[i].id) == len &&
		    !memcmp(p->services[i].id, id, len))
			return (uint32_t)i;
	return RBI_NONE;
}

struct rbi_named {
	const char *name;
	const struct rbi_loc *loc;
	size_t order;
};

static int rbi_cmp_named(const void *a, const void *b)
{
	const struct rbi_named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Reports each name that occurs twice, pointing back at the first one. */
static bool rbi_check_unique(struct rbi_named *v, size_t n, const char *what,
			     struct rbi_diags *d)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < n; i++)
		v[i].order = i;
	qsort(v, n, sizeof(*v), rbi_cmp_named);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i - 1].name, v[i].name))
			continue;
		rbi_pdiag(d, RBI_DIAG_ERROR, v[i].loc, "duplicate %s '%s' "
			  "(first at %s:%u:%u)", what, v[i].name,
			  v[i - 1].loc->file, v[i - 1].loc->line,
			  v[i - 1].loc->col);
		ok = false;
	}
	return ok;
}

static bool rbi_check_names(const struct rbi_policy *p, struct rbi_diags *d)
{
	size_t n = p->n_zones + p->n_recorders + p->n_services + p->n_doh +
		   p->n_retired + p->n_exclusions;
	struct rbi_named *v = calloc(n + 1, sizeof(*v));
	size_t i, k = 0;
	bool ok = true;

	if (!v)
		return false;
	for (i = 0; i < p->n_zones; i++, k++)
		v[k] = (struct rbi_named){ p->zones[i].name, &p->zones[i].loc, 0 };
	ok &= rbi_check_unique(v, k, "zone name", d);
	k = 0;
	for (i = 0; i < p->n_recorders; i++, k++)
		v[k] = (struct rbi_named){ p->recorders[i].name,
					   &p->recorders[i].loc, 0 };
	ok &= rbi_check_unique(v, k, "recorder name", d);
	k = 0;
	for (i = 0; i < p->n_services; i++, k++)
		v[k] = (struct rbi_named){ p->services[i].id,
					   &p->services[i].loc, 0 };
	for (i = 0; i < p->n_doh; i++, k++)
		v[k] = (struct rbi_named){ p->doh[i].id, &p->doh[i].loc, 0 };
	for (i = 0; i < p->n_retired; i++, k++)
		v[k] = (struct rbi_named){ p->retired[i].id,
					   &p->retired[i].loc, 0 };
	for (i = 0; i < p->n_exclusions; i++, k++)
		v[k] = (struct rbi_named){ p->exclusions[i].id,
					   &p->exclusions[i].loc, 0 };
	ok &= rbi_check_unique(v, k, "service id", d);
	free(v);
	return ok;
}

/* One network of a zone, recorder or service, for the overlap sweep. */
struct rbi_sweep {
	const struct rbi_prefix *prefix;
	const struct rbi_loc *loc;
	const char *owner;
	int kind;		/* enum rbi_sweep_kind */
	bool public;
	const struct rbi_port_range *ports;	/* none: any port */
	size_t n_ports;
};

enum rbi_sweep_kind {
	RBI_SWEEP_ZONE,
	RBI_SWEEP_RECORDER,
	RBI_SWEEP_SERVICE,
};

static int rbi_cmp_sweep(const void *a, const void *b)
{
	const struct rbi_sweep *x = a, *y = b;
	int c;

	if (x->prefix->ip.family != y->prefix->ip.family)
		return x->prefix->ip.family - y->prefix->ip.family;
	c = memcmp(x->prefix->ip.a, y->prefix->ip.a, sizeof(x->prefix->ip.a));
	if (c)
		return c;
	/* The wider network first, so it encloses the narrower ones. */
	return x->prefix->len - y->prefix->len;
}

static void rbi_sweep_conflict(const struct rbi_sweep *outer,
			       const struct rbi_sweep *inner,
			       struct rbi_diags *d)
{
	const struct rbi_sweep *rec, *svc;
	char a[64], b[64];

	rbi_prefix_format(outer->prefix, a, sizeof(a));
	rbi_prefix_format(inner->prefix, b, sizeof(b));
	if (outer->kind == RBI_SWEEP_ZONE) {
		rbi_pdiag(d, RBI_DIAG_ERROR, inner->loc, "zones '%s' (%s) and "
			  "'%s' (%s) overlap: %s contains %s; an address must "
			  "be either publicly accessible or not",
			  outer->owner, outer->public ? "publicly accessible" :
			  "not publicly accessible", inner->owner,
			  inner->public ? "publicly accessible" :
			  "not publicly accessible", a, b);
		return;
	}
	rec = outer->kind == RBI_SWEEP_RECORDER ? outer : inner;
	svc = outer->kind == RBI_SWEEP_SERVICE ? outer : inner;
	rbi_pdiag(d, RBI_DIAG_ERROR, rec->loc, "recorder '%s' overlaps "
		  "catalogue service '%s' (%s:%u:%u): %s and %s; approving a "
		  "recorder must never open a way to an RBI service (the "
		  "prohibition has no exceptions)", rec->owner, svc->owner,
		  svc->loc->file, svc->loc->line, svc->loc->col, a, b);
}

bool rbi_ports_meet(const struct rbi_port_range *a, size_t na,
		    const struct rbi_port_range *b, size_t nb)
{
	size_t i, k;

	if (!na || !nb)
		return true;
	for (i = 0; i < na; i++)
		for (k = 0; k < nb; k++)
			if (a[i].lo <= b[k].hi && b[k].lo <= a[i].hi &&
			    (!a[i].l4 || !b[k].l4 || a[i].l4 == b[k].l4))
				return true;
	return false;
}

/*
 * CIDR networks either nest or are disjoint, so after sorting by start
 * address (wider first) a stack of enclosing networks finds every overlap
 * in O(n log n), which matters for policies with 100,000 networks.
 */
static bool rbi_sweep(struct rbi_sweep *v, size_t n, struct rbi_diags *d)
{
	const struct rbi_sweep **stack;
	size_t top = 0, i, j;
	bool ok = true;

	stack = calloc(n + 1, sizeof(*stack));
	if (!stack)
		return false;
	qsort(v, n, sizeof(*v), rbi_cmp_sweep);
	for (i = 0; i < n; i++) {
		while (top && !rbi_prefix_contains(stack[top - 1]->prefix,
						   &v[i].prefix->ip))
			top--;
		for (j = top; j-- > 0;) {
			const struct rbi_sweep *o = stack[j];

			if (o->kind == RBI_SWEEP_ZONE &&
			    v[i].kind == RBI_SWEEP_ZONE) {
				if (o->public != v[i].public) {
					rbi_sweep_conflict(o, &v[i], d);
					ok = false;
				}
				break;
			}
			if (o->kind != v[i].kind && o->kind != RBI_SWEEP_ZONE &&
			    v[i].kind != RBI_SWEEP_ZONE &&
			    rbi_ports_meet(o->ports, o->n_ports, v[i].ports,
					   v[i].n_ports)) {
				rbi_sweep_conflict(o, &v[i], d);
				ok = false;
				break;
			}
		}
		stack[top++] = &v[i];
	}
	free(stack);
	return ok;
}

static bool rbi_check_overlaps(const struct rbi_policy *p, struct rbi_diags *d)
{
	struct rbi_sweep *zones, *rs;
	size_t nz = 0, nr = 0, i, k;
	bool ok;

	for (i = 0; i < p->n_zones; i++)
		nz += p->zones[i].n_nets;
	for (i = 0; i < p->n_recorders; i++)
		nr += p->recorders[i].n_nets;
	for (i = 0; i < p->n_services; i++)
		nr += p->recorders ? p->services[i].n_nets : 0;
	zones = calloc(nz + 1, sizeof(*zones));
	rs = calloc(nr + 1, sizeof(*rs));
	if (!zones || !rs) {
		free(zones);
		free(rs);
		return false;
	}
	for (i = 0, nz = 0; i < p->n_zones; i++)
		for (k = 0; k < p->zones[i].n_nets; k++)
			zones[nz++] = (struct rbi_sweep){
				&p->zones[i].nets[k].prefix,
				&p->zones[i].nets[k].loc, p->zones[i].name,
				RBI_SWEEP_ZONE, p->zones[i].public, NULL, 0 };
	ok = rbi_sweep(zones, nz, d);
	nr = 0;
	for (i = 0; i < p->n_recorders; i++)
		for (k = 0; k < p->recorders[i].n_nets; k++)
			rs[nr++] = (struct rbi_sweep){
				&p->recorders[i].nets[k].prefix,
				&p->recorders[i].nets[k].loc,
				p->recorders[i].name, RBI_SWEEP_RECORDER, 0,
				p->recorders[i].ports,
				p->recorders[i].n_ports };
	/*
	 * Only worth sweeping services when there are recorders at all. A /0
	 * network is a port signature, not hosts a recorder could be.
	 */
	for (i = 0; nr && i < p->n_services; i++)
		for (k = 0; k < p->services[i].n_nets; k++)
			if (p->services[i].nets[k].prefix.len)
				rs[nr++] = (struct rbi_sweep){
					&p->services[i].nets[k].prefix,
					&p->services[i].nets[k].loc,
					p->services[i].id, RBI_SWEEP_SERVICE,
					0, p->services[i].ports,
					p->services[i].n_ports };
	ok &= rbi_sweep(rs, nr, d);
	free(zones);
	free(rs);
	return ok;
}

/*
 * A part of the prohibition the policy leaves out: an error when a zone is
 * publicly accessible. With none, still a warning, so that declaring every
 * zone not publicly accessible never turns the prohibition off in silence.
 */
static bool rbi_prohibition_part(struct rbi_diags *d, const struct rbi_loc *at,
				 const struct rbi_zone *pub, const char *msg)
{
	if (pub) {
		rbi_pdiag(d, RBI_DIAG_ERROR, at, "%s (zone '%s' is publicly "
			  "accessible)", msg, pub->name);
		return false;
	}
	rbi_pdiag(d, RBI_DIAG_WARNING, at, "%s; allowed here only because no "
		  "zone is publicly accessible", msg);
	return true;
}

/* The prohibition, part by part, for publicly accessible zones. */
static bool rbi_check_prohibition(const struct rbi_policy *p,
				  struct rbi_diags *d)
{
	const struct rbi_zone *pub = NULL;
	const struct rbi_loc *at = &p->prohibit_loc;
	bool ok = true;
	size_t i;

	for (i = 0; i < p->n_zones && !pub; i++)
		if (p->zones[i].public)
			pub = &p->zones[i];
	if (!pub && p->n_zones)
		rbi_pdiag(d, RBI_DIAG_WARNING, &p->zones[0].loc, "no zone is "
			  "publicly accessible, so rbiblock blocks nothing: "
			  "mark the zones of cameras that cover publicly "
			  "accessible spaces 'publicly-accessible: true'");
	if (!p->n_zones)
		return true;
	if (p->n_exceptions)
		ok &= rbi_prohibition_part(d, at, pub, "prohibit.exceptions "
					   "must be empty: the prohibition "
					   "allows no exceptions in publicly "
					   "accessible spaces");
	if ((p->timing & (RBI_TIMING_REAL_TIME | RBI_TIMING_POST)) !=
	    (RBI_TIMING_REAL_TIME | RBI_TIMING_POST))
		ok &= rbi_prohibition_part(d, at, pub, "prohibit.timing must "
					   "list both 'real-time' and 'post': "
					   "the prohibition covers real-time "
					   "and retrospective identification "
					   "alike");
	if ((p->actors & (RBI_ACTOR_PUBLIC | RBI_ACTOR_PRIVATE)) !=
	    (RBI_ACTOR_PUBLIC | RBI_ACTOR_PRIVATE))
		ok &= rbi_prohibition_part(d, at, pub, "prohibit.actors must "
					   "list both 'public' and 'private': "
					   "the prohibition binds private "
					   "actors as well as public "
					   "authorities");
	if (!(p->prohibited & RBI_CAT_BIT(RBI_CAT_RBI)))
		ok &= rbi_prohibition_part(d, at, pub, "prohibit.categories "
					   "must include 'remote-biometric-"
					   "identification': it is what the "
					   "prohibition forbids in publicly "
					   "accessible spaces");
	if (p->mode[RBI_ENF_ANALYTICS] == RBI_MODE_ALLOW)
		ok &= rbi_prohibition_part(d, &p->mode_loc[RBI_ENF_ANALYTICS],
					   pub, "enforce.camera-analytics must "
					   "not be 'allow': it would let "
					   "face-library enrolment and face "
					   "recognition requests reach cameras "
					   "in publicly accessible zones; "
					   "'log' records them without "
					   "stopping them");
	if (!pub)
		return ok;
	if (!(p->prohibited & RBI_CAT_BIT(RBI_CAT_CATEGORISATION)))
		rbi_pdiag(d, RBI_DIAG_WARNING, at, "prohibit.categories leaves "
			  "out 'biometric-categorisation': the prohibition "
			  "also asks to stop biometric categorisation");
	if (!(p->prohibited & RBI_CAT_BIT(RBI_CAT_EMOTION)))
		rbi_pdiag(d, RBI_DIAG_WARNING, at, "prohibit.categories leaves "
			  "out 'emotion-recognition': the prohibition also "
			  "asks to stop emotion recognition");
	if (p->mode[RBI_ENF_SHARED_HOSTS] == RBI_MODE_LOG)
		rbi_pdiag(d, RBI_DIAG_WARNING, &p->mode_loc[RBI_ENF_SHARED_HOSTS],
			  "enforce.shared-hosts is 'log': hosts that serve "
			  "biometric and other APIs are only logged, so "
			  "identification through them is not stopped");
	if (p->mode[RBI_ENF_ECH] == RBI_MODE_ALLOW)
		rbi_pdiag(d, RBI_DIAG_WARNING, &p->mode_loc[RBI_ENF_ECH],
			  "enforce.encrypted-client-hello is 'allow': an "
			  "encrypted ClientHello hides the service name, so an "
			  "RBI service could be reached unseen");
	if (p->mode[RBI_ENF_QUIC] == RBI_MODE_ALLOW)
		rbi_pdiag(d, RBI_DIAG_WARNING, &p->mode_loc[RBI_ENF_QUIC],
			  "enforce.quic is 'allow': QUIC hides the service "
			  "name from the gateway, so an RBI service could be "
			  "reached unseen");
	if (p->mode[RBI_ENF_DOH] == RBI_MODE_ALLOW)
		rbi_pdiag(d, RBI_DIAG_WARNING, &p->mode_loc[RBI_ENF_DOH],
			  "enforce.dns-over-https is 'allow': cameras can "
			  "resolve RBI services without the gateway learning "
			  "their addresses");
	if (p->mode[RBI_ENF_ANALYTICS] == RBI_MODE_LOG)
		rbi_pdiag(d, RBI_DIAG_WARNING, &p->mode_loc[RBI_ENF_ANALYTICS],
			  "enforce.camera-analytics is 'log': face-library "
			  "enrolment and face recognition requests to cameras "
			  "in publicly accessible zones are recorded, not "
			  "stopped");
	if (!p->fail_closed)
		rbi_pdiag(d, RBI_DIAG_WARNING, &p->on_failure_loc,
			  "enforce.on-failure is 'open': when rbiblock cannot "
			  "guarantee the policy (a flow it cannot read or has "
			  "no room for, the module gone), cameras of zone '%s' "
			  "keep full access and are only logged; the "
			  "prohibition makes no exception for outages",
			  pub->name);
	return ok;
}

bool rbi_policy_check(const struct rbi_policy *p, unsigned int flags,
		      struct rbi_diags *d)
{
	bool ok = rbi_check_names(p, d);

	ok &= rbi_check_overlaps(p, d);
	if (!(flags & RBI_POLICY_NO_PROHIBITION))
		ok &= rbi_check_prohibition(p, d);
	return ok;
}
