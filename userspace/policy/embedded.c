// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "policy/embedded.h"

const struct rbi_embedded_file *rbi_embedded_find(const char *path)
{
	const struct rbi_embedded_file *f;

	for (f = rbi_embedded_files; f->path; f++)
		if (!strcmp(f->path, path))
			return f;
	return NULL;
}
