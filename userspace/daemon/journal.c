// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "daemon/internal.h"

enum {
	RBI_NOTIFY_MAX = 1024,		/* bytes of one message */
	RBI_WATCHDOG_PINGS = 4,		/* per period, at most */
};

/* The stream fd is the journal: systemd says which one in JOURNAL_STREAM. */
static bool rbi_journal_is(int fd)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return env && sscanf(env, "%llu:%llu", &dev, &ino) == 2 &&
	       !fstat(fd, &st) && st.st_dev == dev && st.st_ino == ino;
}

static void rbi_daemon_vlog(int prio, const char *fmt, va_list ap)
{
	static int journal[3] = { -1, -1, -1 };
	FILE *f = prio <= LOG_WARNING ? stderr : stdout;
	int fd = fileno(f);

	/* One whole line, whichever of the queue backend's threads says it. */
	flockfile(f);
	if (journal[fd] < 0)
		journal[fd] = rbi_journal_is(fd);
	if (journal[fd])
		fprintf(f, "<%d>", prio);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
	funlockfile(f);
}

void rbi_daemon_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rbi_daemon_vlog(prio, fmt, ap);
	va_end(ap);
}

void rbi_daemon_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rbi_daemon_vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

/* One datagram to $NOTIFY_SOCKET (a path, or '@' for an abstract name). */
static void rbi_notify_send(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = path ? strlen(path) : 0;
	int fd;

	if (!n || n >= sizeof(sa.sun_path) || (path[0] != '/' &&
						path[0] != '@'))
		return;
	memcpy(sa.sun_path, path, n);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa,
		   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)) < 0)
		rbi_daemon_log(LOG_WARNING, "sd_notify: %s: %s", path,
			       strerror(errno));
	close(fd);
}

void rbi_daemon_notify(const struct rbi_daemon *d, const char *state)
{
	const char *fail = d->applied_fail[0] ? d->applied_fail : NULL;
	char msg[RBI_NOTIFY_MAX];

	snprintf(msg, sizeof(msg), "%s\nSTATUS=%s%s policy %s (sha256 %.12s), "
		 "backend %s", state, fail ? "FAIL-CLOSED: " : "",
		 fail ? fail : "enforcing", d->p->name,
		 d->p->sha256_hex, d->module_used ? "nft+module" :
		 rbi_backend_name(rbi_daemon_backend(d)));
	rbi_notify_send(msg);
}

/* WatchdogSec= as milliseconds, when it is this process's to keep. */
static uint64_t rbi_watchdog_ms(void)
{
	const char *usec = getenv("WATCHDOG_USEC");
	const char *pid = getenv("WATCHDOG_PID");

	if (!usec || (pid && strtol(pid, NULL, 10) != (long)getpid()))
		return 0;
	return strtoull(usec, NULL, 10) / 1000;
}

int rbi_daemon_watchdog_timeout(int ms)
{
	uint64_t half = rbi_watchdog_ms() / 2;

	return half && (uint64_t)ms > half ? (int)half : ms;
}

void rbi_daemon_watchdog(const struct rbi_daemon *d)
{
	static uint64_t last;
	uint64_t period = rbi_watchdog_ms(), now = rbi_daemon_now_ms();

	if (!period || now - last < period / RBI_WATCHDOG_PINGS)
		return;
	last = now;
	rbi_daemon_notify(d, "WATCHDOG=1");
}
