// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What a policy record says the policy enforced (policy/facts.h): the
 * catalogues with each file's digest, the prohibition, zones and enforce
 * settings; within its byte budget however many zones a policy has, the
 * rest counted; and readable by the audit log's own JSON reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "audit/json.h"
#include "audit/record.h"
#include "policy/facts.h"
#include "policy_load.h"

static const char head[] =
	"rbiblock: 1\nname: facts\nbasis: Art. 5(1)(d) as amended.\n"
	"prohibit:\n  categories: [remote-biometric-identification, "
	"biometric-categorisation, emotion-recognition]\n"
	"  timing: [real-time, post]\n  actors: [public, private]\n"
	"  exceptions: []\nenforce:\n  quic: log\n  on-failure: closed\n"
	"zones:\n";

/* The facts as one JSON object, parsed. */
static void facts_obj(const struct rbi_policy *p, size_t cap,
		      struct rbi_buf *obj, struct rbi_audit_jobj *o)
{
	struct rbi_buf facts = RBI_BUF_INIT;

	assert_int_equal(rbi_policy_facts(p, &facts, cap), 0);
	assert_true(facts.len <= cap);
	rbi_buf_addc(obj, '{');
	rbi_buf_add(obj, facts.data, facts.len);
	rbi_buf_addc(obj, '}');
	assert_int_equal(rbi_audit_json_parse(obj->data, obj->len, o), 0);
	rbi_buf_free(&facts);
}

static void test_facts(void **state)
{
	struct rbi_buf text = RBI_BUF_INIT, obj = RBI_BUF_INIT;
	struct rbi_audit_jobj *o = malloc(4 * sizeof(*o));
	const struct rbi_audit_jval *v, *files;
	struct rbi_audit_jval e, c;
	struct rbi_policy *p;
	size_t pos = 0, cpos = 0, n = 0;

	rbi_buf_adds(&text, head);
	rbi_buf_adds(&text, "  - name: square\n    publicly-accessible: true\n"
		     "    networks: [10.20.0.0/16]\n  - name: staff\n"
		     "    publicly-accessible: false\n"
		     "    networks: [10.30.0.0/24]\n");
	p = rbi_test_policy_load("facts.yaml", rbi_buf_str(&text));
	facts_obj(p, RBI_AUDIT_FACTS_CAP, &obj, o);
	/* The catalogue: its digest, its sources, every file's digest. */
	v = rbi_audit_json_get(o, "catalog");
	assert_non_null(v);
	assert_int_equal(rbi_audit_json_parse(v->p, v->n, o + 1), 0);
	assert_true(rbi_audit_json_eq(rbi_audit_json_get(o + 1, "sha256"),
				      p->catalog_sha256_hex));
	assert_non_null(rbi_audit_json_get(o + 1, "newest"));
	while (rbi_audit_json_next(rbi_audit_json_get(o + 1, "catalogs"),
				   &cpos, &c)) {
		assert_int_equal(rbi_audit_json_parse(c.p, c.n, o + 2), 0);
		files = rbi_audit_json_get(o + 2, "files");
		pos = 0;
		while (rbi_audit_json_next(files, &pos, &e)) {
			assert_int_equal(rbi_audit_json_parse(e.p, e.n, o + 3),
					 0);
			n++;
			assert_true(rbi_audit_json_eq(rbi_audit_json_get(o + 3,
								 "sha256"),
						      p->files[n].sha256_hex));
		}
	}
	assert_int_equal(n, p->n_files - 1);
	assert_true(n > 1);
	/* What was enforced, as policy show --json has it. */
	v = rbi_audit_json_get(o, "enforced");
	assert_non_null(v);
	assert_int_equal(rbi_audit_json_parse(v->p, v->n, o + 1), 0);
	assert_non_null(strstr(v->p, "\"enforce\":{\"shared-hosts\":\"block\","
				     "\"encrypted-client-hello\":\"block\","
				     "\"quic\":\"log\","));
	assert_non_null(strstr(v->p, "\"zones\":[{\"name\":\"square\","
				     "\"publicly_accessible\":true,"
				     "\"networks\":[\"10.20.0.0/16\"]},"));
	assert_non_null(strstr(v->p, "\"zones_omitted\":0}"));
	rbi_policy_free(p);
	rbi_buf_free(&text);
	rbi_buf_free(&obj);
	free(o);
}

/* A policy with more zones than fit: within the cap, the rest counted. */
static void test_facts_budget(void **state)
{
	struct rbi_buf text = RBI_BUF_INIT, obj = RBI_BUF_INIT;
	struct rbi_audit_jobj *o = malloc(2 * sizeof(*o));
	const struct rbi_audit_jval *v;
	struct rbi_audit_jval e;
	struct rbi_policy *p;
	uint64_t omitted = 0;
	size_t pos = 0, listed = 0, i;
	const size_t zones = 600;

	rbi_buf_adds(&text, head);
	for (i = 0; i < zones; i++)
		rbi_buf_printf(&text, "  - name: zone-with-a-long-name-%zu\n"
			       "    publicly-accessible: true\n"
			       "    networks: [10.%zu.%zu.0/24]\n", i,
			       i / 256, i % 256);
	p = rbi_test_policy_load("many.yaml", rbi_buf_str(&text));
	facts_obj(p, RBI_AUDIT_FACTS_CAP, &obj, o);
	v = rbi_audit_json_get(o, "enforced");
	assert_int_equal(rbi_audit_json_parse(v->p, v->n, o + 1), 0);
	while (rbi_audit_json_next(rbi_audit_json_get(o + 1, "zones"), &pos,
				   &e))
		listed++;
	assert_true(rbi_audit_json_u64(rbi_audit_json_get(o + 1,
							  "zones_omitted"),
				       &omitted));
	assert_true(listed > 10);
	assert_true(listed < zones);
	assert_int_equal(listed + omitted, zones);
	rbi_policy_free(p);
	rbi_buf_free(&text);
	rbi_buf_free(&obj);
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_facts),
		cmocka_unit_test(test_facts_budget),
	};

	return cmocka_run_group_tests_name("policy_facts", tests, NULL, NULL);
}
