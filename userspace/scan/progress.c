// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <time.h>

#include "scan/progress.h"
#include "util/plural.h"

#define RBI_PROGRESS_NS		1000000000ull
/* Nothing for the first second, then four updates a second. */
#define RBI_PROGRESS_DELAY	RBI_PROGRESS_NS
#define RBI_PROGRESS_EVERY	(RBI_PROGRESS_NS / 4)

uint64_t rbi_progress_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * RBI_PROGRESS_NS + (uint64_t)t.tv_nsec;
}

void rbi_progress_start(struct rbi_progress *p, FILE *f, uint64_t total,
			uint64_t now)
{
	p->f = f;
	p->total = total;
	p->start = now;
	p->next = now + RBI_PROGRESS_DELAY;
	p->shown = false;
}

/* "512 B", "12.5 MiB": bytes with a binary prefix, three figures or so. */
static int rbi_progress_bytes(char *buf, size_t len, uint64_t n)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;
	double v = (double)n;

	while (v >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024;
		u++;
	}
	return u ? snprintf(buf, len, "%.1f %s", v, unit[u]) :
		   snprintf(buf, len, "%llu B", (unsigned long long)n);
}

void rbi_progress_line(char buf[RBI_PROGRESS_LINE], uint64_t bytes,
		       uint64_t total, uint64_t packets, uint64_t elapsed)
{
	char read[16], all[16], rate[16];
	uint64_t per_s, left;
	int n;

	per_s = elapsed ? (uint64_t)((double)bytes * RBI_PROGRESS_NS /
				     (double)elapsed) : 0;
	rbi_progress_bytes(read, sizeof(read), bytes);
	rbi_progress_bytes(all, sizeof(all), total);
	rbi_progress_bytes(rate, sizeof(rate), per_s);
	n = snprintf(buf, RBI_PROGRESS_LINE, "%s%s%s, %llu %s, %s/s", read,
		     total ? " of " : "", total ? all : "",
		     (unsigned long long)packets,
		     rbi_plural(packets, "packet", "packets"), rate);
	if (!total || !per_s || bytes > total || n < 0 ||
	    n >= RBI_PROGRESS_LINE)
		return;
	left = (total - bytes + per_s - 1) / per_s;
	if (left >= 3600)
		snprintf(buf + n, RBI_PROGRESS_LINE - (size_t)n,
			 ", %llu:%02u:%02u left",
			 (unsigned long long)(left / 3600),
			 (unsigned int)(left / 60 % 60),
			 (unsigned int)(left % 60));
	else
		snprintf(buf + n, RBI_PROGRESS_LINE - (size_t)n,
			 ", %u:%02u left", (unsigned int)(left / 60),
			 (unsigned int)(left % 60));
}

void rbi_progress_at(struct rbi_progress *p, uint64_t bytes, uint64_t packets,
		     uint64_t now)
{
	char line[RBI_PROGRESS_LINE];

	if (now < p->next)
		return;
	p->next = now + RBI_PROGRESS_EVERY;
	rbi_progress_line(line, bytes, p->total, packets, now - p->start);
	/* Back to the line's start, the line, and clear what is left of it. */
	fprintf(p->f, "\r%s\033[K", line);
	fflush(p->f);
	p->shown = true;
}

void rbi_progress_end(struct rbi_progress *p)
{
	if (!p || !p->shown)
		return;
	fputs("\r\033[K", p->f);
	fflush(p->f);
	p->shown = false;
}
