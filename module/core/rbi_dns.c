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
	char *buf;		/* RBI_NAME_BUF bytes, or NULL: measure only */
	size_t len;
	bool full;
};

static void dns_text_put(struct dns_text *t, char c)
{
	if (t->len == RBI_NAME_MAX) {
		t->full = true;
		return;
	}
	if (t->buf)
		t->buf[t->len] = c;
	t->len++;
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
 * Walks the name at *off and steps *off past it. With text, it must also
 * fit RBI_NAME_MAX as text, and is rendered into buf (RBI_NAME_BUF bytes,
 * "" on failure) unless buf is NULL.
 */
static bool dns_name_walk(const struct rbi_dns_msg *m, size_t *off,
			  bool text, char *buf)
{
	struct dns_text t = { .buf = buf };
	const uint8_t *label = NULL;
	struct dns_walk w;
	enum rbi_dns_step s;
	uint8_t n = 0;
	bool ok;

	dns_walk_init(&w, m, *off);
	while ((s = dns_walk_label(&w, &label, &n)) == RBI_DNS_STEP_ITEM) {
		if (text)
			dns_text_label(&t, label, n);
	}
	ok = s == RBI_DNS_STEP_END && !t.full;
	if (buf)
		buf[ok ? t.len : 0] = '\0';
	if (ok)
		*off = w.end;
	return ok;
}

/* Walks (buf NULL) or renders the name at *off, stepping *off past it. */
static bool dns_name_read(const struct rbi_dns_msg *m, size_t *off,
			  char *buf)
{
	return dns_name_walk(m, off, buf, buf);
}

/* Whether the name at off fits RBI_NAME_MAX as text. */
static bool dns_name_fits(const struct rbi_dns_msg *m, size_t off)
{
	return dns_name_walk(m, &off, true, NULL);
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

/*
 * SVCB and HTTPS RDATA (RFC 9460 2.2): a priority, the target name, then
 * parameters as key, length, value up to RDLENGTH. *params is where they
 * start. An address hint holds whole addresses.
 */
static bool dns_svc_shape(const struct rbi_dns_msg *m, size_t rdata,
			  uint16_t rdlen, size_t *params)
{
	size_t end = rdata + rdlen, off = rdata + 2;
	uint16_t key, len;
	struct rbi_cur c;

	if (rdlen < 3 || !dns_name_read(m, &off, NULL) || off > end)
		return false;
	*params = off;
	dns_cur_at(&c, m, off);
	while (c.off < end) {
		/* A key and its length must fit RDLENGTH, not the message. */
		if (end - c.off < 4 || !rbi_cur_u16(&c, &key) ||
		    !rbi_cur_u16(&c, &len) || len > end - c.off)
			return false;
		if ((key == RBI_DNS_SVC_IPV4HINT && len % DNS_A_LEN) ||
		    (key == RBI_DNS_SVC_IPV6HINT && len % DNS_AAAA_LEN))
			return false;
		rbi_cur_skip(&c, len);
	}
	return true;
}

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
	case RBI_DNS_TYPE_SVCB:
	case RBI_DNS_TYPE_HTTPS:
		return dns_svc_shape(m, r->rdata_off, r->rdlen, &end);
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

/* ---- the answer set ---- */

static bool dns_rec_is_svc(const struct dns_rec *r)
{
	return r->rclass == RBI_DNS_CLASS_IN &&
	       (r->type == RBI_DNS_TYPE_SVCB || r->type == RBI_DNS_TYPE_HTTPS);
}

/* Of the owner name at off, A-Z folded: equal names hash alike. */
static uint32_t dns_name_hash(const struct rbi_dns_msg *m, size_t off)
{
	const uint8_t *label = NULL;
	uint32_t h = 2166136261u;
	struct dns_walk w;
	uint8_t n = 0, i;

	dns_walk_init(&w, m, off);
	while (dns_walk_label(&w, &label, &n) == RBI_DNS_STEP_ITEM) {
		h = (h ^ n) * 16777619u;
		for (i = 0; i < n; i++)
			h = (h ^ (uint8_t)rbi_tolower((char)label[i])) *
			    16777619u;
	}
	return h;
}

/*
 * A total order on the names of a message, by their labels with A-Z
 * folded: 0 exactly when they are the same name, however compressed.
 */
static int dns_name_cmp(const struct rbi_dns_msg *m, size_t a, size_t b)
{
	const uint8_t *la = NULL, *lb = NULL;
	struct dns_walk wa, wb;
	enum rbi_dns_step sa, sb;
	uint8_t na = 0, nb = 0, i;
	char ca, cb;

	dns_walk_init(&wa, m, a);
	dns_walk_init(&wb, m, b);
	for (;;) {
		sa = dns_walk_label(&wa, &la, &na);
		sb = dns_walk_label(&wb, &lb, &nb);
		if (sa != RBI_DNS_STEP_ITEM || sb != RBI_DNS_STEP_ITEM)
			return (int)(sa != RBI_DNS_STEP_ITEM) -
			       (int)(sb != RBI_DNS_STEP_ITEM);
		if (la == lb)
			return 0;
		if (na != nb)
			return na < nb ? -1 : 1;
		for (i = 0; i < na; i++) {
			ca = rbi_tolower((char)la[i]);
			cb = rbi_tolower((char)lb[i]);
			if (ca != cb)
				return (uint8_t)ca < (uint8_t)cb ? -1 : 1;
		}
	}
}

/* The order of refs: owner name (hash first), then position. */
static int dns_ref_cmp(const struct rbi_dns_msg *m,
		       const struct rbi_dns_ref *a, const struct rbi_dns_ref *b)
{
	int c;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	c = dns_name_cmp(m, a->owner, b->owner);
	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

static void dns_ref_swap(struct rbi_dns_ref *a, struct rbi_dns_ref *b)
{
	struct rbi_dns_ref t = *a;

	*a = *b;
	*b = t;
}

static void dns_sift(const struct rbi_dns_msg *m, struct rbi_dns_ref *v,
		     unsigned int root, unsigned int n)
{
	unsigned int child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && dns_ref_cmp(m, &v[child],
						 &v[child + 1]) < 0)
			child++;
		if (dns_ref_cmp(m, &v[root], &v[child]) >= 0)
			return;
		dns_ref_swap(&v[root], &v[child]);
		root = child;
	}
}

/* Heapsort: O(n log n) compares whatever the names, and no recursion. */
static void dns_refs_sort(const struct rbi_dns_msg *m, struct rbi_dns_ref *v,
			  unsigned int n)
{
	unsigned int i;

	for (i = n / 2; i-- > 0;)
		dns_sift(m, v, i, n);
	for (i = n; i-- > 1;) {
		dns_ref_swap(&v[0], &v[i]);
		dns_sift(m, v, 0, i);
	}
}

/* The first ref whose owner is the name at off, or ref_count. */
static unsigned int dns_refs_find(const struct rbi_dns_answer_set *set,
				  size_t off)
{
	struct rbi_dns_ref key = { .hash = dns_name_hash(set->m, off),
				   .owner = (uint16_t)off, .order = 0 };
	unsigned int lo = 0, hi = set->ref_count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (dns_ref_cmp(set->m, &set->refs[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < set->ref_count &&
	    (set->refs[lo].hash != key.hash ||
	     dns_name_cmp(set->m, set->refs[lo].owner, off)))
		return set->ref_count;
	return lo;
}

/*
 * Reads the answer section into refs, up to the first broken record;
 * false when there was one.
 */
static bool dns_refs_read(struct rbi_dns_answer_set *set)
{
	const struct rbi_dns_msg *m = set->m;
	size_t off = m->an_off;
	struct rbi_dns_ref *ref;
	struct dns_rec r;
	unsigned int i;

	for (i = 0; i < m->ancount; i++) {
		if (!dns_rec_read(m, &off, &r) ||
		    set->ref_count == RBI_DNS_RECORDS_MAX)
			return false;
		if (!dns_rec_family(&r) && !dns_rec_is_cname(&r) &&
		    !dns_rec_is_svc(&r))
			continue;
		ref = &set->refs[set->ref_count];
		ref->hash = dns_name_hash(m, r.name_off);
		ref->ttl = r.ttl;
		ref->owner = (uint16_t)r.name_off;
		ref->rdata = (uint16_t)r.rdata_off;
		ref->rdlen = r.rdlen;
		ref->type = r.type;
		ref->order = (uint16_t)set->ref_count;
		ref->link = RBI_DNS_NO_LINK;
		set->ref_count++;
	}
	return true;
}

/*
 * Puts the name at off on the chain, its records linked to it; false
 * when it is on the chain already (a loop).
 */
static bool dns_chain_add(struct rbi_dns_answer_set *set, size_t off,
			  uint32_t ttl)
{
	unsigned int i = dns_refs_find(set, off), k = set->name_count;
	struct rbi_dns_ref *ref;
	uint32_t hash;

	if (i < set->ref_count && set->refs[i].link != RBI_DNS_NO_LINK)
		return false;
	hash = i < set->ref_count ? set->refs[i].hash : 0;
	for (; i < set->ref_count; i++) {
		ref = &set->refs[i];
		if (ref->hash != hash || dns_name_cmp(set->m, ref->owner, off))
			break;
		ref->link = (uint16_t)k;
	}
	set->chain[k].off = (uint16_t)off;
	set->chain[k].ttl = ttl;
	set->name_count++;
	return true;
}

/* The first CNAME of chain name k, or NULL. */
static const struct rbi_dns_ref *
dns_chain_cname(const struct rbi_dns_answer_set *set, unsigned int k)
{
	unsigned int i = dns_refs_find(set, set->chain[k].off);

	for (; i < set->ref_count && set->refs[i].link == k; i++) {
		if (set->refs[i].type == RBI_DNS_TYPE_CNAME)
			return &set->refs[i];
	}
	return NULL;
}

enum rbi_parse_result rbi_dns_collect(const struct rbi_dns_msg *m,
				      struct rbi_dns_answer_set *out)
{
	const struct rbi_dns_ref *cn;
	unsigned int k, i;
	bool whole;

	out->m = m;
	out->ref_count = 0;
	out->name_count = 0;
	out->flags = 0;
	if (!rbi_dns_is_response(m) || !m->qdcount)
		return RBI_PARSE_OK;
	whole = dns_refs_read(out);
	dns_refs_sort(m, out->refs, out->ref_count);
	for (i = 0; i < out->ref_count; i++)
		out->by_order[out->refs[i].order] = (uint16_t)i;
	if (!dns_name_fits(m, RBI_DNS_HDR_LEN))
		return RBI_PARSE_MALFORMED;
	dns_chain_add(out, RBI_DNS_HDR_LEN, DNS_TTL_MAX);
	/* Each step puts the target of a CNAME on the chain, or ends it. */
	for (k = 0; (cn = dns_chain_cname(out, k)); k++) {
		if (!dns_name_fits(m, cn->rdata))
			return RBI_PARSE_MALFORMED;
		if (!dns_chain_add(out, cn->rdata,
				   RBI_MIN(out->chain[k].ttl, cn->ttl))) {
			out->flags |= RBI_DNS_SET_LOOP;
			break;
		}
	}
	return whole ? RBI_PARSE_OK : RBI_PARSE_MALFORMED;
}

void rbi_dns_chain_name(const struct rbi_dns_answer_set *set, unsigned int k,
			char *buf)
{
	size_t off;

	buf[0] = '\0';
	if (k < set->name_count) {
		off = set->chain[k].off;
		dns_name_read(set->m, &off, buf);
	}
}

/*
 * The next address hint of the SVCB or HTTPS record at ref (its shape
 * checked by dns_svc_shape): *at is where it is in the message, 0 for the
 * first.
 */
static bool dns_hint_next(const struct rbi_dns_msg *m,
			  const struct rbi_dns_ref *ref, size_t *at,
			  struct rbi_dns_addr *a)
{
	size_t end = (size_t)ref->rdata + ref->rdlen, params;
	uint16_t key, len;
	struct rbi_cur c;

	if (!dns_svc_shape(m, ref->rdata, ref->rdlen, &params))
		return false;
	dns_cur_at(&c, m, params);
	while (c.off < end && rbi_cur_u16(&c, &key) && rbi_cur_u16(&c, &len)) {
		if (key == RBI_DNS_SVC_IPV4HINT || key == RBI_DNS_SVC_IPV6HINT) {
			a->family = key == RBI_DNS_SVC_IPV4HINT ? 4 : 6;
			if (*at < c.off)
				*at = c.off;
			if (*at < c.off + len) {
				rbi_memcpy(a->bytes, m->msg + *at,
					   a->family == 4 ? DNS_A_LEN :
					   DNS_AAAA_LEN);
				*at += a->family == 4 ? DNS_A_LEN :
				       DNS_AAAA_LEN;
				return true;
			}
		}
		rbi_cur_skip(&c, len);
	}
	return false;
}

/*
 * *pos counts records in message order in its low 16 bits and, for a
 * record with hints, where the next hint is above them.
 */
bool rbi_dns_addr_next(const struct rbi_dns_answer_set *set,
		       unsigned int *pos, struct rbi_dns_addr *a)
{
	const struct rbi_dns_ref *ref;
	unsigned int i = *pos & 0xffff;
	size_t at = *pos >> 16;

	for (; i < set->ref_count; i++, at = 0) {
		ref = &set->refs[set->by_order[i]];
		if (ref->link == RBI_DNS_NO_LINK)
			continue;
		rbi_memset(a->bytes, 0, sizeof(a->bytes));
		a->name = ref->link;
		a->ttl = RBI_MIN(set->chain[ref->link].ttl, ref->ttl);
		if (ref->type == RBI_DNS_TYPE_A ||
		    ref->type == RBI_DNS_TYPE_AAAA) {
			a->family = ref->type == RBI_DNS_TYPE_A ? 4 : 6;
			rbi_memcpy(a->bytes, set->m->msg + ref->rdata,
				   ref->rdlen);
			*pos = i + 1;
			return true;
		}
		if (ref->type != RBI_DNS_TYPE_CNAME &&
		    dns_hint_next(set->m, ref, &at, a)) {
			*pos = i | (unsigned int)at << 16;
			return true;
		}
	}
	*pos = i;
	return false;
}

/* Whether chain name k owns an address record. */
static bool dns_chain_has_addr(const struct rbi_dns_answer_set *set,
			       unsigned int k)
{
	unsigned int i = dns_refs_find(set, set->chain[k].off);

	for (; i < set->ref_count && set->refs[i].link == k; i++) {
		if (set->refs[i].type != RBI_DNS_TYPE_CNAME)
			return true;
	}
	return false;
}

bool rbi_dns_target_next(const struct rbi_dns_answer_set *set,
			 unsigned int *pos, unsigned int *k, char *buf)
{
	const struct rbi_dns_ref *ref;
	size_t off;

	if (!*pos) {
		*pos = 1;
		*k = set->name_count - 1;
		if (set->name_count > 1 && !(set->flags & RBI_DNS_SET_LOOP) &&
		    !dns_chain_has_addr(set, *k)) {
			rbi_dns_chain_name(set, *k, buf);
			if (buf[0])
				return true;
		}
	}
	for (; *pos <= set->ref_count; (*pos)++) {
		ref = &set->refs[set->by_order[*pos - 1]];
		if (ref->link == RBI_DNS_NO_LINK ||
		    (ref->type != RBI_DNS_TYPE_SVCB &&
		     ref->type != RBI_DNS_TYPE_HTTPS))
			continue;
		off = (size_t)ref->rdata + 2;
		/* "." is the owner itself: its hints say all there is. */
		if (!set->m->msg[off] || !dns_name_read(set->m, &off, buf))
			continue;
		*k = ref->link;
		(*pos)++;
		return true;
	}
	return false;
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
