// SPDX-License-Identifier: GPL-2.0
/*
 * Debian's kernel has no kmemleak, so the module counts its own allocations:
 * module exit checks that every one came back. Configuration tables are
 * built in process context (through rbi_zalloc() in core code); the packet
 * path only ever uses rbi_mem_zalloc_atomic().
 *
 * Any user namespace may configure its own network namespace, so every
 * allocation is charged to the memory cgroup of whoever caused it
 * (__GFP_ACCOUNT): a configuration to the task that sent it. Packet-path
 * allocations happen in softirq, where the charge falls on no task: the
 * per-namespace limits (flows_max, flow_bytes_max) bound those.
 */
#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "core/rbi_compat.h"
#include "memory.h"

static atomic_long_t rbi_mem_count = ATOMIC_LONG_INIT(0);

static void *rbi_mem_counted(void *p)
{
	if (p)
		atomic_long_inc(&rbi_mem_count);
	return p;
}

void *rbi_mem_zalloc(size_t size)
{
	return rbi_mem_counted(kvzalloc(size ? size : 1, GFP_KERNEL_ACCOUNT));
}

void *rbi_mem_zalloc_atomic(size_t size)
{
	return rbi_mem_counted(kzalloc(size ? size : 1, GFP_ATOMIC |
				       __GFP_ACCOUNT | __GFP_NOWARN));
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
