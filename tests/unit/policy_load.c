// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "policy_load.h"
#include "policy/diag.h"

struct rbi_policy *rbi_test_policy_load(const char *file, const char *text)
{
	struct rbi_diags d;
	struct rbi_policy *p;

	rbi_diags_init(&d);
	p = rbi_policy_load_text(file, text, strlen(text), 0, &d);
	if (!p)
		rbi_diags_print(&d, stderr);
	rbi_diags_free(&d);
	assert_non_null(p);
	return p;
}
