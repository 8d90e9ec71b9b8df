// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdint.h>

#include "util/utf8.h"

size_t rbi_utf8_seq(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i;
	uint32_t cp;

	if (!n)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

size_t rbi_utf8_prefix(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		k = rbi_utf8_seq(s + i, n - i);
		if (!k)
			break;
		i += k;
	}
	return i;
}

bool rbi_utf8_valid(const char *s, size_t n)
{
	return rbi_utf8_prefix(s, n) == n;
}
