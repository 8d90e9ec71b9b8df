/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The contract of a dissector that reads a stream from its first byte as
 * it grows (rbi_parse.h): NEED_MORE means that only more bytes can tell.
 * So once a prefix gets another answer, every longer prefix gets the same
 * answer, and the same reading on OK: the scanner and the module decide
 * on the first answer that is not NEED_MORE, whatever comes after it.
 * The fuzz targets of the request parsers check it on the prefixes a
 * stream is most often cut at: every length up to 256, then each line and
 * field end. A host they read is normalised as rbi_text.h says.
 */
#ifndef RBI_FUZZ_STREAM_H
#define RBI_FUZZ_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <string.h>

#include "rbi_text.h"

/*
 * Parses data[0..len) into the scratch result slot (0 or 1); same()
 * compares the two slots' readings after both returned OK.
 */
typedef enum rbi_parse_result (*rbi_fuzz_parse_fn)(const uint8_t *data,
						  size_t len, int slot);
typedef bool (*rbi_fuzz_same_fn)(void);

/*
 * A host as rbi_text.h promises it: as long as it says, A-Z lowered, no
 * space, control byte or backslash, no empty label, no trailing dot.
 */
static inline void rbi_fuzz_host(const struct rbi_text_host *h)
{
	size_t i;

	if (h->len > RBI_NAME_MAX || strlen(h->name) != h->len)
		abort();
	for (i = 0; i < h->len; i++) {
		if ((h->name[i] >= 'A' && h->name[i] <= 'Z') ||
		    (uint8_t)h->name[i] <= ' ' || h->name[i] == 0x7f ||
		    h->name[i] == '\\')
			abort();
		if (!h->ipv6 && h->name[i] == '.' &&
		    (!i || i == h->len - 1 || h->name[i + 1] == '.'))
			abort();
	}
}

static inline void rbi_fuzz_stream(const uint8_t *data, size_t len,
				   rbi_fuzz_parse_fn parse,
				   rbi_fuzz_same_fn same)
{
	enum rbi_parse_result whole = parse(data, len, 0), part;
	size_t k;

	for (k = 0; k < len; k++) {
		if (k > 256 && data[k - 1] != '\n' && data[k - 1] != ' ' &&
		    data[k - 1] != ':')
			continue;
		part = parse(data, k, 1);
		if (part == RBI_PARSE_NEED_MORE)
			continue;
		if (part != whole || (part == RBI_PARSE_OK && !same()))
			abort();
		break;
	}
}

#endif
