// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * QUIC Initial protection against the RFCs' own test vectors (RFC 9001
 * appendix A for version 1, RFC 9369 appendix A for version 2), then the
 * scanner's reading of Initial packets of every version it reads: a
 * ClientHello in one packet, split across two with its CRYPTO frames out
 * of order, in coalesced datagrams, damaged, followed by a frame it does
 * not read; the clear-text gQUIC CHLO, and Q050's CHLO in CRYPTO frames.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scan/quic.h"
#include "rbi_tls.h"

/* RFC 9001 A.1: the client's Destination Connection ID. */
static const uint8_t dcid[] = {
	0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08,
};

static const uint8_t salt_v1[RBI_QUIC_SALT_LEN] = {
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
};

static const uint8_t salt_v2[RBI_QUIC_SALT_LEN] = {
	0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
};

/* A TLS 1.3 ClientHello handshake message naming q.example. */
static const uint8_t hello[] = {
	0x01, 0x00, 0x00, 0x4a, 0x03, 0x03,
	0x5a, 0x17, 0x9c, 0x02, 0xe1, 0x44, 0x3b, 0x80,
	0x6d, 0x21, 0xf7, 0x0e, 0x93, 0x58, 0xc4, 0x2a,
	0x11, 0xbe, 0x07, 0x6f, 0xd2, 0x39, 0x85, 0x4c,
	0xa0, 0x1b, 0x7e, 0xe3, 0x56, 0x0d, 0xc9, 0x62,
	0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00,
	0x00, 0x1f,
	0x00, 0x00, 0x00, 0x0e, 0x00, 0x0c, 0x00, 0x00,
	0x09, 'q', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04,
	0x00, 0x39, 0x00, 0x02, 0x01, 0x00,
};

static void hex(const char *s, uint8_t *out, size_t n)
{
	size_t i;
	unsigned int v;

	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void expect_keys(const uint8_t *salt, bool v2, bool server,
			const char *key, const char *iv, const char *hp)
{
	struct rbi_quic_keys k, want;

	hex(key, want.key, sizeof(want.key));
	hex(iv, want.iv, sizeof(want.iv));
	hex(hp, want.hp, sizeof(want.hp));
	assert_true(rbi_quic_initial_keys(salt, v2, dcid, sizeof(dcid),
					  server, &k));
	assert_memory_equal(k.key, want.key, sizeof(k.key));
	assert_memory_equal(k.iv, want.iv, sizeof(k.iv));
	assert_memory_equal(k.hp, want.hp, sizeof(k.hp));
}

static void test_keys_v1(void **state)
{
	(void)state;
	expect_keys(salt_v1, false, false, "1f369613dd76d5467730efcbe3b1a22d",
		    "fa044b2f42a3fd3b46fb255c",
		    "9f50449e04a0e810283a1e9933adedd2");
	expect_keys(salt_v1, false, true, "cf3a5331653c364c88f0f379b6067e37",
		    "0ac1493ca1905853b0bba03e",
		    "c206b8d9b9f0f37644430b490eeaa314");
}

static void test_keys_v2(void **state)
{
	(void)state;
	expect_keys(salt_v2, true, false, "8b1a0bc121284290a29e0971b5cd045d",
		    "91f73e2351d8fa91660e909f",
		    "45b95e15235d6f45a6b19cbcb0294ba9");
	expect_keys(salt_v2, true, true, "82db637861d55e1d011f19ea71d5d2a7",
		    "dd13c276499c0249d3310652",
		    "edf6d05c83121201b436e16877593c3a");
}

/* RFC 9001 A.2: the client Initial's header protection sample and mask. */
static void test_header_protection(void **state)
{
	struct rbi_quic_crypto *c = rbi_quic_crypto_alloc();
	uint8_t sample[16], mask[RBI_QUIC_MASK_LEN], want[RBI_QUIC_MASK_LEN];
	struct rbi_quic_keys k;

	(void)state;
	assert_non_null(c);
	hex("d1b1c98dd7689fb8ec11d242b123dc9b", sample, sizeof(sample));
	hex("437b9aec36", want, sizeof(want));
	assert_true(rbi_quic_initial_keys(salt_v1, false, dcid, sizeof(dcid),
					  false, &k));
	assert_true(rbi_quic_hp_mask(c, &k, sample, mask));
	assert_memory_equal(mask, want, sizeof(mask));
	rbi_quic_crypto_free(c);
}

/* Seal then open, and a flipped bit that the tag catches. */
static void test_aead_round_trip(void **state)
{
	struct rbi_quic_crypto *c = rbi_quic_crypto_alloc();
	uint8_t aad[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, buf[64 + 16];
	struct rbi_quic_keys k;

	(void)state;
	assert_true(rbi_quic_initial_keys(salt_v1, false, dcid, sizeof(dcid),
					  false, &k));
	memset(buf, 0x42, 64);
	assert_true(rbi_quic_seal(c, &k, 7, aad, sizeof(aad), buf, 64));
	assert_int_equal(rbi_quic_open(c, &k, 7, aad, sizeof(aad), buf,
				       sizeof(buf)), 64);
	assert_int_equal(buf[0], 0x42);
	assert_true(rbi_quic_seal(c, &k, 7, aad, sizeof(aad), buf, 64));
	assert_int_equal(rbi_quic_open(c, &k, 8, aad, sizeof(aad), buf,
				       sizeof(buf)), -1);
	assert_int_equal(rbi_quic_open(c, &k, 7, aad, sizeof(aad), buf, 15),
			 -1);
	rbi_quic_crypto_free(c);
}

struct quic_env {
	struct rbi_quic *q;
	struct rbi_reasm r;
	struct rbi_quic_conn conn;
	char name[RBI_NAME_BUF];
	uint8_t pkt[2048];
};

static int setup(void **state)
{
	struct quic_env *e = calloc(1, sizeof(*e));

	if (!e)
		return -1;
	e->q = rbi_quic_alloc();
	*state = e;
	return e->q ? 0 : -1;
}

static int teardown(void **state)
{
	struct quic_env *e = *state;

	rbi_quic_free(e->q);
	free(e);
	return 0;
}

static size_t build(struct quic_env *e, uint32_t version,
		    const struct rbi_quic_piece *pieces, unsigned int n,
		    uint32_t pn)
{
	size_t len = rbi_quic_build_initial(e->q, version, dcid, sizeof(dcid),
					    (const uint8_t *)"\x05", 1, pn,
					    pieces, n, 1200, e->pkt,
					    sizeof(e->pkt));

	assert_true(len >= 1200);
	return len;
}

static void expect_sni(struct quic_env *e, const char *sni)
{
	struct rbi_tls_hello h;

	assert_int_equal(rbi_tls_parse_handshake(e->r.data, e->r.have, &h),
			 RBI_PARSE_OK);
	assert_true(h.has_sni);
	assert_string_equal(h.sni, sni);
}

static void one_packet(void **state, uint32_t version)
{
	struct quic_env *e = *state;
	const struct rbi_quic_piece p = { hello, 0, sizeof(hello) };
	size_t len = build(e, version, &p, 1, 0);

	memset(&e->conn, 0, sizeof(e->conn));
	rbi_reasm_reset(&e->r);
	assert_true(rbi_quic_maybe(e->pkt, len));
	assert_int_equal(rbi_quic_datagram(e->q, e->pkt, len, &e->conn, &e->r,
					   e->name), RBI_QUIC_CRYPTO);
	expect_sni(e, "q.example");
	assert_memory_equal(e->conn.odcid, dcid, sizeof(dcid));
}

static void test_initial_versions(void **state)
{
	/*
	 * v1, v2, drafts 29, 27 and 22, mvfst on drafts 27 and 22 and its
	 * experimental one, Google's T051 and T050.
	 */
	static const uint32_t versions[] = {
		0x00000001, 0x6b3343cf, 0xff00001d, 0xff00001b, 0xff000016,
		0xfaceb002, 0xfaceb001, 0xfaceb00e, 0x54303531, 0x54303530,
	};
	size_t i;

	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		one_packet(state, versions[i]);
}

/* A CHLO with two tags: PAD ("----") and SNI. */
static size_t chlo(uint8_t *out, const char *sni)
{
	size_t n = strlen(sni);

	memcpy(out, "CHLO\x02\0\0\0PAD\0\x04\0\0\0SNI\0", 20);
	out[20] = (uint8_t)(4 + n);
	memset(out + 21, 0, 3);
	memcpy(out + 24, "----", 4);
	memcpy(out + 28, sni, n);
	return 28 + n;
}

/* Q050: a CHLO in the CRYPTO frames of an IETF-style Initial. */
static void test_q050(void **state)
{
	struct quic_env *e = *state;
	uint8_t m[128];
	struct rbi_quic_piece p = { m, 0, 0 };
	char name[RBI_NAME_BUF];
	size_t len;

	p.len = (uint32_t)chlo(m, "q50.example");
	len = build(e, 0x51303530, &p, 1, 0);
	memset(&e->conn, 0, sizeof(e->conn));
	rbi_reasm_reset(&e->r);
	assert_true(rbi_quic_maybe(e->pkt, len));
	assert_int_equal(rbi_quic_datagram(e->q, e->pkt, len, &e->conn, &e->r,
					   e->name), RBI_QUIC_CRYPTO);
	assert_true(e->conn.chlo);
	assert_int_equal(rbi_quic_chlo_sni(e->r.data, e->r.have, name),
			 RBI_PARSE_OK);
	assert_string_equal(name, "q50.example");
}

/*
 * Frames sealed as a client would: PING, CRYPTO, then a frame type no
 * Initial carries. What the CRYPTO frame brought stands.
 */
static void test_unknown_frame_after_crypto(void **state)
{
	struct quic_env *e = *state;
	uint8_t frames[256];
	size_t n = 0, len;

	frames[n++] = 0x01;
	frames[n++] = 0x06;
	frames[n++] = 0x00;
	frames[n++] = 0x40;
	frames[n++] = sizeof(hello);
	memcpy(frames + n, hello, sizeof(hello));
	n += sizeof(hello);
	frames[n++] = 0x1e;		/* HANDSHAKE_DONE: not in an Initial */
	len = rbi_quic_seal_initial(e->q, 1, dcid, sizeof(dcid), dcid, 1, 7,
				    frames, n, e->pkt, sizeof(e->pkt));
	assert_true(len > n);
	memset(&e->conn, 0, sizeof(e->conn));
	rbi_reasm_reset(&e->r);
	assert_int_equal(rbi_quic_datagram(e->q, e->pkt, len, &e->conn, &e->r,
					   e->name), RBI_QUIC_CRYPTO);
	expect_sni(e, "q.example");
	/* Without the CRYPTO frame, the same is malformed. */
	len = rbi_quic_seal_initial(e->q, 1, dcid, sizeof(dcid), dcid, 1, 8,
				    (const uint8_t *)"\x01\x1e", 2, e->pkt,
				    sizeof(e->pkt));
	rbi_reasm_reset(&e->r);
	assert_int_equal(rbi_quic_datagram(e->q, e->pkt, len, &e->conn, &e->r,
					   e->name), RBI_QUIC_MALFORMED);
}

/* The end and the start in one packet, the middle in the next. */
static void test_split_out_of_order(void **state)
{
	struct quic_env *e = *state;
	const struct rbi_quic_piece first[2] = {
		{ hello + 40, 40, sizeof(hello) - 40 }, { hello, 0, 20 },
	};
	const struct rbi_quic_piece second = { hello + 20, 20, 20 };
	struct rbi_tls_hello h;
	size_t len;

	memset(&e->conn, 0, sizeof(e->conn));
	rbi_reasm_reset(&e->r);
	len = build(e, 1, first, 2, 0);
	assert_int_equal(rbi_quic_datagram(e->q, e->pkt, len, &e->conn, &e->r,
					   e->name), RBI_QUIC_CRYPTO);
	assert_int_equal(rbi_tls_parse_handshake(e->r.data, e->r.have, &h),
			 RBI_PARSE_NEED_MORE);
	len = build(e, 1, &second, 1, 1);
	assert_int_equal(rbi_quic_datagram(e->q, e->pkt, len, &e->conn, &e->r,
					   e->name), RBI_QUIC_CRYPTO);
	expect_sni(e, "q.example");
	/* The same packet again brings nothing new. */
	assert_int_equal(rbi_quic_datagram(e->q, e->pkt, len, &e->conn, &e->r,
					   e->name), RBI_QUIC_NOTHING);
}

/* An Initial, then a short-header packet in the same datagram. */
static void test_coalesced(void **state)
{
	struct quic_env *e = *state;
	const struct rbi_quic_piece p = { hello, 0, sizeof(hello) };
	size_t len = build(e, 1, &p, 1, 0);

	memset(&e->conn, 0, sizeof(e->conn));
	rbi_reasm_reset(&e->r);
	memset(e->pkt + len, 0x41, 40);
	assert_int_equal(rbi_quic_datagram(e->q, e->pkt, len + 40, &e->conn,
					   &e->r, e->name), RBI_QUIC_CRYPTO);
	expect_sni(e, "q.example");
}

/* Damage anywhere past the header: the tag fails, nothing is read. */
static void test_damaged(void **state)
{
	struct quic_env *e = *state;
	const struct rbi_quic_piece p = { hello, 0, sizeof(hello) };
	size_t len = build(e, 1, &p, 1, 0), at;

	for (at = 30; at < len; at += 97) {
		len = build(e, 1, &p, 1, 0);
		e->pkt[at] ^= 0x01;
		memset(&e->conn, 0, sizeof(e->conn));
		rbi_reasm_reset(&e->r);
		assert_int_equal(rbi_quic_datagram(e->q, e->pkt, len, &e->conn,
						   &e->r, e->name),
				 RBI_QUIC_NOTHING);
		assert_int_equal(e->r.have, 0);
	}
	/* Every prefix of a packet: a clear result, never a read past it. */
	len = build(e, 1, &p, 1, 0);
	for (at = 0; at < len; at++) {
		uint8_t *cut = malloc(at ? at : 1);

		assert_non_null(cut);
		memcpy(cut, e->pkt, at);
		rbi_reasm_reset(&e->r);
		assert_int_not_equal(rbi_quic_datagram(e->q, cut, at, &e->conn,
						       &e->r, e->name),
				     RBI_QUIC_CRYPTO);
		free(cut);
	}
}

/* Versions we do not read, and what is no QUIC at all. */
static void test_not_mine(void **state)
{
	struct quic_env *e = *state;
	static const uint8_t unknown[] = { 0xc0, 0x0a, 0x1a, 0x2a, 0x3a, 0 };
	static const uint8_t dns[] = { 0x12, 0x34, 0x01, 0x00, 0x00, 0x01 };

	assert_false(rbi_quic_maybe(unknown, sizeof(unknown)));
	assert_false(rbi_quic_maybe(dns, sizeof(dns)));
	assert_int_equal(rbi_quic_datagram(e->q, unknown, sizeof(unknown),
					   &e->conn, &e->r, e->name),
			 RBI_QUIC_NOT_MINE);
}

static void test_chlo(void **state)
{
	char name[RBI_NAME_BUF];
	uint8_t m[128], *cut;
	size_t n = chlo(m, "WWW.Example.COM."), i;

	(void)state;
	assert_int_equal(rbi_quic_chlo_sni(m, n, name), RBI_PARSE_OK);
	assert_string_equal(name, "www.example.com");
	/* Every strict prefix, in a buffer of its size: wait for more. */
	for (i = 0; i < n; i++) {
		cut = malloc(i ? i : 1);
		assert_non_null(cut);
		memcpy(cut, m, i);
		assert_int_equal(rbi_quic_chlo_sni(cut, i, name),
				 RBI_PARSE_NEED_MORE);
		free(cut);
	}
	n = chlo(m, "a..b");
	assert_int_equal(rbi_quic_chlo_sni(m, n, name), RBI_PARSE_MALFORMED);
	n = chlo(m, "x.example");
	m[12] = 20;	/* PAD ends after SNI does */
	assert_int_equal(rbi_quic_chlo_sni(m, n, name), RBI_PARSE_MALFORMED);
	memcpy(m, "SHLO", 4);
	assert_int_equal(rbi_quic_chlo_sni(m, n, name), RBI_PARSE_NOT_MINE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_v1),
		cmocka_unit_test(test_keys_v2),
		cmocka_unit_test(test_header_protection),
		cmocka_unit_test(test_aead_round_trip),
		cmocka_unit_test(test_initial_versions),
		cmocka_unit_test(test_split_out_of_order),
		cmocka_unit_test(test_coalesced),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_not_mine),
		cmocka_unit_test(test_chlo),
		cmocka_unit_test(test_q050),
		cmocka_unit_test(test_unknown_frame_after_crypto),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
