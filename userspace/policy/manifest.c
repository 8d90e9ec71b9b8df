// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Catalogue sources: the digest of each one's manifest, and its signature
 * checked with the audit log's signed-note code (audit/note.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/note.h"
#include "audit/store.h"
#include "policy/internal.h"
#include "policy/manifest.h"
#include "util/utf8.h"

size_t rbi_catalog_add(struct rbi_policy *p, enum rbi_catalog_kind kind,
		       const char *path)
{
	struct rbi_catalog *c = rbi_grow_push(p->catalogs, &p->n_catalogs,
					      &(size_t){ p->n_catalogs });

	if (!c)
		return RBI_LOCAL;
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->path = strdup(path);
	c->first_file = p->n_files;
	if (!c->path) {
		p->n_catalogs--;
		return RBI_LOCAL;
	}
	return p->n_catalogs - 1;
}

static const char *rbi_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A name a manifest line can hold: UTF-8, no space or control byte. */
static bool rbi_manifest_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return n && rbi_utf8_valid(s, n);
}

bool rbi_manifest_text(const struct rbi_policy *p, size_t source,
		       struct rbi_buf *out)
{
	const struct rbi_catalog *c = &p->catalogs[source];
	const struct rbi_file *f;
	size_t i;

	rbi_buf_adds(out, RBI_MANIFEST_MAGIC "\n");
	if (c->version)
		rbi_buf_printf(out, "version %s\n", c->version);
	for (i = 0; i < c->n_files; i++) {
		f = &p->files[c->first_file + i];
		if (!rbi_manifest_name_ok(rbi_base_name(f->path)))
			return false;
		rbi_buf_printf(out, "sha256 %s %s\n", f->sha256_hex,
			       rbi_base_name(f->path));
	}
	return !rbi_buf_failed(out);
}

/* The digest of name in manifest text t (n bytes), or NULL. */
static const char *rbi_manifest_find(const char *t, size_t n,
				     const char *name, size_t *hex_len)
{
	const char *line = t, *end = t + n, *nl, *sp;
	size_t len = strlen(name);

	for (; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		if (nl - line < 8 || memcmp(line, "sha256 ", 7))
			continue;
		sp = memchr(line + 7, ' ', (size_t)(nl - line - 7));
		if (!sp || (size_t)(nl - sp - 1) != len ||
		    memcmp(sp + 1, name, len))
			continue;
		*hex_len = (size_t)(sp - line - 7);
		return line + 7;
	}
	return NULL;
}

/*
 * Says which files differ between the manifest a maintainer signed and
 * the files there are now, so that a refused update points at its cause.
 */
static void rbi_manifest_compare(const struct rbi_policy *p,
				 const struct rbi_catalog *c,
				 const char *mpath, const char *signed_text,
				 size_t n, struct rbi_diags *d)
{
	const struct rbi_file *f;
	const char *hex, *line, *end = signed_text + n, *nl, *sp;
	size_t i, hex_len, k;
	char name[NAME_MAX + 1];

	for (i = 0; i < c->n_files; i++) {
		f = &p->files[c->first_file + i];
		hex = rbi_manifest_find(signed_text, n, rbi_base_name(f->path),
					&hex_len);
		if (!hex)
			rbi_diag_add(d, RBI_DIAG_ERROR, f->path, 0, 0,
				     "not in the signed manifest %s", mpath);
		else if (hex_len != 64 || memcmp(hex, f->sha256_hex, 64))
			rbi_diag_add(d, RBI_DIAG_ERROR, f->path, 0, 0,
				     "changed since it was signed: sha256 %s, "
				     "the signed manifest %s says %.*s",
				     f->sha256_hex, mpath, (int)hex_len, hex);
	}
	for (line = signed_text; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		sp = nl - line > 7 && !memcmp(line, "sha256 ", 7) ?
		     memchr(line + 7, ' ', (size_t)(nl - line - 7)) : NULL;
		if (!sp || (size_t)(nl - sp - 1) > NAME_MAX)
			continue;
		memcpy(name, sp + 1, (size_t)(nl - sp - 1));
		name[nl - sp - 1] = '\0';
		for (k = 0; k < c->n_files &&
		     strcmp(rbi_base_name(p->files[c->first_file + k].path),
			    name); k++)
			;
		if (k == c->n_files)
			rbi_diag_add(d, RBI_DIAG_ERROR, mpath, 0, 0,
				     "signed file '%s' is missing from %s",
				     name, c->path);
	}
	if (!d->errors)
		rbi_diag_add(d, RBI_DIAG_ERROR, mpath, 0, 0, "the signed "
			     "manifest differs from the catalogue's (its "
			     "version line or format)");
}

/* Adds "name+keyid" of k to the signer list. */
static bool rbi_signer_add(char **list, const struct rbi_audit_key *k)
{
	char *s;
	int n;

	n = asprintf(&s, "%s%s%s+%02x%02x%02x%02x", *list ? *list : "",
		     *list ? ", " : "", k->name, k->id[0], k->id[1], k->id[2],
		     k->id[3]);
	if (n < 0)
		return false;
	free(*list);
	*list = s;
	return true;
}

/*
 * Verifies the note with each trusted key on its own, to know who signed.
 * A trusted key's bad signature refuses the catalogue outright.
 */
static bool rbi_manifest_verify(struct rbi_catalog *c, const char *mpath,
				const char *msg, size_t len,
				const struct rbi_audit_key *keys,
				size_t n_keys, size_t *text_len,
				struct rbi_diags *d)
{
	size_t i, tl;
	int rc;

	for (i = 0; i < n_keys; i++) {
		rc = rbi_audit_note_verify(msg, len, &keys[i], 1, &tl);
		if (rc == RBI_AUDIT_ENOSIG)
			continue;
		if (rc == RBI_AUDIT_EBADSIG) {
			rbi_diag_add(d, RBI_DIAG_ERROR, mpath, 0, 0, "bad "
				     "signature by trusted key %s: the "
				     "manifest was changed after signing",
				     keys[i].name);
			return false;
		}
		if (rc) {
			rbi_diag_add(d, RBI_DIAG_ERROR, mpath, 0, 0, "not a "
				     "signed note (C2SP signed-note): the "
				     "manifest is damaged; fetch it again");
			return false;
		}
		*text_len = tl;
		if (!rbi_signer_add(&c->signer, &keys[i]))
			return false;
	}
	if (c->signer)
		return true;
	rbi_diag_add(d, RBI_DIAG_ERROR, mpath, 0, 0, "no signature by a "
		     "trusted key (catalog.trusted-keys): the catalogue '%s' "
		     "is not taken; add its maintainer's verifier key if you "
		     "trust it", c->path);
	return false;
}

/* The catalogue directory's signed manifest, against its files. */
static bool rbi_manifest_check(const struct rbi_policy *p,
			       struct rbi_catalog *c, const char *ours,
			       size_t ours_len,
			       const struct rbi_audit_key *keys,
			       size_t n_keys, const struct rbi_loc *at,
			       struct rbi_diags *d)
{
	char mpath[PATH_MAX];
	size_t len, text_len = 0;
	const char *blank;
	char *msg;
	bool ok;

	snprintf(mpath, sizeof(mpath), "%s/%s", c->path, RBI_MANIFEST_FILE);
	if (access(mpath, F_OK)) {
		if (!n_keys)
			return true;
		rbi_diag_add(d, RBI_DIAG_ERROR, at->file, at->line, at->col,
			     "catalogue '%s' is not signed (no %s), and the "
			     "policy takes only catalogues signed by a key in "
			     "catalog.trusted-keys", c->path,
			     RBI_MANIFEST_FILE);
		return false;
	}
	msg = rbi_read_file(mpath, &len, d);
	if (!msg)
		return false;
	if (n_keys) {
		ok = rbi_manifest_verify(c, mpath, msg, len, keys, n_keys,
					 &text_len, d);
	} else {
		/* Unchecked: its text ends at the note's first blank line. */
		blank = strstr(msg, "\n\n");
		text_len = blank ? (size_t)(blank - msg) + 1 : 0;
		c->unchecked = strdup(mpath);
		rbi_diag_add(d, RBI_DIAG_WARNING, at->file, at->line, at->col,
			     "catalogue '%s' is signed, but the policy lists "
			     "no catalog.trusted-keys, so its signature was "
			     "not checked", c->path);
		ok = c->unchecked != NULL;
	}
	if (ok && (text_len != ours_len || memcmp(msg, ours, ours_len))) {
		rbi_manifest_compare(p, c, mpath, msg, text_len, d);
		ok = false;
	}
	free(msg);
	return ok;
}

bool rbi_catalog_seal(struct rbi_policy *p, size_t source,
		      const struct rbi_audit_key *keys, size_t n_keys,
		      bool signature, const struct rbi_loc *at,
		      struct rbi_diags *d)
{
	struct rbi_catalog *c = &p->catalogs[source];
	struct rbi_buf text = RBI_BUF_INIT;
	bool ok;

	c->n_files = p->n_files - c->first_file;
	ok = rbi_manifest_text(p, source, &text);
	if (!ok) {
		rbi_diag_add(d, RBI_DIAG_ERROR, c->path, 0, 0, "a catalogue "
			     "file name holds a space or control character; "
			     "rename it");
		rbi_buf_free(&text);
		return false;
	}
	rbi_sha256_hex(text.data, text.len, c->sha256_hex);
	if (c->kind == RBI_CATALOG_FILE && n_keys) {
		rbi_diag_add(d, RBI_DIAG_ERROR, at->file, at->line, at->col,
			     "'%s' is one file, which cannot carry a "
			     "signature; with catalog.trusted-keys, include "
			     "signed catalogue directories only", c->path);
		ok = false;
	} else if (c->kind == RBI_CATALOG_DIR && signature) {
		ok = rbi_manifest_check(p, c, text.data, text.len, keys,
					n_keys, at, d);
	}
	rbi_buf_free(&text);
	return ok;
}

int rbi_manifest_sign(const struct rbi_policy *p, size_t source,
		      const struct rbi_audit_key *k, char *err,
		      size_t err_len)
{
	const struct rbi_catalog *c = &p->catalogs[source];
	struct rbi_buf text = RBI_BUF_INIT, note = RBI_BUF_INIT;
	int dirfd, rc = -1;

	if (c->kind != RBI_CATALOG_DIR) {
		snprintf(err, err_len, "%s: only a catalogue directory can be "
			 "signed", c->path);
		return -1;
	}
	if (!c->version) {
		snprintf(err, err_len, "%s: no 'release' with a version; add "
			 "one (release: {version: 2026.12.1, date: "
			 "2026-12-06}) so that policies can say which "
			 "release they use", c->path);
		return -1;
	}
	if (!rbi_manifest_text(p, source, &text) ||
	    rbi_audit_note_sign(text.data, text.len, k, &note)) {
		snprintf(err, err_len, "%s: cannot sign its manifest", c->path);
		goto out;
	}
	dirfd = open(c->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || rbi_audit_replace_file(dirfd, RBI_MANIFEST_FILE,
						note.data, note.len)) {
		snprintf(err, err_len, "%s/%s: %s", c->path,
			 RBI_MANIFEST_FILE, strerror(errno));
	} else {
		rc = 0;
	}
	if (dirfd >= 0)
		close(dirfd);
out:
	rbi_buf_free(&text);
	rbi_buf_free(&note);
	return rc;
}
