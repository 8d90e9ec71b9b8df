#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Table inet rbiblock changed behind rbictl run's back, with heartbeats a
# minute apart so that only the daemon's watch can notice: deleted, its
# learned maps flushed or an element deleted, a rule deleted, an element
# slipped into a set. Each is undone within a second, learned addresses
# included, and recorded as a gap spanning the time it lasted; the
# daemon's own learning is never taken for a change, nor is the queue
# backend's, which learns on threads of its own.
. "$(dirname "$0")/lib.sh"
need ss dig
trap cleanup EXIT
daemon_setup
sed -i "s|heartbeat: 2s|heartbeat: 60s|" "$TMP/policy.yaml"
R=rekognition
serve_names $R.watch-1.amazonaws.com=31 $R.watch-2.amazonaws.com=32
check "rbictl run starts" start_daemon
resolve 192.0.2.10 $R.watch-1.amazonaws.com >/dev/null
check "an address is learned" wait_for 3 learned 198.51.100.31
resolve 192.0.2.10 $R.watch-2.amazonaws.com >/dev/null
wait_for 3 learned 198.51.100.32
sleep 0.5
check "the daemon's own learning is not taken for a change" \
	eval '! grep -q "^gap: ruleset-mismatch" "$TMP/run.log"'

present() { gw nft list table inet rbiblock >/dev/null 2>&1; }
gw nft delete table inet rbiblock
check "a deleted table is back within a second" wait_for 1 present
check "with the addresses it had learned" wait_for 1 learned 198.51.100.31
named() { # named ADDR NAME: the learned element's comment names NAME
	gw nft list map inet rbiblock learned_services_v4 | grep "$1 " |
		grep -q "$2"
}
check "each with the name it was learned for" \
	eval 'named 198.51.100.31 watch-1 && named 198.51.100.32 watch-2'
check "and blocking again" ! tcp 192.0.2.10 198.51.100.31 443
check "the deletion is recorded, naming who did it" \
	wait_for 2 grep -q "^gap: ruleset-mismatch: table inet rbiblock was removed by nft (pid [0-9]*); put back" "$TMP/run.log"

gw nft flush map inet rbiblock learned_services_v4
check "a flushed learned map is refilled within a second" \
	wait_for 1 learned 198.51.100.31
gw nft delete element inet rbiblock learned_services_v4 "{ 198.51.100.32 }"
check "a deleted learned element is back within a second" \
	wait_for 1 learned 198.51.100.32

rules() { gw nft -a list chain inet rbiblock camera_egress | grep -c "handle"; }
nrules=$(rules)
h=$(gw nft -a list chain inet rbiblock camera_egress |
	sed -n 's/.*service networks, any port.*# handle \([0-9]*\)/\1/p' | head -1)
gw nft delete rule inet rbiblock camera_egress handle "$h"
check "a deleted rule is back within a second" \
	wait_for 1 eval '[ "$(rules)" = "$nrules" ]'
check "the service network is blocked again" ! tcp 192.0.2.10 198.51.100.7 443
gw nft add element inet rbiblock nonpublic_zones_v4 "{ 203.0.113.77 }"
gone() { ! gw nft get element inet rbiblock nonpublic_zones_v4 "{ 203.0.113.77 }" >/dev/null 2>&1; }
check "an element slipped into a set is gone within a second" wait_for 1 gone

# An operator's rbictl apply is theirs: left to the next heartbeat.
write_policy "$TMP/other.yaml" log
sed -i "s|heartbeat: 2s|heartbeat: 60s|" "$TMP/other.yaml"
gw "$RBICTL" apply -p "$TMP/other.yaml" >/dev/null
sleep 1
check "an apply by another rbictl is not undone at once" \
	eval 'gw nft list table inet rbiblock | grep -q "policy=$(sha256sum <"$TMP/other.yaml" | cut -c1-64)"'
check "and the daemon says the heartbeat will" \
	grep -q "changed by rbictl (pid [0-9]*): the next heartbeat" "$TMP/run.log"

stop_daemon
"$RBICTL" audit show "$TMP/audit" --format jsonl >"$TMP/records.jsonl" 2>/dev/null
spans() { # the gap records' until - from, in microseconds
	grep '"type":"gap"' "$TMP/records.jsonl" | grep '"what":"ruleset-mismatch"' |
		python3 -c '
import json, sys, datetime
def us(t):
    return datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1e6
for l in sys.stdin:
    r = json.loads(l)
    print(int(us(r["until"]) - us(r["from"])))'
}
check "each change by another program is a gap record (4)" \
	test "$(spans | wc -l)" -ge 4
check "the gaps span the time the table was not as applied" \
	eval '[ "$(spans | awk "\$1 > 0" | wc -l)" = "$(spans | wc -l)" ]'
check "the audit log verifies" \
	eval '"$RBICTL" audit verify "$TMP/audit" --pub "$TMP/audit.pub" >/dev/null'

# The queue backend learns on its threads: their changes are the daemon's.
BACKEND=queue
gw nft delete element inet rbiblock learned_services_v4 "{ 198.51.100.31 }"
check "the queue backend's daemon starts" start_daemon
resolve 192.0.2.10 $R.watch-1.amazonaws.com >/dev/null
check "its inspection threads learn" wait_for 3 learned 198.51.100.31
sleep 0.5
check "what they learn is not taken for another's change" \
	eval '! grep -q "was changed by" "$TMP/run.log"'
finish
