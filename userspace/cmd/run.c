// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rbictl run: applies the policy, then listens. Blocks and logged flows,
 * from the ruleset's NFLOG copies and rbiblock.ko's events, become audit
 * records, one per flow (rbi_runrec.h says which source speaks for which
 * flow); DNS answers copied to it teach the learned maps; heartbeats sign
 * the log. The kernel enforces on its own: killing the daemon stops
 * learning and recording, never blocking.
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

#include "cmd/nft.h"
#include "cmd/policy.h"
#include "audit/writer.h"
#include "cmd/cli.h"
#include "policy/explain.h"
#include "daemon/dnslearn.h"
#include "kmod/modctl.h"
#include "daemon/nflog.h"
#include "nft/defs.h"
#include "scan/frame.h"
#include "cmd/run.h"
#include "daemon/runrec.h"

enum {
	RBI_RUN_MEMO = 4096,		/* learned addresses remembered */
	RBI_RUN_LEARN_MAX = 32,
	RBI_RUN_BLOCK_COPY = 256,	/* bytes of a blocked packet */
	RBI_RUN_DNS_COPY = 65535,
};

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
"  --pid-file FILE        default " RBI_RUN_PIDFILE "\n"
"\n"
"Exit status: 0 after SIGTERM, 1 when it cannot start, 2 usage.";

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
	struct rbi_runrecs *recs;
	/* rbiblock.ko's events, and its counts of those it did not send. */
	struct rbi_modctl *events;
	uint16_t events_family;
	uint64_t events_held, events_failed;
	bool events_check;
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
	struct rbi_backend_result res;
	char err[RBI_NFT_ERR_LEN];
	int rc;

	rc = rbi_backend_apply(p, r->backend, r->fail[0] ? r->fail : NULL, &res,
			 err, sizeof(err));
	if (res.nft.sha256[0])
		snprintf(r->ruleset, sizeof(r->ruleset), "%s", res.nft.sha256);
	if (rc) {
		rbi_say("apply failed: %s", err);
		return -1;
	}
	rbi_say("%s policy %s (sha256 %s), backend %s, ruleset sha256 %s, "
		"%zu learned addresses kept%s%s",
		res.nft.unchanged ? "in force:" : "applied:", p->name,
		p->sha256_hex, res.used, res.nft.sha256, res.nft.carried,
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

/* ---- flow records ---- */

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

/*
 * A new policy numbers its services anew: what was learned keeps its
 * service by id, as the carried-over learned maps do, or is forgotten.
 */
static void rbi_memo_remap(struct rbi_run *r, const struct rbi_policy *np)
{
	struct rbi_memo *m;
	size_t i, n;

	for (i = 0; i < RBI_RUN_MEMO; i++) {
		m = &r->memo[i];
		if (!m->until)
			continue;
		n = strcspn(m->name, " ");
		m->service = rbi_policy_service_by_id(np, m->name, n);
		if (m->service == RBI_NONE)
			memset(m, 0, sizeof(*m));
	}
}

static const char *rbi_l4_name(uint8_t l4)
{
	return l4 == IPPROTO_TCP ? "tcp" : l4 == IPPROTO_UDP ? "udp" :
	       l4 == IPPROTO_ICMP ? "icmp" : l4 == IPPROTO_ICMPV6 ?
	       "ipv6-icmp" : "other";
}

/*
 * The decision behind a record, as the classifier explains it with what
 * is known of the flow: the module's event gives its name, application
 * and ECH; a copy of a packet only its addresses.
 */
static void rbi_run_explain(const struct rbi_run *r,
			    const struct rbi_runrec *rec, struct rbi_flow *f,
			    struct rbi_decision *d,
			    const struct rbi_memo **memo)
{
	memset(f, 0, sizeof(*f));
	if (rec->has_event) {
		*f = rec->ev.flow;
	} else {
		f->src = rec->key.src;
		f->dst = rec->key.dst;
		f->sport = rec->key.sport;
		f->dport = rec->key.dport;
		f->l4 = rec->key.l4;
		if (rec->rule == RBI_RULE_QUIC)
			f->app = RBI_APP_QUIC;
	}
	f->learned = RBI_NONE;
	*memo = rbi_memo_find(r, &f->dst);
	if (*memo)
		f->learned = (*memo)->service;
	rbi_classify(r->p->config, f, d);
}

/* The module's own account, for what this policy explains otherwise. */
static void rbi_run_from_event(const struct rbi_runrec *rec,
			       struct rbi_audit_block *ab)
{
	const struct rbi_decision *d = &rec->ev.d;

	if (!rec->has_event)
		return;
	ab->service = rec->ev.service_id[0] ? rec->ev.service_id : NULL;
	ab->category = d->service != RBI_NONE ?
		       rbi_decision_category(d) : NULL;
}

static void rbi_run_record(void *ctx, const struct rbi_runrec *rec)
{
	char cam[RBI_IP_STRLEN], peer[RBI_IP_STRLEN];
	bool log = rec->kind == RBI_RUNREC_LOG;
	struct rbi_run *r = ctx;
	const struct rbi_memo *memo;
	struct rbi_audit_block ab;
	struct rbi_decision d;
	enum rbi_rule rule;
	struct rbi_flow f;
	bool same, ingress;

	rbi_run_explain(r, rec, &f, &d, &memo);
	rule = rec->rule != RBI_RULE_NONE ? rec->rule : (enum rbi_rule)d.rule;
	same = d.rule == rule && (log ? d.log : d.verdict == RBI_BLOCK);
	ingress = same ? d.ingress : rec->has_event ? rec->ev.d.ingress :
		  rule == RBI_RULE_RTSP_PULL;
	rbi_ip_format(ingress ? &f.dst : &f.src, cam, sizeof(cam));
	rbi_ip_format(ingress ? &f.src : &f.dst, peer, sizeof(peer));
	memset(&ab, 0, sizeof(ab));
	ab.zone = rbi_decision_zone(r->p, &d);
	ab.camera = cam;
	ab.dst = peer;
	ab.dport = f.dport;
	ab.l4 = rbi_l4_name(f.l4);
	ab.app = rbi_app_name(f.app);
	ab.name = f.name_len ? f.name : same && memo &&
		  d.reason == RBI_WHY_LEARNED ?
		  strchr(memo->name, ' ') + 1 : NULL;
	if (rec->has_event)
		ab.ech = f.ech ? RBI_AUDIT_ECH_YES : RBI_AUDIT_ECH_NO;
	if (same) {
		ab.service = rbi_decision_service(r->p, &d);
		ab.category = rbi_decision_category(&d);
	} else {
		rbi_run_from_event(rec, &ab);
	}
	ab.rule = rbi_rule_id(rule);
	ab.basis = rule != RBI_RULE_NONE ? r->p->rules[rule].basis : NULL;
	ab.policy_sha256 = r->p->sha256_hex;
	ab.direction = ingress ? "ingress" : "egress";
	ab.count = rec->count;
	ab.backend = rec->module ? "module" : "nft";
	rbi_say("%s: %s %s %s -> %s %s/%u rule %s service %s name %s (%s, "
		"%llu packets)", log ? "log" : "block", ab.direction,
		ab.zone ? ab.zone : "-", cam, peer, ab.l4, f.dport,
		ab.rule ? ab.rule : "-", ab.service ? ab.service : "-",
		ab.name ? ab.name : "-", ab.backend,
		(unsigned long long)rec->count);
	if (r->log && (log ? rbi_audit_append_log(r->log, &ab, NULL) :
		       rbi_audit_append_block(r->log, &ab, NULL)) ==
	    RBI_AUDIT_OK)
		r->log_dirty = true;
}

/*
 * The logged packet's addresses and ports; a blocked packet that is
 * neither TCP nor UDP (ICMP to a service network) is still recorded.
 */
static bool rbi_run_decode(const struct rbi_nflog_pkt *l, struct rbi_frame *pkt,
			   bool any)
{
	enum rbi_frame_result rc = rbi_frame_decode(RBI_LINK_RAW, l->data, l->len,
						NULL, 0, pkt);

	return rc == RBI_FRAME_OK || (any && rc == RBI_FRAME_OTHER);
}

/* Consumes word w of a log prefix, and the space after it. */
static bool rbi_run_word(const char **p, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(*p, w, n) || ((*p)[n] && (*p)[n] != ' '))
		return false;
	*p += n + ((*p)[n] == ' ');
	return true;
}

/*
 * "rbiblock block|log <rule>[ module]", or "rbiblock log module" (a flow
 * the module only logs has no rule bit). False for any other prefix.
 */
static bool rbi_run_prefix(const char *prefix, enum rbi_runrec_kind *kind,
			   enum rbi_rule *rule, bool *module)
{
	const char *p = prefix;
	unsigned int i;

	*rule = RBI_RULE_NONE;
	if (!rbi_run_word(&p, "rbiblock"))
		return false;
	if (rbi_run_word(&p, RBI_NFT_ACT_BLOCK))
		*kind = RBI_RUNREC_BLOCK;
	else if (rbi_run_word(&p, RBI_NFT_ACT_LOG))
		*kind = RBI_RUNREC_LOG;
	else
		return false;
	*module = rbi_run_word(&p, RBI_NFT_BY_MODULE);
	if (*module)
		return *kind == RBI_RUNREC_LOG && !*p;
	for (i = RBI_RULE_NONE + 1; i < __RBI_RULE_MAX; i++) {
		if (rbi_run_word(&p, rbi_rule_id(i))) {
			*rule = i;
			break;
		}
	}
	*module = rbi_run_word(&p, RBI_NFT_BY_MODULE);
	return *rule != RBI_RULE_NONE && !*p;
}

static void rbi_run_copy(struct rbi_run *r, const struct rbi_nflog_pkt *l)
{
	enum rbi_runrec_kind kind;
	struct rbi_runrec_key k;
	enum rbi_rule rule;
	struct rbi_frame pkt;
	bool module;

	if (!rbi_run_prefix(l->prefix, &kind, &rule, &module) ||
	    !rbi_run_decode(l, &pkt, true))
		return;
	memset(&k, 0, sizeof(k));
	k.src = pkt.src;
	k.dst = pkt.dst;
	k.sport = pkt.sport;
	k.dport = pkt.dport;
	k.l4 = pkt.l4;
	rbi_runrecs_copy(r->recs, &k, kind, rule, module, rbi_now_ms());
}

/* ---- DNS learning ---- */

static void rbi_run_dns(struct rbi_run *r, const struct rbi_nflog_pkt *l)
{
	struct rbi_nft_learn entries[RBI_RUN_LEARN_MAX];
	char err[RBI_NFT_ERR_LEN], ip[RBI_IP_STRLEN];
	struct rbi_ip addr;
	struct rbi_frame pkt;
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
		rbi_run_copy(r, l);
}

/* ---- rbiblock.ko's events ---- */

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

/* What a module counter grew by since *seen; it restarts on a reload. */
static uint64_t rbi_run_delta(uint64_t *seen, uint64_t now)
{
	uint64_t d = now >= *seen ? now - *seen : now;

	*seen = now;
	return d;
}

/* The module's status, from a socket of its own (events share none). */
static int rbi_run_module_status(struct rbi_modctl_status *st,
				 uint16_t *family)
{
	char err[RBI_NFT_ERR_LEN];
	struct rbi_modctl *m;
	int rc;

	if (rbi_modctl_open(&m, err, sizeof(err)))
		return -1;
	rc = rbi_modctl_status(m, st, err, sizeof(err));
	if (family)
		*family = rbi_modctl_family(m);
	rbi_modctl_close(m);
	return rc;
}

/*
 * Events the module did not deliver: held back by its token bucket, or
 * lost for want of memory or socket space (this socket's overrun among
 * them). Their flows are still recorded from the ruleset's NFLOG copies,
 * only without their names; a dropped-events gap says how many. The
 * module's own counters are the one count of them, whatever told the
 * daemon to look (an event's suppressed count, ENOBUFS, a heartbeat), so
 * that none is counted twice.
 */
static void rbi_run_event_gaps(struct rbi_run *r, bool overrun)
{
	struct rbi_modctl_status st;
	uint64_t held, failed;
	char detail[256];

	r->events_check = false;
	if (rbi_run_module_status(&st, NULL)) {
		if (overrun)
			rbi_run_gap(r, "dropped-events", 1, "the module's "
				    "event socket overran, and the module "
				    "could not be asked how many were lost");
		return;
	}
	held = rbi_run_delta(&r->events_held,
			     st.stats[RBI_STAT_EVENTS_SUPPRESSED]);
	failed = rbi_run_delta(&r->events_failed,
			       st.stats[RBI_STAT_EVENTS_FAILED]);
	if (overrun && !failed) {
		/* Counted by the module an instant later: not again then. */
		failed = 1;
		r->events_failed++;
	}
	if (held) {
		snprintf(detail, sizeof(detail), "rbiblock.ko held back %llu "
			 "events (its event_rate limit): those flows are "
			 "recorded from the ruleset's copies, without their "
			 "names", (unsigned long long)held);
		rbi_run_gap(r, "dropped-events", held, detail);
	}
	if (failed) {
		snprintf(detail, sizeof(detail), "rbiblock.ko could not "
			 "deliver %llu events (no memory, or the socket "
			 "overran): those flows are recorded from the "
			 "ruleset's copies, without their names",
			 (unsigned long long)failed);
		rbi_run_gap(r, "dropped-events", failed, detail);
	}
}

static void rbi_run_events_close(struct rbi_run *r)
{
	rbi_modctl_close(r->events);
	r->events = NULL;
}

/*
 * Joins the module's events group when the module is loaded, and again
 * when it was reloaded (a new generic netlink family). What the module
 * counted before is not this daemon's to report.
 */
static void rbi_run_events_open(struct rbi_run *r)
{
	struct rbi_modctl_status st;
	char err[RBI_NFT_ERR_LEN];
	uint16_t family;

	if (!rbi_module_loaded() || rbi_run_module_status(&st, &family)) {
		if (r->events)
			rbi_run_events_close(r);
		return;
	}
	if (r->events && family == r->events_family)
		return;
	rbi_run_events_close(r);
	if (rbi_modctl_open_events(&r->events, err, sizeof(err))) {
		rbi_say("module events: %s", err);
		return;
	}
	r->events_family = rbi_modctl_family(r->events);
	r->events_held = st.stats[RBI_STAT_EVENTS_SUPPRESSED];
	r->events_failed = st.stats[RBI_STAT_EVENTS_FAILED];
	rbi_say("module events: listening");
}

static void rbi_run_event(void *ctx, const struct rbi_modctl_event *ev)
{
	struct rbi_run *r = ctx;

	if (ev->suppressed)
		r->events_check = true;
	rbi_runrecs_event(r->recs, ev, rbi_now_ms());
}

static void rbi_run_events(struct rbi_run *r)
{
	char err[RBI_NFT_ERR_LEN];
	int n;

	n = rbi_modctl_events_read(r->events, rbi_run_event, r, err,
				   sizeof(err));
	if (n == -ENOBUFS) {
		rbi_run_event_gaps(r, true);
	} else if (n < 0) {
		rbi_say("module events: %s", err);
		rbi_run_events_close(r);
	}
	if (r->events_check)
		rbi_run_event_gaps(r, false);
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

/*
 * The module: its events heard, what it did not send declared, and the
 * policy applied held (a module loaded or reloaded since holds none).
 */
static void rbi_run_module_check(struct rbi_run *r)
{
	struct rbi_modctl_status st;

	rbi_run_events_open(r);
	if (!r->events)
		return;
	rbi_run_event_gaps(r, false);
	if (r->backend == RBI_BACKEND_NFT ||
	    rbi_run_module_status(&st, NULL) ||
	    !strcmp(st.sha256, r->p->sha256_hex))
		return;
	rbi_run_gap(r, "ruleset-mismatch", 1, "rbiblock.ko did not hold the "
		    "policy (loaded or changed outside rbictl); re-applied");
	rbi_run_enforce(r, r->p);
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
	rbi_run_module_check(r);
	memset(&hb, 0, sizeof(hb));
	hb.policy_sha256 = r->p->sha256_hex;
	hb.ruleset_sha256 = st.present ? st.sha256 : "";
	hb.module = rbi_module_loaded();
	hb.backend = hb.module && r->backend != RBI_BACKEND_NFT ?
		     "nft+module" : "nft";
	hb.counters = ctr;
	hb.ncounters = rbi_run_counters(r, &st, ctr);
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
	rbi_runrecs_flush(r->recs, true, rbi_now_ms());
	rbi_memo_remap(r, np);
	rbi_policy_free(r->p);
	r->p = np;
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

	if (rbi_runrecs_pending(r->recs) && ms > RBI_RUNREC_MERGE_MS / 4)
		ms = RBI_RUNREC_MERGE_MS / 4;
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

static void rbi_run_nflog(struct rbi_run *r)
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
	struct pollfd pfd[3];
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
	pfd[2].events = POLLIN;
	for (;;) {
		/* poll() skips a negative fd: no module, no events. */
		pfd[2].fd = r->events ? rbi_modctl_fd(r->events) : -1;
		pfd[2].revents = 0;
		if (poll(pfd, 3, rbi_run_timeout(r)) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents && !rbi_run_signal(r, sfd))
			break;
		if (pfd[2].revents && r->events)
			rbi_run_events(r);
		if (pfd[0].revents)
			rbi_run_nflog(r);
		rbi_runrecs_flush(r->recs, false, rbi_now_ms());
		if (time(NULL) >= r->next_heartbeat)
			rbi_run_heartbeat(r);
		rbi_run_sync(r);
	}
	rbi_runrecs_flush(r->recs, true, rbi_now_ms());
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

static void rbi_run_free(struct rbi_run *r)
{
	rbi_run_events_close(r);
	rbi_nflog_close(r->nflog);
	rbi_runrecs_free(r->recs);
	rbi_policy_free(r->p);
	free(r);
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
	r->recs = rbi_runrecs_new(rbi_run_record, r);
	/* Listen first, so that nothing logged after the apply is lost. */
	r->nflog = rbi_nflog_open(groups, copy, 2, err, sizeof(err));
	if (r->nflog && r->recs)
		rbi_run_events_open(r);
	if (!r->nflog || !r->recs || rbi_run_enforce(r, r->p)) {
		if (!r->nflog)
			fprintf(stderr, "rbictl run: %s\n", err);
		rbi_run_free(r);
		return RBI_EXIT_FAIL;
	}
	rbi_run_pidfile(pidfile);
	rbi_run_audit_open(r);
	r->next_heartbeat = time(NULL) + r->p->audit.heartbeat;
	rc = rbi_run_loop(r);
	if (r->log && rbi_audit_close(r->log, "shutdown") != RBI_AUDIT_OK)
		rbi_say("audit: closing the log failed");
	unlink(pidfile);
	rbi_run_free(r);
	return rc;
}
