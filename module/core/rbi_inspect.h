/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The inspection engine: what a flow must show before its payload may pass,
 * decided packet by packet from the bytes the caller hands in. rbiblock.ko
 * runs it in its netfilter hooks and the daemon's NFQUEUE backend on queued
 * packets, so that both decide alike from the same bytes.
 *
 * The rule it enforces: in a publicly accessible zone, a flow is let go
 * (decided) only when rbi_classify() has positively allowed or blocked it
 * from what the module saw, the way the peer saw it. Every other outcome is
 * decided fail-closed with an enum rbi_fail reason (rbi_decide_fail()).
 * Flows outside every public zone are decided on their first packet.
 *
 * What the engine reads, per flow:
 *  - TCP: the initiator's stream, in order, from the SYN on. A segment
 *    that leaves a hole is held back (RBI_INSP_DROP: the sender resends
 *    it); bytes sent again are compared with the first copy, and a
 *    difference fails closed, since the responder may have taken either.
 *    A SYN on a flow already open moves nothing; data in a SYN, urgent
 *    data, a flow first seen after its SYN all fail closed.
 *  - A positive decision on TCP is final only once the responder has
 *    acknowledged every byte it rests on: a first copy that died between
 *    the gateway and the responder (a low TTL) must not decide for the
 *    copy sent after it, so resent bytes are compared until then. A
 *    client's FIN at the exact next sequence number closes the flow once
 *    acknowledged; a responder's RST closes it at the exact number only
 *    (RFC 5961: any other draws a challenge ACK); a client's RST closes
 *    nothing, since the module cannot know the responder took it.
 *  - The client's stream is a TLS ClientHello (record layer walked as the
 *    bytes arrive, the hello parsed once, whole: linear in its length
 *    whatever the record and segment sizes), HTTP/1.x or RTSP requests
 *    (every request head on the connection, with bodies skipped by their
 *    framing: Content-Length, chunked, RTSP interleaved data), DNS queries
 *    (TCP to port 53), or something else, which rbi_classify() decides by
 *    its addresses.
 *  - UDP: a client datagram to port 53 that is a DNS query is remembered
 *    (rbi_dnsq.h) and the flow stays open; an answer to it teaches its
 *    addresses through env->learn. Any other first datagram decides the
 *    flow, as QUIC when it has a QUIC long header, whatever the port.
 *  - Camera-analytics markers (rbi_analytics.h) in every byte of requests
 *    to a responder in a public zone.
 *
 * Bounds (each one a fail-closed reason when passed, never an allow):
 *  - a ClientHello within RBI_TLS_HELLO_MAX stream bytes;
 *  - a request head within RBI_HTTP_HEAD_MAX bytes, a chunk-size line
 *    within RBI_INSP_LINE_MAX, trailers within RBI_HTTP_HEAD_MAX;
 *  - client bytes not yet acknowledged by the responder, or not yet parsed,
 *    within the window RBI_INSP_WINDOW: a request stream (HTTP, RTSP, DNS)
 *    is inspected for as long as it lasts, and carries at most that much in
 *    flight meanwhile; a segment past it is copied up to what fits and held
 *    back until acknowledgements free the window;
 *  - DNS-over-TCP answers within RBI_INSP_DNS_FRAME_MAX bytes;
 *  - at most RBI_INSP_SERVER_FIRST bytes from the responder before the
 *    client's first byte.
 * An Upgrade or CONNECT request ends the inspection only when it is the
 * connection's first request and the responder's first bytes switch
 * protocols (101, or 2xx to CONNECT); until then the client's next bytes
 * are held back. HTTP/2 in clear text (the preface, or Upgrade: h2c) is
 * not inspected: it fails closed.
 *
 * Nothing here allocates, reads a clock or locks. The caller owns the
 * flow's state (struct rbi_insp, a few hundred bytes) and its buffers,
 * sized as rbi_insp_room() says, and serialises calls on one state and on
 * env->dnsq. The dissectors' large outputs live in a scratch area the
 * caller provides (per CPU in the kernel).
 */
#ifndef RBI_INSPECT_H
#define RBI_INSPECT_H

#include "rbi_compat.h"
#include "rbi_dns.h"
#include "rbi_dnsq.h"
#include "rbi_http.h"
#include "rbi_rtsp.h"
#include "rbi_tls.h"
#include "rbi_verdict.h"

enum {
	/* Client bytes held: a whole ClientHello, or requests in flight. */
	RBI_INSP_WINDOW = RBI_TLS_HELLO_MAX,
	/* A DNS-over-TCP answer, its 2-byte length included. */
	RBI_INSP_DNS_FRAME_MAX = 16384 + 2,
	/* The longest DNS query a client sends, framing included. */
	RBI_INSP_DNS_QUERY_MAX = 1024,
	RBI_INSP_SERVER_FIRST = 4096,
	/* A chunk-size line, extensions included. */
	RBI_INSP_LINE_MAX = 1024,
	RBI_INSP_PORT_DNS = 53,
};

/* Packet flags: the TCP header bits the engine reads, and a direction. */
enum rbi_insp_flag {
	RBI_INSP_SYN = 1 << 0,
	RBI_INSP_FIN = 1 << 1,
	RBI_INSP_RST = 1 << 2,
	RBI_INSP_URG = 1 << 3,
	/*
	 * ack is the responder's cumulative acknowledgement. Set it only for
	 * packets that came from the responder's side: an acknowledgement is
	 * what lets client bytes go from the window.
	 */
	RBI_INSP_ACK = 1 << 4,
	RBI_INSP_REPLY = 1 << 5,	/* responder to initiator */
};

struct rbi_insp_pkt {
	const uint8_t *data;	/* the transport payload */
	uint32_t len;
	uint32_t seq;		/* TCP: the header's sequence number */
	uint32_t ack;		/* TCP, with RBI_INSP_ACK */
	uint8_t flags;		/* enum rbi_insp_flag */
};

/* What to do with the packet, apart from what the flow's decision says. */
enum rbi_insp_verdict {
	RBI_INSP_PASS,
	/* Not now: it came early, or the window is full. Its sender resends. */
	RBI_INSP_DROP,
};

/* What a packet made happen, for the caller's counters. */
enum rbi_insp_event {
	RBI_INSP_EV_GAP = 1 << 0,	/* held back: came before its turn */
	RBI_INSP_EV_FULL = 1 << 1,	/* held back: window full */
	RBI_INSP_EV_HELD = 1 << 2,	/* held back: switch not answered */
	RBI_INSP_EV_RESENT = 1 << 3,	/* bytes sent again, as first sent */
	RBI_INSP_EV_REQUEST = 1 << 4,	/* a request head was checked */
	RBI_INSP_EV_QUERY = 1 << 5,	/* a DNS query was remembered */
	RBI_INSP_EV_ANSWER = 1 << 6,	/* a DNS answer matched its query */
	RBI_INSP_EV_UNSOLICITED = 1 << 7, /* a DNS answer matched none */
	RBI_INSP_EV_DNS_MALFORMED = 1 << 8,
};

/* Large dissector outputs: per CPU in the kernel, never on its stack. */
struct rbi_insp_scratch {
	union {
		struct rbi_tls_hello tls;
		struct rbi_http_req http;
		struct rbi_rtsp_req rtsp;
	} app;
	struct rbi_dns_msg dns_msg;
	struct rbi_dns_answer_set dns;
	char qname[RBI_NAME_BUF];
};

struct rbi_insp_env {
	const struct rbi_config *cfg;
	struct rbi_insp_scratch *scr;
	/* Queries awaiting answers; NULL: DNS teaches nothing. */
	struct rbi_dnsq *dnsq;
	uint64_t now;		/* monotonic seconds, for dnsq */
	/* Each answer that matched a query; may be NULL. */
	void (*learn)(void *ctx, const struct rbi_dns_answer_set *set);
	void *ctx;
};

struct rbi_insp_result {
	/*
	 * The flow as the decision saw it; name points into env->scr and is
	 * valid until the next call with it.
	 */
	struct rbi_flow flow;
	struct rbi_decision d;	/* meaningful with decided or report */
	/* This packet decided the flow: d is final, record it. */
	bool decided;
	/* d is worth an event: a block, a fail-closed, or a logged allow. */
	bool report;
	/*
	 * A UDP flow from a public zone decided allowed without QUIC: a later
	 * datagram with a QUIC long header (rbi_insp_is_quic()) changes
	 * that, so the caller keeps looking, through a fresh state.
	 */
	bool watch;
	uint32_t events;	/* enum rbi_insp_event */
};

/*
 * One flow's state. The caller sets buf/cap (the client's window) and
 * rbuf/rcap (the responder's, for DNS over TCP only) as rbi_insp_room()
 * asks, keeping the bytes held (moved to a new buffer when it grows); the
 * rest is the engine's.
 */
struct rbi_insp {
	struct rbi_flow flow;	/* identity, app, markers; name NULL */
	uint8_t *buf;
	uint32_t cap;
	uint8_t *rbuf;
	uint32_t rcap;
	/* Client stream, in offsets from its first byte. */
	uint32_t isn;		/* sequence number of that first byte */
	uint32_t base;		/* offset of buf[0] */
	uint32_t len;		/* bytes held */
	uint32_t acked;		/* acknowledged by the responder */
	uint32_t pos;		/* parsed up to */
	uint32_t marked;	/* searched for markers up to */
	uint32_t scan;		/* searched for the head's end up to */
	uint32_t eol;		/* end of the head's first line, 0 none */
	uint64_t left;		/* body, chunk or frame bytes to skip */
	/* The ClientHello's records, walked as they arrive. */
	uint32_t tls_at;	/* offset walked to */
	uint32_t tls_rec;	/* offset where the record walked ends */
	uint32_t tls_hs;	/* handshake bytes walked */
	uint32_t tls_msg;	/* handshake message length, 4 + body */
	/* Responder stream, in offsets from its first byte. */
	uint32_t risn;
	uint32_t rbase;
	uint32_t rlen;
	uint32_t server_first;	/* responder bytes before the client's */
	uint32_t settle;	/* a positive decision waits for this ack */
	struct rbi_decision d;	/* ... which is this one */
	uint8_t status[12];	/* the responder's first bytes */
	uint8_t status_len;
	uint8_t phase;
	uint8_t mode;
	uint8_t body;
	uint16_t bits;
};

/* A state for flow f (src the initiator, learned set), nothing seen. */
void rbi_insp_open(struct rbi_insp *st, const struct rbi_flow *f);

/*
 * The buffer p needs: the client's window (rbuf for a packet with
 * RBI_INSP_REPLY) must be at least this large before rbi_insp_packet().
 * 0: p copies nothing. Never more than RBI_INSP_WINDOW, or
 * RBI_INSP_DNS_FRAME_MAX for rbuf. A smaller buffer is not an error: the
 * engine takes what fits and holds the packet back.
 */
uint32_t rbi_insp_room(const struct rbi_insp *st, const struct rbi_insp_pkt *p);

/*
 * Takes one packet of the flow. res says whether it decided the flow; a
 * flow decided to block (verdict RBI_BLOCK) must not pass another packet,
 * which the caller enforces (rbiblock.ko through the ruleset). Once the
 * flow is decided, later calls pass every packet and decide nothing.
 */
enum rbi_insp_verdict rbi_insp_packet(struct rbi_insp *st,
				      const struct rbi_insp_env *env,
				      const struct rbi_insp_pkt *p,
				      struct rbi_insp_result *res);

/*
 * Decides the flow fail-closed for a reason the caller found (its table
 * full, memory spent, the state expired or the configuration gone), in
 * the same form as the engine's own.
 */
void rbi_insp_fail(struct rbi_insp *st, const struct rbi_insp_env *env,
		   enum rbi_fail why, struct rbi_insp_result *res);

bool rbi_insp_decided(const struct rbi_insp *st);

/*
 * Whether the flow waits between requests with nothing half read: a
 * request stream idle at a boundary, which a caller may keep open longer
 * than one stalled in the middle of a request.
 */
bool rbi_insp_between(const struct rbi_insp *st);

/*
 * A datagram with a QUIC long header (RFC 8999 5.1 with the fixed bit of
 * RFC 9000 17.2): the form and fixed bits set, a version that is not 0
 * (version negotiation), connection IDs of at most 20 bytes that fit.
 */
bool rbi_insp_is_quic(const uint8_t *p, size_t len);

enum { RBI_INSP_STATS_MAX = 16 };

/*
 * The counters (enum rbi_stat of uapi/rbiblock.h) a result moves, each by
 * one, into out; how many. rbiblock.ko and the queue backend both count
 * through it, so that their counters mean the same.
 */
size_t rbi_insp_stats(const struct rbi_insp_result *res,
		      unsigned int out[RBI_INSP_STATS_MAX]);

#endif /* RBI_INSPECT_H */
