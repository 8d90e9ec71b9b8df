#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The queue backend on real traffic, with no module: rbictl run chooses
# it, and every undecided public-zone flow goes through NFQUEUE to the
# module's inspection engine in the daemon. The module's end-to-end cases
# that need no module: SNI in 1, 2, 3 and 1-byte segments, HTTP Host, RTSP
# pulls by non-recorders, ECH and QUIC per policy (QUIC on any port),
# IPv6, DNS learning with the connection opened at once (UDP, TCP, IPv6, a
# CNAME chain, the gateway's own resolver); evasions that apply here
# (urgent data, a flow first seen after its SYN); the records they leave;
# and the daemon killed: new inspected flows blocked under on-failure:
# closed and let through under open, established ones untouched, the
# restart declared in the audit log.
#
# The tools are the qemu suite's (tests/qemu/tcpx.c, udpx.c, dnsx.c).
. "$(dirname "$0")/lib.sh"
TOOLS=$(dirname "$RBICTL")/qemu/tools
need ss python3
for t in tcpx udpx dnsx; do
	[ -x "$TOOLS/$t" ] || skip "no $TOOLS/$t (make $TOOLS/$t)"
done
trap cleanup EXIT
topology
write_policy "$TMP/policy.yaml"
"$RBICTL" keygen --origin netns.test/rbiblock -o "$TMP/audit" >/dev/null ||
	{ fail "keygen"; finish; }
RBI=rekognition.eu-west-1.amazonaws.com
OK=www.example.org
CAM=192.0.2.10
for a in 23 24; do ip -n "$NS_NET" addr add 198.51.100.$a/24 dev n0; done
ip -n "$NS_NET" addr add 2001:db8:100::53/64 dev n0 nodad
# The public camera's address, for what picks its own (dnsx, python).
ip -n "$NS_CAM" -6 route add 2001:db8:100::/64 via 2001:db8:20::1 \
	src 2001:db8:20::10

sink() { # sink NS PORT: a tcpx sink, bytes per client port under $TMP
	mkdir -p "$TMP/sink/$1-$2"
	bg "$1" "$TOOLS/tcpx" sink "$2" "$TMP/sink/$1-$2"
	wait_for 3 listening "$1" "$2"
}
sink "$NS_NET" 443
sink "$NS_NET" 80
sink "$NS_CAM" 554
sink "$NS_CAM" 8554
bg "$NS_NET" "$TOOLS/udpx" sink 443 "$TMP/quic443"
bg "$NS_NET" "$TOOLS/udpx" sink 8443 "$TMP/quic8443"
bg "$NS_NET" "$TOOLS/dnsx" serve 53 "$RBI=198.51.100.20" \
	"$RBI=2001:db8:100::20" "$OK=198.51.100.80" \
	"alias.example.org>rekognition.us-east-1.amazonaws.com" \
	"rekognition.us-east-1.amazonaws.com=198.51.100.21" \
	"rekognition.ap-south-1.amazonaws.com=198.51.100.22"
bg "$NS_GW" "$TOOLS/dnsx" serve 53 \
	"rekognition.sa-east-1.amazonaws.com=198.51.100.23"
wait_for 3 listening "$NS_NET" 53

# rbictl run as it starts by default: --backend auto (lib.sh).
BACKEND=auto

# flow WANT SINK-NS PORT FROM-NS TCPX-SEND-ARGS...: WANT block (not every
# byte reached the sink), none (not one) or pass (all of them).
flow() {
	local want=$1 dir=$TMP/sink/$2-$3 from=$4 out got len port
	shift 4
	out=$(ip netns exec "$from" "$TOOLS/tcpx" send -t 2 "$@")
	len=${out##*len=}
	port=${out%% *}
	port=${port#port=}
	[ "$want" = pass ] && wait_for 2 eval \
		'[ "$(cat "$dir/conn-$port" 2>/dev/null)" = "$len" ]'
	got=$(cat "$dir/conn-$port" 2>/dev/null || echo 0)
	echo "# $got of $len bytes reached the server ($out)"
	case $want in
	block) [ "$got" -lt "$len" ] ;;
	none) [ "$got" = 0 ] ;;
	pass) [ "$got" = "$len" ] ;;
	esac
}

# dns WANT DNSX-QUERY-ARGS...: resolve, then connect at once on 443.
dns() {
	local want=$1 out
	shift
	out=$(cam "$TOOLS/dnsx" query -w 2 -c 443 "$@" | tr '\n' ' ')
	echo "# $out"
	case $want in
	block) [[ $out == *connect=failed* ]] ;;
	pass) [[ $out == *connect=ok* ]] ;;
	esac
}

datagrams() { cat "$1" 2>/dev/null || echo 0; }

# longconn NAME PORT TEXT: a connection from the public camera that sends
# TEXT, then its second half once $TMP/go-NAME exists (within 20 s); its
# client port is in $TMP/port-NAME.
longconn() {
	bg "$NS_CAM" python3 -c '
import os, socket, sys, time
name, port, text = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
d = sys.argv[4]
s = socket.create_connection(("198.51.100.80", port), 2, ("'$CAM'", 0))
open(d + "/port-" + name, "w").write(str(s.getsockname()[1]))
s.sendall(text)
for i in range(200):
	if os.path.exists(d + "/go-" + name):
		break
	time.sleep(0.1)
s.sendall(text)
time.sleep(1)' "$1" "$2" "$3" "$TMP"
	wait_for 3 test -s "$TMP/port-$1"
}
got() { cat "$TMP/sink/$NS_NET-$1/conn-$(cat "$TMP/port-$2")" 2>/dev/null; }

# A flow that opened before the daemon inspected anything.
REQ=$'GET / HTTP/1.1\r\nHost: www.example.org\r\n\r\n'
longconn before 80 "$REQ"
wait_for 2 eval '[ "$(got 80 before)" = 41 ]'
check "rbictl run starts" start_daemon
check "without the module, rbictl run inspects through the queues" \
	grep -q "^applied: .*backend nft+queue" "$TMP/run.log"
status() { gw "$RBICTL" status -p "$TMP/policy.yaml" --pid-file "$TMP/run.pid" "$@"; }
check "status names what the queue backend does not inspect" \
	eval 'status | grep -q "^  - the queue backend inspects flows through the gateway only"'
check "status no longer says names go uninspected, nor that learning races" \
	eval '! status | grep -qE "no TLS SNI|DNS learning races"'
check "status --json: the queue backend, its label bits" eval \
	'status --json | grep -q "\"module\":false,\"queue\":true,.*\"ct_label_bits\":\"112-124\""'

# The client's bytes, however they are cut.
check "SNI of an RBI service, one segment" \
	flow block "$NS_NET" 443 "$NS_CAM" -B $CAM 198.51.100.80 443 hello $RBI
check "SNI, ClientHello in 2 segments" \
	flow block "$NS_NET" 443 "$NS_CAM" -s 2 -B $CAM 198.51.100.80 443 \
	hello $RBI
check "SNI, ClientHello in 3 segments" \
	flow block "$NS_NET" 443 "$NS_CAM" -s 3 -B $CAM 198.51.100.80 443 \
	hello $RBI
check "SNI, ClientHello in 1-byte segments" \
	flow block "$NS_NET" 443 "$NS_CAM" -b 1 -d 1 -t 3 -B $CAM \
	198.51.100.80 443 hello $RBI
check "SNI of an ordinary name passes" \
	flow pass "$NS_NET" 443 "$NS_CAM" -s 3 -B $CAM 198.51.100.80 443 \
	hello $OK
check "SNI over IPv6, 2 segments" \
	flow block "$NS_NET" 443 "$NS_CAM" -s 2 -B 2001:db8:20::10 \
	2001:db8:100::80 443 hello $RBI
check "IPv6, ordinary name passes" \
	flow pass "$NS_NET" 443 "$NS_CAM" -s 2 -B 2001:db8:20::10 \
	2001:db8:100::80 443 hello $OK
check "the staff-only camera is outside the prohibition" \
	flow pass "$NS_NET" 443 "$NS_CAM" -B 192.0.2.130 198.51.100.80 443 \
	hello $RBI
check "HTTP Host of an RBI service" \
	flow block "$NS_NET" 80 "$NS_CAM" -B $CAM 198.51.100.80 80 http $RBI
check "HTTP Host, request in 4 segments" \
	flow block "$NS_NET" 80 "$NS_CAM" -s 4 -B $CAM 198.51.100.80 80 \
	http $RBI
check "HTTP of an ordinary host passes" \
	flow pass "$NS_NET" 80 "$NS_CAM" -B $CAM 198.51.100.80 80 http $OK
check "RTSP pull on 554 by a non-recorder" \
	flow none "$NS_CAM" 554 "$NS_NET" -B 198.51.100.80 $CAM 554 \
	rtsp rtsp://$CAM/live
check "RTSP DESCRIBE on 8554 by a non-recorder" \
	flow block "$NS_CAM" 8554 "$NS_NET" -B 198.51.100.80 $CAM 8554 \
	rtsp rtsp://$CAM:8554/live
check "RTSP pull by the recorder passes" \
	flow pass "$NS_CAM" 554 "$NS_NET" -B 203.0.113.5 $CAM 554 \
	rtsp rtsp://$CAM/live
check "ECH blocked under encrypted-client-hello: block" \
	flow block "$NS_NET" 443 "$NS_CAM" -B $CAM 198.51.100.80 443 \
	hello-ech $OK
cam "$TOOLS/udpx" send -q -n 3 198.51.100.80 443
cam "$TOOLS/udpx" send -q -n 3 198.51.100.80 8443
cam "$TOOLS/udpx" send -n 3 198.51.100.80 8443
sleep 0.5
check "QUIC on 443 blocked under quic: block" \
	test "$(datagrams "$TMP/quic443")" = 0
check "QUIC on another port blocked by its header, plain UDP passes" \
	test "$(datagrams "$TMP/quic8443")" = 3

# Urgent data, which servers strip from what they read: fails closed.
check "urgent data in the client's stream fails closed" ! cam python3 -c '
import socket, sys, time
s = socket.create_connection(("198.51.100.80", 80), 2, ("'$CAM'", 0))
s.send(b"GET / HTTP/1.1\r\nHo")
s.send(b"s", socket.MSG_OOB)
s.send(b"t: '$OK'\r\n\r\n")
s.settimeout(1)
time.sleep(0.5)
sys.exit(0 if s.recv(1) else 1)' 2>/dev/null

# A client port used again at once (the first connection reset): the new
# connection is inspected afresh, not let through as the old one was.
check "a port used again by a new connection is inspected afresh" cam python3 -c '
import socket, struct, sys, time
def conn(data):
	s = socket.socket()
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
	s.bind(("'$CAM'", 40123))
	s.settimeout(2)
	s.connect(("198.51.100.80", 80))
	s.sendall(data)
	time.sleep(0.5)
	s.close()
conn(b"neither TLS nor a request")
conn(b"GET / HTTP/1.1\r\nHost: '$RBI'\r\n\r\n")'
check "... and its request naming an RBI service blocked" \
	test "$(cat "$TMP/sink/$NS_NET-80/conn-40123")" = 0

# DNS: the answer waits until its addresses are in the learned maps.
check "DNS over UDP: the first SYN to the answered address is dropped" \
	dns block 198.51.100.53 $RBI
check "DNS: an ordinary name's address is reachable" \
	dns pass 198.51.100.53 $OK
check "DNS: a CNAME chain to a service name" \
	dns block 198.51.100.53 alias.example.org
check "DNS over TCP" dns block -t 198.51.100.53 \
	rekognition.ap-south-1.amazonaws.com
check "DNS over IPv6, AAAA" dns block -6 2001:db8:100::53 $RBI
check "DNS from the gateway's own resolver" \
	dns block 192.0.2.1 rekognition.sa-east-1.amazonaws.com

# A UDP flow allowed before it showed QUIC: its QUIC goes to the daemon.
check "QUIC on a UDP flow first allowed as plain UDP is blocked" cam python3 -c '
import socket, time
quic = bytes([0xc3, 0, 0, 0, 1, 8]) + bytes(8) + bytes([8]) + bytes(1185)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("'$CAM'", 0))
s.sendto(b"plain", ("198.51.100.80", 8443))
time.sleep(0.3)
for i in range(3):
	s.sendto(quic, ("198.51.100.80", 8443))'
sleep 0.5
check "... of which only the plain datagram arrived" \
	test "$(datagrams "$TMP/quic8443")" = 4

touch "$TMP/go-before"
sleep 0.5
check "a flow first seen after its SYN fails closed" \
	test "$(got 80 before)" = 41

# What the queue backend counted, under rbiblock.ko's names, by the next
# heartbeat: flows, blocks, and fail-closed by reason.
counter() {
	status --json | python3 -c '
import json, sys
q = json.load(sys.stdin)["queue_state"]
print(q["counters"][sys.argv[1]] if q else -1)' "$1"
}
check "status --json counts the queue backend's blocks, as the module would" \
	wait_for 4 eval '[ "$(counter blocks)" -ge 10 ]'
check "... and its flows decided fail-closed, by reason" \
	eval '[ "$(counter fail_midstream)" -ge 1 ] &&
		[ "$(counter failed)" -ge "$(counter fail_midstream)" ]'
check "status prints them" \
	eval 'status | grep -A40 "^inspection by rbictl run (queue backend)" |
		grep -Eq "^    fail_urgent_data +[1-9]"'

# The daemon killed: what it decided stays decided, the rest waits for it
# (a request stream, HTTP or RTSP, is inspected for as long as it lasts).
longconn est 80 "neither TLS nor a request"
wait_for 2 eval '[ "$(got 80 est)" = 25 ]'
kill -KILL "$DAEMON"
wait "$DAEMON" 2>/dev/null
touch "$TMP/go-est"
check "daemon killed: a decided flow goes on" \
	wait_for 2 eval '[ "$(got 80 est)" = 50 ]'
check "daemon killed, on-failure: closed: a new flow is blocked" \
	flow none "$NS_NET" 80 "$NS_CAM" -B $CAM 198.51.100.80 80 http $OK
check "daemon killed, on-failure: closed: DNS answers are held" \
	! cam "$TOOLS/dnsx" query -w 1 198.51.100.53 $OK
check "status says the queues hold what no daemon serves" \
	eval 'status | grep -q "not running: the queue backend.s rules hold"'
check "rbictl run starts again" start_daemon
check "a new flow passes again" \
	flow pass "$NS_NET" 80 "$NS_CAM" -B $CAM 198.51.100.80 80 http $OK
kill -TERM "$DAEMON"
wait "$DAEMON" 2>/dev/null

"$RBICTL" audit show "$TMP/audit" --format jsonl >"$TMP/records.jsonl" \
	2>/dev/null
blocks() { grep '"type":"block"' "$TMP/records.jsonl"; }
check "audit: the SNI block is recorded with its name, by the queue" \
	eval 'blocks | grep "\"name\":\"$RBI\"" | grep "\"app\":\"tls\"" |
	      grep "\"rule\":\"prohibit-rbi\"" | grep -q "\"backend\":\"queue\""'
check "audit: the HTTP Host block is recorded" \
	eval 'blocks | grep "\"dport\":80" | grep -q "\"app\":\"http\""'
check "audit: the RTSP pull is recorded as ingress" \
	eval 'blocks | grep "\"dport\":8554" | grep -q "\"direction\":\"ingress\""'
check "audit: QUIC on another port, by its header" \
	eval 'blocks | grep "\"dport\":8443" | grep -q "\"rule\":\"block-quic\""'
check "audit: urgent data fails closed" \
	eval 'blocks | grep -q "\"rule\":\"fail-closed\""'
check "audit: the daemon's restart over its queues is a gap" \
	grep -q '"type":"gap".*"what":"queue-restart"' "$TMP/records.jsonl"
check "the audit log verifies" \
	"$RBICTL" audit verify "$TMP/audit" --pub "$TMP/audit.pub"

# A queue another program holds: never named by the ruleset, which would
# hand that program the cameras' packets; the daemon fails closed instead.
bg "$NS_GW" python3 -c '
import socket, struct, sys, time
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
s.bind((0, 0))
cmd = struct.pack("=HHBBH", 8, 1, 1, 0, 0)
body = struct.pack("=BBH", 0, 0, socket.htons(4712)) + cmd
s.send(struct.pack("=IHHII", 16 + len(body), 3 << 8 | 2, 5, 1, 0) + body)
s.recv(4096)
open(sys.argv[1], "w").write("held")
time.sleep(30)' "$TMP/held"
HOLDER=${PIDS##* }
wait_for 3 test -s "$TMP/held"
check "a queue another program holds: the daemon starts, fails closed" \
	start_daemon
check "... says why" grep -q "^queue: the queue backend could not start: cannot bind NFQUEUE 4712" "$TMP/run.log"
check "... applies the nft backend, fail-closed" \
	grep -q "^applied: .*backend nft,.*FAIL-CLOSED: the queue backend could not start" "$TMP/run.log"
check "... and no rule names the queues" \
	eval '! gw nft list table inet rbiblock 2>&1 | grep -q "inspect"'
kill "$HOLDER"
check "once the queue is free, the daemon takes it at a heartbeat" \
	wait_for 5 grep -q "^applied: .*backend nft+queue" "$TMP/run.log"
kill -TERM "$DAEMON"
wait "$DAEMON" 2>/dev/null
check "the audit log says the queues were unavailable" eval \
	'"$RBICTL" audit show "$TMP/audit" --format jsonl 2>/dev/null |
	 grep -q "\"what\":\"queue-unavailable\""'

# on-failure: open: with the daemon gone, the queues let packets pass.
sed -i 's/on-failure: closed/on-failure: open/' "$TMP/policy.yaml"
check "rbictl run starts with on-failure: open" start_daemon
kill -KILL "$DAEMON"
wait "$DAEMON" 2>/dev/null
check "daemon killed, on-failure: open: a new flow passes uninspected" \
	flow pass "$NS_NET" 80 "$NS_CAM" -B $CAM 198.51.100.80 80 http $OK
finish
