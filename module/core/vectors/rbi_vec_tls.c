// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TLS ClientHello vectors. A case describes its hello rather than spelling
 * out every byte: the builder below writes it with every length right
 * except the one the case makes lie on purpose, then cuts it into records
 * the way the case says. Cases about bytes the builder cannot produce
 * (SSL 2.0, other protocols, broken record headers) give them raw.
 *
 * Every case that parses OK is also fed each strict prefix of its hello,
 * which must be NEED_MORE with a need beyond the prefix and within the
 * hello, and fed incrementally at the lengths need names, which must take
 * a couple of calls per record at most.
 */
#include "../rbi_tls.h"
#include "rbi_vectors.h"

enum tv_kind {
	TV_END,
	TV_RAW,		/* data as it is */
	TV_SNI,		/* data is one host_name */
	TV_ALPN,	/* data is protocols joined by ',' */
	TV_ZEROS,	/* len zero bytes */
};

struct tv_ext {
	uint16_t type;
	uint8_t kind;
	uint16_t len;
	int16_t lie;	/* added to the extension's declared length */
	const char *data;
};

#define X_RAW(t, s)	{ .type = (t), .kind = TV_RAW, .data = (s), \
			  .len = sizeof(s) - 1 }
#define X_LIE(t, s, l)	{ .type = (t), .kind = TV_RAW, .data = (s), \
			  .len = sizeof(s) - 1, .lie = (l) }
#define X_SNI(s)	{ .type = 0x0000, .kind = TV_SNI, .data = (s), \
			  .len = sizeof(s) - 1 }
#define X_ALPN(s)	{ .type = 0x0010, .kind = TV_ALPN, .data = (s), \
			  .len = sizeof(s) - 1 }
#define X_PAD(n)	{ .type = 0x0015, .kind = TV_ZEROS, .len = (n) }
#define X_END		{ .kind = TV_END }
#define EXTS(...)	((const struct tv_ext[]){ __VA_ARGS__, X_END })

/* A string literal with its length, for bytes that may hold a NUL. */
#define BYTES(f, s)	.f = (s), .f##_len = sizeof(s) - 1

enum tv_flag {
	TV_ECH = 1 << 0,
	TV_ESNI = 1 << 1,
	TV_SSLV2 = 1 << 2,
	TV_TRUNC = 1 << 3,
};

struct tv {
	const char *name;
	/* The hello; zero fields take the defaults of tv_hello(). */
	const struct tv_ext *exts;	/* NULL: no extensions block */
	const char *suites;
	const char *comp;
	const char *body_tail;		/* after the extensions, inside */
	uint16_t suites_len;
	uint8_t comp_len;
	uint8_t body_tail_len;
	uint8_t sid_len;
	uint16_t legacy;
	int16_t exts_lie;
	int16_t hs_lie;
	/* How it is framed. */
	uint16_t rec_version;
	const uint16_t *split;		/* record sizes, 0-terminated */
	uint16_t frag;			/* or: records of this size */
	bool bare;			/* rbi_tls_parse_handshake() */
	bool raw;			/* no hello: tail is the whole input */
	const char *tail;		/* after the hello */
	uint16_t tail_len;
	/* What must come out. */
	enum rbi_parse_result want;
	uint16_t more;			/* NEED_MORE: need minus the length */
	const char *sni;		/* NULL: no host_name */
	const char *alpn;		/* NULL: "" */
	uint16_t version;
	uint8_t flags;
};

/* Chrome's ClientHello, GREASE values included (RFC 8701). */
#define SUITES_CHROME	"\x8a\x8a\x13\x01\x13\x02\x13\x03\xc0\x2b\xc0\x2f" \
			"\xc0\x2c\xc0\x30\xcc\xa9\xcc\xa8\xc0\x13\xc0\x14" \
			"\x00\x9c\x00\x9d\x00\x2f\x00\x35"
#define GROUPS		"\x00\x08\x2a\x2a\x00\x1d\x00\x17\x00\x18"
#define SIGALGS		"\x00\x10\x04\x03\x08\x04\x04\x01\x05\x03" \
			"\x08\x05\x05\x01\x08\x06\x06\x01"
#define KEY32		"\x9f\x3e\x51\x0c\x84\x27\xd6\x11\x6b\xa0\x3c\x72" \
			"\xe5\x19\x48\xbd\x02\x7e\xc3\x96\x5f\x0a\xd1\x38" \
			"\x6c\xf4\x21\x8b\x57\xe0\x93\x4d"
#define KEY_SHARE	"\x00\x29\x2a\x2a\x00\x01\x00\x00\x1d\x00\x20" KEY32
#define VERSIONS13	"\x06\x7a\x7a\x03\x04\x03\x03"
#define CHROME_EXTS(...) \
	X_RAW(0x3a3a, ""), __VA_ARGS__, X_RAW(0x0017, ""), \
	X_RAW(0xff01, "\x00"), X_RAW(0x000a, GROUPS), \
	X_RAW(0x000b, "\x01\x00"), X_RAW(0x0023, ""), \
	X_ALPN("h2,http/1.1"), X_RAW(0x0005, "\x01\x00\x00\x00\x00"), \
	X_RAW(0x000d, SIGALGS), X_RAW(0x0012, ""), \
	X_RAW(0x0033, KEY_SHARE), X_RAW(0x002d, "\x01\x01"), \
	X_RAW(0x002b, VERSIONS13), X_RAW(0x001b, "\x02\x00\x02"), \
	X_RAW(0x4469, "\x00\x03\x02" "h2"), X_RAW(0xdada, "\x00")
#define CHROME(...)	EXTS(CHROME_EXTS(__VA_ARGS__))
#define HOST		X_SNI("www.example.com")

/* A camera SDK on OpenSSL 1.1, TLS 1.2 only. */
#define SUITES_12	"\xc0\x2f\xc0\x30\xc0\x2b\xc0\x2c\x00\x9e\xc0\x27" \
			"\x00\x67\xc0\x28\x00\x6b\x00\x9c\x00\x9d\x00\x3c" \
			"\x00\x3d\x00\x2f\x00\x35\x00\xff"
#define TLS12_EXTS(...) \
	__VA_ARGS__, X_RAW(0x000b, "\x03\x00\x01\x02"), \
	X_RAW(0x000a, "\x00\x06\x00\x1d\x00\x17\x00\x18"), \
	X_RAW(0x0023, ""), X_ALPN("http/1.1"), X_RAW(0x0016, ""), \
	X_RAW(0x0017, ""), X_RAW(0x000d, SIGALGS)

/* Firefox with a real ECH: the outer hello names the public name only. */
#define ECH_OUTER	"\x00\x00\x01\x00\x01\x2a\x00\x20" KEY32 \
			"\x00\x10" "0123456789abcdef"

/* The bytes a TLS client sends after its hello in middlebox mode. */
#define CCS_RECORD	"\x14\x03\x03\x00\x01\x01"
#define APP_RECORD	"\x17\x03\x03\x00\x05" "early"

/* SSL 2.0 CLIENT-HELLO offering TLS 1.0: 7 specs, a 16-byte challenge. */
#define SSL2_HEAD	"\x80\x2e\x01\x03\x01\x00\x15\x00\x00\x00"
#define SSL2_SPECS	"\x01\x00\x80\x07\x00\xc0\x03\x00\x80\x00\x00\x35" \
			"\x00\x00\x2f\x00\x00\x0a\x00\x00\xff"
#define SSL2_CHALLENGE	"\x53\x8b\x21\x9e\x05\x6d\xc4\x3a\x70\x1f\xe2\x48" \
			"\xb6\x0d\x97\x2c"

#define S10		"abcdefghij"
#define L60		S10 S10 S10 S10 S10 S10
#define NAME253		L60 "abc." L60 "abc." L60 "abc." L60 "a"
#define NAME254		NAME253 "b"
#define SPACES10	"          "

static const uint16_t tv_split_2[] = { 100, 0 };
/* The handshake header itself straddles the first two records. */
static const uint16_t tv_split_3[] = { 2, 150, 0 };
static const uint16_t tv_split_big[] = { 16000, 0 };

static const struct tv tv_cases[] = {
	{
		.name = "chrome_tls13",
		.exts = CHROME(HOST),
		.want = RBI_PARSE_OK, .sni = "www.example.com",
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "chrome_rekognition_over_2_records",
		.exts = CHROME(X_SNI("rekognition.eu-west-1.amazonaws.com")),
		.split = tv_split_2,
		.want = RBI_PARSE_OK,
		.sni = "rekognition.eu-west-1.amazonaws.com",
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "chrome_over_3_records_header_cut",
		.exts = CHROME(HOST), .split = tv_split_3,
		.want = RBI_PARSE_OK, .sni = "www.example.com",
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "chrome_in_1_byte_records",
		.exts = CHROME(HOST), .frag = 1,
		.want = RBI_PARSE_OK, .sni = "www.example.com",
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "chrome_then_ccs_and_early_data",
		.exts = CHROME(HOST),
		BYTES(tail, CCS_RECORD APP_RECORD),
		.want = RBI_PARSE_OK, .sni = "www.example.com",
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "chrome_without_sni",
		.exts = CHROME(X_RAW(0x0022, "\x00\x08\x04\x03\x05\x03"
				     "\x06\x03\x02\x03")),
		.want = RBI_PARSE_OK, .alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "tls13_without_sni",
		.exts = EXTS(X_ALPN("h2"), X_RAW(0x000a, GROUPS),
			     X_RAW(0x0033, KEY_SHARE),
			     X_RAW(0x002b, VERSIONS13)),
		.want = RBI_PARSE_OK, .alpn = "h2", .version = 0x0304,
	},
	{
		.name = "tls12_camera_sdk",
		BYTES(suites, SUITES_12),
		.exts = EXTS(TLS12_EXTS(X_SNI("api.kairos.com"))),
		.rec_version = 0x0303,
		.want = RBI_PARSE_OK, .sni = "api.kairos.com",
		.alpn = "http/1.1", .version = 0x0303,
	},
	{
		.name = "tls10_no_extensions",
		.legacy = 0x0301, .sid_len = 0,
		BYTES(suites, "\x00\x2f\x00\x35\x00\x0a\x00\xff"),
		.want = RBI_PARSE_OK, .version = 0x0301,
	},
	{
		.name = "large_hello_with_padding",
		.exts = CHROME(HOST, X_PAD(1400)),
		.want = RBI_PARSE_OK, .sni = "www.example.com",
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "ech_outer_public_name",
		.exts = EXTS(X_SNI("cloudflare-ech.com"), X_RAW(0x0017, ""),
			     X_ALPN("h2,http/1.1"), X_RAW(0x0033, KEY_SHARE),
			     X_RAW(0x002b, "\x04\x03\x04\x03\x03"),
			     X_RAW(0x001c, "\x40\x01"),
			     X_RAW(0xfe0d, ECH_OUTER)),
		.want = RBI_PARSE_OK, .sni = "cloudflare-ech.com",
		.alpn = "h2,http/1.1", .version = 0x0304, .flags = TV_ECH,
	},
	{
		.name = "esni_draft",
		.exts = EXTS(X_RAW(0x0033, KEY_SHARE),
			     X_RAW(0x002b, "\x02\x03\x04"),
			     X_RAW(0xffce, "\x13\x01\x00\x1d\x00\x20" KEY32
				   "\x00\x20" KEY32 "\x00\x04" "abcd")),
		.want = RBI_PARSE_OK, .version = 0x0304, .flags = TV_ESNI,
	},
	{
		.name = "sni_upper_case_trailing_dot",
		.exts = CHROME(X_SNI("Rekognition.EU-West-1.AmazonAWS.com.")),
		.want = RBI_PARSE_OK,
		.sni = "rekognition.eu-west-1.amazonaws.com",
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "sni_non_ascii_kept",
		.exts = CHROME(X_SNI("CAF\xc3\x89.B\xc3\xbc" "cher.example")),
		.want = RBI_PARSE_OK,
		.sni = "caf\xc3\x89.b\xc3\xbc" "cher.example",
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "sni_escapes",
		.exts = CHROME(X_SNI("a b\\c\x7f" "\x00" "d.test")),
		.want = RBI_PARSE_OK, .sni = "a\\032b\\092c\\127\\000d.test",
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "sni_253_chars",
		.exts = CHROME(X_SNI(NAME253)),
		.want = RBI_PARSE_OK, .sni = NAME253,
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "sni_253_chars_and_root_dot",
		.exts = CHROME(X_SNI(NAME253 ".")),
		.want = RBI_PARSE_OK, .sni = NAME253,
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "sni_other_name_type_first",
		.exts = EXTS(X_RAW(0x0000, "\x00\x13" "\x01\x00\x04" "abcd"
				   "\x00\x00\x09" "a.example")),
		.want = RBI_PARSE_OK, .sni = "a.example", .version = 0x0303,
	},
	{
		.name = "alpn_truncated_whole_protocols",
		.exts = EXTS(HOST, X_ALPN("h2,http/1.1,spdy/3.1,spdy/3,spdy/2,"
					  "http/1.0,stun.turn,webrtc,"
					  "c-webrtc,x")),
		.want = RBI_PARSE_OK, .sni = "www.example.com",
		.alpn = "h2,http/1.1,spdy/3.1,spdy/3,spdy/2,http/1.0,"
			"stun.turn,webrtc",
		.version = 0x0303, .flags = TV_TRUNC,
	},
	{
		.name = "alpn_grease_and_comma",
		.exts = EXTS(X_RAW(0x0010, "\x00\x0b" "\x02\x2a\x2a"
				   "\x03" "a,b" "\x03" "h/3")),
		.want = RBI_PARSE_OK, .alpn = "a\\044b,h/3", .version = 0x0303,
	},
	{
		.name = "versions_only_grease",
		.exts = EXTS(HOST, X_RAW(0x002b, "\x04\x1a\x1a\xfa\xfa")),
		.want = RBI_PARSE_OK, .sni = "www.example.com",
		.version = 0x0303,
	},
	{
		.name = "versions_highest_not_first",
		.exts = EXTS(HOST,
			     X_RAW(0x002b, "\x06\x03\x03\x03\x04\x03\x02")),
		.want = RBI_PARSE_OK, .sni = "www.example.com",
		.version = 0x0304,
	},
	{
		.name = "repeat_of_untracked_extension_ignored",
		.exts = EXTS(HOST, X_RAW(0x0017, ""), X_RAW(0x0017, "")),
		.want = RBI_PARSE_OK, .sni = "www.example.com",
		.version = 0x0303,
	},
	{
		.name = "bare_quic_initial_hello",
		.bare = true, .sid_len = 0,
		BYTES(suites, "\x13\x01\x13\x02\x13\x03"),
		.exts = EXTS(X_SNI("face.example"), X_ALPN("h3"),
			     X_RAW(0x0033, KEY_SHARE),
			     X_RAW(0x002b, "\x02\x03\x04"),
			     X_RAW(0x0039, "\x01\x04\x80\x00\x75\x30"
				   "\x04\x04\x80\x10\x00\x00")),
		.want = RBI_PARSE_OK, .sni = "face.example", .alpn = "h3",
		.version = 0x0304,
	},
	{
		.name = "bare_then_other_bytes",
		.bare = true, .exts = CHROME(HOST),
		BYTES(tail, "\x00\x00\x00\x00\x0f\x00"),
		.want = RBI_PARSE_OK, .sni = "www.example.com",
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "sslv2_client_hello",
		.raw = true, BYTES(tail, SSL2_HEAD "\x10" SSL2_SPECS
				   SSL2_CHALLENGE),
		.legacy = 0x0301, .rec_version = RBI_TLS_VERSION_SSL2,
		.want = RBI_PARSE_OK, .version = 0x0301, .flags = TV_SSLV2,
	},
	{
		.name = "ends_exactly_at_bound",
		.exts = CHROME(HOST, X_PAD(16099)),
		.want = RBI_PARSE_OK, .sni = "www.example.com",
		.alpn = "h2,http/1.1", .version = 0x0304,
	},
	{
		.name = "empty_stream",
		.raw = true,
		.want = RBI_PARSE_NEED_MORE, .more = 1,
	},
	{
		.name = "record_header_cut",
		.raw = true, BYTES(tail, "\x16\x03\x01"),
		.want = RBI_PARSE_NEED_MORE, .more = 2,
	},
	{
		.name = "handshake_longer_than_record",
		.exts = CHROME(HOST), .hs_lie = 100,
		.want = RBI_PARSE_NEED_MORE, .more = 5,
	},
	{
		.name = "handshake_longer_than_record_then_data",
		.exts = CHROME(HOST), .hs_lie = 100,
		BYTES(tail, APP_RECORD),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "handshake_interleaved_with_ccs",
		.exts = CHROME(HOST), .hs_lie = 100,
		BYTES(tail, CCS_RECORD),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "handshake_shorter_than_body",
		.exts = CHROME(HOST), .hs_lie = -10,
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "http_request",
		.raw = true,
		BYTES(tail, "GET / HTTP/1.1\r\n"
		      "Host: rekognition.us-east-1.amazonaws.com\r\n\r\n"),
		.want = RBI_PARSE_NOT_MINE,
	},
	{
		.name = "server_hello",
		.raw = true,
		BYTES(tail, "\x16\x03\x03\x00\x04\x02\x00\x00\x46"),
		.want = RBI_PARSE_NOT_MINE,
	},
	{
		.name = "handshake_record_version_2",
		.raw = true, BYTES(tail, "\x16\x02\x00\x00\x10\x01"),
		.want = RBI_PARSE_NOT_MINE,
	},
	{
		.name = "bare_not_client_hello",
		.raw = true, .bare = true,
		BYTES(tail, "\x02\x00\x00\x02\x03\x03"),
		.want = RBI_PARSE_NOT_MINE,
	},
	{
		.name = "extension_length_lies",
		.exts = EXTS(HOST, X_LIE(0x0017, "", 4)),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "extension_shorter_than_contents",
		.exts = EXTS(X_LIE(0x0000, "\x00\x0c\x00\x00\x09" "a.example",
				   -2), X_RAW(0x0017, "")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "extensions_block_length_lies",
		.exts = CHROME(HOST), .exts_lie = 5,
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_list_length_lies",
		.exts = EXTS(X_RAW(0x0000, "\x00\x20\x00\x00\x09" "a.example")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_name_length_lies",
		.exts = EXTS(X_RAW(0x0000, "\x00\x0c\x00\x00\x0a" "a.example")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_list_short_of_extension",
		.exts = EXTS(X_RAW(0x0000, "\x00\x0c\x00\x00\x09" "a.example"
				   "\x00")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_extension_repeated",
		.exts = EXTS(X_SNI("a.example"), X_RAW(0x0017, ""),
			     X_SNI("b.example")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "alpn_extension_repeated",
		.exts = EXTS(HOST, X_ALPN("h2"), X_ALPN("http/1.1")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_two_host_names",
		.exts = EXTS(X_RAW(0x0000, "\x00\x18\x00\x00\x09" "a.example"
				   "\x00\x00\x09" "b.example")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_empty_name",
		.exts = EXTS(X_RAW(0x0000, "\x00\x03\x00\x00\x00")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_empty_list",
		.exts = EXTS(X_RAW(0x0000, "\x00\x00")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_extension_empty",
		.exts = EXTS(X_RAW(0x0000, "")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_root_only",
		.exts = EXTS(X_SNI(".")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_empty_label",
		.exts = EXTS(X_SNI("rekognition..amazonaws.com")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_two_trailing_dots",
		.exts = EXTS(X_SNI("www.example.com..")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_254_chars",
		.exts = CHROME(X_SNI(NAME254)),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sni_escapes_overflow",
		.exts = EXTS(X_SNI(SPACES10 SPACES10 SPACES10 SPACES10 SPACES10
				   SPACES10 SPACES10 ".example")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "alpn_empty_protocol",
		.exts = EXTS(HOST, X_ALPN("h2,,http/1.1")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "alpn_list_length_lies",
		.exts = EXTS(HOST, X_RAW(0x0010, "\x00\x06\x02" "h2")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "versions_odd_length",
		.exts = EXTS(HOST, X_RAW(0x002b, "\x03\x03\x04\x03")),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "session_id_33_bytes",
		.exts = CHROME(HOST), .sid_len = 33,
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "cipher_suites_odd_length",
		BYTES(suites, "\x13\x01\x13"), .exts = CHROME(HOST),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "no_compression_method",
		BYTES(comp, ""), .exts = CHROME(HOST),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "bytes_after_extensions",
		.exts = CHROME(HOST), BYTES(body_tail, "\x00\x00"),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "empty_hello_body",
		.raw = true,
		BYTES(tail, "\x16\x03\x01\x00\x04\x01\x00\x00\x00"),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "zero_length_record",
		.raw = true, BYTES(tail, "\x16\x03\x01\x00\x00"),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "record_over_16k",
		.raw = true,
		BYTES(tail, "\x16\x03\x01\x40\x01\x01\x00\x00\x40"),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "second_record_not_tls",
		.raw = true, BYTES(tail, "\x16\x03\x01\x00\x02\x01\x00"
				   "\x16\x02\x00\x00\x02\x00\x40"),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "sslv2_length_lies",
		.raw = true, BYTES(tail, SSL2_HEAD "\x20" SSL2_SPECS
				   SSL2_CHALLENGE),
		.want = RBI_PARSE_MALFORMED,
	},
	{
		.name = "oversize_hello",
		.exts = CHROME(HOST, X_PAD(17000)), .split = tv_split_big,
		.want = RBI_PARSE_TOO_BIG,
	},
	{
		.name = "one_past_bound",
		.exts = CHROME(HOST, X_PAD(16100)),
		.want = RBI_PARSE_TOO_BIG,
	},
	{
		.name = "1_byte_records_past_bound",
		.exts = CHROME(HOST, X_PAD(2500)), .frag = 1,
		.want = RBI_PARSE_TOO_BIG,
	},
	{
		.name = "bare_oversize",
		.bare = true, .exts = CHROME(HOST, X_PAD(16400)),
		.want = RBI_PARSE_TOO_BIG,
	},
	{
		.name = "sslv2_oversize",
		.raw = true, BYTES(tail, "\xff\xff\x01\x03\x01"),
		.want = RBI_PARSE_TOO_BIG,
	},
};

enum {
	/* Room for the largest case: a hello past the bound, in records. */
	TV_CAP = 24576,
	TV_RANDOM = 32,
};

struct tv_buf {
	uint8_t *p;
	size_t len;
	bool overflow;
};

static void tv_put(struct tv_buf *b, const void *s, size_t n)
{
	if (n > TV_CAP - b->len) {
		b->overflow = true;
		return;
	}
	if (s)
		rbi_memcpy(b->p + b->len, s, n);
	else
		rbi_memset(b->p + b->len, 0, n);
	b->len += n;
}

static void tv_u8(struct tv_buf *b, uint8_t v)
{
	tv_put(b, &v, 1);
}

static void tv_u16(struct tv_buf *b, uint16_t v)
{
	uint8_t be[2] = { v >> 8, v & 0xff };

	tv_put(b, be, sizeof(be));
}

/* Bytes that differ from one another, where the content is irrelevant. */
static void tv_pattern(struct tv_buf *b, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		tv_u8(b, (uint8_t)(seed + 37 * i));
}

/* Reserves a big-endian length of prefix bytes; tv_close() fills it. */
static size_t tv_open(struct tv_buf *b, size_t prefix)
{
	size_t at = b->len;

	tv_put(b, NULL, prefix);
	return at;
}

static void tv_close(struct tv_buf *b, size_t at, size_t prefix, long lie)
{
	long n = (long)(b->len - at - prefix) + lie;
	size_t i;

	if (b->overflow)
		return;
	for (i = 0; i < prefix; i++)
		b->p[at + i] = (uint8_t)(n >> (8 * (prefix - 1 - i)));
}

static void tv_vec(struct tv_buf *b, size_t prefix, const char *s, size_t n)
{
	size_t at = tv_open(b, prefix);

	tv_put(b, s, n);
	tv_close(b, at, prefix, 0);
}

static void tv_alpn(struct tv_buf *b, const char *s, size_t n)
{
	size_t list = tv_open(b, 2), i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != ',')
			continue;
		tv_vec(b, 1, s + start, i - start);
		start = i + 1;
	}
	tv_close(b, list, 2, 0);
}

static void tv_ext(struct tv_buf *b, const struct tv_ext *e)
{
	size_t at, list;

	tv_u16(b, e->type);
	at = tv_open(b, 2);
	switch (e->kind) {
	case TV_SNI:
		list = tv_open(b, 2);
		tv_u8(b, 0);
		tv_vec(b, 2, e->data, e->len);
		tv_close(b, list, 2, 0);
		break;
	case TV_ALPN:
		tv_alpn(b, e->data, e->len);
		break;
	default:
		tv_put(b, e->data, e->len);
		break;
	}
	tv_close(b, at, 2, e->lie);
}

/* The handshake message: type, 24-bit length, ClientHello body. */
static void tv_hello(struct tv_buf *b, const struct tv *v)
{
	const struct tv_ext *e;
	size_t msg, exts;

	tv_u8(b, 1);
	msg = tv_open(b, 3);
	tv_u16(b, v->legacy ? v->legacy : 0x0303);
	tv_pattern(b, TV_RANDOM, 0x11);
	tv_u8(b, v->sid_len);
	tv_pattern(b, v->sid_len, 0x55);
	if (v->suites)
		tv_vec(b, 2, v->suites, v->suites_len);
	else
		tv_vec(b, 2, SUITES_CHROME, sizeof(SUITES_CHROME) - 1);
	if (v->comp)
		tv_vec(b, 1, v->comp, v->comp_len);
	else
		tv_vec(b, 1, "\x00", 1);	/* null compression only */
	if (v->exts) {
		exts = tv_open(b, 2);
		for (e = v->exts; e->kind != TV_END; e++)
			tv_ext(b, e);
		tv_close(b, exts, 2, v->exts_lie);
	}
	tv_put(b, v->body_tail, v->body_tail_len);
	tv_close(b, msg, 3, v->hs_lie);
}

/* Cuts msg into handshake records; returns how many. */
static size_t tv_records(struct tv_buf *out, const struct tv_buf *msg,
			 const struct tv *v)
{
	size_t off = 0, i = 0, n, recs = 0;

	while (off < msg->len) {
		n = msg->len - off;
		if (v->frag) {
			n = RBI_MIN(n, v->frag);
		} else if (v->split && v->split[i]) {
			n = RBI_MIN(n, v->split[i]);
			i++;
		}
		tv_u8(out, 22);
		tv_u16(out, v->rec_version ? v->rec_version : 0x0301);
		tv_u16(out, (uint16_t)n);
		tv_put(out, msg->p + off, n);
		off += n;
		recs++;
	}
	return recs;
}

/* Parses an exact-size copy of p[0..len), so that ASan sees over-reads. */
static enum rbi_parse_result tv_parse(const struct tv *v, const uint8_t *p,
				      size_t len, struct rbi_tls_hello *h,
				      size_t *need)
{
	enum rbi_parse_result r;
	uint8_t *copy = rbi_vec_dup(p, len);

	*need = 0;
	if (!copy)
		return __RBI_PARSE_MAX;
	if (v->bare)
		r = rbi_tls_parse_handshake(copy, len, h);
	else
		r = rbi_tls_parse_client_hello(copy, len, h, need);
	rbi_free(copy);
	return r;
}

static int tv_fail(char *why, size_t why_len, const char *what,
		   const char *got, const char *want)
{
	rbi_snprintf(why, why_len, "%s: got \"%s\", want \"%s\"", what, got,
		     want);
	return -1;
}

static int tv_compare_u16(char *why, size_t why_len, const char *what,
			  uint16_t got, uint16_t want)
{
	if (got == want)
		return 0;
	rbi_snprintf(why, why_len, "%s: got 0x%04x, want 0x%04x", what, got,
		     want);
	return -1;
}

static int tv_compare_flag(char *why, size_t why_len, const char *what,
			   bool got, bool want)
{
	return got == want ? 0 : tv_fail(why, why_len, what,
					 got ? "true" : "false",
					 want ? "true" : "false");
}

static uint16_t tv_want_record(const struct tv *v)
{
	if (v->bare)
		return 0;
	if (v->raw)
		return v->rec_version;
	return v->rec_version ? v->rec_version : 0x0301;
}

static int tv_compare(const struct tv *v, const struct rbi_tls_hello *h,
		      char *why, size_t why_len)
{
	const char *alpn = v->alpn ? v->alpn : "";

	if (tv_compare_flag(why, why_len, "has_sni", h->has_sni, !!v->sni))
		return -1;
	if (v->sni && rbi_strlen(v->sni) != rbi_strlen(h->sni))
		return tv_fail(why, why_len, "sni", h->sni, v->sni);
	if (v->sni && rbi_memcmp(h->sni, v->sni, rbi_strlen(v->sni)))
		return tv_fail(why, why_len, "sni", h->sni, v->sni);
	if (rbi_strlen(alpn) != rbi_strlen(h->alpn) ||
	    rbi_memcmp(h->alpn, alpn, rbi_strlen(alpn)))
		return tv_fail(why, why_len, "alpn", h->alpn, alpn);
	if (tv_compare_flag(why, why_len, "alpn_truncated",
			    h->alpn_truncated, v->flags & TV_TRUNC) ||
	    tv_compare_flag(why, why_len, "ech", h->ech, v->flags & TV_ECH) ||
	    tv_compare_flag(why, why_len, "esni", h->esni,
			    v->flags & TV_ESNI) ||
	    tv_compare_flag(why, why_len, "sslv2", h->sslv2,
			    v->flags & TV_SSLV2) ||
	    tv_compare_u16(why, why_len, "version", h->version, v->version) ||
	    tv_compare_u16(why, why_len, "legacy_version", h->legacy_version,
			   v->legacy ? v->legacy : 0x0303) ||
	    tv_compare_u16(why, why_len, "record_version", h->record_version,
			   tv_want_record(v)))
		return -1;
	return 0;
}

/* The whole input: the result, need and fields the case expects. */
static int tv_whole(const struct tv *v, const uint8_t *p, size_t len,
		    struct rbi_tls_hello *h, char *why, size_t why_len)
{
	enum rbi_parse_result r;
	size_t need;

	r = tv_parse(v, p, len, h, &need);
	if (r != v->want)
		return tv_fail(why, why_len, "result", rbi_parse_result_name(r),
			       rbi_parse_result_name(v->want));
	if (r == RBI_PARSE_NEED_MORE && !v->bare && need != len + v->more) {
		rbi_snprintf(why, why_len, "need %zu, want %zu", need,
			     len + v->more);
		return -1;
	}
	return r == RBI_PARSE_OK ? tv_compare(v, h, why, why_len) : 0;
}

/* Every strict prefix of a hello that ends at end must ask for more. */
static int tv_prefixes(const struct tv *v, const uint8_t *p, size_t end,
		       struct rbi_tls_hello *h, char *why, size_t why_len)
{
	enum rbi_parse_result r;
	size_t n, need;

	for (n = 0; n < end; n++) {
		r = tv_parse(v, p, n, h, &need);
		if (r == RBI_PARSE_NEED_MORE &&
		    (v->bare || (need > n && need <= end)))
			continue;
		rbi_snprintf(why, why_len,
			     "prefix of %zu/%zu bytes: %s, need %zu", n, end,
			     rbi_parse_result_name(r), need);
		return -1;
	}
	return 0;
}

/*
 * Feeds the stream at the lengths need names, as a caller receiving it
 * byte by byte would: a couple of calls per record, plus the first bytes.
 */
static int tv_incremental(const struct tv *v, const uint8_t *p, size_t end,
			  size_t recs, struct rbi_tls_hello *h, char *why,
			  size_t why_len)
{
	size_t len = 0, need, calls = 0, limit = 2 * recs + 4;
	enum rbi_parse_result r;

	do {
		r = tv_parse(v, p, len, h, &need);
		calls++;
		if (r != RBI_PARSE_NEED_MORE)
			break;
		if (need <= len || need > end)
			break;
		len = need;
	} while (calls <= limit);
	if (r == RBI_PARSE_OK && calls <= limit)
		return 0;
	rbi_snprintf(why, why_len, "fed by need: %s at %zu after %zu calls",
		     rbi_parse_result_name(r), len, calls);
	return -1;
}

static int tv_run(const struct tv *v, const struct tv_buf *in, size_t recs,
		  char *why, size_t why_len)
{
	size_t end = in->len - v->tail_len;
	struct rbi_tls_hello *h;
	int rc;

	h = rbi_zalloc(sizeof(*h));
	if (!h) {
		rbi_snprintf(why, why_len, "out of memory");
		return -1;
	}
	if (v->raw)
		end = in->len;
	rc = tv_whole(v, in->p, in->len, h, why, why_len);
	if (!rc && v->want == RBI_PARSE_OK)
		rc = tv_prefixes(v, in->p, end, h, why, why_len);
	if (!rc && v->want == RBI_PARSE_OK && !v->bare)
		rc = tv_incremental(v, in->p, end, recs, h, why, why_len);
	rbi_free(h);
	return rc;
}

static int tv_check(size_t i, char *why, size_t why_len)
{
	const struct tv *v = &tv_cases[i];
	struct tv_buf msg = { rbi_zalloc(TV_CAP), 0, false };
	struct tv_buf in = { rbi_zalloc(TV_CAP), 0, false };
	size_t recs = 1;
	int rc = -1;

	if (!msg.p || !in.p) {
		rbi_snprintf(why, why_len, "out of memory");
		goto out;
	}
	if (!v->raw)
		tv_hello(&msg, v);
	if (v->raw || v->bare)
		tv_put(&in, msg.p, msg.len);
	else
		recs = tv_records(&in, &msg, v);
	tv_put(&in, v->tail, v->tail_len);
	if (msg.overflow || in.overflow) {
		rbi_snprintf(why, why_len, "case does not fit the builder");
		goto out;
	}
	rc = tv_run(v, &in, recs, why, why_len);
out:
	rbi_free(msg.p);
	rbi_free(in.p);
	return rc;
}

static const char *tv_case_name(size_t i)
{
	return tv_cases[i].name;
}

const struct rbi_vec_group rbi_vec_tls = {
	.name = "tls",
	.count = RBI_ARRAY_SIZE(tv_cases),
	.case_name = tv_case_name,
	.check = tv_check,
};
