/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Diagnostics with a place: FILE:LINE:COL: error: MESSAGE, the form that
 * editors and CI logs know how to jump to.
 */
#ifndef RBI_DIAG_H
#define RBI_DIAG_H

#include <stdbool.h>
#include <stdio.h>

enum rbi_diag_level {
	RBI_DIAG_ERROR,
	RBI_DIAG_WARNING,
	__RBI_DIAG_MAX
};

struct rbi_diag {
	enum rbi_diag_level level;
	char *file;
	unsigned int line;	/* 1-based; 0 when the whole file is meant */
	unsigned int col;	/* 1-based */
	char *msg;
};

struct rbi_diags {
	struct rbi_diag *v;
	size_t n;
	size_t cap;
	unsigned int errors;
	unsigned int warnings;
};

void rbi_diags_init(struct rbi_diags *d);
void rbi_diags_free(struct rbi_diags *d);
void rbi_diag_add(struct rbi_diags *d, enum rbi_diag_level level,
		  const char *file, unsigned int line, unsigned int col,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Formats diagnostic i as one line, without a newline, into buf. */
void rbi_diag_format(const struct rbi_diag *dg, char *buf, size_t len);
void rbi_diags_print(const struct rbi_diags *d, FILE *f);

#endif
