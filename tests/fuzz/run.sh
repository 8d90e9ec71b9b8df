#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Runs each libFuzzer target for SECONDS, starting from the corpus kept in
# BUILD/fuzz/corpus/<target> (seeded from nothing; libFuzzer grows it), and
# fails on the first crash, leak or sanitizer report.
#
#   tests/fuzz/run.sh SECONDS TARGET...
set -u
secs=$1
shift
fail=0
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=$(dirname "$bin")/corpus/$name
	mkdir -p "$corpus"
	if "$bin" -max_total_time="$secs" -max_len=16384 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$(dirname "$bin")/$name-" \
		"$corpus" >"$bin.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$bin.log")
		echo "PASS: $name (${runs:-?} inputs in ${secs}s)"
	else
		tail -n 30 "$bin.log"
		echo "FAIL: $name: see $bin.log and the crash input beside it"
		fail=1
	fi
done
exit $fail
