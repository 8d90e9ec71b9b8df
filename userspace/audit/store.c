// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/store.h"
#include "util/file.h"
#include "util/grow.h"

int rbi_audit_map(int dirfd, const char *name, struct rbi_audit_map *m)
{
	struct stat st;
	void *p;
	int fd, err;

	m->p = NULL;
	m->n = 0;
	m->base = NULL;
	fd = rbi_file_open(dirfd, name, &st);
	if (fd < 0)
		return RBI_AUDIT_EIO;
	if (st.st_size > 0) {
		/* Readers go through every byte: fault the pages in at once. */
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE |
			 (st.st_size <= RBI_AUDIT_POPULATE_MAX ?
			  MAP_POPULATE : 0), fd, 0);
		if (p == MAP_FAILED) {
			err = errno;
			close(fd);
			errno = err;
			return RBI_AUDIT_EIO;
		}
		m->base = p;
		m->p = p;
		m->n = (size_t)st.st_size;
	}
	close(fd);
	return RBI_AUDIT_OK;
}

void rbi_audit_unmap(struct rbi_audit_map *m)
{
	if (m->base)
		munmap(m->base, m->n);
	m->base = NULL;
	m->p = NULL;
	m->n = 0;
}

void rbi_audit_epoch_name(unsigned int num, char *out)
{
	snprintf(out, RBI_AUDIT_FILE_NAME_MAX, "epoch-%04u", num % 10000);
}

void rbi_audit_seg_name(uint64_t seg, char *out)
{
	snprintf(out, RBI_AUDIT_FILE_NAME_MAX, "seg-%08llu.jsonl",
		 (unsigned long long)seg);
}

void rbi_audit_epoch_origin(const char *origin, unsigned int num, char *out,
			    size_t out_len)
{
	if (num <= 1)
		snprintf(out, out_len, "%s", origin);
	else
		snprintf(out, out_len, "%s/epoch-%u", origin, num);
}

/* Reads the decimal number between prefix and suffix in name. */
static bool rbi_store_num(const char *name, const char *prefix,
			  const char *suffix, size_t digits, uint64_t *v)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), i;

	if (strlen(name) != pl + digits + sl || strncmp(name, prefix, pl) ||
	    strcmp(name + pl + digits, suffix))
		return false;
	*v = 0;
	for (i = pl; i < pl + digits; i++) {
		if (name[i] < '0' || name[i] > '9')
			return false;
		*v = *v * 10 + (uint64_t)(name[i] - '0');
	}
	return true;
}

static int rbi_store_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Collects the numbers of the directory's entries named prefix+N+suffix. */
static int rbi_store_scan(int dirfd, const char *prefix, const char *suffix,
			  size_t digits, uint64_t **out, size_t *count)
{
	uint64_t *v = NULL, *e, num;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	*out = NULL;
	*count = 0;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return RBI_AUDIT_EIO;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return RBI_AUDIT_EIO;
	}
	while ((de = readdir(d))) {
		if (!rbi_store_num(de->d_name, prefix, suffix, digits, &num))
			continue;
		e = rbi_grow_push(v, &n, &cap);
		if (!e) {
			free(v);
			closedir(d);
			return RBI_AUDIT_ENOMEM;
		}
		*e = num;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), rbi_store_cmp_u64);
	*out = v;
	*count = n;
	return RBI_AUDIT_OK;
}

int rbi_audit_list_epochs(int dirfd, unsigned int *nums, size_t max,
			  size_t *count)
{
	uint64_t *v;
	size_t n, i, k = 0;
	int rc;

	rc = rbi_store_scan(dirfd, "epoch-", "", 4, &v, &n);
	if (rc)
		return rc;
	for (i = 0; i < n && k < max; i++)
		if (v[i] >= 1)
			nums[k++] = (unsigned int)v[i];
	free(v);
	*count = k;
	return RBI_AUDIT_OK;
}

int rbi_audit_list_segs(int epochfd, uint64_t **segs, size_t *count)
{
	return rbi_store_scan(epochfd, "seg-", ".jsonl", 8, segs, count);
}

/* Index of the first "\n\n" at or after from, or n. */
static size_t rbi_store_blank(const char *p, size_t n, size_t from)
{
	const char *q;

	while (from < n) {
		q = memchr(p + from, '\n', n - from);
		if (!q)
			return n;
		from = (size_t)(q - p) + 1;
		if (from < n && p[from] == '\n')
			return from - 1;
	}
	return n;
}

bool rbi_audit_history_next(const char *p, size_t n, size_t *pos,
			    const char **note, size_t *len)
{
	size_t body, end;

	if (*pos >= n)
		return false;
	/* A body, a blank line, signature lines, then the separating blank. */
	body = rbi_store_blank(p, n, *pos);
	if (body >= n)
		return false;
	end = rbi_store_blank(p, n, body + 2);
	if (end >= n)
		return false;
	*note = p + *pos;
	*len = end + 1 - *pos;
	*pos = end + 2;
	return true;
}

int rbi_audit_pwrite_all(int fd, const void *p, size_t n, off_t off)
{
	const char *c = p;
	ssize_t w;

	while (n) {
		w = pwrite(fd, c, n, off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return RBI_AUDIT_EIO;
		}
		c += w;
		n -= (size_t)w;
		off += w;
	}
	return RBI_AUDIT_OK;
}

int rbi_audit_fsync_dir(int dirfd)
{
	return fsync(dirfd) ? RBI_AUDIT_EIO : RBI_AUDIT_OK;
}

int rbi_audit_replace_file(int dirfd, const char *name, const void *p,
			   size_t n)
{
	char tmp[RBI_AUDIT_FILE_NAME_MAX + 8];
	int fd, err;

	snprintf(tmp, sizeof(tmp), "%s.tmp", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
	if (fd < 0)
		return RBI_AUDIT_EIO;
	if (rbi_audit_pwrite_all(fd, p, n, 0) || fsync(fd)) {
		err = errno;
		close(fd);
		unlinkat(dirfd, tmp, 0);
		errno = err;
		return RBI_AUDIT_EIO;
	}
	if (close(fd) || renameat(dirfd, tmp, dirfd, name))
		return RBI_AUDIT_EIO;
	return rbi_audit_fsync_dir(dirfd);
}

bool rbi_audit_last_line(const char *p, size_t n, const char **line,
			 size_t *len)
{
	size_t end, start;

	if (!n || p[n - 1] != '\n')
		return false;
	end = n - 1;
	start = end;
	while (start > 0 && p[start - 1] != '\n')
		start--;
	*line = p + start;
	*len = end - start;
	return true;
}
