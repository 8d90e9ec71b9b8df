/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Files rbictl reads that someone else may have put in its way. */
#ifndef RBI_FILE_H
#define RBI_FILE_H

#include <sys/stat.h>

/*
 * Opens path (relative to dirfd, or AT_FDCWD) for reading, only when it is
 * a regular file, and never waits for it: a FIFO or a device named in its
 * place would hold the open itself. The descriptor, with what fstat()
 * says of it in *st; -1 with errno set (EINVAL: not a regular file).
 */
int rbi_file_open(int dirfd, const char *path, struct stat *st);

#endif
