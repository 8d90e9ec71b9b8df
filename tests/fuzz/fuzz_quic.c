// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: QUIC as an attacker's capture brings it. The input is a run
 * of datagrams, each a 16-bit length and its bytes. The first byte says
 * how they are read: as UDP payloads as they are (long and short headers,
 * coalesced packets, gQUIC's clear-text CHLO), or as the frames of client
 * Initials of one version, sealed with the keys anyone can derive, so that
 * the frame parser behind the AEAD tag is reached as well. Whatever CRYPTO
 * stream results is parsed as the scanner parses it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "scan/quic.h"
#include "rbi_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static const uint32_t versions[] = {
	0x00000001, 0x6b3343cf, 0xff000016, 0xff00001b, 0xff00001d,
	0xfaceb001, 0x51303530, 0x54303530, 0x54303531,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const uint8_t dcid[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static uint8_t pkt[RBI_REASM_CAP];
	static struct rbi_quic *q;
	static struct rbi_reasm r;
	struct rbi_quic_conn conn = { 0 };
	struct rbi_tls_hello h;
	char name[RBI_NAME_BUF];
	size_t at = 1, n, plen;
	uint32_t version, pn = 0;
	bool sealed;

	if (!q)
		q = rbi_quic_alloc();
	if (!q || !len)
		return 0;
	sealed = data[0] & 1;
	version = versions[(data[0] >> 1) % (sizeof(versions) /
					      sizeof(versions[0]))];
	rbi_reasm_reset(&r);
	while (at + 2 <= len) {
		n = (size_t)data[at] << 8 | data[at + 1];
		at += 2;
		if (n > len - at)
			n = len - at;
		rbi_quic_maybe(data + at, n);
		rbi_quic_other_version(data + at, n);
		if (sealed) {
			plen = rbi_quic_seal_initial(q, version, dcid,
						     sizeof(dcid), dcid, 4,
						     pn++, data + at, n, pkt,
						     sizeof(pkt));
			if (plen)
				rbi_quic_datagram(q, pkt, plen, &conn, &r,
						  name);
		} else {
			rbi_quic_datagram(q, data + at, n, &conn, &r, name);
		}
		at += n;
	}
	rbi_tls_parse_handshake(r.data, r.have, &h);
	rbi_quic_chlo_sni(r.data, r.have, name);
	return 0;
}
