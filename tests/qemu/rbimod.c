// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rbiblock.ko from the command line, for the qemu suite and the benchmark:
 * a thin shell over userspace/kmod/modctl.h.
 *
 *   rbimod push POLICY       load POLICY (YAML) into the module
 *   rbimod status            key=value lines: configuration and counters
 *   rbimod learned           ADDRESS SERVICE SECONDS-LEFT per line
 *   rbimod clear             unload the configuration
 *   rbimod events [-n N] [-t SECS]
 *                            print events as JSON lines ("listening" first)
 *   rbimod bad CASE          send one malformed or oversized configuration;
 *                            prints "rejected errno=E msg=TEXT" or
 *                            "accepted"; "rbimod bad list" lists the cases
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/json.h"
#include "kmod/modctl.h"

enum {
	RBIMOD_EXIT_USAGE = 64,
	RBIMOD_LONG_TEXT = 300,
};

static int fail(const char *what, const char *err)
{
	fprintf(stderr, "rbimod %s: %s\n", what, err);
	return 1;
}

static int open_or_fail(struct rbi_modctl **m, char *err, size_t errlen)
{
	int ret = rbi_modctl_open(m, err, errlen);

	if (ret)
		fprintf(stderr, "rbimod: %s\n", err);
	return ret;
}

static int cmd_push(int argc, char **argv)
{
	struct rbi_policy *p;
	struct rbi_diags diags;
	struct rbi_modctl *m;
	uint32_t gen = 0;
	char err[512];
	int ret;

	if (argc != 2)
		return RBIMOD_EXIT_USAGE;
	rbi_diags_init(&diags);
	p = rbi_policy_load(argv[1], RBI_POLICY_NO_PROHIBITION, &diags);
	rbi_diags_print(&diags, stderr);
	rbi_diags_free(&diags);
	if (!p)
		return 1;
	ret = open_or_fail(&m, err, sizeof(err));
	if (!ret) {
		ret = rbi_modctl_push(m, p, &gen, err, sizeof(err));
		if (ret)
			fail("push", err);
		else
			printf("generation=%u\n", gen);
		rbi_modctl_close(m);
	}
	rbi_policy_free(p);
	return ret ? 1 : 0;
}

static int cmd_status(void)
{
	struct rbi_modctl_status st;
	struct rbi_modctl *m;
	char err[512];
	int s, ret;

	if (open_or_fail(&m, err, sizeof(err)))
		return 1;
	ret = rbi_modctl_status(m, &st, err, sizeof(err));
	rbi_modctl_close(m);
	if (ret)
		return fail("status", err);
	printf("generation=%u\nsha256=%s\nname=%s\nmem_allocs=%" PRIu64 "\n",
	       st.generation, st.sha256, st.name, st.mem_allocs);
	printf("patterns=%u\nnets=%u\n", st.counts.patterns, st.counts.nets);
	for (s = 0; s < __RBI_STAT_MAX; s++)
		printf("%s=%" PRIu64 "\n", rbi_modctl_stat_name(s),
		       st.stats[s]);
	return 0;
}

static int print_learned(void *ctx, const struct rbi_modctl_learned *e)
{
	char ip[RBI_IP_STRLEN];

	rbi_ip_format(&e->ip, ip, sizeof(ip));
	printf("%s %s %u\n", ip, e->service_id, e->expires);
	return 0;
}

static int cmd_learned(void)
{
	struct rbi_modctl *m;
	char err[512];
	int ret;

	if (open_or_fail(&m, err, sizeof(err)))
		return 1;
	ret = rbi_modctl_learned(m, print_learned, NULL, err, sizeof(err));
	rbi_modctl_close(m);
	return ret ? fail("learned", err) : 0;
}

static int cmd_clear(void)
{
	struct rbi_modctl *m;
	char err[512];
	int ret;

	if (open_or_fail(&m, err, sizeof(err)))
		return 1;
	ret = rbi_modctl_clear(m, err, sizeof(err));
	rbi_modctl_close(m);
	return ret ? fail("clear", err) : 0;
}

static void print_event(void *ctx, const struct rbi_modctl_event *ev)
{
	const struct rbi_flow *f = &ev->flow;
	char src[RBI_IP_STRLEN], dst[RBI_IP_STRLEN];
	struct rbi_buf b = RBI_BUF_INIT;
	struct rbi_json j;

	rbi_json_init(&j, &b);
	rbi_ip_format(&f->src, src, sizeof(src));
	rbi_ip_format(&f->dst, dst, sizeof(dst));
	rbi_json_obj_begin(&j);
	rbi_json_kuint(&j, "time_ns", ev->time_ns);
	rbi_json_kuint(&j, "suppressed", ev->suppressed);
	rbi_json_kuint(&j, "generation", ev->generation);
	rbi_json_kuint(&j, "hook", ev->hook);
	rbi_json_kstr(&j, "l4", f->l4 == RBI_L4_TCP ? "tcp" :
		      f->l4 == RBI_L4_UDP ? "udp" : "other");
	rbi_json_kstr(&j, "src", src);
	rbi_json_kuint(&j, "sport", f->sport);
	rbi_json_kstr(&j, "dst", dst);
	rbi_json_kuint(&j, "dport", f->dport);
	rbi_json_kstr(&j, "app", rbi_app_name(f->app));
	rbi_json_kstr(&j, "name", f->name_len ? f->name : NULL);
	rbi_json_kbool(&j, "ech", f->ech);
	rbi_json_kstr(&j, "verdict", rbi_verdict_name(ev->d.verdict));
	rbi_json_kbool(&j, "log", ev->d.log);
	rbi_json_kstr(&j, "service", ev->service_id[0] ? ev->service_id :
		      NULL);
	rbi_json_kstr(&j, "category", rbi_category_name(ev->d.category));
	rbi_json_kstr(&j, "rule", rbi_rule_id(ev->d.rule));
	rbi_json_kstr(&j, "fail", rbi_fail_name(ev->d.fail));
	rbi_json_obj_end(&j);
	printf("%.*s\n", (int)b.len, b.data);
	fflush(stdout);
	rbi_buf_free(&b);
}

static int cmd_events(int argc, char **argv)
{
	int opt, secs = 10, want = 0, got = 0, ret;
	struct rbi_modctl *m;
	struct pollfd pfd;
	time_t end;
	char err[512];

	while ((opt = getopt(argc, argv, "n:t:")) != -1) {
		switch (opt) {
		case 'n': want = atoi(optarg); break;
		case 't': secs = atoi(optarg); break;
		default: return RBIMOD_EXIT_USAGE;
		}
	}
	if (rbi_modctl_open_events(&m, err, sizeof(err)))
		return fail("events", err);
	printf("listening\n");
	fflush(stdout);
	end = time(NULL) + secs;
	pfd = (struct pollfd){ .fd = rbi_modctl_fd(m), .events = POLLIN };
	while ((!want || got < want) && time(NULL) < end) {
		if (poll(&pfd, 1, 200) != 1)
			continue;
		ret = rbi_modctl_events_read(m, print_event, NULL, err,
					     sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "rbimod events: %s\n", err);
			continue;
		}
		got += ret;
	}
	rbi_modctl_close(m);
	return want && got < want ? 1 : 0;
}

/*
 * Malformed and oversized configurations. Each case builds its requests
 * by hand and reports how the module answered the last one.
 */
struct bad {
	struct rbi_modctl *m;
	char buf[RBI_MODCTL_MSG_BUF];
	char err[512];
	uint32_t txn;
};

static int txn_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == RBI_A_TXN)
			*(uint32_t *)data = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

/* Counts in the order of RBI_A_ZONES .. RBI_A_ITEMS. */
static struct nlmsghdr *begin_msg(struct bad *b, const uint32_t *counts)
{
	struct nlmsghdr *nlh;
	int a;

	nlh = rbi_modctl_msg(b->m, b->buf, RBI_CMD_CONFIG_BEGIN, 0);
	for (a = RBI_A_ZONES; a <= RBI_A_ITEMS; a++)
		mnl_attr_put_u32(nlh, (uint16_t)a, counts[a - RBI_A_ZONES]);
	return nlh;
}

static int send_msg(struct bad *b, struct nlmsghdr *nlh)
{
	return rbi_modctl_talk(b->m, nlh, txn_reply, &b->txn, b->err,
			       sizeof(b->err));
}

static int begin(struct bad *b, uint32_t zones, uint32_t services,
		 uint32_t patterns, uint32_t items)
{
	uint32_t c[] = { zones, 0, services, 0, patterns, 0, items };

	return send_msg(b, begin_msg(b, c));
}

static struct nlmsghdr *add_msg(struct bad *b, uint32_t txn)
{
	struct nlmsghdr *nlh = rbi_modctl_msg(b->m, b->buf, RBI_CMD_CONFIG_ADD,
					      0);

	mnl_attr_put_u32(nlh, RBI_A_TXN, txn);
	return nlh;
}

static void put_item(struct nlmsghdr *nlh, uint8_t kind, uint32_t index,
		     const char *text)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RBI_A_ITEM);

	mnl_attr_put_u8(nlh, RBI_IA_KIND, kind);
	mnl_attr_put_u32(nlh, RBI_IA_INDEX, index);
	if (text)
		mnl_attr_put_strz(nlh, RBI_IA_TEXT, text);
	mnl_attr_nest_end(nlh, nest);
}

static void put_net(struct nlmsghdr *nlh, const void *addr, size_t alen,
		    uint8_t plen)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RBI_A_ITEM);

	mnl_attr_put_u8(nlh, RBI_IA_KIND, RBI_ITEM_ZONE_NET);
	mnl_attr_put(nlh, RBI_IA_ADDR, alen, addr);
	mnl_attr_put_u8(nlh, RBI_IA_PREFIX_LEN, plen);
	mnl_attr_nest_end(nlh, nest);
}

static int commit(struct bad *b)
{
	struct nlmsghdr *nlh = rbi_modctl_msg(b->m, b->buf,
					      RBI_CMD_CONFIG_COMMIT, 0);

	mnl_attr_put_u32(nlh, RBI_A_TXN, b->txn);
	return send_msg(b, nlh);
}

/* A service and one pattern with the given text. */
static int add_pattern(struct bad *b, const char *text)
{
	struct nlmsghdr *nlh;

	if (begin(b, 0, 1, 1, 2))
		return -1;
	nlh = add_msg(b, b->txn);
	put_item(nlh, RBI_ITEM_SERVICE, 0, "svc");
	put_item(nlh, RBI_ITEM_PATTERN, 0, text);
	return send_msg(b, nlh);
}

static int bad_no_begin(struct bad *b)
{
	struct nlmsghdr *nlh = add_msg(b, 0x7fffffff);

	put_item(nlh, RBI_ITEM_ZONE, 0, NULL);
	return send_msg(b, nlh);
}

static int bad_missing_count(struct bad *b)
{
	struct nlmsghdr *nlh = rbi_modctl_msg(b->m, b->buf,
					      RBI_CMD_CONFIG_BEGIN, 0);

	mnl_attr_put_u32(nlh, RBI_A_ZONES, 1);
	return send_msg(b, nlh);
}

static int bad_oversized(struct bad *b)
{
	return begin(b, 1, 1, RBI_LIMIT_PATTERNS + 1, 3);
}

static int bad_long_text(struct bad *b)
{
	char text[RBIMOD_LONG_TEXT + 1];

	memset(text, 'a', RBIMOD_LONG_TEXT);
	text[RBIMOD_LONG_TEXT] = '\0';
	return add_pattern(b, text);
}

static int bad_pattern(struct bad *b)
{
	return add_pattern(b, "face..example.com");
}

static int bad_duplicate(struct bad *b)
{
	struct nlmsghdr *nlh;

	if (begin(b, 0, 1, 2, 3))
		return -1;
	nlh = add_msg(b, b->txn);
	put_item(nlh, RBI_ITEM_SERVICE, 0, "svc");
	put_item(nlh, RBI_ITEM_PATTERN, 0, "face.example.com");
	put_item(nlh, RBI_ITEM_PATTERN, 0, "FACE.example.com");
	return send_msg(b, nlh);
}

static int bad_net(struct bad *b, const void *addr, size_t alen,
		   uint8_t plen)
{
	struct nlmsghdr *nlh;

	if (begin(b, 1, 0, 0, 2))
		return -1;
	nlh = add_msg(b, b->txn);
	put_item(nlh, RBI_ITEM_ZONE, 0, NULL);
	put_net(nlh, addr, alen, plen);
	return send_msg(b, nlh);
}

static int bad_host_bits(struct bad *b)
{
	static const uint8_t a[4] = { 10, 1, 2, 3 };

	return bad_net(b, a, sizeof(a), 8);
}

static int bad_addr_len(struct bad *b)
{
	static const uint8_t a[5] = { 10, 1, 2, 3, 4 };

	return bad_net(b, a, sizeof(a), 8);
}

static int bad_prefix_len(struct bad *b)
{
	static const uint8_t a[4] = { 10, 1, 2, 3 };

	return bad_net(b, a, sizeof(a), 33);
}

static int bad_kind(struct bad *b)
{
	struct nlmsghdr *nlh;

	if (begin(b, 1, 0, 0, 1))
		return -1;
	nlh = add_msg(b, b->txn);
	put_item(nlh, 200, 0, NULL);
	return send_msg(b, nlh);
}

static int bad_unknown_attr(struct bad *b)
{
	struct nlmsghdr *nlh;

	if (begin(b, 1, 0, 0, 1))
		return -1;
	nlh = add_msg(b, b->txn);
	mnl_attr_put_u32(nlh, 200, 1);
	return send_msg(b, nlh);
}

static int bad_index(struct bad *b)
{
	struct nlmsghdr *nlh;

	if (begin(b, 1, 0, 0, 1))
		return -1;
	nlh = add_msg(b, b->txn);
	put_item(nlh, RBI_ITEM_ZONE, 5, NULL);
	return send_msg(b, nlh);
}

static int bad_too_many(struct bad *b)
{
	struct nlmsghdr *nlh;

	if (begin(b, 1, 0, 0, 1))
		return -1;
	nlh = add_msg(b, b->txn);
	put_item(nlh, RBI_ITEM_ZONE, 0, NULL);
	put_item(nlh, RBI_ITEM_ZONE, 0, NULL);
	return send_msg(b, nlh);
}

static int bad_incomplete(struct bad *b)
{
	struct nlmsghdr *nlh;

	if (begin(b, 1, 0, 0, 2))
		return -1;
	nlh = add_msg(b, b->txn);
	put_item(nlh, RBI_ITEM_ZONE, 0, NULL);
	if (send_msg(b, nlh))
		return -1;
	return commit(b);
}

static int bad_superseded(struct bad *b)
{
	uint32_t first;
	struct nlmsghdr *nlh;

	if (begin(b, 1, 0, 0, 1))
		return -1;
	first = b->txn;
	if (begin(b, 1, 0, 0, 1))
		return -1;
	nlh = add_msg(b, first);
	put_item(nlh, RBI_ITEM_ZONE, 0, NULL);
	return send_msg(b, nlh);
}

static int bad_other_socket(struct bad *b)
{
	struct rbi_modctl *owner = b->m;
	struct nlmsghdr *nlh;
	int ret;

	if (begin(b, 1, 0, 0, 1))
		return -1;
	if (rbi_modctl_open(&b->m, b->err, sizeof(b->err))) {
		b->m = owner;
		return -1;
	}
	nlh = add_msg(b, b->txn);
	put_item(nlh, RBI_ITEM_ZONE, 0, NULL);
	ret = send_msg(b, nlh);
	rbi_modctl_close(b->m);
	b->m = owner;
	return ret;
}

static int bad_sha(struct bad *b)
{
	uint32_t c[] = { 1, 0, 0, 0, 0, 0, 1 };
	struct nlmsghdr *nlh = begin_msg(b, c);

	mnl_attr_put_strz(nlh, RBI_A_POLICY_SHA256, "not-a-digest");
	return send_msg(b, nlh);
}

/* Without CAP_NET_ADMIN, even reading status is refused. */
static int bad_unprivileged(struct bad *b)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	struct nlmsghdr *nlh;

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[0].effective &= ~(1u << CAP_NET_ADMIN);
	if (syscall(SYS_capset, &h, d))
		return -1;
	nlh = rbi_modctl_msg(b->m, b->buf, RBI_CMD_STATUS_GET, 0);
	return send_msg(b, nlh);
}

static const struct {
	const char *name;
	int (*run)(struct bad *b);
} bad_cases[] = {
	{ "no-begin", bad_no_begin },
	{ "missing-count", bad_missing_count },
	{ "oversized", bad_oversized },
	{ "long-text", bad_long_text },
	{ "bad-pattern", bad_pattern },
	{ "duplicate", bad_duplicate },
	{ "host-bits", bad_host_bits },
	{ "addr-len", bad_addr_len },
	{ "prefix-len", bad_prefix_len },
	{ "bad-kind", bad_kind },
	{ "unknown-attr", bad_unknown_attr },
	{ "index", bad_index },
	{ "too-many", bad_too_many },
	{ "incomplete", bad_incomplete },
	{ "superseded", bad_superseded },
	{ "other-socket", bad_other_socket },
	{ "bad-sha", bad_sha },
	{ "unprivileged", bad_unprivileged },
};

static int cmd_bad(int argc, char **argv)
{
	static struct bad b;
	size_t i;
	int ret;

	if (argc != 2)
		return RBIMOD_EXIT_USAGE;
	for (i = 0; i < RBI_ARRAY_SIZE(bad_cases); i++) {
		if (!strcmp(argv[1], "list"))
			printf("%s\n", bad_cases[i].name);
		else if (!strcmp(argv[1], bad_cases[i].name))
			break;
	}
	if (i == RBI_ARRAY_SIZE(bad_cases))
		return strcmp(argv[1], "list") ? RBIMOD_EXIT_USAGE : 0;
	if (open_or_fail(&b.m, b.err, sizeof(b.err)))
		return 1;
	ret = bad_cases[i].run(&b);
	if (ret)
		printf("rejected errno=%d msg=%s\n", -ret, b.err);
	else
		printf("accepted\n");
	rbi_modctl_close(b.m);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "push"))
		return cmd_push(argc - 1, argv + 1);
	if (!strcmp(cmd, "status"))
		return cmd_status();
	if (!strcmp(cmd, "learned"))
		return cmd_learned();
	if (!strcmp(cmd, "clear"))
		return cmd_clear();
	if (!strcmp(cmd, "events"))
		return cmd_events(argc - 1, argv + 1);
	if (!strcmp(cmd, "bad"))
		return cmd_bad(argc - 1, argv + 1);
	fprintf(stderr, "usage: rbimod push POLICY | status | learned | clear "
		"| events [-n N] [-t SECS] | bad CASE|list\n");
	return RBIMOD_EXIT_USAGE;
}
