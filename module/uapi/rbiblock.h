/* SPDX-License-Identifier: GPL-2.0 OR MIT WITH Linux-syscall-note */
/*
 * The ABI between rbiblock.ko and userspace.
 *
 * Conntrack label bits: the module classifies a flow from its first packets
 * and records the verdict in these bits of the flow's conntrack labels; the
 * chains of `table inet rbiblock` (installed by `rbictl apply`) drop, count
 * and log on them, so that the whole enforcement stays readable with
 * `nft list table inet rbiblock`, and an operator can write their own rules
 * on the same bits. The rules exist whether or not the module is loaded, so
 * loading it later needs no re-apply.
 *
 * Bit RBI_CT_LABEL_DECIDED means "classified": no more inspection. A block
 * sets RBI_CT_LABEL_RULE(rule) as well, where rule is the enum rbi_rule of
 * module/core/rbi_verdict.h (1 .. __RBI_RULE_MAX - 1), so each rule has its
 * own nft counter and log prefix. RBI_CT_LABEL_LOG marks a flow that is
 * allowed but recorded (a shared host under shared-hosts: log, or a
 * `log` enforce setting). The verdict bits, RBI_CT_LABEL_RULE_FIRST up to
 * RBI_CT_LABEL_LOG, are contiguous, so that the ruleset tests them all
 * with one masked compare and the packets of flows the module decided to
 * allow (only "decided" set) never leave the fast path.
 *
 * RBI_CT_LABEL_INSPECTING marks a flow the module is reading and has not
 * decided yet: its packets may pass while the module holds back what it
 * must. A flow of a publicly accessible zone with neither "decided" nor
 * "inspecting" was never seen by the module (older than its
 * configuration, or a packet it could not read): while the module is in
 * use the ruleset drops it ("no verdict, no payload"). RBI_CT_LABEL_WATCH
 * marks a UDP flow allowed whose datagrams the module still looks at for
 * a QUIC long header.
 */
#ifndef _UAPI_RBIBLOCK_H
#define _UAPI_RBIBLOCK_H

enum rbi_ct_label {
	RBI_CT_LABEL_DECIDED = 112,
	RBI_CT_LABEL_RULE_FIRST = 113,	/* RBI_CT_LABEL_RULE(1) */
	RBI_CT_LABEL_RULE_LAST = 121,	/* RBI_CT_LABEL_RULE(9) */
	RBI_CT_LABEL_LOG = 122,
	RBI_CT_LABEL_INSPECTING = 123,
	RBI_CT_LABEL_WATCH = 124,
	RBI_CT_LABEL_HIGHEST = RBI_CT_LABEL_WATCH,
};

#define RBI_CT_LABEL_RULE(rule)	(RBI_CT_LABEL_DECIDED + (rule))

/*
 * Hook priorities, relative to NF_IP_PRI_FILTER (0), both after conntrack
 * (-200) so that every packet has its flow. The module's netfilter hooks
 * (IPv4 and IPv6: forward, local in, local out) run at RBI_HOOK_PRIORITY;
 * the base chains of `table inet rbiblock` at RBI_NFT_PRIORITY, after
 * them on the same hook, so that they see the verdict of the very packet
 * that decided it (a first SYN included), and before an operator's own
 * filter chains at 0.
 */
enum rbi_hook_priority {
	RBI_HOOK_PRIORITY = -20,
	RBI_NFT_PRIORITY = -10,
};

/*
 * NFLOG groups of `table inet rbiblock`, read by `rbictl run`: every
 * packet the ruleset blocks or logs goes to RBI_NFLOG_BLOCK with the
 * prefix "rbiblock block|log <rule id>", followed by " module" when the
 * verdict is the module's (a flow the module only logs has no rule bit:
 * "rbiblock log module"); copies of DNS answers bound for publicly
 * accessible zones go to RBI_NFLOG_DNS, for DNS learning without the
 * module.
 */
enum rbi_nflog_group {
	RBI_NFLOG_BLOCK = 4711,
	RBI_NFLOG_DNS = 4712,
};

/*
 * Generic netlink family RBI_GENL_NAME, per network namespace. Every
 * command needs CAP_NET_ADMIN in the namespace's user namespace, and so
 * does joining the RBI_GENL_MCGRP_EVENTS multicast group. Errors come back
 * as a negative errno with an extack message (and, for a bad attribute,
 * its offset).
 *
 * Configuration is a transaction:
 *   RBI_CMD_CONFIG_BEGIN  the sizes (RBI_A_ZONES .. RBI_A_NETS) and the
 *                         number of items (RBI_A_ITEMS) to come, optionally
 *                         RBI_A_POLICY_SHA256 and RBI_A_POLICY_NAME for
 *                         status; replies RBI_A_TXN. A transaction not yet
 *                         committed is dropped by a later BEGIN, by its
 *                         socket closing, or by any failed ADD.
 *   RBI_CMD_CONFIG_ADD    RBI_A_TXN and any number of RBI_A_ITEM nests
 *                         (enum rbi_item_attr), in the order of
 *                         module/core/rbi_item.h; items apply in order.
 *   RBI_CMD_CONFIG_COMMIT RBI_A_TXN: every announced item must have
 *                         arrived. The new configuration replaces the old
 *                         one at once (RCU); learned addresses carry over to
 *                         services of the same id. Replies RBI_A_GENERATION.
 *   RBI_CMD_CONFIG_ABORT  RBI_A_TXN: drop it; the old configuration stays.
 * RBI_CMD_CONFIG_CLEAR unloads the configuration and forgets learned
 * addresses: flows are no longer classified, and those still undecided
 * are decided fail-closed (reason "unloaded"). While a namespace holds a
 * configuration the module cannot be unloaded: clear it first.
 *
 * RBI_CMD_STATUS_GET replies the loaded configuration's generation (0: none),
 * policy sha256 and name, sizes, RBI_A_MEM_ALLOCS and RBI_A_STATS.
 * RBI_CMD_LEARNED_GET dumps one message per learned address: RBI_A_ADDR,
 * RBI_A_SERVICE, RBI_A_SERVICE_ID, RBI_A_EXPIRES.
 *
 * RBI_CMD_EVENT messages go to the events group, one per flow the module
 * blocked (a fail-closed decision among them, with RBI_A_FAIL saying why)
 * or marked for logging, as a token bucket allows (module
 * parameters event_rate and event_burst). Each carries RBI_A_SUPPRESSED,
 * the events the bucket held back since the previous one, and
 * RBI_STAT_EVENTS_SUPPRESSED counts them all, so none is lost silently.
 */
#define RBI_GENL_NAME		"rbiblock"
#define RBI_GENL_MCGRP_EVENTS	"events"

enum {
	RBI_GENL_VERSION = 1,
};

enum rbi_genl_cmd {
	RBI_CMD_UNSPEC,
	RBI_CMD_CONFIG_BEGIN,
	RBI_CMD_CONFIG_ADD,
	RBI_CMD_CONFIG_COMMIT,
	RBI_CMD_CONFIG_ABORT,
	RBI_CMD_CONFIG_CLEAR,
	RBI_CMD_STATUS_GET,
	RBI_CMD_LEARNED_GET,
	RBI_CMD_EVENT,
	__RBI_CMD_MAX
};

enum rbi_attr {
	RBI_A_UNSPEC,
	RBI_A_TXN,		/* u32 */
	RBI_A_ZONES,		/* u32: sizes, as rbi_config_counts */
	RBI_A_RECORDERS,	/* u32 */
	RBI_A_SERVICES,		/* u32 */
	RBI_A_DOHS,		/* u32 */
	RBI_A_PATTERNS,		/* u32 */
	RBI_A_NETS,		/* u32 */
	RBI_A_ITEMS,		/* u32: items the transaction will carry */
	RBI_A_POLICY_SHA256,	/* string: 64 lower-case hex digits */
	RBI_A_POLICY_NAME,	/* string */
	RBI_A_ITEM,		/* nest: enum rbi_item_attr */
	RBI_A_GENERATION,	/* u32: configurations committed; 0 none */
	RBI_A_STATS,		/* nest: u64 per rbi_stat, type stat + 1 */
	RBI_A_MEM_ALLOCS,	/* u64: the module's allocations outstanding */
	RBI_A_ADDR,		/* binary: 4 or 16 bytes */
	RBI_A_EXPIRES,		/* u32: seconds left */
	RBI_A_TIME,		/* u64: CLOCK_REALTIME, ns */
	RBI_A_SRC,		/* binary: the initiator, 4 or 16 bytes */
	RBI_A_DST,		/* binary */
	RBI_A_SPORT,		/* u16 */
	RBI_A_DPORT,		/* u16 */
	RBI_A_L4,		/* u8: IPPROTO_TCP or IPPROTO_UDP */
	RBI_A_APP,		/* u8: enum rbi_app */
	RBI_A_NAME,		/* string: SNI, Host or RTSP host */
	RBI_A_ECH,		/* flag */
	RBI_A_VERDICT,		/* u8: enum rbi_verdict */
	RBI_A_RULE,		/* u8: enum rbi_rule */
	RBI_A_REASON,		/* u8: enum rbi_reason */
	RBI_A_CATEGORY,		/* u8: enum rbi_category */
	RBI_A_LOG,		/* flag: allowed, but record it */
	RBI_A_INGRESS,		/* flag: the camera is the responder */
	RBI_A_ZONE,		/* u32: configuration indexes ... */
	RBI_A_SERVICE,		/* u32 */
	RBI_A_SERVICE_ID,	/* string: the service's id */
	RBI_A_RECORDER,		/* u32 */
	RBI_A_DOH,		/* u32 */
	RBI_A_PATTERN_ID,	/* u32 */
	RBI_A_NET_ID,		/* u32: ... 0xffffffff when none */
	RBI_A_SUPPRESSED,	/* u64: events suppressed since the last one */
	RBI_A_HOOK,		/* u8: NF_INET_FORWARD, LOCAL_IN, LOCAL_OUT */
	RBI_A_FAIL,		/* u8: enum rbi_fail, with rule fail-closed */
	__RBI_A_MAX
};

#define RBI_A_MAX	(__RBI_A_MAX - 1)

/* One configuration item: struct rbi_item of module/core/rbi_item.h. */
enum rbi_item_attr {
	RBI_IA_UNSPEC,
	RBI_IA_KIND,		/* u8: enum rbi_item_kind */
	RBI_IA_INDEX,		/* u32 */
	RBI_IA_ID,		/* u32 */
	RBI_IA_VALUE,		/* u32 */
	RBI_IA_FLAGS,		/* u32 */
	RBI_IA_ADDR,		/* binary: prefix address, 4 or 16 bytes */
	RBI_IA_PREFIX_LEN,	/* u8 */
	RBI_IA_PORT_LO,		/* u16 */
	RBI_IA_PORT_HI,		/* u16 */
	RBI_IA_TEXT,		/* string: name pattern or service id */
	__RBI_IA_MAX
};

#define RBI_IA_MAX	(__RBI_IA_MAX - 1)

/* What a configuration may hold; BEGIN refuses more. */
enum rbi_limit {
	RBI_LIMIT_ZONES = 1 << 16,
	RBI_LIMIT_RECORDERS = 1 << 16,
	RBI_LIMIT_SERVICES = 1 << 20,
	RBI_LIMIT_DOHS = 1 << 16,
	RBI_LIMIT_PATTERNS = 1 << 22,
	RBI_LIMIT_NETS = 1 << 22,
	RBI_LIMIT_ITEMS = 1 << 24,
	RBI_LIMIT_TEXT = 253,		/* bytes of a pattern or service id */
	RBI_LIMIT_POLICY_NAME = 127,
	RBI_SHA256_HEX = 64,
};

/* Counters and gauges of RBI_A_STATS, per network namespace. */
enum rbi_stat {
	RBI_STAT_PACKETS,		/* inspected: of undecided flows */
	RBI_STAT_INSPECT_NS,		/* time spent inspecting them */
	RBI_STAT_FLOWS,			/* flows decided */
	RBI_STAT_NAMED,			/* ... with a name */
	RBI_STAT_BLOCKS,
	RBI_STAT_LOGS,
	RBI_STAT_NO_LABELS,		/* packets of flows without labels */
	RBI_STAT_OOO_DROPS,		/* out-of-order segments held back */
	RBI_STAT_RETRANS,		/* segments that were seen before */
	RBI_STAT_HELD,			/* held back: window full, switch */
	RBI_STAT_REQUESTS,		/* HTTP and RTSP request heads read */
	RBI_STAT_PENDING,		/* gauge: flows being inspected */
	RBI_STAT_PENDING_BYTES,		/* gauge: bytes held for them */
	RBI_STAT_PENDING_EXPIRED,	/* freed: entry gone, or expired */
	RBI_STAT_DNS_QUERIES,		/* queries of cameras remembered */
	RBI_STAT_DNS_PENDING,		/* gauge: ... not answered yet */
	RBI_STAT_DNS_ANSWERS,		/* answers that matched a query */
	RBI_STAT_DNS_UNSOLICITED,	/* answers that matched none */
	RBI_STAT_DNS_MALFORMED,
	RBI_STAT_LEARNED,		/* addresses learned or refreshed */
	RBI_STAT_LEARNED_LIVE,		/* gauge */
	RBI_STAT_LEARNED_CAPACITY,	/* gauge */
	RBI_STAT_LEARNED_EVICTED,
	RBI_STAT_EVENTS,		/* events sent */
	RBI_STAT_EVENTS_SUPPRESSED,	/* by the token bucket */
	RBI_STAT_EVENTS_FAILED,		/* no memory or socket space */
	RBI_STAT_FAILED,		/* flows decided fail-closed ... */
	/* ... by reason, in the order of enum rbi_fail (rbi_verdict.h) */
	RBI_STAT_FAIL_FIRST,
	RBI_STAT_FAIL_LAST = RBI_STAT_FAIL_FIRST + 16,
	__RBI_STAT_MAX
};

/* The counter of fail-closed reason why (enum rbi_fail, 1 and up). */
#define RBI_STAT_FAIL(why)	(RBI_STAT_FAIL_FIRST + (why) - 1)

#endif /* _UAPI_RBIBLOCK_H */
