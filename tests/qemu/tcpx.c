// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TCP test tool for the qemu suite.
 *
 *   tcpx sink [-g BYTES] PORT DIR
 *	Listens on PORT (IPv4 and IPv6) and, for every connection from
 *	client port P, keeps DIR/conn-P holding the number of bytes received
 *	so far, so that a test can read what reached the server from its own
 *	connection, even when the client's last segments were dropped and the
 *	connection never closes, and whatever older connections still do.
 *	With -g, greets every connection with BYTES bytes first, as a server
 *	that speaks first does.
 *
 *   tcpx send [-s SEGMENTS | -b BYTES] [-d MS] [-t SECS] [-a SECS] [-B SRC]
 *             ADDR PORT PAYLOAD ARG
 *	Connects (from SRC if given) within SECS, sends PAYLOAD in
 *	SEGMENTS writes of equal size (or writes of BYTES bytes) with MS
 *	milliseconds between them, Nagle off so that each write leaves as a
 *	segment of its own, then waits up to SECS (or -a SECS) for the
 *	server to have acknowledged every byte. Prints "port=P connected=0|1
 *	acked=0|1 sent=N len=L", P being the client's port (0 when the
 *	connection failed). Exits 0 when connected, 2 when the connection failed.
 *
 * PAYLOAD is one of:
 *   hello NAME      a TLS 1.3 ClientHello with server_name NAME
 *   hello-ech NAME  the same with an encrypted_client_hello extension
 *   http HOST       GET / HTTP/1.1 with Host: HOST
 *   connect HOST    CONNECT HOST:443 HTTP/1.1, as to a proxy
 *   rtsp URL        DESCRIBE URL RTSP/1.0
 *   raw TEXT        TEXT as it is
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/payload.h"

enum {
	TCPX_MAX_CONNS = 512,
	TCPX_EXIT_NOCONN = 2,
	TCPX_EXIT_USAGE = 64,
};

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int resolve(const char *host, const char *port,
		   struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST };
	struct addrinfo *ai;

	if (getaddrinfo(host, port, &hints, &ai))
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* Connects within secs seconds, from src if not NULL; the socket, or -1. */
static int connect_timeout(const struct sockaddr_storage *ss, socklen_t len,
			   const char *src, int secs)
{
	struct sockaddr_storage from;
	socklen_t flen;
	struct pollfd pfd;
	int fd, err = 0, one = 1;
	socklen_t elen = sizeof(err);

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (src && (resolve(src, "0", &from, &flen) ||
		    bind(fd, (struct sockaddr *)&from, flen)))
		goto fail;
	if (connect(fd, (const struct sockaddr *)ss, len) &&
	    errno != EINPROGRESS)
		goto fail;
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, secs * 1000) != 1)
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) || err)
		goto fail;
	fcntl(fd, F_SETFL, 0);
	return fd;
fail:
	close(fd);
	return -1;
}

static unsigned int port_of(const struct sockaddr_storage *ss)
{
	switch (ss->ss_family) {
	case AF_INET:
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	case AF_INET6:
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	}
	return 0;
}

/* Waits up to secs for the peer to acknowledge everything sent. */
static bool acked(int fd, int secs)
{
	int left, tries;

	for (tries = secs * 100; tries >= 0; tries--) {
		if (ioctl(fd, SIOCOUTQ, &left) || !left)
			return true;
		sleep_ms(10);
	}
	return false;
}

static int cmd_send(int argc, char **argv)
{
	size_t per = 0, off, n, sent = 0;
	unsigned int segs = 1, delay = 20;
	struct sockaddr_storage ss;
	const char *src = NULL;
	int secs = 3, ack_secs = -1, opt, fd;
	socklen_t len;
	struct rbi_test_buf o;

	while ((opt = getopt(argc, argv, "s:b:d:t:a:B:")) != -1) {
		switch (opt) {
		case 'a': ack_secs = atoi(optarg); break;
		case 'B': src = optarg; break;
		case 's': segs = (unsigned int)atoi(optarg); break;
		case 'b': per = (size_t)atoi(optarg); break;
		case 'd': delay = (unsigned int)atoi(optarg); break;
		case 't': secs = atoi(optarg); break;
		default: return TCPX_EXIT_USAGE;
		}
	}
	if (argc - optind != 4 || resolve(argv[optind], argv[optind + 1],
					  &ss, &len) ||
	    rbi_test_payload(&o, argv[optind + 2], argv[optind + 3]) || !segs)
		return TCPX_EXIT_USAGE;
	if (!per)
		per = (o.len + segs - 1) / segs;
	fd = connect_timeout(&ss, len, src, secs);
	if (fd < 0) {
		printf("port=0 connected=0 acked=0 sent=0 len=%zu\n", o.len);
		return TCPX_EXIT_NOCONN;
	}
	for (off = 0; off < o.len; off += n) {
		n = o.len - off < per ? o.len - off : per;
		if (off)
			sleep_ms(delay);
		if (write(fd, o.b + off, n) != (ssize_t)n)
			break;
		sent += n;
	}
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		ss.ss_family = AF_UNSPEC;
	printf("port=%u connected=1 acked=%d sent=%zu len=%zu\n", port_of(&ss),
	       acked(fd, ack_secs < 0 ? secs : ack_secs), sent, o.len);
	close(fd);
	return 0;
}

struct conn {
	int fd;
	unsigned int port;
	size_t bytes;
};

static void record(const char *dir, const struct conn *c)
{
	char path[4096], tmp[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/conn-%u", dir, c->port);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%zu\n", c->bytes);
	fclose(f);
	rename(tmp, path);
}

static int listen_on(const char *port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons((uint16_t)atoi(port)) };
	int fd = socket(AF_INET6, SOCK_STREAM, 0), zero = 0, one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 64)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void sink_accept(int lfd, struct conn *c, unsigned int *n,
			const char *dir, size_t greet)
{
	static const char hi[8192] = "220 ";
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int fd = accept(lfd, (struct sockaddr *)&peer, &len);

	if (fd < 0)
		return;
	if (greet && write(fd, hi, greet < sizeof(hi) ? greet : sizeof(hi)) < 0)
		greet = 0;
	if (*n == TCPX_MAX_CONNS) {
		close(fd);
		return;
	}
	c[*n] = (struct conn){ .fd = fd, .port = port_of(&peer) };
	record(dir, &c[*n]);
	(*n)++;
}

static int cmd_sink(int argc, char **argv)
{
	struct pollfd pfd[TCPX_MAX_CONNS + 1];
	struct conn c[TCPX_MAX_CONNS];
	unsigned int n = 0, i;
	size_t greet = 0;
	char chunk[4096];
	ssize_t r;
	int lfd, opt;

	while ((opt = getopt(argc, argv, "g:")) != -1) {
		if (opt != 'g')
			return TCPX_EXIT_USAGE;
		greet = (size_t)atoi(optarg);
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc != 3)
		return TCPX_EXIT_USAGE;
	lfd = listen_on(argv[1]);
	if (lfd < 0) {
		perror("tcpx sink");
		return 1;
	}
	for (;;) {
		pfd[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (i = 0; i < n; i++)
			pfd[i + 1] = (struct pollfd){ .fd = c[i].fd,
						      .events = POLLIN };
		if (poll(pfd, n + 1, -1) < 0)
			continue;
		for (i = n; i-- > 0;) {
			if (!pfd[i + 1].revents)
				continue;
			r = read(c[i].fd, chunk, sizeof(chunk));
			if (r > 0) {
				c[i].bytes += (size_t)r;
				record(argv[2], &c[i]);
				continue;
			}
			close(c[i].fd);
			c[i] = c[--n];
		}
		if (pfd[0].revents)
			sink_accept(lfd, c, &n, argv[2], greet);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "send"))
		return cmd_send(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "sink"))
		return cmd_sink(argc - 1, argv + 1);
	fprintf(stderr, "usage: tcpx sink [-g BYTES] PORT DIR | tcpx send "
		"[-s N | -b N] [-d MS] [-t SECS] [-a SECS] [-B SRC] ADDR PORT "
		"PAYLOAD ARG\n");
	return TCPX_EXIT_USAGE;
}
