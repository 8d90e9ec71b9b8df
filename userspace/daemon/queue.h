/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * One NFQUEUE queue, served over nfnetlink_queue with libmnl: the packets
 * the ruleset holds for the daemon (rbi_nft_defs.h names the queues) and
 * the verdicts that let them go.
 *
 * A packet waits in the kernel until its verdict; a packet nobody gives a
 * verdict to waits until the socket closes, which drops it. So every
 * packet read gets a verdict, and packets that cannot be read (a message
 * too short, no payload) are dropped by id, and counted.
 *
 * Reads take up to RBI_QUEUE_BATCH packets in one recvmmsg(); verdicts are
 * gathered and sent together by rbi_queue_flush(), one sendmsg for a
 * batch. A verdict may set the packet's mark (the queue backend's way of
 * telling the ruleset a decision, see rbi_nft_defs.h).
 */
#ifndef RBI_QUEUE_H
#define RBI_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	RBI_QUEUE_BATCH = 32,		/* packets read per recvmmsg() */
	RBI_QUEUE_VERDICTS = 64,	/* verdicts sent per sendmsg() */
	RBI_QUEUE_MAXLEN = 4096,	/* packets the kernel holds */
};

struct rbi_queue;

/* A queued packet, valid during the callback. */
struct rbi_queue_pkt {
	uint32_t id;
	uint16_t proto;		/* ETH_P_IP or ETH_P_IPV6 */
	uint8_t hook;		/* NF_INET_* */
	uint32_t mark;
	const uint8_t *data;	/* from the network header */
	size_t len;		/* bytes copied */
	size_t wire_len;	/* bytes the packet has (>= len) */
};

/* What a queue counted since it was opened. */
struct rbi_queue_stats {
	uint64_t packets;	/* read and given a verdict */
	uint64_t malformed;	/* unreadable messages, dropped */
	uint64_t overruns;	/* ENOBUFS: the kernel could not deliver */
	uint64_t refused;	/* verdicts the kernel answered with an error */
	uint64_t unseen;	/* queued while binding: dropped as a batch */
};

/*
 * Binds queue num: packets copied up to copy bytes, at most
 * RBI_QUEUE_MAXLEN waiting. fail_open: when the queue is full (or the
 * socket overruns) the kernel lets packets pass instead of dropping them.
 * NULL with a sentence in err and -errno in *errnum: -EPERM when another
 * socket holds the queue.
 */
struct rbi_queue *rbi_queue_open(uint16_t num, uint32_t copy, bool fail_open,
				 int *errnum, char *err, size_t len);
void rbi_queue_close(struct rbi_queue *q);
int rbi_queue_fd(const struct rbi_queue *q);
uint16_t rbi_queue_num(const struct rbi_queue *q);
void rbi_queue_get_stats(const struct rbi_queue *q, struct rbi_queue_stats *s);

typedef void (*rbi_queue_cb)(struct rbi_queue *q,
			     const struct rbi_queue_pkt *pkt, void *ctx);

/*
 * Reads what is waiting, up to one batch, calling cb for each packet;
 * cb gives each its verdict. Returns how many messages were read, 0 when
 * none, or -errno; -ENOBUFS means the kernel dropped (or, fail_open, let
 * pass) packets it could not deliver.
 */
int rbi_queue_read(struct rbi_queue *q, rbi_queue_cb cb, void *ctx);

/* Verdicts, sent by the next flush (or when the batch is full). */
void rbi_queue_verdict(struct rbi_queue *q, uint32_t id, uint32_t verdict);
void rbi_queue_verdict_mark(struct rbi_queue *q, uint32_t id,
			    uint32_t verdict, uint32_t mark);
/* Sends the verdicts gathered: 0 or -errno. */
int rbi_queue_flush(struct rbi_queue *q);

/*
 * The pieces of the above, for the tests. rbi_queue_msg() reads one
 * message into pkt: 0, -EAGAIN for a message that is not a packet, or
 * -EBADMSG (pkt->id is valid when id_ok says so, so that the packet can
 * still be dropped). rbi_queue_put_verdict() writes one verdict message
 * for queue num at buf (cap bytes; mark NULL leaves the mark alone) and
 * returns its length, 0 when it does not fit.
 */
struct nlmsghdr;
int rbi_queue_msg(const struct nlmsghdr *nlh, struct rbi_queue_pkt *pkt,
		  bool *id_ok);
size_t rbi_queue_put_verdict(void *buf, size_t cap, uint16_t num,
			     uint32_t id, uint32_t verdict,
			     const uint32_t *mark);

/*
 * The kernel's own counts for queue num in this network namespace
 * (/proc/net/netfilter/nfnetlink_queue): packets dropped because the
 * queue was full, and because the daemon's socket was. -ENOENT when the
 * queue is not bound.
 */
int rbi_queue_kernel_drops(uint16_t num, uint64_t *full, uint64_t *user);

#endif
