// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_analytics.h"
#include "scan/internal.h"

/* How long a flow to a camera waits for the camera's first bytes. */
#define RBI_SCAN_WATCH_US	(30ull * 1000000)

/*
 * Whether camera-analytics markers not seen yet could change what the
 * policy does with the flow under name: block it, or record it.
 */
static bool rbi_scan_markers_matter(const struct rbi_scan *s, uint32_t idx,
				    const struct rbi_scan_flow *f,
				    const char *name)
{
	struct rbi_decision now, all;
	struct rbi_flow fl;

	rbi_scan_flow_of(s, idx, f, name, &fl);
	rbi_classify(s->policy->config, &fl, &now);
	fl.markers = RBI_MARKER_ALL;
	rbi_classify(s->policy->config, &fl, &all);
	return now.verdict != all.verdict || now.log != all.log;
}

/* The name of a watched flow, read again from its client's request. */
static const char *rbi_scan_watched_name(struct rbi_scan *s,
					 const struct rbi_scan_flow *f)
{
	const struct rbi_reasm *r = f->dir[f->named].r;
	const char *name;

	/* Only an HTTP or RTSP request starts a watch. */
	rbi_scan_request(s, f->app, r->data, r->have, &name);
	return name[0] ? name : NULL;
}

void rbi_scan_watch_end(struct rbi_scan *s, uint32_t idx,
			struct rbi_scan_flow *f)
{
	rbi_scan_decide(s, idx, f, rbi_scan_watched_name(s, f));
}

/*
 * Ends the watch once the camera's first bytes are in: its direction is
 * full, finished or without a buffer, or the flow is older than the watch
 * lasts. False when it ended.
 */
bool rbi_scan_watch_check(struct rbi_scan *s, uint32_t idx,
			  struct rbi_scan_flow *f)
{
	const struct rbi_scan_dir *answer = &f->dir[!f->named];

	if (answer->flags & RBI_DIR_WATCH && !(answer->flags & RBI_DIR_FIN) &&
	    s->now - rbi_flowtab_first(s->flows, idx) <= RBI_SCAN_WATCH_US)
		return true;
	rbi_scan_watch_end(s, idx, f);
	return false;
}

/*
 * A direction's first bytes can still be read for markers: it has not
 * finished, and it holds every byte it sent so far.
 */
static bool rbi_scan_watchable(const struct rbi_scan_dir *d)
{
	return !(d->flags & RBI_DIR_FIN) &&
	       (d->r ? d->r->have < RBI_REASM_CAP : !(d->flags & RBI_DIR_DATA));
}

/*
 * A request named the flow, to a camera whose answer may still carry
 * markers that change what the policy does with it: both directions'
 * first bytes are read on. The client's are kept, so that its request
 * names the flow again at the end. False when it is to be decided now.
 */
static bool rbi_scan_watch(struct rbi_scan *s, uint32_t idx,
			   struct rbi_scan_flow *f, unsigned int client,
			   const char *name, const uint8_t *buf, size_t len)
{
	struct rbi_scan_dir *d;
	unsigned int i;

	if (!rbi_scan_watchable(&f->dir[!client]) ||
	    !rbi_scan_markers_matter(s, idx, f, name))
		return false;
	d = &f->dir[client];
	if (!d->r) {
		d->r = rbi_reasm_get(&s->pool);
		if (!d->r) {
			s->st.count[RBI_SC_REASM_NO_BUFFER]++;
			return false;
		}
		rbi_reasm_add(d->r, 0, buf, len);
	}
	f->state = RBI_FLOW_WATCHING;
	f->named = (uint8_t)client;
	for (i = 0; i < 2; i++) {
		d = &f->dir[i];
		d->cand = 0;
		if (rbi_scan_watchable(d))
			d->flags |= RBI_DIR_WATCH;
		d->need = d->r ? d->r->have + 1 : 0;
	}
	s->st.count[RBI_SC_FLOWS_WATCHED]++;
	return true;
}

/* An HTTP or RTSP request names the flow, now or once watched. */
void rbi_scan_named_request(struct rbi_scan *s, uint32_t idx,
			    struct rbi_scan_flow *f,
			    unsigned int client, enum rbi_app app,
			    const char *name, const uint8_t *buf,
			    size_t len)
{
	rbi_scan_claim(f, client, app);
	if (!rbi_scan_watch(s, idx, f, client, name[0] ? name : NULL, buf,
			    len))
		rbi_scan_decide(s, idx, f, name[0] ? name : NULL);
}

/*
 * Searches a direction's stream, up to len, for markers from where the
 * last search ended; a ClientHello's bytes are no request and are left
 * alone. True when the flow's markers grew.
 */
bool rbi_scan_mark(struct rbi_scan_flow *f, unsigned int side,
		   const uint8_t *buf, size_t len)
{
	uint32_t before = f->markers;

	if (f->state == RBI_FLOW_DECIDED || f->dir[side].cand & RBI_CAND_TLS)
		return false;
	f->markers |= rbi_analytics_scan_more(buf, len, f->marked[side]);
	f->marked[side] = (uint16_t)RBI_MIN(len, (size_t)UINT16_MAX);
	return f->markers != before;
}

/*
 * A watched direction's stream grew to len: true while its bytes are
 * still wanted. The watch ends as soon as no marker can change the
 * decision any more.
 */
bool rbi_scan_watch_more(struct rbi_scan *s, uint32_t idx,
			 struct rbi_scan_flow *f, unsigned int side,
			 size_t len, bool grew)
{
	struct rbi_scan_dir *d = &f->dir[side];

	if (len >= RBI_REASM_CAP)
		d->flags &= (uint8_t)~RBI_DIR_WATCH;
	d->need = (uint32_t)RBI_MIN(len + 1, (size_t)RBI_REASM_CAP);
	if (grew && !rbi_scan_markers_matter(s, idx, f, NULL)) {
		rbi_scan_watch_end(s, idx, f);
		return false;
	}
	return rbi_scan_watch_check(s, idx, f) && d->flags & RBI_DIR_WATCH;
}
