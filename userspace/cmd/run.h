/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* rbictl run: the daemon. */
#ifndef RBI_RUN_H
#define RBI_RUN_H

#define RBI_RUN_PIDFILE	"/run/rbiblock/run.pid"

int rbi_cmd_run(int argc, char **argv);
extern const char rbi_help_run[];

#define RBI_CMDS_RUN \
	{ "run", "[-p POLICY] [--backend B] [--learn-grace S] " \
	  "[--pid-file FILE]", \
	  "the daemon: apply, learn from DNS, keep the audit log", \
	  rbi_help_run, rbi_cmd_run }

/* The pid of a running 'rbictl run' (from its pid file), or 0. */
long rbi_run_pid(void);

#endif
