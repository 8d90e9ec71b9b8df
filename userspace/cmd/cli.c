// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The command table, help and usage, and what every command shares. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rbi_compat.h"
#include "cmd/cli.h"
#include "cmd/commands.h"

#define RBI_CMD(name, fn, synopsis, summary)				\
	{ name, synopsis, summary, rbi_help_##fn, rbi_cmd_##fn }

static const struct rbi_cmd rbi_cmds[] = {
	RBI_CMD("init", init,
		"--zone NAME=NET[,NET...] [--private-zone NAME=NET[,NET...]] "
		"[--recorder NAME=NET[,NET...][@PORTS]] [--example NAME|FILE] "
		"[--origin ORIGIN] [--name NAME] [-o FILE] [--force]",
		"write this gateway's first policy and audit key"),
	RBI_CMD("policy check", policy_check, "[-p POLICY] [-q]",
		"validate a policy and its catalogue against the prohibition"),
	RBI_CMD("policy show", policy_show, "[-p POLICY] [--json]",
		"print zones, services and rules with their basis"),
	RBI_CMD("policy explain", policy_explain,
		"[-p POLICY] --src ADDR [--dst ADDR] [--l4 tcp|udp] "
		"[--dport N] [--app APP] [--name HOST] [--ech] "
		"[--markers LIST]",
		"say what the policy decides for one flow, and why"),
	RBI_CMD("catalog list", catalog_list,
		"[-p POLICY | -c CATALOG] [--json]",
		"list catalogue entries: categories, confidence, lifecycle"),
	RBI_CMD("catalog show", catalog_show,
		"ID [-p POLICY | -c CATALOG] [--json]",
		"one catalogue entry with every fact and its evidence"),
	RBI_CMD("catalog lint", catalog_lint,
		"[-p POLICY | -c CATALOG] [--pub FILE] [--today DATE] "
		"[--strict]",
		"check a catalogue's evidence, dates, tests and overlaps"),
	RBI_CMD("catalog diff", catalog_diff, "OLD NEW [--json]",
		"compare two catalogues entry by entry, fact by fact"),
	RBI_CMD("catalog sign", catalog_sign, "DIR --key FILE",
		"sign a catalogue directory's manifest for release"),
	RBI_CMD("catalog verify", catalog_verify, "DIR --pub FILE",
		"verify a catalogue directory's signature"),
	RBI_CMD("keygen", keygen, "--origin ORIGIN -o PREFIX",
		"make an audit log signing key (PREFIX.key, PREFIX.pub)"),
	RBI_CMD("audit verify", audit_verify,
		"DIR --pub FILE [--json] [--strict]",
		"verify an audit log offline: signatures, tree, continuity"),
	RBI_CMD("audit show", audit_show,
		"DIR [--since T] [--until T] [--zone Z] [--camera ADDR] "
		"[--service ID] [--type TYPE] "
		"[--format text|jsonl|csv|syslog|cef]",
		"filter and export audit records"),
	RBI_CMD("audit proof", audit_proof,
		"DIR --index N [--epoch E] [-o FILE]",
		"write a c2sp.org/tlog-proof@v1 inclusion proof for one "
		"record"),
	RBI_CMD("audit verify-proof", audit_verify_proof,
		"FILE --pub FILE [--leaf FILE|-]",
		"check a tlog-proof offline"),
	RBI_CMD("audit report", audit_report,
		"DIR --pub FILE [--since T] [--until T] -o report.html",
		"write a self-contained HTML report for regulators or the "
		"public"),
	RBI_CMD("apply", apply,
		"[-p POLICY] [--backend auto|nft|module|queue] [--no-offload]",
		"install the policy as one atomic nftables transaction"),
	RBI_CMD("status", status, "[--json] [-p POLICY] [--pid-file FILE]",
		"what is enforced, counters, learned addresses, and the gaps"),
	RBI_CMD("flush", flush, "",
		"remove rbiblock's nftables table (and nothing else)"),
	RBI_CMD("run", run,
		"[-p POLICY] [--backend B] [--learn-grace S] "
		"[--pid-file FILE] [--no-offload] [--keep FILE]",
		"the daemon: apply, learn from DNS, keep the audit log"),
	RBI_CMD("scan", scan,
		"CAPTURE... [-p POLICY] [--format text|jsonl] "
		"[--fail-on-block] [--filter BPF] [--max-flows N]",
		"find RBI traffic in pcap/pcapng captures, as the gateway "
		"would"),
	RBI_CMD("watch", watch,
		"-i IFACE [-p POLICY] [--format text|jsonl] [--filter BPF] "
		"[--promisc] [-c COUNT] [--max-flows N]",
		"classify live traffic without blocking anything"),
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct rbi_cmd *rbi_cli_find(const char *name)
{
	const struct rbi_cmd *c;

	for (c = rbi_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void rbi_cli_help(const struct rbi_cmd *cmd)
{
	printf("usage: rbictl %s %s\n\n%s\n", cmd->name, cmd->synopsis,
	       cmd->help);
}

int rbi_cli_usage(const struct rbi_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "rbictl %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: rbictl %s %s\n"
		"Try 'rbictl help %s' for more.\n", cmd->name, cmd->synopsis,
		cmd->name);
	return RBI_EXIT_USAGE;
}

enum {
	RBI_CLI_OPTS_MAX = 16,
	RBI_CLI_OPT_BASE = 256,	/* getopt's value for opts[i]: base + i */
	/* Longer words are never near a command or option name. */
	RBI_CLI_WORD_MAX = 40,
	/* Edits a mistyped word may be away from what it meant. */
	RBI_CLI_NEAR = 2,
	RBI_CLI_FAR = 255,
};

/*
 * Edits from a[0..n) to b[0..m): insertions, deletions, substitutions and
 * swaps of two neighbouring letters (the optimal string alignment
 * distance), RBI_CLI_FAR for a word too long to compare.
 */
static unsigned int rbi_cli_distance(const char *a, size_t n, const char *b,
				     size_t m)
{
	uint8_t d[RBI_CLI_WORD_MAX + 1][RBI_CLI_WORD_MAX + 1];
	unsigned int best, cost;
	size_t i, k;

	if (n > RBI_CLI_WORD_MAX || m > RBI_CLI_WORD_MAX)
		return RBI_CLI_FAR;
	for (i = 0; i <= n; i++)
		d[i][0] = (uint8_t)i;
	for (k = 0; k <= m; k++)
		d[0][k] = (uint8_t)k;
	for (i = 1; i <= n; i++) {
		for (k = 1; k <= m; k++) {
			cost = a[i - 1] != b[k - 1];
			best = RBI_MIN(d[i - 1][k] + 1u, d[i][k - 1] + 1u);
			best = RBI_MIN(best, d[i - 1][k - 1] + cost);
			if (i > 1 && k > 1 && a[i - 1] == b[k - 2] &&
			    a[i - 2] == b[k - 1])
				best = RBI_MIN(best, d[i - 2][k - 2] + 1u);
			d[i][k] = (uint8_t)best;
		}
	}
	return d[n][m];
}

/*
 * Whether typed[0..n) is a slip of name[0..m): a couple of edits away,
 * and fewer edits than it has letters, so that "ab" suggests nothing.
 */
static unsigned int rbi_cli_slip(const char *typed, size_t n, const char *name,
				 size_t m)
{
	unsigned int d = rbi_cli_distance(typed, n, name, m);

	return d <= RBI_CLI_NEAR && d < n ? d : RBI_CLI_FAR;
}

/*
 * The command nearest to what was typed: the whole name when words is 2
 * ("polcy check"), else the first word of a name ("scna", "polcy").
 * Returns how much of its name to print, 0 for none near enough.
 */
static size_t rbi_cli_nearest(const char *typed, int words,
			      const struct rbi_cmd **near)
{
	unsigned int best = RBI_CLI_FAR, d;
	const struct rbi_cmd *c;
	size_t m, len = 0;

	for (c = rbi_cmds; c->name; c++) {
		m = words == 2 ? strlen(c->name) : strcspn(c->name, " ");
		d = rbi_cli_slip(typed, strlen(typed), c->name, m);
		if (d < best) {
			best = d;
			*near = c;
			len = m;
		}
	}
	return len;
}

/*
 * What getopt refused in arg: a long option that abbreviates several
 * (ambiguous), a slip of one, or none at all.
 */
static int rbi_cli_bad_option(const struct rbi_cmd *cmd, const char *arg,
			      const struct option *lo)
{
	const char *name = arg + 2, *near = NULL;
	size_t n = strcspn(name, "="), have = 0;
	unsigned int best = RBI_CLI_FAR, d, prefixes = 0;
	char all[RBI_CLI_OPTS_MAX * (RBI_CLI_WORD_MAX + 4)] = "";

	if (strncmp(arg, "--", 2))
		return rbi_cli_usage(cmd, "unknown option '%s'", arg);
	for (; lo->name; lo++) {
		if (!strncmp(lo->name, name, n) && have < sizeof(all)) {
			have += (size_t)snprintf(all + have, sizeof(all) - have,
						 "%s--%s", prefixes ? ", " : "",
						 lo->name);
			prefixes++;
		}
		d = rbi_cli_slip(name, n, lo->name, strlen(lo->name));
		if (d < best) {
			best = d;
			near = lo->name;
		}
	}
	if (prefixes > 1)
		return rbi_cli_usage(cmd, "option '%.*s' is ambiguous: %s",
				     (int)n + 2, arg, all);
	if (near)
		return rbi_cli_usage(cmd, "unknown option '%.*s'; did you mean "
				     "'--%s'?", (int)n + 2, arg, near);
	return rbi_cli_usage(cmd, "unknown option '%.*s'", (int)n + 2, arg);
}

int rbi_cli_parse(const struct rbi_cmd *cmd, int argc, char **argv,
		  const struct rbi_cli_opt *opts, int min, int max,
		  const char *missing)
{
	struct option lo[RBI_CLI_OPTS_MAX + 2];
	char so[3 * RBI_CLI_OPTS_MAX + 3], *sp = so;
	int c, i, n;

	/* Leading ':': a missing value is told apart from a bad option. */
	*sp++ = ':';
	for (n = 0; opts[n].name && n < RBI_CLI_OPTS_MAX; n++) {
		bool arg = opts[n].value || opts[n].list;

		lo[n] = (struct option){ opts[n].name,
			arg ? required_argument : no_argument, NULL,
			RBI_CLI_OPT_BASE + n };
		if (opts[n].key) {
			*sp++ = opts[n].key;
			if (arg)
				*sp++ = ':';
		}
	}
	lo[n] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	*sp++ = 'h';
	*sp = '\0';
	/* 0, not 1: glibc starts over, whatever was parsed before. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (c == 'h') {
			rbi_cli_help(cmd);
			return RBI_EXIT_OK;
		}
		if (c == ':')
			return rbi_cli_usage(cmd, "option '%s' needs a value",
					     argv[optind - 1]);
		/* getopt names a long switch given a value by its value. */
		if (c == '?' && optopt >= RBI_CLI_OPT_BASE)
			return rbi_cli_usage(cmd, "option '--%s' takes no "
					     "value", lo[optopt -
							 RBI_CLI_OPT_BASE].name);
		if (c == '?' && optopt)
			return rbi_cli_usage(cmd, "unknown option '-%c'",
					     optopt);
		if (c == '?')
			return rbi_cli_bad_option(cmd, argv[optind - 1], lo);
		for (i = 0; i < n && c != RBI_CLI_OPT_BASE + i &&
		     c != opts[i].key; i++)
			;
		if (i == n)
			return rbi_cli_usage(cmd, "bad option");
		if (opts[i].value)
			*opts[i].value = optarg;
		else if (!opts[i].list)
			*opts[i].flag = true;
		else if (opts[i].list->n < RBI_CLI_LIST_MAX)
			opts[i].list->v[opts[i].list->n++] = optarg;
		else
			return rbi_cli_usage(cmd, "--%s: at most %d times",
					     opts[i].name, RBI_CLI_LIST_MAX);
	}
	n = argc - optind;
	if (n > max)
		return rbi_cli_usage(cmd, "unexpected argument '%s'",
				     argv[optind + max]);
	if (n < min)
		return rbi_cli_usage(cmd, "%s", missing);
	return -1;
}

bool rbi_cli_terminal(FILE *f)
{
	const char *term = getenv("TERM");

	return isatty(fileno(f)) && term && *term && strcmp(term, "dumb");
}

bool rbi_cli_color(FILE *f)
{
	const char *no = getenv("NO_COLOR");

	return rbi_cli_terminal(f) && (!no || !*no);
}

const char *rbi_cli_policy_path(const char *path)
{
	if (path)
		return path;
	path = rbi_policy_default_path();
	if (!path)
		fprintf(stderr, "rbictl: note: using the built-in default "
			"policy, since %s does not exist: its one zone 'all' "
			"puts every address in a publicly accessible zone. "
			"'rbictl init' writes a policy with your camera "
			"networks.\n", RBI_POLICY_DEFAULT_PATH);
	return path;
}

struct rbi_policy *rbi_cli_policy_load(const char *path, unsigned int flags)
{
	return rbi_policy_load_report(rbi_cli_policy_path(path), flags,
				      stderr);
}

/* Names and summaries apart by two spaces at least, for tools to read. */
void rbi_cli_list(FILE *f)
{
	const struct rbi_cmd *c;
	int w = 0;

	for (c = rbi_cmds; c->name; c++)
		if ((int)strlen(c->name) > w)
			w = (int)strlen(c->name);
	for (c = rbi_cmds; c->name; c++)
		fprintf(f, "  %-*s  %s\n", w, c->name, c->summary);
}

/*
 * Lists the commands of the group word ("policy"), or names the one that
 * next was a slip of (near, when not NULL); false when word is no group.
 */
static bool rbi_cli_group(const char *word, const char *next,
			  const struct rbi_cmd *near)
{
	size_t n = strlen(word);
	const struct rbi_cmd *c;
	bool group = false;

	for (c = rbi_cmds; c->name; c++) {
		if (strncmp(c->name, word, n) || c->name[n] != ' ')
			continue;
		if (near && !strncmp(near->name, word, n) &&
		    near->name[n] == ' ') {
			fprintf(stderr, "rbictl %s: no subcommand '%s'; did "
				"you mean 'rbictl %s'?\n", word, next,
				near->name);
			return true;
		}
		if (!group)
			fprintf(stderr, "rbictl %s: %s%s%sa subcommand is "
				"needed:\n", word, next ? "no subcommand '" : "",
				next ? next : "", next ? "'; " : "");
		group = true;
		fprintf(stderr, "  rbictl %-19s %s\n", c->name, c->summary);
	}
	return group;
}

void rbi_cli_unknown(const char *word, const char *next)
{
	char both[2 * RBI_CLI_WORD_MAX + 2];
	const struct rbi_cmd *near = NULL;
	size_t len = 0;

	/* "polcy check", "policy chekc": a slip of a two-word name. */
	if (next) {
		snprintf(both, sizeof(both), "%s %s", word, next);
		len = rbi_cli_nearest(both, 2, &near);
	}
	if (rbi_cli_group(word, next, len ? near : NULL))
		return;
	if (len) {
		fprintf(stderr, "rbictl: no command '%s'; did you mean "
			"'rbictl %s'?\n", both, near->name);
		return;
	}
	len = rbi_cli_nearest(word, 1, &near);
	if (len)
		fprintf(stderr, "rbictl: no command '%s'; did you mean "
			"'rbictl %.*s'?\n", word, (int)len, near->name);
	else
		fprintf(stderr, "rbictl: no command '%s'; see 'rbictl "
			"--help'\n", word);
}
