// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Writes the captures the scan suite checks, into the directory given:
 * every link type rbictl reads (and one it refuses), IPv4 and IPv6
 * fragments, IPv6 extension headers and a 6in4 tunnel, TCP cut into
 * segments in and out of order (down to single bytes interleaved),
 * retransmitted and overlapping, a stream
 * picked up in the middle, a reused port, snapshot-length cuts, corrupt
 * and truncated files, streams picked up mid-way (after an upload, after
 * the TLS handshake, in RTSP's interleaved video), QUIC v1, v2, drafts 22, 27 and 29, mvfst on
 * drafts 22 and 27, T050, T051 and Q050 (a CHLO) Initials (one
 * ClientHello across two packets with its CRYPTO frames out of order),
 * a gQUIC CHLO, DNS over UDP and TCP teaching addresses, RTSP and ECH,
 * and camera analytics: face-library requests, face events and ONVIF face
 * metadata, asked for by the client or streamed by the camera.
 * Every capture is deterministic, so that the suite compares rbictl's
 * output with expected files byte for byte.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capgen.h"
#include "scan/quic.h"

#define REKOG		"rekognition.eu-west-1.amazonaws.com"
#define CAM4		"10.20.0.5"
#define CAM6		"2001:db8:20::5"
#define REKOG4		"198.51.100.7"
#define REKOG6		"2001:db8:100::7"
#define WEB4		"203.0.113.10"
#define WEB6		"2001:db8:203::10"
#define DNS4		"10.0.0.53"

enum {
	GEN_T0_SEC = 1709287200,	/* 2024-03-01T10:00:00Z */
	GEN_SNAPLEN = 65535,
	GEN_MSS = 1400,
	GEN_BUF = 8192,
};

static const char *gen_dir;
static uint64_t gen_clock = (uint64_t)GEN_T0_SEC * 1000000;

static void gen_open(struct rbi_cg *g, const char *name,
		     enum rbi_cg_link link, bool ng, uint32_t snaplen)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", gen_dir, name);
	if (rbi_cg_open(g, path, link, ng, snaplen, gen_clock)) {
		perror(path);
		exit(1);
	}
	/* Each capture starts a minute after the last, for distinct times. */
	gen_clock += 60ull * 1000000;
}

static void gen_close(struct rbi_cg *g)
{
	if (rbi_cg_close(g)) {
		perror("write");
		exit(1);
	}
}

/* A whole TLS connection whose ClientHello names sni (NULL: none). */
static void gen_tls(struct rbi_cg *g, const char *c, uint16_t cport,
		    const char *s, const char *sni, bool ech)
{
	static uint8_t hello[GEN_BUF];
	struct rbi_cg_flow fl;
	size_t n = rbi_cg_client_hello(hello, sni, ech, true, 0);

	rbi_cg_flow(&fl, c, cport, s, 443);
	rbi_cg_tcp_open(g, &fl);
	rbi_cg_tcp_send(g, &fl, true, hello, n, GEN_MSS);
	rbi_cg_tcp_send(g, &fl, false, (const uint8_t *)"\x16\x03\x03\0\0", 5,
			GEN_MSS);
	rbi_cg_tcp_close(g, &fl);
}

static void gen_http(struct rbi_cg *g, const char *c, uint16_t cport,
		     const char *s, uint16_t sport, const char *host)
{
	static uint8_t req[GEN_BUF];
	struct rbi_cg_flow fl;
	size_t n = rbi_cg_http_get(req, host, "/");

	rbi_cg_flow(&fl, c, cport, s, sport);
	rbi_cg_tcp_open(g, &fl);
	rbi_cg_tcp_send(g, &fl, true, req, n, GEN_MSS);
	rbi_cg_tcp_send(g, &fl, false,
			(const uint8_t *)"HTTP/1.1 204 No Content\r\n\r\n", 27,
			GEN_MSS);
	rbi_cg_tcp_close(g, &fl);
}

static void gen_dns(struct rbi_cg *g, const char *c, uint16_t cport,
		    const char *name, const char *cname, const char *addr)
{
	uint8_t msg[512];
	struct rbi_cg_flow fl;

	rbi_cg_flow(&fl, c, cport, strchr(c, ':') ? "2001:db8::53" : DNS4,
		    53);
	rbi_cg_udp(g, &fl, true, msg, rbi_cg_dns_query(msg, cport, name,
						       strchr(addr, ':') ?
						       28 : 1));
	rbi_cg_udp(g, &fl, false, msg, rbi_cg_dns_answer(msg, cport, name,
							 cname, addr, 300));
}

/* One file per link type: the same three flows in each framing. */
static void gen_links(void)
{
	static const struct {
		const char *file;
		enum rbi_cg_link link;
	} links[] = {
		{ "link-ether.pcap", RBI_CG_ETHER },
		{ "link-vlan.pcap", RBI_CG_VLAN },
		{ "link-qinq.pcap", RBI_CG_QINQ },
		{ "link-sll.pcap", RBI_CG_SLL },
		{ "link-sll2.pcap", RBI_CG_SLL2 },
		{ "link-raw.pcap", RBI_CG_RAW },
		{ "link-ipv4.pcap", RBI_CG_IPV4 },
		{ "link-ipv6.pcap", RBI_CG_IPV6 },
		{ "link-ppp.pcap", RBI_CG_PPP },
		{ "link-ppp-hdlc.pcap", RBI_CG_PPP_HDLC },
		{ "link-pppoe.pcap", RBI_CG_PPPOE },
		{ "link-ppp-ether.pcap", RBI_CG_PPP_ETHER },
		{ "link-null-le.pcap", RBI_CG_NULL_LE },
		{ "link-null-be.pcap", RBI_CG_NULL_BE },
		{ "link-loop.pcap", RBI_CG_LOOP },
	};
	struct rbi_cg g;
	size_t i;

	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		gen_open(&g, links[i].file, links[i].link, false,
			 GEN_SNAPLEN);
		if (links[i].link != RBI_CG_IPV6) {
			gen_dns(&g, CAM4, 40000, REKOG, NULL, REKOG4);
			gen_tls(&g, CAM4, 40001, REKOG4, REKOG, false);
		}
		if (links[i].link != RBI_CG_IPV4)
			gen_http(&g, CAM6, 40002, WEB6, 80, "www.example.com");
		gen_close(&g);
	}
	gen_open(&g, "link-radiotap.pcap", RBI_CG_RADIOTAP, false,
		 GEN_SNAPLEN);
	gen_tls(&g, CAM4, 40001, REKOG4, REKOG, false);
	gen_close(&g);
}

/* Fragments of an IPv4 datagram, written in the order given. */
static void gen_frag4(struct rbi_cg *g, const struct rbi_cg_flow *fl,
		      uint8_t proto, uint16_t id, const uint8_t *l4,
		      size_t len, const size_t *cuts, const int *order,
		      int n)
{
	uint8_t pkt[GEN_BUF];
	size_t from, to;
	int i, k;

	for (i = 0; i < n; i++) {
		k = order[i];
		from = k ? cuts[k - 1] : 0;
		to = k < n - 1 ? cuts[k] : len;
		rbi_cg_l3(g, pkt, rbi_cg_ip4_frag(fl->client, fl->server,
						  proto, id, (uint32_t)from,
						  k < n - 1, l4 + from,
						  to - from, pkt));
	}
}

/*
 * IPv4 fragments: a DNS answer in three (last first) that teaches the
 * service address, then a ClientHello without SNI in two fragments (in
 * reverse) to that address: blocked as learned.
 */
static void gen_frag_v4(void)
{
	static const size_t dns_cuts[] = { 24, 48 };
	static const size_t tls_cuts[] = { 64 };
	static const int three[] = { 2, 0, 1 }, two[] = { 1, 0 };
	uint8_t msg[GEN_BUF], l4[GEN_BUF];
	struct rbi_cg_flow fl, rev;
	struct rbi_cg g;
	size_t n;

	gen_open(&g, "frag-v4.pcap", RBI_CG_ETHER, false, GEN_SNAPLEN);
	rbi_cg_flow(&fl, CAM4, 41000, DNS4, 53);
	rbi_cg_udp(&g, &fl, true, msg, rbi_cg_dns_query(msg, 7, "faces.city."
							"example", 1));
	rbi_cg_flow(&rev, DNS4, 53, CAM4, 41000);
	n = rbi_cg_dns_answer(msg, 7, "faces.city.example", REKOG, REKOG4,
			      600);
	n = rbi_cg_udp_bytes(&rev, true, msg, n, l4);
	gen_frag4(&g, &rev, RBI_CG_UDP, 0x4242, l4, n, dns_cuts, three, 3);
	rbi_cg_flow(&fl, CAM4, 41001, REKOG4, 443);
	rbi_cg_tcp_open(&g, &fl);
	n = rbi_cg_client_hello(msg, NULL, false, true, 0);
	n = rbi_cg_tcp_bytes(&fl, true, RBI_CG_TCP_ACK | RBI_CG_TCP_PSH,
			     fl.cseq, fl.sseq, msg, n, l4);
	gen_frag4(&g, &fl, RBI_CG_TCP, 0x4343, l4, n, tls_cuts, two, 2);
	gen_close(&g);
}

/*
 * An IPv6 datagram cut into fragments after a Hop-by-Hop header, with a
 * Destination Options header inside the fragmentable part; pieces is a
 * list of [from, to) in the order they are sent, overlaps allowed.
 */
static void gen_frag6(struct rbi_cg *g, const struct rbi_cg_flow *fl,
		      uint8_t proto, uint32_t id, const uint8_t *l4,
		      size_t len, const size_t (*pieces)[2], int n)
{
	uint8_t body[GEN_BUF], pkt[GEN_BUF];
	size_t total = 8 + len, from, to, k;
	int i;

	/* Destination Options, 8 bytes: PadN. */
	memcpy(body, "\0\0\x01\x04\0\0\0\0", 8);
	body[0] = proto;
	memcpy(body + 8, l4, len);
	for (i = 0; i < n; i++) {
		from = pieces[i][0];
		to = pieces[i][1] ? pieces[i][1] : total;
		/* Hop-by-Hop (8 bytes, PadN), then Fragment. */
		memcpy(pkt, "\x2c\0\x01\x04\0\0\0\0", 8);
		pkt[8] = 60;
		pkt[9] = 0;
		pkt[10] = (uint8_t)(from >> 8);
		pkt[11] = (uint8_t)((from & 0xf8) | (to < total));
		pkt[12] = (uint8_t)(id >> 24);
		pkt[13] = (uint8_t)(id >> 16);
		pkt[14] = (uint8_t)(id >> 8);
		pkt[15] = (uint8_t)id;
		memcpy(pkt + 16, body + from, to - from);
		k = rbi_cg_ip6(fl->client, fl->server, 0, pkt, 16 + to - from,
			       g->l3);
		rbi_cg_l3(g, g->l3, k);
	}
}

/* IPv6 fragments: a ClientHello in three pieces, the middle one twice. */
static void gen_frag_v6(void)
{
	static const size_t pieces[][2] = {
		{ 0, 96 }, { 160, 0 }, { 88, 168 }, { 96, 160 },
	};
	uint8_t msg[GEN_BUF], l4[GEN_BUF];
	struct rbi_cg_flow fl;
	struct rbi_cg g;
	size_t n;

	gen_open(&g, "frag-v6.pcap", RBI_CG_ETHER, false, GEN_SNAPLEN);
	rbi_cg_flow(&fl, CAM6, 42000, REKOG6, 443);
	rbi_cg_tcp_open(&g, &fl);
	n = rbi_cg_client_hello(msg, REKOG, false, true, 0);
	n = rbi_cg_tcp_bytes(&fl, true, RBI_CG_TCP_ACK | RBI_CG_TCP_PSH,
			     fl.cseq, fl.sseq, msg, n, l4);
	gen_frag6(&g, &fl, RBI_CG_TCP, 0x01020304, l4, n, pieces, 4);
	gen_close(&g);
}

/*
 * IPv6 extension headers before TCP (Hop-by-Hop, Routing, Destination
 * Options) and before UDP (Authentication Header), and IPv6 in IPv4.
 */
static void gen_ext_v6(void)
{
	uint8_t msg[GEN_BUF], l4[GEN_BUF], pkt[GEN_BUF], outer[GEN_BUF];
	struct rbi_cg_flow fl;
	struct rbi_cg g;
	size_t n;
	uint8_t tun_src[4] = { 192, 0, 2, 1 }, tun_dst[4] = { 192, 0, 2, 2 };

	gen_open(&g, "ext-v6.pcap", RBI_CG_ETHER, false, GEN_SNAPLEN);
	rbi_cg_flow(&fl, CAM6, 43000, WEB6, 443);
	n = rbi_cg_client_hello(msg, "www.example.com", false, true, 0);
	n = rbi_cg_tcp_bytes(&fl, true, RBI_CG_TCP_SYN, fl.cseq - 1, 0, NULL,
			     0, l4);
	/* HBH (8), Routing type 0 with no segments left (8), DstOpts (8). */
	memcpy(pkt, "\x2b\0\x01\x04\0\0\0\0", 8);
	memcpy(pkt + 8, "\x3c\0\0\0\0\0\0\0", 8);
	memcpy(pkt + 16, "\x06\0\x01\x04\0\0\0\0", 8);
	memcpy(pkt + 24, l4, n);
	rbi_cg_l3(&g, g.l3, rbi_cg_ip6(fl.client, fl.server, 0, pkt, 24 + n,
				       g.l3));
	n = rbi_cg_client_hello(msg, "www.example.com", false, true, 0);
	n = rbi_cg_tcp_bytes(&fl, true, RBI_CG_TCP_ACK | RBI_CG_TCP_PSH,
			     fl.cseq, fl.sseq, msg, n, l4);
	memcpy(pkt + 24, l4, n);
	rbi_cg_l3(&g, g.l3, rbi_cg_ip6(fl.client, fl.server, 0, pkt, 24 + n,
				       g.l3));
	/* AH: next header, length 4 (24 bytes), reserved, SPI, seq, ICV. */
	rbi_cg_flow(&fl, CAM6, 43001, "2001:db8::53", 53);
	n = rbi_cg_dns_query(msg, 9, "ah.example", 28);
	n = rbi_cg_udp_bytes(&fl, true, msg, n, l4);
	memset(pkt, 0, 24);
	pkt[0] = RBI_CG_UDP;
	pkt[1] = 4;
	memcpy(pkt + 24, l4, n);
	rbi_cg_l3(&g, g.l3, rbi_cg_ip6(fl.client, fl.server, 51, pkt, 24 + n,
				       g.l3));
	/* 6in4 (protocol 41): a whole IPv6 packet inside IPv4. */
	rbi_cg_flow(&fl, CAM6, 43002, WEB6, 443);
	n = rbi_cg_client_hello(msg, "tunnel.example", false, true, 0);
	n = rbi_cg_tcp_bytes(&fl, true, RBI_CG_TCP_ACK | RBI_CG_TCP_PSH,
			     fl.cseq, fl.sseq, msg, n, l4);
	n = rbi_cg_ip6(fl.client, fl.server, RBI_CG_TCP, l4, n, pkt);
	rbi_cg_l3(&g, outer, rbi_cg_ip4_frag(tun_src, tun_dst, 41, 1, 0,
					     false, pkt, n, outer));
	gen_close(&g);
}

/* Writes hello bytes [from, to) of fl's client stream, not advancing. */
static void gen_seg(struct rbi_cg *g, const struct rbi_cg_flow *fl,
		    const uint8_t *data, size_t from, size_t to)
{
	rbi_cg_tcp(g, fl, true, RBI_CG_TCP_ACK | RBI_CG_TCP_PSH,
		   fl->cseq + (uint32_t)from, data + from, to - from);
}

static void gen_segments_tls(struct rbi_cg *g)
{
	uint8_t hello[GEN_BUF], liar[GEN_BUF];
	struct rbi_cg_flow fl;
	size_t n, i;

	/* A 1.5 KiB ClientHello in three segments, in order. */
	rbi_cg_flow(&fl, CAM4, 44000, WEB4, 443);
	rbi_cg_tcp_open(g, &fl);
	n = rbi_cg_client_hello(hello, "three.example", false, true, 1200);
	rbi_cg_tcp_send(g, &fl, true, hello, n, 600);
	rbi_cg_tcp_close(g, &fl);
	/* Out of order: the last piece first, then the first, the middle. */
	rbi_cg_flow(&fl, CAM4, 44001, WEB4, 443);
	rbi_cg_tcp_open(g, &fl);
	n = rbi_cg_client_hello(hello, "shuffled.example", false, true, 1200);
	gen_seg(g, &fl, hello, 1000, n);
	gen_seg(g, &fl, hello, 0, 500);
	gen_seg(g, &fl, hello, 500, 1000);
	/*
	 * A retransmission that overlaps and says another name: the first
	 * copy of each byte stands.
	 */
	rbi_cg_flow(&fl, CAM4, 44002, WEB4, 443);
	rbi_cg_tcp_open(g, &fl);
	n = rbi_cg_client_hello(hello, "first.example", false, true, 0);
	rbi_cg_client_hello(liar, "liars.example", false, true, 0);
	gen_seg(g, &fl, hello, 0, 130);
	gen_seg(g, &fl, liar, 0, n);
	/* Bytes before the stream's first byte are not stream bytes. */
	rbi_cg_flow(&fl, CAM4, 44003, WEB4, 443);
	rbi_cg_tcp_open(g, &fl);
	n = rbi_cg_client_hello(hello, "before.example", false, true, 0);
	rbi_cg_tcp(g, &fl, true, RBI_CG_TCP_ACK, fl.cseq - 100, hello, 50);
	rbi_cg_tcp_send(g, &fl, true, hello, n, GEN_MSS);
	/*
	 * A byte per segment, every other byte first: hundreds of holes at
	 * once, all filled in the end.
	 */
	rbi_cg_flow(&fl, CAM4, 44004, WEB4, 443);
	rbi_cg_tcp_open(g, &fl);
	n = rbi_cg_client_hello(hello, "interleaved.example", false, true, 0);
	for (i = 1; i < n; i += 2)
		gen_seg(g, &fl, hello, i, i + 1);
	for (i = 0; i < n; i += 2)
		gen_seg(g, &fl, hello, i, i + 1);
	/*
	 * The shuffled connection's ports again, with another initial
	 * sequence number and no FIN seen: a new connection all the same.
	 */
	rbi_cg_flow(&fl, CAM4, 44001, WEB4, 443);
	fl.cseq = 777777;
	rbi_cg_tcp_open(g, &fl);
	n = rbi_cg_client_hello(hello, "reopened.example", false, true, 0);
	rbi_cg_tcp_send(g, &fl, true, hello, n, GEN_MSS);
}

static void gen_segments_http(struct rbi_cg *g)
{
	static const char body[] = "tail of an earlier upload\r\n";
	uint8_t req[GEN_BUF];
	struct rbi_cg_flow fl;
	size_t n;

	/* One byte per segment. */
	rbi_cg_flow(&fl, CAM4, 45000, WEB4, 80);
	rbi_cg_tcp_open(g, &fl);
	n = rbi_cg_http_get(req, "bytewise.example", "/");
	rbi_cg_tcp_send(g, &fl, true, req, n, 1);
	/*
	 * Picked up in the middle (no SYN): the end of a body, then the next
	 * request on the keep-alive connection, which names the flow.
	 */
	rbi_cg_flow(&fl, CAM4, 45001, WEB4, 80);
	rbi_cg_tcp_send(g, &fl, true, (const uint8_t *)body,
			sizeof(body) - 1, GEN_MSS);
	n = rbi_cg_http_get(req, "midstream.example", "/next");
	rbi_cg_tcp_send(g, &fl, true, req, n, GEN_MSS);
	/* A closed connection, then a new one on the same ports. */
	gen_http(g, CAM4, 45002, WEB4, 80, "first-use.example");
	gen_http(g, CAM4, 45002, WEB4, 80, "port-reused.example");
}

static void gen_segments(void)
{
	struct rbi_cg g;

	gen_open(&g, "segments.pcap", RBI_CG_ETHER, false, GEN_SNAPLEN);
	gen_segments_tls(&g);
	gen_segments_http(&g);
	gen_close(&g);
}

/*
 * A snapshot length of 96 bytes: the DNS query is whole, the ClientHello
 * and the fragment are cut. Then the same capture written corrupt, and
 * one whose last record is cut off mid-way.
 */
static void gen_damaged(void)
{
	static const size_t cuts[] = { 80 };
	static const int order[] = { 0, 1 };
	uint8_t msg[GEN_BUF], l4[GEN_BUF];
	struct rbi_cg_flow fl;
	struct rbi_cg g;
	size_t n;

	gen_open(&g, "snaplen.pcap", RBI_CG_ETHER, false, 96);
	gen_dns(&g, CAM4, 46000, "cut.example", NULL, "192.0.2.80");
	gen_tls(&g, CAM4, 46001, REKOG4, REKOG, false);
	rbi_cg_flow(&fl, CAM4, 46002, DNS4, 53);
	n = rbi_cg_dns_query(msg, 1, "a-long-name-in-two-fragments.the-first-"
			     "of-them-cut.example", 1);
	n = rbi_cg_udp_bytes(&fl, true, msg, n, l4);
	gen_frag4(&g, &fl, RBI_CG_UDP, 0x7777, l4, n, cuts, order, 2);
	gen_close(&g);

	gen_open(&g, "corrupt.pcap", RBI_CG_ETHER, false, GEN_SNAPLEN);
	gen_dns(&g, CAM4, 46100, "before-damage.example", NULL, "192.0.2.81");
	rbi_cg_record_corrupt(&g);
	gen_dns(&g, CAM4, 46101, "after-damage.example", NULL, "192.0.2.82");
	gen_close(&g);

	gen_open(&g, "truncated.pcap", RBI_CG_ETHER, false, GEN_SNAPLEN);
	gen_http(&g, CAM4, 46200, WEB4, 80, "whole.example");
	n = rbi_cg_http_get(msg, "cut-off.example", "/");
	rbi_cg_flow(&fl, CAM4, 46201, WEB4, 80);
	n = rbi_cg_tcp_bytes(&fl, true, RBI_CG_TCP_SYN, 999, 0, NULL, 0, l4);
	n = rbi_cg_ip(&g, &fl, true, RBI_CG_TCP, l4, n, g.l3);
	rbi_cg_record_partial(&g, g.frame, rbi_cg_frame(&g, g.l3, n));
	gen_close(&g);
}

/* A client Initial; damaged, it is one that client keys cannot open. */
static void gen_initial(struct rbi_cg *g, struct rbi_quic *q,
			const struct rbi_cg_flow *fl, uint32_t version,
			const struct rbi_quic_piece *pieces, unsigned int n,
			uint32_t pn, bool damaged)
{
	static const uint8_t dcid[8] = { 0x83, 0x94, 0xc8, 0xf0,
					 0x3e, 0x51, 0x57, 0x08 };
	uint8_t pkt[2048];
	size_t len;

	len = rbi_quic_build_initial(q, version, dcid, sizeof(dcid),
				     (const uint8_t *)"\x01\x02\x03\x04", 4,
				     pn, pieces, n, 1200, pkt, sizeof(pkt));
	if (!len) {
		fprintf(stderr, "gen_captures: QUIC Initial failed\n");
		exit(1);
	}
	if (damaged)
		pkt[len - 1] ^= 0x80;
	rbi_cg_udp(g, fl, true, pkt, len);
}

/* One Initial carrying a whole ClientHello for sni. */
static void gen_quic_one(struct rbi_cg *g, struct rbi_quic *q,
			 const char *c, uint16_t cport, const char *s,
			 uint32_t version, const char *sni)
{
	uint8_t hello[GEN_BUF];
	struct rbi_quic_piece piece = { hello, 0, 0 };
	struct rbi_cg_flow fl;

	piece.len = (uint32_t)rbi_cg_client_hello(hello, sni, false, false, 0);
	rbi_cg_flow(&fl, c, cport, s, 443);
	gen_initial(g, q, &fl, version, &piece, 1, 0, false);
}

/* Q050: a CHLO, not a ClientHello, in the CRYPTO frames of an Initial. */
static void gen_quic_q050(struct rbi_cg *g, struct rbi_quic *q,
			  uint16_t cport, const char *sni)
{
	uint8_t chlo[GEN_BUF];
	struct rbi_quic_piece piece = { chlo, 0, 0 };
	struct rbi_cg_flow fl;

	piece.len = (uint32_t)rbi_cg_chlo(chlo, sni);
	rbi_cg_flow(&fl, CAM4, cport, WEB4, 443);
	gen_initial(g, q, &fl, 0x51303530, &piece, 1, 0, false);
}

/*
 * A ClientHello of about 1.6 KiB across two Initials, shuffled as Chrome
 * does: the first packet holds its end and its start, the second the
 * middle. Before them, a server's Initial, which client keys do not open.
 */
static void gen_quic_split(struct rbi_cg *g, struct rbi_quic *q)
{
	uint8_t hello[GEN_BUF];
	struct rbi_quic_piece first[2], second[1];
	struct rbi_cg_flow fl, rev;
	uint32_t n;

	n = (uint32_t)rbi_cg_client_hello(hello, "split.example", false,
					  false, 1400);
	first[0] = (struct rbi_quic_piece){ hello + 900, 900, n - 900 };
	first[1] = (struct rbi_quic_piece){ hello, 0, 300 };
	second[0] = (struct rbi_quic_piece){ hello + 300, 300, 600 };
	rbi_cg_flow(&fl, CAM4, 47010, WEB4, 443);
	rbi_cg_flow(&rev, WEB4, 443, CAM4, 47010);
	gen_initial(g, q, &rev, 1, second, 1, 0, true);
	gen_initial(g, q, &fl, 1, first, 2, 0, false);
	gen_initial(g, q, &fl, 1, second, 1, 1, false);
}

static void gen_quic(void)
{
	struct rbi_quic *q = rbi_quic_alloc();
	uint8_t pkt[2048];
	struct rbi_cg_flow fl;
	struct rbi_cg g;

	if (!q)
		exit(1);
	gen_open(&g, "quic.pcapng", RBI_CG_ETHER, true, GEN_SNAPLEN);
	gen_quic_one(&g, q, CAM4, 47000, REKOG4, 0x00000001, REKOG);
	gen_quic_one(&g, q, CAM6, 47001, WEB6, 0x6b3343cf, "v2.example");
	gen_quic_one(&g, q, CAM4, 47002, WEB4, 0xff00001d, "draft29.example");
	gen_quic_one(&g, q, CAM4, 47003, WEB4, 0x54303531, "t051.example");
	gen_quic_one(&g, q, CAM4, 47004, WEB4, 0x54303530, "t050.example");
	gen_quic_one(&g, q, CAM4, 47005, WEB4, 0xff000016, "draft22.example");
	gen_quic_one(&g, q, CAM4, 47006, WEB4, 0xff00001b, "draft27.example");
	gen_quic_one(&g, q, CAM4, 47007, WEB4, 0xfaceb001, "mvfst22.example");
	gen_quic_one(&g, q, CAM4, 47008, WEB4, 0xfaceb002, "mvfst27.example");
	gen_quic_q050(&g, q, 47009, "q050.example");
	gen_quic_split(&g, q);
	rbi_cg_flow(&fl, CAM4, 47020, WEB4, 443);
	rbi_cg_udp(&g, &fl, true, pkt, rbi_cg_gquic_chlo(pkt, "gquic.example"));
	gen_close(&g);
	rbi_quic_free(q);
}

/*
 * DNS: a stub resolver walking its search list on one socket (the second
 * question names the service), DNS over TCP that teaches an address, an
 * answer whose query was not captured, and the flows that follow.
 */
static void gen_dns_file(void)
{
	uint8_t msg[512], framed[514];
	struct rbi_cg_flow fl;
	struct rbi_cg g;
	size_t n;

	gen_open(&g, "dns.pcap", RBI_CG_ETHER, false, GEN_SNAPLEN);
	rbi_cg_flow(&fl, CAM4, 48000, DNS4, 53);
	rbi_cg_udp(&g, &fl, true, msg, rbi_cg_dns_query(msg, 1, REKOG
							".city.example", 1));
	rbi_cg_udp(&g, &fl, true, msg, rbi_cg_dns_query(msg, 2, REKOG, 1));
	rbi_cg_udp(&g, &fl, false, msg, rbi_cg_dns_answer(msg, 2, REKOG, NULL,
							  "198.51.100.8", 60));
	rbi_cg_flow(&fl, CAM4, 48001, DNS4, 53);
	rbi_cg_tcp_open(&g, &fl);
	n = rbi_cg_dns_query(msg, 3, "rekognition.us-east-1.amazonaws.com",
			     28);
	framed[0] = (uint8_t)(n >> 8);
	framed[1] = (uint8_t)n;
	memcpy(framed + 2, msg, n);
	rbi_cg_tcp_send(&g, &fl, true, framed, n + 2, GEN_MSS);
	n = rbi_cg_dns_answer(msg, 3, "rekognition.us-east-1.amazonaws.com",
			      NULL, REKOG6, 60);
	framed[0] = (uint8_t)(n >> 8);
	framed[1] = (uint8_t)n;
	memcpy(framed + 2, msg, n);
	rbi_cg_tcp_send(&g, &fl, false, framed, n + 2, 10);
	rbi_cg_tcp_close(&g, &fl);
	rbi_cg_flow(&fl, DNS4, 53, CAM4, 48002);
	rbi_cg_udp(&g, &fl, true, msg, rbi_cg_dns_answer(msg, 4,
							 "answer-only.example",
							 NULL, "192.0.2.90",
							 60));
	gen_tls(&g, CAM4, 48003, "198.51.100.8", NULL, false);
	gen_tls(&g, CAM6, 48004, REKOG6, NULL, false);
	gen_close(&g);
}

/*
 * RTSP pulls from a camera (by a stranger, by the recorder), an HTTP Host
 * with a port, ECH, and flows matched by address alone: the policy's
 * local service network, no payload at all, once with a handshake and
 * once with an unanswered SYN sent twice.
 */
static void gen_misc(void)
{
	uint8_t req[GEN_BUF];
	struct rbi_cg_flow fl;
	struct rbi_cg g;
	size_t n;

	gen_open(&g, "misc.pcap", RBI_CG_ETHER, false, GEN_SNAPLEN);
	rbi_cg_flow(&fl, WEB4, 49000, "10.20.0.9", 554);
	rbi_cg_tcp_open(&g, &fl);
	n = rbi_cg_rtsp_describe(req, "rtsp://10.20.0.9/stream1");
	rbi_cg_tcp_send(&g, &fl, true, req, n, GEN_MSS);
	rbi_cg_flow(&fl, "10.10.0.5", 49001, "10.20.0.9", 554);
	rbi_cg_tcp_open(&g, &fl);
	n = rbi_cg_rtsp_describe(req, "rtsp://cam9.city.example:8554/main");
	rbi_cg_tcp_send(&g, &fl, true, req, n, GEN_MSS);
	gen_http(&g, CAM4, 49002, WEB4, 8080, "www.example.com:8080");
	gen_tls(&g, CAM4, 49003, WEB4, "public.example", true);
	rbi_cg_flow(&fl, CAM4, 49004, "10.10.9.20", 18411);
	rbi_cg_tcp_open(&g, &fl);
	gen_tls(&g, "10.30.5.7", 49005, REKOG4, REKOG, false);
	/*
	 * A SYN to the local service's network sent again a second later,
	 * unanswered (the gateway dropped it): reported then, before the
	 * flow that follows, not at the capture's end.
	 */
	rbi_cg_flow(&fl, CAM4, 49006, "10.10.9.21", 18411);
	rbi_cg_tcp(&g, &fl, true, RBI_CG_TCP_SYN, fl.cseq - 1, NULL, 0);
	g.ts += 1000000;
	rbi_cg_tcp(&g, &fl, true, RBI_CG_TCP_SYN, fl.cseq - 1, NULL, 0);
	gen_http(&g, CAM4, 49007, WEB4, 80, "after-the-syns.example");
	gen_close(&g);
}

static void gen_text(struct rbi_cg *g, struct rbi_cg_flow *fl,
		     bool from_client, const char *text)
{
	rbi_cg_tcp_send(g, fl, from_client, (const uint8_t *)text,
			strlen(text), GEN_MSS);
}

/* TLS application data records of n bytes in all, as either side sends. */
static void gen_tls_records(struct rbi_cg *g, struct rbi_cg_flow *fl,
			    bool from_client, size_t n)
{
	uint8_t rec[GEN_MSS];
	size_t k;

	while (n) {
		k = n < GEN_MSS - 5 ? n : GEN_MSS - 5;
		memcpy(rec, "\x17\x03\x03", 3);
		rec[3] = (uint8_t)(k >> 8);
		rec[4] = (uint8_t)k;
		memset(rec + 5, 0xa5, k);
		rbi_cg_tcp_send(g, fl, from_client, rec, k + 5, GEN_MSS);
		n -= k;
	}
}

/*
 * Captures that start after connections did, none with a SYN: the tail
 * of an upload, then the next request of the keep-alive connection; TLS
 * after its handshake (to the local service, so that it is reported); a
 * ClientHello whose SYN was before the capture; the end of one request
 * head, then another; an RTSP session in the middle of its interleaved
 * video, then its keep-alive request.
 */
static void gen_midstream(void)
{
	uint8_t buf[GEN_BUF];
	struct rbi_cg_flow fl;
	struct rbi_cg g;
	size_t n;
	int i;

	gen_open(&g, "midstream.pcap", RBI_CG_ETHER, false, GEN_SNAPLEN);
	rbi_cg_flow(&fl, CAM4, 45100, WEB4, 80);
	memset(buf, 'u', GEN_MSS);
	for (i = 0; i < 12; i++)
		rbi_cg_tcp_send(&g, &fl, true, buf, GEN_MSS, GEN_MSS);
	gen_text(&g, &fl, false, "HTTP/1.1 201 Created\r\n"
		 "Content-Length: 0\r\n\r\n");
	n = rbi_cg_http_get(buf, "after-upload.example", "/next");
	rbi_cg_tcp_send(&g, &fl, true, buf, n, GEN_MSS);

	rbi_cg_flow(&fl, CAM4, 45101, "10.10.9.30", 18411);
	gen_tls_records(&g, &fl, true, 3000);
	gen_tls_records(&g, &fl, false, 5000);

	rbi_cg_flow(&fl, CAM4, 45102, WEB4, 443);
	n = rbi_cg_client_hello(buf, "no-syn.example", false, true, 1200);
	rbi_cg_tcp_send(&g, &fl, true, buf, n, 700);

	rbi_cg_flow(&fl, CAM4, 45103, WEB4, 80);
	gen_text(&g, &fl, true, "Host: first-half.example\r\n\r\n");
	n = rbi_cg_http_get(buf, "second.example", "/b");
	rbi_cg_tcp_send(&g, &fl, true, buf, n, GEN_MSS);

	/* Video on channel 0 one way, receiver reports on 1 the other. */
	rbi_cg_flow(&fl, "10.10.0.5", 45104, "10.20.0.9", 554);
	memcpy(buf, "$\0\x05\x00", 4);
	memset(buf + 4, 0x80, 0x500);
	for (i = 0; i < 8; i++) {
		rbi_cg_tcp_send(&g, &fl, false, buf, 0x504, GEN_MSS);
		rbi_cg_tcp_send(&g, &fl, true, (const uint8_t *)"$\x01\0\x08"
				"\x81\xc9\0\x01\0\0\x12\x34", 12, GEN_MSS);
	}
	gen_text(&g, &fl, true, "GET_PARAMETER rtsp://10.20.0.9/stream1 "
		 "RTSP/1.0\r\nCSeq: 9\r\nSession: 4711\r\n\r\n");
	gen_close(&g);
}

#define GEN_FDSEARCH \
	"POST /ISAPI/Intelligent/FDLib/FDSearch?format=json HTTP/1.1\r\n" \
	"Host: %s\r\nContent-Type: application/json\r\n" \
	"Content-Length: 67\r\n\r\n" \
	"{\"searchResultPosition\":0,\"maxResults\":32,\"faceLibType\":" \
	"\"blackFD\"}"
#define GEN_RTSP_OK \
	"RTSP/1.0 200 OK\r\nCSeq: %d\r\n%s\r\n"
#define GEN_MULTIPART \
	"HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; " \
	"boundary=boundary\r\n\r\n"

/* A host that is no recorder searches a camera's face library. */
static void gen_fdsearch(struct rbi_cg *g, uint16_t cport, const char *cam)
{
	char req[GEN_BUF];
	struct rbi_cg_flow fl;

	rbi_cg_flow(&fl, "10.10.0.7", cport, cam, 80);
	rbi_cg_tcp_open(g, &fl);
	snprintf(req, sizeof(req), GEN_FDSEARCH, cam);
	gen_text(g, &fl, true, req);
	gen_text(g, &fl, false, "HTTP/1.1 200 OK\r\nContent-Type: "
		 "application/json\r\nContent-Length: 2\r\n\r\n{}");
	rbi_cg_tcp_close(g, &fl);
}

/* Dahua's event manager: face events asked for, or all of them. */
static void gen_dahua(struct rbi_cg *g)
{
	struct rbi_cg_flow fl;

	rbi_cg_flow(&fl, "10.10.0.5", 50002, "10.20.0.6", 80);
	rbi_cg_tcp_open(g, &fl);
	gen_text(g, &fl, true, "GET /cgi-bin/eventManager.cgi?action=attach&"
		 "codes=[FaceRecognition] HTTP/1.1\r\nHost: 10.20.0.6\r\n"
		 "Connection: keep-alive\r\n\r\n");
	gen_text(g, &fl, false, GEN_MULTIPART);
	rbi_cg_flow(&fl, "10.10.0.5", 50003, "10.20.0.6", 80);
	rbi_cg_tcp_open(g, &fl);
	gen_text(g, &fl, true, "GET /cgi-bin/eventManager.cgi?action=attach&"
		 "codes=[All] HTTP/1.1\r\nHost: 10.20.0.6\r\n\r\n");
	gen_text(g, &fl, false, GEN_MULTIPART);
	gen_text(g, &fl, false, "--boundary\r\nContent-Type: text/plain\r\n"
		 "\r\nCode=VideoMotion;action=Start;index=0\r\n");
	gen_text(g, &fl, false, "--boundary\r\nContent-Type: text/plain\r\n"
		 "\r\nCode=FaceDetection;action=Pulse;index=0;data={"
		 "\"Sex\":\"Woman\",\"Age\":31,\"Emotion\":\"Calm\"}\r\n");
}

/*
 * The recorder pulls a stream over RTSP, interleaved: DESCRIBE, SETUP and
 * PLAY, then the camera's metadata track (ONVIF, RTP on channel 0) with
 * the scene description xml.
 */
static void gen_onvif(struct rbi_cg *g, uint16_t cport, const char *cam,
		      const char *xml)
{
	static const char sdp[] =
		"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=Media\r\nt=0 0\r\n"
		"m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
		"a=control:video\r\nm=application 0 RTP/AVP 107\r\n"
		"a=rtpmap:107 vnd.onvif.metadata/90000\r\n"
		"a=control:metadata\r\n";
	char text[GEN_BUF], head[256];
	uint8_t rtp[GEN_BUF];
	struct rbi_cg_flow fl;
	size_t n = strlen(xml) + 12;

	rbi_cg_flow(&fl, "10.10.0.5", cport, cam, 554);
	rbi_cg_tcp_open(g, &fl);
	snprintf(text, sizeof(text), "DESCRIBE rtsp://%s/onvif/media "
		 "RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n",
		 cam);
	gen_text(g, &fl, true, text);
	snprintf(head, sizeof(head), "Content-Type: application/sdp\r\n"
		 "Content-Length: %zu\r\n", strlen(sdp));
	snprintf(text, sizeof(text), GEN_RTSP_OK "%s", 2, head, sdp);
	gen_text(g, &fl, false, text);
	snprintf(text, sizeof(text), "SETUP rtsp://%s/onvif/media/metadata "
		 "RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP/TCP;"
		 "interleaved=0-1\r\n\r\n", cam);
	gen_text(g, &fl, true, text);
	snprintf(text, sizeof(text), GEN_RTSP_OK, 3, "Session: 4711\r\n"
		 "Transport: RTP/AVP/TCP;interleaved=0-1\r\n");
	gen_text(g, &fl, false, text);
	snprintf(text, sizeof(text), "PLAY rtsp://%s/onvif/media RTSP/1.0\r\n"
		 "CSeq: 4\r\nSession: 4711\r\n\r\n", cam);
	gen_text(g, &fl, true, text);
	snprintf(text, sizeof(text), GEN_RTSP_OK, 4, "Session: 4711\r\n");
	gen_text(g, &fl, false, text);
	/* '$', channel 0, length; RTP version 2, marker, type 107. */
	memcpy(rtp, "$\0\0\0\x80\xeb\0\x01\0\0\0\0\0\0\x12\x34", 16);
	rtp[2] = (uint8_t)(n >> 8);
	rtp[3] = (uint8_t)n;
	memcpy(rtp + 16, xml, n - 12);
	rbi_cg_tcp_send(g, &fl, false, rtp, n + 4, GEN_MSS);
	rbi_cg_tcp_close(g, &fl);
}

/* Hikvision's alert stream: a heartbeat now and then, then what next. */
static void gen_alert_stream(struct rbi_cg *g, uint16_t cport,
			     const char *cam, int beats, uint64_t gap_us,
			     const char *last)
{
	static const char beat[] =
		"--boundary\r\nContent-Type: application/json\r\n\r\n"
		"{\"eventType\":\"videoloss\",\"eventState\":\"inactive\"}"
		"\r\n";
	struct rbi_cg_flow fl;
	char text[GEN_BUF];
	int i;

	rbi_cg_flow(&fl, "10.10.0.7", cport, cam, 80);
	rbi_cg_tcp_open(g, &fl);
	snprintf(text, sizeof(text), "GET /ISAPI/Event/notification/"
		 "alertStream HTTP/1.1\r\nHost: %s\r\n\r\n", cam);
	gen_text(g, &fl, true, text);
	gen_text(g, &fl, false, GEN_MULTIPART);
	for (i = 0; i < beats; i++) {
		gen_text(g, &fl, false, beat);
		g->ts += gap_us;
	}
	snprintf(text, sizeof(text), "--boundary\r\nContent-Type: "
		 "application/json\r\n\r\n%s\r\n", last);
	gen_text(g, &fl, false, text);
}

/*
 * Camera analytics, each flow to a camera: the face library searched in
 * a public zone and in a staff-only one; Dahua face events asked for, and
 * sent by a camera asked for all events; ONVIF face metadata in a stream
 * the recorder pulls, and metadata without faces; face snapshots on an
 * alert stream, and one that comes after the camera's first 30 s.
 */
static void gen_analytics(void)
{
	static const char face_xml[] =
		"<?xml version=\"1.0\"?><tt:MetadataStream xmlns:tt=\"http:"
		"//www.onvif.org/ver10/schema\" xmlns:fc=\"http://www.onvif."
		"org/ver20/analytics/humanface\"><tt:VideoAnalytics><tt:Frame "
		"UtcTime=\"2024-03-01T10:00:01Z\"><tt:Object ObjectId=\"3\">"
		"<tt:Appearance><tt:Class><tt:Type Likelihood=\"0.91\">"
		"HumanFace</tt:Type></tt:Class><fc:HumanFace><fc:Gender>"
		"<fc:Male>0.88</fc:Male></fc:Gender></fc:HumanFace>"
		"</tt:Appearance></tt:Object></tt:Frame></tt:VideoAnalytics>"
		"</tt:MetadataStream>";
	static const char motion_xml[] =
		"<?xml version=\"1.0\"?><tt:MetadataStream xmlns:tt=\"http:"
		"//www.onvif.org/ver10/schema\"><tt:Event><wsnt:Notification"
		"Message><wsnt:Topic>tns1:RuleEngine/CellMotionDetector/Motion"
		"</wsnt:Topic></wsnt:NotificationMessage></tt:Event>"
		"</tt:MetadataStream>";
	static const char face_snap[] =
		"{\"eventType\":\"faceSnap\",\"faceCapture\":[{\"faces\":"
		"[{\"faceExpression\":{\"value\":\"happy\"},\"age\":"
		"{\"value\":30}}]}]}";
	struct rbi_cg g;

	gen_open(&g, "analytics.pcap", RBI_CG_ETHER, false, GEN_SNAPLEN);
	gen_fdsearch(&g, 50000, "10.20.0.5");
	gen_fdsearch(&g, 50001, "10.30.5.5");
	gen_dahua(&g);
	gen_onvif(&g, 50004, "10.20.0.7", face_xml);
	gen_onvif(&g, 50005, "10.20.0.8", motion_xml);
	gen_alert_stream(&g, 50006, "10.20.0.9", 1, 0, face_snap);
	gen_alert_stream(&g, 50007, "10.20.0.10", 4, 10ull * 1000000,
			 face_snap);
	gen_close(&g);
}

/* Sends one DNS query for name: live traffic for rbictl watch. */
static int gen_send_dns(const char *addr, const char *port, const char *name)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t msg[512];
	size_t n;
	int fd, rc;

	to.sin_port = htons((uint16_t)atoi(port));
	if (inet_pton(AF_INET, addr, &to.sin_addr) != 1)
		return 2;
	n = rbi_cg_dns_query(msg, 0x1234, name, 1);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 1;
	rc = sendto(fd, msg, n, 0, (struct sockaddr *)&to, sizeof(to)) < 0;
	close(fd);
	return rc;
}

/*
 * Sends one TCP SYN from src to dst:port out of interface ifname, as a
 * client whose connection is dropped on the way: live traffic for rbictl
 * watch that no stack answers (dst is routed nowhere).
 */
static int gen_send_syn(const char *ifname, const char *src, const char *dst,
			const char *port)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET };
	uint8_t l4[64], pkt[128];
	struct rbi_cg_flow fl;
	size_t n;
	int fd, rc;

	rbi_cg_flow(&fl, src, 49999, dst, (uint16_t)atoi(port));
	if (fl.family != 4)
		return 2;
	to.sll_protocol = htons(ETH_P_IP);
	to.sll_ifindex = (int)if_nametoindex(ifname);
	to.sll_halen = ETH_ALEN;
	n = rbi_cg_tcp_bytes(&fl, true, RBI_CG_TCP_SYN, fl.cseq - 1, 0, NULL,
			     0, l4);
	n = rbi_cg_ip4_frag(fl.client, fl.server, RBI_CG_TCP, 1, 0, false, l4,
			    n, pkt);
	fd = socket(AF_PACKET, SOCK_DGRAM, 0);
	if (fd < 0 || !to.sll_ifindex)
		return 1;
	rc = sendto(fd, pkt, n, 0, (struct sockaddr *)&to, sizeof(to)) < 0;
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "--send-dns"))
		return gen_send_dns(argv[2], argv[3], argv[4]);
	if (argc == 6 && !strcmp(argv[1], "--send-syn"))
		return gen_send_syn(argv[2], argv[3], argv[4], argv[5]);
	if (argc != 2) {
		fprintf(stderr, "usage: gen_captures DIR\n"
			"       gen_captures --send-dns ADDR PORT NAME\n"
			"       gen_captures --send-syn IFACE SRC DST PORT\n");
		return 2;
	}
	gen_dir = argv[1];
	gen_links();
	gen_frag_v4();
	gen_frag_v6();
	gen_ext_v6();
	gen_segments();
	gen_damaged();
	gen_quic();
	gen_dns_file();
	gen_misc();
	gen_analytics();
	gen_midstream();
	return 0;
}
