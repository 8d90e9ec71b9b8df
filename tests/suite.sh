#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Runs every t_*.sh of a suite's directory with SHELL, each bounded by
# SECONDS, and sums their PASS/FAIL lines into one closing count. A script
# that skips (exit 4, with its reason) counts as skipped, not failed.
#   sh tests/suite.sh NAME DIR SHELL SECONDS [VAR=VALUE...]
set -u
name=$1
dir=$2
shell=$3
limit=$4
shift 4
pass=0
fail=0
skip=0
bad=
for t in "$dir"/t_*.sh; do
	out=$(env "$@" timeout "$limit" "$shell" "$t" 2>&1)
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
echo "$name: $pass passed, $fail failed, $skip skipped"
if [ -n "$bad" ]; then
	echo "FAIL: $name suites:$bad" >&2
	exit 1
fi
