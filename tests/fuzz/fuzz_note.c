// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: signed notes and the checkpoints they carry, as a verifier
 * reads them from a log handed over by the party it audits. The first
 * byte picks the way: the rest as a whole note, verified with the fuzzer's
 * key and opened as a checkpoint; or the rest as a note's text, signed
 * with that key and verified again, which must never fail on the
 * signature and must give back exactly the text signed. A checkpoint body
 * that parses is formatted and parsed again to the same values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void round_trip(const char *s, size_t n)
{
	struct rbi_audit_checkpoint a, b;
	struct rbi_buf text = RBI_BUF_INIT;

	if (rbi_audit_checkpoint_parse(s, n, &a) != RBI_AUDIT_OK)
		return;
	rbi_audit_checkpoint_format(&a, &text);
	if (rbi_buf_failed(&text) ||
	    rbi_audit_checkpoint_parse(text.data, text.len, &b) !=
	    RBI_AUDIT_OK || strcmp(a.origin, b.origin) || a.size != b.size ||
	    !rbi_audit_hash_eq(&a.root, &b.root))
		abort();
	rbi_buf_free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const uint8_t seed[RBI_AUDIT_ED25519_KEY_LEN] = { 0x42 };
	static struct rbi_audit_key k;
	struct rbi_buf note = RBI_BUF_INIT;
	struct rbi_audit_checkpoint cp;
	const char *s = (const char *)data + 1;
	size_t n = len - 1, text_len;
	int rc;

	if (!k.name[0] &&
	    rbi_audit_key_from_seed("fuzz.example/log", seed, &k))
		abort();
	if (!len)
		return 0;
	if (!(data[0] & 1)) {
		rbi_audit_note_verify(s, n, &k, 1, &text_len);
		rbi_audit_checkpoint_open(s, n, &k, 1, &cp);
		round_trip(s, n);
		return 0;
	}
	if (rbi_audit_note_sign(s, n, &k, &note) == RBI_AUDIT_OK) {
		rc = rbi_audit_note_verify(note.data, note.len, &k, 1,
					   &text_len);
		if (rc == RBI_AUDIT_EBADSIG || rc == RBI_AUDIT_ENOSIG ||
		    (rc == RBI_AUDIT_OK && text_len != n))
			abort();
		round_trip(s, n);
	}
	rbi_buf_free(&note);
	return 0;
}
