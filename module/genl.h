/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_GENL_H
#define RBI_GENL_H

#include <net/genetlink.h>

#include "uapi/rbiblock.h"

extern struct genl_family rbi_genl_family;

int rbi_genl_register(void);
void rbi_genl_unregister(void);

/*
 * NL_SET_ERR_MSG_ATTR() for a message chosen at run time, which must be a
 * static string all the same; attr may be NULL.
 */
static inline void rbi_genl_err(struct netlink_ext_ack *extack,
				const struct nlattr *attr, const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	extack->bad_attr = attr;
}

/*
 * Whether info carries attribute type; if not, says so with msg and the
 * missing type in the extended ack.
 */
bool rbi_genl_has(struct genl_info *info, int type, const char *msg);

#endif
