// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/recover.h"
#include "audit/store.h"
#include "audit/time.h"
#include "audit/tree.h"
#include "audit/writer.h"
#include "util/plural.h"

#ifndef RBI_VERSION
#define RBI_VERSION "unknown"
#endif

/* One record to append: the caller's struct plus what the writer adds. */
struct rbi_log_item {
	enum rbi_audit_rec_type type;
	const void *p;
	const char *str;	/* stop: reason */
	uint64_t seq;		/* heartbeat */
};

struct rbi_audit_log {
	int dirfd, lockfd, epochfd, segfd, hashfd, histfd;
	unsigned int epoch;
	char origin[RBI_AUDIT_NAME_MAX];
	struct rbi_audit_key key;
	unsigned int period;
	uint64_t retention;
	int64_t (*clock)(void *ctx);
	void *clock_ctx;
	char boot_id[RBI_AUDIT_BOOT_ID_LEN + 1];
	char zone[RBI_AUDIT_NAME_MAX];	/* the time zone, for starts */

	uint64_t size;		/* leaves appended, durable or pending */
	uint64_t durable;
	uint64_t seg;		/* the open segment */
	bool seg_open;
	off_t seg_end;		/* its durable length */
	off_t hist_end;
	struct rbi_audit_edge edge, durable_edge;
	struct rbi_buf pend, pend_hash, rec;
	uint64_t pend_count;
	int64_t last_ts;
	uint64_t hb_seq;
	uint64_t prune_seg;	/* oldest segment that may still exist */

	struct rbi_audit_checkpoint cp;	/* the last one signed */
	bool have_cp;

	/*
	 * The policy in force, its record's own fields kept to restate it at
	 * the head of every segment.
	 */
	bool have_policy;
	struct rbi_buf pol_body;

	/* Writes failing since fail_since; dropped records not logged. */
	bool failing;
	int64_t fail_since;
	uint64_t dropped;
	int fail_errno;

	char err[512];
};

static int rbi_log_err(struct rbi_audit_log *log, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int rbi_log_err(struct rbi_audit_log *log, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(log->err, sizeof(log->err), fmt, ap);
	va_end(ap);
	return rc;
}

const char *rbi_audit_log_error(const struct rbi_audit_log *log)
{
	return log->err;
}

const char *rbi_audit_log_origin(const struct rbi_audit_log *log)
{
	return log->origin;
}

uint64_t rbi_audit_durable(const struct rbi_audit_log *log)
{
	return log->durable;
}

void rbi_audit_policy_sha256(const char *text, size_t len, char *out65)
{
	struct rbi_audit_hash h;

	rbi_audit_sha256(text, len, &h);
	rbi_audit_hash_hex(&h, out65);
}

static int64_t rbi_log_now(const struct rbi_audit_log *log)
{
	return log->clock ? log->clock(log->clock_ctx) : rbi_audit_now_us();
}

static int rbi_log_format(struct rbi_audit_log *log,
			  const struct rbi_audit_rec_common *c,
			  const struct rbi_log_item *it)
{
	switch (it->type) {
	case RBI_AUDIT_REC_POLICY:
		return rbi_audit_rec_body(&log->rec, c, log->pol_body.data,
					  log->pol_body.len);
	case RBI_AUDIT_REC_BLOCK:
	case RBI_AUDIT_REC_LOG:
		return rbi_audit_rec_block(&log->rec, c, it->p);
	case RBI_AUDIT_REC_HEARTBEAT:
		return rbi_audit_rec_heartbeat(&log->rec, c, it->p, it->seq,
					       log->period);
	case RBI_AUDIT_REC_START:
		return rbi_audit_rec_start(&log->rec, c, it->p);
	case RBI_AUDIT_REC_STOP:
		return rbi_audit_rec_stop(&log->rec, c, it->str);
	case RBI_AUDIT_REC_GAP:
		return rbi_audit_rec_gap(&log->rec, c, it->p);
	default:
		return RBI_AUDIT_EMALFORMED;
	}
}

/* Writes the pending batch, fdatasyncs it, then appends its leaf hashes. */
static int rbi_log_write(struct rbi_audit_log *log)
{
	if (rbi_audit_pwrite_all(log->segfd, log->pend.data, log->pend.len,
				 log->seg_end) ||
	    fdatasync(log->segfd) ||
	    rbi_audit_pwrite_all(log->hashfd, log->pend_hash.data,
				 log->pend_hash.len,
				 (off_t)(log->durable * RBI_AUDIT_HASH_LEN)))
		return RBI_AUDIT_EIO;
	return RBI_AUDIT_OK;
}

/*
 * The batch could not be made durable: forget it (nobody was told it was
 * logged), cut whatever part reached the files, and remember the loss for
 * the write-failure gap.
 */
static int rbi_log_drop(struct rbi_audit_log *log, int err)
{
	char seg[RBI_AUDIT_FILE_NAME_MAX];

	if (ftruncate(log->segfd, log->seg_end) ||
	    ftruncate(log->hashfd, (off_t)(log->durable * RBI_AUDIT_HASH_LEN)))
		err = errno;
	if (!log->failing) {
		log->failing = true;
		log->fail_since = rbi_log_now(log);
		log->fail_errno = err;
	}
	log->dropped += log->pend_count;
	log->size = log->durable;
	log->edge = log->durable_edge;
	rbi_buf_reset(&log->pend);
	rbi_buf_reset(&log->pend_hash);
	log->pend_count = 0;
	rbi_audit_seg_name(log->seg, seg);
	return rbi_log_err(log, RBI_AUDIT_EIO,
			   "audit log %s/%s: %s; %llu %s not logged",
			   log->origin, seg, strerror(err),
			   (unsigned long long)log->dropped,
			   rbi_plural(log->dropped, "record", "records"));
}

static int rbi_log_flush(struct rbi_audit_log *log)
{
	if (!log->pend_count)
		return RBI_AUDIT_OK;
	if (rbi_log_write(log))
		return rbi_log_drop(log, errno);
	log->seg_end += (off_t)log->pend.len;
	log->durable = log->size;
	log->durable_edge = log->edge;
	rbi_buf_reset(&log->pend);
	rbi_buf_reset(&log->pend_hash);
	log->pend_count = 0;
	return RBI_AUDIT_OK;
}

/* Opens segment seg for appending at end, creating it when end is 0. */
static int rbi_log_open_seg(struct rbi_audit_log *log, uint64_t seg,
			    off_t end)
{
	char name[RBI_AUDIT_FILE_NAME_MAX];
	struct stat st;

	rbi_audit_seg_name(seg, name);
	log->segfd = openat(log->epochfd, name,
			    O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
	if (log->segfd < 0 || fstat(log->segfd, &st) ||
	    (!end && rbi_audit_fsync_dir(log->epochfd)))
		return rbi_log_err(log, RBI_AUDIT_EIO, "%s/%s: %s",
				   log->origin, name, strerror(errno));
	if (st.st_size != end)
		return rbi_log_err(log, RBI_AUDIT_EIO,
				   "%s/%s: is %lld bytes, expected %lld; "
				   "is another writer running?", log->origin,
				   name, (long long)st.st_size,
				   (long long)end);
	log->seg = seg;
	log->seg_end = end;
	log->seg_open = true;
	return RBI_AUDIT_OK;
}

/* Seals the full segment (data and leaf hashes durable), opens the next. */
static int rbi_log_roll(struct rbi_audit_log *log)
{
	int rc;

	if (log->seg_open) {
		rc = rbi_log_flush(log);
		if (rc)
			return rc;
		if (fdatasync(log->hashfd))
			return rbi_log_err(log, RBI_AUDIT_EIO, "%s/%s: %s",
					   log->origin, RBI_AUDIT_LEAVES_FILE,
					   strerror(errno));
		close(log->segfd);
		log->segfd = -1;
		log->seg_open = false;
	}
	return rbi_log_open_seg(log, log->size / RBI_AUDIT_SEG_LEAVES, 0);
}

static int rbi_log_emit(struct rbi_audit_log *log,
			const struct rbi_log_item *it, int64_t ts,
			uint64_t *idx)
{
	struct rbi_audit_rec_common c = { it->type, log->size, ts,
					  log->boot_id };
	size_t plen = log->pend.len, hlen = log->pend_hash.len;
	struct rbi_audit_hash h;
	int rc;

	if (!log->seg_open ||
	    log->size / RBI_AUDIT_SEG_LEAVES != log->seg) {
		rc = rbi_log_roll(log);
		if (rc)
			return rc;
		c.idx = log->size;
	}
	rbi_buf_reset(&log->rec);
	rc = rbi_log_format(log, &c, it);
	if (rc)
		return rbi_log_err(log, rc, "audit %s record: %s",
				   rbi_audit_rec_type_name(it->type),
				   rbi_audit_strerror(rc));
	rbi_audit_leaf_hash(log->rec.data, log->rec.len, &h);
	rbi_buf_add(&log->pend, log->rec.data, log->rec.len);
	rbi_buf_addc(&log->pend, '\n');
	rbi_buf_add(&log->pend_hash, h.b, RBI_AUDIT_HASH_LEN);
	if (rbi_buf_failed(&log->pend) || rbi_buf_failed(&log->pend_hash)) {
		/* A failed realloc kept the old bytes: back to before. */
		log->pend.failed = false;
		log->pend.len = plen;
		log->pend_hash.failed = false;
		log->pend_hash.len = hlen;
		return rbi_log_err(log, RBI_AUDIT_ENOMEM, "audit log: %s",
				   strerror(ENOMEM));
	}
	rbi_audit_edge_append(&log->edge, &h);
	if (idx)
		*idx = log->size;
	log->size++;
	log->pend_count++;
	log->last_ts = ts;
	return RBI_AUDIT_OK;
}

static int rbi_log_restate_policy(struct rbi_audit_log *log, int64_t ts)
{
	struct rbi_log_item it = { RBI_AUDIT_REC_POLICY, NULL, NULL, 0 };

	return rbi_log_emit(log, &it, ts, NULL);
}

/*
 * Every append goes through here: a clock that stepped back is recorded
 * before the record that notices it, and each segment opens with the
 * policy in force so that it can be checked after older ones are pruned.
 */
static int rbi_log_append(struct rbi_audit_log *log,
			  const struct rbi_log_item *it, uint64_t *idx)
{
	int64_t now = rbi_log_now(log);
	struct rbi_audit_gap g;
	struct rbi_log_item gi = { RBI_AUDIT_REC_GAP, &g, NULL, 0 };
	int rc;

	if (now < log->last_ts) {
		g = (struct rbi_audit_gap){ "clock-jump", log->last_ts, now, 0,
			"the wall clock stepped back" };
		rc = rbi_log_emit(log, &gi, now, NULL);
		if (rc)
			return rc;
	}
	if (log->have_policy && it->type != RBI_AUDIT_REC_POLICY &&
	    log->size && !(log->size % RBI_AUDIT_SEG_LEAVES)) {
		rc = rbi_log_restate_policy(log, now);
		if (rc)
			return rc;
	}
	return rbi_log_emit(log, it, now, idx);
}

int rbi_audit_append_policy(struct rbi_audit_log *log,
			    const struct rbi_audit_policy *p, uint64_t *idx)
{
	struct rbi_log_item it = { RBI_AUDIT_REC_POLICY, NULL, NULL, 0 };
	char sha[2 * RBI_AUDIT_HASH_LEN + 1];
	int rc;

	rbi_audit_policy_sha256(p->text, p->text_len, sha);
	rbi_buf_free(&log->pol_body);
	rc = rbi_audit_rec_policy_body(&log->pol_body, p, sha);
	log->have_policy = !rc;
	if (rc)
		return rbi_log_err(log, rc, "audit policy record: %s",
				   rbi_audit_strerror(rc));
	return rbi_log_append(log, &it, idx);
}

int rbi_audit_append_block(struct rbi_audit_log *log,
			   const struct rbi_audit_block *b, uint64_t *idx)
{
	struct rbi_log_item it = { RBI_AUDIT_REC_BLOCK, b, NULL, 0 };

	return rbi_log_append(log, &it, idx);
}

int rbi_audit_append_log(struct rbi_audit_log *log,
			 const struct rbi_audit_block *b, uint64_t *idx)
{
	struct rbi_log_item it = { RBI_AUDIT_REC_LOG, b, NULL, 0 };

	return rbi_log_append(log, &it, idx);
}

int rbi_audit_append_gap(struct rbi_audit_log *log,
			 const struct rbi_audit_gap *g, uint64_t *idx)
{
	struct rbi_log_item it = { RBI_AUDIT_REC_GAP, g, NULL, 0 };

	return rbi_log_append(log, &it, idx);
}

int rbi_audit_sync(struct rbi_audit_log *log)
{
	struct rbi_audit_gap g;
	int rc;

	rc = rbi_log_flush(log);
	if (rc || !log->failing)
		return rc;
	/* Writing works again: say what was lost before anything else. */
	g = (struct rbi_audit_gap){ "write-failure", log->fail_since,
		rbi_log_now(log), log->dropped, strerror(log->fail_errno) };
	log->failing = false;
	log->dropped = 0;
	rc = rbi_audit_append_gap(log, &g, NULL);
	return rc ? rc : rbi_log_flush(log);
}

static int rbi_log_checkpoint(struct rbi_audit_log *log)
{
	struct rbi_buf note = RBI_BUF_INIT;
	struct rbi_audit_checkpoint cp;
	int rc;

	if (fdatasync(log->hashfd))
		return rbi_log_err(log, RBI_AUDIT_EIO, "%s/%s: %s",
				   log->origin, RBI_AUDIT_LEAVES_FILE,
				   strerror(errno));
	memset(&cp, 0, sizeof(cp));
	snprintf(cp.origin, sizeof(cp.origin), "%s", log->origin);
	cp.size = log->durable;
	rbi_audit_edge_root(&log->durable_edge, &cp.root);
	rc = rbi_audit_checkpoint_sign(&cp, &log->key, &note);
	if (rc) {
		rbi_buf_free(&note);
		return rbi_log_err(log, rc, "signing checkpoint: %s",
				   rbi_audit_strerror(rc));
	}
	rbi_buf_addc(&note, '\n');
	if (rbi_audit_pwrite_all(log->histfd, note.data, note.len,
				 log->hist_end) ||
	    fdatasync(log->histfd) ||
	    rbi_audit_replace_file(log->epochfd, RBI_AUDIT_LATEST_FILE,
				   note.data, note.len - 1)) {
		rbi_buf_free(&note);
		return rbi_log_err(log, RBI_AUDIT_EIO, "%s checkpoint: %s",
				   log->origin, strerror(errno));
	}
	log->hist_end += (off_t)note.len;
	log->cp = cp;
	log->have_cp = true;
	rbi_buf_free(&note);
	return RBI_AUDIT_OK;
}

/* Makes every appended record durable, then signs the tree they end. */
static int rbi_log_seal(struct rbi_audit_log *log)
{
	int rc = rbi_audit_sync(log);

	return rc ? rc : rbi_log_checkpoint(log);
}

/* Reads the first and last timestamps of a sealed segment. */
static bool rbi_log_seg_times(struct rbi_audit_log *log, uint64_t seg,
			      int64_t *first, int64_t *last)
{
	char name[RBI_AUDIT_FILE_NAME_MAX];
	struct rbi_audit_map m;
	struct rbi_audit_rec *r;
	const char *line;
	size_t len, pos = 0;
	bool ok = false;

	rbi_audit_seg_name(seg, name);
	r = malloc(sizeof(*r));
	if (!r || rbi_audit_map(log->epochfd, name, &m)) {
		free(r);
		return false;
	}
	if (rbi_audit_line_next(m.p, m.n, &pos, &line, &len) &&
	    !rbi_audit_rec_parse(line, len, r)) {
		*first = r->ts;
		ok = rbi_audit_last_line(m.p, m.n, &line, &len) &&
		     !rbi_audit_rec_parse(line, len, r);
		*last = r->ts;
	}
	rbi_audit_unmap(&m);
	free(r);
	return ok;
}

static int rbi_log_prune_one(struct rbi_audit_log *log, uint64_t seg,
			     int64_t first, int64_t last)
{
	char name[RBI_AUDIT_FILE_NAME_MAX], detail[160];
	struct rbi_audit_gap g = { "retention", first, last,
				   RBI_AUDIT_SEG_LEAVES, detail };
	int rc;

	rbi_audit_seg_name(seg, name);
	snprintf(detail, sizeof(detail),
		 "deleted %s (leaves %llu-%llu) after the retention period; "
		 "their leaf hashes are kept", name,
		 (unsigned long long)seg * RBI_AUDIT_SEG_LEAVES,
		 (unsigned long long)(seg + 1) * RBI_AUDIT_SEG_LEAVES - 1);
	/* The record is durable before the segment goes. */
	rc = rbi_audit_append_gap(log, &g, NULL);
	if (!rc)
		rc = rbi_audit_sync(log);
	if (rc)
		return rc;
	if ((unlinkat(log->epochfd, name, 0) && errno != ENOENT) ||
	    rbi_audit_fsync_dir(log->epochfd))
		return rbi_log_err(log, RBI_AUDIT_EIO, "%s/%s: %s",
				   log->origin, name, strerror(errno));
	return RBI_AUDIT_OK;
}

static int rbi_log_prune(struct rbi_audit_log *log)
{
	int64_t first, last, limit;
	int rc;

	if (!log->retention)
		return RBI_AUDIT_OK;
	limit = rbi_log_now(log) - (int64_t)log->retention * RBI_AUDIT_US;
	for (; log->prune_seg < log->seg; log->prune_seg++) {
		if (!rbi_log_seg_times(log, log->prune_seg, &first, &last)) {
			if (errno == ENOENT)
				continue;
			break;
		}
		if (last >= limit)
			break;
		rc = rbi_log_prune_one(log, log->prune_seg, first, last);
		if (rc)
			return rc;
	}
	return RBI_AUDIT_OK;
}

int rbi_audit_heartbeat(struct rbi_audit_log *log,
			const struct rbi_audit_heartbeat *h, uint64_t *idx)
{
	struct rbi_log_item it = { RBI_AUDIT_REC_HEARTBEAT, h, NULL,
				   ++log->hb_seq };
	int rc;

	rc = rbi_log_append(log, &it, idx);
	if (!rc)
		rc = rbi_log_seal(log);
	if (!rc)
		rc = rbi_log_prune(log);
	return rc;
}

static void rbi_log_free(struct rbi_audit_log *log)
{
	int *fds[] = { &log->segfd, &log->hashfd, &log->histfd, &log->epochfd,
		       &log->lockfd, &log->dirfd };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	rbi_buf_free(&log->pend);
	rbi_buf_free(&log->pend_hash);
	rbi_buf_free(&log->rec);
	rbi_buf_free(&log->pol_body);
	memset(&log->key, 0, sizeof(log->key));
	free(log);
}

int rbi_audit_close(struct rbi_audit_log *log, const char *reason)
{
	struct rbi_log_item it = { RBI_AUDIT_REC_STOP, NULL, reason, 0 };
	int rc;

	rc = rbi_log_append(log, &it, NULL);
	if (!rc)
		rc = rbi_log_seal(log);
	if (rc)
		fprintf(stderr, "rbictl: audit log not closed cleanly: %s\n",
			log->err);
	rbi_log_free(log);
	return rc;
}

static void rbi_log_boot_id(struct rbi_audit_log *log)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	snprintf(log->boot_id, sizeof(log->boot_id), "unknown");
	if (!f)
		return;
	if (fgets(log->boot_id, sizeof(log->boot_id), f))
		log->boot_id[strcspn(log->boot_id, "\n")] = '\0';
	fclose(f);
}

static int rbi_log_open_files(struct rbi_audit_log *log)
{
	struct stat st;

	log->hashfd = openat(log->epochfd, RBI_AUDIT_LEAVES_FILE,
			     O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	log->histfd = openat(log->epochfd, RBI_AUDIT_HISTORY_FILE,
			     O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (log->hashfd < 0 || log->histfd < 0 || fstat(log->histfd, &st) ||
	    rbi_audit_fsync_dir(log->epochfd))
		return rbi_log_err(log, RBI_AUDIT_EIO, "%s: %s", log->origin,
				   strerror(errno));
	log->hist_end = st.st_size;
	return RBI_AUDIT_OK;
}

static int rbi_log_mkepoch(struct rbi_audit_log *log, unsigned int num,
			   const char *base)
{
	char name[RBI_AUDIT_FILE_NAME_MAX];

	if (num > RBI_AUDIT_EPOCHS_MAX)
		return rbi_log_err(log, RBI_AUDIT_ERANGE,
				   "too many epochs in the audit directory");
	rbi_audit_epoch_name(num, name);
	if ((mkdirat(log->dirfd, name, 0750) && errno != EEXIST) ||
	    rbi_audit_fsync_dir(log->dirfd))
		return rbi_log_err(log, RBI_AUDIT_EIO, "%s: %s", name,
				   strerror(errno));
	if (log->epochfd >= 0)
		close(log->epochfd);
	if (log->hashfd >= 0)
		close(log->hashfd);
	if (log->histfd >= 0)
		close(log->histfd);
	log->hashfd = log->histfd = -1;
	log->epochfd = openat(log->dirfd, name,
			      O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (log->epochfd < 0)
		return rbi_log_err(log, RBI_AUDIT_EIO, "%s: %s", name,
				   strerror(errno));
	log->epoch = num;
	rbi_audit_epoch_origin(base, num, log->origin, sizeof(log->origin));
	return rbi_log_open_files(log);
}

static int rbi_log_start(struct rbi_audit_log *log,
			 const struct rbi_audit_checkpoint *prev,
			 const char *reason)
{
	struct rbi_audit_start st = { log->origin, RBI_VERSION, prev, reason,
				      log->zone };
	struct rbi_log_item it = { RBI_AUDIT_REC_START, &st, NULL, 0 };

	return rbi_log_append(log, &it, NULL);
}

static int rbi_log_restart_gap(struct rbi_audit_log *log, int64_t from,
			       uint64_t count, const char *detail)
{
	struct rbi_audit_gap g = { "log-restart", from, rbi_log_now(log),
				   count, detail };

	return rbi_audit_append_gap(log, &g, NULL);
}

/*
 * The stored log is not what was signed. Leave it as evidence, say so
 * loudly, and go on in a new epoch whose start cites the old checkpoint.
 */
static int rbi_log_alarm(struct rbi_audit_log *log, const char *base,
			 const struct rbi_audit_recovery *r)
{
	char old[RBI_AUDIT_NAME_MAX], detail[RBI_AUDIT_NAME_MAX + 400];
	int64_t now = rbi_log_now(log);
	int rc;

	snprintf(old, sizeof(old), "%s", log->origin);
	rc = rbi_log_mkepoch(log, log->epoch + 1, base);
	if (rc)
		return rc;
	fprintf(stderr,
		"rbictl: ALARM: audit log %s does not match what it signed: "
		"%s. It is left untouched as evidence; logging goes on as "
		"%s.\n", old, r->why, log->origin);
	snprintf(detail, sizeof(detail), "log %s damaged: %s", old, r->why);
	rc = rbi_log_start(log, r->have_cp ? &r->cp : NULL, "new-origin");
	if (!rc)
		rc = rbi_log_restart_gap(log, r->have_last ? r->last_ts : now,
					 r->have_cp && r->cp.size > r->n ?
					 r->cp.size - r->n : 0, detail);
	return rc;
}

/* Takes over a consistent epoch where the recovery left it. */
static int rbi_log_resume(struct rbi_audit_log *log,
			  const struct rbi_audit_recovery *r)
{
	int rc;

	log->hist_end = r->hist_end + (r->hist_add ?
				       (off_t)r->cp_note.len + 1 : 0);
	log->size = log->durable = r->n;
	log->edge = log->durable_edge = r->edge;
	log->cp = r->cp;
	log->have_cp = r->have_cp;
	log->prune_seg = r->first_seg;
	if (r->have_last)
		log->last_ts = r->last_ts;
	if (r->has_seg) {
		rc = rbi_log_open_seg(log, r->last_seg, r->seg_cut);
		if (rc)
			return rc;
	}
	/* The start must cite a checkpoint that covers every kept record. */
	if (r->n && (!r->have_cp || r->cp.size < r->n))
		return rbi_log_checkpoint(log);
	return RBI_AUDIT_OK;
}

static int rbi_log_recover(struct rbi_audit_log *log, const char *base,
			   enum rbi_audit_open_state *state)
{
	struct rbi_audit_checkpoint prev;
	struct rbi_audit_recovery *r;
	char name[RBI_AUDIT_FILE_NAME_MAX];
	int fd, rc;

	r = calloc(1, sizeof(*r));
	if (!r)
		return rbi_log_err(log, RBI_AUDIT_ENOMEM, "out of memory");
	rc = rbi_audit_recover_scan(log->epochfd, &log->key, log->origin, r);
	if (rc) {
		rbi_log_err(log, rc, "%s: reading the log: %s", log->origin,
			    strerror(errno));
	} else if (r->damaged) {
		*state = RBI_AUDIT_OPENED_ALARM;
		rc = rbi_log_alarm(log, base, r);
	} else if (!r->n && log->epoch > 1) {
		/* A new epoch whose creation was cut short: finish it. */
		rbi_audit_epoch_name(log->epoch - 1, name);
		fd = openat(log->dirfd, name, O_RDONLY | O_DIRECTORY);
		rbi_audit_epoch_origin(base, log->epoch - 1, prev.origin,
				       sizeof(prev.origin));
		*state = RBI_AUDIT_OPENED_RECOVERED;
		rc = rbi_audit_recover_apply(log->epochfd, r);
		if (!rc)
			rc = rbi_log_start(log, fd >= 0 &&
					   rbi_audit_recover_last_cp(fd,
						&log->key, prev.origin, &prev) ?
					   &prev : NULL, "new-origin");
		if (fd >= 0)
			close(fd);
	} else {
		rc = rbi_audit_recover_apply(log->epochfd, r);
		if (rc)
			rbi_log_err(log, rc, "%s: repairing the log tail: %s",
				    log->origin, strerror(errno));
		else
			rc = rbi_log_resume(log, r);
		if (!rc && !r->n) {
			*state = RBI_AUDIT_OPENED_NEW;
			rc = rbi_log_start(log, NULL, "new-log");
		} else if (!rc && r->have_last &&
			   r->last_type == RBI_AUDIT_REC_STOP) {
			*state = RBI_AUDIT_OPENED_CLEAN;
			rc = rbi_log_start(log, &log->cp, "restart");
		} else if (!rc) {
			int64_t down = log->last_ts;

			*state = RBI_AUDIT_OPENED_RECOVERED;
			rc = rbi_log_start(log, &log->cp, "recovery");
			if (!rc)
				rc = rbi_log_restart_gap(log, down, 0,
					"the previous session ended without a "
					"stop record (crash or power loss)");
		}
	}
	rbi_audit_recover_free(r);
	free(r);
	return rc;
}

static int rbi_log_lock(struct rbi_audit_log *log, const char *dir)
{
	if ((mkdir(dir, 0750) && errno != EEXIST))
		return rbi_log_err(log, RBI_AUDIT_EIO, "%s: %s", dir,
				   strerror(errno));
	log->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (log->dirfd < 0)
		return rbi_log_err(log, RBI_AUDIT_EIO, "%s: %s", dir,
				   strerror(errno));
	log->lockfd = openat(log->dirfd, RBI_AUDIT_LOCK_FILE,
			     O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (log->lockfd < 0)
		return rbi_log_err(log, RBI_AUDIT_EIO, "%s/%s: %s", dir,
				   RBI_AUDIT_LOCK_FILE, strerror(errno));
	if (flock(log->lockfd, LOCK_EX | LOCK_NB))
		return rbi_log_err(log, RBI_AUDIT_EBUSY,
				   "%s is in use by another writer (is "
				   "'rbictl run' already running?)", dir);
	return RBI_AUDIT_OK;
}

static int rbi_log_check_config(struct rbi_audit_log *log,
				const struct rbi_audit_config *cfg)
{
	if (!cfg->dir || !cfg->origin || !cfg->key_path)
		return rbi_log_err(log, RBI_AUDIT_EMALFORMED,
				   "audit: dir, origin and key are required");
	if (cfg->heartbeat < RBI_AUDIT_HEARTBEAT_MIN ||
	    cfg->heartbeat > RBI_AUDIT_HEARTBEAT_MAX)
		return rbi_log_err(log, RBI_AUDIT_ERANGE,
				   "audit.heartbeat must be 1s to 1h, not %us",
				   cfg->heartbeat);
	/* Epoch origins append "/epoch-N": keep room for it. */
	if (!rbi_audit_name_valid(cfg->origin, strlen(cfg->origin)) ||
	    strlen(cfg->origin) > RBI_AUDIT_NAME_MAX - 16)
		return rbi_log_err(log, RBI_AUDIT_EMALFORMED,
				   "audit.origin '%s' must be a key name: no "
				   "spaces or '+', under 240 bytes",
				   cfg->origin);
	return RBI_AUDIT_OK;
}

int rbi_audit_open(const struct rbi_audit_config *cfg,
		   struct rbi_audit_log **logp,
		   enum rbi_audit_open_state *state, char *err, size_t err_len)
{
	unsigned int epochs[RBI_AUDIT_EPOCHS_MAX];
	struct rbi_audit_log *log;
	char name[RBI_AUDIT_FILE_NAME_MAX];
	size_t count = 0;
	int rc;

	*logp = NULL;
	log = calloc(1, sizeof(*log));
	if (!log) {
		snprintf(err, err_len, "out of memory");
		return RBI_AUDIT_ENOMEM;
	}
	log->dirfd = log->lockfd = log->epochfd = log->segfd = -1;
	log->hashfd = log->histfd = -1;
	log->period = cfg->heartbeat;
	log->retention = cfg->retention;
	log->clock = cfg->clock;
	log->clock_ctx = cfg->clock_ctx;
	rbi_audit_edge_init(&log->edge);
	log->durable_edge = log->edge;
	rc = rbi_log_check_config(log, cfg);
	if (!rc) {
		rc = rbi_audit_key_load(cfg->key_path, &log->key, log->err,
					sizeof(log->err));
	}
	if (!rc)
		rc = rbi_log_lock(log, cfg->dir);
	if (!rc && rbi_audit_list_epochs(log->dirfd, epochs,
					 RBI_AUDIT_EPOCHS_MAX, &count))
		rc = rbi_log_err(log, RBI_AUDIT_EIO, "%s: %s", cfg->dir,
				 strerror(errno));
	rbi_log_boot_id(log);
	rbi_audit_zone_name(log->zone, sizeof(log->zone));
	if (!rc && !count) {
		*state = RBI_AUDIT_OPENED_NEW;
		rc = rbi_log_mkepoch(log, 1, cfg->origin);
		if (!rc)
			rc = rbi_log_start(log, NULL, "new-log");
	} else if (!rc) {
		log->epoch = epochs[count - 1];
		rbi_audit_epoch_name(log->epoch, name);
		rbi_audit_epoch_origin(cfg->origin, log->epoch, log->origin,
				       sizeof(log->origin));
		log->epochfd = openat(log->dirfd, name,
				      O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		rc = log->epochfd < 0 ?
		     rbi_log_err(log, RBI_AUDIT_EIO, "%s/%s: %s", cfg->dir,
				 name, strerror(errno)) :
		     rbi_log_open_files(log);
		if (!rc)
			rc = rbi_log_recover(log, cfg->origin, state);
	}
	/*
	 * Sign at once: then every epoch that holds records has a checkpoint,
	 * and verify can treat an epoch without one as stripped.
	 */
	if (!rc)
		rc = rbi_log_seal(log);
	if (rc) {
		snprintf(err, err_len, "%s", log->err);
		rbi_log_free(log);
		return rc;
	}
	*logp = log;
	return RBI_AUDIT_OK;
}
