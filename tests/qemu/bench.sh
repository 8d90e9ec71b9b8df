# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The forwarding benchmark, run by the guest's /init: bulk TCP through the
# gateway (iperf3, camera to "internet") with rbiblock.ko loaded and a
# policy of 100,000 names, against the same ruleset without the module,
# alternated so that drift hits both alike. Then the cost of classifying
# a new flow, from the module's own counters. The guest runs with -icount
# shift=1 (run.sh): its clock advances 2 ns per instruction executed, so
# its throughput and times count instructions, whatever the host's load.
# Then forwarding with no ruleset, with rbiblock, and with rbiblock and its
# flowtable (bench_offload).
. /suite/lib.sh

ROUNDS=5
OFF_ROUNDS=5
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
		in_gw $RBICTL apply -p $BIG --backend module --no-offload \
		>/dev/null
}

without_module() {
	unload_module &&
		in_gw $RBICTL apply -p $BIG --backend nft --no-offload >/dev/null
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

# ---- offload ----

OFF_MIN=1.0

# Receiver throughput of 64-byte UDP from the camera to the recorder, which
# the policy lets video reach (a flow not watched for QUIC), in kbit/s.
udp64() {
	in_cam $IPERF3 -c 198.51.100.10 -p 8554 -u -l 64 -b 0 -t $SECS -O 1 \
		-f k 2>/dev/null | awk '/receiver/ { for (i = 1; i < NF; i++)
			if ($(i + 1) == "Kbits/sec") print $i }'
}

# Forwarding as configured: none (no module, no table: not even
# conntrack), rbiblock (the module and its ruleset, no flowtable) or
# flowtable (the same with rbiblock's flowtable).
offload_config() {
	in_gw $RBICTL flush >/dev/null
	rmmod rbiblock 2>/dev/null
	case $1 in
	none) return 0 ;;
	rbiblock) set -- --no-offload ;;
	flowtable) set -- ;;
	esac
	load_module selftest=0 &&
		in_gw $RBICTL apply -p $BIG --backend module "$@" >/dev/null
}

# ratios NAME "B1 B2 ..." "X1 X2 ...": each round's X/B, then the median
# and the spread (lowest and highest) of them.
ratios() {
	echo "$2|$3" | awk -F'|' -v name="$1" '{
		n = split($1, b, " "); split($2, x, " ")
		for (i = 1; i <= n; i++) { r[i] = b[i] ? x[i] / b[i] : 0
			out = out sprintf(" %.3f", r[i]) }
		for (i = 1; i <= n; i++) for (k = i + 1; k <= n; k++)
			if (r[k] < r[i]) { t = r[i]; r[i] = r[k]; r[k] = t }
		printf "%s %.3f %.3f %.3f\n", name, r[int((n + 1) / 2)], r[1],
			r[n] > ("/tmp/ratio-" name)
		printf "bench: %s per round:%s\n", name, out }'
	read -r _ med lo hi <"/tmp/ratio-$1"
	echo "bench: $1: median ratio $med, spread $lo-$hi over $OFF_ROUNDS" \
		"rounds"
}

bench_offload() {
	in_net $IPERF3 -s -D -B 198.51.100.10 -p 8554
	for c in none rbiblock flowtable; do
		eval "tcp_$c= udp_$c="
	done
	r=0
	while [ $r -lt $OFF_ROUNDS ]; do
		r=$((r + 1))
		for c in none flowtable rbiblock; do
			offload_config $c || fail "configure $c"
			t=$(iperf)
			u=$(udp64)
			eval "tcp_$c=\"\$tcp_$c $t\" udp_$c=\"\$udp_$c $u\""
			echo "bench: round $r, $c: bulk TCP $t Mbit/s," \
				"64-byte UDP $u kbit/s"
		done
	done
	offload_config none
	ratios tcp-rbiblock "$tcp_none" "$tcp_rbiblock"
	ratios tcp-flowtable "$tcp_none" "$tcp_flowtable"
	ratios udp64-rbiblock "$udp_none" "$udp_rbiblock"
	ratios udp64-flowtable "$udp_none" "$udp_flowtable"
	for k in tcp-flowtable udp64-flowtable; do
		read -r _ med _ _ <"/tmp/ratio-$k"
		check "$k: rbiblock with its flowtable against no ruleset: $med (at least $OFF_MIN)" \
			awk -v r="$med" -v min=$OFF_MIN \
			'BEGIN { exit !(r >= min) }'
	done
}

echo "bench: guest clocksource" \
	"$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
topology
start_sink net 443
in_net $IPERF3 -s -D
$CLASSCOST yaml $POLICY >$BIG
start=$(date +%s)
in_gw $RBICTL apply -p $BIG --backend nft --no-offload >/dev/null ||
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
bench_offload
check "no WARN, BUG or oops; no allocation leaked" kernel_clean
summary
