/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shared by the files of the nftables backend. */
#ifndef RBI_NFT_INT_H
#define RBI_NFT_INT_H

#include <net/if.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/flowtable.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>

#include "nft/nft.h"
#include "util/buf.h"

/*
 * A ruleset as libnftnl objects: the one about to be sent, or the one read
 * back from the kernel. Rules are in the order they run in their chain.
 */
struct rbi_nft_objs {
	struct nftnl_table *table;
	struct nftnl_chain **chains;
	size_t n_chains, cap_chains;
	struct nftnl_set **sets;	/* with their elements */
	size_t n_sets, cap_sets;
	struct nftnl_rule **rules;
	size_t n_rules, cap_rules;
	struct nftnl_flowtable *flowtable;	/* RBI_NFT_FLOWTABLE, or NULL */
	bool failed;			/* out of memory on the way */
};

void rbi_nft_objs_add_chain(struct rbi_nft_objs *o, struct nftnl_chain *c);
void rbi_nft_objs_add_set(struct rbi_nft_objs *o, struct nftnl_set *s);
void rbi_nft_objs_add_rule(struct rbi_nft_objs *o, struct nftnl_rule *r);
void rbi_nft_objs_free(struct rbi_nft_objs *o);

/*
 * The ruleset for a plan (rbi_nft_build.c); 0 or -ENOMEM. Its "checked"
 * generation (in the ct mark bits RBI_NFT_MARK_MASK) comes from the
 * policy, and is never avoid.
 */
int rbi_nft_build(const struct rbi_nft_plan *plan, uint32_t avoid,
		  struct rbi_nft_objs *o);
/*
 * A chain with one rule, to try on the kernel (rbi_nft_nl_try): the
 * queue expression of q, or with inner the QUIC watch's match on the
 * bytes past the transport header.
 */
int rbi_nft_build_trial(const struct rbi_nft_queue *q, bool inner,
			struct rbi_nft_objs *o);
/* The generation a ruleset marks checked flows with; 0 when none. */
uint32_t rbi_nft_checked_gen(const struct rbi_nft_objs *o);

/*
 * Learned addresses of a table about to be replaced, for its successor:
 * each element of from (a learned map read back, with its expiration)
 * whose comment names a service of p that p still blocks or logs is added
 * to to, with the verdict p gives that service and what is left of its
 * timeout. Returns how many; addresses of services p no longer has, or
 * lets through, are dropped, as p would never have learned them.
 */
size_t rbi_nft_carry(const struct rbi_policy *p, struct nftnl_set *from,
		     struct nftnl_set *to);

#define RBI_NFT_POLICY_KEY	"policy="
#define RBI_NFT_RULESET_KEY	"ruleset="
enum {
	RBI_NFT_DIGEST_SHORT = 16,	/* hex digits of it in the comment */
	RBI_NFT_DIGEST_LEN = 32,
	RBI_NFT_UDATA_MAX = 256,	/* the kernel's NFT_USERDATA_MAXLEN */
	RBI_NFT_UDATA_DIGESTS = 0xb1,	/* a user data type of rbiblock's */
};

/*
 * The canonical digest (rbi_nft_canon.c): SHA-256 over a text form of the
 * table, its chains, sets and rules, with what the kernel changes on its
 * own left out: handles, counters, use counts, and the elements of sets
 * with timeouts (learned addresses come and go). The table's comment is
 * left out too, since it carries the digest. Without elems, no set
 * elements at all: the light form, cheap to read back from the kernel.
 */
int rbi_nft_digest(const struct rbi_nft_objs *o, bool elems, char out[65]);

/*
 * The table's user data: its comment, "rbiblock policy=SHA256
 * ruleset=DIGEST16 backend=B", so that a reader knows what rbictl applied,
 * and beside it (a type of rbiblock's own, which nft(8) passes over) the
 * whole digest and the light one, binary, so that a reader can check the
 * table against them without reading its elements.
 */
void rbi_nft_set_table_udata(struct rbi_nft_objs *o, const char *policy,
			     const char *digest, const char *light,
			     const char *backend);
/* The digests a table's user data holds ("" when it holds none). */
void rbi_nft_udata_digests(const void *data, uint32_t len, char digest[65],
			   char light[65]);
/*
 * The value of key (RBI_NFT_POLICY_KEY, RBI_NFT_RULESET_KEY) in a table
 * comment, or "".
 */
void rbi_nft_comment_value(const char *comment, const char *key, char *out,
			   size_t len);

/* A comment from libnftnl user data ("" when none). */
void rbi_nft_udata_comment(const void *data, uint32_t len, uint8_t type,
			   char *out, size_t out_len);

/*
 * rbiblock's flowtable (build.c) on the interfaces devs
 * (NULL-terminated); NULL when out of memory.
 */
struct nftnl_flowtable *rbi_nft_flowtable_new(const char **devs);

/* Its interfaces, sorted, space-separated, as far as they fit (foreign.c). */
void rbi_nft_flowtable_devs(const struct nftnl_flowtable *ft, char *out,
			    size_t len);

enum {
	RBI_NFT_DEVS_MAX = 256,		/* the kernel's NFT_NETDEVICE_MAX */
};

/* The interfaces the flowtable hooks, as rbi_nft_devices() found them. */
struct rbi_nft_devs {
	char name[RBI_NFT_DEVS_MAX][IFNAMSIZ];
	const char *v[RBI_NFT_DEVS_MAX + 1];	/* NULL-terminated */
	size_t n;
	size_t skipped;		/* more than RBI_NFT_DEVS_MAX: not hooked */
};

/* Lists them (devices.c); 0, or -1 with a sentence in err. */
int rbi_nft_devices(struct rbi_nft_devs *d, char *err, size_t len);

/* Netlink (rbi_nft_nl.c). */
struct rbi_nft_nl;

struct rbi_nft_nl *rbi_nft_nl_open(char *err, size_t len);
void rbi_nft_nl_close(struct rbi_nft_nl *nl);
/*
 * Reads table inet rbiblock into o, set elements too when elems; -ENOENT
 * when there is none. Elements cost: the kernel walks an interval set
 * from its start for every chunk of a dump.
 */
int rbi_nft_nl_dump(struct rbi_nft_nl *nl, struct rbi_nft_objs *o,
		    bool elems, char *err, size_t len);
/* Reads the elements of s, a set of table inet rbiblock, into it. */
int rbi_nft_nl_get_elems(struct rbi_nft_nl *nl, struct nftnl_set *s,
			 char *err, size_t len);
/*
 * Sends one transaction: delete table (when replace), then o, then
 * elements; 0 or -1 with the first error the kernel gave in err.
 */
int rbi_nft_nl_commit(struct rbi_nft_nl *nl, const struct rbi_nft_objs *o,
		      bool replace, char *err, size_t len);
/*
 * The bytes of the transaction rbi_nft_nl_commit() would send to put o in
 * place of any table inet rbiblock, appended to out instead of sent; and
 * such bytes sent as they are (rbi_nft_keep_restore()).
 */
int rbi_nft_nl_batch(struct rbi_nft_nl *nl, const struct rbi_nft_objs *o,
		     struct rbi_buf *out, char *err, size_t len);
int rbi_nft_nl_replay(struct rbi_nft_nl *nl, void *batch, size_t n,
		      char *err, size_t len);

/* The ruleset for plan, its digests and its table's user data. */
int rbi_nft_want(const struct rbi_nft_plan *plan,
		 const struct rbi_nft_apply_opts *o, uint32_t avoid,
		 struct rbi_nft_objs *want, char light[65],
		 struct rbi_nft_apply_result *res, char *err, size_t len);
/*
 * After plan was applied (res): keeps in path the transaction that puts
 * its fail-closed form back (keep.c), unless path keeps it already.
 */
int rbi_nft_keep_save(struct rbi_nft_nl *nl, const struct rbi_nft_plan *plan,
		      const struct rbi_nft_apply_opts *o,
		      const struct rbi_nft_apply_result *res, const char *path,
		      char *err, size_t len);
/*
 * Sends o's chains, flowtable and rules in a transaction made to fail at
 * its end, so that nothing is ever committed: 0 when the kernel took all
 * of them (the only refusal was the end), -1 with the first refusal in
 * err. How rbictl asks what a kernel supports.
 */
int rbi_nft_nl_try(struct rbi_nft_nl *nl, const struct rbi_nft_objs *o,
		   char *err, size_t len);
int rbi_nft_nl_delete_table(struct rbi_nft_nl *nl, bool *existed, char *err,
			    size_t len);
int rbi_nft_nl_add_elems(struct rbi_nft_nl *nl, struct nftnl_set *s,
			 char *err, size_t len);
/*
 * A dump of every object of type (NFT_MSG_GETFLOWTABLE, NFT_MSG_GETRULE)
 * in family (NFPROTO_UNSPEC: all), of table only when not NULL, each
 * message handed to cb; 0, or -1 with a sentence in err. For reading
 * other tables, which the functions above never name.
 */
int rbi_nft_nl_walk(struct rbi_nft_nl *nl, uint16_t type, uint16_t family,
		    const char *table, mnl_cb_t cb, void *data, char *err,
		    size_t len);

#endif
