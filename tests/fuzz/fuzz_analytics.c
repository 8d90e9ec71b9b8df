// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: camera-analytics markers in any bytes, whole and as a stream
 * read in pieces (the first byte sets their sizes): what the pieces find,
 * ORed together, is exactly what the whole holds (rbi_analytics.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include "rbi_analytics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint32_t whole, parts = 0, step;
	size_t seen = 0, upto;

	if (!len)
		return 0;
	step = (uint32_t)data[0] % 61 + 1;
	data++;
	len--;
	whole = rbi_analytics_scan(data, len);
	while (seen < len) {
		upto = seen + step < len ? seen + step : len;
		parts |= rbi_analytics_scan_more(data, upto, seen);
		seen = upto;
		/* Pieces of varying size: a segment, then a byte or two. */
		step = step * 7 % 61 + 1;
	}
	if (parts != whole || (whole & ~RBI_MARKER_ALL))
		abort();
	return 0;
}
