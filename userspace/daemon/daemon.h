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

struct rbi_daemon_opts {
	const char *path;		/* the policy; NULL: the default */
	enum rbi_backend backend;
	unsigned int grace;		/* seconds added to each DNS TTL */
	const char *pidfile;
};

/* Runs until SIGTERM or SIGINT: 0, or -1 when it could not start. */
int rbi_daemon_run(const struct rbi_daemon_opts *o);

/* The pid of a running daemon (from its pid file), or 0. */
long rbi_daemon_pid(void);

#endif
