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

#define RBI_DAEMON_PIDFILE	"/run/rbiblock/run.pid"
#define RBI_DAEMON_UNIT		"rbiblock.service"

struct rbi_daemon_opts {
	const char *path;		/* the policy file, read again on SIGHUP */
	struct rbi_policy *policy;	/* path, loaded: the daemon's to free */
	enum rbi_backend backend;
	unsigned int grace;		/* seconds added to each DNS TTL */
	const char *pidfile;
	bool no_offload;		/* no flowtable of rbiblock's own */
};

/*
 * Runs o->policy until SIGTERM or SIGINT: 0, or -1 when it could not
 * start. The policy is freed either way.
 */
int rbi_daemon_run(const struct rbi_daemon_opts *o);

/* The pid in pidfile, if that process runs, or 0. */
long rbi_daemon_pid(const char *pidfile);

#endif
