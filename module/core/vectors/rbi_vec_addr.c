// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Address vectors: text forms in and out (RFC 4291 input, RFC 5952 output,
 * refusals with their reasons), containment and overlap, and longest-prefix
 * tables with port ranges, whose every answer is also checked against the
 * linear reference matcher below. Each text input and every strict prefix
 * of it is parsed from a buffer of exactly its size.
 */
#include "rbi_vec_tables.h"
#include "rbi_vectors.h"

struct rbi_vec_addr_parse {
	const char *id;
	const char *text;
	const char *want;	/* canonical "address/length"; NULL: refused */
	const char *why;	/* the reason when refused */
	const char *fix;	/* for "host bits set": the masked prefix */
};

#define RBI_VEC_OK(id, text, want) { id, text, want, NULL, NULL }
#define RBI_VEC_BAD(id, text, why) { id, text, NULL, why, NULL }
#define RBI_VEC_FIX(id, text, fix) { id, text, NULL, "host bits set", fix }

static const struct rbi_vec_addr_parse rbi_vec_addr_parses[] = {
	RBI_VEC_OK("v4-prefix", "10.0.0.0/8", "10.0.0.0/8"),
	RBI_VEC_OK("v4-bare-host", "192.168.1.7", "192.168.1.7/32"),
	RBI_VEC_OK("v4-default", "0.0.0.0/0", "0.0.0.0/0"),
	RBI_VEC_OK("v4-host-32", "10.10.0.5/32", "10.10.0.5/32"),
	RBI_VEC_OK("v4-all-ones", "255.255.255.255", "255.255.255.255/32"),
	RBI_VEC_FIX("v4-host-bits", "10.1.2.3/8", "10.0.0.0/8"),
	RBI_VEC_FIX("v4-host-bits-25", "192.0.2.130/25", "192.0.2.128/25"),
	RBI_VEC_BAD("v4-octet-256", "256.1.1.1", "IPv4 octet above 255"),
	RBI_VEC_BAD("v4-leading-zero", "01.2.3.4",
		    "leading zero in IPv4 octet"),
	RBI_VEC_BAD("v4-three-octets", "1.2.3",
		    "IPv4 address needs exactly four octets"),
	RBI_VEC_BAD("v4-five-octets", "1.2.3.4.5",
		    "IPv4 address needs exactly four octets"),
	RBI_VEC_BAD("v4-empty-octet", "1..2.3", "empty IPv4 octet"),
	RBI_VEC_BAD("v4-trailing-dot", "1.2.3.4.", "empty IPv4 octet"),
	RBI_VEC_BAD("v4-bad-char", "1.2.3.x", "bad character in IPv4 address"),
	RBI_VEC_BAD("v4-sign", "1.2.3.+4", "bad character in IPv4 address"),
	RBI_VEC_BAD("v4-len-33", "10.0.0.0/33", "prefix length out of range"),
	RBI_VEC_BAD("v4-len-missing", "10.0.0.0/",
		    "missing prefix length after '/'"),
	RBI_VEC_BAD("v4-len-leading-zero", "10.0.0.0/08",
		    "leading zero in prefix length"),
	RBI_VEC_BAD("v4-two-slashes", "10.0.0.0/8/8", "bad prefix length"),
	RBI_VEC_BAD("v4-len-huge", "10.0.0.0/99999999999",
		    "prefix length out of range"),
	RBI_VEC_BAD("empty", "", "empty address"),
	RBI_VEC_BAD("only-slash", "/8", "empty address"),
	RBI_VEC_OK("v6-prefix", "2001:db8::/32", "2001:db8::/32"),
	RBI_VEC_OK("v6-zone-prefix", "2001:db8:20::/48", "2001:db8:20::/48"),
	RBI_VEC_OK("v6-uncompressed", "2001:0DB8:0000:0000:0000:0000:0000:0001",
		   "2001:db8::1/128"),
	RBI_VEC_OK("v6-leftmost-run", "2001:db8:0:0:1:0:0:1",
		   "2001:db8::1:0:0:1/128"),
	RBI_VEC_OK("v6-longest-run", "2001:db8:0:1:0:0:0:1",
		   "2001:db8:0:1::1/128"),
	RBI_VEC_OK("v6-single-zero", "2001:db8:0:1:1:1:1:1",
		   "2001:db8:0:1:1:1:1:1/128"),
	RBI_VEC_OK("v6-unspecified", "::", "::/128"),
	RBI_VEC_OK("v6-default", "::/0", "::/0"),
	RBI_VEC_OK("v6-loopback", "::1", "::1/128"),
	RBI_VEC_OK("v6-trailing-gap", "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0/128"),
	RBI_VEC_OK("v6-leading-gap", "::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8/128"),
	RBI_VEC_OK("v6-mapped", "::ffff:1.2.3.4", "::ffff:1.2.3.4/128"),
	RBI_VEC_OK("v6-mapped-hex", "::FFFF:C000:0280",
		   "::ffff:192.0.2.128/128"),
	RBI_VEC_OK("v6-mapped-prefix", "::ffff:10.0.0.0/104",
		   "::ffff:10.0.0.0/104"),
	RBI_VEC_OK("v6-nat64", "64:ff9b::192.0.2.33", "64:ff9b::c000:221/128"),
	RBI_VEC_OK("v6-embedded-full", "1:2:3:4:5:6:1.2.3.4",
		   "1:2:3:4:5:6:102:304/128"),
	RBI_VEC_OK("v6-link-local", "fe80::1:2", "fe80::1:2/128"),
	RBI_VEC_FIX("v6-host-bits", "2001:db8::1/32", "2001:db8::/32"),
	RBI_VEC_BAD("v6-two-gaps", "1::2::3", "more than one '::'"),
	RBI_VEC_BAD("v6-long-group", "12345::",
		    "IPv6 group longer than 4 hex digits"),
	RBI_VEC_BAD("v6-nine-groups", "1:2:3:4:5:6:7:8:9",
		    "too many IPv6 groups"),
	RBI_VEC_BAD("v6-three-groups", "1:2:3", "too few IPv6 groups"),
	RBI_VEC_BAD("v6-gap-for-nothing", "1:2:3:4::5:6:7:8",
		    "'::' must stand for at least one group"),
	RBI_VEC_BAD("v6-single-colon-start", ":1::",
		    "IPv6 address starts with a single ':'"),
	RBI_VEC_BAD("v6-single-colon-end", "1::2:",
		    "IPv6 address ends with a single ':'"),
	RBI_VEC_BAD("v6-triple-colon", "1:::2", "empty IPv6 group"),
	RBI_VEC_BAD("v6-zone", "fe80::1%eth0", "zone index ('%') not allowed"),
	RBI_VEC_BAD("v6-bad-char", "g::1", "bad character in IPv6 address"),
	RBI_VEC_BAD("v6-v4-too-late", "1:2:3:4:5:6:7:1.2.3.4",
		    "too many IPv6 groups"),
	RBI_VEC_BAD("v6-v4-not-last", "::1.2.3.4:1",
		    "IPv4 part of an IPv6 address must come last"),
	RBI_VEC_BAD("v6-v4-bad-octet", "::ffff:1.2.3.256",
		    "IPv4 octet above 255"),
	RBI_VEC_BAD("v6-len-129", "2001:db8::/129",
		    "prefix length out of range"),
};

struct rbi_vec_addr_rel {
	const char *id;
	const char *a, *b;
	bool contains;		/* a contains b's address */
	bool overlap;
};

static const struct rbi_vec_addr_rel rbi_vec_addr_rels[] = {
	{ "contains-inside", "10.0.0.0/8", "10.255.1.1", true, true },
	{ "contains-outside", "10.0.0.0/8", "11.0.0.0", false, false },
	{ "contains-other-family", "0.0.0.0/0", "::", false, false },
	{ "contains-mapped-is-v6", "10.0.0.0/8", "::ffff:10.0.0.1", false,
	  false },
	{ "overlap-nested", "10.0.0.0/8", "10.1.0.0/16", true, true },
	{ "overlap-halves", "10.0.0.0/9", "10.128.0.0/9", false, false },
	{ "overlap-v6-nested", "2001:db8::/32", "2001:db8:20::/48", true,
	  true },
	{ "overlap-v6-default", "::/0", "2001:db8::1", true, true },
	{ "overlap-same", "192.0.2.0/24", "192.0.2.0/24", true, true },
};

enum {
	RBI_VEC_ADDR_ADDS = 5,
	RBI_VEC_ADDR_QUERIES = 6,
};

/* Add i is made with value i + 1; prefix NULL after the last. */
struct rbi_vec_addr_add {
	const char *prefix;
	uint16_t lo, hi;
	int rc;
};

/* ip NULL after the last. */
struct rbi_vec_addr_query {
	const char *ip;
	uint16_t port;
	int want;		/* index of the winning add; -1: none */
	uint8_t plen;
};

struct rbi_vec_addr_lpm {
	const char *id;
	struct rbi_vec_addr_add add[RBI_VEC_ADDR_ADDS];
	struct rbi_vec_addr_query q[RBI_VEC_ADDR_QUERIES];
};

#define RBI_VEC_ADD_ANY(prefix) { prefix, 0, RBI_PORT_MAX, 0 }
#define RBI_VEC_ADD(prefix, lo, hi) { prefix, lo, hi, 0 }
#define RBI_VEC_ADD_RC(prefix, lo, hi, rc) { prefix, lo, hi, rc }
#define RBI_VEC_HIT(ip, port, add, plen) { ip, port, add, plen }
#define RBI_VEC_MISS(ip, port) { ip, port, -1, 0 }

static const struct rbi_vec_addr_lpm rbi_vec_addr_lpms[] = {
	{ .id = "lpm-v4-nested",
	  .add = { RBI_VEC_ADD_ANY("0.0.0.0/0"),
		   RBI_VEC_ADD_ANY("10.0.0.0/8"),
		   RBI_VEC_ADD_ANY("10.1.0.0/16"),
		   RBI_VEC_ADD_ANY("10.1.2.3/32") },
	  .q = { RBI_VEC_HIT("10.1.2.3", 80, 3, 32),
		 RBI_VEC_HIT("10.1.2.4", 80, 2, 16),
		 RBI_VEC_HIT("10.2.0.1", 80, 1, 8),
		 RBI_VEC_HIT("11.0.0.1", 80, 0, 0),
		 RBI_VEC_HIT("255.255.255.255", 0, 0, 0) } },
	{ .id = "lpm-v4-nested-added-backwards",
	  .add = { RBI_VEC_ADD_ANY("10.1.2.3/32"),
		   RBI_VEC_ADD_ANY("10.1.0.0/16"),
		   RBI_VEC_ADD_ANY("10.0.0.0/8"),
		   RBI_VEC_ADD_ANY("0.0.0.0/0") },
	  .q = { RBI_VEC_HIT("10.1.2.3", 80, 0, 32),
		 RBI_VEC_HIT("10.1.2.4", 80, 1, 16),
		 RBI_VEC_HIT("10.2.0.1", 80, 2, 8),
		 RBI_VEC_HIT("11.0.0.1", 80, 3, 0) } },
	{ .id = "lpm-v6-nested",
	  .add = { RBI_VEC_ADD_ANY("::/0"),
		   RBI_VEC_ADD_ANY("2001:db8::/32"),
		   RBI_VEC_ADD_ANY("2001:db8:20::/48"),
		   RBI_VEC_ADD_ANY("2001:db8:20::5/128") },
	  .q = { RBI_VEC_HIT("2001:db8:20::5", 443, 3, 128),
		 RBI_VEC_HIT("2001:db8:20::6", 443, 2, 48),
		 RBI_VEC_HIT("2001:db8:21::", 443, 1, 32),
		 RBI_VEC_HIT("2001:db9::", 443, 0, 0),
		 RBI_VEC_HIT("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 443,
			     0, 0) } },
	{ .id = "lpm-ports-fall-back",
	  .add = { RBI_VEC_ADD_ANY("10.10.0.0/16"),
		   RBI_VEC_ADD("10.10.9.0/24", 18411, 18411),
		   RBI_VEC_ADD("10.10.9.0/24", 8000, 8999) },
	  .q = { RBI_VEC_HIT("10.10.9.1", 18411, 1, 24),
		 RBI_VEC_HIT("10.10.9.1", 8080, 2, 24),
		 RBI_VEC_HIT("10.10.9.1", 443, 0, 16),
		 RBI_VEC_MISS("10.11.0.1", 18411) } },
	{ .id = "lpm-ports-fall-back-below-16",
	  .add = { RBI_VEC_ADD_ANY("10.0.0.0/8"),
		   RBI_VEC_ADD("10.10.9.0/24", 554, 554),
		   RBI_VEC_ADD("10.10.0.0/16", 443, 443),
		   RBI_VEC_ADD("10.0.0.0/15", 80, 80) },
	  .q = { RBI_VEC_HIT("10.10.9.1", 554, 1, 24),
		 RBI_VEC_HIT("10.10.9.1", 443, 2, 16),
		 RBI_VEC_HIT("10.10.9.1", 22, 0, 8),
		 RBI_VEC_HIT("10.1.0.1", 80, 3, 15),
		 RBI_VEC_HIT("10.1.0.1", 81, 0, 8),
		 RBI_VEC_MISS("11.10.9.1", 554) } },
	{ .id = "lpm-ports-only-range",
	  .add = { RBI_VEC_ADD("10.10.0.5/32", 554, 554) },
	  .q = { RBI_VEC_HIT("10.10.0.5", 554, 0, 32),
		 RBI_VEC_MISS("10.10.0.5", 555),
		 RBI_VEC_MISS("10.10.0.5", 553),
		 RBI_VEC_MISS("10.10.0.4", 554) } },
	{ .id = "lpm-ports-narrowest",
	  .add = { RBI_VEC_ADD_ANY("192.0.2.0/24"),
		   RBI_VEC_ADD("192.0.2.0/24", 400, 500),
		   RBI_VEC_ADD("192.0.2.0/24", 443, 443),
		   RBI_VEC_ADD_RC("192.0.2.0/24", 0, RBI_PORT_MAX, -EEXIST) },
	  .q = { RBI_VEC_HIT("192.0.2.1", 443, 2, 24),
		 RBI_VEC_HIT("192.0.2.1", 450, 1, 24),
		 RBI_VEC_HIT("192.0.2.1", 80, 0, 24),
		 RBI_VEC_HIT("192.0.2.1", 65535, 0, 24) } },
	{ .id = "lpm-v4-default-not-v6",
	  .add = { RBI_VEC_ADD_ANY("0.0.0.0/0") },
	  .q = { RBI_VEC_MISS("::1", 80),
		 RBI_VEC_HIT("1.2.3.4", 80, 0, 0) } },
	{ .id = "lpm-v6-default-not-v4",
	  .add = { RBI_VEC_ADD_ANY("::/0") },
	  .q = { RBI_VEC_MISS("1.2.3.4", 80),
		 RBI_VEC_HIT("::1", 80, 0, 0),
		 RBI_VEC_MISS("::ffff:1.2.3.4", 80) } },
	{ .id = "lpm-mapped-as-v4",
	  .add = { RBI_VEC_ADD_ANY("10.0.0.0/8"),
		   RBI_VEC_ADD_ANY("::ffff:192.0.2.0/120") },
	  .q = { RBI_VEC_HIT("::ffff:10.1.1.1", 80, 0, 8),
		 RBI_VEC_HIT("192.0.2.5", 80, 1, 24),
		 RBI_VEC_HIT("::ffff:192.0.2.5", 80, 1, 24),
		 RBI_VEC_MISS("192.0.3.1", 80) } },
	{ .id = "lpm-siblings",
	  .add = { RBI_VEC_ADD_ANY("10.0.0.0/24"),
		   RBI_VEC_ADD_ANY("10.0.1.0/24"),
		   RBI_VEC_ADD_ANY("10.0.2.0/23"),
		   RBI_VEC_ADD_ANY("10.0.0.128/25") },
	  .q = { RBI_VEC_HIT("10.0.0.200", 1, 3, 25),
		 RBI_VEC_HIT("10.0.0.5", 1, 0, 24),
		 RBI_VEC_HIT("10.0.1.9", 1, 1, 24),
		 RBI_VEC_HIT("10.0.3.1", 1, 2, 23),
		 RBI_VEC_MISS("10.0.4.1", 1) } },
	{ .id = "lpm-hosts",
	  .add = { RBI_VEC_ADD_ANY("10.0.0.1"),
		   RBI_VEC_ADD_ANY("10.0.0.2/32"),
		   RBI_VEC_ADD_ANY("2001:db8::1"),
		   RBI_VEC_ADD_ANY("2001:db8::2/128") },
	  .q = { RBI_VEC_HIT("10.0.0.1", 9, 0, 32),
		 RBI_VEC_HIT("10.0.0.2", 9, 1, 32),
		 RBI_VEC_MISS("10.0.0.3", 9),
		 RBI_VEC_HIT("2001:db8::1", 9, 2, 128),
		 RBI_VEC_HIT("2001:db8::2", 9, 3, 128),
		 RBI_VEC_MISS("2001:db8::3", 9) } },
	{ .id = "lpm-empty",
	  .q = { RBI_VEC_MISS("1.2.3.4", 80),
		 RBI_VEC_MISS("::", 80) } },
	{ .id = "lpm-refused-adds",
	  .add = { RBI_VEC_ADD_RC("10.1.2.3/8", 0, RBI_PORT_MAX, -EINVAL),
		   RBI_VEC_ADD_RC("10.0.0.0/8", 100, 99, -EINVAL),
		   RBI_VEC_ADD_ANY("10.0.0.0/8") },
	  .q = { RBI_VEC_HIT("10.1.1.1", 99, 2, 8),
		 RBI_VEC_MISS("11.1.1.1", 99) } },
	{ .id = "lpm-first-bit",
	  .add = { RBI_VEC_ADD_ANY("0.0.0.0/1"),
		   RBI_VEC_ADD_ANY("128.0.0.0/1") },
	  .q = { RBI_VEC_HIT("127.255.255.255", 1, 0, 1),
		 RBI_VEC_HIT("128.0.0.0", 1, 1, 1) } },
	{ .id = "lpm-last-bit",
	  .add = { RBI_VEC_ADD_ANY("2001:db8::/127"),
		   RBI_VEC_ADD_ANY("2001:db8::1/128"),
		   RBI_VEC_ADD_ANY("10.0.0.0/31"),
		   RBI_VEC_ADD_ANY("10.0.0.0/32") },
	  .q = { RBI_VEC_HIT("2001:db8::1", 1, 1, 128),
		 RBI_VEC_HIT("2001:db8::", 1, 0, 127),
		 RBI_VEC_MISS("2001:db8::2", 1),
		 RBI_VEC_HIT("10.0.0.0", 1, 3, 32),
		 RBI_VEC_HIT("10.0.0.1", 1, 2, 31) } },
};


#define RBI_VEC_N_PARSE RBI_ARRAY_SIZE(rbi_vec_addr_parses)
#define RBI_VEC_N_REL RBI_ARRAY_SIZE(rbi_vec_addr_rels)
#define RBI_VEC_N_LPM RBI_ARRAY_SIZE(rbi_vec_addr_lpms)

static bool rbi_vec_addr_streq(const char *a, const char *b)
{
	size_t n = rbi_strlen(a);

	return n == rbi_strlen(b) && !rbi_memcmp(a, b, n);
}

static bool rbi_vec_has_slash(const char *s)
{
	while (*s)
		if (*s++ == '/')
			return true;
	return false;
}

uint8_t rbi_vec_addr_ref_len(const struct rbi_vec_addr_entry *e)
{
	struct rbi_prefix p = e->prefix;

	rbi_prefix_unmap(&p);
	return p.len;
}

/* Longer prefix first, then the narrower port range; else keep the first. */
static bool rbi_vec_addr_ref_beats(const struct rbi_vec_addr_entry *a,
				   const struct rbi_vec_addr_entry *b)
{
	uint8_t la = rbi_vec_addr_ref_len(a), lb = rbi_vec_addr_ref_len(b);

	if (la != lb)
		return la > lb;
	return a->hi - a->lo < b->hi - b->lo;
}

long rbi_vec_addr_ref(const struct rbi_vec_addr_entry *e, size_t n,
		      const struct rbi_ip *ip, uint16_t port)
{
	struct rbi_ip k = *ip;
	struct rbi_prefix p;
	long best = -1;
	size_t i;

	rbi_ip_unmap(&k);
	for (i = 0; i < n; i++) {
		if (port < e[i].lo || port > e[i].hi)
			continue;
		p = e[i].prefix;
		rbi_prefix_unmap(&p);
		if (!rbi_prefix_contains(&p, &k))
			continue;
		if (best < 0 || rbi_vec_addr_ref_beats(&e[i], &e[best]))
			best = (long)i;
	}
	return best;
}

static bool rbi_vec_prefix_eq(const struct rbi_prefix *a,
			      const struct rbi_prefix *b)
{
	return a->ip.family == b->ip.family && a->len == b->len &&
	       !rbi_memcmp(a->ip.a, b->ip.a, sizeof(a->ip.a));
}

/* A parsed prefix prints, and what it prints parses back to itself. */
static int rbi_vec_addr_stable(const struct rbi_prefix *p, char *why,
			       size_t why_len)
{
	char text[RBI_PREFIX_STRLEN];
	struct rbi_prefix again;
	size_t len;

	len = rbi_prefix_format(p, text, sizeof(text));
	if (!len || rbi_prefix_parse(text, len, &again, NULL) ||
	    !rbi_vec_prefix_eq(p, &again)) {
		rbi_snprintf(why, why_len, "\"%s\" does not parse back", text);
		return -1;
	}
	return 0;
}

/* Parses s[0..len) from a buffer of exactly that size. */
static int rbi_vec_addr_parse_dup(const char *s, size_t len,
				  struct rbi_prefix *p, const char **reason,
				  struct rbi_ip *ip, int *ip_rc)
{
	char *buf = (char *)rbi_vec_dup((const uint8_t *)s, len);
	int rc;

	if (!buf)
		return -ENOMEM;
	rc = rbi_prefix_parse(buf, len, p, reason);
	*ip_rc = rbi_ip_parse(buf, len, ip);
	rbi_free(buf);
	return rc;
}

/* Every strict prefix: refused with a reason, or a stable prefix. */
static int rbi_vec_addr_prefixes(const char *text, char *why, size_t why_len)
{
	size_t len = rbi_strlen(text), k;
	struct rbi_prefix p;
	const char *reason;
	struct rbi_ip ip;
	int rc, ip_rc;

	for (k = 0; k < len; k++) {
		rc = rbi_vec_addr_parse_dup(text, k, &p, &reason, &ip, &ip_rc);
		if (rc == -ENOMEM) {
			rbi_snprintf(why, why_len, "out of memory");
			return -1;
		}
		if (rc == -EINVAL && reason)
			continue;
		if (rc || reason) {
			rbi_snprintf(why, why_len, "prefix \"%.*s\": rc %d",
				     (int)k, text, rc);
			return -1;
		}
		if (rbi_vec_addr_stable(&p, why, why_len))
			return -1;
	}
	return 0;
}

static int rbi_vec_addr_accepted(const struct rbi_vec_addr_parse *c,
				 const struct rbi_prefix *p,
				 const struct rbi_ip *ip, int ip_rc,
				 char *why, size_t why_len)
{
	char text[RBI_PREFIX_STRLEN];
	bool bare = !rbi_vec_has_slash(c->text);

	rbi_prefix_format(p, text, sizeof(text));
	if (!rbi_vec_addr_streq(text, c->want)) {
		rbi_snprintf(why, why_len, "prints \"%s\", want \"%s\"", text,
			     c->want);
		return -1;
	}
	if (bare != (ip_rc == 0) || (bare && (ip->family != p->ip.family ||
	    rbi_memcmp(ip->a, p->ip.a, sizeof(ip->a))))) {
		rbi_snprintf(why, why_len, "rbi_ip_parse disagrees (%d)", ip_rc);
		return -1;
	}
	return rbi_vec_addr_stable(p, why, why_len);
}

static int rbi_vec_addr_refused(const struct rbi_vec_addr_parse *c,
				struct rbi_prefix *p, const char *reason,
				char *why, size_t why_len)
{
	char text[RBI_PREFIX_STRLEN];

	if (!reason || !rbi_vec_addr_streq(reason, c->why)) {
		rbi_snprintf(why, why_len, "refused for \"%s\", want \"%s\"",
			     reason ? reason : "no reason", c->why);
		return -1;
	}
	if (!c->fix)
		return 0;
	rbi_prefix_mask(p);
	rbi_prefix_format(p, text, sizeof(text));
	if (rbi_vec_addr_streq(text, c->fix))
		return 0;
	rbi_snprintf(why, why_len, "suggests \"%s\", want \"%s\"", text, c->fix);
	return -1;
}

static int rbi_vec_addr_parse_check(const struct rbi_vec_addr_parse *c,
				    char *why, size_t why_len)
{
	const char *reason = NULL;
	struct rbi_prefix p;
	struct rbi_ip ip;
	int rc, ip_rc, err;

	rc = rbi_vec_addr_parse_dup(c->text, rbi_strlen(c->text), &p, &reason,
				    &ip, &ip_rc);
	if (rc == -ENOMEM) {
		rbi_snprintf(why, why_len, "out of memory");
		return -1;
	}
	if (c->want && rc) {
		rbi_snprintf(why, why_len, "refused: %s", reason);
		return -1;
	}
	if (!c->want && !rc) {
		rbi_snprintf(why, why_len, "accepted, want \"%s\"", c->why);
		return -1;
	}
	err = c->want ? rbi_vec_addr_accepted(c, &p, &ip, ip_rc, why, why_len) :
			rbi_vec_addr_refused(c, &p, reason, why, why_len);
	return err ? err : rbi_vec_addr_prefixes(c->text, why, why_len);
}

static int rbi_vec_addr_rel_check(const struct rbi_vec_addr_rel *c, char *why,
				  size_t why_len)
{
	struct rbi_prefix a, b;
	bool contains, overlap, back;

	if (rbi_prefix_parse(c->a, rbi_strlen(c->a), &a, NULL) ||
	    rbi_prefix_parse(c->b, rbi_strlen(c->b), &b, NULL)) {
		rbi_snprintf(why, why_len, "vector does not parse");
		return -1;
	}
	contains = rbi_prefix_contains(&a, &b.ip);
	overlap = rbi_prefix_overlap(&a, &b);
	back = rbi_prefix_overlap(&b, &a);
	if (contains == c->contains && overlap == c->overlap && back == overlap)
		return 0;
	rbi_snprintf(why, why_len, "contains %d overlap %d/%d", contains,
		     overlap, back);
	return -1;
}

/* What the built table holds, for the reference: entries and add index. */
struct rbi_vec_addr_ref_set {
	struct rbi_vec_addr_entry e[RBI_VEC_ADDR_ADDS];
	int add[RBI_VEC_ADDR_ADDS];
	size_t n;
};

static int rbi_vec_addr_build(struct rbi_addr_table *t,
			      const struct rbi_vec_addr_lpm *c,
			      struct rbi_vec_addr_ref_set *ref, char *why,
			      size_t why_len)
{
	const struct rbi_vec_addr_add *a;
	struct rbi_prefix p;
	int k, rc;

	ref->n = 0;
	for (k = 0; k < RBI_VEC_ADDR_ADDS && c->add[k].prefix; k++) {
		a = &c->add[k];
		/* A refused add may carry host bits: *p is still filled. */
		rbi_prefix_parse(a->prefix, rbi_strlen(a->prefix), &p, NULL);
		rc = rbi_addr_table_add(t, &p, a->lo, a->hi, (uint32_t)k + 1);
		if (rc != a->rc) {
			rbi_snprintf(why, why_len, "add %s gives %d, want %d",
				     a->prefix, rc, a->rc);
			return -1;
		}
		if (rc)
			continue;
		ref->e[ref->n].prefix = p;
		ref->e[ref->n].lo = a->lo;
		ref->e[ref->n].hi = a->hi;
		ref->add[ref->n++] = k;
	}
	if (rbi_addr_table_count(t) == ref->n)
		return 0;
	rbi_snprintf(why, why_len, "table counts %zu entries, want %zu",
		     rbi_addr_table_count(t), ref->n);
	return -1;
}

/* The table's answer for ip and port as an add index (-1: none). */
static int rbi_vec_addr_ask(const struct rbi_addr_table *t,
			    const struct rbi_ip *ip, uint16_t port,
			    uint8_t *plen)
{
	uint32_t value;

	*plen = 0;
	return rbi_addr_table_lookup(t, ip, port, &value, plen) ?
	       (int)value - 1 : -1;
}

static int rbi_vec_addr_agree(const struct rbi_addr_table *t,
			      const struct rbi_vec_addr_ref_set *ref,
			      const struct rbi_ip *ip, uint16_t port,
			      char *why, size_t why_len)
{
	long r = rbi_vec_addr_ref(ref->e, ref->n, ip, port);
	int want = r < 0 ? -1 : ref->add[r];
	uint8_t plen, want_len = r < 0 ? 0 : rbi_vec_addr_ref_len(&ref->e[r]);
	int got = rbi_vec_addr_ask(t, ip, port, &plen);

	if (got == want && plen == want_len)
		return 0;
	rbi_snprintf(why, why_len, "port %u: table %d/%u, reference %d/%u",
		     port, got, plen, want, want_len);
	return -1;
}

static int rbi_vec_addr_query(const struct rbi_addr_table *t,
			      const struct rbi_vec_addr_ref_set *ref,
			      const struct rbi_vec_addr_query *q, char *why,
			      size_t why_len)
{
	const uint16_t around[] = {
		q->port, 0, RBI_PORT_MAX, (uint16_t)(q->port - 1),
		(uint16_t)(q->port + 1),
	};
	struct rbi_ip ip;
	uint8_t plen;
	size_t k;
	int got;

	if (rbi_ip_parse(q->ip, rbi_strlen(q->ip), &ip)) {
		rbi_snprintf(why, why_len, "%s does not parse", q->ip);
		return -1;
	}
	got = rbi_vec_addr_ask(t, &ip, q->port, &plen);
	if (got != q->want || (got >= 0 && plen != q->plen)) {
		rbi_snprintf(why, why_len, "%s port %u: add %d /%u, want %d /%u",
			     q->ip, q->port, got, plen, q->want, q->plen);
		return -1;
	}
	for (k = 0; k < RBI_ARRAY_SIZE(around); k++)
		if (rbi_vec_addr_agree(t, ref, &ip, around[k], why, why_len))
			return -1;
	return 0;
}

static int rbi_vec_addr_lpm_check(const struct rbi_vec_addr_lpm *c,
				  char *why, size_t why_len)
{
	struct rbi_addr_table *t = rbi_addr_table_alloc();
	struct rbi_vec_addr_ref_set *ref = rbi_zalloc(sizeof(*ref));
	int err = -1, k;

	if (!t || !ref) {
		rbi_snprintf(why, why_len, "out of memory");
		goto out;
	}
	if (rbi_vec_addr_build(t, c, ref, why, why_len))
		goto out;
	for (k = 0; k < RBI_VEC_ADDR_QUERIES && c->q[k].ip; k++)
		if (rbi_vec_addr_query(t, ref, &c->q[k], why, why_len))
			goto out;
	err = 0;
out:
	rbi_addr_table_free(t);
	rbi_free(ref);
	return err;
}

static int rbi_vec_addr_check(size_t i, char *why, size_t why_len)
{
	if (i < RBI_VEC_N_PARSE)
		return rbi_vec_addr_parse_check(&rbi_vec_addr_parses[i], why,
						why_len);
	i -= RBI_VEC_N_PARSE;
	if (i < RBI_VEC_N_REL)
		return rbi_vec_addr_rel_check(&rbi_vec_addr_rels[i], why,
					      why_len);
	return rbi_vec_addr_lpm_check(&rbi_vec_addr_lpms[i - RBI_VEC_N_REL],
				      why, why_len);
}

static const char *rbi_vec_addr_case_name(size_t i)
{
	if (i < RBI_VEC_N_PARSE)
		return rbi_vec_addr_parses[i].id;
	i -= RBI_VEC_N_PARSE;
	if (i < RBI_VEC_N_REL)
		return rbi_vec_addr_rels[i].id;
	return rbi_vec_addr_lpms[i - RBI_VEC_N_REL].id;
}

const struct rbi_vec_group rbi_vec_addr = {
	.name = "addr",
	.count = RBI_VEC_N_PARSE + RBI_VEC_N_REL + RBI_VEC_N_LPM,
	.case_name = rbi_vec_addr_case_name,
	.check = rbi_vec_addr_check,
};
