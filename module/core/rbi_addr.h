/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * IPv4 and IPv6 addresses and prefixes as a policy writes them (zones,
 * recorders, service networks), and a longest-prefix table that maps an
 * address and port to the most specific entry covering them.
 *
 * Text input follows RFC 4291 section 2.2 (every IPv6 form, "::", embedded
 * dotted IPv4) and strict dotted-quad IPv4 (four decimal octets, no leading
 * zeros, which some parsers read as octal). Output is RFC 5952 canonical.
 *
 * IPv4-mapped IPv6 (::ffff:a.b.c.d) is parsed and printed as written, but
 * the table treats it as the IPv4 address it stands for, on both sides: a
 * prefix ::ffff:a.b.c.d/N with N >= 96 is stored as a.b.c.d/(N - 96), and a
 * lookup of ::ffff:10.1.2.3 finds 10.0.0.0/8 (reporting its length, 8), so
 * that writing a camera's address in either form gives the same verdict.
 */
#ifndef RBI_ADDR_H
#define RBI_ADDR_H

#include "rbi_compat.h"

enum {
	RBI_IP_V4 = 4,
	RBI_IP_V6 = 6,
	/* Text buffer sizes, NUL included (INET6_ADDRSTRLEN, plus "/128"). */
	RBI_IP_STRLEN = 46,
	RBI_PREFIX_STRLEN = 50,
	RBI_PORT_MAX = 65535,
};

struct rbi_ip {
	uint8_t family;		/* RBI_IP_V4 or RBI_IP_V6 */
	uint8_t a[16];		/* big-endian; IPv4 in a[0..3], rest 0 */
};

struct rbi_prefix {
	struct rbi_ip ip;
	uint8_t len;
};

/* 0, or -EINVAL when s[0..len) is not exactly one address. */
int rbi_ip_parse(const char *s, size_t len, struct rbi_ip *ip);

/*
 * Parses "10.0.0.0/8", "2001:db8::/32" or a bare address (a host prefix:
 * /32 or /128). Returns 0, or -EINVAL with *why (if why is not NULL) set to
 * a static English reason. For "host bits set" *p holds the prefix as
 * written, so that the caller can rbi_prefix_mask() a copy and suggest it:
 * "10.1.2.3/8: host bits set; did you mean 10.0.0.0/8?".
 */
int rbi_prefix_parse(const char *s, size_t len, struct rbi_prefix *p,
		     const char **why);

/*
 * Writes the RFC 5952 (IPv6) or dotted-quad (IPv4) form and a NUL into buf
 * and returns its length without the NUL; returns 0 (buf emptied if len
 * allows) when buf is too small or the family is unknown.
 */
size_t rbi_ip_format(const struct rbi_ip *ip, char *buf, size_t len);
/* The same as "address/length", always with the length. */
size_t rbi_prefix_format(const struct rbi_prefix *p, char *buf, size_t len);

/* Clears the host bits (and any byte past the family's size). */
void rbi_prefix_mask(struct rbi_prefix *p);

/* Same family, and ip's first p->len bits equal p's. */
bool rbi_prefix_contains(const struct rbi_prefix *p, const struct rbi_ip *ip);

/* Whether some address is in both (one contains the other). */
bool rbi_prefix_overlap(const struct rbi_prefix *a,
			const struct rbi_prefix *b);

/* Rewrites ::ffff:a.b.c.d as a.b.c.d; false (unchanged) for anything else. */
bool rbi_ip_unmap(struct rbi_ip *ip);

/* The same for a prefix inside ::ffff:0:0/96, whose length drops by 96. */
bool rbi_prefix_unmap(struct rbi_prefix *p);

struct rbi_addr_table;

/* An empty table, or NULL when out of memory. */
struct rbi_addr_table *rbi_addr_table_alloc(void);
void rbi_addr_table_free(struct rbi_addr_table *t);

/*
 * Adds an entry: prefix p, ports port_lo..port_hi inclusive (0..65535 is
 * any port), and the value lookups return for it. One prefix may carry
 * several port ranges. Returns 0; -EINVAL for an unknown family, a length
 * out of range, host bits set or port_lo > port_hi; -EEXIST when p already
 * has exactly that range (its first value stays); -ENOMEM. The table is
 * unchanged by any failure.
 */
int rbi_addr_table_add(struct rbi_addr_table *t, const struct rbi_prefix *p,
		       uint16_t port_lo, uint16_t port_hi, uint32_t value);

/*
 * Finds the longest prefix containing ip that has a port range containing
 * port, falling back to shorter prefixes when a longer one has none. Among
 * one prefix's ranges the narrowest wins, then the one added first. Stores
 * the value, and the prefix length if plen is not NULL. Allocates nothing.
 */
bool rbi_addr_table_lookup(const struct rbi_addr_table *t,
			   const struct rbi_ip *ip, uint16_t port,
			   uint32_t *value, uint8_t *plen);

/* Entries (prefix and port range pairs) in the table. */
size_t rbi_addr_table_count(const struct rbi_addr_table *t);

/* Bytes the table holds allocated, for status reports and benchmarks. */
size_t rbi_addr_table_mem(const struct rbi_addr_table *t);

#endif /* RBI_ADDR_H */
