// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Camera-analytics markers as text: the names rbictl prints and the lists
 * `policy explain --markers` reads, and what the explanation says of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "policy/markers.h"

#define LIB	RBI_MARKER_BIT(RBI_MARKER_FACE_LIBRARY)
#define REC	RBI_MARKER_BIT(RBI_MARKER_FACE_RECOGNITION)
#define DET	RBI_MARKER_BIT(RBI_MARKER_FACE_DETECTION)
#define EXPR	RBI_MARKER_BIT(RBI_MARKER_FACE_EXPRESSION)

static void names_round_trip(void **state)
{
	const char *name;
	unsigned int m;

	(void)state;
	for (m = 0; m < __RBI_MARKER_MAX; m++) {
		name = rbi_marker_name((enum rbi_marker)m);
		assert_non_null(name);
		assert_int_equal(rbi_marker_from_name(name, strlen(name)), m);
		/* A prefix of a name is no name. */
		assert_int_equal(rbi_marker_from_name(name, strlen(name) - 1),
				 __RBI_MARKER_MAX);
	}
	assert_null(rbi_marker_name(__RBI_MARKER_MAX));
}

static void parse_lists(void **state)
{
	static const struct {
		const char *list;
		uint32_t want;
	} ok[] = {
		{ "face-library", LIB },
		{ "face-detection,face-library", LIB | DET },
		{ "face-expression,face-expression", EXPR },
		{ "face-library,face-recognition,face-detection,"
		  "face-attributes,face-expression", RBI_MARKER_ALL },
	};
	uint32_t m;
	const char *bad;
	size_t i, bad_len;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(rbi_markers_parse(ok[i].list, &m, &bad,
						   &bad_len), 0);
		assert_int_equal(m, ok[i].want);
	}
}

static void parse_refuses(void **state)
{
	static const struct {
		const char *list;
		const char *bad;	/* the entry named in the error */
	} refused[] = {
		{ "", "" },
		{ "face-library,", "" },
		{ ",face-library", "" },
		{ "face-library,,face-detection", "" },
		{ "Face-Library", "Face-Library" },
		{ "face-library,faces", "faces" },
		{ "face-library ,face-detection", "face-library " },
	};
	uint32_t m;
	const char *bad;
	size_t i, bad_len;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(rbi_markers_parse(refused[i].list, &m, &bad,
						   &bad_len), -1);
		assert_int_equal(bad_len, strlen(refused[i].bad));
		assert_memory_equal(bad, refused[i].bad, bad_len);
	}
}

static void format_lists(void **state)
{
	struct rbi_buf b = RBI_BUF_INIT;

	(void)state;
	rbi_markers_format(0, ",", &b);
	assert_string_equal(rbi_buf_str(&b), "");
	rbi_markers_format(EXPR | LIB | DET, ",", &b);
	assert_string_equal(rbi_buf_str(&b),
			    "face-library,face-detection,face-expression");
	rbi_buf_reset(&b);
	rbi_markers_format(REC, ", ", &b);
	assert_string_equal(rbi_buf_str(&b), "face-recognition");
	rbi_buf_reset(&b);
	/* Bits past the last marker name nothing. */
	rbi_markers_format(~RBI_MARKER_ALL | DET, ", ", &b);
	assert_string_equal(rbi_buf_str(&b), "face-detection");
	rbi_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(parse_lists),
		cmocka_unit_test(parse_refuses),
		cmocka_unit_test(format_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
