/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Camera-analytics markers (module/core/rbi_analytics.h) as the text
 * rbictl reads and writes: comma-separated lists of rbi_marker_name()s,
 * such as "face-library,face-detection", always in marker order.
 */
#ifndef RBI_MARKERS_H
#define RBI_MARKERS_H

#include <stddef.h>
#include <stdint.h>

#include "rbi_analytics.h"
#include "util/buf.h"

/*
 * The markers list names, as RBI_MARKER_BIT()s. 0, or -1 with bad and
 * bad_len set to the entry that names no marker (an empty one included).
 */
int rbi_markers_parse(const char *list, uint32_t *markers, const char **bad,
		      size_t *bad_len);

/* The names of markers, sep between them; nothing for none. */
void rbi_markers_format(uint32_t markers, const char *sep, struct rbi_buf *b);

#endif
