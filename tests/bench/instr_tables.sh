#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Instructions per lookup in the name and address tables at 100, 10,000 and
# 100,000 entries, counted by callgrind: unlike time, the count does not
# move with the machine's load or its caches, so the ratios say how the
# lookup itself scales with the number of entries.
#
#   tests/bench/instr_tables.sh BENCH_TABLES
set -u
bin=$1
if ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP: instruction counts: valgrind is not installed"
	exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$dir/cg.%p" \
	"$bin" --instr >/dev/null 2>"$dir/log" || { cat "$dir/log"; exit 1; }
# Each dump names its loop ("desc: Trigger: Client Request: names-big")
# and counts its instructions ("summary: N"); every loop is 65536 lookups.
for f in "$dir"/cg.*; do
	awk '/^desc: Trigger: Client Request:/ { what = $NF }
	     /^summary:/ { if (what != "") print what, $2 }' "$f"
done | awk '{ ir[$1] = $2 / 65536 }
END {
	for (k = 0; k < 2; k++) {
		t = k ? "addrs" : "names"
		printf "%s: instructions per lookup %.0f at 100, %.0f at 10000, %.0f at 100000; ratio 100000/100 %.2f\n", \
			t, ir[t "-small"], ir[t "-mid"], ir[t "-big"], \
			ir[t "-big"] / ir[t "-small"]
	}
}'
