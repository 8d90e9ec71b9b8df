// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What naming and classifying a new flow costs in the core code the module
 * runs, measured in userspace where it can be timed natively, counted with
 * callgrind, and timed again inside the qemu guest to learn how much TCG
 * slows the same instructions down.
 *
 *   classcost yaml BASE
 *	Prints BASE (a policy whose catalog has a services: list) with 1,000
 *	more services of 100 names each: the benchmark's 100,000 names.
 *
 *   classcost run POLICY [FLOWS]
 *	For FLOWS flows (default 20,000), half to names of the policy, half
 *	to ordinary names: parse a 517-byte ClientHello and rbi_classify()
 *	the flow, as the module did for the segment that completes a hello.
 *	Prints the nanoseconds per flow. Under callgrind, collect only
 *	classcost_flows (--toggle-collect) to count instructions per flow.
 *
 *   classcost engine POLICY [FLOWS]
 *	The same flows through the inspection engine, as the module runs
 *	them now: the SYN, the hello in one segment, the server's ACK that
 *	confirms an allowed flow. Under callgrind, collect classcost_engine.
 *
 *   classcost before POLICY [FLOWS]
 *	Its reference: the calls rbiblock.ko made for the same flow before
 *	the engine (rbi_classify() of the addresses on the SYN and again on
 *	the hello, then the parse and rbi_classify() with the name). Under
 *	callgrind, collect classcost_before.
 *
 *   classcost records SIZE [reparse]
 *	One ClientHello of SIZE handshake bytes in 1-byte records, fed one
 *	byte per segment through the engine (or, with reparse, to the parser
 *	at every length it asks for, as the module did before the engine):
 *	collect classcost_records to count the instructions, and divide by
 *	the stream bytes it prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/payload.h"
#include "policy/policy.h"
#include "rbi_inspect.h"
#include "rbi_tls.h"
#include "rbi_vec_hello.h"

enum {
	CLASSCOST_SERVICES = 1000,
	CLASSCOST_NAMES = 100,
	CLASSCOST_FLOWS = 20000,
	/* Distinct hellos built up front, cycled through by the flows. */
	CLASSCOST_HELLOS = 256,
	CLASSCOST_EXIT_USAGE = 64,
};

#define CLASSCOST_ANCHOR "\n  services:\n"

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET) && (s = malloc((size_t)n + 1))) {
		*len = fread(s, 1, (size_t)n, f);
		s[*len] = '\0';
	}
	fclose(f);
	return s;
}

static int cmd_yaml(int argc, char **argv)
{
	unsigned int svc, k;
	const char *at;
	size_t len;
	char *base;

	if (argc != 2 || !(base = read_file(argv[1], &len)))
		return CLASSCOST_EXIT_USAGE;
	at = strstr(base, CLASSCOST_ANCHOR);
	if (!at) {
		fprintf(stderr, "classcost: no catalog services: in %s\n",
			argv[1]);
		return 1;
	}
	at += strlen(CLASSCOST_ANCHOR);
	fwrite(base, 1, (size_t)(at - base), stdout);
	for (svc = 0; svc < CLASSCOST_SERVICES; svc++) {
		printf("    - id: bench-%u\n      name: Bench %u\n"
		       "      categories: [remote-biometric-identification]\n"
		       "      names: [", svc, svc);
		for (k = 0; k < CLASSCOST_NAMES; k++)
			printf("%s\"n%u.s%u.bench.example\"", k ? ", " : "",
			       k, svc);
		printf("]\n");
	}
	fputs(at, stdout);
	free(base);
	return 0;
}

struct hello {
	struct rbi_test_buf buf;
	struct rbi_flow flow;
};

/* Kept out of line: callgrind counts from its entry to its return. */
__attribute__((noinline)) static unsigned int
classcost_flows(const struct rbi_policy *p, const struct hello *h,
		unsigned int flows)
{
	static struct rbi_tls_hello th;
	struct rbi_decision d;
	struct rbi_flow f;
	unsigned int i, blocked = 0;
	size_t need;

	for (i = 0; i < flows; i++) {
		const struct hello *x = &h[i % CLASSCOST_HELLOS];

		if (rbi_tls_parse_client_hello(x->buf.b, x->buf.len, &th,
					       &need) != RBI_PARSE_OK)
			continue;
		f = x->flow;
		f.name = th.sni;
		f.name_len = strlen(th.sni);
		f.ech = th.ech;
		rbi_classify(p->config, &f, &d);
		blocked += d.verdict == RBI_BLOCK;
	}
	return blocked;
}

/* A TCP segment of the flow, client to server unless flags say. */
static void classcost_packet(struct rbi_insp *st,
			     const struct rbi_insp_env *env, uint8_t flags,
			     uint32_t seq, uint32_t ack, const uint8_t *data,
			     size_t len, struct rbi_insp_result *res)
{
	struct rbi_insp_pkt p = { data, (uint32_t)len, seq, ack, flags };

	rbi_insp_packet(st, env, &p, res);
}

__attribute__((noinline)) static unsigned int
classcost_engine(const struct rbi_policy *p, const struct hello *h,
		 unsigned int flows)
{
	static struct rbi_insp_scratch scr;
	static uint8_t buf[RBI_INSP_WINDOW];
	struct rbi_insp_env env = { p->config, &scr, NULL, 0, NULL, NULL };
	struct rbi_insp_result res;
	unsigned int i, blocked = 0;
	struct rbi_insp st;

	for (i = 0; i < flows; i++) {
		const struct hello *x = &h[i % CLASSCOST_HELLOS];

		rbi_insp_open(&st, &x->flow);
		st.buf = buf;
		st.cap = sizeof(buf);
		classcost_packet(&st, &env, RBI_INSP_SYN, 1000, 0, NULL, 0,
				 &res);
		classcost_packet(&st, &env, RBI_INSP_ACK, 1001, 0, x->buf.b,
				 x->buf.len, &res);
		if (!res.decided)
			classcost_packet(&st, &env, RBI_INSP_REPLY |
					 RBI_INSP_ACK, 5001, 1001 +
					 (uint32_t)x->buf.len, NULL, 0, &res);
		blocked += res.decided && res.d.verdict == RBI_BLOCK;
	}
	return blocked;
}

__attribute__((noinline)) static unsigned int
classcost_before(const struct rbi_policy *p, const struct hello *h,
		 unsigned int flows)
{
	struct rbi_decision d;
	unsigned int i;

	for (i = 0; i < flows; i++) {
		rbi_classify(p->config, &h[i % CLASSCOST_HELLOS].flow, &d);
		rbi_classify(p->config, &h[i % CLASSCOST_HELLOS].flow, &d);
	}
	return classcost_flows(p, h, flows);
}

__attribute__((noinline)) static int
classcost_records(const struct rbi_config *c, const uint8_t *hello, size_t len,
		  bool reparse)
{
	static struct rbi_insp_scratch scr;
	static uint8_t buf[RBI_INSP_WINDOW];
	struct rbi_insp_env env = { c, &scr, NULL, 0, NULL, NULL };
	struct rbi_insp_result res = { 0 };
	size_t i, need = 1;
	struct rbi_flow f = { 0 };
	struct rbi_insp st;
	int calls = 0;

	if (reparse) {
		for (i = 1; i <= len; i++) {
			if (i < need)
				continue;
			calls++;
			if (rbi_tls_parse_client_hello(hello, i, &scr.app.tls,
						       &need) !=
			    RBI_PARSE_NEED_MORE)
				break;
		}
		return calls;
	}
	rbi_ip_parse("10.20.0.5", 9, &f.src);
	rbi_ip_parse("198.51.100.7", 12, &f.dst);
	f.dport = 443;
	f.l4 = RBI_L4_TCP;
	f.learned = RBI_NONE;
	rbi_insp_open(&st, &f);
	st.buf = buf;
	st.cap = sizeof(buf);
	classcost_packet(&st, &env, RBI_INSP_SYN, 1000, 0, NULL, 0, &res);
	for (i = 0; i < len && !res.decided; i++, calls++)
		classcost_packet(&st, &env, RBI_INSP_ACK, 1001 + (uint32_t)i,
				 0, hello + i, 1, &res);
	return res.decided ? calls : -1;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void build_hellos(struct hello *h)
{
	char name[64];
	unsigned int i;

	for (i = 0; i < CLASSCOST_HELLOS; i++) {
		if (i % 2)
			snprintf(name, sizeof(name), "n%u.s%u.bench.example",
				 i % CLASSCOST_NAMES, (i * 7) %
				 CLASSCOST_SERVICES);
		else
			snprintf(name, sizeof(name), "host%u.example.org", i);
		rbi_test_payload(&h[i].buf, "hello", name);
		memset(&h[i].flow, 0, sizeof(h[i].flow));
		rbi_ip_parse("10.20.0.5", 9, &h[i].flow.src);
		rbi_ip_parse("198.51.100.7", 12, &h[i].flow.dst);
		h[i].flow.sport = (uint16_t)(40000 + i);
		h[i].flow.dport = 443;
		h[i].flow.l4 = RBI_L4_TCP;
		h[i].flow.app = RBI_APP_TLS;
		h[i].flow.learned = RBI_NONE;
	}
}

static int cmd_run(int argc, char **argv)
{
	static struct hello h[CLASSCOST_HELLOS];
	unsigned int flows = CLASSCOST_FLOWS, blocked;
	struct rbi_diags diags;
	struct rbi_policy *p;
	const char *what;
	double t;

	if (argc < 2 || argc > 3)
		return CLASSCOST_EXIT_USAGE;
	if (argc == 3)
		flows = (unsigned int)atoi(argv[2]);
	rbi_diags_init(&diags);
	p = rbi_policy_load(argv[1], RBI_POLICY_NO_PROHIBITION, &diags);
	rbi_diags_free(&diags);
	if (!p || !flows) {
		fprintf(stderr, "classcost: cannot load %s\n", argv[1]);
		return 1;
	}
	build_hellos(h);
	t = now_ns();
	if (!strcmp(argv[0], "engine")) {
		blocked = classcost_engine(p, h, flows);
		what = "take a flow's SYN, ClientHello and ACK through the "
		       "engine";
	} else if (!strcmp(argv[0], "before")) {
		blocked = classcost_before(p, h, flows);
		what = "classify its addresses twice, parse a ClientHello and "
		       "classify it";
	} else {
		blocked = classcost_flows(p, h, flows);
		what = "parse a ClientHello and classify it";
	}
	t = now_ns() - t;
	printf("classcost: %u flows (%u blocked): %.0f ns per flow to %s\n",
	       flows, blocked, t / flows, what);
	rbi_policy_free(p);
	return 0;
}

/* A policy with one public zone and one service: records cost no more. */
static int cmd_records(int argc, char **argv)
{
	static const struct rbi_config_counts n = { .zones = 1,
						    .services = 1,
						    .patterns = 1 };
	static uint8_t stream[RBI_INSP_WINDOW];
	struct rbi_vec_hello h = { .sni = "face.example.net", .rec = 1 };
	struct rbi_config *c;
	struct rbi_prefix zone;
	const char *why;
	size_t len;
	int calls;

	if (argc < 2 || argc > 3)
		return CLASSCOST_EXIT_USAGE;
	h.size = (size_t)atoi(argv[1]);
	len = rbi_vec_hello_build(&h, stream, sizeof(stream));
	c = rbi_config_alloc(&n);
	if (!len || !c || rbi_prefix_parse("10.20.0.0/24", 12, &zone, &why) ||
	    rbi_config_set_zone(c, 0, true) ||
	    rbi_config_add_zone_net(c, 0, &zone) ||
	    rbi_config_set_service(c, 0, RBI_CAT_BIT(RBI_CAT_RBI), 0) ||
	    rbi_config_add_pattern(c, h.sni, strlen(h.sni), 0, 0)) {
		fprintf(stderr, "classcost: cannot build a %s-byte hello\n",
			argv[1]);
		rbi_config_free(c);
		return 1;
	}
	calls = classcost_records(c, stream, len, argc == 3);
	printf("classcost: %zu stream bytes (%s handshake bytes in 1-byte "
	       "records), %d %s\n", len, argv[1], calls,
	       argc == 3 ? "parser calls" : "segments to the decision");
	rbi_config_free(c);
	return calls < 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "yaml"))
		return cmd_yaml(argc - 1, argv + 1);
	if (argc > 1 && (!strcmp(argv[1], "run") ||
			 !strcmp(argv[1], "engine") ||
			 !strcmp(argv[1], "before")))
		return cmd_run(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "records"))
		return cmd_records(argc - 1, argv + 1);
	fprintf(stderr, "usage: classcost yaml BASE | classcost "
		"run|engine|before POLICY [FLOWS] | classcost records SIZE "
		"[reparse]\n");
	return CLASSCOST_EXIT_USAGE;
}
