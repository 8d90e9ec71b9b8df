/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What every rbictl command shares: exit statuses, the command table's
 * entry, help and usage, the end of an option loop, and the policy a
 * command loads.
 */
#ifndef RBI_CLI_H
#define RBI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "policy/policy.h"

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

/* Lists every command with its summary, for `rbictl --help`. */
void rbi_cli_list(FILE *f);

/*
 * Says why word (and next, if any) names no command: lists the commands
 * of the group when word starts one ("policy"), else points at --help.
 */
void rbi_cli_unknown(const char *word, const char *next);

/*
 * The end of every command's option loop, for an option c the command
 * did not take: -h/--help prints the help (exit 0); anything else is a
 * usage error. Returns the exit status.
 */
int rbi_cli_opt_end(const struct rbi_cmd *cmd, int c);

/*
 * Whether the operands after the options number between min and max;
 * when not, prints the usage (with missing when too few) and returns
 * false.
 */
bool rbi_cli_operands(const struct rbi_cmd *cmd, int argc, char **argv,
		      int min, int max, const char *missing);

/*
 * The policy a command uses: path from -p, else /etc/rbiblock/policy.yaml,
 * else the built-in default. Diagnostics go to stderr; NULL when the
 * policy is invalid.
 */
struct rbi_policy *rbi_cli_policy_load(const char *path, unsigned int flags);

#endif
