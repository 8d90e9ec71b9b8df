/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A catalogue's manifest: its release version and every file's SHA-256,
 * one per line, sorted by name as the files load:
 *
 *   rbiblock catalogue v1
 *   version 2026.12.1
 *   sha256 <64 hex digits> aws.yaml
 *   ...
 *
 * The SHA-256 of this text is the catalogue's digest. A maintainer signs
 * it as a C2SP signed note with the same Ed25519 keys and code as the
 * audit log's checkpoints, into catalog.manifest in the directory; a
 * policy that lists catalog.trusted-keys takes only catalogues whose
 * manifest one of those keys signed and whose files still match it.
 */
#ifndef RBI_MANIFEST_H
#define RBI_MANIFEST_H

#include "audit/key.h"
#include "policy/policy.h"
#include "util/buf.h"

#define RBI_MANIFEST_FILE	"catalog.manifest"
#define RBI_MANIFEST_MAGIC	"rbiblock catalogue v1"

/* The manifest text of catalogue source of p; false for a bad file name. */
bool rbi_manifest_text(const struct rbi_policy *p, size_t source,
		       struct rbi_buf *out);

/*
 * Signs catalogue directory source of p with k: writes
 * <dir>/catalog.manifest by temporary file and rename. 0, or -1 with err
 * saying why and what to do.
 */
int rbi_manifest_sign(const struct rbi_policy *p, size_t source,
		      const struct rbi_audit_key *k, char *err,
		      size_t err_len);

#endif
