// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "scan/quic_crypto.h"

enum {
	RBI_QUIC_SECRET_LEN = 32,	/* SHA-256 */
	/* u16 length, u8 label length, "tls13 " + label, u8 context (0). */
	RBI_QUIC_LABEL_MAX = 64,
};

struct rbi_quic_crypto {
	EVP_CIPHER_CTX *gcm;
	EVP_CIPHER_CTX *ecb;
};

struct rbi_quic_crypto *rbi_quic_crypto_alloc(void)
{
	struct rbi_quic_crypto *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->gcm = EVP_CIPHER_CTX_new();
	c->ecb = EVP_CIPHER_CTX_new();
	if (!c->gcm || !c->ecb) {
		rbi_quic_crypto_free(c);
		return NULL;
	}
	return c;
}

void rbi_quic_crypto_free(struct rbi_quic_crypto *c)
{
	if (!c)
		return;
	EVP_CIPHER_CTX_free(c->gcm);
	EVP_CIPHER_CTX_free(c->ecb);
	free(c);
}

/* HKDF-Extract or HKDF-Expand (RFC 5869) with SHA-256. */
static bool rbi_hkdf(int mode, const uint8_t *salt, size_t salt_len,
		     const uint8_t *key, size_t key_len, const uint8_t *info,
		     size_t info_len, uint8_t *out, size_t out_len)
{
	EVP_PKEY_CTX *p = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	size_t n = out_len;
	bool ok;

	ok = p && EVP_PKEY_derive_init(p) > 0 &&
	     EVP_PKEY_CTX_set_hkdf_md(p, EVP_sha256()) > 0 &&
	     EVP_PKEY_CTX_hkdf_mode(p, mode) > 0 &&
	     EVP_PKEY_CTX_set1_hkdf_key(p, key, (int)key_len) > 0 &&
	     (!salt || EVP_PKEY_CTX_set1_hkdf_salt(p, salt,
						   (int)salt_len) > 0) &&
	     (!info || EVP_PKEY_CTX_add1_hkdf_info(p, info,
						   (int)info_len) > 0) &&
	     EVP_PKEY_derive(p, out, &n) > 0 && n == out_len;
	EVP_PKEY_CTX_free(p);
	return ok;
}

/* HKDF-Expand-Label of TLS 1.3 (RFC 8446 7.1), with an empty context. */
static bool rbi_hkdf_label(const uint8_t *secret, const char *label,
			   uint8_t *out, size_t out_len)
{
	uint8_t info[RBI_QUIC_LABEL_MAX];
	size_t n = strlen(label), i = 0;

	if (n + 10 > sizeof(info))
		return false;
	info[i++] = (uint8_t)(out_len >> 8);
	info[i++] = (uint8_t)out_len;
	info[i++] = (uint8_t)(6 + n);
	memcpy(info + i, "tls13 ", 6);
	i += 6;
	memcpy(info + i, label, n);
	i += n;
	info[i++] = 0;
	return rbi_hkdf(EVP_PKEY_HKDEF_MODE_EXPAND_ONLY, NULL, 0, secret,
			RBI_QUIC_SECRET_LEN, info, i, out, out_len);
}

bool rbi_quic_initial_keys(const uint8_t salt[RBI_QUIC_SALT_LEN], bool v2,
			   const uint8_t *dcid, size_t dcid_len, bool server,
			   struct rbi_quic_keys *k)
{
	uint8_t initial[RBI_QUIC_SECRET_LEN], secret[RBI_QUIC_SECRET_LEN];
	bool ok;

	ok = rbi_hkdf(EVP_PKEY_HKDEF_MODE_EXTRACT_ONLY, salt,
		      RBI_QUIC_SALT_LEN, dcid, dcid_len, NULL, 0, initial,
		      sizeof(initial)) &&
	     rbi_hkdf_label(initial, server ? "server in" : "client in",
			    secret, sizeof(secret)) &&
	     rbi_hkdf_label(secret, v2 ? "quicv2 key" : "quic key", k->key,
			    sizeof(k->key)) &&
	     rbi_hkdf_label(secret, v2 ? "quicv2 iv" : "quic iv", k->iv,
			    sizeof(k->iv)) &&
	     rbi_hkdf_label(secret, v2 ? "quicv2 hp" : "quic hp", k->hp,
			    sizeof(k->hp));
	OPENSSL_cleanse(initial, sizeof(initial));
	OPENSSL_cleanse(secret, sizeof(secret));
	return ok;
}

bool rbi_quic_hp_mask(struct rbi_quic_crypto *c, const struct rbi_quic_keys *k,
		      const uint8_t *sample, uint8_t mask[RBI_QUIC_MASK_LEN])
{
	uint8_t out[RBI_QUIC_SAMPLE_LEN + 16];
	int n = 0;

	if (EVP_EncryptInit_ex(c->ecb, EVP_aes_128_ecb(), NULL, k->hp,
			       NULL) <= 0 ||
	    EVP_CIPHER_CTX_set_padding(c->ecb, 0) <= 0 ||
	    EVP_EncryptUpdate(c->ecb, out, &n, sample,
			      RBI_QUIC_SAMPLE_LEN) <= 0 ||
	    n != RBI_QUIC_SAMPLE_LEN)
		return false;
	memcpy(mask, out, RBI_QUIC_MASK_LEN);
	return true;
}

/* RFC 9001 5.3: the IV with the packet number XORed into its end. */
static void rbi_quic_nonce(const struct rbi_quic_keys *k, uint64_t pn,
			   uint8_t nonce[RBI_QUIC_IV_LEN])
{
	unsigned int i;

	memcpy(nonce, k->iv, RBI_QUIC_IV_LEN);
	for (i = 0; i < 8; i++)
		nonce[RBI_QUIC_IV_LEN - 1 - i] ^= (uint8_t)(pn >> (8 * i));
}

long rbi_quic_open(struct rbi_quic_crypto *c, const struct rbi_quic_keys *k,
		   uint64_t pn, const uint8_t *aad, size_t aad_len,
		   uint8_t *payload, size_t len)
{
	uint8_t nonce[RBI_QUIC_IV_LEN];
	int n = 0, fin = 0;
	size_t ct;

	if (len < RBI_QUIC_TAG_LEN || len > INT32_MAX)
		return -1;
	ct = len - RBI_QUIC_TAG_LEN;
	rbi_quic_nonce(k, pn, nonce);
	if (EVP_DecryptInit_ex(c->gcm, EVP_aes_128_gcm(), NULL, k->key,
			       nonce) <= 0 ||
	    EVP_DecryptUpdate(c->gcm, NULL, &n, aad, (int)aad_len) <= 0 ||
	    EVP_DecryptUpdate(c->gcm, payload, &n, payload, (int)ct) <= 0 ||
	    EVP_CIPHER_CTX_ctrl(c->gcm, EVP_CTRL_GCM_SET_TAG,
				RBI_QUIC_TAG_LEN, payload + ct) <= 0 ||
	    EVP_DecryptFinal_ex(c->gcm, payload + n, &fin) <= 0)
		return -1;
	return (long)ct;
}

bool rbi_quic_seal(struct rbi_quic_crypto *c, const struct rbi_quic_keys *k,
		   uint64_t pn, const uint8_t *aad, size_t aad_len,
		   uint8_t *payload, size_t len)
{
	uint8_t nonce[RBI_QUIC_IV_LEN];
	int n = 0, fin = 0;

	if (len > INT32_MAX)
		return false;
	rbi_quic_nonce(k, pn, nonce);
	return EVP_EncryptInit_ex(c->gcm, EVP_aes_128_gcm(), NULL, k->key,
				  nonce) > 0 &&
	       EVP_EncryptUpdate(c->gcm, NULL, &n, aad, (int)aad_len) > 0 &&
	       EVP_EncryptUpdate(c->gcm, payload, &n, payload,
				 (int)len) > 0 &&
	       EVP_EncryptFinal_ex(c->gcm, payload + n, &fin) > 0 &&
	       EVP_CIPHER_CTX_ctrl(c->gcm, EVP_CTRL_GCM_GET_TAG,
				   RBI_QUIC_TAG_LEN, payload + len) > 0;
}
