// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The daemon's state file, "state" beside its pid file: what status shows
 * of the daemon that the kernel can't say (what learning refused or could
 * not read, whether the table is watched, why it fails closed, what the
 * queue backend's inspection counted, by rbiblock.ko's names). One
 * "key value" line each, rewritten whole and renamed into place, so that
 * a reader never sees half of it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/internal.h"

void rbi_daemon_state_path(const char *pidfile, char *buf, size_t len)
{
	const char *p = pidfile ? pidfile : RBI_DAEMON_PIDFILE;
	const char *slash = strrchr(p, '/');

	snprintf(buf, len, "%.*sstate", slash ? (int)(slash - p + 1) : 0, p);
}

void rbi_daemon_state_write(struct rbi_daemon *d)
{
	char path[RBI_DAEMON_PATH_MAX], tmp[RBI_DAEMON_PATH_MAX + 8];
	struct rbi_daemon_unlearned un, *u = &un;
	struct rbi_learn_stats ls;
	struct rbi_qflow_stats qs;
	FILE *f;
	size_t i;

	/* The queue backend's threads learn meanwhile. */
	pthread_mutex_lock(&d->llock);
	un = d->unlearned;
	__atomic_store_n(&d->state_dirty, false, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&d->llock);
	rbi_daemon_state_path(d->pidfile, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	rbi_memo_stats(&d->memo, &ls);
	fprintf(f, "watch %d\n", d->watch != NULL);
	fprintf(f, "fail %s\n", d->fail);
	fprintf(f, "learned %u\n", ls.live);
	fprintf(f, "aliases %llu\n", (unsigned long long)ls.aliases);
	for (i = 0; i < __RBI_LEARN_REF_MAX; i++)
		fprintf(f, "refused %zu %llu\n", i,
			(unsigned long long)u->refused[i]);
	fprintf(f, "unread %llu\n", (unsigned long long)u->unread);
	fprintf(f, "malformed %llu\n", (unsigned long long)u->malformed);
	if (d->n_qflows) {
		rbi_daemon_qflow_stats(d, &qs);
		for (i = 0; i < __RBI_STAT_MAX; i++)
			fprintf(f, "stat %s %llu\n", rbi_modctl_stat_name(i),
				(unsigned long long)qs.stat[i]);
	}
	if (fclose(f) || rename(tmp, path))
		unlink(tmp);
}

/* By name: a reader older or newer than the daemon skips what it lacks. */
static void rbi_daemon_state_stat(struct rbi_daemon_state *st,
				  const char *name, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < __RBI_STAT_MAX; i++) {
		if (!strcmp(rbi_modctl_stat_name(i), name)) {
			st->stats[i] = v;
			st->inspects = true;
		}
	}
}

int rbi_daemon_state_read(const char *pidfile, struct rbi_daemon_state *st)
{
	char path[RBI_DAEMON_PATH_MAX], line[256], name[64];
	unsigned long long v;
	unsigned int i;
	FILE *f;

	memset(st, 0, sizeof(*st));
	rbi_daemon_state_path(pidfile, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "fail ", 5))
			snprintf(st->fail, sizeof(st->fail), "%.127s", line + 5);
		else if (sscanf(line, "watch %llu", &v) == 1)
			st->watch = v;
		else if (sscanf(line, "learned %llu", &v) == 1)
			st->learned = v;
		else if (sscanf(line, "aliases %llu", &v) == 1)
			st->aliases = v;
		else if (sscanf(line, "refused %u %llu", &i, &v) == 2 &&
			 i < __RBI_LEARN_REF_MAX)
			st->refused[i] = v;
		else if (sscanf(line, "unread %llu", &v) == 1)
			st->unread = v;
		else if (sscanf(line, "malformed %llu", &v) == 1)
			st->malformed = v;
		else if (sscanf(line, "stat %63s %llu", name, &v) == 2)
			rbi_daemon_state_stat(st, name, v);
	}
	fclose(f);
	return 0;
}
