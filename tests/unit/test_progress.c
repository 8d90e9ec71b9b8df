// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The progress line of a long scan: its figures (bytes with binary
 * prefixes, packets, the rate, the time left in minutes or hours, none
 * when the size is unknown), the second before it first appears, and the
 * line erased at the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scan/progress.h"

#define MIB	(1024ull * 1024)
#define SEC	1000000000ull

static void expect_line(uint64_t bytes, uint64_t total, uint64_t packets,
			uint64_t elapsed, const char *want)
{
	char line[RBI_PROGRESS_LINE];

	rbi_progress_line(line, bytes, total, packets, elapsed);
	assert_string_equal(line, want);
}

static void test_line(void **state)
{
	(void)state;
	expect_line(10 * MIB, 100 * MIB, 1, SEC,
		    "10.0 MiB of 100.0 MiB, 1 packet, 10.0 MiB/s, 0:09 left");
	expect_line(512, 0, 2, SEC, "512 B, 2 packets, 512 B/s");
	expect_line(MIB, 10240 * MIB, 7000, SEC,
		    "1.0 MiB of 10.0 GiB, 7000 packets, 1.0 MiB/s, "
		    "2:50:39 left");
	/* No time yet, or the size was wrong: no time left. */
	expect_line(0, 100, 0, 0, "0 B of 100 B, 0 packets, 0 B/s");
	expect_line(200, 100, 3, SEC, "200 B of 100 B, 3 packets, 200 B/s");
}

static void test_shown_late_and_erased(void **state)
{
	struct rbi_progress p;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	rbi_progress_start(&p, f, 4 * MIB, 5 * SEC);
	rbi_progress_at(&p, MIB, 10, 5 * SEC + SEC / 2);
	fflush(f);
	assert_int_equal(len, 0);
	rbi_progress_at(&p, 2 * MIB, 20, 7 * SEC);
	rbi_progress_end(&p);
	rbi_progress_end(&p);
	rbi_progress_end(NULL);
	fclose(f);
	assert_string_equal(text, "\r2.0 MiB of 4.0 MiB, 20 packets, "
			    "1.0 MiB/s, 0:02 left\033[K\r\033[K");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_shown_late_and_erased),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
