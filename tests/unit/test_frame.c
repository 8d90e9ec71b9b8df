// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Frame decoding: one UDP datagram framed every way rbi_frame reads, then
 * what must not decode (headers cut short, lying lengths, other
 * protocols), every prefix of a frame in a buffer of its exact size, and
 * IPv6 extension headers and tunnels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scan/frame.h"

/* IPv4 10.0.0.1:1234 -> 10.0.0.2:53, UDP, 4 bytes of payload "abcd". */
static const uint8_t ip4[] = {
	0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0,
	10, 0, 0, 1, 10, 0, 0, 2,
	0x04, 0xd2, 0, 53, 0, 12, 0, 0, 'a', 'b', 'c', 'd',
};

/* IPv6 2001:db8::1 -> 2001:db8::2, Hop-by-Hop, Dest Options, then UDP. */
static const uint8_t ip6[] = {
	0x60, 0, 0, 0, 0, 28, 0, 64,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	60, 0, 1, 4, 0, 0, 0, 0,
	17, 0, 1, 4, 0, 0, 0, 0,
	0x04, 0xd2, 0, 53, 0, 12, 0, 0, 'a', 'b', 'c', 'd',
};

struct framing {
	const char *name;
	enum rbi_link link;
	const char *hdr;	/* the link header before IPv4 */
	size_t len;
};

#define F(name, link, hdr) { name, link, hdr, sizeof(hdr) - 1 }

static const struct framing framings[] = {
	F("ether", RBI_LINK_ETHER, "\2\0\0\0\0\2\2\0\0\0\0\1\x08\x00"),
	F("vlan", RBI_LINK_ETHER,
	  "\2\0\0\0\0\2\2\0\0\0\0\1\x81\x00\0\x64\x08\x00"),
	F("qinq", RBI_LINK_ETHER,
	  "\2\0\0\0\0\2\2\0\0\0\0\1\x88\xa8\0\xc8\x81\x00\0\x64\x08\x00"),
	F("pppoe", RBI_LINK_ETHER,
	  "\2\0\0\0\0\2\2\0\0\0\0\1\x88\x64\x11\0\x12\x34\0\x22\0\x21"),
	F("mpls", RBI_LINK_ETHER,
	  "\2\0\0\0\0\2\2\0\0\0\0\1\x88\x47\0\x01\x01\x40"),
	F("sll", RBI_LINK_SLL,
	  "\0\0\0\1\0\6\2\0\0\0\0\1\0\0\x08\x00"),
	F("sll2", RBI_LINK_SLL2,
	  "\x08\x00\0\0\0\0\0\2\0\1\0\6\2\0\0\0\0\1\0\0"),
	F("raw", RBI_LINK_RAW, ""),
	F("ppp", RBI_LINK_PPP, "\x00\x21"),
	F("ppp-hdlc-pfc", RBI_LINK_PPP, "\xff\x03\x21"),
	F("ppp-ether", RBI_LINK_PPPOE, "\x11\0\x12\x34\0\x22\0\x21"),
	F("null-le", RBI_LINK_NULL, "\2\0\0\0"),
	F("null-be", RBI_LINK_NULL, "\0\0\0\2"),
	F("loop", RBI_LINK_LOOP, "\0\0\0\2"),
};

static size_t frame(uint8_t *out, const struct framing *fr,
		    const uint8_t *ip, size_t len)
{
	memcpy(out, fr->hdr, fr->len);
	memcpy(out + fr->len, ip, len);
	return fr->len + len;
}

static void expect_udp(const struct rbi_frame *p, uint8_t family)
{
	assert_int_equal(p->l4, RBI_PROTO_UDP);
	assert_int_equal(p->src.family, family);
	assert_int_equal(p->sport, 1234);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->len, 4);
	assert_memory_equal(p->data, "abcd", 4);
	assert_false(p->cut);
}

static void test_framings(void **state)
{
	uint8_t buf[128];
	struct rbi_frame p;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(framings) / sizeof(framings[0]); i++) {
		n = frame(buf, &framings[i], ip4, sizeof(ip4));
		assert_int_equal(rbi_frame_decode(framings[i].link, buf, n, NULL,
						0, &p), RBI_FRAME_OK);
		expect_udp(&p, RBI_IP_V4);
	}
}

/* Ethernet pads short frames: the IP length decides, not the frame. */
/*
 * A TCP segment's numbers and flags, as the queue backend hands them to
 * the inspection engine: seq 0x01020304, ack 0x0a0b0c0d, ACK|PSH|URG.
 */
static void test_tcp(void **state)
{
	static const uint8_t seg[] = {
		0x45, 0, 0, 43, 0, 1, 0, 0, 64, 6, 0, 0,
		10, 0, 0, 1, 10, 0, 0, 2,
		0x04, 0xd2, 0x01, 0xbb, 1, 2, 3, 4, 10, 11, 12, 13,
		0x50, 0x38, 0x10, 0, 0, 0, 0, 0, 'a', 'b', 'c',
	};
	struct rbi_frame p;

	(void)state;
	assert_int_equal(rbi_frame_decode(RBI_LINK_RAW, seg, sizeof(seg), NULL,
					  0, &p), RBI_FRAME_OK);
	assert_int_equal(p.l4, RBI_PROTO_TCP);
	assert_int_equal(p.seq, 0x01020304);
	assert_int_equal(p.ack, 0x0a0b0c0d);
	assert_int_equal(p.tcp_flags, RBI_TCP_ACK | RBI_TCP_URG | 0x08);
	assert_int_equal(p.len, 3);
	assert_memory_equal(p.data, "abc", 3);
}

static void test_padding_and_cut(void **state)
{
	uint8_t buf[128];
	struct rbi_frame p;
	size_t n = frame(buf, &framings[0], ip4, sizeof(ip4));

	(void)state;
	memset(buf + n, 0xee, 20);
	assert_int_equal(rbi_frame_decode(RBI_LINK_ETHER, buf, n + 20, NULL, 0,
					&p), RBI_FRAME_OK);
	expect_udp(&p, RBI_IP_V4);
	/* Cut by a snapshot length: what is there, flagged. */
	assert_int_equal(rbi_frame_decode(RBI_LINK_ETHER, buf, n - 2, NULL, 0,
					&p), RBI_FRAME_OK);
	assert_true(p.cut);
	assert_int_equal(p.len, 2);
}

/* Every prefix, in an exact-size buffer: a result, never an over-read. */
static void test_prefixes(void **state)
{
	uint8_t buf[128], *cut;
	struct rbi_frame p;
	size_t i, n;
	int r;

	(void)state;
	n = frame(buf, &framings[2], ip6, sizeof(ip6));
	buf[20] = 0x86;		/* inner EtherType: IPv6 */
	buf[21] = 0xdd;
	assert_int_equal(rbi_frame_decode(RBI_LINK_ETHER, buf, n, NULL, 0, &p),
			 RBI_FRAME_OK);
	expect_udp(&p, RBI_IP_V6);
	for (i = 0; i < n; i++) {
		cut = malloc(i ? i : 1);
		assert_non_null(cut);
		memcpy(cut, buf, i);
		r = rbi_frame_decode(RBI_LINK_ETHER, cut, i, NULL, 0, &p);
		assert_true(r == RBI_FRAME_TRUNCATED ||
			    (r == RBI_FRAME_OK && p.cut));
		free(cut);
	}
}

static void test_refused(void **state)
{
	uint8_t buf[128];
	struct rbi_frame p;
	size_t n;

	(void)state;
	n = frame(buf, &framings[0], ip4, sizeof(ip4));
	buf[12] = 0x08;		/* ARP */
	buf[13] = 0x06;
	assert_int_equal(rbi_frame_decode(RBI_LINK_ETHER, buf, n, NULL, 0, &p),
			 RBI_FRAME_NOT_IP);
	memcpy(buf, ip4, sizeof(ip4));
	buf[0] = 0x44;		/* IHL 16 bytes */
	assert_int_equal(rbi_frame_decode(RBI_LINK_RAW, buf, sizeof(ip4), NULL,
					0, &p), RBI_FRAME_MALFORMED);
	buf[0] = 0x55;		/* version 5 */
	assert_int_equal(rbi_frame_decode(RBI_LINK_RAW, buf, sizeof(ip4), NULL,
					0, &p), RBI_FRAME_MALFORMED);
	memcpy(buf, ip4, sizeof(ip4));
	buf[25] = 4;		/* UDP length below its header */
	assert_int_equal(rbi_frame_decode(RBI_LINK_RAW, buf, sizeof(ip4), NULL,
					0, &p), RBI_FRAME_MALFORMED);
	memcpy(buf, ip4, sizeof(ip4));
	buf[9] = 1;		/* ICMP */
	assert_int_equal(rbi_frame_decode(RBI_LINK_RAW, buf, sizeof(ip4), NULL,
					0, &p), RBI_FRAME_OTHER);
	memcpy(buf, ip4, sizeof(ip4));
	buf[6] = 0x20;		/* a fragment, with no reassembler */
	assert_int_equal(rbi_frame_decode(RBI_LINK_RAW, buf, sizeof(ip4), NULL,
					0, &p), RBI_FRAME_OTHER);
	assert_string_equal(rbi_frame_result_name(RBI_FRAME_MALFORMED),
			    "malformed");
}

/* 6in4, 4in6, and a tunnel in a tunnel in a tunnel, which is too deep. */
static void test_tunnels(void **state)
{
	uint8_t buf[256], inner[256];
	struct rbi_frame p;
	size_t n = sizeof(ip6), i;

	(void)state;
	memcpy(inner, ip6, n);
	for (i = 0; i < 3; i++) {
		memcpy(buf, ip4, 20);
		buf[3] = (uint8_t)(20 + n);
		buf[9] = inner[0] >> 4 == 6 ? 41 : 4;
		memcpy(buf + 20, inner, n);
		n += 20;
		memcpy(inner, buf, n);
		assert_int_equal(rbi_frame_decode(RBI_LINK_RAW, buf, n, NULL, 0,
						&p),
				 i < 2 ? RBI_FRAME_OK : RBI_FRAME_OTHER);
		if (i < 2)
			expect_udp(&p, RBI_IP_V6);
	}
}

/* An IPv6 fragment pair through the reassembler. */
static void test_fragments(void **state)
{
	struct rbi_ipfrag *f = rbi_ipfrag_alloc(4);
	uint8_t a[128], b[128];
	struct rbi_frame p;

	(void)state;
	/* First: 8 bytes of UDP header; second: the 4 payload bytes. */
	memcpy(a, ip6, 40);
	a[5] = 16;
	a[6] = 44;
	memcpy(a + 40, "\x11\0\0\x01\0\0\0\x09", 8);
	memcpy(a + 48, ip6 + 56, 8);
	memcpy(b, a, 48);
	b[5] = 12;
	memcpy(b + 40, "\x11\0\0\x08\0\0\0\x09", 8);
	memcpy(b + 48, "abcd", 4);
	assert_int_equal(rbi_frame_decode(RBI_LINK_RAW, b, 52, f, 0, &p),
			 RBI_FRAME_HELD);
	assert_int_equal(rbi_frame_decode(RBI_LINK_RAW, a, 56, f, 0, &p),
			 RBI_FRAME_OK);
	expect_udp(&p, RBI_IP_V6);
	assert_true(p.reassembled);
	rbi_ipfrag_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framings),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_padding_and_cut),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_tunnels),
		cmocka_unit_test(test_fragments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
