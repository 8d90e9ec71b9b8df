#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# rbictl run on real traffic: DNS learning (for the TTL, then released),
# CNAME chains both ways, IPv6, audit records that match the traffic sent,
# a broken policy refused on SIGHUP, and enforcement that survives the
# daemon being killed with SIGKILL.
. "$(dirname "$0")/lib.sh"
need ss dig dnsmasq
trap cleanup EXIT
daemon_setup

bg "$NS_NET" dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces \
	--listen-address=198.51.100.53 --port=53 --pid-file="$TMP/dnsmasq.pid" \
	--host-record=rekognition.eu-west-1.amazonaws.com,198.51.100.20,2001:db8:100::20,3 \
	--cname=rekognition.us-east-1.amazonaws.com,edge.cdn.example,600 \
	--host-record=edge.cdn.example,198.51.100.21,600 \
	--cname=faces.example,api.kairos.com,600 \
	--host-record=api.kairos.com,198.51.100.22,600 \
	--host-record=www.example.org,198.51.100.80,600
listen "$NS_NET" 443
wait_for 3 listening "$NS_NET" 53 || fail "dnsmasq listening"

check "rbictl run starts, applies and opens the audit log" start_daemon
check "before any DNS answer 198.51.100.20 is reachable" \
	tcp 192.0.2.10 198.51.100.20 443

resolve 192.0.2.10 rekognition.eu-west-1.amazonaws.com >/dev/null
check "the A answer for rekognition.eu-west-1 is learned" \
	wait_for 3 learned 198.51.100.20
check "the learned address is blocked for the public camera" \
	! tcp 192.0.2.10 198.51.100.20 443
check "the learned address stays open to the staff camera" \
	tcp 192.0.2.130 198.51.100.20 443
resolve 192.0.2.10 rekognition.eu-west-1.amazonaws.com AAAA >/dev/null
check "the AAAA answer is learned" wait_for 3 learned 2001:db8:100::20
check "the learned IPv6 address is blocked" \
	! tcp 2001:db8:20::10 2001:db8:100::20 443

resolve 192.0.2.10 rekognition.us-east-1.amazonaws.com >/dev/null
check "CNAME from a service name: the target's address is learned" \
	wait_for 3 learned 198.51.100.21
resolve 192.0.2.10 faces.example >/dev/null
check "CNAME to a service name: its address is learned" \
	wait_for 3 learned 198.51.100.22
resolve 192.0.2.10 www.example.org >/dev/null
sleep 0.5
check "an ordinary name is not learned" ! learned 198.51.100.80
check "the DNS answers to the public camera were copied for learning" \
	test "$(counter flow_replies 'DNS answers')" -ge 4

# A changed policy (QUIC only logged) replaces the table: what DNS taught
# it stays, for what is left of its time, and QUIC is a log record.
write_policy "$TMP/policy.yaml" log
kill -HUP "$DAEMON"
check "SIGHUP with a changed policy: reloaded" \
	wait_for 5 grep -q "^reloaded: policy" "$TMP/run.log"
check "the reload kept the learned addresses" \
	grep -qE "^applied: .*, [1-9][0-9]* learned addresses kept" "$TMP/run.log"
check "a learned address survives the policy change" learned 198.51.100.21
check "and is still blocked for the public camera" \
	! tcp 192.0.2.10 198.51.100.21 443
udp 192.0.2.10 198.51.100.80 443 40443
check "QUIC under quic: log is recorded as logged" \
	wait_for 5 grep -q "^log: egress city 192.0.2.10 -> 198.51.100.80 udp/443 rule block-quic" "$TMP/run.log"
write_policy "$TMP/policy.yaml"
kill -HUP "$DAEMON"
wait_for 5 eval '[ "$(grep -c "^reloaded: policy" "$TMP/run.log")" = 2 ]'

# TTL 3 + grace 1, clamped to the 5 s minimum: released after that.
check "the learned address is released after its TTL" \
	wait_for 8 eval '! learned 198.51.100.20'
check "after release it is reachable again" tcp 192.0.2.10 198.51.100.20 443

# Block records: 3 attempts at one flow each, merged per flow.
for i in 1 2 3; do tcp 192.0.2.10 198.51.100.7 443; done
for i in 1 2 3 4; do udp 192.0.2.10 198.51.100.7 5000 40000; done
tcp 198.51.100.7 192.0.2.10 8080
check "block records written" \
	wait_for 6 grep -q "^block: ingress" "$TMP/run.log"

# A broken policy on SIGHUP is refused; the old one stays.
cp "$TMP/policy.yaml" "$TMP/policy.good"
printf 'rbiblock: 1\nzones: [ {name: x, networks: [not-a-net]} ]\n' >"$TMP/policy.yaml"
ruleset() {
	gw "$RBICTL" status --json -p "$TMP/policy.good" 2>/dev/null |
		sed -n 's/.*"ruleset_sha256":"\([0-9a-f]*\)".*/\1/p'
}
sum=$(ruleset)
kill -HUP "$DAEMON"
check "SIGHUP with a broken policy: refused, with a clear line" \
	wait_for 3 grep -q "^reload refused: .* stays in force" "$TMP/run.log"
check "the ruleset is unchanged by the refused reload" \
	test "$(ruleset)" = "$sum"
cp "$TMP/policy.good" "$TMP/policy.yaml"

kill -TERM "$DAEMON"
wait "$DAEMON" 2>/dev/null
check "SIGTERM: the daemon exits cleanly" \
	grep -q "^stopping on signal 15" "$TMP/run.log"
"$RBICTL" audit show "$TMP/audit" --format jsonl >"$TMP/records.jsonl" 2>/dev/null
blocks() { grep '"type":"block"' "$TMP/records.jsonl"; }
check "one egress record for the service-network flows, per flow" \
	test "$(blocks | grep -c '"dst":"198.51.100.7","dport":443')" = 3
check "records name camera, zone, service, rule and basis" \
	eval 'blocks | grep "\"dst\":\"198.51.100.7\"" | head -1 | grep "\"zone\":\"city\",\"camera\":\"192.0.2.10\"" | grep "\"service\":\"test-fr\"" | grep -q "\"rule\":\"prohibit-rbi\",\"basis\":\"Test policy"'
check "the learned-address block names the service and the DNS name" \
	eval 'blocks | grep "\"dst\":\"198.51.100.20\"" | grep -q "\"name\":\"rekognition.eu-west-1.amazonaws.com\",\"ech\":null,\"service\":\"aws-rekognition\""'
check "the ingress block names its opener as the source" \
	eval 'blocks | grep "\"camera\":\"192.0.2.10\",\"src\":\"198.51.100.7\",\"dst\":\"192.0.2.10\",\"dport\":8080" | grep -q "\"direction\":\"ingress\""'
check "repeats of one flow are merged with a count" \
	eval 'blocks | grep "\"dst\":\"198.51.100.7\",\"dport\":5000" | grep -q "\"count\":4,"'
check "the QUIC flow under quic: log is a log record, not a block" \
	eval 'grep "\"type\":\"log\"" "$TMP/records.jsonl" | grep "\"dport\":443,\"l4\":\"udp\",\"app\":\"quic\"" | grep -q "\"rule\":\"block-quic\""'
check "the log has policy, heartbeat, start and stop records" \
	eval 'for t in policy heartbeat start stop; do grep -q "\"type\":\"$t\"" "$TMP/records.jsonl" || exit 1; done'
check "the audit log verifies" \
	eval '"$RBICTL" audit verify "$TMP/audit" --pub "$TMP/audit.pub" >/dev/null'

# SIGKILL: enforcement is the kernel's.
start_daemon
resolve 192.0.2.10 rekognition.us-east-1.amazonaws.com >/dev/null
wait_for 3 learned 198.51.100.21
kill -KILL "$DAEMON"
wait "$DAEMON" 2>/dev/null
check "after SIGKILL the service network is still blocked" \
	! tcp 192.0.2.10 198.51.100.7 443
check "after SIGKILL learned addresses are still blocked" \
	! tcp 192.0.2.10 198.51.100.21 443
check "after SIGKILL ordinary traffic flows" tcp 192.0.2.10 198.51.100.80 443

# on-failure: closed with an audit log that can't be written.
sed "s|key: .*|key: $TMP/missing.key|" "$TMP/policy.good" >"$TMP/policy.yaml"
start_daemon
check "audit log unavailable: the daemon says it fails closed" \
	grep -q "FAIL-CLOSED: audit log unavailable" "$TMP/run.log"
check "fail-closed: camera egress to an ordinary host blocked" \
	! tcp 192.0.2.10 198.51.100.80 443
check "fail-closed: the recorder is still reachable" \
	tcp 192.0.2.10 203.0.113.5 443
check "fail-closed: the staff zone is untouched" \
	tcp 192.0.2.130 198.51.100.80 443
check "status says why" eval 'gw "$RBICTL" status -p "$TMP/policy.yaml" 2>/dev/null | grep -q "^fail-closed: audit log unavailable"'
finish
