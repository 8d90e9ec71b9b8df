// SPDX-License-Identifier: GPL-2.0 OR MIT
/* rbictl run: the daemon's options; the daemon is userspace/daemon/. */
#include <getopt.h>
#include <stdlib.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "daemon/daemon.h"
#include "nft/defs.h"

const char rbi_help_run[] =
"The rbiblock daemon, in the foreground (systemd: rbiblock.service). It\n"
"applies the policy as 'rbictl apply' does, then:\n"
"  - writes one audit record per blocked flow, and one 'log' record per\n"
"    flow that an enforce setting of 'log' lets through: from the events\n"
"    of rbiblock.ko, with the name it saw, for the flows it decided; else\n"
"    from the NFLOG copies the ruleset sends (repeats within 2 s merged,\n"
"    with a count). Events the module held back or lost are a\n"
"    dropped-events gap record;\n"
"  - learns the A and AAAA answers for names of prohibited services,\n"
"    following CNAME chains, from copies of the DNS answers sent to\n"
"    cameras, into the learned maps for TTL + grace seconds (clamped to\n"
"    5 s .. 1 day);\n"
"  - writes policy records, heartbeats with signed checkpoints every\n"
"    audit.heartbeat, and start and stop records, in audit.dir.\n"
"SIGHUP reloads the policy: a valid one is applied atomically and\n"
"recorded, an invalid one is refused and the old one stays. SIGTERM\n"
"exits cleanly. Enforcement is the kernel's: stopping or killing the\n"
"daemon leaves the ruleset in force (only learning and records stop).\n"
"With on-failure: closed, an audit log that can't be opened or written\n"
"blocks camera egress (except to recorders) until it works again.\n"
"\n"
"  -p, --policy FILE      the policy (default as for apply)\n"
"  --backend B            auto (default), nft or module, as for apply\n"
"  --learn-grace S        seconds added to each DNS TTL (default 30)\n"
"  --pid-file FILE        default " RBI_DAEMON_PIDFILE "\n"
"\n"
"Exit status: 0 after SIGTERM, 1 when it cannot start, 2 usage.";

static int rbi_run_opts(int argc, char **argv, struct rbi_daemon_opts *o)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "backend", required_argument, NULL, 'b' },
		{ "learn-grace", required_argument, NULL, 'g' },
		{ "pid-file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct rbi_cmd *cmd = rbi_cli_find("run");
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->path = optarg;
			break;
		case 'b':
			if (rbi_backend_parse(optarg, &o->backend))
				return rbi_cli_usage(cmd, "--backend takes "
						     "auto, nft or module");
			break;
		case 'g':
			o->grace = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || o->grace > RBI_LEARN_MAX)
				return rbi_cli_usage(cmd, "--learn-grace takes "
						     "seconds, 0..%d",
						     RBI_LEARN_MAX);
			break;
		case 'f':
			o->pidfile = optarg;
			break;
		default:
			return rbi_cli_opt_end(cmd, c);
		}
	}
	if (!rbi_cli_operands(cmd, argc, argv, 0, 0, NULL))
		return RBI_EXIT_USAGE;
	return -1;
}

int rbi_cmd_run(int argc, char **argv)
{
	struct rbi_daemon_opts o = {
		.backend = RBI_BACKEND_AUTO,
		.grace = RBI_LEARN_GRACE_DEFAULT,
	};
	int rc = rbi_run_opts(argc, argv, &o);

	if (rc >= 0)
		return rc;
	return rbi_daemon_run(&o) ? RBI_EXIT_FAIL : RBI_EXIT_OK;
}
