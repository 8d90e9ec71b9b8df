// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: tlog-proof files, as `rbictl audit verify-proof` reads one
 * handed to the auditor: parsed, its checkpoint opened with the fuzzer's
 * key, and its inclusion proof checked for the record it carries.
 */
#include <stdint.h>
#include <stdlib.h>

#include "audit/note.h"
#include "audit/proof.h"
#include "audit/tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const uint8_t seed[RBI_AUDIT_ED25519_KEY_LEN] = { 0x42 };
	static struct rbi_audit_key k;
	struct rbi_audit_proof pr = { 0 };
	struct rbi_audit_checkpoint cp;
	struct rbi_audit_hash lh;
	char why[128];

	if (!k.name[0] &&
	    rbi_audit_key_from_seed("fuzz.example/log", seed, &k))
		abort();
	if (!rbi_audit_proof_parse((const char *)data, len, &pr, why,
				   sizeof(why)) &&
	    rbi_audit_checkpoint_open(pr.note, pr.note_len, &k, 1, &cp) ==
	    RBI_AUDIT_OK) {
		rbi_audit_leaf_hash(pr.has_extra ? pr.extra.data : "",
				    pr.extra.len, &lh);
		rbi_audit_verify_inclusion(pr.index, cp.size, lh.b,
					   RBI_AUDIT_HASH_LEN,
					   (const uint8_t *)pr.hashes.data,
					   pr.hashes.len, cp.root.b,
					   RBI_AUDIT_HASH_LEN);
	}
	rbi_audit_proof_free(&pr);
	return 0;
}
