// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dnsforge: a DNS server that answers what a test tells it to, for the
 * network namespace suites that attack DNS learning.
 *
 *   dnsforge ADDR PORT ZONEFILE
 *
 * Answers queries on ADDR:PORT over UDP and TCP until killed. ZONEFILE
 * holds one record or instruction per line ('#' starts a comment):
 *
 *   NAME A ADDR [TTL]           NAME AAAA ADDR [TTL]
 *   NAME CNAME TARGET [TTL]     NAME MANY COUNT FIRST-IPV4 [TTL]
 *   NAME HTTPS PRIO TARGET [ipv4hint=A,B..] [ipv6hint=A,B..] [TTL]
 *   NAME PAD COUNT      COUNT unrelated A records before the answer
 *   NAME RCODE N        the answer's RCODE (else 0, or 3 for no records)
 *   NAME CUT            the CNAME chain only: no addresses at its end
 *   NAME BROKEN         a last A record whose RDLENGTH runs past the end
 *   NAME SPLIT N        over TCP: N bytes (the 2-byte length included),
 *                       a pause, then the rest, as separate segments
 *
 * The answer to NAME follows its CNAMEs to the end (bounded, loops
 * stopped), then gives every chain name's records of the type asked
 * (A, AAAA or HTTPS; MANY counts as A). Names are compressed against the
 * names already written. A UDP answer larger than the client's EDNS size
 * (512 without EDNS) goes out truncated (TC), so that clients retry over
 * TCP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum {
	FORGE_LINES_MAX = 4096,
	FORGE_NAME = 256,
	FORGE_MSG_MAX = 65535,
	FORGE_CHAIN_MAX = 20000,
	FORGE_NAMES_SEEN = 20000,
	FORGE_HINTS_MAX = 64,
	FORGE_SPLIT_PAUSE_MS = 100,
	FORGE_TCP_WAIT_MS = 3000,
	T_A = 1, T_CNAME = 5, T_AAAA = 28, T_HTTPS = 65, T_OPT = 41,
};

enum kind { K_A, K_AAAA, K_CNAME, K_MANY, K_HTTPS, K_PAD, K_RCODE, K_CUT,
	    K_SPLIT, K_BROKEN };

struct line {
	char name[FORGE_NAME];
	enum kind kind;
	char target[FORGE_NAME];
	uint8_t addr[16];
	unsigned int count;
	unsigned int prio;
	uint32_t ttl;
	uint8_t hint4[FORGE_HINTS_MAX][4];
	uint8_t hint6[FORGE_HINTS_MAX][16];
	unsigned int n4, n6;
};

static struct line lines[FORGE_LINES_MAX];
static unsigned int n_lines;

struct msg {
	uint8_t b[FORGE_MSG_MAX + 2];
	size_t len;
	bool full;
	/* Names written, for compression: text and offset. */
	char (*seen)[FORGE_NAME];
	uint16_t *seen_off;
	unsigned int n_seen;
};

static void die(const char *what)
{
	fprintf(stderr, "dnsforge: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static bool parse_addr(const char *s, uint8_t *out, bool v6)
{
	return inet_pton(v6 ? AF_INET6 : AF_INET, s, out) == 1;
}

static void parse_hints(struct line *l, const char *s, bool v6)
{
	char buf[2048], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (v6 ? l->n6 == FORGE_HINTS_MAX : l->n4 == FORGE_HINTS_MAX)
			break;
		if (v6 ? !parse_addr(tok, l->hint6[l->n6++], true) :
		    !parse_addr(tok, l->hint4[l->n4++], false)) {
			fprintf(stderr, "dnsforge: bad hint %s\n", tok);
			exit(1);
		}
	}
}

static void parse_line(char *text, unsigned int no)
{
	char *w[12], *save = NULL;
	struct line *l;
	unsigned int n = 0, i;

	for (w[0] = strtok_r(text, " \t\r\n", &save); w[n] && n < 11;
	     w[++n] = strtok_r(NULL, " \t\r\n", &save))
		;
	if (!n || w[0][0] == '#')
		return;
	if (n < 2 || n_lines == FORGE_LINES_MAX)
		goto bad;
	l = &lines[n_lines++];
	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", w[0]);
	lower(l->name);
	l->ttl = 300;
	if (!strcasecmp(w[1], "A") || !strcasecmp(w[1], "AAAA")) {
		l->kind = w[1][1] ? K_AAAA : K_A;
		if (n < 3 || !parse_addr(w[2], l->addr, l->kind == K_AAAA))
			goto bad;
		if (n > 3)
			l->ttl = (uint32_t)strtoul(w[3], NULL, 10);
	} else if (!strcasecmp(w[1], "CNAME")) {
		l->kind = K_CNAME;
		if (n < 3)
			goto bad;
		snprintf(l->target, sizeof(l->target), "%s", w[2]);
		lower(l->target);
		if (n > 3)
			l->ttl = (uint32_t)strtoul(w[3], NULL, 10);
	} else if (!strcasecmp(w[1], "MANY")) {
		l->kind = K_MANY;
		if (n < 4 || !parse_addr(w[3], l->addr, false))
			goto bad;
		l->count = (unsigned int)strtoul(w[2], NULL, 10);
		if (n > 4)
			l->ttl = (uint32_t)strtoul(w[4], NULL, 10);
	} else if (!strcasecmp(w[1], "HTTPS")) {
		l->kind = K_HTTPS;
		if (n < 4)
			goto bad;
		l->prio = (unsigned int)strtoul(w[2], NULL, 10);
		snprintf(l->target, sizeof(l->target), "%s", w[3]);
		lower(l->target);
		for (i = 4; i < n; i++) {
			if (!strncmp(w[i], "ipv4hint=", 9))
				parse_hints(l, w[i] + 9, false);
			else if (!strncmp(w[i], "ipv6hint=", 9))
				parse_hints(l, w[i] + 9, true);
			else
				l->ttl = (uint32_t)strtoul(w[i], NULL, 10);
		}
	} else if (!strcasecmp(w[1], "PAD") || !strcasecmp(w[1], "RCODE") ||
		   !strcasecmp(w[1], "SPLIT")) {
		l->kind = !strcasecmp(w[1], "PAD") ? K_PAD :
			  !strcasecmp(w[1], "RCODE") ? K_RCODE : K_SPLIT;
		if (n < 3)
			goto bad;
		l->count = (unsigned int)strtoul(w[2], NULL, 10);
	} else if (!strcasecmp(w[1], "CUT") || !strcasecmp(w[1], "BROKEN")) {
		l->kind = !strcasecmp(w[1], "CUT") ? K_CUT : K_BROKEN;
	} else {
		goto bad;
	}
	return;
bad:
	fprintf(stderr, "dnsforge: zone file line %u: not understood\n", no);
	exit(1);
}

static void load(const char *path)
{
	char text[4096];
	unsigned int no = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		die(path);
	while (fgets(text, sizeof(text), f))
		parse_line(text, ++no);
	fclose(f);
}

/* The value of instruction kind for name, or def. */
static unsigned int option(const char *name, enum kind kind,
			   unsigned int def)
{
	unsigned int i;

	for (i = 0; i < n_lines; i++)
		if (lines[i].kind == kind && !strcmp(lines[i].name, name))
			return kind == K_CUT || kind == K_BROKEN ? 1 :
			       lines[i].count;
	return def;
}

static const struct line *cname_of(const char *name)
{
	unsigned int i;

	for (i = 0; i < n_lines; i++)
		if (lines[i].kind == K_CNAME && !strcmp(lines[i].name, name))
			return &lines[i];
	return NULL;
}

static void put(struct msg *m, const void *p, size_t n)
{
	if (m->full || m->len + n > FORGE_MSG_MAX) {
		m->full = true;
		return;
	}
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void put16(struct msg *m, unsigned int v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(m, b, 2);
}

static void put32(struct msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

/* A name, as a pointer to where it was written before when it was. */
static void put_name(struct msg *m, const char *name, bool compress)
{
	const char *p = name, *dot;
	unsigned int i;
	uint8_t n;
	size_t at = m->len;

	for (i = 0; compress && i < m->n_seen; i++) {
		if (!strcmp(m->seen[i], name)) {
			put16(m, 0xc000 | m->seen_off[i]);
			return;
		}
	}
	while (*p) {
		dot = strchr(p, '.');
		n = (uint8_t)(dot ? dot - p : (ptrdiff_t)strlen(p));
		put(m, &n, 1);
		put(m, p, n);
		p += n + (dot ? 1 : 0);
	}
	n = 0;
	put(m, &n, 1);
	if (compress && at < 0x3fff && m->n_seen < FORGE_NAMES_SEEN &&
	    !m->full) {
		snprintf(m->seen[m->n_seen], FORGE_NAME, "%s", name);
		m->seen_off[m->n_seen++] = (uint16_t)at;
	}
}

static void put_rr_head(struct msg *m, const char *owner, unsigned int type,
			uint32_t ttl, unsigned int rdlen)
{
	put_name(m, owner, true);
	put16(m, type);
	put16(m, 1);
	put32(m, ttl);
	put16(m, rdlen);
}

static void put_https(struct msg *m, const struct line *l)
{
	size_t start;
	uint16_t rdlen;
	unsigned int i;

	put_rr_head(m, l->name, T_HTTPS, l->ttl, 0);
	start = m->len;
	put16(m, l->prio);
	put_name(m, l->target[0] == '.' ? "" : l->target, false);
	if (l->n4) {
		put16(m, 4);
		put16(m, l->n4 * 4);
		for (i = 0; i < l->n4; i++)
			put(m, l->hint4[i], 4);
	}
	if (l->n6) {
		put16(m, 6);
		put16(m, l->n6 * 16);
		for (i = 0; i < l->n6; i++)
			put(m, l->hint6[i], 16);
	}
	if (m->full)
		return;
	rdlen = (uint16_t)(m->len - start);
	m->b[start - 2] = (uint8_t)(rdlen >> 8);
	m->b[start - 1] = (uint8_t)rdlen;
}

/* name's records of type qtype; returns how many. */
static unsigned int put_records(struct msg *m, const char *name,
				unsigned int qtype)
{
	unsigned int i, k, count = 0;
	const struct line *l;
	uint8_t a[4];
	uint32_t v;

	for (i = 0; i < n_lines && !m->full; i++) {
		l = &lines[i];
		if (strcmp(l->name, name))
			continue;
		if (l->kind == K_A && qtype == T_A) {
			put_rr_head(m, name, T_A, l->ttl, 4);
			put(m, l->addr, 4);
			count++;
		} else if (l->kind == K_AAAA && qtype == T_AAAA) {
			put_rr_head(m, name, T_AAAA, l->ttl, 16);
			put(m, l->addr, 16);
			count++;
		} else if (l->kind == K_MANY && qtype == T_A) {
			memcpy(&v, l->addr, 4);
			v = ntohl(v);
			for (k = 0; k < l->count && !m->full; k++) {
				a[0] = (uint8_t)((v + k) >> 24);
				a[1] = (uint8_t)((v + k) >> 16);
				a[2] = (uint8_t)((v + k) >> 8);
				a[3] = (uint8_t)(v + k);
				put_rr_head(m, name, T_A, l->ttl, 4);
				put(m, a, 4);
				count++;
			}
		} else if (l->kind == K_HTTPS && qtype == T_HTTPS) {
			put_https(m, l);
			count++;
		}
	}
	return count;
}

static void set_counts(struct msg *m, unsigned int an, unsigned int rcode,
		       bool tc)
{
	m->b[2] = (uint8_t)(0x84 | (tc ? 0x02 : 0) | (m->b[2] & 0x01));
	m->b[3] = (uint8_t)(0x80 | rcode);
	m->b[6] = (uint8_t)(an >> 8);
	m->b[7] = (uint8_t)an;
	m->b[8] = m->b[9] = m->b[10] = m->b[11] = 0;
}

/*
 * The answer to query q[0..qlen) into out; returns the client's EDNS
 * size (512 without EDNS), or 0 when q is no query to answer.
 */
static unsigned int answer(const uint8_t *q, size_t qlen, struct msg *out)
{
	char name[FORGE_NAME], cur[FORGE_NAME];
	size_t off = 12, nlen = 0;
	unsigned int qtype, an = 0, i, pad, rcode, edns = 512;
	const struct line *c;
	uint8_t n;

	if (qlen < 17 || (q[2] & 0x80) || q[4] || q[5] != 1)
		return 0;
	while (off < qlen && (n = q[off]) != 0) {
		if (n > 63 || off + 1 + n >= qlen || nlen + n + 2 > FORGE_NAME)
			return 0;
		if (nlen)
			name[nlen++] = '.';
		memcpy(name + nlen, q + off + 1, n);
		nlen += n;
		off += 1 + n;
	}
	name[nlen] = '\0';
	lower(name);
	if (off + 5 > qlen)
		return 0;
	qtype = (unsigned int)q[off + 1] << 8 | q[off + 2];
	off += 5;
	/* An OPT record in the additional section gives the EDNS size. */
	if (q[11] == 1 && off + 11 <= qlen && !q[off] &&
	    ((unsigned int)q[off + 1] << 8 | q[off + 2]) == T_OPT)
		edns = (unsigned int)q[off + 3] << 8 | q[off + 4];
	out->len = 0;
	out->full = false;
	out->n_seen = 0;
	put(out, q, off);
	out->b[10] = out->b[11] = 0;
	snprintf(out->seen[0], FORGE_NAME, "%s", name);
	out->seen_off[0] = 12;
	out->n_seen = 1;
	pad = option(name, K_PAD, 0);
	for (i = 0; i < pad && !out->full; i++) {
		static const uint8_t a[4] = { 203, 0, 113, 99 };

		put_rr_head(out, "pad.invalid", T_A, 60, 4);
		put(out, a, 4);
		an++;
	}
	snprintf(cur, sizeof(cur), "%s", name);
	for (i = 0; i < FORGE_CHAIN_MAX && (c = cname_of(cur)); i++) {
		put_rr_head(out, cur, T_CNAME, c->ttl, 0);
		off = out->len;
		put_name(out, c->target, true);
		if (!out->full) {
			out->b[off - 2] = (uint8_t)((out->len - off) >> 8);
			out->b[off - 1] = (uint8_t)(out->len - off);
		}
		an++;
		if (!strcmp(c->target, name))
			break;
		snprintf(cur, sizeof(cur), "%s", c->target);
	}
	if (!option(name, K_CUT, 0)) {
		an += put_records(out, name, qtype);
		snprintf(cur, sizeof(cur), "%s", name);
		for (i = 0; i < FORGE_CHAIN_MAX && (c = cname_of(cur)); i++) {
			if (!strcmp(c->target, name))
				break;
			an += put_records(out, c->target, qtype);
			snprintf(cur, sizeof(cur), "%s", c->target);
		}
	}
	if (option(name, K_BROKEN, 0)) {
		put_rr_head(out, name, T_A, 60, 255);
		an++;
	}
	rcode = option(name, K_RCODE, an ? 0 : 3);
	set_counts(out, an, rcode, false);
	return edns < 512 ? 512 : edns;
}

static void serve_udp(int fd, struct msg *out)
{
	uint8_t q[4096];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	unsigned int edns;
	ssize_t n;

	n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &flen);
	if (n <= 0)
		return;
	edns = answer(q, (size_t)n, out);
	if (!edns)
		return;
	if (out->len > edns) {
		/* Only the question: the client asks again over TCP. */
		out->len = 12;
		while (out->b[out->len])
			out->len += 1 + out->b[out->len];
		out->len += 5;
		set_counts(out, 0, 0, true);
	}
	sendto(fd, out->b, out->len, 0, (struct sockaddr *)&from, flen);
}

/* n bytes, or false: the receive timeout bounds every wait. */
static bool read_all(int fd, uint8_t *p, size_t n)
{
	return recv(fd, p, n, MSG_WAITALL) == (ssize_t)n;
}

static void pause_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void serve_tcp(int lfd, struct msg *out)
{
	struct timeval wait = { FORGE_TCP_WAIT_MS / 1000, 0 };
	uint8_t len[2], q[4096];
	unsigned int qlen, split, on = 1;
	char name[FORGE_NAME];
	size_t total, k;
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0)
		return;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait));
	while (read_all(fd, len, 2)) {
		qlen = (unsigned int)len[0] << 8 | len[1];
		if (qlen > sizeof(q) || !read_all(fd, q, qlen) ||
		    !answer(q, qlen, out))
			break;
		memmove(out->b + 2, out->b, out->len);
		out->b[0] = (uint8_t)(out->len >> 8);
		out->b[1] = (uint8_t)out->len;
		total = out->len + 2;
		/* The question name, to look its SPLIT up. */
		k = 0;
		name[0] = '\0';
		for (size_t off = 14; off < total && out->b[off] &&
		     k + out->b[off] + 2 < sizeof(name);
		     off += 1 + out->b[off]) {
			if (k)
				name[k++] = '.';
			memcpy(name + k, out->b + off + 1, out->b[off]);
			k += out->b[off];
		}
		name[k] = '\0';
		lower(name);
		split = option(name, K_SPLIT, 0);
		if (split && split < total) {
			if (write(fd, out->b, split) != (ssize_t)split)
				break;
			pause_ms(FORGE_SPLIT_PAUSE_MS);
			if (write(fd, out->b + split, total - split) !=
			    (ssize_t)(total - split))
				break;
		} else if (write(fd, out->b, total) != (ssize_t)total) {
			break;
		}
	}
	close(fd);
}

static int bound(int type, const struct sockaddr_storage *ss, socklen_t len)
{
	int fd = socket(ss->ss_family, type, 0), on = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (const struct sockaddr *)ss, len))
		die("bind");
	if (type == SOCK_STREAM && listen(fd, 16))
		die("listen");
	return fd;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct pollfd pfd[2];
	static struct msg out;
	socklen_t len;
	unsigned int port;

	if (argc != 4) {
		fprintf(stderr, "usage: dnsforge ADDR PORT ZONEFILE\n");
		return 64;
	}
	load(argv[3]);
	out.seen = calloc(FORGE_NAMES_SEEN, sizeof(*out.seen));
	out.seen_off = calloc(FORGE_NAMES_SEEN, sizeof(*out.seen_off));
	if (!out.seen || !out.seen_off)
		die("calloc");
	port = (unsigned int)strtoul(argv[2], NULL, 10);
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, argv[1], &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, argv[1], &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		len = sizeof(*s6);
	} else {
		fprintf(stderr, "dnsforge: bad address %s\n", argv[1]);
		return 64;
	}
	pfd[0].fd = bound(SOCK_DGRAM, &ss, len);
	pfd[1].fd = bound(SOCK_STREAM, &ss, len);
	pfd[0].events = pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			die("poll");
		if (pfd[0].revents)
			serve_udp(pfd[0].fd, &out);
		if (pfd[1].revents)
			serve_tcp(pfd[1].fd, &out);
	}
}
