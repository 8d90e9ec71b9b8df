// SPDX-License-Identifier: GPL-2.0 OR MIT
/* rbictl init: a gateway's first policy and audit key. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/key.h"
#include "audit/store.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "policy/embedded.h"
#include "policy/init.h"

const char rbi_help_init[] =
"Writes this gateway's first policy, with its camera networks, and the\n"
"audit log's signing key; checks the policy and says what to run next.\n"
"The policy is the chosen example's (its name, basis, prohibition,\n"
"enforce and audit settings, with their comments) with the zones and\n"
"recorders given here: the example's own zones, recorders and local\n"
"catalogue entries describe another site and are left out.\n"
"\n"
"  --zone NAME=NET[,NET...]\n"
"                      a publicly accessible camera network (at least\n"
"                      one; repeat the option for more zones)\n"
"  --private-zone NAME=NET[,NET...]\n"
"                      cameras that are not publicly accessible: outside\n"
"                      the prohibition, left alone\n"
"  --recorder NAME=NET[,NET...][@PORT[,PORT...]]\n"
"                      where video may go (a VMS, an archive), on those\n"
"                      ports only when they are given\n"
"  --example NAME|FILE\n"
"                      default (the built-in policy's basis), city,\n"
"                      stadium, or a policy file (default: default)\n"
"  --origin ORIGIN     the audit log's name (default: HOSTNAME/rbiblock)\n"
"  --name NAME         the policy's name (default: the example's)\n"
"  -o, --output FILE   the policy to write (default:\n"
"                      " RBI_POLICY_DEFAULT_PATH ")\n"
"  --force             replace a policy that already names a publicly\n"
"                      accessible zone (the old one is kept as FILE.old)\n"
"\n"
"A policy without a publicly accessible zone, such as the one the\n"
"package installs, is replaced without --force. The key is the policy's\n"
"audit.key (default /etc/rbiblock/audit.key, mode 0600) with its public\n"
"half beside it (.pub) for verifiers; an existing key is kept. The audit\n"
"directory is created (mode 0750).\n"
"\n"
"Example:\n"
"  rbictl init --zone squares=10.20.0.0/16,2001:db8:20::/48 \\\n"
"      --private-zone staff=10.30.5.0/24 --recorder vms=10.10.0.5@554,443\n"
"\n"
"Exit status: 0 written, 1 the result is invalid or a file could not be\n"
"written, 2 usage error.";

enum {
	RBI_INIT_PATH_MAX = 4096,
	RBI_INIT_ERR_MAX = 512,
};

#define RBI_INIT_EXAMPLES	"policies/examples/"

/*
 * The example's text: built in by name, else a policy file, loaded to
 * say where it is wrong if it is.
 */
static char *rbi_init_example(const char *example)
{
	const struct rbi_embedded_file *e;
	char path[RBI_INIT_PATH_MAX];
	struct rbi_policy *p;
	struct rbi_diags d;
	char *text = NULL;
	size_t n = strlen(RBI_INIT_EXAMPLES);

	if (!strcmp(example, "default"))
		snprintf(path, sizeof(path), "policies/default.yaml");
	else
		snprintf(path, sizeof(path), RBI_INIT_EXAMPLES "%s.yaml",
			 example);
	e = strchr(example, '/') ? NULL : rbi_embedded_find(path);
	if (e)
		return strdup(e->data);
	rbi_diags_init(&d);
	p = rbi_policy_load(example, RBI_POLICY_NO_PROHIBITION, &d);
	rbi_diags_print(&d, stderr);
	rbi_diags_free(&d);
	if (p) {
		text = strndup(p->files[0].text, p->files[0].len);
		rbi_policy_free(p);
		return text;
	}
	fprintf(stderr, "rbictl init: --example takes default, ");
	for (e = rbi_embedded_files; e->path; e++)
		if (!strncmp(e->path, RBI_INIT_EXAMPLES, n))
			fprintf(stderr, "%.*s, ", (int)(strlen(e->path) - n - 5),
				e->path + n);
	fprintf(stderr, "or a policy file\n");
	return NULL;
}

/* Makes the directory dir[0..len) and its parents, as mkdir -p. */
static int rbi_init_mkdirs(const char *dir, size_t len, mode_t mode)
{
	char buf[RBI_INIT_PATH_MAX];
	size_t i;

	if (len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, dir, len);
	buf[len] = '\0';
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) && errno != EEXIST)
			return -1;
		if (i < len)
			buf[i] = '/';
	}
	return 0;
}

/* Makes the directory that file is to be in. */
static int rbi_init_parent(const char *file, mode_t mode)
{
	const char *slash = strrchr(file, '/');

	return slash && slash != file ?
	       rbi_init_mkdirs(file, (size_t)(slash - file), mode) : 0;
}

/* A policy at path that names a publicly accessible zone. */
static bool rbi_init_configured(const char *path)
{
	struct rbi_policy *p;
	struct rbi_diags d;
	bool zones = false;
	size_t i;

	rbi_diags_init(&d);
	p = rbi_policy_load(path, RBI_POLICY_NO_PROHIBITION, &d);
	for (i = 0; p && i < p->n_zones; i++)
		zones |= p->zones[i].public;
	rbi_policy_free(p);
	rbi_diags_free(&d);
	return zones;
}

/*
 * The audit key: the one there is, or a new one; line gets its verifier
 * key, *made whether it is new.
 */
static int rbi_init_key(const struct rbi_policy *p, char *pub,
			struct rbi_buf *line, bool *made)
{
	const char *key = p->audit.key, *dot = strrchr(key, '.');
	char err[RBI_INIT_PATH_MAX + 256];
	struct rbi_audit_key k;
	int rc;

	*made = false;
	snprintf(pub, RBI_INIT_PATH_MAX, "%.*s.pub",
		 dot && !strcmp(dot, ".key") ? (int)(dot - key) :
		 (int)strlen(key), key);
	if (!access(key, F_OK)) {
		rc = rbi_audit_key_load(key, &k, err, sizeof(err));
	} else if (rbi_init_parent(key, 0755)) {
		snprintf(err, sizeof(err), "%s", strerror(errno));
		rc = -1;
	} else if (rbi_audit_key_generate(p->audit.origin, &k)) {
		snprintf(err, sizeof(err), "no random key: libcrypto failed");
		rc = -1;
	} else {
		rc = rbi_audit_key_save(&k, key, pub, err, sizeof(err));
		*made = !rc;
	}
	if (rc) {
		fprintf(stderr, "rbictl init: audit key %s: %s\n", key, err);
		return -1;
	}
	rbi_audit_vkey_format(&k, line);
	if (strcmp(k.name, p->audit.origin))
		rbi_buf_printf(line, "\n  (the key is named %s, the log %s)",
			       k.name, p->audit.origin);
	memset(&k, 0, sizeof(k));
	return 0;
}

/* The policy file, replaced at once; with --force the old one is kept. */
static int rbi_init_write(const char *path, const struct rbi_buf *text,
			  bool keep_old)
{
	char dir[RBI_INIT_PATH_MAX], old[RBI_INIT_PATH_MAX + 8];
	const char *slash = strrchr(path, '/');
	int fd, rc;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1,
		 slash ? path : ".");
	snprintf(old, sizeof(old), "%s.old", path);
	if (rbi_init_parent(path, 0755))
		return -1;
	if (keep_old) {
		unlink(old);
		if (link(path, old))
			return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = rbi_audit_replace_file(fd, slash ? slash + 1 : path, text->data,
				    text->len);
	close(fd);
	return rc ? -1 : 0;
}

static void rbi_init_next(const char *cmd, const char *path,
			  const char *what)
{
	char line[RBI_INIT_PATH_MAX + 64];

	snprintf(line, sizeof(line), "rbictl %s%s%s", cmd, path ? " -p " : "",
		 path ? path : "");
	printf("  %-38s %s\n", line, what);
}

static void rbi_init_summary(const struct rbi_policy *p, const char *path,
			     const char *example, unsigned int warnings,
			     const char *pub, const struct rbi_buf *vkey,
			     bool made)
{
	const char *other = strcmp(path, RBI_POLICY_DEFAULT_PATH) ? path : NULL;
	size_t i;

	printf("wrote %s from the example '%s': policy %s, valid, %u "
	       "warnings\n", path, example, p->name, warnings);
	for (i = 0; i < p->n_zones; i++)
		printf("  zone %s: %s\n", p->zones[i].name,
		       p->zones[i].public ? "publicly accessible" :
		       "not publicly accessible: left alone");
	for (i = 0; i < p->n_recorders; i++)
		printf("  recorder %s\n", p->recorders[i].name);
	printf("audit log: %s, origin %s\naudit key: %s (%s, mode 0600); "
	       "give verifiers %s:\n  %s\nnext:\n", p->audit.dir,
	       p->audit.origin, p->audit.key, made ? "new" : "kept", pub,
	       rbi_buf_str(vkey));
	rbi_init_next("policy show", other, "what will be blocked");
	if (other)
		rbi_init_next("run", other, "enforce it");
	else
		printf("  %-38s %s\n  %-38s %s\n",
		       "systemctl enable --now rbiblock",
		       "enforce it, now and at every boot", "",
		       "(without systemd: rbictl run)");
	rbi_init_next("status", NULL, "what is enforced, and what is not");
}

static int rbi_init_parts(const struct rbi_cmd *cmd, struct rbi_init *in,
			  const struct rbi_cli_list *lists)
{
	static const char *const opt[__RBI_INIT_KIND_MAX] = {
		[RBI_INIT_ZONE] = "--zone",
		[RBI_INIT_PRIVATE_ZONE] = "--private-zone",
		[RBI_INIT_RECORDER] = "--recorder",
	};
	char err[RBI_INIT_ERR_MAX];
	size_t i;
	int k;

	for (k = 0; k < __RBI_INIT_KIND_MAX; k++)
		for (i = 0; i < lists[k].n; i++)
			if (rbi_init_add(in, k, lists[k].v[i], err,
					 sizeof(err)))
				return rbi_cli_usage(cmd, "%s: %s", opt[k],
						     err);
	return 0;
}

/*
 * Checks the policy made and everything it is to be written over, then
 * writes the audit directory, the key and the policy, in that order: a
 * policy is in place only with its key.
 */
static int rbi_init_save(const char *path, const char *example,
			 const struct rbi_buf *text, bool force)
{
	bool existed = !access(path, F_OK), made;
	struct rbi_buf vkey = RBI_BUF_INIT;
	char pub[RBI_INIT_PATH_MAX];
	struct rbi_policy *p;
	struct rbi_diags d;
	int rc = RBI_EXIT_FAIL;

	rbi_diags_init(&d);
	p = rbi_policy_load_text(path, text->data, text->len, 0, &d);
	rbi_diags_print(&d, stderr);
	if (!p) {
		fprintf(stderr, "rbictl init: the policy made from '%s' is "
			"invalid; nothing was written\n", example);
	} else if (existed && !force && rbi_init_configured(path)) {
		fprintf(stderr, "rbictl init: %s already names a publicly "
			"accessible zone; --force replaces it (keeping it as "
			"%s.old)\n", path, path);
	} else if (rbi_init_mkdirs(p->audit.dir, strlen(p->audit.dir),
				   0750)) {
		fprintf(stderr, "rbictl init: audit directory %s: %s\n",
			p->audit.dir, strerror(errno));
	} else if (!rbi_init_key(p, pub, &vkey, &made)) {
		if (rbi_init_write(path, text, existed && force)) {
			fprintf(stderr, "rbictl init: %s: %s\n", path,
				strerror(errno));
		} else {
			rbi_init_summary(p, path, example, d.warnings, pub,
					 &vkey, made);
			rc = RBI_EXIT_OK;
		}
	}
	rbi_buf_free(&vkey);
	rbi_diags_free(&d);
	rbi_policy_free(p);
	return rc;
}

int rbi_cmd_init(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("init");
	struct rbi_cli_list lists[__RBI_INIT_KIND_MAX] = { 0 };
	const char *example = "default", *path = RBI_POLICY_DEFAULT_PATH;
	char origin[RBI_AUDIT_NAME_MAX], host[128] = "", err[RBI_INIT_ERR_MAX];
	struct rbi_buf text = RBI_BUF_INIT;
	struct rbi_init in = { 0 };
	bool force = false;
	char *ex = NULL;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_LIST("zone", 0, &lists[RBI_INIT_ZONE]),
		RBI_CLI_LIST("private-zone", 0, &lists[RBI_INIT_PRIVATE_ZONE]),
		RBI_CLI_LIST("recorder", 0, &lists[RBI_INIT_RECORDER]),
		RBI_CLI_VALUE("example", 0, &example),
		RBI_CLI_VALUE("origin", 0, &in.origin),
		RBI_CLI_VALUE("name", 0, &in.name),
		RBI_CLI_VALUE("output", 'o', &path),
		RBI_CLI_FLAG("force", 0, &force),
		RBI_CLI_END
	};
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 0, 0, NULL);

	if (rc >= 0)
		return rc;
	if (!lists[RBI_INIT_ZONE].n)
		return rbi_cli_usage(cmd, "at least one --zone is needed: the "
				     "publicly accessible camera networks");
	if (!in.origin) {
		gethostname(host, sizeof(host) - 1);
		snprintf(origin, sizeof(origin), "%s/rbiblock",
			 host[0] ? host : "gateway");
		in.origin = origin;
	}
	if (!rbi_audit_name_valid(in.origin, strlen(in.origin)))
		return rbi_cli_usage(cmd, "--origin '%s' may hold no spaces "
				     "or '+'", in.origin);
	rc = rbi_init_parts(cmd, &in, lists);
	if (!rc) {
		rc = RBI_EXIT_FAIL;
		ex = rbi_init_example(example);
	}
	if (ex && rbi_init_text(&in, ex, example, &text, err, sizeof(err)))
		fprintf(stderr, "rbictl init: example '%s': %s\n", example,
			err);
	else if (ex)
		rc = rbi_init_save(path, example, &text, force);
	rbi_buf_free(&text);
	rbi_init_free(&in);
	free(ex);
	return rc;
}
