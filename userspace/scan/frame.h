/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * From a captured frame to the TCP or UDP payload the dissectors read:
 * the link layer (Ethernet with 802.1Q/802.1ad tags, PPPoE and MPLS, Linux
 * cooked v1 and v2, raw IP, PPP, BSD loopback), IPv4 with options and IPv6
 * with extension headers, IP-in-IP tunnels (4in4, 6in4, 4in6, 6in6), and
 * fragments through rbi_ipfrag.
 *
 * A frame is read within its captured length only. The IP lengths decide
 * where a datagram ends (so Ethernet padding is never payload); a frame
 * cut by the snapshot length keeps what was captured, and says so.
 */
#ifndef RBI_FRAME_H
#define RBI_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rbi_addr.h"
#include "scan/ipfrag.h"

/* Link layers the scanner reads; rbi_pcap maps libpcap's DLT_ onto them. */
enum rbi_link {
	RBI_LINK_ETHER,
	RBI_LINK_SLL,		/* Linux cooked v1 */
	RBI_LINK_SLL2,		/* Linux cooked v2 */
	RBI_LINK_RAW,		/* IPv4 or IPv6, by the version nibble */
	RBI_LINK_PPP,		/* with or without the HDLC ff 03 */
	RBI_LINK_PPPOE,		/* PPP over Ethernet session, no Ethernet */
	RBI_LINK_NULL,		/* BSD loopback, host byte order family */
	RBI_LINK_LOOP,		/* BSD loopback, network byte order family */
	__RBI_LINK_MAX
};

enum {
	RBI_PROTO_TCP = 6,
	RBI_PROTO_UDP = 17,
	RBI_TCP_FIN = 0x01,
	RBI_TCP_SYN = 0x02,
	RBI_TCP_RST = 0x04,
	RBI_TCP_ACK = 0x10,
	RBI_TCP_URG = 0x20,
};

enum rbi_frame_result {
	RBI_FRAME_OK,		/* a TCP segment or UDP datagram */
	RBI_FRAME_HELD,		/* an IP fragment, kept for reassembly */
	RBI_FRAME_NOT_IP,		/* ARP, LLDP, STP, ... */
	RBI_FRAME_OTHER,		/* IP, neither TCP nor UDP (ICMP, ESP...) */
	RBI_FRAME_TRUNCATED,	/* the snapshot length cut the headers */
	RBI_FRAME_MALFORMED,	/* a header lies about a length or version */
	RBI_FRAME_FRAG_DROPPED,	/* a fragment rbi_ipfrag refused */
	__RBI_PKT_MAX
};

struct rbi_frame {
	struct rbi_ip src;
	struct rbi_ip dst;
	uint16_t sport;
	uint16_t dport;
	uint8_t l4;		/* RBI_PROTO_TCP or RBI_PROTO_UDP */
	uint8_t tcp_flags;
	uint32_t seq;		/* TCP sequence number */
	uint32_t ack;		/* TCP acknowledgement number */
	const uint8_t *data;	/* the payload */
	size_t len;
	/* The capture holds less of the payload than the headers declare. */
	bool cut;
	bool reassembled;	/* came out of IP fragment reassembly */
};

/*
 * Decodes frame[0..caplen). frags may be NULL (fragments are then OTHER).
 * On OK, pkt->data points into frame, or into frags until its next use.
 */
enum rbi_frame_result rbi_frame_decode(enum rbi_link link, const uint8_t *frame,
				   size_t caplen, struct rbi_ipfrag *frags,
				   uint64_t now, struct rbi_frame *pkt);

/* "ok", "held", "not-ip", ... for counters. */
const char *rbi_frame_result_name(enum rbi_frame_result r);

#endif
