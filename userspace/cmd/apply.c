// SPDX-License-Identifier: GPL-2.0 OR MIT
/* rbictl apply | flush */
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "daemon/backend.h"
#include "kmod/modctl.h"
#include "nft/defs.h"
#include "util/plural.h"

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
"  --backend queue     the rules of 'rbictl run --backend queue': DNS\n"
"                      answers to cameras and the data of undecided\n"
"                      public-zone flows wait in NFQUEUE queues for the\n"
"                      daemon; with no daemon they are dropped (on-failure:\n"
"                      closed) or pass uninspected (open)\n"
"  --no-offload        no flowtable: every packet takes the forward path\n"
"\n"
"Where the kernel has flowtables (nf_flow_table_inet), the table holds\n"
"flowtable " RBI_NFT_FLOWTABLE " on every interface that is up, not loopback\n"
"and not a bridge or bond port: flows decided and allowed, with nothing\n"
"left to inspect, skip the forward path from then on. Another table's\n"
"flowtable that flows are added to (OpenWrt's fw4 with software\n"
"offloading) is listed; without rbiblock.ko (nft or queue) it takes\n"
"flows past what rbiblock reads after their first packets, and\n"
"on-failure decides: closed blocks camera egress, open applies and says\n"
"what is not enforced.\n"
"\n"
"Exit status: 0 applied or unchanged, 1 invalid policy or failed, 2 usage.";

const char rbi_help_flush[] =
"Removes table inet rbiblock, and with it every rbiblock rule, set and\n"
"learned address, and clears rbiblock.ko's configuration when it is\n"
"loaded (a configuration holds the module: after this it can be\n"
"unloaded). Other tables are never touched. Enforcement stops: the\n"
"cameras' traffic is no longer checked. Removing a table that is not\n"
"there is not an error.\n"
"\n"
"Exit status: 0 removed or absent, 1 failed, 2 usage.";

/* rbiblock's flowtable, and the other tables that offload flows. */
static void rbi_apply_offload(const struct rbi_backend_result *res)
{
	size_t i;

	if (!res->nft.sha256[0])
		return;
	if (res->nft.offload_devs)
		printf("offload: flowtable " RBI_NFT_FLOWTABLE " on %zu %s, "
		       "for flows decided and allowed\n",
		       res->nft.offload_devs,
		       rbi_plural(res->nft.offload_devs, "interface",
				  "interfaces"));
	else
		printf("offload: none: %s\n", res->nft.offload);
	for (i = 0; i < res->foreign.n; i++)
		printf("other table offloading flows: %s\n",
		       res->foreign.what[i]);
	if (res->foreign.more)
		printf("other tables offloading flows: %zu more\n",
		       res->foreign.more);
}

int rbi_cmd_apply(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("apply");
	enum rbi_backend backend = RBI_BACKEND_AUTO;
	const char *path = NULL, *backend_name = NULL;
	bool no_offload = false;
	struct rbi_backend_result res;
	char err[RBI_NFT_ERR_LEN];
	struct rbi_policy *p;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_POLICY(&path),
		RBI_CLI_VALUE("backend", 0, &backend_name),
		RBI_CLI_FLAG("no-offload", 0, &no_offload),
		RBI_CLI_END
	};
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 0, 0, NULL);

	if (rc >= 0)
		return rc;
	if (backend_name && rbi_backend_parse(backend_name, &backend))
		return rbi_cli_usage(cmd, "--backend takes auto, nft, module "
				     "or queue, not '%s'", backend_name);
	p = rbi_cli_policy_load(path, 0);
	if (!p) {
		fprintf(stderr, "rbictl apply: the policy is invalid; nothing "
			"was changed\n");
		return RBI_EXIT_FAIL;
	}
	rc = rbi_backend_apply(p, backend, NULL,
			       no_offload ? 0 : RBI_BACKEND_OFFLOAD, NULL, &res,
			       err, sizeof(err));
	if (res.nft.sha256[0])
		printf("%s policy %s (sha256 %s)\nbackend: %s\nruleset sha256 "
		       "%s, %zu set elements\n", res.nft.unchanged ?
		       "unchanged, nothing applied:" : "applied:", p->name,
		       p->sha256_hex, res.used, res.nft.sha256,
		       res.nft.elements);
	if (res.nft.carried)
		printf("learned addresses kept from the old ruleset: %zu\n",
		       res.nft.carried);
	rbi_apply_offload(&res);
	if (res.fail_closed)
		printf("fail-closed: %s\n", res.fail_closed);
	else if (res.unguarded[0])
		printf("not enforced (on-failure: open): %s\n",
		       res.unguarded);
	if (rc)
		fprintf(stderr, "rbictl apply: %s\n", err);
	else if (!strcmp(res.used, "nft+module"))
		printf("module: loaded; the ruleset enforces its verdicts "
		       "(chain %s)\n", RBI_NFT_CH_MODULE);
	else if (!strcmp(res.used, "nft+queue"))
		printf("queue: DNS answers to cameras and undecided flows wait "
		       "for 'rbictl run' (queues %u-%u)\n", RBI_NFT_QUEUE_DNS,
		       RBI_NFT_QUEUE_FIRST + rbi_backend_queues() - 1);
	rbi_policy_free(p);
	return rc ? RBI_EXIT_FAIL : RBI_EXIT_OK;
}

/* The module's configuration, which holds the module while it exists. */
static int rbi_flush_module(void)
{
	char err[RBI_NFT_ERR_LEN];
	struct rbi_modctl *m;
	int rc;

	if (!rbi_module_loaded())
		return RBI_EXIT_OK;
	rc = rbi_modctl_open(&m, err, sizeof(err));
	if (!rc) {
		rc = rbi_modctl_clear(m, err, sizeof(err));
		rbi_modctl_close(m);
	}
	if (rc) {
		fprintf(stderr, "rbictl flush: rbiblock.ko: %s\n", err);
		return RBI_EXIT_FAIL;
	}
	printf("cleared rbiblock.ko's configuration\n");
	return RBI_EXIT_OK;
}

int rbi_cmd_flush(int argc, char **argv)
{
	static const struct rbi_cli_opt opts[] = { RBI_CLI_END };
	int rc = rbi_cli_parse(rbi_cli_find("flush"), argc, argv, opts, 0, 0,
			       NULL);
	char err[RBI_NFT_ERR_LEN];
	bool existed;

	if (rc >= 0)
		return rc;
	if (rbi_nft_flush(&existed, err, sizeof(err))) {
		fprintf(stderr, "rbictl flush: %s\n", err);
		return RBI_EXIT_FAIL;
	}
	printf(existed ? "removed table inet " RBI_NFT_TABLE "\n" :
	       "no table inet " RBI_NFT_TABLE ": nothing to remove\n");
	return rbi_flush_module();
}

