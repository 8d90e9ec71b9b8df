// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/backend.h"
#include "kmod/modctl.h"
#include "nft/defs.h"
#include "nft/plan.h"

static const char *const rbi_backend_names[__RBI_BACKEND_MAX] = {
	[RBI_BACKEND_AUTO] = "auto",
	[RBI_BACKEND_NFT] = "nft",
	[RBI_BACKEND_MODULE] = "module",
	[RBI_BACKEND_QUEUE] = "queue",
};

const char *rbi_backend_name(enum rbi_backend b)
{
	return b < __RBI_BACKEND_MAX ? rbi_backend_names[b] : "auto";
}

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

uint16_t rbi_backend_queues(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > RBI_NFT_QUEUES_MAX ? RBI_NFT_QUEUES_MAX : (uint16_t)n;
}

/*
 * The queue backend's rules as this kernel can write them; false (and
 * why, in why) when it can queue nothing.
 */
static bool rbi_backend_queue(const struct rbi_policy *p,
			      struct rbi_nft_queue *q, char *why, size_t len)
{
	memset(q, 0, sizeof(*q));
	q->n = rbi_backend_queues();
	q->bypass = !p->fail_closed;
	if (rbi_nft_queue_probe(q, why, len)) {
		q->kind = RBI_NFT_QUEUE_NONE;
		return false;
	}
	return true;
}

void rbi_backend_offload_gap(const struct rbi_nft_foreign *f, bool module,
			     const char *read_err, char *why, size_t len)
{
	why[0] = '\0';
	if (module)
		return;
	if (read_err)
		snprintf(why, len, "other tables' flowtables unreadable (%s)",
			 read_err);
	else if (f->n)
		snprintf(why, len, "%.*s offloads flows past what rbiblock "
			 "reads (no rbiblock.ko)", (int)strcspn(f->what[0], ","),
			 f->what[0]);
}

/* Other tables' flowtables, and what they leave unenforced. */
static void rbi_backend_foreign(bool module, struct rbi_backend_result *res)
{
	char err[RBI_NFT_ERR_LEN];
	int rc = rbi_nft_foreign_read(&res->foreign, err, sizeof(err));

	rbi_backend_offload_gap(&res->foreign, module, rc ? err : NULL,
				res->unguarded, sizeof(res->unguarded));
}

int rbi_backend_apply(const struct rbi_policy *p, enum rbi_backend backend,
		      const char *fail_closed, unsigned int flags,
		      const char *keep, struct rbi_backend_result *res,
		      char *err, size_t len)
{
	struct rbi_nft_apply_opts o = { "nft", NULL, flags & RBI_BACKEND_OFFLOAD,
					 flags & RBI_BACKEND_FORCE, keep };
	bool module = rbi_module_loaded(), noqueue = false;
	bool missing = backend == RBI_BACKEND_MODULE && !module;
	char why[RBI_NFT_ERR_LEN] = "";
	struct rbi_nft_queue queue;
	struct rbi_nft_plan plan;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&queue, 0, sizeof(queue));
	if (backend == RBI_BACKEND_QUEUE)
		noqueue = !rbi_backend_queue(p, &queue, why, sizeof(why));
	if (missing && !fail_closed)
		fail_closed = "the policy requires rbiblock.ko, which is not "
			      "loaded";
	if (noqueue && !fail_closed)
		fail_closed = "the queue backend cannot queue packets on this "
			      "kernel";
	if ((backend == RBI_BACKEND_AUTO || backend == RBI_BACKEND_MODULE) &&
	    module)
		o.backend = "nft+module";
	if (queue.kind != RBI_NFT_QUEUE_NONE)
		o.backend = "nft+queue";
	rbi_backend_foreign(!strcmp(o.backend, "nft+module"), res);
	if (!fail_closed && res->unguarded[0])
		fail_closed = res->unguarded;
	if (p->fail_closed)
		o.fail_closed = fail_closed;
	if (rbi_nft_plan_build(p, &plan)) {
		snprintf(err, len, "out of memory compiling the policy");
		return -1;
	}
	plan.fail_closed = o.fail_closed;
	plan.queue = queue;
	plan.module = !strcmp(o.backend, "nft+module");
	rc = rbi_nft_apply(&plan, &o, &res->nft, err, len);
	rbi_nft_plan_free(&plan);
	if (!rc && module && strcmp(o.backend, "nft+module") == 0 &&
	    rbi_modctl_apply(p, err, len))
		rc = -1;
	res->used = o.backend;
	res->fail_closed = o.fail_closed;
	if (!rc && (missing || noqueue)) {
		res->missing = true;
		snprintf(err, len, "--backend %s: %s%s", missing ? "module" :
			 "queue", missing ? "rbiblock.ko is not loaded (load "
			 "it with 'modprobe rbiblock', or apply with "
			 "--backend nft)" : why, p->fail_closed ?
			 "; on-failure: closed, so camera egress from public "
			 "zones is now blocked except to recorders" : "");
		rc = -1;
	}
	return rc;
}
