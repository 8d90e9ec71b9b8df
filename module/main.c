// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>

#include "genl.h"
#include "memory.h"
#include "params.h"
#include "pernet.h"
#include "scratch.h"
#include "selftest.h"
#include "uapi/rbiblock.h"

static int __init rbi_mod_init(void)
{
	int err;

	if (rbi_param_selftest && !rbi_selftest_run())
		return -ENOTRECOVERABLE;
	err = rbi_scratch_init();
	if (err)
		return err;
	err = rbi_pernet_register();
	if (err)
		goto scratch;
	err = rbi_genl_register();
	if (err)
		goto pernet;
	pr_info("loaded\n");
	return 0;
pernet:
	rbi_pernet_unregister();
scratch:
	rbi_scratch_exit();
	return err;
}

static void __exit rbi_mod_exit(void)
{
	long leaked;

	rbi_genl_unregister();
	/* Unhooks every namespace and frees its flows and configuration. */
	rbi_pernet_unregister();
	/* States freed a grace period after they went: their callbacks. */
	rcu_barrier();
	rbi_scratch_exit();
	leaked = rbi_mem_outstanding();
	if (leaked)
		pr_err("%ld allocations not freed at unload\n", leaked);
	else
		pr_info("unloaded, every allocation freed\n");
}

module_init(rbi_mod_init);
module_exit(rbi_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Classify camera traffic to remote biometric identification services");
MODULE_AUTHOR("rbiblock developers");
MODULE_VERSION(RBI_VERSION);
/* Userspace resolving the family loads the module where modprobe can. */
MODULE_ALIAS_GENL_FAMILY(RBI_GENL_NAME);
