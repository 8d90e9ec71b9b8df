// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * nf_tables over netlink: one batch per transaction, and dumps of table
 * inet rbiblock. The kernel handles a batch inside sendmsg(), so every
 * error is queued by the time it returns; a batch with no error reply was
 * committed whole.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/common.h>

#include "nft/defs.h"
#include "nft/internal.h"
#include "util/buf.h"
#include "util/grow.h"
#include "util/nl.h"
#include "util/plural.h"

enum {
	RBI_NL_PAGE = 1 << 20,
	/* A page may run over by one message; elements come in 8 KiB ones. */
	RBI_NL_OVERRUN = 64 << 10,
	RBI_NL_RCVBUF = 4 << 20,
	RBI_NL_BUF = 32 << 10,	/* one recv: a dump sends at most a page */
};

struct rbi_nft_nl {
	struct rbi_nl nl;
};

/*
 * One transaction: its batch, and what each message of it was, to name
 * it in an error. Running out of memory while it is built fails it at
 * the end, before anything is sent.
 */
struct rbi_nl_txn {
	struct rbi_nft_nl *nl;
	struct nftnl_batch *b;
	const char **what;
	size_t n, cap;
	uint32_t seq0;
	size_t refused;		/* index of the first message refused */
	bool failed;
};

struct rbi_nft_nl *rbi_nft_nl_open(char *err, size_t len)
{
	struct rbi_nft_nl *nl = calloc(1, sizeof(*nl));
	int ret;

	if (!nl) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	ret = rbi_nl_open(&nl->nl, NETLINK_NETFILTER, RBI_NL_RCVBUF);
	if (ret) {
		snprintf(err, len, "cannot open a netfilter netlink socket: "
			 "%s%s", strerror(-ret), ret == -EPERM ?
			 " (run as root, or with CAP_NET_ADMIN)" : "");
		free(nl);
		return NULL;
	}
	return nl;
}

void rbi_nft_nl_close(struct rbi_nft_nl *nl)
{
	if (!nl)
		return;
	rbi_nl_close(&nl->nl);
	free(nl);
}

/* ---- transactions ---- */

static struct nlmsghdr *rbi_nl_msg(struct rbi_nl_txn *t, uint16_t type,
				   uint16_t flags, const char *what)
{
	uint32_t seq = rbi_nl_next_seq(&t->nl->nl);
	const char **slot = rbi_grow_push(t->what, &t->n, &t->cap);

	if (!slot)
		t->failed = true;
	else
		*slot = what;
	if (t->n == 1)
		t->seq0 = seq;
	return nftnl_nlmsg_build_hdr(nftnl_batch_buffer(t->b), type,
				     NFPROTO_INET, flags, seq);
}

/*
 * The message an error names: its seq, then the kernel's own words.
 * Returns its index in the transaction.
 */
static uint32_t rbi_nl_error(const struct nlmsghdr *nlh,
			     const struct rbi_nl_txn *t, char *err, size_t len)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const char *msg = rbi_nl_extack(nlh, NULL), *what = "a message";
	uint32_t i = e->msg.nlmsg_seq - t->seq0;

	if (i < t->n && t->what[i])
		what = t->what[i];
	snprintf(err, len, "the kernel refused %s: %s%s%s", what,
		 strerror(-e->error), msg ? ": " : "", msg ? msg : "");
	return i;
}

/* Reads every queued reply; 0 when none was an error. */
static int rbi_nl_replies(struct rbi_nl_txn *t, char *err, size_t len)
{
	char buf[RBI_NL_BUF];
	const struct nlmsghdr *nlh;
	const struct nlmsgerr *e;
	int n, rc = 0;

	for (;;) {
		n = (int)recv(rbi_nl_fd(&t->nl->nl), buf, sizeof(buf),
			      MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return rc;
		if (n < 0) {
			if (!rc)
				snprintf(err, len, "reading the kernel's "
					 "replies: %s", strerror(errno));
			return -1;
		}
		for (nlh = (const struct nlmsghdr *)buf;
		     mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			if (e->error && !rc) {
				t->refused = rbi_nl_error(nlh, t, err, len);
				rc = -1;
			}
		}
	}
}

/* Sends a whole batch, in n pieces, as one datagram; reads the replies. */
static int rbi_nl_sendv(struct rbi_nl_txn *t, struct iovec *iov, size_t n,
			char *err, size_t len)
{
	int fd = rbi_nl_fd(&t->nl->nl), sz;
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK };
	struct msghdr msg = {
		.msg_name = &snl, .msg_namelen = sizeof(snl),
		.msg_iov = iov, .msg_iovlen = n,
	};
	size_t total = 0, i;

	for (i = 0; i < n; i++)
		total += iov[i].iov_len;
	/* The whole batch is one datagram, which the send buffer must hold. */
	sz = (int)(total + (1 << 16));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
	if (sendmsg(fd, &msg, 0) < 0) {
		snprintf(err, len, "sending the nftables transaction (%zu "
			 "%s): %s", total, rbi_plural(total, "byte", "bytes"),
			 strerror(errno));
		return -1;
	}
	return rbi_nl_replies(t, err, len);
}

static struct iovec *rbi_nl_iov(struct rbi_nl_txn *t, size_t *n)
{
	struct iovec *iov;

	*n = (size_t)nftnl_batch_iovec_len(t->b);
	iov = calloc(*n, sizeof(*iov));
	if (iov)
		nftnl_batch_iovec(t->b, iov, (uint32_t)*n);
	return iov;
}

static int rbi_nl_send(struct rbi_nl_txn *t, char *err, size_t len)
{
	size_t n;
	struct iovec *iov = rbi_nl_iov(t, &n);
	int rc;

	if (!iov) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	rc = rbi_nl_sendv(t, iov, n, err, len);
	free(iov);
	return rc;
}

static void rbi_nl_begin(struct rbi_nft_nl *nl, struct rbi_nl_txn *t)
{
	memset(t, 0, sizeof(*t));
	t->nl = nl;
	t->refused = SIZE_MAX;
	t->b = nftnl_batch_alloc(RBI_NL_PAGE, RBI_NL_OVERRUN);
	if (!t->b) {
		t->failed = true;
		return;
	}
	nftnl_batch_begin(nftnl_batch_buffer(t->b), rbi_nl_next_seq(&nl->nl));
	nftnl_batch_update(t->b);
}

/*
 * Sends the transaction (or, with out, hands its bytes over instead);
 * nothing at all when it could not be built.
 */
static int rbi_nl_finish(struct rbi_nl_txn *t, struct rbi_buf *out,
			 char *err, size_t len)
{
	struct iovec *iov = NULL;
	size_t n, i;
	int rc = -1;

	if (!t->failed) {
		nftnl_batch_end(nftnl_batch_buffer(t->b),
				rbi_nl_next_seq(&t->nl->nl));
		nftnl_batch_update(t->b);
	}
	if (t->failed) {
		snprintf(err, len, "out of memory");
	} else if (!out) {
		rc = rbi_nl_send(t, err, len);
	} else if ((iov = rbi_nl_iov(t, &n))) {
		for (i = 0; i < n; i++)
			rbi_buf_add(out, iov[i].iov_base, iov[i].iov_len);
		rc = rbi_buf_failed(out) ? -1 : 0;
		if (rc)
			snprintf(err, len, "out of memory");
	} else {
		snprintf(err, len, "out of memory");
	}
	free(iov);
	if (t->b)
		nftnl_batch_free(t->b);
	free(t->what);
	return rc;
}

static int rbi_nl_end(struct rbi_nl_txn *t, char *err, size_t len)
{
	return rbi_nl_finish(t, NULL, err, len);
}

/* table inet rbiblock by its name, for requests about it. */
static struct nftnl_table *rbi_nl_table_ref(void)
{
	struct nftnl_table *t = nftnl_table_alloc();

	if (t) {
		nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
		nftnl_table_set_str(t, NFTNL_TABLE_NAME, RBI_NFT_TABLE);
	}
	return t;
}

/* A message of table tab; NULL: table inet rbiblock, by its name. */
static void rbi_nl_table(struct rbi_nl_txn *t, uint16_t type, uint16_t flags,
			 const char *what, const struct nftnl_table *tab)
{
	struct nftnl_table *ref = tab ? NULL : rbi_nl_table_ref();
	struct nlmsghdr *nlh;

	if (!tab && !ref)
		t->failed = true;
	if (!t->failed) {
		nlh = rbi_nl_msg(t, type, flags, what);
		nftnl_table_nlmsg_build_payload(nlh, tab ? tab : ref);
		nftnl_batch_update(t->b);
	}
	if (ref)
		nftnl_table_free(ref);
}

static void rbi_nl_elems(struct rbi_nl_txn *t, struct nftnl_set *s)
{
	struct nftnl_set_elems_iter *it;
	struct nlmsghdr *nlh;
	int more;

	if (t->failed)
		return;
	it = nftnl_set_elems_iter_create(s);
	if (!it) {
		t->failed = true;
		return;
	}
	/* An empty element list is EINVAL to the kernel. */
	while (nftnl_set_elems_iter_cur(it)) {
		nlh = rbi_nl_msg(t, NFT_MSG_NEWSETELEM, NLM_F_CREATE,
				 nftnl_set_get_str(s, NFTNL_SET_NAME));
		more = nftnl_set_elems_nlmsg_build_payload_iter(nlh, it);
		nftnl_batch_update(t->b);
		if (more <= 0)
			break;
	}
	nftnl_set_elems_iter_destroy(it);
}

/*
 * The chains, sets with their elements, flowtable and rules of o, in that
 * order: the rules name the rest.
 */
static void rbi_nl_objs(struct rbi_nl_txn *t, const struct rbi_nft_objs *o)
{
	struct nlmsghdr *nlh;
	size_t i;

	for (i = 0; !t->failed && i < o->n_chains; i++) {
		nlh = rbi_nl_msg(t, NFT_MSG_NEWCHAIN, NLM_F_CREATE,
				 nftnl_chain_get_str(o->chains[i],
						     NFTNL_CHAIN_NAME));
		nftnl_chain_nlmsg_build_payload(nlh, o->chains[i]);
		nftnl_batch_update(t->b);
	}
	for (i = 0; !t->failed && i < o->n_sets; i++) {
		nlh = rbi_nl_msg(t, NFT_MSG_NEWSET, NLM_F_CREATE,
				 nftnl_set_get_str(o->sets[i], NFTNL_SET_NAME));
		nftnl_set_nlmsg_build_payload(nlh, o->sets[i]);
		nftnl_batch_update(t->b);
		rbi_nl_elems(t, o->sets[i]);
	}
	if (!t->failed && o->flowtable) {
		nlh = rbi_nl_msg(t, NFT_MSG_NEWFLOWTABLE, NLM_F_CREATE,
				 "flowtable " RBI_NFT_FLOWTABLE);
		nftnl_flowtable_nlmsg_build_payload(nlh, o->flowtable);
		nftnl_batch_update(t->b);
	}
	for (i = 0; !t->failed && i < o->n_rules; i++) {
		nlh = rbi_nl_msg(t, NFT_MSG_NEWRULE,
				 NLM_F_CREATE | NLM_F_APPEND,
				 nftnl_rule_get_str(o->rules[i],
						    NFTNL_RULE_CHAIN));
		nftnl_rule_nlmsg_build_payload(nlh, o->rules[i]);
		nftnl_batch_update(t->b);
	}
}

static void rbi_nl_replace(struct rbi_nft_nl *nl, const struct rbi_nft_objs *o,
			   bool replace, struct rbi_nl_txn *t)
{
	rbi_nl_begin(nl, t);
	/*
	 * Creating the table first (a no-op when it exists) lets the delete
	 * that follows succeed either way, inside the same transaction.
	 */
	if (replace) {
		rbi_nl_table(t, NFT_MSG_NEWTABLE, NLM_F_CREATE,
			     "table inet " RBI_NFT_TABLE, NULL);
		rbi_nl_table(t, NFT_MSG_DELTABLE, 0,
			     "the old table inet " RBI_NFT_TABLE, NULL);
	}
	rbi_nl_table(t, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_EXCL,
		     "the new table inet " RBI_NFT_TABLE, o->table);
	rbi_nl_objs(t, o);
}

int rbi_nft_nl_commit(struct rbi_nft_nl *nl, const struct rbi_nft_objs *o,
		      bool replace, char *err, size_t len)
{
	struct rbi_nl_txn t;

	rbi_nl_replace(nl, o, replace, &t);
	return rbi_nl_end(&t, err, len);
}

int rbi_nft_nl_batch(struct rbi_nft_nl *nl, const struct rbi_nft_objs *o,
		     struct rbi_buf *out, char *err, size_t len)
{
	struct rbi_nl_txn t;

	rbi_nl_replace(nl, o, true, &t);
	return rbi_nl_finish(&t, out, err, len);
}

int rbi_nft_nl_replay(struct rbi_nft_nl *nl, void *batch, size_t n,
		      char *err, size_t len)
{
	struct iovec iov = { batch, n };
	struct rbi_nl_txn t;

	memset(&t, 0, sizeof(t));
	t.nl = nl;
	return rbi_nl_sendv(&t, &iov, 1, err, len);
}

int rbi_nft_nl_try(struct rbi_nft_nl *nl, const struct rbi_nft_objs *o,
		   char *err, size_t len)
{
	struct nftnl_chain *none = nftnl_chain_alloc();
	struct rbi_nl_txn t;
	struct nlmsghdr *nlh;
	size_t last;

	rbi_nl_begin(nl, &t);
	if (!none)
		t.failed = true;
	rbi_nl_table(&t, NFT_MSG_NEWTABLE, NLM_F_CREATE,
		     "table inet " RBI_NFT_TABLE, NULL);
	rbi_nl_objs(&t, o);
	last = t.n;
	if (!t.failed) {
		/* No rbiblock chain has a '-' in its name: this one fails. */
		nftnl_chain_set_u32(none, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
		nftnl_chain_set_str(none, NFTNL_CHAIN_TABLE, RBI_NFT_TABLE);
		nftnl_chain_set_str(none, NFTNL_CHAIN_NAME, "trial-end");
		nlh = rbi_nl_msg(&t, NFT_MSG_DELCHAIN, 0, "the trial's end");
		nftnl_chain_nlmsg_build_payload(nlh, none);
		nftnl_batch_update(t.b);
	}
	if (none)
		nftnl_chain_free(none);
	if (!rbi_nl_end(&t, err, len)) {
		snprintf(err, len, "the kernel committed a trial transaction");
		return -1;
	}
	return t.refused == last ? 0 : -1;
}

int rbi_nft_nl_delete_table(struct rbi_nft_nl *nl, bool *existed, char *err,
			    size_t len)
{
	struct rbi_nl_txn t;
	int rc;

	rbi_nl_begin(nl, &t);
	rbi_nl_table(&t, NFT_MSG_DELTABLE, 0,
		     "deleting table inet " RBI_NFT_TABLE, NULL);
	rc = rbi_nl_end(&t, err, len);
	*existed = !rc;
	/* No table to delete is what flush wants, not an error. */
	if (rc && strstr(err, strerror(ENOENT)))
		rc = 0;
	return rc;
}

int rbi_nft_nl_add_elems(struct rbi_nft_nl *nl, struct nftnl_set *s,
			 char *err, size_t len)
{
	struct rbi_nl_txn t;

	rbi_nl_begin(nl, &t);
	rbi_nl_elems(&t, s);
	return rbi_nl_end(&t, err, len);
}

/* ---- dumps ---- */

struct rbi_nl_dump {
	struct rbi_nft_objs *o;
	struct nftnl_set *set;		/* elements dump: the set to fill */
	int type;
	bool failed;
};

static bool rbi_nl_ours(const char *table)
{
	return table && !strcmp(table, RBI_NFT_TABLE);
}

static int rbi_nl_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rbi_nl_dump *d = data;
	struct nftnl_flowtable *ft;
	struct nftnl_chain *c;
	struct nftnl_rule *r;
	struct nftnl_set *s;

	switch (d->type) {
	case NFT_MSG_GETFLOWTABLE:
		ft = nftnl_flowtable_alloc();
		if (!ft || nftnl_flowtable_nlmsg_parse(nlh, ft) < 0 ||
		    nftnl_flowtable_get_u32(ft, NFTNL_FLOWTABLE_FAMILY) !=
		    NFPROTO_INET || d->o->flowtable || !rbi_nl_ours(
			nftnl_flowtable_get_str(ft, NFTNL_FLOWTABLE_TABLE))) {
			if (ft)
				nftnl_flowtable_free(ft);
			return MNL_CB_OK;
		}
		d->o->flowtable = ft;
		break;
	case NFT_MSG_GETCHAIN:
		c = nftnl_chain_alloc();
		if (!c || nftnl_chain_nlmsg_parse(nlh, c) < 0 ||
		    nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY) != NFPROTO_INET ||
		    !rbi_nl_ours(nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE))) {
			if (c)
				nftnl_chain_free(c);
			return MNL_CB_OK;
		}
		rbi_nft_objs_add_chain(d->o, c);
		break;
	case NFT_MSG_GETSET:
		s = nftnl_set_alloc();
		if (!s || nftnl_set_nlmsg_parse(nlh, s) < 0 ||
		    !rbi_nl_ours(nftnl_set_get_str(s, NFTNL_SET_TABLE))) {
			if (s)
				nftnl_set_free(s);
			return MNL_CB_OK;
		}
		rbi_nft_objs_add_set(d->o, s);
		break;
	case NFT_MSG_GETSETELEM:
		if (nftnl_set_elems_nlmsg_parse(nlh, d->set) < 0)
			d->failed = true;
		break;
	case NFT_MSG_GETRULE:
		r = nftnl_rule_alloc();
		if (!r || nftnl_rule_nlmsg_parse(nlh, r) < 0 ||
		    nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY) != NFPROTO_INET ||
		    !rbi_nl_ours(nftnl_rule_get_str(r, NFTNL_RULE_TABLE))) {
			if (r)
				nftnl_rule_free(r);
			return MNL_CB_OK;
		}
		rbi_nft_objs_add_rule(d->o, r);
		break;
	default:
		if (!d->o->table)
			d->o->table = nftnl_table_alloc();
		if (!d->o->table ||
		    nftnl_table_nlmsg_parse(nlh, d->o->table) < 0)
			d->failed = true;
		break;
	}
	return MNL_CB_OK;
}

/* One request and its replies; -ENOENT when the object does not exist. */
static int rbi_nl_request(struct rbi_nft_nl *nl, struct nlmsghdr *nlh,
			  struct rbi_nl_dump *d, char *err, size_t len)
{
	struct rbi_nl_error e;
	int rc = rbi_nl_talk(&nl->nl, nlh, rbi_nl_dump_cb, d, &e);

	if (rc == -ENOENT)
		return -ENOENT;
	if (rc < 0 || d->failed || d->o->failed) {
		snprintf(err, len, "reading the ruleset: %s",
			 rc < 0 ? e.msg : "bad reply");
		return -EIO;
	}
	return 0;
}

static int rbi_nl_get(struct rbi_nft_nl *nl, struct rbi_nl_dump *d,
		      uint16_t type, uint16_t flags, char *err, size_t len)
{
	char buf[RBI_NL_BUF];
	struct nlmsghdr *nlh;
	struct nftnl_table *t;
	struct nftnl_set *s;

	nlh = nftnl_nlmsg_build_hdr(buf, type, NFPROTO_INET, flags,
				    rbi_nl_next_seq(&nl->nl));
	d->type = type;
	switch (type) {
	case NFT_MSG_GETTABLE:
		t = rbi_nl_table_ref();
		if (!t)
			return -ENOMEM;
		nftnl_table_nlmsg_build_payload(nlh, t);
		nftnl_table_free(t);
		break;
	case NFT_MSG_GETSETELEM:
		nftnl_set_elems_nlmsg_build_payload(nlh, d->set);
		break;
	default:
		s = nftnl_set_alloc();
		if (!s)
			return -ENOMEM;
		/*
		 * Every dump takes the table as a filter: NFTA_RULE_TABLE and
		 * NFTA_FLOWTABLE_TABLE are both attribute 1.
		 */
		nftnl_set_set_str(s, NFTNL_SET_TABLE, RBI_NFT_TABLE);
		if (type == NFT_MSG_GETSET)
			nftnl_set_nlmsg_build_payload(nlh, s);
		else
			mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, RBI_NFT_TABLE);
		nftnl_set_free(s);
		break;
	}
	return rbi_nl_request(nl, nlh, d, err, len);
}

int rbi_nft_nl_walk(struct rbi_nft_nl *nl, uint16_t type, uint16_t family,
		    const char *table, mnl_cb_t cb, void *data, char *err,
		    size_t len)
{
	char buf[RBI_NL_BUF];
	struct rbi_nl_error e;
	struct nlmsghdr *nlh;
	int rc;

	nlh = nftnl_nlmsg_build_hdr(buf, type, family, NLM_F_DUMP,
				    rbi_nl_next_seq(&nl->nl));
	/* NFTA_RULE_TABLE and NFTA_FLOWTABLE_TABLE are both attribute 1. */
	if (table)
		mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	rc = rbi_nl_talk(&nl->nl, nlh, cb, data, &e);
	if (rc)
		snprintf(err, len, "reading the ruleset: %s", e.msg);
	return rc ? -1 : 0;
}

int rbi_nft_nl_get_elems(struct rbi_nft_nl *nl, struct nftnl_set *s,
			 char *err, size_t len)
{
	struct rbi_nft_objs o;
	struct rbi_nl_dump d = { &o, s, 0, false };

	memset(&o, 0, sizeof(o));
	return rbi_nl_get(nl, &d, NFT_MSG_GETSETELEM, NLM_F_DUMP, err, len);
}

int rbi_nft_nl_dump(struct rbi_nft_nl *nl, struct rbi_nft_objs *o,
		    bool elems, char *err, size_t len)
{
	struct rbi_nl_dump d = { o, NULL, 0, false };
	size_t i;
	int rc;

	memset(o, 0, sizeof(*o));
	rc = rbi_nl_get(nl, &d, NFT_MSG_GETTABLE, NLM_F_ACK, err, len);
	if (!rc)
		rc = rbi_nl_get(nl, &d, NFT_MSG_GETCHAIN, NLM_F_DUMP, err,
				len);
	if (!rc)
		rc = rbi_nl_get(nl, &d, NFT_MSG_GETSET, NLM_F_DUMP, err, len);
	for (i = 0; !rc && elems && i < o->n_sets; i++) {
		d.set = o->sets[i];
		rc = rbi_nl_get(nl, &d, NFT_MSG_GETSETELEM, NLM_F_DUMP, err,
				len);
	}
	if (!rc)
		rc = rbi_nl_get(nl, &d, NFT_MSG_GETFLOWTABLE, NLM_F_DUMP, err,
				len);
	if (!rc)
		rc = rbi_nl_get(nl, &d, NFT_MSG_GETRULE, NLM_F_DUMP, err, len);
	if (rc)
		rbi_nft_objs_free(o);
	return rc;
}
