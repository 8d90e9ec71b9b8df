// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The table is made of path-compressed binary tries whose nodes live in one
 * array and link by index. Each node holds its whole prefix, so a lookup
 * simply checks each node on its way down instead of tracking skipped bits,
 * and an insert adds at most two nodes: the prefix itself and a branching
 * node where it parts from an existing one. Entries (a port range and a
 * value) hang off their prefix's node in a list, in the order added.
 *
 * Prefixes of 16 bits or more sit in one trie per first 16 bits, found by
 * direct index: that skips the densest levels of the trie (with 100,000
 * prefixes, about as many cache misses as it has levels), for 256 KiB per
 * family. The shorter prefixes share one trie per family, searched only
 * when the indexed trie has no answer, since its matches are all shorter.
 */
#include "rbi_addr.h"

enum {
	RBI_ADDR_TOP_BITS = 16,
	RBI_ADDR_TOP = 1 << RBI_ADDR_TOP_BITS,
};

/* Index 0 of both arrays is never used, so that 0 means "none". */
struct rbi_addr_node {
	uint8_t key[16];	/* the prefix, host bits clear */
	uint8_t len;
	uint32_t child[2];	/* by the bit after the prefix */
	uint32_t entry;		/* first entry; 0 for a branching node */
};

struct rbi_addr_entry {
	uint32_t value;
	uint32_t next;		/* next entry of the same prefix */
	uint16_t lo, hi;
};

struct rbi_addr_table {
	struct rbi_addr_node *nodes;
	struct rbi_addr_entry *ents;
	uint32_t n_nodes, cap_nodes;
	uint32_t n_ents, cap_ents;
	uint32_t root[2];	/* IPv4, IPv6: prefixes shorter than 16 */
	uint32_t *top[2];	/* the rest, by their first 16 bits */
};

/*
 * Appends text to a caller's buffer, counting past its end so that the
 * final length says whether it all fitted.
 */
struct rbi_out {
	char *buf;
	size_t len;
	size_t pos;
};

static unsigned int rbi_ip_bits(uint8_t family)
{
	if (family == RBI_IP_V4)
		return 32;
	return family == RBI_IP_V6 ? 128 : 0;
}

static bool rbi_prefix_valid(const struct rbi_prefix *p)
{
	unsigned int bits = rbi_ip_bits(p->ip.family);

	return bits && p->len <= bits;
}

static unsigned int rbi_bit(const uint8_t *a, unsigned int i)
{
	return a[i >> 3] >> (7 - (i & 7)) & 1;
}

/* Whether the first len bits of a and b are equal. */
static bool rbi_bits_equal(const uint8_t *a, const uint8_t *b,
			   unsigned int len)
{
	unsigned int whole = len >> 3, rest = len & 7;

	if (rbi_memcmp(a, b, whole))
		return false;
	return !rest || !((a[whole] ^ b[whole]) & (0xff00 >> rest));
}

/* How many leading bits a and b share, at most max. */
static unsigned int rbi_bits_common(const uint8_t *a, const uint8_t *b,
				    unsigned int max)
{
	unsigned int i = 0;

	while (i + 8 <= max && a[i >> 3] == b[i >> 3])
		i += 8;
	while (i < max && rbi_bit(a, i) == rbi_bit(b, i))
		i++;
	return i;
}

static void rbi_bits_clear_from(uint8_t *a, unsigned int len)
{
	unsigned int i = (len + 7) >> 3;

	if (len & 7)
		a[len >> 3] &= (uint8_t)(0xff00 >> (len & 7));
	rbi_memset(a + i, 0, 16 - i);
}

void rbi_prefix_mask(struct rbi_prefix *p)
{
	rbi_bits_clear_from(p->ip.a, RBI_MIN(p->len, 128));
}

static bool rbi_prefix_is_masked(const struct rbi_prefix *p)
{
	struct rbi_prefix m = *p;

	rbi_prefix_mask(&m);
	return !rbi_memcmp(m.ip.a, p->ip.a, sizeof(m.ip.a));
}

bool rbi_prefix_contains(const struct rbi_prefix *p, const struct rbi_ip *ip)
{
	return rbi_prefix_valid(p) && ip->family == p->ip.family &&
	       rbi_bits_equal(p->ip.a, ip->a, p->len);
}

bool rbi_prefix_overlap(const struct rbi_prefix *a,
			const struct rbi_prefix *b)
{
	if (!rbi_prefix_valid(a) || !rbi_prefix_valid(b))
		return false;
	return a->len <= b->len ? rbi_prefix_contains(a, &b->ip) :
				  rbi_prefix_contains(b, &a->ip);
}

static bool rbi_ip6_is_mapped(const uint8_t *a)
{
	static const uint8_t mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	return !rbi_memcmp(a, mapped, sizeof(mapped));
}

bool rbi_ip_unmap(struct rbi_ip *ip)
{
	if (ip->family != RBI_IP_V6 || !rbi_ip6_is_mapped(ip->a))
		return false;
	rbi_memcpy(ip->a, ip->a + 12, 4);
	rbi_memset(ip->a + 4, 0, 12);
	ip->family = RBI_IP_V4;
	return true;
}

bool rbi_prefix_unmap(struct rbi_prefix *p)
{
	if (p->len < 96 || p->len > 128 || !rbi_ip_unmap(&p->ip))
		return false;
	p->len -= 96;
	return true;
}

static bool rbi_has(const char *s, size_t len, char c)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == c)
			return true;
	return false;
}

static bool rbi_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int rbi_hex_digit(char c)
{
	if (rbi_is_digit(c))
		return c - '0';
	c = rbi_tolower(c);
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

static const char *rbi_ip4_parse(const char *s, size_t len, uint8_t *a)
{
	unsigned int v, n = 0;
	size_t i = 0, start;

	for (;;) {
		start = i;
		v = 0;
		for (; i < len && rbi_is_digit(s[i]); i++) {
			if (i > start && s[start] == '0')
				return "leading zero in IPv4 octet";
			v = v * 10 + (unsigned int)(s[i] - '0');
			if (v > 255)
				return "IPv4 octet above 255";
		}
		if (i == start)
			return (i < len && s[i] != '.') ?
			       "bad character in IPv4 address" :
			       "empty IPv4 octet";
		if (n == 4)
			return "IPv4 address needs exactly four octets";
		a[n++] = (uint8_t)v;
		if (i == len)
			break;
		if (s[i] != '.')
			return "bad character in IPv4 address";
		i++;
	}
	return n == 4 ? NULL : "IPv4 address needs exactly four octets";
}

static const char *rbi_ip6_group(const char *s, size_t len, uint16_t *w)
{
	size_t i;
	int d;

	if (!len)
		return "empty IPv6 group";
	if (len > 4)
		return "IPv6 group longer than 4 hex digits";
	*w = 0;
	for (i = 0; i < len; i++) {
		d = rbi_hex_digit(s[i]);
		if (d < 0)
			return "bad character in IPv6 address";
		*w = (uint16_t)(*w << 4 | d);
	}
	return NULL;
}

/* Places the groups before "::" at the front and the rest at the end. */
static void rbi_ip6_spread(const uint16_t *w, int n, int gap, uint8_t *a)
{
	int head = gap < 0 ? n : gap, i;

	rbi_memset(a, 0, 16);
	for (i = 0; i < n; i++)
		rbi_put_be16(w[i], a + 2 * (i < head ? i : 8 - n + i));
}

/*
 * Reads the groups into w and returns their number in *n, with the place
 * of "::" in *gap (-1: none). A dotted IPv4 tail counts as two groups.
 */
static const char *rbi_ip6_groups(const char *s, size_t len, uint16_t *w,
				  int *n, int *gap)
{
	uint8_t v4[4];
	const char *why;
	size_t i = 0, j;

	*n = 0;
	*gap = -1;
	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		*gap = 0;
		i = 2;
	} else if (len && s[0] == ':') {
		return "IPv6 address starts with a single ':'";
	}
	while (i < len) {
		for (j = i; j < len && s[j] != ':'; j++)
			;
		if (rbi_has(s + i, j - i, '.')) {
			if (j != len)
				return "IPv4 part of an IPv6 address must come last";
			if (*n > 6)
				return "too many IPv6 groups";
			why = rbi_ip4_parse(s + i, j - i, v4);
			if (why)
				return why;
			w[(*n)++] = rbi_get_be16(v4);
			w[(*n)++] = rbi_get_be16(v4 + 2);
			break;
		}
		if (*n == 8)
			return "too many IPv6 groups";
		why = rbi_ip6_group(s + i, j - i, &w[*n]);
		if (why)
			return why;
		(*n)++;
		i = j;
		if (i == len)
			break;
		if (++i == len)
			return "IPv6 address ends with a single ':'";
		if (s[i] == ':') {
			if (*gap >= 0)
				return "more than one '::'";
			*gap = *n;
			i++;
		}
	}
	return NULL;
}

static const char *rbi_ip6_parse(const char *s, size_t len, uint8_t *a)
{
	uint16_t w[8];
	const char *why;
	int n, gap;

	if (rbi_has(s, len, '%'))
		return "zone index ('%') not allowed";
	why = rbi_ip6_groups(s, len, w, &n, &gap);
	if (why)
		return why;
	if (gap < 0 && n != 8)
		return "too few IPv6 groups";
	if (gap >= 0 && n == 8)
		return "'::' must stand for at least one group";
	rbi_ip6_spread(w, n, gap, a);
	return NULL;
}

static const char *rbi_ip_text(const char *s, size_t len, struct rbi_ip *ip)
{
	rbi_memset(ip, 0, sizeof(*ip));
	if (!len)
		return "empty address";
	if (rbi_has(s, len, ':')) {
		ip->family = RBI_IP_V6;
		return rbi_ip6_parse(s, len, ip->a);
	}
	ip->family = RBI_IP_V4;
	return rbi_ip4_parse(s, len, ip->a);
}

int rbi_ip_parse(const char *s, size_t len, struct rbi_ip *ip)
{
	return rbi_ip_text(s, len, ip) ? -EINVAL : 0;
}

static const char *rbi_plen_parse(const char *s, size_t len,
				  unsigned int max, uint8_t *plen)
{
	unsigned int v = 0;
	size_t i;

	if (!len)
		return "missing prefix length after '/'";
	for (i = 0; i < len; i++)
		if (!rbi_is_digit(s[i]))
			return "bad prefix length";
	if (len > 1 && s[0] == '0')
		return "leading zero in prefix length";
	for (i = 0; i < len && v <= max; i++)
		v = v * 10 + (unsigned int)(s[i] - '0');
	if (v > max)
		return "prefix length out of range";
	*plen = (uint8_t)v;
	return NULL;
}

static const char *rbi_prefix_text(const char *s, size_t len,
				   struct rbi_prefix *p)
{
	size_t slash = 0;
	const char *why;

	while (slash < len && s[slash] != '/')
		slash++;
	why = rbi_ip_text(s, slash, &p->ip);
	if (why)
		return why;
	p->len = (uint8_t)rbi_ip_bits(p->ip.family);
	if (slash < len) {
		why = rbi_plen_parse(s + slash + 1, len - slash - 1, p->len,
				     &p->len);
		if (why)
			return why;
	}
	return rbi_prefix_is_masked(p) ? NULL : "host bits set";
}

int rbi_prefix_parse(const char *s, size_t len, struct rbi_prefix *p,
		     const char **why)
{
	const char *reason = rbi_prefix_text(s, len, p);

	if (why)
		*why = reason;
	return reason ? -EINVAL : 0;
}

static void rbi_out_c(struct rbi_out *o, char c)
{
	if (o->pos < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

static void rbi_out_s(struct rbi_out *o, const char *s)
{
	while (*s)
		rbi_out_c(o, *s++);
}

static void rbi_out_dec(struct rbi_out *o, unsigned int v)
{
	char d[10];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		rbi_out_c(o, d[--n]);
}

static void rbi_out_hex(struct rbi_out *o, unsigned int v)
{
	int shift = 12;

	while (shift && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		rbi_out_c(o, "0123456789abcdef"[(v >> shift) & 15]);
}

static size_t rbi_out_end(struct rbi_out *o)
{
	if (o->pos >= o->len) {
		if (o->len)
			o->buf[0] = '\0';
		return 0;
	}
	o->buf[o->pos] = '\0';
	return o->pos;
}

static void rbi_ip4_write(struct rbi_out *o, const uint8_t *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			rbi_out_c(o, '.');
		rbi_out_dec(o, a[i]);
	}
}

/* RFC 5952 4.2: the longest run of two or more zero groups, leftmost. */
static void rbi_ip6_zero_run(const uint16_t *w, int *start, int *len)
{
	int i, j;

	*start = -1;
	*len = 1;
	for (i = 0; i < 8; i = j + 1) {
		for (j = i; j < 8 && !w[j]; j++)
			;
		if (j - i > *len) {
			*start = i;
			*len = j - i;
		}
	}
}

static void rbi_ip6_write(struct rbi_out *o, const uint8_t *a)
{
	int i, run, run_len;
	uint16_t w[8];

	/* RFC 5952 5: mapped addresses keep their dotted IPv4 tail. */
	if (rbi_ip6_is_mapped(a)) {
		rbi_out_s(o, "::ffff:");
		rbi_ip4_write(o, a + 12);
		return;
	}
	for (i = 0; i < 8; i++)
		w[i] = rbi_get_be16(a + 2 * i);
	rbi_ip6_zero_run(w, &run, &run_len);
	for (i = 0; i < 8; i++) {
		if (i == run) {
			rbi_out_s(o, "::");
			i += run_len - 1;
			continue;
		}
		if (i && i != run + run_len)
			rbi_out_c(o, ':');
		rbi_out_hex(o, w[i]);
	}
}

static bool rbi_ip_write(struct rbi_out *o, const struct rbi_ip *ip)
{
	if (ip->family == RBI_IP_V4)
		rbi_ip4_write(o, ip->a);
	else if (ip->family == RBI_IP_V6)
		rbi_ip6_write(o, ip->a);
	else
		return false;
	return true;
}

size_t rbi_ip_format(const struct rbi_ip *ip, char *buf, size_t len)
{
	struct rbi_out o = { .buf = buf, .len = len };

	if (!rbi_ip_write(&o, ip))
		o.pos = len;
	return rbi_out_end(&o);
}

size_t rbi_prefix_format(const struct rbi_prefix *p, char *buf, size_t len)
{
	struct rbi_out o = { .buf = buf, .len = len };

	if (!rbi_ip_write(&o, &p->ip))
		o.pos = len;
	rbi_out_c(&o, '/');
	rbi_out_dec(&o, p->len);
	return rbi_out_end(&o);
}

struct rbi_addr_table *rbi_addr_table_alloc(void)
{
	struct rbi_addr_table *t = rbi_zalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->nodes = rbi_grow(NULL, &t->cap_nodes, 1, sizeof(*t->nodes));
	t->ents = rbi_grow(NULL, &t->cap_ents, 1, sizeof(*t->ents));
	if (!t->nodes || !t->ents) {
		rbi_addr_table_free(t);
		return NULL;
	}
	t->n_nodes = 1;
	t->n_ents = 1;
	return t;
}

void rbi_addr_table_free(struct rbi_addr_table *t)
{
	if (!t)
		return;
	rbi_free(t->nodes);
	rbi_free(t->ents);
	rbi_free(t->top[0]);
	rbi_free(t->top[1]);
	rbi_free(t);
}

static uint32_t rbi_addr_new_node(struct rbi_addr_table *t,
				  const uint8_t *key, unsigned int len)
{
	uint32_t i = t->n_nodes++;
	struct rbi_addr_node *n = &t->nodes[i];

	rbi_memcpy(n->key, key, sizeof(n->key));
	rbi_bits_clear_from(n->key, len);
	n->len = (uint8_t)len;
	return i;
}

/* The root link of the trie that holds k (allocated by the caller). */
static uint32_t *rbi_addr_root(struct rbi_addr_table *t,
			       const struct rbi_prefix *k)
{
	unsigned int f = k->ip.family == RBI_IP_V6;

	if (k->len < RBI_ADDR_TOP_BITS)
		return &t->root[f];
	return &t->top[f][rbi_get_be16(k->ip.a)];
}

/*
 * The node for prefix k, created if missing. Room for two nodes must be
 * reserved: the links followed here point into the node array.
 */
static uint32_t rbi_addr_place(struct rbi_addr_table *t,
			       const struct rbi_prefix *k)
{
	uint32_t *link = rbi_addr_root(t, k);
	struct rbi_addr_node *n;
	uint32_t split, leaf;
	unsigned int c;

	while (*link) {
		n = &t->nodes[*link];
		c = rbi_bits_common(n->key, k->ip.a, RBI_MIN(n->len, k->len));
		if (c == n->len && c == k->len)
			return *link;
		if (c == n->len) {
			link = &n->child[rbi_bit(k->ip.a, c)];
			continue;
		}
		/* k parts from n above n: a node at c takes n's place. */
		split = rbi_addr_new_node(t, k->ip.a, c);
		t->nodes[split].child[rbi_bit(n->key, c)] = *link;
		*link = split;
		if (c == k->len)
			return split;
		leaf = rbi_addr_new_node(t, k->ip.a, k->len);
		t->nodes[split].child[rbi_bit(k->ip.a, c)] = leaf;
		return leaf;
	}
	leaf = rbi_addr_new_node(t, k->ip.a, k->len);
	*link = leaf;
	return leaf;
}

static int rbi_addr_attach(struct rbi_addr_table *t, uint32_t node,
			   uint16_t lo, uint16_t hi, uint32_t value)
{
	uint32_t *link = &t->nodes[node].entry;
	struct rbi_addr_entry *e;

	while (*link) {
		e = &t->ents[*link];
		if (e->lo == lo && e->hi == hi)
			return -EEXIST;
		link = &e->next;
	}
	*link = t->n_ents;
	e = &t->ents[t->n_ents++];
	e->value = value;
	e->lo = lo;
	e->hi = hi;
	return 0;
}

int rbi_addr_table_add(struct rbi_addr_table *t, const struct rbi_prefix *p,
		       uint16_t port_lo, uint16_t port_hi, uint32_t value)
{
	struct rbi_prefix k = *p;
	uint32_t **top;
	void *arr;

	if (!rbi_prefix_valid(&k) || !rbi_prefix_is_masked(&k) ||
	    port_lo > port_hi)
		return -EINVAL;
	rbi_prefix_unmap(&k);
	top = &t->top[k.ip.family == RBI_IP_V6];
	if (k.len >= RBI_ADDR_TOP_BITS && !*top) {
		*top = rbi_zalloc(RBI_ADDR_TOP * sizeof(**top));
		if (!*top)
			return -ENOMEM;
	}
	arr = rbi_grow(t->nodes, &t->cap_nodes, (size_t)t->n_nodes + 2,
		       sizeof(*t->nodes));
	if (!arr)
		return -ENOMEM;
	t->nodes = arr;
	arr = rbi_grow(t->ents, &t->cap_ents, (size_t)t->n_ents + 1,
		       sizeof(*t->ents));
	if (!arr)
		return -ENOMEM;
	t->ents = arr;
	return rbi_addr_attach(t, rbi_addr_place(t, &k), port_lo, port_hi,
			       value);
}

/* Of a prefix's entries holding port, the narrowest, the first on a tie. */
static const struct rbi_addr_entry *
rbi_addr_pick(const struct rbi_addr_table *t, uint32_t i, uint16_t port)
{
	const struct rbi_addr_entry *e, *best = NULL;

	for (; i; i = e->next) {
		e = &t->ents[i];
		if (port < e->lo || port > e->hi)
			continue;
		if (!best || e->hi - e->lo < best->hi - best->lo)
			best = e;
	}
	return best;
}

/*
 * The longest match for k and port in the trie from node i, with its
 * length in *len; NULL when none. Nodes on the way down nest, so the first
 * that differs from k ends the walk.
 */
static const struct rbi_addr_entry *
rbi_addr_walk(const struct rbi_addr_table *t, uint32_t i,
	      const struct rbi_ip *k, uint16_t port, uint8_t *len)
{
	const struct rbi_addr_entry *e, *found = NULL;
	unsigned int bits = rbi_ip_bits(k->family);
	const struct rbi_addr_node *n;

	for (; i; i = n->child[rbi_bit(k->a, n->len)]) {
		n = &t->nodes[i];
		if (!rbi_bits_equal(n->key, k->a, n->len))
			break;
		e = rbi_addr_pick(t, n->entry, port);
		if (e) {
			found = e;
			*len = n->len;
		}
		if (n->len == bits)
			break;
	}
	return found;
}

bool rbi_addr_table_lookup(const struct rbi_addr_table *t,
			   const struct rbi_ip *ip, uint16_t port,
			   uint32_t *value, uint8_t *plen)
{
	const struct rbi_addr_entry *found = NULL;
	struct rbi_ip k = *ip;
	uint8_t found_len = 0;
	unsigned int f;

	rbi_ip_unmap(&k);
	if (!rbi_ip_bits(k.family))
		return false;
	f = k.family == RBI_IP_V6;
	if (t->top[f])
		found = rbi_addr_walk(t, t->top[f][rbi_get_be16(k.a)], &k,
				      port, &found_len);
	if (!found)
		found = rbi_addr_walk(t, t->root[f], &k, port, &found_len);
	if (!found)
		return false;
	*value = found->value;
	if (plen)
		*plen = found_len;
	return true;
}

size_t rbi_addr_table_count(const struct rbi_addr_table *t)
{
	return t->n_ents - 1;
}

size_t rbi_addr_table_mem(const struct rbi_addr_table *t)
{
	return sizeof(*t) + (size_t)t->cap_nodes * sizeof(*t->nodes) +
	       (size_t)t->cap_ents * sizeof(*t->ents) +
	       ((t->top[0] != NULL) + (t->top[1] != NULL)) *
	       RBI_ADDR_TOP * sizeof(*t->top[0]);
}
