/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The queue backend's threads: one per NFQUEUE queue, each reading its
 * queue, handing every packet to its handler and sending the verdicts,
 * so that no packet waits on the daemon's main thread (which writes and
 * fsyncs the audit log, and reads the ruleset back at heartbeats).
 *
 * What the handlers decide reaches the main thread as events (the same
 * struct the module sends), through a mailbox that wakes the main loop's
 * poll(); a full mailbox drops events and counts them.
 */
#ifndef RBI_QUEUES_H
#define RBI_QUEUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/queue.h"
#include "kmod/modctl.h"

enum {
	RBI_QUEUES_MAILBOX = 1024,	/* events waiting for the main thread */
};

struct rbi_queues;

/* What happened to the queues, summed over them. */
struct rbi_queues_stats {
	struct rbi_queue_stats q;	/* as the daemon's sockets counted */
	uint64_t kernel_full;		/* dropped: a queue was full */
	uint64_t kernel_user;		/* dropped: a socket was full */
	uint64_t events_lost;		/* the mailbox was full */
};

struct rbi_queues *rbi_queues_new(void);
/* Stops the threads (if started), closes the queues, frees. */
void rbi_queues_free(struct rbi_queues *qs);

/*
 * Binds queue num, copying copy bytes of each packet, whose packets cb
 * handles (on the queue's thread, with ctx). 0, or -errno with a sentence
 * in err.
 */
int rbi_queues_add(struct rbi_queues *qs, uint16_t num, uint32_t copy,
		   bool fail_open, rbi_queue_cb cb, void *ctx, char *err,
		   size_t len);

/* Starts a thread per queue: 0 or -errno. */
int rbi_queues_start(struct rbi_queues *qs);

/* From a handler: an event for the main thread. */
void rbi_queues_post(struct rbi_queues *qs, const struct rbi_modctl_event *ev);

/* The main thread's side: readable when events wait ... */
int rbi_queues_fd(const struct rbi_queues *qs);
/* ... which this hands to cb, in order. */
void rbi_queues_take(struct rbi_queues *qs,
		     void (*cb)(void *ctx, const struct rbi_modctl_event *ev),
		     void *ctx);

void rbi_queues_get_stats(struct rbi_queues *qs,
			  struct rbi_queues_stats *st);

#endif
