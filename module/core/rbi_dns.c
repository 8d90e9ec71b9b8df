// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The DNS dissector. Every name goes through one walker, so the length and
 * compression rules of rbi_dns.h hold alike whether a name is skipped,
 * rendered or compared.
 */
#include "rbi_dns.h"

enum {
	DNS_LABEL_PTR = 0xc0,	/* the top bits of a compression pointer */
	DNS_PTR_HI_MASK = 0x3f,
	DNS_A_LEN = 4,
	DNS_AAAA_LEN = 16,
	/* RFC 2181 8: a TTL above this counts as 0. */
	DNS_TTL_MAX = 0x7fffffff,
	DNS_OPCODE_QUERY = 0,
};

/* A cursor over the whole message, standing at off. */
static bool dns_cur_at(struct rbi_cur *c, const struct rbi_dns_msg *m,
		       size_t off)
{
	rbi_cur_init(c, m->msg, m->len);
	return rbi_cur_skip(c, off);
}

struct dns_walk {
	const struct rbi_dns_msg *m;
	struct rbi_cur cur;
	size_t floor;		/* the next pointer must land below this */
	size_t end;		/* just past the name where it was found */
	unsigned int jumps;
	unsigned int wire;	/* octets so far, as if uncompressed */
};

static void dns_walk_init(struct dns_walk *w, const struct rbi_dns_msg *m,
			  size_t off)
{
	w->m = m;
	w->floor = off;
	w->end = 0;
	w->jumps = 0;
	w->wire = 0;
	dns_cur_at(&w->cur, m, off);
}

/* The name's own bytes end where the walk first leaves them. */
static void dns_walk_leave(struct dns_walk *w)
{
	if (!w->jumps)
		w->end = w->cur.off;
}

static bool dns_walk_jump(struct dns_walk *w, uint8_t hi)
{
	uint8_t lo;
	size_t to;

	if (!rbi_cur_u8(&w->cur, &lo))
		return false;
	to = (size_t)(hi & DNS_PTR_HI_MASK) << 8 | lo;
	if (to < RBI_DNS_HDR_LEN || to >= w->floor ||
	    w->jumps == RBI_DNS_JUMPS_MAX)
		return false;
	dns_walk_leave(w);
	w->jumps++;
	w->floor = to;
	return dns_cur_at(&w->cur, w->m, to);
}

/* The next label, pointers followed; STEP_END at the root label. */
static enum rbi_dns_step dns_walk_label(struct dns_walk *w,
					const uint8_t **label, uint8_t *n)
{
	uint8_t b;

	for (;;) {
		if (w->cur.short_read || !rbi_cur_u8(&w->cur, &b))
			return RBI_DNS_STEP_MALFORMED;
		if ((b & DNS_LABEL_PTR) != DNS_LABEL_PTR)
			break;
		if (!dns_walk_jump(w, b))
			return RBI_DNS_STEP_MALFORMED;
	}
	/* Lengths above 63 are the reserved label types 0x40 and 0x80. */
	if (b > RBI_DNS_LABEL_MAX)
		return RBI_DNS_STEP_MALFORMED;
	w->wire += b + 1;
	if (w->wire > RBI_DNS_WIRE_MAX)
		return RBI_DNS_STEP_MALFORMED;
	if (!b) {
		dns_walk_leave(w);
		return RBI_DNS_STEP_END;
	}
	*n = b;
	if (!rbi_cur_bytes(&w->cur, b, label))
		return RBI_DNS_STEP_MALFORMED;
	return RBI_DNS_STEP_ITEM;
}

struct dns_text {
	char *buf;		/* RBI_NAME_BUF bytes, or NULL: walk only */
	size_t len;
	bool full;
};

static void dns_text_put(struct dns_text *t, char c)
{
	if (t->len < RBI_NAME_MAX)
		t->buf[t->len++] = c;
	else
		t->full = true;
}

static void dns_text_label(struct dns_text *t, const uint8_t *label,
			   uint8_t n)
{
	uint8_t i, k, b;
	char esc[4];

	/* Labels are never empty, so text means a label came before. */
	if (t->len)
		dns_text_put(t, '.');
	for (i = 0; i < n; i++) {
		b = label[i];
		if (b != '.' && !rbi_byte_needs_escape(b)) {
			dns_text_put(t, rbi_tolower((char)b));
			continue;
		}
		rbi_byte_escape(b, esc);
		for (k = 0; k < sizeof(esc); k++)
			dns_text_put(t, esc[k]);
	}
}

/*
 * Walks the name at *off and steps *off past it; renders it into buf
 * (RBI_NAME_BUF bytes, "" on failure) unless buf is NULL.
 */
static bool dns_name_read(const struct rbi_dns_msg *m, size_t *off,
			  char *buf)
{
	struct dns_text t = { .buf = buf };
	const uint8_t *label = NULL;
	struct dns_walk w;
	enum rbi_dns_step s;
	uint8_t n = 0;
	bool ok;

	dns_walk_init(&w, m, *off);
	while ((s = dns_walk_label(&w, &label, &n)) == RBI_DNS_STEP_ITEM) {
		if (buf)
			dns_text_label(&t, label, n);
	}
	ok = s == RBI_DNS_STEP_END && !t.full;
	if (buf)
		buf[ok ? t.len : 0] = '\0';
	if (ok)
		*off = w.end;
	return ok;
}

static bool dns_label_equal(const uint8_t *a, const uint8_t *b, uint8_t n)
{
	uint8_t i;

	for (i = 0; i < n; i++) {
		if (rbi_tolower((char)a[i]) != rbi_tolower((char)b[i]))
			return false;
	}
	return true;
}

/* Whether two names of the message are the same, ignoring A-Z case. */
static bool dns_name_equal(const struct rbi_dns_msg *m, size_t a, size_t b)
{
	const uint8_t *la = NULL, *lb = NULL;
	struct dns_walk wa, wb;
	enum rbi_dns_step sa, sb;
	uint8_t na = 0, nb = 0;

	dns_walk_init(&wa, m, a);
	dns_walk_init(&wb, m, b);
	for (;;) {
		sa = dns_walk_label(&wa, &la, &na);
		sb = dns_walk_label(&wb, &lb, &nb);
		if (sa != sb || sa == RBI_DNS_STEP_MALFORMED)
			return false;
		if (sa == RBI_DNS_STEP_END)
			return true;
		/* Both walks reached the same bytes: the rest is shared. */
		if (la == lb)
			return true;
		if (na != nb || !dns_label_equal(la, lb, na))
			return false;
	}
}

/* A resource record, located but not decoded. */
struct dns_rec {
	size_t name_off;
	size_t rdata_off;
	uint32_t ttl;
	uint16_t type;
	uint16_t rclass;
	uint16_t rdlen;
};

static bool dns_rdata_valid(const struct rbi_dns_msg *m,
			    const struct dns_rec *r)
{
	size_t end = r->rdata_off;

	if (r->rclass != RBI_DNS_CLASS_IN)
		return true;
	switch (r->type) {
	case RBI_DNS_TYPE_A:
		return r->rdlen == DNS_A_LEN;
	case RBI_DNS_TYPE_AAAA:
		return r->rdlen == DNS_AAAA_LEN;
	case RBI_DNS_TYPE_CNAME:
		return dns_name_read(m, &end, NULL) &&
		       end == r->rdata_off + r->rdlen;
	default:
		return true;
	}
}

/* Reads the record at *off and steps *off past it. */
static bool dns_rec_read(const struct rbi_dns_msg *m, size_t *off,
			 struct dns_rec *r)
{
	struct rbi_cur c;
	size_t pos = *off;

	r->name_off = pos;
	if (!dns_name_read(m, &pos, NULL) || !dns_cur_at(&c, m, pos) ||
	    !rbi_cur_u16(&c, &r->type) || !rbi_cur_u16(&c, &r->rclass) ||
	    !rbi_cur_u32(&c, &r->ttl) || !rbi_cur_u16(&c, &r->rdlen))
		return false;
	r->rdata_off = c.off;
	if (!rbi_cur_skip(&c, r->rdlen) || !dns_rdata_valid(m, r))
		return false;
	if (r->ttl > DNS_TTL_MAX)
		r->ttl = 0;
	*off = c.off;
	return true;
}

/* 4 or 6 for a class IN A or AAAA record (RDATA checked), else 0. */
static uint8_t dns_rec_family(const struct dns_rec *r)
{
	if (r->rclass != RBI_DNS_CLASS_IN)
		return 0;
	if (r->type == RBI_DNS_TYPE_A)
		return 4;
	return r->type == RBI_DNS_TYPE_AAAA ? 6 : 0;
}

static bool dns_rec_is_cname(const struct dns_rec *r)
{
	return r->rclass == RBI_DNS_CLASS_IN && r->type == RBI_DNS_TYPE_CNAME;
}

static bool dns_question_read(const struct rbi_dns_msg *m, size_t *off,
			      char *name, uint16_t *qtype, uint16_t *qclass)
{
	struct rbi_cur c;
	size_t pos = *off;

	if (!dns_name_read(m, &pos, name) || !dns_cur_at(&c, m, pos) ||
	    !rbi_cur_u16(&c, qtype) || !rbi_cur_u16(&c, qclass))
		return false;
	*off = c.off;
	return true;
}

enum rbi_parse_result rbi_dns_parse(const uint8_t *msg, size_t len,
				    struct rbi_dns_msg *m)
{
	uint16_t qtype, qclass;
	struct rbi_cur c;
	unsigned int i;
	size_t off;

	rbi_memset(m, 0, sizeof(*m));
	rbi_cur_init(&c, msg, len);
	if (len > RBI_DNS_MSG_MAX ||
	    !rbi_cur_u16(&c, &m->id) || !rbi_cur_u16(&c, &m->flags) ||
	    !rbi_cur_u16(&c, &m->qdcount) || !rbi_cur_u16(&c, &m->ancount) ||
	    !rbi_cur_u16(&c, &m->nscount) || !rbi_cur_u16(&c, &m->arcount))
		return RBI_PARSE_MALFORMED;
	m->msg = msg;
	m->len = len;
	off = c.off;
	for (i = 0; i < m->qdcount; i++) {
		if (!dns_question_read(m, &off, NULL, &qtype, &qclass))
			return RBI_PARSE_MALFORMED;
	}
	m->an_off = off;
	return RBI_PARSE_OK;
}

enum rbi_parse_result rbi_dns_question(const struct rbi_dns_msg *m,
				       char name[RBI_NAME_BUF],
				       uint16_t *qtype, uint16_t *qclass)
{
	size_t off = RBI_DNS_HDR_LEN;

	name[0] = '\0';
	if (!m->qdcount || !dns_question_read(m, &off, name, qtype, qclass))
		return RBI_PARSE_MALFORMED;
	return RBI_PARSE_OK;
}

static bool dns_rr_fill(const struct rbi_dns_msg *m, const struct dns_rec *r,
			struct rbi_dns_rr *rr)
{
	size_t off = r->name_off;

	rr->type = r->type;
	rr->rclass = r->rclass;
	rr->ttl = r->ttl;
	rr->rdlen = r->rdlen;
	rr->rdata = m->msg + r->rdata_off;
	rr->target[0] = '\0';
	rbi_memset(rr->addr, 0, sizeof(rr->addr));
	if (!dns_name_read(m, &off, rr->name))
		return false;
	if (dns_rec_family(r))
		rbi_memcpy(rr->addr, rr->rdata, r->rdlen);
	off = r->rdata_off;
	return !dns_rec_is_cname(r) || dns_name_read(m, &off, rr->target);
}

void rbi_dns_answers_begin(const struct rbi_dns_msg *m,
			   struct rbi_dns_iter *it)
{
	it->m = m;
	it->off = m->an_off;
	it->left = m->ancount;
}

enum rbi_dns_step rbi_dns_answers_next(struct rbi_dns_iter *it,
				       struct rbi_dns_rr *rr)
{
	size_t off = it->off;
	struct dns_rec r;

	if (!it->left)
		return RBI_DNS_STEP_END;
	if (!dns_rec_read(it->m, &off, &r) || !dns_rr_fill(it->m, &r, rr))
		return RBI_DNS_STEP_MALFORMED;
	it->off = off;
	it->left--;
	return RBI_DNS_STEP_ITEM;
}

/* The state of rbi_dns_collect beside the caller's answer set. */
struct dns_collector {
	const struct rbi_dns_msg *m;
	struct rbi_dns_answer_set *out;
	unsigned int records;		/* answers readable before a fault */
	size_t off[RBI_DNS_CHAIN_MAX];	/* where each chain name is */
	uint32_t ttl[RBI_DNS_CHAIN_MAX];	/* least TTL on the way to it */
	size_t next_off;		/* CNAME target of the last pass, or 0 */
	uint32_t next_ttl;
};

static bool dns_collect_name(struct dns_collector *col, size_t off,
			     uint32_t ttl)
{
	struct rbi_dns_answer_set *out = col->out;
	size_t end = off;

	if (!dns_name_read(col->m, &end, out->names[out->name_count]))
		return false;
	col->off[out->name_count] = off;
	col->ttl[out->name_count] = ttl;
	out->name_count++;
	return true;
}

static void dns_collect_addr(struct dns_collector *col, unsigned int k,
			     const struct dns_rec *r, uint8_t family)
{
	struct rbi_dns_answer_set *out = col->out;
	const uint8_t *bytes = col->m->msg + r->rdata_off;
	uint32_t ttl = RBI_MIN(col->ttl[k], r->ttl);
	struct rbi_dns_addr *a;
	unsigned int i;

	for (i = 0; i < out->addr_count; i++) {
		a = &out->addrs[i];
		if (a->family == family &&
		    !rbi_memcmp(a->bytes, bytes, r->rdlen)) {
			a->ttl = RBI_MIN(a->ttl, ttl);
			return;
		}
	}
	if (out->addr_count == RBI_DNS_ADDRS_MAX) {
		out->flags |= RBI_DNS_SET_ADDRS_CUT;
		return;
	}
	a = &out->addrs[out->addr_count++];
	rbi_memset(a->bytes, 0, sizeof(a->bytes));
	rbi_memcpy(a->bytes, bytes, r->rdlen);
	a->ttl = ttl;
	a->family = family;
	a->name = (uint8_t)k;
}

/*
 * One pass over the answers for chain name k: takes its addresses and
 * notes its first CNAME. A pass per name, rather than one pass in order,
 * is what makes the answer order not matter. The first pass to meet a
 * broken record cuts the section short there for the passes after it:
 * the records before the fault still count, whole chains included, as a
 * resolver that accepts the cut answer would use them too.
 */
static void dns_collect_pass(struct dns_collector *col, unsigned int k)
{
	size_t off = col->m->an_off;
	struct dns_rec r;
	unsigned int i;
	uint8_t family;

	col->next_off = 0;
	for (i = 0; i < col->records; i++) {
		if (!dns_rec_read(col->m, &off, &r)) {
			col->records = i;
			return;
		}
		family = dns_rec_family(&r);
		if (!family && !dns_rec_is_cname(&r))
			continue;
		if (!dns_name_equal(col->m, r.name_off, col->off[k]))
			continue;
		if (family) {
			dns_collect_addr(col, k, &r, family);
		} else if (!col->next_off) {
			col->next_off = r.rdata_off;
			col->next_ttl = RBI_MIN(col->ttl[k], r.ttl);
		}
	}
}

/* Extends the chain with the CNAME target of the last pass. */
static bool dns_collect_next(struct dns_collector *col)
{
	struct rbi_dns_answer_set *out = col->out;
	unsigned int i;

	for (i = 0; i < out->name_count; i++) {
		if (dns_name_equal(col->m, col->off[i], col->next_off)) {
			out->flags |= RBI_DNS_SET_LOOP;
			return true;
		}
	}
	if (out->name_count == RBI_DNS_CHAIN_MAX) {
		out->flags |= RBI_DNS_SET_CHAIN_CUT;
		return true;
	}
	return dns_collect_name(col, col->next_off, col->next_ttl);
}

enum rbi_parse_result rbi_dns_collect(const struct rbi_dns_msg *m,
				      struct rbi_dns_answer_set *out)
{
	unsigned int k, read = RBI_MIN(m->ancount, RBI_DNS_ANSWERS_MAX);
	struct dns_collector col = { .m = m, .out = out, .records = read };

	out->name_count = 0;
	out->addr_count = 0;
	out->flags = 0;
	if (!rbi_dns_is_response(m) || rbi_dns_opcode(m) != DNS_OPCODE_QUERY ||
	    rbi_dns_rcode(m) || !m->qdcount)
		return RBI_PARSE_OK;
	if (read < m->ancount)
		out->flags |= RBI_DNS_SET_ANSWERS_CUT;
	if (!dns_collect_name(&col, RBI_DNS_HDR_LEN, DNS_TTL_MAX))
		return RBI_PARSE_MALFORMED;
	/* Each pass may append one name, which the loop then visits. */
	for (k = 0; k < out->name_count; k++) {
		dns_collect_pass(&col, k);
		if (col.next_off && !dns_collect_next(&col))
			return RBI_PARSE_MALFORMED;
	}
	return col.records == read ? RBI_PARSE_OK : RBI_PARSE_MALFORMED;
}

enum rbi_parse_result rbi_dns_tcp_next(const uint8_t *stream, size_t len,
				       size_t *off, const uint8_t **msg,
				       size_t *msg_len)
{
	struct rbi_cur c;
	uint16_t n;

	rbi_cur_init(&c, stream, len);
	if (!rbi_cur_skip(&c, *off))
		return RBI_PARSE_MALFORMED;
	if (!rbi_cur_u16(&c, &n))
		return RBI_PARSE_NEED_MORE;
	if (n < RBI_DNS_HDR_LEN)
		return RBI_PARSE_MALFORMED;
	if (!rbi_cur_bytes(&c, n, msg))
		return RBI_PARSE_NEED_MORE;
	*msg_len = n;
	*off = c.off;
	return RBI_PARSE_OK;
}
