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
 *	the flow, as the module does for the segment that completes a hello.
 *	Prints the nanoseconds per flow. Under callgrind, collect only
 *	classcost_flows (--toggle-collect) to count instructions per flow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/payload.h"
#include "policy/policy.h"
#include "rbi_tls.h"

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
	blocked = classcost_flows(p, h, flows);
	t = now_ns() - t;
	printf("classcost: %u flows (%u blocked): %.0f ns per flow to parse "
	       "a ClientHello and classify it\n", flows, blocked, t / flows);
	rbi_policy_free(p);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "yaml"))
		return cmd_yaml(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	fprintf(stderr, "usage: classcost yaml BASE | classcost run POLICY "
		"[FLOWS]\n");
	return CLASSCOST_EXIT_USAGE;
}
