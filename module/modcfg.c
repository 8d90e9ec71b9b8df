// SPDX-License-Identifier: GPL-2.0
#include <linux/bsearch.h>
#include <linux/random.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "memory.h"
#include "modcfg.h"
#include "params.h"

struct rbi_kconfig *rbi_kconfig_alloc(const struct rbi_config_counts *n,
				      const char *sha256, const char *name)
{
	struct rbi_kconfig *kc = rbi_mem_zalloc(sizeof(*kc));

	if (!kc)
		return NULL;
	kc->n = *n;
	kc->cfg = rbi_config_alloc(n);
	/* Offset 0: the empty id, which services without one share. */
	kc->svc_off = rbi_mem_zalloc((size_t)max(n->services, 1u) *
				     sizeof(*kc->svc_off));
	kc->ids = rbi_grow(NULL, &kc->ids_cap, 1, 1);
	if (!kc->cfg || !kc->svc_off || !kc->ids) {
		rbi_kconfig_free(kc);
		return NULL;
	}
	kc->ids_len = 1;
	strscpy(kc->sha256, sha256, sizeof(kc->sha256));
	strscpy(kc->name, name, sizeof(kc->name));
	return kc;
}

void rbi_kconfig_free(struct rbi_kconfig *kc)
{
	if (!kc)
		return;
	rbi_config_free(kc->cfg);
	rbi_learn_free(kc->learned);
	rbi_mem_free(kc->svc_off);
	rbi_mem_free(kc->svc_sorted);
	rbi_mem_free(kc->ids);
	rbi_mem_free(kc);
}

static int rbi_kconfig_keep_id(struct rbi_kconfig *kc, u32 service,
			       const char *id, size_t len)
{
	char *ids;

	ids = rbi_grow(kc->ids, &kc->ids_cap, (size_t)kc->ids_len + len + 1, 1);
	if (!ids)
		return -ENOMEM;
	kc->ids = ids;
	memcpy(ids + kc->ids_len, id, len);
	ids[kc->ids_len + len] = '\0';
	kc->svc_off[service] = kc->ids_len;
	kc->ids_len += len + 1;
	return 0;
}

int rbi_kconfig_apply(struct rbi_kconfig *kc, const struct rbi_item *it)
{
	int err = rbi_item_apply(kc->cfg, it);

	if (err || it->kind != RBI_ITEM_SERVICE || !it->text_len)
		return err;
	return rbi_kconfig_keep_id(kc, it->index, it->text, it->text_len);
}

const char *rbi_kconfig_service_id(const struct rbi_kconfig *kc, u32 service)
{
	return service < kc->n.services ? kc->ids + kc->svc_off[service] : "";
}

static int rbi_kconfig_cmp(const void *a, const void *b, const void *priv)
{
	const struct rbi_kconfig *kc = priv;

	return strcmp(rbi_kconfig_service_id(kc, *(const u32 *)a),
		      rbi_kconfig_service_id(kc, *(const u32 *)b));
}

int rbi_kconfig_seal(struct rbi_kconfig *kc)
{
	u32 i;

	kc->svc_sorted = rbi_mem_zalloc((size_t)max(kc->n.services, 1u) *
					sizeof(*kc->svc_sorted));
	kc->learned = rbi_learn_alloc(rbi_param_learned_max, get_random_u32());
	if (!kc->svc_sorted || !kc->learned)
		return -ENOMEM;
	for (i = 0; i < kc->n.services; i++)
		kc->svc_sorted[i] = i;
	sort_r(kc->svc_sorted, kc->n.services, sizeof(*kc->svc_sorted),
	       rbi_kconfig_cmp, NULL, kc);
	return 0;
}

struct rbi_kconfig_key {
	const struct rbi_kconfig *kc;
	const char *id;
};

static int rbi_kconfig_find_cmp(const void *key, const void *elt)
{
	const struct rbi_kconfig_key *k = key;

	return strcmp(k->id, rbi_kconfig_service_id(k->kc, *(const u32 *)elt));
}

/* The service named id, or RBI_NONE; never for the empty id. */
static u32 rbi_kconfig_service_find(const struct rbi_kconfig *kc,
				    const char *id)
{
	struct rbi_kconfig_key key = { kc, id };
	const u32 *found;

	if (!*id)
		return RBI_NONE;
	found = bsearch(&key, kc->svc_sorted, kc->n.services,
			sizeof(*kc->svc_sorted), rbi_kconfig_find_cmp);
	return found ? *found : RBI_NONE;
}

void rbi_kconfig_learn_merge(struct rbi_kconfig *to,
			     const struct rbi_kconfig *from, u64 now)
{
	struct rbi_learn_entry e;
	u32 pos = 0, service;

	while (rbi_learn_next(from->learned, &pos, now, &e)) {
		service = rbi_kconfig_service_find(to,
			rbi_kconfig_service_id(from, e.service));
		if (service != RBI_NONE)
			rbi_learn_add(to->learned, &e.ip, service,
				      (u32)(e.expires - now), now);
	}
}
