# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The end-to-end suite, run by the guest's /init: rbiblock.ko on Debian's
# kernel, enforcing through the ruleset `rbictl apply` installs, with real
# traffic between network namespaces. One PASS:/FAIL: line per case; exit
# status 0 only when every case passed.
. /suite/lib.sh
. /suite/evasion.sh
. /suite/flowtable.sh

RBI=rekognition.eu-west-1.amazonaws.com
OK=www.example.org
EVENTS=/tmp/events.jsonl

# tcp_case NAME block|none|pass SINK-NS PORT FROM-NS TCPX-SEND-ARGS...
# block: not every byte reaches the server; none: not a single one.
tcp_case() {
	name=$1 want=$2 sns=$3 sport=$4 from=$5
	shift 5
	out=$($IP netns exec "$from" $TCPX send -t 2 "$@")
	len=${out##*len=}
	cport=${out%% *}
	cport=${cport#port=}
	if [ "$want" = pass ]; then
		n=0
		while [ "$(sink_bytes "$sns" "$sport" "$cport")" -lt "$len" ] &&
		      [ $n -lt 20 ]; do
			sleep 0.1
			n=$((n + 1))
		done
	fi
	got=$(sink_bytes "$sns" "$sport" "$cport")
	what="$got of $len bytes reached the server; $out"
	if { [ "$want" = block ] && [ "$got" -lt "$len" ]; } ||
	   { [ "$want" = none ] && [ "$got" -eq 0 ]; } ||
	   { [ "$want" = pass ] && [ "$got" -eq "$len" ]; }; then
		pass "$name ($what)"
	else
		fail "$name ($what)"
	fi
}

learned_syns() {
	in_net $NFT list counter inet probe learned_syn |
		awk '/packets/ { print $2 }'
}

# dns_case NAME block|pass DNSX-QUERY-ARGS...: resolve, connect at once.
dns_case() {
	name=$1 want=$2
	shift 2
	before=$(learned_syns)
	out=$(in_cam $DNSX query -w 2 -c 443 "$@" | tr '\n' ' ')
	after=$(learned_syns)
	case $want in
	block)
		echo "$out" | grep -q 'connect=failed' &&
			[ "$before" = "$after" ] ;;
	pass)
		echo "$out" | grep -q 'connect=ok' ;;
	esac
	if [ $? = 0 ]; then
		pass "$name ($out; SYNs at the server: $((after - before)))"
	else
		fail "$name ($out; SYNs at the server: $((after - before)))"
	fi
}

# Stops rbictl run and waits up to 5 s for it to remove its pid file, which
# it does last on a clean stop, after its stop record and checkpoint.
stop_daemon() {
	kill "$(cat /tmp/rbictl.pid)"
	n=0
	while [ -f /tmp/rbictl.pid ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
}

has_event() {
	grep "$1" $EVENTS | grep -q "$2"
}

servers() {
	start_sink net 443
	start_sink net 80
	start_sink cam 80
	start_sink cam 554
	start_sink cam 8554
	mkdir -p /tmp/udp
	in_net $UDPX sink 443 /tmp/udp/net-443 &
	in_net $DNSX serve 53 \
		"$RBI=198.51.100.20@0" \
		cdn.example.org=198.51.100.21 \
		"alias.example.org>face.example.net" \
		face.example.net=198.51.100.22 \
		tcp.faceid.example.net=198.51.100.24 \
		v6.faceid.example.net=2001:db8:100::20 &
	in_gw $DNSX serve 53 gw.faceid.example.net=198.51.100.23 &
	# SYNs that reach the addresses only DNS answers name.
	in_net $NFT -f - <<-EOF
	table inet probe {
		counter learned_syn { }
		chain input {
			type filter hook input priority 0; policy accept;
			ip daddr 198.51.100.20-198.51.100.29 tcp flags & (syn | ack) == syn counter name learned_syn
			ip6 daddr 2001:db8:100::20 tcp flags & (syn | ack) == syn counter name learned_syn
		}
	}
	EOF
	wait_file /tmp/udp/net-443 50
}

t_load() {
	check "module loads, self-tests pass" load_module
	check "self-test report in the kernel log" \
		sh -c 'dmesg | grep -q "rbiblock self-tests: pass"'
	for g in tls dns name addr http rtsp analytics inspect; do
		dmesg | grep -q "rbiblock: selftest $g: pass" ||
			fail "self-test group $g"
	done
}

apply() {
	in_gw $RBICTL apply -p "$1" --backend module
}

# The daemon applies the policy to nft and the module, then records the
# blocks the ruleset logs, the module's verdicts among them, in the audit
# log (audit.dir and audit.key of the policy, under /tmp).
t_apply() {
	$RBICTL keygen --origin qemu.invalid/rbiblock -o /tmp/audit >/dev/null
	in_gw $RBICTL run -p $POLICY --backend module \
		--pid-file /tmp/rbictl.pid >/tmp/run.log 2>&1 &
	n=0
	until in_gw $RBIMOD status 2>/dev/null | grep -q '^generation=1$' ||
	      [ $n -ge 100 ]; do
		sleep 0.2
		n=$((n + 1))
	done
	in_gw $RBIMOD status >/tmp/status
	check "rbictl run loads the module's configuration" \
		grep -q '^generation=1$' /tmp/status
	check "rbictl run installs the ruleset's module chain" \
		quiet in_gw $NFT list chain inet rbiblock module_verdicts
	check "rbictl run listens to the module's events" \
		grep -q '^module events: listening' /tmp/run.log
	in_gw $RBICTL status --json -p $POLICY >/tmp/status.json
	check "status: the module holds the applied policy, generation 1" \
		grep -q '"module_state":{"generation":1,"policy":"qemu-suite",.*"policy_applied":true' \
		/tmp/status.json
	in_gw $RBIMOD events -t 600 >$EVENTS &
	check "event listener joins the group" wait_file $EVENTS 50
}

t_sni() {
	tcp_case "SNI of an RBI service, one segment" block net 443 cam \
		198.51.100.7 443 hello $RBI
	tcp_case "SNI, ClientHello in 2 segments" block net 443 cam \
		-s 2 198.51.100.7 443 hello $RBI
	tcp_case "SNI, ClientHello in 3 segments" block net 443 cam \
		-s 3 198.51.100.7 443 hello $RBI
	tcp_case "SNI, ClientHello in 1-byte segments" block net 443 cam \
		-b 1 -d 1 -t 3 198.51.100.7 443 hello $RBI
	tcp_case "SNI of an ordinary name passes" pass net 443 cam \
		-s 3 198.51.100.7 443 hello $OK
	tcp_case "SNI over IPv6, 2 segments" block net 443 cam \
		-s 2 2001:db8:100::7 443 hello face.example.net
	tcp_case "IPv6, ordinary name passes" pass net 443 cam \
		-s 2 2001:db8:100::7 443 hello $OK
}

# netem holds back every packet but each second one for 100 ms, so the
# segments of a hello reach the gateway out of order; the module drops
# those that come early and the client resends them in order.
t_reorder() {
	before=$(in_gw $RBIMOD status | awk -F= '$1 == "ooo_drops" { print $2 }')
	in_cam $TC qdisc add dev c0 root netem delay 100ms reorder 100% gap 2
	tcp_case "SNI, 3 segments out of order" block net 443 cam \
		-s 3 -d 0 -t 4 198.51.100.7 443 hello $RBI
	tcp_case "out of order, ordinary name: every byte arrives" pass \
		net 443 cam -s 3 -d 0 -t 4 198.51.100.7 443 hello $OK
	in_cam $TC qdisc del dev c0 root
	after=$(in_gw $RBIMOD status | awk -F= '$1 == "ooo_drops" { print $2 }')
	check "segments out of order were dropped ($((after - before)))" \
		[ "$after" -gt "$before" ]
}

t_http_rtsp() {
	tcp_case "HTTP Host of an RBI service" block net 80 cam \
		198.51.100.8 80 http face.example.net
	tcp_case "HTTP Host, request in 4 segments" block net 80 cam \
		-s 4 198.51.100.8 80 http api.faceid.example.net
	tcp_case "HTTP of an ordinary host passes" pass net 80 cam \
		198.51.100.8 80 http $OK
	tcp_case "RTSP pull on 554 by a non-recorder" block cam 554 net \
		-B 198.51.100.7 10.20.0.5 554 rtsp rtsp://10.20.0.5/live
	tcp_case "RTSP DESCRIBE on 8554 by a non-recorder" block cam 8554 net \
		-B 198.51.100.7 10.20.0.5 8554 rtsp rtsp://10.20.0.5:8554/live
	tcp_case "RTSP pull by the recorder passes" pass cam 8554 net \
		-B 198.51.100.10 10.20.0.5 8554 rtsp rtsp://10.20.0.5:8554/live
}

t_dns() {
	dns_case "DNS over UDP: first SYN to the learned address dropped" \
		block 198.51.100.53 $RBI
	dns_case "DNS: an ordinary name's address is reachable" \
		pass 198.51.100.53 cdn.example.org
	dns_case "DNS: CNAME chain to a service name" \
		block 198.51.100.53 alias.example.org
	dns_case "DNS over TCP" block -t 198.51.100.53 tcp.faceid.example.net
	dns_case "DNS from the gateway's own resolver" \
		block 10.20.0.1 gw.faceid.example.net
	dns_case "DNS over IPv6, AAAA" block -6 2001:db8:100::53 \
		v6.faceid.example.net
	in_gw $RBIMOD learned >/tmp/learned
	check "learned addresses in the module's dump" \
		grep -q "^198.51.100.20 aws-rekognition " /tmp/learned
	check "learned over TCP, IPv6 and from the local resolver" sh -c \
		'grep -q "^198.51.100.24 " /tmp/learned &&
		 grep -q "^2001:db8:100::20 " /tmp/learned &&
		 grep -q "^198.51.100.23 " /tmp/learned'
	in_gw $RBICTL status -p $POLICY >/tmp/status.txt
	check "status lists the module's learned addresses" \
		grep -q '^    198.51.100.20  *aws-rekognition, [0-9]* s left' \
		/tmp/status.txt
	in_gw $RBICTL status --json -p $POLICY >/tmp/status.json
	check "status --json: learned addresses, counters, events held back" \
		grep -q '"events_suppressed":0,.*"counters":{"packets":[0-9]*,.*"learned":\[.*{"addr":"198.51.100.24","service":"test-face-cloud","expires":' \
		/tmp/status.json
}

quic_count() {
	cat /tmp/udp/net-443
}

t_ech_quic() {
	tcp_case "ECH blocked under encrypted-client-hello: block" block \
		net 443 cam 198.51.100.7 443 hello-ech $OK
	before=$(quic_count)
	in_cam $UDPX send -q -n 3 198.51.100.7 443
	sleep 0.5
	check "QUIC blocked under quic: block" [ "$(quic_count)" = "$before" ]
	sed -e 's/encrypted-client-hello: block/encrypted-client-hello: log/' \
	    -e 's/^  quic: block/  quic: log/' $POLICY >/tmp/policy-log.yaml
	check "apply the policy with ech and quic: log" \
		apply /tmp/policy-log.yaml
	tcp_case "ECH allowed and logged under ech: log" pass \
		net 443 cam 198.51.100.7 443 hello-ech $OK
	in_cam $UDPX send -q -n 3 198.51.100.7 443
	sleep 0.5
	check "QUIC allowed under quic: log" [ "$(quic_count)" -gt "$before" ]
	check "apply the strict policy again" apply $POLICY
}

# The daemon's records of the blocks the module decided.
t_audit() {
	stop_daemon
	$RBICTL audit show /tmp/audit --type block --format jsonl \
		>/tmp/blocks.jsonl
	$RBICTL audit show /tmp/audit --type log --format jsonl >/tmp/logs.jsonl
	check "audit log: the module's SNI block recorded with its name" \
		grep -q "\"app\":\"tls\",\"name\":\"$RBI\",\"ech\":false,.*\"rule\":\"prohibit-rbi\".*\"backend\":\"module\"" \
		/tmp/blocks.jsonl
	# t_sni and t_reorder: five hellos naming $RBI to 198.51.100.7.
	sni=$(grep -c '"dst":"198.51.100.7","dport":443,.*"rule":"prohibit-rbi"' \
		/tmp/blocks.jsonl)
	named=$(grep -c "\"dst\":\"198.51.100.7\",\"dport\":443,.*\"name\":\"$RBI\"" \
		/tmp/blocks.jsonl)
	check "audit log: one record per SNI flow, event and copies merged ($sni records, $named named)" \
		[ "$sni/$named" = 5/5 ]
	check "audit log: ECH under ech: log is a log record, ech true" \
		grep -q '"app":"tls",.*"ech":true,.*"rule":"block-ech".*"backend":"module"' \
		/tmp/logs.jsonl
	check "audit log: the module's RTSP pull block recorded" \
		grep -q '"rule":"block-rtsp-pull"' /tmp/blocks.jsonl
	check "audit log: the module's camera-analytics block recorded" \
		grep -q '"rule":"block-camera-analytics"' /tmp/blocks.jsonl
	check "audit log verifies" $RBICTL audit verify /tmp/audit \
		--pub /tmp/audit.pub
}

# A face-library search as a face server sends it to a camera: the head
# and its body in one segment.
fdsearch() {
	body='{"searchResultPosition":0,"maxResults":32,'
	body=$body'"faceLibType":"blackFD"}'
	printf 'POST /ISAPI/Intelligent/FDLib/FDSearch?format=json HTTP/1.1\r\n'
	printf 'Host: %s\r\nContent-Type: application/json\r\n' "$1"
	printf 'Content-Length: %d\r\n\r\n%s' "${#body}" "$body"
}

# Camera analytics: the module finds the markers in the client's request
# and, under camera-analytics: block, drops the segment that carries them
# when the camera is in a publicly accessible zone; a camera of a
# staff-only zone (10.30.5.5, the same namespace) is outside the
# prohibition; under camera-analytics: log the request passes and the
# module reports it.
t_analytics() {
	$IP -n cam addr add 10.30.5.5/24 dev c0
	$IP -n gw addr add 10.30.5.1/24 dev g0
	$IP -n net route add 10.30.5.0/24 via 198.51.100.1
	awk '{ print }
	/^    networks: \[10\.20\.0\.0\/24/ {
		print "  - name: staff-door"
		print "    publicly-accessible: false"
		print "    networks: [10.30.5.0/24]"
	}' $POLICY >/tmp/policy-staff.yaml
	check "apply the policy with a staff-only camera zone" \
		apply /tmp/policy-staff.yaml
	n="camera analytics: /ISAPI/Intelligent/FDLib request to a public-zone"
	n="$n camera is blocked (no byte of the request reaches the camera)"
	tcp_case "$n" none cam 80 net -B 198.51.100.8 10.20.0.5 80 raw \
		"$(fdsearch 10.20.0.5)"
	n="camera analytics: the same request to a staff-zone camera passes"
	tcp_case "$n" pass cam 80 net -B 198.51.100.8 10.30.5.5 80 raw \
		"$(fdsearch 10.30.5.5)"
	n="camera analytics: an FDLib request in 3 segments is blocked at the"
	n="$n first, which holds the marker (no byte reaches the camera)"
	tcp_case "$n" none cam 80 net -s 3 -B 198.51.100.8 10.20.0.5 80 raw \
		"$(fdsearch 10.20.0.5)"
	sed 's/camera-analytics: block/camera-analytics: log/' \
		/tmp/policy-staff.yaml >/tmp/policy-analytics-log.yaml
	check "apply the policy with camera-analytics: log" \
		apply /tmp/policy-analytics-log.yaml
	tcp_case "camera-analytics: log lets the request pass" pass cam 80 \
		net -B 198.51.100.8 10.20.0.5 80 raw "$(fdsearch 10.20.0.5)"
	sleep 0.5
	check "camera-analytics: log emits a log event" has_event \
		'"dst":"10.20.0.5","dport":80' \
		'"verdict":"allow","log":true,.*"rule":"block-camera-analytics"'
	check "apply the strict policy again" apply $POLICY
}

t_events() {
	sleep 0.5
	check "event: SNI block, rule prohibit-rbi" \
		has_event "\"name\":\"$RBI\"" '"rule":"prohibit-rbi"'
	check "event: HTTP Host block" \
		has_event '"app":"http"' '"name":"face.example.net"'
	check "event: RTSP pull block" has_event '"dport":8554' \
		'"rule":"block-rtsp-pull"'
	check "event: SYN to a learned address" \
		has_event '"dst":"198.51.100.20"' '"verdict":"block"'
	check "event: ECH block" has_event '"rule":"block-ech"' \
		'"verdict":"block"'
	check "event: QUIC block" has_event '"rule":"block-quic"' \
		'"verdict":"block"'
	check "event: ECH allowed but logged" has_event '"rule":"block-ech"' \
		'"log":true'
	check "event: camera-analytics block" has_event '"dport":80' \
		'"verdict":"block",.*"rule":"block-camera-analytics"'
	check "events carry the suppressed count" \
		has_event '"suppressed":0' '"verdict"'
}

# bad_case CASE EXPECTED-MESSAGE
bad_case() {
	out=$(in_gw $RBIMOD bad "$1")
	case $out in
	rejected*"$2"*) pass "netlink $1 rejected: ${out#*msg=}" ;;
	*) fail "netlink $1: '$out', expected '$2'" ;;
	esac
}

t_bad() {
	gen=$(in_gw $RBIMOD status | sed -n 's/^generation=//p')
	bad_case no-begin "no such transaction"
	bad_case missing-count "begin needs the number of recorders"
	bad_case oversized "more name patterns than the module takes"
	bad_case long-text "Attribute failed policy validation"
	bad_case bad-pattern "empty label"
	bad_case duplicate "the same name pattern twice"
	bad_case host-bits "network has host bits set"
	bad_case addr-len "address must be 4 (IPv4) or 16 (IPv6) bytes"
	bad_case prefix-len "prefix longer than its address"
	bad_case bad-kind "integer out of range"
	bad_case unknown-attr "Unknown attribute type"
	bad_case index "beyond the sizes given at begin"
	bad_case too-many "more items than announced at begin"
	bad_case incomplete "fewer items than announced at begin"
	bad_case superseded "no such transaction"
	bad_case other-socket "belongs to another socket"
	bad_case bad-sha "policy sha256 must be 64 lower-case hex digits"
	bad_case unprivileged "Operation not permitted"
	in_gw $RBIMOD status >/tmp/status
	check "failed transactions left the configuration in place" \
		grep -q "^generation=$gen\$" /tmp/status
	tcp_case "SNI still blocked after the failed transactions" block \
		net 443 cam -s 2 198.51.100.7 443 hello $RBI
}

traffic() {
	while [ ! -f /tmp/stop ]; do
		in_cam $TCPX send -t 1 -s 3 -d 5 198.51.100.7 443 hello $RBI
		in_cam $TCPX send -t 1 -b 40 -d 2 198.51.100.7 443 hello $OK
		in_cam $DNSX query -w 1 -c 443 198.51.100.53 $RBI
		in_cam $DNSX query -t -w 1 198.51.100.53 tcp.faceid.example.net
		in_cam $UDPX send -n 5 198.51.100.7 443
	done >/dev/null 2>&1
}

# A namespace of its own with a configuration, torn down with the module
# loaded: the per-namespace exit path frees everything too.
spare_netns() {
	$IP netns add spare
	$IP netns exec spare $RBIMOD push $POLICY >/dev/null
	$IP netns del spare
}

t_cycles() {
	in_gw $RBIMOD status | grep -E '^(pending|mem_allocs|flows|blocks)='
	check "a configuration holds the module" sh -c '! rmmod rbiblock'
	unload_module
	check "unload after the suite frees every allocation" \
		[ "$(unloads_clean)" = 1 ]
	traffic &
	i=0
	ok=0
	while [ $i -lt 50 ]; do
		i=$((i + 1))
		load_module selftest=$((i % 10 == 0)) || break
		in_gw $RBIMOD push $POLICY >/dev/null || break
		[ $((i % 5)) = 0 ] && spare_netns
		sleep 0.2
		unload_module || break
		ok=$i
	done
	touch /tmp/stop
	check "50 load/unload cycles under traffic" [ "$ok" = 50 ]
	check "every unload freed every allocation" \
		[ "$(unloads_clean)" = $((ok + 1)) ]
}

# Events the module holds back still reach the audit log: with a bucket
# of one event a second, a burst of blocked hellos makes the daemon write
# a dropped-events gap for those held back, and records for every flow
# (from the ruleset's copies, without the name, for those). To .8, which
# the last round of t_cycles' traffic does not use.
t_suppressed() {
	load_module selftest=0 event_rate=1 event_burst=1
	in_gw $RBICTL run -p $POLICY --backend module \
		--pid-file /tmp/rbictl.pid >/tmp/run2.log 2>&1 &
	n=0
	until grep -q '^module events: listening' /tmp/run2.log ||
	      [ $n -ge 100 ]; do
		sleep 0.2
		n=$((n + 1))
	done
	sleep 1
	pids=
	for i in 1 2 3 4 5 6; do
		in_cam $TCPX send -t 1 198.51.100.8 443 hello $RBI >/dev/null &
		pids="$pids $!"
	done
	wait $pids
	sleep 2
	in_cam $TCPX send -t 1 198.51.100.8 443 hello $RBI >/dev/null
	sleep 3
	stop_daemon
	$RBICTL audit show /tmp/audit --since "$since" --format jsonl \
		>/tmp/after.jsonl
	held=$(sed -n 's/.*"what":"dropped-events",.*"count":\([0-9]*\),"detail":"rbiblock.ko held back.*/\1/p' \
		/tmp/after.jsonl | awk '{ s += $1 } END { print s + 0 }')
	flows=$(grep -c '"type":"block",.*"dst":"198.51.100.8","dport":443,.*"rule":"prohibit-rbi"' \
		/tmp/after.jsonl)
	check "events held back are a dropped-events gap ($held held back)" \
		[ "$held" -ge 1 ]
	check "and each of the 7 flows still has its record ($flows)" \
		[ "$flows" = 7 ]
	check "audit log verifies after the second session" \
		$RBICTL audit verify /tmp/audit --pub /tmp/audit.pub
	unload_module
}

topology
servers
t_load
t_apply
t_sni
t_reorder
t_http_rtsp
t_dns
t_ech_quic
t_analytics
t_events
t_audit
t_bad
t_cycles
since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
t_suppressed
t_evasion_all
t_flowtable
check "no WARN, BUG or oops; no allocation leaked" kernel_clean
echo "events received: $(grep -c verdict $EVENTS)"
summary
