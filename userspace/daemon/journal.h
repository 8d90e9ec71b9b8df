/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the daemon tells its service manager: log lines with syslog
 * priorities, and sd_notify(3) messages (readiness, reloads, the
 * watchdog), spoken over the protocol's datagram socket without linking
 * libsystemd. Outside systemd both are plain: lines without prefixes, no
 * messages.
 */
#ifndef RBI_DAEMON_JOURNAL_H
#define RBI_DAEMON_JOURNAL_H

#include <syslog.h>

struct rbi_daemon;

/*
 * One line, at priority prio (LOG_ERR ... LOG_DEBUG): errors and warnings
 * on stderr, the rest on stdout. When the stream is the journal, the line
 * starts with "<prio>", which journald reads as the line's priority.
 */
void rbi_daemon_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Sends state ("READY=1", "RELOADING=1", "STOPPING=1", or "" for the
 * STATUS= line alone) with a STATUS= line saying what the ruleset in force
 * does (FAIL-CLOSED and why, whatever the cause), if the service manager
 * asked for messages.
 */
void rbi_daemon_notify(const struct rbi_daemon *d, const char *state);

/*
 * The poll timeout ms, shortened so that the loop comes round at least
 * twice per watchdog period (WatchdogSec=).
 */
int rbi_daemon_watchdog_timeout(int ms);

/* Tells the watchdog the loop came round, at most a few times a period. */
void rbi_daemon_watchdog(const struct rbi_daemon *d);

#endif
