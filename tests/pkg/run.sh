#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# The package suite: each t_*.sh against the packages make deb wrote in
# BUILD/deb and the rbictl in BUILD, with one closing count. A script that
# skips (exit 4, with its reason) counts as skipped, not failed.
#   sh tests/pkg/run.sh BUILD RBICTL
set -u
here=$(dirname "$0")
pass=0
fail=0
skip=0
bad=
start=$(date +%s)
for t in "$here"/t_*.sh; do
	out=$(BUILD=$1 RBICTL=$2 timeout 900 sh "$t" 2>&1)
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
echo "# pkg: $(($(date +%s) - start)) s"
echo "pkg: $pass passed, $fail failed, $skip skipped"
if [ -n "$bad" ]; then
	echo "FAIL: pkg suites:$bad" >&2
	exit 1
fi
