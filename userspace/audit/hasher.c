// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "audit/hasher.h"
#include "audit/store.h"
#include "audit/tree.h"

/* Lines hashed between two wake-ups of a waiting verifier. */
enum { RBI_HASHER_BATCH = 64 };

static void rbi_hasher_publish(struct rbi_audit_hasher *hs, size_t done,
			       bool finished)
{
	pthread_mutex_lock(&hs->lock);
	atomic_store_explicit(&hs->done, done, memory_order_release);
	hs->finished = finished;
	if (hs->waiters)
		pthread_cond_broadcast(&hs->more);
	pthread_mutex_unlock(&hs->lock);
}

static void *rbi_hasher_run(void *arg)
{
	struct rbi_audit_hasher *hs = arg;
	const char *line;
	size_t pos = 0, len, i = 0;

	while (i < hs->max &&
	       rbi_audit_line_next(hs->p, hs->n, &pos, &line, &len)) {
		rbi_audit_leaf_hash(line, len, &hs->h[i++]);
		if (!(i % RBI_HASHER_BATCH))
			rbi_hasher_publish(hs, i, false);
	}
	rbi_hasher_publish(hs, i, true);
	return NULL;
}

void rbi_audit_hasher_start(struct rbi_audit_hasher *hs, const char *p,
			    size_t n, size_t max, struct rbi_audit_hash *h)
{
	hs->p = p;
	hs->n = n;
	hs->max = max;
	hs->h = h;
	hs->finished = false;
	hs->waiters = 0;
	atomic_store(&hs->done, 0);
	pthread_mutex_init(&hs->lock, NULL);
	pthread_cond_init(&hs->more, NULL);
	hs->threaded = !pthread_create(&hs->thread, NULL, rbi_hasher_run, hs);
	if (!hs->threaded)
		hs->finished = true;
}

const struct rbi_audit_hash *
rbi_audit_hasher_get(struct rbi_audit_hasher *hs, size_t i, const char *line,
		     size_t len)
{
	if (atomic_load_explicit(&hs->done, memory_order_acquire) > i)
		return &hs->h[i];
	pthread_mutex_lock(&hs->lock);
	hs->waiters++;
	while (atomic_load_explicit(&hs->done, memory_order_relaxed) <= i &&
	       !hs->finished)
		pthread_cond_wait(&hs->more, &hs->lock);
	hs->waiters--;
	pthread_mutex_unlock(&hs->lock);
	if (atomic_load_explicit(&hs->done, memory_order_acquire) <= i)
		rbi_audit_leaf_hash(line, len, &hs->h[i]);
	return &hs->h[i];
}

void rbi_audit_hasher_stop(struct rbi_audit_hasher *hs)
{
	if (hs->threaded)
		pthread_join(hs->thread, NULL);
	hs->threaded = false;
	pthread_cond_destroy(&hs->more);
	pthread_mutex_destroy(&hs->lock);
}
