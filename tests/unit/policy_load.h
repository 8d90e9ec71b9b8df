/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef RBI_TEST_POLICY_LOAD_H
#define RBI_TEST_POLICY_LOAD_H

#include "policy/policy.h"

/*
 * A test's policy from its text, named file in diagnostics: they are
 * printed, and the test fails, when it does not load.
 */
struct rbi_policy *rbi_test_policy_load(const char *file, const char *text);

#endif
