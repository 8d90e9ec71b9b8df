// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "policy/explain.h"
#include "policy/markers.h"

const char *rbi_decision_zone(const struct rbi_policy *p,
			      const struct rbi_decision *d)
{
	return d->zone < p->n_zones ? p->zones[d->zone].name : NULL;
}

const char *rbi_decision_service(const struct rbi_policy *p,
				 const struct rbi_decision *d)
{
	if (d->service < p->n_services)
		return p->services[d->service].id;
	if (d->doh < p->n_doh)
		return p->doh[d->doh].id;
	return NULL;
}

const char *rbi_decision_category(const struct rbi_decision *d)
{
	return rbi_category_name(d->category);
}

const char *rbi_decision_rule(const struct rbi_decision *d)
{
	return rbi_rule_id(d->rule);
}

const char *rbi_decision_basis(const struct rbi_policy *p,
			       const struct rbi_decision *d)
{
	return d->rule != RBI_RULE_NONE && d->rule < __RBI_RULE_MAX ?
	       p->rules[d->rule].basis : NULL;
}

static const char *rbi_recorder_name(const struct rbi_policy *p,
				     const struct rbi_decision *d)
{
	return d->recorder < p->n_recorders ? p->recorders[d->recorder].name :
	       "?";
}

/*
 * How the flow met its service: by name, by an address learned from DNS, or
 * by a service network (which the camera reached, or which reached it).
 */
static void rbi_reason_match(const struct rbi_policy *p,
			     const struct rbi_flow *f,
			     const struct rbi_decision *d, struct rbi_buf *out)
{
	const struct rbi_policy_ref *ref;
	char ip[RBI_IP_STRLEN], net[RBI_PREFIX_STRLEN] = "";

	if (d->pattern_id != RBI_NONE) {
		ref = rbi_policy_pattern(p, d->pattern_id);
		rbi_buf_printf(out, "name %.*s matches %s of %s",
			       (int)f->name_len, f->name,
			       ref ? ref->svc->names[ref->item].text : "?",
			       ref ? ref->svc->id : "?");
		return;
	}
	if (d->net_id == RBI_NONE) {
		rbi_ip_format(&f->dst, ip, sizeof(ip));
		rbi_buf_printf(out, "%s was learned from a DNS answer for a "
			       "name of %s", ip, rbi_decision_service(p, d));
		return;
	}
	ref = rbi_policy_net(p, d->net_id);
	if (ref)
		rbi_prefix_format(&ref->svc->nets[ref->item].prefix, net,
				  sizeof(net));
	rbi_ip_format(d->ingress ? &f->src : &f->dst, ip, sizeof(ip));
	if (d->ingress)
		rbi_buf_printf(out, "source %s is in network %s of %s and "
			       "opened a flow to a camera", ip, net,
			       ref ? ref->svc->id : "?");
	else
		rbi_buf_printf(out, "destination %s port %u is in network %s "
			       "of %s", ip, f->dport, net,
			       ref ? ref->svc->id : "?");
}

static void rbi_reason_service(const struct rbi_policy *p,
			       const struct rbi_flow *f,
			       const struct rbi_decision *d,
			       struct rbi_buf *out)
{
	const struct rbi_service *s = &p->services[d->service];

	rbi_reason_match(p, f, d, out);
	if (d->reason == RBI_WHY_SHARED_LOG)
		rbi_buf_printf(out, "; %s is a shared host that also serves "
			       "other APIs, so the flow is recorded, not "
			       "blocked (shared-hosts: log)", s->id);
	else if (s->shared)
		rbi_buf_printf(out, "; %s is a shared host (shared-hosts: "
			       "block)", s->id);
	if (d->verdict == RBI_BLOCK)
		rbi_buf_printf(out, "; %s offers %s, prohibited in publicly "
			       "accessible zone %s", s->id,
			       rbi_category_name(d->category),
			       rbi_decision_zone(p, d));
	else if (d->reason != RBI_WHY_SHARED_LOG)
		rbi_buf_printf(out, "; %s offers no category this policy "
			       "prohibits", s->id);
}

/* What went wrong, for each reason a flow fails closed. */
static const char *rbi_fail_text(enum rbi_fail why)
{
	static const char *const text[__RBI_FAIL_MAX] = {
		[RBI_FAIL_TABLE_FULL] = "rbiblock.ko had no room left to "
			"inspect another flow (flows_max)",
		[RBI_FAIL_MEMORY] = "rbiblock.ko had no memory left to hold "
			"the flow's bytes (flow_bytes_max)",
		[RBI_FAIL_EXPIRED] = "the flow stalled before it could be "
			"decided",
		[RBI_FAIL_UNLOADED] = "rbiblock.ko's configuration was removed "
			"before the flow was decided",
		[RBI_FAIL_MIDSTREAM] = "rbiblock.ko did not see the flow open",
		[RBI_FAIL_SYN_DATA] = "the client sent data in a SYN",
		[RBI_FAIL_URGENT] = "the client sent urgent data, which servers "
			"take out of the stream they read",
		[RBI_FAIL_REWRITE] = "bytes sent again differ from the first "
			"copy the gateway saw",
		[RBI_FAIL_TLS] = "the ClientHello is malformed, or names two "
			"servers",
		[RBI_FAIL_TOO_BIG] = "the ClientHello, request head or DNS "
			"message is larger than rbiblock.ko reads",
		[RBI_FAIL_AMBIGUOUS] = "the request names two hosts, or frames "
			"its body two ways",
		[RBI_FAIL_REQUEST] = "the request is malformed",
		[RBI_FAIL_NOT_REQUEST] = "what follows a request is no request",
		[RBI_FAIL_UNINSPECTABLE] = "the client speaks HTTP/2 in clear "
			"text, or switches protocols where requests cannot be "
			"read",
		[RBI_FAIL_SERVER_FIRST] = "the server sent more than 4 KiB "
			"before the client said anything",
		[RBI_FAIL_DNS] = "a connection to port 53 stopped speaking DNS",
		[RBI_FAIL_QUERIES_FULL] = "rbiblock.ko had no room left to "
			"remember the DNS query",
	};

	return (unsigned int)why < __RBI_FAIL_MAX && text[why] ? text[why] :
	       "the flow could not be decided";
}

void rbi_decision_reason(const struct rbi_policy *p, const struct rbi_flow *f,
			 const struct rbi_decision *d, struct rbi_buf *out)
{
	const char *zone = rbi_decision_zone(p, d);
	char src[RBI_IP_STRLEN], dst[RBI_IP_STRLEN];

	rbi_ip_format(&f->src, src, sizeof(src));
	rbi_ip_format(&f->dst, dst, sizeof(dst));
	if (d->reason == RBI_WHY_FAIL_CLOSED) {
		rbi_buf_printf(out, "fail-closed (%s): %s, in publicly "
			       "accessible zone %s (on-failure: %s)",
			       rbi_fail_name(d->fail), rbi_fail_text(d->fail),
			       zone, p->fail_closed ? "closed" : "open");
		return;
	}
	if (d->service < p->n_services) {
		rbi_reason_service(p, f, d, out);
		return;
	}
	switch (d->reason) {
	case RBI_WHY_NO_ZONE:
		rbi_buf_printf(out, "neither %s nor %s is in a zone of this "
			       "policy", src, dst);
		break;
	case RBI_WHY_NOT_PUBLIC:
		rbi_buf_printf(out, "zone %s is not publicly accessible", zone);
		break;
	case RBI_WHY_NO_MATCH:
		rbi_buf_printf(out, "no prohibited service matches in publicly "
			       "accessible zone %s", zone);
		break;
	case RBI_WHY_RECORDER:
		if (d->ingress)
			rbi_buf_printf(out, "source %s is recorder %s", src,
				       rbi_recorder_name(p, d));
		else
			rbi_buf_printf(out, "destination %s port %u is "
				       "recorder %s", dst, f->dport,
				       rbi_recorder_name(p, d));
		break;
	case RBI_WHY_DOH:
		rbi_buf_printf(out, "%.*s is DNS-over-HTTPS resolver %s, which "
			       "would bypass DNS learning (dns-over-https: %s)",
			       (int)(f->name_len ? f->name_len : strlen(dst)),
			       f->name_len ? f->name : dst,
			       rbi_decision_service(p, d),
			       rbi_mode_name(p->mode[RBI_ENF_DOH]));
		break;
	case RBI_WHY_QUIC:
		rbi_buf_printf(out, "QUIC from publicly accessible zone %s "
			       "hides the service name (quic: %s)", zone,
			       rbi_mode_name(p->mode[RBI_ENF_QUIC]));
		break;
	case RBI_WHY_ECH:
		rbi_buf_printf(out, "the ClientHello is encrypted (ECH), so "
			       "the service name is hidden "
			       "(encrypted-client-hello: %s)",
			       rbi_mode_name(p->mode[RBI_ENF_ECH]));
		break;
	case RBI_WHY_RTSP_PULL:
		rbi_buf_printf(out, "%s is not an approved recorder and opened "
			       "an RTSP stream pull from camera %s in publicly "
			       "accessible zone %s", src, dst, zone);
		break;
	case RBI_WHY_ANALYTICS:
		rbi_buf_printf(out, "%s requested face analytics (", src);
		rbi_markers_format(f->markers, ", ", out);
		rbi_buf_printf(out, ") from camera %s in publicly accessible "
			       "zone %s (camera-analytics: %s)", dst, zone,
			       rbi_mode_name(p->mode[RBI_ENF_ANALYTICS]));
		break;
	default:
		rbi_buf_adds(out, "no reason recorded");
		break;
	}
}

void rbi_decision_json(const struct rbi_policy *p, const struct rbi_flow *f,
		       const struct rbi_decision *d, bool with_reason,
		       struct rbi_json *j)
{
	struct rbi_buf reason = RBI_BUF_INIT;

	rbi_json_kstr(j, "verdict", rbi_verdict_name(d->verdict));
	rbi_json_kstr(j, "zone", rbi_decision_zone(p, d));
	rbi_json_kstr(j, "service", rbi_decision_service(p, d));
	rbi_json_kstr(j, "category", rbi_decision_category(d));
	rbi_json_kstr(j, "rule", rbi_decision_rule(d));
	rbi_json_kstr(j, "basis", rbi_decision_basis(p, d));
	if (!with_reason)
		return;
	rbi_decision_reason(p, f, d, &reason);
	rbi_json_kstr(j, "reason", rbi_buf_str(&reason));
	rbi_buf_free(&reason);
}
