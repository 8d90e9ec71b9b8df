// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The catalogue: every built-in entry's names that must and must not
 * match, run through the classifier as the gateway runs it (one test per
 * entry); the corrections of the 2026-12-06 review; what loading refuses
 * and what `catalog lint` finds in crafted catalogues, message by message;
 * `catalog diff` line by line; include and replace-builtin; operator
 * names; and signed catalogues: accepted, and refused when one byte
 * changes, when the key is not trusted, or when there is no signature.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "audit/key.h"
#include "policy/catdiff.h"
#include "policy/lint.h"
#include "policy/manifest.h"
#include "util/buf.h"

#define TODAY	"2026-12-06"

static char topdir[64];		/* a fresh directory, the tests' cwd */
static char origdir[4096];

/* ---- files and loading ---- */

static void put_file(const char *path, const char *text)
{
	char dir[256], *slash;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void diags_text(const struct rbi_diags *d, struct rbi_buf *out)
{
	char line[1024];
	size_t i;

	for (i = 0; i < d->n; i++) {
		rbi_diag_format(&d->v[i], line, sizeof(line));
		rbi_buf_printf(out, "%s\n", line);
	}
}

static void expect_text(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want))
		fail_msg("%s: got:\n%sexpected:\n%s", what, got, want);
}

/* ---- the built-in entries' test names, through the classifier ---- */

static struct rbi_policy *builtin;

/* What the built-in default policy decides for a TLS flow naming name. */
static void classify_name(const char *name, struct rbi_decision *d)
{
	struct rbi_flow f;

	memset(&f, 0, sizeof(f));
	assert_int_equal(rbi_ip_parse("10.20.0.5", 9, &f.src), 0);
	assert_int_equal(rbi_ip_parse("192.0.2.7", 9, &f.dst), 0);
	f.l4 = RBI_L4_TCP;
	f.dport = 443;
	f.app = RBI_APP_TLS;
	f.name = name;
	f.name_len = strlen(name);
	f.learned = RBI_NONE;
	rbi_classify(builtin->config, &f, d);
}

/* The index an entry's decision names: a service's, or a resolver's. */
static uint32_t decided(const struct rbi_service *s,
			const struct rbi_decision *d)
{
	return s->kind == RBI_KIND_DOH ? d->doh : d->service;
}

static void test_entry_names(void **state)
{
	const struct rbi_service *s = *state;
	uint32_t self = (uint32_t)(s - (s->kind == RBI_KIND_DOH ?
					 builtin->doh : builtin->services));
	struct rbi_decision d;
	size_t i;

	for (i = 0; i < s->n_must_match; i++) {
		classify_name(s->must_match[i].s, &d);
		if (decided(s, &d) != self || d.verdict != RBI_BLOCK)
			fail_msg("%s: %s must be blocked as %s", s->id,
				 s->must_match[i].s, s->id);
	}
	for (i = 0; i < s->n_must_not_match; i++) {
		classify_name(s->must_not_match[i].s, &d);
		if (decided(s, &d) == self)
			fail_msg("%s: %s must not match it", s->id,
				 s->must_not_match[i].s);
	}
}

static void test_exclusions_not_blocked(void **state)
{
	const struct rbi_exclusion *x;
	struct rbi_decision d;
	size_t i, k;

	assert_int_equal(builtin->n_exclusions, 2);
	for (i = 0; i < builtin->n_exclusions; i++) {
		x = &builtin->exclusions[i];
		assert_true(x->n_not_blocked > 0);
		for (k = 0; k < x->n_not_blocked; k++) {
			classify_name(x->not_blocked[k].s, &d);
			if (d.verdict != RBI_ALLOW || d.service != RBI_NONE)
				fail_msg("%s: %s is blocked", x->id,
					 x->not_blocked[k].s);
		}
	}
}

/* The review's corrections, each as the decision it changes. */
static void test_review_corrections(void **state)
{
	static const struct {
		const char *name;
		const char *service;	/* NULL: allowed, no service */
	} cases[] = {
		/* Face Liveness is an exclusion, like Tencent FaceID. */
		{ "streaming-rekognition.eu-west-1.amazonaws.com", NULL },
		{ "faceid.tencentcloudapi.com", NULL },
		/* Azure: no rule for every Azure AI resource. */
		{ "anyone.cognitiveservices.azure.com", NULL },
		{ "westeurope.api.cognitive.microsoft.com", NULL },
		/* Kinesis: five stream-processor regions only. */
		{ "kinesisvideo.eu-north-1.amazonaws.com", NULL },
		{ "s-1.kinesisvideo.eu-west-1.amazonaws.com",
		  "aws-kinesis-video" },
		/* Hume: api.hume.ai retired, api.cloud.hume.ai blocked. */
		{ "api.hume.ai", NULL },
		{ "api.cloud.hume.ai", "hume-ai" },
		/* Additions. */
		{ "rekognition-fips.us-east-1.api.aws", "aws-rekognition" },
		{ "vision.mtls.googleapis.com", "google-cloud-vision" },
		{ "api.uk-1.veritone.com", "veritone-aiware" },
		{ "luxand-cloud-face-recognition.p.rapidapi.com",
		  "rapidapi-luxand" },
		{ "kairosapi-karios-v1.p.rapidapi.com", "rapidapi-kairos" },
		{ "other.p.rapidapi.com", NULL },
		{ "naveropenapi.apigw.ntruss.com", "naver-clova-face" },
		{ "api.control.verkada.com", "verkada-camera-cloud" },
		{ "api.clarifai.com", "clarifai" },
		{ "api.edenai.run", "eden-ai" },
		{ "search4faces.com", "search4faces" },
		{ "findclone.ru", "findclone" },
		{ "api.youtu.qq.com", "tencent-youtu-legacy" },
	};
	const struct rbi_service *s;
	struct rbi_decision d;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		classify_name(cases[i].name, &d);
		s = d.service == RBI_NONE ? NULL :
		    &builtin->services[d.service];
		if (!cases[i].service ? s != NULL :
		    !s || strcmp(s->id, cases[i].service))
			fail_msg("%s: expected %s, classifier says %s",
				 cases[i].name, cases[i].service ?
				 cases[i].service : "allowed",
				 s ? s->id : "allowed");
	}
	/* Categories the review found missing. */
	s = rbi_policy_entry(builtin, "tencent-iai");
	assert_true(s->categories & RBI_CAT_BIT(RBI_CAT_EMOTION));
	s = rbi_policy_entry(builtin, "alibaba-facebody");
	assert_true(s->categories & RBI_CAT_BIT(RBI_CAT_CATEGORISATION));
	s = rbi_policy_entry(builtin, "skybiometry");
	assert_true(s->categories & RBI_CAT_BIT(RBI_CAT_CATEGORISATION));
	/* Shared and confidence as the evidence has them. */
	assert_true(rbi_policy_entry(builtin, "megvii-faceplusplus")->shared);
	assert_true(rbi_policy_entry(builtin, "luxand-cloud")->unconfirmed);
	assert_true(rbi_policy_entry(builtin, "imagga")->unconfirmed);
	assert_false(rbi_policy_entry(builtin, "megvii-faceplusplus")->
		     names[0].unconfirmed);
	/* Gone: wrong (liveness) or unsupported (NeoFace Watch port). */
	assert_null(rbi_policy_entry(builtin, "aws-rekognition-streaming"));
	assert_null(rbi_policy_entry(builtin, "nec-neoface-watch"));
	s = rbi_policy_entry(builtin, "aws-kinesis-video");
	assert_int_equal(s->life.status, RBI_LIFE_CLOSED);
	assert_string_equal(s->life.since, "2026-04-30");
	s = rbi_policy_entry(builtin, "findface-onprem");
	assert_int_equal(s->ports[0].l4, RBI_L4_TCP);
	assert_true(s->unconfirmed);
}

static void test_builtin_lint_clean(void **state)
{
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_diags d;

	rbi_diags_init(&d);
	rbi_catalog_lint(builtin, TODAY, &d);
	diags_text(&d, &out);
	expect_text("lint of the built-in catalogue", rbi_buf_str(&out), "");
	rbi_buf_free(&out);
	rbi_diags_free(&d);
	/* A year and a day later, every entry's evidence is stale. */
	rbi_diags_init(&d);
	rbi_catalog_lint(builtin, "2027-12-07", &d);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, builtin->n_services + builtin->n_doh);
	rbi_diags_free(&d);
}

/* ---- crafted catalogues: what loading refuses, what lint finds ---- */

/* A valid entry; cases append to it or replace parts of it. */
#define ENTRY(id, extra)						\
	"  - id: " id "\n"						\
	"    provider: P\n"						\
	"    product: Q\n"						\
	"    company: C\n"						\
	"    jurisdiction: US\n"					\
	"    evidence:\n"						\
	"      - {id: docs, kind: vendor-docs, url: \"https://x.example/d\"," \
	" retrieved: 2026-12-01, shows: it}\n"				\
	"    categories:\n"						\
	"      - {category: remote-biometric-identification, operation: s," \
	" evidence: [docs]}\n"						\
	extra

#define NAMES(pattern, match)						\
	"    names:\n"							\
	"      - {pattern: " pattern ", evidence: [docs]}\n"		\
	"    tests: {match: [" match "]}\n"

struct crafted_case {
	const char *name;
	bool loads;
	const char *yaml;
	const char *diags;	/* of loading, then of lint if it loads */
};

static const struct crafted_case crafted[] = {
	{ "clean", true,
	  "services:\n"
	  ENTRY("x", NAMES("api.x.example", "api.x.example")),
	  "" },
	{ "confirmed_by_client_code", false,
	  "services:\n"
	  "  - id: x\n"
	  "    categories: [remote-biometric-identification]\n"
	  "    evidence:\n"
	  "      - {id: c, kind: client-code, url: \"https://github.com/a/b\","
	  " retrieved: 2026-12-01, shows: it}\n"
	  "    names:\n"
	  "      - {pattern: api.x.example, confidence: confirmed, "
	  "evidence: [c]}\n",
	  "cat/confirmed_by_client_code/c.yaml:7:9: error: 'x': 'confidence: confirmed' needs vendor-docs or vendor-sdk evidence; client code and third-party text leave a fact unconfirmed\n" },
	{ "unknown_cite", false,
	  "services:\n"
	  ENTRY("x", "    names:\n"
		"      - {pattern: api.x.example, evidence: [dosc]}\n"),
	  "cat/unknown_cite/c.yaml:12:45: error: no evidence 'dosc' in this entry's 'evidence'\n" },
	{ "mixed_shared", false,
	  "services:\n"
	  ENTRY("x", "    names:\n"
		"      - {pattern: a.x.example, shared: true, evidence: [docs]}\n"
		"      - {pattern: b.x.example, evidence: [docs]}\n"),
	  "cat/mixed_shared/c.yaml:13:9: error: 'x': name 'b.x.example' is dedicated but 'a.x.example' is shared; a DNS answer teaches addresses per entry, so shared-hosts can only apply per entry: put them in two entries\n" },
	{ "bad_date", false,
	  "services:\n"
	  "  - id: x\n"
	  "    categories: [remote-biometric-identification]\n"
	  "    evidence:\n"
	  "      - {id: d, kind: vendor-docs, url: \"ftp://x\", retrieved: 2026-02-30, shows: it}\n"
	  "    names: [api.x.example]\n",
	  "cat/bad_date/c.yaml:5:63: error: 'retrieved' must be a date written YYYY-MM-DD, such as 2026-12-06, not '2026-02-30'\n" },
	{ "bad_url", false,
	  "services:\n"
	  "  - id: x\n"
	  "    categories: [remote-biometric-identification]\n"
	  "    evidence:\n"
	  "      - {id: d, kind: vendor-docs, url: \"ftp://x\", retrieved: 2026-02-28, shows: it}\n"
	  "    names: [api.x.example]\n",
	  "cat/bad_url/c.yaml:5:41: error: evidence 'd': 'url' must start with https:// or http://\n" },
	{ "net_overlap", true,
	  "services:\n"
	  ENTRY("a", "    networks: [192.0.2.0/24]\n"
		"    ports: [80/tcp]\n"
		"    networks-evidence: [docs]\n")
	  ENTRY("b", "    networks: [192.0.2.128/25]\n"
		"    ports: [80/tcp, 443/tcp]\n"
		"    networks-evidence: [docs]\n")
	  ENTRY("c", "    networks: [192.0.2.0/25]\n"
		"    ports: [80/udp]\n"
		"    networks-evidence: [docs]\n"),
	  "cat/net_overlap/c.yaml:23:16: warning: network 192.0.2.128/25 of 'b' overlaps 192.0.2.0/24 of 'a' on the same ports\n" },
	/* Found by fuzz_policy: evidence that fails to read has no id. */
	{ "cite_of_broken_evidence", false,
	  "services:\n"
	  "  - id: x\n"
	  "    categories: [remote-biometric-identification]\n"
	  "    evidence:\n"
	  "      - {id: d, kind: vendor-docs, shown: it}\n"
	  "    names:\n"
	  "      - {pattern: api.x.example, evidence: [d]}\n",
	  NULL },
	{ "two_releases", false,
	  "release: {version: 1, date: 2026-12-06}\n"
	  "services:\n"
	  ENTRY("x", NAMES("api.x.example", "api.x.example")),
	  NULL },
	{ "no_evidence_at_all", false,
	  "services:\n"
	  "  - id: x\n"
	  "    categories: [remote-biometric-identification]\n"
	  "    names: [api.x.example]\n",
	  "cat/no_evidence_at_all/c.yaml:2:5: error: catalogue entry 'x' needs its public evidence in 'evidence'\n" },
	{ "lint_findings", true,
	  "services:\n"
	  "  - id: legacy\n"
	  "    categories: [remote-biometric-identification]\n"
	  "    names: [old.example]\n"
	  "    sources: [\"public client code\"]\n"
	  "  - id: uncited\n"
	  "    company: C\n"
	  "    jurisdiction: US\n"
	  "    evidence:\n"
	  "      - {id: docs, kind: vendor-docs, url: \"https://u.example\", retrieved: 2026-12-01, shows: it}\n"
	  "      - {id: soon, kind: vendor-docs, url: \"https://u.example/n\", retrieved: 2026-12-31, shows: it}\n"
	  "    categories:\n"
	  "      - {category: remote-biometric-identification, operation: s, evidence: [docs]}\n"
	  "    names:\n"
	  "      - {pattern: api.u.example}\n"
	  "    tests: {match: [api.u.example], no-match: [api.u.example]}\n"
	  ENTRY("wide", "    names:\n"
		"      - {pattern: \"*.u.example\", evidence: [docs]}\n"
		"    tests: {match: [api.u.example]}\n")
	  "  - id: stale\n"
	  "    evidence:\n"
	  "      - {id: old, kind: vendor-docs, url: \"https://s.example\", retrieved: 2025-11-01, shows: it}\n"
	  "    categories:\n"
	  "      - {category: emotion-recognition, evidence: [old]}\n"
	  "    lifecycle: {status: active, retires: 2026-06-14, evidence: [old]}\n"
	  "    networks: [192.0.2.0/24]\n"
	  "    ports: [8800]\n"
	  "    networks-evidence: [old]\n"
	  "exclusions:\n"
	  "  - id: no-liveness\n"
	  "    uses: [liveness]\n"
	  "    reason: not remote\n"
	  "    reason-source: the text\n"
	  "    applies: a person presents themselves\n"
	  "    evidence:\n"
	  "      - {id: e, kind: vendor-docs, url: \"https://l.example\", retrieved: 2026-12-01, shows: it}\n"
	  "    names:\n"
	  "      - {pattern: live.u.example, evidence: [e]}\n"
	  "    tests: {not-blocked: [live.u.example]}\n",
	  "cat/lint_findings/c.yaml:2:5: error: 'legacy' has no structured 'evidence' (url or repo and path, kind, retrieved, shows), only free-text 'sources'\n"
	  "cat/lint_findings/c.yaml:2:5: warning: 'legacy' has no test names ('tests: {match: [...], no-match: [...]}')\n"
	  "cat/lint_findings/c.yaml:15:9: error: 'uncited': a name cites no evidence\n"
	  "cat/lint_findings/c.yaml:11:9: error: 'uncited': evidence 'soon' was retrieved on 2026-12-31, after today (2026-12-06)\n"
	  "cat/lint_findings/c.yaml:11:9: warning: 'uncited': evidence 'soon' is cited by nothing\n"
	  "cat/lint_findings/c.yaml:16:48: error: 'uncited': test name 'api.u.example' must not match it, but does\n"
	  "cat/lint_findings/c.yaml:28:21: error: 'wide': test name 'api.u.example' must match it, but matches uncited\n"
	  "cat/lint_findings/c.yaml:33:9: error: 'stale': category emotion-recognition does not say which operation provides it ('operation')\n"
	  "cat/lint_findings/c.yaml:29:5: warning: 'stale' does not say who operates it ('company' and 'jurisdiction'; 'unknown' where it is not established)\n"
	  "cat/lint_findings/c.yaml:29:5: warning: 'stale': its newest evidence was retrieved on 2025-11-01, more than a year before 2026-12-06: check it again\n"
	  "cat/lint_findings/c.yaml:34:16: warning: 'stale' retired on 2026-06-14 by its lifecycle but is still blocked: set 'status: retired' (kept on record, not enforced) or correct the date\n"
	  "cat/lint_findings/c.yaml:29:5: warning: 'stale': port 8800 has no protocol, so it matches TCP and UDP alike; write 8800/tcp or 8800/udp\n"
	  "cat/lint_findings/c.yaml:48:27: error: exclusion 'no-liveness': 'live.u.example' is excluded (not remote), but 'wide' blocks it\n"
	  "cat/lint_findings/c.yaml:15:9: warning: name pattern 'api.u.example' of 'uncited' overlaps '*.u.example' of 'wide' (cat/lint_findings/c.yaml:27:9): both match api.u.example\n"
	  "cat/lint_findings/c.yaml:27:9: error: name pattern '*.u.example' of 'wide' blocks names that exclusion 'no-liveness' leaves out ('live.u.example', cat/lint_findings/c.yaml:47:9), such as live.u.example\n" },
};

static void test_crafted(void **state)
{
	const struct crafted_case *c = *state;
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_policy *p;
	struct rbi_diags d;
	char dir[128], file[160];

	snprintf(dir, sizeof(dir), "cat/%s", c->name);
	snprintf(file, sizeof(file), "%s/c.yaml", dir);
	mkdir("cat", 0755);
	put_file(file, c->yaml);
	if (!strcmp(c->name, "two_releases"))
		put_file("cat/two_releases/r.yaml",
			 "release: {version: 2, date: 2026-12-06}\n");
	rbi_diags_init(&d);
	p = rbi_catalog_load(dir, NULL, 0, 0, &d);
	assert_int_equal(p != NULL, c->loads);
	if (p)
		rbi_catalog_lint(p, TODAY, &d);
	diags_text(&d, &out);
	if (c->diags)
		expect_text(c->name, rbi_buf_str(&out), c->diags);
	else if (!strcmp(c->name, "two_releases"))
		assert_non_null(strstr(rbi_buf_str(&out), "a second 'release'"));
	else
		assert_non_null(strstr(rbi_buf_str(&out), "no evidence 'd'"));
	rbi_buf_free(&out);
	rbi_diags_free(&d);
	rbi_policy_free(p);
}

/* ---- policies that include catalogues ---- */

#define POLICY_HEAD							\
	"rbiblock: 1\n"							\
	"basis: b\n"							\
	"prohibit:\n"							\
	"  categories: [remote-biometric-identification, "		\
	"biometric-categorisation, emotion-recognition]\n"		\
	"  timing: [real-time, post]\n"					\
	"  actors: [public, private]\n"					\
	"zones: [{name: z, publicly-accessible: true, networks: [10.0.0.0/8]}]\n"

static struct rbi_policy *load_policy(const char *text, const char *diags)
{
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_policy *p;
	struct rbi_diags d;

	put_file("pol.yaml", text);
	rbi_diags_init(&d);
	p = rbi_policy_load("pol.yaml", 0, &d);
	diags_text(&d, &out);
	if (diags)
		expect_text(text, rbi_buf_str(&out), diags);
	else
		assert_true(d.errors > 0);
	rbi_buf_free(&out);
	rbi_diags_free(&d);
	return p;
}

static void test_include_adds(void **state)
{
	struct rbi_policy *p;

	put_file("extra/x.yaml", "services:\n"
		 ENTRY("extra-svc", NAMES("api.x.example", "api.x.example")));
	p = load_policy(POLICY_HEAD "catalog:\n  include: [extra]\n", "");
	assert_non_null(p);
	assert_int_equal(p->n_services, builtin->n_services + 1);
	assert_int_equal(p->n_catalogs, 2);
	assert_int_equal(p->catalogs[0].kind, RBI_CATALOG_BUILTIN);
	assert_string_equal(p->catalogs[0].version, "2026.12.1");
	assert_int_equal(p->catalogs[1].kind, RBI_CATALOG_DIR);
	assert_null(p->catalogs[1].version);
	assert_int_equal(p->catalogs[1].n_files, 1);
	assert_string_equal(p->files[p->catalogs[1].first_file].path,
			    "extra/x.yaml");
	rbi_policy_free(p);
	/* Placed: the built-in catalogue second. */
	p = load_policy(POLICY_HEAD "catalog:\n  include: [extra, builtin]\n",
			"");
	assert_non_null(p);
	assert_int_equal(p->catalogs[1].kind, RBI_CATALOG_BUILTIN);
	assert_string_equal(p->services[0].id, "extra-svc");
	rbi_policy_free(p);
	/* Replaced: only what is included. */
	p = load_policy(POLICY_HEAD "catalog:\n  include: [extra]\n"
			"  replace-builtin: true\n",
			"pol.yaml:10:20: warning: catalog.replace-builtin: the "
			"built-in catalogue is not used, so only the services "
			"of the included catalogues and catalog.services are "
			"blocked\n");
	assert_non_null(p);
	assert_int_equal(p->n_services, 1);
	rbi_policy_free(p);
	/* A copy of the built-in catalogue beside it: every id twice. */
	p = load_policy(POLICY_HEAD "catalog:\n  include: [builtin, builtin]\n",
			NULL);
	assert_null(p);
}

static void test_operator_names(void **state)
{
	struct rbi_policy *p;
	const struct rbi_service *s;

	p = load_policy(POLICY_HEAD "catalog:\n  operator-names:\n"
			"    azure-face: [city-face, Vendor-Face]\n", "");
	assert_non_null(p);
	s = rbi_policy_entry(p, "azure-face");
	assert_int_equal(s->n_names, 2);
	assert_string_equal(s->names[1].text,
			    "vendor-face.cognitiveservices.azure.com");
	assert_true(s->names[0].listed);
	assert_false(s->shared);
	rbi_policy_free(p);
	p = load_policy(POLICY_HEAD "catalog:\n  operator-names:\n"
			"    azure-face: [a.b]\n    kairos: [x]\n",
			"pol.yaml:10:18: error: 'a.b' is one label of a name, "
			"without dots: it takes the place of '{}' in "
			"'{}.cognitiveservices.azure.com'\n"
			"pol.yaml:11:5: error: 'kairos' is no catalogue service "
			"that takes operator names\n");
	assert_null(p);
}

/* ---- catalog diff ---- */

static void test_diff(void **state)
{
	static const char want[] =
		"~ service x\n"
		"    ~ company: C -> D\n"
		"    + category emotion-recognition: e\n"
		"    + name b.x.example (dedicated, confirmed)\n"
		"    - name api.x.example\n"
		"    ~ ports: any -> 8800/udp\n"
		"    ~ lifecycle: active -> closed-to-new-customers since 2026-11-01\n"
		"    ~ evidence docs: retrieved 2026-12-01 -> 2026-12-05\n"
		"+ service y: P, Q; remote-biometric-identification\n"
		"- service gone: P, Q; remote-biometric-identification\n";
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_policy *a, *b;
	struct rbi_catdiff df;
	struct rbi_diags d;
	size_t i, k;

	put_file("old/c.yaml", "services:\n"
		 ENTRY("x", NAMES("api.x.example", "api.x.example")
		       "    networks: [192.0.2.0/24]\n"
		       "    networks-evidence: [docs]\n")
		 ENTRY("gone", NAMES("g.example", "g.example")));
	put_file("new/c.yaml", "services:\n"
		 "  - id: x\n"
		 "    provider: P\n"
		 "    product: Q\n"
		 "    company: D\n"
		 "    jurisdiction: US\n"
		 "    evidence:\n"
		 "      - {id: docs, kind: vendor-docs, url: \"https://x.example/d\","
		 " retrieved: 2026-12-05, shows: it}\n"
		 "    categories:\n"
		 "      - {category: remote-biometric-identification, operation: s,"
		 " evidence: [docs]}\n"
		 "      - {category: emotion-recognition, operation: e,"
		 " evidence: [docs]}\n"
		 "    lifecycle: {status: closed-to-new-customers, since: 2026-11-01,"
		 " evidence: [docs]}\n"
		 NAMES("b.x.example", "b.x.example")
		 "    networks: [192.0.2.0/24]\n"
		 "    ports: [8800/udp]\n"
		 "    networks-evidence: [docs]\n"
		 ENTRY("y", NAMES("y.example", "y.example")));
	rbi_diags_init(&d);
	a = rbi_catalog_load("old", NULL, 0, 0, &d);
	b = rbi_catalog_load("new", NULL, 0, 0, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(rbi_catalog_diff(a, b, &df), 0);
	for (i = 0; i < df.n; i++) {
		rbi_buf_printf(&out, "%c %s %s%s%s\n", df.v[i].sign,
			       df.v[i].kind, df.v[i].id,
			       df.v[i].summary ? ": " : "",
			       df.v[i].summary ? df.v[i].summary : "");
		for (k = 0; k < df.v[i].n_changes; k++)
			rbi_buf_printf(&out, "    %s\n", df.v[i].changes[k]);
	}
	expect_text("diff", rbi_buf_str(&out), want);
	rbi_catdiff_free(&df);
	/* A catalogue against itself: nothing. */
	assert_int_equal(rbi_catalog_diff(b, b, &df), 0);
	assert_int_equal(df.n, 0);
	rbi_catdiff_free(&df);
	rbi_buf_free(&out);
	rbi_diags_free(&d);
	rbi_policy_free(a);
	rbi_policy_free(b);
}

/* ---- signed catalogues ---- */

static void make_key(const char *name, uint8_t first, struct rbi_audit_key *k,
		     const char *pubfile)
{
	struct rbi_buf b = RBI_BUF_INIT;
	uint8_t seed[32];
	size_t i;

	for (i = 0; i < 32; i++)
		seed[i] = (uint8_t)(first + i);
	assert_int_equal(rbi_audit_key_from_seed(name, seed, k), 0);
	rbi_audit_vkey_format(k, &b);
	rbi_buf_addc(&b, '\n');
	put_file(pubfile, rbi_buf_str(&b));
	rbi_buf_free(&b);
}

static struct rbi_policy *load_signed(const char *pub, struct rbi_buf *out)
{
	struct rbi_policy *p;
	struct rbi_diags d;

	rbi_diags_init(&d);
	p = rbi_catalog_load("signed", &pub, pub ? 1 : 0, 0, &d);
	rbi_buf_reset(out);
	diags_text(&d, out);
	rbi_diags_free(&d);
	return p;
}

static void test_signatures(void **state)
{
	struct rbi_audit_key maint, other;
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_policy *p;
	struct rbi_diags d;
	char err[512];
	FILE *f;

	make_key("maint.example/catalog", 1, &maint, "maint.pub");
	make_key("other.example/catalog", 2, &other, "other.pub");
	put_file("signed/release.yaml",
		 "release: {version: 2026.12.9, date: 2026-12-06}\n");
	put_file("signed/c.yaml", "services:\n"
		 ENTRY("x", NAMES("api.x.example", "api.x.example")));
	rbi_diags_init(&d);
	p = rbi_catalog_load("signed", NULL, 0, RBI_POLICY_NO_SIGNATURE, &d);
	assert_non_null(p);
	assert_int_equal(rbi_manifest_sign(p, 0, &maint, err, sizeof(err)), 0);
	rbi_policy_free(p);
	rbi_diags_free(&d);

	/* Accepted with the maintainer's key; the signer is recorded. */
	p = load_signed("maint.pub", &out);
	assert_non_null(p);
	expect_text("signed, trusted", rbi_buf_str(&out), "");
	assert_non_null(strstr(p->catalogs[0].signer,
			       "maint.example/catalog+"));
	rbi_policy_free(p);

	/* Refused with another key. */
	p = load_signed("other.pub", &out);
	assert_null(p);
	expect_text("untrusted key", rbi_buf_str(&out),
		    "signed/catalog.manifest: error: no signature by a trusted "
		    "key (catalog.trusted-keys): the catalogue 'signed' is not "
		    "taken; add its maintainer's verifier key if you trust "
		    "it\n");

	/* Without keys: loaded, the signature said to be unchecked. */
	p = load_signed(NULL, &out);
	assert_non_null(p);
	assert_non_null(p->catalogs[0].unchecked);
	assert_null(p->catalogs[0].signer);
	rbi_policy_free(p);

	/* One byte more in a file: refused, naming the file. */
	f = fopen("signed/c.yaml", "a");
	assert_non_null(f);
	fputs("#", f);
	fclose(f);
	p = load_signed("maint.pub", &out);
	assert_null(p);
	assert_non_null(strstr(rbi_buf_str(&out), "signed/c.yaml: error: "
			       "changed since it was signed: sha256 "));

	/* A file added: refused too. */
	put_file("signed/c.yaml", "services:\n"
		 ENTRY("x", NAMES("api.x.example", "api.x.example")));
	p = load_signed("maint.pub", &out);
	assert_non_null(p);
	rbi_policy_free(p);
	put_file("signed/d.yaml", "services: []\n");
	p = load_signed("maint.pub", &out);
	assert_null(p);
	assert_non_null(strstr(rbi_buf_str(&out), "signed/d.yaml: error: not "
			       "in the signed manifest"));
	unlink("signed/d.yaml");

	/* One byte of the signature itself: a bad signature. */
	f = fopen("signed/catalog.manifest", "r+");
	assert_non_null(f);
	assert_int_equal(fseek(f, -6, SEEK_END), 0);
	fputc('A', f);
	fputc('B', f);
	fclose(f);
	p = load_signed("maint.pub", &out);
	assert_null(p);
	assert_non_null(strstr(rbi_buf_str(&out), "signed/catalog.manifest: "
			       "error: bad signature by trusted key "
			       "maint.example/catalog"));

	/* No signature at all, but the policy trusts only signed ones. */
	unlink("signed/catalog.manifest");
	p = load_signed("maint.pub", &out);
	assert_null(p);
	expect_text("unsigned", rbi_buf_str(&out),
		    "signed: error: catalogue 'signed' is not signed (no "
		    "catalog.manifest), and the policy takes only catalogues "
		    "signed by a key in catalog.trusted-keys\n");
	rbi_buf_free(&out);
}

static void test_pattern_overlap(void **state)
{
	static const struct {
		const char *a, *b, *example;	/* NULL: they never meet */
	} cases[] = {
		{ "api.x.example", "api.x.example", "api.x.example" },
		{ "api.x.example", "*.x.example", "api.x.example" },
		{ "*.x.example", "*.example", "x.x.example" },
		{ "x.example", "*.x.example", NULL },
		{ "rekognition.*.amazonaws.com",
		  "streaming-rekognition.*.amazonaws.com", NULL },
		{ "rekognition.*.amazonaws.com", "*.amazonaws.com",
		  "rekognition.x.amazonaws.com" },
		{ "a.*.example", "*.b.example", "a.b.example" },
		{ "example.*", "example.com", "example.com" },
		{ "a.example", "b.example", NULL },
		{ "*.a.example", "*.b.example", NULL },
	};
	char ex[300];
	bool got;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = rbi_pattern_overlap(cases[i].a, cases[i].b, ex,
					  sizeof(ex));
		if (got != (cases[i].example != NULL) ||
		    (got && strcmp(ex, cases[i].example)))
			fail_msg("%s vs %s: %s %s", cases[i].a, cases[i].b,
				 got ? "meet at" : "never meet",
				 got ? ex : "");
		/* Symmetric. */
		assert_int_equal(rbi_pattern_overlap(cases[i].b, cases[i].a,
						     ex, sizeof(ex)), got);
	}
}

/* The tests write their files in a fresh directory, their cwd. */
static int group_setup(void **state)
{
	(void)state;
	snprintf(topdir, sizeof(topdir), "/tmp/rbi-catalog-XXXXXX");
	if (!getcwd(origdir, sizeof(origdir)) || !mkdtemp(topdir) ||
	    chdir(topdir))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[128];

	(void)state;
	if (chdir(origdir))
		return -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", topdir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_exclusions_not_blocked),
		cmocka_unit_test(test_review_corrections),
		cmocka_unit_test(test_builtin_lint_clean),
		cmocka_unit_test(test_include_adds),
		cmocka_unit_test(test_operator_names),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_pattern_overlap),
	};
	enum { N_FIXED = sizeof(fixed) / sizeof(fixed[0]),
	       N_CRAFTED = sizeof(crafted) / sizeof(crafted[0]) };
	struct CMUnitTest *tests;
	struct rbi_diags d;
	size_t n = 0, i;
	int rc;

	/* The built-in policy, and one test per entry, named for it. */
	rbi_diags_init(&d);
	builtin = rbi_policy_load(NULL, 0, &d);
	rbi_diags_free(&d);
	if (!builtin)
		return 1;
	tests = calloc(N_FIXED + N_CRAFTED + builtin->n_services +
		       builtin->n_doh, sizeof(*tests));
	if (!tests)
		return 1;
	for (i = 0; i < N_FIXED; i++)
		tests[n++] = fixed[i];
	for (i = 0; i < N_CRAFTED; i++)
		tests[n++] = (struct CMUnitTest){ crafted[i].name, test_crafted,
			NULL, NULL, (void *)(uintptr_t)&crafted[i] };
	for (i = 0; i < builtin->n_services + builtin->n_doh; i++) {
		const struct rbi_service *s = i < builtin->n_services ?
			&builtin->services[i] :
			&builtin->doh[i - builtin->n_services];

		tests[n++] = (struct CMUnitTest){ s->id, test_entry_names,
			NULL, NULL, (void *)(uintptr_t)s };
	}
	rc = _cmocka_run_group_tests("catalog", tests, n, group_setup,
				     group_teardown);
	rbi_policy_free(builtin);
	free(tests);
	return rc;
}
