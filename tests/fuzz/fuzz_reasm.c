// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: stream reassembly against a model that keeps every byte
 * apart. The input is a run of segments (a 16-bit offset, a length byte,
 * a fill byte); each goes to the reassembler and to the model, which keeps
 * the first copy of each byte below the cap. After every segment the
 * in-order prefix must be exactly the model's, bytes held past a hole must
 * be said to wait, and the result must say what happened.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scan/reasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* Bytes of stream the segments reach: the cap, and a little past it. */
enum { REACH = RBI_REASM_CAP + 1024 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static uint8_t seg[256], byte[REACH];
	static bool got[REACH];
	static struct rbi_reasm r;
	enum rbi_reasm_result res;
	uint32_t off, n, i, have = 0, had, kept = 0;
	bool fresh;
	size_t at;

	rbi_reasm_reset(&r);
	memset(got, 0, sizeof(got));
	for (at = 0; at + 4 <= len; at += 4) {
		off = ((uint32_t)data[at] << 8 | data[at + 1]) % REACH;
		n = data[at + 2];
		for (i = 0; i < n; i++)
			seg[i] = (uint8_t)(data[at + 3] + i);
		had = r.have;
		res = rbi_reasm_add(&r, off, seg, n);
		fresh = false;
		for (i = off; i < off + n && i < RBI_REASM_CAP; i++) {
			if (got[i])
				continue;
			got[i] = true;
			byte[i] = seg[i - off];
			fresh = true;
			kept++;
		}
		while (have < RBI_REASM_CAP && got[have])
			have++;
		/* Every byte below have is kept: any more are held. */
		if (r.have != have || memcmp(r.data, byte, have) ||
		    rbi_reasm_waiting(&r) != (kept > have))
			abort();
		if (off >= RBI_REASM_CAP ? res != RBI_REASM_BEYOND :
		    !fresh ? res != RBI_REASM_OLD :
		    have > had ? res != RBI_REASM_GREW :
		    res != RBI_REASM_HELD)
			abort();
	}
	return 0;
}
