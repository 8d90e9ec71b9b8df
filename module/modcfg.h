/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_MODCFG_H
#define RBI_MODCFG_H

#include <linux/types.h>

#include "core/rbi_item.h"
#include "core/rbi_learn.h"
#include "core/rbi_verdict.h"
#include "uapi/rbiblock.h"

/*
 * A configuration as the module runs it: the classifier's rbi_config, the
 * ids of its services (events and learned addresses name services by id,
 * which survive a reload; indexes do not), and the addresses learned from
 * DNS under it. Read under RCU or the namespace's lock; learned only under
 * its learn_lock.
 */
struct rbi_modcfg {
	struct rbi_config *cfg;
	struct rbi_learn *learned;
	struct rbi_config_counts n;
	u32 *svc_off;		/* service -> offset of its id in ids */
	u32 *svc_sorted;	/* services in id order, once sealed */
	char *ids;		/* NUL-terminated ids, back to back */
	u32 ids_len;
	u32 ids_cap;
	u32 generation;
	char sha256[RBI_SHA256_HEX + 1];
	char name[RBI_LIMIT_POLICY_NAME + 1];
};

struct rbi_modcfg *rbi_modcfg_alloc(const struct rbi_config_counts *n,
				    const char *sha256, const char *name);
void rbi_modcfg_free(struct rbi_modcfg *mc);

/* rbi_item_apply(), keeping the id of a service item. */
int rbi_modcfg_apply(struct rbi_modcfg *mc, const struct rbi_item *it);

/* After the last item: indexes the ids and allocates the learned table. */
int rbi_modcfg_seal(struct rbi_modcfg *mc);

/* The id of service, "" when it has none. */
const char *rbi_modcfg_service_id(const struct rbi_modcfg *mc, u32 service);

/*
 * Copies the addresses learned under from into to, each for the service of
 * the same id in to (dropped when to has none). The caller holds the learn
 * lock; to must be sealed.
 */
void rbi_modcfg_learn_merge(struct rbi_modcfg *to,
			    const struct rbi_modcfg *from, u64 now);

#endif
