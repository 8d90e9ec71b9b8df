/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What a policy enforces, as JSON and text: the prohibition, the zones,
 * the enforce settings and the catalogues with each file's digest.
 * `policy show` and `status` print these parts; the daemon puts them in
 * the audit log's policy records (audit/record.h), so that a report made
 * from the log alone can say what was enforced and what was not.
 */
#ifndef RBI_POLICY_FACTS_H
#define RBI_POLICY_FACTS_H

#include "policy/policy.h"
#include "util/json.h"

/* The names of enforce setting i, timing bit i and actor bit i. */
const char *rbi_enforce_name(unsigned int i);
const char *rbi_policy_timing_name(unsigned int i);
const char *rbi_policy_actor_name(unsigned int i);

/* "networks": [prefixes]. */
void rbi_policy_json_nets(struct rbi_json *j, const struct rbi_network *nets,
			  size_t n);

/* Members "prohibit", "zones" and "enforce", as policy show has them. */
void rbi_policy_json_prohibit(struct rbi_json *j, const struct rbi_policy *p);
void rbi_policy_json_zones(struct rbi_json *j, const struct rbi_policy *p);
void rbi_policy_json_enforce(struct rbi_json *j, const struct rbi_policy *p);

/*
 * Each catalogue the policy uses on a line of its own, "catalogue: "
 * after indent (its source, release, digest, files and signer), and with
 * files, each of its files and that file's sha256 on the lines after it.
 */
void rbi_policy_catalog_text(const struct rbi_policy *p, const char *indent,
			     bool files, struct rbi_buf *out);

/*
 * The members "catalog" and "enforced" of a policy record, in out, in at
 * most cap bytes:
 *   "catalog": {"sha256", "services", "local_services", "doh_resolvers",
 *               "newest" (the newest evidence date, or null),
 *               "catalogs": [as policy show --json has them]}
 *   "enforced": {"basis", "prohibit", "enforce", "zones", "zones_omitted"}
 * Zones that do not fit are counted in zones_omitted; catalogues whose
 * files do not fit are left out and counted in catalogs_omitted. -1 when
 * out of memory.
 */
int rbi_policy_facts(const struct rbi_policy *p, struct rbi_buf *out,
		     size_t cap);

#endif
