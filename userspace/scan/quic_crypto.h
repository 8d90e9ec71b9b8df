/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * QUIC Initial packet protection (RFC 9001 5, RFC 9369 3.3) on OpenSSL's
 * libcrypto: keys from the client's Destination Connection ID through
 * HKDF-SHA256, AES-128-ECB header protection and AES-128-GCM payload
 * protection. Initial keys are public by design, which is what lets a
 * passive observer read the ClientHello at all.
 *
 * Both directions of protection are here, so that the test generator
 * builds the Initial packets the scanner then opens.
 */
#ifndef RBI_QUIC_CRYPTO_H
#define RBI_QUIC_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	RBI_QUIC_SALT_LEN = 20,
	RBI_QUIC_KEY_LEN = 16,
	RBI_QUIC_IV_LEN = 12,
	RBI_QUIC_HP_LEN = 16,
	RBI_QUIC_TAG_LEN = 16,
	RBI_QUIC_SAMPLE_LEN = 16,
	RBI_QUIC_MASK_LEN = 5,
	RBI_QUIC_CID_MAX = 20,
};

struct rbi_quic_keys {
	uint8_t key[RBI_QUIC_KEY_LEN];
	uint8_t iv[RBI_QUIC_IV_LEN];
	uint8_t hp[RBI_QUIC_HP_LEN];
};

/* Reusable cipher contexts; one per thread. */
struct rbi_quic_crypto;

struct rbi_quic_crypto *rbi_quic_crypto_alloc(void);
void rbi_quic_crypto_free(struct rbi_quic_crypto *c);

/*
 * The client's (or server's) Initial keys for a connection whose client
 * chose dcid. v2 selects the "quicv2 " labels of RFC 9369. False on a
 * libcrypto failure.
 */
bool rbi_quic_initial_keys(const uint8_t salt[RBI_QUIC_SALT_LEN], bool v2,
			   const uint8_t *dcid, size_t dcid_len, bool server,
			   struct rbi_quic_keys *k);

/* The header protection mask for a 16-byte sample. */
bool rbi_quic_hp_mask(struct rbi_quic_crypto *c, const struct rbi_quic_keys *k,
		      const uint8_t *sample, uint8_t mask[RBI_QUIC_MASK_LEN]);

/*
 * Opens payload[0..len) (ciphertext then tag) in place for packet number
 * pn with the header aad; returns the plaintext length, or -1 when the tag
 * does not verify (not these keys, or damaged).
 */
long rbi_quic_open(struct rbi_quic_crypto *c, const struct rbi_quic_keys *k,
		   uint64_t pn, const uint8_t *aad, size_t aad_len,
		   uint8_t *payload, size_t len);

/*
 * Seals payload[0..len) in place and writes the tag after it (the buffer
 * holds len + RBI_QUIC_TAG_LEN bytes). False on a libcrypto failure.
 */
bool rbi_quic_seal(struct rbi_quic_crypto *c, const struct rbi_quic_keys *k,
		   uint64_t pn, const uint8_t *aad, size_t aad_len,
		   uint8_t *payload, size_t len);

#endif
