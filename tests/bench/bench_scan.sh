#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The scan benchmark: generates a capture of FLOWS flows (TLS, HTTP and DNS
# in equal parts: 20, 11 and 2 packets, with the certificates, requests and
# responses of short exchanges), then times on the same file a
# bare libpcap loop (and the same loop reading through rbictl's read
# buffer), `rbictl scan` (text and jsonl), and ndpiReader and
# tshark where installed. Each tool runs RUNS times, interleaved with the
# others, and its best times count (tshark, which takes minutes, runs
# once); peak memory is the largest seen. The verdicts compare CPU time
# (user + system), which other load on a shared machine does not inflate
# the way it does wall time; both are printed.
# With CALLGRIND=1 the instruction counts of the loop and of rbictl are
# measured too, on a tenth of the flows.
#
# usage: bench_scan.sh RBICTL GEN_BENCH PCAP_LOOP RUNSTAT
# environment: FLOWS (default 200000), RUNS (default 3), CALLGRIND
set -u

rbictl=${1:?usage: bench_scan.sh RBICTL GEN_BENCH PCAP_LOOP RUNSTAT}
gen=${2:?}
loop=${3:?}
runstat=${4:?}
flows=${FLOWS:-200000}
runs=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cap=$tmp/bench.pcap
policy=$(dirname "$0")/../scan/policy.yaml

echo "bench-scan: generating $flows flows"
"$gen" "$cap" "$flows" || exit 1
size=$(wc -c < "$cap")

# name COMMAND...: one timed run, stdout discarded, appended to $tmp/name.
run() {
	name=$1
	shift
	"$runstat" "$tmp/$name" "$@" > /dev/null 2> "$tmp/$name.err" ||
		{ echo "bench-scan: $name failed:"; tail -3 "$tmp/$name.err"; }
}

tools="loop loopbuf scan jsonl"
ndpi=$(command -v ndpiReader)
tshark=$(command -v tshark)
[ -n "$ndpi" ] && tools="$tools ndpi"
[ -n "$tshark" ] && tools="$tools tshark"

i=0
while [ "$i" -lt "$runs" ]; do
	run loop "$loop" "$cap"
	run loopbuf "$loop" -b "$cap"
	run scan "$rbictl" scan -p "$policy" "$cap"
	run jsonl "$rbictl" scan -p "$policy" --format jsonl "$cap"
	if [ -n "$ndpi" ]; then
		run ndpi "$ndpi" -i "$cap" -q
	fi
	i=$((i + 1))
done
# tshark takes minutes on this file: one run, for the order of magnitude.
if [ -n "$tshark" ]; then
	run tshark "$tshark" -r "$cap" -n -T fields \
		-e tls.handshake.extensions_server_name -e http.host \
		-e dns.qry.name
fi

# best NAME FIELD: the least of a column (1: wall, 2: CPU) over the runs.
best() {
	sort -k"$2" -n "$tmp/$1" | head -n 1 | cut -d' ' -f"$2"
}

rss() {
	sort -k3 -n "$tmp/$1" | tail -n 1 | cut -d' ' -f3
}

packets=$("$loop" "$cap" | cut -d' ' -f1)
base=$(best loop 2)
echo "bench-scan: $packets packets, $flows flows, $size bytes; best of $runs runs"
printf '  %-34s %8s %8s %8s %12s\n' tool "wall s" "CPU s" "CPU x" \
	"max RSS KiB"
for t in $tools; do
	case $t in
	loop) label="libpcap loop (reads every packet)" ;;
	loopbuf) label="the same, rbictl's read buffer" ;;
	scan) label="rbictl scan (text summary)" ;;
	jsonl) label="rbictl scan --format jsonl" ;;
	ndpi) label="ndpiReader -q" ;;
	tshark) label="tshark -T fields (SNI, Host, DNS)" ;;
	esac
	awk -v l="$label" -v w="$(best "$t" 1)" -v s="$(best "$t" 2)" \
		-v b="$base" -v r="$(rss "$t")" 'BEGIN {
		printf "  %-34s %8.3f %8.3f %7.2fx %12d\n", l, w, s, s / b, r }'
done

fail=0
verdict() {
	if awk -v a="$1" -v b="$2" -v m="$3" 'BEGIN { exit !(a <= b * m) }'; then
		echo "bench-scan: $4: ok"
	else
		echo "bench-scan: $4: FAIL"
		fail=1
	fi
}
verdict "$(best scan 2)" "$base" 3 "rbictl scan within 3x the libpcap loop"
verdict "$(best jsonl 2)" "$base" 3 \
	"rbictl scan --format jsonl within 3x the libpcap loop"
if [ -n "$ndpi" ]; then
	verdict "$(best scan 2)" "$(best ndpi 2)" 0.1 \
		"rbictl scan at least 10x faster than ndpiReader"
	awk -v n="$(best ndpi 2)" -v s="$(best scan 2)" \
		'BEGIN { printf "bench-scan: ndpiReader / rbictl scan = %.1f (CPU time)\n", n / s }'
else
	echo "bench-scan: ndpiReader not installed (Debian libndpi-bin): skipped"
fi
[ -n "$tshark" ] || echo "bench-scan: tshark not installed: skipped"

# Memory follows the flow table, not the capture: half the flows, same RSS.
"$gen" "$tmp/half.pcap" $((flows / 2)) > /dev/null
run half "$rbictl" scan -p "$policy" "$tmp/half.pcap"
echo "bench-scan: max RSS $(rss scan) KiB for $flows flows," \
	"$(rss half) KiB for $((flows / 2))"

if [ "${CALLGRIND:-0}" = 1 ] && command -v valgrind > /dev/null; then
	"$gen" "$tmp/small.pcap" $((flows / 10)) > /dev/null
	for t in loop scan; do
		if [ "$t" = loop ]; then
			set -- "$loop" "$tmp/small.pcap"
		else
			set -- "$rbictl" scan -p "$policy" "$tmp/small.pcap"
		fi
		valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$t" \
			"$@" > /dev/null 2> "$tmp/cg.$t.err"
		sed -n 's/.*Collected : //p' "$tmp/cg.$t.err" > "$tmp/ir.$t"
	done
	awk -v l="$(cat "$tmp/ir.loop")" -v s="$(cat "$tmp/ir.scan")" \
		'BEGIN { printf "bench-scan: instructions for %s flows (callgrind): loop %d, rbictl scan %d (%.2fx)\n", "'$((flows / 10))'", l, s, s / l }'
fi
exit "$fail"
