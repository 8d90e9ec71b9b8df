/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The policy model flattened into what nftables can hold: for each named
 * set or verdict map of `table inet rbiblock`, disjoint address ranges (with
 * port ranges where the set has them), each with its verdict.
 *
 * nftables interval sets refuse overlapping elements and have no notion of
 * "longest prefix wins", while the classifier (rbi_classify) looks service
 * networks, zones and recorders up by longest prefix and port. So the
 * flattening cuts the address space at every prefix boundary and the port
 * space at every port-range boundary, and asks the classifier's own
 * longest-prefix table which entry owns each piece; the verdict of a
 * service comes from rbi_classify itself. What nft enforces on addresses
 * and ports is then what `rbictl policy explain` says, by construction.
 *
 * Service ports may hold for one protocol only. Where TCP and UDP have the
 * same owner on every port of a piece of address space, the piece goes to
 * the maps that both protocols' rules read; elsewhere its elements go to a
 * map per protocol, read first, and the owner that flows of other
 * protocols (port 0) meet goes to the address map.
 */
#ifndef RBI_NFT_PLAN_H
#define RBI_NFT_PLAN_H

#include "policy/policy.h"

enum rbi_nft_set {
	RBI_NFT_SET_PUBLIC,	/* networks of publicly accessible zones */
	RBI_NFT_SET_NONPUBLIC,	/* networks of the other zones */
	RBI_NFT_SET_RECORDERS,	/* recorder address . port */
	RBI_NFT_SET_DOH,	/* DNS-over-HTTPS resolver addresses */
	RBI_NFT_SET_RESOLVERS,	/* the policy's DNS resolvers, if it names any */
	RBI_NFT_MAP_SVC_NETS,	/* egress: service address, any port */
	RBI_NFT_MAP_SVC_PORTS,	/* egress: service address . port */
	/* the same, where TCP and UDP differ: one map per protocol */
	RBI_NFT_MAP_SVC_PORTS_TCP,
	RBI_NFT_MAP_SVC_PORTS_UDP,
	RBI_NFT_MAP_SVC_SIGS,	/* egress: port signatures (/0), port only */
	RBI_NFT_MAP_SVC_SIGS_TCP,
	RBI_NFT_MAP_SVC_SIGS_UDP,
	RBI_NFT_MAP_SVC_HOSTS,	/* ingress: a service host as the source */
	RBI_NFT_MAP_LEARNED,	/* egress: addresses learned from DNS */
	__RBI_NFT_SET_MAX
};

enum rbi_nft_family {
	RBI_NFT_V4_IDX,
	RBI_NFT_V6_IDX,
	__RBI_NFT_FAMILY_MAX
};

struct rbi_nft_set_info {
	const char *name;	/* without the _v4/_v6 suffix */
	const char *comment;
	bool map;		/* a verdict map */
	bool ports;		/* key is address . port */
	bool port_only;		/* key is the port alone */
	bool timeout;		/* elements expire (learned) */
	uint8_t l4;		/* only for this protocol; 0: TCP and UDP */
};

const struct rbi_nft_set_info *rbi_nft_set_info(enum rbi_nft_set set);

/* What a verdict map sends a packet to; enum rbi_nft_action in bits 8+. */
enum rbi_nft_action {
	RBI_NFT_NONE,
	RBI_NFT_ACCEPT,		/* allowed, nothing more to check */
	RBI_NFT_LOG,		/* allowed and logged, as a rule says */
	RBI_NFT_BLOCK,
	__RBI_NFT_ACTION_MAX
};

/* A verdict: action << 8 | enum rbi_rule. 0 is "no verdict". */
#define RBI_NFT_VERDICT(action, rule)	((uint32_t)(action) << 8 | (rule))
#define RBI_NFT_ACTION(v)		((enum rbi_nft_action)((v) >> 8))
#define RBI_NFT_RULE(v)			((enum rbi_rule)((v) & 0xff))

struct rbi_nft_elem {
	uint8_t lo[16];		/* first address, big-endian, IPv4 in 0..3 */
	uint8_t hi[16];		/* last address, inclusive */
	uint16_t port_lo;
	uint16_t port_hi;	/* inclusive */
	uint32_t verdict;	/* a map's verdict; sets: 1 */
	uint32_t value;		/* zone, recorder, resolver or service */
	const char *comment;	/* what the element stands for */
};

struct rbi_nft_elems {
	struct rbi_nft_elem *v;
	size_t n;
	size_t cap;
};

/*
 * How the queue backend's rules hand packets to the daemon: the nft
 * queue expression where the kernel has nft_queue, else the NFQUEUE
 * target through nft_compat (rbi_nft_queue_probe() asks the kernel).
 * Without the inner-header payload base (kernels before 5.16) the rules
 * cannot see QUIC start on a UDP flow already allowed, and the daemon
 * leaves such flows undecided instead, every datagram queued.
 */
enum rbi_nft_queue_kind {
	RBI_NFT_QUEUE_NONE,	/* no queue backend */
	RBI_NFT_QUEUE_NATIVE,
	RBI_NFT_QUEUE_XT,
	__RBI_NFT_QUEUE_KIND_MAX
};

struct rbi_nft_queue {
	enum rbi_nft_queue_kind kind;
	uint16_t n;		/* inspection queues from RBI_NFT_QUEUE_FIRST */
	bool bypass;		/* no daemon: pass (on-failure: open) */
	bool inner;		/* the kernel reads past the transport header */
};

struct rbi_nft_plan {
	const struct rbi_policy *p;
	struct rbi_nft_elems sets[__RBI_NFT_SET_MAX][__RBI_NFT_FAMILY_MAX];
	uint32_t doh;		/* verdicts of the enforce settings */
	uint32_t quic;
	bool any_public;	/* some zone is publicly accessible */
	/* Set when what the policy needs can't be guaranteed. */
	const char *fail_closed;
	struct rbi_nft_queue queue;
	/*
	 * rbiblock.ko decides flows: a flow of a public zone without its
	 * labels ("no verdict, no payload") is dropped, and its verdicts
	 * hold on the gateway's own traffic too.
	 */
	bool module;
	/*
	 * The interfaces rbiblock's flowtable hooks, NULL-terminated; NULL
	 * or none: no flowtable, nothing offloaded (rbi_nft_build.c).
	 */
	const char **offload_devs;
};

/* 0, or -ENOMEM. The plan points into p, which must outlive it. */
int rbi_nft_plan_build(const struct rbi_policy *p, struct rbi_nft_plan *plan);
void rbi_nft_plan_free(struct rbi_nft_plan *plan);

/*
 * The verdict rbi_classify gives a flow from a publicly accessible zone to
 * an address of service (learned from DNS): block, log or accept; 0 when
 * the policy has no public zone.
 */
uint32_t rbi_nft_service_verdict(const struct rbi_policy *p, uint32_t service);

/* Chain a verdict sends packets to, e.g. "block_prohibit-rbi"; NULL: none. */
const char *rbi_nft_verdict_chain(uint32_t verdict, char *buf, size_t len);

/* Address width in bytes of a family index. */
static inline size_t rbi_nft_width(enum rbi_nft_family f)
{
	return f == RBI_NFT_V4_IDX ? 4 : 16;
}

#endif
