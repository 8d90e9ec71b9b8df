// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DNS test tool for the qemu suite.
 *
 *   dnsx serve PORT RECORD...
 *	Answers queries on PORT over UDP and TCP, IPv4 and IPv6. A RECORD is
 *	NAME=ADDR[@TTL] (A or AAAA, from the address's form) or
 *	NAME>TARGET[@TTL] (CNAME). Answers follow CNAMEs; other names get
 *	NXDOMAIN.
 *
 *   dnsx query [-t] [-6] [-c PORT] [-w SECS] [-f FIRST] SERVER NAME
 *	Asks SERVER for the A (or with -6 the AAAA) records of NAME, over UDP
 *	or with -t TCP, and prints each address. With -f it asks for FIRST
 *	before, from the same socket, as a resolver that keeps its port
 *	does. With -c it then connects to the first address on PORT at once,
 *	as a camera would, and prints "connect=ok" or "connect=failed".
 *	Exits 0, 2 without an answer, 3 when the connection failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rbi_addr.h"
#include "rbi_dns.h"

enum {
	DNSX_RECORDS_MAX = 64,
	DNSX_MSG_MAX = 4096,
	DNSX_DEFAULT_TTL = 300,
	DNSX_EXIT_NOANSWER = 2,
	DNSX_EXIT_NOCONN = 3,
	DNSX_EXIT_USAGE = 64,
	DNSX_RCODE_NXDOMAIN = 3,
	DNSX_CHAIN_MAX = 8,
};

struct record {
	char name[RBI_NAME_BUF];
	char target[RBI_NAME_BUF];	/* CNAME, else "" */
	struct rbi_ip ip;
	uint32_t ttl;
};

static struct record records[DNSX_RECORDS_MAX];
static unsigned int n_records;

struct msg {
	uint8_t b[DNSX_MSG_MAX];
	size_t len;
};

static void put8(struct msg *m, unsigned int v)
{
	if (m->len < sizeof(m->b))
		m->b[m->len++] = (uint8_t)v;
}

static void put16(struct msg *m, unsigned int v)
{
	put8(m, v >> 8);
	put8(m, v);
}

static void put32(struct msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

static void put_name(struct msg *m, const char *name)
{
	const char *dot;
	size_t n;

	while (*name) {
		dot = strchr(name, '.');
		n = dot ? (size_t)(dot - name) : strlen(name);
		put8(m, n);
		while (n--)
			put8(m, (uint8_t)*name++);
		if (*name == '.')
			name++;
	}
	put8(m, 0);
}

static int parse_record(const char *arg, struct record *r)
{
	const char *sep = strpbrk(arg, "=>"), *at;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->ttl = DNSX_DEFAULT_TTL;
	if (!sep || (size_t)(sep - arg) >= sizeof(r->name))
		return -1;
	memcpy(r->name, arg, (size_t)(sep - arg));
	at = strchr(sep, '@');
	n = at ? (size_t)(at - sep - 1) : strlen(sep + 1);
	if (at)
		r->ttl = (uint32_t)strtoul(at + 1, NULL, 10);
	if (*sep == '>') {
		if (n >= sizeof(r->target))
			return -1;
		memcpy(r->target, sep + 1, n);
		return 0;
	}
	return rbi_ip_parse(sep + 1, n, &r->ip);
}

static void put_rr_head(struct msg *m, const char *name, bool first,
			uint16_t type, uint32_t ttl)
{
	if (first)
		put16(m, 0xc00c);	/* the question's name */
	else
		put_name(m, name);
	put16(m, type);
	put16(m, RBI_DNS_CLASS_IN);
	put32(m, ttl);
}

/* Appends the answers for name; returns how many. */
static unsigned int answer(struct msg *m, const char *qname, uint16_t qtype)
{
	char name[RBI_NAME_BUF];
	unsigned int i, count = 0, hops;
	size_t at, alen;
	bool cname;

	snprintf(name, sizeof(name), "%s", qname);
	for (hops = 0; hops < DNSX_CHAIN_MAX; hops++) {
		cname = false;
		for (i = 0; i < n_records; i++) {
			const struct record *r = &records[i];

			if (strcasecmp(r->name, name))
				continue;
			if (r->target[0]) {
				put_rr_head(m, name, !count, RBI_DNS_TYPE_CNAME,
					    r->ttl);
				at = m->len;
				put16(m, 0);
				put_name(m, r->target);
				m->b[at] = (uint8_t)((m->len - at - 2) >> 8);
				m->b[at + 1] = (uint8_t)(m->len - at - 2);
				snprintf(name, sizeof(name), "%s", r->target);
				count++;
				cname = true;
				break;
			}
			if ((r->ip.family == RBI_IP_V4) !=
			    (qtype == RBI_DNS_TYPE_A))
				continue;
			alen = r->ip.family == RBI_IP_V4 ? 4 : 16;
			put_rr_head(m, name, !count, qtype, r->ttl);
			put16(m, alen);
			for (at = 0; at < alen; at++)
				put8(m, r->ip.a[at]);
			count++;
		}
		if (!cname)
			break;
	}
	return count;
}

/* The response to the query q; false when q is no query to answer. */
static bool respond(const uint8_t *q, size_t qlen, struct msg *out)
{
	struct rbi_dns_msg dm;
	char name[RBI_NAME_BUF];
	uint16_t qtype, qclass;
	unsigned int n;
	size_t qend;

	if (rbi_dns_parse(q, qlen, &dm) != RBI_PARSE_OK ||
	    rbi_dns_is_response(&dm) ||
	    rbi_dns_question(&dm, name, &qtype, &qclass) != RBI_PARSE_OK)
		return false;
	qend = dm.an_off;
	out->len = 0;
	put16(out, dm.id);
	put16(out, 0x8180);
	put16(out, 1);
	put16(out, 0);
	put16(out, 0);
	put16(out, 0);
	memcpy(out->b + out->len, q + RBI_DNS_HDR_LEN, qend - RBI_DNS_HDR_LEN);
	out->len += qend - RBI_DNS_HDR_LEN;
	n = answer(out, name, qtype);
	out->b[6] = (uint8_t)(n >> 8);
	out->b[7] = (uint8_t)n;
	if (!n)
		out->b[3] |= DNSX_RCODE_NXDOMAIN;
	return true;
}

static int bind6(int type, const char *port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons((uint16_t)atoi(port)) };
	int fd = socket(AF_INET6, type, 0), zero = 0, one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (type == SOCK_DGRAM) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
			   sizeof(one));
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    (type == SOCK_STREAM && listen(fd, 16))) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool read_full(int fd, uint8_t *p, size_t n)
{
	ssize_t r;

	while (n) {
		r = read(fd, p, n);
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

/* One query per connection is all the suite asks. */
static void serve_tcp(int lfd)
{
	uint8_t q[DNSX_MSG_MAX], hdr[2];
	int fd = accept(lfd, NULL, NULL);
	struct msg out;
	size_t len;

	if (fd < 0)
		return;
	if (read_full(fd, hdr, 2)) {
		len = (size_t)hdr[0] << 8 | hdr[1];
		if (len <= sizeof(q) && read_full(fd, q, len) &&
		    respond(q, len, &out)) {
			hdr[0] = (uint8_t)(out.len >> 8);
			hdr[1] = (uint8_t)out.len;
			if (write(fd, hdr, 2) == 2 &&
			    write(fd, out.b, out.len) != (ssize_t)out.len)
				perror("dnsx: write");
		}
	}
	close(fd);
}

/*
 * Answers from the address the query was sent to, as resolvers do and
 * clients check: the packet info the query came with goes back with the
 * answer.
 */
static void serve_udp(int fd)
{
	struct sockaddr_storage from;
	uint8_t q[DNSX_MSG_MAX];
	char ctl[256];
	struct iovec iov = { q, sizeof(q) };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	struct msg out;
	ssize_t n;

	n = recvmsg(fd, &mh, 0);
	if (n <= 0 || !respond(q, (size_t)n, &out))
		return;
	iov.iov_base = out.b;
	iov.iov_len = out.len;
	if (sendmsg(fd, &mh, 0) < 0)
		perror("dnsx: sendmsg");
}

static int cmd_serve(int argc, char **argv)
{
	struct pollfd pfd[2];
	int i;

	if (argc < 2)
		return DNSX_EXIT_USAGE;
	for (i = 2; i < argc && n_records < DNSX_RECORDS_MAX; i++)
		if (parse_record(argv[i], &records[n_records++])) {
			fprintf(stderr, "dnsx: bad record '%s'\n", argv[i]);
			return DNSX_EXIT_USAGE;
		}
	pfd[0] = (struct pollfd){ .fd = bind6(SOCK_DGRAM, argv[1]),
				  .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = bind6(SOCK_STREAM, argv[1]),
				  .events = POLLIN };
	if (pfd[0].fd < 0 || pfd[1].fd < 0) {
		perror("dnsx serve");
		return 1;
	}
	for (;;) {
		if (poll(pfd, 2, -1) < 0)
			continue;
		if (pfd[0].revents)
			serve_udp(pfd[0].fd);
		if (pfd[1].revents)
			serve_tcp(pfd[1].fd);
	}
}

static void build_query(struct msg *m, const char *name, uint16_t qtype)
{
	m->len = 0;
	put16(m, (uint16_t)getpid());
	put16(m, 0x0100);
	put16(m, 1);
	put16(m, 0);
	put16(m, 0);
	put16(m, 0);
	put_name(m, name);
	put16(m, qtype);
	put16(m, RBI_DNS_CLASS_IN);
}

static int sockaddr_of(const struct rbi_ip *ip, uint16_t port,
		       struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (ip->family == RBI_IP_V4) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, ip->a, 4);
		*len = sizeof(*s4);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, ip->a, 16);
		*len = sizeof(*s6);
	}
	return 0;
}

static bool wait_fd(int fd, short events, int secs)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	return poll(&pfd, 1, secs * 1000) == 1;
}

/* One question on the open socket fd; the answer's length, or -1. */
static ssize_t ask(int fd, bool tcp, const struct msg *q, uint8_t *ans,
		   size_t cap, int secs)
{
	uint8_t hdr[2] = { (uint8_t)(q->len >> 8), (uint8_t)q->len };
	size_t alen;

	if (!tcp)
		return send(fd, q->b, q->len, 0) == (ssize_t)q->len &&
		       wait_fd(fd, POLLIN, secs) ? recv(fd, ans, cap, 0) : -1;
	if (write(fd, hdr, 2) != 2 ||
	    write(fd, q->b, q->len) != (ssize_t)q->len ||
	    !wait_fd(fd, POLLIN, secs) || !read_full(fd, hdr, 2))
		return -1;
	alen = (size_t)hdr[0] << 8 | hdr[1];
	return alen <= cap && read_full(fd, ans, alen) ? (ssize_t)alen : -1;
}

/*
 * Sends q to the server over UDP or TCP, after first (if not NULL) on the
 * same socket; the answer's length, or -1.
 */
static ssize_t exchange(const struct rbi_ip *server, bool tcp,
			const struct msg *first, const struct msg *q,
			uint8_t *ans, size_t cap, int secs)
{
	struct sockaddr_storage ss;
	socklen_t len;
	ssize_t n = -1;
	int fd;

	sockaddr_of(server, 53, &ss, &len);
	fd = socket(ss.ss_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd >= 0 && !connect(fd, (struct sockaddr *)&ss, len) &&
	    (!first || ask(fd, tcp, first, ans, cap, secs) > 0))
		n = ask(fd, tcp, q, ans, cap, secs);
	if (fd >= 0)
		close(fd);
	return n;
}

static bool connect_now(const struct rbi_ip *ip, uint16_t port, int secs)
{
	struct sockaddr_storage ss;
	socklen_t len, elen = sizeof(int);
	int fd, err = 0;
	bool ok = false;

	sockaddr_of(ip, port, &ss, &len);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return false;
	if ((!connect(fd, (struct sockaddr *)&ss, len) ||
	     errno == EINPROGRESS) && wait_fd(fd, POLLOUT, secs) &&
	    !getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) && !err)
		ok = true;
	close(fd);
	return ok;
}

static int cmd_query(int argc, char **argv)
{
	static struct rbi_dns_answer_set set;
	uint8_t ans[DNSX_MSG_MAX];
	struct rbi_dns_msg dm;
	struct rbi_ip server, first;
	char text[RBI_IP_STRLEN];
	bool tcp = false, v6 = false, any = false;
	int opt, port = 0, secs = 2;
	const char *ahead = NULL;
	unsigned int pos = 0;
	struct rbi_dns_addr a;
	struct msg q, before;
	ssize_t n;

	while ((opt = getopt(argc, argv, "t6c:w:f:")) != -1) {
		switch (opt) {
		case 't': tcp = true; break;
		case '6': v6 = true; break;
		case 'c': port = atoi(optarg); break;
		case 'w': secs = atoi(optarg); break;
		case 'f': ahead = optarg; break;
		default: return DNSX_EXIT_USAGE;
		}
	}
	if (argc - optind != 2 ||
	    rbi_ip_parse(argv[optind], strlen(argv[optind]), &server))
		return DNSX_EXIT_USAGE;
	build_query(&q, argv[optind + 1],
		    v6 ? RBI_DNS_TYPE_AAAA : RBI_DNS_TYPE_A);
	if (ahead) {
		build_query(&before, ahead,
			    v6 ? RBI_DNS_TYPE_AAAA : RBI_DNS_TYPE_A);
		/* A resolver numbers its questions apart. */
		before.b[1] ^= 1;
	}
	n = exchange(&server, tcp, ahead ? &before : NULL, &q, ans,
		     sizeof(ans), secs);
	if (n <= 0 || rbi_dns_parse(ans, (size_t)n, &dm) != RBI_PARSE_OK ||
	    rbi_dns_collect(&dm, &set) != RBI_PARSE_OK) {
		printf("answer=none\n");
		return DNSX_EXIT_NOANSWER;
	}
	while (rbi_dns_addr_next(&set, &pos, &a)) {
		struct rbi_ip ip = { .family = a.family };

		memcpy(ip.a, a.bytes, 16);
		if (!any)
			first = ip;
		any = true;
		rbi_ip_format(&ip, text, sizeof(text));
		printf("address=%s ttl=%u\n", text, a.ttl);
	}
	if (!any) {
		printf("answer=none\n");
		return DNSX_EXIT_NOANSWER;
	}
	if (!port)
		return 0;
	if (connect_now(&first, (uint16_t)port, secs)) {
		printf("connect=ok\n");
		return 0;
	}
	printf("connect=failed\n");
	return DNSX_EXIT_NOCONN;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "serve"))
		return cmd_serve(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "query"))
		return cmd_query(argc - 1, argv + 1);
	fprintf(stderr, "usage: dnsx serve PORT RECORD... | dnsx query [-t] "
		"[-6] [-c PORT] [-w SECS] [-f FIRST] SERVER NAME\n");
	return DNSX_EXIT_USAGE;
}
