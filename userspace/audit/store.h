/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The audit log on disk.
 *
 * On-disk layout (audit.dir, default /var/lib/rbiblock/audit):
 *
 *   DIR/lock                     flock()ed by the one writer (rbictl run)
 *   DIR/epoch-0001/              one log, i.e. one checkpoint origin
 *     seg-00000000.jsonl         leaves 0..65535, one record per line, '\n'
 *     seg-00000001.jsonl         leaves 65536..131071, and so on. Appended
 *                                with pwrite at the durable end, never
 *                                rewritten; a full segment is sealed. Only a
 *                                torn, never-acknowledged tail past the last
 *                                checkpoint is ever cut (at recovery).
 *     leaves.sha256              the RFC 6962 leaf hash of every leaf, 32
 *                                bytes each, in index order. Kept whole when
 *                                retention deletes old segments, so that the
 *                                tree and every checkpoint stay verifiable.
 *     checkpoints                history: every signed checkpoint ever
 *                                written, in order, each signed note followed
 *                                by one empty line. Append-only.
 *     checkpoint                 the latest signed checkpoint, replaced by
 *                                write to checkpoint.tmp, fsync, rename,
 *                                fsync of the directory.
 *   DIR/epoch-0002/              only if recovery found epoch-0001 shorter
 *                                than, or different from, what it had signed:
 *                                the damaged epoch is left as it is (it is
 *                                evidence), and a new log with origin
 *                                "<origin>/epoch-2" starts, its first record
 *                                a start citing epoch-0001's last checkpoint.
 *
 * Retention deletes whole sealed segments, oldest first, once their last
 * record is older than audit.retention; a "gap" record (what "retention")
 * says which leaves went. Verify reports a missing leading run of segments
 * as pruned; any other missing segment is a fault.
 *
 * Durability: records are appended to the segment and fdatasync()ed in
 * batches (group commit) before anyone is told they are logged; leaf hashes
 * follow and are fdatasync()ed before each checkpoint is signed (recovery
 * can always recompute them from the segment).
 */
#ifndef RBI_AUDIT_STORE_H
#define RBI_AUDIT_STORE_H

#include <sys/types.h>

#include "audit/note.h"

#define RBI_AUDIT_LEAVES_FILE	"leaves.sha256"
#define RBI_AUDIT_HISTORY_FILE	"checkpoints"
#define RBI_AUDIT_LATEST_FILE	"checkpoint"
#define RBI_AUDIT_LOCK_FILE	"lock"
/* Said of a directory that holds no audit log. */
#define RBI_AUDIT_NO_LOG	"no audit log here (no epoch-NNNN directory)"

enum {
	RBI_AUDIT_SEG_LEAVES = 65536,
	RBI_AUDIT_EPOCHS_MAX = 9999,
	RBI_AUDIT_FILE_NAME_MAX = 32,
	RBI_AUDIT_POPULATE_MAX = 64 << 20,
};

/* A read-only mapping of a whole file (p is NULL when it is empty). */
struct rbi_audit_map {
	const char *p;
	size_t n;
	void *base;	/* for munmap */
};

/*
 * RBI_AUDIT_EIO with errno set (ENOENT for a missing file) on failure;
 * anything but a regular file (a FIFO, a device) is refused, EINVAL,
 * without waiting for it. Pages are read in at once up to
 * RBI_AUDIT_POPULATE_MAX bytes; a larger file's only as they are touched,
 * so that a file grown with holes costs what is read of it.
 */
int rbi_audit_map(int dirfd, const char *name, struct rbi_audit_map *m);
void rbi_audit_unmap(struct rbi_audit_map *m);

void rbi_audit_epoch_name(unsigned int num, char *out);
void rbi_audit_seg_name(uint64_t seg, char *out);
/* The origin of epoch num: the configured one, then "<origin>/epoch-N". */
void rbi_audit_epoch_origin(const char *origin, unsigned int num, char *out,
			    size_t out_len);

/* Epoch numbers present in the log directory, ascending. */
int rbi_audit_list_epochs(int dirfd, unsigned int *nums, size_t max,
			  size_t *count);
/* Segment numbers present in an epoch, ascending; free *segs. */
int rbi_audit_list_segs(int epochfd, uint64_t **segs, size_t *count);

/* Iterates the complete entries of a checkpoint history, like lines. */
bool rbi_audit_history_next(const char *p, size_t n, size_t *pos,
			    const char **note, size_t *len);

int rbi_audit_pwrite_all(int fd, const void *p, size_t n, off_t off);
int rbi_audit_fsync_dir(int dirfd);
/* Writes name atomically: temp file, fsync, rename, fsync of dirfd. */
int rbi_audit_replace_file(int dirfd, const char *name, const void *p,
			   size_t n);
/* The last record of segment seg whose bytes end at p + n. */
bool rbi_audit_last_line(const char *p, size_t n, const char **line,
			 size_t *len);

#endif
