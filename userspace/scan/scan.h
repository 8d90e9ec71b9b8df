/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The capture scanner's engine, shared by `rbictl scan` and `rbictl watch`:
 * frames in, one record out per flow that it named or that the policy
 * matched, classified by rbi_classify() on the policy's compiled
 * configuration, exactly as the gateway classifies it.
 *
 * A flow's name is the first one its client sends: TLS or QUIC SNI, HTTP
 * Host (without port), the first DNS question, or the RTSP URL's host. A
 * DNS flow is reported again for each further question name it carries
 * (a stub resolver's search list, several lookups on one socket), since
 * the name that matters to the policy may well not be the first; past 16
 * names (a tunnel over DNS), only those the policy matches.
 * Its initiator (the record's src) is the sender of the SYN, else of the
 * request, query or ClientHello, else of the first packet seen.
 *
 * A TCP direction seen without its SYN (the capture started after the
 * connection did) is picked up at the first segment that starts with a TLS
 * record header or a whole HTTP or RTSP request or status line: the bytes
 * before it cannot be read from a known start. If that is no hello or
 * request, the direction starts over at the next such segment (up to 16
 * times); TLS records after the hello are TLS whose hello came before the
 * capture, and no other will come. Every flow decided without a name is
 * counted with its reason (enum rbi_scan_unnamed). A flow is
 * decided as soon as it is named or no dissector can name it any more,
 * or, when the policy blocks it without a name, as soon as its initiator
 * sends the same SYN again with no answer (the gateway drops such a
 * connection by address: no name will follow); the rest wait for their
 * end (idle, evicted, or the capture's end) and are reported only when
 * the policy or a marker matched them.
 *
 * Camera-analytics markers (rbi_analytics.h) are looked for in the first
 * bytes of both directions of TCP flows other than TLS. An HTTP or RTSP
 * request to a camera whose decision markers could still change (a
 * recorder's stream pull, say: face metadata in it is blocked under
 * camera-analytics: block) waits for the camera's first 16 KiB or its
 * FIN, a packet after the flow's first 30 s, or the flow's end, whichever
 * comes first, before it is decided and reported.
 *
 * DNS answers anywhere in the capture teach a learned-address table
 * (rbi_learn.h, times in capture time), so that a later flow to a service
 * address is classified as learned, as the gateway would.
 *
 * Memory is bounded by the options: the flow table, the reassembly pool,
 * the IP fragment slots and the learned table, whatever the capture holds.
 * Everything dropped, cut short or evicted is counted.
 */
#ifndef RBI_SCAN_H
#define RBI_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "scan/flowtab.h"
#include "scan/ipfrag.h"
#include "rbi_learn.h"
#include "scan/frame.h"
#include "policy/policy.h"
#include "scan/reasm.h"

struct rbi_scan_opts {
	uint32_t max_flows;
	uint32_t reasm_buffers;
	uint32_t learn_capacity;
	uint64_t idle_tcp_us;
	uint64_t idle_udp_us;
	uint64_t idle_dns_us;	/* a DNS flow with every query answered */
};

#define RBI_SCAN_OPTS_DEFAULT { \
	.max_flows = 262144, \
	.reasm_buffers = 2048, \
	.learn_capacity = 8192, \
	.idle_tcp_us = 300ull * 1000000, \
	.idle_udp_us = 60ull * 1000000, \
	.idle_dns_us = 2ull * 1000000, \
}

/* One reported flow. flow.name points into scanner memory until return. */
struct rbi_scan_record {
	uint64_t ts;			/* first packet, microseconds */
	struct rbi_flow flow;
	struct rbi_decision d;
};

typedef void (*rbi_scan_emit_fn)(void *ctx, const struct rbi_scan_record *r);

/*
 * Whether the policy matched a flow: a service or resolver, a rule, or a
 * log entry. Such flows are reported even without a name.
 */
bool rbi_scan_matched(const struct rbi_decision *d);

enum rbi_scan_count {
	RBI_SC_PACKETS,
	RBI_SC_BYTES,
	RBI_SC_CAPTURE_CUT,	/* records the snapshot length cut */
	RBI_SC_TCP_SEGMENTS,
	RBI_SC_TCP_NO_FLOW,	/* bare ACK, FIN, RST of no known flow */
	RBI_SC_UDP_DATAGRAMS,
	RBI_SC_SEG_BEFORE_START,	/* below a stream's first byte */
	RBI_SC_SEG_OLD,		/* retransmitted bytes */
	RBI_SC_SEG_HELD,	/* out of order, held */
	RBI_SC_SEG_BEYOND,	/* past the reassembly cap */
	RBI_SC_REASM_NO_BUFFER,	/* a stream lost: the pool was empty */
	RBI_SC_RESYNC,		/* mid-stream starts tried again */
	RBI_SC_SEG_UNSYNCED,	/* mid-stream, before a hello or request */
	RBI_SC_FLOWS_REUSED,	/* a new SYN on a finished connection */
	RBI_SC_FLOWS_NAMED,
	RBI_SC_FLOWS_UNNAMED,	/* decided with no name */
	RBI_SC_FLOWS_REPORTED,
	RBI_SC_FLOWS_BLOCKED,
	RBI_SC_FLOWS_LOGGED,
	RBI_SC_EVICTED_UNDECIDED,	/* ended before a dissector finished */
	/* Each application's _TOO_BIG right after its _MALFORMED. */
	RBI_SC_TLS_MALFORMED,
	RBI_SC_TLS_TOO_BIG,
	RBI_SC_HTTP_MALFORMED,
	RBI_SC_HTTP_TOO_BIG,
	RBI_SC_RTSP_MALFORMED,
	RBI_SC_RTSP_TOO_BIG,
	RBI_SC_DNS_MESSAGES,
	RBI_SC_DNS_MALFORMED,
	RBI_SC_DNS_LEARNED,	/* addresses learned from answers */
	RBI_SC_DNS_MORE_NAMES,	/* questions after a DNS flow's first */
	RBI_SC_DNS_UNREPORTED,	/* past the first 16, the policy let be */
	RBI_SC_QUIC_INITIALS,	/* datagrams with client Initial CRYPTO */
	RBI_SC_QUIC_MALFORMED,
	RBI_SC_QUIC_GAVE_UP,	/* QUIC flows whose hello never completed */
	RBI_SC_FLOWS_WATCHED,	/* waited for a camera's first bytes */
	RBI_SC_FLOWS_MARKED,	/* reported with markers */
	__RBI_SC_MAX
};

/*
 * Why a flow was decided without a name, one reason each, the strongest
 * that applies (the order below, weakest first): what stays unnamed on a
 * capture is accounted for.
 */
enum rbi_scan_unnamed {
	RBI_UN_NO_PAYLOAD,	/* TCP: a handshake or a SYN, no data */
	RBI_UN_UDP_OTHER,	/* UDP that is neither DNS nor QUIC */
	RBI_UN_NOT_RECOGNISED,	/* data no dissector knows (SSH, ...) */
	RBI_UN_MIDSTREAM,	/* picked up mid-way, no hello or request since */
	RBI_UN_INCOMPLETE,	/* ended with a hello or request still partial */
	RBI_UN_LOST_BYTES,	/* no reassembly buffer, or past the cap */
	RBI_UN_QUIC_VERSION,	/* QUIC of a version not read */
	RBI_UN_QUIC_NO_HELLO,	/* QUIC whose client hello never completed */
	RBI_UN_MALFORMED,	/* a dissector found it broken or too big */
	RBI_UN_TLS_LATE,	/* TLS records, the hello before the capture */
	RBI_UN_NO_NAME,		/* a whole hello or request naming nothing */
	__RBI_UN_MAX
};

struct rbi_scan_stats {
	uint64_t count[__RBI_SC_MAX];
	uint64_t decode[__RBI_PKT_MAX];	/* enum rbi_frame_result */
	uint64_t named[__RBI_APP_MAX];	/* named flows by application */
	uint64_t unnamed[__RBI_UN_MAX];	/* unnamed flows by reason */
};

struct rbi_scan;

/* NULL when out of memory. The policy must outlive the scanner. */
struct rbi_scan *rbi_scan_alloc(const struct rbi_policy *p,
				const struct rbi_scan_opts *o,
				rbi_scan_emit_fn emit, void *ctx);
void rbi_scan_free(struct rbi_scan *s);

/*
 * One captured frame: caplen bytes captured of wirelen, at ts
 * microseconds since the epoch.
 */
void rbi_scan_packet(struct rbi_scan *s, enum rbi_link link, uint64_t ts,
		     const uint8_t *frame, size_t caplen, size_t wirelen);

/* Ends flows idle at ts (live capture, when no packet comes). */
void rbi_scan_tick(struct rbi_scan *s, uint64_t ts);

/*
 * The end of one capture: every flow ends and is decided, fragments in
 * progress are given up. Learned addresses stay for the next capture.
 */
void rbi_scan_end(struct rbi_scan *s);

const struct rbi_scan_stats *rbi_scan_stats(const struct rbi_scan *s);
const struct rbi_flowtab_stats *rbi_scan_flow_stats(const struct rbi_scan *s);
const struct rbi_reasm_stats *rbi_scan_reasm_stats(const struct rbi_scan *s);
const struct rbi_ipfrag_stats *rbi_scan_frag_stats(const struct rbi_scan *s);
void rbi_scan_learn_stats(const struct rbi_scan *s,
			  struct rbi_learn_stats *st);
/* Bytes the bounded structures may reach at most. */
size_t rbi_scan_mem_bound(const struct rbi_scan *s);

/* "packets", "tcp_segments", ...: counter names for the summaries. */
const char *rbi_scan_count_name(enum rbi_scan_count c);
/* "no_payload", "picked_up_midstream", ...: reasons for the summaries. */
const char *rbi_scan_unnamed_name(enum rbi_scan_unnamed why);

#endif
