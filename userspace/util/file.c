// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "util/file.h"

int rbi_file_open(int dirfd, const char *path, struct stat *st)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
			O_NONBLOCK), err;

	if (fd < 0)
		return -1;
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		err = S_ISREG(st->st_mode) ? errno : EINVAL;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}
