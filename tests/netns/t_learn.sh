#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# DNS learning under attack, with a crafted DNS server (tests/tools/
# dnsforge) answering the camera:
#  - poisoned answers: a catalogue name answered with the recorder, the
#    resolver, a camera network and special addresses, which must never be
#    learned; a flood of addresses for one service, capped, the refusals
#    counted, recorded in the audit log and listed in status;
#  - learned hosts opening flows towards cameras (TCP, UDP, IPv6);
#  - everything an answer tells the camera, learned whatever the counts:
#    long CNAME chains, many addresses (UDP and TCP), unrelated records
#    first, TCP answers split across segments, HTTPS address hints, an
#    NXDOMAIN that carries an answer, a CNAME-only answer and the query
#    for its target, v4-mapped AAAA;
#  - with the queue backend, the gateway's own resolver's TCP answers,
#    cut across segments, held until learned; its answers that can't be
#    read whole (a broken record) dropped, over UDP and TCP.
. "$(dirname "$0")/lib.sh"
need ss dig
trap cleanup EXIT
daemon_setup
net_hosts $(seq 30 49)
ip -n "$NS_NET" addr add 2001:db8:100::31/64 dev n0 nodad
ip -n "$NS_NET" addr add 2001:db8:100::32/64 dev n0 nodad
ip -n "$NS_NET" addr add 2001:db8:100::33/64 dev n0 nodad

R=rekognition
cat >"$TMP/zone" <<EOF
# 1: a catalogue name answered with the infrastructure, for a day.
$R.poison-1.amazonaws.com A 203.0.113.5 86400
$R.poison-1.amazonaws.com A 198.51.100.53 86400
$R.poison-1.amazonaws.com A 192.0.2.10 86400
$R.poison-1.amazonaws.com A 192.0.2.130 86400
$R.poison-1.amazonaws.com A 127.0.0.1 86400
$R.poison-1.amazonaws.com A 0.0.0.0 86400
$R.poison-1.amazonaws.com A 224.0.0.1 86400
$R.poison-1.amazonaws.com A 198.51.100.30 86400
$R.poison-1.amazonaws.com AAAA 2001:db8:20::10 86400
# 1: one service answering with thousands of addresses.
iai.flood-1.tencentcloudapi.com MANY 3000 10.20.0.1 600
# 2: learned hosts that will open flows towards the camera.
$R.ingress-1.amazonaws.com A 198.51.100.31
$R.ingress-1.amazonaws.com AAAA 2001:db8:100::31
# 5: nine CNAMEs from a service name to its address.
$R.chain-1.amazonaws.com CNAME c1.chain.example
c1.chain.example CNAME c2.chain.example
c2.chain.example CNAME c3.chain.example
c3.chain.example CNAME c4.chain.example
c4.chain.example CNAME c5.chain.example
c5.chain.example CNAME c6.chain.example
c6.chain.example CNAME c7.chain.example
c7.chain.example CNAME c8.chain.example
c8.chain.example CNAME c9.chain.example
c9.chain.example A 198.51.100.32
# 5: 33 addresses over UDP, 40 over TCP; the camera takes the last.
$R.many-1.amazonaws.com MANY 32 10.30.0.1
$R.many-1.amazonaws.com A 198.51.100.33
$R.many-2.amazonaws.com MANY 39 10.31.0.1
$R.many-2.amazonaws.com A 198.51.100.34
# 5: 64 unrelated answers first.
$R.padded-1.amazonaws.com PAD 64
$R.padded-1.amazonaws.com A 198.51.100.35
# 5: over TCP, the length alone in the first segment, then the body cut.
$R.split-1.amazonaws.com A 198.51.100.36
$R.split-1.amazonaws.com SPLIT 2
$R.split-2.amazonaws.com A 198.51.100.37
$R.split-2.amazonaws.com SPLIT 40
# 5: HTTPS address hints.
$R.https-1.amazonaws.com HTTPS 1 . ipv4hint=198.51.100.38 ipv6hint=2001:db8:100::32
# 5: NXDOMAIN carrying an answer.
$R.nx-1.amazonaws.com A 198.51.100.39
$R.nx-1.amazonaws.com RCODE 3
# 5: a CNAME-only answer, then the camera asks for the target.
$R.alias-1.amazonaws.com CNAME target.alias.example
$R.alias-1.amazonaws.com CUT
target.alias.example A 198.51.100.40
# 5: an IPv4 address as a v4-mapped AAAA.
$R.mapped-1.amazonaws.com AAAA ::ffff:198.51.100.41
# ordinary names stay unlearned
www.example.org A 198.51.100.42
EOF
forge "$TMP/zone"
listen "$NS_NET" 443
check "rbictl run starts" start_daemon

# 1. Poisoned answers.
resolve 192.0.2.10 $R.poison-1.amazonaws.com >/dev/null
resolve 192.0.2.10 $R.poison-1.amazonaws.com AAAA >/dev/null
check "the answer's one service address is learned" \
	wait_for 3 learned 198.51.100.30
check "the recorder in an answer is not learned" ! learned 203.0.113.5
check "the recorder stays reachable for the public camera" \
	tcp 192.0.2.10 203.0.113.5 443
check "the resolver that answered is not learned" ! learned 198.51.100.53
check "camera networks are not learned" \
	eval '! learned 192.0.2.10 && ! learned 192.0.2.130 && ! learned 2001:db8:20::10'
check "loopback, unspecified and multicast are not learned" \
	eval '! learned 127.0.0.1 && ! learned 0.0.0.0 && ! learned 224.0.0.1'
check "the refusals are in the daemon's log" \
	grep -q "^learn refused: .*203.0.113.5.*recorder" "$TMP/run.log"

before=$(n_learned v4)
resolve 192.0.2.10 iai.flood-1.tencentcloudapi.com A +tcp >/dev/null
wait_for 5 grep -q "^learn refused: .*cap" "$TMP/run.log"
n=$(($(n_learned v4) - before))
check "a flood for one service is learned up to its cap ($n of 3000)" \
	test "$n" = 1024
check "status lists the refused addresses" \
	eval 'status | grep -qE "^learning refused: [0-9]+ .*per-service cap"'

# 2. Learned hosts opening flows towards the camera.
resolve 192.0.2.10 $R.ingress-1.amazonaws.com >/dev/null
resolve 192.0.2.10 $R.ingress-1.amazonaws.com AAAA >/dev/null
wait_for 3 learned 198.51.100.31
wait_for 3 learned 2001:db8:100::31
listen "$NS_CAM" 8000
check "a learned host can't open TCP to the camera" \
	! tcp 198.51.100.31 192.0.2.10 8000
check "a learned host can't open TCP to the camera (IPv6)" \
	! tcp 2001:db8:100::31 2001:db8:20::10 8000
check "an ordinary host still can" tcp 198.51.100.42 192.0.2.10 8000
bg "$NS_CAM" socat -u UDP-RECV:9000 OPEN:"$TMP/udp.in",creat,append
sleep 0.3
echo from-learned | net socat -u - UDP:192.0.2.10:9000,bind=198.51.100.31 2>/dev/null
echo from-other | net socat -u - UDP:192.0.2.10:9000,bind=198.51.100.42 2>/dev/null
wait_for 2 grep -q from-other "$TMP/udp.in"
check "a learned host's UDP to the camera is dropped" \
	eval '! grep -q from-learned "$TMP/udp.in"'

# 5. Everything the answer tells the camera. One case a line: the name
# asked, the type, a dig option (- none), the address it must teach, and
# what the case shows. The CNAME-only answer comes first, so that its
# target's turn comes later.
resolve 192.0.2.10 $R.alias-1.amazonaws.com >/dev/null
check "a CNAME-only answer teaches no address yet" ! learned 198.51.100.40
while read -r name type opt addr what; do
	[ "$opt" = - ] && opt=
	resolve 192.0.2.10 "$name" "$type" $opt >/dev/null
	check "$what" wait_for 3 learned "$addr"
done <<EOF
$R.chain-1.amazonaws.com A - 198.51.100.32 nine CNAMEs followed to the address
$R.many-1.amazonaws.com A - 198.51.100.33 the 33rd address of a UDP answer is learned
$R.many-2.amazonaws.com A +tcp 198.51.100.34 the 40th address of a TCP answer is learned
$R.padded-1.amazonaws.com A +tcp 198.51.100.35 an address after 64 unrelated records is learned
$R.split-1.amazonaws.com A +tcp 198.51.100.36 a TCP answer whose length comes alone is learned
$R.split-2.amazonaws.com A +tcp 198.51.100.37 a TCP answer cut across segments is learned
$R.https-1.amazonaws.com HTTPS - 198.51.100.38 HTTPS ipv4hint is learned
$R.https-1.amazonaws.com HTTPS - 2001:db8:100::32 HTTPS ipv6hint is learned
$R.nx-1.amazonaws.com A - 198.51.100.39 an NXDOMAIN carrying an answer is learned from
target.alias.example A - 198.51.100.40 the target of a CNAME-only answer is learned
$R.mapped-1.amazonaws.com AAAA - 198.51.100.41 a v4-mapped AAAA is learned as the IPv4 address
EOF
check "and the camera can't reach it" ! tcp 192.0.2.10 198.51.100.41 443
resolve 192.0.2.10 www.example.org >/dev/null
sleep 0.3
check "an ordinary name is still not learned" ! learned 198.51.100.42

stop_daemon
"$RBICTL" audit show "$TMP/audit" --format jsonl >"$TMP/records.jsonl" 2>/dev/null
check "the audit log records the refusals" \
	eval 'grep "\"type\":\"gap\"" "$TMP/records.jsonl" | grep -q "\"what\":\"learn-refused\""'
check "the audit log verifies" \
	eval '"$RBICTL" audit verify "$TMP/audit" --pub "$TMP/audit.pub" >/dev/null'

# The queue backend holds the answers of the gateway's own resolver until
# the daemon has learned from them, over TCP too: cut across segments.
cat >"$TMP/gwzone" <<EOF
$R.gw-1.amazonaws.com A 198.51.100.43
$R.gw-1.amazonaws.com SPLIT 2
$R.gw-2.amazonaws.com MANY 39 10.32.0.1
$R.gw-2.amazonaws.com A 198.51.100.44
$R.gw-2.amazonaws.com SPLIT 300
$R.gw-3.amazonaws.com A 198.51.100.45
$R.gw-3.amazonaws.com BROKEN
EOF
forge "$TMP/gwzone" 192.0.2.1 53 "$NS_GW"
BACKEND=queue
check "the queue backend's daemon starts" start_daemon
gwdig() { cam timeout 5 dig +tries=1 +time=2 -b 192.0.2.10 @192.0.2.1 +tcp "$@"; }
check "the gateway's own resolver answers over TCP" \
	eval 'gwdig $R.gw-1.amazonaws.com +short | grep -q 198.51.100.43'
check "its answer whose length comes alone was learned before it went" \
	learned 198.51.100.43
check "its answer cut across segments was learned before it went" \
	eval 'gwdig $R.gw-2.amazonaws.com +short | grep -q 198.51.100.44 &&
		learned 198.51.100.44'
# An answer that can't be read whole never reaches the camera: its
# resolver might read more of it than the daemon did.
check "its answer with a broken record is dropped, over UDP" \
	eval '! gwdig +notcp $R.gw-3.amazonaws.com | grep -q "Got answer"'
check "and over TCP, sent again or not" \
	eval '! gwdig +tries=2 $R.gw-3.amazonaws.com | grep -q "Got answer"'
finish
