/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* SHA-256 as the 64 lowercase hex digits every digest rbiblock shows. */
#ifndef RBI_SHA256_H
#define RBI_SHA256_H

#include <stddef.h>

/* Zeros when the digest can't be computed (no memory in OpenSSL). */
void rbi_sha256_hex(const void *p, size_t n, char hex[65]);

#endif
