// SPDX-License-Identifier: GPL-2.0 OR MIT
/* rbictl catalog list | show | lint | diff | sign | verify */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "audit/key.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "policy/catdiff.h"
#include "policy/describe.h"
#include "policy/lint.h"
#include "policy/manifest.h"
#include "util/plural.h"

#define RBI_CATALOG_WHICH						\
"  -p, --policy FILE   the catalogue a policy uses: the built-in one and\n" \
"                      what it includes, with its own services (default:\n" \
"                      /etc/rbiblock/policy.yaml if it exists)\n"	\
"  -c, --catalog PATH  a catalogue alone: a directory, a file, or\n"	\
"                      'builtin' (the default without a policy)\n"

const char rbi_help_catalog_list[] =
"Lists the catalogue's entries, one a line: id, kind (service, resolver,\n"
"retired, exclusion), categories (RBI remote biometric identification,\n"
"CAT biometric categorisation, EMO emotion recognition), whether its\n"
"hosts are shared, its confidence, lifecycle, jurisdiction and the date\n"
"of its newest evidence. Then each catalogue source with its release,\n"
"digest and signer.\n"
"\n"
RBI_CATALOG_WHICH
"  --json              one JSON object: catalogs, services, resolvers,\n"
"                      retired, exclusions\n"
"\n"
"Exit status: 0, 1 when the catalogue does not load, 2 usage error.";

const char rbi_help_catalog_show[] =
"Shows one entry with every fact and the evidence behind it: who runs it\n"
"and where, each category with the operation that provides it, each name\n"
"pattern (shared or not, confirmed or not), networks and ports with their\n"
"protocol, the lifecycle, operator-listed names, every piece of evidence\n"
"(URL or repository path, kind, retrieved date, what it shows) and the\n"
"names it must and must not match. Exclusions show their reason.\n"
"\n"
RBI_CATALOG_WHICH
"  --json              the entry as one JSON object\n"
"\n"
"Exit status: 0, 1 when there is no such entry or the catalogue does not\n"
"load, 2 usage error.";

const char rbi_help_catalog_lint[] =
"Checks a catalogue as its reviewer would, beyond what loading refuses.\n"
"Errors: a name, category, network or lifecycle that cites no evidence,\n"
"an entry with only free-text sources, a category without its operation,\n"
"evidence dated after today, a test name that matches the wrong entry,\n"
"and a name an exclusion leaves out that some entry blocks. Warnings:\n"
"no company or jurisdiction, no test names, newest evidence older than a\n"
"year, a lifecycle that says retired while the entry is still blocked,\n"
"ports without a protocol, evidence cited by nothing, and names or\n"
"networks that two entries both match.\n"
"\n"
RBI_CATALOG_WHICH
"  --pub FILE          check the catalogue's signature with this verifier\n"
"                      key (a .pub file)\n"
"  --today DATE        judge dates as of DATE (YYYY-MM-DD), not today\n"
"  --strict            warnings count as findings\n"
"\n"
"Messages have the form FILE:LINE:COL: error: MESSAGE (or warning:).\n"
"Exit status: 0 clean, 1 findings (or the catalogue does not load), 2\n"
"usage error.";

const char rbi_help_catalog_diff[] =
"Compares two catalogues for a reviewer: entries added (+) and removed\n"
"(-), and for each changed entry (~) every fact that changed, one a line:\n"
"names, categories and their operations, networks, ports, shared,\n"
"confidence, lifecycle, operator, evidence. OLD and NEW are catalogue\n"
"directories or files, or 'builtin'.\n"
"\n"
"  --json              one JSON object: old, new, and the changes\n"
"\n"
"Exit status: 0 the same, 1 different, 2 trouble (as diff(1)).";

const char rbi_help_catalog_sign[] =
"Signs a catalogue directory for release: writes DIR/catalog.manifest, a\n"
"C2SP signed note (the audit log's format and keys) over the release\n"
"version and every .yaml file's SHA-256. The catalogue must load, and\n"
"carry a release (release: {version, date}). A policy that lists the\n"
"matching verifier key in catalog.trusted-keys then takes the directory\n"
"only while every file matches what was signed.\n"
"\n"
"  --key FILE          the private key (from rbictl keygen)\n"
"\n"
"Exit status: 0 signed, 1 failed, 2 usage error.";

const char rbi_help_catalog_verify[] =
"Verifies a catalogue directory's signed manifest with a verifier key,\n"
"as a policy that trusts the key would, and says who signed it and what\n"
"changed since if it no longer matches.\n"
"\n"
"  --pub FILE          the maintainer's verifier key (.pub)\n"
"\n"
"Exit status: 0 signed by that key and unchanged, 1 not, 2 usage error.";

/* What the commands that read a catalogue share. */
struct rbi_catalog_args {
	const char *policy;
	const char *catalog;
	const char *pub;
	bool json;
};

static struct rbi_policy *rbi_catalog_open(const struct rbi_cmd *cmd,
					   const struct rbi_catalog_args *a,
					   int *rc)
{
	const char *path = a->policy ? a->policy : rbi_policy_default_path();
	struct rbi_policy *p;
	struct rbi_diags d;

	if (a->policy && a->catalog) {
		*rc = rbi_cli_usage(cmd, "give -p POLICY or -c CATALOG, not "
				    "both");
		return NULL;
	}
	rbi_diags_init(&d);
	if (a->catalog || !path)
		p = rbi_catalog_load(a->catalog, &a->pub, a->pub ? 1 : 0, 0,
				     &d);
	else
		p = rbi_policy_load(path, RBI_POLICY_NO_PROHIBITION, &d);
	rbi_diags_print(&d, stderr);
	rbi_diags_free(&d);
	*rc = p ? RBI_EXIT_OK : RBI_EXIT_FAIL;
	return p;
}

/* What rbi_catalog_open() read, for messages. */
static const char *rbi_catalog_name(const struct rbi_catalog_args *a)
{
	if (a->catalog)
		return a->catalog;
	if (a->policy || rbi_policy_default_path())
		return a->policy ? a->policy : rbi_policy_default_path();
	return "built-in catalogue";
}

/* "RBI,CAT,EMO" */
static void rbi_cats_short(uint32_t cats, char *buf, size_t len)
{
	static const char *const abbr[__RBI_CAT_MAX] = { "RBI", "CAT", "EMO" };
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < __RBI_CAT_MAX; i++)
		if (cats & RBI_CAT_BIT(i))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				 *buf ? "," : "", abbr[i]);
}

static void rbi_list_row(const struct rbi_service *s, const char *kind)
{
	char cats[16];

	if (s->local)
		return;
	rbi_cats_short(s->categories, cats, sizeof(cats));
	printf("%-30s %-9s %-11s %-6s %-11s %-23s %-7s %s\n", s->id, kind,
	       *cats ? cats : "-", s->shared ? "shared" : "no",
	       s->unconfirmed ? "unconfirmed" : "confirmed",
	       rbi_lifecycle_name(s->life.status),
	       s->jurisdiction ? s->jurisdiction : "-",
	       *rbi_service_newest(s) ? rbi_service_newest(s) : "-");
}

static void rbi_list_text(const struct rbi_policy *p)
{
	struct rbi_buf b = RBI_BUF_INIT;
	size_t i;

	printf("%-30s %-9s %-11s %-6s %-11s %-23s %-7s %s\n", "ID", "KIND",
	       "CATEGORIES", "SHARED", "CONFIDENCE", "LIFECYCLE", "COUNTRY",
	       "EVIDENCE");
	for (i = 0; i < p->n_services; i++)
		rbi_list_row(&p->services[i], "service");
	for (i = 0; i < p->n_doh; i++)
		rbi_list_row(&p->doh[i], "resolver");
	for (i = 0; i < p->n_retired; i++)
		rbi_list_row(&p->retired[i], "retired");
	for (i = 0; i < p->n_exclusions; i++)
		printf("%-30s %-9s %s\n", p->exclusions[i].id, "exclusion",
		       "not prohibited: see rbictl catalog show");
	for (i = 0; i < p->n_catalogs; i++) {
		rbi_buf_reset(&b);
		rbi_catalog_describe(&p->catalogs[i], &b);
		printf("%s%s\n", i ? "" : "\n", rbi_buf_str(&b));
	}
	rbi_buf_free(&b);
}

static void rbi_list_json_arr(struct rbi_json *j, const char *key,
			      const struct rbi_policy *p,
			      const struct rbi_service *v, size_t n)
{
	size_t i;

	rbi_json_key(j, key);
	rbi_json_arr_begin(j);
	for (i = 0; i < n; i++)
		if (!v[i].local)
			rbi_service_json(p, &v[i], false, j);
	rbi_json_arr_end(j);
}

static void rbi_list_json(const struct rbi_policy *p)
{
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_json j;
	size_t i;

	rbi_json_init(&j, &out);
	rbi_json_obj_begin(&j);
	rbi_json_kstr(&j, "catalog_sha256", p->catalog_sha256_hex);
	rbi_json_key(&j, "catalogs");
	rbi_catalogs_json(p, &j);
	rbi_list_json_arr(&j, "services", p, p->services, p->n_services);
	rbi_list_json_arr(&j, "doh_resolvers", p, p->doh, p->n_doh);
	rbi_list_json_arr(&j, "retired", p, p->retired, p->n_retired);
	rbi_json_key(&j, "exclusions");
	rbi_json_arr_begin(&j);
	for (i = 0; i < p->n_exclusions; i++)
		rbi_exclusion_json(&p->exclusions[i], &j);
	rbi_json_arr_end(&j);
	rbi_json_obj_end(&j);
	printf("%s\n", rbi_buf_str(&out));
	rbi_buf_free(&out);
}

#define RBI_CATALOG_OPTS(a)						\
	RBI_CLI_POLICY(&(a)->policy),					\
	RBI_CLI_VALUE("catalog", 'c', &(a)->catalog)

int rbi_cmd_catalog_list(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("catalog list");
	struct rbi_catalog_args a = { 0 };
	const struct rbi_cli_opt opts[] = {
		RBI_CATALOG_OPTS(&a),
		RBI_CLI_FLAG("json", 0, &a.json),
		RBI_CLI_END
	};
	struct rbi_policy *p;
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 0, 0, NULL);

	if (rc >= 0)
		return rc;
	p = rbi_catalog_open(cmd, &a, &rc);
	if (!p)
		return rc;
	if (a.json)
		rbi_list_json(p);
	else
		rbi_list_text(p);
	rbi_policy_free(p);
	return RBI_EXIT_OK;
}

static void rbi_show_cites(const struct rbi_cites *c,
			   const struct rbi_evidence *ev)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		printf("%s%s", i ? ", " : " [", ev[c->v[i]].id);
	printf("%s\n", c->n ? "]" : "  (no evidence)");
}

static void rbi_show_evidence(const struct rbi_evidence *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		printf("    [%s] %s, retrieved %s\n        %s%s%s\n        "
		       "shows: %s\n", v[i].id,
		       rbi_evidence_kind_name(v[i].kind),
		       v[i].retrieved, v[i].url ? v[i].url : v[i].repo,
		       v[i].url ? "" : ":", v[i].url ? "" : v[i].path,
		       v[i].shows);
	}
}

static void rbi_show_names(const struct rbi_pattern *v, size_t n,
			   const struct rbi_evidence *ev)
{
	size_t i;

	for (i = 0; i < n; i++) {
		printf("    %-44s %s, %s%s", v[i].text, v[i].shared ? "shared" :
		       "dedicated", v[i].unconfirmed ? "unconfirmed" :
		       "confirmed", v[i].listed ? ", operator-listed\n" : "");
		if (!v[i].listed)
			rbi_show_cites(&v[i].ev, ev);
	}
}

static void rbi_show_texts(const char *what, const struct rbi_text *v,
			   size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s%s", i ? ", " : what, v[i].s);
	if (n)
		printf("\n");
}

static void rbi_show_service(const struct rbi_policy *p,
			     const struct rbi_service *s)
{
	struct rbi_buf b = RBI_BUF_INIT;
	char net[RBI_PREFIX_STRLEN];
	size_t i;

	printf("%s: %s, %s\n  company       %s (%s)\n  defined at    %s:%u\n"
	       "  lifecycle     %s%s%s%s%s", s->id, s->provider ? s->provider :
	       "-", s->product ? s->product : "-",
	       s->company ? s->company : "not said",
	       s->jurisdiction ? s->jurisdiction : "-", s->loc.file,
	       s->loc.line, rbi_lifecycle_name(s->life.status),
	       s->life.since[0] ? " since " : "", s->life.since,
	       s->life.retires[0] ? ", retires " : "", s->life.retires);
	if (s->life.status != RBI_LIFE_ACTIVE)
		rbi_show_cites(&s->life.ev, s->evidence);
	else
		printf("\n");
	printf("  enforced as   %s, %s%s\n", s->shared ? "shared" : "dedicated",
	       s->unconfirmed ? "unconfirmed" : "confirmed",
	       s->life.status == RBI_LIFE_RETIRED ? " (retired: not enforced)" :
	       "");
	if (s->n_cats)
		printf("  categories\n");
	for (i = 0; i < s->n_cats; i++) {
		printf("    %-32s %s", rbi_category_name(s->cats[i].cat),
		       s->cats[i].operation ? s->cats[i].operation :
		       "(operation not said)");
		rbi_show_cites(&s->cats[i].ev, s->evidence);
	}
	if (s->n_names)
		printf("  names\n");
	rbi_show_names(s->names, s->n_names, s->evidence);
	if (s->listed) {
		printf("  operator names %s: %s", s->listed->pattern,
		       s->listed->what);
		rbi_show_cites(&s->listed->ev, s->evidence);
	}
	for (i = 0; i < s->n_nets; i++) {
		rbi_prefix_format(&s->nets[i].prefix, net, sizeof(net));
		printf("%s%s", i ? " " : "  networks      ", net);
	}
	if (s->n_nets) {
		rbi_ports_text(s->ports, s->n_ports, &b);
		printf(" ports %s", s->n_ports ? rbi_buf_str(&b) : "any");
		rbi_show_cites(&s->nets_ev, s->evidence);
	}
	if (s->n_evidence)
		printf("  evidence\n");
	rbi_show_evidence(s->evidence, s->n_evidence);
	for (i = 0; i < s->n_sources; i++)
		printf("%s%s\n", i ? "                " : "  sources       ",
		       s->sources[i]);
	rbi_show_texts("  must match    ", s->must_match, s->n_must_match);
	rbi_show_texts("  must not      ", s->must_not_match,
		       s->n_must_not_match);
	if (s->notes)
		printf("  notes         %s\n", s->notes);
	(void)p;
	rbi_buf_free(&b);
}

static void rbi_show_exclusion(const struct rbi_exclusion *x)
{
	unsigned int i;

	printf("%s (exclusion: not prohibited, not blocked): %s, %s\n  uses  "
	       "       ", x->id, x->provider ? x->provider : "-",
	       x->product ? x->product : "-");
	for (i = 0; i < __RBI_USE_MAX; i++)
		if (x->uses & (1u << i))
			printf(" %s", rbi_exclusion_use_name(i));
	printf("\n  reason        \"%s\"\n                (%s)\n  applies     "
	       "  %s\n  names\n", x->reason, x->reason_source, x->applies);
	rbi_show_names(x->names, x->n_names, x->evidence);
	printf("  evidence\n");
	rbi_show_evidence(x->evidence, x->n_evidence);
	rbi_show_texts("  not blocked   ", x->not_blocked, x->n_not_blocked);
}

static void rbi_show_json(const struct rbi_policy *p,
			  const struct rbi_service *s,
			  const struct rbi_exclusion *x)
{
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_json j;

	rbi_json_init(&j, &out);
	if (s)
		rbi_service_json(p, s, true, &j);
	else
		rbi_exclusion_json(x, &j);
	printf("%s\n", rbi_buf_str(&out));
	rbi_buf_free(&out);
}

int rbi_cmd_catalog_show(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("catalog show");
	struct rbi_catalog_args a = { 0 };
	const struct rbi_cli_opt opts[] = {
		RBI_CATALOG_OPTS(&a),
		RBI_CLI_FLAG("json", 0, &a.json),
		RBI_CLI_END
	};
	const struct rbi_exclusion *x = NULL;
	const struct rbi_service *s;
	struct rbi_policy *p;
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 1, 1,
			       "an entry id is needed (see rbictl catalog "
			       "list)");

	if (rc >= 0)
		return rc;
	p = rbi_catalog_open(cmd, &a, &rc);
	if (!p)
		return rc;
	s = rbi_policy_entry(p, argv[optind]);
	if (!s)
		x = rbi_policy_exclusion(p, argv[optind]);
	if (!s && !x) {
		fprintf(stderr, "rbictl catalog show: no entry '%s' in the "
			"catalogue; 'rbictl catalog list' lists them\n",
			argv[optind]);
		rc = RBI_EXIT_FAIL;
	} else if (a.json) {
		rbi_show_json(p, s, x);
	} else if (s) {
		rbi_show_service(p, s);
	} else {
		rbi_show_exclusion(x);
	}
	rbi_policy_free(p);
	return rc;
}

int rbi_cmd_catalog_lint(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("catalog lint");
	struct rbi_catalog_args a = { 0 };
	const char *today = NULL;
	bool strict = false;
	const struct rbi_cli_opt opts[] = {
		RBI_CATALOG_OPTS(&a),
		RBI_CLI_VALUE("pub", 0, &a.pub),
		RBI_CLI_VALUE("today", 0, &today),
		RBI_CLI_FLAG("strict", 0, &strict),
		RBI_CLI_END
	};
	struct rbi_policy *p;
	struct rbi_diags d;
	size_t entries;
	char now[11];
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 0, 0, NULL);

	if (rc >= 0)
		return rc;
	if (today && !rbi_date_valid(today))
		return rbi_cli_usage(cmd, "--today '%s' is not a date written "
				     "YYYY-MM-DD", today);
	rbi_today(now);
	p = rbi_catalog_open(cmd, &a, &rc);
	if (!p)
		return rc;
	rbi_diags_init(&d);
	rbi_catalog_lint(p, today ? today : now, &d);
	rbi_diags_print(&d, stderr);
	entries = p->n_services + p->n_doh + p->n_retired;
	printf("%s: %u %s, %u %s in %zu %s, %zu %s (as of %s)\n",
	       rbi_catalog_name(&a), d.errors,
	       rbi_plural(d.errors, "error", "errors"), d.warnings,
	       rbi_plural(d.warnings, "warning", "warnings"), entries,
	       rbi_plural(entries, "entry", "entries"), p->n_exclusions,
	       rbi_plural(p->n_exclusions, "exclusion", "exclusions"),
	       today ? today : now);
	rc = d.errors || (strict && d.warnings) ? RBI_EXIT_FAIL : RBI_EXIT_OK;
	rbi_diags_free(&d);
	rbi_policy_free(p);
	return rc;
}

static void rbi_diff_head(const char *mark, const struct rbi_policy *p)
{
	struct rbi_buf b = RBI_BUF_INIT;

	if (p->n_catalogs)
		rbi_catalog_describe(&p->catalogs[0], &b);
	printf("%s %s\n", mark, rbi_buf_str(&b));
	rbi_buf_free(&b);
}

static void rbi_diff_text(const struct rbi_policy *old,
			  const struct rbi_policy *new,
			  const struct rbi_catdiff *df)
{
	const struct rbi_catdiff_item *it;
	size_t i, k, count[3] = { 0, 0, 0 };

	rbi_diff_head("---", old);
	rbi_diff_head("+++", new);
	for (i = 0; i < df->n; i++) {
		it = &df->v[i];
		count[it->sign == '+' ? 0 : it->sign == '-' ? 1 : 2]++;
		printf("%c %s %s%s%s\n", it->sign, it->kind, it->id,
		       it->summary ? ": " : "", it->summary ? it->summary : "");
		for (k = 0; k < it->n_changes; k++)
			printf("    %s\n", it->changes[k]);
	}
	printf("%zu added, %zu removed, %zu changed\n", count[0], count[1],
	       count[2]);
}

static void rbi_diff_json(const struct rbi_policy *old,
			  const struct rbi_policy *new,
			  const struct rbi_catdiff *df)
{
	struct rbi_buf out = RBI_BUF_INIT;
	const struct rbi_catdiff_item *it;
	struct rbi_json j;
	char sign[2] = "";
	size_t i, k;

	rbi_json_init(&j, &out);
	rbi_json_obj_begin(&j);
	rbi_json_key(&j, "old");
	rbi_catalogs_json(old, &j);
	rbi_json_key(&j, "new");
	rbi_catalogs_json(new, &j);
	rbi_json_key(&j, "changes");
	rbi_json_arr_begin(&j);
	for (i = 0; i < df->n; i++) {
		it = &df->v[i];
		sign[0] = it->sign;
		rbi_json_obj_begin(&j);
		rbi_json_kstr(&j, "op", sign);
		rbi_json_kstr(&j, "kind", it->kind);
		rbi_json_kstr(&j, "id", it->id);
		rbi_json_kstr(&j, "summary", it->summary);
		rbi_json_key(&j, "changes");
		rbi_json_arr_begin(&j);
		for (k = 0; k < it->n_changes; k++)
			rbi_json_str(&j, it->changes[k]);
		rbi_json_arr_end(&j);
		rbi_json_obj_end(&j);
	}
	rbi_json_arr_end(&j);
	rbi_json_obj_end(&j);
	printf("%s\n", rbi_buf_str(&out));
	rbi_buf_free(&out);
}

enum {
	RBI_EXIT_DIFF_TROUBLE = 2,	/* as diff(1) */
};

int rbi_cmd_catalog_diff(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("catalog diff");
	struct rbi_policy *old = NULL, *new = NULL;
	struct rbi_catdiff df;
	struct rbi_diags d;
	bool json = false;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_FLAG("json", 0, &json),
		RBI_CLI_END
	};
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 2, 2,
			       "two catalogues are needed: OLD NEW");

	if (rc >= 0)
		return rc;
	rbi_diags_init(&d);
	old = rbi_catalog_load(argv[optind], NULL, 0, RBI_POLICY_NO_SIGNATURE,
			       &d);
	new = rbi_catalog_load(argv[optind + 1], NULL, 0,
			       RBI_POLICY_NO_SIGNATURE, &d);
	rbi_diags_print(&d, stderr);
	rbi_diags_free(&d);
	rc = RBI_EXIT_DIFF_TROUBLE;
	if (old && new && !rbi_catalog_diff(old, new, &df)) {
		if (json)
			rbi_diff_json(old, new, &df);
		else
			rbi_diff_text(old, new, &df);
		rc = df.n ? RBI_EXIT_FAIL : RBI_EXIT_OK;
		rbi_catdiff_free(&df);
	}
	rbi_policy_free(old);
	rbi_policy_free(new);
	return rc;
}

int rbi_cmd_catalog_sign(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("catalog sign");
	const char *keyfile = NULL;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_VALUE("key", 0, &keyfile),
		RBI_CLI_END
	};
	struct rbi_audit_key k;
	struct rbi_policy *p;
	struct rbi_diags d;
	char err[1024];
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 1, 1,
			       "a catalogue directory is needed");

	if (rc >= 0)
		return rc;
	if (!keyfile)
		return rbi_cli_usage(cmd, "--key is required");
	if (rbi_audit_key_load(keyfile, &k, err, sizeof(err))) {
		fprintf(stderr, "rbictl catalog sign: %s\n", err);
		return RBI_EXIT_FAIL;
	}
	rbi_diags_init(&d);
	p = rbi_catalog_load(argv[optind], NULL, 0, RBI_POLICY_NO_SIGNATURE,
			     &d);
	rbi_diags_print(&d, stderr);
	rbi_diags_free(&d);
	rc = RBI_EXIT_FAIL;
	if (p && rbi_manifest_sign(p, 0, &k, err, sizeof(err)))
		fprintf(stderr, "rbictl catalog sign: %s\n", err);
	else if (p)
		rc = RBI_EXIT_OK;
	if (!rc)
		printf("%s/%s: signed %s by %s\n", p->catalogs[0].path,
		       RBI_MANIFEST_FILE, p->catalogs[0].version, k.name);
	OPENSSL_cleanse(&k, sizeof(k));
	rbi_policy_free(p);
	return rc;
}

int rbi_cmd_catalog_verify(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("catalog verify");
	struct rbi_buf b = RBI_BUF_INIT;
	const char *pub = NULL;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_VALUE("pub", 0, &pub),
		RBI_CLI_END
	};
	struct rbi_policy *p;
	struct rbi_diags d;
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 1, 1,
			       "a catalogue directory is needed");

	if (rc >= 0)
		return rc;
	if (!pub)
		return rbi_cli_usage(cmd, "--pub is required");
	rbi_diags_init(&d);
	p = rbi_catalog_load(argv[optind], &pub, 1, 0, &d);
	rbi_diags_print(&d, stderr);
	rbi_diags_free(&d);
	if (!p) {
		fprintf(stderr, "%s: not verified\n", argv[optind]);
		return RBI_EXIT_FAIL;
	}
	rbi_catalog_describe(&p->catalogs[0], &b);
	printf("%s: verified: %s\n", argv[optind], rbi_buf_str(&b));
	rbi_buf_free(&b);
	rbi_policy_free(p);
	return RBI_EXIT_OK;
}
