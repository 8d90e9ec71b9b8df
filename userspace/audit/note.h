/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * C2SP signed notes (signed-note v1.0.0) and the tlog-checkpoint body they
 * carry:
 *
 *   <origin>\n<size>\n<base64 root>\n[extension lines]\n
 *   \n
 *   — <key name> <base64(key ID || Ed25519 signature)>\n   (one or more)
 *
 * Verification follows the spec and golang.org/x/mod/sumdb/note: the text is
 * split from the signatures at the last blank line; signatures by unknown
 * keys are ignored; a known key's bad signature rejects the note; at least
 * one trusted signature is required; up to RBI_AUDIT_NOTE_SIGS_MAX
 * signature lines are read (the spec asks for at least 16).
 */
#ifndef RBI_AUDIT_NOTE_H
#define RBI_AUDIT_NOTE_H

#include "audit/key.h"

enum {
	RBI_AUDIT_NOTE_SIGS_MAX = 100,
	RBI_AUDIT_NOTE_MAX = 1 << 20,
};

struct rbi_audit_checkpoint {
	char origin[RBI_AUDIT_NAME_MAX];
	uint64_t size;
	struct rbi_audit_hash root;
};

/* Appends text (which must end in '\n') and k's signature line to out. */
int rbi_audit_note_sign(const char *text, size_t len,
			const struct rbi_audit_key *k, struct rbi_buf *out);
/*
 * Verifies msg against the trusted keys; *text_len gets the length of the
 * signed text. Returns RBI_AUDIT_OK, EMALFORMED, EUTF8, EBADSIG or ENOSIG.
 */
int rbi_audit_note_verify(const char *msg, size_t len,
			  const struct rbi_audit_key *keys, size_t nkeys,
			  size_t *text_len);

/*
 * The key name and key ID of msg's first signature line, unverified: to
 * say which key signed a note that the given keys do not.
 */
int rbi_audit_note_signer(const char *msg, size_t len, char *name,
			  size_t name_max, uint8_t *id);

void rbi_audit_checkpoint_format(const struct rbi_audit_checkpoint *cp,
				 struct rbi_buf *out);
/* Parses a checkpoint body; extension lines are allowed and skipped. */
int rbi_audit_checkpoint_parse(const char *text, size_t len,
			       struct rbi_audit_checkpoint *cp);
/* Verifies a signed checkpoint and parses its body. */
int rbi_audit_checkpoint_open(const char *note, size_t len,
			      const struct rbi_audit_key *keys, size_t nkeys,
			      struct rbi_audit_checkpoint *cp);
/* Formats and signs cp as a complete signed note. */
int rbi_audit_checkpoint_sign(const struct rbi_audit_checkpoint *cp,
			      const struct rbi_audit_key *k,
			      struct rbi_buf *out);

#endif
