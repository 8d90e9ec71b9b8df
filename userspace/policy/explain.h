/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Decisions in words and in JSON, shared by `policy explain`, `scan` and
 * `watch`, so that the same flow is described the same way everywhere.
 */
#ifndef RBI_EXPLAIN_H
#define RBI_EXPLAIN_H

#include "util/buf.h"
#include "util/json.h"
#include "policy/policy.h"

/* Zone name, service (or resolver) id, category and rule; NULL if none. */
const char *rbi_decision_zone(const struct rbi_policy *p,
			      const struct rbi_decision *d);
const char *rbi_decision_service(const struct rbi_policy *p,
				 const struct rbi_decision *d);
const char *rbi_decision_category(const struct rbi_decision *d);
const char *rbi_decision_rule(const struct rbi_decision *d);
/* The basis of the decision's rule, or NULL when nothing was blocked. */
const char *rbi_decision_basis(const struct rbi_policy *p,
			       const struct rbi_decision *d);

/* One sentence a person can read: why d came out as it did. */
void rbi_decision_reason(const struct rbi_policy *p, const struct rbi_flow *f,
			 const struct rbi_decision *d, struct rbi_buf *out);

/*
 * The design's decision fields into an open JSON object: verdict, zone,
 * service, category, rule, basis (and reason when with_reason).
 */
void rbi_decision_json(const struct rbi_policy *p, const struct rbi_flow *f,
		       const struct rbi_decision *d, bool with_reason,
		       struct rbi_json *j);

#endif
