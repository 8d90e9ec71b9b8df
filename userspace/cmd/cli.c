// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The command table, help and usage, and what every command shares. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
		"[--pid-file FILE] [--no-offload]",
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
};

int rbi_cli_parse(const struct rbi_cmd *cmd, int argc, char **argv,
		  const struct rbi_cli_opt *opts, int min, int max,
		  const char *missing)
{
	struct option lo[RBI_CLI_OPTS_MAX + 2];
	char so[3 * RBI_CLI_OPTS_MAX + 2], *sp = so;
	int c, i, n;

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
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (c == 'h') {
			rbi_cli_help(cmd);
			return RBI_EXIT_OK;
		}
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

void rbi_cli_unknown(const char *word, const char *next)
{
	size_t n = strlen(word);
	const struct rbi_cmd *c;
	bool group = false;

	for (c = rbi_cmds; c->name; c++) {
		if (strncmp(c->name, word, n) || c->name[n] != ' ')
			continue;
		if (!group)
			fprintf(stderr, "rbictl %s: %s%s%sa subcommand is "
				"needed:\n", word, next ? "no subcommand '" : "",
				next ? next : "", next ? "'; " : "");
		group = true;
		fprintf(stderr, "  rbictl %-19s %s\n", c->name, c->summary);
	}
	if (!group)
		fprintf(stderr, "rbictl: no command '%s'; see 'rbictl --help'\n",
			word);
}
