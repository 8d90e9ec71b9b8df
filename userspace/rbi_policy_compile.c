// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The policy model into the classifier's configuration. The module gets the
 * same configuration over generic netlink and builds it with the same
 * rbi_config_* calls, so ids assigned here mean the same thing there.
 */
#include "rbi_policy_int.h"

void rbi_policy_counts(const struct rbi_policy *p, struct rbi_config_counts *n)
{
	size_t i;

	rbi_memset(n, 0, sizeof(*n));
	n->zones = (uint32_t)p->n_zones;
	n->recorders = (uint32_t)p->n_recorders;
	n->services = (uint32_t)p->n_services;
	n->doh = (uint32_t)p->n_doh;
	for (i = 0; i < p->n_services; i++) {
		n->patterns += (uint32_t)p->services[i].n_names;
		n->nets += (uint32_t)p->services[i].n_nets;
	}
	for (i = 0; i < p->n_doh; i++)
		n->patterns += (uint32_t)p->doh[i].n_names;
}

/* Calls add for each port range of a network, or once for any port. */
static int rbi_each_port(const struct rbi_port_range *ports, size_t n_ports,
			 int (*add)(struct rbi_config *, const void *,
				    const struct rbi_prefix *, uint16_t,
				    uint16_t),
			 struct rbi_config *c, const void *arg,
			 const struct rbi_prefix *pfx)
{
	size_t i;
	int err;

	if (!n_ports)
		return add(c, arg, pfx, 0, 0xffff);
	for (i = 0; i < n_ports; i++) {
		err = add(c, arg, pfx, ports[i].lo, ports[i].hi);
		if (err)
			return err;
	}
	return 0;
}

struct rbi_svc_net {
	uint32_t service;
	uint32_t net_id;
};

static int rbi_add_svc_net(struct rbi_config *c, const void *arg,
			   const struct rbi_prefix *pfx, uint16_t lo,
			   uint16_t hi)
{
	const struct rbi_svc_net *sn = arg;

	return rbi_config_add_service_net(c, sn->service, pfx, lo, hi,
					  sn->net_id);
}

static int rbi_add_rec_net(struct rbi_config *c, const void *arg,
			   const struct rbi_prefix *pfx, uint16_t lo,
			   uint16_t hi)
{
	return rbi_config_add_recorder_net(c, *(const uint32_t *)arg, pfx, lo,
					   hi);
}

static const char *rbi_add_error(int err)
{
	switch (err) {
	case -EEXIST:
		return "the same pattern is already listed";
	case -ENOSPC:
		return "too many overlapping one-label '*' patterns on one "
		       "path; spell out some of the labels";
	case -ENOMEM:
		return "out of memory";
	default:
		return "refused";
	}
}

static int rbi_compile_services(const struct rbi_policy *p,
				struct rbi_config *c, struct rbi_diags *diags)
{
	uint32_t i, k, pid = 0, nid = 0;
	struct rbi_svc_net sn;
	const struct rbi_service *s;
	int err = 0;

	for (i = 0; i < p->n_services && !err; i++) {
		s = &p->services[i];
		err = rbi_config_set_service(c, i, s->categories,
					     (s->shared ? RBI_SVC_SHARED : 0) |
					     (s->unconfirmed ?
					      RBI_SVC_UNCONFIRMED : 0));
		for (k = 0; k < s->n_names && !err; k++, pid++) {
			err = rbi_config_add_pattern(c, s->names[k].text,
						     rbi_strlen(s->names[k].text),
						     i, pid);
			if (err)
				rbi_diag_add(diags, RBI_DIAG_ERROR,
					     s->names[k].loc.file,
					     s->names[k].loc.line,
					     s->names[k].loc.col,
					     "name pattern '%s' of '%s': %s",
					     s->names[k].text, s->id,
					     rbi_add_error(err));
		}
		for (k = 0; k < s->n_nets && !err; k++, nid++) {
			sn.service = i;
			sn.net_id = nid;
			err = rbi_each_port(s->ports, s->n_ports,
					    rbi_add_svc_net, c, &sn,
					    &s->nets[k].prefix);
		}
	}
	for (i = 0; i < p->n_doh && !err; i++) {
		s = &p->doh[i];
		for (k = 0; k < s->n_names && !err; k++, pid++) {
			err = rbi_config_add_pattern(c, s->names[k].text,
						     rbi_strlen(s->names[k].text),
						     i | RBI_DOH_VALUE, pid);
			if (err)
				rbi_diag_add(diags, RBI_DIAG_ERROR,
					     s->names[k].loc.file,
					     s->names[k].loc.line,
					     s->names[k].loc.col,
					     "name pattern '%s' of '%s': %s",
					     s->names[k].text, s->id,
					     rbi_add_error(err));
		}
		for (k = 0; k < s->n_nets && !err; k++)
			err = rbi_config_add_doh_net(c, i, &s->nets[k].prefix);
	}
	return err;
}

struct rbi_config *rbi_policy_compile(const struct rbi_policy *p,
				      struct rbi_diags *diags)
{
	struct rbi_config_counts n;
	struct rbi_config *c;
	uint32_t i, k;
	int err = 0;

	rbi_policy_counts(p, &n);
	c = rbi_config_alloc(&n);
	if (!c)
		return NULL;
	for (i = 0; i < p->n_zones && !err; i++) {
		err = rbi_config_set_zone(c, i, p->zones[i].public);
		for (k = 0; k < p->zones[i].n_nets && !err; k++)
			err = rbi_config_add_zone_net(c, i,
						      &p->zones[i].nets[k].prefix);
	}
	for (i = 0; i < p->n_recorders && !err; i++)
		for (k = 0; k < p->recorders[i].n_nets && !err; k++)
			err = rbi_each_port(p->recorders[i].ports,
					    p->recorders[i].n_ports,
					    rbi_add_rec_net, c, &i,
					    &p->recorders[i].nets[k].prefix);
	if (!err)
		err = rbi_compile_services(p, c, diags);
	if (err) {
		if (!diags->errors)
			rbi_diag_add(diags, RBI_DIAG_ERROR, p->files[0].path,
				     0, 0, "cannot compile the policy: %s",
				     rbi_add_error(err));
		rbi_config_free(c);
		return NULL;
	}
	rbi_config_set_prohibited(c, p->prohibited);
	for (i = 0; i < __RBI_ENF_MAX; i++)
		rbi_config_set_mode(c, i, p->mode[i]);
	return c;
}
