// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The canonical digest of a ruleset. It is computed the same way over the
 * objects apply is about to send and over the objects read back from the
 * kernel, so equal digests mean the kernel holds exactly that ruleset;
 * `rbictl status` and the audit heartbeats report it.
 *
 * Text fed to SHA-256, one line per item, "\n"-terminated:
 *   table NAME FLAGS           (its comment names this digest: left out)
 *   chain NAME HOOK PRIO TYPE POLICY COMMENT-HEX       (by name)
 *   set NAME FLAGS KEYTYPE KEYLEN DATATYPE DATALEN COMMENT-HEX  (by name)
 *   elem SET KEY KEYEND FLAGS VERDICT CHAIN COMMENT-HEX (sorted; none for
 *                                  sets with timeouts, nor in the light form)
 *   flowtable NAME HOOK PRIO FLAGS DEV DEV ...  (devices sorted)
 *   rule CHAIN COMMENT-HEX: EXPR; EXPR; ...   (chains by name, rules in
 *                                              order; counters as "counter")
 * Missing attributes print as "-".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/udata.h>
#include <openssl/evp.h>

#include "util/buf.h"
#include "nft/internal.h"
#include "util/grow.h"

static void rbi_canon_hex(struct rbi_buf *b, const void *data, uint32_t len)
{
	const uint8_t *p = data;
	uint32_t i;

	rbi_buf_addc(b, ' ');
	if (!data || !len) {
		rbi_buf_addc(b, '-');
		return;
	}
	for (i = 0; i < len; i++)
		rbi_buf_printf(b, "%02x", p[i]);
}

static void rbi_canon_u32(struct rbi_buf *b, bool set, uint32_t v)
{
	if (set)
		rbi_buf_printf(b, " %u", v);
	else
		rbi_buf_adds(b, " -");
}

static void rbi_canon_str(struct rbi_buf *b, const char *s)
{
	rbi_buf_printf(b, " %s", s ? s : "-");
}

static int rbi_canon_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *rbi_chain_name(const struct nftnl_chain *c)
{
	return nftnl_chain_get_str(c, NFTNL_CHAIN_NAME);
}

static int rbi_canon_chain_cmp(const void *a, const void *b)
{
	return strcmp(rbi_chain_name(*(struct nftnl_chain *const *)a),
		      rbi_chain_name(*(struct nftnl_chain *const *)b));
}

static int rbi_canon_set_cmp(const void *a, const void *b)
{
	return strcmp(nftnl_set_get_str(*(struct nftnl_set *const *)a,
					NFTNL_SET_NAME),
		      nftnl_set_get_str(*(struct nftnl_set *const *)b,
					NFTNL_SET_NAME));
}

static void rbi_canon_table(struct rbi_buf *b, const struct nftnl_table *t)
{
	rbi_buf_adds(b, "table");
	rbi_canon_str(b, nftnl_table_get_str(t, NFTNL_TABLE_NAME));
	rbi_canon_u32(b, nftnl_table_is_set(t, NFTNL_TABLE_FLAGS),
		      nftnl_table_is_set(t, NFTNL_TABLE_FLAGS) ?
		      nftnl_table_get_u32(t, NFTNL_TABLE_FLAGS) : 0);
	rbi_buf_addc(b, '\n');
}

static void rbi_canon_chain(struct rbi_buf *b, const struct nftnl_chain *c)
{
	bool base = nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM);
	uint32_t len = 0;
	const void *ud;

	rbi_buf_adds(b, "chain");
	rbi_canon_str(b, rbi_chain_name(c));
	rbi_canon_u32(b, base, base ?
		      nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM) : 0);
	if (base)
		rbi_buf_printf(b, " %d",
			       nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO));
	else
		rbi_buf_adds(b, " -");
	rbi_canon_str(b, base ? nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE) :
		      NULL);
	rbi_canon_u32(b, base, base ?
		      nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY) : 0);
	ud = nftnl_chain_get_data(c, NFTNL_CHAIN_USERDATA, &len);
	rbi_canon_hex(b, ud, len);
	rbi_buf_addc(b, '\n');
}

/* libnftnl's getters read through NULL for attributes that are unset. */
static void rbi_canon_elem_u32(struct rbi_buf *b, struct nftnl_set_elem *e,
			       uint16_t attr)
{
	bool set = nftnl_set_elem_is_set(e, attr);

	rbi_canon_u32(b, set, set ? nftnl_set_elem_get_u32(e, attr) : 0);
}

static void rbi_canon_elem(struct rbi_buf *b, const char *set,
			   struct nftnl_set_elem *e)
{
	uint32_t len = 0;
	const void *d;

	rbi_buf_printf(b, "elem %s", set);
	d = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &len);
	rbi_canon_hex(b, d, d ? len : 0);
	len = 0;
	d = nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_KEY_END) ?
	    nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY_END, &len) : NULL;
	rbi_canon_hex(b, d, len);
	rbi_canon_elem_u32(b, e, NFTNL_SET_ELEM_FLAGS);
	rbi_canon_elem_u32(b, e, NFTNL_SET_ELEM_VERDICT);
	rbi_canon_str(b, nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_CHAIN) ?
		      nftnl_set_elem_get_str(e, NFTNL_SET_ELEM_CHAIN) : NULL);
	len = 0;
	d = nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_USERDATA) ?
	    nftnl_set_elem_get(e, NFTNL_SET_ELEM_USERDATA, &len) : NULL;
	rbi_canon_hex(b, d, len);
}

/* The elements of s as sorted lines, so that dump order can't matter. */
static int rbi_canon_elems(EVP_MD_CTX *md, struct nftnl_set *s)
{
	const char *name = nftnl_set_get_str(s, NFTNL_SET_NAME);
	struct nftnl_set_elems_iter *it = nftnl_set_elems_iter_create(s);
	struct nftnl_set_elem *e;
	struct rbi_buf line = RBI_BUF_INIT;
	char **v = NULL;
	size_t n = 0, cap = 0, i;
	int err = it ? 0 : -ENOMEM;

	while (!err && it && (e = nftnl_set_elems_iter_next(it))) {
		rbi_buf_reset(&line);
		rbi_canon_elem(&line, name, e);
		if (rbi_grow_to(&v, &cap, n + 1, sizeof(*v))) {
			err = -ENOMEM;
			break;
		}
		v[n] = strdup(rbi_buf_str(&line));
		if (!v[n++] || rbi_buf_failed(&line))
			err = -ENOMEM;
	}
	if (it)
		nftnl_set_elems_iter_destroy(it);
	if (!err)
		qsort(v, n, sizeof(*v), rbi_canon_strcmp);
	for (i = 0; i < n; i++) {
		if (!err && v[i]) {
			EVP_DigestUpdate(md, v[i], strlen(v[i]));
			EVP_DigestUpdate(md, "\n", 1);
		}
		free(v[i]);
	}
	free(v);
	rbi_buf_free(&line);
	return err;
}

static void rbi_canon_set(struct rbi_buf *b, const struct nftnl_set *s)
{
	static const uint16_t attrs[] = {
		NFTNL_SET_FLAGS, NFTNL_SET_KEY_TYPE, NFTNL_SET_KEY_LEN,
		NFTNL_SET_DATA_TYPE, NFTNL_SET_DATA_LEN,
	};
	uint32_t len = 0;
	const void *ud;
	size_t i;

	rbi_buf_adds(b, "set");
	rbi_canon_str(b, nftnl_set_get_str(s, NFTNL_SET_NAME));
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		rbi_canon_u32(b, nftnl_set_is_set(s, attrs[i]),
			      nftnl_set_is_set(s, attrs[i]) ?
			      nftnl_set_get_u32(s, attrs[i]) : 0);
	ud = nftnl_set_get_data(s, NFTNL_SET_USERDATA, &len);
	rbi_canon_hex(b, ud, len);
	rbi_buf_addc(b, '\n');
}

static int rbi_canon_expr(struct nftnl_expr *e, void *data)
{
	struct rbi_buf *b = data;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	char text[512];

	if (!strcmp(name, "counter")) {
		rbi_buf_adds(b, " counter;");
		return 0;
	}
	nftnl_expr_snprintf(text, sizeof(text), e, NFTNL_OUTPUT_DEFAULT, 0);
	rbi_buf_printf(b, " %s %s;", name, text);
	return 0;
}

static void rbi_canon_rules(struct rbi_buf *b, const struct rbi_nft_objs *o,
			    const char *chain)
{
	struct nftnl_rule *r;
	uint32_t len;
	const void *ud;
	size_t i;

	for (i = 0; i < o->n_rules; i++) {
		r = o->rules[i];
		if (strcmp(nftnl_rule_get_str(r, NFTNL_RULE_CHAIN), chain))
			continue;
		len = 0;
		ud = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &len);
		rbi_buf_printf(b, "rule %s", chain);
		rbi_canon_hex(b, ud, len);
		rbi_buf_addc(b, ':');
		nftnl_expr_foreach(r, rbi_canon_expr, b);
		rbi_buf_addc(b, '\n');
	}
}

static void rbi_canon_flowtable(struct rbi_buf *b,
				const struct nftnl_flowtable *ft)
{
	char devs[RBI_NFT_DEVS_MAX * IFNAMSIZ];

	rbi_nft_flowtable_devs(ft, devs, sizeof(devs));
	rbi_buf_adds(b, "flowtable");
	rbi_canon_str(b, nftnl_flowtable_get_str(ft, NFTNL_FLOWTABLE_NAME));
	rbi_canon_u32(b, nftnl_flowtable_is_set(ft, NFTNL_FLOWTABLE_HOOKNUM),
		      nftnl_flowtable_is_set(ft, NFTNL_FLOWTABLE_HOOKNUM) ?
		      nftnl_flowtable_get_u32(ft, NFTNL_FLOWTABLE_HOOKNUM) : 0);
	if (nftnl_flowtable_is_set(ft, NFTNL_FLOWTABLE_PRIO))
		rbi_buf_printf(b, " %d", nftnl_flowtable_get_s32(ft,
						NFTNL_FLOWTABLE_PRIO));
	else
		rbi_buf_adds(b, " -");
	rbi_canon_u32(b, nftnl_flowtable_is_set(ft, NFTNL_FLOWTABLE_FLAGS),
		      nftnl_flowtable_is_set(ft, NFTNL_FLOWTABLE_FLAGS) ?
		      nftnl_flowtable_get_u32(ft, NFTNL_FLOWTABLE_FLAGS) : 0);
	rbi_canon_str(b, devs[0] ? devs : NULL);
	rbi_buf_addc(b, '\n');
}

static void rbi_canon_hash(EVP_MD_CTX *md, struct rbi_buf *b)
{
	EVP_DigestUpdate(md, rbi_buf_str(b), b->len);
	rbi_buf_reset(b);
}

int rbi_nft_digest(const struct rbi_nft_objs *o, bool elems, char out[65])
{
	struct nftnl_chain **chains = NULL;
	struct nftnl_set **sets = NULL;
	struct rbi_buf b = RBI_BUF_INIT;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char h[32];
	size_t i;
	int err = 0;

	if (o->n_chains)
		chains = malloc(o->n_chains * sizeof(*chains));
	if (o->n_sets)
		sets = malloc(o->n_sets * sizeof(*sets));
	if (!md || (o->n_chains && !chains) || (o->n_sets && !sets) ||
	    !o->table || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		err = -ENOMEM;
		goto out;
	}
	if (o->n_chains)
		memcpy(chains, o->chains, o->n_chains * sizeof(*chains));
	if (o->n_sets)
		memcpy(sets, o->sets, o->n_sets * sizeof(*sets));
	qsort(chains, o->n_chains, sizeof(*chains), rbi_canon_chain_cmp);
	qsort(sets, o->n_sets, sizeof(*sets), rbi_canon_set_cmp);
	rbi_canon_table(&b, o->table);
	for (i = 0; i < o->n_chains; i++)
		rbi_canon_chain(&b, chains[i]);
	rbi_canon_hash(md, &b);
	for (i = 0; i < o->n_sets && !err; i++) {
		rbi_canon_set(&b, sets[i]);
		rbi_canon_hash(md, &b);
		if (elems && (!nftnl_set_is_set(sets[i], NFTNL_SET_FLAGS) ||
		    !(nftnl_set_get_u32(sets[i], NFTNL_SET_FLAGS) &
		      NFT_SET_TIMEOUT)))
			err = rbi_canon_elems(md, sets[i]);
	}
	if (o->flowtable)
		rbi_canon_flowtable(&b, o->flowtable);
	for (i = 0; i < o->n_chains; i++) {
		rbi_canon_rules(&b, o, rbi_chain_name(chains[i]));
		rbi_canon_hash(md, &b);
	}
	if (!err && rbi_buf_failed(&b))
		err = -ENOMEM;
	if (!err && EVP_DigestFinal_ex(md, h, NULL)) {
		for (i = 0; i < sizeof(h); i++)
			snprintf(out + 2 * i, 3, "%02x", h[i]);
	} else if (!err) {
		err = -ENOMEM;
	}
out:
	EVP_MD_CTX_free(md);
	rbi_buf_free(&b);
	free(chains);
	free(sets);
	return err;
}

/* The value of the first TLV of type: its bytes, or NULL. */
static const uint8_t *rbi_nft_udata_find(const void *data, uint32_t len,
					 uint8_t type, uint32_t *n)
{
	const uint8_t *p = data;
	uint32_t off = 0;

	/* TLVs of one type byte, one length byte, then the value. */
	while (p && off + 2 <= len) {
		*n = p[off + 1];
		if (off + 2 + *n > len)
			return NULL;
		if (p[off] == type)
			return p + off + 2;
		off += 2 + *n;
	}
	return NULL;
}

void rbi_nft_udata_comment(const void *data, uint32_t len, uint8_t type,
			   char *out, size_t out_len)
{
	uint32_t n = 0;
	const uint8_t *v = rbi_nft_udata_find(data, len, type, &n);

	out[0] = '\0';
	if (v)
		snprintf(out, out_len, "%.*s", (int)strnlen((const char *)v, n),
			 (const char *)v);
}

void rbi_nft_udata_digests(const void *data, uint32_t len, char digest[65],
			   char light[65])
{
	uint32_t n = 0, i;
	const uint8_t *v = rbi_nft_udata_find(data, len, RBI_NFT_UDATA_DIGESTS,
					      &n);

	digest[0] = light[0] = '\0';
	if (!v || n != 2 * RBI_NFT_DIGEST_LEN)
		return;
	for (i = 0; i < RBI_NFT_DIGEST_LEN; i++) {
		snprintf(digest + 2 * i, 3, "%02x", v[i]);
		snprintf(light + 2 * i, 3, "%02x", v[RBI_NFT_DIGEST_LEN + i]);
	}
}

/* Adds obj to the list, or frees it and marks the objects failed. */
#define RBI_NFT_OBJS_ADD(o, list, obj, free_fn)			\
	do {								\
		typeof(obj) *__slot = rbi_grow_push((o)->list,		\
						    &(o)->n_##list,	\
						    &(o)->cap_##list);	\
		if (__slot) {						\
			*__slot = (obj);				\
		} else {						\
			free_fn(obj);					\
			(o)->failed = true;				\
		}							\
	} while (0)

void rbi_nft_objs_add_chain(struct rbi_nft_objs *o, struct nftnl_chain *c)
{
	RBI_NFT_OBJS_ADD(o, chains, c, nftnl_chain_free);
}

void rbi_nft_objs_add_set(struct rbi_nft_objs *o, struct nftnl_set *s)
{
	RBI_NFT_OBJS_ADD(o, sets, s, nftnl_set_free);
}

void rbi_nft_objs_add_rule(struct rbi_nft_objs *o, struct nftnl_rule *r)
{
	RBI_NFT_OBJS_ADD(o, rules, r, nftnl_rule_free);
}

void rbi_nft_objs_free(struct rbi_nft_objs *o)
{
	size_t i;

	if (o->table)
		nftnl_table_free(o->table);
	for (i = 0; i < o->n_chains; i++)
		nftnl_chain_free(o->chains[i]);
	for (i = 0; i < o->n_sets; i++)
		nftnl_set_free(o->sets[i]);
	for (i = 0; i < o->n_rules; i++)
		nftnl_rule_free(o->rules[i]);
	if (o->flowtable)
		nftnl_flowtable_free(o->flowtable);
	free(o->chains);
	free(o->sets);
	free(o->rules);
	memset(o, 0, sizeof(*o));
}
