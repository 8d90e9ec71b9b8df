// SPDX-License-Identifier: GPL-2.0 OR MIT
/* rbictl apply | status | flush */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/nft.h"
#include "cmd/policy.h"
#include "cmd/cli.h"
#include "util/json.h"
#include "kmod/modctl.h"
#include "kmod/modstat.h"
#include "nft/defs.h"
#include "cmd/run.h"

#define RBI_MODULE_SYSFS	"/sys/module/rbiblock"

const char rbi_help_apply[] =
"Compiles the policy into nftables' table inet rbiblock and installs it in\n"
"one transaction: the old table is deleted and the new one created in the\n"
"same batch, so a failure leaves the previous ruleset exactly as it was.\n"
"Applying a policy whose ruleset is already installed changes nothing\n"
"(counters and learned addresses stay). A changed policy keeps the\n"
"learned addresses of services it still blocks or logs, with what is\n"
"left of their time, in the same transaction. No other table is touched.\n"
"\n"
"The table holds named sets of the zones' networks, the recorders, the\n"
"DNS-over-HTTPS resolvers and the services' networks, verdict maps for\n"
"service addresses learned from DNS answers (filled by 'rbictl run'),\n"
"and rules that act on the verdicts rbiblock.ko writes into conntrack\n"
"labels, present even when the module is not loaded. Read it with\n"
"'nft list table inet rbiblock'.\n"
"\n"
"  -p, --policy FILE   the policy (default: /etc/rbiblock/policy.yaml if it\n"
"                      exists, else the built-in default policy)\n"
"  --backend auto      nftables, plus the module's verdicts when it is\n"
"                      loaded (default)\n"
"  --backend nft       nftables only\n"
"  --backend module    require rbiblock.ko: fails when it is not loaded\n"
"                      (with on-failure: closed, camera egress is then\n"
"                      blocked except to recorders)\n"
"\n"
"Exit status: 0 applied or unchanged, 1 invalid policy or failed, 2 usage.";

const char rbi_help_status[] =
"Says what is enforced now: the backend, the sha256 of the applied policy,\n"
"the sha256 of the ruleset read back from the kernel (a canonical digest\n"
"that leaves out counters, handles and learned addresses), each rule's\n"
"counter, the learned addresses, whether the daemon runs, the conntrack\n"
"mark and label bits rbiblock uses, and what is NOT enforced and why.\n"
"When rbiblock.ko is loaded: the configuration it holds (generation,\n"
"policy sha256, and whether that is the applied policy), its counters,\n"
"the events it held back, and the addresses it learned.\n"
"\n"
"  --json              one JSON object instead of text\n"
"  -p, --policy FILE   the policy to compare with what is applied\n"
"                      (default as for apply)\n"
"\n"
"Exit status: 0 enforcing, 1 nothing installed or unreadable, 2 usage.";

const char rbi_help_flush[] =
"Removes table inet rbiblock, and with it every rbiblock rule, set and\n"
"learned address. Other tables are never touched. Enforcement stops: the\n"
"cameras' traffic is no longer checked. Removing a table that is not\n"
"there is not an error.\n"
"\n"
"Exit status: 0 removed or absent, 1 failed, 2 usage.";

bool rbi_module_loaded(void)
{
	return access(RBI_MODULE_SYSFS, F_OK) == 0;
}

static const char *const rbi_backend_names[__RBI_BACKEND_MAX] = {
	[RBI_BACKEND_AUTO] = "auto",
	[RBI_BACKEND_NFT] = "nft",
	[RBI_BACKEND_MODULE] = "module",
};

int rbi_backend_apply(const struct rbi_policy *p, enum rbi_backend backend,
		const char *fail_closed, struct rbi_backend_result *res,
		char *err, size_t len)
{
	struct rbi_nft_apply_opts o = { "nft", NULL };
	bool module = rbi_module_loaded();
	bool missing = backend == RBI_BACKEND_MODULE && !module;
	struct rbi_nft_plan plan;
	int rc;

	memset(res, 0, sizeof(*res));
	if (missing && !fail_closed)
		fail_closed = "the policy requires rbiblock.ko, which is not "
			      "loaded";
	if (backend != RBI_BACKEND_NFT && module)
		o.backend = "nft+module";
	if (p->fail_closed)
		o.fail_closed = fail_closed;
	if (rbi_nft_plan_build(p, &plan)) {
		snprintf(err, len, "out of memory compiling the policy");
		return -1;
	}
	plan.fail_closed = o.fail_closed;
	rc = rbi_nft_apply(&plan, &o, &res->nft, err, len);
	rbi_nft_plan_free(&plan);
	if (!rc && module && backend != RBI_BACKEND_NFT &&
	    rbi_modctl_apply(p, err, len))
		rc = -1;
	res->used = o.backend;
	res->fail_closed = o.fail_closed;
	if (!rc && missing) {
		snprintf(err, len, "--backend module: rbiblock.ko is not loaded "
			 "(load it with 'modprobe rbiblock', or apply with "
			 "--backend nft)%s", p->fail_closed ?
			 "; on-failure: closed, so camera egress from public "
			 "zones is now blocked except to recorders" : "");
		rc = -1;
	}
	return rc;
}

static int rbi_parse_backend(const char *s, enum rbi_backend *b)
{
	unsigned int i;

	for (i = 0; i < __RBI_BACKEND_MAX; i++) {
		if (!strcmp(s, rbi_backend_names[i])) {
			*b = i;
			return 0;
		}
	}
	return -1;
}

int rbi_cmd_apply(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "backend", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct rbi_cmd *cmd = rbi_cli_find("apply");
	enum rbi_backend backend = RBI_BACKEND_AUTO;
	struct rbi_backend_result res;
	const char *path = NULL;
	char err[RBI_NFT_ERR_LEN];
	struct rbi_policy *p;
	int c, rc;

	while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			path = optarg;
			break;
		case 'b':
			if (rbi_parse_backend(optarg, &backend))
				return rbi_cli_usage(cmd, "--backend takes auto, "
						     "nft or module, not '%s'",
						     optarg);
			break;
		case 'h':
			rbi_cli_help(cmd);
			return RBI_EXIT_OK;
		default:
			return rbi_cli_usage(cmd, "bad option");
		}
	}
	if (optind < argc)
		return rbi_cli_usage(cmd, "unexpected argument '%s'",
				     argv[optind]);
	p = rbi_cli_policy_load(path, 0);
	if (!p) {
		fprintf(stderr, "rbictl apply: the policy is invalid; nothing "
			"was changed\n");
		return RBI_EXIT_FAIL;
	}
	rc = rbi_backend_apply(p, backend, NULL, &res, err, sizeof(err));
	if (res.nft.sha256[0])
		printf("%s policy %s (sha256 %s)\nbackend: %s\nruleset sha256 "
		       "%s, %zu set elements\n", res.nft.unchanged ?
		       "unchanged, nothing applied:" : "applied:", p->name,
		       p->sha256_hex, res.used, res.nft.sha256,
		       res.nft.elements);
	if (res.nft.carried)
		printf("learned addresses kept from the old ruleset: %zu\n",
		       res.nft.carried);
	if (res.fail_closed)
		printf("fail-closed: %s\n", res.fail_closed);
	if (rc)
		fprintf(stderr, "rbictl apply: %s\n", err);
	else if (strcmp(res.used, "nft"))
		printf("module: loaded; the ruleset enforces its verdicts "
		       "(chain %s)\n", RBI_NFT_CH_MODULE);
	rbi_policy_free(p);
	return rc ? RBI_EXIT_FAIL : RBI_EXIT_OK;
}

int rbi_cmd_flush(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("flush");
	char err[RBI_NFT_ERR_LEN];
	bool existed;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		rbi_cli_help(cmd);
		return RBI_EXIT_OK;
	}
	if (argc > 1)
		return rbi_cli_usage(cmd, "unexpected argument '%s'", argv[1]);
	if (rbi_nft_flush(&existed, err, sizeof(err))) {
		fprintf(stderr, "rbictl flush: %s\n", err);
		return RBI_EXIT_FAIL;
	}
	printf(existed ? "removed table inet " RBI_NFT_TABLE "\n" :
	       "no table inet " RBI_NFT_TABLE ": nothing to remove\n");
	return RBI_EXIT_OK;
}

/* ---- status ---- */

struct rbi_status {
	struct rbi_nft_state nft;
	const struct rbi_policy *p;	/* the policy file, if it loaded */
	bool policy_applied;		/* its sha256 is the applied one */
	bool module;
	bool mod_read;			/* mod holds the module's state */
	struct rbi_modstat mod;
	char mod_err[RBI_NFT_ERR_LEN];
	long daemon;			/* pid of rbictl run, or 0 */
	const char *gaps[16];
	size_t n_gaps;
	char names_gap[256];
};

static void rbi_status_gap(struct rbi_status *s, const char *gap)
{
	if (s->n_gaps < sizeof(s->gaps) / sizeof(s->gaps[0]))
		s->gaps[s->n_gaps++] = gap;
}

/* Services the policy knows only by name: nft alone can't see names. */
static size_t rbi_status_name_only(const struct rbi_policy *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_services; i++)
		if (!p->services[i].n_nets && p->services[i].n_names &&
		    p->services[i].categories & p->prohibited)
			n++;
	return n;
}

static void rbi_status_gaps(struct rbi_status *s)
{
	const struct rbi_policy *p = s->p;

	if (!s->nft.present) {
		rbi_status_gap(s, "nothing is enforced: table inet rbiblock is "
			       "not installed (run 'rbictl apply')");
		return;
	}
	if (!s->nft.verified)
		rbi_status_gap(s, "the ruleset read back is not the one rbictl "
			       "applied: it was changed outside rbictl (run "
			       "'rbictl apply')");
	if (s->nft.fail_closed[0])
		rbi_status_gap(s, "on-failure: closed is in force: camera "
			       "egress from public zones is blocked except "
			       "to recorders (see fail_closed)");
	if (p && !s->policy_applied)
		rbi_status_gap(s, "the policy file differs from the applied "
			       "one (run 'rbictl apply')");
	if (s->module && !s->mod_read)
		rbi_status_gap(s, "rbiblock.ko is loaded but its state can't "
			       "be read (see module_error)");
	if (s->mod_read && !rbi_modstat_in_step(&s->mod))
		rbi_status_gap(s, "rbiblock.ko does not hold the applied "
			       "policy: names are not inspected as it says "
			       "(run 'rbictl apply')");
	if (!s->module) {
		snprintf(s->names_gap, sizeof(s->names_gap), "no TLS SNI, "
			 "HTTP Host or RTSP inspection without rbiblock.ko: "
			 "%zu services known only by name are blocked once "
			 "DNS learning has seen their addresses",
			 p ? rbi_status_name_only(p) : (size_t)0);
		rbi_status_gap(s, s->names_gap);
		if (p && p->mode[RBI_ENF_ECH] != RBI_MODE_ALLOW)
			rbi_status_gap(s, "encrypted-client-hello is not "
				       "enforced without rbiblock.ko");
		if (p && p->mode[RBI_ENF_ANALYTICS] != RBI_MODE_ALLOW)
			rbi_status_gap(s, "camera-analytics is not enforced "
				       "without rbiblock.ko");
		rbi_status_gap(s, "DNS learning races the camera: a "
			       "connection opened within milliseconds of "
			       "the DNS answer may pass before the address "
			       "is learned");
	}
	if (!s->daemon)
		rbi_status_gap(s, "'rbictl run' is not running: no DNS "
			       "learning and no audit records (what is "
			       "installed stays enforced)");
}

static uint64_t rbi_status_learned(const struct rbi_status *s, int fam)
{
	return s->nft.elements[RBI_NFT_MAP_LEARNED][fam];
}

/* The conntrack bits rbiblock takes, for the operator's own rules. */
static void rbi_status_conntrack(char mark[16], char labels[16])
{
	snprintf(mark, 16, "0x%08x", (unsigned int)RBI_NFT_MARK_MASK);
	snprintf(labels, 16, "%d-%d", RBI_CT_LABEL_DECIDED,
		 RBI_CT_LABEL_HIGHEST);
}

static void rbi_status_json(const struct rbi_status *s)
{
	char mark[16], labels[16];
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_json j;
	size_t i;

	rbi_json_init(&j, &out);
	rbi_json_obj_begin(&j);
	rbi_json_kbool(&j, "installed", s->nft.present);
	rbi_json_kstr(&j, "table_comment", s->nft.present ? s->nft.comment :
		      NULL);
	rbi_json_kstr(&j, "ruleset_sha256", s->nft.present ? s->nft.sha256 :
		      NULL);
	rbi_json_kbool(&j, "ruleset_verified", s->nft.verified);
	rbi_json_kstr(&j, "policy", s->p ? s->p->name : NULL);
	rbi_json_kstr(&j, "policy_sha256", s->p ? s->p->sha256_hex : NULL);
	rbi_json_kbool(&j, "policy_applied", s->policy_applied);
	rbi_json_kbool(&j, "module", s->module);
	rbi_json_key(&j, "module_state");
	if (s->mod_read)
		rbi_modstat_json(&s->mod, &j);
	else
		rbi_json_null(&j);
	rbi_json_kstr(&j, "module_error", s->module && !s->mod_read ?
		      s->mod_err : NULL);
	rbi_json_kint(&j, "daemon_pid", s->daemon);
	rbi_status_conntrack(mark, labels);
	rbi_json_kstr(&j, "ct_mark_mask", mark);
	rbi_json_kstr(&j, "ct_label_bits", labels);
	rbi_json_kstr(&j, "fail_closed", s->nft.fail_closed[0] ?
		      s->nft.fail_closed : NULL);
	rbi_json_key(&j, "learned");
	rbi_json_obj_begin(&j);
	rbi_json_kuint(&j, "ipv4", rbi_status_learned(s, RBI_NFT_V4_IDX));
	rbi_json_kuint(&j, "ipv6", rbi_status_learned(s, RBI_NFT_V6_IDX));
	rbi_json_obj_end(&j);
	rbi_json_key(&j, "counters");
	rbi_json_arr_begin(&j);
	for (i = 0; i < s->nft.n_counters; i++) {
		rbi_json_obj_begin(&j);
		rbi_json_kstr(&j, "chain", s->nft.counters[i].chain);
		rbi_json_kstr(&j, "rule", s->nft.counters[i].comment);
		rbi_json_kuint(&j, "packets", s->nft.counters[i].packets);
		rbi_json_kuint(&j, "bytes", s->nft.counters[i].bytes);
		rbi_json_obj_end(&j);
	}
	rbi_json_arr_end(&j);
	rbi_json_key(&j, "not_enforced");
	rbi_json_arr_begin(&j);
	for (i = 0; i < s->n_gaps; i++)
		rbi_json_str(&j, s->gaps[i]);
	rbi_json_arr_end(&j);
	rbi_json_obj_end(&j);
	printf("%s\n", rbi_buf_str(&out));
	rbi_buf_free(&out);
}

static void rbi_status_text(const struct rbi_status *s)
{
	char mark[16], labels[16];
	size_t i;

	if (s->nft.present)
		printf("table inet rbiblock: installed (%s)\n"
		       "ruleset sha256: %s (%s)\n", s->nft.comment,
		       s->nft.sha256, s->nft.verified ?
		       "read back: what rbictl applied" :
		       "read back: NOT what rbictl applied");
	else
		printf("table inet rbiblock: not installed\n");
	if (s->p)
		printf("policy: %s (sha256 %s), %s\n", s->p->name,
		       s->p->sha256_hex, s->policy_applied ? "applied" :
		       "NOT the applied one");
	printf("module rbiblock.ko: %s\n", s->module ? "loaded" :
	       "not loaded");
	if (s->mod_read)
		rbi_modstat_text(&s->mod);
	else if (s->module)
		printf("  state unreadable: %s\n", s->mod_err);
	if (s->daemon)
		printf("daemon: rbictl run, pid %ld\n", s->daemon);
	else
		printf("daemon: not running\n");
	if (s->nft.fail_closed[0])
		printf("fail-closed: %s\n", s->nft.fail_closed);
	rbi_status_conntrack(mark, labels);
	printf("ct mark bits used: %s (flows checked by this ruleset; the "
	       "others are yours)\nct label bits used: %s (rbiblock.ko's "
	       "verdicts)\n", mark, labels);
	if (s->nft.present) {
		printf("learned addresses: %zu IPv4, %zu IPv6\n",
		       (size_t)rbi_status_learned(s, RBI_NFT_V4_IDX),
		       (size_t)rbi_status_learned(s, RBI_NFT_V6_IDX));
		printf("\n%-34s %12s %14s  %s\n", "chain", "packets", "bytes",
		       "rule");
		for (i = 0; i < s->nft.n_counters; i++)
			printf("%-34s %12llu %14llu  %s\n",
			       s->nft.counters[i].chain,
			       (unsigned long long)s->nft.counters[i].packets,
			       (unsigned long long)s->nft.counters[i].bytes,
			       s->nft.counters[i].comment);
	}
	if (s->n_gaps)
		printf("\nnot enforced:\n");
	for (i = 0; i < s->n_gaps; i++)
		printf("  - %s\n", s->gaps[i]);
}

int rbi_cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "policy", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct rbi_cmd *cmd = rbi_cli_find("status");
	struct rbi_policy *p = NULL;
	char err[RBI_NFT_ERR_LEN];
	const char *path = NULL;
	struct rbi_status s;
	bool json = false;
	int c;

	while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'p':
			path = optarg;
			break;
		case 'h':
			rbi_cli_help(cmd);
			return RBI_EXIT_OK;
		default:
			return rbi_cli_usage(cmd, "bad option");
		}
	}
	if (optind < argc)
		return rbi_cli_usage(cmd, "unexpected argument '%s'",
				     argv[optind]);
	memset(&s, 0, sizeof(s));
	if (rbi_nft_read(&s.nft, err, sizeof(err))) {
		fprintf(stderr, "rbictl status: %s\n", err);
		return RBI_EXIT_FAIL;
	}
	p = rbi_cli_policy_load(path, 0);
	s.p = p;
	s.policy_applied = p && s.nft.present &&
			   !strcmp(s.nft.policy, p->sha256_hex);
	s.module = rbi_module_loaded();
	if (s.module) {
		s.mod_read = !rbi_modstat_read(&s.mod, s.nft.policy,
					       s.mod_err, sizeof(s.mod_err));
	}
	s.daemon = rbi_run_pid();
	rbi_status_gaps(&s);
	if (json)
		rbi_status_json(&s);
	else
		rbi_status_text(&s);
	c = s.nft.present ? RBI_EXIT_OK : RBI_EXIT_FAIL;
	if (s.mod_read)
		rbi_modstat_free(&s.mod);
	rbi_nft_state_free(&s.nft);
	rbi_policy_free(p);
	return c;
}
