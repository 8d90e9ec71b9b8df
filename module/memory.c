// SPDX-License-Identifier: GPL-2.0
/*
 * Debian's kernel has no kmemleak, so the module counts its own allocations:
 * module exit checks that every one came back.
 */
#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "rbi_compat.h"
#include "memory.h"

static atomic_long_t rbi_mem_count = ATOMIC_LONG_INIT(0);

void *rbi_mem_zalloc(size_t size)
{
	void *p = kvzalloc(size ? size : 1, GFP_KERNEL);

	if (p)
		atomic_long_inc(&rbi_mem_count);
	return p;
}

void rbi_mem_free(void *p)
{
	if (!p)
		return;
	atomic_long_dec(&rbi_mem_count);
	kvfree(p);
}

long rbi_mem_outstanding(void)
{
	return atomic_long_read(&rbi_mem_count);
}
