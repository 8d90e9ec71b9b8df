// SPDX-License-Identifier: GPL-2.0 OR MIT
/* libFuzzer: every DNS entry point, as UDP and as a TCP stream. */
#include <stdint.h>
#include <stdlib.h>

#include "rbi_dns.h"

static void fuzz_message(const uint8_t *data, size_t len)
{
	static struct rbi_dns_answer_set set;
	struct rbi_dns_msg m;
	struct rbi_dns_iter it;
	struct rbi_dns_rr rr;
	char name[RBI_NAME_BUF];
	struct rbi_dns_addr a;
	uint16_t qtype, qclass;
	unsigned int pos = 0, k;

	if (rbi_dns_parse(data, len, &m) != RBI_PARSE_OK)
		return;
	rbi_dns_question(&m, name, &qtype, &qclass);
	rbi_dns_answers_begin(&m, &it);
	while (rbi_dns_answers_next(&it, &rr) == RBI_DNS_STEP_ITEM)
		;
	rbi_dns_collect(&m, &set);
	for (k = 0; k < set.name_count; k++)
		rbi_dns_chain_name(&set, k, name);
	while (rbi_dns_addr_next(&set, &pos, &a))
		;
	pos = 0;
	while (rbi_dns_target_next(&set, &pos, &k, name))
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const uint8_t *msg;
	size_t off = 0, msg_len;

	fuzz_message(data, len);
	while (rbi_dns_tcp_next(data, len, &off, &msg, &msg_len) ==
	       RBI_PARSE_OK)
		fuzz_message(msg, msg_len);
	return 0;
}
