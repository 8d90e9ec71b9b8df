#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Runs each libFuzzer target for SECONDS from its seeds in the tree
# (tests/fuzz/corpus/<target>, only read) and the corpus it grew on
# earlier runs (BUILD/fuzz/corpus/<target>, where new inputs go), and
# fails on the first crash, leak, hang (10 s for one input) or sanitizer
# report. Each line says how many inputs ran and how many a second.
#
#   tests/fuzz/run.sh SECONDS TARGET...
set -u
secs=$1
shift
seeds=$(cd "$(dirname "$0")" && pwd)/corpus
fail=0
total=0
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=$(dirname "$bin")/corpus/$name
	mkdir -p "$corpus"
	seed=
	[ -d "$seeds/$name" ] && seed=$seeds/$name
	if "$bin" -max_total_time="$secs" -max_len=16384 -rss_limit_mb=2048 \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix="$(dirname "$bin")/$name-" \
		"$corpus" ${seed:+"$seed"} >"$bin.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
			"$bin.log")
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$bin.log")
		echo "PASS: $name: ${runs:-?} inputs in ${secs} s," \
			"${rate:-?} a second"
		total=$((total + ${runs:-0}))
	else
		tail -n 30 "$bin.log"
		echo "FAIL: $name: see $bin.log and the crash input beside it"
		fail=1
	fi
done
echo "fuzz: $# targets, $total inputs"
exit $fail
