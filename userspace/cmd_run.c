// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rbictl run: applies the policy, then listens. Blocks logged by the
 * ruleset become audit records (repeats of a flow merged); DNS answers
 * copied to it teach the learned maps; heartbeats sign the log. The
 * kernel enforces on its own: killing the daemon stops learning and
 * recording, never blocking.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include "cmd_nft.h"
#include "cmd_policy.h"
#include "rbi_audit_writer.h"
#include "rbi_cli.h"
#include "rbi_explain.h"
#include "rbi_dnslearn.h"
#include "rbi_nflog.h"
#include "rbi_nft_defs.h"
#include "rbi_pkt.h"
#include "rbi_run.h"

enum {
	RBI_RUN_MERGE_MS = 2000,	/* repeats of a flow within this: one record */
	RBI_RUN_PENDING = 256,
	RBI_RUN_MEMO = 4096,		/* learned addresses remembered */
	RBI_RUN_LEARN_MAX = 32,
	RBI_RUN_BLOCK_COPY = 256,	/* bytes of a blocked packet */
	RBI_RUN_DNS_COPY = 65535,
};

const char rbi_help_run[] =
"The rbiblock daemon, in the foreground (systemd: rbiblock.service). It\n"
"applies the policy as 'rbictl apply' does, then:\n"
"  - writes one audit record per blocked flow (repeats within 2 s merged,\n"
"    with a count), from the NFLOG copies the ruleset sends it;\n"
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
"  --pid-file FILE        default " RBI_RUN_PIDFILE "\n"
"\n"
"Exit status: 0 after SIGTERM, 1 when it cannot start, 2 usage.";

struct rbi_pending {
	struct rbi_pkt pkt;
	enum rbi_rule rule;
	bool module;
	uint64_t first_ms;
	uint64_t count;
};

struct rbi_memo {
	struct rbi_ip ip;
	uint32_t service;
	time_t until;
	char name[RBI_NFT_COMMENT_MAX];
};

struct rbi_run {
	struct rbi_policy *p;
	const char *path;
	enum rbi_backend backend;
	unsigned int grace;
	struct rbi_audit_log *log;
	bool log_dirty;
	char fail[RBI_NFT_COMMENT_MAX];	/* why fail-closed, "" if not */
	char ruleset[65];
	struct rbi_nflog *nflog;
	struct rbi_pending pend[RBI_RUN_PENDING];
	size_t n_pend;
	struct rbi_memo memo[RBI_RUN_MEMO];
	struct rbi_dns_answer_set scratch;
	struct rbi_learned learned[RBI_RUN_LEARN_MAX];
	struct rbi_audit_counter last[RBI_AUDIT_COUNTERS_MAX];
	char last_names[RBI_AUDIT_COUNTERS_MAX][RBI_AUDIT_COUNTER_NAME_CAP];
	size_t n_last;
	uint64_t dropped;
	time_t next_heartbeat;
};

static uint64_t rbi_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void rbi_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line per event on stdout: the journal when run under systemd. */
static void rbi_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* ---- enforcement ---- */

static int rbi_run_enforce(struct rbi_run *r, const struct rbi_policy *p)
{
	struct rbi_enforce_result res;
	char err[RBI_NFT_ERR_LEN];
	int rc;

	rc = rbi_enforce(p, r->backend, r->fail[0] ? r->fail : NULL, &res,
			 err, sizeof(err));
	if (res.nft.sha256[0])
		snprintf(r->ruleset, sizeof(r->ruleset), "%s", res.nft.sha256);
	if (rc) {
		rbi_say("apply failed: %s", err);
		return -1;
	}
	rbi_say("%s policy %s (sha256 %s), backend %s, ruleset sha256 %s%s%s",
		res.nft.unchanged ? "in force:" : "applied:", p->name,
		p->sha256_hex, res.used, res.nft.sha256,
		res.fail_closed ? ", FAIL-CLOSED: " : "",
		res.fail_closed ? res.fail_closed : "");
	return 0;
}

/* Enters or leaves fail-closed; what changes is re-applied. */
static void rbi_run_fail(struct rbi_run *r, const char *why)
{
	if (!strcmp(r->fail, why ? why : ""))
		return;
	snprintf(r->fail, sizeof(r->fail), "%s", why ? why : "");
	if (why && !r->p->fail_closed)
		rbi_say("audit: %s (on-failure: open, enforcement goes on)",
			why);
	rbi_run_enforce(r, r->p);
}

/* ---- the audit log ---- */

static void rbi_run_policy_record(struct rbi_run *r)
{
	struct rbi_audit_policy ap = {
		r->p->name, r->path ? r->path : RBI_POLICY_BUILTIN,
		r->p->files[0].text, r->p->files[0].len,
	};

	if (r->log && rbi_audit_append_policy(r->log, &ap, NULL) ==
	    RBI_AUDIT_OK)
		r->log_dirty = true;
}

static void rbi_run_audit_open(struct rbi_run *r)
{
	struct rbi_audit_config cfg;
	enum rbi_audit_open_state state;
	char err[96], why[RBI_NFT_COMMENT_MAX];

	memset(&cfg, 0, sizeof(cfg));
	cfg.dir = r->p->audit.dir;
	cfg.origin = r->p->audit.origin;
	cfg.key_path = r->p->audit.key;
	cfg.heartbeat = r->p->audit.heartbeat;
	cfg.retention = r->p->audit.retention;
	if (rbi_audit_open(&cfg, &r->log, &state, err, sizeof(err)) !=
	    RBI_AUDIT_OK) {
		r->log = NULL;
		snprintf(why, sizeof(why), "audit log unavailable: %s", err);
		rbi_run_fail(r, why);
		return;
	}
	rbi_say("audit: log %s opened (%s)", cfg.dir,
		state == RBI_AUDIT_OPENED_NEW ? "new" :
		state == RBI_AUDIT_OPENED_CLEAN ? "clean" :
		state == RBI_AUDIT_OPENED_RECOVERED ? "recovered" : "ALARM");
	rbi_run_policy_record(r);
	rbi_run_fail(r, NULL);
}

static void rbi_run_sync(struct rbi_run *r)
{
	char why[RBI_NFT_COMMENT_MAX];

	if (!r->log || !r->log_dirty)
		return;
	r->log_dirty = false;
	if (rbi_audit_sync(r->log) == RBI_AUDIT_OK) {
		rbi_run_fail(r, NULL);
		return;
	}
	snprintf(why, sizeof(why), "audit log write failed: %s",
		 rbi_audit_log_error(r->log));
	rbi_run_fail(r, why);
}

/* ---- blocks ---- */

static const struct rbi_memo *rbi_memo_find(const struct rbi_run *r,
					    const struct rbi_ip *ip)
{
	const struct rbi_memo *m;
	size_t i;

	for (i = 0; i < RBI_RUN_MEMO; i++) {
		m = &r->memo[i];
		if (m->until && !memcmp(&m->ip, ip, sizeof(*ip)))
			return m->until >= time(NULL) ? m : NULL;
	}
	return NULL;
}

static void rbi_memo_add(struct rbi_run *r, const struct rbi_learned *l)
{
	struct rbi_memo *m, *slot = &r->memo[0];
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < RBI_RUN_MEMO; i++) {
		m = &r->memo[i];
		if (m->ip.family == l->entry.family &&
		    !memcmp(m->ip.a, l->entry.addr, 16)) {
			slot = m;
			break;
		}
		if (m->until < slot->until || m->until < now)
			slot = m;
	}
	memset(slot, 0, sizeof(*slot));
	slot->ip.family = l->entry.family;
	memcpy(slot->ip.a, l->entry.addr, 16);
	slot->service = l->service;
	slot->until = now + l->entry.timeout;
	snprintf(slot->name, sizeof(slot->name), "%s", l->comment);
}

static const char *rbi_l4_name(uint8_t l4)
{
	return l4 == IPPROTO_TCP ? "tcp" : l4 == IPPROTO_UDP ? "udp" :
	       l4 == IPPROTO_ICMP ? "icmp" : l4 == IPPROTO_ICMPV6 ?
	       "ipv6-icmp" : "other";
}

/* The decision behind a logged block, as the classifier explains it. */
static void rbi_run_explain(const struct rbi_run *r,
			    const struct rbi_pending *b,
			    struct rbi_flow *f, struct rbi_decision *d,
			    const struct rbi_memo **memo)
{
	memset(f, 0, sizeof(*f));
	f->src = b->pkt.src;
	f->dst = b->pkt.dst;
	f->sport = b->pkt.sport;
	f->dport = b->pkt.dport;
	f->l4 = b->pkt.l4;
	f->learned = RBI_NONE;
	*memo = rbi_memo_find(r, &f->dst);
	if (*memo)
		f->learned = (*memo)->service;
	if (b->rule == RBI_RULE_QUIC)
		f->app = RBI_APP_QUIC;
	rbi_classify(r->p->config, f, d);
}

static void rbi_run_record(struct rbi_run *r, const struct rbi_pending *b)
{
	char cam[RBI_IP_STRLEN], peer[RBI_IP_STRLEN];
	const struct rbi_memo *memo;
	struct rbi_audit_block ab;
	struct rbi_decision d;
	struct rbi_flow f;
	bool same, ingress;

	rbi_run_explain(r, b, &f, &d, &memo);
	same = d.rule == b->rule;
	ingress = same ? d.ingress : b->rule == RBI_RULE_RTSP_PULL;
	rbi_ip_format(ingress ? &f.dst : &f.src, cam, sizeof(cam));
	rbi_ip_format(ingress ? &f.src : &f.dst, peer, sizeof(peer));
	memset(&ab, 0, sizeof(ab));
	ab.zone = rbi_decision_zone(r->p, &d);
	ab.camera = cam;
	ab.dst = peer;
	ab.dport = f.dport;
	ab.l4 = rbi_l4_name(f.l4);
	ab.app = rbi_app_name(f.app);
	ab.name = same && memo && d.reason == RBI_WHY_LEARNED ?
		  strchr(memo->name, ' ') + 1 : NULL;
	ab.service = same ? rbi_decision_service(r->p, &d) : NULL;
	ab.category = same ? rbi_decision_category(&d) : NULL;
	ab.rule = rbi_rule_id(b->rule);
	ab.basis = r->p->rules[b->rule].basis;
	ab.policy_sha256 = r->p->sha256_hex;
	ab.direction = ingress ? "ingress" : "egress";
	ab.count = b->count;
	ab.backend = b->module ? "module" : "nft";
	rbi_say("block: %s %s %s -> %s %s/%u rule %s service %s (%llu "
		"packets)", ab.direction, ab.zone ? ab.zone : "-", cam, peer,
		ab.l4, f.dport, ab.rule, ab.service ? ab.service : "-",
		(unsigned long long)b->count);
	if (r->log && rbi_audit_append_block(r->log, &ab, NULL) ==
	    RBI_AUDIT_OK)
		r->log_dirty = true;
}

static void rbi_run_flush(struct rbi_run *r, bool all)
{
	uint64_t now = rbi_now_ms();
	size_t i, k = 0;

	for (i = 0; i < r->n_pend; i++) {
		if (all || now - r->pend[i].first_ms >= RBI_RUN_MERGE_MS)
			rbi_run_record(r, &r->pend[i]);
		else
			r->pend[k++] = r->pend[i];
	}
	r->n_pend = k;
}

static bool rbi_same_flow(const struct rbi_pending *b,
			  const struct rbi_pkt *pkt, enum rbi_rule rule)
{
	return b->rule == rule && b->pkt.l4 == pkt->l4 &&
	       b->pkt.sport == pkt->sport && b->pkt.dport == pkt->dport &&
	       !memcmp(&b->pkt.src, &pkt->src, sizeof(pkt->src)) &&
	       !memcmp(&b->pkt.dst, &pkt->dst, sizeof(pkt->dst));
}

/*
 * The logged packet's addresses and ports; a blocked packet that is
 * neither TCP nor UDP (ICMP to a service network) is still recorded.
 */
static bool rbi_run_decode(const struct rbi_nflog_pkt *l, struct rbi_pkt *pkt,
			   bool any)
{
	enum rbi_pkt_result rc = rbi_pkt_decode(RBI_LINK_RAW, l->data, l->len,
						NULL, 0, pkt);

	return rc == RBI_PKT_OK || (any && rc == RBI_PKT_OTHER);
}

/* "rbiblock block <rule>[ module]": the rule, or RBI_RULE_NONE. */
static enum rbi_rule rbi_run_prefix(const char *prefix, bool *module)
{
	static const char head[] = RBI_NFT_LOG_PREFIX RBI_NFT_ACT_BLOCK " ";
	const char *id = prefix + sizeof(head) - 1;
	const char *name;
	unsigned int i;
	size_t n;

	if (strncmp(prefix, head, sizeof(head) - 1))
		return RBI_RULE_NONE;
	n = strcspn(id, " ");
	*module = !strcmp(id + n, " " RBI_NFT_BY_MODULE);
	for (i = RBI_RULE_NONE + 1; i < __RBI_RULE_MAX; i++) {
		name = rbi_rule_id(i);
		if (strlen(name) == n && !strncmp(id, name, n))
			return i;
	}
	return RBI_RULE_NONE;
}

static void rbi_run_block(struct rbi_run *r, const struct rbi_nflog_pkt *l)
{
	struct rbi_pending *b;
	struct rbi_pkt pkt;
	bool module = false;
	enum rbi_rule rule = rbi_run_prefix(l->prefix, &module);
	size_t i;

	if (rule == RBI_RULE_NONE || !rbi_run_decode(l, &pkt, true))
		return;
	pkt.data = NULL;
	pkt.len = 0;
	for (i = 0; i < r->n_pend; i++) {
		if (rbi_same_flow(&r->pend[i], &pkt, rule)) {
			r->pend[i].count++;
			return;
		}
	}
	if (r->n_pend == RBI_RUN_PENDING)
		rbi_run_flush(r, true);
	b = &r->pend[r->n_pend++];
	b->pkt = pkt;
	b->rule = rule;
	b->module = module;
	b->first_ms = rbi_now_ms();
	b->count = 1;
}

/* ---- DNS learning ---- */

static void rbi_run_dns(struct rbi_run *r, const struct rbi_nflog_pkt *l)
{
	struct rbi_nft_learn entries[RBI_RUN_LEARN_MAX];
	char err[RBI_NFT_ERR_LEN], ip[RBI_IP_STRLEN];
	struct rbi_ip addr;
	struct rbi_pkt pkt;
	size_t n, i;

	if (!rbi_run_decode(l, &pkt, false))
		return;
	n = rbi_dnslearn(r->p, pkt.data, pkt.len,
			  pkt.l4 == IPPROTO_TCP, r->grace, &r->scratch,
			  r->learned, RBI_RUN_LEARN_MAX);
	if (!n)
		return;
	for (i = 0; i < n; i++)
		entries[i] = r->learned[i].entry;
	if (rbi_nft_learn(entries, n, err, sizeof(err))) {
		rbi_say("learn failed: %s", err);
		return;
	}
	for (i = 0; i < n; i++) {
		rbi_memo_add(r, &r->learned[i]);
		addr.family = entries[i].family;
		memcpy(addr.a, entries[i].addr, 16);
		rbi_ip_format(&addr, ip, sizeof(ip));
		rbi_say("learned: %s for %s (ttl %u, kept %u s)", ip,
			r->learned[i].comment, r->learned[i].ttl,
			entries[i].timeout);
	}
}

static void rbi_run_packet(const struct rbi_nflog_pkt *l, void *ctx)
{
	struct rbi_run *r = ctx;

	if (l->group == RBI_NFLOG_DNS)
		rbi_run_dns(r, l);
	else if (l->group == RBI_NFLOG_BLOCK)
		rbi_run_block(r, l);
}

/* ---- heartbeats ---- */

/* Counter name: the rule comment up to its first ':'. */
static size_t rbi_run_counters(struct rbi_run *r,
			       const struct rbi_nft_state *st,
			       struct rbi_audit_counter *out)
{
	char names[RBI_AUDIT_COUNTERS_MAX][RBI_AUDIT_COUNTER_NAME_CAP];
	uint64_t now[RBI_AUDIT_COUNTERS_MAX];
	size_t i, k, n = 0;
	char name[RBI_AUDIT_COUNTER_NAME_CAP];

	for (i = 0; i < st->n_counters; i++) {
		if (strncmp(st->counters[i].chain, "block_", 6) &&
		    strcmp(st->counters[i].chain, RBI_NFT_CH_MODULE) &&
		    !strstr(st->counters[i].comment, "block-"))
			continue;
		snprintf(name, sizeof(name), "%.*s",
			 (int)strcspn(st->counters[i].comment, ":"),
			 st->counters[i].comment);
		for (k = 0; k < n && strcmp(names[k], name); k++)
			;
		if (k == n) {
			if (n == RBI_AUDIT_COUNTERS_MAX)
				continue;
			memcpy(names[n], name, sizeof(name));
			now[n++] = 0;
		}
		now[k] += st->counters[i].packets;
	}
	for (i = 0; i < n; i++) {
		out[i].name = r->last_names[i];
		out[i].value = now[i];
		for (k = 0; k < r->n_last; k++)
			if (!strcmp(r->last_names[k], names[i]) &&
			    r->last[k].value <= now[i])
				out[i].value = now[i] - r->last[k].value;
	}
	for (i = 0; i < n; i++) {
		memcpy(r->last_names[i], names[i], sizeof(names[i]));
		r->last[i].name = r->last_names[i];
		r->last[i].value = now[i];
	}
	r->n_last = n;
	return n;
}

static void rbi_run_gap(struct rbi_run *r, const char *what, uint64_t count,
			const char *detail)
{
	struct rbi_audit_gap g;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	memset(&g, 0, sizeof(g));
	g.what = what;
	g.from = g.until = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	g.count = count;
	g.detail = detail;
	rbi_say("gap: %s: %s", what, detail);
	if (r->log && rbi_audit_append_gap(r->log, &g, NULL) == RBI_AUDIT_OK)
		r->log_dirty = true;
}

static void rbi_run_heartbeat(struct rbi_run *r)
{
	struct rbi_audit_counter ctr[RBI_AUDIT_COUNTERS_MAX];
	struct rbi_audit_heartbeat hb;
	struct rbi_nft_state st;
	char err[RBI_NFT_ERR_LEN];

	r->next_heartbeat = time(NULL) + r->p->audit.heartbeat;
	if (!r->log) {
		rbi_run_audit_open(r);
		if (!r->log)
			return;
	}
	if (rbi_nft_read(&st, err, sizeof(err)) == 0 &&
	    (!st.present || strcmp(st.sha256, r->ruleset))) {
		rbi_run_gap(r, "ruleset-mismatch", 1, st.present ?
			    "table inet rbiblock was changed outside rbictl; "
			    "re-applied" : "table inet rbiblock was removed; "
			    "re-applied");
		rbi_nft_state_free(&st);
		rbi_run_enforce(r, r->p);
		rbi_nft_read(&st, err, sizeof(err));
	}
	memset(&hb, 0, sizeof(hb));
	hb.policy_sha256 = r->p->sha256_hex;
	hb.ruleset_sha256 = st.present ? st.sha256 : "";
	hb.module = rbi_module_loaded();
	hb.backend = hb.module && r->backend != RBI_BACKEND_NFT ?
		     "nft+module" : "nft";
	hb.counters = ctr;
	hb.ncounters = rbi_run_counters(r, &st, ctr);
	rbi_run_flush(r, true);
	if (rbi_audit_heartbeat(r->log, &hb, NULL) == RBI_AUDIT_OK)
		r->log_dirty = false;
	else
		rbi_run_sync(r);
	rbi_nft_state_free(&st);
}

/* ---- the loop ---- */

static void rbi_run_reload(struct rbi_run *r)
{
	struct rbi_policy *np = rbi_cli_policy_load(r->path, 0);

	if (!np) {
		rbi_say("reload refused: %s is invalid; policy %s (sha256 %s) "
			"stays in force", r->path ? r->path : "the policy",
			r->p->name, r->p->sha256_hex);
		return;
	}
	if (rbi_run_enforce(r, np)) {
		rbi_say("reload refused: the new policy could not be applied; "
			"policy %s stays in force", r->p->name);
		rbi_policy_free(np);
		return;
	}
	rbi_run_flush(r, true);
	rbi_policy_free(r->p);
	r->p = np;
	memset(r->memo, 0, sizeof(r->memo));
	rbi_run_policy_record(r);
	rbi_say("reloaded: policy %s (sha256 %s)", np->name, np->sha256_hex);
}

static int rbi_run_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	if (sigprocmask(SIG_BLOCK, set, NULL))
		return -1;
	return signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int rbi_run_timeout(const struct rbi_run *r)
{
	time_t now = time(NULL);
	int ms = (int)(r->next_heartbeat > now ? r->next_heartbeat - now : 0) *
		 1000;

	if (r->n_pend && ms > RBI_RUN_MERGE_MS / 4)
		ms = RBI_RUN_MERGE_MS / 4;
	return ms;
}

/* false when it is time to stop. */
static bool rbi_run_signal(struct rbi_run *r, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGHUP) {
			rbi_say("stopping on signal %u", si.ssi_signo);
			return false;
		}
		rbi_run_reload(r);
	}
	return true;
}

static void rbi_run_events(struct rbi_run *r)
{
	char detail[128];

	if (rbi_nflog_read(r->nflog, rbi_run_packet, r) < 0 &&
	    errno == ENOBUFS) {
		r->dropped++;
		snprintf(detail, sizeof(detail), "the kernel dropped NFLOG "
			 "copies (socket buffer full), %llu times",
			 (unsigned long long)r->dropped);
		rbi_run_gap(r, "dropped-events", 1, detail);
	}
}

static int rbi_run_loop(struct rbi_run *r)
{
	struct pollfd pfd[2];
	sigset_t set;
	int sfd = rbi_run_signals(&set);

	if (sfd < 0) {
		fprintf(stderr, "rbictl run: signals: %s\n", strerror(errno));
		return RBI_EXIT_FAIL;
	}
	pfd[0].fd = rbi_nflog_fd(r->nflog);
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, rbi_run_timeout(r)) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents && !rbi_run_signal(r, sfd))
			break;
		if (pfd[0].revents)
			rbi_run_events(r);
		rbi_run_flush(r, false);
		if (time(NULL) >= r->next_heartbeat)
			rbi_run_heartbeat(r);
		rbi_run_sync(r);
	}
	rbi_run_flush(r, true);
	rbi_run_sync(r);
	close(sfd);
	return RBI_EXIT_OK;
}

long rbi_run_pid(void)
{
	FILE *f = fopen(RBI_RUN_PIDFILE, "r");
	long pid = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 0 || kill((pid_t)pid, 0))
		pid = 0;
	fclose(f);
	return pid;
}

static void rbi_run_pidfile(const char *path)
{
	char dir[256], *slash;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	f = fopen(path, "w");
	if (!f) {
		rbi_say("pid file %s: %s", path, strerror(errno));
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

static int rbi_run_opts(int argc, char **argv, struct rbi_run *r,
			const char **pidfile)
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
			r->path = optarg;
			break;
		case 'b':
			r->backend = !strcmp(optarg, "nft") ? RBI_BACKEND_NFT :
				     !strcmp(optarg, "module") ?
				     RBI_BACKEND_MODULE : RBI_BACKEND_AUTO;
			if (strcmp(optarg, "auto") &&
			    r->backend == RBI_BACKEND_AUTO)
				return rbi_cli_usage(cmd, "--backend takes "
						     "auto, nft or module");
			break;
		case 'g':
			r->grace = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || r->grace > RBI_LEARN_MAX)
				return rbi_cli_usage(cmd, "--learn-grace takes "
						     "seconds, 0..%d",
						     RBI_LEARN_MAX);
			break;
		case 'f':
			*pidfile = optarg;
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
	return -1;
}

int rbi_cmd_run(int argc, char **argv)
{
	static const uint16_t groups[] = { RBI_NFLOG_BLOCK, RBI_NFLOG_DNS };
	static const uint32_t copy[] = { RBI_RUN_BLOCK_COPY, RBI_RUN_DNS_COPY };
	const char *pidfile = RBI_RUN_PIDFILE;
	char err[RBI_NFT_ERR_LEN];
	struct rbi_run *r = calloc(1, sizeof(*r));
	int rc;

	if (!r)
		return RBI_EXIT_FAIL;
	r->grace = RBI_LEARN_GRACE_DEFAULT;
	rc = rbi_run_opts(argc, argv, r, &pidfile);
	if (rc >= 0) {
		free(r);
		return rc;
	}
	if (!r->path)
		r->path = rbi_policy_default_path();
	r->p = rbi_cli_policy_load(r->path, 0);
	if (!r->p) {
		fprintf(stderr, "rbictl run: the policy is invalid; not "
			"starting\n");
		free(r);
		return RBI_EXIT_FAIL;
	}
	/* Listen first, so that nothing logged after the apply is lost. */
	r->nflog = rbi_nflog_open(groups, copy, 2, err, sizeof(err));
	if (!r->nflog || rbi_run_enforce(r, r->p)) {
		if (!r->nflog)
			fprintf(stderr, "rbictl run: %s\n", err);
		rbi_nflog_close(r->nflog);
		rbi_policy_free(r->p);
		free(r);
		return RBI_EXIT_FAIL;
	}
	rbi_run_pidfile(pidfile);
	rbi_run_audit_open(r);
	r->next_heartbeat = time(NULL) + r->p->audit.heartbeat;
	rc = rbi_run_loop(r);
	if (r->log && rbi_audit_close(r->log, "shutdown") != RBI_AUDIT_OK)
		rbi_say("audit: closing the log failed");
	unlink(pidfile);
	rbi_nflog_close(r->nflog);
	rbi_policy_free(r->p);
	free(r);
	return rc;
}
