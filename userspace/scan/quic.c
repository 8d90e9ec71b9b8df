// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "scan/quic.h"

enum {
	RBI_QUIC_LONG = 0x80,
	RBI_QUIC_FIXED = 0x40,
	RBI_QUIC_MIN_INITIAL = 1200,	/* RFC 9000 14.1 */
	RBI_QUIC_PN_MAX = 4,
	RBI_QUIC_FRAME_PADDING = 0x00,
	RBI_QUIC_FRAME_PING = 0x01,
	RBI_QUIC_FRAME_ACK = 0x02,
	RBI_QUIC_FRAME_ACK_ECN = 0x03,
	RBI_QUIC_FRAME_CRYPTO = 0x06,
	/* Google's T050/T051 keep gQUIC's frame types inside IETF packets. */
	RBI_GQUIC_FRAME_CRYPTO = 0x08,
	RBI_QUIC_FRAME_CLOSE = 0x1c,
	RBI_QUIC_FRAME_CLOSE_APP = 0x1d,
	/* Google QUIC before the IETF header. */
	RBI_GQUIC_FLAG_VERSION = 0x01,
	RBI_GQUIC_FLAG_CID = 0x08,
	RBI_GQUIC_CID_LEN = 8,
	/* How far after the version a clear-text CHLO may start. */
	RBI_GQUIC_CHLO_WINDOW = 64,
	RBI_GQUIC_TAGS_MAX = 128,
	/* Datagrams a scanner reads are at most this long. */
	RBI_QUIC_DGRAM_MAX = 65535,
};

/* RFC 9001 5.2, RFC 9369 3.3.1, and the drafts' and vendors' salts. */
static const uint8_t rbi_quic_salt_d22[RBI_QUIC_SALT_LEN] = {
	0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a,
	0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a,
};
static const uint8_t rbi_quic_salt_d23[RBI_QUIC_SALT_LEN] = {
	0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
	0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02,
};
static const uint8_t rbi_quic_salt_d29[RBI_QUIC_SALT_LEN] = {
	0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
	0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99,
};
static const uint8_t rbi_quic_salt_v1[RBI_QUIC_SALT_LEN] = {
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
};
static const uint8_t rbi_quic_salt_v2[RBI_QUIC_SALT_LEN] = {
	0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
};
static const uint8_t rbi_quic_salt_q50[RBI_QUIC_SALT_LEN] = {
	0x50, 0x45, 0x74, 0xef, 0xd0, 0x66, 0xfe, 0x2f, 0x9d, 0x94,
	0x5c, 0xfc, 0xdb, 0xd3, 0xa7, 0xf0, 0xd3, 0xb5, 0x6b, 0x45,
};
static const uint8_t rbi_quic_salt_t50[RBI_QUIC_SALT_LEN] = {
	0x7f, 0xf5, 0x79, 0xe5, 0xac, 0xd0, 0x72, 0x91, 0x55, 0x80,
	0x30, 0x4c, 0x43, 0xa2, 0x36, 0x7c, 0x60, 0x48, 0x83, 0x10,
};
static const uint8_t rbi_quic_salt_t51[RBI_QUIC_SALT_LEN] = {
	0x7a, 0x4e, 0xde, 0xf4, 0xe7, 0xcc, 0xee, 0x5f, 0xa4, 0x50,
	0x6c, 0x19, 0x12, 0x4f, 0xc8, 0xcc, 0xda, 0x6e, 0x03, 0x3d,
};

enum {
	RBI_QUIC_V1 = 0x00000001,
	RBI_QUIC_V2 = 0x6b3343cf,
	RBI_QUIC_DRAFT = 0xff000000,	/* 0xff0000NN: draft NN */
	RBI_QUIC_MVFST_22 = 0xfaceb001,
	RBI_QUIC_MVFST_27 = 0xfaceb002,
	RBI_QUIC_MVFST_EXP = 0xfaceb00e,
	RBI_QUIC_Q050 = 0x51303530,
	RBI_QUIC_T050 = 0x54303530,
	RBI_QUIC_T051 = 0x54303531,
	RBI_QUIC_TYPE_INITIAL_V1 = 0,
	RBI_QUIC_TYPE_RETRY_V1 = 3,
	RBI_QUIC_TYPE_INITIAL_V2 = 1,
	RBI_QUIC_TYPE_RETRY_V2 = 0,
};

/* A range of versions protected and framed alike. */
struct rbi_quic_version {
	uint32_t lo, hi;
	const uint8_t *salt;
	bool v2;		/* RFC 9369's labels and packet types */
	uint8_t crypto_frame;	/* the CRYPTO frame's type */
	bool chlo;		/* CRYPTO carries a gQUIC CHLO, not TLS */
};

/*
 * Every version read: IETF drafts 22 to 32 and v1, v2; Facebook's mvfst
 * on drafts 22 and 27; Google's Q050 (a CHLO in IETF packets) and T050,
 * T051 (TLS in IETF packets), which keep gQUIC's frame types.
 */
static const struct rbi_quic_version rbi_quic_versions[] = {
	{ RBI_QUIC_V1, RBI_QUIC_V1, rbi_quic_salt_v1, false,
	  RBI_QUIC_FRAME_CRYPTO, false },
	{ RBI_QUIC_V2, RBI_QUIC_V2, rbi_quic_salt_v2, true,
	  RBI_QUIC_FRAME_CRYPTO, false },
	{ RBI_QUIC_DRAFT | 22, RBI_QUIC_DRAFT | 22, rbi_quic_salt_d22, false,
	  RBI_QUIC_FRAME_CRYPTO, false },
	{ RBI_QUIC_MVFST_22, RBI_QUIC_MVFST_22, rbi_quic_salt_d22, false,
	  RBI_QUIC_FRAME_CRYPTO, false },
	{ RBI_QUIC_DRAFT | 23, RBI_QUIC_DRAFT | 28, rbi_quic_salt_d23, false,
	  RBI_QUIC_FRAME_CRYPTO, false },
	{ RBI_QUIC_MVFST_27, RBI_QUIC_MVFST_27, rbi_quic_salt_d23, false,
	  RBI_QUIC_FRAME_CRYPTO, false },
	{ RBI_QUIC_MVFST_EXP, RBI_QUIC_MVFST_EXP, rbi_quic_salt_d23, false,
	  RBI_QUIC_FRAME_CRYPTO, false },
	{ RBI_QUIC_DRAFT | 29, RBI_QUIC_DRAFT | 32, rbi_quic_salt_d29, false,
	  RBI_QUIC_FRAME_CRYPTO, false },
	{ RBI_QUIC_Q050, RBI_QUIC_Q050, rbi_quic_salt_q50, false,
	  RBI_GQUIC_FRAME_CRYPTO, true },
	{ RBI_QUIC_T050, RBI_QUIC_T050, rbi_quic_salt_t50, false,
	  RBI_GQUIC_FRAME_CRYPTO, false },
	{ RBI_QUIC_T051, RBI_QUIC_T051, rbi_quic_salt_t51, false,
	  RBI_GQUIC_FRAME_CRYPTO, false },
};

/* Salt, labels and framing of version; NULL when we cannot read it. */
static const struct rbi_quic_version *rbi_quic_version(uint32_t version)
{
	size_t i;

	for (i = 0; i < sizeof(rbi_quic_versions) /
		    sizeof(rbi_quic_versions[0]); i++)
		if (version >= rbi_quic_versions[i].lo &&
		    version <= rbi_quic_versions[i].hi)
			return &rbi_quic_versions[i];
	return NULL;
}

struct rbi_quic {
	struct rbi_quic_crypto *crypto;
	uint8_t pkt[RBI_QUIC_DGRAM_MAX];	/* one packet, unprotected */
};

struct rbi_quic *rbi_quic_alloc(void)
{
	struct rbi_quic *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->crypto = rbi_quic_crypto_alloc();
	if (!q->crypto) {
		free(q);
		return NULL;
	}
	return q;
}

void rbi_quic_free(struct rbi_quic *q)
{
	if (!q)
		return;
	rbi_quic_crypto_free(q->crypto);
	free(q);
}

size_t rbi_quic_mem(void)
{
	return sizeof(struct rbi_quic);
}

/* RFC 9000 16: the two top bits give the length. */
static bool rbi_quic_varint(struct rbi_cur *c, uint64_t *v)
{
	uint8_t b;
	unsigned int n, i;

	if (!rbi_cur_u8(c, &b))
		return false;
	n = 1u << (b >> 6);
	*v = b & 0x3f;
	for (i = 1; i < n; i++) {
		if (!rbi_cur_u8(c, &b))
			return false;
		*v = *v << 8 | b;
	}
	return true;
}

static size_t rbi_quic_put_varint(uint8_t *p, uint64_t v)
{
	if (v < 0x40) {
		p[0] = (uint8_t)v;
		return 1;
	}
	if (v < 0x4000) {
		rbi_put_be16((uint16_t)(0x4000 | v), p);
		return 2;
	}
	rbi_put_be32((uint32_t)(0x80000000u | v), p);
	return 4;
}

/* "Q0dd": Google's own versions, told apart from the IETF's. */
static bool rbi_gquic_version(const uint8_t *v)
{
	return v[0] == 'Q' && v[1] == '0' && v[2] >= '0' && v[2] <= '9' &&
	       v[3] >= '0' && v[3] <= '9';
}

/*
 * Where a clear-text gQUIC packet's version sits (Q046 and older), or 0
 * when d is none. Q050 and later encrypt like the IETF versions.
 */
static size_t rbi_gquic_version_at(const uint8_t *d, size_t len)
{
	size_t at;

	if (d[0] & RBI_QUIC_LONG) {
		if (len < 5 || !rbi_gquic_version(d + 1))
			return 0;
		return memcmp(d + 1, "Q050", 4) < 0 ? 1 : 0;
	}
	if (!(d[0] & RBI_GQUIC_FLAG_VERSION))
		return 0;
	at = 1 + (d[0] & RBI_GQUIC_FLAG_CID ? RBI_GQUIC_CID_LEN : 0);
	return len >= at + 4 && rbi_gquic_version(d + at) ? at : 0;
}

/* A long header packet, as every version's invariants (RFC 8999) lay out. */
static bool rbi_quic_long(const uint8_t *d, size_t len)
{
	return len >= 5 && (d[0] & (RBI_QUIC_LONG | RBI_QUIC_FIXED)) ==
			   (RBI_QUIC_LONG | RBI_QUIC_FIXED);
}

bool rbi_quic_maybe(const uint8_t *d, size_t len)
{
	if (len < 5)
		return false;
	if (rbi_gquic_version_at(d, len))
		return true;
	return rbi_quic_long(d, len) && rbi_quic_version(rbi_get_be32(d + 1));
}

bool rbi_quic_other_version(const uint8_t *d, size_t len)
{
	uint32_t version;

	if (!rbi_quic_long(d, len) || len < RBI_QUIC_MIN_INITIAL ||
	    rbi_gquic_version_at(d, len))
		return false;
	version = rbi_get_be32(d + 1);
	/* 0 is Version Negotiation, a server's answer. */
	return version && !rbi_quic_version(version) &&
	       d[5] <= RBI_QUIC_CID_MAX && 6u + d[5] < len &&
	       d[6 + d[5]] <= RBI_QUIC_CID_MAX;
}

/* Presentation form of an SNI value, as rbi_tls.h renders host_name. */
static bool rbi_quic_name(const uint8_t *s, size_t n, char name[RBI_NAME_BUF])
{
	size_t i, len = 0;
	uint8_t prev = '.';
	char esc[4];

	for (i = 0; i < n; i++) {
		if (s[i] == '.' && prev == '.')
			return false;
		prev = s[i];
		if (i == n - 1 && s[i] == '.')
			break;
		if (!rbi_byte_needs_escape(s[i])) {
			if (len + 1 > RBI_NAME_MAX)
				return false;
			name[len++] = rbi_tolower((char)s[i]);
			continue;
		}
		if (len + sizeof(esc) > RBI_NAME_MAX)
			return false;
		rbi_byte_escape(s[i], esc);
		memcpy(name + len, esc, sizeof(esc));
		len += sizeof(esc);
	}
	if (!len)
		return false;
	name[len] = '\0';
	return true;
}

/* A CHLO value's bounds from its tag's end offset and the previous one's. */
static enum rbi_parse_result rbi_quic_chlo_value(const uint8_t *d, size_t len,
						 size_t values, uint32_t from,
						 uint32_t to,
						 char name[RBI_NAME_BUF])
{
	if (to < from)
		return RBI_PARSE_MALFORMED;
	if (values + to > len)
		return RBI_PARSE_NEED_MORE;
	if (to == from)
		return RBI_PARSE_OK;
	return rbi_quic_name(d + values + from, to - from, name) ?
	       RBI_PARSE_OK : RBI_PARSE_MALFORMED;
}

enum rbi_parse_result rbi_quic_chlo_sni(const uint8_t *d, size_t len,
					char name[RBI_NAME_BUF])
{
	uint32_t i, tags, end, prev = 0;
	const uint8_t *e;

	name[0] = '\0';
	if (len < 4)
		return memcmp(d, "CHLO", len) ? RBI_PARSE_NOT_MINE :
		       RBI_PARSE_NEED_MORE;
	if (memcmp(d, "CHLO", 4))
		return RBI_PARSE_NOT_MINE;
	if (len < 8)
		return RBI_PARSE_NEED_MORE;
	tags = d[4] | (uint32_t)d[5] << 8;
	if (tags > RBI_GQUIC_TAGS_MAX)
		return RBI_PARSE_MALFORMED;
	if (len < 8 + (size_t)tags * 8)
		return RBI_PARSE_NEED_MORE;
	for (i = 0; i < tags; i++, prev = end) {
		e = d + 8 + i * 8;
		end = e[4] | (uint32_t)e[5] << 8 | (uint32_t)e[6] << 16 |
		      (uint32_t)e[7] << 24;
		if (end > RBI_QUIC_DGRAM_MAX)
			return RBI_PARSE_MALFORMED;
		if (!memcmp(e, "SNI", 4))
			return rbi_quic_chlo_value(d, len, 8 + tags * 8, prev,
						   end, name);
	}
	return RBI_PARSE_OK;
}

/* A clear-text gQUIC client packet: find its CHLO and read the SNI. */
static enum rbi_quic_result rbi_gquic(const uint8_t *d, size_t len,
				      size_t version_at,
				      char name[RBI_NAME_BUF])
{
	size_t from = version_at + 4, i, end;

	end = RBI_MIN(len, from + RBI_GQUIC_CHLO_WINDOW);
	for (i = from; i + 4 <= end; i++) {
		if (memcmp(d + i, "CHLO", 4))
			continue;
		if (rbi_quic_chlo_sni(d + i, len - i, name) != RBI_PARSE_OK)
			return RBI_QUIC_MALFORMED;
		return RBI_QUIC_CHLO;
	}
	return RBI_QUIC_NOTHING;
}

/* The parts of a long header packet, as RFC 9000 17.2 lays them out. */
struct rbi_quic_hdr {
	uint32_t version;
	const struct rbi_quic_version *v;
	const uint8_t *dcid;
	uint8_t dcid_len;
	bool initial;
	size_t pn_off;		/* where the packet number starts */
	size_t end;		/* where the packet ends */
};

static bool rbi_quic_cid(struct rbi_cur *c, const uint8_t **cid,
			 uint8_t *len)
{
	return rbi_cur_u8(c, len) && *len <= RBI_QUIC_CID_MAX &&
	       rbi_cur_bytes(c, *len, cid);
}

/*
 * OK for a long header packet of a version we read, whose end says where
 * the next coalesced packet starts; NOT_MINE for anything else.
 */
static enum rbi_parse_result rbi_quic_header(const uint8_t *d, size_t len,
					     struct rbi_quic_hdr *h)
{
	const struct rbi_quic_version *v;
	const uint8_t *scid;
	uint64_t token, plen;
	uint8_t b, scid_len;
	unsigned int type;
	struct rbi_cur c;

	rbi_cur_init(&c, d, len);
	if (!rbi_cur_u8(&c, &b) || !rbi_cur_u32(&c, &h->version) ||
	    !(b & RBI_QUIC_LONG))
		return RBI_PARSE_NOT_MINE;
	v = rbi_quic_version(h->version);
	if (!v)
		return RBI_PARSE_NOT_MINE;
	h->v = v;
	if (!rbi_quic_cid(&c, &h->dcid, &h->dcid_len) ||
	    !rbi_quic_cid(&c, &scid, &scid_len))
		return RBI_PARSE_MALFORMED;
	type = (b >> 4) & 3;
	h->initial = type == (v->v2 ? RBI_QUIC_TYPE_INITIAL_V2 :
			      RBI_QUIC_TYPE_INITIAL_V1);
	h->pn_off = 0;
	/* Retry has no Length: it fills the rest of the datagram. */
	if (type == (v->v2 ? RBI_QUIC_TYPE_RETRY_V2 : RBI_QUIC_TYPE_RETRY_V1)) {
		h->end = len;
		return RBI_PARSE_OK;
	}
	if (h->initial && (!rbi_quic_varint(&c, &token) ||
			   !rbi_cur_skip(&c, token)))
		return RBI_PARSE_MALFORMED;
	if (!rbi_quic_varint(&c, &plen) || plen > rbi_cur_left(&c))
		return RBI_PARSE_MALFORMED;
	h->pn_off = c.off;
	h->end = c.off + plen;
	return RBI_PARSE_OK;
}

/*
 * Removes header protection from the copy in q->pkt and opens the payload
 * with keys from dcid. Returns the plaintext length, or -1.
 */
static long rbi_quic_unprotect(struct rbi_quic *q, const uint8_t *d,
			       const struct rbi_quic_hdr *h,
			       const uint8_t *dcid, size_t dcid_len,
			       size_t *hdr_len)
{
	const struct rbi_quic_version *v = h->v;
	uint8_t mask[RBI_QUIC_MASK_LEN], *p = q->pkt;
	struct rbi_quic_keys k;
	unsigned int pn_len, i;
	uint64_t pn = 0;

	if (h->pn_off + RBI_QUIC_PN_MAX + RBI_QUIC_SAMPLE_LEN > h->end)
		return -1;
	memcpy(p, d, h->end);
	if (!rbi_quic_initial_keys(v->salt, v->v2, dcid, dcid_len, false, &k) ||
	    !rbi_quic_hp_mask(q->crypto, &k, p + h->pn_off + RBI_QUIC_PN_MAX,
			      mask))
		return -1;
	p[0] ^= mask[0] & 0x0f;
	pn_len = (p[0] & 3) + 1;
	for (i = 0; i < pn_len; i++) {
		p[h->pn_off + i] ^= mask[1 + i];
		pn = pn << 8 | p[h->pn_off + i];
	}
	*hdr_len = h->pn_off + pn_len;
	return rbi_quic_open(q->crypto, &k, pn, p, *hdr_len, p + *hdr_len,
			     h->end - *hdr_len);
}

static bool rbi_quic_skip_ack(struct rbi_cur *c, bool ecn)
{
	uint64_t v, ranges, i;
	unsigned int fields = ecn ? 3 : 0;

	/* Largest, delay, range count, first range; gap and length pairs. */
	if (!rbi_quic_varint(c, &v) || !rbi_quic_varint(c, &v) ||
	    !rbi_quic_varint(c, &ranges) || !rbi_quic_varint(c, &v) ||
	    ranges > rbi_cur_left(c))
		return false;
	for (i = 0; i < 2 * ranges + fields; i++)
		if (!rbi_quic_varint(c, &v))
			return false;
	return true;
}

static bool rbi_quic_skip_close(struct rbi_cur *c, bool app)
{
	uint64_t v, reason;

	return rbi_quic_varint(c, &v) && (app || rbi_quic_varint(c, &v)) &&
	       rbi_quic_varint(c, &reason) && rbi_cur_skip(c, reason);
}

/* A CRYPTO frame's offset, length and data, into r. */
static bool rbi_quic_crypto_frame(struct rbi_cur *c, struct rbi_reasm *r,
				  enum rbi_quic_result *res)
{
	enum rbi_reasm_result added;
	const uint8_t *data;
	uint64_t off, n;

	if (!rbi_quic_varint(c, &off) || !rbi_quic_varint(c, &n) ||
	    !rbi_cur_bytes(c, n, &data))
		return false;
	added = rbi_reasm_add(r, off, data, n);
	if (added == RBI_REASM_GREW || added == RBI_REASM_HELD)
		*res = RBI_QUIC_CRYPTO;
	return true;
}

/* The other frames an Initial may carry (RFC 9000 12.4), skipped. */
static bool rbi_quic_skip_frame(struct rbi_cur *c, uint64_t type)
{
	switch (type) {
	case RBI_QUIC_FRAME_PADDING:
	case RBI_QUIC_FRAME_PING:
		return true;
	case RBI_QUIC_FRAME_ACK:
	case RBI_QUIC_FRAME_ACK_ECN:
		return rbi_quic_skip_ack(c, type == RBI_QUIC_FRAME_ACK_ECN);
	case RBI_QUIC_FRAME_CLOSE:
	case RBI_QUIC_FRAME_CLOSE_APP:
		return rbi_quic_skip_close(c, type == RBI_QUIC_FRAME_CLOSE_APP);
	default:
		return false;
	}
}

/*
 * An Initial's frames; the CRYPTO ones go to r. The payload passed its
 * AEAD tag, so the client sent every byte of it: a frame this file does
 * not read (gQUIC's ACK in Q050, say) ends the reading, but what CRYPTO
 * frames before it brought stands.
 */
static enum rbi_quic_result rbi_quic_frames(const uint8_t *p, size_t len,
					    uint8_t crypto_frame,
					    struct rbi_reasm *r)
{
	enum rbi_quic_result res = RBI_QUIC_NOTHING;
	struct rbi_cur c;
	uint64_t type;
	bool ok;

	rbi_cur_init(&c, p, len);
	while (rbi_cur_left(&c)) {
		if (!rbi_quic_varint(&c, &type))
			return RBI_QUIC_MALFORMED;
		if (type == crypto_frame)
			ok = rbi_quic_crypto_frame(&c, r, &res);
		else
			ok = rbi_quic_skip_frame(&c, type);
		if (!ok)
			return res == RBI_QUIC_CRYPTO ? res : RBI_QUIC_MALFORMED;
	}
	return res;
}

/* One Initial: opened with its own DCID's keys, else the flow's first. */
static enum rbi_quic_result rbi_quic_initial(struct rbi_quic *q,
					     const uint8_t *d,
					     const struct rbi_quic_hdr *h,
					     struct rbi_quic_conn *conn,
					     struct rbi_reasm *r)
{
	size_t hdr_len = 0;
	long n;

	n = rbi_quic_unprotect(q, d, h, h->dcid, h->dcid_len, &hdr_len);
	if (n < 0 && conn->odcid_len &&
	    (conn->odcid_len != h->dcid_len ||
	     memcmp(conn->odcid, h->dcid, h->dcid_len)))
		n = rbi_quic_unprotect(q, d, h, conn->odcid, conn->odcid_len,
				       &hdr_len);
	/* A server's Initial, or damage: not the client's hello. */
	if (n < 0)
		return RBI_QUIC_NOTHING;
	if (!conn->odcid_len) {
		memcpy(conn->odcid, h->dcid, h->dcid_len);
		conn->odcid_len = h->dcid_len;
		conn->chlo = h->v->chlo;
	}
	return rbi_quic_frames(q->pkt + hdr_len, (size_t)n,
			       h->v->crypto_frame, r);
}

enum rbi_quic_result rbi_quic_datagram(struct rbi_quic *q,
				       const uint8_t *d, size_t len,
				       struct rbi_quic_conn *conn,
				       struct rbi_reasm *crypto,
				       char name[RBI_NAME_BUF])
{
	enum rbi_quic_result res = RBI_QUIC_NOT_MINE, one;
	enum rbi_parse_result pr;
	struct rbi_quic_hdr h;
	size_t at;

	if (len < 5 || len > RBI_QUIC_DGRAM_MAX)
		return RBI_QUIC_NOT_MINE;
	at = rbi_gquic_version_at(d, len);
	if (at)
		return rbi_gquic(d, len, at, name);
	/* Coalesced packets (RFC 9000 12.2), each with its own Length. */
	while (len) {
		pr = rbi_quic_header(d, len, &h);
		if (pr != RBI_PARSE_OK)
			return res != RBI_QUIC_NOT_MINE ? res :
			       pr == RBI_PARSE_MALFORMED ? RBI_QUIC_MALFORMED :
			       RBI_QUIC_NOT_MINE;
		if (res == RBI_QUIC_NOT_MINE)
			res = RBI_QUIC_NOTHING;
		if (h.initial && h.pn_off) {
			one = rbi_quic_initial(q, d, &h, conn, crypto);
			if (one == RBI_QUIC_MALFORMED)
				return res == RBI_QUIC_CRYPTO ? res : one;
			if (one == RBI_QUIC_CRYPTO)
				res = one;
		}
		d += h.end;
		len -= h.end;
	}
	return res;
}

/* The header of an Initial built here: no token, a 2-byte Length. */
static size_t rbi_quic_hdr_len(size_t dcid_len, size_t scid_len)
{
	return 1 + 4 + 1 + dcid_len + 1 + scid_len + 1 + 2 + RBI_QUIC_PN_MAX;
}

size_t rbi_quic_seal_initial(struct rbi_quic *q, uint32_t version,
			     const uint8_t *dcid, size_t dcid_len,
			     const uint8_t *scid, size_t scid_len, uint32_t pn,
			     const uint8_t *payload, size_t len, uint8_t *out,
			     size_t cap)
{
	const struct rbi_quic_version *v = rbi_quic_version(version);
	size_t hdr = rbi_quic_hdr_len(dcid_len, scid_len), at = 0;
	uint8_t mask[RBI_QUIC_MASK_LEN], *p = q->pkt;
	struct rbi_quic_keys k;
	unsigned int i;

	if (!v || dcid_len > RBI_QUIC_CID_MAX || scid_len > RBI_QUIC_CID_MAX ||
	    len + RBI_QUIC_PN_MAX + RBI_QUIC_TAG_LEN > 0x3fff ||
	    hdr + len + RBI_QUIC_TAG_LEN > cap)
		return 0;
	/* A 4-byte packet number, so that the sample is always there. */
	p[at++] = (uint8_t)(RBI_QUIC_LONG | RBI_QUIC_FIXED |
			    (v->v2 ? RBI_QUIC_TYPE_INITIAL_V2 << 4 : 0) | 3);
	rbi_put_be32(version, p + at);
	at += 4;
	p[at++] = (uint8_t)dcid_len;
	memcpy(p + at, dcid, dcid_len);
	at += dcid_len;
	p[at++] = (uint8_t)scid_len;
	memcpy(p + at, scid, scid_len);
	at += scid_len;
	p[at++] = 0;			/* no token */
	rbi_put_be16((uint16_t)(0x4000 | (len + RBI_QUIC_PN_MAX +
					  RBI_QUIC_TAG_LEN)), p + at);
	rbi_put_be32(pn, p + at + 2);
	memmove(p + hdr, payload, len);
	if (!rbi_quic_initial_keys(v->salt, v->v2, dcid, dcid_len, false,
				   &k) ||
	    !rbi_quic_seal(q->crypto, &k, pn, p, hdr, p + hdr, len) ||
	    !rbi_quic_hp_mask(q->crypto, &k, p + at + 2 + RBI_QUIC_PN_MAX,
			      mask))
		return 0;
	p[0] ^= mask[0] & 0x0f;
	for (i = 0; i < RBI_QUIC_PN_MAX; i++)
		p[at + 2 + i] ^= mask[1 + i];
	memcpy(out, p, hdr + len + RBI_QUIC_TAG_LEN);
	return hdr + len + RBI_QUIC_TAG_LEN;
}

size_t rbi_quic_build_initial(struct rbi_quic *q, uint32_t version,
			      const uint8_t *dcid, size_t dcid_len,
			      const uint8_t *scid, size_t scid_len,
			      uint32_t pn, const struct rbi_quic_piece *pieces,
			      unsigned int n_pieces, size_t min_len,
			      uint8_t *out, size_t cap)
{
	const struct rbi_quic_version *v = rbi_quic_version(version);
	size_t hdr = rbi_quic_hdr_len(dcid_len, scid_len), at = 0, pad;
	unsigned int i;

	if (!v || hdr + RBI_QUIC_TAG_LEN > cap)
		return 0;
	pad = min_len > hdr + RBI_QUIC_TAG_LEN ?
	      min_len - hdr - RBI_QUIC_TAG_LEN : 0;
	/* The frames in out, for now: sealing moves them behind a header. */
	cap -= hdr + RBI_QUIC_TAG_LEN;
	for (i = 0; i < n_pieces; i++) {
		if (at + 1 + 8 + pieces[i].len > cap)
			return 0;
		out[at++] = v->crypto_frame;
		at += rbi_quic_put_varint(out + at, pieces[i].off);
		at += rbi_quic_put_varint(out + at, pieces[i].len);
		memcpy(out + at, pieces[i].data, pieces[i].len);
		at += pieces[i].len;
	}
	if (pad > cap)
		return 0;
	while (at < pad)
		out[at++] = RBI_QUIC_FRAME_PADDING;
	return rbi_quic_seal_initial(q, version, dcid, dcid_len, scid,
				     scid_len, pn, out, at, out,
				     cap + hdr + RBI_QUIC_TAG_LEN);
}
