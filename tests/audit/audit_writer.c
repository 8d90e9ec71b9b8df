// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Test-only driver of the audit writer API, the same calls `rbictl run`
 * makes: appends block records in batches, syncs each batch (group commit)
 * and only then prints the acknowledged indexes, one "IDX TOKEN" line each;
 * heartbeats at the period or every --hb-every batches. Options shape logs
 * for the tamper, crash, interop and bench tests (--clock-jump N:US steps
 * the fake clock back by US microseconds at its Nth reading; --log-every N
 * makes each Nth record a "log" record, a flow allowed but recorded,
 * instead of a block; --mix cycles the records through zones, services,
 * categories, an ingress pull, a flow with no service and a logged shared
 * host; --gap-at N records, after record N, the gap a flushed ruleset
 * leaves, from the last heartbeat; --empty writes no flow and no
 * heartbeat; --backend names the heartbeats' backend). A --policy that
 * loads as a policy gives the policy record
 * the facts the daemon records. Also prints consistency proofs for the
 * interop test.
 *
 *   audit_writer write DIR KEY [options]
 *   audit_writer consistency DIR M N      (epoch 1; base64 hashes)
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/b64.h"
#include "audit/store.h"
#include "audit/time.h"
#include "audit/tree.h"
#include "audit/writer.h"
#include "policy/facts.h"

static const char default_policy[] =
	"rbiblock: 1\nname: test-policy\nbasis: >-\n  Proposed amendment to AI "
	"Act Article 5(1)(d).\n";

struct fake_clock {
	int64_t now;
	int64_t step;
	unsigned long long reads, jump_at;	/* step back at this read */
	int64_t jump;
};

static int64_t fake_now(void *ctx)
{
	struct fake_clock *c = ctx;

	c->now += c->step;
	if (++c->reads == c->jump_at)
		c->now -= c->jump;
	return c->now;
}

struct opts {
	const char *origin;
	const char *policy_file;
	unsigned long long records;	/* 0: until killed */
	unsigned int batch;
	unsigned int period;
	unsigned int hb_every;		/* batches; 0: by the clock */
	unsigned long long retention;
	struct fake_clock fake;
	bool use_fake;
	unsigned long long skip_from, skip_until;	/* record numbers */
	unsigned long long change_at;	/* cite another policy from here */
	bool no_close;
	bool quiet;
	unsigned int sleep_us;		/* between batches */
	unsigned int log_every;		/* each Nth record a log; 0: none */
	bool mix;
	unsigned long long gap_at;	/* a ruleset gap after it; 0: none */
	bool empty;
	const char *backend;		/* heartbeats': nft, nft+queue, ... */
};

/* One kind of flow record of --mix. */
struct mix_flow {
	bool log, ingress;
	const char *zone, *peer, *l4, *app, *name, *service, *category;
	const char *rule;
	uint16_t port;
	uint64_t packets;
};

static const struct mix_flow mix[] = {
	{ false, false, "city-squares", "198.51.100.7", "tcp", "tls",
	  "rekognition.eu-west-1.amazonaws.com", "aws-rekognition",
	  "remote-biometric-identification", "prohibit-rbi", 443, 3 },
	{ false, false, "stadium-gates", "198.51.100.30", "tcp", "tls",
	  "api.kairos.com", "kairos", "biometric-categorisation",
	  "prohibit-categorisation", 443, 1 },
	{ false, false, "stadium-gates", "198.51.100.31", "tcp", "tls",
	  "api.hume.ai", "hume-ai", "emotion-recognition",
	  "prohibit-emotion-recognition", 443, 2 },
	{ false, true, "city-squares", "203.0.113.9", "tcp", "rtsp", NULL,
	  NULL, NULL, "block-rtsp-pull", 554, 4 },
	{ false, false, "city-squares", "198.51.100.80", "udp", "quic", NULL,
	  NULL, NULL, "block-quic", 443, 1 },
	{ true, false, "stadium-gates", "198.51.100.40", "tcp", "tls",
	  "vision.googleapis.com", "google-cloud-vision",
	  "biometric-categorisation", "prohibit-categorisation", 443, 1 },
};

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	if (p)
		p[n] = '\0';
	*len = (size_t)n;
	return p;
}

static int fail(const char *what, struct rbi_audit_log *log, int rc)
{
	fprintf(stderr, "audit_writer: %s: %s (%s)\n", what,
		log ? rbi_audit_log_error(log) : "", rbi_audit_strerror(rc));
	return 1;
}

static int heartbeat(struct rbi_audit_log *log, const char *sha,
		     const char *backend)
{
	static const struct rbi_audit_counter counters[] = {
		{ "blocked_flows", 3 }, { "dns_learned", 1 },
	};
	struct rbi_audit_heartbeat hb = {
		sha, "0000000000000000000000000000000000000000000000000000"
		"000000000000", !strcmp(backend, "nft+module"), backend,
		counters, 2,
	};

	return rbi_audit_heartbeat(log, &hb, NULL);
}

/* The facts of the policy file, if it loads as a policy. */
static void policy_facts(const char *path, struct rbi_buf *out)
{
	struct rbi_policy *p;
	struct rbi_diags d;

	if (!path)
		return;
	rbi_diags_init(&d);
	p = rbi_policy_load(path, RBI_POLICY_NO_PROHIBITION, &d);
	if (p && rbi_policy_facts(p, out, RBI_AUDIT_FACTS_CAP))
		rbi_buf_free(out);
	rbi_policy_free(p);
	rbi_diags_free(&d);
}

/* Fills b as a record of kind m; true for a log record. */
static bool mix_record(struct rbi_audit_block *b, const struct mix_flow *m,
		       const char *camera)
{
	b->zone = m->zone;
	b->camera = camera;
	b->src = m->ingress ? m->peer : camera;
	b->dst = m->ingress ? camera : m->peer;
	b->dport = m->port;
	b->l4 = m->l4;
	b->app = m->app;
	b->name = m->name;
	b->service = m->service;
	b->category = m->category;
	b->rule = m->rule;
	b->direction = m->ingress ? "ingress" : "egress";
	b->count = m->packets;
	return m->log;
}

/* What the daemon records when the ruleset was flushed since last_hb. */
static int flush_gap(struct rbi_audit_log *log, const struct opts *o,
		     int64_t last_hb)
{
	struct rbi_audit_gap g = {
		"ruleset-mismatch", last_hb,
		o->use_fake ? o->fake.now : rbi_audit_now_us(), 1,
		"table inet rbiblock was removed; re-applied",
	};

	return rbi_audit_append_gap(log, &g, NULL);
}

static int write_log(const char *dir, const char *key, struct opts *o)
{
	struct rbi_audit_config cfg = { dir, o->origin, key, o->period,
					o->retention, NULL, NULL };
	char sha[65], other[65], camera[32], name[64];
	struct rbi_audit_block b = {
		"city-squares", camera, camera, "198.51.100.7", 443, "tcp",
		"tls", name, "aws-rekognition",
		"remote-biometric-identification",
		"prohibit-rbi", "AI Act Art. 5(1)(d) as amended", sha,
		"egress", 1, "nft",
	};
	enum rbi_audit_open_state state;
	struct rbi_buf facts = RBI_BUF_INIT;
	struct rbi_audit_policy pol;
	bool is_log;
	struct rbi_audit_log *log;
	unsigned long long n = 0, batches = 0, first;
	uint64_t idx, *acked;
	int64_t last_hb;
	char err[512];
	size_t len;
	char *text;
	int rc;
	unsigned int i;

	if (o->use_fake) {
		cfg.clock = fake_now;
		cfg.clock_ctx = &o->fake;
	}
	text = o->policy_file ? read_file(o->policy_file, &len) :
	       strdup(default_policy);
	if (!text)
		return fail("policy", NULL, RBI_AUDIT_EIO);
	if (!o->policy_file)
		len = strlen(text);
	policy_facts(o->policy_file, &facts);
	acked = calloc(o->batch, sizeof(*acked));
	rc = rbi_audit_open(&cfg, &log, &state, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "audit_writer: %s\n", err);
		return 1;
	}
	if (!o->quiet)
		fprintf(stderr, "audit_writer: opened %s state %d\n",
			rbi_audit_log_origin(log), state);
	pol = (struct rbi_audit_policy){ "test-policy", "built-in", text, len,
					 facts.data, facts.len };
	rbi_audit_policy_sha256(text, len, sha);
	rbi_audit_policy_sha256("changed", 7, other);
	rc = rbi_audit_append_policy(log, &pol, NULL);
	if (rc)
		return fail("policy", log, rc);
	last_hb = o->use_fake ? o->fake.now : rbi_audit_now_us();
	while (!o->empty && (!o->records || n < o->records)) {
		first = n;
		for (i = 0; i < o->batch && (!o->records || n < o->records);
		     i++, n++) {
			snprintf(camera, sizeof(camera), "10.20.%llu.%llu",
				 (n >> 8) & 255, n & 255);
			snprintf(name, sizeof(name),
				 "rekognition.eu-west-1.amazonaws.com/%d/%llu",
				 (int)getpid(), n);
			b.policy_sha256 = o->change_at && n >= o->change_at ?
					  other : sha;
			is_log = o->log_every && n % o->log_every ==
				 o->log_every - 1;
			if (o->mix)
				is_log = mix_record(&b, &mix[n % (sizeof(mix) /
						    sizeof(mix[0]))], camera);
			rc = is_log ? rbi_audit_append_log(log, &b, &acked[i]) :
			     rbi_audit_append_block(log, &b, &acked[i]);
			if (rc)
				return fail("append", log, rc);
			if (o->gap_at && n + 1 == o->gap_at) {
				rc = flush_gap(log, o, last_hb);
				if (rc)
					return fail("gap", log, rc);
			}
		}
		rc = rbi_audit_sync(log);
		if (rc)
			return fail("sync", log, rc);
		/* Only now are these logged: acknowledge them. */
		if (!o->quiet) {
			for (idx = 0; idx < i; idx++)
				printf("%llu %d/%llu\n",
				       (unsigned long long)acked[idx],
				       (int)getpid(), first + idx);
			fflush(stdout);
		}
		batches++;
		{
			int64_t now = o->use_fake ? o->fake.now :
				      rbi_audit_now_us();
			bool skip = n > o->skip_from && n <= o->skip_until;
			bool due = o->hb_every ? !(batches % o->hb_every) :
				   now - last_hb >= (int64_t)o->period *
				   RBI_AUDIT_US;

			if (due && !skip) {
				rc = heartbeat(log, o->change_at &&
					       n >= o->change_at ? other : sha,
					       o->backend);
				if (rc)
					return fail("heartbeat", log, rc);
				last_hb = now;
			}
		}
		if (o->sleep_us)
			usleep(o->sleep_us);
	}
	free(text);
	free(acked);
	rbi_buf_free(&facts);
	if (o->no_close)
		_exit(0);
	rc = rbi_audit_close(log, "test done");
	return rc ? 1 : 0;
}

/* Prints the consistency proof between sizes m and n of epoch 1. */
static int consistency(const char *dir, unsigned long long m,
		       unsigned long long n)
{
	struct rbi_audit_hash proof[RBI_AUDIT_PROOF_MAX];
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_audit_map hm;
	size_t count, i;
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || rbi_audit_map(fd, "epoch-0001/" RBI_AUDIT_LEAVES_FILE,
				    &hm) ||
	    n > hm.n / RBI_AUDIT_HASH_LEN ||
	    rbi_audit_prove_consistency((const void *)hm.p, m, n, proof,
					&count)) {
		fprintf(stderr, "audit_writer: cannot prove %llu..%llu\n", m,
			n);
		return 1;
	}
	for (i = 0; i < count; i++) {
		rbi_buf_reset(&out);
		rbi_audit_b64_encode(&out, proof[i].b, RBI_AUDIT_HASH_LEN);
		printf("%s\n", rbi_buf_str(&out));
	}
	rbi_buf_free(&out);
	rbi_audit_unmap(&hm);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "origin", 1, NULL, 'o' }, { "policy", 1, NULL, 'p' },
		{ "records", 1, NULL, 'n' }, { "batch", 1, NULL, 'b' },
		{ "heartbeat", 1, NULL, 'H' }, { "hb-every", 1, NULL, 'e' },
		{ "retention", 1, NULL, 'r' }, { "fake-clock", 1, NULL, 'f' },
		{ "skip-heartbeats", 1, NULL, 's' },
		{ "policy-change-at", 1, NULL, 'c' },
		{ "no-close", 0, NULL, 'x' }, { "quiet", 0, NULL, 'q' },
		{ "sleep-us", 1, NULL, 'S' },
		{ "clock-jump", 1, NULL, 'j' }, { "log-every", 1, NULL, 'l' },
		{ "mix", 0, NULL, 'm' }, { "gap-at", 1, NULL, 'g' },
		{ "empty", 0, NULL, 'E' }, { "backend", 1, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { "example.com/rbi-test", NULL, 1000, 64, 1, 0, 0,
			  { 0, 0, 0, 0, 0 }, false, 0, 0, 0, false, false,
			  0, 0, false, 0, false, "nft" };
	long long start, step;
	int c;

	if (argc >= 5 && !strcmp(argv[1], "consistency"))
		return consistency(argv[2], strtoull(argv[3], NULL, 10),
				   strtoull(argv[4], NULL, 10));
	if (argc < 4 || strcmp(argv[1], "write")) {
		fprintf(stderr, "usage: audit_writer write DIR KEY [options]\n"
			"       audit_writer consistency DIR M N\n");
		return 2;
	}
	optind = 4;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o.origin = optarg; break;
		case 'p': o.policy_file = optarg; break;
		case 'n': o.records = strtoull(optarg, NULL, 10); break;
		case 'b': o.batch = (unsigned int)atoi(optarg); break;
		case 'H': o.period = (unsigned int)atoi(optarg); break;
		case 'e': o.hb_every = (unsigned int)atoi(optarg); break;
		case 'r': o.retention = strtoull(optarg, NULL, 10); break;
		case 'f':
			if (sscanf(optarg, "%lld:%lld", &start, &step) != 2)
				return 2;
			o.fake.now = start;
			o.fake.step = step;
			o.use_fake = true;
			break;
		case 's':
			if (sscanf(optarg, "%llu:%llu", &o.skip_from,
				   &o.skip_until) != 2)
				return 2;
			break;
		case 'c': o.change_at = strtoull(optarg, NULL, 10); break;
		case 'x': o.no_close = true; break;
		case 'q': o.quiet = true; break;
		case 'S': o.sleep_us = (unsigned int)atoi(optarg); break;
		case 'l': o.log_every = (unsigned int)atoi(optarg); break;
		case 'm': o.mix = true; break;
		case 'g': o.gap_at = strtoull(optarg, NULL, 10); break;
		case 'E': o.empty = true; break;
		case 'B': o.backend = optarg; break;
		case 'j':
			if (sscanf(optarg, "%llu:%lld", &o.fake.jump_at,
				   &start) != 2)
				return 2;
			o.fake.jump = start;
			break;
		default: return 2;
		}
	}
	if (!o.batch)
		o.batch = 1;
	return write_log(argv[2], argv[3], &o);
}
