#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Runs every audit log suite (tests/audit/t_*.sh) with rbictl and the test
# writer, and sums their PASS/FAIL lines into one closing count.
#   sh tests/audit/run.sh RBICTL AUDIT_WRITER
set -u
here=$(dirname "$0")
pass=0
fail=0
skip=0
bad=
for t in "$here"/t_*.sh; do
	out=$(sh "$t" "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | grep -c '^PASS: ')
	f=$(printf '%s\n' "$out" | grep -c '^FAIL: ')
	s=$(printf '%s\n' "$out" | grep -c '^SKIP: ')
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
	[ "$rc" = 0 ] || bad="$bad $(basename "$t")"
done
echo "audit: $pass passed, $fail failed, $skip skipped"
if [ -n "$bad" ]; then
	echo "FAIL: audit suites:$bad" >&2
	exit 1
fi
