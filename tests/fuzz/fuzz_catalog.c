// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: a catalogue file as `catalog.include` reads it, through the
 * public loader: a fixed policy includes a file that holds the input, so
 * that the YAML reading, the catalogue's schema, the services' names and
 * networks, and compiling them all meet arbitrary bytes. The built-in
 * catalogue is left out (replace-builtin), which would only slow each
 * input down.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static const char policy_fmt[] =
	"rbiblock: 1\n"
	"name: fuzz\n"
	"basis: fuzzing the catalogue schema\n"
	"prohibit:\n"
	"  categories: [remote-biometric-identification]\n"
	"  timing: [real-time, post]\n"
	"  actors: [public, private]\n"
	"  exceptions: []\n"
	"zones:\n"
	"  - name: all\n"
	"    publicly-accessible: true\n"
	"    networks: [0.0.0.0/0, \"::/0\"]\n"
	"catalog:\n"
	"  replace-builtin: true\n"
	"  include: [\"/proc/self/fd/%d\"]\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static char text[sizeof(policy_fmt) + 16];
	static int fd = -1;
	struct rbi_policy *p;
	struct rbi_diags d;
	int n;

	if (fd < 0) {
		fd = memfd_create("catalog.yaml", 0);
		if (fd < 0)
			abort();
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, len, 0) != (ssize_t)len)
		abort();
	n = snprintf(text, sizeof(text), policy_fmt, fd);
	rbi_diags_init(&d);
	p = rbi_policy_load_text("fuzz.yaml", text, (size_t)n,
				 RBI_POLICY_NO_PROHIBITION, &d);
	rbi_policy_free(p);
	rbi_diags_free(&d);
	return 0;
}
