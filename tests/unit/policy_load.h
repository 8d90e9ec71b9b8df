/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef RBI_TEST_POLICY_LOAD_H
#define RBI_TEST_POLICY_LOAD_H

#include "policy/policy.h"

/*
 * The opening of a test policy named name: its basis, and the prohibition
 * of remote biometric identification at any time, by anyone.
 */
#define RBI_TEST_POLICY_RBI(name)					\
	"rbiblock: 1\n"							\
	"name: " name "\n"						\
	"basis: test\n"							\
	"prohibit:\n"							\
	"  categories: [remote-biometric-identification]\n"		\
	"  timing: [real-time, post]\n"					\
	"  actors: [public, private]\n"					\
	"  exceptions: []\n"

/*
 * A test's policy from its text, named file in diagnostics: they are
 * printed, and the test fails, when it does not load.
 */
struct rbi_policy *rbi_test_policy_load(const char *file, const char *text);

#endif
