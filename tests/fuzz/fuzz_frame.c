// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: frame decoding and IP fragment reassembly. The first byte
 * picks the link layer; the rest is a run of frames, each a 16-bit length
 * and its bytes, decoded in turn with one fragment table, so that
 * fragments of one datagram meet across frames. Every payload handed out
 * is read to its last byte: it must lie in what was captured or in the
 * reassembled datagram.
 */
#include <stdint.h>
#include <stdlib.h>

#include "scan/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct rbi_ipfrag *frags;
	struct rbi_frame pkt;
	enum rbi_link link;
	volatile uint8_t sum = 0;
	size_t at = 1, n, i;
	uint64_t now = 0;

	if (!frags)
		frags = rbi_ipfrag_alloc(RBI_IPFRAG_SLOTS);
	if (!frags || !len)
		return 0;
	link = (enum rbi_link)(data[0] % __RBI_LINK_MAX);
	while (at + 2 <= len) {
		n = (size_t)data[at] << 8 | data[at + 1];
		at += 2;
		if (n > len - at)
			n = len - at;
		/* Each frame a second later: old fragments time out. */
		now += (uint64_t)(data[at - 1] & 0x3f) * 1000000;
		if (rbi_frame_decode(link, data + at, n, frags, now, &pkt) ==
		    RBI_FRAME_OK) {
			for (i = 0; i < pkt.len; i++)
				sum ^= pkt.data[i];
			rbi_frame_result_name(RBI_FRAME_OK);
		}
		at += n;
	}
	rbi_ipfrag_flush(frags);
	(void)sum;
	return 0;
}
