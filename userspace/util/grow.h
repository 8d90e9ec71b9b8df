/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The one growable array of userspace: an array, its element count and its
 * capacity, grown by doubling so that n appends cost O(n) copies. The core
 * has rbi_grow() for the same job under the kernel's allocator; this one
 * uses realloc and size_t counts.
 */
#ifndef RBI_GROW_H
#define RBI_GROW_H

#include <stddef.h>

/*
 * Makes room for need elements of elem bytes in the array *arrp (a pointer
 * to the array pointer) of capacity *cap, zeroing what it adds. Returns 0,
 * or -ENOMEM with *arrp and *cap untouched.
 */
int rbi_grow_to(void *arrp, size_t *cap, size_t need, size_t elem);

/*
 * The next free element of (arr, n, cap), zeroed, with n counted; NULL
 * when memory runs out (nothing changed then).
 */
#define rbi_grow_push(arr, n, cap)					\
	(rbi_grow_to(&(arr), (cap), *(n) + 1, sizeof(*(arr))) ?	\
	 NULL : &(arr)[(*(n))++])

#endif
