/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Ed25519 log keys in the C2SP signed-note conventions:
 *
 *   key ID     SHA-256(name || 0x0A || 0x01 || public key)[:4]
 *   vkey       <name>+<key ID, 8 hex digits>+<base64(0x01 || public key)>
 *   private    PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || 32-byte seed)>
 *
 * The private key line is the one golang.org/x/mod/sumdb/note reads, so a
 * key made by `rbictl keygen` works with Go tooling and back.
 */
#ifndef RBI_AUDIT_KEY_H
#define RBI_AUDIT_KEY_H

#include "audit/audit.h"
#include "util/buf.h"

enum {
	RBI_AUDIT_NAME_MAX = 256,	/* key names and origins, with NUL */
	RBI_AUDIT_KEYID_LEN = 4,
	RBI_AUDIT_ED25519_KEY_LEN = 32,
	RBI_AUDIT_ED25519_SIG_LEN = 64,
	RBI_AUDIT_SIGTYPE_ED25519 = 0x01,
};

struct rbi_audit_key {
	char name[RBI_AUDIT_NAME_MAX];
	uint8_t id[RBI_AUDIT_KEYID_LEN];
	uint8_t pub[RBI_AUDIT_ED25519_KEY_LEN];
	uint8_t seed[RBI_AUDIT_ED25519_KEY_LEN];
	bool has_seed;
};

/* Non-empty UTF-8 without spaces, control characters or '+'. */
bool rbi_audit_name_valid(const char *s, size_t n);
void rbi_audit_key_id(const char *name, const uint8_t *pub, uint8_t *id);
int rbi_audit_key_from_seed(const char *name, const uint8_t *seed,
			    struct rbi_audit_key *k);
/* A fresh key from the system's random source. */
int rbi_audit_key_generate(const char *name, struct rbi_audit_key *k);

void rbi_audit_vkey_format(const struct rbi_audit_key *k, struct rbi_buf *out);
void rbi_audit_privkey_format(const struct rbi_audit_key *k,
			      struct rbi_buf *out);
/* Parse one line (a trailing newline is allowed); check the key ID. */
int rbi_audit_vkey_parse(const char *s, size_t n, struct rbi_audit_key *k);
int rbi_audit_privkey_parse(const char *s, size_t n, struct rbi_audit_key *k);

/*
 * Loads a private key file. Refuses one that the group or others may read
 * or write, since whoever reads it can forge the whole log. err gets a
 * message naming the file and what to do.
 */
int rbi_audit_key_load(const char *path, struct rbi_audit_key *k, char *err,
		       size_t err_len);
/* Loads a vkey file (or a private key file, keeping only its public half). */
int rbi_audit_vkey_load(const char *path, struct rbi_audit_key *k, char *err,
			size_t err_len);

/*
 * Writes k's private key line to key_path (mode 0600) and its verifier key
 * line to pub_path (0644), both new: an existing file is never replaced,
 * and neither is left behind when the other can't be written.
 */
int rbi_audit_key_save(const struct rbi_audit_key *k, const char *key_path,
		       const char *pub_path, char *err, size_t err_len);

int rbi_audit_ed25519_sign(const struct rbi_audit_key *k, const void *msg,
			   size_t len, uint8_t *sig);
bool rbi_audit_ed25519_verify(const struct rbi_audit_key *k, const void *msg,
			      size_t len, const uint8_t *sig, size_t sig_len);

#endif
