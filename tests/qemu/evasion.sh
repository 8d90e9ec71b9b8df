# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The evasion suite, sourced by check.sh: what a camera firmware that wants
# to reach its face-recognition cloud would try against rbiblock.ko, played
# with evade (raw sockets), each case asserting at the server that the
# prohibited bytes never arrived and, in the audit log, that the record of
# the flow names the rule and, for a fail-closed one, the reason. Ordinary
# traffic must still pass. The policy is the suite's with on-failure:
# closed; the daemon records.
#
# Sinks on 198.51.100.7 ports 9001-9040 (9100 greets first, as a server
# that speaks first does); each case has its own port, so that its record
# is told apart from the others'.

FACE=face.example.net
OK_HOST=www.example.org
CLOSED=/tmp/policy-closed.yaml
EV_BLOCKS=/tmp/evasion-blocks.jsonl
EV_PORTS="9001 9002 9003 9004 9005 9006 9007 9008 9009 9010 9011 9012 9013
	9014 9015 9016 9017 9018 9019 9020 9021 9022 9023 9024 9025 9026 9027
	9028 9029 9030 9031 9032"

# The camera's stack must not reset the connections evade makes, and a
# packet reaching the server's host with TTL 1 dies there: a first copy
# lost between the gateway and the server.
evasion_network() {
	in_cam $NFT -f - <<-EOF
	table ip evasion {
		chain out {
			type filter hook output priority 0; policy accept;
			tcp sport { 53, 61000-61999 } tcp flags rst meta mark != 0x4e drop
		}
	}
	EOF
	in_net $NFT -f - <<-EOF
	table ip evasion {
		chain pre {
			type filter hook prerouting priority -300; policy accept;
			ip ttl 1 counter drop
		}
	}
	EOF
	# One segment larger than the window crosses the camera's link.
	$IP -n cam link set c0 mtu 30000
	$IP -n gw link set g0 mtu 30000
	for p in $EV_PORTS; do
		start_sink net "$p"
	done
	start_sink net 9100 "-g 5000"
	start_sink gw 3128
	in_net $UDPX sink 4433 /tmp/udp/net-4433 &
	in_net $UDPX sink 4434 /tmp/udp/net-4434 &
	sed 's/on-failure: open/on-failure: closed/' $POLICY >$CLOSED
}

# Starts rbictl run on the closed policy; LOG is its output.
evasion_daemon() {
	in_gw $RBICTL run -p $CLOSED --backend module \
		--pid-file /tmp/rbictl.pid >"$1" 2>&1 &
	n=0
	until grep -q '^module events: listening' "$1" || [ $n -ge 100 ]; do
		sleep 0.2
		n=$((n + 1))
	done
}

# ev NAME WANT PORT [-p SPORT] CASE [ARG [ARG2]]: plays CASE to PORT.
# WANT: none (no byte reaches the server), part (not every byte sent),
# upto:N (at most N bytes), all (every byte sent).
ev() {
	name=$1 want=$2 port=$3
	shift 3
	opts=
	if [ "$1" = -p ]; then
		opts="-p $2"
		shift 2
	fi
	case=$1
	shift
	out=$(in_cam $EVADE -t 1 $opts "$case" 10.20.0.5 198.51.100.7 "$port" "$@")
	cport=${out%% *}
	cport=${cport#port=}
	sent=${out##*sent=}
	sent=${sent%% *}
	[ "$want" = all ] && sleep 0.5
	got=$(sink_bytes net "$port" "$cport")
	case $want in
	none) [ "$got" -eq 0 ] ;;
	part) [ "$got" -lt "$sent" ] ;;
	upto:*) [ "$got" -le "${want#upto:}" ] ;;
	all) [ "$got" -eq "$sent" ] && [ "$sent" -gt 0 ] ;;
	esac
	if [ $? = 0 ]; then
		pass "evasion: $name ($got bytes at the server; $out)"
	else
		fail "evasion: $name ($got bytes at the server, want $want; $out)"
	fi
}

# rec PORT RULE [FAIL]: the audit log has the flow's block record.
rec() {
	pat="\"dport\":$1,.*\"rule\":\"$2\""
	[ -n "${3:-}" ] && pat="$pat.*\"fail\":\"$3\""
	if grep -q "$pat" $EV_BLOCKS; then
		pass "audit: port $1 recorded as $2${3:+ ($3)}"
	else
		fail "audit: port $1 not recorded as $2${3:+ ($3)}"
		grep "\"dport\":$1," /tmp/evasion-all.jsonl | head -n 3
	fi
}

stream_bytes() {
	sink_bytes net "$1" "$(ls /tmp/sink/net-$1 | sed -n 's/^conn-//p' |
		head -n 1)"
}

# A connection open before the module had a configuration never shows it
# its SYN, and its conntrack entry has no labels: once the module is in
# use, none of its later bytes pass.
t_evasion_older() {
	in_gw $RBICTL apply -p $CLOSED --backend nft >/dev/null
	in_cam $TCPX send -b 20 -d 200 -t 3 -a 2 198.51.100.7 9032 raw \
		"$(printf '%0400d' 0)" >/tmp/older.out &
	older=$!
	sleep 1
	load_module
	evasion_daemon /tmp/run3.log
	wait $older
	got=$(stream_bytes 9032)
	check "evasion: a flow older than the configuration stops ($got of 400 bytes)" \
		[ "$got" -lt 400 ]
}

t_evasion() {
	ev "urgent byte before the hello" none 9001 urgent $FACE
	ev "data in the SYN" none 9002 syn-data $FACE
	ev "a SYN with another ISN, then the hello" none 9003 syn-resync $FACE
	ev "an RST inside the window, then the hello" none 9004 rst-window $FACE
	ev "an RST at the next byte that dies, then the hello" none 9005 \
		rst-ttl $FACE
	ev "a first copy naming another host dies; the hello follows" none \
		9006 ttl-hello $FACE
	ev "a first copy of another protocol dies; the hello follows" none \
		9007 ttl-junk $FACE
	ev "a FIN that dies, then the rest of the hello" upto:60 9008 \
		fin-ttl $FACE
	ev "two host names in one SNI list" none 9009 two-names $FACE
	ev "a ClientHello past 16 KiB" part 9010 big $FACE
	ev "a ClientHello in 1-byte records" part 9011 records $FACE
	ev "one segment larger than the window" none 9012 big-segment $FACE
	ev "a server that talks at length first" none 9100 server-first $FACE
	ev "a hello without a handshake" none 9013 midstream $FACE
	ev "keep-alive: the second request names the service" upto:41 9014 \
		keepalive $FACE
	ev "pipelined requests" none 9015 pipelined $FACE
	ev "two Host fields" none 9016 dup-host $FACE
	ev "Content-Length beside Transfer-Encoding" none 9017 cl-te $FACE
	ev "a request after a chunked body" none 9018 chunked $FACE
	ev "HTTP/2 in clear text" none 9019 h2c $FACE
	ev "TLS from source port 53" none 9020 -p 53 hello $FACE
	ev "ordinary: a hello naming an ordinary host" all 9029 hello $OK_HOST
	ev "ordinary: keep-alive requests to an ordinary host" all 9030 \
		keepalive $OK_HOST
	ev "ordinary: a chunked upload, then a request" all 9031 chunked \
		$OK_HOST
	# A port forward: judged by the camera it reaches, not the gateway.
	in_gw $NFT -f - <<-EOF
	table ip evasion_nat {
		chain pre {
			type nat hook prerouting priority dstnat; policy accept;
			ip daddr 198.51.100.1 tcp dport 8554 dnat to 10.20.0.5:554
		}
	}
	EOF
	tcp_case "evasion: an RTSP pull through a port forward" none cam 554 \
		net 198.51.100.1 8554 rtsp rtsp://198.51.100.1:8554/live
	tcp_case "evasion: CONNECT to the service through a proxy on the gateway" \
		none gw 3128 cam 10.20.0.1 3128 connect $FACE
	in_cam $UDPX send -q -n 2 198.51.100.7 4433
	in_cam $EVADE quic-late 10.20.0.5 198.51.100.7 4434 >/dev/null
	sleep 0.5
	check "evasion: QUIC on port 4433 (none of 2 arrived)" \
		[ "$(cat /tmp/udp/net-4433 2>/dev/null || echo 0)" = 0 ]
	check "evasion: QUIC after a datagram of another protocol (1 of 2)" \
		[ "$(cat /tmp/udp/net-4434 2>/dev/null || echo 0)" = 1 ]
}

# Answers nobody asked for teach nothing, and cannot push out what a
# camera's real query taught.
t_evasion_dns() {
	in_cam $DNSX query -w 2 198.51.100.53 $FACE >/dev/null
	in_net $EVADE dns-spoof 198.51.100.53 10.20.0.5 5353 200 >/dev/null
	in_gw $RBIMOD learned >/tmp/ev-learned
	check "evasion: 200 answers nobody asked for taught nothing" \
		sh -c '! grep -q "^198\.51\.100\.1[0-9][0-9] " /tmp/ev-learned'
	check "evasion: the answer to the camera's query is still learned" \
		grep -q "^198.51.100.22 " /tmp/ev-learned
}

# Resources: the module again, with a small table and budget and a short
# idle time, so that they run out within the suite.
t_evasion_resources() {
	stop_daemon
	unload_module
	load_module selftest=0 flows_max=24 flow_bytes_max=3000 idle_secs=3
	evasion_daemon /tmp/run4.log
	ev "a hello stalled until its state expires" upto:60 9021 stall \
		$FACE 5
	in_cam $EVADE -t 5 hold 10.20.0.5 198.51.100.7 9022 4 >/dev/null &
	hold=$!
	sleep 1
	ev "no budget left for the flow's bytes" none 9023 hello $FACE
	wait $hold
	in_cam $EVADE -t 0 flood 10.20.0.5 198.51.100.7 9024 100 >/dev/null
	ev "the flow table full: a camera's flow fails closed" none 9025 \
		hello $OK_HOST
	sleep 6
	ev "after the flood, a camera's flow passes again" all 9026 hello \
		$OK_HOST
}

# rbiblock.ko gone while the ruleset relies on it: the daemon fails
# closed until it is back.
t_evasion_module_gone() {
	unload_module
	n=0
	until grep -q 'module-gone' /tmp/run4.log || [ $n -ge 30 ]; do
		sleep 0.2
		n=$((n + 1))
	done
	ev "the module gone: camera egress fails closed" none 9027 hello \
		$OK_HOST
	load_module selftest=0
	n=0
	until grep -q 'module-back' /tmp/run4.log || [ $n -ge 30 ]; do
		sleep 0.2
		n=$((n + 1))
	done
	sleep 1
	ev "the module back: camera egress passes" all 9028 hello $OK_HOST
}

t_evasion_audit() {
	stop_daemon
	$RBICTL audit show /tmp/audit --since "$ev_since" --format jsonl \
		>/tmp/evasion-all.jsonl
	$RBICTL audit show /tmp/audit --since "$ev_since" --type block \
		--format jsonl >$EV_BLOCKS
	rec 9001 fail-closed urgent-data
	rec 9002 fail-closed syn-data
	rec 9003 prohibit-rbi
	rec 9004 prohibit-rbi
	rec 9005 prohibit-rbi
	rec 9006 fail-closed rewritten-retransmission
	rec 9007 fail-closed rewritten-retransmission
	rec 9008 fail-closed rewritten-retransmission
	rec 9009 fail-closed tls-malformed
	rec 9010 fail-closed too-big
	rec 9011 prohibit-rbi
	rec 9012 prohibit-rbi
	rec 9100 fail-closed server-first
	rec 9013 fail-closed midstream
	rec 9014 prohibit-rbi
	rec 9015 prohibit-rbi
	rec 9016 fail-closed ambiguous
	rec 9017 fail-closed ambiguous
	rec 9018 prohibit-rbi
	rec 9019 fail-closed uninspectable
	rec 9020 prohibit-rbi
	rec 554 block-rtsp-pull
	rec 3128 prohibit-rbi
	rec 4433 block-quic
	rec 4434 block-quic
	rec 9021 fail-closed expired
	rec 9023 fail-closed out-of-memory
	rec 9025 fail-closed flow-table-full
	check "the daemon says why a flow failed closed" \
		grep -q '^  fail-closed (urgent-data): the client sent urgent data' \
		/tmp/run3.log
	check "audit: the daemon recorded the module going away" \
		grep -q '"what":"module-gone"' /tmp/evasion-all.jsonl
	check "audit log verifies after the evasion suite" \
		$RBICTL audit verify /tmp/audit --pub /tmp/audit.pub
}

t_evasion_all() {
	ev_since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	evasion_network
	t_evasion_older
	t_evasion
	t_evasion_dns
	t_evasion_resources
	t_evasion_module_gone
	t_evasion_audit
	in_gw $RBICTL flush >/dev/null
	check "rbictl flush clears the module's configuration: it unloads" \
		rmmod rbiblock
	$IP -n cam link set c0 mtu 1500
	$IP -n gw link set g0 mtu 1500
}
