#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Runs each cmocka binary given as an argument and sums the results, so that
# `make check-unit` ends with one line saying how many tests ran.
set -u
pass=0
fail=0
bad=
for t in "$@"; do
	out=$(ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^\[  (FAILED|  ERROR)|^\[  PASSED|ERROR|runtime error|Sanitizer' || true
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	if [ "$rc" != 0 ]; then
		bad="$bad $(basename "$t")"
		printf '%s\n' "$out" | tail -n 40
	fi
done
echo "unit: $pass passed, $fail failed"
if [ -n "$bad" ]; then
	echo "FAIL: unit suites:$bad" >&2
	exit 1
fi
