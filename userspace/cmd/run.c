// SPDX-License-Identifier: GPL-2.0 OR MIT
/* rbictl run: the daemon's options; the daemon is userspace/daemon/. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "daemon/daemon.h"
#include "daemon/journal.h"
#include "daemon/status.h"
#include "nft/defs.h"
#include "nft/nft.h"

const char rbi_help_run[] =
"The rbiblock daemon, in the foreground (systemd: rbiblock.service). It\n"
"applies the policy as 'rbictl apply' does, then:\n"
"  - writes one audit record per blocked flow, and one 'log' record per\n"
"    flow that an enforce setting of 'log' lets through: from the events\n"
"    of rbiblock.ko, with the name it saw, for the flows it decided; else\n"
"    from the NFLOG copies the ruleset sends (repeats within 2 s merged,\n"
"    with a count). Events the module held back or lost are a\n"
"    dropped-events gap record;\n"
"  - learns what the DNS answers sent to cameras say of prohibited\n"
"    services' names (every A and AAAA, CNAME chains to their end, HTTPS\n"
"    hints, whatever the RCODE; over UDP and TCP, from port 53 or 5353)\n"
"    into the learned maps for TTL + grace seconds (clamped to 5 s .. 1\n"
"    day), blocking those addresses both ways; never the policy's own\n"
"    infrastructure, at most 1024 addresses per service: what is refused\n"
"    is counted (status) and a learn-refused gap record. With the queue\n"
"    backend the answer waits in an NFQUEUE queue until its addresses\n"
"    are learned; with nft alone, the daemon reads copies and a camera\n"
"    that connects at once can be faster;\n"
"  - puts table inet rbiblock back within a second when another process\n"
"    deletes or changes it, learned addresses included (a gap record);\n"
"  - writes policy records, heartbeats with signed checkpoints every\n"
"    audit.heartbeat, and start and stop records, in audit.dir, on a\n"
"    thread of its own, so that its disk never holds up learning.\n"
"SIGHUP reloads the policy (read on the side, learning going on): a\n"
"valid one is applied atomically and recorded, an invalid one is refused\n"
"and the old one stays; changed audit settings open the new log. SIGTERM\n"
"exits cleanly. Enforcement is the kernel's: stopping or killing the\n"
"daemon leaves the ruleset in force (only learning and records stop).\n"
"With on-failure: closed, an audit log that can't be opened or written,\n"
"or a write that has not finished within 5 s, blocks camera egress\n"
"(except to recorders) until two checkpoints were signed since.\n"
"\n"
"  -p, --policy FILE      the policy (default: " RBI_POLICY_DEFAULT_PATH ")\n"
"  --backend B            auto (default): the module when it is loaded,\n"
"                         else queue; nft, module or queue, as for apply.\n"
"                         queue: the daemon binds the queues the ruleset\n"
"                         names; a queue another program holds makes it\n"
"                         apply the nft backend (and fail closed with\n"
"                         on-failure: closed), and says why\n"
"  --no-offload           no flowtable of rbiblock's own, as for apply\n"
"  --learn-grace S        seconds added to each DNS TTL (default 30)\n"
"  --pid-file FILE        default " RBI_DAEMON_PIDFILE "\n"
"  --keep FILE            after each apply, keep in FILE the ruleset a\n"
"                         boot puts back when the policy can't be\n"
"                         enforced (rbiblock.service gives\n"
"                         " RBI_DAEMON_KEEP ")\n"
"\n"
"It refuses to start, with exit status 78, on a policy it can't\n"
"enforce as it is: an invalid one, none (without -p, when\n"
RBI_POLICY_DEFAULT_PATH " does not exist: the daemon never runs the\n"
"built-in default on its own), or one that names no publicly accessible\n"
"zone; a reload (SIGHUP) to such a policy is refused. With --keep, such\n"
"a start on a gateway without table inet rbiblock (after a reboot) first\n"
"installs the ruleset kept by the last apply, in its fail-closed form\n"
"(under on-failure: closed, camera egress blocked except to recorders;\n"
"under open, the old policy's rules), without a flowtable, and says so\n"
"as an error: the gateway never comes up enforcing nothing. A table\n"
"already there is left alone. Under systemd it\n"
"says when it is ready, reloading and stopping (Type=notify), keeps the\n"
"watchdog (WatchdogSec=), and its lines carry syslog priorities: an\n"
"apply that fails or leaves it fail-closed is an error.\n"
"\n"
"Exit status: 0 after SIGTERM, 1 when it cannot start, 2 usage error, 78\n"
"the policy can't be enforced as it is (systemd does not restart it).";

/*
 * The policy to enforce, or RBI_EXIT_CONFIG: a daemon that starts on
 * the built-in default (every address a public camera) or on a policy
 * without camera networks would block all or nothing, unasked.
 */
static int rbi_run_policy(struct rbi_daemon_opts *o)
{
	if (!o->path)
		o->path = rbi_policy_default_path();
	if (!o->path) {
		rbi_daemon_log(LOG_ERR, "rbictl run: no policy: %s does not "
			       "exist, and the daemon does not enforce the "
			       "built-in default unasked; 'rbictl init' "
			       "writes one with your camera networks (or run "
			       "with -p FILE)", RBI_POLICY_DEFAULT_PATH);
		return RBI_EXIT_CONFIG;
	}
	o->policy = rbi_policy_load_report(o->path, 0, stderr);
	if (!o->policy) {
		rbi_daemon_log(LOG_ERR, "rbictl run: %s is invalid; not "
			       "starting", o->path);
		return RBI_EXIT_CONFIG;
	}
	if (!rbi_status_public_zones(o->policy)) {
		rbi_daemon_log(LOG_ERR, "rbictl run: %s names no publicly "
			       "accessible zone, so it would block nothing; "
			       "not starting. Name the camera networks: "
			       "'rbictl init --zone NAME=NETWORK...'",
			       o->path);
		rbi_policy_free(o->policy);
		return RBI_EXIT_CONFIG;
	}
	return RBI_EXIT_OK;
}

/*
 * A start that can't enforce its policy: after a reboot, the ruleset the
 * last apply kept, rather than none at all.
 */
static void rbi_run_restore(const char *keep)
{
	char err[RBI_NFT_ERR_LEN], when[32];
	struct rbi_nft_kept k;
	time_t t;
	int rc = rbi_nft_keep_restore(keep, &k, err, sizeof(err));

	if (rc > 0) {
		rbi_daemon_log(LOG_ERR, "rbictl run: table inet rbiblock is "
			       "installed: it stays in force, as last applied");
		return;
	}
	if (rc < 0 && access(keep, F_OK)) {
		rbi_daemon_log(LOG_ERR, "rbictl run: nothing is enforced: no "
			       "table inet rbiblock, and no ruleset was kept in "
			       "%s yet (no policy was ever applied here)", keep);
		return;
	}
	if (rc < 0) {
		rbi_daemon_log(LOG_ERR, "rbictl run: NOTHING IS ENFORCED: no "
			       "table inet rbiblock, and the ruleset kept for "
			       "this can't be put back: %s", err);
		return;
	}
	t = (time_t)k.saved;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	rbi_daemon_log(LOG_ERR, "rbictl run: put back the ruleset kept at %s "
		       "for policy %s (sha256 %s), in its fail-closed form; "
		       "nothing is learned or recorded until the policy is "
		       "fixed and rbictl run started", when, k.name, k.policy);
}

int rbi_cmd_run(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("run");
	const char *backend = NULL, *grace = NULL;
	struct rbi_daemon_opts o = {
		.backend = RBI_BACKEND_AUTO,
		.grace = RBI_LEARN_GRACE_DEFAULT,
	};
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_POLICY(&o.path),
		RBI_CLI_VALUE("backend", 0, &backend),
		RBI_CLI_VALUE("learn-grace", 0, &grace),
		RBI_CLI_VALUE("pid-file", 0, &o.pidfile),
		RBI_CLI_FLAG("no-offload", 0, &o.no_offload),
		RBI_CLI_VALUE("keep", 0, &o.keep),
		RBI_CLI_END
	};
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 0, 0, NULL);
	char *end;

	if (rc >= 0)
		return rc;
	if (backend && rbi_backend_parse(backend, &o.backend))
		return rbi_cli_usage(cmd, "--backend takes auto, nft, module "
				     "or queue");
	if (grace) {
		o.grace = (unsigned int)strtoul(grace, &end, 10);
		if (!*grace || *end || o.grace > RBI_LEARN_MAX)
			return rbi_cli_usage(cmd, "--learn-grace takes seconds, "
					     "0..%d", RBI_LEARN_MAX);
	}
	rc = rbi_run_policy(&o);
	if (rc == RBI_EXIT_CONFIG && o.keep)
		rbi_run_restore(o.keep);
	if (rc)
		return rc;
	return rbi_daemon_run(&o) ? RBI_EXIT_FAIL : RBI_EXIT_OK;
}
