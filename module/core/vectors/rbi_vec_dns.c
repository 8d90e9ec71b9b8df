// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DNS dissector vectors. Each case is the bytes of one message (or of one
 * TCP stream) and what the dissector must make of them, written as text
 * so that a failure shows the whole difference at once:
 *
 *   question  "NAME CLASS TYPE", or the result name when it fails
 *   walk      the answers, "NAME CLASS TYPE TTL DATA; " each, ending in
 *             "end" or "malformed"; for a stream, its frames as
 *             "LEN:QUESTION; " each, ending in the result that stopped it
 *   set       "names=N,... addrs=ADDR/TTL@NAMEINDEX,... flags=F,..." with
 *             the addresses in the order of the section, duplicates kept,
 *             then "targets=NAME@INDEX,..." when there are any
 *
 * The root name is shown as ".", which a rendered name can never be.
 * Every strict prefix of every case is run too (see dns_check_prefix).
 */
#include "../rbi_dns.h"
#include "rbi_vectors.h"

/* Pieces of messages, to keep the cases readable. */
#define HDR_QUERY "\xbe\xef" "\x01\x00" \
	"\x00\x01" "\x00\x00" "\x00\x00" "\x00\x00"
#define HDR_RESP(an) "\xbe\xef" "\x81\x80" "\x00\x01" an "\x00\x00" "\x00\x00"
#define T_A "\x00\x01"
#define T_CNAME "\x00\x05"
#define T_TXT "\x00\x10"
#define T_AAAA "\x00\x1c"
#define T_HTTPS "\x00\x41"
#define C_IN "\x00\x01"
#define C_CH "\x00\x03"
#define TTL60 "\x00\x00\x00\x3c"
#define PTR_Q "\xc0\x0c"
#define Q_A_IN T_A C_IN
#define Q_AAAA_IN T_AAAA C_IN
/* An A record owned by the question name. */
#define RR_QA(ttl, addr) PTR_Q T_A C_IN ttl "\x00\x04" addr
#define IP_7 "\xc6\x33\x64\x07"
#define IP_8 "\xc6\x33\x64\x08"
#define IP6_7 "\x20\x01\x0d\xb8" "\x00\x00\x00\x00" \
	"\x00\x00\x00\x00" "\x00\x00\x00\x07"

#define REK "rekognition.eu-west-1.amazonaws.com"
#define N_REK "\x0b" "rekognition" "\x09" "eu-west-1" \
	"\x09" "amazonaws" "\x03" "com" "\x00"
#define MSG_QUERY_A HDR_QUERY N_REK Q_A_IN
#define MSG_RESP_A HDR_RESP("\x00\x01") N_REK Q_A_IN RR_QA(TTL60, IP_7)
#define RR_REK_7 REK " IN A 60 198.51.100.7; "

/* Single-label names c0..c9, uncompressed, for the long chain. */
#define RR_CN(a, b) "\x02" a "\x00" T_CNAME C_IN TTL60 "\x00\x04" \
	"\x02" b "\x00"
#define RR_AN(a, addr) "\x02" a "\x00" T_A C_IN TTL60 "\x00\x04" addr
#define TXT_CN(a, b) a " IN CNAME 60 " b "; "

#define A63 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define B63 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define C63 "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define D57 "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
#define D61 D57 "dddd"
#define DOT63 "..............................................................."

#define RR_N(x) RR_QA(TTL60, "\xc6\x33\x64" x)
/* Eight A records of another name, written out in full. */
#define RR_OFF "\x05" "other" "\x00" T_A C_IN TTL60 "\x00\x04" IP_8
#define RR_OFF_X8 RR_OFF RR_OFF RR_OFF RR_OFF RR_OFF RR_OFF RR_OFF RR_OFF
#define RR_OFF_X64 RR_OFF_X8 RR_OFF_X8 RR_OFF_X8 RR_OFF_X8 RR_OFF_X8 \
	RR_OFF_X8 RR_OFF_X8 RR_OFF_X8

struct dns_vec {
	const char *name;
	const uint8_t *bytes;
	size_t len;
	bool tcp;			/* a stream: walk lists its frames */
	enum rbi_parse_result parse;
	const char *question;		/* NULL: not checked */
	const char *walk;		/* NULL: not checked */
	enum rbi_parse_result collect;
	const char *set;		/* NULL: not checked */
};

#define VEC(n, b, ...) { .name = n, .bytes = (const uint8_t *)(b), \
			 .len = sizeof(b) - 1, __VA_ARGS__ }
#define OK RBI_PARSE_OK
#define BAD RBI_PARSE_MALFORMED
#define EMPTY_SET "names= addrs= flags="

static const struct dns_vec dns_vecs[] = {
	/* Queries: the name the camera asks for. */
	VEC("query_a", MSG_QUERY_A, .parse = OK, .question = REK " IN A",
	    .walk = "end", .collect = OK, .set = EMPTY_SET),
	VEC("query_upper_case_folded", HDR_QUERY
	    "\x0b" "ReKognition" "\x09" "EU-West-1" "\x09" "AmazonAWS"
	    "\x03" "COM" "\x00" Q_A_IN,
	    .parse = OK, .question = REK " IN A", .walk = "end",
	    .collect = OK, .set = EMPTY_SET),
	VEC("query_case_fold_only_a_to_z", HDR_QUERY
	    "\x08" "@AZ[`az{" "\x00" Q_A_IN,
	    .parse = OK, .question = "@az[`az{ IN A"),
	VEC("query_root_name", HDR_QUERY "\x00" "\x00\x02" C_IN,
	    .parse = OK, .question = ". IN TYPE2", .walk = "end"),
	VEC("query_utf8_and_high_bytes", HDR_QUERY
	    "\x05" "caf\xc3\xa9" "\x01" "\xff" "\x07" "example" "\x00" Q_A_IN,
	    .parse = OK, .question = "caf\xc3\xa9.\xff.example IN A"),
	VEC("query_escapes_dot_space_nul_del_backslash", HDR_QUERY
	    "\x03" "a.b" "\x03" "c d" "\x06" "\\" "\x00" "\x7f" "\x1f" "~!"
	    "\x01" "x" "\x00" Q_A_IN,
	    .parse = OK,
	    .question = "a\\046b.c\\032d.\\092\\000\\127\\031~!.x IN A"),
	VEC("query_name_255_octets", HDR_QUERY
	    "\x3f" A63 "\x3f" B63 "\x3f" C63 "\x3d" D61 "\x00" Q_A_IN,
	    .parse = OK,
	    .question = A63 "." B63 "." C63 "." D61 " IN A"),
	VEC("query_name_256_octets", HDR_QUERY
	    "\x3f" A63 "\x3f" B63 "\x3f" C63 "\x3e" D61 "d" "\x00" Q_A_IN,
	    .parse = BAD),
	VEC("query_text_253_with_escape", HDR_QUERY
	    "\x3f" A63 "\x3f" B63 "\x3f" C63 "\x3a" D57 "." "\x00" Q_A_IN,
	    .parse = OK,
	    .question = A63 "." B63 "." C63 "." D57 "\\046 IN A"),
	VEC("query_text_254", HDR_QUERY
	    "\x3f" A63 "\x3f" B63 "\x3f" C63 "\x3b" D57 "d." "\x00" Q_A_IN,
	    .parse = OK, .question = "malformed"),
	VEC("query_label_64", HDR_QUERY
	    "\x40" A63 "a" "\x00" Q_A_IN, .parse = BAD),
	VEC("query_label_type_0x80", HDR_QUERY "\x80" "\x00" Q_A_IN,
	    .parse = BAD),
	VEC("query_edns_opt_additional", "\xbe\xef" "\x01\x00" "\x00\x01"
	    "\x00\x00" "\x00\x00" "\x00\x01" N_REK Q_A_IN
	    "\x00" "\x00\x29" "\x04\xd0" "\x00\x00\x00\x00" "\x00\x00",
	    .parse = OK, .question = REK " IN A", .walk = "end",
	    .collect = OK, .set = EMPTY_SET),

	/* Broken headers and questions. */
	VEC("empty", "", .parse = BAD),
	VEC("header_11_bytes", "\xbe\xef" "\x01\x00" "\x00\x01" "\x00\x00"
	    "\x00\x00" "\x00", .parse = BAD),
	VEC("qdcount_above_questions", "\xbe\xef" "\x01\x00" "\x00\x02"
	    "\x00\x00" "\x00\x00" "\x00\x00" N_REK Q_A_IN, .parse = BAD),
	VEC("question_cut_in_qclass", HDR_QUERY N_REK T_A "\x00",
	    .parse = BAD),
	VEC("ptr_into_itself", HDR_QUERY PTR_Q Q_A_IN, .parse = BAD),
	/* Read from its second byte, the label would end the name at once. */
	VEC("ptr_into_own_label", HDR_QUERY "\x02" "\x00\x00" "\xc0\x0d"
	    Q_A_IN, .parse = BAD),
	VEC("ptr_forward", HDR_QUERY "\x03" "www" "\xc0\x14" Q_A_IN,
	    .parse = BAD),
	VEC("ptr_into_header", HDR_QUERY "\x03" "www" "\xc0\x02" Q_A_IN,
	    .parse = BAD),
	VEC("name_text_over_253", HDR_RESP("\x00\x00")
	    "\x3f" DOT63 "\x3f" DOT63 "\x00" Q_A_IN,
	    .parse = OK, .question = "malformed", .walk = "end",
	    .collect = BAD, .set = EMPTY_SET),

	/* Responses: the addresses to learn. */
	VEC("resp_a", MSG_RESP_A, .parse = OK, .question = REK " IN A",
	    .walk = RR_REK_7 "end", .collect = OK,
	    .set = "names=" REK " addrs=198.51.100.7/60@0 flags="),
	VEC("resp_aaaa", HDR_RESP("\x00\x01") N_REK Q_AAAA_IN
	    PTR_Q T_AAAA C_IN "\x00\x00\x01\x2c" "\x00\x10" IP6_7,
	    .parse = OK, .question = REK " IN AAAA",
	    .walk = REK " IN AAAA 300 2001:db8:0:0:0:0:0:7; end",
	    .collect = OK,
	    .set = "names=" REK " addrs=2001:db8:0:0:0:0:0:7/300@0 flags="),
	VEC("resp_a_aaaa_duplicates_kept", HDR_RESP("\x00\x04") N_REK Q_A_IN
	    RR_QA(TTL60, IP_7) RR_QA(TTL60, IP_8)
	    PTR_Q T_AAAA C_IN TTL60 "\x00\x10" IP6_7
	    RR_QA("\x00\x00\x00\x14", IP_7),
	    .parse = OK,
	    .walk = RR_REK_7 REK " IN A 60 198.51.100.8; "
		    REK " IN AAAA 60 2001:db8:0:0:0:0:0:7; "
		    REK " IN A 20 198.51.100.7; end",
	    .collect = OK,
	    .set = "names=" REK " addrs=198.51.100.7/60@0,198.51.100.8/60@0,"
		   "2001:db8:0:0:0:0:0:7/60@0,198.51.100.7/20@0 flags="),
	VEC("resp_edns_opt_additional", "\xbe\xef" "\x81\x80" "\x00\x01"
	    "\x00\x01" "\x00\x00" "\x00\x01" N_REK Q_A_IN RR_QA(TTL60, IP_7)
	    "\x00" "\x00\x29" "\x04\xd0" "\x00\x00\x00\x00" "\x00\x00",
	    .parse = OK, .walk = RR_REK_7 "end", .collect = OK,
	    .set = "names=" REK " addrs=198.51.100.7/60@0 flags="),
	VEC("resp_ttl_top_bit_is_zero", HDR_RESP("\x00\x01") N_REK Q_A_IN
	    RR_QA("\x80\x00\x00\x01", IP_7),
	    .parse = OK, .walk = REK " IN A 0 198.51.100.7; end",
	    .collect = OK,
	    .set = "names=" REK " addrs=198.51.100.7/0@0 flags="),
	/* A client that takes the addresses connects to them all the same. */
	VEC("resp_nxdomain_with_answer_teaches", "\xbe\xef" "\x81\x83"
	    "\x00\x01" "\x00\x01" "\x00\x00" "\x00\x00" N_REK Q_A_IN
	    RR_QA(TTL60, IP_7),
	    .parse = OK, .walk = RR_REK_7 "end", .collect = OK,
	    .set = "names=" REK " addrs=198.51.100.7/60@0 flags="),
	VEC("resp_update_opcode_teaches", "\xbe\xef" "\xa8\x00"
	    "\x00\x01" "\x00\x01" "\x00\x00" "\x00\x00" N_REK Q_A_IN
	    RR_QA(TTL60, IP_7),
	    .parse = OK, .collect = OK,
	    .set = "names=" REK " addrs=198.51.100.7/60@0 flags="),
	VEC("resp_no_question", "\xbe\xef" "\x81\x80" "\x00\x00" "\x00\x01"
	    "\x00\x00" "\x00\x00" "\x00" T_A C_IN TTL60 "\x00\x04" IP_7,
	    .parse = OK, .question = "malformed",
	    .walk = ". IN A 60 198.51.100.7; end", .collect = OK,
	    .set = EMPTY_SET),
	/* No count bounds a set: only the message's size does. */
	VEC("resp_33_addresses", HDR_RESP("\x00\x21") N_REK Q_A_IN
	    RR_N("\x01") RR_N("\x02") RR_N("\x03") RR_N("\x04") RR_N("\x05")
	    RR_N("\x06") RR_N("\x07") RR_N("\x08") RR_N("\x09") RR_N("\x0a")
	    RR_N("\x0b") RR_N("\x0c") RR_N("\x0d") RR_N("\x0e") RR_N("\x0f")
	    RR_N("\x10") RR_N("\x11") RR_N("\x12") RR_N("\x13") RR_N("\x14")
	    RR_N("\x15") RR_N("\x16") RR_N("\x17") RR_N("\x18") RR_N("\x19")
	    RR_N("\x1a") RR_N("\x1b") RR_N("\x1c") RR_N("\x1d") RR_N("\x1e")
	    RR_N("\x1f") RR_N("\x20") RR_N("\x21"),
	    .parse = OK, .collect = OK,
	    .set = "names=" REK " addrs="
		   "198.51.100.1/60@0,198.51.100.2/60@0,198.51.100.3/60@0,"
		   "198.51.100.4/60@0,198.51.100.5/60@0,198.51.100.6/60@0,"
		   "198.51.100.7/60@0,198.51.100.8/60@0,198.51.100.9/60@0,"
		   "198.51.100.10/60@0,198.51.100.11/60@0,198.51.100.12/60@0,"
		   "198.51.100.13/60@0,198.51.100.14/60@0,198.51.100.15/60@0,"
		   "198.51.100.16/60@0,198.51.100.17/60@0,198.51.100.18/60@0,"
		   "198.51.100.19/60@0,198.51.100.20/60@0,198.51.100.21/60@0,"
		   "198.51.100.22/60@0,198.51.100.23/60@0,198.51.100.24/60@0,"
		   "198.51.100.25/60@0,198.51.100.26/60@0,198.51.100.27/60@0,"
		   "198.51.100.28/60@0,198.51.100.29/60@0,198.51.100.30/60@0,"
		   "198.51.100.31/60@0,198.51.100.32/60@0,198.51.100.33/60@0 "
		   "flags="),
	VEC("resp_address_after_64_off_chain", HDR_RESP("\x00\x41") N_REK
	    Q_A_IN RR_OFF_X64 RR_QA(TTL60, IP_7),
	    .parse = OK, .collect = OK,
	    .set = "names=" REK " addrs=198.51.100.7/60@0 flags="),
	/* HTTPS (RFC 9460): hints are the owner's addresses. */
	VEC("https_hints", HDR_RESP("\x00\x01") N_REK "\x00\x41" C_IN
	    PTR_Q T_HTTPS C_IN TTL60 "\x00\x2a" "\x00\x01" "\x00"
	    "\x00\x01" "\x00\x03" "\x02" "h2"
	    "\x00\x04" "\x00\x08" IP_7 IP_8
	    "\x00\x06" "\x00\x10" IP6_7,
	    .parse = OK, .walk = REK " IN TYPE65 60 len=42; end",
	    .collect = OK,
	    .set = "names=" REK " addrs=198.51.100.7/60@0,198.51.100.8/60@0,"
		   "2001:db8:0:0:0:0:0:7/60@0 flags="),
	/* Its target is where the client goes next. */
	VEC("https_target_is_a_target", HDR_RESP("\x00\x01") N_REK
	    "\x00\x41" C_IN
	    PTR_Q T_HTTPS C_IN TTL60 "\x00\x17" "\x00\x01"
	    "\x03" "svc" "\x07" "example" "\x00"
	    "\x00\x04" "\x00\x04" IP_8,
	    .parse = OK, .collect = OK,
	    .set = "names=" REK " addrs=198.51.100.8/60@0 flags= "
		   "targets=svc.example@0"),
	VEC("https_hint_length_not_whole", HDR_RESP("\x00\x01") N_REK
	    "\x00\x41" C_IN
	    PTR_Q T_HTTPS C_IN TTL60 "\x00\x0a" "\x00\x01" "\x00"
	    "\x00\x04" "\x00\x03" "\xc6\x33\x64",
	    .parse = OK, .walk = "malformed", .collect = BAD,
	    .set = "names=" REK " addrs= flags="),
	/* The key and length of a parameter cut by RDLENGTH, not the message. */
	VEC("https_param_head_past_rdata", HDR_RESP("\x00\x02") N_REK
	    "\x00\x41" C_IN
	    PTR_Q T_HTTPS C_IN TTL60 "\x00\x04" "\x00\x01" "\x00" "\x00"
	    RR_QA(TTL60, IP_7),
	    .parse = OK, .collect = BAD, .set = "names=" REK " addrs= flags="),
	VEC("https_param_past_rdata", HDR_RESP("\x00\x01") N_REK
	    "\x00\x41" C_IN
	    PTR_Q T_HTTPS C_IN TTL60 "\x00\x07" "\x00\x01" "\x00"
	    "\x00\x04" "\x00\x04",
	    .parse = OK, .collect = BAD, .set = "names=" REK " addrs= flags="),

	/* CNAME chains: the TTL of an address is the least on its way. */
	VEC("cname_in_order", "\xbe\xef" "\x81\x80" "\x00\x01" "\x00\x02"
	    "\x00\x00" "\x00\x00"
	    "\x05" "faces" "\x07" "example" "\x03" "com" "\x00" Q_A_IN
	    /* 35 */ PTR_Q T_CNAME C_IN "\x00\x00\x00\x1e" "\x00\x11"
	    /* 47 */ "\x03" "svc" "\x07" "example" "\x03" "net" "\x00"
	    /* 64 */ "\xc0\x2f" T_A C_IN TTL60 "\x00\x04" "\xc6\x33\x64\x09",
	    .parse = OK, .question = "faces.example.com IN A",
	    .walk = "faces.example.com IN CNAME 30 svc.example.net; "
		    "svc.example.net IN A 60 198.51.100.9; end",
	    .collect = OK,
	    .set = "names=faces.example.com,svc.example.net "
		   "addrs=198.51.100.9/30@1 flags="),
	VEC("cname_reversed", "\xbe\xef" "\x81\x80" "\x00\x01" "\x00\x03"
	    "\x00\x00" "\x00\x00"
	    /* 12 */ "\x01" "a" "\x07" "example" "\x00" Q_A_IN
	    /* 27 */ "\x01" "c" "\xc0\x0e" T_A C_IN "\x00\x00\x00\x64"
	    "\x00\x04" "\xc6\x33\x64\x0a"
	    /* 45 */ "\x01" "b" "\xc0\x0e" T_CNAME C_IN "\x00\x00\x00\x32"
	    "\x00\x02" "\xc0\x1b"
	    /* 61 */ PTR_Q T_CNAME C_IN "\x00\x00\x00\xc8" "\x00\x02" "\xc0\x2d",
	    .parse = OK,
	    .walk = "c.example IN A 100 198.51.100.10; "
		    "b.example IN CNAME 50 c.example; "
		    "a.example IN CNAME 200 b.example; end",
	    .collect = OK,
	    .set = "names=a.example,b.example,c.example "
		   "addrs=198.51.100.10/50@2 flags="),
	VEC("cname_case_insensitive", "\xbe\xef" "\x81\x80" "\x00\x01"
	    "\x00\x02" "\x00\x00" "\x00\x00"
	    /* 12 */ "\x05" "Faces" "\x07" "Example" "\x03" "COM" "\x00" Q_A_IN
	    /* 35 */ "\x05" "faces" "\x07" "example" "\x03" "com" "\x00"
	    T_CNAME C_IN TTL60 "\x00\x11"
	    /* 64 */ "\x03" "SVC" "\x07" "example" "\x03" "net" "\x00"
	    /* 81 */ "\x03" "svc" "\x07" "EXAMPLE" "\xc0\x4c" T_A C_IN TTL60
	    "\x00\x04" "\xc6\x33\x64\x0e",
	    .parse = OK, .question = "faces.example.com IN A",
	    .walk = TXT_CN("faces.example.com", "svc.example.net")
		    "svc.example.net IN A 60 198.51.100.14; end",
	    .collect = OK,
	    .set = "names=faces.example.com,svc.example.net "
		   "addrs=198.51.100.14/60@1 flags="),
	VEC("cname_compressed_suffix", "\xbe\xef" "\x81\x80" "\x00\x01"
	    "\x00\x02" "\x00\x00" "\x00\x00"
	    /* 12 */ "\x03" "www" "\x07" "example" "\x03" "com" "\x00" Q_A_IN
	    /* 33 */ PTR_Q T_CNAME C_IN "\x00\x00\x00\x78" "\x00\x06"
	    /* 45 */ "\x03" "cdn" "\xc0\x10"
	    /* 51 */ "\xc0\x2d" T_AAAA C_IN "\x00\x00\x00\x78" "\x00\x10"
	    "\x20\x01\x0d\xb8" "\x00\x00\x00\x00" "\x00\x00\x00\x00"
	    "\x00\x00\x00\x10",
	    .parse = OK,
	    .walk = "www.example.com IN CNAME 120 cdn.example.com; "
		    "cdn.example.com IN AAAA 120 2001:db8:0:0:0:0:0:10; end",
	    .collect = OK,
	    .set = "names=www.example.com,cdn.example.com "
		   "addrs=2001:db8:0:0:0:0:0:10/120@1 flags="),
	VEC("cname_loop_of_two", "\xbe\xef" "\x81\x80" "\x00\x01" "\x00\x03"
	    "\x00\x00" "\x00\x00"
	    /* 12 */ "\x01" "a" "\x07" "example" "\x00" Q_A_IN
	    /* 27 */ PTR_Q T_CNAME C_IN TTL60 "\x00\x04" "\x01" "b" "\xc0\x0e"
	    /* 43 */ "\xc0\x27" T_CNAME C_IN TTL60 "\x00\x02" PTR_Q
	    /* 57 */ "\xc0\x27" T_A C_IN TTL60 "\x00\x04" "\xc6\x33\x64\x0b",
	    .parse = OK,
	    .walk = TXT_CN("a.example", "b.example")
		    TXT_CN("b.example", "a.example")
		    "b.example IN A 60 198.51.100.11; end",
	    .collect = OK,
	    .set = "names=a.example,b.example addrs=198.51.100.11/60@1 "
		   "flags=loop"),
	VEC("cname_to_itself", "\xbe\xef" "\x81\x80" "\x00\x01" "\x00\x01"
	    "\x00\x00" "\x00\x00"
	    "\x01" "a" "\x07" "example" "\x00" Q_A_IN
	    PTR_Q T_CNAME C_IN TTL60 "\x00\x02" PTR_Q,
	    .parse = OK, .walk = TXT_CN("a.example", "a.example") "end",
	    .collect = OK, .set = "names=a.example addrs= flags=loop"),
	VEC("cname_chain_of_nine", "\xbe\xef" "\x81\x80" "\x00\x01"
	    "\x00\x0b" "\x00\x00" "\x00\x00" "\x02" "c0" "\x00" Q_A_IN
	    RR_CN("c0", "c1") RR_CN("c1", "c2") RR_CN("c2", "c3")
	    RR_CN("c3", "c4") RR_CN("c4", "c5") RR_CN("c5", "c6")
	    RR_CN("c6", "c7") RR_CN("c7", "c8") RR_CN("c8", "c9")
	    RR_AN("c7", "\xc6\x33\x64\x0c") RR_AN("c9", "\xc6\x33\x64\x0d"),
	    .parse = OK,
	    .walk = TXT_CN("c0", "c1") TXT_CN("c1", "c2") TXT_CN("c2", "c3")
		    TXT_CN("c3", "c4") TXT_CN("c4", "c5") TXT_CN("c5", "c6")
		    TXT_CN("c6", "c7") TXT_CN("c7", "c8") TXT_CN("c8", "c9")
		    "c7 IN A 60 198.51.100.12; c9 IN A 60 198.51.100.13; end",
	    .collect = OK,
	    .set = "names=c0,c1,c2,c3,c4,c5,c6,c7,c8,c9 "
		   "addrs=198.51.100.12/60@7,198.51.100.13/60@9 flags="),
	/* A chain with no address at its end: the client asks for it next. */
	VEC("cname_only_end_is_a_target", "\xbe\xef" "\x81\x80" "\x00\x01"
	    "\x00\x01" "\x00\x00" "\x00\x00" "\x02" "c0" "\x00" Q_A_IN
	    RR_CN("c0", "c1"),
	    .parse = OK, .collect = OK,
	    .set = "names=c0,c1 addrs= flags= targets=c1@1"),
	VEC("records_off_chain_ignored", "\xbe\xef" "\x81\x80" "\x00\x01"
	    "\x00\x05" "\x00\x00" "\x00\x00"
	    /* 12 */ "\x05" "faces" "\x07" "example" "\x03" "com" "\x00" Q_A_IN
	    /* 35 */ "\x05" "other" "\xc0\x12" T_A C_IN TTL60 "\x00\x04"
	    "\xc6\x33\x64\x63"
	    /* 57 */ PTR_Q T_CNAME C_CH TTL60 "\x00\x02" "\xc0\x23"
	    /* 71 */ PTR_Q T_A C_CH TTL60 "\x00\x07" "\x03" "foo" "\x00"
	    "\x01\x02"
	    /* 90 */ PTR_Q T_TXT C_IN TTL60 "\x00\x03" "\x02" "hi"
	    /* 105 */ RR_QA(TTL60, "\xc6\x33\x64\x0d"),
	    .parse = OK,
	    .walk = "other.example.com IN A 60 198.51.100.99; "
		    "faces.example.com CLASS3 CNAME 60 len=2; "
		    "faces.example.com CLASS3 A 60 len=7; "
		    "faces.example.com IN TYPE16 60 len=3; "
		    "faces.example.com IN A 60 198.51.100.13; end",
	    .collect = OK,
	    .set = "names=faces.example.com addrs=198.51.100.13/60@0 flags="),
	VEC("owner_label_count_differs", "\xbe\xef" "\x81\x80" "\x00\x01"
	    "\x00\x03" "\x00\x00" "\x00\x00"
	    /* 12 */ "\x01" "a" "\x07" "example" "\x00" Q_A_IN
	    /* 27 */ "\x01" "a" "\x07" "example" "\x04" "evil" "\x00"
	    T_A C_IN TTL60 "\x00\x04" IP_8
	    /* 57 */ "\x01" "a" "\x00" T_A C_IN TTL60 "\x00\x04" IP_8
	    /* 74 */ PTR_Q T_A C_IN TTL60 "\x00\x04" IP_7,
	    .parse = OK,
	    .walk = "a.example.evil IN A 60 198.51.100.8; "
		    "a IN A 60 198.51.100.8; "
		    "a.example IN A 60 198.51.100.7; end",
	    .collect = OK,
	    .set = "names=a.example addrs=198.51.100.7/60@0 flags="),
	/* Only the names on the chain need to fit as text. */
	VEC("owner_text_over_253_off_chain", HDR_RESP("\x00\x02") N_REK Q_A_IN
	    "\x3f" DOT63 "\x3f" DOT63 "\x00" T_A C_IN TTL60 "\x00\x04" IP_8
	    RR_QA(TTL60, IP_7),
	    .parse = OK, .walk = "malformed", .collect = OK,
	    .set = "names=" REK " addrs=198.51.100.7/60@0 flags="),
	VEC("cname_target_text_over_253", HDR_RESP("\x00\x01") N_REK Q_A_IN
	    PTR_Q T_CNAME C_IN TTL60 "\x00\x81" "\x3f" DOT63 "\x3f" DOT63
	    "\x00",
	    .parse = OK, .walk = "malformed", .collect = BAD,
	    .set = "names=" REK " addrs= flags="),

	/* Broken records: what came before the fault is still reported. */
	VEC("ancount_above_records", HDR_RESP("\x00\x03") N_REK Q_A_IN
	    RR_QA(TTL60, IP_7) RR_QA(TTL60, IP_8),
	    .parse = OK,
	    .walk = RR_REK_7 REK " IN A 60 198.51.100.8; malformed",
	    .collect = BAD,
	    .set = "names=" REK " addrs=198.51.100.7/60@0,198.51.100.8/60@0 "
		   "flags="),
	VEC("rr_cut_after_class", HDR_RESP("\x00\x01") N_REK Q_A_IN
	    PTR_Q T_A C_IN,
	    .parse = OK, .walk = "malformed", .collect = BAD,
	    .set = "names=" REK " addrs= flags="),
	VEC("a_rdlength_3", HDR_RESP("\x00\x01") N_REK Q_A_IN
	    PTR_Q T_A C_IN TTL60 "\x00\x03" "\xc6\x33\x64",
	    .parse = OK, .walk = "malformed", .collect = BAD),
	VEC("aaaa_rdlength_15", HDR_RESP("\x00\x01") N_REK Q_AAAA_IN
	    PTR_Q T_AAAA C_IN TTL60 "\x00\x0f" "\x20\x01\x0d\xb8"
	    "\x00\x00\x00\x00" "\x00\x00\x00\x00" "\x00\x00\x00",
	    .parse = OK, .walk = "malformed", .collect = BAD),
	VEC("rdlength_past_end", HDR_RESP("\x00\x01") N_REK Q_A_IN
	    PTR_Q T_TXT C_IN TTL60 "\x00\xc8" "\x02" "hi",
	    .parse = OK, .walk = "malformed", .collect = BAD),
	VEC("cname_rdata_longer_than_name", HDR_RESP("\x00\x01") N_REK Q_A_IN
	    PTR_Q T_CNAME C_IN TTL60 "\x00\x04" PTR_Q "\x00\x00",
	    .parse = OK, .walk = "malformed", .collect = BAD),
	VEC("cname_name_longer_than_rdata", HDR_RESP("\x00\x01") N_REK Q_A_IN
	    PTR_Q T_CNAME C_IN TTL60 "\x00\x01" "\x01" "b" "\x00",
	    .parse = OK, .walk = "malformed", .collect = BAD),
	VEC("ptr_past_end", HDR_RESP("\x00\x01") N_REK Q_A_IN
	    "\xff\xff" T_A C_IN TTL60 "\x00\x04" IP_7,
	    .parse = OK, .question = REK " IN A", .walk = "malformed",
	    .collect = BAD, .set = "names=" REK " addrs= flags="),
	VEC("ptr_loop_two_pointers", "\xbe\xef" "\x81\x80" "\x00\x01"
	    "\x00\x02" "\x00\x00" "\x00\x00" "\x01" "a" "\x00" Q_A_IN
	    /* 19 */ PTR_Q T_TXT C_IN TTL60 "\x00\x02" "\xc0\x21"
	    /* 33 */ "\xc0\x1f" T_A C_IN TTL60 "\x00\x04" IP_7,
	    .parse = OK, .walk = "a IN TYPE16 60 len=2; malformed",
	    .collect = BAD, .set = "names=a addrs= flags="),
	VEC("ptr_loop_back_over_label", "\xbe\xef" "\x81\x80" "\x00\x01"
	    "\x00\x02" "\x00\x00" "\x00\x00" "\x01" "a" "\x00" Q_A_IN
	    /* 19 */ PTR_Q T_TXT C_IN TTL60 "\x00\x04" "\x01" "a" "\xc0\x1f"
	    /* 35 */ "\xc0\x21" T_A C_IN TTL60 "\x00\x04" IP_7,
	    .parse = OK, .walk = "a IN TYPE16 60 len=4; malformed",
	    .collect = BAD, .set = "names=a addrs= flags="),
	VEC("cname_partial_chain_kept", "\xbe\xef" "\x81\x80" "\x00\x01"
	    "\x00\x03" "\x00\x00" "\x00\x00"
	    /* 12 */ "\x01" "a" "\x07" "example" "\x00" Q_A_IN
	    /* 27 */ PTR_Q T_CNAME C_IN TTL60 "\x00\x04" "\x01" "b" "\xc0\x0e"
	    /* 43 */ "\xc0\x27" T_A C_IN TTL60 "\x00\x04" IP_7
	    /* 59 */ "\xc0\x27" T_A C_IN TTL60 "\x00\x05" IP_8 "\x00",
	    .parse = OK,
	    .walk = TXT_CN("a.example", "b.example")
		    "b.example IN A 60 198.51.100.7; malformed",
	    .collect = BAD,
	    .set = "names=a.example,b.example addrs=198.51.100.7/60@1 flags="),

	/* DNS over TCP: frames behind a 2-byte length. */
	VEC("tcp_two_messages", "\x00\x35" MSG_QUERY_A "\x00\x45" MSG_RESP_A,
	    .tcp = true, .walk = "53:" REK "; 69:" REK "; need-more"),
	VEC("tcp_cut_in_length", "\x00\x35" MSG_QUERY_A "\x00",
	    .tcp = true, .walk = "53:" REK "; need-more"),
	VEC("tcp_cut_in_body", "\x00\x35" MSG_QUERY_A "\x00\x45"
	    HDR_RESP("\x00\x01") "\x0b" "rekogn",
	    .tcp = true, .walk = "53:" REK "; need-more"),
	VEC("tcp_empty_stream", "", .tcp = true, .walk = "need-more"),
	VEC("tcp_zero_length", "\x00\x00", .tcp = true, .walk = "malformed"),
	VEC("tcp_zero_length_after_message", "\x00\x35" MSG_QUERY_A
	    "\x00\x00" "\x00\x35" MSG_QUERY_A,
	    .tcp = true, .walk = "53:" REK "; malformed"),
	VEC("tcp_frame_below_header", "\x00\x05" "\xbe\xef\x01\x00\x00",
	    .tcp = true, .walk = "malformed"),
	VEC("tcp_frame_holding_bad_message", "\x00\x12" HDR_QUERY PTR_Q Q_A_IN
	    "\x00\x35" MSG_QUERY_A,
	    .tcp = true, .walk = "18:malformed; 53:" REK "; need-more"),
};

enum {
	DNS_VEC_TEXT = 4096,
	DNS_VEC_QUESTION = RBI_NAME_BUF + 32,
};

/* What the dissector made of one buffer, as text. */
struct dns_run {
	enum rbi_parse_result parse;
	enum rbi_parse_result collect;
	char question[DNS_VEC_QUESTION];
	char walk[DNS_VEC_TEXT];
	char set_text[DNS_VEC_TEXT];
	/* The set's parts apart, for comparing a prefix's with the whole's. */
	char names[DNS_VEC_TEXT];
	char addrs[DNS_VEC_TEXT];
	bool over;			/* some text did not fit */
};

/* Too big for any stack: allocated once per case. */
struct dns_scratch {
	struct rbi_dns_msg m;
	struct rbi_dns_rr rr;
	struct rbi_dns_answer_set set;
	struct dns_run full;
	struct dns_run part;
};

struct dns_text {
	char *buf;
	size_t size;
	size_t len;
	bool *over;
};

static void dns_text_init(struct dns_text *t, char *buf, size_t size,
			  bool *over)
{
	t->buf = buf;
	t->size = size;
	t->len = 0;
	t->over = over;
	buf[0] = '\0';
}

static void dns_text_advance(struct dns_text *t, int n)
{
	if (n < 0 || (size_t)n >= t->size - t->len) {
		*t->over = true;
		t->len = t->size - 1;
		return;
	}
	t->len += n;
}

#define dns_text_add(t, ...) \
	dns_text_advance(t, rbi_snprintf((t)->buf + (t)->len, \
					 (t)->size - (t)->len, __VA_ARGS__))

static bool dns_streq(const char *a, const char *b)
{
	size_t n = rbi_strlen(a);

	return n == rbi_strlen(b) && !rbi_memcmp(a, b, n);
}

static void dns_text_name(struct dns_text *t, const char *name)
{
	dns_text_add(t, "%s", name[0] ? name : ".");
}

static void dns_text_type(struct dns_text *t, uint16_t rclass, uint16_t type)
{
	if (rclass == RBI_DNS_CLASS_IN)
		dns_text_add(t, " IN");
	else
		dns_text_add(t, " CLASS%u", rclass);
	if (type == RBI_DNS_TYPE_A)
		dns_text_add(t, " A");
	else if (type == RBI_DNS_TYPE_AAAA)
		dns_text_add(t, " AAAA");
	else if (type == RBI_DNS_TYPE_CNAME)
		dns_text_add(t, " CNAME");
	else
		dns_text_add(t, " TYPE%u", type);
}

static void dns_text_addr(struct dns_text *t, unsigned int family,
			  const uint8_t *b)
{
	unsigned int i;

	if (family == 4) {
		dns_text_add(t, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
		return;
	}
	for (i = 0; i < 16; i += 2)
		dns_text_add(t, "%s%x", i ? ":" : "", rbi_get_be16(b + i));
}

static void dns_text_rr(struct dns_text *t, const struct rbi_dns_rr *rr)
{
	bool in = rr->rclass == RBI_DNS_CLASS_IN;

	dns_text_name(t, rr->name);
	dns_text_type(t, rr->rclass, rr->type);
	dns_text_add(t, " %u ", rr->ttl);
	if (in && rr->type == RBI_DNS_TYPE_A)
		dns_text_addr(t, 4, rr->addr);
	else if (in && rr->type == RBI_DNS_TYPE_AAAA)
		dns_text_addr(t, 6, rr->addr);
	else if (in && rr->type == RBI_DNS_TYPE_CNAME)
		dns_text_name(t, rr->target);
	else
		dns_text_add(t, "len=%u", rr->rdlen);
	dns_text_add(t, "; ");
}

static void dns_run_question(struct dns_scratch *s, struct dns_run *run)
{
	struct dns_text t;
	uint16_t qtype, qclass;
	enum rbi_parse_result r;

	dns_text_init(&t, run->question, sizeof(run->question), &run->over);
	r = rbi_dns_question(&s->m, s->rr.name, &qtype, &qclass);
	if (r != RBI_PARSE_OK) {
		dns_text_add(&t, "%s", rbi_parse_result_name(r));
		return;
	}
	dns_text_name(&t, s->rr.name);
	dns_text_type(&t, qclass, qtype);
}

static void dns_run_answers(struct dns_scratch *s, struct dns_run *run)
{
	struct rbi_dns_iter it;
	enum rbi_dns_step step;
	struct dns_text t;

	dns_text_init(&t, run->walk, sizeof(run->walk), &run->over);
	rbi_dns_answers_begin(&s->m, &it);
	while ((step = rbi_dns_answers_next(&it, &s->rr)) == RBI_DNS_STEP_ITEM)
		dns_text_rr(&t, &s->rr);
	dns_text_add(&t, "%s", step == RBI_DNS_STEP_END ? "end" : "malformed");
}

static void dns_run_set(struct dns_scratch *s, struct dns_run *run)
{
	const struct rbi_dns_answer_set *set = &s->set;
	struct dns_text t;
	struct rbi_dns_addr a;
	unsigned int i, pos = 0, k;

	dns_text_init(&t, run->names, sizeof(run->names), &run->over);
	for (i = 0; i < set->name_count; i++) {
		rbi_dns_chain_name(set, i, s->rr.name);
		dns_text_add(&t, "%s", i ? "," : "");
		dns_text_name(&t, s->rr.name);
	}
	dns_text_init(&t, run->addrs, sizeof(run->addrs), &run->over);
	for (i = 0; rbi_dns_addr_next(set, &pos, &a); i++) {
		dns_text_add(&t, "%s", i ? "," : "");
		dns_text_addr(&t, a.family, a.bytes);
		dns_text_add(&t, "/%u@%u", a.ttl, a.name);
	}
	dns_text_init(&t, run->set_text, sizeof(run->set_text), &run->over);
	dns_text_add(&t, "names=%s addrs=%s flags=%s", run->names, run->addrs,
		     set->flags & RBI_DNS_SET_LOOP ? "loop" : "");
	pos = 0;
	for (i = 0; rbi_dns_target_next(set, &pos, &k, s->rr.name); i++)
		dns_text_add(&t, "%s%s@%u", i ? "," : " targets=",
			     s->rr.name, k);
}

/* The walk of a stream: each frame's length and question. */
static void dns_run_frames(struct dns_scratch *s, const uint8_t *buf,
			   size_t len, struct dns_run *run)
{
	enum rbi_parse_result r;
	const uint8_t *msg;
	struct dns_text t;
	size_t off = 0, n, k;

	dns_text_init(&t, run->walk, sizeof(run->walk), &run->over);
	while ((r = rbi_dns_tcp_next(buf, len, &off, &msg, &n)) ==
	       RBI_PARSE_OK) {
		dns_text_add(&t, "%zu:", n);
		if (rbi_dns_parse(msg, n, &s->m) == RBI_PARSE_OK) {
			dns_run_question(s, run);
			/* Only the name: its class and type follow a space. */
			k = 0;
			while (run->question[k] && run->question[k] != ' ')
				k++;
			dns_text_add(&t, "%.*s", (int)k, run->question);
		} else {
			dns_text_add(&t, "malformed");
		}
		dns_text_add(&t, "; ");
	}
	dns_text_add(&t, "%s", rbi_parse_result_name(r));
}

/* Runs every API over an exact-size copy of bytes[0..len). */
static bool dns_run(const struct dns_vec *v, const uint8_t *bytes, size_t len,
		    struct dns_scratch *s, struct dns_run *run)
{
	uint8_t *buf = rbi_vec_dup(bytes, len);

	if (!buf)
		return false;
	run->over = false;
	run->question[0] = '\0';
	run->walk[0] = '\0';
	run->set_text[0] = '\0';
	run->names[0] = '\0';
	run->addrs[0] = '\0';
	run->collect = RBI_PARSE_MALFORMED;
	if (v->tcp) {
		run->parse = RBI_PARSE_OK;
		dns_run_frames(s, buf, len, run);
	} else {
		run->parse = rbi_dns_parse(buf, len, &s->m);
		if (run->parse == RBI_PARSE_OK) {
			dns_run_question(s, run);
			dns_run_answers(s, run);
			run->collect = rbi_dns_collect(&s->m, &s->set);
			dns_run_set(s, run);
		}
	}
	rbi_free(buf);
	return true;
}

static int dns_fail_text(char *why, size_t why_len, const char *what,
			 const char *got, const char *want)
{
	rbi_snprintf(why, why_len, "%s: got \"%s\" want \"%s\"", what, got,
		     want);
	return -1;
}

static int dns_check_whole(const struct dns_vec *v, const struct dns_run *run,
			   char *why, size_t why_len)
{
	if (run->over) {
		rbi_snprintf(why, why_len, "rendering overflowed");
		return -1;
	}
	if (run->parse != v->parse) {
		rbi_snprintf(why, why_len, "parse: got %s want %s",
			     rbi_parse_result_name(run->parse),
			     rbi_parse_result_name(v->parse));
		return -1;
	}
	if (v->tcp || v->parse != RBI_PARSE_OK) {
		if (v->walk && !dns_streq(run->walk, v->walk))
			return dns_fail_text(why, why_len, "walk", run->walk,
					     v->walk);
		return 0;
	}
	if (v->question && !dns_streq(run->question, v->question))
		return dns_fail_text(why, why_len, "question", run->question,
				     v->question);
	if (v->walk && !dns_streq(run->walk, v->walk))
		return dns_fail_text(why, why_len, "answers", run->walk,
				     v->walk);
	if (run->collect != v->collect) {
		rbi_snprintf(why, why_len, "collect: got %s want %s",
			     rbi_parse_result_name(run->collect),
			     rbi_parse_result_name(v->collect));
		return -1;
	}
	if (v->set && !dns_streq(run->set_text, v->set))
		return dns_fail_text(why, why_len, "set", run->set_text, v->set);
	return 0;
}

/*
 * Whether the walk of a prefix is the whole walk, or the whole walk's
 * first items followed by the word a cut walk must end with.
 */
static bool dns_walk_is_prefix(const char *part, const char *full,
			       const char *cut_word)
{
	size_t n = rbi_strlen(part), w = rbi_strlen(cut_word), head;

	if (dns_streq(part, full))
		return true;
	if (n < w || !dns_streq(part + n - w, cut_word))
		return false;
	head = n - w;
	if (head && (head < 2 || part[head - 2] != ';' || part[head - 1] != ' '))
		return false;
	return head <= rbi_strlen(full) && !rbi_memcmp(part, full, head);
}

enum {
	DNS_VEC_ITEM = 64,
};

/*
 * The item of an "ADDR/TTL@K,..." list at *p as "ADDR@K" (the TTL of an
 * address reached through a cut chain may differ), stepping *p past it.
 */
static void dns_addr_item(const char **p, char *out)
{
	size_t n = 0;
	bool ttl = false;

	for (; **p && **p != ','; (*p)++) {
		if (**p == '/')
			ttl = true;
		else if (**p == '@')
			ttl = false;
		if (!ttl && n < DNS_VEC_ITEM - 1)
			out[n++] = **p;
	}
	out[n] = '\0';
	if (**p)
		(*p)++;
}

static bool dns_addr_listed(const char *item, const char *list)
{
	char other[DNS_VEC_ITEM];

	while (*list) {
		dns_addr_item(&list, other);
		if (dns_streq(item, other))
			return true;
	}
	return false;
}

/* Whether every name and address of part is in full, names in order. */
static bool dns_set_within(const struct dns_run *part,
			   const struct dns_run *full)
{
	size_t n = rbi_strlen(part->names);
	const char *a = part->addrs;
	char item[DNS_VEC_ITEM];

	if (n > rbi_strlen(full->names) ||
	    rbi_memcmp(part->names, full->names, n) ||
	    (n && full->names[n] && full->names[n] != ','))
		return false;
	while (*a) {
		dns_addr_item(&a, item);
		if (!dns_addr_listed(item, full->addrs))
			return false;
	}
	return true;
}

/*
 * A prefix of a message is a message whose end came too soon: it may
 * only fail, or succeed with what the whole message said, or say part of
 * it and end MALFORMED. A prefix of a stream lists the whole frames it
 * holds and asks for more.
 */
static const char *dns_prefix_fault(const struct dns_vec *v,
				    const struct dns_run *part,
				    const struct dns_run *full)
{
	if (v->tcp)
		return dns_walk_is_prefix(part->walk, full->walk,
					  "need-more") ? NULL : "frames";
	if (part->parse == RBI_PARSE_MALFORMED)
		return NULL;
	if (part->parse != RBI_PARSE_OK || full->parse != RBI_PARSE_OK)
		return "parse";
	if (!dns_streq(part->question, full->question))
		return "question";
	if (!dns_walk_is_prefix(part->walk, full->walk, "malformed"))
		return "answers";
	if (part->collect == RBI_PARSE_OK)
		return full->collect == RBI_PARSE_OK &&
		       dns_streq(part->set_text, full->set_text) ? NULL : "set";
	if (part->collect != RBI_PARSE_MALFORMED)
		return "collect";
	return dns_set_within(part, full) ? NULL : "partial set";
}

static int dns_check_prefixes(const struct dns_vec *v, struct dns_scratch *s,
			      char *why, size_t why_len)
{
	const char *fault;
	size_t n;

	for (n = 0; n < v->len; n++) {
		if (!dns_run(v, v->bytes, n, s, &s->part)) {
			rbi_snprintf(why, why_len, "out of memory");
			return -1;
		}
		fault = s->part.over ? "rendering overflowed" :
			dns_prefix_fault(v, &s->part, &s->full);
		if (fault) {
			rbi_snprintf(why, why_len, "prefix of %zu bytes: %s: "
				     "\"%s\" / \"%s\"", n, fault,
				     s->part.walk, s->part.set_text);
			return -1;
		}
	}
	return 0;
}

static int dns_vec_check(size_t i, char *why, size_t why_len)
{
	const struct dns_vec *v = &dns_vecs[i];
	struct dns_scratch *s = rbi_zalloc(sizeof(*s));
	int ret;

	if (!s || !dns_run(v, v->bytes, v->len, s, &s->full)) {
		rbi_snprintf(why, why_len, "out of memory");
		rbi_free(s);
		return -1;
	}
	ret = dns_check_whole(v, &s->full, why, why_len);
	if (!ret)
		ret = dns_check_prefixes(v, s, why, why_len);
	rbi_free(s);
	return ret;
}

static const char *dns_vec_name(size_t i)
{
	return dns_vecs[i].name;
}

const struct rbi_vec_group rbi_vec_dns = {
	.name = "dns",
	.count = RBI_ARRAY_SIZE(dns_vecs),
	.case_name = dns_vec_name,
	.check = dns_vec_check,
};
