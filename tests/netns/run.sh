#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Runs every network namespace suite (tests/netns/t_*.sh) against rbictl
# and sums their PASS/FAIL lines into one closing count. A suite that
# skips (exit 4, e.g. not root) counts as skipped, not failed.
#   sh tests/netns/run.sh RBICTL
set -u
here=$(dirname "$0")
pass=0
fail=0
skip=0
bad=
for t in "$here"/t_*.sh; do
	out=$(RBICTL=$1 timeout 300 bash "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(PASS|FAIL|SKIP|#)'
	pass=$((pass + $(printf '%s\n' "$out" | grep -c '^PASS: ')))
	fail=$((fail + $(printf '%s\n' "$out" | grep -c '^FAIL: ')))
	if [ "$rc" = 4 ]; then
		skip=$((skip + 1))
	elif [ "$rc" != 0 ]; then
		bad="$bad $(basename "$t")"
		printf '%s\n' "$out" | grep -vE '^(PASS|FAIL|SKIP|#)' | tail -n 20
	fi
done
echo "netns: $pass passed, $fail failed, $skip skipped"
if [ -n "$bad" ]; then
	echo "FAIL: netns suites:$bad" >&2
	exit 1
fi
