// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>

#include "audit/audit.h"

static const char *const rbi_audit_errs[__RBI_AUDIT_RC_MAX] = {
	[RBI_AUDIT_OK] = "ok",
	[RBI_AUDIT_EMALFORMED] = "malformed",
	[RBI_AUDIT_EHASHLEN] = "hash is not 32 bytes",
	[RBI_AUDIT_ERANGE] = "index or size out of range",
	[RBI_AUDIT_EMISMATCH] = "does not verify",
	[RBI_AUDIT_EUTF8] = "not valid UTF-8 text",
	[RBI_AUDIT_EBADSIG] = "bad signature by a known key",
	[RBI_AUDIT_ENOSIG] = "no valid signature by a trusted key",
	[RBI_AUDIT_EKEY] = "key missing, malformed or unsafe",
	[RBI_AUDIT_EIO] = "input/output error",
	[RBI_AUDIT_ENOMEM] = "out of memory",
	[RBI_AUDIT_ECRYPTO] = "libcrypto failure",
	[RBI_AUDIT_EBUSY] = "another writer holds the log",
};

const char *rbi_audit_strerror(int rc)
{
	if (rc < 0 || rc >= __RBI_AUDIT_RC_MAX)
		return "unknown error";
	return rbi_audit_errs[rc];
}

/*
 * One digest context per thread, fetched once: OpenSSL 3's one-shot SHA256()
 * fetches the algorithm on every call, which costs more than hashing a
 * typical 200-byte leaf. The verifier hashes on a second thread
 * (rbi_audit_hasher.h), whose context the key's destructor frees when it
 * ends.
 */
static pthread_once_t rbi_audit_md_once = PTHREAD_ONCE_INIT;
static pthread_key_t rbi_audit_md_key;
static bool rbi_audit_md_keyed;
static EVP_MD *rbi_audit_md;

static void rbi_audit_md_ctx_free(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void rbi_audit_md_init(void)
{
	rbi_audit_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	rbi_audit_md_keyed = !pthread_key_create(&rbi_audit_md_key,
						 rbi_audit_md_ctx_free);
}

static EVP_MD_CTX *rbi_audit_md_ctx(void)
{
	static __thread EVP_MD_CTX *ctx;
	static __thread bool ready;

	pthread_once(&rbi_audit_md_once, rbi_audit_md_init);
	if (!ctx) {
		ctx = EVP_MD_CTX_new();
		if (ctx && rbi_audit_md_keyed)
			pthread_setspecific(rbi_audit_md_key, ctx);
	}
	if (!rbi_audit_md || !ctx)
		return NULL;
	/* A NULL type re-initialises the digest already set up, in place. */
	if (!EVP_DigestInit_ex2(ctx, ready ? NULL : rbi_audit_md, NULL))
		return NULL;
	ready = true;
	return ctx;
}

void rbi_audit_sha256_2(const void *a, size_t alen, const void *b,
			size_t blen, struct rbi_audit_hash *out)
{
	EVP_MD_CTX *ctx = rbi_audit_md_ctx();
	unsigned int n = 0;

	/* Without a digest nothing can verify: an all-zero hash matches none. */
	memset(out, 0, sizeof(*out));
	if (!ctx)
		return;
	if ((alen && !EVP_DigestUpdate(ctx, a, alen)) ||
	    (blen && !EVP_DigestUpdate(ctx, b, blen)) ||
	    !EVP_DigestFinal_ex(ctx, out->b, &n))
		memset(out, 0, sizeof(*out));
}

void rbi_audit_sha256(const void *p, size_t len, struct rbi_audit_hash *out)
{
	rbi_audit_sha256_2(p, len, NULL, 0, out);
}

bool rbi_audit_hash_eq(const struct rbi_audit_hash *a,
		       const struct rbi_audit_hash *b)
{
	return !memcmp(a->b, b->b, RBI_AUDIT_HASH_LEN);
}

void rbi_audit_hash_hex(const struct rbi_audit_hash *h, char *out)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < RBI_AUDIT_HASH_LEN; i++) {
		out[2 * i] = hex[h->b[i] >> 4];
		out[2 * i + 1] = hex[h->b[i] & 15];
	}
	out[2 * RBI_AUDIT_HASH_LEN] = '\0';
}

bool rbi_audit_line_next(const char *p, size_t n, size_t *pos,
			 const char **line, size_t *len)
{
	const char *nl;

	if (*pos >= n)
		return false;
	nl = memchr(p + *pos, '\n', n - *pos);
	if (!nl)
		return false;
	*line = p + *pos;
	*len = (size_t)(nl - *line);
	*pos += *len + 1;
	return true;
}
