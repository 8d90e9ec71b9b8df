// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The nft plan against the classifier: nested and overlapping service
 * networks with different verdicts (blocked, shared and only logged, on
 * some ports only), port signatures, IPv6, and flows at every boundary of
 * every network and port range plus random ones. For each flow, looking
 * the plan's elements up in the order the camera_egress and
 * camera_ingress chains do must give what rbi_classify decides. Also:
 * the elements of every set are disjoint, as nftables requires.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "policy_load.h"
#include "daemon/dnslearn.h"
#include "nft/plan.h"

static const char policy_text[] =
"rbiblock: 1\n"
"name: plan-test\n"
"basis: test\n"
"prohibit:\n"
"  categories: [remote-biometric-identification, biometric-categorisation,"
" emotion-recognition]\n"
"  timing: [real-time, post]\n"
"  actors: [public, private]\n"
"  exceptions: []\n"
"zones:\n"
"  - name: square\n"
"    publicly-accessible: true\n"
"    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
"  - name: door\n"
"    publicly-accessible: false\n"
"    networks: [10.30.0.0/16]\n"
"recorders:\n"
"  - name: vms\n"
"    networks: [10.10.0.5/32]\n"
"    ports: [554, 443]\n"
"catalog:\n"
"  services:\n"
"    - id: wide\n"
"      name: a wide network\n"
"      categories: [remote-biometric-identification]\n"
"      networks: [198.51.100.0/24, \"2001:db8:100::/48\"]\n"
"    - id: shared-443\n"
"      name: shared, logged, inside wide, port 443 only\n"
"      categories: [emotion-recognition]\n"
"      shared: true\n"
"      networks: [198.51.100.128/25, \"2001:db8:100:1::/64\"]\n"
"      ports: [443]\n"
"    - id: inner\n"
"      name: nested inside shared-443, a port range\n"
"      categories: [biometric-categorisation]\n"
"      networks: [198.51.100.200/29]\n"
"      ports: [8000-8100]\n"
"    - id: apart\n"
"      name: two ports elsewhere\n"
"      categories: [emotion-recognition]\n"
"      networks: [203.0.113.0/24]\n"
"      ports: [8080]\n"
"    - id: udp-in-wide\n"
"      name: inside wide, one UDP port\n"
"      categories: [emotion-recognition]\n"
"      networks: [198.51.100.64/26, \"2001:db8:100:2::/64\"]\n"
"      ports: [5000/udp]\n"
"    - id: per-protocol\n"
"      name: inside apart, TCP and UDP ports that differ\n"
"      categories: [biometric-categorisation]\n"
"      networks: [203.0.113.128/25]\n"
"      ports: [8080/tcp, 9000-9100/udp]\n"
"    - id: udp-sig\n"
"      name: a port signature on UDP only\n"
"      categories: [remote-biometric-identification]\n"
"      networks: [0.0.0.0/0, \"::/0\"]\n"
"      ports: [8800/udp]\n"
"enforce:\n"
"  shared-hosts: log\n"
"  encrypted-client-hello: block\n"
"  quic: block\n"
"  dns-over-https: block\n"
"  camera-analytics: block\n"
"  on-failure: closed\n";

static bool in_range(const struct rbi_nft_elem *e, const struct rbi_ip *ip,
		     size_t w)
{
	return memcmp(e->lo, ip->a, w) <= 0 && memcmp(ip->a, e->hi, w) <= 0;
}

/* The verdict of the first element holding ip (and port), or 0. */
static uint32_t find(const struct rbi_nft_elems *s, const struct rbi_ip *ip,
		     int port, size_t w)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if ((!ip || in_range(&s->v[i], ip, w)) &&
		    (port < 0 || (s->v[i].port_lo <= port &&
				  port <= s->v[i].port_hi)))
			return s->v[i].verdict;
	return 0;
}

/*
 * What camera_egress decides on service networks, or 0, in its rules'
 * order: the port maps of one protocol, those both protocols read, the
 * address map, the port signatures. Other protocols meet only the
 * address map.
 */
static uint32_t egress(const struct rbi_nft_plan *plan,
		       const struct rbi_ip *dst, uint16_t port, uint8_t l4)
{
	int f = dst->family == RBI_IP_V4 ? RBI_NFT_V4_IDX : RBI_NFT_V6_IDX;
	bool udp = l4 == RBI_L4_UDP, ported = udp || l4 == RBI_L4_TCP;
	size_t w = rbi_nft_width(f);
	uint32_t v = 0;

	if (ported)
		v = find(&plan->sets[udp ? RBI_NFT_MAP_SVC_PORTS_UDP :
				     RBI_NFT_MAP_SVC_PORTS_TCP][f], dst,
			 port, w);
	if (!v && ported)
		v = find(&plan->sets[RBI_NFT_MAP_SVC_PORTS][f], dst, port, w);
	if (!v)
		v = find(&plan->sets[RBI_NFT_MAP_SVC_NETS][f], dst, -1, w);
	if (!ported)
		return v;
	if (!v)
		v = find(&plan->sets[RBI_NFT_MAP_SVC_SIGS][f], NULL, port, w);
	if (!v)
		v = find(&plan->sets[udp ? RBI_NFT_MAP_SVC_SIGS_UDP :
				     RBI_NFT_MAP_SVC_SIGS_TCP][f], NULL, port,
			 w);
	return v;
}

static uint32_t expect(const struct rbi_decision *d)
{
	if (d->verdict == RBI_BLOCK)
		return RBI_NFT_VERDICT(RBI_NFT_BLOCK, d->rule);
	if (d->log)
		return RBI_NFT_VERDICT(RBI_NFT_LOG, d->rule);
	return RBI_NFT_VERDICT(RBI_NFT_ACCEPT, RBI_RULE_NONE);
}

static void check_flow(const struct rbi_policy *p,
		       const struct rbi_nft_plan *plan, const char *addr,
		       uint16_t port)
{
	/* TCP, UDP, and ICMP (no ports: port 0, as the module has it). */
	static const uint8_t l4s[] = { RBI_L4_TCP, RBI_L4_UDP, 1 };
	struct rbi_decision d;
	struct rbi_flow f;
	uint32_t want, got;
	size_t i;
	int fam;

	memset(&f, 0, sizeof(f));
	assert_int_equal(rbi_ip_parse(addr, strlen(addr), &f.dst), 0);
	assert_int_equal(rbi_ip_parse("10.20.0.9", 9, &f.src), 0);
	f.learned = RBI_NONE;
	for (i = 0; i < sizeof(l4s); i++) {
		f.l4 = l4s[i];
		f.dport = l4s[i] == 1 ? 0 : port;
		rbi_classify(p->config, &f, &d);
		want = d.net_id != RBI_NONE ? expect(&d) : 0;
		got = egress(plan, &f.dst, f.dport, f.l4);
		if (want != got)
			fail_msg("egress to %s port %u l4 %u: classifier %#x, "
				 "plan %#x", addr, f.dport, f.l4, want, got);
	}
	f.l4 = RBI_L4_TCP;
	/* The same address opening a flow to the camera. */
	f.src = f.dst;
	assert_int_equal(rbi_ip_parse("10.20.0.9", 9, &f.dst), 0);
	f.dport = 8080;
	f.sport = port;
	rbi_classify(p->config, &f, &d);
	want = d.net_id != RBI_NONE && d.ingress ? expect(&d) : 0;
	fam = f.src.family == RBI_IP_V4 ? RBI_NFT_V4_IDX : RBI_NFT_V6_IDX;
	got = find(&plan->sets[RBI_NFT_MAP_SVC_HOSTS][fam], &f.src, -1,
		   rbi_nft_width(fam));
	if (want != got)
		fail_msg("ingress from %s: classifier %#x, plan %#x", addr,
			 want, got);
}

static void test_plan_matches_classifier(void **state)
{
	static const char *const addrs[] = {
		"198.50.255.255", "198.51.100.0", "198.51.100.1",
		"198.51.100.127", "198.51.100.128", "198.51.100.199",
		"198.51.100.200", "198.51.100.207", "198.51.100.208",
		"198.51.100.255", "198.51.101.0", "203.0.112.255",
		"198.51.100.63", "198.51.100.64", "198.51.100.100",
		"198.51.100.127", "203.0.113.127", "203.0.113.128",
		"203.0.113.200", "2001:db8:100:2::9",
		"2001:db8:100:2:ffff:ffff:ffff:ffff", "2001:db8:100:3::",
		"203.0.113.0", "203.0.113.77", "203.0.113.255", "203.0.114.0",
		"0.0.0.0", "255.255.255.255", "10.20.1.1",
		"2001:db8:100::", "2001:db8:100::1", "2001:db8:100:1::",
		"2001:db8:100:1:ffff:ffff:ffff:ffff", "2001:db8:100:2::",
		"2001:db8:100:ffff:ffff:ffff:ffff:ffff", "2001:db8:101::",
		"2001:db8:ff::1", "::", "::1",
	};
	static const uint16_t ports[] = {
		0, 1, 79, 80, 81, 442, 443, 444, 7436, 7437, 7438, 7999, 8000,
		8050, 8100, 8101, 8080, 8079, 8081, 8799, 8800, 8801, 4999,
		5000, 5001, 8999, 9000, 9050, 9100, 9101,
		18410, 18411, 18412, 18666, 18810,
		18811, 18812, 18820, 65535,
	};
	struct rbi_policy *p =
		rbi_test_policy_load("plan-test.yaml", policy_text);
	struct rbi_nft_plan plan;
	size_t i, k;

	assert_int_equal(rbi_nft_plan_build(p, &plan), 0);
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
		for (k = 0; k < sizeof(ports) / sizeof(ports[0]); k++)
			check_flow(p, &plan, addrs[i], ports[k]);
	rbi_nft_plan_free(&plan);
	rbi_policy_free(p);
}

static bool overlap(const struct rbi_nft_elem *a, const struct rbi_nft_elem *b,
		    size_t w)
{
	return memcmp(a->lo, b->hi, w) <= 0 && memcmp(b->lo, a->hi, w) <= 0 &&
	       a->port_lo <= b->port_hi && b->port_lo <= a->port_hi;
}

static void test_elements_disjoint(void **state)
{
	struct rbi_policy *p =
		rbi_test_policy_load("plan-test.yaml", policy_text);
	const struct rbi_nft_elems *e;
	struct rbi_nft_plan plan;
	size_t s, f, i, k;

	assert_int_equal(rbi_nft_plan_build(p, &plan), 0);
	for (s = 0; s < __RBI_NFT_SET_MAX; s++) {
		for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++) {
			e = &plan.sets[s][f];
			for (i = 0; i < e->n; i++)
				for (k = i + 1; k < e->n; k++)
					if (overlap(&e->v[i], &e->v[k],
						    rbi_nft_width(f)))
						fail_msg("set %s: elements %zu "
							 "and %zu overlap",
							 rbi_nft_set_info(s)->name,
							 i, k);
		}
	}
	/*
	 * wide outside shared-443 is one element, merged across cuts, and
	 * so with what ICMP meets inside udp-in-wide.
	 */
	assert_int_equal(plan.sets[RBI_NFT_MAP_SVC_NETS][RBI_NFT_V4_IDX].n, 1);
	/* Where TCP and UDP differ, and only there, a map per protocol. */
	assert_int_equal(plan.sets[RBI_NFT_MAP_SVC_PORTS_UDP][RBI_NFT_V4_IDX].n,
			 3 + 2);
	assert_int_equal(plan.sets[RBI_NFT_MAP_SVC_SIGS_UDP][RBI_NFT_V4_IDX].n, 1);
	assert_int_equal(plan.sets[RBI_NFT_MAP_SVC_SIGS][RBI_NFT_V4_IDX].n, 0);
	rbi_nft_plan_free(&plan);
	rbi_policy_free(p);
}

/* A DNS answer: CNAME from a service name, and one to a service name. */
static const uint8_t answer[] = {
	0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
	/* question: faces.example A IN */
	5, 'f', 'a', 'c', 'e', 's', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
	0, 1, 0, 1,
	/* faces.example CNAME api.kairos.com, TTL 600 */
	0xc0, 12, 0, 5, 0, 1, 0, 0, 2, 0x58, 0, 16,
	3, 'a', 'p', 'i', 6, 'k', 'a', 'i', 'r', 'o', 's', 3, 'c', 'o', 'm',
	0,
	/* api.kairos.com A 198.51.100.22, TTL 7 */
	0xc0, 43, 0, 1, 0, 1, 0, 0, 0, 7, 0, 4, 198, 51, 100, 22,
};

static void test_dns_learning(void **state)
{
	struct rbi_dns_answer_set *scratch = malloc(sizeof(*scratch));
	struct rbi_policy *p =
		rbi_test_policy_load("plan-test.yaml", policy_text);
	struct rbi_ip from = { .family = RBI_IP_V4, .a = { 192, 0, 2, 53 } };
	struct rbi_dnslearn out = { 0 };
	struct rbi_memo m;
	uint8_t *copy;
	size_t n, i;

	assert_non_null(scratch);
	assert_int_equal(rbi_memo_init(&m), 0);
	n = rbi_dnslearn(&out, &m, p, answer, sizeof(answer), &from, 30,
			 scratch);
	assert_int_equal(n, 1);
	assert_int_equal(out.v[0].entry.family, RBI_IP_V4);
	assert_memory_equal(out.v[0].entry.addr,
			    ((uint8_t[]){ 198, 51, 100, 22 }), 4);
	assert_int_equal(out.v[0].ttl, 7);
	assert_int_equal(out.v[0].entry.timeout, 37);
	assert_string_equal(out.v[0].comment, "kairos api.kairos.com");
	assert_ptr_equal(out.v[0].entry.comment, out.v[0].comment);
	assert_int_equal(RBI_NFT_ACTION(out.v[0].entry.verdict),
			 RBI_NFT_BLOCK);
	/* Every strict prefix: no crash, no over-read, never wrong data. */
	for (i = 0; i < sizeof(answer); i++) {
		copy = malloc(i ? i : 1);
		assert_non_null(copy);
		memcpy(copy, answer, i);
		n = rbi_dnslearn(&out, &m, p, copy, i, &from, 30, scratch);
		assert_true(n == 0 ||
			    (n == 1 && out.v[0].entry.addr[3] == 22));
		free(copy);
	}
	rbi_dnslearn_free(&out);
	rbi_memo_destroy(&m);
	free(scratch);
	rbi_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_matches_classifier),
		cmocka_unit_test(test_elements_disjoint),
		cmocka_unit_test(test_dns_learning),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
