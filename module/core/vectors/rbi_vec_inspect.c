// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Inspection engine vectors: one flow per case, as the packets a client and
 * a responder exchange, and what the engine must make of them: the packet
 * that decides, the decision, the reason of a fail-closed one, the packets
 * it holds back, the addresses DNS answers teach. Every evasion the engine
 * answers has its case here, beside the ordinary traffic that must pass.
 *
 * A case writes each side's stream once (text, or a ClientHello built by
 * rbi_vec_hello) and its packets as slices of it. Client bytes at offset k
 * have sequence number 1001 + k (ISN 1000), the responder's 7001 + k; an
 * acknowledgement names client bytes by offset.
 */
#include "../rbi_inspect.h"
#include "../../uapi/rbiblock.h"
#include "rbi_vec_hello.h"
#include "rbi_vectors.h"

enum {
	IV_ISN = 1000,
	IV_RISN = 7000,
	IV_REST = 0xffff,	/* n: to the end of the stream */
	IV_SEGS = 12,
	IV_BUF = 32768,
	IV_NONE = -1,
	IV_DNSQ = 8,
	/* iv_seg.flags beyond enum rbi_insp_flag */
	IV_END = 1 << 7,
};

struct iv_seg {
	uint8_t flags;		/* enum rbi_insp_flag; REPLY: the responder */
	uint16_t off;		/* slice of the sender's stream */
	uint16_t n;
	uint16_t step;		/* sent in pieces of this many bytes */
	uint16_t ack;		/* with RBI_INSP_ACK: client bytes taken */
	int32_t seq;		/* with a SYN: its ISN if not IV_ISN */
	const char *alt;	/* these bytes instead of the stream's */
	const struct rbi_vec_hello *alt_hello;	/* or this hello's */
	bool drop;		/* RBI_INSP_DROP is wanted */
};

struct iv_case {
	const char *name;
	const char *src;	/* default 10.20.0.5 */
	const char *dst;	/* default 198.51.100.7 */
	uint16_t sport;		/* default 40000 */
	uint16_t dport;		/* default 443 */
	uint8_t l4;		/* default TCP */
	const char *text;	/* the client's stream... */
	size_t text_len;
	struct rbi_vec_hello hello;	/* ... or a hello (hello.sni set) */
	size_t tail;		/* filler bytes after the hello */
	const char *reply;	/* the responder's stream */
	size_t reply_len;
	size_t reply_fill;	/* or this many filler bytes */
	struct iv_seg segs[IV_SEGS];
	/* What must come out. */
	int at;			/* the deciding segment, IV_NONE for none */
	uint8_t verdict;
	uint8_t rule;
	uint8_t fail;
	const char *name_want;	/* the decision's name, NULL for none */
	uint32_t events;	/* every one of these happened */
	uint32_t learned;	/* addresses env->learn received */
	bool watch;
	bool fail_open;
	unsigned int dnsq_fill;	/* queries pending before the case */
};

#define TXT(s)		.text = (s), .text_len = sizeof(s) - 1
#define REPLY(s)	.reply = (s), .reply_len = sizeof(s) - 1
#define HELLO(...)	.hello = { __VA_ARGS__ }
#define SYN		{ .flags = RBI_INSP_SYN }
#define SYNACK		{ .flags = RBI_INSP_REPLY | RBI_INSP_SYN | \
			  RBI_INSP_ACK, .ack = 0 }
#define HS		SYN, SYNACK
#define C(o, l, ...)	{ .off = (o), .n = (l), __VA_ARGS__ }
#define ALL		C(0, IV_REST)
#define R(f, o, l, ...)	{ .flags = RBI_INSP_REPLY | (f), .off = (o), \
			  .n = (l), __VA_ARGS__ }
#define S(o, l)		R(0, o, l)
#define ACK(k)		{ .flags = RBI_INSP_REPLY | RBI_INSP_ACK, .ack = (k) }
#define END		{ .flags = IV_END }
#define BLOCKED(r)	.verdict = RBI_BLOCK, .rule = (r)
#define FAILED(f)	.verdict = RBI_BLOCK, .rule = RBI_RULE_FAIL_CLOSED, \
			.fail = (f)
#define ALLOWED		.verdict = RBI_ALLOW

#define FACE		"face.example.net"
#define OK_NAME		"www.example.org"
#define CAM		"10.20.0.5"
#define GET(host)	"GET / HTTP/1.1\r\nHost: " host "\r\n\r\n"
#define GET_OK		GET(OK_NAME)
#define GET_OK_LEN	(sizeof(GET_OK) - 1)
#define WS_HEAD		"GET /ws HTTP/1.1\r\nHost: " OK_NAME "\r\nUpgrade: " \
			"websocket\r\nConnection: Upgrade\r\n\r\n"
#define WS_LEN		(sizeof(WS_HEAD) - 1)
#define MARK_HEAD	"POST /x HTTP/1.1\r\nHost: " CAM "\r\nContent-Length: " \
			"35\r\n\r\n"
#define MARK_BODY	"{\"a\":1, \"faceLibType\":\"blackFD\"}   "
#define HELLO_LEN	RBI_VEC_HELLO_PADDED

/* DNS: a query for face.example.net A with id 0x1234, and its answer. */
#define DNS_Q_NAME	"\x04" "face" "\x07" "example" "\x03" "net" "\x00" \
			"\x00\x01" "\x00\x01"
#define DNS_Q_OTHER	"\x04" "cafe" "\x07" "example" "\x03" "net" "\x00" \
			"\x00\x01" "\x00\x01"
#define DNS_QUERY(id, q) id "\x01\x00" "\x00\x01" "\x00\x00" "\x00\x00" \
			"\x00\x00" q
#define DNS_ANSWER(id, q) id "\x81\x80" "\x00\x01" "\x00\x01" "\x00\x00" \
			"\x00\x00" q "\xc0\x0c" "\x00\x01" "\x00\x01" \
			"\x00\x00\x00\x3c" "\x00\x04" "\xc6\x33\x64\x16"
#define ID		"\x12\x34"
#define QUERY		DNS_QUERY(ID, DNS_Q_NAME)
#define ANSWER		DNS_ANSWER(ID, DNS_Q_NAME)
#define QUERY_LEN	(sizeof(QUERY) - 1)
#define ANSWER_LEN	(sizeof(ANSWER) - 1)
#define LEN16(n)	"\x00" n
/* A QUIC v1 Initial's first bytes: long header, 8-byte DCID, no SCID. */
#define QUIC_INITIAL	"\xc3" "\x00\x00\x00\x01" "\x08" "\x83\x94\xc8\xf0" \
			"\x3e\x51\x57\x08" "\x00" "\x44\x9e"

static const struct rbi_vec_hello iv_ok_hello = { .sni = OK_NAME };

static const struct iv_case iv_cases[] = {
	/* ---- TLS, as browsers and cameras send it ---- */
	{ "tls: a service's SNI blocks at the hello", HELLO(.sni = FACE),
	  .segs = { HS, ALL, END }, .at = 2,
	  BLOCKED(RBI_RULE_PROHIBIT_RBI), .name_want = FACE },
	{ "tls: an ordinary SNI is allowed once acknowledged",
	  HELLO(.sni = OK_NAME),
	  .segs = { HS, ALL, ACK(100), ACK(HELLO_LEN), END }, .at = 4,
	  ALLOWED },
	{ "tls: a hello in 1-byte records and 1-byte segments",
	  HELLO(.sni = FACE, .rec = 1),
	  .segs = { HS, C(0, IV_REST, .step = 1), END }, .at = 2,
	  BLOCKED(RBI_RULE_PROHIBIT_RBI), .name_want = FACE },
	{ "tls: a hello in 3 segments", HELLO(.sni = FACE),
	  .segs = { HS, C(0, 100), C(100, 300), C(400, IV_REST), END },
	  .at = 4, BLOCKED(RBI_RULE_PROHIBIT_RBI), .name_want = FACE },
	{ "tls: a segment ahead of its turn is held back",
	  HELLO(.sni = FACE),
	  .segs = { HS, C(100, IV_REST, .drop = true), C(0, 100),
		    C(100, IV_REST), END },
	  .at = 4, BLOCKED(RBI_RULE_PROHIBIT_RBI), .events = RBI_INSP_EV_GAP },
	{ "tls: bytes resent as first sent pass", HELLO(.sni = FACE),
	  .segs = { HS, C(0, 200), C(0, 200), C(100, 150), C(200, IV_REST),
		    END },
	  .at = 5, BLOCKED(RBI_RULE_PROHIBIT_RBI),
	  .events = RBI_INSP_EV_RESENT },
	/* The first copy dies before the server (low TTL); the second names
	 * the service. */
	{ "tls: a hello resent with another name fails closed",
	  HELLO(.sni = FACE),
	  .segs = { HS, C(0, IV_REST, .alt_hello = &iv_ok_hello), ALL, END },
	  .at = 3, FAILED(RBI_FAIL_REWRITE) },
	{ "tls: the allowed hello resent unchanged, then acknowledged",
	  HELLO(.sni = OK_NAME),
	  .segs = { HS, ALL, ALL, C(300, 10), ACK(HELLO_LEN), END },
	  .at = 5, ALLOWED },
	{ "tls: data in a SYN fails closed", HELLO(.sni = OK_NAME),
	  .segs = { C(0, 40, .flags = RBI_INSP_SYN, .seq = IV_ISN), END },
	  .at = 0, FAILED(RBI_FAIL_SYN_DATA) },
	{ "tls: data in a second SYN fails closed", HELLO(.sni = OK_NAME),
	  .segs = { HS, C(0, 40, .flags = RBI_INSP_SYN, .seq = IV_ISN), END },
	  .at = 2, FAILED(RBI_FAIL_SYN_DATA) },
	{ "tls: a SYN with another ISN on an open flow moves nothing",
	  HELLO(.sni = FACE),
	  .segs = { HS, { .flags = RBI_INSP_SYN, .seq = 424242 }, ALL, END },
	  .at = 3, BLOCKED(RBI_RULE_PROHIBIT_RBI) },
	/* Servers strip an urgent byte out of the stream they read. */
	{ "tls: an urgent byte before the hello fails closed",
	  HELLO(.sni = FACE),
	  .segs = { HS, C(0, 1, .flags = RBI_INSP_URG, .alt = "X"), END },
	  .at = 2, FAILED(RBI_FAIL_URGENT) },
	{ "tls: a flow first seen after its SYN fails closed",
	  HELLO(.sni = OK_NAME), .segs = { ALL, END }, .at = 0,
	  FAILED(RBI_FAIL_MIDSTREAM) },
	{ "tls: a reply first seen fails closed", HELLO(.sni = OK_NAME),
	  .segs = { SYNACK, END }, .at = 0, FAILED(RBI_FAIL_MIDSTREAM) },
	{ "tls: two host names in one SNI list fail closed",
	  HELLO(.sni = OK_NAME, .sni2 = FACE), .segs = { HS, ALL, END },
	  .at = 2, FAILED(RBI_FAIL_TLS) },
	{ "tls: a hello past 16 KiB fails closed",
	  HELLO(.sni = OK_NAME, .size = 20000), .segs = { HS, ALL, END },
	  .at = 2, FAILED(RBI_FAIL_TOO_BIG) },
	{ "tls: a hello past 16 KiB in 1-byte records fails closed",
	  HELLO(.sni = OK_NAME, .size = 3000, .rec = 1),
	  .segs = { HS, C(0, IV_REST, .step = 512), END },
	  .at = 2, FAILED(RBI_FAIL_TOO_BIG) },
	{ "tls: a segment larger than the window is read up to what fits",
	  HELLO(.sni = FACE), .tail = 20000, .segs = { HS, ALL, END },
	  .at = 2, BLOCKED(RBI_RULE_PROHIBIT_RBI), .name_want = FACE },
	{ "tls: a FIN before the stream's end closes nothing",
	  HELLO(.sni = FACE),
	  .segs = { HS, C(0, 100), C(50, 0, .flags = RBI_INSP_FIN),
		    ACK(51), C(100, IV_REST), END },
	  .at = 5, BLOCKED(RBI_RULE_PROHIBIT_RBI) },
	{ "tls: a client RST closes nothing", HELLO(.sni = FACE),
	  .segs = { HS, C(0, 100), C(100, 0, .flags = RBI_INSP_RST),
		    C(100, IV_REST), END },
	  .at = 4, BLOCKED(RBI_RULE_PROHIBIT_RBI) },
	{ "tls: a FIN at the next byte closes once acknowledged",
	  HELLO(.sni = FACE),
	  .segs = { HS, C(0, 100), C(100, 0, .flags = RBI_INSP_FIN),
		    ACK(100), ACK(101), END },
	  .at = 5, ALLOWED },
	{ "tls: an unacknowledged FIN, then the rest of the hello",
	  HELLO(.sni = FACE),
	  .segs = { HS, C(0, 100), C(100, 0, .flags = RBI_INSP_FIN),
		    C(100, IV_REST), END },
	  .at = 4, FAILED(RBI_FAIL_REWRITE) },
	{ "tls: the responder's RST at the exact number closes",
	  HELLO(.sni = FACE),
	  .segs = { HS, C(0, 100),
		    R(RBI_INSP_RST | RBI_INSP_ACK, 0, 0, .ack = 100), END },
	  .at = 3, ALLOWED },
	{ "tls: the responder's RST at another number closes nothing",
	  HELLO(.sni = FACE), REPLY("0123456789"),
	  .segs = { HS, C(0, 100),
		    R(RBI_INSP_RST | RBI_INSP_ACK, 5, 0, .ack = 100),
		    C(100, IV_REST), END },
	  .at = 4, BLOCKED(RBI_RULE_PROHIBIT_RBI) },
	{ "tls: a responder that talks at length first fails closed",
	  HELLO(.sni = FACE), .reply_fill = 5000,
	  .segs = { HS, S(0, 2000), S(2000, IV_REST), END },
	  .at = 3, FAILED(RBI_FAIL_SERVER_FIRST) },
	{ "tls: a short banner first, then the hello is read",
	  HELLO(.sni = FACE), REPLY("220 ready\r\n"),
	  .segs = { HS, S(0, IV_REST), ALL, END },
	  .at = 3, BLOCKED(RBI_RULE_PROHIBIT_RBI) },
	{ "tls: ECH blocked under encrypted-client-hello: block",
	  HELLO(.sni = OK_NAME, .ech = true), .segs = { HS, ALL, END },
	  .at = 2, BLOCKED(RBI_RULE_ECH) },
	/* The first copy is not TLS: allowed unnamed if it stood. */
	{ "unknown: a first copy of junk, then a hello, fails closed",
	  HELLO(.sni = FACE),
	  .segs = { HS, C(0, 8, .alt = "SSH-2.0-"), ALL, END },
	  .at = 3, FAILED(RBI_FAIL_REWRITE) },
	{ "unknown: a protocol no dissector reads, allowed once acknowledged",
	  TXT("SSH-2.0-OpenSSH_9.2\r\n"),
	  .segs = { HS, C(0, 1), C(1, IV_REST), ACK(21), END }, .at = 4,
	  ALLOWED },
	{ "unknown: 1-byte segments of a banner, allowed once acknowledged",
	  TXT("SSH-2.0-OpenSSH_9.2\r\n"),
	  .segs = { HS, C(0, IV_REST, .step = 1), ACK(21), END }, .at = 3,
	  ALLOWED },

	/* ---- HTTP ---- */
	{ "http: a service's Host blocks", TXT(GET(FACE)), .dport = 80,
	  .segs = { HS, ALL, END }, .at = 2, BLOCKED(RBI_RULE_PROHIBIT_RBI),
	  .name_want = FACE },
	{ "http: keep-alive, the second request names a service",
	  TXT(GET_OK GET(FACE)), .dport = 80,
	  .segs = { HS, C(0, GET_OK_LEN), ACK(GET_OK_LEN),
		    C(GET_OK_LEN, IV_REST), END }, .at = 4,
	  BLOCKED(RBI_RULE_PROHIBIT_RBI), .name_want = FACE,
	  .events = RBI_INSP_EV_REQUEST },
	{ "http: pipelined requests in one segment",
	  TXT(GET(OK_NAME) GET(OK_NAME) GET(FACE)), .dport = 80,
	  .segs = { HS, ALL, END }, .at = 2, BLOCKED(RBI_RULE_PROHIBIT_RBI) },
	{ "http: ordinary requests stay under inspection",
	  TXT(GET_OK GET_OK), .dport = 80,
	  .segs = { HS, C(0, GET_OK_LEN), ACK(GET_OK_LEN),
		    C(GET_OK_LEN, IV_REST), ACK(2 * GET_OK_LEN), END },
	  .at = IV_NONE, .events = RBI_INSP_EV_REQUEST },
	{ "http: a body is skipped by its Content-Length",
	  TXT("POST / HTTP/1.1\r\nHost: " OK_NAME "\r\nContent-Length: 42"
	      "\r\n\r\n" GET(FACE) GET_OK), .dport = 80,
	  .segs = { HS, ALL, END }, .at = IV_NONE,
	  .events = RBI_INSP_EV_REQUEST },
	{ "http: a chunked body, then a request naming a service",
	  TXT("POST / HTTP/1.1\r\nHost: " OK_NAME "\r\nTransfer-Encoding: "
	      "chunked\r\n\r\n5;x=y\r\nhello\r\n2a\r\n" GET(FACE) "\r\n0\r\n"
	      "Trailer: 1\r\n\r\n" GET(FACE)), .dport = 80,
	  .segs = { HS, C(0, 100), C(100, 40), C(140, IV_REST), END },
	  .at = 4, BLOCKED(RBI_RULE_PROHIBIT_RBI) },
	{ "http: two Host fields fail closed",
	  TXT("GET / HTTP/1.1\r\nHost: " OK_NAME "\r\nHost: " OK_NAME
	      "\r\n\r\n"), .dport = 80,
	  .segs = { HS, ALL, END }, .at = 2, FAILED(RBI_FAIL_AMBIGUOUS) },
	{ "http: an absolute URL and a Host that disagree fail closed",
	  TXT("GET http://" OK_NAME "/ HTTP/1.1\r\nHost: " FACE "\r\n\r\n"),
	  .dport = 80, .segs = { HS, ALL, END }, .at = 2,
	  FAILED(RBI_FAIL_AMBIGUOUS) },
	{ "http: Content-Length beside Transfer-Encoding fails closed",
	  TXT("POST / HTTP/1.1\r\nHost: " OK_NAME "\r\nContent-Length: 4\r\n"
	      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), .dport = 80,
	  .segs = { HS, ALL, END }, .at = 2, FAILED(RBI_FAIL_AMBIGUOUS) },
	{ "http: two Content-Lengths that differ fail closed",
	  TXT("POST / HTTP/1.1\r\nHost: " OK_NAME "\r\nContent-Length: 4\r\n"
	      "Content-Length: 5\r\n\r\nabcde"), .dport = 80,
	  .segs = { HS, ALL, END }, .at = 2, FAILED(RBI_FAIL_AMBIGUOUS) },
	{ "http: a malformed head fails closed",
	  TXT("GET / HTTP/1.1\r\nHost : " OK_NAME "\r\n\r\n"), .dport = 80,
	  .segs = { HS, ALL, END }, .at = 2, FAILED(RBI_FAIL_REQUEST) },
	{ "http: a chunk size that is no number fails closed",
	  TXT("POST / HTTP/1.1\r\nHost: " OK_NAME "\r\nTransfer-Encoding: "
	      "chunked\r\n\r\nzz\r\n"), .dport = 80,
	  .segs = { HS, ALL, END }, .at = 2, FAILED(RBI_FAIL_REQUEST) },
	{ "http: bytes after a request that are none fail closed",
	  TXT(GET_OK "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\r\n\r\n"),
	  .dport = 80, .segs = { HS, C(0, GET_OK_LEN), C(GET_OK_LEN, IV_REST),
				 END },
	  .at = 3, FAILED(RBI_FAIL_NOT_REQUEST) },
	{ "http: the HTTP/2 preface in clear text fails closed",
	  TXT("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), .dport = 80,
	  .segs = { HS, ALL, END }, .at = 2,
	  FAILED(RBI_FAIL_UNINSPECTABLE) },
	{ "http: Upgrade: h2c fails closed",
	  TXT("GET / HTTP/1.1\r\nHost: " OK_NAME "\r\nConnection: Upgrade, "
	      "HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABk"
	      "\r\n\r\n"), .dport = 80,
	  .segs = { HS, ALL, END }, .at = 2,
	  FAILED(RBI_FAIL_UNINSPECTABLE) },
	{ "http: a WebSocket switch answered 101 ends the inspection",
	  TXT(WS_HEAD "\x81\x05hello"),
	  REPLY("HTTP/1.1 101 Switching Protocols\r\n\r\n"), .dport = 80,
	  .segs = { HS, C(0, WS_LEN), C(WS_LEN, IV_REST, .drop = true),
		    R(RBI_INSP_ACK, 0, IV_REST, .ack = WS_LEN), END },
	  .at = 4, ALLOWED, .events = RBI_INSP_EV_HELD },
	{ "http: a refused switch goes on in HTTP, held bytes first",
	  TXT(WS_HEAD GET(FACE)),
	  REPLY("HTTP/1.1 400 Bad Request\r\n\r\n"), .dport = 80,
	  .segs = { HS, C(0, WS_LEN), C(WS_LEN, IV_REST, .drop = true),
		    R(RBI_INSP_ACK, 0, IV_REST, .ack = WS_LEN), END },
	  .at = 4, BLOCKED(RBI_RULE_PROHIBIT_RBI) },
	{ "http: an Upgrade after another request fails closed",
	  TXT(GET_OK "GET / HTTP/1.1\r\nHost: " OK_NAME
	      "\r\nUpgrade: websocket\r\n\r\n"), .dport = 80,
	  .segs = { HS, ALL, END }, .at = 2,
	  FAILED(RBI_FAIL_UNINSPECTABLE) },
	{ "http: CONNECT to a service blocks",
	  TXT("CONNECT " FACE ":443 HTTP/1.1\r\nHost: " FACE ":443\r\n\r\n"),
	  .dport = 3128, .segs = { HS, ALL, END }, .at = 2,
	  BLOCKED(RBI_RULE_PROHIBIT_RBI), .name_want = FACE },
	{ "http: a head past 8 KiB fails closed",
	  TXT("GET / HTTP/1.1\r\nHost: " OK_NAME "\r\nX: "),
	  .tail = 9000, .dport = 80, .segs = { HS, ALL, END }, .at = 2,
	  FAILED(RBI_FAIL_TOO_BIG) },
	{ "http: a full window holds segments back until acknowledged",
	  TXT("POST / HTTP/1.1\r\nHost: " OK_NAME "\r\nContent-Length: "
	      "20000\r\n\r\n"), .tail = 20000, .dport = 80,
	  .segs = { HS, C(0, IV_REST, .drop = true), ACK(16000),
		    C(16384, IV_REST), END },
	  .at = IV_NONE, .events = RBI_INSP_EV_FULL },
	/* A face server asking a camera for its face library. */
	{ "http: camera-analytics markers in a request to a camera block",
	  .src = "198.51.100.8", .dst = CAM, .dport = 80,
	  TXT("POST /ISAPI/Intelligent/FDLib/FDSearch HTTP/1.1\r\nHost: "
	      CAM "\r\nContent-Length: 2\r\n\r\n{}"),
	  .segs = { HS, ALL, END }, .at = 2, BLOCKED(RBI_RULE_ANALYTICS) },
	{ "http: markers in a later segment of the body block",
	  .src = "198.51.100.8", .dst = CAM, .dport = 80,
	  TXT(MARK_HEAD MARK_BODY),
	  .segs = { HS, C(0, sizeof(MARK_HEAD) + 2), C(sizeof(MARK_HEAD) + 2,
							IV_REST), END }, .at = 3,
	  BLOCKED(RBI_RULE_ANALYTICS) },

	/* ---- RTSP ---- */
	{ "rtsp: a pull on port 554 by a host that is no recorder blocks",
	  .src = "198.51.100.7", .dst = CAM, .dport = 554,
	  TXT("DESCRIBE rtsp://" CAM "/live RTSP/1.0\r\nCSeq: 1\r\n\r\n"),
	  .segs = { HS, ALL, END }, .at = 0, BLOCKED(RBI_RULE_RTSP_PULL) },
	{ "rtsp: a pull on another port is known by its request",
	  .src = "198.51.100.7", .dst = CAM, .dport = 8554,
	  TXT("DESCRIBE rtsp://" CAM ":8554/live RTSP/1.0\r\nCSeq: 1\r\n"
	      "\r\n"),
	  .segs = { HS, C(0, 5), C(5, IV_REST), END }, .at = 3,
	  BLOCKED(RBI_RULE_RTSP_PULL) },
	{ "rtsp: the recorder's requests and interleaved data are read",
	  .src = "198.51.100.10", .dst = CAM, .dport = 554,
	  TXT("DESCRIBE rtsp://" CAM "/live RTSP/1.0\r\nCSeq: 1\r\n\r\n"
	      "$\x01\x00\x04" "abcd" "OPTIONS * RTSP/1.0\r\nCSeq: 2\r\n\r\n"),
	  .segs = { HS, ALL, END }, .at = IV_NONE,
	  .events = RBI_INSP_EV_REQUEST },

	/* ---- DNS and QUIC ---- */
	{ "dns: an answer to a camera's query teaches", .dport = 53,
	  .dst = "198.51.100.53", .l4 = RBI_L4_UDP, TXT(QUERY), REPLY(ANSWER),
	  .segs = { ALL, S(0, IV_REST), END }, .at = IV_NONE, .learned = 1,
	  .events = RBI_INSP_EV_QUERY | RBI_INSP_EV_ANSWER },
	{ "dns: an answer nobody asked for teaches nothing", .dport = 53,
	  .dst = "198.51.100.53", .l4 = RBI_L4_UDP, TXT(QUERY), REPLY(ANSWER),
	  .segs = { S(0, IV_REST), END }, .at = IV_NONE,
	  .events = RBI_INSP_EV_UNSOLICITED },
	{ "dns: an answer with another id teaches nothing", .dport = 53,
	  .dst = "198.51.100.53", .l4 = RBI_L4_UDP, TXT(QUERY), REPLY(ANSWER),
	  .segs = { ALL, R(0, 0, ANSWER_LEN,
			   .alt = DNS_ANSWER("\x43\x21", DNS_Q_NAME)), END }, .at = IV_NONE, .events = RBI_INSP_EV_UNSOLICITED },
	{ "dns: an answer to another question teaches nothing", .dport = 53,
	  .dst = "198.51.100.53", .l4 = RBI_L4_UDP, TXT(QUERY), REPLY(ANSWER),
	  .segs = { ALL, R(0, 0, ANSWER_LEN,
			   .alt = DNS_ANSWER(ID, DNS_Q_OTHER)), END }, .at = IV_NONE, .events = RBI_INSP_EV_UNSOLICITED },
	{ "dns: a second answer to one query teaches nothing", .dport = 53,
	  .dst = "198.51.100.53", .l4 = RBI_L4_UDP, TXT(QUERY), REPLY(ANSWER),
	  .segs = { ALL, S(0, IV_REST), S(0, IV_REST), END }, .at = IV_NONE,
	  .learned = 1, .events = RBI_INSP_EV_UNSOLICITED },
	{ "dns: one id asked for two names fails closed", .dport = 53,
	  .dst = "198.51.100.53", .l4 = RBI_L4_UDP, TXT(QUERY),
	  .segs = { ALL, C(0, QUERY_LEN, .alt = DNS_QUERY(ID, DNS_Q_OTHER)),
		    END }, .at = 1, FAILED(RBI_FAIL_AMBIGUOUS) },
	{ "dns: no room to remember a query fails closed", .dport = 53,
	  .dst = "198.51.100.53", .l4 = RBI_L4_UDP, TXT(QUERY),
	  .dnsq_fill = IV_DNSQ, .segs = { ALL, END }, .at = 0,
	  FAILED(RBI_FAIL_QUERIES_FULL) },
	{ "dns: over TCP, an answer to the query teaches", .dport = 53,
	  .dst = "198.51.100.53", TXT(LEN16("\x22") QUERY),
	  REPLY(LEN16("\x32") ANSWER),
	  .segs = { HS, ALL, S(0, 10), S(10, IV_REST), END }, .at = IV_NONE,
	  .learned = 1, .events = RBI_INSP_EV_QUERY | RBI_INSP_EV_ANSWER },
	{ "dns: over TCP, an answer past 16 KiB fails closed, dropped",
	  .dport = 53, .dst = "198.51.100.53", TXT(LEN16("\x22") QUERY),
	  .reply_fill = 100,
	  .segs = { HS, ALL, R(0, 0, IV_REST, .drop = true), END }, .at = 3,
	  FAILED(RBI_FAIL_TOO_BIG) },
	{ "dns: ... and under on-failure: open too", .fail_open = true,
	  .dport = 53, .dst = "198.51.100.53", TXT(LEN16("\x22") QUERY),
	  .reply_fill = 100,
	  .segs = { HS, ALL, R(0, 0, IV_REST, .drop = true), END }, .at = 3,
	  FAILED(RBI_FAIL_TOO_BIG) },
	{ "dns: TLS to port 53 is read as TLS", .dport = 53,
	  HELLO(.sni = FACE), .segs = { HS, ALL, END }, .at = 2,
	  BLOCKED(RBI_RULE_PROHIBIT_RBI), .name_want = FACE },
	{ "dns: TLS from source port 53 is read as TLS", .sport = 53,
	  HELLO(.sni = FACE), .segs = { HS, ALL, END }, .at = 2,
	  BLOCKED(RBI_RULE_PROHIBIT_RBI), .name_want = FACE },
	{ "dns: a non-DNS datagram to port 53 is decided (QUIC)",
	  .dport = 53, .l4 = RBI_L4_UDP, TXT(QUIC_INITIAL),
	  .segs = { ALL, END }, .at = 0, BLOCKED(RBI_RULE_QUIC) },
	{ "quic: a long header on any port is QUIC", .dport = 4433,
	  .l4 = RBI_L4_UDP, TXT(QUIC_INITIAL), .segs = { ALL, END }, .at = 0,
	  BLOCKED(RBI_RULE_QUIC) },
	{ "udp: an ordinary datagram is allowed, and watched for QUIC",
	  .dport = 5000, .l4 = RBI_L4_UDP, TXT("\x80\x60\x00\x01rtp"),
	  .segs = { ALL, END }, .at = 0, ALLOWED, .watch = true },
	{ "udp: to a recorder, allowed and not watched: QUIC would pass too",
	  .dst = "198.51.100.10", .dport = 554, .l4 = RBI_L4_UDP,
	  TXT("\x80\x60\x00\x01rtp"), .segs = { ALL, END }, .at = 0,
	  ALLOWED },

	/* ---- zones and on-failure ---- */
	{ "zones: a staff-only camera is decided on its SYN",
	  .src = "10.30.0.5", HELLO(.sni = FACE), .segs = { HS, END },
	  .at = 0, ALLOWED },
	{ "on-failure: open allows and logs what would fail closed",
	  HELLO(.sni = FACE), .fail_open = true,
	  .segs = { HS, C(0, 1, .flags = RBI_INSP_URG, .alt = "X"), END },
	  .at = 2, .verdict = RBI_ALLOW, .rule = RBI_RULE_FAIL_CLOSED,
	  .fail = RBI_FAIL_URGENT },
};

/* Everything a case runs on, allocated: the kernel stack is small. */
struct iv_run {
	struct rbi_config *cfg;
	struct rbi_dnsq *dnsq;
	struct rbi_insp_scratch *scr;
	struct rbi_insp *st;
	struct rbi_insp_result *res;
	uint8_t *cstream;
	uint8_t *sstream;
	uint8_t *alt;
	uint8_t *buf;
	uint8_t *rbuf;
	size_t clen;
	size_t slen;
	uint32_t learned;
	uint32_t events;
	int at;
	struct rbi_decision d;
	char name[RBI_NAME_BUF];
	bool watch;
};

/* Says why into the caller's why[why_len] and fails. */
#define IV_FAIL(...)	(rbi_snprintf(why, why_len, __VA_ARGS__), -1)

static int iv_prefix(struct rbi_config *c, unsigned int kind, uint32_t index,
		     const char *s)
{
	struct rbi_prefix p;
	const char *why;

	if (rbi_prefix_parse(s, rbi_strlen(s), &p, &why))
		return -EINVAL;
	switch (kind) {
	case 0:
		return rbi_config_add_zone_net(c, index, &p);
	default:
		return rbi_config_add_recorder_net(c, index, &p, 554, 554);
	}
}

/* Two zones (10.20.0.0/24 public, 10.30.0.0/24 not), a recorder, one
 * service named face.example.net and *.faceid.example.net. */
static struct rbi_config *iv_config(bool fail_open)
{
	static const struct rbi_config_counts n = {
		.zones = 2, .recorders = 1, .services = 1, .patterns = 2,
	};
	struct rbi_config *c = rbi_config_alloc(&n);

	if (!c)
		return NULL;
	if (rbi_config_set_zone(c, 0, true) || rbi_config_set_zone(c, 1, false) ||
	    iv_prefix(c, 0, 0, "10.20.0.0/24") ||
	    iv_prefix(c, 0, 1, "10.30.0.0/24") ||
	    iv_prefix(c, 1, 0, "198.51.100.10/32") ||
	    rbi_config_set_service(c, 0, RBI_CAT_BIT(RBI_CAT_RBI), 0) ||
	    rbi_config_add_pattern(c, FACE, sizeof(FACE) - 1, 0, 0) ||
	    rbi_config_add_pattern(c, "*.faceid.example.net", 20, 0, 1)) {
		rbi_config_free(c);
		return NULL;
	}
	rbi_config_set_fail_open(c, fail_open);
	return c;
}

static void iv_learn(void *ctx, const struct rbi_dns_answer_set *set)
{
	struct iv_run *run = ctx;
	struct rbi_dns_addr a;
	unsigned int pos = 0;

	while (rbi_dns_addr_next(set, &pos, &a))
		run->learned++;
}

static void iv_fill(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)('a' + i % 26);
}

/* The client's stream: a hello and its filler, or text and its filler. */
static size_t iv_client_stream(const struct iv_case *v, uint8_t *out)
{
	size_t n;

	if (v->hello.sni) {
		n = rbi_vec_hello_build(&v->hello, out, IV_BUF);
	} else {
		n = v->text_len;
		rbi_memcpy(out, v->text, n);
	}
	if (!n || n + v->tail > IV_BUF)
		return 0;
	iv_fill(out + n, v->tail);
	return n + v->tail;
}

static void iv_flow(const struct iv_case *v, struct rbi_flow *f)
{
	const char *src = v->src ? v->src : CAM;
	const char *dst = v->dst ? v->dst : "198.51.100.7";

	rbi_memset(f, 0, sizeof(*f));
	rbi_ip_parse(src, rbi_strlen(src), &f->src);
	rbi_ip_parse(dst, rbi_strlen(dst), &f->dst);
	f->sport = v->sport ? v->sport : 40000;
	f->dport = v->dport ? v->dport : 443;
	f->l4 = v->l4 ? v->l4 : RBI_L4_TCP;
	f->learned = RBI_NONE;
}

/* Pending queries from other clients, filling the table. */
static void iv_dnsq_fill(struct iv_run *run, unsigned int n)
{
	struct rbi_dnsq_key k;
	unsigned int i;

	rbi_memset(&k, 0, sizeof(k));
	rbi_ip_parse("10.20.0.99", 10, &k.client);
	rbi_ip_parse("198.51.100.53", 13, &k.server);
	k.sport = 53;
	k.l4 = RBI_L4_UDP;
	for (i = 0; i < n; i++) {
		k.cport = (uint16_t)(1000 + i);
		rbi_dnsq_add(run->dnsq, &k, "x.example", 9, 100);
	}
}

static bool iv_has(const unsigned int *stats, size_t n, unsigned int stat)
{
	while (n--)
		if (stats[n] == stat)
			return true;
	return false;
}

/*
 * The counters a result moves, as rbiblock.ko and the queue backend count
 * them: the decision's, and one per event reported.
 */
static int iv_stats(const struct rbi_insp_result *res, int index, char *why,
		    size_t why_len)
{
	unsigned int stats[RBI_INSP_STATS_MAX];
	size_t n = rbi_insp_stats(res, stats);
	bool block = res->decided && res->d.verdict == RBI_BLOCK;
	bool fail = res->decided && res->d.fail;

	if (iv_has(stats, n, RBI_STAT_FLOWS) != res->decided ||
	    iv_has(stats, n, RBI_STAT_BLOCKS) != block ||
	    iv_has(stats, n, RBI_STAT_FAILED) != fail ||
	    (fail && !iv_has(stats, n, RBI_STAT_FAIL(res->d.fail))) ||
	    iv_has(stats, n, RBI_STAT_RETRANS) !=
	    !!(res->events & RBI_INSP_EV_RESENT) ||
	    iv_has(stats, n, RBI_STAT_REQUESTS) !=
	    !!(res->events & RBI_INSP_EV_REQUEST) ||
	    iv_has(stats, n, RBI_STAT_DNS_ANSWERS) !=
	    !!(res->events & RBI_INSP_EV_ANSWER))
		return IV_FAIL("segment %d: %zu counters moved do not match "
			       "the result", index, n);
	return 0;
}

/* Sends bytes [off, off + n) of one side as one packet. */
static int iv_send(struct iv_run *run, const struct iv_case *v,
		   const struct iv_seg *s, size_t off, size_t n, int index,
		   char *why, size_t why_len)
{
	struct rbi_insp_env env = { run->cfg, run->scr, run->dnsq, 100,
				    iv_learn, run };
	bool reply = s->flags & RBI_INSP_REPLY;
	const uint8_t *src = reply ? run->sstream : run->cstream;
	struct rbi_insp_pkt p = { 0 };
	enum rbi_insp_verdict verdict;
	uint32_t room;

	if (s->alt)
		src = (const uint8_t *)s->alt - s->off;
	else if (s->alt_hello)
		src = run->alt;
	p.data = src + off;
	p.len = (uint32_t)n;
	p.flags = s->flags;
	p.seq = (uint32_t)((reply ? IV_RISN : IV_ISN) + 1 + off);
	if (s->flags & RBI_INSP_SYN)
		p.seq = (uint32_t)(s->seq ? s->seq : reply ? IV_RISN : IV_ISN);
	p.ack = IV_ISN + 1 + s->ack;
	room = rbi_insp_room(run->st, &p);
	if (room > (reply ? RBI_INSP_DNS_FRAME_MAX : RBI_INSP_WINDOW))
		return IV_FAIL("segment %d: room %u too large", index, room);
	verdict = rbi_insp_packet(run->st, &env, &p, run->res);
	if (iv_stats(run->res, index, why, why_len))
		return -1;
	run->events |= run->res->events;
	if (run->res->decided) {
		if (run->at != IV_NONE)
			return IV_FAIL("segment %d decided again (first: %d)",
				       index, run->at);
		run->at = index;
		run->d = run->res->d;
		run->watch = run->res->watch;
		run->name[0] = '\0';
		if (run->res->flow.name_len)
			rbi_snprintf(run->name, sizeof(run->name), "%.*s",
				     (int)run->res->flow.name_len,
				     run->res->flow.name);
	}
	if ((verdict == RBI_INSP_DROP) != s->drop)
		return IV_FAIL("segment %d: verdict %d", index, (int)verdict);
	return 0;
}

static int iv_segment(struct iv_run *run, const struct iv_case *v,
		      const struct iv_seg *s, int index, char *why,
		      size_t why_len)
{
	size_t len = s->flags & RBI_INSP_REPLY ? run->slen : run->clen;
	size_t end = s->n == IV_REST ? len : (size_t)s->off + s->n;
	size_t off = s->off, n;
	int err;

	if (s->alt_hello && !rbi_vec_hello_build(s->alt_hello, run->alt,
						 IV_BUF))
		return IV_FAIL("segment %d: no hello", index);
	if (end > len || off > end)
		return IV_FAIL("segment %d: past the stream (%zu)", index,
			       len);
	do {
		n = s->step && end - off > s->step ? s->step : end - off;
		err = iv_send(run, v, s, off, n, index, why, why_len);
		off += n;
	} while (!err && off < end);
	return err;
}

static const char *iv_fail_name(unsigned int why)
{
	const char *n = rbi_fail_name((enum rbi_fail)why);

	return n ? n : "none";
}

static int iv_outcome(const struct iv_case *v, const struct iv_run *run,
		      char *why, size_t why_len)
{
	const char *want = v->name_want ? v->name_want : "";

	if (run->at != v->at)
		return IV_FAIL("decided at segment %d, want %d", run->at,
			       v->at);
	if ((run->events & v->events) != v->events)
		return IV_FAIL("events %#x, want %#x", run->events, v->events);
	if (run->learned != v->learned)
		return IV_FAIL("learned %u addresses, want %u", run->learned,
			       v->learned);
	if (v->at == IV_NONE)
		return 0;
	if (run->d.verdict != v->verdict || run->d.rule != v->rule)
		return IV_FAIL("verdict %u rule %u, want %u %u",
			       run->d.verdict, run->d.rule, v->verdict,
			       v->rule);
	if (run->d.fail != v->fail)
		return IV_FAIL("fail reason %s, want %s",
			       iv_fail_name(run->d.fail), iv_fail_name(v->fail));
	if (v->name_want && rbi_memcmp(run->name, want, rbi_strlen(want) + 1))
		return IV_FAIL("name '%s', want '%s'", run->name, want);
	if (run->watch != v->watch)
		return IV_FAIL("watch %d, want %d", run->watch, v->watch);
	return 0;
}

static int iv_run_case(const struct iv_case *v, struct iv_run *run,
		       char *why, size_t why_len)
{
	struct rbi_flow f;
	int i, err = 0;

	run->clen = iv_client_stream(v, run->cstream);
	run->slen = v->reply_fill ? v->reply_fill : v->reply_len;
	if (v->reply_fill)
		iv_fill(run->sstream, v->reply_fill);
	else if (v->reply)
		rbi_memcpy(run->sstream, v->reply, v->reply_len);
	if (!run->clen)
		return IV_FAIL("no client stream");
	iv_flow(v, &f);
	rbi_insp_open(run->st, &f);
	run->st->buf = run->buf;
	run->st->cap = RBI_INSP_WINDOW;
	run->st->rbuf = run->rbuf;
	run->st->rcap = RBI_INSP_DNS_FRAME_MAX;
	run->at = IV_NONE;
	iv_dnsq_fill(run, v->dnsq_fill);
	for (i = 0; !err && !(v->segs[i].flags & IV_END); i++)
		err = iv_segment(run, v, &v->segs[i], i, why, why_len);
	return err ? err : iv_outcome(v, run, why, why_len);
}

static void iv_free(struct iv_run *run)
{
	rbi_config_free(run->cfg);
	rbi_dnsq_free(run->dnsq);
	rbi_free(run->scr);
	rbi_free(run->st);
	rbi_free(run->res);
	rbi_free(run->cstream);
	rbi_free(run->sstream);
	rbi_free(run->alt);
	rbi_free(run->buf);
	rbi_free(run->rbuf);
	rbi_free(run);
}

static int iv_check(size_t i, char *why, size_t why_len)
{
	const struct iv_case *v = &iv_cases[i];
	struct iv_run *run = rbi_zalloc(sizeof(*run));
	int err;

	if (!run)
		return IV_FAIL("out of memory");
	run->cfg = iv_config(v->fail_open);
	run->dnsq = rbi_dnsq_alloc(IV_DNSQ, 0x5eed);
	run->scr = rbi_zalloc(sizeof(*run->scr));
	run->st = rbi_zalloc(sizeof(*run->st));
	run->res = rbi_zalloc(sizeof(*run->res));
	run->cstream = rbi_zalloc(IV_BUF);
	run->sstream = rbi_zalloc(IV_BUF);
	run->alt = rbi_zalloc(IV_BUF);
	run->buf = rbi_zalloc(RBI_INSP_WINDOW);
	run->rbuf = rbi_zalloc(RBI_INSP_DNS_FRAME_MAX);
	if (!run->cfg || !run->dnsq || !run->scr || !run->st || !run->res ||
	    !run->cstream || !run->sstream || !run->alt || !run->buf ||
	    !run->rbuf)
		err = IV_FAIL("out of memory");
	else
		err = iv_run_case(v, run, why, why_len);
	iv_free(run);
	return err;
}

static const char *iv_name(size_t i)
{
	return iv_cases[i].name;
}

const struct rbi_vec_group rbi_vec_inspect = {
	.name = "inspect",
	.count = RBI_ARRAY_SIZE(iv_cases),
	.case_name = iv_name,
	.check = iv_check,
};
