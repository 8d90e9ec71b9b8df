// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The policy model into the classifier's configuration. One walk over the
 * model emits configuration items (rbi_item.h): compiling applies them to a
 * local rbi_config, and the module client sends the very same items to the
 * kernel, so ids assigned here mean the same thing there.
 */
#include "policy/internal.h"

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

struct rbi_walk {
	const struct rbi_policy *p;
	rbi_item_fn emit;
	void *ctx;
	struct rbi_diags *diags;
};

/*
 * Emits it once per port range of a network (value: the range's protocol),
 * or once for any port.
 */
static int rbi_walk_ports(struct rbi_walk *w, struct rbi_item *it,
			  const struct rbi_port_range *ports, size_t n_ports)
{
	size_t i;
	int err;

	if (!n_ports) {
		it->port_lo = 0;
		it->port_hi = 0xffff;
		it->value = 0;
		return w->emit(w->ctx, it);
	}
	for (i = 0; i < n_ports; i++) {
		it->port_lo = ports[i].lo;
		it->port_hi = ports[i].hi;
		it->value = ports[i].l4;
		err = w->emit(w->ctx, it);
		if (err)
			return err;
	}
	return 0;
}

static const char *rbi_add_error(int err, const char *what)
{
	switch (err) {
	case -EEXIST:
		return what;
	case -ENOSPC:
		return "too many overlapping one-label '*' patterns on one "
		       "path; spell out some of the labels";
	case -ENOMEM:
		return "out of memory";
	default:
		return "refused";
	}
}

/* The name patterns of s, which stand for value; *pid is the next id. */
static int rbi_walk_names(struct rbi_walk *w, const struct rbi_service *s,
			  uint32_t value, uint32_t *pid)
{
	struct rbi_item it = { .kind = RBI_ITEM_PATTERN, .value = value };
	size_t k;
	int err;

	for (k = 0; k < s->n_names; k++, (*pid)++) {
		it.id = *pid;
		it.text = s->names[k].text;
		it.text_len = rbi_strlen(s->names[k].text);
		err = w->emit(w->ctx, &it);
		if (err) {
			rbi_diag_add(w->diags, RBI_DIAG_ERROR,
				     s->names[k].loc.file,
				     s->names[k].loc.line,
				     s->names[k].loc.col,
				     "name pattern '%s' of '%s': %s",
				     s->names[k].text, s->id,
				     rbi_add_error(err, "the same pattern is "
						   "already listed"));
			return err;
		}
	}
	return 0;
}

static void rbi_walk_net_error(struct rbi_walk *w, const struct rbi_service *s,
			       const struct rbi_network *net, int err)
{
	char buf[RBI_PREFIX_STRLEN];

	rbi_prefix_format(&net->prefix, buf, sizeof(buf));
	rbi_diag_add(w->diags, RBI_DIAG_ERROR, net->loc.file, net->loc.line,
		     net->loc.col, "network %s of '%s': %s", buf, s->id,
		     rbi_add_error(err, "another entry already lists this "
				   "network with the same ports"));
}

static int rbi_walk_service(struct rbi_walk *w, uint32_t i, uint32_t *pid,
			    uint32_t *nid)
{
	const struct rbi_service *s = &w->p->services[i];
	struct rbi_item it = {
		.kind = RBI_ITEM_SERVICE,
		.index = i,
		.value = s->categories,
		.flags = (s->shared ? RBI_SVC_SHARED : 0) |
			 (s->unconfirmed ? RBI_SVC_UNCONFIRMED : 0),
		.text = s->id,
		.text_len = rbi_strlen(s->id),
	};
	size_t k;
	int err;

	err = w->emit(w->ctx, &it);
	if (!err)
		err = rbi_walk_names(w, s, i, pid);
	rbi_memset(&it, 0, sizeof(it));
	it.kind = RBI_ITEM_SERVICE_NET;
	it.index = i;
	for (k = 0; k < s->n_nets && !err; k++, (*nid)++) {
		it.id = *nid;
		it.prefix = s->nets[k].prefix;
		err = rbi_walk_ports(w, &it, s->ports, s->n_ports);
		if (err)
			rbi_walk_net_error(w, s, &s->nets[k], err);
	}
	return err;
}

static int rbi_walk_doh(struct rbi_walk *w, uint32_t i, uint32_t *pid)
{
	const struct rbi_service *s = &w->p->doh[i];
	struct rbi_item it = { .kind = RBI_ITEM_DOH_NET, .index = i };
	size_t k;
	int err;

	err = rbi_walk_names(w, s, i | RBI_DOH_VALUE, pid);
	for (k = 0; k < s->n_nets && !err; k++) {
		it.prefix = s->nets[k].prefix;
		err = w->emit(w->ctx, &it);
	}
	return err;
}

static int rbi_walk_zones(struct rbi_walk *w)
{
	const struct rbi_zone *z;
	struct rbi_item it;
	uint32_t i;
	size_t k;
	int err = 0;

	for (i = 0; i < w->p->n_zones && !err; i++) {
		z = &w->p->zones[i];
		rbi_memset(&it, 0, sizeof(it));
		it.kind = RBI_ITEM_ZONE;
		it.index = i;
		it.flags = z->public ? RBI_ITEM_PUBLIC : 0;
		err = w->emit(w->ctx, &it);
		it.kind = RBI_ITEM_ZONE_NET;
		it.flags = 0;
		for (k = 0; k < z->n_nets && !err; k++) {
			it.prefix = z->nets[k].prefix;
			err = w->emit(w->ctx, &it);
		}
	}
	return err;
}

static int rbi_walk_recorders(struct rbi_walk *w)
{
	const struct rbi_recorder *r;
	struct rbi_item it = { .kind = RBI_ITEM_RECORDER_NET };
	uint32_t i;
	size_t k;
	int err = 0;

	for (i = 0; i < w->p->n_recorders && !err; i++) {
		r = &w->p->recorders[i];
		it.index = i;
		for (k = 0; k < r->n_nets && !err; k++) {
			it.prefix = r->nets[k].prefix;
			err = rbi_walk_ports(w, &it, r->ports, r->n_ports);
		}
	}
	return err;
}

static int rbi_walk_resolvers(struct rbi_walk *w)
{
	struct rbi_item it = { .kind = RBI_ITEM_RESOLVER_NET };
	const struct rbi_resolver *r;
	uint32_t i;
	size_t k;
	int err = 0;

	for (i = 0; i < w->p->n_resolvers && !err; i++) {
		r = &w->p->resolvers[i];
		it.index = i;
		for (k = 0; k < r->n_nets && !err; k++) {
			it.prefix = r->nets[k].prefix;
			err = w->emit(w->ctx, &it);
		}
	}
	return err;
}

static int rbi_walk_settings(struct rbi_walk *w)
{
	struct rbi_item it = {
		.kind = RBI_ITEM_PROHIBITED,
		.value = w->p->prohibited,
	};
	uint32_t i;
	int err;

	err = w->emit(w->ctx, &it);
	it.kind = RBI_ITEM_MODE;
	for (i = 0; i < __RBI_ENF_MAX && !err; i++) {
		it.index = i;
		it.value = w->p->mode[i];
		err = w->emit(w->ctx, &it);
	}
	if (err)
		return err;
	it.kind = RBI_ITEM_ON_FAILURE;
	it.index = 0;
	it.value = !w->p->fail_closed;
	return w->emit(w->ctx, &it);
}

int rbi_policy_items(const struct rbi_policy *p, rbi_item_fn emit, void *ctx,
		     struct rbi_diags *diags)
{
	struct rbi_walk w = { p, emit, ctx, diags };
	uint32_t i, pid = 0, nid = 0;
	int err;

	err = rbi_walk_zones(&w);
	if (!err)
		err = rbi_walk_recorders(&w);
	if (!err)
		err = rbi_walk_resolvers(&w);
	for (i = 0; i < p->n_services && !err; i++)
		err = rbi_walk_service(&w, i, &pid, &nid);
	for (i = 0; i < p->n_doh && !err; i++)
		err = rbi_walk_doh(&w, i, &pid);
	if (!err)
		err = rbi_walk_settings(&w);
	if (err && !diags->errors)
		rbi_diag_add(diags, RBI_DIAG_ERROR, p->files[0].path, 0, 0,
			     "cannot compile the policy: %s",
			     rbi_add_error(err, "an entry is listed twice"));
	return err;
}

static int rbi_compile_item(void *ctx, const struct rbi_item *it)
{
	return rbi_item_apply(ctx, it);
}

struct rbi_config *rbi_policy_compile(const struct rbi_policy *p,
				      struct rbi_diags *diags)
{
	struct rbi_config_counts n;
	struct rbi_config *c;

	rbi_policy_counts(p, &n);
	c = rbi_config_alloc(&n);
	if (!c)
		return NULL;
	if (rbi_policy_items(p, rbi_compile_item, c, diags)) {
		rbi_config_free(c);
		return NULL;
	}
	return c;
}
