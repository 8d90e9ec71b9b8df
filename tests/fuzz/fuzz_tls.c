// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: the ClientHello parser on a TCP stream, fed as the kernel
 * feeds it (growing prefixes at the points the `need` hint names), and on
 * a bare handshake message as QUIC CRYPTO frames carry it. A hello read
 * through the record layer is read the same from the handshake bytes its
 * records carry, laid end to end: same name, same ECH, same protocols.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rbi_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/*
 * The handshake bytes of the records at the start of data, joined; the
 * last record may be cut, as the hello may end before its record does.
 */
static size_t rbi_fuzz_unframe(const uint8_t *data, size_t len, uint8_t *out)
{
	size_t at = 0, n = 0, k;

	while (at + 5 <= len && data[at] == 22) {
		k = (size_t)data[at + 3] << 8 | data[at + 4];
		if (k > len - at - 5)
			k = len - at - 5;
		memcpy(out + n, data + at + 5, k);
		n += k;
		at += 5 + k;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static uint8_t bare[RBI_TLS_HELLO_MAX + 65536];
	static struct rbi_tls_hello h, b;
	size_t have = len ? 1 : 0, need = 0, n;
	enum rbi_parse_result r;

	for (;;) {
		r = rbi_tls_parse_client_hello(data, have, &h, &need);
		if (r != RBI_PARSE_NEED_MORE || have == len)
			break;
		/* The parser promised that no shorter stream completes. */
		if (need <= have)
			abort();
		have = need < len ? need : len;
	}
	if (r == RBI_PARSE_OK && h.record_version &&
	    h.record_version != RBI_TLS_VERSION_SSL2 && len <= 65536) {
		n = rbi_fuzz_unframe(data, len, bare);
		if (rbi_tls_parse_handshake(bare, n, &b) != RBI_PARSE_OK ||
		    b.has_sni != h.has_sni || strcmp(b.sni, h.sni) ||
		    b.ech != h.ech || b.esni != h.esni ||
		    strcmp(b.alpn, h.alpn))
			abort();
	}
	rbi_tls_parse_handshake(data, len, &h);
	return 0;
}
