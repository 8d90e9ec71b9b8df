// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/recover.h"
#include "audit/store.h"
#include "util/plural.h"

static void rbi_recover_damage(struct rbi_audit_recovery *r, const char *fmt,
			       ...) __attribute__((format(printf, 2, 3)));

/* Keeps the first reason: later ones usually follow from it. */
static void rbi_recover_damage(struct rbi_audit_recovery *r, const char *fmt,
			       ...)
{
	va_list ap;

	if (r->damaged)
		return;
	r->damaged = true;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/* The leaves a checkpoint signed do not give the root it signed. */
static void rbi_recover_unsigned(struct rbi_audit_recovery *r)
{
	rbi_recover_damage(r, "the first %llu %s not have the signed root",
			   (unsigned long long)r->cp.size,
			   rbi_plural(r->cp.size, "leaf does", "leaves do"));
}

/* Maps name; a missing file reads as empty. */
static int rbi_recover_map(int fd, const char *name, struct rbi_audit_map *m)
{
	if (!rbi_audit_map(fd, name, m))
		return RBI_AUDIT_OK;
	return errno == ENOENT ? RBI_AUDIT_OK : RBI_AUDIT_EIO;
}

/*
 * Only the newest checkpoint matters to the writer, so only it is verified
 * here (verify checks them all): the history's last complete entry, or the
 * latest file when the crash came between history append and replace.
 */
static int rbi_recover_checkpoints(int fd, const struct rbi_audit_key *key,
				   const char *origin,
				   struct rbi_audit_recovery *r)
{
	struct rbi_audit_checkpoint cp;
	struct rbi_audit_map h, l;
	const char *note = NULL, *p;
	size_t len = 0, pos = 0, plen;

	if (rbi_recover_map(fd, RBI_AUDIT_HISTORY_FILE, &h))
		return RBI_AUDIT_EIO;
	while (rbi_audit_history_next(h.p, h.n, &pos, &p, &plen)) {
		note = p;
		len = plen;
	}
	r->hist_end = (off_t)pos;
	if (note) {
		if (rbi_audit_checkpoint_open(note, len, key, 1, &r->cp) ||
		    strcmp(r->cp.origin, origin))
			rbi_recover_damage(r, "the last entry of %s does not "
					   "verify with key %s for origin %s",
					   RBI_AUDIT_HISTORY_FILE, key->name,
					   origin);
		r->have_cp = true;
		rbi_buf_add(&r->cp_note, note, len);
	}
	rbi_audit_unmap(&h);
	if (rbi_recover_map(fd, RBI_AUDIT_LATEST_FILE, &l))
		return RBI_AUDIT_EIO;
	if (l.n && (rbi_audit_checkpoint_open(l.p, l.n, key, 1, &cp) ||
		    strcmp(cp.origin, origin))) {
		rbi_recover_damage(r, "%s does not verify with key %s for "
				   "origin %s", RBI_AUDIT_LATEST_FILE,
				   key->name, origin);
	} else if (l.n && (!r->have_cp || cp.size > r->cp.size)) {
		r->cp = cp;
		r->have_cp = true;
		r->hist_add = true;
		rbi_buf_reset(&r->cp_note);
		rbi_buf_add(&r->cp_note, l.p, l.n);
	} else if (l.n && cp.size == r->cp.size &&
		   !rbi_audit_hash_eq(&cp.root, &r->cp.root)) {
		rbi_recover_damage(r, "%s and %s sign different trees of "
				   "size %llu", RBI_AUDIT_LATEST_FILE,
				   RBI_AUDIT_HISTORY_FILE,
				   (unsigned long long)cp.size);
	}
	/*
	 * A crash between the history append and the replace leaves the
	 * latest file one behind; put it right now, or a second such crash
	 * would leave it two behind, which verify rightly calls a fault.
	 */
	r->latest_stale = r->have_cp && (l.n != r->cp_note.len ||
					 memcmp(l.p, r->cp_note.data, l.n));
	rbi_audit_unmap(&l);
	return rbi_buf_failed(&r->cp_note) ? RBI_AUDIT_ENOMEM : RBI_AUDIT_OK;
}

/*
 * Hashes the valid records of segment seg (at most a segment's worth,
 * each with the right idx) into r->hashes; *count gets how many, *cut
 * the bytes they span, and the last one is remembered.
 */
static int rbi_recover_seg(int fd, uint64_t seg, struct rbi_audit_recovery *r,
			   struct rbi_audit_rec *rec, uint64_t *count,
			   off_t *cut, off_t *size)
{
	char name[RBI_AUDIT_FILE_NAME_MAX];
	struct rbi_audit_hash h;
	struct rbi_audit_map m;
	const char *line;
	size_t len, pos = 0, good = 0;
	uint64_t k = 0;

	rbi_audit_seg_name(seg, name);
	if (rbi_audit_map(fd, name, &m))
		return RBI_AUDIT_EIO;
	while (k < RBI_AUDIT_SEG_LEAVES &&
	       rbi_audit_line_next(m.p, m.n, &pos, &line, &len)) {
		if (rbi_audit_rec_parse(line, len, rec) ||
		    rec->idx != seg * RBI_AUDIT_SEG_LEAVES + k)
			break;
		rbi_audit_leaf_hash(line, len, &h);
		rbi_buf_add(&r->hashes, h.b, RBI_AUDIT_HASH_LEN);
		r->have_last = true;
		r->last_type = rec->type;
		r->last_ts = rec->ts;
		good = pos;
		k++;
	}
	*count = k;
	*cut = (off_t)good;
	*size = (off_t)m.n;
	rbi_audit_unmap(&m);
	return rbi_buf_failed(&r->hashes) ? RBI_AUDIT_ENOMEM : RBI_AUDIT_OK;
}

/* Finds the segments and re-hashes those the leaf-hash file may lack. */
static int rbi_recover_segments(int fd, uint64_t nhash,
				struct rbi_audit_recovery *r,
				struct rbi_audit_rec *rec)
{
	uint64_t *segs, s, k = 0;
	off_t cut = 0, size = 0;
	size_t count, i;
	int rc;

	rc = rbi_audit_list_segs(fd, &segs, &count);
	if (rc || !count) {
		free(segs);
		return rc;
	}
	r->has_seg = true;
	r->first_seg = segs[0];
	r->last_seg = segs[count - 1];
	for (i = 1; i < count; i++)
		if (segs[i] != segs[0] + i)
			rbi_recover_damage(r, "segment %llu is missing",
					   (unsigned long long)segs[0] + i);
	free(segs);
	/* Sealed segments' hashes were synced when they were sealed. */
	r->rehash_from = r->last_seg * RBI_AUDIT_SEG_LEAVES;
	if (nhash < r->rehash_from)
		r->rehash_from = nhash / RBI_AUDIT_SEG_LEAVES *
				 RBI_AUDIT_SEG_LEAVES;
	if (r->rehash_from < r->first_seg * RBI_AUDIT_SEG_LEAVES) {
		rbi_recover_damage(r, "%s is short and the segments to "
				   "rebuild it are gone", RBI_AUDIT_LEAVES_FILE);
		return RBI_AUDIT_OK;
	}
	for (s = r->rehash_from / RBI_AUDIT_SEG_LEAVES; s <= r->last_seg;
	     s++) {
		rc = rbi_recover_seg(fd, s, r, rec, &k, &cut, &size);
		if (rc)
			return rc;
		if (s < r->last_seg && k != RBI_AUDIT_SEG_LEAVES)
			rbi_recover_damage(r, "sealed segment %llu holds only "
					   "%llu valid %s",
					   (unsigned long long)s,
					   (unsigned long long)k,
					   rbi_plural(k, "record", "records"));
	}
	r->n = r->last_seg * RBI_AUDIT_SEG_LEAVES + k;
	r->seg_cut = cut;
	r->seg_size = size;
	return RBI_AUDIT_OK;
}

/* When the last segment is empty, the last record is in the one before. */
static void rbi_recover_last(int fd, struct rbi_audit_recovery *r,
			     struct rbi_audit_rec *rec)
{
	char name[RBI_AUDIT_FILE_NAME_MAX];
	struct rbi_audit_map m;
	const char *line;
	size_t len;

	if (r->n % RBI_AUDIT_SEG_LEAVES || !r->n || r->have_last)
		return;
	rbi_audit_seg_name(r->n / RBI_AUDIT_SEG_LEAVES - 1, name);
	if (rbi_audit_map(fd, name, &m))
		return;
	if (rbi_audit_last_line(m.p, m.n, &line, &len) &&
	    !rbi_audit_rec_parse(line, len, rec)) {
		r->have_last = true;
		r->last_type = rec->type;
		r->last_ts = rec->ts;
	}
	rbi_audit_unmap(&m);
}

/* Rebuilds the right edge and checks the signed prefix. */
static void rbi_recover_tree(const struct rbi_audit_map *hm,
			     struct rbi_audit_recovery *r)
{
	const struct rbi_audit_hash *file = (const void *)hm->p;
	const struct rbi_audit_hash *re = (const void *)r->hashes.data;
	uint64_t nfile = hm->n / RBI_AUDIT_HASH_LEN, i;
	struct rbi_audit_hash root;

	rbi_audit_edge_init(&r->edge);
	for (i = 0; i < r->n; i++) {
		if (i >= r->rehash_from && i < nfile && r->have_cp &&
		    i < r->cp.size &&
		    !rbi_audit_hash_eq(&file[i], &re[i - r->rehash_from]))
			rbi_recover_damage(r, "leaf %llu does not match its "
					   "hash in %s", (unsigned long long)i,
					   RBI_AUDIT_LEAVES_FILE);
		if (r->have_cp && r->edge.size == r->cp.size) {
			rbi_audit_edge_root(&r->edge, &root);
			if (!rbi_audit_hash_eq(&root, &r->cp.root))
				rbi_recover_unsigned(r);
		}
		rbi_audit_edge_append(&r->edge, i < r->rehash_from ? &file[i] :
				      &re[i - r->rehash_from]);
	}
	if (r->have_cp && r->edge.size == r->cp.size) {
		rbi_audit_edge_root(&r->edge, &root);
		if (!rbi_audit_hash_eq(&root, &r->cp.root))
			rbi_recover_unsigned(r);
	}
	if (r->have_cp && r->n < r->cp.size)
		rbi_recover_damage(r, "the log holds %llu %s but a "
				   "checkpoint signed %llu",
				   (unsigned long long)r->n,
				   rbi_plural(r->n, "leaf", "leaves"),
				   (unsigned long long)r->cp.size);
}

int rbi_audit_recover_scan(int epochfd, const struct rbi_audit_key *key,
			   const char *origin, struct rbi_audit_recovery *r)
{
	struct rbi_audit_rec *rec;
	struct rbi_audit_map hm;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = rbi_recover_checkpoints(epochfd, key, origin, r);
	if (rc)
		return rc;
	if (rbi_recover_map(epochfd, RBI_AUDIT_LEAVES_FILE, &hm))
		return RBI_AUDIT_EIO;
	rec = malloc(sizeof(*rec));
	if (!rec) {
		rbi_audit_unmap(&hm);
		return RBI_AUDIT_ENOMEM;
	}
	rc = rbi_recover_segments(epochfd, hm.n / RBI_AUDIT_HASH_LEN, r, rec);
	if (!rc) {
		rbi_recover_last(epochfd, r, rec);
		rbi_recover_tree(&hm, r);
	}
	free(rec);
	rbi_audit_unmap(&hm);
	return rc;
}

static int rbi_recover_history(int fd, const struct rbi_audit_recovery *r)
{
	int hf;
	int rc = RBI_AUDIT_OK;

	hf = openat(fd, RBI_AUDIT_HISTORY_FILE, O_RDWR | O_CREAT | O_CLOEXEC,
		    0644);
	if (hf < 0)
		return RBI_AUDIT_EIO;
	if (ftruncate(hf, r->hist_end) ||
	    (r->hist_add &&
	     (rbi_audit_pwrite_all(hf, r->cp_note.data, r->cp_note.len,
				   r->hist_end) ||
	      rbi_audit_pwrite_all(hf, "\n", 1,
				   r->hist_end + (off_t)r->cp_note.len))) ||
	    fdatasync(hf))
		rc = RBI_AUDIT_EIO;
	close(hf);
	return rc;
}

int rbi_audit_recover_apply(int epochfd, const struct rbi_audit_recovery *r)
{
	char name[RBI_AUDIT_FILE_NAME_MAX];
	int fd, rc = RBI_AUDIT_OK;

	if (r->damaged)
		return RBI_AUDIT_EMISMATCH;
	if (rbi_recover_history(epochfd, r) ||
	    (r->latest_stale &&
	     rbi_audit_replace_file(epochfd, RBI_AUDIT_LATEST_FILE,
				    r->cp_note.data, r->cp_note.len)))
		return RBI_AUDIT_EIO;
	if (r->has_seg && r->seg_cut < r->seg_size) {
		rbi_audit_seg_name(r->last_seg, name);
		fd = openat(epochfd, name, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || ftruncate(fd, r->seg_cut) || fdatasync(fd))
			rc = RBI_AUDIT_EIO;
		if (fd >= 0)
			close(fd);
		if (rc)
			return rc;
	}
	fd = openat(epochfd, RBI_AUDIT_LEAVES_FILE,
		    O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return RBI_AUDIT_EIO;
	if (rbi_audit_pwrite_all(fd, r->hashes.data, r->hashes.len,
				 (off_t)(r->rehash_from *
					 RBI_AUDIT_HASH_LEN)) ||
	    ftruncate(fd, (off_t)(r->n * RBI_AUDIT_HASH_LEN)) || fdatasync(fd))
		rc = RBI_AUDIT_EIO;
	close(fd);
	return rc;
}

void rbi_audit_recover_free(struct rbi_audit_recovery *r)
{
	rbi_buf_free(&r->hashes);
	rbi_buf_free(&r->cp_note);
}

bool rbi_audit_recover_last_cp(int epochfd, const struct rbi_audit_key *key,
			       const char *origin,
			       struct rbi_audit_checkpoint *cp)
{
	struct rbi_audit_recovery *r = calloc(1, sizeof(*r));
	bool ok;

	if (!r)
		return false;
	ok = !rbi_recover_checkpoints(epochfd, key, origin, r) && r->have_cp;
	if (ok)
		*cp = r->cp;
	rbi_audit_recover_free(r);
	free(r);
	return ok;
}
