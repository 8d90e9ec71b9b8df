// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "audit/b64.h"
#include "audit/note.h"
#include "util/utf8.h"

static const char rbi_note_dash[] = "\xe2\x80\x94 ";	/* U+2014, space */

enum {
	RBI_NOTE_DASH_LEN = sizeof(rbi_note_dash) - 1,
	RBI_NOTE_SIG_RAW_MAX = 256,
	RBI_SIZE_DIGITS_MAX = 20,
};

int rbi_audit_note_sign(const char *text, size_t len,
			const struct rbi_audit_key *k, struct rbi_buf *out)
{
	uint8_t raw[RBI_AUDIT_KEYID_LEN + RBI_AUDIT_ED25519_SIG_LEN];
	int rc;

	if (!len || text[len - 1] != '\n')
		return RBI_AUDIT_EMALFORMED;
	memcpy(raw, k->id, RBI_AUDIT_KEYID_LEN);
	rc = rbi_audit_ed25519_sign(k, text, len, raw + RBI_AUDIT_KEYID_LEN);
	if (rc)
		return rc;
	rbi_buf_add(out, text, len);
	rbi_buf_addc(out, '\n');
	rbi_buf_adds(out, rbi_note_dash);
	rbi_buf_adds(out, k->name);
	rbi_buf_addc(out, ' ');
	rbi_audit_b64_encode(out, raw, sizeof(raw));
	rbi_buf_addc(out, '\n');
	return rbi_buf_failed(out) ? RBI_AUDIT_ENOMEM : RBI_AUDIT_OK;
}

/* Valid UTF-8 with no control character but '\n'. */
static int rbi_note_check_text(const char *s, size_t n)
{
	size_t i;

	if (!rbi_utf8_valid(s, n))
		return RBI_AUDIT_EUTF8;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n') ||
		    s[i] == 0x7f)
			return RBI_AUDIT_EMALFORMED;
	return RBI_AUDIT_OK;
}

static const struct rbi_audit_key *
rbi_note_find_key(const struct rbi_audit_key *keys, size_t nkeys,
		  const char *name, size_t name_len, const uint8_t *id)
{
	size_t i;

	for (i = 0; i < nkeys; i++)
		if (strlen(keys[i].name) == name_len &&
		    !memcmp(keys[i].name, name, name_len) &&
		    !memcmp(keys[i].id, id, RBI_AUDIT_KEYID_LEN))
			return &keys[i];
	return NULL;
}

/*
 * Splits one signature line (without its newline) into its key name and
 * raw bytes (key ID, then signature).
 */
static int rbi_note_parse_sig(const char *line, size_t n, const char **name,
			      size_t *name_len, uint8_t *raw, size_t *raw_len)
{
	const char *sp;

	if (n < RBI_NOTE_DASH_LEN ||
	    memcmp(line, rbi_note_dash, RBI_NOTE_DASH_LEN))
		return RBI_AUDIT_EMALFORMED;
	*name = line + RBI_NOTE_DASH_LEN;
	n -= RBI_NOTE_DASH_LEN;
	sp = memchr(*name, ' ', n);
	if (!sp)
		return RBI_AUDIT_EMALFORMED;
	*name_len = (size_t)(sp - *name);
	if (!rbi_audit_name_valid(*name, *name_len) ||
	    rbi_audit_b64_decode(sp + 1, n - *name_len - 1, raw,
				 RBI_NOTE_SIG_RAW_MAX, raw_len) ||
	    *raw_len <= RBI_AUDIT_KEYID_LEN)
		return RBI_AUDIT_EMALFORMED;
	return RBI_AUDIT_OK;
}

/*
 * Checks one signature line (without its newline) against text: *good is
 * set when a trusted key signed it.
 */
static int rbi_note_check_sig(const char *line, size_t n, const char *text,
			      size_t text_len,
			      const struct rbi_audit_key *keys, size_t nkeys,
			      bool *good)
{
	uint8_t raw[RBI_NOTE_SIG_RAW_MAX];
	const struct rbi_audit_key *k;
	const char *name;
	size_t name_len, raw_len;
	int rc;

	rc = rbi_note_parse_sig(line, n, &name, &name_len, raw, &raw_len);
	if (rc)
		return rc;
	k = rbi_note_find_key(keys, nkeys, name, name_len, raw);
	if (!k)
		return RBI_AUDIT_OK;
	if (!rbi_audit_ed25519_verify(k, text, text_len,
				      raw + RBI_AUDIT_KEYID_LEN,
				      raw_len - RBI_AUDIT_KEYID_LEN))
		return RBI_AUDIT_EBADSIG;
	*good = true;
	return RBI_AUDIT_OK;
}

/* Offset just past the last "\n\n" in s[0..n), or 0 when there is none. */
static size_t rbi_note_split(const char *s, size_t n)
{
	size_t i;

	for (i = n; i >= 2; i--)
		if (s[i - 1] == '\n' && s[i - 2] == '\n')
			return i;
	return 0;
}

int rbi_audit_note_verify(const char *msg, size_t len,
			  const struct rbi_audit_key *keys, size_t nkeys,
			  size_t *text_len)
{
	size_t split, pos, lines = 0;
	const char *nl;
	bool good = false;
	int rc;

	*text_len = 0;
	if (len > RBI_AUDIT_NOTE_MAX)
		return RBI_AUDIT_EMALFORMED;
	rc = rbi_note_check_text(msg, len);
	if (rc)
		return rc;
	split = rbi_note_split(msg, len);
	if (!split || split == len || msg[len - 1] != '\n')
		return RBI_AUDIT_EMALFORMED;
	for (pos = split; pos < len; pos = (size_t)(nl - msg) + 1) {
		nl = memchr(msg + pos, '\n', len - pos);
		if (++lines > RBI_AUDIT_NOTE_SIGS_MAX)
			return RBI_AUDIT_EMALFORMED;
		rc = rbi_note_check_sig(msg + pos, (size_t)(nl - msg) - pos,
					msg, split - 1, keys, nkeys, &good);
		if (rc)
			return rc;
	}
	if (!good)
		return RBI_AUDIT_ENOSIG;
	*text_len = split - 1;
	return RBI_AUDIT_OK;
}

int rbi_audit_note_signer(const char *msg, size_t len, char *name,
			  size_t name_max, uint8_t *id)
{
	uint8_t raw[RBI_NOTE_SIG_RAW_MAX];
	size_t split = rbi_note_split(msg, len), name_len, raw_len;
	const char *nl, *nm;

	if (!split || split >= len)
		return RBI_AUDIT_EMALFORMED;
	nl = memchr(msg + split, '\n', len - split);
	if (!nl || rbi_note_parse_sig(msg + split, (size_t)(nl - msg) - split,
				      &nm, &name_len, raw, &raw_len) ||
	    name_len >= name_max)
		return RBI_AUDIT_EMALFORMED;
	memcpy(name, nm, name_len);
	name[name_len] = '\0';
	memcpy(id, raw, RBI_AUDIT_KEYID_LEN);
	return RBI_AUDIT_OK;
}

void rbi_audit_checkpoint_format(const struct rbi_audit_checkpoint *cp,
				 struct rbi_buf *out)
{
	rbi_buf_printf(out, "%s\n%llu\n", cp->origin,
		       (unsigned long long)cp->size);
	rbi_audit_b64_encode(out, cp->root.b, RBI_AUDIT_HASH_LEN);
	rbi_buf_addc(out, '\n');
}

static int rbi_note_parse_size(const char *s, size_t n, uint64_t *v)
{
	size_t i;

	if (!n || n > RBI_SIZE_DIGITS_MAX || (n > 1 && s[0] == '0'))
		return RBI_AUDIT_EMALFORMED;
	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    *v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return RBI_AUDIT_EMALFORMED;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return RBI_AUDIT_OK;
}

int rbi_audit_checkpoint_parse(const char *text, size_t len,
			       struct rbi_audit_checkpoint *cp)
{
	uint8_t raw[RBI_AUDIT_HASH_LEN + 3];
	const char *origin, *size, *root, *ext;
	size_t pos = 0, olen, slen, rlen, elen, hlen;

	memset(cp, 0, sizeof(*cp));
	if (rbi_note_check_text(text, len) ||
	    !rbi_audit_line_next(text, len, &pos, &origin, &olen) ||
	    !rbi_audit_line_next(text, len, &pos, &size, &slen) ||
	    !rbi_audit_line_next(text, len, &pos, &root, &rlen) ||
	    !olen || olen >= sizeof(cp->origin) ||
	    rbi_note_parse_size(size, slen, &cp->size))
		return RBI_AUDIT_EMALFORMED;
	if (rbi_audit_b64_decode(root, rlen, raw, sizeof(raw), &hlen))
		return RBI_AUDIT_EMALFORMED;
	if (hlen != RBI_AUDIT_HASH_LEN)
		return RBI_AUDIT_EHASHLEN;
	memcpy(cp->root.b, raw, RBI_AUDIT_HASH_LEN);
	while (pos < len)
		if (!rbi_audit_line_next(text, len, &pos, &ext, &elen) || !elen)
			return RBI_AUDIT_EMALFORMED;
	memcpy(cp->origin, origin, olen);
	return RBI_AUDIT_OK;
}

int rbi_audit_checkpoint_open(const char *note, size_t len,
			      const struct rbi_audit_key *keys, size_t nkeys,
			      struct rbi_audit_checkpoint *cp)
{
	size_t text_len;
	int rc;

	memset(cp, 0, sizeof(*cp));
	rc = rbi_audit_note_verify(note, len, keys, nkeys, &text_len);
	if (rc)
		return rc;
	return rbi_audit_checkpoint_parse(note, text_len, cp);
}

int rbi_audit_checkpoint_sign(const struct rbi_audit_checkpoint *cp,
			      const struct rbi_audit_key *k,
			      struct rbi_buf *out)
{
	struct rbi_buf text = RBI_BUF_INIT;
	int rc;

	rbi_audit_checkpoint_format(cp, &text);
	rc = rbi_buf_failed(&text) ? RBI_AUDIT_ENOMEM :
		rbi_audit_note_sign(text.data, text.len, k, out);
	rbi_buf_free(&text);
	return rc;
}
