// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "policy/diag.h"
#include "util/grow.h"
#include "util/plural.h"

/* Past this many, more diagnostics would only bury the first ones. */
enum { RBI_DIAG_MAX = 200 };

void rbi_diags_init(struct rbi_diags *d)
{
	memset(d, 0, sizeof(*d));
}

void rbi_diags_free(struct rbi_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	rbi_diags_init(d);
}

void rbi_diag_add(struct rbi_diags *d, enum rbi_diag_level level,
		  const char *file, unsigned int line, unsigned int col,
		  const char *fmt, ...)
{
	struct rbi_diag *dg;
	va_list ap;
	char *msg;

	if (level == RBI_DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (d->n >= RBI_DIAG_MAX)
		return;
	if (rbi_grow_to(&d->v, &d->cap, d->n + 1, sizeof(*d->v)))
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	dg = &d->v[d->n];
	dg->level = level;
	dg->file = strdup(file ? file : "-");
	dg->line = line;
	dg->col = col;
	dg->msg = msg;
	if (!dg->file || !dg->msg) {
		free(dg->file);
		free(dg->msg);
		return;
	}
	d->n++;
}

void rbi_diag_format(const struct rbi_diag *dg, char *buf, size_t len)
{
	const char *lvl = dg->level == RBI_DIAG_ERROR ? "error" : "warning";

	if (dg->line)
		snprintf(buf, len, "%s:%u:%u: %s: %s", dg->file, dg->line,
			 dg->col, lvl, dg->msg);
	else
		snprintf(buf, len, "%s: %s: %s", dg->file, lvl, dg->msg);
}

void rbi_diags_print(const struct rbi_diags *d, FILE *f)
{
	size_t total = (size_t)d->errors + d->warnings, i;
	size_t hidden = total > d->n ? total - d->n : 0;
	char line[1024];

	for (i = 0; i < d->n; i++) {
		rbi_diag_format(&d->v[i], line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	if (hidden)
		fprintf(f, "(%zu more %s not shown)\n", hidden,
			rbi_plural(hidden, "diagnostic", "diagnostics"));
}
