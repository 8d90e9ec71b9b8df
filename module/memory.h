/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_MEMORY_H
#define RBI_MEMORY_H

#include <linux/types.h>

/* Allocations made through rbi_mem_zalloc() and not yet freed. */
long rbi_mem_outstanding(void);

#endif
