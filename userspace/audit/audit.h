/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Basics shared by every part of the audit log: result codes, the 32-byte
 * hash type and SHA-256 (OpenSSL libcrypto).
 */
#ifndef RBI_AUDIT_H
#define RBI_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rbi_audit_rc {
	RBI_AUDIT_OK = 0,
	RBI_AUDIT_EMALFORMED,	/* bytes that do not parse */
	RBI_AUDIT_EHASHLEN,	/* a hash that is not exactly 32 bytes */
	RBI_AUDIT_ERANGE,	/* an index or size out of range */
	RBI_AUDIT_EMISMATCH,	/* well formed, but does not verify */
	RBI_AUDIT_EUTF8,	/* text that is not valid UTF-8 */
	RBI_AUDIT_EBADSIG,	/* a known key's signature fails */
	RBI_AUDIT_ENOSIG,	/* no valid signature by a trusted key */
	RBI_AUDIT_EKEY,		/* key missing, malformed or unsafe */
	RBI_AUDIT_EIO,		/* a system call failed; errno says why */
	RBI_AUDIT_ENOMEM,
	RBI_AUDIT_ECRYPTO,	/* libcrypto failed */
	RBI_AUDIT_EBUSY,	/* another writer holds the log */
	__RBI_AUDIT_RC_MAX
};

enum {
	RBI_AUDIT_HASH_LEN = 32,
	RBI_AUDIT_LEAF_MAX = 65535,	/* a leaf is shorter than 64 KiB */
};

struct rbi_audit_hash {
	uint8_t b[RBI_AUDIT_HASH_LEN];
};

const char *rbi_audit_strerror(int rc);

/* SHA-256 over the concatenation of a and b (either may be empty). */
void rbi_audit_sha256_2(const void *a, size_t alen, const void *b,
			size_t blen, struct rbi_audit_hash *out);
void rbi_audit_sha256(const void *p, size_t len, struct rbi_audit_hash *out);
bool rbi_audit_hash_eq(const struct rbi_audit_hash *a,
		       const struct rbi_audit_hash *b);
/* 64 lower-case hex digits and a NUL into out[65]. */
void rbi_audit_hash_hex(const struct rbi_audit_hash *h, char *out);

/*
 * Iterates complete lines of p[0..n) from *pos, without their '\n'. A last
 * line without its '\n' is torn: not returned, and *pos stays at its start.
 */
bool rbi_audit_line_next(const char *p, size_t n, size_t *pos,
			 const char **line, size_t *len);

#endif
