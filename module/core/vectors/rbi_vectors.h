/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Test vectors, kept in one place: the module runs them at load time as its
 * self-tests and the cmocka suite runs the very same cases in userspace
 * under the sanitizers. A group is a table plus a function that checks one
 * entry and says why it failed.
 */
#ifndef RBI_VECTORS_H
#define RBI_VECTORS_H

#include "../rbi_compat.h"

struct rbi_vec_group {
	const char *name;
	size_t count;
	const char *(*case_name)(size_t i);
	/* 0 when case i passes; otherwise -1 with the reason in why. */
	int (*check)(size_t i, char *why, size_t why_len);
};

extern const struct rbi_vec_group rbi_vec_dns;
extern const struct rbi_vec_group rbi_vec_tls;
extern const struct rbi_vec_group rbi_vec_http;
extern const struct rbi_vec_group rbi_vec_rtsp;
extern const struct rbi_vec_group rbi_vec_name;
extern const struct rbi_vec_group rbi_vec_addr;
extern const struct rbi_vec_group rbi_vec_learn;
extern const struct rbi_vec_group rbi_vec_analytics;
extern const struct rbi_vec_group rbi_vec_inspect;

/* NULL-terminated list of every group above. */
extern const struct rbi_vec_group *const rbi_vec_groups[];

/*
 * Copies a prefix of buf into a buffer of exactly that size, so that an
 * over-read by the parser under test is caught (by ASan in userspace). The
 * caller frees the result with rbi_free(). NULL when allocation fails.
 */
uint8_t *rbi_vec_dup(const uint8_t *buf, size_t len);

#endif
