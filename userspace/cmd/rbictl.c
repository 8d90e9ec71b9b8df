// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rbictl: compile and apply rbiblock policies, run the daemon, read the
 * audit log, scan captures. Each command lives in its own file, the
 * command table in cli.c; this one only dispatches.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"

static void rbi_main_help(FILE *f)
{
	fprintf(f,
		"usage: rbictl COMMAND [ARGS...]\n"
		"       rbictl help COMMAND\n"
		"       rbictl --version\n\n"
		"rbiblock blocks camera traffic to remote biometric identification,\n"
		"biometric categorisation and emotion recognition services, and keeps\n"
		"a tamper-evident audit log.\n\n"
		"Commands:\n");
	rbi_cli_list(f);
	fprintf(f, "\nWithout -p, commands read %s, else the\nbuilt-in "
		"default policy, and say so; 'rbictl run' needs a policy "
		"file.\n", RBI_POLICY_DEFAULT_PATH);
}

/*
 * Commands are one or two words ("scan", "policy check"): take the longest
 * prefix of argv that names one.
 */
static const struct rbi_cmd *rbi_cli_match(int argc, char **argv, int *words)
{
	char name[64];

	if (argc >= 2) {
		snprintf(name, sizeof(name), "%s %s", argv[0], argv[1]);
		if (rbi_cli_find(name)) {
			*words = 2;
			return rbi_cli_find(name);
		}
	}
	*words = 1;
	return rbi_cli_find(argv[0]);
}

static int rbi_cli_help_cmd(int argc, char **argv)
{
	const struct rbi_cmd *c;
	int words;

	if (argc == 0) {
		rbi_main_help(stdout);
		return RBI_EXIT_OK;
	}
	c = rbi_cli_match(argc, argv, &words);
	if (!c) {
		rbi_cli_unknown(argv[0], argc > 1 ? argv[1] : NULL);
		return RBI_EXIT_USAGE;
	}
	rbi_cli_help(c);
	return RBI_EXIT_OK;
}

int main(int argc, char **argv)
{
	static char name[80];
	const struct rbi_cmd *c;
	int words;

	if (argc < 2) {
		rbi_main_help(stderr);
		return RBI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return rbi_cli_help_cmd(0, NULL);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("rbictl %s\n", RBI_VERSION);
		return RBI_EXIT_OK;
	}
	if (!strcmp(argv[1], "help"))
		return rbi_cli_help_cmd(argc - 2, argv + 2);

	c = rbi_cli_match(argc - 1, argv + 1, &words);
	if (!c) {
		rbi_cli_unknown(argv[1], argc > 2 ? argv[2] : NULL);
		return RBI_EXIT_USAGE;
	}
	/* getopt names the command in its messages: "rbictl scan: ...". */
	snprintf(name, sizeof(name), "rbictl %s", c->name);
	argv += words;
	argc -= words;
	argv[0] = name;
	return c->run(argc, argv);
}
