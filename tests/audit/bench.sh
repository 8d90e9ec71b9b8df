#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Audit log benchmark: append with durability batching (the test writer:
# group commit of 1000 records per fdatasync, a signed checkpoint every 50
# batches) and offline verification, each beside sha256sum over the same
# segment bytes, measured in the same run.
#   sh tests/audit/bench.sh RBICTL AUDIT_WRITER [RECORDS]
set -u
RBICTL=$1
WRITER=$2
N=${3:-200000}
T=$(mktemp -d)
cleanup() { rm -rf "$T"; }
trap cleanup EXIT

now() { date +%s%N; }
"$RBICTL" keygen --origin bench.example/rbiblock -o "$T/k" >/dev/null

t0=$(now)
"$WRITER" write "$T/log" "$T/k.key" --records "$N" --batch 1000 \
	--hb-every 50 --quiet
t1=$(now)
"$RBICTL" audit verify "$T/log" --pub "$T/k.pub" >"$T/v" ||
	{ cat "$T/v"; exit 1; }
t2=$(now)
cat "$T"/log/epoch-0001/seg-*.jsonl | sha256sum >/dev/null
t3=$(now)
recs=$(grep -o '^[0-9]* records checked' "$T/v" | cut -d' ' -f1)
bytes=$(cat "$T"/log/epoch-0001/seg-*.jsonl | wc -c)

awk -v n="$recs" -v b="$bytes" -v a="$((t1 - t0))" -v v="$((t2 - t1))" \
	-v s="$((t3 - t2))" 'BEGIN {
	mb = b / 1048576
	ar = n / (a / 1e9); vr = n / (v / 1e9); sr = n / (s / 1e9)
	printf "bench-audit: %d records, %.1f MiB of JSON Lines\n", n, mb
	printf "bench-audit: append  %8.0f records/s (%.2f s, fdatasync per 1000, checkpoint per 50000) | sha256sum %8.0f records/s | ratio %.3f | target 100000/s: %s\n",
		ar, a / 1e9, sr, ar / sr, (ar >= 100000 ? "met" : "NOT met")
	printf "bench-audit: verify  %8.0f records/s (%.2f s, every leaf hashed, parsed and checked) | sha256sum %8.0f records/s | ratio %.3f | target 500000/s: %s\n",
		vr, v / 1e9, sr, vr / sr, (vr >= 500000 ? "met" : "NOT met")
}'
