// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TLS ClientHello dissector (RFC 8446 4.1.2, RFC 5246 7.4.1.2), with the
 * extensions that name the server or hide it. See rbi_tls.h for the
 * contract.
 *
 * A call runs in three steps over the handshake message: read its 4-byte
 * header, walk to its end (which only visits record headers), and only
 * then parse the body. Waiting for the whole message keeps each call on a
 * partial stream to a walk over the records, and means every length is
 * judged against bounds that are all present.
 */
#include "rbi_tls.h"

enum {
	RBI_TLS_CT_HANDSHAKE = 22,
	RBI_TLS_MAJOR = 3,
	RBI_TLS_HS_CLIENT_HELLO = 1,
	RBI_TLS_REC_HDR = 5,
	RBI_TLS_HS_HDR = 4,
	/* RFC 8446 5.1: no plaintext fragment is longer */
	RBI_TLS_REC_MAX = 16384,
	RBI_TLS_RANDOM = 32,
	RBI_TLS_NAME_HOST = 0,
	RBI_TLS_SSL2_HDR = 2,
	RBI_TLS_SSL2_SPEC = 3,
	RBI_TLS_SSL2_SID = 16,
	RBI_TLS_SSL2_CHALLENGE_MIN = 16,
	RBI_TLS_SSL2_CHALLENGE_MAX = 32,
};

enum {
	RBI_TLS_EXT_SERVER_NAME = 0x0000,
	RBI_TLS_EXT_ALPN = 0x0010,
	RBI_TLS_EXT_SUPPORTED_VERSIONS = 0x002b,
	RBI_TLS_EXT_ECH = 0xfe0d,
	RBI_TLS_EXT_ESNI = 0xffce,
};

/*
 * Extensions whose repetition is refused. RFC 8446 4.2 forbids any repeat,
 * but only these change what we report: a second server_name the server
 * might honour instead of the first is an evasion. Tracking every type
 * would take an 8 KiB bitmap; a repeat of any other type is for the server
 * to reject.
 */
static const uint16_t rbi_tls_tracked[] = {
	RBI_TLS_EXT_SERVER_NAME,
	RBI_TLS_EXT_ALPN,
	RBI_TLS_EXT_SUPPORTED_VERSIONS,
	RBI_TLS_EXT_ECH,
	RBI_TLS_EXT_ESNI,
};

/*
 * Reads the logical bytes of one handshake message straight out of the
 * caller's stream, stepping over record headers wherever the record layer
 * cut the message. Without records (a bare message) the whole bound is one
 * fragment.
 */
struct rbi_tls_walk {
	const uint8_t *s;
	size_t len;		/* stream bytes available */
	size_t pos;		/* stream offset of the next logical byte */
	size_t frag_end;	/* stream offset where the fragment ends */
	size_t off;		/* logical bytes consumed */
	size_t need;		/* on NEED_MORE: stream length to wait for */
	enum rbi_parse_result res;	/* why the last step failed */
	bool records;
};

/* The variable-length vectors of a ClientHello that we read. */
enum rbi_tls_vec {
	RBI_TLS_VEC_SID,
	RBI_TLS_VEC_SUITES,
	RBI_TLS_VEC_COMP,
	RBI_TLS_VEC_OPAQUE16,
	RBI_TLS_VEC_NAME_LIST,
	RBI_TLS_VEC_NAME,
	RBI_TLS_VEC_ALPN_LIST,
	RBI_TLS_VEC_ALPN,
	RBI_TLS_VEC_VERSIONS,
	__RBI_TLS_VEC_MAX
};

/* A vector's length prefix and the lengths its definition allows. */
struct rbi_tls_vec_rule {
	uint8_t prefix;		/* 1 or 2 bytes */
	uint8_t unit;		/* the length is a multiple of this */
	uint16_t min;
	uint16_t max;
};

static const struct rbi_tls_vec_rule rbi_tls_vec_rules[__RBI_TLS_VEC_MAX] = {
	/* opaque legacy_session_id<0..32> */
	[RBI_TLS_VEC_SID] = { 1, 1, 0, 32 },
	/* CipherSuite cipher_suites<2..2^16-2> */
	[RBI_TLS_VEC_SUITES] = { 2, 2, 2, 0xfffe },
	/* opaque legacy_compression_methods<1..2^8-1> */
	[RBI_TLS_VEC_COMP] = { 1, 1, 1, 0xff },
	/* extensions and extension_data: TLS 1.2 allows them empty */
	[RBI_TLS_VEC_OPAQUE16] = { 2, 1, 0, 0xffff },
	/* ServerName server_name_list<1..2^16-1> (RFC 6066 3) */
	[RBI_TLS_VEC_NAME_LIST] = { 2, 1, 1, 0xffff },
	/* opaque HostName<1..2^16-1> */
	[RBI_TLS_VEC_NAME] = { 2, 1, 1, 0xffff },
	/* ProtocolName protocol_name_list<2..2^16-1> (RFC 7301 3.1) */
	[RBI_TLS_VEC_ALPN_LIST] = { 2, 1, 2, 0xffff },
	/* opaque ProtocolName<1..2^8-1> */
	[RBI_TLS_VEC_ALPN] = { 1, 1, 1, 0xff },
	/* ProtocolVersion versions<2..254> (RFC 8446 4.2.1) */
	[RBI_TLS_VEC_VERSIONS] = { 1, 2, 2, 0xfe },
};

/* Rendered text in a caller buffer, never past cap bytes. */
struct rbi_tls_text {
	char *buf;
	size_t cap;
	size_t len;
};

static bool rbi_tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static bool rbi_tls_fail(struct rbi_tls_walk *w, enum rbi_parse_result r)
{
	w->res = r;
	return false;
}

static void rbi_tls_walk_init(struct rbi_tls_walk *w, const uint8_t *s,
			      size_t len, bool records)
{
	w->s = s;
	w->len = len;
	w->pos = 0;
	w->frag_end = records ? 0 : RBI_TLS_HELLO_MAX;
	w->off = 0;
	w->need = 0;
	w->res = RBI_PARSE_OK;
	w->records = records;
}

static bool rbi_tls_next_record(struct rbi_tls_walk *w)
{
	struct rbi_cur c;
	uint16_t version, rlen;
	uint8_t type;

	/* A bare message's fragment is the whole bound. */
	if (!w->records || w->pos + RBI_TLS_REC_HDR > RBI_TLS_HELLO_MAX)
		return rbi_tls_fail(w, RBI_PARSE_TOO_BIG);
	rbi_cur_init(&c, w->s + w->pos, w->len - w->pos);
	if (!rbi_cur_u8(&c, &type) || !rbi_cur_u16(&c, &version) ||
	    !rbi_cur_u16(&c, &rlen)) {
		w->need = w->pos + RBI_TLS_REC_HDR;
		return rbi_tls_fail(w, RBI_PARSE_NEED_MORE);
	}
	/* RFC 8446 5.1: no other record type, nor an empty one, in between */
	if (type != RBI_TLS_CT_HANDSHAKE || version >> 8 != RBI_TLS_MAJOR ||
	    !rlen || rlen > RBI_TLS_REC_MAX)
		return rbi_tls_fail(w, RBI_PARSE_MALFORMED);
	w->pos += RBI_TLS_REC_HDR;
	w->frag_end = w->pos + rlen;
	return true;
}

/*
 * Consumes n logical bytes, copying them to dst unless it is NULL. On a
 * short stream, need is where the current fragment or the request ends,
 * whichever comes first: nothing can be decided before.
 */
static bool rbi_tls_take(struct rbi_tls_walk *w, uint8_t *dst, size_t n)
{
	size_t chunk;

	while (n) {
		if (w->pos == w->frag_end && !rbi_tls_next_record(w))
			return false;
		chunk = RBI_MIN(n, w->frag_end - w->pos);
		if (w->pos + chunk > RBI_TLS_HELLO_MAX)
			return rbi_tls_fail(w, RBI_PARSE_TOO_BIG);
		if (w->pos + chunk > w->len) {
			w->need = w->pos + chunk;
			return rbi_tls_fail(w, RBI_PARSE_NEED_MORE);
		}
		if (dst) {
			rbi_memcpy(dst, w->s + w->pos, chunk);
			dst += chunk;
		}
		w->pos += chunk;
		w->off += chunk;
		n -= chunk;
	}
	return true;
}

/* Reads n logical bytes that must all lie before logical offset end. */
static bool rbi_tls_read(struct rbi_tls_walk *w, size_t end, uint8_t *dst,
			 size_t n)
{
	if (n > end - w->off)
		return rbi_tls_fail(w, RBI_PARSE_MALFORMED);
	return rbi_tls_take(w, dst, n);
}

static bool rbi_tls_u8(struct rbi_tls_walk *w, size_t end, uint8_t *v)
{
	return rbi_tls_read(w, end, v, 1);
}

static bool rbi_tls_u16(struct rbi_tls_walk *w, size_t end, uint16_t *v)
{
	uint8_t b[2];

	if (!rbi_tls_read(w, end, b, sizeof(b)))
		return false;
	*v = rbi_get_be16(b);
	return true;
}

static bool rbi_tls_skip_to(struct rbi_tls_walk *w, size_t end)
{
	return rbi_tls_take(w, NULL, end - w->off);
}

/*
 * Reads a vector's length prefix and sets *vend to the logical offset where
 * the vector ends, which must be within end and obey the rule.
 */
static bool rbi_tls_vec(struct rbi_tls_walk *w, size_t end,
			enum rbi_tls_vec vec, size_t *vend)
{
	const struct rbi_tls_vec_rule *rule = &rbi_tls_vec_rules[vec];
	uint8_t b[2];
	size_t n;

	if (!rbi_tls_read(w, end, b, rule->prefix))
		return false;
	n = rule->prefix == 1 ? b[0] : rbi_get_be16(b);
	if (n > end - w->off || n < rule->min || n > rule->max ||
	    n % rule->unit)
		return rbi_tls_fail(w, RBI_PARSE_MALFORMED);
	*vend = w->off + n;
	return true;
}

static bool rbi_tls_skip_vec(struct rbi_tls_walk *w, size_t end,
			     enum rbi_tls_vec vec)
{
	size_t vend;

	return rbi_tls_vec(w, end, vec, &vend) && rbi_tls_skip_to(w, vend);
}

static bool rbi_tls_text_put(struct rbi_tls_text *t, const char *s, size_t n)
{
	if (n > t->cap - t->len)
		return false;
	rbi_memcpy(t->buf + t->len, s, n);
	t->len += n;
	return true;
}

/*
 * Appends c in presentation form. special is one more byte to escape, for
 * a list separator; 0 for none, since NUL is always escaped.
 */
static bool rbi_tls_text_byte(struct rbi_tls_text *t, uint8_t c,
			      uint8_t special)
{
	const char lit = (char)c;
	char esc[4];

	if (!rbi_byte_needs_escape(c) && c != special)
		return rbi_tls_text_put(t, &lit, 1);
	rbi_byte_escape(c, esc);
	return rbi_tls_text_put(t, esc, sizeof(esc));
}

/*
 * Renders one host_name. The buffer takes one byte more than RBI_NAME_MAX
 * until the trailing dot is gone, so that a full-length name written with
 * its root dot still fits.
 */
static bool rbi_tls_sni_name(struct rbi_tls_walk *w, size_t end,
			     struct rbi_tls_hello *h)
{
	struct rbi_tls_text t = { h->sni, sizeof(h->sni), 0 };
	uint8_t c, prev = '.';

	while (w->off < end) {
		if (!rbi_tls_u8(w, end, &c))
			return false;
		/* An empty label is no host name, and no pattern matches it. */
		if (c == '.' && prev == '.')
			return rbi_tls_fail(w, RBI_PARSE_MALFORMED);
		if (!rbi_tls_text_byte(&t, (uint8_t)rbi_tolower((char)c), 0))
			return rbi_tls_fail(w, RBI_PARSE_MALFORMED);
		prev = c;
	}
	if (prev == '.')
		t.len--;
	if (t.len > RBI_NAME_MAX)
		return rbi_tls_fail(w, RBI_PARSE_MALFORMED);
	h->sni[t.len] = '\0';
	h->has_sni = true;
	return true;
}

/*
 * RFC 6066 3. Every name type is read with a 16-bit length, as host_name
 * is and as deployed servers assume; only host_name is reported.
 */
static bool rbi_tls_sni(struct rbi_tls_walk *w, size_t end,
			struct rbi_tls_hello *h)
{
	size_t list_end, name_end;
	uint8_t type;

	if (!rbi_tls_vec(w, end, RBI_TLS_VEC_NAME_LIST, &list_end))
		return false;
	while (w->off < list_end) {
		if (!rbi_tls_u8(w, list_end, &type) ||
		    !rbi_tls_vec(w, list_end, RBI_TLS_VEC_NAME, &name_end))
			return false;
		if (type != RBI_TLS_NAME_HOST) {
			if (!rbi_tls_skip_to(w, name_end))
				return false;
			continue;
		}
		/* One name per type: which one would the server take? */
		if (h->has_sni)
			return rbi_tls_fail(w, RBI_PARSE_MALFORMED);
		if (!rbi_tls_sni_name(w, name_end, h))
			return false;
	}
	return true;
}

/*
 * Appends one protocol to t, whole or not at all. GREASE protocols
 * (RFC 8701: two identical bytes 0x?a) are read but not kept.
 */
static bool rbi_tls_alpn_proto(struct rbi_tls_walk *w, size_t end,
			       struct rbi_tls_text *t, struct rbi_tls_hello *h)
{
	size_t mark = t->len, n = end - w->off;
	bool fits = !h->alpn_truncated, grease;
	uint16_t v = 0;
	uint8_t c;

	if (fits && mark)
		fits = rbi_tls_text_put(t, ",", 1);
	while (w->off < end) {
		if (!rbi_tls_u8(w, end, &c))
			return false;
		v = (uint16_t)(v << 8 | c);
		fits = fits && rbi_tls_text_byte(t, c, ',');
	}
	grease = n == 2 && rbi_tls_is_grease(v);
	if (grease || !fits)
		t->len = mark;
	if (!grease && !fits)
		h->alpn_truncated = true;
	return true;
}

/* RFC 7301 3.1 */
static bool rbi_tls_alpn(struct rbi_tls_walk *w, size_t end,
			 struct rbi_tls_hello *h)
{
	/* cap leaves room for the terminating NUL */
	struct rbi_tls_text t = { h->alpn, sizeof(h->alpn) - 1, 0 };
	size_t list_end, proto_end;

	if (!rbi_tls_vec(w, end, RBI_TLS_VEC_ALPN_LIST, &list_end))
		return false;
	while (w->off < list_end) {
		if (!rbi_tls_vec(w, list_end, RBI_TLS_VEC_ALPN, &proto_end) ||
		    !rbi_tls_alpn_proto(w, proto_end, &t, h))
			return false;
	}
	h->alpn[t.len] = '\0';
	return true;
}

/* RFC 8446 4.2.1, the ClientHello form */
static bool rbi_tls_versions(struct rbi_tls_walk *w, size_t end,
			     struct rbi_tls_hello *h)
{
	size_t list_end;
	uint16_t v;

	if (!rbi_tls_vec(w, end, RBI_TLS_VEC_VERSIONS, &list_end))
		return false;
	while (w->off < list_end) {
		if (!rbi_tls_u16(w, list_end, &v))
			return false;
		if (!rbi_tls_is_grease(v) && v > h->version)
			h->version = v;
	}
	return true;
}

/* Reads one extension's data, which ends at logical offset end. */
static bool rbi_tls_ext(struct rbi_tls_walk *w, uint16_t type, size_t end,
			struct rbi_tls_hello *h)
{
	switch (type) {
	case RBI_TLS_EXT_SERVER_NAME:
		return rbi_tls_sni(w, end, h);
	case RBI_TLS_EXT_ALPN:
		return rbi_tls_alpn(w, end, h);
	case RBI_TLS_EXT_SUPPORTED_VERSIONS:
		return rbi_tls_versions(w, end, h);
	case RBI_TLS_EXT_ECH:
		h->ech = true;
		break;
	case RBI_TLS_EXT_ESNI:
		h->esni = true;
		break;
	}
	return rbi_tls_skip_to(w, end);
}

/* Bit for a tracked extension type; 0 for the others. */
static unsigned int rbi_tls_ext_bit(uint16_t type)
{
	size_t i;

	for (i = 0; i < RBI_ARRAY_SIZE(rbi_tls_tracked); i++) {
		if (rbi_tls_tracked[i] == type)
			return 1u << i;
	}
	return 0;
}

static bool rbi_tls_exts(struct rbi_tls_walk *w, size_t end,
			 struct rbi_tls_hello *h)
{
	unsigned int seen = 0, bit;
	size_t ext_end;
	uint16_t type;

	while (w->off < end) {
		if (!rbi_tls_u16(w, end, &type) ||
		    !rbi_tls_vec(w, end, RBI_TLS_VEC_OPAQUE16, &ext_end))
			return false;
		bit = rbi_tls_ext_bit(type);
		if (seen & bit)
			return rbi_tls_fail(w, RBI_PARSE_MALFORMED);
		seen |= bit;
		if (!rbi_tls_ext(w, type, ext_end, h))
			return false;
		/* An extension whose contents stop short of its length lies. */
		if (w->off != ext_end)
			return rbi_tls_fail(w, RBI_PARSE_MALFORMED);
	}
	return true;
}

/* The ClientHello body, which ends at logical offset end. */
static bool rbi_tls_body(struct rbi_tls_walk *w, size_t end,
			 struct rbi_tls_hello *h)
{
	size_t exts_end;

	if (!rbi_tls_u16(w, end, &h->legacy_version) ||
	    !rbi_tls_read(w, end, NULL, RBI_TLS_RANDOM) ||
	    !rbi_tls_skip_vec(w, end, RBI_TLS_VEC_SID) ||
	    !rbi_tls_skip_vec(w, end, RBI_TLS_VEC_SUITES) ||
	    !rbi_tls_skip_vec(w, end, RBI_TLS_VEC_COMP))
		return false;
	/* Before TLS 1.2, a hello could end here (RFC 5246 7.4.1.2). */
	if (w->off < end) {
		if (!rbi_tls_vec(w, end, RBI_TLS_VEC_OPAQUE16, &exts_end) ||
		    !rbi_tls_exts(w, exts_end, h))
			return false;
		if (exts_end != end)
			return rbi_tls_fail(w, RBI_PARSE_MALFORMED);
	}
	if (!h->version)
		h->version = h->legacy_version;
	return true;
}

/* The handshake message at the start of w: header, whole message, body. */
static enum rbi_parse_result rbi_tls_message(struct rbi_tls_walk *w,
					     struct rbi_tls_hello *h)
{
	const struct rbi_tls_walk start = *w;
	uint8_t hdr[RBI_TLS_HS_HDR];
	size_t body;

	if (!rbi_tls_take(w, hdr, sizeof(hdr)))
		return w->res;
	if (hdr[0] != RBI_TLS_HS_CLIENT_HELLO)
		return RBI_PARSE_NOT_MINE;
	body = (size_t)hdr[1] << 16 | rbi_get_be16(hdr + 2);
	/* Even with no more record headers, the message would not fit. */
	if (w->pos + body > RBI_TLS_HELLO_MAX)
		return RBI_PARSE_TOO_BIG;
	if (!rbi_tls_take(w, NULL, body))
		return w->res;
	*w = start;
	if (!rbi_tls_take(w, NULL, RBI_TLS_HS_HDR) ||
	    !rbi_tls_body(w, RBI_TLS_HS_HDR + body, h))
		return w->res;
	return RBI_PARSE_OK;
}

static bool rbi_tls_maybe_v3(const uint8_t *s, size_t len)
{
	return (len < 1 || s[0] == RBI_TLS_CT_HANDSHAKE) &&
	       (len < 2 || s[1] == RBI_TLS_MAJOR);
}

/*
 * SSL 2.0 has no magic number: a 2-byte header (high bit set), then
 * CLIENT-HELLO and a version of 2.0 or 3.x.
 */
static bool rbi_tls_maybe_v2(const uint8_t *s, size_t len)
{
	return (len < 1 || s[0] & 0x80) &&
	       (len < 3 || s[2] == RBI_TLS_HS_CLIENT_HELLO) &&
	       (len < 4 || s[3] == 0 || s[3] == RBI_TLS_MAJOR) &&
	       (len < 5 || s[3] || s[4] == 2);
}

/*
 * The SSL 2.0 CLIENT-HELLO (RFC 6101 E.1; RFC 5246 E.2 for its use to
 * reach TLS servers). It has no extensions, hence no server name.
 */
static enum rbi_parse_result rbi_tls_sslv2(const uint8_t *s, size_t len,
					   struct rbi_tls_hello *h,
					   size_t *need)
{
	size_t end = RBI_TLS_SSL2_HDR + ((size_t)(s[0] & 0x7f) << 8 | s[1]);
	uint16_t version, specs, sid, challenge;
	struct rbi_cur c;

	if (end > RBI_TLS_HELLO_MAX)
		return RBI_PARSE_TOO_BIG;
	if (len < end) {
		*need = end;
		return RBI_PARSE_NEED_MORE;
	}
	rbi_cur_init(&c, s + RBI_TLS_SSL2_HDR, end - RBI_TLS_SSL2_HDR);
	if (!rbi_cur_skip(&c, 1) || !rbi_cur_u16(&c, &version) ||
	    !rbi_cur_u16(&c, &specs) || !rbi_cur_u16(&c, &sid) ||
	    !rbi_cur_u16(&c, &challenge))
		return RBI_PARSE_MALFORMED;
	if (!specs || specs % RBI_TLS_SSL2_SPEC ||
	    (sid && sid != RBI_TLS_SSL2_SID) ||
	    challenge < RBI_TLS_SSL2_CHALLENGE_MIN ||
	    challenge > RBI_TLS_SSL2_CHALLENGE_MAX ||
	    rbi_cur_left(&c) != (size_t)specs + sid + challenge)
		return RBI_PARSE_MALFORMED;
	h->sslv2 = true;
	h->version = version;
	h->legacy_version = version;
	h->record_version = RBI_TLS_VERSION_SSL2;
	return RBI_PARSE_OK;
}

static enum rbi_parse_result rbi_tls_stream(const uint8_t *s, size_t len,
					    struct rbi_tls_hello *h,
					    size_t *need)
{
	struct rbi_tls_walk w;
	enum rbi_parse_result r;

	if (!rbi_tls_maybe_v3(s, len) && !rbi_tls_maybe_v2(s, len))
		return RBI_PARSE_NOT_MINE;
	/* The first byte alone may rule the stream out; then both headers. */
	if (len < RBI_TLS_REC_HDR) {
		*need = len ? RBI_TLS_REC_HDR : 1;
		return RBI_PARSE_NEED_MORE;
	}
	if (s[0] != RBI_TLS_CT_HANDSHAKE)
		return rbi_tls_sslv2(s, len, h, need);
	h->record_version = rbi_get_be16(s + 1);
	rbi_tls_walk_init(&w, s, len, true);
	r = rbi_tls_message(&w, h);
	*need = w.need;
	return r;
}

enum rbi_parse_result rbi_tls_parse_client_hello(const uint8_t *stream,
						 size_t len,
						 struct rbi_tls_hello *h,
						 size_t *need)
{
	enum rbi_parse_result r;
	size_t want = 0;

	rbi_memset(h, 0, sizeof(*h));
	r = rbi_tls_stream(stream, len, h, &want);
	if (need)
		*need = r == RBI_PARSE_NEED_MORE ? want : 0;
	return r;
}

enum rbi_parse_result rbi_tls_parse_handshake(const uint8_t *msg, size_t len,
					      struct rbi_tls_hello *h)
{
	struct rbi_tls_walk w;

	rbi_memset(h, 0, sizeof(*h));
	rbi_tls_walk_init(&w, msg, len, false);
	return rbi_tls_message(&w, h);
}
