// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <string.h>

#include "daemon/backend.h"
#include "kmod/modctl.h"
#include "nft/plan.h"

static const char *const rbi_backend_names[__RBI_BACKEND_MAX] = {
	[RBI_BACKEND_AUTO] = "auto",
	[RBI_BACKEND_NFT] = "nft",
	[RBI_BACKEND_MODULE] = "module",
};

int rbi_backend_parse(const char *s, enum rbi_backend *b)
{
	unsigned int i;

	for (i = 0; i < __RBI_BACKEND_MAX; i++) {
		if (!strcmp(s, rbi_backend_names[i])) {
			*b = i;
			return 0;
		}
	}
	return -1;
}

int rbi_backend_apply(const struct rbi_policy *p, enum rbi_backend backend,
		      const char *fail_closed, struct rbi_backend_result *res,
		      char *err, size_t len)
{
	struct rbi_nft_apply_opts o = { "nft", NULL };
	bool module = rbi_module_loaded();
	bool missing = backend == RBI_BACKEND_MODULE && !module;
	struct rbi_nft_plan plan;
	int rc;

	memset(res, 0, sizeof(*res));
	if (missing && !fail_closed)
		fail_closed = "the policy requires rbiblock.ko, which is not "
			      "loaded";
	if (backend != RBI_BACKEND_NFT && module)
		o.backend = "nft+module";
	if (p->fail_closed)
		o.fail_closed = fail_closed;
	if (rbi_nft_plan_build(p, &plan)) {
		snprintf(err, len, "out of memory compiling the policy");
		return -1;
	}
	plan.fail_closed = o.fail_closed;
	rc = rbi_nft_apply(&plan, &o, &res->nft, err, len);
	rbi_nft_plan_free(&plan);
	if (!rc && module && backend != RBI_BACKEND_NFT &&
	    rbi_modctl_apply(p, err, len))
		rc = -1;
	res->used = o.backend;
	res->fail_closed = o.fail_closed;
	if (!rc && missing) {
		res->module_missing = true;
		snprintf(err, len, "--backend module: rbiblock.ko is not loaded "
			 "(load it with 'modprobe rbiblock', or apply with "
			 "--backend nft)%s", p->fail_closed ?
			 "; on-failure: closed, so camera egress from public "
			 "zones is now blocked except to recorders" : "");
		rc = -1;
	}
	return rc;
}
