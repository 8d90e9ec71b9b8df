// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * NFQUEUE messages as the kernel sends them: a packet's id, protocol,
 * hook, mark and payload read back; a message that lies about its
 * attributes is refused, with its id when that much can be read, so that
 * the packet can still be dropped rather than left waiting forever.
 * Verdicts as the kernel reads them, with the mark when one is given.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <libmnl/libmnl.h>

#include "daemon/queue.h"

static const uint8_t payload[] = { 0x45, 0x00, 0x00, 0x14, 1, 2, 3, 4 };

/* A packet message; attributes past the header only when asked. */
static struct nlmsghdr *packet(void *buf, uint32_t id, bool hdr,
			       const uint32_t *mark, bool data,
			       const uint32_t *cap_len)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfqnl_msg_packet_hdr ph;
	struct nfgenmsg *g;

	nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->res_id = htons(4712);
	ph.packet_id = htonl(id);
	ph.hw_protocol = htons(0x0800);
	ph.hook = NF_INET_FORWARD;
	if (hdr)
		mnl_attr_put(nlh, NFQA_PACKET_HDR, sizeof(ph), &ph);
	if (mark)
		mnl_attr_put_u32(nlh, NFQA_MARK, htonl(*mark));
	if (data)
		mnl_attr_put(nlh, NFQA_PAYLOAD, sizeof(payload), payload);
	if (cap_len)
		mnl_attr_put_u32(nlh, NFQA_CAP_LEN, htonl(*cap_len));
	return nlh;
}

static void reads_a_packet(void **state)
{
	uint32_t mark = 0x01000007, cap = 1500;
	struct rbi_queue_pkt pkt;
	char buf[512];
	bool id_ok;

	(void)state;
	assert_int_equal(rbi_queue_msg(packet(buf, 42, true, &mark, true,
					      NULL), &pkt, &id_ok), 0);
	assert_true(id_ok);
	assert_int_equal(pkt.id, 42);
	assert_int_equal(pkt.proto, 0x0800);
	assert_int_equal(pkt.hook, NF_INET_FORWARD);
	assert_int_equal(pkt.mark, mark);
	assert_int_equal(pkt.len, sizeof(payload));
	assert_int_equal(pkt.wire_len, sizeof(payload));
	assert_memory_equal(pkt.data, payload, sizeof(payload));
	/* Copied in part: the whole length says so. */
	assert_int_equal(rbi_queue_msg(packet(buf, 43, true, NULL, true, &cap),
				       &pkt, &id_ok), 0);
	assert_int_equal(pkt.mark, 0);
	assert_int_equal(pkt.wire_len, cap);
}

static void refuses_what_lies(void **state)
{
	struct rbi_queue_pkt pkt;
	uint32_t small = 4;
	struct nlmsghdr *nlh;
	char buf[512];
	bool id_ok;

	(void)state;
	/* No payload: refused, but its id is known, so it can be dropped. */
	assert_int_equal(rbi_queue_msg(packet(buf, 7, true, NULL, false,
					      NULL), &pkt, &id_ok), -EBADMSG);
	assert_true(id_ok);
	assert_int_equal(pkt.id, 7);
	/* A whole length shorter than what was copied. */
	assert_int_equal(rbi_queue_msg(packet(buf, 8, true, NULL, true,
					      &small), &pkt, &id_ok), -EBADMSG);
	assert_true(id_ok);
	/* No header at all: nothing to drop it by. */
	assert_int_equal(rbi_queue_msg(packet(buf, 9, false, NULL, true,
					      NULL), &pkt, &id_ok), -EBADMSG);
	assert_false(id_ok);
	/* A header cut short. */
	nlh = packet(buf, 10, false, NULL, false, NULL);
	mnl_attr_put(nlh, NFQA_PACKET_HDR, 3, "abc");
	assert_int_equal(rbi_queue_msg(nlh, &pkt, &id_ok), -EBADMSG);
	assert_false(id_ok);
	/* Not a packet: a verdict echoed, say. */
	nlh = packet(buf, 11, true, NULL, true, NULL);
	nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_VERDICT;
	assert_int_equal(rbi_queue_msg(nlh, &pkt, &id_ok), -EAGAIN);
}

static void writes_verdicts(void **state)
{
	const struct nfqnl_msg_verdict_hdr *vh;
	const struct nlmsghdr *nlh;
	const struct nfgenmsg *g;
	struct nlattr *a;
	uint32_t mark = 0x81000000, got = 0;
	char buf[128];
	size_t n;

	(void)state;
	n = rbi_queue_put_verdict(buf, sizeof(buf), 4713, 99, NF_ACCEPT,
				  &mark);
	nlh = (const struct nlmsghdr *)buf;
	assert_int_equal(n, nlh->nlmsg_len);
	assert_int_equal(nlh->nlmsg_type,
			 (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_VERDICT);
	g = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ntohs(g->res_id), 4713);
	vh = NULL;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		if (mnl_attr_get_type(a) == NFQA_VERDICT_HDR)
			vh = mnl_attr_get_payload(a);
		if (mnl_attr_get_type(a) == NFQA_MARK)
			got = ntohl(mnl_attr_get_u32(a));
	}
	assert_non_null(vh);
	assert_int_equal(ntohl(vh->id), 99);
	assert_int_equal(ntohl(vh->verdict), NF_ACCEPT);
	assert_int_equal(got, mark);
	/* Without a mark, the packet's stays as it is. */
	n = rbi_queue_put_verdict(buf, sizeof(buf), 4713, 100, NF_DROP, NULL);
	mnl_attr_for_each(a, nlh, sizeof(*g))
		assert_int_not_equal(mnl_attr_get_type(a), NFQA_MARK);
	assert_true(n > 0);
	/* No room: nothing written. */
	assert_int_equal(rbi_queue_put_verdict(buf, 16, 4713, 101, NF_DROP,
					       NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_packet),
		cmocka_unit_test(refuses_what_lies),
		cmocka_unit_test(writes_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
