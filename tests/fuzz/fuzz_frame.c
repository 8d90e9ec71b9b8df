// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: frame decoding and IP fragment reassembly. The first byte
 * picks the link layer; the rest is a run of frames, each a 16-bit length
 * and its bytes, decoded in turn with one fragment table, so that
 * fragments of one datagram meet across frames. Every payload handed out
 * is read to its last byte: it must lie in what was captured or in the
 * reassembled datagram. A raw IP frame is also decoded inside an Ethernet
 * header, and with Ethernet's padding after it: the link layer must change
 * nothing of what IP carries, and padding is never payload.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scan/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void same(enum rbi_frame_result ra, const struct rbi_frame *a,
		 enum rbi_frame_result rb, const struct rbi_frame *b)
{
	if (ra != rb)
		abort();
	if (ra == RBI_FRAME_OK &&
	    (a->l4 != b->l4 || a->sport != b->sport || a->dport != b->dport ||
	     a->seq != b->seq || a->tcp_flags != b->tcp_flags ||
	     a->len != b->len || a->cut != b->cut ||
	     memcmp(a->data, b->data, a->len) ||
	     memcmp(&a->src, &b->src, sizeof(a->src)) ||
	     memcmp(&a->dst, &b->dst, sizeof(a->dst))))
		abort();
}

/* The same IP packet as raw IP and in Ethernet, without fragments. */
static void same_in_ethernet(const uint8_t *ip, size_t n)
{
	static uint8_t eth[14 + 65536 + 8];
	struct rbi_frame a, b;
	enum rbi_frame_result ra, rb;
	bool sized;

	if (!n || n > 65536 || (ip[0] >> 4 != 4 && ip[0] >> 4 != 6))
		return;
	memset(eth, 0, 12);
	eth[12] = ip[0] >> 4 == 4 ? 0x08 : 0x86;
	eth[13] = ip[0] >> 4 == 4 ? 0x00 : 0xdd;
	memcpy(eth + 14, ip, n);
	ra = rbi_frame_decode(RBI_LINK_RAW, ip, n, NULL, 0, &a);
	rb = rbi_frame_decode(RBI_LINK_ETHER, eth, n + 14, NULL, 0, &b);
	same(ra, &a, rb, &b);
	/*
	 * Padding: only where the IP header says how long the datagram is
	 * (0 means trust the capture) and the capture held all of it.
	 */
	sized = n >= 6 && (ip[0] >> 4 == 4 ? ip[2] | ip[3] : ip[4] | ip[5]);
	if (ra != RBI_FRAME_OK || a.cut || !sized)
		return;
	memset(eth + 14 + n, 0, 8);
	rb = rbi_frame_decode(RBI_LINK_ETHER, eth, n + 14 + 8, NULL, 0, &b);
	same(ra, &a, rb, &b);
}

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
		if (link == RBI_LINK_RAW)
			same_in_ethernet(data + at, n);
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
