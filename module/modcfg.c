// SPDX-License-Identifier: GPL-2.0
#include <linux/bsearch.h>
#include <linux/random.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "memory.h"
#include "modcfg.h"
#include "params.h"

struct rbi_modcfg *rbi_modcfg_alloc(const struct rbi_config_counts *n,
				    const char *sha256, const char *name)
{
	struct rbi_modcfg *mc = rbi_mem_zalloc(sizeof(*mc));

	if (!mc)
		return NULL;
	mc->n = *n;
	mc->cfg = rbi_config_alloc(n);
	/* Offset 0: the empty id, which services without one share. */
	mc->svc_off = rbi_mem_zalloc((size_t)max(n->services, 1u) *
				     sizeof(*mc->svc_off));
	mc->ids = rbi_grow(NULL, &mc->ids_cap, 1, 1);
	if (!mc->cfg || !mc->svc_off || !mc->ids) {
		rbi_modcfg_free(mc);
		return NULL;
	}
	mc->ids_len = 1;
	strscpy(mc->sha256, sha256, sizeof(mc->sha256));
	strscpy(mc->name, name, sizeof(mc->name));
	return mc;
}

void rbi_modcfg_free(struct rbi_modcfg *mc)
{
	if (!mc)
		return;
	rbi_config_free(mc->cfg);
	rbi_learn_free(mc->learned);
	rbi_mem_free(mc->svc_off);
	rbi_mem_free(mc->svc_sorted);
	rbi_mem_free(mc->ids);
	rbi_mem_free(mc);
}

static int rbi_modcfg_keep_id(struct rbi_modcfg *mc, u32 service,
			      const char *id, size_t len)
{
	char *ids;

	ids = rbi_grow(mc->ids, &mc->ids_cap, (size_t)mc->ids_len + len + 1, 1);
	if (!ids)
		return -ENOMEM;
	mc->ids = ids;
	memcpy(ids + mc->ids_len, id, len);
	ids[mc->ids_len + len] = '\0';
	mc->svc_off[service] = mc->ids_len;
	mc->ids_len += len + 1;
	return 0;
}

int rbi_modcfg_apply(struct rbi_modcfg *mc, const struct rbi_item *it)
{
	int err = rbi_item_apply(mc->cfg, it);

	if (err || it->kind != RBI_ITEM_SERVICE || !it->text_len)
		return err;
	return rbi_modcfg_keep_id(mc, it->index, it->text, it->text_len);
}

const char *rbi_modcfg_service_id(const struct rbi_modcfg *mc, u32 service)
{
	return service < mc->n.services ? mc->ids + mc->svc_off[service] : "";
}

static int rbi_modcfg_cmp(const void *a, const void *b, const void *priv)
{
	const struct rbi_modcfg *mc = priv;

	return strcmp(rbi_modcfg_service_id(mc, *(const u32 *)a),
		      rbi_modcfg_service_id(mc, *(const u32 *)b));
}

int rbi_modcfg_seal(struct rbi_modcfg *mc)
{
	u32 i;

	mc->svc_sorted = rbi_mem_zalloc((size_t)max(mc->n.services, 1u) *
					sizeof(*mc->svc_sorted));
	mc->learned = rbi_learn_alloc(rbi_param_learned_max, get_random_u32());
	if (!mc->svc_sorted || !mc->learned)
		return -ENOMEM;
	for (i = 0; i < mc->n.services; i++)
		mc->svc_sorted[i] = i;
	sort_r(mc->svc_sorted, mc->n.services, sizeof(*mc->svc_sorted),
	       rbi_modcfg_cmp, NULL, mc);
	return 0;
}

struct rbi_modcfg_key {
	const struct rbi_modcfg *mc;
	const char *id;
};

static int rbi_modcfg_find_cmp(const void *key, const void *elt)
{
	const struct rbi_modcfg_key *k = key;

	return strcmp(k->id, rbi_modcfg_service_id(k->mc, *(const u32 *)elt));
}

/* The service named id, or RBI_NONE; never for the empty id. */
static u32 rbi_modcfg_service_find(const struct rbi_modcfg *mc,
				   const char *id)
{
	struct rbi_modcfg_key key = { mc, id };
	const u32 *found;

	if (!*id)
		return RBI_NONE;
	found = bsearch(&key, mc->svc_sorted, mc->n.services,
			sizeof(*mc->svc_sorted), rbi_modcfg_find_cmp);
	return found ? *found : RBI_NONE;
}

void rbi_modcfg_learn_merge(struct rbi_modcfg *to,
			    const struct rbi_modcfg *from, u64 now)
{
	struct rbi_learn_entry e;
	u32 pos = 0, service;

	while (rbi_learn_next(from->learned, &pos, now, &e)) {
		service = rbi_modcfg_service_find(to,
			rbi_modcfg_service_id(from, e.service));
		if (service != RBI_NONE)
			rbi_learn_add(to->learned, &e.ip, service,
				      (u32)(e.expires - now), now, NULL);
	}
}
