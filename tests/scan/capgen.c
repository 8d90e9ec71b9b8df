// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <arpa/inet.h>
#include <string.h>

#include "capgen.h"

enum {
	RBI_CG_PCAP_MAGIC = 0xa1b2c3d4,
	RBI_CG_NG_SHB = 0x0a0d0d0a,
	RBI_CG_NG_IDB = 1,
	RBI_CG_NG_EPB = 6,
	RBI_CG_NG_BOM = 0x1a2b3c4d,
	RBI_CG_ETH_IPV4 = 0x0800,
	RBI_CG_ETH_IPV6 = 0x86dd,
	RBI_CG_ETH_VLAN = 0x8100,
	RBI_CG_ETH_QINQ = 0x88a8,
	RBI_CG_ETH_PPPOE = 0x8864,
	RBI_CG_PPP_IPV4 = 0x0021,
	RBI_CG_PPP_IPV6 = 0x0057,
	RBI_CG_TTL = 64,
};

/* LINKTYPE_ values (www.tcpdump.org/linktypes.html). */
static const uint16_t rbi_cg_linktype[__RBI_CG_LINK_MAX] = {
	[RBI_CG_ETHER] = 1, [RBI_CG_VLAN] = 1, [RBI_CG_QINQ] = 1,
	[RBI_CG_SLL] = 113, [RBI_CG_SLL2] = 276, [RBI_CG_RAW] = 101,
	[RBI_CG_IPV4] = 228, [RBI_CG_IPV6] = 229, [RBI_CG_PPP] = 9,
	[RBI_CG_PPP_HDLC] = 9, [RBI_CG_PPPOE] = 1, [RBI_CG_PPP_ETHER] = 51,
	[RBI_CG_NULL_LE] = 0, [RBI_CG_NULL_BE] = 0, [RBI_CG_LOOP] = 108,
	[RBI_CG_RADIOTAP] = 127,
};

static void rbi_cg_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void rbi_cg_le32(uint8_t *p, uint32_t v)
{
	rbi_cg_le16(p, (uint16_t)v);
	rbi_cg_le16(p + 2, (uint16_t)(v >> 16));
}

static void rbi_cg_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void rbi_cg_be32(uint8_t *p, uint32_t v)
{
	rbi_cg_be16(p, (uint16_t)(v >> 16));
	rbi_cg_be16(p + 2, (uint16_t)v);
}

static void rbi_cg_ng_header(struct rbi_cg *g)
{
	uint8_t shb[28], idb[20];

	rbi_cg_le32(shb, RBI_CG_NG_SHB);
	rbi_cg_le32(shb + 4, sizeof(shb));
	rbi_cg_le32(shb + 8, RBI_CG_NG_BOM);
	rbi_cg_le16(shb + 12, 1);
	rbi_cg_le16(shb + 14, 0);
	memset(shb + 16, 0xff, 8);	/* section length unknown */
	rbi_cg_le32(shb + 24, sizeof(shb));
	rbi_cg_le32(idb, RBI_CG_NG_IDB);
	rbi_cg_le32(idb + 4, sizeof(idb));
	rbi_cg_le16(idb + 8, rbi_cg_linktype[g->link]);
	rbi_cg_le16(idb + 10, 0);
	rbi_cg_le32(idb + 12, g->snaplen);
	rbi_cg_le32(idb + 16, sizeof(idb));
	fwrite(shb, 1, sizeof(shb), g->f);
	fwrite(idb, 1, sizeof(idb), g->f);
}

int rbi_cg_open(struct rbi_cg *g, const char *path, enum rbi_cg_link link,
		bool ng, uint32_t snaplen, uint64_t ts)
{
	uint8_t h[24];

	memset(g, 0, offsetof(struct rbi_cg, frame));
	g->f = fopen(path, "wb");
	if (!g->f)
		return -1;
	g->link = link;
	g->ng = ng;
	g->snaplen = snaplen;
	g->ts = ts;
	g->step = 1000;
	g->ipid = 0x100;
	if (ng) {
		rbi_cg_ng_header(g);
		return 0;
	}
	rbi_cg_le32(h, RBI_CG_PCAP_MAGIC);
	rbi_cg_le16(h + 4, 2);
	rbi_cg_le16(h + 6, 4);
	rbi_cg_le32(h + 8, 0);
	rbi_cg_le32(h + 12, 0);
	rbi_cg_le32(h + 16, snaplen);
	rbi_cg_le32(h + 20, rbi_cg_linktype[link]);
	fwrite(h, 1, sizeof(h), g->f);
	return 0;
}

int rbi_cg_close(struct rbi_cg *g)
{
	int rc = ferror(g->f) ? -1 : 0;

	if (fclose(g->f))
		rc = -1;
	g->f = NULL;
	return rc;
}

static void rbi_cg_pcap_header(struct rbi_cg *g, uint32_t caplen,
			       uint32_t len)
{
	uint8_t h[16];

	rbi_cg_le32(h, (uint32_t)(g->ts / 1000000));
	rbi_cg_le32(h + 4, (uint32_t)(g->ts % 1000000));
	rbi_cg_le32(h + 8, caplen);
	rbi_cg_le32(h + 12, len);
	fwrite(h, 1, sizeof(h), g->f);
}

static void rbi_cg_ng_record(struct rbi_cg *g, const uint8_t *frame,
			     uint32_t caplen, uint32_t len)
{
	static const uint8_t zero[4];
	uint32_t pad = (4 - caplen % 4) % 4, total = 32 + caplen + pad;
	uint8_t h[28], t[4];

	rbi_cg_le32(h, RBI_CG_NG_EPB);
	rbi_cg_le32(h + 4, total);
	rbi_cg_le32(h + 8, 0);
	rbi_cg_le32(h + 12, (uint32_t)(g->ts >> 32));
	rbi_cg_le32(h + 16, (uint32_t)g->ts);
	rbi_cg_le32(h + 20, caplen);
	rbi_cg_le32(h + 24, len);
	rbi_cg_le32(t, total);
	fwrite(h, 1, sizeof(h), g->f);
	fwrite(frame, 1, caplen, g->f);
	fwrite(zero, 1, pad, g->f);
	fwrite(t, 1, sizeof(t), g->f);
}

void rbi_cg_record(struct rbi_cg *g, const uint8_t *frame, size_t len)
{
	uint32_t caplen = len > g->snaplen ? g->snaplen : (uint32_t)len;

	if (g->ng) {
		rbi_cg_ng_record(g, frame, caplen, (uint32_t)len);
	} else {
		rbi_cg_pcap_header(g, caplen, (uint32_t)len);
		fwrite(frame, 1, caplen, g->f);
	}
	g->ts += g->step;
	g->records++;
}

void rbi_cg_record_corrupt(struct rbi_cg *g)
{
	static const uint8_t junk[64];

	rbi_cg_pcap_header(g, 0x7fffffff, 60);
	fwrite(junk, 1, sizeof(junk), g->f);
	g->records++;
}

void rbi_cg_record_partial(struct rbi_cg *g, const uint8_t *frame,
			   size_t len)
{
	rbi_cg_pcap_header(g, (uint32_t)len, (uint32_t)len);
	fwrite(frame, 1, len / 2, g->f);
	g->records++;
}

static size_t rbi_cg_ether(uint8_t *p, uint16_t type)
{
	static const uint8_t macs[12] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01,
	};

	memcpy(p, macs, sizeof(macs));
	rbi_cg_be16(p + 12, type);
	return 14;
}

static size_t rbi_cg_pppoe(uint8_t *p, size_t len, bool v6)
{
	p[0] = 0x11;		/* version 1, type 1 */
	p[1] = 0;		/* session data */
	rbi_cg_be16(p + 2, 0x1234);
	rbi_cg_be16(p + 4, (uint16_t)(len + 2));
	rbi_cg_be16(p + 6, v6 ? RBI_CG_PPP_IPV6 : RBI_CG_PPP_IPV4);
	return 8;
}

/* The link-layer header for an IP packet of len bytes; its length. */
static size_t rbi_cg_l2(struct rbi_cg *g, uint8_t *p, size_t len, bool v6)
{
	uint16_t type = v6 ? RBI_CG_ETH_IPV6 : RBI_CG_ETH_IPV4;
	uint32_t fam = v6 ? 24 : 2;
	size_t n;

	switch (g->link) {
	case RBI_CG_ETHER:
		return rbi_cg_ether(p, type);
	case RBI_CG_VLAN:
		n = rbi_cg_ether(p, RBI_CG_ETH_VLAN);
		rbi_cg_be16(p + n, 100);
		rbi_cg_be16(p + n + 2, type);
		return n + 4;
	case RBI_CG_QINQ:
		n = rbi_cg_ether(p, RBI_CG_ETH_QINQ);
		rbi_cg_be16(p + n, 200);
		rbi_cg_be16(p + n + 2, RBI_CG_ETH_VLAN);
		rbi_cg_be16(p + n + 4, 100);
		rbi_cg_be16(p + n + 6, type);
		return n + 8;
	case RBI_CG_SLL:
		memset(p, 0, 16);
		rbi_cg_be16(p + 2, 1);		/* ARPHRD_ETHER */
		rbi_cg_be16(p + 4, 6);
		memcpy(p + 6, "\x02\0\0\0\0\x01", 6);
		rbi_cg_be16(p + 14, type);
		return 16;
	case RBI_CG_SLL2:
		memset(p, 0, 20);
		rbi_cg_be16(p, type);
		rbi_cg_be32(p + 4, 2);		/* interface index */
		rbi_cg_be16(p + 8, 1);		/* ARPHRD_ETHER */
		p[11] = 6;
		memcpy(p + 12, "\x02\0\0\0\0\x01", 6);
		return 20;
	case RBI_CG_PPP:
		rbi_cg_be16(p, v6 ? RBI_CG_PPP_IPV6 : RBI_CG_PPP_IPV4);
		return 2;
	case RBI_CG_PPP_HDLC:
		p[0] = 0xff;
		p[1] = 0x03;
		p[2] = v6 ? RBI_CG_PPP_IPV6 : RBI_CG_PPP_IPV4;
		return 3;
	case RBI_CG_PPPOE:
		n = rbi_cg_ether(p, RBI_CG_ETH_PPPOE);
		return n + rbi_cg_pppoe(p + n, len, v6);
	case RBI_CG_PPP_ETHER:
		return rbi_cg_pppoe(p, len, v6);
	case RBI_CG_NULL_LE:
		rbi_cg_le32(p, v6 ? 30 : 2);
		return 4;
	case RBI_CG_NULL_BE:
	case RBI_CG_LOOP:
		rbi_cg_be32(p, fam);
		return 4;
	case RBI_CG_RADIOTAP:
		memset(p, 0, 8);
		rbi_cg_le16(p + 2, 8);
		return 8;
	default:
		return 0;
	}
}

size_t rbi_cg_frame(struct rbi_cg *g, const uint8_t *ip, size_t len)
{
	size_t n = rbi_cg_l2(g, g->frame, len, ip[0] >> 4 == 6);

	memcpy(g->frame + n, ip, len);
	return n + len;
}

void rbi_cg_l3(struct rbi_cg *g, const uint8_t *ip, size_t len)
{
	rbi_cg_record(g, g->frame, rbi_cg_frame(g, ip, len));
}

void rbi_cg_flow(struct rbi_cg_flow *fl, const char *client, uint16_t cport,
		 const char *server, uint16_t sport)
{
	memset(fl, 0, sizeof(*fl));
	fl->family = strchr(client, ':') ? 6 : 4;
	inet_pton(fl->family == 6 ? AF_INET6 : AF_INET, client, fl->client);
	inet_pton(fl->family == 6 ? AF_INET6 : AF_INET, server, fl->server);
	fl->cport = cport;
	fl->sport = sport;
	fl->cseq = 1000;
	fl->sseq = 5000;
}

static uint16_t rbi_cg_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t rbi_cg_ip4_frag(const uint8_t src[4], const uint8_t dst[4],
		       uint8_t proto, uint16_t id, uint32_t off, bool more,
		       const uint8_t *data, size_t len, uint8_t *out)
{
	out[0] = 0x45;
	out[1] = 0;
	rbi_cg_be16(out + 2, (uint16_t)(20 + len));
	rbi_cg_be16(out + 4, id);
	rbi_cg_be16(out + 6, (uint16_t)((more ? 0x2000 : 0) | off / 8));
	out[8] = RBI_CG_TTL;
	out[9] = proto;
	rbi_cg_be16(out + 10, 0);
	memcpy(out + 12, src, 4);
	memcpy(out + 16, dst, 4);
	rbi_cg_be16(out + 10, rbi_cg_csum(out, 20));
	memcpy(out + 20, data, len);
	return 20 + len;
}

size_t rbi_cg_ip6(const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
		  const uint8_t *payload, size_t len, uint8_t *out)
{
	rbi_cg_be32(out, 0x60000000);
	rbi_cg_be16(out + 4, (uint16_t)len);
	out[6] = nh;
	out[7] = RBI_CG_TTL;
	memcpy(out + 8, src, 16);
	memcpy(out + 24, dst, 16);
	memcpy(out + 40, payload, len);
	return 40 + len;
}

size_t rbi_cg_ip(struct rbi_cg *g, const struct rbi_cg_flow *fl,
		 bool from_client, uint8_t proto, const uint8_t *l4,
		 size_t len, uint8_t *out)
{
	const uint8_t *src = from_client ? fl->client : fl->server;
	const uint8_t *dst = from_client ? fl->server : fl->client;

	if (fl->family == 6)
		return rbi_cg_ip6(src, dst, proto, l4, len, out);
	return rbi_cg_ip4_frag(src, dst, proto, g->ipid++, 0, false, l4, len,
			       out);
}

size_t rbi_cg_tcp_bytes(const struct rbi_cg_flow *fl, bool from_client,
			uint8_t flags, uint32_t seq, uint32_t ack,
			const uint8_t *data, size_t len, uint8_t *out)
{
	rbi_cg_be16(out, from_client ? fl->cport : fl->sport);
	rbi_cg_be16(out + 2, from_client ? fl->sport : fl->cport);
	rbi_cg_be32(out + 4, seq);
	rbi_cg_be32(out + 8, ack);
	out[12] = 0x50;
	out[13] = flags;
	rbi_cg_be16(out + 14, 65535);
	rbi_cg_be32(out + 16, 0);
	memcpy(out + 20, data, len);
	return 20 + len;
}

size_t rbi_cg_udp_bytes(const struct rbi_cg_flow *fl, bool from_client,
			const uint8_t *data, size_t len, uint8_t *out)
{
	rbi_cg_be16(out, from_client ? fl->cport : fl->sport);
	rbi_cg_be16(out + 2, from_client ? fl->sport : fl->cport);
	rbi_cg_be16(out + 4, (uint16_t)(8 + len));
	rbi_cg_be16(out + 6, 0);
	memcpy(out + 8, data, len);
	return 8 + len;
}

void rbi_cg_tcp(struct rbi_cg *g, const struct rbi_cg_flow *fl,
		bool from_client, uint8_t flags, uint32_t seq,
		const uint8_t *data, size_t len)
{
	static uint8_t l4[RBI_CG_FRAME_MAX];
	uint32_t ack = from_client ? fl->sseq : fl->cseq;
	size_t n = rbi_cg_tcp_bytes(fl, from_client, flags, seq, ack, data,
				    len, l4);

	rbi_cg_l3(g, g->l3, rbi_cg_ip(g, fl, from_client, RBI_CG_TCP, l4, n,
				      g->l3));
}

void rbi_cg_tcp_open(struct rbi_cg *g, struct rbi_cg_flow *fl)
{
	rbi_cg_tcp(g, fl, true, RBI_CG_TCP_SYN, fl->cseq - 1, NULL, 0);
	rbi_cg_tcp(g, fl, false, RBI_CG_TCP_SYN | RBI_CG_TCP_ACK,
		   fl->sseq - 1, NULL, 0);
	rbi_cg_tcp(g, fl, true, RBI_CG_TCP_ACK, fl->cseq, NULL, 0);
}

void rbi_cg_tcp_send(struct rbi_cg *g, struct rbi_cg_flow *fl,
		     bool from_client, const uint8_t *data, size_t len,
		     size_t mss)
{
	uint32_t *seq = from_client ? &fl->cseq : &fl->sseq;
	size_t n;

	while (len) {
		n = len < mss ? len : mss;
		rbi_cg_tcp(g, fl, from_client, RBI_CG_TCP_PSH | RBI_CG_TCP_ACK,
			   *seq, data, n);
		*seq += (uint32_t)n;
		data += n;
		len -= n;
	}
}

void rbi_cg_tcp_close(struct rbi_cg *g, struct rbi_cg_flow *fl)
{
	rbi_cg_tcp(g, fl, true, RBI_CG_TCP_FIN | RBI_CG_TCP_ACK, fl->cseq,
		   NULL, 0);
	fl->cseq++;
	rbi_cg_tcp(g, fl, false, RBI_CG_TCP_FIN | RBI_CG_TCP_ACK, fl->sseq,
		   NULL, 0);
	fl->sseq++;
	rbi_cg_tcp(g, fl, true, RBI_CG_TCP_ACK, fl->cseq, NULL, 0);
}

void rbi_cg_udp(struct rbi_cg *g, const struct rbi_cg_flow *fl,
		bool from_client, const uint8_t *data, size_t len)
{
	static uint8_t l4[RBI_CG_FRAME_MAX];
	size_t n = rbi_cg_udp_bytes(fl, from_client, data, len, l4);

	rbi_cg_l3(g, g->l3, rbi_cg_ip(g, fl, from_client, RBI_CG_UDP, l4, n,
				      g->l3));
}

/* A vector: its length in width bytes, big-endian, then the bytes. */
static size_t rbi_cg_vec(uint8_t *out, unsigned int width, const void *p,
			 size_t len)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		out[i] = (uint8_t)(len >> (8 * (width - 1 - i)));
	memcpy(out + width, p, len);
	return width + len;
}

static size_t rbi_cg_ext(uint8_t *out, uint16_t type, const uint8_t *body,
			 size_t len)
{
	rbi_cg_be16(out, type);
	return 2 + rbi_cg_vec(out + 2, 2, body, len);
}

static size_t rbi_cg_hello_exts(uint8_t *out, const char *sni, bool ech,
				size_t pad)
{
	static const uint8_t alpn[] = {
		0, 12, 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1',
	};
	static const uint8_t versions[] = { 4, 0x03, 0x04, 0x03, 0x03 };
	uint8_t body[RBI_CG_PAD_MAX], name[300];
	size_t n = 0, k;

	if (sni) {
		name[0] = 0;
		k = 1 + rbi_cg_vec(name + 1, 2, sni, strlen(sni));
		k = rbi_cg_vec(body, 2, name, k);
		n += rbi_cg_ext(out + n, 0, body, k);
	}
	n += rbi_cg_ext(out + n, 16, alpn, sizeof(alpn));
	n += rbi_cg_ext(out + n, 43, versions, sizeof(versions));
	if (ech) {
		/* ECHClientHello outer: suite, config id, enc, payload. */
		memset(body, 0x5a, sizeof(body));
		body[0] = 0;
		rbi_cg_be16(body + 1, 1);
		rbi_cg_be16(body + 3, 1);
		body[5] = 7;
		rbi_cg_be16(body + 6, 32);
		rbi_cg_be16(body + 40, 64);
		n += rbi_cg_ext(out + n, 0xfe0d, body, 42 + 64);
	}
	if (pad) {
		memset(body, 0, sizeof(body));
		n += rbi_cg_ext(out + n, 21, body,
				pad < sizeof(body) ? pad : sizeof(body));
	}
	return n;
}

size_t rbi_cg_client_hello(uint8_t *out, const char *sni, bool ech,
			   bool record, size_t pad)
{
	static const uint8_t suites[] = { 0, 4, 0x13, 0x01, 0x13, 0x02 };
	uint8_t exts[RBI_CG_PAD_MAX + 1024], *h = out + (record ? 5 : 0);
	size_t n = 4, e;

	h[n++] = 3;
	h[n++] = 3;
	memset(h + n, 0x11, 32);
	n += 32;
	h[n++] = 32;
	memset(h + n, 0x22, 32);
	n += 32;
	memcpy(h + n, suites, sizeof(suites));
	n += sizeof(suites);
	h[n++] = 1;
	h[n++] = 0;
	e = rbi_cg_hello_exts(exts, sni, ech, pad);
	n += rbi_cg_vec(h + n, 2, exts, e);
	h[0] = 1;
	h[1] = (uint8_t)((n - 4) >> 16);
	rbi_cg_be16(h + 2, (uint16_t)(n - 4));
	if (!record)
		return n;
	out[0] = 22;
	out[1] = 3;
	out[2] = 1;
	rbi_cg_be16(out + 3, (uint16_t)n);
	return n + 5;
}

size_t rbi_cg_http_get(uint8_t *out, const char *host, const char *path)
{
	return (size_t)sprintf((char *)out, "GET %s HTTP/1.1\r\nHost: %s\r\n"
			       "User-Agent: capgen/1\r\nAccept: */*\r\n\r\n",
			       path, host);
}

size_t rbi_cg_rtsp_describe(uint8_t *out, const char *url)
{
	return (size_t)sprintf((char *)out, "DESCRIBE %s RTSP/1.0\r\nCSeq: 2"
			       "\r\nAccept: application/sdp\r\n\r\n", url);
}

static size_t rbi_cg_dns_name(uint8_t *out, const char *name)
{
	const char *dot;
	size_t n = 0, k;

	while (*name) {
		dot = strchr(name, '.');
		k = dot ? (size_t)(dot - name) : strlen(name);
		out[n++] = (uint8_t)k;
		memcpy(out + n, name, k);
		n += k;
		name += k + (dot ? 1 : 0);
	}
	out[n++] = 0;
	return n;
}

static size_t rbi_cg_dns_header(uint8_t *out, uint16_t id, uint16_t flags,
				uint16_t answers)
{
	rbi_cg_be16(out, id);
	rbi_cg_be16(out + 2, flags);
	rbi_cg_be16(out + 4, 1);
	rbi_cg_be16(out + 6, answers);
	rbi_cg_be32(out + 8, 0);
	return 12;
}

size_t rbi_cg_dns_query(uint8_t *out, uint16_t id, const char *name,
			uint16_t qtype)
{
	size_t n = rbi_cg_dns_header(out, id, 0x0100, 0);

	n += rbi_cg_dns_name(out + n, name);
	rbi_cg_be16(out + n, qtype);
	rbi_cg_be16(out + n + 2, 1);
	return n + 4;
}

/* A resource record owned by the name at offset owner (a pointer). */
static size_t rbi_cg_dns_rr(uint8_t *out, size_t owner, uint16_t type,
			    uint32_t ttl, const uint8_t *rdata, size_t len)
{
	rbi_cg_be16(out, (uint16_t)(0xc000 | owner));
	rbi_cg_be16(out + 2, type);
	rbi_cg_be16(out + 4, 1);
	rbi_cg_be32(out + 6, ttl);
	rbi_cg_be16(out + 10, (uint16_t)len);
	memcpy(out + 12, rdata, len);
	return 12 + len;
}

size_t rbi_cg_dns_answer(uint8_t *out, uint16_t id, const char *name,
			 const char *cname, const char *addr, uint32_t ttl)
{
	bool v6 = strchr(addr, ':') != NULL;
	size_t n = rbi_cg_dns_header(out, id, 0x8180, cname ? 2 : 1);
	size_t owner = 12;
	uint8_t rdata[300];

	n += rbi_cg_dns_name(out + n, name);
	rbi_cg_be16(out + n, v6 ? 28 : 1);
	rbi_cg_be16(out + n + 2, 1);
	n += 4;
	if (cname) {
		n += rbi_cg_dns_rr(out + n, owner, 5, ttl, rdata,
				   rbi_cg_dns_name(rdata, cname));
		owner = n - strlen(cname) - 2;
	}
	inet_pton(v6 ? AF_INET6 : AF_INET, addr, rdata);
	return n + rbi_cg_dns_rr(out + n, owner, v6 ? 28 : 1, ttl, rdata,
				 v6 ? 16 : 4);
}

size_t rbi_cg_chlo(uint8_t *out, const char *sni)
{
	size_t n = 0, k = strlen(sni);

	memcpy(out + n, "CHLO\x02\0\0\0PAD\0", 12);
	n += 12;
	rbi_cg_le32(out + n, 10);
	memcpy(out + n + 4, "SNI\0", 4);
	rbi_cg_le32(out + n + 8, (uint32_t)(10 + k));
	n += 12;
	memset(out + n, '-', 10);
	memcpy(out + n + 10, sni, k);
	return n + 10 + k;
}

size_t rbi_cg_gquic_chlo(uint8_t *out, const char *sni)
{
	size_t n = 0, k;

	out[n++] = 0xc3;
	memcpy(out + n, "Q046", 4);
	n += 4;
	out[n++] = 0x50;		/* 8-byte destination CID */
	memset(out + n, 0x42, 8);
	n += 8;
	rbi_cg_be32(out + n, 1);	/* packet number */
	n += 4;
	memset(out + n, 0, 12);		/* message authentication hash */
	n += 12;
	out[n++] = 0xa0;		/* STREAM frame, stream 1 */
	out[n++] = 0x01;
	k = rbi_cg_chlo(out + n + 2, sni);
	rbi_cg_be16(out + n, (uint16_t)k);
	n += 2 + k;
	memset(out + n, 0, 1350 - n);
	return 1350;
}
