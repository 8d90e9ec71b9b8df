// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "scan/internal.h"

/* Datagrams a UDP flow gets to show a client hello in. */
enum { RBI_SCAN_QUIC_TRIES = 8 };

static void rbi_scan_quic_gave_up(struct rbi_scan *s, uint32_t idx,
				  struct rbi_scan_flow *f)
{
	if (f->app == RBI_APP_QUIC) {
		s->st.count[RBI_SC_QUIC_GAVE_UP]++;
		rbi_scan_why(f, RBI_UN_QUIC_NO_HELLO);
	}
	f->dir[0].cand = 0;
	f->dir[1].cand = 0;
	rbi_scan_decide(s, idx, f, NULL);
}

/*
 * The client's hello so far, from its CRYPTO stream: a TLS ClientHello,
 * or Q050's CHLO.
 */
static void rbi_scan_quic_hello(struct rbi_scan *s, uint32_t idx,
				struct rbi_scan_flow *f, unsigned int side)
{
	const struct rbi_reasm *r = f->dir[side].r;
	enum rbi_parse_result res;
	const char *name = s->name;

	if (f->quic.chlo) {
		res = rbi_quic_chlo_sni(r->data, r->have, s->name);
	} else {
		res = rbi_tls_parse_handshake(r->data, r->have, &s->hello);
		name = s->hello.has_sni ? s->hello.sni : "";
	}
	if (res == RBI_PARSE_NEED_MORE && r->have < RBI_REASM_CAP)
		return;
	if (res != RBI_PARSE_OK) {
		s->st.count[RBI_SC_QUIC_MALFORMED]++;
		rbi_scan_why(f, RBI_UN_MALFORMED);
		rbi_scan_quic_gave_up(s, idx, f);
		return;
	}
	if (!f->quic.chlo)
		f->ech = s->hello.ech || s->hello.esni;
	rbi_scan_named(s, idx, f, side, RBI_APP_QUIC, name);
}

void rbi_scan_quic(struct rbi_scan *s, uint32_t idx,
		   struct rbi_scan_flow *f, unsigned int side,
		   const uint8_t *data, size_t len)
{
	struct rbi_scan_dir *d = &f->dir[side];
	enum rbi_quic_result r = RBI_QUIC_NOT_MINE;

	if (rbi_quic_maybe(data, len) && rbi_scan_buffer(s, idx, f, side))
		r = rbi_quic_datagram(s->quic, data, len, &f->quic, d->r,
				      s->name);
	else if (rbi_quic_other_version(data, len))
		rbi_scan_why(f, RBI_UN_QUIC_VERSION);
	if (r != RBI_QUIC_NOT_MINE)
		f->app = RBI_APP_QUIC;
	switch (r) {
	case RBI_QUIC_CHLO:
		rbi_scan_named(s, idx, f, side, RBI_APP_QUIC, s->name);
		return;
	case RBI_QUIC_CRYPTO:
		s->st.count[RBI_SC_QUIC_INITIALS]++;
		rbi_scan_quic_hello(s, idx, f, side);
		return;
	case RBI_QUIC_MALFORMED:
		s->st.count[RBI_SC_QUIC_MALFORMED]++;
		rbi_scan_why(f, RBI_UN_MALFORMED);
		break;
	default:
		break;
	}
	/* A buffer that got nothing goes back until a client Initial does. */
	if (d->r && !d->r->have && !rbi_reasm_waiting(d->r))
		rbi_scan_release(s, d);
	if (f->state == RBI_FLOW_OPEN && ++f->tries >= RBI_SCAN_QUIC_TRIES)
		rbi_scan_quic_gave_up(s, idx, f);
}
