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
	/*
	 * run: the policy can't be enforced as it is (invalid, none, or no
	 * publicly accessible zone); sysexits' EX_CONFIG, which the unit
	 * does not restart on.
	 */
	RBI_EXIT_CONFIG = 78,
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
 * Says why word (and next, if any) names no command, on one line when it
 * can: the command a slip of the keys meant ("scna", "policy chekc",
 * "polcy check": did you mean ...?), else the commands of the group word
 * starts ("policy"), else a pointer to --help.
 */
void rbi_cli_unknown(const char *word, const char *next);

enum {
	RBI_CLI_LIST_MAX = 64,	/* values of one repeatable option */
};

/* The values of an option that may be given more than once, in order. */
struct rbi_cli_list {
	const char *v[RBI_CLI_LIST_MAX];
	size_t n;
};

/*
 * One option of a command: one that takes a value, one that may be given
 * again and again, or a switch.
 */
struct rbi_cli_opt {
	const char *name;	/* its long name */
	char key;		/* its short letter, or 0 */
	const char **value;	/* takes a value, stored here */
	bool *flag;		/* takes none: set to true */
	struct rbi_cli_list *list;	/* takes a value each time, kept */
};

#define RBI_CLI_VALUE(name, key, p)	{ name, key, p, NULL, NULL }
#define RBI_CLI_FLAG(name, key, p)	{ name, key, NULL, p, NULL }
#define RBI_CLI_LIST(name, key, p)	{ name, key, NULL, NULL, p }
#define RBI_CLI_POLICY(p)		RBI_CLI_VALUE("policy", 'p', p)
#define RBI_CLI_END			{ NULL, 0, NULL, NULL, NULL }

/*
 * Reads a command line by opts (ended by RBI_CLI_END), and -h/--help
 * besides, then checks that min to max operands follow (fewer: the usage
 * says missing). Returns -1 when the command goes on, its operands from
 * argv[optind]; else the exit status: 0 after --help, RBI_EXIT_USAGE after
 * printing the usage (an unknown long option with the one it may have
 * meant). A value the command then finds wrong is a usage
 * error too: rbi_cli_usage().
 */
int rbi_cli_parse(const struct rbi_cmd *cmd, int argc, char **argv,
		  const struct rbi_cli_opt *opts, int min, int max,
		  const char *missing);

/*
 * Whether f is a terminal that takes escape codes (TERM names one other
 * than "dumb"), for a line rewritten in place; rbi_cli_color() too, and
 * NO_COLOR (no-color.org) is not set, for colour and bold. Output that is
 * redirected never gets either.
 */
bool rbi_cli_terminal(FILE *f);
bool rbi_cli_color(FILE *f);

/*
 * The policy a command uses: path from -p, else /etc/rbiblock/policy.yaml,
 * else NULL for the built-in default, which is said on stderr.
 */
const char *rbi_cli_policy_path(const char *path);

/*
 * Loads the policy rbi_cli_policy_path() names. Diagnostics go to stderr;
 * NULL when the policy is invalid.
 */
struct rbi_policy *rbi_cli_policy_load(const char *path, unsigned int flags);

#endif
