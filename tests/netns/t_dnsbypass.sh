#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Ways around DNS learning, with a policy that names its resolver: DNS to
# another server (UDP, TCP, IPv6) and DNS over TLS are blocked from the
# public zone, as policy explain says; DNS answered from port 5353 is
# learned from; what no ruleset can close (DoH to unknown resolvers,
# zones by source address) is listed in status and in the audit log, so
# in the report made of it.
. "$(dirname "$0")/lib.sh"
need ss dig
trap cleanup EXIT
daemon_setup
sed -i 's|^catalog:|resolvers:\n  - name: gateway-dns\n    networks: [198.51.100.53/32]\ncatalog:|' "$TMP/policy.yaml"
R=rekognition
serve_names $R.bypass-1.amazonaws.com=31 $R.mdns-1.amazonaws.com=32 \
	www.example.org=42
forge "$TMP/zone" 198.51.100.53 5353
forge "$TMP/zone" 198.51.100.80
forge "$TMP/zone" 2001:db8:100::80
listen "$NS_NET" 853
check "policy show lists the resolver it names" \
	eval '"$RBICTL" policy show -p "$TMP/policy.yaml" |
		grep -Eq "^  gateway-dns +198.51.100.53/32"'
check "and so does policy show --json" \
	eval '"$RBICTL" policy show --json -p "$TMP/policy.yaml" |
		grep -q "\"resolvers\":\\[{\"name\":\"gateway-dns\""'
check "rbictl run starts with a policy naming its resolver" start_daemon

ask() { # ask SRC SERVER NAME [DIG OPTIONS]: an answer comes
	local src=$1 server=$2 name=$3
	shift 3
	cam timeout 5 dig +tries=1 +time=1 -b "$src" "@$server" "$name" +short \
		"$@" | grep -q '^[0-9]'
}
check "the policy's resolver answers the public camera" \
	ask 192.0.2.10 198.51.100.53 www.example.org
check "another server does not (UDP)" \
	! ask 192.0.2.10 198.51.100.80 www.example.org
check "another server does not (TCP)" \
	! ask 192.0.2.10 198.51.100.80 www.example.org +tcp
check "nor one over IPv6, where the policy names none" \
	! ask 2001:db8:20::10 2001:db8:100::80 www.example.org
check "DNS over TLS is blocked" ! tcp 192.0.2.10 198.51.100.80 853
check "the staff camera may still ask anyone" \
	ask 192.0.2.130 198.51.100.80 www.example.org
explain() {
	"$RBICTL" policy explain -p "$TMP/policy.yaml" --src 192.0.2.10 \
		--dst "$1" --l4 "$2" --dport "$3" 2>/dev/null |
		grep -q '"verdict":"block"'
}
check "policy explain agrees: DNS to another server blocked" \
	explain 198.51.100.80 udp 53
check "policy explain agrees: DNS over TLS blocked" \
	explain 198.51.100.80 tcp 853
check "policy explain agrees: the resolver allowed" \
	! explain 198.51.100.53 udp 53

ask 192.0.2.10 198.51.100.53 $R.mdns-1.amazonaws.com -p 5353
check "an answer from port 5353 is learned from" \
	wait_for 3 learned 198.51.100.32
check "the blocked DNS is recorded as block-doh" \
	wait_for 5 grep -q "^block: egress city 192.0.2.10 -> 198.51.100.80 udp/53 rule block-doh" "$TMP/run.log"
check "status lists DoH to unknown resolvers" \
	eval 'status | grep -q "DNS-over-HTTPS to a resolver the catalogue does not list"'
check "status lists DNS to other ports" \
	eval 'status | grep -q "DNS to ports other than 53, 853 and 5353"'
check "status lists zones told apart by source address" \
	eval 'status | grep -q "zones are told apart by source address"'
stop_daemon
"$RBICTL" audit report "$TMP/audit" --pub "$TMP/audit.pub" -o "$TMP/report.html" >/dev/null 2>&1
check "the report lists what is not enforced" \
	grep -q "DNS-over-HTTPS to a resolver the catalogue does not list" "$TMP/report.html"

write_policy "$TMP/policy.yaml"
check "status says when the policy names no resolvers" \
	eval 'status | grep -q "the policy names no .resolvers."'
finish
