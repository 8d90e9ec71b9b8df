/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Text checks shared by notes, records and exports. */
#ifndef RBI_AUDIT_TEXT_H
#define RBI_AUDIT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if there is none. */
size_t rbi_audit_utf8_seq(const char *s, size_t n);
bool rbi_audit_utf8_valid(const char *s, size_t n);

#endif
