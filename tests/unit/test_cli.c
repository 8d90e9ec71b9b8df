// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The command line every rbictl command reads through rbi_cli_parse():
 * values and switches by long name and short letter, --help, a bad
 * option, and the count of operands; the counted nouns every command
 * prints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cmd/cli.h"
#include "util/plural.h"

struct parsed {
	const char *policy, *format;
	bool json;
};

/* argv as getopt takes it: writable (it permutes), with argv[argc] NULL. */
static char *argv_copy[16];

static int parse(struct parsed *p, int min, int max,
		 const char *const *args)
{
	char **argv = argv_copy;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_POLICY(&p->policy),
		RBI_CLI_VALUE("format", 0, &p->format),
		RBI_CLI_FLAG("json", 'j', &p->json),
		RBI_CLI_END
	};
	int argc = 0;

	for (; argc < 16 && argv[argc]; argc++)
		free(argv[argc]);
	for (argc = 0; args[argc]; argc++)
		argv[argc] = strdup(args[argc]);
	argv[argc] = NULL;
	memset(p, 0, sizeof(*p));
	return rbi_cli_parse(rbi_cli_find("status"), argc, argv, opts, min,
			     max, "an operand is needed");
}

static void values_and_switches(void **state)
{
	const char *const argv[] = { "status", "-p", "a.yaml", "--format=jsonl", "-j",
			 NULL };
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 0, 0, argv), -1);
	assert_string_equal(p.policy, "a.yaml");
	assert_string_equal(p.format, "jsonl");
	assert_true(p.json);
}

static void long_names(void **state)
{
	const char *const argv[] = { "status", "--policy", "b.yaml", "--json", NULL };
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 0, 0, argv), -1);
	assert_string_equal(p.policy, "b.yaml");
	assert_null(p.format);
	assert_true(p.json);
}

static void help_and_bad(void **state)
{
	const char *const help[] = { "status", "--help", NULL };
	const char *const bad[] = { "status", "--nope", NULL };
	const char *const noval[] = { "status", "--format", NULL };
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 0, 0, help), RBI_EXIT_OK);
	assert_int_equal(parse(&p, 0, 0, bad), RBI_EXIT_USAGE);
	assert_int_equal(parse(&p, 0, 0, noval), RBI_EXIT_USAGE);
}

static void operands(void **state)
{
	const char *const none[] = { "status", "-j", NULL };
	const char *const one[] = { "status", "dir", "-j", NULL };
	const char *const two[] = { "status", "dir", "more", NULL };
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 1, 1, none), RBI_EXIT_USAGE);
	assert_int_equal(parse(&p, 1, 1, one), -1);
	assert_string_equal(argv_copy[optind], "dir");
	assert_true(p.json);
	assert_int_equal(parse(&p, 1, 1, two), RBI_EXIT_USAGE);
	assert_int_equal(parse(&p, 0, 0, one), RBI_EXIT_USAGE);
}

static void plurals(void **state)
{
	(void)state;
	assert_string_equal(rbi_plural(0, "leaf", "leaves"), "leaves");
	assert_string_equal(rbi_plural(1, "leaf", "leaves"), "leaf");
	assert_string_equal(rbi_plural(2, "leaf", "leaves"), "leaves");
	assert_string_equal(rbi_plural(UINT64_MAX, "error", "errors"),
			    "errors");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values_and_switches),
		cmocka_unit_test(long_names),
		cmocka_unit_test(help_and_bad),
		cmocka_unit_test(operands),
		cmocka_unit_test(plurals),
	};

	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	int i;

	for (i = 0; i < 16; i++)
		free(argv_copy[i]);
	return rc;
}
