#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The scan suite: generates its captures (gen_captures), scans each one
# and compares the jsonl with tests/scan/expected/, byte for byte; then
# checks what is not in the jsonl: messages and exit statuses for damaged,
# corrupt and unsupported captures, --fail-on-block, the counters, the
# text summary, a flow table far too small for a busy capture, and (as
# root) rbictl watch on the loopback interface.
#
# usage: run.sh RBICTL GEN_CAPTURES GEN_BENCH
set -u

rbictl=${1:?usage: run.sh RBICTL GEN_CAPTURES GEN_BENCH}
gen=${2:?usage: run.sh RBICTL GEN_CAPTURES GEN_BENCH}
gen_bench=${3:?usage: run.sh RBICTL GEN_CAPTURES GEN_BENCH}
here=$(cd "$(dirname "$0")" && pwd)
policy=$here/policy.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; ip netns del "rbiscan$$" 2>/dev/null' EXIT INT TERM
pass=0
fail=0

ok() {
	pass=$((pass + 1))
	echo "PASS: $1"
}

bad() {
	fail=$((fail + 1))
	echo "FAIL: $1"
}

# check NAME CONDITION...: passes when the command succeeds.
check() {
	name=$1
	shift
	if "$@" > /dev/null 2>&1; then ok "$name"; else bad "$name"; fi
}

scan() {
	"$rbictl" scan -p "$policy" "$@"
}

mkdir -p "$tmp/caps"
if ! "$gen" "$tmp/caps"; then
	echo "FAIL: gen_captures"
	exit 1
fi

# Every capture with an expected output: exactly that output.
for want in "$here"/expected/*.jsonl; do
	cap=$(basename "$want" .jsonl)
	scan --format jsonl "$tmp/caps/$cap" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ "$rc" = 0 ] && cmp -s "$want" "$tmp/out"; then
		ok "jsonl $cap"
	else
		bad "jsonl $cap (exit $rc)"
		diff "$want" "$tmp/out" | head -20
		grep -v '^{' "$tmp/err" | head -5
	fi
done

# The counters (stderr, jsonl mode) of a capture: the one JSON line.
counters() {
	scan --format jsonl "$@" 2>&1 >/dev/null | grep '^{"type":"summary"'
}

has() {
	printf '%s\n' "$1" | grep -q -- "$2"
}

c=$(counters "$tmp/caps/corrupt.pcap")
check "corrupt record: counted as cut short" has "$c" '"cut_short":1'
scan "$tmp/caps/corrupt.pcap" > /dev/null 2> "$tmp/err"
check "corrupt record: exit 0" test $? = 0
check "corrupt record: message" grep -q \
	'corrupt.pcap: invalid packet capture length.*the rest of it is skipped' \
	"$tmp/err"

scan "$tmp/caps/truncated.pcap" > /dev/null 2> "$tmp/err"
check "truncated file: exit 0" test $? = 0
check "truncated file: message" grep -q \
	'truncated.pcap: truncated dump file' "$tmp/err"

scan "$tmp/caps/link-radiotap.pcap" > "$tmp/out" 2> "$tmp/err"
check "unsupported link type: exit 1" test $? = 1
check "unsupported link type: named" grep -q \
	'link type IEEE802_11_RADIO (127, 802.11 plus radiotap header) is not supported' \
	"$tmp/err"

scan "$tmp/caps/nonexistent.pcap" > "$tmp/out" 2> "$tmp/err"
check "missing capture: exit 1" test $? = 1
check "missing capture: one error line" test "$(cat "$tmp/err")" = \
	"rbictl scan: $tmp/caps/nonexistent.pcap: No such file or directory"
check "missing capture: no counters" test ! -s "$tmp/out"
scan --format jsonl "$tmp/caps/nonexistent.pcap" > "$tmp/out" 2> "$tmp/err"
check "missing capture, jsonl: one error line" test "$(wc -l < "$tmp/err")" = 1
scan "$tmp/caps/dns.pcap" "$tmp/caps/nonexistent.pcap" > "$tmp/out" \
	2> "$tmp/err"
check "a missing capture among others: exit 1" test $? = 1
check "a missing capture among others: the rest summarised" grep -q \
	'^1 input, ' "$tmp/out"

c=$(counters "$tmp/caps/snaplen.pcap")
check "snaplen: records cut counted" has "$c" '"records_cut_by_snaplen":2'
check "snaplen: cut fragment counted" has "$c" '"truncated":1'
check "snaplen: fragment given up" has "$c" '"timed_out":1'

c=$(counters "$tmp/caps/segments.pcap")
check "segments: out of order held" has "$c" '"segments_out_of_order":71'
check "segments: before the start" has "$c" \
	'"segments_before_stream_start":1'
check "segments: new SYN on an unfinished flow" has "$c" '"flows_reused":1'
check "segments: FIN both ways ends a flow" has "$c" '"ended_closed":3'
check "segments: mid-stream resync" has "$c" '"midstream_resyncs":1'

# Streams picked up mid-way (expected/midstream.pcap.jsonl has the names):
# segments before a start are left, TLS after its hello is TLS, unnamed
# for that reason.
c=$(counters "$tmp/caps/midstream.pcap")
check "midstream: segments before a start counted" has "$c" \
	'"midstream_segments_before_a_start":[1-9]'
check "midstream: TLS after its hello, counted why" has "$c" \
	'"tls_hello_before_capture":1,'

# Every unnamed flow of every capture has its reason: they add up.
for cap in "$tmp"/caps/*.pcap*; do
	counters "$cap"
done 2>/dev/null > "$tmp/all"
sums=$(sed 's/.*"flows_unnamed":\([0-9]*\).*"unnamed":{\([^}]*\)}.*/\1 \2/' \
	"$tmp/all" | awk '{ n = split($2, kv, ","); s = 0
		for (i = 1; i <= n; i++) { split(kv[i], p, ":"); s += p[2] }
		if (s != $1) bad++ } END { print NR, bad + 0 }')
check "unnamed: the reasons add up to flows_unnamed in every capture" \
	test "${sums#* }" = 0 -a "${sums% *}" -gt 20

# The third piece completes the datagram, overlapping both others; the
# fourth comes too late and waits for a datagram that never completes.
c=$(counters "$tmp/caps/frag-v6.pcap")
check "frag-v6: reassembled with an overlap" has "$c" \
	'"reassembled":1,"timed_out":1,"evicted":0,"overlaps":1'
c=$(counters "$tmp/caps/dns.pcap")
check "dns: addresses learned" has "$c" '"dns_addresses_learned":2'

scan --fail-on-block "$tmp/caps/dns.pcap" > /dev/null 2>&1
check "--fail-on-block: exit 3 when blocked" test $? = 3
scan --fail-on-block "$tmp/caps/ext-v6.pcap" > /dev/null 2>&1
check "--fail-on-block: exit 0 when nothing blocked" test $? = 0
scan "$tmp/caps/dns.pcap" > /dev/null 2>&1
check "blocked flows without --fail-on-block: exit 0" test $? = 0

# "-" is standard input, as the README says.
scan --format jsonl - < "$tmp/caps/dns.pcap" > "$tmp/out" 2> "$tmp/err"
check "standard input: read as a capture" cmp -s "$tmp/out" \
	"$here/expected/dns.pcap.jsonl"

# Captures are read in order; a later one may use what an earlier taught.
scan --format jsonl "$tmp/caps/link-ether.pcap" "$tmp/caps/frag-v4.pcap" \
	> "$tmp/out" 2>/dev/null
check "several captures: every flow of each" test "$(wc -l < "$tmp/out")" = 5

scan "$tmp/caps/misc.pcap" > "$tmp/out" 2>/dev/null
check "text: headline" grep -q \
	'^1 input, [0-9]* packets, [0-9]* flows: 8 reported (named or matched), 4 blocked, 0 logged$' \
	"$tmp/out"
check "text: by zone" grep -q '^  city-squares  *7  *4  *0$' "$tmp/out"
check "text: by service" grep -q '^  depot-fr-server  *2  *2  *0  ' \
	"$tmp/out"
check "text: by rule" grep -q '^  block-rtsp-pull  *1  *1  *0$' "$tmp/out"
check "text: by camera" grep -q \
	'^  10.20.0.5  *city-squares  *3  *3  *0  depot-fr-server$' "$tmp/out"

# Camera analytics (expected/analytics.pcap.jsonl has the verdicts): the
# same flows under camera-analytics: log pass and are recorded; `policy
# explain --markers` says what the scan says.
c=$(counters "$tmp/caps/analytics.pcap")
check "analytics: requests to cameras wait for the cameras' first bytes" \
	has "$c" '"flows_watched_for_markers":5'
check "analytics: flows with markers counted" has "$c" \
	'"flows_reported_with_markers":6'
sed 's/camera-analytics: block/camera-analytics: log/' "$policy" \
	> "$tmp/log.yaml"
"$rbictl" scan -p "$tmp/log.yaml" --format jsonl \
	"$tmp/caps/analytics.pcap" > "$tmp/out" 2> "$tmp/err"
check "analytics, log: the face-library search passes, recorded" grep -q \
	'"sport":50000,.*"verdict":"allow",.*"rule":"block-camera-analytics","markers":\["face-library"\]}' \
	"$tmp/out"
check "analytics, log: nothing blocked, five flows logged" grep -q \
	'"report":{"flows":8,"blocked":0,"logged":5,' "$tmp/err"
e=$("$rbictl" policy explain -p "$policy" --src 10.10.0.7 \
	--dst 10.20.0.5 --app http --markers face-library)
check "analytics: explain --markers agrees with the scan" has "$e" \
	'"verdict":"block",.*"rule":"block-camera-analytics"'
"$rbictl" policy explain -p "$policy" --src 10.10.0.7 --dst 10.20.0.5 \
	--markers face > /dev/null 2>&1
check "analytics: explain --markers with no such marker: usage error" \
	test $? = 2

# 3000 flows, 256 at a time: all named with room, and with a table of 16
# flows evictions are counted and nothing else goes wrong.
"$gen_bench" "$tmp/crowd.pcap" 3000 > /dev/null
c=$(counters "$tmp/crowd.pcap")
check "crowd: every flow named" has "$c" '"flows_named":3000'
check "crowd: nothing evicted" has "$c" '"ended_evicted":0'
c=$(counters --max-flows 16 "$tmp/crowd.pcap")
check "crowd, 16 flows: table bounded" has "$c" '"capacity":16,[^}]*"peak":16'
check "crowd, 16 flows: evictions counted" has "$c" \
	'"flows_evicted_undecided":[1-9]'
scan --max-flows 15 "$tmp/crowd.pcap" > /dev/null 2>&1
check "--max-flows below 16: usage error" test $? = 2

# Progress on a terminal: a capture that arrives through a pipe with a
# pause takes more than the second after which the progress line appears;
# the same run with stderr redirected prints no progress at all.
slow_crowd() {
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo"
	(head -c 4096 "$tmp/crowd.pcap"; sleep 1.2
	 tail -c +4097 "$tmp/crowd.pcap") > "$tmp/fifo" &
}
if command -v script > /dev/null; then
	slow_crowd
	TERM=xterm script -qc "'$rbictl' scan -p '$policy' '$tmp/fifo'" /dev/null \
		> "$tmp/tty" 2>&1
	wait
	check "progress: on a terminal, packets and rate" grep -q \
		"$(printf '\r')[0-9.]* [KMG]*i*B, [0-9]* packets, .*/s" "$tmp/tty"
	check "progress: erased before the summary" grep -q \
		"$(printf '\r\033')\[K1 input, " "$tmp/tty"
else
	echo "SKIP: progress on a terminal (no script(1))"
fi
slow_crowd
scan "$tmp/fifo" > "$tmp/out" 2> "$tmp/err"
wait
check "progress: none when stderr is not a terminal" test ! -s "$tmp/err"
check "progress: no escape codes in redirected output" \
	test "$(tr -d '\r\033' < "$tmp/out" | cmp - "$tmp/out" 2>&1)" = ""

# The command line: counted nouns agree with their counts.
out=$("$rbictl" policy check -p "$policy" 2>&1)
check "policy check: one recorder, two zones" has "$out" \
	': valid: 2 zones, 1 recorder, '

# A mistyped command or option: the nearest one is suggested, on one line.
said() {
	"$rbictl" "$@" 2>&1 >/dev/null
}
check "did you mean: a command" test "$(said scna x.pcap)" = \
	"rbictl: no command 'scna'; did you mean 'rbictl scan'?"
check "did you mean: a subcommand" test "$(said policy chekc)" = \
	"rbictl policy: no subcommand 'chekc'; did you mean 'rbictl policy check'?"
check "did you mean: a group" test "$(said polcy check)" = \
	"rbictl: no command 'polcy check'; did you mean 'rbictl policy check'?"
check "did you mean: nothing near" test "$(said frobnicate)" = \
	"rbictl: no command 'frobnicate'; see 'rbictl --help'"
check "did you mean: an option" has "$(said scan --fromat jsonl x.pcap)" \
	"^rbictl scan: unknown option '--fromat'; did you mean '--format'?$"
"$rbictl" scna > /dev/null 2>&1
check "did you mean: exit 2" test $? = 2

# Starts watch in the background (wpid), with a watchdog (dog) that kills
# it after 20 s whatever happens, so that no check waits forever.
watch_bg() {
	"$@" &
	wpid=$!
	(sleep 20; kill -9 "$wpid" 2>/dev/null) &
	dog=$!
}

watch_end() {
	kill "$wpid" 2>/dev/null
	wait "$wpid" 2>/dev/null
	kill "$dog" 2>/dev/null
	wait "$dog" 2>/dev/null
}

# A quiet interface: SIGINT and SIGTERM end watch within 100 ms, from the
# signal to its summary (the kernel may take longer to release the packet
# socket after that). The best of three tries counts, so that a machine
# busy with other work does not fail it.
watch_signals() {
	for sig in INT TERM; do
		best=
		for try in 1 2 3; do
			watch_bg "$rbictl" watch -i lo -p "$policy" \
				--filter 'udp port 9' > "$tmp/quiet" 2>&1
			sleep 1
			t0=$(date +%s%N)
			kill -"$sig" "$wpid"
			i=0
			while ! grep -q '^1 input, ' "$tmp/quiet" &&
			      [ "$i" -lt 400 ]; do
				sleep 0.005
				i=$((i + 1))
			done
			ms=$((($(date +%s%N) - t0) / 1000000))
			watch_end
			[ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
			[ "$best" -lt 100 ] && break
		done
		check "watch: SIG$sig on a quiet interface ends it ($best ms)" \
			test "$best" -lt 100
	done
}

# A SYN to an address the policy blocks, sent again and never answered:
# printed once decided, while watch goes on. In a namespace of its own,
# where the SYN is routed nowhere.
watch_syn() {
	ns=rbiscan$$
	if ! ip netns add "$ns" 2>/dev/null; then
		echo "SKIP: watch: an unanswered SYN (no network namespaces)"
		return
	fi
	ip -n "$ns" link set lo up
	watch_bg ip netns exec "$ns" "$rbictl" watch -i lo -p "$policy" \
		--format jsonl --filter tcp > "$tmp/syn" 2> /dev/null
	sleep 1
	for i in 1 2; do
		ip netns exec "$ns" "$gen" --send-syn lo 10.20.0.5 10.10.9.21 \
			18411
		sleep 1
	done
	check "watch: an unanswered SYN blocked by address, printed at once" \
		grep -q '"dport":18411,.*"verdict":"block"' "$tmp/syn"
	watch_end
	ip netns del "$ns"
}

# Sends a DNS query for a blocked name to the loopback interface each
# second until the watch started with -c 1 has seen one (or 5 s passed).
watch_dns() {
	for i in 1 2 3 4 5; do
		sleep 1
		"$gen" --send-dns 127.0.0.1 53 \
			rekognition.eu-west-1.amazonaws.com
		kill -0 "$wpid" 2>/dev/null || break
	done
	watch_end
}

dns_filter='udp dst port 53 and host 127.0.0.1'

# Text lines: a block in bold red on a terminal, plain when redirected.
# The built-in policy's one zone holds the loopback addresses too.
watch_color() {
	esc=$(printf '\033')
	all=$here/../../policies/default.yaml
	if command -v script > /dev/null; then
		watch_bg env -u NO_COLOR TERM=xterm script -qc \
			"'$rbictl' watch -i lo -p '$all' \
			--filter '$dns_filter' -c 1" /dev/null > "$tmp/wtty" 2>&1
		watch_dns
		check "watch: on a terminal, a block in bold red" grep -q \
			"${esc}\[1;31mblock${esc}\[0m udp " "$tmp/wtty"
	else
		echo "SKIP: watch on a terminal (no script(1))"
	fi
	watch_bg "$rbictl" watch -i lo -p "$all" --filter "$dns_filter" \
		-c 1 > "$tmp/wtxt" 2>&1
	watch_dns
	check "watch: redirected, a block line" grep -q ' block udp ' \
		"$tmp/wtxt"
	check "watch: redirected, no escape codes" test -z \
		"$(grep "$esc" "$tmp/wtxt")"
}

# watch: live on the loopback interface, when allowed to capture.
if [ "$(id -u)" = 0 ] && ip link show lo > /dev/null 2>&1; then
	watch_bg "$rbictl" watch -i lo -p "$policy" --format jsonl \
		--filter "$dns_filter" -c 1 > "$tmp/watch" 2> "$tmp/werr"
	watch_dns
	if grep -q '^rbictl watch: lo: ' "$tmp/werr"; then
		echo "SKIP: watch: cannot capture here:" \
			"$(head -n 1 "$tmp/werr")"
	else
		check "watch: a live flow named" grep -q \
			'"name":"rekognition.eu-west-1.amazonaws.com"' \
			"$tmp/watch"
		check "watch: counters at the end" grep -q \
			'^{"type":"summary"' "$tmp/werr"
		watch_signals
		watch_syn
		watch_color
	fi
else
	echo "SKIP: watch (needs root and the loopback interface)"
fi

# The demo (tests/demo.sh) written to a file: bold headings on a terminal
# only, so its log carries no escape codes. As root, with its tools.
demo_missing=
for t in ip dnsmasq socat openssl curl dig ss tput; do
	command -v "$t" > /dev/null || demo_missing="$demo_missing $t"
done
if [ "$(id -u)" = 0 ] && [ -z "$demo_missing" ]; then
	TERM=xterm timeout 120 bash "$here/../demo.sh" "$rbictl" \
		> "$tmp/demo" 2>&1
	check "demo: runs to the end" grep -q '^.*== done' "$tmp/demo"
	check "demo: no escape codes in its log" test -z \
		"$(grep "$(printf '\033')" "$tmp/demo")"
else
	echo "SKIP: demo (needs root; missing:${demo_missing:- none})"
fi

echo "scan: $pass passed, $fail failed"
[ "$fail" = 0 ]
