/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * How far a long `rbictl scan` has got, for a person at a terminal: bytes
 * and packets read, the rate, and the time left when the size of every
 * input is known, on one line of standard error rewritten in place. It
 * first appears after a second, so that a small capture shows none, and
 * is erased before the summary. The caller shows it only on a terminal:
 * a redirected output gets no escape codes and no carriage returns.
 */
#ifndef RBI_PROGRESS_H
#define RBI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
	RBI_PROGRESS_LINE = 96,
};

struct rbi_progress {
	FILE *f;
	uint64_t total;		/* bytes of every input; 0: unknown */
	uint64_t start;		/* rbi_progress_now() at the start */
	uint64_t next;		/* when the line is due again */
	bool shown;
};

/* Monotonic nanoseconds. */
uint64_t rbi_progress_now(void);

void rbi_progress_start(struct rbi_progress *p, FILE *f, uint64_t total,
			uint64_t now);

/* bytes and packets read by now: redraws the line when it is due. */
void rbi_progress_at(struct rbi_progress *p, uint64_t bytes, uint64_t packets,
		     uint64_t now);

/* Erases the line, if it was shown (p may be NULL: nothing to do). */
void rbi_progress_end(struct rbi_progress *p);

/*
 * The line for bytes and packets read in elapsed nanoseconds, of total
 * bytes (0: unknown, no time left): "12.5 MiB of 1.2 GiB, 180000
 * packets, 41.0 MiB/s, 0:29 left".
 */
void rbi_progress_line(char buf[RBI_PROGRESS_LINE], uint64_t bytes,
		       uint64_t total, uint64_t packets, uint64_t elapsed);

#endif
