// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a configuration: begin with its sizes, add items in as many
 * messages as it takes, commit. Nothing the packet path sees changes until
 * the commit, which swaps the whole configuration at once; any failure on
 * the way drops the transaction and leaves the running configuration as
 * it was.
 */
#include <linux/ctype.h>

#include "genl.h"
#include "genl_item.h"
#include "memory.h"
#include "modcfg.h"
#include "pernet.h"
#include "txn.h"

struct rbi_txn_size {
	int attr;
	u32 limit;
	const char *missing;
	const char *too_many;
};

static const struct rbi_txn_size rbi_txn_sizes[] = {
	{ RBI_A_ZONES, RBI_LIMIT_ZONES, "begin needs the number of zones",
	  "more zones than the module takes" },
	{ RBI_A_RECORDERS, RBI_LIMIT_RECORDERS,
	  "begin needs the number of recorders",
	  "more recorders than the module takes" },
	{ RBI_A_SERVICES, RBI_LIMIT_SERVICES,
	  "begin needs the number of services",
	  "more services than the module takes" },
	{ RBI_A_DOHS, RBI_LIMIT_DOHS, "begin needs the number of resolvers",
	  "more resolvers than the module takes" },
	{ RBI_A_PATTERNS, RBI_LIMIT_PATTERNS,
	  "begin needs the number of name patterns",
	  "more name patterns than the module takes" },
	{ RBI_A_NETS, RBI_LIMIT_NETS,
	  "begin needs the number of service networks",
	  "more service networks than the module takes" },
	{ RBI_A_ITEMS, RBI_LIMIT_ITEMS, "begin needs the number of items",
	  "more items than the module takes" },
};

/* The sizes in the order of struct rbi_config_counts, then the items. */
static int rbi_txn_sizes_get(struct genl_info *info, u32 *v)
{
	const struct rbi_txn_size *s;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rbi_txn_sizes); i++) {
		s = &rbi_txn_sizes[i];
		if (!rbi_genl_has(info, s->attr, s->missing))
			return -EINVAL;
		v[i] = nla_get_u32(info->attrs[s->attr]);
		if (v[i] > s->limit) {
			rbi_genl_err(info->extack, info->attrs[s->attr],
				     s->too_many);
			return -E2BIG;
		}
	}
	return 0;
}

static const char *rbi_txn_sha256(struct genl_info *info)
{
	const struct nlattr *a = info->attrs[RBI_A_POLICY_SHA256];
	const char *hex;
	size_t i;

	if (!a)
		return "";
	hex = nla_data(a);
	for (i = 0; hex[i]; i++)
		if (!isxdigit(hex[i]) || isupper(hex[i]))
			break;
	if (i != RBI_SHA256_HEX || hex[i]) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "policy sha256 must be 64 lower-case hex digits");
		return NULL;
	}
	return hex;
}

void rbi_txn_drop(struct rbi_pernet *pn)
{
	if (!pn->txn)
		return;
	rbi_modcfg_free(pn->txn->mc);
	rbi_mem_free(pn->txn);
	pn->txn = NULL;
}

static int rbi_txn_reply_u32(struct genl_info *info, u8 cmd, int attr,
			     u32 value)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rbi_genl_family, 0, cmd);
	if (!hdr || nla_put_u32(msg, attr, value)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static struct rbi_txn *rbi_txn_new(struct genl_info *info)
{
	u32 v[ARRAY_SIZE(rbi_txn_sizes)];
	struct rbi_config_counts n;
	const struct nlattr *name = info->attrs[RBI_A_POLICY_NAME];
	const char *sha;
	struct rbi_txn *txn;
	int err;

	err = rbi_txn_sizes_get(info, v);
	if (err)
		return ERR_PTR(err);
	sha = rbi_txn_sha256(info);
	if (!sha)
		return ERR_PTR(-EINVAL);
	n = (struct rbi_config_counts){
		.zones = v[0], .recorders = v[1], .services = v[2],
		.doh = v[3], .patterns = v[4], .nets = v[5],
	};
	txn = rbi_mem_zalloc(sizeof(*txn));
	if (txn)
		txn->mc = rbi_modcfg_alloc(&n, sha, name ? nla_data(name) : "");
	if (!txn || !txn->mc) {
		rbi_mem_free(txn);
		NL_SET_ERR_MSG(info->extack,
			       "out of memory for a configuration of this size");
		return ERR_PTR(-ENOMEM);
	}
	txn->items_expected = v[6];
	txn->portid = info->snd_portid;
	return txn;
}

int rbi_txn_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct rbi_pernet *pn = rbi_pernet(genl_info_net(info));
	struct rbi_txn *txn = rbi_txn_new(info);
	u32 id;

	if (IS_ERR(txn))
		return PTR_ERR(txn);
	mutex_lock(&pn->lock);
	/* A newer transaction wins: its owner knows what it wants loaded. */
	rbi_txn_drop(pn);
	if (!++pn->txn_seq)
		pn->txn_seq = 1;
	id = pn->txn_seq;
	txn->id = id;
	pn->txn = txn;
	mutex_unlock(&pn->lock);
	return rbi_txn_reply_u32(info, RBI_CMD_CONFIG_BEGIN, RBI_A_TXN, id);
}

/* The caller's transaction, with pn->lock held; NULL with a message. */
static struct rbi_txn *rbi_txn_mine(struct rbi_pernet *pn,
				    struct genl_info *info)
{
	u32 id;

	if (!rbi_genl_has(info, RBI_A_TXN, "no transaction id"))
		return NULL;
	id = nla_get_u32(info->attrs[RBI_A_TXN]);
	if (!pn->txn || pn->txn->id != id) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RBI_A_TXN],
				    "no such transaction: never begun, committed, aborted or superseded");
		return NULL;
	}
	if (pn->txn->portid != info->snd_portid) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RBI_A_TXN],
				    "the transaction belongs to another socket");
		return NULL;
	}
	return pn->txn;
}

static int rbi_txn_add_one(struct rbi_txn *txn, const struct nlattr *nest,
			   struct netlink_ext_ack *extack)
{
	struct rbi_item it;
	int err;

	if (txn->items_received == txn->items_expected) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "more items than announced at begin");
		return -E2BIG;
	}
	err = rbi_genl_item_parse(nest, &it, extack);
	if (err)
		return err;
	err = rbi_modcfg_apply(txn->mc, &it);
	if (err) {
		rbi_genl_err(extack, nest, rbi_genl_item_why(&it, err));
		return err;
	}
	txn->items_received++;
	return 0;
}

static int rbi_txn_add_locked(struct rbi_pernet *pn, struct genl_info *info)
{
	struct rbi_txn *txn = rbi_txn_mine(pn, info);
	const struct nlattr *nla;
	int rem, err;

	if (!txn)
		return -ENOENT;
	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nla) != RBI_A_ITEM)
			continue;
		err = rbi_txn_add_one(txn, nla, info->extack);
		if (err) {
			rbi_txn_drop(pn);
			return err;
		}
	}
	return 0;
}

int rbi_txn_add(struct sk_buff *skb, struct genl_info *info)
{
	struct rbi_pernet *pn = rbi_pernet(genl_info_net(info));
	int err;

	mutex_lock(&pn->lock);
	err = rbi_txn_add_locked(pn, info);
	mutex_unlock(&pn->lock);
	return err;
}

static int rbi_txn_commit_locked(struct rbi_pernet *pn, struct genl_info *info)
{
	struct rbi_txn *txn = rbi_txn_mine(pn, info);
	int err;

	if (!txn)
		return -ENOENT;
	if (txn->items_received != txn->items_expected) {
		NL_SET_ERR_MSG(info->extack,
			       "fewer items than announced at begin");
		err = -EINVAL;
	} else {
		err = rbi_modcfg_seal(txn->mc);
		if (err)
			NL_SET_ERR_MSG(info->extack, "out of memory");
	}
	if (!err) {
		err = rbi_pernet_publish(pn, txn->mc);
		if (err)
			NL_SET_ERR_MSG(info->extack,
				       "cannot start conntrack or register hooks");
		else
			txn->mc = NULL;
	}
	rbi_txn_drop(pn);
	return err;
}

int rbi_txn_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct rbi_pernet *pn = rbi_pernet(genl_info_net(info));
	u32 generation;
	int err;

	mutex_lock(&pn->lock);
	err = rbi_txn_commit_locked(pn, info);
	generation = pn->generation;
	mutex_unlock(&pn->lock);
	if (err)
		return err;
	return rbi_txn_reply_u32(info, RBI_CMD_CONFIG_COMMIT,
				 RBI_A_GENERATION, generation);
}

int rbi_txn_abort(struct sk_buff *skb, struct genl_info *info)
{
	struct rbi_pernet *pn = rbi_pernet(genl_info_net(info));
	int err = 0;

	mutex_lock(&pn->lock);
	if (rbi_txn_mine(pn, info))
		rbi_txn_drop(pn);
	else
		err = -ENOENT;
	mutex_unlock(&pn->lock);
	return err;
}

int rbi_txn_clear(struct sk_buff *skb, struct genl_info *info)
{
	struct rbi_pernet *pn = rbi_pernet(genl_info_net(info));

	mutex_lock(&pn->lock);
	rbi_pernet_publish(pn, NULL);
	mutex_unlock(&pn->lock);
	return 0;
}

void rbi_txn_release(struct net *net, u32 portid)
{
	struct rbi_pernet *pn = rbi_pernet(net);

	mutex_lock(&pn->lock);
	if (pn->txn && pn->txn->portid == portid)
		rbi_txn_drop(pn);
	mutex_unlock(&pn->lock);
}
