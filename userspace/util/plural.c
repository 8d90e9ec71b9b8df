// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "util/plural.h"

const char *rbi_plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}
