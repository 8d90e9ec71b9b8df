/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the HTTP and RTSP vector groups share: building a case's input in a
 * buffer of exactly its size, checking the result, and feeding every
 * strict prefix, so that the two groups hold the same dissectors to the
 * same contract.
 *
 * A prefix must give NEED_MORE or the whole input's own result, and for a
 * valid head it must give NEED_MORE: the caller sees a stream grow packet by
 * packet, and a dissector that decided differently on a cut than on the
 * whole would misname flows at segment boundaries.
 */
#ifndef RBI_VEC_TEXT_H
#define RBI_VEC_TEXT_H

#include "../rbi_parse.h"

/* Turns a string literal into the head and head_len of an input. */
#define RBI_VEC_TEXT(s)	.head = (s), .head_len = sizeof(s) - 1

struct rbi_vec_text_in {
	const char *head;
	size_t head_len;
	size_t pad;		/* then this many 'a' */
	const char *tail;	/* then this, when not NULL */
	size_t body;		/* bytes after the head, at the end */
	enum rbi_parse_result want;
};

struct rbi_vec_text_ops {
	size_t req_size;
	enum rbi_parse_result (*parse)(const uint8_t *buf, size_t len,
				       void *req);
	size_t (*head_len)(const void *req);
	/* Compares the fields of case i, after the result was OK. */
	int (*fields)(size_t i, const void *req, char *why, size_t why_len);
};

int rbi_vec_text_check(const struct rbi_vec_text_ops *ops, size_t i,
		       const struct rbi_vec_text_in *in, char *why,
		       size_t why_len);

/* Each returns 0 when got is what was wanted, else -1 with a reason. */
int rbi_vec_text_num(const char *what, unsigned long got, unsigned long want,
		     char *why, size_t why_len);
int rbi_vec_text_str(const char *what, const char *got, const char *want,
		     char *why, size_t why_len);
/* want NULL means no host. */
int rbi_vec_text_host(const char *got, bool has, const char *want,
		      char *why, size_t why_len);
/* When cut, got holds max bytes that want starts with. */
int rbi_vec_text_cut(const char *what, const char *got, size_t got_len,
		     bool got_cut, const char *want, bool cut, size_t max,
		     char *why, size_t why_len);

#endif /* RBI_VEC_TEXT_H */
