/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The scanner's insides, shared by the files of its parts: the flow table
 * entry (struct rbi_scan_flow), the scanner (struct rbi_scan) and the
 * calls one part makes into another. scan.c owns the lifecycle of a flow
 * and the packet entry; tcp.c, dns.c and quic_flow.c name flows; watch.c
 * holds a named flow open while camera-analytics markers could still
 * change its verdict.
 */
#ifndef RBI_SCAN_INTERNAL_H
#define RBI_SCAN_INTERNAL_H

#include "rbi_dns.h"
#include "rbi_http.h"
#include "rbi_rtsp.h"
#include "rbi_tls.h"
#include "scan/quic.h"
#include "scan/scan.h"

/* Dissectors that may still name a direction's stream. */
enum rbi_scan_cand {
	RBI_CAND_TLS = 1 << 0,
	RBI_CAND_HTTP = 1 << 1,
	RBI_CAND_RTSP = 1 << 2,
	RBI_CAND_DNS = 1 << 3,
	RBI_CAND_QUIC = 1 << 4,
	RBI_CAND_TCP = RBI_CAND_TLS | RBI_CAND_HTTP | RBI_CAND_RTSP,
};

enum rbi_scan_dir_flag {
	RBI_DIR_BASE = 1 << 0,	/* base is known */
	RBI_DIR_SYN = 1 << 1,	/* base came from a SYN */
	RBI_DIR_FIN = 1 << 2,	/* a FIN or RST was sent */
	RBI_DIR_DATA = 1 << 3,	/* payload was read */
	RBI_DIR_WATCH = 1 << 4,	/* still read for markers */
	/*
	 * Picked up mid-way and its dissectors found nothing: the stream
	 * starts over only at a segment that starts a hello or request.
	 */
	RBI_DIR_HUNT = 1 << 5,
	RBI_DIR_DONE = 1 << 6,	/* never started over again */
};

enum {
	RBI_SCAN_PORT_DNS = 53,
	RBI_SIDE_NONE = 2,
	RBI_SCAN_DNS_SEEN = 8,
};

enum rbi_scan_flow_state {
	RBI_FLOW_OPEN,
	/*
	 * Named, but camera-analytics markers could still change what the
	 * policy does with it: both directions' first bytes are read on.
	 */
	RBI_FLOW_WATCHING,
	RBI_FLOW_DECIDED,
	__RBI_FLOW_STATE_MAX
};

struct rbi_scan_dir {
	uint32_t base;		/* TCP: sequence number of stream byte 0 */
	uint32_t need;		/* stream length worth dissecting again */
	uint32_t dns_off;	/* DNS over TCP: the next frame */
	uint8_t cand;		/* enum rbi_scan_cand */
	uint8_t flags;		/* enum rbi_scan_dir_flag */
	uint8_t resyncs;
	struct rbi_reasm *r;	/* NULL until a message spans segments */
};

/* The question names a DNS flow has reported, by hash. */
struct rbi_scan_dns {
	uint32_t seen[RBI_SCAN_DNS_SEEN];
	uint8_t n;		/* how many were reported; the last ones kept */
	uint8_t pending;	/* queries not answered yet */
};

/* What every packet reads comes first, in the flow's first cache line. */
struct rbi_scan_flow {
	uint8_t state;		/* enum rbi_scan_flow_state */
	uint8_t app;		/* what a dissector recognised */
	uint8_t init;		/* the initiator's side, or RBI_SIDE_NONE */
	uint8_t first;		/* the side of the first packet */
	uint8_t tries;		/* UDP datagrams that named nothing */
	bool init_syn;		/* init came from a SYN: the last word */
	bool ech;
	uint8_t named;		/* the side whose request named it */
	uint8_t why;		/* enum rbi_scan_unnamed, should it be */
	uint32_t markers;	/* camera-analytics markers, either side */
	uint16_t marked[2];	/* stream bytes of each side searched */
	struct rbi_scan_dir dir[2];
	union {
		struct rbi_quic_conn quic;
		struct rbi_scan_dns dns;
	};
};

struct rbi_scan {
	const struct rbi_policy *policy;
	rbi_scan_emit_fn emit;
	void *ctx;
	uint64_t now;
	uint64_t next_sweep;	/* capture time of the next idle sweep */
	struct rbi_flowtab *flows;	/* each with its rbi_scan_flow */
	struct rbi_reasm_pool pool;
	struct rbi_ipfrag *frags;
	struct rbi_learn *learn;
	struct rbi_quic *quic;
	struct rbi_scan_stats st;
	/* The dissectors' outputs: too big for the stack, one at a time. */
	struct rbi_tls_hello hello;
	struct rbi_http_req http;
	struct rbi_rtsp_req rtsp;
	struct rbi_dns_answer_set answers;
	char name[RBI_NAME_BUF];
};

/* Records why a flow may end up unnamed, unless a stronger reason holds. */
static inline void rbi_scan_why(struct rbi_scan_flow *f,
				enum rbi_scan_unnamed why)
{
	if (why > f->why)
		f->why = (uint8_t)why;
}

/* scan.c: flow lifecycle, classification and reports */
void rbi_scan_release(struct rbi_scan *s, struct rbi_scan_dir *d);
void rbi_scan_flow_of(const struct rbi_scan *s, uint32_t idx,
		      const struct rbi_scan_flow *f, const char *name,
		      struct rbi_flow *fl);
bool rbi_scan_report(struct rbi_scan *s, uint32_t idx,
		     const struct rbi_scan_flow *f, const char *name,
		     uint64_t ts, bool need_match);
void rbi_scan_decide(struct rbi_scan *s, uint32_t idx,
		     struct rbi_scan_flow *f, const char *name);
void rbi_scan_claim(struct rbi_scan_flow *f, unsigned int client,
		    enum rbi_app app);
void rbi_scan_named(struct rbi_scan *s, uint32_t idx,
		    struct rbi_scan_flow *f, unsigned int client,
		    enum rbi_app app, const char *name);
bool rbi_scan_buffer(struct rbi_scan *s, uint32_t idx,
		     struct rbi_scan_flow *f, unsigned int side);

/* tcp.c: TCP streams, their dissectors and DNS over TCP */
/*
 * Parses a client's HTTP or RTSP (app) request; *name gets its host, ""
 * when it has none or is not whole.
 */
enum rbi_parse_result rbi_scan_request(struct rbi_scan *s, enum rbi_app app,
				       const uint8_t *buf, size_t len,
				       const char **name);
void rbi_scan_dir_done(struct rbi_scan *s, uint32_t idx,
		       struct rbi_scan_flow *f, unsigned int side);
bool rbi_scan_reused(const struct rbi_scan_flow *f, unsigned int side,
		     const struct rbi_frame *pkt);
void rbi_scan_tcp(struct rbi_scan *s, uint32_t idx,
		  struct rbi_scan_flow *f, unsigned int side,
		  const struct rbi_frame *pkt);

/* dns.c: DNS messages: questions name flows, answers teach */
bool rbi_scan_dns_msg(struct rbi_scan *s, uint32_t idx,
		      struct rbi_scan_flow *f, unsigned int side,
		      const uint8_t *msg, size_t len);

/* quic_flow.c: QUIC flows, named by the client Initial */
void rbi_scan_quic(struct rbi_scan *s, uint32_t idx,
		   struct rbi_scan_flow *f, unsigned int side,
		   const uint8_t *data, size_t len);

/* watch.c: the camera-analytics marker watch */
void rbi_scan_watch_end(struct rbi_scan *s, uint32_t idx,
			struct rbi_scan_flow *f);
bool rbi_scan_watch_check(struct rbi_scan *s, uint32_t idx,
			  struct rbi_scan_flow *f);
void rbi_scan_named_request(struct rbi_scan *s, uint32_t idx,
			    struct rbi_scan_flow *f,
			    unsigned int client, enum rbi_app app,
			    const char *name, const uint8_t *buf,
			    size_t len);
bool rbi_scan_mark(struct rbi_scan_flow *f, unsigned int side,
		   const uint8_t *buf, size_t len);
bool rbi_scan_watch_more(struct rbi_scan *s, uint32_t idx,
			 struct rbi_scan_flow *f, unsigned int side,
			 size_t len, bool grew);

#endif
