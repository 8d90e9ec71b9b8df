// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>

#include "memory.h"
#include "selftest.h"

static int __init rbi_mod_init(void)
{
	if (!rbi_selftest_run())
		return -ENOTRECOVERABLE;
	pr_info("rbiblock: loaded\n");
	return 0;
}

static void __exit rbi_mod_exit(void)
{
	long leaked = rbi_mem_outstanding();

	if (leaked)
		pr_err("rbiblock: %ld allocations not freed at unload\n", leaked);
	pr_info("rbiblock: unloaded\n");
}

module_init(rbi_mod_init);
module_exit(rbi_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Classify camera traffic to remote biometric identification services");
MODULE_AUTHOR("rbiblock developers");
