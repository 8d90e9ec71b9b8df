// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_parse.h"

const char *rbi_parse_result_name(enum rbi_parse_result r)
{
	static const char *const names[__RBI_PARSE_MAX] = {
		[RBI_PARSE_OK] = "ok",
		[RBI_PARSE_NEED_MORE] = "need-more",
		[RBI_PARSE_NOT_MINE] = "not-mine",
		[RBI_PARSE_MALFORMED] = "malformed",
		[RBI_PARSE_TOO_BIG] = "too-big",
	};

	return (unsigned int)r < __RBI_PARSE_MAX ? names[r] : "unknown";
}
