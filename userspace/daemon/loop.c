// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The daemon's start, poll loop and stop: NFLOG copies, the module's
 * events, nf_tables' notifications about the table, the audit log's
 * thread and signals (SIGHUP reloads, SIGTERM and SIGINT stop) are waited
 * for together; heartbeats, the merging of flow records and audit stalls
 * are timed by the poll timeout. A reload reads the new policy on a
 * thread of its own, so that a large (or hostile) policy file never holds
 * up DNS learning; only applying it is the loop's.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>

#include "audit/time.h"
#include "daemon/internal.h"
#include "daemon/status.h"
#include "nft/defs.h"
#include "util/plural.h"

enum {
	RBI_DAEMON_BLOCK_COPY = 256,	/* bytes of a blocked packet */
	RBI_DAEMON_DNS_COPY = 65535,
	/* How soon rbiblock.ko going away is noticed. */
	RBI_LOOP_MODULE_MS = 1000,
	RBI_DAEMON_STATE_MS = 1000,	/* state file rewritten at most so */
};

enum rbi_loop_fd {
	RBI_FD_NFLOG,
	RBI_FD_SIGNAL,
	RBI_FD_EVENTS,
	RBI_FD_AUDIT,
	RBI_FD_WATCH,
	RBI_FD_RELOAD,
	RBI_FD_QUEUES,
	__RBI_FD_MAX
};

/* A policy being read for a reload, on its own thread. */
struct rbi_reload {
	pthread_t thread;
	int efd;
	bool busy;
	bool again;		/* another SIGHUP came meanwhile */
	const char *path;
	struct rbi_policy *result;
};

uint64_t rbi_daemon_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void *rbi_reload_thread(void *arg)
{
	struct rbi_reload *r = arg;
	uint64_t one = 1;

	r->result = rbi_policy_load_report(r->path, 0, stderr);
	if (write(r->efd, &one, sizeof(one)) < 0)
		return NULL;
	return NULL;
}

static void rbi_reload_start(struct rbi_reload *r)
{
	if (r->busy) {
		r->again = true;
		return;
	}
	r->result = NULL;
	r->busy = !pthread_create(&r->thread, NULL, rbi_reload_thread, r);
	if (!r->busy)
		rbi_daemon_log(LOG_ERR, "reload refused: no thread to read the "
			       "policy on (%s)", strerror(errno));
}

/* The policy the thread read: applied, or refused. */
static void rbi_loop_reload(struct rbi_daemon *d, struct rbi_reload *r)
{
	struct rbi_policy *np, *old;
	uint64_t n;

	if (read(r->efd, &n, sizeof(n)) < 0 || !r->busy)
		return;
	pthread_join(r->thread, NULL);
	r->busy = false;
	np = r->result;
	if (!np || !rbi_status_public_zones(np)) {
		rbi_daemon_log(LOG_ERR, "reload refused: %s %s; policy %s "
			       "(sha256 %s) stays in force",
			       d->path ? d->path : "the policy", np ?
			       "names no publicly accessible zone" :
			       "is invalid", d->p->name, d->p->sha256_hex);
		rbi_policy_free(np);
	} else if (rbi_daemon_enforce(d, np)) {
		rbi_daemon_log(LOG_ERR, "reload refused: the new policy could "
			       "not be applied; policy %s stays in force",
			       d->p->name);
		rbi_policy_free(np);
	} else {
		rbi_runrecs_flush(d->recs, true, rbi_daemon_now_ms());
		/* The queue threads read the policy: none does meanwhile. */
		pthread_rwlock_wrlock(&d->plock);
		rbi_memo_remap(&d->memo, np);
		old = d->p;
		d->p = np;
		pthread_rwlock_unlock(&d->plock);
		rbi_daemon_audit_policy(d, old);
		rbi_policy_free(old);
		rbi_daemon_say("reloaded: policy %s (sha256 %s)", np->name,
			       np->sha256_hex);
	}
	rbi_daemon_notify(d, "READY=1");
	if (r->again) {
		r->again = false;
		rbi_reload_start(r);
	}
}

static int rbi_loop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int rbi_loop_min(int a, int b)
{
	return a < 0 ? b : b < 0 || a < b ? a : b;
}

static int rbi_loop_timeout(const struct rbi_daemon *d)
{
	time_t now = time(NULL);
	int ms = (int)(d->next_heartbeat > now ? d->next_heartbeat - now : 0) *
		 1000;

	if (rbi_runrecs_pending(d->recs))
		ms = rbi_loop_min(ms, RBI_RUNREC_MERGE_MS / 4);
	if (__atomic_load_n(&d->state_dirty, __ATOMIC_RELAXED))
		ms = rbi_loop_min(ms, RBI_DAEMON_STATE_MS);
	/* A module gone must not leave the ruleset waiting on its labels. */
	if (d->module_used || d->module_lost)
		ms = rbi_loop_min(ms, RBI_LOOP_MODULE_MS);
	return rbi_loop_min(ms, rbi_daemon_audit_timeout(d));
}

/* false when it is time to stop. */
static bool rbi_loop_signal(const struct rbi_daemon *d, int sfd,
			    struct rbi_reload *r)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGHUP) {
			rbi_daemon_log(LOG_NOTICE, "stopping on signal %u",
				       si.ssi_signo);
			rbi_daemon_notify(d, "STOPPING=1");
			return false;
		}
		rbi_daemon_notify(d, "RELOADING=1");
		rbi_reload_start(r);
	}
	return true;
}

static void rbi_loop_packet(const struct rbi_nflog_pkt *l, void *ctx)
{
	struct rbi_daemon *d = ctx;

	if (l->group == RBI_NFLOG_DNS)
		rbi_daemon_dns(d, l);
	else if (l->group == RBI_NFLOG_BLOCK)
		rbi_daemon_copy(d, l);
}

static void rbi_loop_nflog(struct rbi_daemon *d)
{
	char detail[128];

	if (rbi_nflog_read(d->nflog, rbi_loop_packet, d) < 0 &&
	    errno == ENOBUFS) {
		d->dropped++;
		snprintf(detail, sizeof(detail), "the kernel dropped NFLOG "
			 "copies (socket buffer full), %llu %s",
			 (unsigned long long)d->dropped,
			 rbi_plural(d->dropped, "time", "times"));
		rbi_daemon_gap(d, "dropped-events", 1, detail);
	}
}

static void rbi_loop_fds(const struct rbi_daemon *d, struct pollfd *pfd,
			 int sfd, const struct rbi_reload *r)
{
	size_t i;

	/* poll() skips a negative fd: no module, no events. */
	pfd[RBI_FD_NFLOG].fd = rbi_nflog_fd(d->nflog);
	pfd[RBI_FD_SIGNAL].fd = sfd;
	pfd[RBI_FD_EVENTS].fd = d->events ? rbi_modctl_fd(d->events) : -1;
	pfd[RBI_FD_AUDIT].fd = rbi_daemon_audit_fd(d);
	pfd[RBI_FD_WATCH].fd = d->watch ? rbi_nft_watch_fd(d->watch) : -1;
	pfd[RBI_FD_RELOAD].fd = r->efd;
	pfd[RBI_FD_QUEUES].fd = d->queues ? rbi_queues_fd(d->queues) : -1;
	for (i = 0; i < __RBI_FD_MAX; i++) {
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
}

static int rbi_loop(struct rbi_daemon *d, int sfd)
{
	struct rbi_reload r = { .efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK),
				.path = d->path };
	struct pollfd pfd[__RBI_FD_MAX];
	uint64_t state_at = 0;
	int64_t before;

	if (r.efd < 0) {
		fprintf(stderr, "rbictl run: eventfd: %s\n", strerror(errno));
		return -1;
	}
	for (;;) {
		rbi_loop_fds(d, pfd, sfd, &r);
		before = rbi_audit_now_us();
		if (poll(pfd, __RBI_FD_MAX,
			 rbi_daemon_watchdog_timeout(rbi_loop_timeout(d))) < 0 &&
		    errno != EINTR)
			break;
		/* nf_tables announces a change as it commits it. */
		if (d->watch && !pfd[RBI_FD_WATCH].revents && !d->proven_hold &&
		    before > d->proven_us)
			d->proven_us = before;
		rbi_daemon_watchdog(d);
		if (pfd[RBI_FD_SIGNAL].revents &&
		    !rbi_loop_signal(d, sfd, &r))
			break;
		rbi_daemon_audit_check(d);
		if (pfd[RBI_FD_WATCH].revents && d->watch)
			rbi_daemon_watch_read(d);
		if (pfd[RBI_FD_RELOAD].revents)
			rbi_loop_reload(d, &r);
		if (pfd[RBI_FD_EVENTS].revents && d->events)
			rbi_daemon_events_read(d);
		if (pfd[RBI_FD_QUEUES].revents && d->queues)
			rbi_daemon_queues_read(d);
		if (pfd[RBI_FD_NFLOG].revents)
			rbi_loop_nflog(d);
		rbi_runrecs_flush(d->recs, false, rbi_daemon_now_ms());
		rbi_daemon_module_watch(d);
		if (time(NULL) >= d->next_heartbeat)
			rbi_daemon_heartbeat(d);
		if (__atomic_load_n(&d->state_dirty, __ATOMIC_RELAXED) &&
		    rbi_daemon_now_ms() - state_at >= RBI_DAEMON_STATE_MS) {
			state_at = rbi_daemon_now_ms();
			rbi_daemon_state_write(d);
		}
	}
	/* A policy still being read is not waited for. */
	if (r.busy)
		pthread_detach(r.thread);
	else
		close(r.efd);
	rbi_runrecs_flush(d->recs, true, rbi_daemon_now_ms());
	rbi_daemon_learn_gaps(d);
	return 0;
}

long rbi_daemon_pid(const char *pidfile)
{
	FILE *f = fopen(pidfile ? pidfile : RBI_DAEMON_PIDFILE, "r");
	long pid = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 0 || kill((pid_t)pid, 0))
		pid = 0;
	fclose(f);
	return pid;
}

static void rbi_loop_pidfile(const char *path)
{
	char dir[RBI_DAEMON_PATH_MAX], *slash;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	f = fopen(path, "w");
	if (!f) {
		rbi_daemon_log(LOG_WARNING, "pid file %s: %s", path,
			       strerror(errno));
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

static void rbi_daemon_free(struct rbi_daemon *d)
{
	/* The queue threads stop first: they read what is freed below. */
	rbi_daemon_queues_close(d);
	rbi_daemon_events_close(d);
	rbi_nft_watch_close(d->watch);
	rbi_nflog_close(d->nflog);
	rbi_runrecs_free(d->recs);
	rbi_dnsstreams_free(d->streams);
	rbi_dnslearn_free(&d->lrn);
	free(d->entries);
	rbi_memo_destroy(&d->memo);
	rbi_policy_free(d->p);
	pthread_rwlock_destroy(&d->plock);
	pthread_mutex_destroy(&d->llock);
	free(d);
}

int rbi_daemon_run(const struct rbi_daemon_opts *o)
{
	static const uint16_t groups[] = { RBI_NFLOG_BLOCK, RBI_NFLOG_DNS };
	static const uint32_t copy[] = {
		RBI_DAEMON_BLOCK_COPY, RBI_DAEMON_DNS_COPY
	};
	struct rbi_daemon *d = calloc(1, sizeof(*d));
	char err[RBI_NFT_ERR_LEN], path[RBI_DAEMON_PATH_MAX];
	int rc, sfd;

	if (!d || rbi_memo_init(&d->memo) ||
	    !(d->streams = rbi_dnsstreams_new())) {
		if (d)
			rbi_memo_destroy(&d->memo);
		rbi_policy_free(o->policy);
		free(d);
		fprintf(stderr, "rbictl run: out of memory\n");
		return -1;
	}
	pthread_rwlock_init(&d->plock, NULL);
	pthread_mutex_init(&d->llock, NULL);
	d->path = o->path;
	d->pidfile = o->pidfile ? o->pidfile : RBI_DAEMON_PIDFILE;
	d->backend = o->backend;
	d->no_offload = o->no_offload;
	d->keep = o->keep;
	d->grace = o->grace;
	d->p = o->policy;
	/* Blocked before any thread starts, so that every thread has them. */
	sfd = rbi_loop_signals();
	d->recs = rbi_runrecs_new(rbi_daemon_record, d);
	/* Listen first, so that nothing logged after the apply is lost. */
	d->nflog = rbi_nflog_open(groups, copy, 2, err, sizeof(err));
	if (d->nflog && d->recs)
		rbi_daemon_events_open(d);
	if (d->nflog && d->recs)
		rbi_daemon_watch_open(d);
	/* Without the module, the daemon inspects: its queues first. */
	if (d->backend == RBI_BACKEND_AUTO && !rbi_module_loaded())
		d->backend = RBI_BACKEND_QUEUE;
	if (d->nflog && d->recs && d->backend == RBI_BACKEND_QUEUE)
		rbi_daemon_queues_open(d);
	if (sfd < 0 || !d->nflog || !d->recs || rbi_daemon_audit_start(d) ||
	    rbi_daemon_enforce(d, d->p)) {
		if (!d->nflog)
			fprintf(stderr, "rbictl run: %s\n", err);
		else if (sfd < 0 || !d->audit)
			fprintf(stderr, "rbictl run: cannot start: %s\n",
				strerror(errno));
		rbi_daemon_audit_stop(d, "shutdown");
		rbi_daemon_free(d);
		return -1;
	}
	rbi_loop_pidfile(d->pidfile);
	rbi_daemon_audit_open(d);
	rbi_daemon_queues_audit(d);
	d->next_heartbeat = time(NULL) + d->p->audit.heartbeat;
	rbi_daemon_state_write(d);
	rbi_daemon_notify(d, "READY=1");
	rc = rbi_loop(d, sfd);
	rbi_daemon_audit_stop(d, "shutdown");
	close(sfd);
	unlink(d->pidfile);
	rbi_daemon_state_path(d->pidfile, path, sizeof(path));
	unlink(path);
	rbi_daemon_free(d);
	return rc;
}
