/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * rbictl run, the daemon: applies the policy, then listens. Blocks and
 * logged flows, from the ruleset's NFLOG copies and rbiblock.ko's events,
 * become audit records, one per flow (runrec.h says which source speaks
 * for which flow); DNS answers copied to it teach the learned maps;
 * heartbeats sign the log. The kernel enforces on its own: killing the
 * daemon stops learning and recording, never blocking.
 */
#ifndef RBI_DAEMON_H
#define RBI_DAEMON_H

#include "daemon/backend.h"
#include "rbi_learn.h"
#include "rbiblock.h"

#define RBI_DAEMON_PIDFILE	"/run/rbiblock/run.pid"
#define RBI_DAEMON_UNIT		"rbiblock.service"
#define RBI_DAEMON_KEEP		"/var/lib/rbiblock/kept.batch"

enum {
	RBI_DAEMON_PATH_MAX = 4096,
};

struct rbi_daemon_opts {
	const char *path;		/* the policy file, read again on SIGHUP */
	struct rbi_policy *policy;	/* path, loaded: the daemon's to free */
	enum rbi_backend backend;
	unsigned int grace;		/* seconds added to each DNS TTL */
	const char *pidfile;
	bool no_offload;		/* no flowtable of rbiblock's own */
	/* Where the ruleset for a boot is kept (--keep), or NULL. */
	const char *keep;
};

/*
 * Runs o->policy until SIGTERM or SIGINT: 0, or -1 when it could not
 * start. The policy is freed either way.
 */
int rbi_daemon_run(const struct rbi_daemon_opts *o);

/* The pid of a running daemon (from pidfile, NULL: the default), or 0. */
long rbi_daemon_pid(const char *pidfile);

/*
 * What a running daemon says of itself that the kernel can't: read from
 * the state file beside its pid file, which it rewrites at each heartbeat.
 */
struct rbi_daemon_state {
	bool watch;		/* it watches the table for changes */
	char fail[128];		/* why it fails closed, or "" */
	uint64_t learned;	/* addresses its memo holds */
	uint64_t aliases;
	uint64_t refused[__RBI_LEARN_REF_MAX];
	uint64_t unread;	/* DNS answer bytes not read whole */
	uint64_t malformed;	/* DNS answers with a broken record */
	/*
	 * It inspects (the queue backend): its counters as of its last
	 * heartbeat, with rbiblock.ko's names and meanings.
	 */
	bool inspects;
	uint64_t stats[__RBI_STAT_MAX];
};

/* The state file of the daemon whose pid file is pidfile (NULL: default). */
void rbi_daemon_state_path(const char *pidfile, char *buf, size_t len);
/* 0, or -1 when there is no state file to read. */
int rbi_daemon_state_read(const char *pidfile, struct rbi_daemon_state *st);

#endif
