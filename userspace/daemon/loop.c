// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The daemon's start, poll loop and stop: NFLOG copies, the module's
 * events and signals (SIGHUP reloads, SIGTERM and SIGINT stop) are waited
 * for together; heartbeats and the merging of flow records are timed by
 * the poll timeout.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>

#include "daemon/internal.h"
#include "daemon/status.h"
#include "nft/defs.h"
#include "util/plural.h"

enum {
	RBI_DAEMON_BLOCK_COPY = 256,	/* bytes of a blocked packet */
	RBI_DAEMON_DNS_COPY = 65535,
	/* How soon rbiblock.ko going away is noticed. */
	RBI_LOOP_MODULE_MS = 1000,
};

uint64_t rbi_daemon_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void rbi_loop_reload(struct rbi_daemon *d)
{
	struct rbi_policy *np = rbi_policy_load_report(d->path, 0, stderr);

	rbi_daemon_notify(d, "RELOADING=1");
	if (!np || !rbi_status_public_zones(np)) {
		rbi_daemon_log(LOG_ERR, "reload refused: %s %s; policy %s "
			       "(sha256 %s) stays in force",
			       d->path ? d->path : "the policy", np ?
			       "names no publicly accessible zone" :
			       "is invalid", d->p->name, d->p->sha256_hex);
		rbi_policy_free(np);
		rbi_daemon_notify(d, "READY=1");
		return;
	}
	if (rbi_daemon_enforce(d, np)) {
		rbi_daemon_log(LOG_ERR, "reload refused: the new policy could "
			       "not be applied; policy %s stays in force",
			       d->p->name);
		rbi_policy_free(np);
		rbi_daemon_notify(d, "READY=1");
		return;
	}
	rbi_runrecs_flush(d->recs, true, rbi_daemon_now_ms());
	pthread_rwlock_wrlock(&d->plock);
	rbi_memo_remap(&d->memo, np);
	rbi_policy_free(d->p);
	d->p = np;
	pthread_rwlock_unlock(&d->plock);
	rbi_daemon_policy_record(d);
	rbi_daemon_say("reloaded: policy %s (sha256 %s)", np->name,
		       np->sha256_hex);
	rbi_daemon_notify(d, "READY=1");
}

static int rbi_loop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	if (sigprocmask(SIG_BLOCK, set, NULL))
		return -1;
	return signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int rbi_loop_timeout(const struct rbi_daemon *d)
{
	time_t now = time(NULL);
	int ms = (int)(d->next_heartbeat > now ? d->next_heartbeat - now : 0) *
		 1000;

	if (rbi_runrecs_pending(d->recs) && ms > RBI_RUNREC_MERGE_MS / 4)
		ms = RBI_RUNREC_MERGE_MS / 4;
	/* A module gone must not leave the ruleset waiting on its labels. */
	if ((d->module_used || d->module_lost) && ms > RBI_LOOP_MODULE_MS)
		ms = RBI_LOOP_MODULE_MS;
	return ms;
}

/* false when it is time to stop. */
static bool rbi_loop_signal(struct rbi_daemon *d, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGHUP) {
			rbi_daemon_log(LOG_NOTICE, "stopping on signal %u",
				       si.ssi_signo);
			rbi_daemon_notify(d, "STOPPING=1");
			return false;
		}
		rbi_loop_reload(d);
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

static int rbi_loop(struct rbi_daemon *d)
{
	struct pollfd pfd[4];
	sigset_t set;
	int sfd = rbi_loop_signals(&set);

	if (sfd < 0) {
		fprintf(stderr, "rbictl run: signals: %s\n", strerror(errno));
		return -1;
	}
	pfd[0].fd = rbi_nflog_fd(d->nflog);
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;
	pfd[2].events = POLLIN;
	pfd[3].events = POLLIN;
	for (;;) {
		/* poll() skips a negative fd: no module, no events. */
		pfd[2].fd = d->events ? rbi_modctl_fd(d->events) : -1;
		pfd[2].revents = 0;
		pfd[3].fd = d->queues ? rbi_queues_fd(d->queues) : -1;
		pfd[3].revents = 0;
		if (poll(pfd, 4, rbi_daemon_watchdog_timeout(
				rbi_loop_timeout(d))) < 0 && errno != EINTR)
			break;
		rbi_daemon_watchdog(d);
		if (pfd[1].revents && !rbi_loop_signal(d, sfd))
			break;
		if (pfd[2].revents && d->events)
			rbi_daemon_events_read(d);
		if (pfd[3].revents && d->queues)
			rbi_daemon_queues_read(d);
		if (pfd[0].revents)
			rbi_loop_nflog(d);
		rbi_runrecs_flush(d->recs, false, rbi_daemon_now_ms());
		rbi_daemon_module_watch(d);
		if (time(NULL) >= d->next_heartbeat)
			rbi_daemon_heartbeat(d);
		rbi_daemon_sync(d);
	}
	rbi_runrecs_flush(d->recs, true, rbi_daemon_now_ms());
	rbi_daemon_sync(d);
	close(sfd);
	return 0;
}

long rbi_daemon_pid(const char *pidfile)
{
	FILE *f = fopen(pidfile, "r");
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
	char dir[256], *slash;
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
	rbi_nflog_close(d->nflog);
	rbi_runrecs_free(d->recs);
	rbi_memo_destroy(&d->memo);
	rbi_policy_free(d->p);
	pthread_rwlock_destroy(&d->plock);
	free(d);
}

int rbi_daemon_run(const struct rbi_daemon_opts *o)
{
	static const uint16_t groups[] = { RBI_NFLOG_BLOCK, RBI_NFLOG_DNS };
	static const uint32_t copy[] = {
		RBI_DAEMON_BLOCK_COPY, RBI_DAEMON_DNS_COPY
	};
	const char *pidfile = o->pidfile ? o->pidfile : RBI_DAEMON_PIDFILE;
	struct rbi_daemon *d = calloc(1, sizeof(*d));
	char err[RBI_NFT_ERR_LEN];
	int rc;

	if (!d || rbi_memo_init(&d->memo)) {
		rbi_policy_free(o->policy);
		free(d);
		fprintf(stderr, "rbictl run: out of memory\n");
		return -1;
	}
	pthread_rwlock_init(&d->plock, NULL);
	d->path = o->path;
	d->backend = o->backend;
	d->no_offload = o->no_offload;
	d->grace = o->grace;
	d->p = o->policy;
	d->recs = rbi_runrecs_new(rbi_daemon_record, d);
	/* Listen first, so that nothing logged after the apply is lost. */
	d->nflog = rbi_nflog_open(groups, copy, 2, err, sizeof(err));
	if (d->nflog && d->recs)
		rbi_daemon_events_open(d);
	/* Without the module, the daemon inspects: its queues first. */
	if (d->backend == RBI_BACKEND_AUTO && !rbi_module_loaded())
		d->backend = RBI_BACKEND_QUEUE;
	if (d->nflog && d->recs && d->backend == RBI_BACKEND_QUEUE)
		rbi_daemon_queues_open(d);
	if (!d->nflog || !d->recs || rbi_daemon_enforce(d, d->p)) {
		if (!d->nflog)
			fprintf(stderr, "rbictl run: %s\n", err);
		rbi_daemon_free(d);
		return -1;
	}
	rbi_loop_pidfile(pidfile);
	rbi_daemon_audit_open(d);
	rbi_daemon_queues_audit(d);
	d->next_heartbeat = time(NULL) + d->p->audit.heartbeat;
	rbi_daemon_notify(d, "READY=1");
	rc = rbi_loop(d);
	if (d->log && rbi_audit_close(d->log, "shutdown") != RBI_AUDIT_OK)
		rbi_daemon_log(LOG_ERR, "audit: closing the log failed");
	unlink(pidfile);
	rbi_daemon_free(d);
	return rc;
}
