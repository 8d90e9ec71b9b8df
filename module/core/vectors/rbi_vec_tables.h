/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Reference matchers for the name and address tables: plain linear scans,
 * written apart from the tables on purpose, so that the vectors and the
 * randomised unit tests can check every answer of the fast structures
 * against a second, obviously correct implementation.
 */
#ifndef RBI_VEC_TABLES_H
#define RBI_VEC_TABLES_H

#include "../rbi_addr.h"
#include "../rbi_name.h"

/*
 * Index of the pattern that wins for name among patterns[0..n) (all valid,
 * NUL-terminated, in the order they were added), or -1 when none matches.
 */
long rbi_vec_name_ref(const char *const *patterns, size_t n, const char *name,
		      size_t len);

struct rbi_vec_addr_entry {
	struct rbi_prefix prefix;
	uint16_t lo, hi;
};

/* Index of the entry that wins for ip and port among e[0..n), or -1. */
long rbi_vec_addr_ref(const struct rbi_vec_addr_entry *e, size_t n,
		      const struct rbi_ip *ip, uint16_t port);

/* The length, after unmapping, of the prefix rbi_vec_addr_ref() chose. */
uint8_t rbi_vec_addr_ref_len(const struct rbi_vec_addr_entry *e);

#endif /* RBI_VEC_TABLES_H */
