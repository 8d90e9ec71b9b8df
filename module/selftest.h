/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_SELFTEST_H
#define RBI_SELFTEST_H

#include <linux/types.h>

/* Runs every shared vector group; true when all passed. */
bool rbi_selftest_run(void);

#endif
