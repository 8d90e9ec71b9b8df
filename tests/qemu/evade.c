// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Evasion tool for the qemu suite: the packets a camera firmware would
 * craft to get bytes past rbiblock.ko, sent through raw sockets so that
 * every sequence number, flag and TTL is the tool's.
 *
 *   evade [-t SECS] [-p SPORT] CASE SRC DST DPORT [ARG [ARG2]]
 *	Plays CASE from SRC (IPv4, port SPORT or one of 61000-61999) to
 *	DST:DPORT, then listens SECS seconds, and prints
 *	"port=P case=CASE connected=0|1 sent=N acked=A", P being the
 *	client port the server's sink files its bytes under, N the bytes
 *	sent in order and A the bytes the server acknowledged.
 *
 * The TCP cases talk to a real TCP stack (tcpx sink) through a minimal
 * client of their own: SYN, SYN-ACK, ACK, then the case's segments. The
 * host's own stack must not reset the connection it does not know: the
 * suite drops its RSTs for the tool's ports (61000-61999), and the tool
 * marks its packets (mark 0x4e) to get its own RSTs past that rule. A
 * segment with TTL 2 reaches the server's host with TTL 1, where the
 * suite drops it: a first copy that dies between the gateway and the
 * server.
 *
 * Cases (NAME is the prohibited name, OK an ordinary one):
 *   hello NAME          a ClientHello naming NAME, one segment
 *   urgent NAME         one urgent byte, then the hello
 *   syn-data NAME       the hello inside the SYN
 *   syn-resync NAME     a SYN with another ISN, then the hello
 *   rst-window NAME     an RST inside the window, then the hello
 *   rst-ttl NAME        an RST at the next byte that dies, then the hello
 *   ttl-hello NAME      a hello naming OK that dies, then the real one
 *   ttl-junk NAME       8 bytes of another protocol that die, then the hello
 *   fin-ttl NAME        60 bytes, a FIN that dies, then the rest
 *   two-names NAME      a hello naming OK and NAME in one list
 *   big NAME            a hello of 20000 bytes naming NAME
 *   records NAME        a hello in 1-byte records, 1-byte segments
 *   big-segment NAME    the hello and 20000 more bytes in one segment
 *   server-first NAME   wait for the server to talk, then the hello
 *   midstream NAME      the hello without a handshake
 *   stall NAME SECS     60 bytes, SECS seconds of silence, the rest
 *   hold SECS           half of a 2000-byte hello to OK, held SECS
 *   keepalive NAME      GET with Host OK, acknowledged, then Host NAME
 *   pipelined NAME      both requests in one segment
 *   dup-host NAME       one request with two Host fields
 *   cl-te NAME          Content-Length and Transfer-Encoding: chunked
 *   chunked NAME        a chunked body, then a request for NAME
 *   h2c NAME            the HTTP/2 preface in clear text
 *   flood COUNT         COUNT SYNs from as many ports, nothing more
 *   quic-late           UDP: one datagram of RTP, then a QUIC Initial
 *   dns-spoof COUNT     UDP from DST:53... answers nobody asked for,
 *                       naming NAME face.example.net, to SRC's DPORT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/payload.h"
#include "rbi_vec_hello.h"

enum {
	EVADE_PORT_BASE = 61000,
	EVADE_PORTS = 1000,
	EVADE_MARK = 0x4e,
	EVADE_TTL = 64,
	EVADE_TTL_DIES = 2,
	EVADE_MSS = 1400,
	EVADE_BUF = 32768,
	EVADE_BIG = 20000,
	EVADE_CUT = 60,		/* bytes of a hello before its name */
	EVADE_EXIT_USAGE = 64,
	EVADE_EXIT_NOCONN = 2,
};

#define OK_NAME "www.example.org"

struct conn {
	int tx;			/* raw IP, headers ours */
	int rx;			/* raw TCP, every segment to this host */
	struct in_addr src, dst;
	uint16_t sport, dport;
	uint32_t isn;
	uint32_t risn;
	uint32_t rnext;		/* the server's next byte */
	uint32_t acked;		/* client bytes the server acknowledged */
	uint32_t sent;		/* client bytes sent in order */
	bool open;
	int secs;
};

struct pseudo {
	uint32_t src, dst;
	uint8_t zero, proto;
	uint16_t len;
};

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static uint32_t csum_add(uint32_t sum, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* An IPv4 packet of proto around the transport bytes l4[0..n). */
static ssize_t send_ip(int fd, struct in_addr src, struct in_addr dst,
		       uint8_t proto, uint8_t ttl, uint8_t *pkt, size_t n)
{
	struct iphdr *ip = (struct iphdr *)pkt;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = dst };

	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = ttl;
	ip->protocol = proto;
	ip->tot_len = htons((uint16_t)(sizeof(*ip) + n));
	ip->saddr = src.s_addr;
	ip->daddr = dst.s_addr;
	ip->check = csum_fold(csum_add(0, ip, sizeof(*ip)));
	return sendto(fd, pkt, sizeof(*ip) + n, 0, (struct sockaddr *)&to,
		      sizeof(to));
}

/* Transport checksum over the pseudo-header and l4[0..n). */
static uint16_t l4_csum(struct in_addr src, struct in_addr dst,
			uint8_t proto, const void *l4, size_t n)
{
	struct pseudo ph = { src.s_addr, dst.s_addr, 0, proto,
			     htons((uint16_t)n) };

	return csum_fold(csum_add(csum_add(0, &ph, sizeof(ph)), l4, n));
}

/*
 * One segment: seq and flags as given, len bytes of data, the urgent
 * pointer with TH_URG.
 */
static int seg(struct conn *c, uint32_t seq, uint8_t flags, const void *data,
	       size_t len, uint8_t ttl)
{
	static uint8_t pkt[sizeof(struct iphdr) + sizeof(struct tcphdr) +
			   EVADE_BUF];
	struct tcphdr *th = (struct tcphdr *)(pkt + sizeof(struct iphdr));
	size_t n = sizeof(*th) + len;

	if (len > EVADE_BUF)
		return -1;
	memset(th, 0, sizeof(*th));
	th->source = htons(c->sport);
	th->dest = htons(c->dport);
	th->seq = htonl(seq);
	th->ack_seq = htonl(c->rnext);
	th->doff = sizeof(*th) / 4;
	th->syn = !!(flags & TH_SYN);
	th->fin = !!(flags & TH_FIN);
	th->rst = !!(flags & TH_RST);
	th->psh = !!(flags & TH_PUSH);
	th->urg = !!(flags & TH_URG);
	th->ack = !!(flags & TH_ACK);
	th->window = htons(65535);
	if (th->urg)
		th->urg_ptr = htons(1);
	if (len)
		memcpy(th + 1, data, len);
	th->check = l4_csum(c->src, c->dst, IPPROTO_TCP, th, n);
	return send_ip(c->tx, c->src, c->dst, IPPROTO_TCP, ttl, pkt, n) < 0 ?
	       -1 : 0;
}

/* Data at stream offset off, ACK and PSH set. */
static int data(struct conn *c, uint32_t off, const void *p, size_t len,
		uint8_t extra, uint8_t ttl)
{
	int err = seg(c, c->isn + 1 + off, TH_ACK | TH_PUSH | extra, p, len,
		      ttl);

	if (!err && ttl != EVADE_TTL_DIES && off + len > c->sent)
		c->sent = (uint32_t)(off + len);
	return err;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads what the server sends for ms, acknowledging its data. */
static void pump(struct conn *c, unsigned int ms)
{
	uint8_t buf[65536];
	const struct iphdr *ip;
	const struct tcphdr *th;
	struct pollfd pfd = { c->rx, POLLIN, 0 };
	long end = now_ms() + ms, left;
	uint32_t seq, plen, ack;
	size_t hl;
	ssize_t n;

	while ((left = end - now_ms()) >= 0 &&
	       poll(&pfd, 1, (int)left) == 1) {
		n = recv(c->rx, buf, sizeof(buf), 0);
		if (n < (ssize_t)(sizeof(*ip) + sizeof(*th)))
			continue;
		ip = (const struct iphdr *)buf;
		hl = (size_t)ip->ihl * 4;
		th = (const struct tcphdr *)(buf + hl);
		if (ip->saddr != c->dst.s_addr || ntohs(th->source) != c->dport ||
		    ntohs(th->dest) != c->sport)
			continue;
		seq = ntohl(th->seq);
		plen = (uint32_t)(n - (ssize_t)hl - th->doff * 4);
		if (th->syn && th->ack) {
			c->risn = seq;
			c->rnext = seq + 1;
			c->open = true;
		} else if (th->rst) {
			c->open = false;
			return;
		} else if (plen && seq == c->rnext) {
			c->rnext += plen + th->fin;
			seg(c, c->isn + 1 + c->sent, TH_ACK, NULL, 0,
			    EVADE_TTL);
		}
		ack = ntohl(th->ack_seq) - c->isn - 1;
		if (th->ack && (int32_t)(ack - c->acked) > 0)
			c->acked = ack;
		if (c->open && th->syn)
			return;
	}
}

static int sock_raw(int proto)
{
	int fd = socket(AF_INET, SOCK_RAW, proto), one = 1, mark = EVADE_MARK;

	if (fd < 0)
		return -1;
	if (proto == IPPROTO_RAW &&
	    (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) ||
	     setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int conn_init(struct conn *c, const char *src, const char *dst,
		     const char *port)
{
	memset(c, 0, sizeof(*c));
	if (!inet_aton(src, &c->src) || !inet_aton(dst, &c->dst))
		return -1;
	c->dport = (uint16_t)atoi(port);
	c->sport = (uint16_t)(EVADE_PORT_BASE + (getpid() + rand()) %
			      EVADE_PORTS);
	c->isn = (uint32_t)rand() * 2654435761u;
	c->tx = sock_raw(IPPROTO_RAW);
	c->rx = sock_raw(IPPROTO_TCP);
	c->secs = 3;
	return c->tx < 0 || c->rx < 0 ? -1 : 0;
}

/* SYN, SYN-ACK, ACK; false when the server never answered. */
static bool handshake(struct conn *c)
{
	int tries;

	for (tries = 0; tries < c->secs * 2 && !c->open; tries++) {
		seg(c, c->isn, TH_SYN, NULL, 0, EVADE_TTL);
		pump(c, 500);
	}
	if (c->open)
		seg(c, c->isn + 1, TH_ACK, NULL, 0, EVADE_TTL);
	return c->open;
}

/* Sends p in order in segments of at most mss bytes. */
static void stream(struct conn *c, uint32_t off, const uint8_t *p, size_t len,
		   size_t mss)
{
	size_t n;

	for (; len; p += n, off += n, len -= n) {
		n = len < mss ? len : mss;
		data(c, off, p, n, 0, EVADE_TTL);
		pump(c, 1);
	}
}

struct payload {
	uint8_t b[EVADE_BUF];
	size_t len;
};

static void hello(struct payload *o, const char *name, const char *name2,
		  size_t size, size_t rec)
{
	struct rbi_vec_hello h = { .sni = name, .sni2 = name2, .size = size,
				   .rec = rec };

	o->len = rbi_vec_hello_build(&h, o->b, sizeof(o->b));
}

static void text(struct payload *o, const char *s)
{
	o->len = strlen(s);
	memcpy(o->b, s, o->len);
}

static void get(char *buf, size_t len, const char *host)
{
	snprintf(buf, len, "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", host);
}

/* ---- the cases ---- */

struct evade_case {
	const char *name;
	bool handshake;
	int (*play)(struct conn *c, const char *arg, const char *arg2);
};

/* A padded hello naming name (and name2 in the same list), one segment. */
static int send_hello(struct conn *c, const char *name, const char *name2)
{
	struct payload p;

	hello(&p, name, name2, 0, 0);
	return data(c, 0, p.b, p.len, 0, EVADE_TTL);
}

static int play_hello(struct conn *c, const char *name,
		      const char *arg2)
{
	return send_hello(c, name, NULL);
}

/* What a case sent first has ms to reach the server; then the hello. */
static int then_hello(struct conn *c, const char *name, unsigned int ms)
{
	pump(c, ms);
	return send_hello(c, name, NULL);
}

static int play_urgent(struct conn *c, const char *name,
		       const char *arg2)
{
	data(c, 0, "X", 1, TH_URG, EVADE_TTL);
	return then_hello(c, name, 200);
}

static int play_syn_data(struct conn *c, const char *name,
			 const char *arg2)
{
	struct payload p;
	int i;

	hello(&p, name, NULL, 0, 0);
	for (i = 0; i < 3 && !c->open; i++) {
		seg(c, c->isn, TH_SYN, p.b, p.len, EVADE_TTL);
		pump(c, 500);
	}
	c->sent = c->open ? (uint32_t)p.len : 0;
	return 0;
}

static int play_syn_resync(struct conn *c, const char *name,
			   const char *arg2)
{
	seg(c, c->isn + 100000, TH_SYN, NULL, 0, EVADE_TTL);
	return then_hello(c, name, 200);
}

static int play_rst_window(struct conn *c, const char *name,
			   const char *arg2)
{
	seg(c, c->isn + 1 + 1000, TH_RST | TH_ACK, NULL, 0, EVADE_TTL);
	return then_hello(c, name, 200);
}

static int play_rst_ttl(struct conn *c, const char *name,
			const char *arg2)
{
	seg(c, c->isn + 1, TH_RST | TH_ACK, NULL, 0, EVADE_TTL_DIES);
	return then_hello(c, name, 200);
}

/* The first copy dies after the gateway; the server takes the second. */
static int play_ttl_hello(struct conn *c, const char *name,
			  const char *arg2)
{
	struct payload decoy;

	hello(&decoy, OK_NAME, NULL, 0, 0);
	data(c, 0, decoy.b, decoy.len, 0, EVADE_TTL_DIES);
	return then_hello(c, name, 300);
}

static int play_ttl_junk(struct conn *c, const char *name,
			 const char *arg2)
{
	data(c, 0, "SSH-2.0-", 8, 0, EVADE_TTL_DIES);
	return then_hello(c, name, 300);
}

static int play_fin_ttl(struct conn *c, const char *name,
			const char *arg2)
{
	struct payload p;

	hello(&p, name, NULL, 0, 0);
	data(c, 0, p.b, EVADE_CUT, 0, EVADE_TTL);
	pump(c, 300);
	seg(c, c->isn + 1 + EVADE_CUT, TH_FIN | TH_ACK, NULL, 0,
	    EVADE_TTL_DIES);
	pump(c, 300);
	return data(c, EVADE_CUT, p.b + EVADE_CUT, p.len - EVADE_CUT, 0,
		    EVADE_TTL);
}

static int play_two_names(struct conn *c, const char *name,
			  const char *arg2)
{
	return send_hello(c, OK_NAME, name);
}

static int play_big(struct conn *c, const char *name,
		    const char *arg2)
{
	struct payload p;

	hello(&p, name, NULL, EVADE_BIG, 0);
	stream(c, 0, p.b, p.len, EVADE_MSS);
	return 0;
}

static int play_records(struct conn *c, const char *name,
			const char *arg2)
{
	struct payload p;

	hello(&p, name, NULL, 0, 1);
	stream(c, 0, p.b, p.len, 1);
	return 0;
}

static int play_big_segment(struct conn *c, const char *name,
			    const char *arg2)
{
	struct payload p;
	size_t n;

	hello(&p, name, NULL, 0, 0);
	n = p.len;
	memset(p.b + n, 'x', EVADE_BIG);
	return data(c, 0, p.b, n + EVADE_BIG, 0, EVADE_TTL);
}

static int play_server_first(struct conn *c, const char *name,
			     const char *arg2)
{
	return then_hello(c, name, 2000);
}

static int play_stall(struct conn *c, const char *name, const char *secs)
{
	struct payload p;

	hello(&p, name, NULL, 0, 0);
	data(c, 0, p.b, EVADE_CUT, 0, EVADE_TTL);
	pump(c, (unsigned int)(secs ? atoi(secs) : 5) * 1000);
	return data(c, EVADE_CUT, p.b + EVADE_CUT, p.len - EVADE_CUT, 0,
		    EVADE_TTL);
}

static int play_hold(struct conn *c, const char *secs,
		     const char *arg2)
{
	struct payload p;

	hello(&p, OK_NAME, NULL, 2000, 0);
	data(c, 0, p.b, p.len / 2, 0, EVADE_TTL);
	pump(c, (unsigned int)atoi(secs) * 1000);
	return 0;
}

static int play_keepalive(struct conn *c, const char *name,
			  const char *arg2)
{
	char a[256], b[256];
	size_t n;

	get(a, sizeof(a), OK_NAME);
	get(b, sizeof(b), name);
	n = strlen(a);
	data(c, 0, a, n, 0, EVADE_TTL);
	pump(c, 500);
	return data(c, (uint32_t)n, b, strlen(b), 0, EVADE_TTL);
}

static int play_text(struct conn *c, const char *s,
		     const char *arg2)
{
	struct payload p;

	text(&p, s);
	return data(c, 0, p.b, p.len, 0, EVADE_TTL);
}

static int play_pipelined(struct conn *c, const char *name,
			  const char *arg2)
{
	char a[256], b[256], both[512];

	get(a, sizeof(a), OK_NAME);
	get(b, sizeof(b), name);
	snprintf(both, sizeof(both), "%s%s", a, b);
	return play_text(c, both, NULL);
}

static int play_dup_host(struct conn *c, const char *name,
			 const char *arg2)
{
	char s[512];

	snprintf(s, sizeof(s), "GET / HTTP/1.1\r\nHost: %s\r\nHost: %s\r\n"
		 "\r\n", OK_NAME, name);
	return play_text(c, s, NULL);
}

/* A POST to OK with these framing fields and body, then a GET of name. */
static int post_then_get(struct conn *c, const char *framing,
			 const char *name)
{
	char s[512], g[256];

	get(g, sizeof(g), name);
	snprintf(s, sizeof(s), "POST / HTTP/1.1\r\nHost: %s\r\n%s%s", OK_NAME,
		 framing, g);
	return play_text(c, s, NULL);
}

static int play_cl_te(struct conn *c, const char *name,
		      const char *arg2)
{
	return post_then_get(c, "Content-Length: 5\r\nTransfer-Encoding: "
			     "chunked\r\n\r\n0\r\n\r\n", name);
}

static int play_chunked(struct conn *c, const char *name,
			const char *arg2)
{
	return post_then_get(c, "Transfer-Encoding: chunked\r\n\r\n5\r\n"
			     "hello\r\n0\r\n\r\n", name);
}

static int play_h2c(struct conn *c, const char *name,
		    const char *arg2)
{
	return play_text(c, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", NULL);
}

static int play_midstream(struct conn *c, const char *name,
			  const char *arg2)
{
	c->rnext = 1;
	return play_hello(c, name, NULL);
}

/* SYNs from COUNT ports, never answered: states the module must hold. */
static int play_flood(struct conn *c, const char *count,
		      const char *arg2)
{
	int i, n = atoi(count);

	for (i = 0; i < n; i++) {
		c->sport = (uint16_t)(EVADE_PORT_BASE + i % EVADE_PORTS);
		seg(c, c->isn + (uint32_t)i, TH_SYN, NULL, 0, EVADE_TTL);
	}
	c->sport = 0;
	return 0;
}

static const struct evade_case cases[] = {
	{ "hello", true, play_hello },
	{ "urgent", true, play_urgent },
	{ "syn-data", false, play_syn_data },
	{ "syn-resync", true, play_syn_resync },
	{ "rst-window", true, play_rst_window },
	{ "rst-ttl", true, play_rst_ttl },
	{ "ttl-hello", true, play_ttl_hello },
	{ "ttl-junk", true, play_ttl_junk },
	{ "fin-ttl", true, play_fin_ttl },
	{ "two-names", true, play_two_names },
	{ "big", true, play_big },
	{ "records", true, play_records },
	{ "big-segment", true, play_big_segment },
	{ "server-first", true, play_server_first },
	{ "midstream", false, play_midstream },
	{ "stall", true, play_stall },
	{ "hold", true, play_hold },
	{ "keepalive", true, play_keepalive },
	{ "pipelined", true, play_pipelined },
	{ "dup-host", true, play_dup_host },
	{ "cl-te", true, play_cl_te },
	{ "chunked", true, play_chunked },
	{ "h2c", true, play_h2c },
	{ "flood", false, play_flood },
};

/* ---- UDP ---- */

/* An RTP datagram, then a QUIC Initial from the same socket. */
static int udp_quic_late(const char *src, const char *dst, const char *port)
{
	static uint8_t quic[1200] = { 0xc3, 0, 0, 0, 1, 8, 0x83, 0x94, 0xc8,
				      0xf0, 0x3e, 0x51, 0x57, 0x08, 0 };
	static const uint8_t rtp[] = { 0x80, 0x60, 0, 1, 0, 0, 0, 0 };
	struct sockaddr_in a = { .sin_family = AF_INET }, to = a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || !inet_aton(src, &a.sin_addr) ||
	    !inet_aton(dst, &to.sin_addr))
		return EVADE_EXIT_USAGE;
	to.sin_port = htons((uint16_t)atoi(port));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    sendto(fd, rtp, sizeof(rtp), 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		return EVADE_EXIT_USAGE;
	sleep_ms(200);
	sendto(fd, quic, sizeof(quic), 0, (struct sockaddr *)&to, sizeof(to));
	getsockname(fd, (struct sockaddr *)&a, &len);
	printf("port=%u case=quic-late connected=1 sent=2 acked=0\n",
	       ntohs(a.sin_port));
	close(fd);
	return 0;
}

/*
 * Answers from src:53 that no query asked for, each naming
 * face.example.net with another address, 198.51.100.100 up.
 */
static int udp_dns_spoof(const char *src, const char *dst, const char *port,
			 const char *count)
{
	static const uint8_t msg[] = {
		0x4a, 0x4a, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
		4, 'f', 'a', 'c', 'e', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'n', 'e', 't', 0, 0, 1, 0, 1,
		0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4,
		198, 51, 100, 100,
	};
	uint8_t pkt[sizeof(struct iphdr) + 8 + sizeof(msg)];
	uint8_t *udp = pkt + sizeof(struct iphdr);
	struct in_addr s, d;
	int fd = sock_raw(IPPROTO_RAW), i, n = atoi(count);

	if (fd < 0 || !inet_aton(src, &s) || !inet_aton(dst, &d))
		return EVADE_EXIT_USAGE;
	for (i = 0; i < n; i++) {
		memcpy(udp + 8, msg, sizeof(msg));
		udp[8 + sizeof(msg) - 1] = (uint8_t)(100 + i % 100);
		udp[8] = (uint8_t)i;
		udp[0] = 0;
		udp[1] = 53;
		udp[2] = (uint8_t)(atoi(port) >> 8);
		udp[3] = (uint8_t)atoi(port);
		udp[4] = 0;
		udp[5] = (uint8_t)(8 + sizeof(msg));
		udp[6] = udp[7] = 0;
		memcpy(udp + 6, &(uint16_t){ l4_csum(s, d, IPPROTO_UDP, udp,
						     8 + sizeof(msg)) }, 2);
		send_ip(fd, s, d, IPPROTO_UDP, EVADE_TTL, pkt,
			8 + sizeof(msg));
	}
	printf("port=%s case=dns-spoof connected=1 sent=%d acked=0\n", port,
	       n);
	close(fd);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: evade [-t SECS] [-p SPORT] CASE SRC DST DPORT "
		"[ARG [ARG2]]\n");
	return EVADE_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct evade_case *k = NULL;
	int opt, secs = 3, sport = 0;
	struct conn c;
	size_t i;

	while ((opt = getopt(argc, argv, "t:p:")) != -1) {
		if (opt == 't')
			secs = atoi(optarg);
		else if (opt == 'p')
			sport = atoi(optarg);
		else
			return usage();
	}
	argc -= optind;
	argv += optind;
	if (argc < 4)
		return usage();
	srand((unsigned int)time(NULL) ^ (unsigned int)getpid());
	if (!strcmp(argv[0], "quic-late"))
		return udp_quic_late(argv[1], argv[2], argv[3]);
	if (!strcmp(argv[0], "dns-spoof") && argc == 5)
		return udp_dns_spoof(argv[1], argv[2], argv[3], argv[4]);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(cases[i].name, argv[0]))
			k = &cases[i];
	if (!k || conn_init(&c, argv[1], argv[2], argv[3]))
		return usage();
	c.secs = secs;
	if (sport)
		c.sport = (uint16_t)sport;
	if (k->handshake && !handshake(&c)) {
		printf("port=%u case=%s connected=0 sent=0 acked=0\n",
		       c.sport, k->name);
		return EVADE_EXIT_NOCONN;
	}
	k->play(&c, argc > 4 ? argv[4] : OK_NAME, argc > 5 ? argv[5] : NULL);
	pump(&c, (unsigned int)secs * 1000);
	printf("port=%u case=%s connected=%d sent=%u acked=%u\n", c.sport,
	       k->name, c.open, c.sent, c.acked);
	return 0;
}
