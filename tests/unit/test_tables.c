// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The name and address tables at full scale (100,000 patterns, 100,000
 * prefixes) against the linear reference matchers of the shared vectors,
 * on random tables and queries from a fixed seed so that any failure
 * reproduces. Random text thrown at the parsers must get a verdict and
 * never a crash. ASan's leak check at exit proves every table is freed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rbi_vec_tables.h"

enum {
	SCALE = 100000,
	SMALL = 2000,
	BIG_QUERIES = 400,
	SMALL_QUERIES = 20000,
	FUZZ_ROUNDS = 100000,
	MEM_LIMIT = 30 << 20,
	WORDS = 3000,
	SHORT_WORDS = 40,
	PAT_LEN = 96,
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;

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

static void seed(uint64_t s)
{
	rng = s | 1;
}

/* Second-level labels are many; the labels around them are few, so that
 * patterns overlap, stars collide with literals and ties happen. */
static char words[WORDS][12];
static const char *const short_words[SHORT_WORDS] = {
	"a", "b", "api", "eu", "us", "x", "www", "s3", "cdn", "eu-west-1",
	"rekognition", "face", "vision", "1", "22", "_srv", "a-b", "q", "z9",
	"app", "svc", "edge", "m", "n", "o", "p", "r", "s", "t", "u", "v", "w",
	"y", "img", "id", "go", "io", "de", "nl", "fr",
};
static const char *const tlds[] = {
	"com", "net", "org", "ai", "io", "cn", "aws", "de",
};

static const char *short_word(void)
{
	return short_words[below(SHORT_WORDS)];
}

static const char *any_word(void)
{
	return below(2) ? short_word() : words[below(WORDS)];
}

static void make_words(void)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
	size_t i, k, len;

	for (i = 0; i < WORDS; i++) {
		len = 1 + below(10);
		for (k = 0; k < len; k++)
			words[i][k] = set[below(sizeof(set) - 1)];
		words[i][len] = '\0';
	}
}

static size_t put(char *buf, size_t o, const char *s)
{
	size_t n = strlen(s);

	if (o + n < PAT_LEN) {
		memcpy(buf + o, s, n);
		o += n;
	}
	buf[o] = '\0';
	return o;
}

static void shake_case(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z' && !below(8))
			*s = (char)(*s - 'a' + 'A');
}

static void gen_pattern(char *buf)
{
	size_t o = 0;
	int i, extra = (int)below(4);

	buf[0] = '\0';
	if (!below(4))
		o = put(buf, o, "*.");
	for (i = 0; i < extra; i++) {
		o = put(buf, o, below(6) ? short_word() : "*");
		o = put(buf, o, ".");
	}
	o = put(buf, o, below(25) ? words[below(WORDS)] : "*");
	o = put(buf, o, ".");
	o = put(buf, o, below(40) ? tlds[below(RBI_ARRAY_SIZE(tlds))] : "*");
	if (!below(10))
		put(buf, o, ".");
	shake_case(buf);
}

/* A name made from a pattern: each '*' filled in, "*." grown deeper. */
static void name_from(char *buf, const char *pat)
{
	const char *p = pat, *dot;
	size_t o = 0, n;
	int i;

	buf[0] = '\0';
	if (!strncmp(p, "*.", 2)) {
		for (i = (int)below(3); i >= 0; i--) {
			o = put(buf, o, short_word());
			o = put(buf, o, ".");
		}
		p += 2;
	}
	while (*p) {
		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		if (n == 1 && *p == '*')
			o = put(buf, o, any_word());
		else if (o + n < PAT_LEN)
			o += (size_t)snprintf(buf + o, PAT_LEN - o, "%.*s",
					      (int)n, p);
		if (!dot)
			break;
		o = put(buf, o, ".");
		p = dot + 1;
	}
}

static void gen_name(char *buf, const char *const *pats, size_t n)
{
	size_t o = 0, len;
	int i, labels;

	if (below(10) >= 3) {
		name_from(buf, pats[below((uint32_t)n)]);
	} else {
		buf[0] = '\0';
		labels = 1 + (int)below(5);
		for (i = 0; i < labels; i++) {
			o = put(buf, o, i ? "." : "");
			o = put(buf, o, any_word());
		}
	}
	shake_case(buf);
	len = strlen(buf);
	if (len && !below(20))
		buf[below((uint32_t)len)] = '.';
}

struct name_set {
	char (*text)[PAT_LEN];
	const char **pats;
	size_t n;
};

static void name_set_build(struct rbi_name_table *t, struct name_set *s,
			   size_t want)
{
	size_t tries;
	int rc;

	s->text = calloc(want, sizeof(*s->text));
	s->pats = calloc(want, sizeof(*s->pats));
	assert_non_null(s->text);
	assert_non_null(s->pats);
	s->n = 0;
	for (tries = 0; s->n < want && tries < 4 * want; tries++) {
		gen_pattern(s->text[s->n]);
		rc = rbi_name_table_add(t, s->text[s->n],
					strlen(s->text[s->n]), (uint32_t)s->n);
		if (rc == -EEXIST || rc == -ENOSPC ||
		    (rc == -EINVAL && rbi_name_pattern_check(s->text[s->n],
				strlen(s->text[s->n]), NULL)))
			continue;
		assert_int_equal(rc, 0);
		s->pats[s->n] = s->text[s->n];
		s->n++;
	}
	assert_int_equal(s->n, want);
	assert_int_equal(rbi_name_table_count(t), want);
}

static void name_set_free(struct name_set *s)
{
	free(s->text);
	free(s->pats);
}

static void names_agree(const struct rbi_name_table *t,
			const struct name_set *s, size_t queries)
{
	char name[PAT_LEN + 16];
	uint32_t value;
	long got, ref;
	size_t q;

	for (q = 0; q < queries; q++) {
		gen_name(name, s->pats, s->n);
		got = rbi_name_table_lookup(t, name, strlen(name), &value) ?
		      (long)value : -1;
		ref = rbi_vec_name_ref(s->pats, s->n, name, strlen(name));
		if (got != ref)
			fail_msg("\"%s\": table %ld (%s), reference %ld (%s)",
				 name, got, got < 0 ? "-" : s->pats[got], ref,
				 ref < 0 ? "-" : s->pats[ref]);
	}
}

static void test_names_full_scale(void **state)
{
	struct rbi_name_table *t = rbi_name_table_alloc();
	struct name_set s;

	(void)state;
	seed(1);
	assert_non_null(t);
	name_set_build(t, &s, SCALE);
	assert_true(rbi_name_table_mem(t) < MEM_LIMIT);
	names_agree(t, &s, BIG_QUERIES);
	rbi_name_table_free(t);
	name_set_free(&s);
}

static void test_names_many_queries(void **state)
{
	struct rbi_name_table *t = rbi_name_table_alloc();
	struct name_set s;

	(void)state;
	seed(2);
	assert_non_null(t);
	name_set_build(t, &s, SMALL);
	names_agree(t, &s, SMALL_QUERIES);
	rbi_name_table_free(t);
	name_set_free(&s);
}

/* Refused adds leave lookups exactly as they were. */
static void test_names_refusals_change_nothing(void **state)
{
	static const char *const pats[] = {
		"q.a.a.a.a.a.e", "q.*.a.a.a.a.e", "q.a.*.a.a.a.e",
		"q.a.a.*.a.a.e", "q.a.a.a.*.a.e", "q.a.a.a.a.*.e",
	};
	static const char *const more[] = {
		"q.*.a.a.a.a.a.e", "api.kairos.com", "API.kairos.com",
		"a..b", "*",
	};
	static const int rc_more[] = { -ENOSPC, 0, -EEXIST, -EINVAL, -EINVAL };
	struct rbi_name_table *t = rbi_name_table_alloc();
	uint32_t before, after;
	size_t i;

	(void)state;
	assert_non_null(t);
	for (i = 0; i < RBI_ARRAY_SIZE(pats); i++)
		assert_int_equal(rbi_name_table_add(t, pats[i], strlen(pats[i]),
						    (uint32_t)i), 0);
	for (i = 0; i < RBI_ARRAY_SIZE(more); i++) {
		assert_true(rbi_name_table_lookup(t, "q.a.a.a.a.a.e", 13,
						  &before));
		assert_int_equal(rbi_name_table_add(t, more[i], strlen(more[i]),
						    99), rc_more[i]);
		assert_true(rbi_name_table_lookup(t, "q.a.a.a.a.a.e", 13,
						  &after));
		assert_int_equal(before, after);
	}
	assert_int_equal(rbi_name_table_count(t), RBI_ARRAY_SIZE(pats) + 1);
	rbi_name_table_free(t);
	rbi_name_table_free(NULL);
}

static void random_text(char *buf, size_t len, const char *set, size_t n)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = set[below((uint32_t)n)];
}

/* Random bytes as patterns and names: a verdict every time, no crash. */
static void test_names_random_text(void **state)
{
	static const char set[] = "ab*.-_A\xc3\0z";
	struct rbi_name_table *t = rbi_name_table_alloc();
	const char *why;
	uint32_t value;
	char *buf;
	size_t len, r;
	int rc;

	(void)state;
	seed(3);
	assert_non_null(t);
	for (r = 0; r < FUZZ_ROUNDS; r++) {
		len = below(24);
		buf = malloc(len ? len : 1);
		assert_non_null(buf);
		random_text(buf, len, set, sizeof(set) - 1);
		rc = rbi_name_pattern_check(buf, len, &why);
		assert_true((rc == 0 && !why) || (rc == -EINVAL && why));
		rc = rbi_name_table_add(t, buf, len, (uint32_t)r);
		assert_true(rc == 0 || rc == -EINVAL || rc == -EEXIST ||
			    rc == -ENOSPC);
		rbi_name_table_lookup(t, buf, len, &value);
		free(buf);
	}
	rbi_name_table_free(t);
}

/* Prefixes cluster around a few bases so that they nest and collide. */
static void gen_prefix(struct rbi_prefix *p)
{
	static const uint8_t v4_bases[][4] = {
		{ 10, 0, 0, 0 }, { 192, 0, 2, 0 }, { 198, 51, 100, 0 },
		{ 172, 16, 0, 0 }, { 52, 94, 0, 0 }, { 3, 5, 0, 0 },
	};
	const uint8_t *b;
	size_t i, keep;

	memset(p, 0, sizeof(*p));
	if (below(10) < 7) {
		b = v4_bases[below(RBI_ARRAY_SIZE(v4_bases))];
		p->ip.family = RBI_IP_V4;
		keep = below(4);
		for (i = 0; i < 4; i++)
			p->ip.a[i] = i < keep ? b[i] : (uint8_t)rnd();
		p->len = (uint8_t)(below(3) ? 8 + below(25) : below(33));
	} else {
		p->ip.family = RBI_IP_V6;
		p->ip.a[0] = 0x20;
		p->ip.a[1] = 0x01;
		p->ip.a[2] = 0x0d;
		p->ip.a[3] = (uint8_t)(0xb8 + below(3));
		for (i = 4; i < 16; i++)
			p->ip.a[i] = below(3) ? 0 : (uint8_t)rnd();
		p->len = (uint8_t)(below(3) ? 32 + below(97) : below(129));
		if (!below(10)) {
			memset(p->ip.a, 0, 10);
			p->ip.a[10] = 0xff;
			p->ip.a[11] = 0xff;
			p->len = (uint8_t)(96 + below(33));
		}
	}
	rbi_prefix_mask(p);
}

struct addr_set {
	struct rbi_vec_addr_entry *e;
	size_t n;
};

static void addr_set_build(struct rbi_addr_table *t, struct addr_set *s,
			   size_t want)
{
	struct rbi_vec_addr_entry *e;
	size_t tries;
	int rc;

	s->e = calloc(want, sizeof(*s->e));
	assert_non_null(s->e);
	s->n = 0;
	for (tries = 0; s->n < want && tries < 4 * want; tries++) {
		e = &s->e[s->n];
		gen_prefix(&e->prefix);
		e->lo = 0;
		e->hi = RBI_PORT_MAX;
		if (below(5) < 2) {
			e->lo = (uint16_t)rnd();
			e->hi = (uint16_t)(e->lo + below(2000));
			if (e->hi < e->lo)
				e->hi = RBI_PORT_MAX;
		}
		rc = rbi_addr_table_add(t, &e->prefix, e->lo, e->hi,
					(uint32_t)s->n);
		if (rc == -EEXIST)
			continue;
		assert_int_equal(rc, 0);
		s->n++;
	}
	assert_int_equal(s->n, want);
	assert_int_equal(rbi_addr_table_count(t), want);
}

/* An address in a random entry's prefix, or anywhere at all. */
static void gen_ip(const struct addr_set *s, struct rbi_ip *ip,
		   uint16_t *port)
{
	const struct rbi_vec_addr_entry *e = &s->e[below((uint32_t)s->n)];
	struct rbi_prefix p = e->prefix;
	unsigned int bits, i;

	*ip = p.ip;
	bits = ip->family == RBI_IP_V4 ? 32 : 128;
	for (i = below(4) ? p.len : 0; i < bits; i++)
		if (below(2))
			ip->a[i >> 3] ^= (uint8_t)(0x80 >> (i & 7));
	*port = below(2) ? (uint16_t)(e->lo + below(e->hi - e->lo + 1u)) :
			   (uint16_t)rnd();
	if (ip->family == RBI_IP_V4 && !below(10)) {
		memmove(ip->a + 12, ip->a, 4);
		memset(ip->a, 0, 10);
		ip->a[10] = 0xff;
		ip->a[11] = 0xff;
		ip->family = RBI_IP_V6;
	}
}

static void addrs_agree(const struct rbi_addr_table *t,
			const struct addr_set *s, size_t queries)
{
	char text[RBI_IP_STRLEN];
	struct rbi_ip ip;
	uint32_t value;
	uint16_t port;
	long got, ref;
	uint8_t plen;
	size_t q;

	for (q = 0; q < queries; q++) {
		gen_ip(s, &ip, &port);
		got = rbi_addr_table_lookup(t, &ip, port, &value, &plen) ?
		      (long)value : -1;
		ref = rbi_vec_addr_ref(s->e, s->n, &ip, port);
		if (got == ref &&
		    (ref < 0 || plen == rbi_vec_addr_ref_len(&s->e[ref])))
			continue;
		rbi_ip_format(&ip, text, sizeof(text));
		fail_msg("%s port %u: table %ld, reference %ld", text, port,
			 got, ref);
	}
}

static void test_addrs_full_scale(void **state)
{
	struct rbi_addr_table *t = rbi_addr_table_alloc();
	struct addr_set s;

	(void)state;
	seed(4);
	assert_non_null(t);
	addr_set_build(t, &s, SCALE);
	assert_true(rbi_addr_table_mem(t) < MEM_LIMIT);
	addrs_agree(t, &s, BIG_QUERIES);
	rbi_addr_table_free(t);
	free(s.e);
}

static void test_addrs_many_queries(void **state)
{
	struct rbi_addr_table *t = rbi_addr_table_alloc();
	struct addr_set s;

	(void)state;
	seed(5);
	assert_non_null(t);
	addr_set_build(t, &s, SMALL);
	addrs_agree(t, &s, SMALL_QUERIES);
	rbi_addr_table_free(t);
	free(s.e);
	rbi_addr_table_free(NULL);
}

/* Any address prints, and what it prints parses back to it. */
static void test_addrs_format_round_trip(void **state)
{
	char text[RBI_IP_STRLEN];
	struct rbi_ip ip, again;
	size_t r, i, len;

	(void)state;
	seed(6);
	for (r = 0; r < FUZZ_ROUNDS; r++) {
		memset(&ip, 0, sizeof(ip));
		ip.family = below(4) ? RBI_IP_V6 : RBI_IP_V4;
		for (i = 0; i < (ip.family == RBI_IP_V4 ? 4u : 16u); i++)
			ip.a[i] = below(3) ? 0 : (uint8_t)rnd();
		if (ip.family == RBI_IP_V6 && !below(8))
			ip.a[10] = ip.a[11] = 0xff;
		len = rbi_ip_format(&ip, text, sizeof(text));
		assert_true(len > 0);
		assert_int_equal(rbi_ip_parse(text, len, &again), 0);
		assert_int_equal(again.family, ip.family);
		assert_memory_equal(again.a, ip.a, sizeof(ip.a));
	}
}

/* Random text as prefixes: a verdict with a reason, or a stable prefix. */
static void test_addrs_random_text(void **state)
{
	static const char set[] = "0123456789abcdefABCDEF:::...//%x";
	char text[RBI_PREFIX_STRLEN];
	struct rbi_prefix p, again;
	const char *why;
	size_t r, len;
	char *buf;
	int rc;

	(void)state;
	seed(7);
	for (r = 0; r < FUZZ_ROUNDS; r++) {
		len = below(48);
		buf = malloc(len ? len : 1);
		assert_non_null(buf);
		random_text(buf, len, set, sizeof(set) - 1);
		rc = rbi_prefix_parse(buf, len, &p, &why);
		free(buf);
		if (rc) {
			assert_int_equal(rc, -EINVAL);
			assert_non_null(why);
			continue;
		}
		len = rbi_prefix_format(&p, text, sizeof(text));
		assert_int_equal(rbi_prefix_parse(text, len, &again, NULL), 0);
		assert_int_equal(again.len, p.len);
		assert_memory_equal(again.ip.a, p.ip.a, sizeof(p.ip.a));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_full_scale),
		cmocka_unit_test(test_names_many_queries),
		cmocka_unit_test(test_names_refusals_change_nothing),
		cmocka_unit_test(test_names_random_text),
		cmocka_unit_test(test_addrs_full_scale),
		cmocka_unit_test(test_addrs_many_queries),
		cmocka_unit_test(test_addrs_format_round_trip),
		cmocka_unit_test(test_addrs_random_text),
	};

	make_words();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
