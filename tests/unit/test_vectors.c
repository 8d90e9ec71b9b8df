// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Runs every shared test vector (module/core/vectors) as its own cmocka
 * test: the same cases the module runs as its self-tests at load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "rbi_vectors.h"

struct vec_case {
	const struct rbi_vec_group *group;
	size_t index;
	char name[128];
};

static void run_case(void **state)
{
	const struct vec_case *c = *state;
	char why[512] = "";

	if (c->group->check(c->index, why, sizeof(why)) != 0)
		fail_msg("%s: %s", c->name, why);
}

int main(void)
{
	const struct rbi_vec_group *const *g;
	struct CMUnitTest *tests;
	struct vec_case *cases;
	size_t n = 0, i;
	int rc;

	for (g = rbi_vec_groups; *g; g++)
		n += (*g)->count;
	tests = calloc(n ? n : 1, sizeof(*tests));
	cases = calloc(n ? n : 1, sizeof(*cases));
	if (!tests || !cases)
		return 1;
	n = 0;
	for (g = rbi_vec_groups; *g; g++) {
		for (i = 0; i < (*g)->count; i++, n++) {
			cases[n].group = *g;
			cases[n].index = i;
			snprintf(cases[n].name, sizeof(cases[n].name), "%s/%s",
				 (*g)->name, (*g)->case_name(i));
			tests[n].name = cases[n].name;
			tests[n].test_func = run_case;
			tests[n].initial_state = &cases[n];
		}
	}
	rc = _cmocka_run_group_tests("vectors", tests, n, NULL, NULL);
	free(tests);
	free(cases);
	return rc;
}
