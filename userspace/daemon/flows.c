// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Flow records: the ruleset's NFLOG copies of blocked and logged packets
 * and rbiblock.ko's events, merged per flow by runrec.c, become one audit
 * record each, explained by the classifier with what is known of the flow.
 */
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include "daemon/internal.h"
#include "nft/defs.h"
#include "policy/explain.h"
#include "scan/frame.h"
#include "util/plural.h"

static const char *rbi_l4_name(uint8_t l4)
{
	return l4 == IPPROTO_TCP ? "tcp" : l4 == IPPROTO_UDP ? "udp" :
	       l4 == IPPROTO_ICMP ? "icmp" : l4 == IPPROTO_ICMPV6 ?
	       "ipv6-icmp" : "other";
}

/*
 * The decision behind a record, as the classifier explains it with what
 * is known of the flow: the module's event gives its name, application
 * and ECH; a copy of a packet only its addresses. learned_name gets the
 * name a DNS answer gave the destination, if it was learned, else "".
 */
static void rbi_flows_explain(struct rbi_daemon *d,
			      const struct rbi_runrec *rec, struct rbi_flow *f,
			      struct rbi_decision *dec, char *learned_name,
			      size_t len)
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
	learned_name[0] = '\0';
	f->learned = rbi_memo_find(&d->memo, &f->dst, learned_name, len);
	rbi_classify(d->p->config, f, dec);
}

/* The module's own account, for what this policy explains otherwise. */
static void rbi_flows_from_event(const struct rbi_runrec *rec,
				 struct rbi_audit_block *ab)
{
	const struct rbi_decision *dec = &rec->ev.d;

	if (!rec->has_event)
		return;
	ab->service = rec->ev.service_id[0] ? rec->ev.service_id : NULL;
	ab->category = dec->service != RBI_NONE ?
		       rbi_decision_category(dec) : NULL;
}

/* What made the module fail the flow closed, in words, for the journal. */
static void rbi_flows_say_fail(const struct rbi_daemon *d,
			       const struct rbi_runrec *rec)
{
	struct rbi_buf why = RBI_BUF_INIT;

	rbi_decision_reason(d->p, &rec->ev.flow, &rec->ev.d, &why);
	rbi_daemon_say("  %s", rbi_buf_str(&why));
	rbi_buf_free(&why);
}

void rbi_daemon_record(void *ctx, const struct rbi_runrec *rec)
{
	char src[RBI_IP_STRLEN], dst[RBI_IP_STRLEN];
	bool log = rec->kind == RBI_RUNREC_LOG;
	char learned_name[RBI_NFT_COMMENT_MAX];
	struct rbi_daemon *d = ctx;
	struct rbi_audit_block ab;
	struct rbi_decision dec;
	enum rbi_rule rule;
	struct rbi_flow f;
	bool same, ingress;

	rbi_flows_explain(d, rec, &f, &dec, learned_name,
			  sizeof(learned_name));
	rule = rec->rule != RBI_RULE_NONE ? rec->rule :
	       (enum rbi_rule)dec.rule;
	same = dec.rule == rule && (log ? dec.log : dec.verdict == RBI_BLOCK);
	ingress = same ? dec.ingress : rec->has_event ? rec->ev.d.ingress :
		  rule == RBI_RULE_RTSP_PULL;
	/* The side that opened the flow is its source, whichever it is. */
	rbi_ip_format(&f.src, src, sizeof(src));
	rbi_ip_format(&f.dst, dst, sizeof(dst));
	memset(&ab, 0, sizeof(ab));
	ab.zone = rbi_decision_zone(d->p, &dec);
	ab.camera = ingress ? dst : src;
	ab.src = src;
	ab.dst = dst;
	ab.dport = f.dport;
	ab.l4 = rbi_l4_name(f.l4);
	ab.app = rbi_app_name(f.app);
	/*
	 * Without a name in the flow, the one DNS gave its destination, for
	 * log records as for blocks: it is what the camera asked for.
	 */
	ab.name = f.name_len ? f.name : learned_name[0] ? learned_name : NULL;
	if (rec->has_event)
		ab.ech = f.ech ? RBI_AUDIT_ECH_YES : RBI_AUDIT_ECH_NO;
	if (same) {
		ab.service = rbi_decision_service(d->p, &dec);
		ab.category = rbi_decision_category(&dec);
	} else {
		rbi_flows_from_event(rec, &ab);
	}
	ab.rule = rbi_rule_id(rule);
	if (rule == RBI_RULE_FAIL_CLOSED && rec->has_event)
		ab.fail = rbi_fail_name(rec->ev.d.fail);
	ab.basis = rule != RBI_RULE_NONE ? d->p->rules[rule].basis : NULL;
	ab.policy_sha256 = d->p->sha256_hex;
	ab.direction = ingress ? "ingress" : "egress";
	ab.count = rec->count;
	/* The inspector's verdicts carry its name: the module's, or ours. */
	ab.backend = !rec->module ? "nft" :
		     rbi_daemon_backend(d) == RBI_BACKEND_QUEUE ? "queue" :
		     "module";
	rbi_daemon_say("%s: %s %s %s -> %s %s/%u rule %s service %s name %s "
		       "(%s, %llu %s)", log ? "log" : "block",
		       ab.direction, ab.zone ? ab.zone : "-", src, dst, ab.l4,
		       f.dport, ab.rule ? ab.rule : "-",
		       ab.service ? ab.service : "-", ab.name ? ab.name : "-",
		       ab.backend, (unsigned long long)rec->count,
		       rbi_plural(rec->count, "packet", "packets"));
	if (ab.fail)
		rbi_flows_say_fail(d, rec);
	rbi_daemon_flow_record(d, &ab, log);
}

/*
 * The logged packet's addresses and ports; a blocked packet that is
 * neither TCP nor UDP (ICMP to a service network) is still recorded.
 */
bool rbi_daemon_decode(const struct rbi_nflog_pkt *l, struct rbi_frame *f,
		       bool any)
{
	enum rbi_frame_result rc = rbi_frame_decode(RBI_LINK_RAW, l->data,
						    l->len, NULL, 0, f);

	return rc == RBI_FRAME_OK || (any && rc == RBI_FRAME_OTHER);
}

/* Consumes word w of a log prefix, and the space after it. */
static bool rbi_flows_word(const char **p, const char *w)
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
static bool rbi_flows_prefix(const char *prefix, enum rbi_runrec_kind *kind,
			     enum rbi_rule *rule, bool *module)
{
	const char *p = prefix;
	unsigned int i;

	*rule = RBI_RULE_NONE;
	if (!rbi_flows_word(&p, "rbiblock"))
		return false;
	if (rbi_flows_word(&p, RBI_NFT_ACT_BLOCK))
		*kind = RBI_RUNREC_BLOCK;
	else if (rbi_flows_word(&p, RBI_NFT_ACT_LOG))
		*kind = RBI_RUNREC_LOG;
	else
		return false;
	*module = rbi_flows_word(&p, RBI_NFT_BY_MODULE);
	if (*module)
		return *kind == RBI_RUNREC_LOG && !*p;
	for (i = RBI_RULE_NONE + 1; i < __RBI_RULE_MAX; i++) {
		if (rbi_flows_word(&p, rbi_rule_id(i))) {
			*rule = i;
			break;
		}
	}
	*module = rbi_flows_word(&p, RBI_NFT_BY_MODULE);
	return *rule != RBI_RULE_NONE && !*p;
}

void rbi_daemon_copy(struct rbi_daemon *d, const struct rbi_nflog_pkt *l)
{
	enum rbi_runrec_kind kind;
	struct rbi_runrec_key k;
	struct rbi_frame frame;
	enum rbi_rule rule;
	bool module;

	if (!rbi_flows_prefix(l->prefix, &kind, &rule, &module) ||
	    !rbi_daemon_decode(l, &frame, true))
		return;
	memset(&k, 0, sizeof(k));
	k.src = frame.src;
	k.dst = frame.dst;
	k.sport = frame.sport;
	k.dport = frame.dport;
	k.l4 = frame.l4;
	rbi_runrecs_copy(d->recs, &k, kind, rule, module,
			 rbi_daemon_now_ms());
}
