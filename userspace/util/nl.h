/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The netlink socket every rbictl part talks through (libmnl): nf_tables,
 * nfnetlink_log and rbiblock.ko's generic netlink family. One way to open
 * it, one way to send a request and read until its answer, one way to
 * read the kernel's reason for an error.
 */
#ifndef RBI_NL_H
#define RBI_NL_H

#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

struct rbi_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;		/* the last sequence number used */
};

/*
 * Opens and binds a socket of bus (NETLINK_NETFILTER, NETLINK_GENERIC)
 * with extended, capped acknowledgements, and a receive buffer of rcvbuf
 * bytes when not 0. 0 or -errno; nl is closed again on failure.
 */
int rbi_nl_open(struct rbi_nl *nl, int bus, int rcvbuf);
void rbi_nl_close(struct rbi_nl *nl);
int rbi_nl_fd(const struct rbi_nl *nl);

/* The sequence number for the next request. */
uint32_t rbi_nl_next_seq(struct rbi_nl *nl);

/* Why a request failed, in the kernel's own words where it gave any. */
struct rbi_nl_error {
	char msg[256];		/* its extended ack message, else strerror */
	uint32_t bad_off;	/* offset of the attribute refused, or 0 */
};

/*
 * Sends the request nlh (NLM_F_ACK or a dump) and reads until its
 * acknowledgement, its error or the end of its dump, handing each reply to
 * cb (may be NULL). What else arrives on the socket meanwhile (multicast:
 * log copies, and the DONE that ends a batch of them, events) is passed
 * over: only messages of the request's sequence number answer it. Returns 0, or a negative errno with
 * *e saying why.
 */
int rbi_nl_talk(struct rbi_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data, struct rbi_nl_error *e);

/*
 * The message and the offset of the refused attribute an NLMSG_ERROR
 * carries (NULL, 0 when it has none). The message points into nlh.
 */
const char *rbi_nl_extack(const struct nlmsghdr *nlh, uint32_t *bad_off);

#endif
