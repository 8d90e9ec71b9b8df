// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "audit/b64.h"
#include "audit/key.h"
#include "audit/store.h"
#include "util/file.h"
#include "util/utf8.h"

enum {
	RBI_KEY_FILE_MAX = 4096,
	RBI_KEY_B64_MAX = 64,
};

bool rbi_audit_name_valid(const char *s, size_t n)
{
	size_t i;

	if (!n || n >= RBI_AUDIT_NAME_MAX || !rbi_utf8_valid(s, n))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '+' || s[i] == 0x7f)
			return false;
	return true;
}

void rbi_audit_key_id(const char *name, const uint8_t *pub, uint8_t *id)
{
	uint8_t tail[2 + RBI_AUDIT_ED25519_KEY_LEN];
	struct rbi_audit_hash h;

	tail[0] = '\n';
	tail[1] = RBI_AUDIT_SIGTYPE_ED25519;
	memcpy(tail + 2, pub, RBI_AUDIT_ED25519_KEY_LEN);
	rbi_audit_sha256_2(name, strlen(name), tail, sizeof(tail), &h);
	memcpy(id, h.b, RBI_AUDIT_KEYID_LEN);
}

static int rbi_key_set_name(struct rbi_audit_key *k, const char *name,
			    size_t n)
{
	if (!rbi_audit_name_valid(name, n))
		return RBI_AUDIT_EKEY;
	memcpy(k->name, name, n);
	k->name[n] = '\0';
	return RBI_AUDIT_OK;
}

int rbi_audit_key_from_seed(const char *name, const uint8_t *seed,
			    struct rbi_audit_key *k)
{
	size_t len = RBI_AUDIT_ED25519_KEY_LEN;
	EVP_PKEY *pkey;
	int rc;

	memset(k, 0, sizeof(*k));
	rc = rbi_key_set_name(k, name, strlen(name));
	if (rc)
		return rc;
	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
					    RBI_AUDIT_ED25519_KEY_LEN);
	if (!pkey)
		return RBI_AUDIT_ECRYPTO;
	if (!EVP_PKEY_get_raw_public_key(pkey, k->pub, &len) ||
	    len != RBI_AUDIT_ED25519_KEY_LEN)
		rc = RBI_AUDIT_ECRYPTO;
	EVP_PKEY_free(pkey);
	if (rc)
		return rc;
	memcpy(k->seed, seed, RBI_AUDIT_ED25519_KEY_LEN);
	k->has_seed = true;
	rbi_audit_key_id(k->name, k->pub, k->id);
	return RBI_AUDIT_OK;
}

int rbi_audit_key_generate(const char *name, struct rbi_audit_key *k)
{
	uint8_t seed[RBI_AUDIT_ED25519_KEY_LEN];
	int rc;

	if (RAND_priv_bytes(seed, sizeof(seed)) != 1)
		return RBI_AUDIT_ECRYPTO;
	rc = rbi_audit_key_from_seed(name, seed, k);
	OPENSSL_cleanse(seed, sizeof(seed));
	return rc;
}

static void rbi_key_add_b64(struct rbi_buf *out, const uint8_t *key)
{
	uint8_t raw[1 + RBI_AUDIT_ED25519_KEY_LEN];

	raw[0] = RBI_AUDIT_SIGTYPE_ED25519;
	memcpy(raw + 1, key, RBI_AUDIT_ED25519_KEY_LEN);
	rbi_audit_b64_encode(out, raw, sizeof(raw));
	OPENSSL_cleanse(raw, sizeof(raw));
}

static void rbi_key_add_id(struct rbi_buf *out, const struct rbi_audit_key *k)
{
	rbi_buf_printf(out, "+%02x%02x%02x%02x+", k->id[0], k->id[1],
		       k->id[2], k->id[3]);
}

void rbi_audit_vkey_format(const struct rbi_audit_key *k, struct rbi_buf *out)
{
	rbi_buf_adds(out, k->name);
	rbi_key_add_id(out, k);
	rbi_key_add_b64(out, k->pub);
}

void rbi_audit_privkey_format(const struct rbi_audit_key *k,
			      struct rbi_buf *out)
{
	rbi_buf_adds(out, "PRIVATE+KEY+");
	rbi_buf_adds(out, k->name);
	rbi_key_add_id(out, k);
	rbi_key_add_b64(out, k->seed);
}

static int rbi_hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int rbi_key_parse_id(const char *s, size_t n, uint8_t *id)
{
	int i, hi, lo;

	if (n != 2 * RBI_AUDIT_KEYID_LEN)
		return RBI_AUDIT_EKEY;
	for (i = 0; i < RBI_AUDIT_KEYID_LEN; i++) {
		hi = rbi_hex_val(s[2 * i]);
		lo = rbi_hex_val(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return RBI_AUDIT_EKEY;
		id[i] = (uint8_t)(hi << 4 | lo);
	}
	return RBI_AUDIT_OK;
}

/* Decodes base64(0x01 || 32 bytes). */
static int rbi_key_parse_b64(const char *s, size_t n, uint8_t *key)
{
	uint8_t raw[RBI_KEY_B64_MAX];
	size_t len;
	int rc = RBI_AUDIT_OK;

	if (rbi_audit_b64_decode(s, n, raw, sizeof(raw), &len) ||
	    len != 1 + RBI_AUDIT_ED25519_KEY_LEN ||
	    raw[0] != RBI_AUDIT_SIGTYPE_ED25519)
		rc = RBI_AUDIT_EKEY;
	else
		memcpy(key, raw + 1, RBI_AUDIT_ED25519_KEY_LEN);
	OPENSSL_cleanse(raw, sizeof(raw));
	return rc;
}

/* Splits off the text before the next '+', advancing *s and *n past it. */
static bool rbi_key_field(const char **s, size_t *n, const char **f,
			  size_t *flen)
{
	const char *p = memchr(*s, '+', *n);

	if (!p)
		return false;
	*f = *s;
	*flen = (size_t)(p - *s);
	*n -= *flen + 1;
	*s = p + 1;
	return true;
}

static size_t rbi_key_chomp(const char *s, size_t n)
{
	if (n && s[n - 1] == '\n')
		n--;
	return n;
}

/* The "<name>+<id>+<base64>" tail common to both formats. */
static int rbi_key_parse_tail(const char *s, size_t n, struct rbi_audit_key *k,
			      uint8_t *key)
{
	uint8_t id[RBI_AUDIT_KEYID_LEN];
	const char *name, *hex;
	size_t name_len, hex_len;

	if (!rbi_key_field(&s, &n, &name, &name_len) ||
	    !rbi_key_field(&s, &n, &hex, &hex_len) ||
	    rbi_key_set_name(k, name, name_len) ||
	    rbi_key_parse_id(hex, hex_len, id) ||
	    rbi_key_parse_b64(s, n, key))
		return RBI_AUDIT_EKEY;
	memcpy(k->id, id, sizeof(id));
	return RBI_AUDIT_OK;
}

int rbi_audit_vkey_parse(const char *s, size_t n, struct rbi_audit_key *k)
{
	uint8_t id[RBI_AUDIT_KEYID_LEN];

	memset(k, 0, sizeof(*k));
	if (rbi_key_parse_tail(s, rbi_key_chomp(s, n), k, k->pub))
		return RBI_AUDIT_EKEY;
	rbi_audit_key_id(k->name, k->pub, id);
	if (memcmp(id, k->id, sizeof(id)))
		return RBI_AUDIT_EKEY;
	return RBI_AUDIT_OK;
}

int rbi_audit_privkey_parse(const char *s, size_t n, struct rbi_audit_key *k)
{
	static const char prefix[] = "PRIVATE+KEY+";
	uint8_t seed[RBI_AUDIT_ED25519_KEY_LEN];
	struct rbi_audit_key t;
	int rc;

	memset(k, 0, sizeof(*k));
	n = rbi_key_chomp(s, n);
	if (n < sizeof(prefix) - 1 || memcmp(s, prefix, sizeof(prefix) - 1))
		return RBI_AUDIT_EKEY;
	rc = rbi_key_parse_tail(s + sizeof(prefix) - 1, n - sizeof(prefix) + 1,
				&t, seed);
	if (!rc)
		rc = rbi_audit_key_from_seed(t.name, seed, k);
	if (!rc && memcmp(t.id, k->id, sizeof(t.id)))
		rc = RBI_AUDIT_EKEY;
	OPENSSL_cleanse(seed, sizeof(seed));
	OPENSSL_cleanse(&t, sizeof(t));
	if (rc)
		OPENSSL_cleanse(k, sizeof(*k));
	return rc ? RBI_AUDIT_EKEY : RBI_AUDIT_OK;
}

/*
 * Reads a small key file whole. A secret one readable by group or others
 * is refused (its bytes wiped): the key must be taken as compromised.
 */
static int rbi_key_read(const char *path, bool secret, char *buf, size_t max,
			size_t *len, char *err, size_t err_len)
{
	ssize_t r;
	struct stat st;
	int fd = rbi_file_open(AT_FDCWD, path, &st);

	if (fd < 0) {
		snprintf(err, err_len, "%s: %s", path, errno == EINVAL ?
			 "not a regular file" : strerror(errno));
		return RBI_AUDIT_EKEY;
	}
	r = read(fd, buf, max);
	close(fd);
	if (r < 0 || (size_t)r >= max) {
		snprintf(err, err_len, "%s: %s", path,
			 r < 0 ? strerror(errno) : "too large for a key file");
		return RBI_AUDIT_EKEY;
	}
	if (secret && st.st_mode & 077) {
		OPENSSL_cleanse(buf, max);
		snprintf(err, err_len,
			 "%s: private key is accessible to group or others "
			 "(mode %04o); run 'chmod 600 %s' and consider the key "
			 "compromised if others could read it", path,
			 (unsigned int)(st.st_mode & 07777), path);
		return RBI_AUDIT_EKEY;
	}
	*len = (size_t)r;
	return RBI_AUDIT_OK;
}

/*
 * Loads the key file at path with parse; what says what the file should
 * hold, for the error when parse refuses it. The bytes read are wiped.
 */
static int rbi_key_load(const char *path, bool secret,
			int (*parse)(const char *s, size_t n,
				     struct rbi_audit_key *k),
			const char *what, struct rbi_audit_key *k, char *err,
			size_t err_len)
{
	char buf[RBI_KEY_FILE_MAX];
	size_t len = 0;
	int rc;

	rc = rbi_key_read(path, secret, buf, sizeof(buf), &len, err, err_len);
	if (rc)
		return rc;
	rc = parse(buf, len, k);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (rc)
		snprintf(err, err_len, "%s: %s", path, what);
	return rc;
}

int rbi_audit_key_load(const char *path, struct rbi_audit_key *k, char *err,
		       size_t err_len)
{
	return rbi_key_load(path, true, rbi_audit_privkey_parse,
			    "not a private key line (PRIVATE+KEY+NAME+ID+KEY); "
			    "make one with 'rbictl keygen'", k, err, err_len);
}

/* A verifier key line, or a private key line with its seed dropped. */
static int rbi_key_parse_public(const char *s, size_t n,
				struct rbi_audit_key *k)
{
	int rc = rbi_audit_vkey_parse(s, n, k);

	if (rc && !rbi_audit_privkey_parse(s, n, k)) {
		OPENSSL_cleanse(k->seed, sizeof(k->seed));
		k->has_seed = false;
		rc = RBI_AUDIT_OK;
	}
	return rc;
}

int rbi_audit_vkey_load(const char *path, struct rbi_audit_key *k, char *err,
			size_t err_len)
{
	return rbi_key_load(path, false, rbi_key_parse_public,
			    "not a verifier key line (NAME+ID+KEY) or its key "
			    "ID does not match; use the .pub file written by "
			    "'rbictl keygen'", k, err, err_len);
}

/* Writes a new file whole; an existing one is never replaced. */
static int rbi_key_write_new(const char *path, const struct rbi_buf *b,
			     mode_t mode, char *err, size_t err_len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0) {
		snprintf(err, err_len, "%s: %s%s", path, strerror(errno),
			 errno == EEXIST ? "; refusing to overwrite a key" :
			 "");
		return RBI_AUDIT_EKEY;
	}
	if (fchmod(fd, mode) || rbi_audit_pwrite_all(fd, b->data, b->len, 0) ||
	    fsync(fd) || close(fd)) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		unlink(path);
		return RBI_AUDIT_EKEY;
	}
	return RBI_AUDIT_OK;
}

int rbi_audit_key_save(const struct rbi_audit_key *k, const char *key_path,
		       const char *pub_path, char *err, size_t err_len)
{
	struct rbi_buf priv = RBI_BUF_INIT, pub = RBI_BUF_INIT;
	int rc = RBI_AUDIT_EKEY;

	if (!access(pub_path, F_OK)) {
		snprintf(err, err_len, "%s exists; refusing to overwrite a key",
			 pub_path);
		return rc;
	}
	rbi_audit_privkey_format(k, &priv);
	rbi_buf_addc(&priv, '\n');
	rbi_audit_vkey_format(k, &pub);
	rbi_buf_addc(&pub, '\n');
	if (!rbi_key_write_new(key_path, &priv, 0600, err, err_len)) {
		rc = rbi_key_write_new(pub_path, &pub, 0644, err, err_len);
		if (rc)
			unlink(key_path);
	}
	OPENSSL_cleanse(priv.data, priv.len);
	rbi_buf_free(&priv);
	rbi_buf_free(&pub);
	return rc;
}

int rbi_audit_ed25519_sign(const struct rbi_audit_key *k, const void *msg,
			   size_t len, uint8_t *sig)
{
	size_t sig_len = RBI_AUDIT_ED25519_SIG_LEN;
	EVP_MD_CTX *ctx;
	EVP_PKEY *pkey;
	int rc = RBI_AUDIT_ECRYPTO;

	if (!k->has_seed)
		return RBI_AUDIT_EKEY;
	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, k->seed,
					    RBI_AUDIT_ED25519_KEY_LEN);
	ctx = EVP_MD_CTX_new();
	if (pkey && ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
	    EVP_DigestSign(ctx, sig, &sig_len, msg, len) == 1 &&
	    sig_len == RBI_AUDIT_ED25519_SIG_LEN)
		rc = RBI_AUDIT_OK;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return rc;
}

bool rbi_audit_ed25519_verify(const struct rbi_audit_key *k, const void *msg,
			      size_t len, const uint8_t *sig, size_t sig_len)
{
	EVP_MD_CTX *ctx;
	EVP_PKEY *pkey;
	bool ok = false;

	if (sig_len != RBI_AUDIT_ED25519_SIG_LEN)
		return false;
	pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, k->pub,
					   RBI_AUDIT_ED25519_KEY_LEN);
	ctx = EVP_MD_CTX_new();
	if (pkey && ctx &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
	    EVP_DigestVerify(ctx, sig, sig_len, msg, len) == 1)
		ok = true;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return ok;
}
