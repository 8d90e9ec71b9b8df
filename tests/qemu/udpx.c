// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * UDP test tool for the qemu suite.
 *
 *   udpx sink PORT FILE
 *	Counts the datagrams that reach PORT (IPv4 and IPv6) into FILE.
 *
 *   udpx send [-n COUNT] [-q] [-j JUNK] ADDR PORT
 *	Sends COUNT datagrams of 64 bytes, or with -q of 1200 bytes that
 *	start like a QUIC version 1 Initial packet, as a browser's first
 *	flight does; with -j, JUNK datagrams of 64 bytes before them, from
 *	the same socket.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
	UDPX_SMALL = 64,
	UDPX_QUIC_INITIAL = 1200,
	UDPX_EXIT_USAGE = 64,
};

static void record(const char *path, unsigned long count)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%lu\n", count);
	fclose(f);
	rename(tmp, path);
}

static int cmd_sink(int argc, char **argv)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
	unsigned long count = 0;
	uint8_t buf[2048];
	int fd, zero = 0;

	if (argc != 3)
		return UDPX_EXIT_USAGE;
	a.sin6_port = htons((uint16_t)atoi(argv[1]));
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("udpx sink");
		return 1;
	}
	record(argv[2], 0);
	for (;;)
		if (recv(fd, buf, sizeof(buf), 0) >= 0)
			record(argv[2], ++count);
}

/* Long header, fixed bit, Initial; version 1; connection ids; padding. */
static size_t quic_initial(uint8_t *b)
{
	static const uint8_t head[] = { 0xc3, 0x00, 0x00, 0x00, 0x01, 0x08,
					1, 2, 3, 4, 5, 6, 7, 8, 0x00, 0x00,
					0x44, 0x9e };

	memset(b, 0, UDPX_QUIC_INITIAL);
	memcpy(b, head, sizeof(head));
	return UDPX_QUIC_INITIAL;
}

static int cmd_send(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICHOST };
	uint8_t buf[UDPX_QUIC_INITIAL];
	unsigned int count = 1, junk = 0, i;
	struct addrinfo *ai;
	bool quic = false;
	size_t len;
	int opt, fd;

	while ((opt = getopt(argc, argv, "n:qj:")) != -1) {
		switch (opt) {
		case 'n': count = (unsigned int)atoi(optarg); break;
		case 'q': quic = true; break;
		case 'j': junk = (unsigned int)atoi(optarg); break;
		default: return UDPX_EXIT_USAGE;
		}
	}
	if (argc - optind != 2 ||
	    getaddrinfo(argv[optind], argv[optind + 1], &hints, &ai))
		return UDPX_EXIT_USAGE;
	fd = socket(ai->ai_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		perror("udpx send");
		return 1;
	}
	freeaddrinfo(ai);
	memset(buf, 'u', sizeof(buf));
	for (i = 0; i < junk; i++)
		if (send(fd, buf, UDPX_SMALL, 0) < 0)
			perror("udpx send");
	len = quic ? quic_initial(buf) : UDPX_SMALL;
	for (i = 0; i < count; i++)
		if (send(fd, buf, len, 0) < 0)
			perror("udpx send");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "send"))
		return cmd_send(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "sink"))
		return cmd_sink(argc - 1, argv + 1);
	fprintf(stderr, "usage: udpx sink PORT FILE | udpx send [-n N] [-q] "
		"[-j JUNK] ADDR PORT\n");
	return UDPX_EXIT_USAGE;
}
