#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The nft ruleset on real traffic: a service network blocked both ways for
# the public zone and allowed for the staff-only zone, the recorder
# allowed, QUIC blocked, the same in IPv6, counters that count it, and
# `rbictl policy explain` agreeing with what the kernel did.
. "$(dirname "$0")/lib.sh"
need ss
trap cleanup EXIT
topology
write_policy "$TMP/policy.yaml"
gw "$RBICTL" apply -p "$TMP/policy.yaml" >"$TMP/apply.out" ||
	{ cat "$TMP/apply.out"; fail "apply"; finish; }
pass "apply"

listen "$NS_NET" 443 554 80 18411
listen "$NS_CAM" 554 8080

# Egress: the public zone to the service network is blocked, v4 and v6.
check "public camera -> service network 198.51.100.7:443 blocked" \
	! tcp 192.0.2.10 198.51.100.7 443
check "public camera -> service network 2001:db8:100::7:443 blocked" \
	! tcp 2001:db8:20::10 2001:db8:100::7 443
check "staff camera -> service network allowed" \
	tcp 192.0.2.130 198.51.100.7 443
check "staff camera -> service network allowed (IPv6)" \
	tcp 2001:db8:30::10 2001:db8:100::7 443
check "public camera -> ordinary host allowed" \
	tcp 192.0.2.10 198.51.100.80 443
check "public camera -> ordinary host allowed (IPv6)" \
	tcp 2001:db8:20::10 2001:db8:100::80 443
check "public camera -> recorder 203.0.113.5:554 allowed" \
	tcp 192.0.2.10 203.0.113.5 554
check "public camera -> on-premises FindFace port 18411 blocked" \
	! tcp 192.0.2.10 198.51.100.80 18411

# Ingress: the service host opening flows to cameras.
check "service host -> public camera:8080 blocked" \
	! tcp 198.51.100.7 192.0.2.10 8080
check "service host -> public camera:8080 blocked (IPv6)" \
	! tcp 2001:db8:100::7 2001:db8:20::10 8080
check "service host -> staff camera allowed" \
	tcp 198.51.100.7 192.0.2.130 8080
check "ordinary host pulling RTSP from a public camera blocked" \
	! tcp 198.51.100.80 192.0.2.10 554
check "recorder pulling RTSP from a public camera allowed" \
	tcp 203.0.113.5 192.0.2.10 554
check "ordinary host -> public camera:8080 allowed" \
	tcp 198.51.100.80 192.0.2.10 8080

# QUIC: UDP 443 from the public zone never arrives.
bg "$NS_NET" socat -u UDP6-RECV:443,ipv6only=0 OPEN:"$TMP/quic.out",creat,append
sleep 0.3
udp 192.0.2.10 198.51.100.80 443
udp 2001:db8:20::10 2001:db8:100::80 443
udp 192.0.2.130 198.51.100.80 443
wait_for 2 test -s "$TMP/quic.out"
check "QUIC from the public zone blocked, from the staff zone delivered" \
	test "$(wc -l <"$TMP/quic.out")" = 1

# A port on one protocol: UDP 9999 is a port signature, TCP 9999 is not.
bg "$NS_NET" socat -u UDP6-RECV:9999,ipv6only=0 OPEN:"$TMP/udp9999.out",creat,append
listen "$NS_NET" 9999
sleep 0.3
udp 192.0.2.10 198.51.100.80 9999
udp 2001:db8:20::10 2001:db8:100::80 9999
udp 192.0.2.130 198.51.100.80 9999
wait_for 2 test -s "$TMP/udp9999.out"
check "UDP-only signature 9999: blocked from the public zone, delivered from staff" \
	test "$(wc -l <"$TMP/udp9999.out")" = 1
check "UDP-only signature 9999: TCP 9999 from the public zone allowed" \
	tcp 192.0.2.10 198.51.100.80 9999
check "UDP-only signature 9999: TCP 9999 allowed (IPv6)" \
	tcp 2001:db8:20::10 2001:db8:100::80 9999

# Counters saw it.
check "counter block_prohibit_rbi counts the blocked SYNs" \
	test "$(counter block_prohibit_rbi prohibit-rbi)" -ge 4
check "counter block-quic counts 2 datagrams" \
	test "$(counter camera_egress block-quic)" = 2
check "counter block-rtsp-pull counts the pull" \
	test "$(counter camera_ingress block-rtsp-pull)" -ge 1

# explain says what the kernel did, flow by flow.
agree() { # agree SRC DST PORT EXPECTED
	local v
	v=$("$RBICTL" policy explain -p "$TMP/policy.yaml" --src "$1" \
		--dst "$2" --l4 tcp --dport "$3" 2>/dev/null | sed -n 's/.*"verdict":"\([a-z]*\)".*/\1/p')
	if tcp "$1" "$2" "$3"; then
		[ "$v" = allow ] && [ "$4" = allow ]
	else
		[ "$v" = block ] && [ "$4" = block ]
	fi
}
check "explain agrees: public -> service" agree 192.0.2.10 198.51.100.7 80 block
check "explain agrees: public -> ordinary" agree 192.0.2.10 198.51.100.80 80 allow
check "explain agrees: staff -> service" agree 192.0.2.130 198.51.100.7 80 allow
check "explain agrees: service -> public camera" agree 198.51.100.7 192.0.2.10 8080 block
check "explain agrees: recorder pull" agree 203.0.113.5 192.0.2.10 554 allow
check "explain agrees: RTSP pull" agree 198.51.100.80 192.0.2.10 554 block
check "explain agrees: FindFace port" agree 192.0.2.10 198.51.100.80 18411 block
check "explain agrees: a UDP-only signature over TCP" agree 192.0.2.10 198.51.100.80 9999 allow

# Re-applying the same policy changes nothing; counters stay.
before=$(counter block_prohibit_rbi prohibit-rbi)
gw "$RBICTL" apply -p "$TMP/policy.yaml" >"$TMP/apply2.out"
check "re-apply of an unchanged policy is a no-op" \
	grep -q "^unchanged" "$TMP/apply2.out"
check "counters survive the no-op" \
	test "$(counter block_prohibit_rbi prohibit-rbi)" = "$before"

# A broken policy is refused and the old ruleset stays.
sum=$(gw "$RBICTL" status --json -p "$TMP/policy.yaml" | sed -n 's/.*"ruleset_sha256":"\([0-9a-f]*\)".*/\1/p')
printf 'rbiblock: 1\nzones: [ {name: x, networks: [not-a-net]} ]\n' >"$TMP/bad.yaml"
check "a broken policy is refused" \
	! gw "$RBICTL" apply -p "$TMP/bad.yaml" 2>/dev/null
check "the old ruleset stays after the refusal" \
	test "$(gw "$RBICTL" status --json | sed -n 's/.*"ruleset_sha256":"\([0-9a-f]*\)".*/\1/p')" = "$sum"
check "still blocking after the refusal" ! tcp 192.0.2.10 198.51.100.7 443

# A changed policy (QUIC allowed) replaces the ruleset atomically.
write_policy "$TMP/policy2.yaml" allow
gw "$RBICTL" apply -p "$TMP/policy2.yaml" >/dev/null
check "a changed policy is applied" \
	! gw nft list chain inet rbiblock camera_egress | grep -q block-quic

# flush removes rbiblock's table and nothing else.
gw nft add table inet operator
gw nft add chain inet operator mine
gw nft add table ip legacy
gw "$RBICTL" flush >/dev/null
check "flush removes table inet rbiblock" \
	! gw nft list table inet rbiblock 2>/dev/null
check "flush leaves the other tables" \
	test "$(gw nft list tables | sort | tr '\n' ' ')" = "table inet operator table ip legacy "
check "after flush, nothing is blocked" tcp 192.0.2.10 198.51.100.7 443
finish
