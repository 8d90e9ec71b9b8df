/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * QUIC as the scanner meets it: the client's Initial packets, decrypted
 * with the keys anyone can derive from them (RFC 9001 5.2), so that the
 * ClientHello in their CRYPTO frames can be read. Versions: 1 (RFC 9000),
 * 2 (RFC 9369), the IETF drafts 22 to 32 and the Facebook mvfst variants
 * built on drafts 22 and 27, Google's T050 and T051 (TLS in IETF packets)
 * and Q050 (its CHLO in IETF packets, named by the CHLO's SNI tag); and
 * Google QUIC up to Q046, whose CHLO travels in clear text.
 *
 * A ClientHello may span several Initial packets and arrive as CRYPTO
 * frames in any order (Chrome shuffles them on purpose): the frames go to
 * a rbi_reasm buffer by their offset, and the caller parses the stream's
 * prefix with rbi_tls_parse_handshake() as it grows.
 */
#ifndef RBI_QUIC_H
#define RBI_QUIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rbi_parse.h"
#include "scan/quic_crypto.h"
#include "scan/reasm.h"

enum rbi_quic_result {
	RBI_QUIC_NOT_MINE,	/* no QUIC packet of a version we read */
	RBI_QUIC_NOTHING,	/* QUIC, but nothing of the client's hello */
	RBI_QUIC_CRYPTO,	/* the CRYPTO stream got new bytes */
	RBI_QUIC_CHLO,		/* a clear-text gQUIC CHLO: see *name */
	RBI_QUIC_MALFORMED,	/* a length lies */
	__RBI_QUIC_MAX
};

/* What a flow remembers between its datagrams. */
struct rbi_quic_conn {
	uint8_t odcid[RBI_QUIC_CID_MAX];	/* the first DCID that worked */
	uint8_t odcid_len;
	/* The CRYPTO stream is a gQUIC CHLO (Q050), not a TLS ClientHello. */
	bool chlo;
};

struct rbi_quic;

struct rbi_quic *rbi_quic_alloc(void);
void rbi_quic_free(struct rbi_quic *q);
/* Bytes one rbi_quic holds. */
size_t rbi_quic_mem(void);

/*
 * Whether a UDP payload starts like a QUIC packet of a version this file
 * reads, so that the caller only sets up state for those.
 */
bool rbi_quic_maybe(const uint8_t *d, size_t len);

/*
 * Whether a UDP payload that rbi_quic_maybe() refused looks like a client
 * Initial of a QUIC version this file does not read (a long header of
 * Initial size with plausible connection IDs): counted, not decoded.
 */
bool rbi_quic_other_version(const uint8_t *d, size_t len);

/*
 * Reads one UDP payload: every Initial packet the client coalesced into it
 * is opened and its CRYPTO frames go to crypto. A gQUIC CHLO is parsed at
 * once: RBI_QUIC_CHLO with *name set (empty when it has no SNI tag).
 */
enum rbi_quic_result rbi_quic_datagram(struct rbi_quic *q,
				       const uint8_t *d, size_t len,
				       struct rbi_quic_conn *conn,
				       struct rbi_reasm *crypto,
				       char name[RBI_NAME_BUF]);

/*
 * The SNI tag of a gQUIC CHLO message at d (the "CHLO" tag first): OK with
 * name set ("" without the tag), NEED_MORE when d is a prefix of it,
 * NOT_MINE when d is no CHLO, MALFORMED when its offsets lie or the name
 * cannot be rendered.
 */
enum rbi_parse_result rbi_quic_chlo_sni(const uint8_t *d, size_t len,
					char name[RBI_NAME_BUF]);

/*
 * Seals payload[0..len), the frames of an Initial in the clear, into a
 * client Initial packet of version with dcid and scid and packet number
 * pn, as a client would (for the tests and the fuzzer). Writes at most
 * cap bytes into out (which may be payload) and returns the packet's
 * length, or 0 when it does not fit or the version is unknown.
 */
size_t rbi_quic_seal_initial(struct rbi_quic *q, uint32_t version,
			     const uint8_t *dcid, size_t dcid_len,
			     const uint8_t *scid, size_t scid_len, uint32_t pn,
			     const uint8_t *payload, size_t len, uint8_t *out,
			     size_t cap);

/*
 * Builds a client Initial packet for the tests and the bench: version,
 * dcid and scid, packet number pn, and CRYPTO frames carrying hello bytes
 * [off, off + n) of a ClientHello (one frame per piece), padded to at
 * least min_len bytes. Writes at most cap bytes into out and returns the
 * packet's length, or 0 when it does not fit or the version is unknown.
 */
struct rbi_quic_piece {
	const uint8_t *data;
	uint32_t off;
	uint32_t len;
};

size_t rbi_quic_build_initial(struct rbi_quic *q, uint32_t version,
			      const uint8_t *dcid, size_t dcid_len,
			      const uint8_t *scid, size_t scid_len,
			      uint32_t pn, const struct rbi_quic_piece *pieces,
			      unsigned int n_pieces, size_t min_len,
			      uint8_t *out, size_t cap);

#endif
