/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The only header in module/core/ that may include system headers. It maps
 * the few primitives the classifier needs (fixed-width types, byte order,
 * unaligned loads, memory helpers, allocation) onto the kernel or onto libc,
 * so that every other core file compiles unchanged in both worlds.
 *
 * Allocation is only ever used when building lookup tables (configuration
 * time), never while parsing a packet.
 */
#ifndef RBI_COMPAT_H
#define RBI_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/kernel.h>
#include <asm/unaligned.h>

/* Implemented in module/memory.c: counted, so that unload can prove balance. */
void *rbi_mem_zalloc(size_t size);
void rbi_mem_free(void *p);

#define rbi_zalloc(n)		rbi_mem_zalloc(n)
#define rbi_free(p)		rbi_mem_free(p)
#define rbi_get_be16(p)		get_unaligned_be16(p)
#define rbi_get_be32(p)		get_unaligned_be32(p)
#define rbi_put_be16(v, p)	put_unaligned_be16(v, p)
#define rbi_put_be32(v, p)	put_unaligned_be32(v, p)
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

static inline void *rbi_zalloc(size_t n)
{
	return calloc(1, n ? n : 1);
}

static inline void rbi_free(void *p)
{
	free(p);
}

static inline uint16_t rbi_get_be16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t rbi_get_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline void rbi_put_be16(uint16_t v, void *p)
{
	uint8_t *b = p;

	b[0] = v >> 8;
	b[1] = v & 0xff;
}

static inline void rbi_put_be32(uint32_t v, void *p)
{
	uint8_t *b = p;

	b[0] = v >> 24;
	b[1] = (v >> 16) & 0xff;
	b[2] = (v >> 8) & 0xff;
	b[3] = v & 0xff;
}
#endif

#define rbi_memcpy(d, s, n)	memcpy(d, s, n)
#define rbi_memmove(d, s, n)	memmove(d, s, n)
#define rbi_memset(d, c, n)	memset(d, c, n)
#define rbi_memcmp(a, b, n)	memcmp(a, b, n)
#define rbi_strlen(s)		strlen(s)
#define rbi_snprintf(...)	snprintf(__VA_ARGS__)
#define RBI_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define RBI_MIN(a, b)		((a) < (b) ? (a) : (b))

static inline char rbi_tolower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

/*
 * Makes room for need elements of elem bytes in an array that doubles as it
 * grows, so that building a table of n entries costs O(n) copies. Table
 * building only, never a parse path. Returns the array (moved if it had to
 * grow, new space zeroed) and updates *cap, or returns NULL and leaves both
 * untouched. need must be at least 1.
 */
static inline void *rbi_grow(void *arr, uint32_t *cap, size_t need,
			     size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return arr;
	if (need > ((uint32_t)~0u >> 1))
		return NULL;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / elem)
		return NULL;
	p = rbi_zalloc(n * elem);
	if (!p)
		return NULL;
	if (arr)
		rbi_memcpy(p, arr, (size_t)*cap * elem);
	rbi_free(arr);
	*cap = (uint32_t)n;
	return p;
}

/*
 * murmur3's 32-bit finaliser: cheap, and every input bit reaches every
 * output bit, which is all the hash tables of module/core need.
 */
static inline uint32_t rbi_hash32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

#endif /* RBI_COMPAT_H */
