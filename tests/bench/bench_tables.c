// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * How the name and address tables scale: build time, memory and cost per
 * lookup with 100,000 entries, and the ratio of that cost to the cost with
 * 100 entries. A name lookup walks the name's labels and never the
 * patterns, so the ratio would be 1 if memory were flat. The line for
 * 10,000 patterns, whose table still fits in the caches, shows the cost
 * flat in the number of patterns; what the ratio shows above 1 at 100,000
 * is cache and TLB misses (two dependent ones per label: a hash slot, then
 * a node) once the table has outgrown them.
 * Addresses walk a binary trie below a direct index on the first 16 bits,
 * whose depth grows with log2 of the number of prefixes sharing them.
 *
 * Under callgrind (`bench_tables --instr`, see instr_tables.sh) each timed
 * loop runs once and is dumped on its own, so that instructions per lookup
 * at each size can be compared: repeatable, whatever the machine's load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include "rbi_addr.h"
#include "rbi_name.h"

enum {
	BIG = 100000,
	MID = 10000,
	SMALL = 100,
	QUERIES = 1 << 16,
	PROVIDERS = 20000,
	NAME_LEN = 80,
};

static uint64_t rng = 0x2545f4914f6cdd1dull;
/* Timing: the best of a few rounds. Counting instructions: one. */
static int repeats = 3;
static size_t rounds = 16;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static uint32_t below(uint32_t n)
{
	return rnd() % n;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double mib(size_t bytes)
{
	return bytes / (1024.0 * 1024.0);
}

static char providers[PROVIDERS][16];
static const char *const services[] = {
	"api", "rekognition", "face", "vision", "streaming", "eu", "us", "cdn",
};
static const char *const regions[] = {
	"eu-west-1", "us-east-1", "ap-south-1", "eu-central-1", "sa-east-1",
};
static const char *const tlds[] = {
	"com", "net", "ai", "io", "cn", "aws", "de", "org",
};

#define PICK(a) (a)[below(sizeof(a) / sizeof((a)[0]))]

static void make_providers(void)
{
	size_t i, k, len;

	for (i = 0; i < PROVIDERS; i++) {
		len = 4 + below(10);
		for (k = 0; k < len; k++)
			providers[i][k] = (char)('a' + below(26));
		providers[i][len] = '\0';
	}
}

/* Catalogue-shaped: exact names, "*." subtrees and one-label '*'. */
static void gen_pattern(char *buf)
{
	const char *prov = providers[below(PROVIDERS)], *tld = PICK(tlds);

	switch (below(3)) {
	case 0:
		snprintf(buf, NAME_LEN, "%s.%s.%s", PICK(services), prov, tld);
		break;
	case 1:
		snprintf(buf, NAME_LEN, "*.%s.%s", prov, tld);
		break;
	default:
		snprintf(buf, NAME_LEN, "%s.*.%s.%s", PICK(services), prov,
			 tld);
		break;
	}
}

/*
 * Half the names come from the table's patterns, half are strangers whose
 * provider label ("-x") no pattern has, so that both tables see the same
 * share of hits and the same walk lengths.
 */
static void gen_name(char *buf, char (*pats)[NAME_LEN], size_t n)
{
	const char *p = pats[below((uint32_t)n)];

	if (below(2)) {
		snprintf(buf, NAME_LEN, "%s.%s.%s-x.%s", PICK(services),
			 PICK(regions), providers[below(PROVIDERS)],
			 PICK(tlds));
		return;
	}
	if (!strncmp(p, "*.", 2))
		snprintf(buf, NAME_LEN, "%s.%s", PICK(regions), p + 2);
	else if (strstr(p, ".*."))
		snprintf(buf, NAME_LEN, "%.*s.%s%s", (int)strcspn(p, "."), p,
			 PICK(regions), strstr(p, ".*.") + 2);
	else
		snprintf(buf, NAME_LEN, "%s", p);
}

struct name_bench {
	char (*pats)[NAME_LEN];
	char (*names)[NAME_LEN];
	size_t *lens;
};

/* The best of a few runs: the machine is shared, noise only adds. */
static double time_names(const struct rbi_name_table *t,
			 const struct name_bench *b, unsigned long *hits)
{
	double t0, ns, best = 0;
	uint32_t value;
	size_t r, q;
	int rep;

	for (rep = 0; rep < repeats; rep++) {
		*hits = 0;
		t0 = now_ns();
		for (r = 0; r < rounds; r++)
			for (q = 0; q < QUERIES; q++)
				*hits += rbi_name_table_lookup(t, b->names[q],
							       b->lens[q],
							       &value);
		ns = (now_ns() - t0) / ((double)rounds * QUERIES);
		if (!rep || ns < best)
			best = ns;
	}
	return best;
}

/* Builds a table of the first n patterns and times lookups against it. */
static double bench_names_at(struct name_bench *b, size_t n, int report)
{
	struct rbi_name_table *t = rbi_name_table_alloc();
	unsigned long hits = 0;
	double t0, built, ns;
	size_t i;

	if (!t)
		exit(1);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		rbi_name_table_add(t, b->pats[i], strlen(b->pats[i]),
				   (uint32_t)i);
	built = (now_ns() - t0) / 1e6;
	for (i = 0; i < QUERIES; i++) {
		gen_name(b->names[i], b->pats, n);
		b->lens[i] = strlen(b->names[i]);
	}
	CALLGRIND_ZERO_STATS;
	ns = time_names(t, b, &hits);
	CALLGRIND_DUMP_STATS_AT(n == BIG ? "names-big" : n == MID ?
				"names-mid" : "names-small");
	printf("names: %6zu patterns (%6zu kept)", n, rbi_name_table_count(t));
	if (report)
		printf("  build %7.1f ms  mem %5.1f MiB", built,
		       mib(rbi_name_table_mem(t)));
	else
		printf("  %33s", "");
	printf("  lookup %6.1f ns  (%2.0f%% hits)\n", ns,
	       100.0 * hits / ((double)rounds * QUERIES));
	rbi_name_table_free(t);
	return ns;
}

static void bench_names(void)
{
	struct name_bench b;
	double big, mid, small;
	size_t i;

	b.pats = calloc(BIG, sizeof(*b.pats));
	b.names = calloc(QUERIES, sizeof(*b.names));
	b.lens = calloc(QUERIES, sizeof(*b.lens));
	if (!b.pats || !b.names || !b.lens)
		exit(1);
	for (i = 0; i < BIG; i++)
		gen_pattern(b.pats[i]);
	big = bench_names_at(&b, BIG, 1);
	mid = bench_names_at(&b, MID, 0);
	small = bench_names_at(&b, SMALL, 0);
	printf("names: lookup cost at %d / at %d patterns: %.2f (/ at %d: %.2f)\n",
	       BIG, SMALL, big / small, MID, big / mid);
	free(b.pats);
	free(b.names);
	free(b.lens);
}

struct addr_bench {
	struct rbi_prefix *prefixes;
	uint16_t *lo, *hi;
	struct rbi_ip *ips;
	uint16_t *ports;
};

/* Mostly IPv4 /16../32 across the whole space, some IPv6 /32../64. */
static void gen_prefix(struct rbi_prefix *p, uint16_t *lo, uint16_t *hi)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	if (below(5)) {
		p->ip.family = RBI_IP_V4;
		for (i = 0; i < 4; i++)
			p->ip.a[i] = (uint8_t)rnd();
		p->len = (uint8_t)(16 + below(17));
	} else {
		p->ip.family = RBI_IP_V6;
		p->ip.a[0] = 0x20;
		for (i = 1; i < 8; i++)
			p->ip.a[i] = (uint8_t)rnd();
		p->len = (uint8_t)(32 + below(33));
	}
	rbi_prefix_mask(p);
	*lo = 0;
	*hi = RBI_PORT_MAX;
	if (!below(4)) {
		*lo = 443;
		*hi = 443;
	}
}

/* Half the addresses fall in one of the first n prefixes. */
static void gen_ip(const struct addr_bench *b, size_t n, struct rbi_ip *ip,
		   uint16_t *port)
{
	const struct rbi_prefix *p = &b->prefixes[below((uint32_t)n)];
	size_t i, bytes = p->ip.family == RBI_IP_V4 ? 4 : 16;

	*ip = p->ip;
	for (i = below(2) ? p->len / 8u + 1 : 0; i < bytes; i++)
		ip->a[i] = (uint8_t)rnd();
	*port = below(2) ? 443 : (uint16_t)rnd();
}

static double time_addrs(const struct rbi_addr_table *t,
			 const struct addr_bench *b, unsigned long *hits)
{
	double t0, ns, best = 0;
	uint32_t value;
	size_t r, q;
	int rep;

	for (rep = 0; rep < repeats; rep++) {
		*hits = 0;
		t0 = now_ns();
		for (r = 0; r < rounds; r++)
			for (q = 0; q < QUERIES; q++)
				*hits += rbi_addr_table_lookup(t, &b->ips[q],
							       b->ports[q],
							       &value, NULL);
		ns = (now_ns() - t0) / ((double)rounds * QUERIES);
		if (!rep || ns < best)
			best = ns;
	}
	return best;
}

static double bench_addrs_at(struct addr_bench *b, size_t n, int report)
{
	struct rbi_addr_table *t = rbi_addr_table_alloc();
	unsigned long hits = 0;
	double t0, built, ns;
	size_t i;

	if (!t)
		exit(1);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		rbi_addr_table_add(t, &b->prefixes[i], b->lo[i], b->hi[i],
				   (uint32_t)i);
	built = (now_ns() - t0) / 1e6;
	for (i = 0; i < QUERIES; i++)
		gen_ip(b, n, &b->ips[i], &b->ports[i]);
	CALLGRIND_ZERO_STATS;
	ns = time_addrs(t, b, &hits);
	CALLGRIND_DUMP_STATS_AT(n == BIG ? "addrs-big" : n == MID ?
				"addrs-mid" : "addrs-small");
	printf("addrs: %6zu prefixes (%6zu kept)", n, rbi_addr_table_count(t));
	if (report)
		printf("  build %7.1f ms  mem %5.1f MiB", built,
		       mib(rbi_addr_table_mem(t)));
	else
		printf("  %33s", "");
	printf("  lookup %6.1f ns  (%2.0f%% hits)\n", ns,
	       100.0 * hits / ((double)rounds * QUERIES));
	rbi_addr_table_free(t);
	return ns;
}

static void bench_addrs(void)
{
	struct addr_bench b;
	double big, mid, small;
	size_t i;

	b.prefixes = calloc(BIG, sizeof(*b.prefixes));
	b.lo = calloc(BIG, sizeof(*b.lo));
	b.hi = calloc(BIG, sizeof(*b.hi));
	b.ips = calloc(QUERIES, sizeof(*b.ips));
	b.ports = calloc(QUERIES, sizeof(*b.ports));
	if (!b.prefixes || !b.lo || !b.hi || !b.ips || !b.ports)
		exit(1);
	for (i = 0; i < BIG; i++)
		gen_prefix(&b.prefixes[i], &b.lo[i], &b.hi[i]);
	big = bench_addrs_at(&b, BIG, 1);
	mid = bench_addrs_at(&b, MID, 0);
	small = bench_addrs_at(&b, SMALL, 0);
	printf("addrs: lookup cost at %d / at %d prefixes: %.2f (/ at %d: %.2f)\n",
	       BIG, SMALL, big / small, MID, big / mid);
	free(b.prefixes);
	free(b.lo);
	free(b.hi);
	free(b.ips);
	free(b.ports);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--instr")) {
		repeats = 1;
		rounds = 1;
	}
	make_providers();
	bench_names();
	bench_addrs();
	return 0;
}
