// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The JSON writer: escaping (the bytes a packet may carry), numbers,
 * separators, strings cut to a cap at a character boundary, and the same
 * bytes whether a value is written in place or while the buffer grows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/json.h"

#define ESC(in, want) { in, sizeof(in) - 1, want }

static const struct {
	const char *in;
	size_t n;
	const char *want;
} escapes[] = {
	ESC("plain / text", "plain / text"),
	ESC("\"\\\n\r\t", "\\\"\\\\\\n\\r\\t"),
	ESC("\x01\x1f\x7f", "\\u0001\\u001f\\u007f"),
	ESC("a\0b", "a\\u0000b"),
	/* Valid UTF-8 stays as it is. */
	ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
	/* Each byte of what is not UTF-8 stands for U+FFFD. */
	ESC("\xff", "\\ufffd"),
	ESC("x\xc3", "x\\ufffd"),
	ESC("\xc0\xaf", "\\ufffd\\ufffd"),
	ESC("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd"),
	ESC("\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"),
	ESC("\xe2\x82" "A", "\\ufffd\\ufffdA"),
};

static void escape_rules(void **state)
{
	struct rbi_buf b = RBI_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
		rbi_buf_reset(&b);
		rbi_json_escape(&b, escapes[i].in, escapes[i].n);
		assert_false(rbi_buf_failed(&b));
		assert_string_equal(rbi_buf_str(&b), escapes[i].want);
	}
	rbi_buf_free(&b);
}

static void plain_runs(void **state)
{
	(void)state;
	assert_int_equal(rbi_json_plain("abc", 3), 3);
	assert_int_equal(rbi_json_plain("ab\"c", 4), 2);
	assert_int_equal(rbi_json_plain("a\\", 2), 1);
	assert_int_equal(rbi_json_plain("\xc3\xa9", 2), 0);
	assert_int_equal(rbi_json_plain("~\x7f", 2), 1);
	assert_int_equal(rbi_json_plain(" \x1f", 2), 1);
}

static void numbers(void **state)
{
	struct rbi_buf b = RBI_BUF_INIT;
	struct rbi_json j;
	char d[RBI_JSON_UINT_MAX + 1];

	(void)state;
	rbi_json_init(&j, &b);
	rbi_json_arr_begin(&j);
	rbi_json_int(&j, 0);
	rbi_json_int(&j, -1);
	rbi_json_int(&j, INT64_MIN);
	rbi_json_int(&j, INT64_MAX);
	rbi_json_uint(&j, UINT64_MAX);
	rbi_json_uint(&j, 10);
	rbi_json_arr_end(&j);
	assert_string_equal(rbi_buf_str(&b),
			    "[0,-1,-9223372036854775808,9223372036854775807,"
			    "18446744073709551615,10]");
	rbi_buf_free(&b);
	*rbi_json_put_uint(d, UINT64_MAX) = '\0';
	assert_string_equal(d, "18446744073709551615");
	*rbi_json_put_uint(d, 0) = '\0';
	assert_string_equal(d, "0");
}

static void objects_and_keys(void **state)
{
	struct rbi_buf b = RBI_BUF_INIT;
	struct rbi_json j;

	(void)state;
	rbi_json_init(&j, &b);
	rbi_json_obj_begin(&j);
	rbi_json_kuint(&j, "a", 1);
	rbi_json_key(&j, "b");
	rbi_json_arr_begin(&j);
	rbi_json_str(&j, "x");
	rbi_json_str(&j, NULL);
	rbi_json_bool(&j, false);
	rbi_json_arr_end(&j);
	rbi_json_kstr(&j, "q\"\n", "v\x01");
	rbi_json_keyn(&j, "counterXYZ", 7);
	rbi_json_bool(&j, true);
	rbi_json_obj_end(&j);
	assert_string_equal(rbi_buf_str(&b),
			    "{\"a\":1,\"b\":[\"x\",null,false],"
			    "\"q\\\"\\n\":\"v\\u0001\",\"counter\":true}");
	rbi_buf_free(&b);
}

static const char *capped(struct rbi_buf *b, const char *s, size_t cap)
{
	struct rbi_json j;

	rbi_buf_reset(b);
	rbi_json_init(&j, b);
	rbi_json_str_cap(&j, s, cap, "[t]");
	return rbi_buf_str(b);
}

static void cap_cuts_at_characters(void **state)
{
	struct rbi_buf b = RBI_BUF_INIT, c = RBI_BUF_INIT;
	struct rbi_json j;

	(void)state;
	/* Escaped length at most the cap, the mark counted. */
	assert_string_equal(capped(&b, "abcdefghij", 8), "\"abcde[t]\"");
	assert_string_equal(capped(&b, "abcdefgh", 8), "\"abcdefgh\"");
	/* Never inside a UTF-8 sequence... */
	assert_string_equal(capped(&b, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
				   "\xa9", 7), "\"\xc3\xa9\xc3\xa9[t]\"");
	/* ...nor inside an escape. */
	assert_string_equal(capped(&b, "ab\x01" "cd", 9), "\"ab[t]\"");
	assert_string_equal(capped(&b, NULL, 8), "null");
	/* The counted form says the same. */
	rbi_json_init(&j, &c);
	rbi_json_strn_cap(&j, "abcdefghij", 10, 8, "[t]");
	assert_string_equal(rbi_buf_str(&c), "\"abcde[t]\"");
	rbi_buf_free(&b);
	rbi_buf_free(&c);
}

/* Some of everything, long enough to make a fresh buffer grow. */
static void write_mix(struct rbi_buf *b)
{
	static const char piece[] = "name.example \"q\" \\ \x01\xc3\xa9\xff/";
	char s[4000];
	struct rbi_json j;
	size_t i;

	memset(s, 'z', sizeof(s));
	for (i = 0; i + sizeof(piece) <= sizeof(s); i += sizeof(piece) - 1)
		memcpy(s + i, piece, sizeof(piece) - 1);
	rbi_json_init(&j, b);
	rbi_json_obj_begin(&j);
	for (i = 0; i < 40; i++) {
		rbi_json_keyn(&j, s, i % 30);
		rbi_json_strn(&j, s, i * 97 % sizeof(s));
		rbi_json_kint(&j, "n", -(int64_t)i * 1000003);
		rbi_json_key(&j, "cut");
		rbi_json_strn_cap(&j, s, sizeof(s), i * 37, "[t]");
	}
	rbi_json_obj_end(&j);
}

static void in_place_and_growing_agree(void **state)
{
	struct rbi_buf fresh = RBI_BUF_INIT, roomy = RBI_BUF_INIT;
	static char big[1 << 20];

	(void)state;
	write_mix(&fresh);
	/* A buffer with room for everything writes each value in place. */
	rbi_buf_add(&roomy, big, sizeof(big));
	rbi_buf_reset(&roomy);
	write_mix(&roomy);
	assert_false(rbi_buf_failed(&fresh));
	assert_int_equal(fresh.len, roomy.len);
	assert_memory_equal(fresh.data, roomy.data, fresh.len);
	assert_int_equal(roomy.data[roomy.len], '\0');
	rbi_buf_free(&fresh);
	rbi_buf_free(&roomy);
}

static void failed_buffer_stays_put(void **state)
{
	struct rbi_buf b = RBI_BUF_INIT;
	static char big[4096];
	struct rbi_json j;

	(void)state;
	rbi_buf_add(&b, big, sizeof(big));
	rbi_buf_reset(&b);
	rbi_buf_adds(&b, "x");
	b.failed = true;
	rbi_json_init(&j, &b);
	rbi_json_kstr(&j, "k", "v");
	rbi_json_kuint(&j, "n", 5);
	assert_int_equal(b.len, 1);
	assert_string_equal(b.data, "x");
	rbi_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_rules),
		cmocka_unit_test(plain_runs),
		cmocka_unit_test(numbers),
		cmocka_unit_test(objects_and_keys),
		cmocka_unit_test(cap_cuts_at_characters),
		cmocka_unit_test(in_place_and_growing_agree),
		cmocka_unit_test(failed_buffer_stays_put),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
