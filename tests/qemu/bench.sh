# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The forwarding benchmark, run by the guest's /init: bulk TCP through the
# gateway (iperf3, camera to "internet") with rbiblock.ko loaded and a
# policy of 100,000 names, against the same ruleset without the module,
# alternated so that drift hits both alike. Then the cost of classifying
# a new flow, from the module's own counters. The guest runs with -icount
# shift=1 (run.sh): its clock advances 2 ns per instruction executed, so
# its throughput and times count instructions, whatever the host's load.
. /suite/lib.sh

ROUNDS=5
SECS=4
BIG=/tmp/big.yaml
MIN_RATIO=0.90

# Receiver throughput of one iperf3 run, in Mbit/s.
iperf() {
	in_cam $IPERF3 -c 198.51.100.7 -t $SECS -O 1 -f m 2>/dev/null |
		awk '/receiver/ { for (i = 1; i < NF; i++)
			if ($(i + 1) == "Mbits/sec") print $i }'
}

median() {
	tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 }
		END { print v[int((NR + 1) / 2)] }'
}

stat() {
	in_gw $RBIMOD status | awk -F= -v k="$1" '$1 == k { print $2 }'
}

# The module with its configuration, under the ruleset that relies on it
# (no verdict, no payload; its verdicts on input and output), against the
# nft ruleset alone.
with_module() {
	load_module selftest=0 &&
		in_gw $RBICTL apply -p $BIG --backend module >/dev/null
}

without_module() {
	unload_module &&
		in_gw $RBICTL apply -p $BIG --backend nft >/dev/null
}

# New flows to the sink: TLS hellos with ordinary and with RBI names.
new_flows() {
	i=0
	while [ $i -lt "$1" ]; do
		in_cam $TCPX send -a 0 198.51.100.7 443 hello \
			"host$i.example.org" >/dev/null
		in_cam $TCPX send -a 0 198.51.100.7 443 hello \
			"n$((i % 100)).s$((i % 1000)).bench.example" >/dev/null
		i=$((i + 1))
	done
}

echo "bench: guest clocksource" \
	"$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
topology
start_sink net 443
in_net $IPERF3 -s -D
$CLASSCOST yaml $POLICY >$BIG
start=$(date +%s)
in_gw $RBICTL apply -p $BIG --backend nft >/dev/null ||
	fail "rbictl apply of the 100,000-name policy"
echo "bench: nft ruleset applied in $(($(date +%s) - start)) s"

base=
mod=
r=0
while [ $r -lt $ROUNDS ]; do
	r=$((r + 1))
	b=$(iperf)
	start=$(date +%s)
	with_module || fail "load the module with the 100,000-name policy"
	loaded=$(($(date +%s) - start))
	m=$(iperf)
	echo "bench: round $r: without module $b Mbit/s, with module $m" \
		"Mbit/s (module loaded and configured in $loaded s)"
	base="$base $b"
	mod="$mod $m"
	[ $r -lt $ROUNDS ] && without_module
done

b=$(echo "$base" | median)
m=$(echo "$mod" | median)
ratio=$(awk -v b="$b" -v m="$m" 'BEGIN { printf "%.3f", b ? m / b : 0 }')
echo "bench: iperf3 median over $ROUNDS rounds: without $b Mbit/s, with" \
	"$m Mbit/s, ratio $ratio (at least $MIN_RATIO)"
if awk -v r="$ratio" -v min=$MIN_RATIO 'BEGIN { exit !(r >= min) }'; then
	pass "throughput with the module and 100,000 names: ratio $ratio"
else
	fail "throughput with the module and 100,000 names: ratio $ratio"
fi

# The same parse and classify in userspace, here and on the host (run.sh
# prints that one, with callgrind's count), calibrate the guest's clock.
$CLASSCOST run $BIG 2000 | sed 's/^classcost:/bench: in the guest, userspace:/'

flows0=$(stat flows)
ns0=$(stat inspect_ns)
pkts0=$(stat packets)
new_flows 100
flows=$(($(stat flows) - flows0))
ns=$(($(stat inspect_ns) - ns0))
pkts=$(($(stat packets) - pkts0))
per=$((ns / (flows ? flows : 1)))
echo "bench: $flows new flows classified in the module (half blocked by" \
	"name): $per guest ns, about $((per / 2)) instructions, per flow" \
	"over $((pkts / (flows ? flows : 1))) packets on the slow path"
check "new flows classified" [ "$flows" -ge 200 ]
unload_module
check "no WARN, BUG or oops; no allocation leaked" kernel_clean
summary
