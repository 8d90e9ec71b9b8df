// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "daemon/queues.h"
#include "nft/defs.h"

struct rbi_qthread {
	struct rbi_queue *q;
	rbi_queue_cb cb;
	void *ctx;
	int stop;		/* the pool's: readable once it is time */
	pthread_t tid;
	bool started;
};

struct rbi_queues {
	struct rbi_qthread t[RBI_NFT_QUEUES_MAX + 1];
	size_t n;
	int stop;
	int wake;
	pthread_mutex_t lock;	/* the mailbox */
	struct rbi_modctl_event *box;
	size_t head, count;
	uint64_t lost;
};

struct rbi_queues *rbi_queues_new(void)
{
	struct rbi_queues *qs = calloc(1, sizeof(*qs));

	if (!qs)
		return NULL;
	qs->box = calloc(RBI_QUEUES_MAILBOX, sizeof(*qs->box));
	qs->stop = eventfd(0, EFD_CLOEXEC);
	qs->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_init(&qs->lock, NULL);
	if (!qs->box || qs->stop < 0 || qs->wake < 0) {
		rbi_queues_free(qs);
		return NULL;
	}
	return qs;
}

void rbi_queues_free(struct rbi_queues *qs)
{
	uint64_t one = 1;
	size_t i;

	if (!qs)
		return;
	if (qs->stop >= 0 && write(qs->stop, &one, sizeof(one)) < 0)
		perror("rbictl run: stopping the queue threads");
	for (i = 0; i < qs->n; i++) {
		if (qs->t[i].started)
			pthread_join(qs->t[i].tid, NULL);
		rbi_queue_close(qs->t[i].q);
	}
	if (qs->stop >= 0)
		close(qs->stop);
	if (qs->wake >= 0)
		close(qs->wake);
	pthread_mutex_destroy(&qs->lock);
	free(qs->box);
	free(qs);
}

int rbi_queues_add(struct rbi_queues *qs, uint16_t num, uint32_t copy,
		   bool fail_open, rbi_queue_cb cb, void *ctx, char *err,
		   size_t len)
{
	struct rbi_qthread *t = &qs->t[qs->n];
	int rc;

	if (qs->n == sizeof(qs->t) / sizeof(qs->t[0])) {
		snprintf(err, len, "more than %zu queues",
			 sizeof(qs->t) / sizeof(qs->t[0]));
		return -ENOSPC;
	}
	t->q = rbi_queue_open(num, copy, fail_open, &rc, err, len);
	if (!t->q)
		return rc;
	t->cb = cb;
	t->ctx = ctx;
	t->stop = qs->stop;
	qs->n++;
	return 0;
}

/*
 * Reads and answers what is waiting, sending each batch's verdicts before
 * reading the next. A batch that was not full left the queue empty: poll()
 * says when more comes, a read would only say EAGAIN. An overrun
 * (ENOBUFS) is counted by the queue and reading goes on.
 */
static void rbi_qthread_drain(struct rbi_qthread *t)
{
	int n;

	do {
		n = rbi_queue_read(t->q, t->cb, t->ctx);
		rbi_queue_flush(t->q);
	} while (n == RBI_QUEUE_BATCH || n == -ENOBUFS);
}

static void *rbi_qthread_run(void *arg)
{
	struct rbi_qthread *t = arg;
	struct pollfd pfd[2];

	pfd[0].fd = rbi_queue_fd(t->q);
	pfd[0].events = POLLIN;
	pfd[1].fd = t->stop;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("rbictl run: queue thread");
			break;
		}
		if (pfd[1].revents)
			break;
		if (pfd[0].revents)
			rbi_qthread_drain(t);
	}
	return NULL;
}

/* The threads take no signal: the main thread's signalfd reads them. */
int rbi_queues_start(struct rbi_queues *qs)
{
	sigset_t all, old;
	size_t i;
	int rc = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < qs->n && !rc; i++) {
		rc = -pthread_create(&qs->t[i].tid, NULL, rbi_qthread_run,
				     &qs->t[i]);
		qs->t[i].started = !rc;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

void rbi_queues_post(struct rbi_queues *qs, const struct rbi_modctl_event *ev)
{
	uint64_t one = 1;
	bool lost;

	pthread_mutex_lock(&qs->lock);
	lost = qs->count == RBI_QUEUES_MAILBOX;
	if (lost) {
		qs->lost++;
	} else {
		qs->box[(qs->head + qs->count) % RBI_QUEUES_MAILBOX] = *ev;
		qs->count++;
	}
	pthread_mutex_unlock(&qs->lock);
	if (!lost && write(qs->wake, &one, sizeof(one)) < 0)
		perror("rbictl run: waking the main thread");
}

int rbi_queues_fd(const struct rbi_queues *qs)
{
	return qs->wake;
}

void rbi_queues_take(struct rbi_queues *qs,
		     void (*cb)(void *ctx, const struct rbi_modctl_event *ev),
		     void *ctx)
{
	struct rbi_modctl_event ev;
	uint64_t n;
	bool more;

	if (read(qs->wake, &n, sizeof(n)) < 0 && errno != EAGAIN)
		perror("rbictl run: the queue threads' events");
	for (;;) {
		pthread_mutex_lock(&qs->lock);
		more = qs->count > 0;
		if (more) {
			ev = qs->box[qs->head];
			qs->head = (qs->head + 1) % RBI_QUEUES_MAILBOX;
			qs->count--;
		}
		pthread_mutex_unlock(&qs->lock);
		if (!more)
			return;
		/* The copy's name is its own. */
		ev.flow.name = ev.flow.name_len ? ev.name : NULL;
		cb(ctx, &ev);
	}
}

void rbi_queues_get_stats(struct rbi_queues *qs,
			  struct rbi_queues_stats *st)
{
	struct rbi_queue_stats s;
	uint64_t full, user;
	size_t i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < qs->n; i++) {
		rbi_queue_get_stats(qs->t[i].q, &s);
		st->q.packets += s.packets;
		st->q.malformed += s.malformed;
		st->q.overruns += s.overruns;
		st->q.refused += s.refused;
		st->q.unseen += s.unseen;
		if (!rbi_queue_kernel_drops(rbi_queue_num(qs->t[i].q), &full,
					    &user)) {
			st->kernel_full += full;
			st->kernel_user += user;
		}
	}
	pthread_mutex_lock(&qs->lock);
	st->events_lost = qs->lost;
	pthread_mutex_unlock(&qs->lock);
}
