// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/explain.h"
#include "util/json.h"
#include "policy/markers.h"
#include "scan/jsonl.h"
#include "scan/out.h"
#include "util/plural.h"

enum {
	RBI_OUT_CAMERAS = 65536,	/* distinct cameras summarised */
	RBI_OUT_CAMERA_SVCS = 4,	/* services listed per camera */
	RBI_OUT_LIST_MAX = 100,		/* lines per summary table */
	RBI_OUT_COUNTERS = 112,
};

struct rbi_out_agg {
	uint64_t flows;
	uint64_t blocked;
	uint64_t logged;
	uint64_t first;
	uint64_t last;
};

struct rbi_out_camera {
	struct rbi_ip ip;
	bool used;
	uint32_t zone;
	uint32_t svc[RBI_OUT_CAMERA_SVCS];
	unsigned int n_svc;
	bool more_svcs;
	struct rbi_out_agg agg;
};

struct rbi_scan_out {
	const struct rbi_policy *p;
	enum rbi_scan_format fmt;
	FILE *out;
	bool live;
	bool color;
	struct rbi_scan_clock clock;
	struct rbi_scan_jsonl *jsonl;	/* jsonl mode only */
	struct rbi_buf line;
	struct rbi_out_agg total;
	struct rbi_out_agg *zones;	/* n_zones, then "no zone" */
	struct rbi_out_agg *svcs;	/* services, then resolvers */
	struct rbi_out_agg rules[__RBI_RULE_MAX];
	struct rbi_out_camera *cams;
	uint64_t cams_used;
	uint64_t cams_dropped;
};

struct rbi_scan_out *rbi_scan_out_alloc(const struct rbi_policy *p,
					enum rbi_scan_format fmt, FILE *out,
					unsigned int flags)
{
	struct rbi_scan_out *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->p = p;
	o->fmt = fmt;
	o->out = out;
	o->live = flags & RBI_SCAN_OUT_LIVE;
	o->color = flags & RBI_SCAN_OUT_COLOR;
	o->zones = calloc(p->n_zones + 1, sizeof(*o->zones));
	o->svcs = calloc(p->n_services + p->n_doh + 1, sizeof(*o->svcs));
	o->cams = calloc(RBI_OUT_CAMERAS, sizeof(*o->cams));
	if (fmt == RBI_SCAN_JSONL)
		o->jsonl = rbi_scan_jsonl_alloc(p);
	if (!o->zones || !o->svcs || !o->cams ||
	    (fmt == RBI_SCAN_JSONL && !o->jsonl)) {
		rbi_scan_out_free(o);
		return NULL;
	}
	return o;
}

void rbi_scan_out_free(struct rbi_scan_out *o)
{
	if (!o)
		return;
	rbi_buf_free(&o->line);
	rbi_scan_jsonl_free(o->jsonl);
	free(o->zones);
	free(o->svcs);
	free(o->cams);
	free(o);
}

/* One line a person reads as it scrolls by (watch, text). */
static void rbi_scan_record_text(const struct rbi_policy *p,
				 struct rbi_scan_clock *clock,
				 const struct rbi_scan_record *r, bool color,
				 struct rbi_buf *b)
{
	bool red = color && r->d.verdict == RBI_BLOCK;
	const struct rbi_flow *f = &r->flow;
	char ts[RBI_AUDIT_TS_LEN + 1], src[RBI_IP_STRLEN], dst[RBI_IP_STRLEN];
	const char *zone = rbi_decision_zone(p, &r->d);
	const char *svc = rbi_decision_service(p, &r->d);
	const char *rule = rbi_decision_rule(&r->d);

	rbi_scan_clock_text(clock, r->ts, ts);
	rbi_ip_format(&f->src, src, sizeof(src));
	rbi_ip_format(&f->dst, dst, sizeof(dst));
	/* Bold red, then back to normal: ECMA-48 SGR 1;31 and 0. */
	rbi_buf_printf(b, "%s %s%-5s%s %s %s%s%s:%u -> %s%s%s:%u %s", ts,
		       red ? "\033[1;31m" : "", rbi_verdict_name(r->d.verdict),
		       red ? "\033[0m" : "",
		       f->l4 == RBI_L4_UDP ? "udp" : "tcp",
		       f->src.family == RBI_IP_V6 ? "[" : "", src,
		       f->src.family == RBI_IP_V6 ? "]" : "", f->sport,
		       f->dst.family == RBI_IP_V6 ? "[" : "", dst,
		       f->dst.family == RBI_IP_V6 ? "]" : "", f->dport,
		       rbi_app_name(f->app) ? rbi_app_name(f->app) : "-");
	rbi_buf_adds(b, " ");
	if (f->name_len)
		rbi_json_escape(b, f->name, f->name_len);
	else
		rbi_buf_adds(b, "-");
	if (f->ech)
		rbi_buf_adds(b, " ech");
	if (zone)
		rbi_buf_printf(b, " zone=%s", zone);
	if (svc)
		rbi_buf_printf(b, " service=%s", svc);
	if (rule)
		rbi_buf_printf(b, " rule=%s", rule);
	if (f->markers & RBI_MARKER_ALL) {
		rbi_buf_adds(b, " markers=");
		rbi_markers_format(f->markers, ",", b);
	}
}

static void rbi_out_count(struct rbi_out_agg *a, const struct rbi_scan_record *r)
{
	if (!a->flows || r->ts < a->first)
		a->first = r->ts;
	if (r->ts > a->last)
		a->last = r->ts;
	a->flows++;
	a->blocked += r->d.verdict == RBI_BLOCK;
	a->logged += r->d.verdict != RBI_BLOCK && r->d.log;
}

static uint32_t rbi_out_ip_hash(const struct rbi_ip *ip)
{
	uint32_t h = 2166136261u;
	unsigned int i;

	for (i = 0; i < sizeof(ip->a); i++)
		h = (h ^ ip->a[i]) * 16777619u;
	return h ^ ip->family;
}

/* The camera's entry, or NULL when the table is full. */
static struct rbi_out_camera *rbi_out_camera(struct rbi_scan_out *o,
					     const struct rbi_ip *ip)
{
	uint32_t i = rbi_out_ip_hash(ip), n;
	struct rbi_out_camera *c;

	for (n = 0; n < RBI_OUT_CAMERAS; n++, i++) {
		c = &o->cams[i % RBI_OUT_CAMERAS];
		if (!c->used) {
			if (o->cams_used * 4 >= RBI_OUT_CAMERAS * 3)
				return NULL;
			c->used = true;
			c->ip = *ip;
			o->cams_used++;
			return c;
		}
		if (c->ip.family == ip->family &&
		    !memcmp(c->ip.a, ip->a, sizeof(ip->a)))
			return c;
	}
	return NULL;
}

static void rbi_out_camera_add(struct rbi_scan_out *o,
			       const struct rbi_scan_record *r)
{
	const struct rbi_ip *ip = r->d.ingress ? &r->flow.dst : &r->flow.src;
	struct rbi_out_camera *c = rbi_out_camera(o, ip);
	unsigned int i;

	if (!c) {
		o->cams_dropped++;
		return;
	}
	c->zone = r->d.zone;
	rbi_out_count(&c->agg, r);
	if (r->d.service == RBI_NONE)
		return;
	for (i = 0; i < c->n_svc; i++)
		if (c->svc[i] == r->d.service)
			return;
	if (c->n_svc < RBI_OUT_CAMERA_SVCS)
		c->svc[c->n_svc++] = r->d.service;
	else
		c->more_svcs = true;
}

static void rbi_out_aggregate(struct rbi_scan_out *o,
			      const struct rbi_scan_record *r)
{
	const struct rbi_policy *p = o->p;
	size_t svc = p->n_services + p->n_doh;

	rbi_out_count(&o->total, r);
	rbi_out_count(&o->zones[r->d.zone < p->n_zones ? r->d.zone :
			      p->n_zones], r);
	if (r->d.service < p->n_services)
		svc = r->d.service;
	else if (r->d.doh < p->n_doh)
		svc = p->n_services + r->d.doh;
	if (svc < p->n_services + p->n_doh)
		rbi_out_count(&o->svcs[svc], r);
	if (r->d.rule != RBI_RULE_NONE && r->d.rule < __RBI_RULE_MAX)
		rbi_out_count(&o->rules[r->d.rule], r);
	/* Cameras whose flows the policy let be are not the story. */
	if (r->d.zone < p->n_zones && rbi_scan_matched(&r->d))
		rbi_out_camera_add(o, r);
}

void rbi_scan_out_record(void *ctx, const struct rbi_scan_record *r)
{
	struct rbi_scan_out *o = ctx;

	const char *line;
	size_t len;

	rbi_out_aggregate(o, r);
	if (o->fmt == RBI_SCAN_JSONL) {
		line = rbi_scan_jsonl_line(o->jsonl, r, &len);
	} else if (o->live) {
		rbi_buf_reset(&o->line);
		rbi_scan_record_text(o->p, &o->clock, r, o->color, &o->line);
		rbi_buf_addc(&o->line, '\n');
		line = o->line.data;
		len = o->line.len;
	} else {
		return;
	}
	fwrite(line, 1, len, o->out);
	if (o->live)
		fflush(o->out);
}

uint64_t rbi_scan_out_blocked(const struct rbi_scan_out *o)
{
	return o->total.blocked;
}

struct rbi_out_counter {
	const char *group;
	const char *name;
	uint64_t v;
};

struct rbi_out_counters {
	struct rbi_out_counter c[RBI_OUT_COUNTERS];
	unsigned int n;
};

static void rbi_out_put(struct rbi_out_counters *t, const char *group,
			const char *name, uint64_t v)
{
	if (t->n < RBI_OUT_COUNTERS)
		t->c[t->n++] = (struct rbi_out_counter){ group, name, v };
}

static void rbi_out_flow_counters(struct rbi_out_counters *t,
				  const struct rbi_scan *s)
{
	static const char *const ended[__RBI_FLOW_END_MAX] = {
		[RBI_FLOW_END_IDLE] = "ended_idle",
		[RBI_FLOW_END_EVICTED] = "ended_evicted",
		[RBI_FLOW_END_REUSED] = "ended_reused",
		[RBI_FLOW_END_CLOSED] = "ended_closed",
		[RBI_FLOW_END_DONE] = "ended_at_capture_end",
	};
	const struct rbi_flowtab_stats *ft = rbi_scan_flow_stats(s);
	unsigned int i;

	rbi_out_put(t, "flow_table", "capacity", ft->capacity);
	rbi_out_put(t, "flow_table", "created", ft->created);
	rbi_out_put(t, "flow_table", "peak", ft->peak);
	for (i = 0; i < __RBI_FLOW_END_MAX; i++)
		rbi_out_put(t, "flow_table", ended[i], ft->ended[i]);
}

static void rbi_out_mem_counters(struct rbi_out_counters *t,
				 const struct rbi_scan *s)
{
	const struct rbi_reasm_stats *rs = rbi_scan_reasm_stats(s);
	const struct rbi_ipfrag_stats *fs = rbi_scan_frag_stats(s);
	struct rbi_learn_stats ls;

	rbi_out_put(t, "reassembly", "buffers_max", rs->max);
	rbi_out_put(t, "reassembly", "buffers_taken", rs->taken);
	rbi_out_put(t, "reassembly", "buffers_peak", rs->peak);
	rbi_out_put(t, "reassembly", "buffers_exhausted", rs->exhausted);
	rbi_out_put(t, "ip_fragments", "fragments", fs->fragments);
	rbi_out_put(t, "ip_fragments", "reassembled", fs->completed);
	rbi_out_put(t, "ip_fragments", "timed_out", fs->timed_out);
	rbi_out_put(t, "ip_fragments", "evicted", fs->evicted);
	rbi_out_put(t, "ip_fragments", "overlaps", fs->overlaps);
	rbi_out_put(t, "ip_fragments", "invalid", fs->invalid);
	rbi_out_put(t, "ip_fragments", "no_memory", fs->no_memory);
	rbi_scan_learn_stats(s, &ls);
	rbi_out_put(t, "learned", "capacity", ls.capacity);
	rbi_out_put(t, "learned", "added", ls.added);
	rbi_out_put(t, "learned", "refreshed", ls.refreshed);
	rbi_out_put(t, "learned", "evicted", ls.evicted);
	rbi_out_put(t, "learned", "live", ls.live);
	rbi_out_put(t, "memory", "bound_bytes", rbi_scan_mem_bound(s));
}

/* Every counter the run kept, in one table both formats print. */
static void rbi_out_counters(struct rbi_out_counters *t,
			     const struct rbi_scan_out *o,
			     const struct rbi_scan *s,
			     const struct rbi_scan_inputs *in)
{
	const struct rbi_scan_stats *st = rbi_scan_stats(s);
	unsigned int i;

	t->n = 0;
	rbi_out_put(t, "inputs", "read", in->read);
	rbi_out_put(t, "inputs", "failed", in->failed);
	rbi_out_put(t, "inputs", "cut_short", in->cut);
	rbi_out_put(t, "inputs", "dropped_by_kernel", in->dropped);
	rbi_out_put(t, "inputs", "dropped_by_interface", in->if_dropped);
	rbi_out_put(t, "report", "flows", o->total.flows);
	rbi_out_put(t, "report", "blocked", o->total.blocked);
	rbi_out_put(t, "report", "logged", o->total.logged);
	rbi_out_put(t, "report", "cameras", o->cams_used);
	rbi_out_put(t, "report", "flows_of_cameras_not_summarised",
		    o->cams_dropped);
	for (i = 0; i < __RBI_SC_MAX; i++)
		rbi_out_put(t, "scan", rbi_scan_count_name(i), st->count[i]);
	for (i = 0; i < __RBI_PKT_MAX; i++)
		rbi_out_put(t, "decode", rbi_frame_result_name(i),
			    st->decode[i]);
	for (i = 1; i < __RBI_APP_MAX; i++)
		rbi_out_put(t, "named", rbi_app_name(i), st->named[i]);
	for (i = 0; i < __RBI_UN_MAX; i++)
		rbi_out_put(t, "unnamed", rbi_scan_unnamed_name(i),
			    st->unnamed[i]);
	rbi_out_flow_counters(t, s);
	rbi_out_mem_counters(t, s);
}

static void rbi_out_counters_json(const struct rbi_out_counters *t,
				  struct rbi_buf *b)
{
	const char *group = NULL;
	struct rbi_json j;
	unsigned int i;

	rbi_json_init(&j, b);
	rbi_json_obj_begin(&j);
	rbi_json_kstr(&j, "type", "summary");
	for (i = 0; i < t->n; i++) {
		if (!group || strcmp(group, t->c[i].group)) {
			if (group)
				rbi_json_obj_end(&j);
			group = t->c[i].group;
			rbi_json_key(&j, group);
			rbi_json_obj_begin(&j);
		}
		rbi_json_kuint(&j, t->c[i].name, t->c[i].v);
	}
	if (group)
		rbi_json_obj_end(&j);
	rbi_json_obj_end(&j);
}

static void rbi_out_counters_text(const struct rbi_out_counters *t, FILE *f)
{
	const char *group = NULL;
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		if (!group || strcmp(group, t->c[i].group)) {
			group = t->c[i].group;
			fprintf(f, "\n%s:\n", group);
		}
		fprintf(f, "  %-36s %llu\n", t->c[i].name,
			(unsigned long long)t->c[i].v);
	}
}

static void rbi_out_agg_text(const struct rbi_out_agg *a, FILE *f)
{
	fprintf(f, " %8llu %8llu %8llu", (unsigned long long)a->flows,
		(unsigned long long)a->blocked,
		(unsigned long long)a->logged);
}

static void rbi_out_zones(const struct rbi_scan_out *o, FILE *f)
{
	const struct rbi_policy *p = o->p;
	size_t i;

	fprintf(f, "\nby zone:\n  %-32s %8s %8s %8s\n", "zone", "flows",
		"blocked", "logged");
	for (i = 0; i <= p->n_zones; i++) {
		if (!o->zones[i].flows)
			continue;
		fprintf(f, "  %-32s", i < p->n_zones ? p->zones[i].name :
			"(no zone)");
		rbi_out_agg_text(&o->zones[i], f);
		fprintf(f, "\n");
	}
}

static void rbi_out_services(const struct rbi_scan_out *o, FILE *f)
{
	const struct rbi_policy *p = o->p;
	const struct rbi_out_agg *a;
	char first[RBI_AUDIT_TS_LEN + 1], last[RBI_AUDIT_TS_LEN + 1];
	size_t i;

	fprintf(f, "\nby service:\n  %-32s %8s %8s %8s  %-27s %s\n",
		"service", "flows", "blocked", "logged", "first seen",
		"last seen");
	for (i = 0; i < p->n_services + p->n_doh; i++) {
		a = &o->svcs[i];
		if (!a->flows)
			continue;
		rbi_audit_ts_format((int64_t)a->first, first);
		rbi_audit_ts_format((int64_t)a->last, last);
		fprintf(f, "  %-32s", i < p->n_services ? p->services[i].id :
			p->doh[i - p->n_services].id);
		rbi_out_agg_text(a, f);
		fprintf(f, "  %-27s %s\n", first, last);
	}
}

static void rbi_out_rules(const struct rbi_scan_out *o, FILE *f)
{
	unsigned int i;

	fprintf(f, "\nby rule:\n  %-32s %8s %8s %8s\n", "rule", "flows",
		"blocked", "logged");
	for (i = 0; i < __RBI_RULE_MAX; i++) {
		if (!o->rules[i].flows)
			continue;
		fprintf(f, "  %-32s", rbi_rule_id(i));
		rbi_out_agg_text(&o->rules[i], f);
		fprintf(f, "\n");
	}
}

static int rbi_out_camera_cmp(const void *x, const void *y)
{
	const struct rbi_out_camera *const *pa = x, *const *pb = y;
	const struct rbi_out_camera *a = *pa, *b = *pb;

	if (a->agg.blocked != b->agg.blocked)
		return a->agg.blocked > b->agg.blocked ? -1 : 1;
	if (a->agg.logged != b->agg.logged)
		return a->agg.logged > b->agg.logged ? -1 : 1;
	if (a->agg.flows != b->agg.flows)
		return a->agg.flows > b->agg.flows ? -1 : 1;
	if (a->ip.family != b->ip.family)
		return a->ip.family < b->ip.family ? -1 : 1;
	return memcmp(a->ip.a, b->ip.a, sizeof(a->ip.a));
}

static void rbi_out_camera_line(const struct rbi_scan_out *o,
				const struct rbi_out_camera *c, FILE *f)
{
	const struct rbi_policy *p = o->p;
	char ip[RBI_IP_STRLEN];
	unsigned int k;

	rbi_ip_format(&c->ip, ip, sizeof(ip));
	fprintf(f, "  %-40s %-20s", ip,
		c->zone < p->n_zones ? p->zones[c->zone].name : "-");
	rbi_out_agg_text(&c->agg, f);
	for (k = 0; k < c->n_svc; k++)
		fprintf(f, "%s%s", k ? "," : "  ", p->services[c->svc[k]].id);
	fprintf(f, "%s\n", c->more_svcs ? ",..." : "");
}

static void rbi_out_cameras(const struct rbi_scan_out *o, FILE *f)
{
	const struct rbi_out_camera **v;
	size_t i, n = 0;

	v = calloc(o->cams_used ? o->cams_used : 1, sizeof(*v));
	if (!v)
		return;
	for (i = 0; i < RBI_OUT_CAMERAS; i++)
		if (o->cams[i].used)
			v[n++] = &o->cams[i];
	qsort(v, n, sizeof(*v), rbi_out_camera_cmp);
	fprintf(f, "\nby camera (flows the policy matched):\n"
		"  %-40s %-20s %8s %8s %8s  %s\n",
		"camera", "zone", "flows", "blocked", "logged", "services");
	for (i = 0; i < n && i < RBI_OUT_LIST_MAX; i++)
		rbi_out_camera_line(o, v[i], f);
	if (n > RBI_OUT_LIST_MAX)
		fprintf(f, "  ... and %zu more %s\n", n - RBI_OUT_LIST_MAX,
			rbi_plural(n - RBI_OUT_LIST_MAX, "camera", "cameras"));
	if (o->cams_dropped)
		fprintf(f, "  (%llu %s of cameras past the first %d not "
			"summarised)\n", (unsigned long long)o->cams_dropped,
			rbi_plural(o->cams_dropped, "flow", "flows"),
			RBI_OUT_CAMERAS * 3 / 4);
	free(v);
}

void rbi_scan_out_finish(struct rbi_scan_out *o, const struct rbi_scan *s,
			 const struct rbi_scan_inputs *in, FILE *err)
{
	uint64_t packets = rbi_scan_stats(s)->count[RBI_SC_PACKETS];
	uint64_t flows = rbi_scan_flow_stats(s)->created;
	struct rbi_out_counters *t = calloc(1, sizeof(*t));
	struct rbi_buf b = RBI_BUF_INIT;
	FILE *f = o->out;

	if (!t)
		return;
	rbi_out_counters(t, o, s, in);
	if (o->fmt == RBI_SCAN_JSONL) {
		rbi_out_counters_json(t, &b);
		fprintf(err, "%s\n", rbi_buf_str(&b));
		rbi_buf_free(&b);
		free(t);
		return;
	}
	fprintf(f, "%s%u %s, %llu %s, %llu %s: %llu reported (named or "
		"matched), %llu blocked, %llu logged\n", o->live ? "\n" : "",
		in->read, rbi_plural(in->read, "input", "inputs"),
		(unsigned long long)packets,
		rbi_plural(packets, "packet", "packets"),
		(unsigned long long)flows, rbi_plural(flows, "flow", "flows"),
		(unsigned long long)o->total.flows,
		(unsigned long long)o->total.blocked,
		(unsigned long long)o->total.logged);
	rbi_out_zones(o, f);
	rbi_out_services(o, f);
	rbi_out_rules(o, f);
	rbi_out_cameras(o, f);
	rbi_out_counters_text(t, f);
	free(t);
}
