// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The scan benchmark's capture: FLOWS flows of TLS, HTTP and DNS in equal
 * parts, from cameras in 10.20.0.0/16 to servers in 198.18.0.0/15, with
 * WINDOW flows in progress at any time and their packets interleaved, as
 * on a busy link. Every 50th flow names a prohibited service. A TLS flow
 * takes 12 packets, HTTP 9 and DNS 2, so 200,000 flows make about 1.5
 * million packets.
 *
 * usage: gen_bench FILE FLOWS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capgen.h"

enum {
	BENCH_WINDOW = 256,
	BENCH_T0_SEC = 1709287200,
	BENCH_STEP_US = 10,
	BENCH_CERT = 1448,	/* one full segment of payload */
	BENCH_RBI_EVERY = 50,
};

enum bench_kind {
	BENCH_TLS,
	BENCH_HTTP,
	BENCH_DNS,
	__BENCH_KIND_MAX
};

struct bench_flow {
	struct rbi_cg_flow fl;
	enum bench_kind kind;
	unsigned int step;	/* packets written so far */
	unsigned int id;
	bool live;
};

static uint8_t bench_msg[8192];
static uint8_t bench_cert[BENCH_CERT];		/* TLS records */
static uint8_t bench_body[BENCH_CERT];		/* an HTTP response */

static void bench_name(unsigned int id, char *name, size_t len)
{
	if (id % BENCH_RBI_EVERY == 0)
		snprintf(name, len, "rekognition.eu-west-1.amazonaws.com");
	else
		snprintf(name, len, "host%u.site%u.example.com", id % 977,
			 id % 131);
}

static void bench_start(struct bench_flow *b, unsigned int id)
{
	char c[32], s[32];

	snprintf(c, sizeof(c), "10.20.%u.%u", (id >> 8) & 0xff, id & 0xff);
	snprintf(s, sizeof(s), "198.%u.%u.%u", 18 + ((id >> 16) & 1),
		 (id >> 8) & 0xff, (id * 7) & 0xff);
	b->kind = (enum bench_kind)(id % __BENCH_KIND_MAX);
	rbi_cg_flow(&b->fl, c, (uint16_t)(20000 + id % 40000), s,
		    b->kind == BENCH_TLS ? 443 : b->kind == BENCH_HTTP ?
		    80 : 53);
	b->fl.cseq = id * 2654435761u;
	b->fl.sseq = ~b->fl.cseq;
	b->step = 0;
	b->id = id;
	b->live = true;
}

/* Data of len bytes from one side as one segment, advancing its seq. */
static void bench_data(struct rbi_cg *g, struct bench_flow *b, bool client,
		       const uint8_t *data, size_t len)
{
	rbi_cg_tcp_send(g, &b->fl, client, data, len, len);
}

/* The steps a TCP flow shares: handshake first, teardown last. */
static bool bench_tcp_edges(struct rbi_cg *g, struct bench_flow *b,
			    unsigned int last)
{
	if (b->step == 0) {
		rbi_cg_tcp(g, &b->fl, true, RBI_CG_TCP_SYN, b->fl.cseq - 1,
			   NULL, 0);
	} else if (b->step == 1) {
		rbi_cg_tcp(g, &b->fl, false, RBI_CG_TCP_SYN | RBI_CG_TCP_ACK,
			   b->fl.sseq - 1, NULL, 0);
	} else if (b->step == 2) {
		rbi_cg_tcp(g, &b->fl, true, RBI_CG_TCP_ACK, b->fl.cseq, NULL,
			   0);
	} else if (b->step == last - 2) {
		rbi_cg_tcp(g, &b->fl, true, RBI_CG_TCP_FIN | RBI_CG_TCP_ACK,
			   b->fl.cseq++, NULL, 0);
	} else if (b->step == last - 1) {
		rbi_cg_tcp(g, &b->fl, false, RBI_CG_TCP_FIN | RBI_CG_TCP_ACK,
			   b->fl.sseq++, NULL, 0);
	} else if (b->step == last) {
		rbi_cg_tcp(g, &b->fl, true, RBI_CG_TCP_ACK, b->fl.cseq, NULL,
			   0);
		b->live = false;
	} else {
		return false;
	}
	return true;
}

/* One step of a TCP flow's data: who sends how much (0: a bare ACK). */
struct bench_seg {
	bool client;
	uint16_t len;
};

/*
 * After the ClientHello: the server's certificates, the handshake's end,
 * a request and a 7 KiB response, as a short HTTPS exchange goes.
 */
static const struct bench_seg bench_tls_segs[] = {
	{ false, 1448 }, { false, 1448 }, { false, 1448 }, { false, 700 },
	{ true, 80 }, { false, 60 }, { true, 400 }, { false, 1448 },
	{ false, 1448 }, { false, 1448 }, { false, 1448 }, { false, 1448 },
	{ true, 0 },
};

/* After the request: a response with a 4 KiB body, and its ACK. */
static const struct bench_seg bench_http_segs[] = {
	{ false, 1448 }, { false, 1448 }, { false, 1200 }, { true, 0 },
};

/*
 * Step 3 is the client's message (the ClientHello or the request), then
 * segs, with the handshake before and the teardown after.
 */
static void bench_tcp(struct rbi_cg *g, struct bench_flow *b,
		      const uint8_t *msg, size_t len,
		      const struct bench_seg *segs, unsigned int n,
		      const uint8_t *payload)
{
	const struct bench_seg *sg;

	if (bench_tcp_edges(g, b, 3 + n + 3))
		return;
	if (b->step == 3) {
		bench_data(g, b, true, msg, len);
		return;
	}
	sg = &segs[b->step - 4];
	if (sg->len)
		bench_data(g, b, sg->client, payload, sg->len);
	else
		rbi_cg_tcp(g, &b->fl, sg->client, RBI_CG_TCP_ACK,
			   sg->client ? b->fl.cseq : b->fl.sseq, NULL, 0);
}

static void bench_tls(struct rbi_cg *g, struct bench_flow *b)
{
	char name[96];
	size_t n = 0;

	if (b->step == 3) {
		bench_name(b->id, name, sizeof(name));
		n = rbi_cg_client_hello(bench_msg, name, false, true, 0);
	}
	bench_tcp(g, b, bench_msg, n, bench_tls_segs,
		  sizeof(bench_tls_segs) / sizeof(bench_tls_segs[0]),
		  bench_cert);
}

static void bench_http(struct rbi_cg *g, struct bench_flow *b)
{
	char name[96];
	size_t n = 0;

	if (b->step == 3) {
		bench_name(b->id, name, sizeof(name));
		n = rbi_cg_http_get(bench_msg, name, "/index.html");
	}
	bench_tcp(g, b, bench_msg, n, bench_http_segs,
		  sizeof(bench_http_segs) / sizeof(bench_http_segs[0]),
		  bench_body);
}

static void bench_dns(struct rbi_cg *g, struct bench_flow *b)
{
	char name[96], addr[32];
	uint16_t id = (uint16_t)b->id;

	bench_name(b->id, name, sizeof(name));
	if (b->step == 0) {
		rbi_cg_udp(g, &b->fl, true, bench_msg,
			   rbi_cg_dns_query(bench_msg, id, name, 1));
		return;
	}
	snprintf(addr, sizeof(addr), "198.19.%u.%u", (b->id >> 8) & 0xff,
		 b->id & 0xff);
	rbi_cg_udp(g, &b->fl, false, bench_msg,
		   rbi_cg_dns_answer(bench_msg, id, name, NULL, addr, 300));
	b->live = false;
}

static void bench_step(struct rbi_cg *g, struct bench_flow *b)
{
	if (b->kind == BENCH_TLS)
		bench_tls(g, b);
	else if (b->kind == BENCH_HTTP)
		bench_http(g, b);
	else
		bench_dns(g, b);
	b->step++;
}

int main(int argc, char **argv)
{
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Length: 4096"
				   "\r\n\r\n";
	static struct bench_flow win[BENCH_WINDOW];
	unsigned int flows, started = 0, live = 0, i;
	struct rbi_cg g;

	if (argc != 3 || !(flows = (unsigned int)atoi(argv[2]))) {
		fprintf(stderr, "usage: gen_bench FILE FLOWS\n");
		return 2;
	}
	if (rbi_cg_open(&g, argv[1], RBI_CG_ETHER, false, 65535,
			(uint64_t)BENCH_T0_SEC * 1000000)) {
		perror(argv[1]);
		return 1;
	}
	g.step = BENCH_STEP_US;
	memset(bench_cert, 0x17, sizeof(bench_cert));
	memset(bench_body, 'x', sizeof(bench_body));
	memcpy(bench_body, head, sizeof(head) - 1);
	do {
		live = 0;
		for (i = 0; i < BENCH_WINDOW; i++) {
			if (!win[i].live && started < flows)
				bench_start(&win[i], started++);
			if (!win[i].live)
				continue;
			bench_step(&g, &win[i]);
			live++;
		}
	} while (live);
	printf("%llu packets, %u flows\n", (unsigned long long)g.records,
	       started);
	return rbi_cg_close(&g) ? 1 : 0;
}
