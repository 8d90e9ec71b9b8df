// SPDX-License-Identifier: GPL-2.0 OR MIT
/* rbictl scan | watch */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "scan/pcap.h"
#include "scan/progress.h"
#include "scan/scan.h"
#include "scan/out.h"

const char rbi_help_scan[] =
"Reads packet captures (pcap or pcapng; Ethernet with 802.1Q/802.1ad tags,\n"
"Linux cooked v1/v2, raw IPv4/IPv6, PPP, PPPoE or BSD loopback) and\n"
"classifies every flow with the policy, through the same classifier the\n"
"gateway runs. A flow's name is its TLS or QUIC SNI, HTTP Host, first DNS\n"
"question or RTSP URL host; DNS answers in the capture teach service\n"
"addresses, as on the gateway. Captures are read in the order given; each\n"
"one's flows end with it, learned addresses carry over. The first 16 KiB\n"
"of each TCP direction are put back in order however they arrive (any\n"
"reordering, overlap or segment size); bytes past them are not read. A\n"
"connection whose start was before the capture is picked up at the first\n"
"segment that starts a TLS record or an HTTP or RTSP request line; TLS\n"
"picked up after its handshake is counted as such. The counters say why\n"
"each flow without a name has none (unnamed: ...).\n"
"\n"
"On a terminal, a scan that takes more than a second shows how far it has\n"
"got on standard error (bytes and packets read, the rate and, for files,\n"
"the time left) and erases the line before the summary; when standard\n"
"error is not a terminal, or jsonl goes to one, nothing is shown.\n"
"\n"
"  -p, --policy FILE   the policy (default: /etc/rbiblock/policy.yaml if it\n"
"                      exists, else the built-in default); any valid policy\n"
"                      is accepted, even one that weakens the prohibition\n"
"  --format text       a summary by zone, service and camera, then every\n"
"                      counter (default)\n"
"  --format jsonl      one JSON object per flow that was named or that the\n"
"                      policy matched, then the counters as one JSON object\n"
"                      on stderr\n"
"  --fail-on-block     exit 3 when a flow would be blocked\n"
"  --filter BPF        read only the packets a pcap-filter(7) expression\n"
"                      selects\n"
"  --max-flows N       flows tracked at once (default 262144); the least\n"
"                      recently active flow makes room when full\n"
"\n"
"Each jsonl object has ts (the flow's first packet, RFC 3339 UTC), l4, src\n"
"(the initiator), sport, dst, dport, app (tls, http, dns, rtsp, quic or\n"
"null), name, ech, zone, verdict (block or allow), service, category and\n"
"rule; then, only when the flow carried any, markers: the camera-analytics\n"
"markers found in the first 16 KiB of either direction (face-library,\n"
"face-recognition, face-detection, face-attributes, face-expression). An\n"
"HTTP or RTSP request to a camera whose verdict markers could still\n"
"change is decided once the camera's first 16 KiB or its FIN is in, or the\n"
"flow's first 30 s are over, or the flow ends.\n"
"\n"
"Exit status: 0 when the captures were read, whatever they hold; 1 when\n"
"one could not be read or the policy is invalid; 2 usage error; 3 with\n"
"--fail-on-block when a flow would be blocked. A capture that cannot be\n"
"opened is named on one line and the others are read; the summary covers\n"
"those read, and there is none when none was. A capture cut short or\n"
"corrupt is read up to the damage, reported, and counted.";

const char rbi_help_watch[] =
"Classifies the traffic of a live interface as 'rbictl scan' classifies a\n"
"capture, and prints each flow as soon as it is decided: at once for most,\n"
"once the camera's first bytes are in for a request to a camera (see\n"
"'rbictl help scan'), and for a connection the policy blocks by address\n"
"whose SYN goes unanswered, when the SYN is sent again. It only watches:\n"
"nothing is blocked. Stop it with Ctrl-C (SIGINT) or SIGTERM, which end it\n"
"at once, however quiet the interface; the summary follows.\n"
"\n"
"  -i, --interface IF  the interface to watch                   [required]\n"
"  -p, --policy FILE   the policy (default as for 'scan')\n"
"  --format text       one line per flow, then the summary (default)\n"
"  --format jsonl      one JSON object per flow, flushed per line; the\n"
"                      counters go to stderr at the end\n"
"  --filter BPF        watch only what a pcap-filter(7) expression selects\n"
"  --promisc           put the interface in promiscuous mode\n"
"  -c, --count N       stop after N packets\n"
"  --max-flows N       flows tracked at once (default 262144)\n"
"\n"
"Needs CAP_NET_RAW (root). Flows quiet for 300 s (TCP) or 60 s (UDP) end\n"
"and are decided then.\n"
"\n"
"Exit status: 0, 1 when the interface cannot be opened, 2 usage error.";

struct rbi_scan_args {
	const char *policy;
	const char *iface;
	const char *filter;
	const char *format, *max_flows, *count;	/* as given */
	enum rbi_scan_format fmt;
	struct rbi_scan_opts opts;
	uint64_t packets;		/* -c: stop after this many */
	bool fail_on_block;
	bool promisc;
};

static volatile sig_atomic_t rbi_scan_stop;

static void rbi_scan_signal(int sig)
{
	(void)sig;
	rbi_scan_stop = 1;
}

static bool rbi_scan_number(const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long n;

	if (*s < '0' || *s > '9')
		return false;
	n = strtoull(s, &end, 10);
	if (*end || n > max)
		return false;
	*v = n;
	return true;
}

/* The option values scan and watch share, checked; -1 when all are good. */
static int rbi_scan_check(const struct rbi_cmd *cmd, struct rbi_scan_args *a)
{
	uint64_t n;

	if (a->format && !strcmp(a->format, "jsonl"))
		a->fmt = RBI_SCAN_JSONL;
	else if (a->format && strcmp(a->format, "text"))
		return rbi_cli_usage(cmd, "--format must be text or jsonl");
	if (a->max_flows) {
		if (!rbi_scan_number(a->max_flows, RBI_FLOWTAB_CAP_MAX, &n) ||
		    n < RBI_FLOWTAB_CAP_MIN)
			return rbi_cli_usage(cmd, "--max-flows must be %d to "
					     "%d", RBI_FLOWTAB_CAP_MIN,
					     RBI_FLOWTAB_CAP_MAX);
		a->opts.max_flows = (uint32_t)n;
	}
	if (a->count && !rbi_scan_number(a->count, UINT64_MAX, &a->packets))
		return rbi_cli_usage(cmd, "--count must be a number");
	return -1;
}

/* What scan and watch read alike. */
#define RBI_SCAN_CLI_OPTS(a)						\
	RBI_CLI_POLICY(&(a).policy),					\
	RBI_CLI_VALUE("format", 0, &(a).format),			\
	RBI_CLI_VALUE("filter", 0, &(a).filter),			\
	RBI_CLI_VALUE("max-flows", 0, &(a).max_flows)

/* What reading the inputs needs beside the scanner. */
struct rbi_scan_reader {
	struct rbi_scan *s;
	struct rbi_pcap *c;		/* the input being read */
	struct rbi_progress *progress;	/* NULL: none shown */
	uint64_t done;			/* bytes of the inputs read before */
	uint64_t frames;
	uint64_t frames_bytes;		/* record bytes, where offsets fail */
};

enum {
	/* Frames between looks at the clock for the progress line. */
	RBI_SCAN_PROGRESS_FRAMES = 1024,
	RBI_PCAP_RECORD_HDR = 16,
};

/* Bytes of the inputs read so far. */
static uint64_t rbi_scan_read_bytes(const struct rbi_scan_reader *r)
{
	int64_t off = rbi_pcap_offset(r->c);

	return r->done + (off >= 0 ? (uint64_t)off : r->frames_bytes);
}

static void rbi_scan_frame(void *ctx, enum rbi_link link, uint64_t ts,
			   const uint8_t *frame, size_t caplen, size_t wirelen)
{
	struct rbi_scan_reader *r = ctx;

	rbi_scan_packet(r->s, link, ts, frame, caplen, wirelen);
	r->frames_bytes += caplen + RBI_PCAP_RECORD_HDR;
	if (r->progress && !(++r->frames % RBI_SCAN_PROGRESS_FRAMES))
		rbi_progress_at(r->progress, rbi_scan_read_bytes(r),
				rbi_scan_stats(r->s)->count[RBI_SC_PACKETS],
				rbi_progress_now());
}

static void rbi_scan_tick_cb(void *ctx, uint64_t now)
{
	struct rbi_scan_reader *r = ctx;

	rbi_scan_tick(r->s, now);
}

/*
 * Reads one capture or interface into r->c; false when it could not be
 * opened. A capture file is closed at once, an interface only after the
 * summary (rbi_scan_run): closing a packet socket waits for the kernel
 * (an RCU grace period, up to hundreds of milliseconds on a busy
 * machine), which must not hold up the summary a signal asked for.
 */
static bool rbi_scan_input(const char *cmd, const char *what,
			   const struct rbi_scan_args *a,
			   struct rbi_scan_reader *r,
			   struct rbi_scan_inputs *in)
{
	bool live = a->iface != NULL;
	struct rbi_pcap *c = r->c;
	enum rbi_pcap_end end;

	if (rbi_pcap_open(c, what, live, a->promisc, a->filter)) {
		rbi_progress_end(r->progress);
		fprintf(stderr, "%s: %s\n", cmd, c->err);
		in->failed++;
		return false;
	}
	in->read++;
	r->frames_bytes = 0;
	end = rbi_pcap_run(c, rbi_scan_frame, rbi_scan_tick_cb, r,
			   &rbi_scan_stop, a->packets);
	r->done = rbi_scan_read_bytes(r);
	rbi_progress_end(r->progress);
	if (end == RBI_PCAP_ERROR) {
		fprintf(stderr, "%s: %s: %s; the rest of it is skipped\n", cmd,
			what, c->err);
		in->cut++;
	}
	in->dropped += c->dropped;
	in->if_dropped += c->if_dropped;
	rbi_scan_end(r->s);
	if (!live)
		rbi_pcap_close(c);
	return true;
}

/*
 * The progress line, for a person at a terminal: stderr is one, and
 * stdout does not mix flows into it. total: bytes of every input, 0 when
 * one is not a plain file (a pipe).
 */
static bool rbi_scan_progress(const struct rbi_scan_args *a,
			      const char *const *inputs, int n,
			      uint64_t *total)
{
	struct stat st;
	int i, rc;

	if (a->iface || !rbi_cli_terminal(stderr) ||
	    (a->fmt == RBI_SCAN_JSONL && isatty(STDOUT_FILENO)))
		return false;
	*total = 0;
	for (i = 0; i < n; i++) {
		rc = strcmp(inputs[i], "-") ? stat(inputs[i], &st) :
		     fstat(STDIN_FILENO, &st);
		if (rc || !S_ISREG(st.st_mode)) {
			*total = 0;
			break;
		}
		*total += (uint64_t)st.st_size;
	}
	return true;
}

/* Loads the policy and runs every input; the command's exit status. */
static int rbi_scan_run(const char *cmd, const struct rbi_scan_args *a,
			const char *const *inputs, int n)
{
	struct rbi_scan_inputs in = { 0 };
	struct rbi_scan_reader r = { 0 };
	struct rbi_pcap c = { 0 };
	struct rbi_scan_out *o = NULL;
	struct rbi_progress progress;
	struct rbi_scan *s = NULL;
	struct rbi_policy *p;
	uint64_t total = 0;
	int i, rc = RBI_EXIT_FAIL;

	p = rbi_cli_policy_load(a->policy, RBI_POLICY_NO_PROHIBITION);
	if (!p)
		return RBI_EXIT_FAIL;
	o = rbi_scan_out_alloc(p, a->fmt, stdout,
			       (a->iface ? RBI_SCAN_OUT_LIVE : 0) |
			       (rbi_cli_color(stdout) ? RBI_SCAN_OUT_COLOR : 0));
	if (o)
		s = rbi_scan_alloc(p, &a->opts, rbi_scan_out_record, o);
	if (!s) {
		fprintf(stderr, "%s: out of memory\n", cmd);
		goto out;
	}
	r.s = s;
	r.c = &c;
	if (rbi_scan_progress(a, inputs, n, &total)) {
		rbi_progress_start(&progress, stderr, total,
				   rbi_progress_now());
		r.progress = &progress;
	}
	for (i = 0; i < n && !rbi_scan_stop; i++)
		rbi_scan_input(cmd, inputs[i], a, &r, &in);
	/* Nothing read: the error said it all, counters of nothing would not. */
	if (in.read)
		rbi_scan_out_finish(o, s, &in, stderr);
	fflush(stdout);
	rbi_pcap_close(&c);
	rc = in.failed ? RBI_EXIT_FAIL : RBI_EXIT_OK;
	if (!rc && a->fail_on_block && rbi_scan_out_blocked(o))
		rc = RBI_EXIT_FOUND;
out:
	rbi_scan_free(s);
	rbi_scan_out_free(o);
	rbi_policy_free(p);
	return rc;
}

int rbi_cmd_scan(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("scan");
	struct rbi_scan_args a = { .opts = RBI_SCAN_OPTS_DEFAULT };
	const struct rbi_cli_opt opts[] = {
		RBI_SCAN_CLI_OPTS(a),
		RBI_CLI_FLAG("fail-on-block", 0, &a.fail_on_block),
		RBI_CLI_END
	};
	static char buf[1 << 16];
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 1, argc,
			       "no capture given");

	if (rc < 0)
		rc = rbi_scan_check(cmd, &a);
	if (rc >= 0)
		return rc;
	/* Many small lines: write them in large blocks. */
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	return rbi_scan_run(argv[0], &a, (const char *const *)argv + optind,
			    argc - optind);
}

static void rbi_scan_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = rbi_scan_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int rbi_cmd_watch(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("watch");
	struct rbi_scan_args a = { .opts = RBI_SCAN_OPTS_DEFAULT };
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_VALUE("interface", 'i', &a.iface),
		RBI_SCAN_CLI_OPTS(a),
		RBI_CLI_FLAG("promisc", 0, &a.promisc),
		RBI_CLI_VALUE("count", 'c', &a.count),
		RBI_CLI_END
	};
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 0, 0, NULL);

	if (rc < 0)
		rc = rbi_scan_check(cmd, &a);
	if (rc >= 0)
		return rc;
	if (!a.iface)
		return rbi_cli_usage(cmd, "-i IFACE is required");
	rbi_scan_signals();
	return rbi_scan_run(argv[0], &a, &a.iface, 1);
}
