/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Capture writing for the scanner's tests and benchmark: pcap and pcapng
 * files of any link type the scanner reads (and one it must refuse),
 * with IPv4/IPv6 (extension headers, fragments, tunnels), TCP sessions,
 * UDP, and the client messages the dissectors look for. Records can be
 * cut by a snapshot length or written corrupt on purpose.
 *
 * Written from the RFCs, not from the scanner's decoder, so that the two
 * check each other.
 */
#ifndef RBI_CAPGEN_H
#define RBI_CAPGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum rbi_cg_link {
	RBI_CG_ETHER,
	RBI_CG_VLAN,		/* one 802.1Q tag */
	RBI_CG_QINQ,		/* 802.1ad outer tag, 802.1Q inner */
	RBI_CG_SLL,
	RBI_CG_SLL2,
	RBI_CG_RAW,		/* LINKTYPE_RAW */
	RBI_CG_IPV4,		/* LINKTYPE_IPV4 */
	RBI_CG_IPV6,		/* LINKTYPE_IPV6 */
	RBI_CG_PPP,		/* protocol field only */
	RBI_CG_PPP_HDLC,	/* ff 03 and a compressed protocol field */
	RBI_CG_PPPOE,		/* Ethernet, PPPoE session, PPP */
	RBI_CG_PPP_ETHER,	/* LINKTYPE_PPP_ETHER: PPPoE without Ethernet */
	RBI_CG_NULL_LE,		/* BSD loopback, little-endian writer */
	RBI_CG_NULL_BE,		/* BSD loopback, big-endian writer */
	RBI_CG_LOOP,		/* OpenBSD loopback */
	RBI_CG_RADIOTAP,	/* 802.11: a link type rbictl refuses */
	__RBI_CG_LINK_MAX
};

enum {
	RBI_CG_FRAME_MAX = 65600,
	RBI_CG_PAD_MAX = 4096,	/* padding a ClientHello may carry */
	RBI_CG_TCP_FIN = 0x01,
	RBI_CG_TCP_SYN = 0x02,
	RBI_CG_TCP_RST = 0x04,
	RBI_CG_TCP_PSH = 0x08,
	RBI_CG_TCP_ACK = 0x10,
	RBI_CG_TCP = 6,
	RBI_CG_UDP = 17,
};

struct rbi_cg {
	FILE *f;
	enum rbi_cg_link link;
	bool ng;		/* pcapng instead of pcap */
	uint32_t snaplen;
	uint64_t ts;		/* microseconds, stepped per record */
	uint32_t step;		/* microseconds between records */
	uint16_t ipid;
	uint64_t records;
	uint8_t frame[RBI_CG_FRAME_MAX];
	uint8_t l3[RBI_CG_FRAME_MAX];
};

/* One side of a conversation and the other; addresses as text. */
struct rbi_cg_flow {
	int family;		/* 4 or 6 */
	uint8_t client[16];
	uint8_t server[16];
	uint16_t cport;
	uint16_t sport;
	uint32_t cseq;		/* next sequence numbers */
	uint32_t sseq;
};

int rbi_cg_open(struct rbi_cg *g, const char *path, enum rbi_cg_link link,
		bool ng, uint32_t snaplen, uint64_t ts);
int rbi_cg_close(struct rbi_cg *g);

/* A record of frame[0..len), cut to the snapshot length. */
void rbi_cg_record(struct rbi_cg *g, const uint8_t *frame, size_t len);
/* A record whose captured length lies (pcap only): libpcap must refuse. */
void rbi_cg_record_corrupt(struct rbi_cg *g);
/* The first part of a record only, as a file cut in the middle. */
void rbi_cg_record_partial(struct rbi_cg *g, const uint8_t *frame,
			   size_t len);

/* An IP packet (version by its first nibble) in the file's link layer. */
void rbi_cg_l3(struct rbi_cg *g, const uint8_t *ip, size_t len);
/* The same framed, without writing it: the frame's length. */
size_t rbi_cg_frame(struct rbi_cg *g, const uint8_t *ip, size_t len);

void rbi_cg_flow(struct rbi_cg_flow *fl, const char *client, uint16_t cport,
		 const char *server, uint16_t sport);

/*
 * An IP header for fl's direction around l4[0..len) into out: IPv4 with
 * fragment fields, or IPv6 with ext[0..ext_len) (next headers already
 * chained, the last one's Next Header is patched to nh). Returns the
 * packet's length.
 */
size_t rbi_cg_ip(struct rbi_cg *g, const struct rbi_cg_flow *fl,
		 bool from_client, uint8_t proto, const uint8_t *l4,
		 size_t len, uint8_t *out);
size_t rbi_cg_ip4_frag(const uint8_t src[4], const uint8_t dst[4],
		       uint8_t proto, uint16_t id, uint32_t off, bool more,
		       const uint8_t *data, size_t len, uint8_t *out);
size_t rbi_cg_ip6(const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
		  const uint8_t *payload, size_t len, uint8_t *out);

/* TCP or UDP bytes (header and payload) of fl's direction into out. */
size_t rbi_cg_tcp_bytes(const struct rbi_cg_flow *fl, bool from_client,
			uint8_t flags, uint32_t seq, uint32_t ack,
			const uint8_t *data, size_t len, uint8_t *out);
size_t rbi_cg_udp_bytes(const struct rbi_cg_flow *fl, bool from_client,
			const uint8_t *data, size_t len, uint8_t *out);

/* Writes one TCP segment at sequence number seq (not advancing). */
void rbi_cg_tcp(struct rbi_cg *g, const struct rbi_cg_flow *fl,
		bool from_client, uint8_t flags, uint32_t seq,
		const uint8_t *data, size_t len);
void rbi_cg_tcp_open(struct rbi_cg *g, struct rbi_cg_flow *fl);
/* Sends data in segments of at most mss bytes, advancing the sequence. */
void rbi_cg_tcp_send(struct rbi_cg *g, struct rbi_cg_flow *fl,
		     bool from_client, const uint8_t *data, size_t len,
		     size_t mss);
void rbi_cg_tcp_close(struct rbi_cg *g, struct rbi_cg_flow *fl);
void rbi_cg_udp(struct rbi_cg *g, const struct rbi_cg_flow *fl,
		bool from_client, const uint8_t *data, size_t len);

/* Client messages. Each returns its length in out. */
size_t rbi_cg_client_hello(uint8_t *out, const char *sni, bool ech,
			   bool record, size_t pad);
size_t rbi_cg_http_get(uint8_t *out, const char *host, const char *path);
size_t rbi_cg_rtsp_describe(uint8_t *out, const char *url);
size_t rbi_cg_dns_query(uint8_t *out, uint16_t id, const char *name,
			uint16_t qtype);
/*
 * A response to a query for name: an optional CNAME to cname, then one A
 * record (addr4) or AAAA record (addr6) owned by the last name.
 */
size_t rbi_cg_dns_answer(uint8_t *out, uint16_t id, const char *name,
			 const char *cname, const char *addr, uint32_t ttl);
/* A gQUIC CHLO handshake message with sni (a PAD tag, then SNI). */
size_t rbi_cg_chlo(uint8_t *out, const char *sni);
/* A clear-text Google QUIC Q046 packet carrying a CHLO with sni. */
size_t rbi_cg_gquic_chlo(uint8_t *out, const char *sni);

#endif
