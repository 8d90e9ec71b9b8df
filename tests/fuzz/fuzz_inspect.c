// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: the inspection engine, fed packets the input describes. The
 * first byte picks the flow (TCP to 443, 80 or 53, UDP to 53 or 443, from
 * a camera or towards one); then each packet is a 6-byte header (flags,
 * a sequence offset and an acknowledgement offset, 16 bits each, from the
 * flow's ISNs) and up to 255 bytes of payload whose length the header's
 * last byte gives. Buffers are as small as rbi_insp_room() allows, so
 * that an access past them is the sanitizers' to find; the room asked
 * stays within the window, and a flow is decided at most once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rbi_inspect.h"

enum {
	FUZZ_ISN = 1000,
	FUZZ_RISN = 7000,
	FUZZ_HDR = 6,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static struct rbi_config *fuzz_config(void)
{
	static const struct rbi_config_counts n = { .zones = 1,
						    .services = 1,
						    .patterns = 1 };
	struct rbi_config *c = rbi_config_alloc(&n);
	struct rbi_prefix p;
	const char *why;

	if (!c || rbi_prefix_parse("10.20.0.0/24", 12, &p, &why) ||
	    rbi_config_set_zone(c, 0, true) ||
	    rbi_config_add_zone_net(c, 0, &p) ||
	    rbi_config_set_service(c, 0, RBI_CAT_BIT(RBI_CAT_RBI), 0) ||
	    rbi_config_add_pattern(c, "face.example.net", 16, 0, 0))
		abort();
	return c;
}

/* What learning reads of an answer: within its bounds, every address. */
static void fuzz_learn(void *ctx, const struct rbi_dns_answer_set *set)
{
	char name[RBI_NAME_BUF];
	struct rbi_dns_addr a;
	unsigned int pos = 0, k;

	(void)ctx;
	if (set->ref_count > RBI_DNS_RECORDS_MAX ||
	    set->name_count > RBI_DNS_CHAIN_MAX)
		abort();
	while (rbi_dns_addr_next(set, &pos, &a))
		if (a.name >= set->name_count)
			abort();
	pos = 0;
	while (rbi_dns_target_next(set, &pos, &k, name))
		if (k >= set->name_count)
			abort();
}

/* Grows the buffer p needs to exactly that size, bytes held kept. */
static void fuzz_room(struct rbi_insp *st, const struct rbi_insp_pkt *p)
{
	uint32_t room = rbi_insp_room(st, p);
	bool reply = p->flags & RBI_INSP_REPLY;
	uint8_t **buf = reply ? &st->rbuf : &st->buf;
	uint32_t *cap = reply ? &st->rcap : &st->cap;
	uint32_t held = reply ? st->rlen : st->len;
	uint8_t *b;

	if (room > (reply ? RBI_INSP_DNS_FRAME_MAX : RBI_INSP_WINDOW))
		abort();
	if (room <= *cap)
		return;
	b = malloc(room);
	if (!b)
		abort();
	if (held)
		memcpy(b, *buf, held);
	free(*buf);
	*buf = b;
	*cap = room;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const uint16_t ports[] = { 443, 80, 53, 53, 443, 554 };
	static struct rbi_config *cfg;
	static struct rbi_dnsq *q;
	static struct rbi_insp_scratch scr;
	struct rbi_insp_env env = { 0 };
	struct rbi_insp_result res;
	struct rbi_insp_pkt p;
	struct rbi_flow f = { 0 };
	struct rbi_insp st;
	size_t off = 1, n;
	bool decided = false;

	if (!cfg) {
		cfg = fuzz_config();
		q = rbi_dnsq_alloc(64, 1);
	}
	if (!len)
		return 0;
	env = (struct rbi_insp_env){ cfg, &scr, q, 100, fuzz_learn, NULL };
	rbi_ip_parse("10.20.0.5", 9, data[0] & 0x80 ? &f.dst : &f.src);
	rbi_ip_parse("198.51.100.7", 12, data[0] & 0x80 ? &f.src : &f.dst);
	f.sport = 40000;
	f.dport = ports[(data[0] & 0x7f) % 6];
	f.l4 = (data[0] & 0x7f) % 6 == 3 || (data[0] & 0x7f) % 6 == 4 ?
	       RBI_L4_UDP : RBI_L4_TCP;
	f.learned = RBI_NONE;
	rbi_insp_open(&st, &f);
	while (off + FUZZ_HDR <= len) {
		memset(&p, 0, sizeof(p));
		p.flags = data[off];
		p.seq = (p.flags & RBI_INSP_REPLY ? FUZZ_RISN : FUZZ_ISN) +
			(uint32_t)(data[off + 1] << 8 | data[off + 2]);
		p.ack = FUZZ_ISN + (uint32_t)(data[off + 3] << 8 |
					       data[off + 4]);
		n = data[off + 5];
		off += FUZZ_HDR;
		if (n > len - off)
			n = len - off;
		p.data = data + off;
		p.len = (uint32_t)n;
		off += n;
		fuzz_room(&st, &p);
		rbi_insp_packet(&st, &env, &p, &res);
		/* A flow is decided once, and stays decided. */
		if ((res.decided && decided) ||
		    (res.decided && !rbi_insp_decided(&st)))
			abort();
		decided |= res.decided;
	}
	free(st.buf);
	free(st.rbuf);
	return 0;
}
