// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: the whole scanner, as `rbictl scan` runs it on a capture an
 * attacker made. The first byte picks the link layer; the rest is a run of
 * frames, each a 16-bit length, a time step and its bytes. Small tables
 * (16 flows, 4 reassembly buffers) so that eviction and running out of
 * buffers are reached too. The built-in policy puts every address in one
 * public zone, so every flow is classified and camera-analytics markers
 * matter everywhere. At the end every reassembly buffer is back in the
 * pool, and every flow decided without a name has its one reason.
 */
#include <stdint.h>
#include <stdlib.h>

#include "scan/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void count(void *ctx, const struct rbi_scan_record *r)
{
	size_t *n = ctx, i;

	/*
	 * A reported name is text of the length it says, in presentation
	 * form: whatever the packets held, no space or control byte.
	 */
	if (r->flow.name_len && r->flow.name[r->flow.name_len] != '\0')
		abort();
	for (i = 0; i < r->flow.name_len; i++)
		if ((uint8_t)r->flow.name[i] <= ' ' || r->flow.name[i] == 0x7f)
			abort();
	(*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct rbi_policy *p;
	const struct rbi_scan_opts o = {
		.max_flows = 16,
		.reasm_buffers = 4,
		.learn_capacity = 16,
		.idle_tcp_us = 300ull * 1000000,
		.idle_udp_us = 60ull * 1000000,
		.idle_dns_us = 2ull * 1000000,
	};
	uint64_t ts = 1700000000ull * 1000000;
	struct rbi_diags d;
	struct rbi_scan *s;
	enum rbi_link link;
	const struct rbi_scan_stats *st;
	size_t at = 1, n, reported = 0;
	uint64_t unnamed = 0;
	unsigned int i;

	if (!p) {
		rbi_diags_init(&d);
		p = rbi_policy_load(NULL, RBI_POLICY_NO_PROHIBITION, &d);
		rbi_diags_free(&d);
	}
	if (!p || !len)
		return 0;
	s = rbi_scan_alloc(p, &o, count, &reported);
	if (!s)
		return 0;
	link = (enum rbi_link)(data[0] % __RBI_LINK_MAX);
	while (at + 3 <= len) {
		n = (size_t)data[at] << 8 | data[at + 1];
		/* Steps of up to about 65 s: idle flows end on the way. */
		ts += (uint64_t)data[at + 2] * data[at + 2] * 1000;
		at += 3;
		if (n > len - at)
			n = len - at;
		rbi_scan_packet(s, link, ts, data + at, n, n);
		at += n;
	}
	rbi_scan_end(s);
	st = rbi_scan_stats(s);
	for (i = 0; i < __RBI_UN_MAX; i++)
		unnamed += st->unnamed[i];
	if (rbi_scan_reasm_stats(s)->in_use ||
	    unnamed != st->count[RBI_SC_FLOWS_UNNAMED])
		abort();
	rbi_scan_free(s);
	return 0;
}
