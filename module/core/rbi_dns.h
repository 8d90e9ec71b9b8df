/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * DNS messages (RFC 1035) as the classifier meets them: the name a camera
 * asks for, and the addresses a resolver answers with. The kernel module,
 * the daemon and the capture scanner all learn service addresses through
 * this one dissector, so that they can never disagree about a message.
 *
 * A message always arrives whole: one UDP payload, or one frame cut out of
 * a TCP stream by rbi_dns_tcp_next(). Running past its end is therefore
 * MALFORMED, never NEED_MORE; only the TCP framing asks for more bytes.
 * Nothing here allocates, and every walk is bounded.
 *
 * Names on the wire:
 *  - a label is at most 63 octets (the two top bits of a length octet
 *    select a pointer or a reserved label type, which is MALFORMED);
 *  - a name is at most 255 octets, counted uncompressed, root included;
 *  - a compression pointer must land strictly before the start of the run
 *    of labels it ends, and after the header. Every jump thus goes further
 *    back than the one before it, which rules out loops, pointers to
 *    themselves and forward pointers; a name makes at most
 *    RBI_DNS_JUMPS_MAX jumps. Whether a pointer lands on a label start
 *    is not checked (that would mean remembering every label seen): one
 *    that lands inside a label yields another name, still bounded.
 *
 * Names as this API hands them out (presentation form), into a buffer of
 * RBI_NAME_BUF bytes, always NUL-terminated:
 *  - labels joined by '.', no trailing dot; the root name is "";
 *  - only A-Z are lowered, so that names from senders that randomise case
 *    compare equal with memcmp and match the catalogue;
 *  - '.', '\\', 0x7f and bytes below 0x21 (space, controls, NUL) become
 *    RFC 1035 escapes \DDD (three decimal digits), so that "a.b" as one
 *    label can never pass for two labels, nor a NUL cut a name short;
 *  - bytes from 0x80 up are copied as they are, keeping UTF-8 labels
 *    readable (they are not checked to be valid UTF-8);
 *  - a name whose text would exceed RBI_NAME_MAX is MALFORMED, even though
 *    it fits in 255 octets on the wire (escapes take four characters).
 */
#ifndef RBI_DNS_H
#define RBI_DNS_H

#include "rbi_parse.h"

enum {
	RBI_DNS_HDR_LEN = 12,
	RBI_DNS_MSG_MAX = 65535,
	RBI_DNS_LABEL_MAX = 63,
	RBI_DNS_WIRE_MAX = 255,
	/* One per label a 255-octet name can have. */
	RBI_DNS_JUMPS_MAX = 127,
	/*
	 * The bounds of rbi_dns_answer_set come from the message size, not
	 * from what resolvers usually send: a question takes at least 5
	 * bytes and a record at least RBI_DNS_RR_MIN (a root owner, type,
	 * class, TTL and RDLENGTH), so no message holds more records than
	 * RBI_DNS_RECORDS_MAX, nor a chain more names than its records
	 * plus the question. Nothing an answer says is left out for want
	 * of room.
	 */
	RBI_DNS_QUESTION_MIN = 5,
	RBI_DNS_RR_MIN = 11,
	RBI_DNS_RECORDS_MAX = (RBI_DNS_MSG_MAX - RBI_DNS_HDR_LEN -
			       RBI_DNS_QUESTION_MIN) / RBI_DNS_RR_MIN,
	RBI_DNS_CHAIN_MAX = RBI_DNS_RECORDS_MAX + 1,
};

/* The record types and the class that DNS learning reads. */
enum rbi_dns_type {
	RBI_DNS_TYPE_A = 1,
	RBI_DNS_TYPE_CNAME = 5,
	RBI_DNS_TYPE_AAAA = 28,
	RBI_DNS_TYPE_SVCB = 64,
	RBI_DNS_TYPE_HTTPS = 65,
};

/* SvcParamKeys (RFC 9460) whose values are addresses of the target. */
enum rbi_dns_svc_key {
	RBI_DNS_SVC_IPV4HINT = 4,
	RBI_DNS_SVC_IPV6HINT = 6,
};

enum {
	RBI_DNS_CLASS_IN = 1,
};

/* Header flag bits, and the fields packed beside them. */
enum rbi_dns_flag {
	RBI_DNS_FLAG_QR = 0x8000,
	RBI_DNS_OPCODE_SHIFT = 11,
	RBI_DNS_OPCODE_MASK = 0xf,
	RBI_DNS_RCODE_MASK = 0xf,
};

struct rbi_dns_msg {
	const uint8_t *msg;
	size_t len;
	size_t an_off;		/* where the answer section starts */
	uint16_t id;
	uint16_t flags;
	uint16_t qdcount;
	uint16_t ancount;
	uint16_t nscount;
	uint16_t arcount;
};

static inline bool rbi_dns_is_response(const struct rbi_dns_msg *m)
{
	return m->flags & RBI_DNS_FLAG_QR;
}

static inline unsigned int rbi_dns_opcode(const struct rbi_dns_msg *m)
{
	return (m->flags >> RBI_DNS_OPCODE_SHIFT) & RBI_DNS_OPCODE_MASK;
}

static inline unsigned int rbi_dns_rcode(const struct rbi_dns_msg *m)
{
	return m->flags & RBI_DNS_RCODE_MASK;
}

/*
 * Reads the header and walks the question section of the whole message in
 * msg[0..len). MALFORMED when the header is short or a question is broken
 * or missing. *m points into msg, and is valid only after OK. The answer,
 * authority and additional sections are read later, on demand.
 */
enum rbi_parse_result rbi_dns_parse(const uint8_t *msg, size_t len,
				    struct rbi_dns_msg *m);

/*
 * The first question. MALFORMED when there is none (nothing to name) or
 * when its name does not fit RBI_NAME_MAX as text.
 */
enum rbi_parse_result rbi_dns_question(const struct rbi_dns_msg *m,
				       char name[RBI_NAME_BUF],
				       uint16_t *qtype, uint16_t *qclass);

/* One resource record, decoded. */
struct rbi_dns_rr {
	char name[RBI_NAME_BUF];
	/* Class IN CNAME: the canonical name; "" for other records. */
	char target[RBI_NAME_BUF];
	/* Class IN A (first 4 bytes) or AAAA; zero for other records. */
	uint8_t addr[16];
	const uint8_t *rdata;	/* rdlen bytes inside the message */
	/* Seconds; a TTL with the top bit set counts as 0 (RFC 2181 8). */
	uint32_t ttl;
	uint16_t type;
	uint16_t rclass;
	uint16_t rdlen;
};

/* One step of a walk. */
enum rbi_dns_step {
	RBI_DNS_STEP_ITEM,	/* the next item was read */
	RBI_DNS_STEP_END,	/* every item the header announced was read */
	RBI_DNS_STEP_MALFORMED,	/* the bytes lie; every later call says so too */
	__RBI_DNS_STEP_MAX
};

struct rbi_dns_iter {
	const struct rbi_dns_msg *m;
	size_t off;
	unsigned int left;
};

/*
 * Walks the answer section record by record. A class IN A, AAAA or CNAME
 * whose RDATA does not have its type's exact shape (4 bytes, 16 bytes,
 * one name filling RDLENGTH) is MALFORMED; other records are not looked
 * into. An answer count larger than the records present ends MALFORMED
 * after the last whole record.
 */
void rbi_dns_answers_begin(const struct rbi_dns_msg *m,
			   struct rbi_dns_iter *it);
enum rbi_dns_step rbi_dns_answers_next(struct rbi_dns_iter *it,
				       struct rbi_dns_rr *rr);

/* Bits of rbi_dns_answer_set.flags. */
enum rbi_dns_set_flag {
	RBI_DNS_SET_LOOP = 1 << 0,	/* a CNAME led back into the chain */
};

/* Where a record learning reads is, and which chain name owns it. */
struct rbi_dns_ref {
	uint32_t hash;		/* of the owner name, A-Z folded */
	uint32_t ttl;
	uint16_t owner;		/* offset of the owner name */
	uint16_t rdata;		/* offset of the RDATA */
	uint16_t rdlen;
	uint16_t type;
	uint16_t order;		/* position among these records */
	uint16_t link;		/* the owner's chain index, or RBI_DNS_NO_LINK */
};

#define RBI_DNS_NO_LINK	0xffffu

/* A name on the chain: where it is written and how it was reached. */
struct rbi_dns_link {
	uint32_t ttl;		/* the least TTL from the question to it */
	uint16_t off;
};

/*
 * What one answer says about the question name: the CNAME chain from it,
 * to its end, and where every class IN A, AAAA, CNAME, SVCB and HTTPS
 * record of the answer section is. It points into the message, which
 * must outlive it; names are rendered and addresses read from it on
 * demand. Large (about 180 KiB): the caller provides it, kernel callers
 * from per-CPU scratch, never the stack. Entries past the counts are
 * stale.
 */
struct rbi_dns_answer_set {
	const struct rbi_dns_msg *m;
	/* By owner name, then order: the records of a name are together. */
	struct rbi_dns_ref refs[RBI_DNS_RECORDS_MAX];
	uint16_t by_order[RBI_DNS_RECORDS_MAX];	/* refs in message order */
	struct rbi_dns_link chain[RBI_DNS_CHAIN_MAX];	/* [0]: question */
	unsigned int ref_count;
	unsigned int name_count;
	unsigned int flags;	/* enum rbi_dns_set_flag */
};

/*
 * Fills *out from the answer section of a response (QR set, with a
 * question), whatever its opcode and RCODE: a client that takes the
 * addresses of an NXDOMAIN carrying answers connects to them all the same.
 * For a query the set is empty and the result OK, since it teaches
 * nothing.
 *
 * Follows class IN CNAMEs from the first question's name, whatever their
 * order in the section (the first CNAME of a name wins), to the end of the
 * chain; every name on it owns its A and AAAA records and the address
 * hints of its SVCB and HTTPS records; records off the chain are ignored.
 * The work is O(n log n) in the records, whatever their names.
 *
 * MALFORMED when a record is broken or a chain name does not fit
 * RBI_NAME_MAX as text; *out then holds what the records before the fault
 * said, which a caller that only ever blocks may still use.
 */
enum rbi_parse_result rbi_dns_collect(const struct rbi_dns_msg *m,
				      struct rbi_dns_answer_set *out);

/* Name k of the chain as text, into buf (RBI_NAME_BUF bytes). */
void rbi_dns_chain_name(const struct rbi_dns_answer_set *set, unsigned int k,
			char *buf);

/* An address a chain name has, with the least TTL on the way to it. */
struct rbi_dns_addr {
	uint8_t bytes[16];	/* IPv4 in the first 4, the rest zero */
	uint32_t ttl;
	uint8_t family;		/* 4 or 6 */
	uint16_t name;		/* index in the chain of the name that owns it */
};

/*
 * Walks the addresses of the chain's names in the order of the section
 * (an SVCB or HTTPS record's hints where it stands), duplicates included:
 * start with *pos = 0 and call until false.
 */
bool rbi_dns_addr_next(const struct rbi_dns_answer_set *set,
		       unsigned int *pos, struct rbi_dns_addr *a);

/*
 * Names the answer sends the client to without their addresses: the end
 * of a chain that owns none, then the targets of the chain's SVCB and
 * HTTPS records, in order. The client asks for them next, so their
 * addresses belong to the chain's service too. Start with *pos = 0 and
 * call until false; *k is the chain index of the name that led there,
 * buf (RBI_NAME_BUF bytes) the name as text.
 */
bool rbi_dns_target_next(const struct rbi_dns_answer_set *set,
			 unsigned int *pos, unsigned int *k, char *buf);

/*
 * DNS over TCP (RFC 1035 4.2.2; RFC 7766): each message behind a 2-byte
 * length. Cuts the frame at stream[*off] out of stream[0..len): on OK,
 * *msg and *msg_len hold the message and *off is stepped past it. On
 * NEED_MORE the frame is not all there yet and *off is left alone, so the
 * caller can call again once more of the stream has arrived. A frame too
 * short to hold a DNS header (a zero length among them) is MALFORMED.
 */
enum rbi_parse_result rbi_dns_tcp_next(const uint8_t *stream, size_t len,
				       size_t *off, const uint8_t **msg,
				       size_t *msg_len);

#endif /* RBI_DNS_H */
