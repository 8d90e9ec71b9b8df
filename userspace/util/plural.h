/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Counted nouns in English: "1 packet", "2 packets", "0 packets". Every
 * count rbictl prints beside a noun takes the noun from here, so that no
 * output reads "1 packets" or hedges with "packet(s)".
 */
#ifndef RBI_PLURAL_H
#define RBI_PLURAL_H

#include <stdint.h>

/* one when n is 1, else many: printf("%llu %s", n, rbi_plural(n, ...)). */
const char *rbi_plural(uint64_t n, const char *one, const char *many);

#endif
