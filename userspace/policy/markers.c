// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "policy/markers.h"

int rbi_markers_parse(const char *list, uint32_t *markers, const char **bad,
		      size_t *bad_len)
{
	const char *p = list, *comma;
	enum rbi_marker m;
	size_t len;

	*markers = 0;
	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		m = rbi_marker_from_name(p, len);
		if (m == __RBI_MARKER_MAX) {
			*bad = p;
			*bad_len = len;
			return -1;
		}
		*markers |= RBI_MARKER_BIT(m);
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

void rbi_markers_format(uint32_t markers, const char *sep, struct rbi_buf *b)
{
	const char *between = "";
	unsigned int m;

	for (m = 0; m < __RBI_MARKER_MAX; m++) {
		if (!(markers & RBI_MARKER_BIT(m)))
			continue;
		rbi_buf_adds(b, between);
		rbi_buf_adds(b, rbi_marker_name((enum rbi_marker)m));
		between = sep;
	}
}
