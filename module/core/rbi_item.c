// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_item.h"

static int rbi_item_mode(struct rbi_config *c, const struct rbi_item *it)
{
	if (it->index >= __RBI_ENF_MAX || it->value >= __RBI_MODE_MAX)
		return -ERANGE;
	rbi_config_set_mode(c, (enum rbi_enforce_setting)it->index,
			    (enum rbi_mode)it->value);
	return 0;
}

int rbi_item_apply(struct rbi_config *c, const struct rbi_item *it)
{
	switch (it->kind) {
	case RBI_ITEM_ZONE:
		return rbi_config_set_zone(c, it->index,
					   it->flags & RBI_ITEM_PUBLIC);
	case RBI_ITEM_ZONE_NET:
		return rbi_config_add_zone_net(c, it->index, &it->prefix);
	case RBI_ITEM_RECORDER_NET:
		return rbi_config_add_recorder_net(c, it->index, &it->prefix,
						   it->port_lo, it->port_hi);
	case RBI_ITEM_SERVICE:
		return rbi_config_set_service(c, it->index, it->value,
					      it->flags);
	case RBI_ITEM_PATTERN:
		return rbi_config_add_pattern(c, it->text, it->text_len,
					      it->value, it->id);
	case RBI_ITEM_SERVICE_NET:
		if (it->value > 0xff)
			return -EINVAL;
		return rbi_config_add_service_net(c, it->index, &it->prefix,
						  it->port_lo, it->port_hi,
						  (uint8_t)it->value, it->id);
	case RBI_ITEM_DOH_NET:
		return rbi_config_add_doh_net(c, it->index, &it->prefix);
	case RBI_ITEM_PROHIBITED:
		if (it->value & ~RBI_CAT_ALL)
			return -EINVAL;
		rbi_config_set_prohibited(c, it->value);
		return 0;
	case RBI_ITEM_MODE:
		return rbi_item_mode(c, it);
	case RBI_ITEM_ON_FAILURE:
		if (it->value > 1)
			return -ERANGE;
		rbi_config_set_fail_open(c, it->value);
		return 0;
	case RBI_ITEM_RESOLVER_NET:
		return rbi_config_add_resolver_net(c, &it->prefix);
	default:
		return -EINVAL;
	}
}

bool rbi_item_has_prefix(enum rbi_item_kind kind)
{
	return kind == RBI_ITEM_ZONE_NET || kind == RBI_ITEM_RECORDER_NET ||
	       kind == RBI_ITEM_SERVICE_NET || kind == RBI_ITEM_DOH_NET ||
	       kind == RBI_ITEM_RESOLVER_NET;
}

const char *rbi_item_kind_name(enum rbi_item_kind kind)
{
	static const char *const names[__RBI_ITEM_MAX] = {
		[RBI_ITEM_ZONE] = "zone",
		[RBI_ITEM_ZONE_NET] = "zone network",
		[RBI_ITEM_RECORDER_NET] = "recorder network",
		[RBI_ITEM_SERVICE] = "service",
		[RBI_ITEM_PATTERN] = "name pattern",
		[RBI_ITEM_SERVICE_NET] = "service network",
		[RBI_ITEM_DOH_NET] = "resolver network",
		[RBI_ITEM_PROHIBITED] = "prohibited categories",
		[RBI_ITEM_MODE] = "enforce setting",
		[RBI_ITEM_ON_FAILURE] = "on-failure setting",
		[RBI_ITEM_RESOLVER_NET] = "DNS resolver network",
	};

	return (unsigned int)kind < __RBI_ITEM_MAX ? names[kind] : NULL;
}
