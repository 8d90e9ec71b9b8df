#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# What the records say and how show, proof and verify say it: the side
# that opened a flow is its source in every format, the policy record
# carries the catalogue and what was enforced, syslog names the gateway,
# CEF names a flow without a service, the start record the time zone, and
# the mistakes an auditor makes (no log, a bad --type, a leaf past the
# end, the wrong key) get one clear answer each.
#   sh tests/audit/t_evidence.sh RBICTL AUDIT_WRITER
. "$(dirname "$0")/lib.sh"

"$RBICTL" keygen --origin example.com/rbi-test -o "$T/k" >/dev/null
"$RBICTL" keygen --origin example.com/rbi-test -o "$T/other" >/dev/null
policy=$(dirname "$0")/../../policies/examples/stadium.yaml
# Six kinds of flow in turn: record 5 (leaf 7) is an ingress pull of
# camera 10.20.0.3 by 203.0.113.9, record 6 QUIC with no service.
TZ=Europe/Berlin mklog "$T/log" --records 60 --batch 10 --hb-every 2 --mix \
	--policy "$policy"
check "the mixed log verifies" "$RBICTL" audit verify "$T/log" --pub "$T/k.pub"

show() { "$RBICTL" audit show "$T/log" "$@"; }
show --format jsonl >"$T/all.jsonl"
check "an ingress record names the opener as src and the camera as dst" \
	grep -q '"camera":"10.20.0.3","src":"203.0.113.9","dst":"10.20.0.3","dport":554,.*"direction":"ingress"' "$T/all.jsonl"
check "an egress record names the camera as src" \
	grep -q '"camera":"10.20.0.0","src":"10.20.0.0","dst":"198.51.100.7","dport":443' "$T/all.jsonl"
show --format cef >"$T/cef"
check "CEF: src is the opener, dst and dpt the camera it pulled from" \
	grep -q 'externalId=5 src=203.0.113.9 dst=10.20.0.3 dpt=554 .*deviceDirection=0$' "$T/cef"
check "CEF: a flow with no service is named by its destination" \
	grep -q '|rbi-block|Blocked flow to 198.51.100.80 udp/443|7|' "$T/cef"
check "CEF: no event name ends in nothing" sh -c "! grep -q 'flow to |' '$T/cef'"
show --format csv >"$T/csv"
check "CSV: a src column, the opener in it" \
	sh -c "head -1 '$T/csv' | grep -q '^idx,ts,type,zone,camera,src,dst,dport,' &&
		grep -q '^5,[^,]*,block,city-squares,10.20.0.3,203.0.113.9,10.20.0.3,554,' '$T/csv'"
show --format syslog --type block >"$T/syslog"
check "syslog: HOSTNAME is the gateway's origin, not this machine" \
	sh -c "grep -q '^<108>1 [^ ]* example.com/rbi-test rbiblock - block ' '$T/syslog' &&
		! grep -q ' $(hostname) rbiblock ' '$T/syslog'"

show --type policy --format jsonl >"$T/policy.jsonl"
want=$("$RBICTL" policy show --json -p "$policy" |
	sed 's/.*"catalog_sha256":"\([0-9a-f]*\)".*/\1/')
check "the policy record carries the catalogue's digest" \
	grep -q "\"catalog\":{\"sha256\":\"$want\",\"services\":[1-9]" "$T/policy.jsonl"
check "and each catalogue with its release and each file with its digest" \
	grep -q '"catalogs":\[{"kind":"built-in","path":"built-in","version":"[0-9.]*","date":"[0-9-]*","sha256":"[0-9a-f]\{64\}",.*"files":\[{"path":"policies/catalog/aws.yaml","sha256":"[0-9a-f]\{64\}"}' "$T/policy.jsonl"
check "and the zones, prohibition and enforce settings in force" \
	grep -q '"enforced":{"basis":"[^"]*","prohibit":{"categories":\["remote-biometric-identification",.*"enforce":{"shared-hosts":"[a-z]*",.*"zones":\[{"name":"' "$T/policy.jsonl"
check "the catalogue is still followed by the policy's text" \
	grep -q '"zones_omitted":0},"text":"' "$T/policy.jsonl"
show --type start --format jsonl >"$T/start"
check "the start record says the gateway's time zone and offset" \
	grep -q '"tz":"Europe/Berlin","utc_offset":3600}' "$T/start"
show --type heartbeat --format jsonl >"$T/hb"
check "each heartbeat says the offset, which summer time changes" \
	grep -q '"utc_offset":3600,"counters"' "$T/hb"

mkdir "$T/nolog"
check "show on a directory without a log: exit 1" expect_rc 1 \
	"$RBICTL" audit show "$T/nolog"
check "and it says so" grep -q "no audit log here" "$T/out"
check "a bad --type is a usage error" expect_rc 2 \
	"$RBICTL" audit show "$T/log" --type xml
check "that lists every type, log included" \
	grep -q "policy, block, heartbeat, start, stop, gap or log" "$T/out"

leaves=$(show | wc -l)
check "proof past the last leaf: exit 1" expect_rc 1 \
	"$RBICTL" audit proof "$T/log" --index 100000
check "and it says there is no such leaf, not to wait" \
	sh -c "grep -q 'there is no leaf 100000: this log holds leaves 0 to $((leaves - 1))' '$T/out' && ! grep -q wait '$T/out'"
# Records after the last checkpoint: a crash before the next heartbeat.
mklog "$T/unsigned" --records 30 --batch 10 --hb-every 100 --no-close
last=$(($(cat "$T"/unsigned/epoch-0001/seg-*.jsonl | wc -l) - 1))
check "proof of a leaf not yet signed: exit 1" expect_rc 1 \
	"$RBICTL" audit proof "$T/unsigned" --index "$last"
check "and it says the next heartbeat will sign it" \
	grep -q "not covered by the latest checkpoint (size [0-9]*) yet" "$T/out"

"$RBICTL" audit verify "$T/log" --pub "$T/other.pub" >"$T/wrong"
check "verify with another key: exit 1" test $? = 1
kid() { sed 's/^[^+]*+\([0-9a-f]\{8\}\)+.*/\1/' "$1"; }
check "one fault line naming the log's key and the given key" \
	sh -c "test \$(grep -c FAULT '$T/wrong') = 1 &&
		grep -q 'signed by key example.com/rbi-test+$(kid "$T/k.pub"), not by the key given, example.com/rbi-test+$(kid "$T/other.pub")' '$T/wrong'"
exit $failed
