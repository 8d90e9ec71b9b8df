// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include "kmod/modctl.h"

enum {
	/* Bytes of items per ADD message: well under the socket buffers. */
	RBI_MODCTL_MSG_MAX = 32768,
	/* Items per ADD message, to locate the one the kernel refuses. */
	RBI_MODCTL_MSG_ITEMS = 1024,
	RBI_MODCTL_EVENT_RCVBUF = 4 << 20,
	/* What one receive takes: a dump fills about a page per message. */
	RBI_MODCTL_RECV_BUF = 32768,
};

#define RBI_MODULE_SYSFS	"/sys/module/rbiblock"

struct rbi_modctl {
	struct rbi_nl nl;
	uint16_t family;
	uint32_t group;
};

bool rbi_module_loaded(void)
{
	return access(RBI_MODULE_SYSFS, F_OK) == 0;
}

static int rbi_modctl_fail(char *err, size_t errlen, int error,
			   const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int rbi_modctl_fail(char *err, size_t errlen, int error,
			   const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return error < 0 ? error : -error;
}

int rbi_modctl_talk(struct rbi_modctl *m, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data, char *err, size_t errlen)
{
	struct rbi_nl_error e;
	int ret = rbi_nl_talk(&m->nl, nlh, cb, data, &e);

	if (ret < 0)
		return rbi_modctl_fail(err, errlen, ret, "%s", e.msg);
	return 0;
}

struct nlmsghdr *rbi_modctl_msg(struct rbi_modctl *m, void *buf, uint8_t cmd,
				uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = m->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = rbi_nl_next_seq(&m->nl);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = RBI_GENL_VERSION;
	return nlh;
}

/* What the controller says of the family: its id and the events group. */
static int rbi_family_group(const struct nlattr *nest, struct rbi_modctl *m)
{
	const struct nlattr *grp, *a;
	const char *name;
	uint32_t id;

	mnl_attr_for_each_nested(grp, nest) {
		name = NULL;
		id = 0;
		mnl_attr_for_each_nested(a, grp) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				name = mnl_attr_get_str(a);
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
			    mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				id = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, RBI_GENL_MCGRP_EVENTS))
			m->group = id;
	}
	return MNL_CB_OK;
}

static int rbi_family_reply(const struct nlmsghdr *nlh, void *data)
{
	struct rbi_modctl *m = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			m->family = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
			rbi_family_group(a, m);
	}
	return MNL_CB_OK;
}

static int rbi_modctl_resolve(struct rbi_modctl *m)
{
	char buf[RBI_MODCTL_MSG_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rbi_nl_error e;
	struct genlmsghdr *g;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = rbi_nl_next_seq(&m->nl);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, RBI_GENL_NAME);
	return rbi_nl_talk(&m->nl, nlh, rbi_family_reply, m, &e);
}

int rbi_modctl_open(struct rbi_modctl **out, char *err, size_t errlen)
{
	struct rbi_modctl *m = calloc(1, sizeof(*m));
	int ret;

	*out = NULL;
	if (!m)
		return rbi_modctl_fail(err, errlen, -ENOMEM, "out of memory");
	ret = rbi_nl_open(&m->nl, NETLINK_GENERIC, 0);
	if (ret) {
		rbi_modctl_close(m);
		return rbi_modctl_fail(err, errlen, ret,
				       "generic netlink socket: %s",
				       strerror(-ret));
	}
	ret = rbi_modctl_resolve(m);
	if (ret) {
		rbi_modctl_close(m);
		if (ret == -ENOENT)
			return rbi_modctl_fail(err, errlen, ret,
					       "the rbiblock module is not loaded");
		return rbi_modctl_fail(err, errlen, ret,
				       "cannot resolve the rbiblock family: %s",
				       strerror(-ret));
	}
	*out = m;
	return 0;
}

int rbi_modctl_open_events(struct rbi_modctl **out, char *err, size_t errlen)
{
	int ret = rbi_modctl_open(out, err, errlen);
	int size = RBI_MODCTL_EVENT_RCVBUF;
	struct rbi_modctl *m = *out;

	if (ret)
		return ret;
	/* A burst of events must not overrun the socket before it is read. */
	if (setsockopt(rbi_nl_fd(&m->nl), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)) < 0)
		setsockopt(rbi_nl_fd(&m->nl), SOL_SOCKET, SO_RCVBUF, &size,
			   sizeof(size));
	if (!m->group ||
	    mnl_socket_setsockopt(m->nl.sock, NETLINK_ADD_MEMBERSHIP,
				  &m->group, sizeof(m->group)) < 0) {
		ret = m->group ? -errno : -ENOENT;
		rbi_modctl_close(m);
		*out = NULL;
		return rbi_modctl_fail(err, errlen, ret,
				       "cannot join the events group: %s",
				       strerror(-ret));
	}
	return 0;
}

void rbi_modctl_close(struct rbi_modctl *m)
{
	if (!m)
		return;
	rbi_nl_close(&m->nl);
	free(m);
}

int rbi_modctl_fd(const struct rbi_modctl *m)
{
	return rbi_nl_fd(&m->nl);
}

uint16_t rbi_modctl_family(const struct rbi_modctl *m)
{
	return m->family;
}

static int rbi_modctl_simple(struct rbi_modctl *m, uint8_t cmd, int attr,
			     uint32_t value, mnl_cb_t cb, void *data,
			     char *err, size_t errlen)
{
	char buf[RBI_MODCTL_MSG_BUF];
	struct nlmsghdr *nlh = rbi_modctl_msg(m, buf, cmd, 0);

	if (attr)
		mnl_attr_put_u32(nlh, attr, value);
	return rbi_modctl_talk(m, nlh, cb, data, err, errlen);
}

int rbi_modctl_clear(struct rbi_modctl *m, char *err, size_t errlen)
{
	return rbi_modctl_simple(m, RBI_CMD_CONFIG_CLEAR, 0, 0, NULL, NULL,
				 err, errlen);
}

/*
 * Pushing a policy: the model is walked twice with the same function that
 * compiles it locally, once to count the items and once to send them.
 */
struct rbi_push {
	struct rbi_modctl *m;
	char *buf;
	struct nlmsghdr *nlh;
	uint32_t txn;
	uint32_t count;
	/* The items of the message being filled, and where each starts. */
	struct rbi_item items[RBI_MODCTL_MSG_ITEMS];
	uint32_t offs[RBI_MODCTL_MSG_ITEMS];
	unsigned int n;
	char *err;
	size_t errlen;
};

static int rbi_push_count(void *ctx, const struct rbi_item *it)
{
	struct rbi_push *ps = ctx;

	ps->count++;
	return 0;
}

static void rbi_push_describe(const struct rbi_item *it, char *buf,
			      size_t len)
{
	char pfx[RBI_PREFIX_STRLEN];

	if (it->text_len)
		snprintf(buf, len, "%s '%.*s'", rbi_item_kind_name(it->kind),
			 (int)it->text_len, it->text);
	else if (rbi_item_has_prefix(it->kind) &&
		 rbi_prefix_format(&it->prefix, pfx, sizeof(pfx)))
		snprintf(buf, len, "%s %s", rbi_item_kind_name(it->kind), pfx);
	else
		snprintf(buf, len, "%s %u", rbi_item_kind_name(it->kind),
			 it->index);
}

/* The item whose attribute starts at or before the refused offset. */
static const struct rbi_item *rbi_push_culprit(const struct rbi_push *ps,
					      uint32_t off)
{
	unsigned int i;

	for (i = ps->n; i-- > 0;)
		if (ps->offs[i] <= off)
			return &ps->items[i];
	return NULL;
}

static int rbi_push_send(struct rbi_push *ps)
{
	const struct rbi_item *it;
	char what[RBI_NAME_BUF + 64];
	struct rbi_nl_error e;
	int ret;

	ret = rbi_nl_talk(&ps->m->nl, ps->nlh, NULL, NULL, &e);
	if (!ret)
		return 0;
	it = e.bad_off ? rbi_push_culprit(ps, e.bad_off) : NULL;
	if (!it)
		return rbi_modctl_fail(ps->err, ps->errlen, ret,
				       "module refused the configuration: %s",
				       e.msg);
	rbi_push_describe(it, what, sizeof(what));
	return rbi_modctl_fail(ps->err, ps->errlen, ret,
			       "module refused %s: %s", what, e.msg);
}

static void rbi_push_start(struct rbi_push *ps)
{
	ps->nlh = rbi_modctl_msg(ps->m, ps->buf, RBI_CMD_CONFIG_ADD, 0);
	mnl_attr_put_u32(ps->nlh, RBI_A_TXN, ps->txn);
	ps->n = 0;
}

static bool rbi_push_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	return !v || mnl_attr_put_u32_check(nlh, RBI_MODCTL_MSG_MAX, type, v);
}

static bool rbi_push_put_prefix(struct nlmsghdr *nlh, const struct rbi_item *it)
{
	size_t len = it->prefix.ip.family == RBI_IP_V4 ? 4 : 16;

	return mnl_attr_put_check(nlh, RBI_MODCTL_MSG_MAX, RBI_IA_ADDR, len,
				  it->prefix.ip.a) &&
	       mnl_attr_put_u8_check(nlh, RBI_MODCTL_MSG_MAX,
				     RBI_IA_PREFIX_LEN, it->prefix.len) &&
	       (it->port_lo == 0 ||
		mnl_attr_put_u16_check(nlh, RBI_MODCTL_MSG_MAX,
				       RBI_IA_PORT_LO, it->port_lo)) &&
	       (it->port_hi == 0xffff ||
		mnl_attr_put_u16_check(nlh, RBI_MODCTL_MSG_MAX,
				       RBI_IA_PORT_HI, it->port_hi));
}

/* Zero fields are left out: the module reads an absent one as zero. */
static bool rbi_push_put(struct nlmsghdr *nlh, const struct rbi_item *it)
{
	struct nlattr *nest;
	bool ok;

	nest = mnl_attr_nest_start_check(nlh, RBI_MODCTL_MSG_MAX, RBI_A_ITEM);
	if (!nest)
		return false;
	ok = mnl_attr_put_u8_check(nlh, RBI_MODCTL_MSG_MAX, RBI_IA_KIND,
				   (uint8_t)it->kind) &&
	     rbi_push_put_u32(nlh, RBI_IA_INDEX, it->index) &&
	     rbi_push_put_u32(nlh, RBI_IA_ID, it->id) &&
	     rbi_push_put_u32(nlh, RBI_IA_VALUE, it->value) &&
	     rbi_push_put_u32(nlh, RBI_IA_FLAGS, it->flags) &&
	     (!rbi_item_has_prefix(it->kind) || rbi_push_put_prefix(nlh, it));
	if (ok && it->text_len) {
		char text[RBI_LIMIT_TEXT + 1];

		snprintf(text, sizeof(text), "%.*s", (int)it->text_len,
			 it->text);
		ok = mnl_attr_put_strz_check(nlh, RBI_MODCTL_MSG_MAX,
					     RBI_IA_TEXT, text);
	}
	if (!ok) {
		mnl_attr_nest_cancel(nlh, nest);
		return false;
	}
	mnl_attr_nest_end(nlh, nest);
	return true;
}

static int rbi_push_item(void *ctx, const struct rbi_item *it)
{
	struct rbi_push *ps = ctx;
	uint32_t off = ps->nlh->nlmsg_len;
	int ret;

	if (it->text_len > RBI_LIMIT_TEXT)
		return rbi_modctl_fail(ps->err, ps->errlen, -ENAMETOOLONG,
				       "%s longer than the module takes",
				       rbi_item_kind_name(it->kind));
	if (ps->n == RBI_MODCTL_MSG_ITEMS || !rbi_push_put(ps->nlh, it)) {
		ret = rbi_push_send(ps);
		if (ret)
			return ret;
		rbi_push_start(ps);
		off = ps->nlh->nlmsg_len;
		if (!rbi_push_put(ps->nlh, it))
			return rbi_modctl_fail(ps->err, ps->errlen, -EMSGSIZE,
					       "an item does not fit a message");
	}
	ps->items[ps->n] = *it;
	ps->offs[ps->n++] = off;
	return 0;
}

static int rbi_push_txn_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if ((mnl_attr_get_type(a) == RBI_A_TXN ||
		     mnl_attr_get_type(a) == RBI_A_GENERATION) &&
		    mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			*(uint32_t *)data = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int rbi_push_begin(struct rbi_push *ps, const struct rbi_policy *p)
{
	char buf[RBI_MODCTL_MSG_BUF];
	struct rbi_config_counts n;
	struct nlmsghdr *nlh;
	char name[RBI_LIMIT_POLICY_NAME + 1];

	rbi_policy_counts(p, &n);
	nlh = rbi_modctl_msg(ps->m, buf, RBI_CMD_CONFIG_BEGIN, 0);
	mnl_attr_put_u32(nlh, RBI_A_ZONES, n.zones);
	mnl_attr_put_u32(nlh, RBI_A_RECORDERS, n.recorders);
	mnl_attr_put_u32(nlh, RBI_A_SERVICES, n.services);
	mnl_attr_put_u32(nlh, RBI_A_DOHS, n.doh);
	mnl_attr_put_u32(nlh, RBI_A_PATTERNS, n.patterns);
	mnl_attr_put_u32(nlh, RBI_A_NETS, n.nets);
	mnl_attr_put_u32(nlh, RBI_A_ITEMS, ps->count);
	mnl_attr_put_strz(nlh, RBI_A_POLICY_SHA256, p->sha256_hex);
	snprintf(name, sizeof(name), "%s", p->name ? p->name : "");
	mnl_attr_put_strz(nlh, RBI_A_POLICY_NAME, name);
	return rbi_modctl_talk(ps->m, nlh, rbi_push_txn_reply, &ps->txn,
			       ps->err, ps->errlen);
}

/* The walk's own messages only repeat what the emitter said in err. */
static int rbi_push_walk(struct rbi_push *ps, const struct rbi_policy *p,
			 rbi_item_fn emit)
{
	struct rbi_diags diags;
	int ret;

	rbi_diags_init(&diags);
	ret = rbi_policy_items(p, emit, ps, &diags);
	rbi_diags_free(&diags);
	return ret;
}

static int rbi_push_items(struct rbi_push *ps, const struct rbi_policy *p)
{
	int ret;

	rbi_push_start(ps);
	ret = rbi_push_walk(ps, p, rbi_push_item);
	if (!ret && ps->n)
		ret = rbi_push_send(ps);
	return ret;
}

int rbi_modctl_push(struct rbi_modctl *m, const struct rbi_policy *p,
		    uint32_t *generation, char *err, size_t errlen)
{
	struct rbi_push *ps = calloc(1, sizeof(*ps));
	uint32_t gen = 0;
	int ret;

	if (!ps || !(ps->buf = malloc(RBI_MODCTL_MSG_MAX))) {
		free(ps);
		return rbi_modctl_fail(err, errlen, -ENOMEM, "out of memory");
	}
	ps->m = m;
	ps->err = err;
	ps->errlen = errlen;
	ret = rbi_push_walk(ps, p, rbi_push_count);
	if (!ret)
		ret = rbi_push_begin(ps, p);
	if (!ret)
		ret = rbi_push_items(ps, p);
	if (!ret)
		ret = rbi_modctl_simple(m, RBI_CMD_CONFIG_COMMIT, RBI_A_TXN,
					ps->txn, rbi_push_txn_reply, &gen,
					err, errlen);
	else if (ps->txn)
		rbi_modctl_simple(m, RBI_CMD_CONFIG_ABORT, RBI_A_TXN, ps->txn,
				  NULL, NULL, NULL, 0);
	if (!ret && generation)
		*generation = gen;
	free(ps->buf);
	free(ps);
	return ret;
}

int rbi_modctl_apply(const struct rbi_policy *p, char *err, size_t errlen)
{
	struct rbi_modctl *m;
	int ret = rbi_modctl_open(&m, err, errlen);

	if (ret)
		return ret;
	ret = rbi_modctl_push(m, p, NULL, err, errlen);
	rbi_modctl_close(m);
	return ret;
}

/* Top-level attributes of a reply or event, by type; unknown ones left. */
static void rbi_modctl_attrs(const struct nlmsghdr *nlh,
			     const struct nlattr **tb)
{
	const struct nlattr *a;

	memset(tb, 0, sizeof(*tb) * (RBI_A_MAX + 1));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) <= RBI_A_MAX)
			tb[mnl_attr_get_type(a)] = a;
}

static uint32_t rbi_attr_u32(const struct nlattr *a, uint32_t absent)
{
	return a && mnl_attr_get_payload_len(a) == 4 ? mnl_attr_get_u32(a) :
	       absent;
}

static uint64_t rbi_attr_u64(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) == 8 ? mnl_attr_get_u64(a) : 0;
}

static uint16_t rbi_attr_u16(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) == 2 ? mnl_attr_get_u16(a) : 0;
}

static uint8_t rbi_attr_u8(const struct nlattr *a, uint8_t absent)
{
	return a && mnl_attr_get_payload_len(a) == 1 ? mnl_attr_get_u8(a) :
	       absent;
}

static void rbi_attr_str(const struct nlattr *a, char *buf, size_t len)
{
	buf[0] = '\0';
	if (a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(buf, len, "%s", mnl_attr_get_str(a));
}

static void rbi_attr_ip(const struct nlattr *a, struct rbi_ip *ip)
{
	uint16_t len = a ? mnl_attr_get_payload_len(a) : 0;

	memset(ip, 0, sizeof(*ip));
	if (len != 4 && len != 16)
		return;
	ip->family = len == 4 ? RBI_IP_V4 : RBI_IP_V6;
	memcpy(ip->a, mnl_attr_get_payload(a), len);
}

static int rbi_status_reply(const struct nlmsghdr *nlh, void *data)
{
	struct rbi_modctl_status *st = data;
	const struct nlattr *tb[RBI_A_MAX + 1], *a;

	rbi_modctl_attrs(nlh, tb);
	st->generation = rbi_attr_u32(tb[RBI_A_GENERATION], 0);
	rbi_attr_str(tb[RBI_A_POLICY_SHA256], st->sha256, sizeof(st->sha256));
	rbi_attr_str(tb[RBI_A_POLICY_NAME], st->name, sizeof(st->name));
	st->counts.zones = rbi_attr_u32(tb[RBI_A_ZONES], 0);
	st->counts.recorders = rbi_attr_u32(tb[RBI_A_RECORDERS], 0);
	st->counts.services = rbi_attr_u32(tb[RBI_A_SERVICES], 0);
	st->counts.doh = rbi_attr_u32(tb[RBI_A_DOHS], 0);
	st->counts.patterns = rbi_attr_u32(tb[RBI_A_PATTERNS], 0);
	st->counts.nets = rbi_attr_u32(tb[RBI_A_NETS], 0);
	st->mem_allocs = rbi_attr_u64(tb[RBI_A_MEM_ALLOCS]);
	if (tb[RBI_A_STATS])
		mnl_attr_for_each_nested(a, tb[RBI_A_STATS])
			if (mnl_attr_get_type(a) >= 1 &&
			    mnl_attr_get_type(a) <= __RBI_STAT_MAX)
				st->stats[mnl_attr_get_type(a) - 1] =
					rbi_attr_u64(a);
	return MNL_CB_OK;
}

int rbi_modctl_status(struct rbi_modctl *m, struct rbi_modctl_status *st,
		      char *err, size_t errlen)
{
	memset(st, 0, sizeof(*st));
	return rbi_modctl_simple(m, RBI_CMD_STATUS_GET, 0, 0, rbi_status_reply,
				 st, err, errlen);
}

/* "fail_" and the reason's name, '-' as '_': one counter per reason. */
static const char *rbi_fail_stat_name(enum rbi_fail why)
{
	static char names[__RBI_FAIL_MAX][40];
	char *n = names[why];
	size_t i;

	if (!n[0]) {
		snprintf(n, sizeof(names[0]), "fail_%s", rbi_fail_name(why));
		for (i = 0; n[i]; i++)
			if (n[i] == '-')
				n[i] = '_';
	}
	return n;
}

const char *rbi_modctl_stat_name(enum rbi_stat s)
{
	static const char *const names[__RBI_STAT_MAX] = {
		[RBI_STAT_PACKETS] = "packets",
		[RBI_STAT_INSPECT_NS] = "inspect_ns",
		[RBI_STAT_FLOWS] = "flows",
		[RBI_STAT_NAMED] = "named",
		[RBI_STAT_BLOCKS] = "blocks",
		[RBI_STAT_LOGS] = "logs",
		[RBI_STAT_NO_LABELS] = "no_labels",
		[RBI_STAT_OOO_DROPS] = "ooo_drops",
		[RBI_STAT_RETRANS] = "retransmissions",
		[RBI_STAT_HELD] = "held_back",
		[RBI_STAT_REQUESTS] = "requests",
		[RBI_STAT_PENDING] = "pending",
		[RBI_STAT_PENDING_BYTES] = "pending_bytes",
		[RBI_STAT_PENDING_EXPIRED] = "pending_expired",
		[RBI_STAT_DNS_QUERIES] = "dns_queries",
		[RBI_STAT_DNS_PENDING] = "dns_pending",
		[RBI_STAT_DNS_ANSWERS] = "dns_answers",
		[RBI_STAT_DNS_UNSOLICITED] = "dns_unsolicited",
		[RBI_STAT_DNS_MALFORMED] = "dns_malformed",
		[RBI_STAT_LEARNED] = "learned",
		[RBI_STAT_LEARNED_LIVE] = "learned_live",
		[RBI_STAT_LEARNED_CAPACITY] = "learned_capacity",
		[RBI_STAT_LEARNED_EVICTED] = "learned_evicted",
		[RBI_STAT_EVENTS] = "events",
		[RBI_STAT_EVENTS_SUPPRESSED] = "events_suppressed",
		[RBI_STAT_EVENTS_FAILED] = "events_failed",
		[RBI_STAT_FAILED] = "failed",
	};

	if (s >= RBI_STAT_FAIL_FIRST && s <= RBI_STAT_FAIL_LAST)
		return rbi_fail_stat_name((enum rbi_fail)(s -
							  RBI_STAT_FAIL_FIRST +
							  1));
	return (unsigned int)s < __RBI_STAT_MAX ? names[s] : NULL;
}

struct rbi_learned_walk {
	int (*cb)(void *ctx, const struct rbi_modctl_learned *e);
	void *ctx;
	bool stopped;
};

static int rbi_learned_reply(const struct nlmsghdr *nlh, void *data)
{
	struct rbi_learned_walk *w = data;
	const struct nlattr *tb[RBI_A_MAX + 1];
	struct rbi_modctl_learned e;

	if (w->stopped)
		return MNL_CB_OK;
	rbi_modctl_attrs(nlh, tb);
	rbi_attr_ip(tb[RBI_A_ADDR], &e.ip);
	e.service = rbi_attr_u32(tb[RBI_A_SERVICE], RBI_NONE);
	rbi_attr_str(tb[RBI_A_SERVICE_ID], e.service_id,
		     sizeof(e.service_id));
	e.expires = rbi_attr_u32(tb[RBI_A_EXPIRES], 0);
	/* The rest of the dump is read all the same, to keep the socket. */
	w->stopped = w->cb(w->ctx, &e) != 0;
	return MNL_CB_OK;
}

int rbi_modctl_learned(struct rbi_modctl *m,
		       int (*cb)(void *ctx, const struct rbi_modctl_learned *e),
		       void *ctx, char *err, size_t errlen)
{
	char buf[RBI_MODCTL_MSG_BUF];
	struct rbi_learned_walk w = { cb, ctx, false };
	struct nlmsghdr *nlh;

	nlh = rbi_modctl_msg(m, buf, RBI_CMD_LEARNED_GET, NLM_F_DUMP);
	return rbi_modctl_talk(m, nlh, rbi_learned_reply, &w, err, errlen);
}

static void rbi_event_decision(const struct nlattr **tb, struct rbi_decision *d)
{
	memset(d, 0, sizeof(*d));
	d->verdict = rbi_attr_u8(tb[RBI_A_VERDICT], RBI_ALLOW);
	d->rule = rbi_attr_u8(tb[RBI_A_RULE], RBI_RULE_NONE);
	d->reason = rbi_attr_u8(tb[RBI_A_REASON], RBI_WHY_NO_MATCH);
	d->category = rbi_attr_u8(tb[RBI_A_CATEGORY], __RBI_CAT_MAX);
	d->log = tb[RBI_A_LOG] != NULL;
	d->ingress = tb[RBI_A_INGRESS] != NULL;
	d->zone = rbi_attr_u32(tb[RBI_A_ZONE], RBI_NONE);
	d->service = rbi_attr_u32(tb[RBI_A_SERVICE], RBI_NONE);
	d->recorder = rbi_attr_u32(tb[RBI_A_RECORDER], RBI_NONE);
	d->doh = rbi_attr_u32(tb[RBI_A_DOH], RBI_NONE);
	d->pattern_id = rbi_attr_u32(tb[RBI_A_PATTERN_ID], RBI_NONE);
	d->net_id = rbi_attr_u32(tb[RBI_A_NET_ID], RBI_NONE);
	d->fail = rbi_attr_u8(tb[RBI_A_FAIL], RBI_FAIL_NONE);
	if (d->fail >= __RBI_FAIL_MAX)
		d->fail = RBI_FAIL_NONE;
}

struct rbi_event_walk {
	void (*cb)(void *ctx, const struct rbi_modctl_event *ev);
	void *ctx;
	int count;
};

static int rbi_event_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct rbi_event_walk *w = data;
	const struct nlattr *tb[RBI_A_MAX + 1];
	struct rbi_modctl_event ev;
	struct rbi_flow *f = &ev.flow;

	if (g->cmd != RBI_CMD_EVENT)
		return MNL_CB_OK;
	rbi_modctl_attrs(nlh, tb);
	memset(&ev, 0, sizeof(ev));
	ev.time_ns = rbi_attr_u64(tb[RBI_A_TIME]);
	ev.suppressed = rbi_attr_u64(tb[RBI_A_SUPPRESSED]);
	ev.generation = rbi_attr_u32(tb[RBI_A_GENERATION], 0);
	ev.hook = rbi_attr_u8(tb[RBI_A_HOOK], 0);
	rbi_attr_ip(tb[RBI_A_SRC], &f->src);
	rbi_attr_ip(tb[RBI_A_DST], &f->dst);
	f->sport = rbi_attr_u16(tb[RBI_A_SPORT]);
	f->dport = rbi_attr_u16(tb[RBI_A_DPORT]);
	f->l4 = rbi_attr_u8(tb[RBI_A_L4], 0);
	f->app = rbi_attr_u8(tb[RBI_A_APP], RBI_APP_NONE);
	f->ech = tb[RBI_A_ECH] != NULL;
	rbi_attr_str(tb[RBI_A_NAME], ev.name, sizeof(ev.name));
	f->name = ev.name;
	f->name_len = strlen(ev.name);
	f->learned = RBI_NONE;
	rbi_event_decision(tb, &ev.d);
	rbi_attr_str(tb[RBI_A_SERVICE_ID], ev.service_id,
		     sizeof(ev.service_id));
	w->cb(w->ctx, &ev);
	w->count++;
	return MNL_CB_OK;
}

int rbi_modctl_events_read(struct rbi_modctl *m,
			   void (*cb)(void *ctx,
				      const struct rbi_modctl_event *ev),
			   void *ctx, char *err, size_t errlen)
{
	char buf[RBI_MODCTL_RECV_BUF];
	struct rbi_event_walk w = { cb, ctx, 0 };
	ssize_t n;

	n = mnl_socket_recvfrom(m->nl.sock, buf, sizeof(buf));
	if (n < 0 && errno == ENOBUFS)
		return rbi_modctl_fail(err, errlen, -ENOBUFS,
				       "events lost: the socket overran");
	if (n < 0)
		return rbi_modctl_fail(err, errlen, -errno,
				       "reading events: %s", strerror(errno));
	if (mnl_cb_run(buf, (size_t)n, 0, 0, rbi_event_reply, &w) < 0)
		return rbi_modctl_fail(err, errlen, -errno,
				       "malformed event: %s", strerror(errno));
	return w.count;
}
