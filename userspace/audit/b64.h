/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Standard, padded base64 (RFC 4648 section 4), as signed notes, checkpoints
 * and proofs use it. Decoding is strict: no whitespace, no missing padding,
 * no stray bits, so that one value has exactly one text form.
 */
#ifndef RBI_AUDIT_B64_H
#define RBI_AUDIT_B64_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Length of the encoding of n bytes, without a NUL. */
size_t rbi_audit_b64_len(size_t n);
void rbi_audit_b64_encode(struct rbi_buf *out, const void *p, size_t n);
/*
 * Decodes s[0..n) into out (room for out_max bytes); *out_len gets the
 * length. Returns RBI_AUDIT_OK or RBI_AUDIT_EMALFORMED.
 */
int rbi_audit_b64_decode(const char *s, size_t n, uint8_t *out,
			 size_t out_max, size_t *out_len);

#endif
