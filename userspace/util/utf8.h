/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing
 * past U+10FFFF), for every place that takes text from outside: policy
 * files, JSON output of packet bytes, audit notes and records.
 */
#ifndef RBI_UTF8_H
#define RBI_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if there is none. */
size_t rbi_utf8_seq(const char *s, size_t n);
/* Length of the longest valid UTF-8 prefix of s[0..n). */
size_t rbi_utf8_prefix(const char *s, size_t n);
bool rbi_utf8_valid(const char *s, size_t n);

#endif
