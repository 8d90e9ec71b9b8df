// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rbictl init's policy text: the example's settings and comments kept,
 * its header, zones, recorders and catalogue replaced or left out, the
 * origin set where the audit block has it or not, and every malformed
 * zone or recorder refused with what is wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "policy/init.h"
#include "policy/policy.h"

static const char example[] =
	"# The example's own site.\n"
	"rbiblock: 1\n"
	"name: example\n"
	"basis: the basis\n"
	"prohibit:\n"
	"  categories: [remote-biometric-identification]\n"
	"  timing: [real-time, post]\n"
	"  actors: [public, private]\n"
	"  exceptions: []\n"
	"# The example's cameras.\n"
	"zones:\n"
	"  - name: far-away\n"
	"    publicly-accessible: true\n"
	"    networks: [10.99.0.0/16]\n"
	"recorders:\n"
	"  - name: their-vms\n"
	"    networks: [10.98.0.5/32]\n"
	"catalog:\n"
	"  services:\n"
	"    - id: their-server\n"
	"      name: theirs\n"
	"      categories: [remote-biometric-identification]\n"
	"      networks: [10.97.0.0/24]\n"
	"enforce:\n"
	"  quic: block   # kept with its comment\n"
	"audit:\n"
	"  dir: /var/lib/rbiblock/audit\n"
	"  origin: example.invalid/gw\n"
	"  heartbeat: 60s\n";

static void make(struct rbi_init *in, const char *ex, struct rbi_buf *out)
{
	char err[256];

	assert_int_equal(rbi_init_text(in, ex, "test", out, err, sizeof(err)),
			 0);
}

static void replaces_the_site(void **state)
{
	struct rbi_init in = { .origin = "gw1.test/rbiblock" };
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_policy *p;
	struct rbi_diags d;
	char err[256];
	const char *s;

	(void)state;
	assert_int_equal(rbi_init_add(&in, RBI_INIT_ZONE,
				      "squares=10.20.0.0/16,2001:db8:20::/48",
				      err, sizeof(err)), 0);
	assert_int_equal(rbi_init_add(&in, RBI_INIT_PRIVATE_ZONE,
				      "staff=10.30.5.0/24", err, sizeof(err)),
			 0);
	assert_int_equal(rbi_init_add(&in, RBI_INIT_RECORDER,
				      "vms=10.10.0.5@554,8000-8100", err,
				      sizeof(err)), 0);
	make(&in, example, &out);
	s = rbi_buf_str(&out);
	assert_null(strstr(s, "far-away"));
	assert_null(strstr(s, "their-vms"));
	assert_null(strstr(s, "their-server"));
	assert_null(strstr(s, "The example's"));
	assert_null(strstr(s, "example.invalid"));
	assert_non_null(strstr(s, "Written by 'rbictl init' from the example "
			       "'test'"));
	assert_non_null(strstr(s, "  quic: block   # kept with its comment\n"));
	assert_non_null(strstr(s, "networks: [10.20.0.0/16, "
			       "\"2001:db8:20::/48\"]"));
	assert_non_null(strstr(s, "ports: [554, 8000-8100]"));
	assert_non_null(strstr(s, "audit:\n  origin: gw1.test/rbiblock\n"
			       "  dir: /var/lib/rbiblock/audit\n"));
	rbi_diags_init(&d);
	p = rbi_policy_load_text("init.yaml", out.data, out.len, 0, &d);
	assert_non_null(p);
	assert_int_equal(p->n_zones, 2);
	assert_true(p->zones[0].public);
	assert_false(p->zones[1].public);
	assert_int_equal(p->n_recorders, 1);
	assert_string_equal(p->audit.origin, "gw1.test/rbiblock");
	rbi_policy_free(p);
	rbi_diags_free(&d);
	rbi_buf_free(&out);
	rbi_init_free(&in);
}

static void adds_what_the_example_lacks(void **state)
{
	struct rbi_init in = { .origin = "o/gw", .name = "site" };
	struct rbi_buf out = RBI_BUF_INIT;
	char err[256];
	const char *s;

	(void)state;
	assert_int_equal(rbi_init_add(&in, RBI_INIT_ZONE, "z=192.0.2.0/24",
				      err, sizeof(err)), 0);
	make(&in, "rbiblock: 1\nname: bare\n", &out);
	s = rbi_buf_str(&out);
	assert_non_null(strstr(s, "name: site\n"));
	assert_null(strstr(s, "bare"));
	assert_non_null(strstr(s, "  - name: z\n"));
	assert_non_null(strstr(s, "audit:\n  origin: o/gw\n"));
	assert_null(strstr(s, "recorders:"));
	rbi_buf_free(&out);
	rbi_init_free(&in);
}

static void refuses_a_flow_style_audit(void **state)
{
	struct rbi_init in = { .origin = "o/gw" };
	struct rbi_buf out = RBI_BUF_INIT;
	char err[256];

	(void)state;
	assert_int_equal(rbi_init_text(&in, "audit: {dir: /x}\n", "t", &out,
				       err, sizeof(err)), -1);
	assert_non_null(strstr(err, "block mapping"));
	rbi_buf_free(&out);
}

static void refuses_malformed_parts(void **state)
{
	static const struct {
		enum rbi_init_kind kind;
		const char *spec, *why;
	} bad[] = {
		{ RBI_INIT_ZONE, "10.0.0.0/8", "NAME=NETWORK" },
		{ RBI_INIT_ZONE, "=10.0.0.0/8", "NAME=NETWORK" },
		{ RBI_INIT_ZONE, "a b=10.0.0.0/8", "may only hold" },
		{ RBI_INIT_ZONE, ".a=10.0.0.0/8", "may only hold" },
		{ RBI_INIT_ZONE, "a=", "not a network" },
		{ RBI_INIT_ZONE, "a=10.1.2.3/8", "host bits" },
		{ RBI_INIT_ZONE, "a=10.0.0.0/8,,10.1.0.0/16", "not a network" },
		{ RBI_INIT_ZONE, "a=10.0.0.0/8\n", "not a network" },
		{ RBI_INIT_PRIVATE_ZONE, "a=300.0.0.0/8", "not a network" },
		{ RBI_INIT_RECORDER, "r=10.0.0.5@0", "not a port" },
		{ RBI_INIT_RECORDER, "r=10.0.0.5@65536", "not a port" },
		{ RBI_INIT_RECORDER, "r=10.0.0.5@9-8", "not a port" },
		{ RBI_INIT_RECORDER, "r=10.0.0.5@", "not a port" },
		{ RBI_INIT_RECORDER, "r=10.0.0.5@554x", "not a port" },
		/* A zone's '@' is no port list: it is a bad network. */
		{ RBI_INIT_ZONE, "a=10.0.0.0/8@554", "not a network" },
	};
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rbi_init in = { 0 };

		err[0] = '\0';
		assert_int_equal(rbi_init_add(&in, bad[i].kind, bad[i].spec,
					      err, sizeof(err)), -1);
		if (!strstr(err, bad[i].why))
			fail_msg("'%s': %s", bad[i].spec, err);
		assert_int_equal(in.n[bad[i].kind], 0);
		rbi_init_free(&in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replaces_the_site),
		cmocka_unit_test(adds_what_the_example_lacks),
		cmocka_unit_test(refuses_a_flow_style_audit),
		cmocka_unit_test(refuses_malformed_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
