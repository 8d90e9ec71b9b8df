// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: the policy loader on arbitrary bytes. The policy loads the
 * built-in catalogue too, so every input also exercises compiling.
 */
#include <stdint.h>
#include <stdlib.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rbi_policy *p;
	struct rbi_diags d;

	rbi_diags_init(&d);
	p = rbi_policy_load_text("fuzz.yaml", (const char *)data, len, 0, &d);
	rbi_policy_free(p);
	rbi_diags_free(&d);
	return 0;
}
