/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Reading a c2sp.org/tlog-proof@v1 file, as `rbictl audit proof` writes
 * it and `rbictl audit verify-proof` checks it:
 *
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64 of the record>]
 *   index <N>
 *   <base64 proof hash>            (zero or more, 32 bytes each)
 *   <blank line>
 *   <signed checkpoint note>
 *
 * The file comes from whoever hands it to the auditor: every line is
 * checked, nothing is trusted until the checkpoint's signature and the
 * inclusion proof verify (rbi_audit_checkpoint_open(),
 * rbi_audit_verify_inclusion()).
 */
#ifndef RBI_AUDIT_PROOF_H
#define RBI_AUDIT_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define RBI_AUDIT_PROOF_MAGIC	"c2sp.org/tlog-proof@v1"

struct rbi_audit_proof {
	uint64_t index;
	struct rbi_buf extra;	/* the record, when the file carries it */
	struct rbi_buf hashes;	/* concatenated, 32 bytes each */
	const char *note;	/* into the file's text */
	size_t note_len;
	bool has_extra;
};

/*
 * Parses p[0..n) into pr (zeroed by the caller; free it with
 * rbi_audit_proof_free() either way). Returns 0, or the length of the
 * reason written to why ("line 3: bad index").
 */
int rbi_audit_proof_parse(const char *p, size_t n, struct rbi_audit_proof *pr,
			  char *why, size_t why_len);
void rbi_audit_proof_free(struct rbi_audit_proof *pr);

/* A decimal number with nothing around it (indexes, epochs). */
bool rbi_audit_u64_parse(const char *s, uint64_t *v);

#endif
