// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: name patterns and addresses from text. The first byte splits
 * the input into patterns to add and a name to look up.
 */
#include <stdint.h>
#include <stdlib.h>

#include "rbi_addr.h"
#include "rbi_name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *s = (const char *)data;
	struct rbi_name_table *t;
	struct rbi_prefix p;
	size_t start = 0, i;
	uint32_t v;

	rbi_prefix_parse(s, len, &p, NULL);
	t = rbi_name_table_alloc();
	if (!t)
		return 0;
	/* Lines before the last are patterns; the last line is the name. */
	for (i = 0; i < len; i++) {
		if (s[i] != '\n')
			continue;
		rbi_name_table_add(t, s + start, i - start, (uint32_t)i);
		start = i + 1;
	}
	rbi_name_table_lookup(t, s + start, len - start, &v);
	rbi_name_table_free(t);
	return 0;
}
