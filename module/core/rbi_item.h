/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A classifier configuration as a sequence of items. The policy compiler
 * walks its model once and emits items; rbictl applies them to a local
 * rbi_config, and the module client sends the same items over generic
 * netlink to the kernel, which applies each with the same rbi_item_apply().
 * Both ends therefore build identical configurations, with the same pattern
 * and network ids, from one mapping.
 *
 * Fields an item kind does not use are ignored; which ones each kind uses
 * is written beside it.
 */
#ifndef RBI_ITEM_H
#define RBI_ITEM_H

#include "rbi_compat.h"
#include "rbi_addr.h"
#include "rbi_verdict.h"

enum rbi_item_kind {
	RBI_ITEM_ZONE,		/* index, flags: RBI_ITEM_PUBLIC */
	RBI_ITEM_ZONE_NET,	/* index (zone), prefix */
	RBI_ITEM_RECORDER_NET,	/* index (recorder), prefix, ports */
	/* index, value (categories), flags (service flags), text (its id) */
	RBI_ITEM_SERVICE,
	/* id (pattern id), text, value (service or resolver | DOH_VALUE) */
	RBI_ITEM_PATTERN,
	/*
	 * index (service), prefix, ports, id (network id), value (the ports'
	 * protocol: RBI_L4_TCP, RBI_L4_UDP, or 0 for both)
	 */
	RBI_ITEM_SERVICE_NET,
	RBI_ITEM_DOH_NET,	/* index (resolver), prefix */
	RBI_ITEM_PROHIBITED,	/* value (categories) */
	/* index (enum rbi_enforce_setting), value (enum rbi_mode) */
	RBI_ITEM_MODE,
	RBI_ITEM_ON_FAILURE,	/* value: 0 closed, 1 open */
	RBI_ITEM_RESOLVER_NET,	/* prefix: a DNS resolver the policy names */
	__RBI_ITEM_MAX
};

enum rbi_item_flags {
	RBI_ITEM_PUBLIC = 1 << 0,	/* zone: publicly accessible */
};

struct rbi_item {
	enum rbi_item_kind kind;
	uint32_t index;
	uint32_t id;
	uint32_t value;
	uint32_t flags;
	struct rbi_prefix prefix;
	uint16_t port_lo;
	uint16_t port_hi;
	const char *text;	/* not NUL-terminated */
	size_t text_len;
};

/*
 * Applies one item through the matching rbi_config_* call. Returns 0 or
 * its negative errno; -EINVAL for an unknown kind, -ERANGE for an enforce
 * setting or mode out of range.
 */
int rbi_item_apply(struct rbi_config *c, const struct rbi_item *it);

/* Whether items of kind carry a prefix (and, for some, ports). */
bool rbi_item_has_prefix(enum rbi_item_kind kind);

/* "zone", "pattern", ...: for messages; NULL outside the enum. */
const char *rbi_item_kind_name(enum rbi_item_kind kind);

#endif /* RBI_ITEM_H */
