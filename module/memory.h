/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_MEMORY_H
#define RBI_MEMORY_H

#include <linux/types.h>

/* rbi_mem_zalloc() and rbi_mem_free(), which core code calls too. */
#include "core/rbi_compat.h"

/*
 * Zeroed and counted, for the packet path: never sleeps, may fail. Freed
 * with rbi_mem_free() like every counted allocation.
 */
void *rbi_mem_zalloc_atomic(size_t size);

/* Allocations made through rbi_mem_zalloc*() and not yet freed. */
long rbi_mem_outstanding(void);

#endif
