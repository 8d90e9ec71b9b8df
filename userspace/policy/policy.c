// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reading a policy file and its catalogue into the model. Structure and
 * types are checked here; what the prohibition demands of the content is
 * checked in rbi_policy_check.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/key.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/grow.h"
#include "policy/embedded.h"
#include "rbi_name.h"
#include "policy/policy.h"
#include "policy/internal.h"
#include "policy/schema.h"

static const char *const rbi_policy_keys[] = {
	"rbiblock", "name", "basis", "prohibit", "zones", "recorders",
	"resolvers", "catalog", "enforce", "audit", NULL
};
static const char *const rbi_prohibit_keys[] = {
	"categories", "timing", "actors", "exceptions", NULL
};
static const char *const rbi_zone_keys[] = {
	"name", "publicly-accessible", "networks", "description", NULL
};
static const char *const rbi_recorder_keys[] = {
	"name", "networks", "ports", "description", NULL
};
static const char *const rbi_resolver_keys[] = {
	"name", "networks", "description", NULL
};
static const char *const rbi_catalog_keys[] = {
	"include", "replace-builtin", "trusted-keys", "operator-names",
	"services", NULL
};
static const char *const rbi_enforce_keys[] = {
	[RBI_ENF_SHARED_HOSTS] = "shared-hosts",
	[RBI_ENF_ECH] = "encrypted-client-hello",
	[RBI_ENF_QUIC] = "quic",
	[RBI_ENF_DOH] = "dns-over-https",
	[RBI_ENF_ANALYTICS] = "camera-analytics",
	[__RBI_ENF_MAX] = "on-failure",
	NULL
};
static const char *const rbi_audit_keys[] = {
	"dir", "origin", "key", "heartbeat", "retention", NULL
};
static const char *const rbi_category_words[] = {
	"remote-biometric-identification", "biometric-categorisation",
	"emotion-recognition", NULL
};
static const char *const rbi_timing_words[] = { "real-time", "post", NULL };
static const char *const rbi_actor_words[] = { "public", "private", NULL };
static const char *const rbi_mode_words[] = { "block", "log", "allow", NULL };
static const char *const rbi_shared_words[] = { "block", "log", NULL };
static const char *const rbi_failure_words[] = { "closed", "open", NULL };

enum {
	RBI_ID_MAX = 63,
	RBI_HEARTBEAT_MIN = 1,
	RBI_HEARTBEAT_MAX = 3600,
	RBI_RETENTION_MAX = 20 * 366 * 86400,
};

void rbi_loc_set(struct rbi_loc *loc, const char *file,
		 const struct rbi_ynode *n)
{
	loc->file = file;
	loc->line = n ? n->line : 0;
	loc->col = n ? n->col : 0;
}

struct rbi_file *rbi_policy_add_file(struct rbi_policy *p, const char *path,
				     char *text, size_t len)
{
	struct rbi_file *f;

	if (rbi_grow_to(&p->files, &p->cap_files, p->n_files + 1,
			sizeof(*p->files)))
		return NULL;
	f = &p->files[p->n_files];
	f->path = strdup(path);
	f->text = text;
	f->len = len;
	if (!f->path)
		return NULL;
	rbi_sha256_hex(text, len, f->sha256_hex);
	p->n_files++;
	return f;
}

/* Reads a whole regular file; NULL with a diagnostic naming it. */
char *rbi_read_file(const char *path, size_t *len,
			   struct rbi_diags *diags)
{
	struct stat st;
	char *buf;
	ssize_t r;
	size_t got = 0;
	int fd = rbi_file_open(AT_FDCWD, path, &st);

	if (fd < 0 && errno == EINVAL) {
		rbi_diag_add(diags, RBI_DIAG_ERROR, path, 0, 0,
			     "not a regular file (a FIFO, device or "
			     "directory): give the policy file itself");
		return NULL;
	}
	if (fd < 0) {
		rbi_diag_add(diags, RBI_DIAG_ERROR, path, 0, 0,
			     "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (st.st_size > RBI_YAML_SIZE_MAX) {
		rbi_diag_add(diags, RBI_DIAG_ERROR, path, 0, 0,
			     "file is larger than %d MiB",
			     RBI_YAML_SIZE_MAX >> 20);
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		rbi_diag_add(diags, RBI_DIAG_ERROR, path, 0, 0,
			     "short read: the file changed while reading");
		free(buf);
		return NULL;
	}
	buf[got] = '\0';
	*len = got;
	return buf;
}

bool rbi_check_id(const struct rbi_yctx *y, const struct rbi_ynode *n,
		  const char *s, const char *what)
{
	size_t i, len = strlen(s);

	if (!len || len > RBI_ID_MAX) {
		rbi_yerr(y, n, "%s must be 1 to %d characters", what,
			 RBI_ID_MAX);
		return false;
	}
	for (i = 0; i < len; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    (c == '.' && i))
			continue;
		rbi_yerr(y, n, "%s '%s' may only hold letters, digits, '-', "
			 "'_' and '.'", what, s);
		return false;
	}
	return true;
}

bool rbi_yget_id(const struct rbi_yctx *y, const struct rbi_ynode *map,
		 const char *key, char **out, const char *what)
{
	return rbi_yget_str(y, map, key, out, true) &&
	       rbi_check_id(y, rbi_ymap_get(map, key), *out, what);
}

bool rbi_read_words(const struct rbi_yctx *y, const struct rbi_ynode *map,
		    const char *key, const char *noun,
		    const char *const *words, uint32_t *bits, bool required)
{
	struct rbi_ynode **items;
	const char *hint;
	size_t n, i;
	unsigned int w;
	bool ok;

	*bits = 0;
	if (!rbi_yget_list(y, map, key, &items, &n, required))
		return false;
	ok = true;
	for (i = 0; i < n; i++) {
		for (w = 0; words[w] && strcmp(words[w], items[i]->str); w++)
			;
		if (words[w]) {
			*bits |= 1u << w;
			continue;
		}
		hint = rbi_did_you_mean(items[i]->str, words);
		rbi_yerr(y, items[i], "unknown %s '%s'%s%s%s", noun,
			 items[i]->str, hint ? "; did you mean '" : "",
			 hint ? hint : "", hint ? "'?" : "");
		ok = false;
	}
	return ok;
}

bool rbi_read_nets(const struct rbi_yctx *y, const struct rbi_ynode *map,
		   bool required, struct rbi_network **out, size_t *n_out)
{
	struct rbi_ynode **items;
	struct rbi_network *nets;
	size_t n, i;
	bool ok = true;

	*out = NULL;
	*n_out = 0;
	if (!rbi_yget_list(y, map, "networks", &items, &n, required))
		return false;
	if (!n) {
		if (required)
			rbi_yerr(y, map, "'networks' is empty; list at least "
				 "one network such as 192.0.2.0/24");
		return !required;
	}
	nets = calloc(n, sizeof(*nets));
	if (!nets)
		return false;
	for (i = 0; i < n; i++) {
		struct rbi_prefix fixed;
		const char *why = NULL;
		char sug[RBI_PREFIX_STRLEN];

		rbi_loc_set(&nets[i].loc, y->file, items[i]);
		if (!rbi_prefix_parse(items[i]->str, items[i]->len,
				      &nets[i].prefix, &why))
			continue;
		/*
		 * Only for host bits set does the parse keep the prefix as
		 * written, so that its masked form can be suggested.
		 */
		fixed = nets[i].prefix;
		if (why && !strcmp(why, "host bits set")) {
			rbi_prefix_mask(&fixed);
			rbi_prefix_format(&fixed, sug, sizeof(sug));
			rbi_yerr(y, items[i], "bad network '%s': %s; did you "
				 "mean %s?", items[i]->str, why, sug);
		} else {
			rbi_yerr(y, items[i], "bad network '%s': %s",
				 items[i]->str, why ? why : "not an address");
		}
		ok = false;
	}
	*out = nets;
	*n_out = n;
	return ok;
}

/* "554", "8000-8100", and with l4 "8800/udp": what a port list may hold. */
static bool rbi_parse_port_range(const char *s, bool l4,
				 struct rbi_port_range *r)
{
	unsigned long lo, hi;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	lo = strtoul(s, &end, 10);
	hi = lo;
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			return false;
		hi = strtoul(end + 1, &end, 10);
	}
	r->l4 = 0;
	if (l4 && !strcmp(end, "/tcp"))
		r->l4 = RBI_L4_TCP;
	else if (l4 && !strcmp(end, "/udp"))
		r->l4 = RBI_L4_UDP;
	else if (*end)
		return false;
	if (!lo || lo > 65535 || hi > 65535 || hi < lo)
		return false;
	r->lo = (uint16_t)lo;
	r->hi = (uint16_t)hi;
	return true;
}

bool rbi_read_ports(const struct rbi_yctx *y, const struct rbi_ynode *map,
		    bool l4, struct rbi_port_range **out, size_t *n_out)
{
	struct rbi_ynode **items;
	size_t n, i;
	bool ok = true;

	*out = NULL;
	*n_out = 0;
	if (!rbi_yget_list(y, map, "ports", &items, &n, false))
		return false;
	if (!n)
		return true;
	*out = calloc(n, sizeof(**out));
	if (!*out)
		return false;
	for (i = 0; i < n; i++) {
		if (rbi_parse_port_range(items[i]->str, l4, &(*out)[i]))
			continue;
		if (!l4 && strchr(items[i]->str, '/'))
			rbi_yerr(y, items[i], "bad port '%s': a recorder is "
				 "approved for TCP and UDP alike; write the "
				 "port without a protocol", items[i]->str);
		else
			rbi_yerr(y, items[i], "bad port '%s': a port is a "
				 "number from 1 to 65535, or a range such as "
				 "8000-8100%s", items[i]->str,
				 l4 ? ", and may end in /tcp or /udp" : "");
		ok = false;
	}
	*n_out = n;
	return ok;
}

static bool rbi_date_leap(unsigned int y)
{
	return (y % 4 == 0 && y % 100) || y % 400 == 0;
}

bool rbi_date_valid(const char *s)
{
	static const unsigned char days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	unsigned int y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (unsigned int)atoi(s);
	m = (unsigned int)atoi(s + 5);
	d = (unsigned int)atoi(s + 8);
	if (y < 1970 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days[m - 1] + (unsigned int)(m == 2 && rbi_date_leap(y));
}

bool rbi_read_date(const struct rbi_yctx *y, const struct rbi_ynode *map,
		   const char *key, char out[11], bool required)
{
	char *v = NULL;
	bool ok = rbi_yget_str(y, map, key, &v, required);

	out[0] = '\0';
	if (!v)
		return ok;
	if (rbi_date_valid(v)) {
		memcpy(out, v, 11);
	} else {
		rbi_yerr(y, rbi_ymap_get(map, key), "'%s' must be a date "
			 "written YYYY-MM-DD, such as 2026-12-06, not '%s'",
			 key, v);
		ok = false;
	}
	free(v);
	return ok;
}

static bool rbi_read_zone(const struct rbi_yctx *y, const struct rbi_ynode *n,
			  struct rbi_zone *z)
{
	bool ok;

	rbi_loc_set(&z->loc, y->file, n);
	if (!rbi_ymap_check(y, n, "a zone", rbi_zone_keys))
		return false;
	ok = rbi_yget_id(y, n, "name", &z->name, "zone name");
	ok &= rbi_yget_bool(y, n, "publicly-accessible", &z->public, true);
	ok &= rbi_read_nets(y, n, true, &z->nets, &z->n_nets);
	return ok;
}

static bool rbi_read_recorder(const struct rbi_yctx *y,
			      const struct rbi_ynode *n, struct rbi_recorder *r)
{
	bool ok;

	rbi_loc_set(&r->loc, y->file, n);
	if (!rbi_ymap_check(y, n, "a recorder", rbi_recorder_keys))
		return false;
	ok = rbi_yget_id(y, n, "name", &r->name, "recorder name");
	ok &= rbi_read_nets(y, n, true, &r->nets, &r->n_nets);
	ok &= rbi_read_ports(y, n, false, &r->ports, &r->n_ports);
	return ok;
}

static bool rbi_read_resolver(const struct rbi_yctx *y,
			      const struct rbi_ynode *n, struct rbi_resolver *r)
{
	bool ok;

	rbi_loc_set(&r->loc, y->file, n);
	if (!rbi_ymap_check(y, n, "a resolver", rbi_resolver_keys))
		return false;
	ok = rbi_yget_id(y, n, "name", &r->name, "resolver name");
	ok &= rbi_read_nets(y, n, true, &r->nets, &r->n_nets);
	return ok;
}

bool rbi_read_seq(const struct rbi_yctx *y, const struct rbi_ynode *map,
		  const char *key, struct rbi_ynode **seq)
{
	*seq = rbi_ymap_get(map, key);
	if (!*seq || rbi_ynode_is_null(*seq)) {
		*seq = NULL;
		return true;
	}
	if ((*seq)->kind == RBI_Y_SEQ)
		return true;
	rbi_yerr(y, *seq, "'%s' must be a list, not %s", key,
		 rbi_ynode_kind_name((*seq)->kind));
	*seq = NULL;
	return false;
}

static bool rbi_load_catalog_text(struct rbi_policy *p, const char *path,
				  char *text, size_t len, size_t source,
				  struct rbi_diags *diags)
{
	struct rbi_file *f = rbi_policy_add_file(p, path, text, len);
	struct rbi_ydoc doc;
	struct rbi_yctx y;
	bool ok;

	if (!f) {
		free(text);
		return false;
	}
	y.file = f->path;
	y.diags = diags;
	if (!rbi_yaml_parse(&doc, f->path, text, len, diags))
		return false;
	if (!doc.root) {
		rbi_diag_add(diags, RBI_DIAG_WARNING, f->path, 0, 0,
			     "empty catalogue file");
		rbi_yaml_free(&doc);
		return true;
	}
	ok = rbi_catalog_read_file(p, &y, doc.root, source);
	rbi_yaml_free(&doc);
	return ok;
}

/* The keys catalog.trusted-keys names: what included catalogues need. */
struct rbi_trust {
	struct rbi_audit_key *keys;
	size_t n;
	bool ignore;		/* RBI_POLICY_NO_SIGNATURE */
};

static bool rbi_load_builtin_catalog(struct rbi_policy *p,
				     struct rbi_diags *diags)
{
	const struct rbi_embedded_file *e;
	static const char prefix[] = "policies/catalog/";
	size_t src = rbi_catalog_add(p, RBI_CATALOG_BUILTIN,
				     RBI_POLICY_BUILTIN);
	bool ok = src != RBI_LOCAL;
	char *text;

	for (e = rbi_embedded_files; ok && e->path; e++) {
		if (strncmp(e->path, prefix, sizeof(prefix) - 1))
			continue;
		text = malloc(e->len + 1);
		if (!text)
			return false;
		memcpy(text, e->data, e->len + 1);
		ok &= rbi_load_catalog_text(p, e->path, text, e->len, src,
					    diags);
	}
	/* Part of rbictl itself: trusted as the program is. */
	return ok && rbi_catalog_seal(p, src, NULL, 0, false, NULL, diags);
}

static int rbi_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .yaml files of a directory, sorted: load order never varies. */
static char **rbi_catalog_dir_files(const char *path, size_t *n_out)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir(path);

	*n_out = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") ||
		    de->d_name[0] == '.')
			continue;
		if (rbi_grow_to(&names, &cap, n + 2, sizeof(*names)) ||
		    asprintf(&names[n], "%s/%s", path, de->d_name) < 0)
			break;
		n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), rbi_cmp_str);
	*n_out = n;
	return names ? names : calloc(1, sizeof(*names));
}

static bool rbi_load_catalog_path(struct rbi_policy *p, const char *path,
				  const struct rbi_trust *trust,
				  const struct rbi_loc *at,
				  struct rbi_diags *diags)
{
	char **names, *text;
	size_t n, i, len, src;
	struct stat st;
	bool ok = true;

	if (stat(path, &st)) {
		rbi_diag_add(diags, RBI_DIAG_ERROR, at->file, at->line,
			     at->col, "catalogue '%s': %s", path,
			     strerror(errno));
		return false;
	}
	src = rbi_catalog_add(p, S_ISDIR(st.st_mode) ? RBI_CATALOG_DIR :
			      RBI_CATALOG_FILE, path);
	if (src == RBI_LOCAL)
		return false;
	if (!S_ISDIR(st.st_mode)) {
		text = rbi_read_file(path, &len, diags);
		ok = text && rbi_load_catalog_text(p, path, text, len, src,
						   diags);
		return ok && rbi_catalog_seal(p, src, trust->keys, trust->n,
					      !trust->ignore, at, diags);
	}
	names = rbi_catalog_dir_files(path, &n);
	if (!names) {
		rbi_diag_add(diags, RBI_DIAG_ERROR, at->file, at->line,
			     at->col, "catalogue '%s': %s", path,
			     strerror(errno));
		return false;
	}
	if (!n)
		rbi_diag_add(diags, RBI_DIAG_WARNING, at->file, at->line,
			     at->col, "catalogue directory '%s' has no .yaml "
			     "files", path);
	for (i = 0; i < n; i++) {
		text = rbi_read_file(names[i], &len, diags);
		ok &= text && rbi_load_catalog_text(p, names[i], text, len,
						    src, diags);
		free(names[i]);
	}
	free(names);
	return ok && rbi_catalog_seal(p, src, trust->keys, trust->n,
				      !trust->ignore, at, diags);
}

/* A path the policy names, relative to the policy's directory. */
static void rbi_policy_path(const char *dir, const char *s, char *path,
			    size_t len)
{
	if (s[0] == '/' || !dir)
		snprintf(path, len, "%s", s);
	else
		snprintf(path, len, "%s/%s", dir, s);
}

static bool rbi_read_trust(const struct rbi_yctx *y,
			   const struct rbi_ynode *cat, const char *dir,
			   struct rbi_trust *trust)
{
	struct rbi_ynode **items;
	char path[PATH_MAX], err[PATH_MAX + 256];
	size_t n, i;
	bool ok = true;

	if (!rbi_yget_list(y, cat, "trusted-keys", &items, &n, false))
		return false;
	if (rbi_ymap_get(cat, "trusted-keys") && !n) {
		rbi_yerr(y, rbi_ymap_get(cat, "trusted-keys"), "'trusted-keys' "
			 "is empty; list the verifier keys (.pub files) of "
			 "catalogue maintainers you trust, or leave it out");
		return false;
	}
	trust->keys = calloc(n ? n : 1, sizeof(*trust->keys));
	if (!trust->keys)
		return false;
	for (i = 0; i < n; i++) {
		rbi_policy_path(dir, items[i]->str, path, sizeof(path));
		if (!rbi_audit_vkey_load(path, &trust->keys[trust->n], err,
					 sizeof(err))) {
			trust->n++;
			continue;
		}
		rbi_yerr(y, items[i], "trusted key: %s", err);
		ok = false;
	}
	return ok;
}

/*
 * catalog.include adds to the built-in catalogue, which comes first unless
 * the list places it ("builtin") or replace-builtin drops it.
 */
static bool rbi_read_includes(struct rbi_policy *p, const struct rbi_yctx *y,
			      const struct rbi_ynode *cat, const char *dir,
			      const struct rbi_trust *trust)
{
	struct rbi_ynode **items = NULL;
	const struct rbi_ynode *at;
	char path[PATH_MAX];
	bool ok, placed = false;
	struct rbi_loc loc;
	size_t n = 0, i;

	ok = rbi_yget_list(y, cat, "include", &items, &n, false);
	for (i = 0; i < n; i++)
		placed |= !strcmp(items[i]->str, RBI_CATALOG_BUILTIN_WORD);
	at = rbi_ymap_get(cat, "replace-builtin");
	if (ok && placed && p->replaces_builtin) {
		rbi_yerr(y, at, "'replace-builtin: true' drops the built-in "
			 "catalogue, but 'include' lists '%s'; keep one",
			 RBI_CATALOG_BUILTIN_WORD);
		return false;
	}
	if (p->replaces_builtin)
		rbi_ywarn(y, at, "catalog.replace-builtin: the built-in "
			  "catalogue is not used, so only the services of %s "
			  "are blocked", n ? "the included catalogues and "
			  "catalog.services" : "catalog.services");
	if (ok && !placed && !p->replaces_builtin)
		ok = rbi_load_builtin_catalog(p, y->diags);
	for (i = 0; ok && i < n; i++) {
		if (!strcmp(items[i]->str, RBI_CATALOG_BUILTIN_WORD)) {
			ok = rbi_load_builtin_catalog(p, y->diags);
			continue;
		}
		rbi_loc_set(&loc, y->file, items[i]);
		rbi_policy_path(dir, items[i]->str, path, sizeof(path));
		ok = rbi_load_catalog_path(p, path, trust, &loc, y->diags);
	}
	return ok;
}

static bool rbi_read_catalog(struct rbi_policy *p, const struct rbi_yctx *y,
			     const struct rbi_ynode *root, const char *dir)
{
	struct rbi_ynode *cat = rbi_ymap_get(root, "catalog");
	struct rbi_trust trust = { NULL, 0, false };
	bool ok = true;

	if (cat && rbi_ynode_is_null(cat))
		cat = NULL;
	if (cat && !rbi_ymap_check(y, cat, "'catalog'", rbi_catalog_keys))
		return false;
	if (cat) {
		ok = rbi_yget_bool(y, cat, "replace-builtin",
				   &p->replaces_builtin, false);
		ok &= rbi_read_trust(y, cat, dir, &trust);
	}
	ok = ok && rbi_read_includes(p, y, cat, dir, &trust);
	free(trust.keys);
	if (cat) {
		ok &= rbi_catalog_read_local(p, y, cat);
		ok = ok && rbi_catalog_read_listed(p, y, cat);
	}
	return ok && rbi_catalog_settle(p, y->diags);
}

static bool rbi_read_prohibit(struct rbi_policy *p, const struct rbi_yctx *y,
			      const struct rbi_ynode *root)
{
	struct rbi_ynode *pr = rbi_ymap_get(root, "prohibit"), **items;
	bool ok = true;

	rbi_loc_set(&p->prohibit_loc, y->file, pr ? pr : root);
	if (!pr) {
		rbi_yerr(y, root, "missing required key 'prohibit': state the "
			 "prohibition (categories, timing, actors, exceptions)");
		return false;
	}
	if (!rbi_ymap_check(y, pr, "'prohibit'", rbi_prohibit_keys))
		return false;
	ok &= rbi_read_words(y, pr, "categories", "category",
			     rbi_category_words, &p->prohibited, true);
	ok &= rbi_read_words(y, pr, "timing", "timing", rbi_timing_words,
			     &p->timing, true);
	ok &= rbi_read_words(y, pr, "actors", "actor", rbi_actor_words,
			     &p->actors, true);
	ok &= rbi_yget_list(y, pr, "exceptions", &items, &p->n_exceptions,
			    false);
	return ok;
}

static bool rbi_read_enforce(struct rbi_policy *p, const struct rbi_yctx *y,
			     const struct rbi_ynode *root)
{
	struct rbi_ynode *en = rbi_ymap_get(root, "enforce");
	unsigned int i, v, closed_open = 0;
	bool ok = true;

	if (!en || rbi_ynode_is_null(en))
		return true;
	if (!rbi_ymap_check(y, en, "'enforce'", rbi_enforce_keys))
		return false;
	for (i = 0; i < __RBI_ENF_MAX; i++) {
		v = RBI_MODE_BLOCK;
		ok &= rbi_yget_enum(y, en, rbi_enforce_keys[i],
				    i == RBI_ENF_SHARED_HOSTS ?
				    rbi_shared_words : rbi_mode_words, &v);
		p->mode[i] = (uint8_t)v;
		rbi_loc_set(&p->mode_loc[i], y->file,
			    rbi_ymap_get(en, rbi_enforce_keys[i]));
	}
	ok &= rbi_yget_enum(y, en, "on-failure", rbi_failure_words,
			    &closed_open);
	p->fail_closed = closed_open == 0;
	rbi_loc_set(&p->on_failure_loc, y->file, rbi_ymap_get(en, "on-failure"));
	return ok;
}

static bool rbi_read_audit(struct rbi_policy *p, const struct rbi_yctx *y,
			   const struct rbi_ynode *root)
{
	struct rbi_ynode *au = rbi_ymap_get(root, "audit");
	bool ok = true;

	if (!au || rbi_ynode_is_null(au))
		return true;
	if (!rbi_ymap_check(y, au, "'audit'", rbi_audit_keys))
		return false;
	ok &= rbi_yget_str(y, au, "dir", &p->audit.dir, false);
	ok &= rbi_yget_str(y, au, "origin", &p->audit.origin, false);
	ok &= rbi_yget_str(y, au, "key", &p->audit.key, false);
	ok &= rbi_yget_duration(y, au, "heartbeat", RBI_HEARTBEAT_MIN,
				RBI_HEARTBEAT_MAX, &p->audit.heartbeat);
	ok &= rbi_yget_duration(y, au, "retention", 86400, RBI_RETENTION_MAX,
				&p->audit.retention);
	if (p->audit.origin && (strchr(p->audit.origin, ' ') ||
				strchr(p->audit.origin, '+') ||
				!*p->audit.origin)) {
		rbi_yerr(y, rbi_ymap_get(au, "origin"), "'origin' must be "
			 "non-empty with no spaces and no '+', such as "
			 "gw1.city.example/rbiblock");
		ok = false;
	}
	return ok;
}

static bool rbi_read_version(const struct rbi_yctx *y,
			     const struct rbi_ynode *root)
{
	struct rbi_ynode *v = rbi_ymap_get(root, "rbiblock");

	if (!v) {
		rbi_yerr(y, root, "missing 'rbiblock: 1' (the schema version) "
			 "at the top of the policy");
		return false;
	}
	if (v->kind != RBI_Y_SCALAR || strcmp(v->str, "1")) {
		rbi_yerr(y, v, "unsupported schema version '%s'; this rbictl "
			 "reads 'rbiblock: 1'",
			 v->kind == RBI_Y_SCALAR ? v->str : "?");
		return false;
	}
	return true;
}

static void rbi_policy_defaults(struct rbi_policy *p, const char *file)
{
	const char *base = strrchr(file, '/');
	char *dot;

	p->fail_closed = true;
	p->audit.heartbeat = 60;
	p->audit.retention = 400 * 86400;
	p->audit.dir = strdup("/var/lib/rbiblock/audit");
	p->audit.key = strdup("/etc/rbiblock/audit.key");
	p->audit.origin = strdup("rbiblock.invalid/gateway");
	p->name = strdup(base ? base + 1 : file);
	dot = p->name ? strrchr(p->name, '.') : NULL;
	if (dot && dot != p->name)
		*dot = '\0';
}

static bool rbi_read_policy(struct rbi_policy *p, const struct rbi_yctx *y,
			    const struct rbi_ynode *root, const char *dir)
{
	struct rbi_ynode *seq;
	bool ok;

	if (!rbi_ymap_check(y, root, "the policy", rbi_policy_keys))
		return false;
	ok = rbi_read_version(y, root);
	ok &= rbi_yget_str(y, root, "name", &p->name, false);
	ok &= rbi_yget_str(y, root, "basis", &p->basis, false);
	if (!p->basis) {
		rbi_ywarn(y, root, "no 'basis': audit records will not say "
			  "which legal text the policy implements");
		p->basis = strdup("");
	}
	ok &= rbi_read_prohibit(p, y, root);
	ok &= rbi_read_seq(y, root, "zones", &seq);
	if (seq)
		ok &= RBI_READ_LIST(y, seq, &p->zones, &p->n_zones,
				    rbi_read_zone);
	if (!p->n_zones && ok)
		rbi_ywarn(y, root, "no 'zones': nothing is protected; add the "
			  "camera networks as zones");
	ok &= rbi_read_seq(y, root, "recorders", &seq);
	if (seq)
		ok &= RBI_READ_LIST(y, seq, &p->recorders, &p->n_recorders,
				    rbi_read_recorder);
	ok &= rbi_read_seq(y, root, "resolvers", &seq);
	if (seq)
		ok &= RBI_READ_LIST(y, seq, &p->resolvers, &p->n_resolvers,
				    rbi_read_resolver);
	ok &= rbi_read_enforce(p, y, root);
	ok &= rbi_read_audit(p, y, root);
	ok &= rbi_read_catalog(p, y, root, dir);
	return ok;
}

/* The catalogue's digest, the checks, and the compiled classifier. */
static bool rbi_policy_complete(struct rbi_policy *p, unsigned int flags,
				struct rbi_diags *diags)
{
	struct rbi_buf cat = RBI_BUF_INIT;
	size_t i = p->n_catalogs ? p->catalogs[0].first_file : p->n_files;

	for (; i < p->n_files; i++) {
		rbi_buf_printf(&cat, "%s\n%zu\n", p->files[i].path,
			       p->files[i].len);
		rbi_buf_add(&cat, p->files[i].text, p->files[i].len);
	}
	rbi_sha256_hex(rbi_buf_str(&cat), cat.len, p->catalog_sha256_hex);
	rbi_buf_free(&cat);
	if (!rbi_policy_finish(p) || !rbi_policy_check(p, flags, diags))
		return false;
	p->config = rbi_policy_compile(p, diags);
	return p->config != NULL;
}

struct rbi_policy *rbi_policy_load_text(const char *file, const char *text,
					size_t len, unsigned int flags,
					struct rbi_diags *diags)
{
	struct rbi_policy *p = calloc(1, sizeof(*p));
	char *copy = malloc(len + 1), *dir = NULL;
	const char *slash;
	struct rbi_ydoc doc;
	struct rbi_yctx y;
	struct rbi_file *f;
	bool ok = false;

	if (!p || !copy) {
		free(p);
		free(copy);
		return NULL;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	rbi_policy_defaults(p, file);
	f = rbi_policy_add_file(p, file, copy, len);
	if (!f) {
		free(copy);
		goto out;
	}
	rbi_sha256_hex(text, len, p->sha256_hex);
	y.file = f->path;
	y.diags = diags;
	if (!rbi_yaml_parse(&doc, f->path, f->text, f->len, diags))
		goto out;
	if (!doc.root) {
		rbi_diag_add(diags, RBI_DIAG_ERROR, f->path, 0, 0,
			     "the policy is empty; start from "
			     "policies/default.yaml");
		rbi_yaml_free(&doc);
		goto out;
	}
	/* Includes are relative to the policy's directory, if it has one. */
	slash = strrchr(file, '/');
	if (slash)
		dir = strndup(file, (size_t)(slash - file));
	ok = rbi_read_policy(p, &y, doc.root, dir);
	rbi_yaml_free(&doc);
	free(dir);
	ok = ok && rbi_policy_complete(p, flags, diags);
out:
	if (!ok) {
		rbi_policy_free(p);
		return NULL;
	}
	return p;
}

struct rbi_policy *rbi_policy_load(const char *path, unsigned int flags,
				   struct rbi_diags *diags)
{
	const struct rbi_embedded_file *e;
	struct rbi_policy *p;
	size_t len;
	char *text;

	if (!path) {
		e = rbi_embedded_find("policies/default.yaml");
		if (!e) {
			rbi_diag_add(diags, RBI_DIAG_ERROR, "rbictl", 0, 0,
				     "built without a default policy");
			return NULL;
		}
		return rbi_policy_load_text(e->path, e->data, e->len, flags,
					    diags);
	}
	text = rbi_read_file(path, &len, diags);
	if (!text)
		return NULL;
	p = rbi_policy_load_text(path, text, len, flags, diags);
	free(text);
	return p;
}

struct rbi_policy *rbi_catalog_load(const char *path,
				    const char *const *trusted,
				    size_t n_trusted, unsigned int flags,
				    struct rbi_diags *diags)
{
	struct rbi_policy *p = calloc(1, sizeof(*p));
	struct rbi_trust trust = { NULL, 0,
				   (flags & RBI_POLICY_NO_SIGNATURE) != 0 };
	struct rbi_loc at = { path, 0, 0 };
	char err[PATH_MAX + 256];
	bool ok;
	size_t i;

	if (!p)
		return NULL;
	rbi_policy_defaults(p, path ? path : RBI_POLICY_BUILTIN);
	trust.keys = calloc(n_trusted + 1, sizeof(*trust.keys));
	ok = trust.keys != NULL;
	for (i = 0; ok && i < n_trusted; i++) {
		if (!rbi_audit_vkey_load(trusted[i], &trust.keys[trust.n],
					 err, sizeof(err))) {
			trust.n++;
			continue;
		}
		rbi_diag_add(diags, RBI_DIAG_ERROR, trusted[i], 0, 0, "%s",
			     err);
		ok = false;
	}
	if (ok && (!path || !strcmp(path, RBI_CATALOG_BUILTIN_WORD)))
		ok = rbi_load_builtin_catalog(p, diags);
	else if (ok)
		ok = rbi_load_catalog_path(p, path, &trust, &at, diags);
	free(trust.keys);
	ok = ok && rbi_catalog_settle(p, diags) &&
	     rbi_policy_complete(p, flags | RBI_POLICY_NO_PROHIBITION, diags);
	if (!ok) {
		rbi_policy_free(p);
		return NULL;
	}
	return p;
}

const char *rbi_policy_default_path(void)
{
	return access(RBI_POLICY_DEFAULT_PATH, F_OK) ? NULL :
	       RBI_POLICY_DEFAULT_PATH;
}

struct rbi_policy *rbi_policy_load_report(const char *path,
					  unsigned int flags, FILE *f)
{
	struct rbi_policy *p;
	struct rbi_diags d;

	rbi_diags_init(&d);
	p = rbi_policy_load(path ? path : rbi_policy_default_path(), flags,
			    &d);
	rbi_diags_print(&d, f);
	rbi_diags_free(&d);
	return p;
}

void rbi_policy_free(struct rbi_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n_zones; i++) {
		free(p->zones[i].name);
		free(p->zones[i].nets);
	}
	free(p->zones);
	for (i = 0; i < p->n_recorders; i++) {
		free(p->recorders[i].name);
		free(p->recorders[i].nets);
		free(p->recorders[i].ports);
	}
	free(p->recorders);
	for (i = 0; i < p->n_resolvers; i++) {
		free(p->resolvers[i].name);
		free(p->resolvers[i].nets);
	}
	free(p->resolvers);
	for (i = 0; i < p->n_services; i++)
		rbi_service_free(&p->services[i]);
	free(p->services);
	for (i = 0; i < p->n_doh; i++)
		rbi_service_free(&p->doh[i]);
	free(p->doh);
	for (i = 0; i < p->n_retired; i++)
		rbi_service_free(&p->retired[i]);
	free(p->retired);
	for (i = 0; i < p->n_exclusions; i++)
		rbi_exclusion_free(&p->exclusions[i]);
	free(p->exclusions);
	for (i = 0; i < p->n_catalogs; i++) {
		free(p->catalogs[i].path);
		free(p->catalogs[i].version);
		free(p->catalogs[i].date);
		free(p->catalogs[i].maintainer);
		free(p->catalogs[i].signer);
		free(p->catalogs[i].unchecked);
	}
	free(p->catalogs);
	for (i = 0; i < __RBI_RULE_MAX; i++)
		free(p->rules[i].basis);
	rbi_config_free(p->config);
	free(p->pattern_refs);
	free(p->net_refs);
	for (i = 0; i < p->n_files; i++) {
		free(p->files[i].path);
		free(p->files[i].text);
	}
	free(p->files);
	free(p->name);
	free(p->basis);
	free(p->audit.dir);
	free(p->audit.origin);
	free(p->audit.key);
	free(p);
}
