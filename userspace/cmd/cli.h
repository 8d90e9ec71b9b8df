/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef RBI_CLI_H
#define RBI_CLI_H

/* Exit statuses shared by every rbictl command. */
enum {
	RBI_EXIT_OK = 0,
	RBI_EXIT_FAIL = 1,	/* invalid policy, log not intact, apply failed */
	RBI_EXIT_USAGE = 2,	/* bad command line */
	RBI_EXIT_FOUND = 3,	/* scan --fail-on-block found RBI traffic */
};

struct rbi_cmd {
	const char *name;	/* "policy check": words as typed */
	const char *synopsis;	/* arguments after the name */
	const char *summary;	/* one line for `rbictl --help` */
	const char *help;	/* full text for `rbictl help NAME` */
	int (*run)(int argc, char **argv);	/* argv[0] is the name */
};

/* Prints usage of cmd to stderr and returns RBI_EXIT_USAGE. */
int rbi_cli_usage(const struct rbi_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints the full help of cmd to stdout. */
void rbi_cli_help(const struct rbi_cmd *cmd);

/* Looks a command up by its full name ("audit verify"). */
const struct rbi_cmd *rbi_cli_find(const char *name);

#endif
