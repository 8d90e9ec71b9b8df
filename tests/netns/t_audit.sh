#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The evidence rbictl run writes, against the traffic that made it: a
# flow the policy only logs (shared-hosts: log) carries the name DNS gave
# its destination; a pull of a camera names the puller as source; a table
# deleted behind the daemon's back is a gap from the last heartbeat that
# read it back intact until it was put back; a SIGKILL is a session the
# report says ended in a crash; the policy record carries the catalogue
# the daemon compiled.
. "$(dirname "$0")/lib.sh"
need ss dig dnsmasq
trap cleanup EXIT
topology
"$RBICTL" keygen --origin netns.test/rbiblock -o "$TMP/audit" >/dev/null ||
	{ fail "keygen"; finish; }
write_policy "$TMP/base.yaml"
# A shared host: it serves a face API and other APIs, so it is logged.
sed -e 's/shared-hosts: block/shared-hosts: log/' \
	-e '/^  services:$/a\
    - id: test-shared\
      name: A shared host with a face API among others\
      categories: [biometric-categorisation]\
      names: ["vision.shared.example"]\
      shared: true' "$TMP/base.yaml" >"$TMP/policy.yaml"
"$RBICTL" policy check -q -p "$TMP/policy.yaml" || fail "the test policy is valid"

bg "$NS_NET" dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces \
	--listen-address=198.51.100.53 --port=53 --pid-file="$TMP/dnsmasq.pid" \
	--host-record=vision.shared.example,198.51.100.22,600
listen "$NS_NET" 443
listen "$NS_CAM" 8554
wait_for 3 listening "$NS_NET" 53 || fail "dnsmasq listening"

# rbictl run as it starts by default: --backend auto (lib.sh).
BACKEND=auto
records() {
	"$RBICTL" audit show "$TMP/audit" --format jsonl 2>/dev/null
}

check "rbictl run starts with the shared-host policy" start_daemon
cam timeout 3 dig +tries=1 +time=2 -b 192.0.2.10 @198.51.100.53 \
	vision.shared.example A +short >/dev/null
sleep 0.5
check "the shared host stays reachable (logged, not blocked)" \
	tcp 192.0.2.10 198.51.100.22 443
check "the logged flow is a log record" \
	wait_for 6 grep -q "^log: egress city 192.0.2.10 -> 198.51.100.22" "$TMP/run.log"
tcp 198.51.100.7 192.0.2.10 8554
check "a pull of the camera is blocked and recorded" \
	wait_for 6 grep -q "^block: ingress city 198.51.100.7 -> 192.0.2.10 tcp/8554" "$TMP/run.log"

# Two heartbeats (2 s) prove the table; then it goes behind our back.
wait_for 6 eval '[ "$(records | grep -c "\"type\":\"heartbeat\"")" -ge 2 ]'
deleting=$(date +%s.%N)
gw nft delete table inet rbiblock
deleted=$(date +%s.%N)
check "the daemon notices and re-applies" \
	wait_for 6 grep -q "^gap: ruleset-mismatch" "$TMP/run.log"
check "the table is back" gw nft list table inet rbiblock >/dev/null
check "status shows the catalogue's digest and each file's" \
	eval 'gw "$RBICTL" status -p "$TMP/policy.yaml" 2>/dev/null |
		grep -A2 "^  catalogue sha256 [0-9a-f]\{64\}$" |
		grep -A1 "^  catalogue: built-in .* sha256 [0-9a-f]\{64\}, " |
		grep -q "^    policies/catalog/[a-z-]*\.yaml sha256 [0-9a-f]\{64\}$"'
check "and so does status --json" \
	eval 'gw "$RBICTL" status --json -p "$TMP/policy.yaml" 2>/dev/null |
		grep -q "\"catalog_sha256\":\"[0-9a-f]\{64\}\",\"catalogs\":\[{\"kind\":\"built-in\",.*\"files\":\[{\"path\":\"policies/catalog/"'

# SIGKILL, then a restart: a session that ended in a crash.
kill -KILL "$DAEMON"
wait "$DAEMON" 2>/dev/null
start_daemon
kill -TERM "$DAEMON"
wait "$DAEMON" 2>/dev/null
records >"$TMP/records.jsonl"

check "the log record carries the name DNS gave its destination" \
	grep -q '"type":"log",.*"dst":"198.51.100.22","dport":443,"l4":"tcp","app":null,"name":"vision.shared.example",.*"service":"test-shared"' "$TMP/records.jsonl"
check "the pull names its opener as source and the camera as dst" \
	grep -q '"type":"block",.*"camera":"192.0.2.10","src":"198.51.100.7","dst":"192.0.2.10","dport":8554,.*"direction":"ingress"' "$TMP/records.jsonl"
gap=$(grep '"what":"ruleset-mismatch"' "$TMP/records.jsonl" | head -1)
from=$(printf '%s' "$gap" | sed 's/.*"from":"\([^"]*\)".*/\1/')
until=$(printf '%s' "$gap" | sed 's/.*"until":"\([^"]*\)".*/\1/')
# The heartbeat before the gap record proved the table; the daemon's
# watch (nf_tables announces each change) proved it later, up to the
# deletion.
last_hb=$(awk '/"what":"ruleset-mismatch"/ { print hb; exit }
	/"type":"heartbeat"/ { hb = $0 }' "$TMP/records.jsonl" |
	sed 's/.*"ts":"\([^"]*\)".*/\1/')
secs() { date -d "$1" +%s.%N; }
check "the flush gap starts between the last proof and the deletion" \
	awk -v f="$(secs "$from")" -v h="$(secs "$last_hb")" -v d="$deleted" \
		'BEGIN { exit !(f >= h - 0.01 && f <= d) }'
check "and runs until it was put back, after the deletion" \
	awk -v f="$(secs "$from")" -v u="$(secs "$until")" -v d="$deleting" \
		'BEGIN { exit !(u > f && u >= d) }' 
check "the restart after SIGKILL is a recovery with a restart gap" \
	eval 'grep -q "\"type\":\"start\",.*\"reason\":\"recovery\"" "$TMP/records.jsonl" &&
		grep -q "\"what\":\"log-restart\"" "$TMP/records.jsonl"'
check "the policy record carries the catalogue it compiled" \
	grep -q '"type":"policy",.*"catalog":{"sha256":"[0-9a-f]\{64\}",.*"local_services":[1-9][0-9]*,.*"catalogs":\[{"kind":"built-in",.*"files":\[{"path":"policies/catalog/' "$TMP/records.jsonl"
check "the log verifies" \
	"$RBICTL" audit verify "$TMP/audit" --pub "$TMP/audit.pub" >/dev/null
"$RBICTL" audit report "$TMP/audit" --pub "$TMP/audit.pub" -o "$TMP/r.html" >/dev/null
check "the report says the SIGKILLed session ended in a crash" \
	grep -q "ended without a stop record: the next start recorded a crash" "$TMP/r.html"
finish
