// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>

#include "util/sha256.h"

void rbi_sha256_hex(const void *p, size_t n, char hex[65])
{
	unsigned char md[32];
	unsigned int len = sizeof(md), i;

	if (!EVP_Digest(p, n, md, &len, EVP_sha256(), NULL))
		memset(md, 0, sizeof(md));
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}
