/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_PARAMS_H
#define RBI_PARAMS_H

#include <linux/types.h>

/* Module parameters, read-only once loaded; see params.c for each. */
extern bool rbi_param_selftest;
extern unsigned int rbi_param_flows_max;
extern unsigned int rbi_param_flow_bytes_max;
extern unsigned int rbi_param_idle_secs;
extern unsigned int rbi_param_keepalive_secs;
extern unsigned int rbi_param_dns_queries_max;
extern unsigned int rbi_param_learned_max;
extern unsigned int rbi_param_event_rate;
extern unsigned int rbi_param_event_burst;

#endif
