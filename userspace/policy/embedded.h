/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef RBI_EMBEDDED_H
#define RBI_EMBEDDED_H

#include <stddef.h>

/* Files compiled into rbictl; path is relative to the source tree. */
struct rbi_embedded_file {
	const char *path;
	const char *data;	/* NUL-terminated copy of the file */
	size_t len;
};

/* Ends with an entry whose path is NULL. */
extern const struct rbi_embedded_file rbi_embedded_files[];

const struct rbi_embedded_file *rbi_embedded_find(const char *path);

#endif
