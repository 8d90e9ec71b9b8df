// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests at load: the same vector tables as the cmocka suite, so a
 * parser that behaves differently when built for the kernel is caught on the
 * machine that runs it.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "core/vectors/rbi_vectors.h"
#include "selftest.h"

enum { RBI_SELFTEST_WHY_LEN = 256 };

static bool rbi_selftest_group(const struct rbi_vec_group *g, char *why)
{
	size_t i, failed = 0;

	for (i = 0; i < g->count; i++) {
		why[0] = '\0';
		if (g->check(i, why, RBI_SELFTEST_WHY_LEN) == 0)
			continue;
		failed++;
		pr_err("selftest %s/%s: %s\n", g->name, g->case_name(i), why);
	}
	if (failed)
		pr_err("selftest %s: FAIL (%zu of %zu)\n", g->name, failed,
		       g->count);
	else
		pr_info("selftest %s: pass\n", g->name);
	return !failed;
}

bool rbi_selftest_run(void)
{
	const struct rbi_vec_group *const *g;
	bool ok = true;
	char *why;

	why = kmalloc(RBI_SELFTEST_WHY_LEN, GFP_KERNEL);
	if (!why)
		return false;
	for (g = rbi_vec_groups; *g; g++)
		ok &= rbi_selftest_group(*g, why);
	kfree(why);
	/* Without pr_fmt's colon: the line operators and tests look for. */
	if (ok)
		printk(KERN_INFO KBUILD_MODNAME " self-tests: pass\n");
	return ok;
}
