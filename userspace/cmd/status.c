// SPDX-License-Identifier: GPL-2.0 OR MIT
/* rbictl status */
#include <stdio.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "daemon/daemon.h"
#include "daemon/status.h"
#include "nft/defs.h"
#include "policy/describe.h"
#include "policy/facts.h"
#include "util/json.h"

const char rbi_help_status[] =
"Says what is enforced now: the backend, the sha256 of the applied policy\n"
"and of its catalogues, with each catalogue file's sha256,\n"
"the sha256 of the ruleset read back from the kernel (a canonical digest\n"
"that leaves out counters, handles and learned addresses), each rule's\n"
"counter, the learned addresses, whether the daemon runs, the conntrack\n"
"mark and label bits rbiblock uses, the interfaces its flowtable hooks,\n"
"the other tables whose flowtables rules add flows to, and what is NOT\n"
"enforced and why (with the queue backend: what it inspects no\n"
"differently from the module, and what its rules do while 'rbictl run'\n"
"is not running).\n"
"When rbiblock.ko is loaded: the configuration it holds (generation,\n"
"policy sha256, and whether that is the applied policy), its counters,\n"
"the events it held back, and the addresses it learned. From 'rbictl\n"
"run': what DNS learning refused (the policy's infrastructure, over a cap)\n"
"or could not read.\n"
"The ruleset is read back without the sets' elements (but the learned\n"
"ones), so that status costs the same whatever the policy's size: the\n"
"table, chains, sets and rules are checked against the digest rbictl\n"
"applied, and a running daemon watches the elements. --full reads them\n"
"all and checks the whole digest.\n"
"\n"
"  --json              one JSON object instead of text\n"
"  --full              read every set element back\n"
"  -p, --policy FILE   the policy to compare with what is applied\n"
"                      (default as for apply)\n"
"  --pid-file FILE     the daemon's pid file, as given to 'rbictl run'\n"
"                      (default: " RBI_DAEMON_PIDFILE ", else the\n"
"                      process of " RBI_DAEMON_UNIT ")\n"
"\n"
"Exit status: 0 enforcing, 1 nothing installed or unreadable, 2 usage.";

static void rbi_status_learning_json(const struct rbi_status *s,
				     struct rbi_json *j)
{
	size_t i;

	rbi_json_key(j, "learning");
	if (!s->state_read) {
		rbi_json_null(j);
		return;
	}
	rbi_json_obj_begin(j);
	rbi_json_kuint(j, "remembered", s->state.learned);
	rbi_json_kuint(j, "aliases", s->state.aliases);
	rbi_json_key(j, "refused");
	rbi_json_obj_begin(j);
	for (i = 0; i < __RBI_LEARN_REF_MAX; i++)
		rbi_json_kuint(j, rbi_learn_refusal_name(i),
			       s->state.refused[i]);
	rbi_json_obj_end(j);
	rbi_json_kuint(j, "unread_bytes", s->state.unread);
	rbi_json_kuint(j, "malformed_answers", s->state.malformed);
	rbi_json_kbool(j, "table_watched", s->state.watch);
	rbi_json_obj_end(j);
}

/* What learning refused or could not read, when the daemon says. */
static void rbi_status_learning_text(const struct rbi_status *s)
{
	uint64_t n = 0;
	size_t i;

	if (!s->state_read)
		return;
	for (i = 0; i < __RBI_LEARN_REF_MAX; i++)
		n += s->state.refused[i];
	printf("learning: %llu addresses remembered, %llu aliases\n",
	       (unsigned long long)s->state.learned,
	       (unsigned long long)s->state.aliases);
	if (n) {
		printf("learning refused: %llu addresses (", (unsigned long long)n);
		for (i = 0; i < __RBI_LEARN_REF_MAX; i++)
			printf("%s%s %llu", i ? ", " : "",
			       rbi_learn_refusal_name(i),
			       (unsigned long long)s->state.refused[i]);
		printf("); see the audit log's learn-refused gaps\n");
	}
	if (s->state.unread || s->state.malformed)
		printf("DNS answers not read whole: %llu bytes given up, %llu "
		       "answers with a broken record (see the audit log's "
		       "dns-unread gaps)\n",
		       (unsigned long long)s->state.unread,
		       (unsigned long long)s->state.malformed);
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
	rbi_json_kbool(&j, "elements_read", s->nft.full);
	rbi_json_kstr(&j, "policy", s->p ? s->p->name : NULL);
	rbi_json_kstr(&j, "policy_sha256", s->p ? s->p->sha256_hex : NULL);
	rbi_json_kstr(&j, "catalog_sha256", s->p ? s->p->catalog_sha256_hex :
		      NULL);
	rbi_json_key(&j, "catalogs");
	if (s->p)
		rbi_catalogs_json(s->p, &j);
	else
		rbi_json_null(&j);
	rbi_json_kbool(&j, "policy_applied", s->policy_applied);
	rbi_json_kbool(&j, "module", s->module);
	rbi_json_kbool(&j, "queue", s->queue);
	rbi_json_key(&j, "module_state");
	if (s->mod_read)
		rbi_modstat_json(&s->mod, &j);
	else
		rbi_json_null(&j);
	rbi_json_kstr(&j, "module_error", s->module && !s->mod_read ?
		      s->mod_err : NULL);
	rbi_json_key(&j, "queue_state");
	if (s->state_read && s->state.inspects) {
		rbi_json_obj_begin(&j);
		rbi_modstat_counters_json(&j, s->state.stats);
		rbi_json_obj_end(&j);
	} else {
		rbi_json_null(&j);
	}
	rbi_json_kint(&j, "daemon_pid", s->daemon);
	rbi_json_kstr(&j, "daemon_found_by", s->daemon_by);
	rbi_status_conntrack(s, mark, labels);
	rbi_json_kstr(&j, "ct_mark_mask", mark);
	rbi_json_kstr(&j, "ct_label_bits", labels);
	rbi_json_kstr(&j, "fail_closed", s->nft.fail_closed[0] ?
		      s->nft.fail_closed : NULL);
	rbi_json_kstr(&j, "offload_devices", s->nft.offload_devs[0] ?
		      s->nft.offload_devs : NULL);
	rbi_json_key(&j, "other_flowtables");
	rbi_json_arr_begin(&j);
	for (i = 0; i < s->foreign.n; i++)
		rbi_json_str(&j, s->foreign.what[i]);
	rbi_json_arr_end(&j);
	rbi_json_key(&j, "learned");
	rbi_json_obj_begin(&j);
	rbi_json_kuint(&j, "ipv4", rbi_status_learned(s, RBI_NFT_V4_IDX));
	rbi_json_kuint(&j, "ipv6", rbi_status_learned(s, RBI_NFT_V6_IDX));
	rbi_json_obj_end(&j);
	rbi_status_learning_json(s, &j);
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
	struct rbi_buf cat = RBI_BUF_INIT;
	char mark[16], labels[16];
	size_t i;

	if (s->nft.present)
		printf("table inet rbiblock: installed (%s)\n"
		       "ruleset sha256: %s (%s%s)\n", s->nft.comment,
		       s->nft.sha256, s->nft.verified ?
		       "read back: what rbictl applied" :
		       "read back: NOT what rbictl applied",
		       s->nft.full ? "" : "; set elements not read, --full "
		       "reads them");
	else
		printf("table inet rbiblock: not installed\n");
	if (s->p) {
		printf("policy: %s (sha256 %s), %s\n", s->p->name,
		       s->p->sha256_hex, s->policy_applied ? "applied" :
		       "NOT the applied one");
		printf("  catalogue sha256 %s\n", s->p->catalog_sha256_hex);
		rbi_policy_catalog_text(s->p, "  ", true, &cat);
		printf("%s", rbi_buf_str(&cat));
		rbi_buf_free(&cat);
	}
	printf("module rbiblock.ko: %s\n", s->module ? "loaded" :
	       "not loaded");
	if (s->mod_read)
		rbi_modstat_text(&s->mod);
	else if (s->module)
		printf("  state unreadable: %s\n", s->mod_err);
	if (s->state_read && s->state.inspects) {
		printf("inspection by rbictl run (queue backend), as of its "
		       "last heartbeat:\n");
		rbi_modstat_counters_text(s->state.stats);
	}
	if (s->daemon)
		printf("daemon: rbictl run, pid %ld (%s)\n", s->daemon,
		       s->daemon_by);
	else
		printf("daemon: not running\n");
	if (s->nft.fail_closed[0])
		printf("fail-closed: %s\n", s->nft.fail_closed);
	if (s->nft.present)
		printf("flowtable " RBI_NFT_FLOWTABLE ": %s\n",
		       s->nft.offload_devs[0] ? s->nft.offload_devs :
		       "none (nothing offloaded)");
	for (i = 0; i < s->foreign.n; i++)
		printf("other table offloading flows: %s\n",
		       s->foreign.what[i]);
	rbi_status_conntrack(s, mark, labels);
	printf("ct mark bits used: %s (flows checked by this ruleset; the "
	       "others are yours)\nct label bits used: %s (%s verdicts)\n",
	       mark, labels, s->queue ? "the queue backend's" :
	       "rbiblock.ko's");
	if (s->queue)
		printf("packet mark bits used: %s, on the packets the queue "
		       "backend holds (the others are yours)\n", mark);
	if (s->nft.present) {
		printf("learned addresses: %zu IPv4, %zu IPv6\n",
		       (size_t)rbi_status_learned(s, RBI_NFT_V4_IDX),
		       (size_t)rbi_status_learned(s, RBI_NFT_V6_IDX));
		rbi_status_learning_text(s);
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
	const struct rbi_cmd *cmd = rbi_cli_find("status");
	struct rbi_policy *p = NULL;
	char err[RBI_NFT_ERR_LEN];
	const char *path = NULL, *pidfile = NULL;
	struct rbi_status s;
	bool json = false, full = false;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_FLAG("json", 0, &json),
		RBI_CLI_FLAG("full", 0, &full),
		RBI_CLI_POLICY(&path),
		RBI_CLI_VALUE("pid-file", 0, &pidfile),
		RBI_CLI_END
	};
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 0, 0, NULL);

	if (rc >= 0)
		return rc;
	p = rbi_cli_policy_load(path, 0);
	if (rbi_status_read(&s, p, pidfile, full, err, sizeof(err))) {
		fprintf(stderr, "rbictl status: %s\n", err);
		rbi_policy_free(p);
		return RBI_EXIT_FAIL;
	}
	if (json)
		rbi_status_json(&s);
	else
		rbi_status_text(&s);
	rc = s.nft.present ? RBI_EXIT_OK : RBI_EXIT_FAIL;
	rbi_status_free(&s);
	rbi_policy_free(p);
	return rc;
}
