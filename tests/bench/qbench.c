// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * New TCP connections through the gateway, for make bench-queue: from a
 * camera's network namespace to a server's, CONC of them in flight, for
 * SECS seconds. Each sends PAYLOAD (as tests/qemu/common/payload.h makes
 * it: "hello NAME" is a browser's ClientHello); the server answers one
 * byte once the payload has arrived whole, and closes, and so does the
 * client. One process holds both ends, the listener opened in the
 * server's namespace and the clients in the camera's, so that the time a
 * connection's first payload takes to cross the gateway is read from one
 * clock, from the client's send to the server's first read.
 *
 * usage: qbench SERVER-NS CLIENT-NS SRC DST PORT SECS CONC KIND ARG
 * prints: conns=N rate=R first_us_median=M first_us_p99=P failed=F
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../qemu/common/payload.h"

enum {
	QB_MAX_CONC = 1024,
	QB_SAMPLES = 1 << 20,
	QB_EXIT_USAGE = 64,
};

enum qb_kind { QB_CLIENT, QB_SERVER };

struct qb_conn {
	int fd;
	enum qb_kind kind;
	uint16_t port;		/* the client's */
	size_t got;		/* server: payload bytes read */
};

struct qb {
	int ep;
	int lfd;
	struct sockaddr_in src, dst;
	struct rbi_test_buf payload;
	uint64_t sent_at[65536];	/* by client port, ns */
	uint64_t *lat;			/* ns, first payload across */
	size_t n_lat;
	unsigned long done, failed;
	unsigned int open;		/* clients in flight */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int enter(const char *ns)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		perror(path);
		return -1;
	}
	close(fd);
	return 0;
}

static struct qb_conn *watch(struct qb *q, int fd, enum qb_kind kind,
			     uint32_t events)
{
	struct qb_conn *c = calloc(1, sizeof(*c));
	struct epoll_event ev = { .events = events };

	if (!c) {
		close(fd);
		return NULL;
	}
	c->fd = fd;
	c->kind = kind;
	ev.data.ptr = c;
	epoll_ctl(q->ep, EPOLL_CTL_ADD, fd, &ev);
	return c;
}

static void drop(struct qb *q, struct qb_conn *c)
{
	if (c->kind == QB_CLIENT)
		q->open--;
	close(c->fd);
	free(c);
}

static void start_client(struct qb *q)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;

	if (fd < 0)
		return;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&q->src, sizeof(q->src)) ||
	    (connect(fd, (struct sockaddr *)&q->dst, sizeof(q->dst)) &&
	     errno != EINPROGRESS)) {
		q->failed++;
		close(fd);
		return;
	}
	if (watch(q, fd, QB_CLIENT, EPOLLOUT))
		q->open++;
}

static void client_event(struct qb *q, struct qb_conn *c, uint32_t events)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	int err = 0;
	char b;

	if (events & EPOLLOUT) {
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		len = sizeof(me);
		if (err || getsockname(c->fd, (struct sockaddr *)&me, &len)) {
			q->failed++;
			drop(q, c);
			return;
		}
		c->port = ntohs(me.sin_port);
		q->sent_at[c->port] = now_ns();
		if (send(c->fd, q->payload.b, q->payload.len, MSG_NOSIGNAL) !=
		    (ssize_t)q->payload.len) {
			q->failed++;
			drop(q, c);
			return;
		}
		epoll_ctl(q->ep, EPOLL_CTL_MOD, c->fd, &ev);
		return;
	}
	if (recv(c->fd, &b, 1, 0) == 1)
		q->done++;
	else
		q->failed++;
	drop(q, c);
}

static void server_event(struct qb *q, struct qb_conn *c)
{
	uint8_t buf[4096];
	ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
	uint64_t at = now_ns();

	if (n <= 0) {
		drop(q, c);
		return;
	}
	if (!c->got && q->sent_at[c->port] && q->n_lat < QB_SAMPLES)
		q->lat[q->n_lat++] = at - q->sent_at[c->port];
	c->got += (size_t)n;
	if (c->got < q->payload.len)
		return;
	if (send(c->fd, "k", 1, MSG_NOSIGNAL) != 1)
		q->failed++;
	drop(q, c);
}

static void accept_all(struct qb *q)
{
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	struct qb_conn *c;
	int fd;

	while ((fd = accept4(q->lfd, (struct sockaddr *)&peer, &len,
			     SOCK_NONBLOCK)) >= 0) {
		c = watch(q, fd, QB_SERVER, EPOLLIN);
		if (c)
			c->port = ntohs(peer.sin_port);
		len = sizeof(peer);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int listen_on(struct qb *q)
{
	int one = 1;

	q->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(q->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (q->lfd < 0 ||
	    bind(q->lfd, (struct sockaddr *)&q->dst, sizeof(q->dst)) ||
	    listen(q->lfd, 4096)) {
		perror("qbench: listen");
		return -1;
	}
	return watch(q, q->lfd, QB_SERVER, EPOLLIN) ? 0 : -1;
}

int main(int argc, char **argv)
{
	static struct qb q;
	struct epoll_event evs[256];
	uint64_t end, start;
	unsigned int conc;
	struct qb_conn *c;
	double secs;
	int n, i;

	if (argc != 10 || rbi_test_payload(&q.payload, argv[8], argv[9])) {
		fprintf(stderr, "usage: qbench SERVER-NS CLIENT-NS SRC DST "
			"PORT SECS CONC KIND ARG\n");
		return QB_EXIT_USAGE;
	}
	q.src.sin_family = q.dst.sin_family = AF_INET;
	q.dst.sin_port = htons((uint16_t)atoi(argv[5]));
	secs = atof(argv[6]);
	conc = (unsigned int)atoi(argv[7]);
	q.lat = calloc(QB_SAMPLES, sizeof(*q.lat));
	q.ep = epoll_create1(0);
	if (!q.lat || q.ep < 0 || !conc || conc > QB_MAX_CONC ||
	    inet_pton(AF_INET, argv[3], &q.src.sin_addr) != 1 ||
	    inet_pton(AF_INET, argv[4], &q.dst.sin_addr) != 1 ||
	    enter(argv[1]) || listen_on(&q) || enter(argv[2]))
		return 1;
	start = now_ns();
	end = start + (uint64_t)(secs * 1e9);
	for (;;) {
		while (now_ns() < end && q.open < conc)
			start_client(&q);
		if (now_ns() >= end && !q.open)
			break;
		n = epoll_wait(q.ep, evs, 256, 100);
		for (i = 0; i < n; i++) {
			c = evs[i].data.ptr;
			if (c->fd == q.lfd)
				accept_all(&q);
			else if (c->kind == QB_CLIENT)
				client_event(&q, c, evs[i].events);
			else
				server_event(&q, c);
		}
		if (now_ns() > end + 3000000000u)
			break;
	}
	qsort(q.lat, q.n_lat, sizeof(*q.lat), cmp_u64);
	printf("conns=%lu rate=%.0f first_us_median=%.1f first_us_p99=%.1f "
	       "failed=%lu\n", q.done, q.done / secs,
	       q.n_lat ? q.lat[q.n_lat / 2] / 1e3 : 0,
	       q.n_lat ? q.lat[q.n_lat * 99 / 100] / 1e3 : 0, q.failed);
	return 0;
}
