/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_HOOK_H
#define RBI_HOOK_H

#include <net/net_namespace.h>

/* IPv4 and IPv6: forward, local in, local out, at RBI_HOOK_PRIORITY. */
int rbi_hooks_register(struct net *net);
void rbi_hooks_unregister(struct net *net);

#endif
