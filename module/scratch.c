// SPDX-License-Identifier: GPL-2.0
#include <linux/cpumask.h>
#include <linux/percpu.h>

#include "memory.h"
#include "scratch.h"

/*
 * Pointers per CPU rather than the areas themselves: the per-CPU allocator
 * does not take 64 KiB units.
 */
static DEFINE_PER_CPU(struct rbi_scratch *, rbi_scratch_cpu);

int rbi_scratch_init(void)
{
	struct rbi_scratch *s;
	int cpu;

	for_each_possible_cpu(cpu) {
		s = rbi_mem_zalloc(sizeof(*s));
		if (!s) {
			rbi_scratch_exit();
			return -ENOMEM;
		}
		per_cpu(rbi_scratch_cpu, cpu) = s;
	}
	return 0;
}

void rbi_scratch_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		rbi_mem_free(per_cpu(rbi_scratch_cpu, cpu));
		per_cpu(rbi_scratch_cpu, cpu) = NULL;
	}
}

struct rbi_scratch *rbi_scratch_get(void)
{
	return this_cpu_read(rbi_scratch_cpu);
}
