/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The leaf hashes of a segment, computed ahead on a second thread.
 *
 * Verifying a record is hashing its bytes and parsing and checking its
 * fields; SHA-256 is about a third of the work and needs nothing from the
 * rest until the hashes are compared, so a worker hashes the segment's
 * lines while the verifier parses them. The worker splits the segment
 * into lines exactly as the verifier does (rbi_audit_line_next), so line
 * i is the same bytes on both sides.
 */
#ifndef RBI_AUDIT_HASHER_H
#define RBI_AUDIT_HASHER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "audit/audit.h"

struct rbi_audit_hasher {
	const char *p;
	size_t n;
	size_t max;			/* lines to hash at most */
	struct rbi_audit_hash *h;	/* max hashes, the caller's */
	pthread_t thread;
	bool threaded;
	pthread_mutex_t lock;
	pthread_cond_t more;
	_Atomic size_t done;		/* lines hashed so far */
	bool finished;			/* under lock */
	unsigned int waiters;		/* under lock */
};

/*
 * Starts hashing the first max lines of p[0..n) into h. Without a thread
 * (none could be created) every hash is computed by rbi_audit_hasher_get.
 */
void rbi_audit_hasher_start(struct rbi_audit_hasher *hs, const char *p,
			    size_t n, size_t max, struct rbi_audit_hash *h);
/* The leaf hash of line i, which is line[0..len); waits for the worker. */
const struct rbi_audit_hash *
rbi_audit_hasher_get(struct rbi_audit_hasher *hs, size_t i, const char *line,
		     size_t len);
/* Waits for the worker to end; hs may then be started again. */
void rbi_audit_hasher_stop(struct rbi_audit_hasher *hs);

#endif
