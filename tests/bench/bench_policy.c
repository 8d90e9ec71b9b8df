// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Policy at scale: a generated policy with 100,000 name patterns and
 * 100,000 service networks must load and compile within 1 s and 200 MB
 * resident, and one explain lookup must cost at most 2 us. The same lookup
 * against the built-in policy is timed in the same run, so the ratio shows
 * what the size costs whatever the machine's speed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "util/buf.h"
#include "policy/policy.h"

enum {
	N_SERVICES = 10000,
	PER_SERVICE = 10,	/* patterns and networks per service */
	N_LOOKUPS = 200000,
	LOAD_MS_MAX = 1000,
	RSS_MB_MAX = 200,
	LOOKUP_NS_MAX = 2000,
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static long max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Service s gets names fr<k>.svc<s>.example and networks 10.x.y.z/32. */
static void gen_policy(struct rbi_buf *b)
{
	unsigned int s, k, n;

	rbi_buf_adds(b, "rbiblock: 1\nname: bench\nbasis: bench\n"
		     "prohibit:\n  categories: [remote-biometric-identification, "
		     "biometric-categorisation, emotion-recognition]\n"
		     "  timing: [real-time, post]\n  actors: [public, private]\n"
		     "zones:\n  - name: cams\n    publicly-accessible: true\n"
		     "    networks: [172.16.0.0/12]\n"
		     "catalog:\n  replace-builtin: true\n  services:\n");
	for (s = 0; s < N_SERVICES; s++) {
		rbi_buf_printf(b, "    - id: svc%u\n      categories: "
			       "[remote-biometric-identification]\n"
			       "      names: [", s);
		for (k = 0; k < PER_SERVICE; k++)
			rbi_buf_printf(b, "%s\"%s%u.svc%u.example\"", k ? ", " : "",
				       k % 3 == 0 ? "*." : k % 3 == 1 ? "fr." :
				       "api.*.fr", k, s);
		rbi_buf_adds(b, "]\n      networks: [");
		for (k = 0; k < PER_SERVICE; k++) {
			n = s * PER_SERVICE + k;
			rbi_buf_printf(b, "%s10.%u.%u.%u/32", k ? ", " : "",
				       n >> 16 & 0xff, n >> 8 & 0xff, n & 0xff);
		}
		rbi_buf_adds(b, "]\n");
	}
}

/* Average cost of classifying a TLS flow with a name, in ns. */
static double lookup_ns(const struct rbi_policy *p, const char *const *names,
			unsigned int n_names)
{
	struct rbi_decision d;
	struct rbi_flow f = {
		.l4 = RBI_L4_TCP, .app = RBI_APP_TLS, .dport = 443,
		.learned = RBI_NONE,
	};
	unsigned int i, blocked = 0;
	double t0;

	rbi_ip_parse("172.16.0.5", 10, &f.src);
	rbi_ip_parse("198.51.100.7", 12, &f.dst);
	t0 = now_ns();
	for (i = 0; i < N_LOOKUPS; i++) {
		f.name = names[i % n_names];
		f.name_len = strlen(f.name);
		f.dst.a[3] = (uint8_t)i;
		rbi_classify(p->config, &f, &d);
		blocked += d.verdict == RBI_BLOCK;
	}
	if (!blocked)
		fprintf(stderr, "warning: no lookup blocked\n");
	return (now_ns() - t0) / N_LOOKUPS;
}

int main(void)
{
	static const char *const builtin_names[] = {
		"rekognition.eu-west-1.amazonaws.com", "www.example.org",
		"api.kairos.com", "a.b.c.example.net",
	};
	struct rbi_buf text = RBI_BUF_INIT;
	struct rbi_policy *big, *small;
	struct rbi_config_counts n;
	struct rbi_diags d;
	double t0, load_ms, big_ns, small_ns;
	long rss_before, rss_mb;
	char *names[1024];
	unsigned int i;
	bool ok;

	gen_policy(&text);
	rss_before = max_rss_kb();
	rbi_diags_init(&d);
	t0 = now_ns();
	big = rbi_policy_load_text("bench.yaml", text.data, text.len, 0, &d);
	load_ms = (now_ns() - t0) / 1e6;
	rss_mb = max_rss_kb() / 1024;
	small = rbi_policy_load(NULL, 0, &d);
	rbi_diags_print(&d, stderr);
	rbi_diags_free(&d);
	if (!big || !small)
		return 1;
	rbi_policy_counts(big, &n);
	for (i = 0; i < 1024; i++) {
		unsigned int s = (i * 7919) % N_SERVICES;

		if (asprintf(&names[i], i % 2 ? "x.y.%u.svc%u.example" :
			     "api.z.fr%u.svc%u.example", i % 2 ? 0 : 2, s) < 0)
			return 1;
	}
	big_ns = lookup_ns(big, (const char *const *)names, 1024);
	small_ns = lookup_ns(small, builtin_names, 4);
	ok = load_ms <= LOAD_MS_MAX && rss_mb <= RSS_MB_MAX &&
	     big_ns <= LOOKUP_NS_MAX;
	printf("policy: %u name patterns, %u networks, %.1f MB of YAML\n",
	       n.patterns, n.nets, text.len / 1e6);
	printf("policy: load+compile %.0f ms (target <= %d ms)\n", load_ms,
	       LOAD_MS_MAX);
	printf("policy: max resident %ld MB (target <= %d MB; %ld MB before "
	       "loading)\n", rss_mb, RSS_MB_MAX, rss_before / 1024);
	printf("policy: explain lookup %.0f ns with 100k patterns, %.0f ns with "
	       "the built-in policy, ratio %.2f (target <= %d ns)\n", big_ns,
	       small_ns, big_ns / small_ns, LOOKUP_NS_MAX);
	printf("policy: %s\n", ok ? "PASS" : "FAIL");
	for (i = 0; i < 1024; i++)
		free(names[i]);
	rbi_policy_free(big);
	rbi_policy_free(small);
	rbi_buf_free(&text);
	return ok ? 0 : 1;
}
