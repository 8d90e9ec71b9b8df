// SPDX-License-Identifier: GPL-2.0
/*
 * Every limit the packet path works within, per network namespace. They
 * are read-only after loading, so that no limit can change under a flow
 * that is being reassembled.
 */
#include <linux/moduleparam.h>

#include "params.h"

bool rbi_param_selftest = true;
module_param_named(selftest, rbi_param_selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "Run the dissector self-tests at load (default: 1)");

unsigned int rbi_param_flows_max = 4096;
module_param_named(flows_max, rbi_param_flows_max, uint, 0444);
MODULE_PARM_DESC(flows_max,
		 "Flows inspected at once, per namespace (default: 4096)");

unsigned int rbi_param_flow_bytes_max = 16 << 20;
module_param_named(flow_bytes_max, rbi_param_flow_bytes_max, uint, 0444);
MODULE_PARM_DESC(flow_bytes_max,
		 "Bytes held for inspection, per namespace (default: 16 MiB)");

unsigned int rbi_param_idle_secs = 30;
module_param_named(idle_secs, rbi_param_idle_secs, uint, 0444);
MODULE_PARM_DESC(idle_secs,
		 "Seconds a flow may stall undecided before it fails closed (default: 30)");

unsigned int rbi_param_keepalive_secs = 300;
module_param_named(keepalive_secs, rbi_param_keepalive_secs, uint, 0444);
MODULE_PARM_DESC(keepalive_secs,
		 "Seconds a request stream may idle between requests (default: 300)");

unsigned int rbi_param_dns_queries_max = 4096;
module_param_named(dns_queries_max, rbi_param_dns_queries_max, uint, 0444);
MODULE_PARM_DESC(dns_queries_max,
		 "DNS queries awaiting their answer, per namespace (default: 4096)");

unsigned int rbi_param_learned_max = 16384;
module_param_named(learned_max, rbi_param_learned_max, uint, 0444);
MODULE_PARM_DESC(learned_max,
		 "Addresses learned from DNS, per namespace (default: 16384)");

unsigned int rbi_param_event_rate = 100;
module_param_named(event_rate, rbi_param_event_rate, uint, 0444);
MODULE_PARM_DESC(event_rate, "Events per second, per namespace (default: 100)");

unsigned int rbi_param_event_burst = 200;
module_param_named(event_burst, rbi_param_event_burst, uint, 0444);
MODULE_PARM_DESC(event_burst,
		 "Events sent at once before the rate applies (default: 200)");
