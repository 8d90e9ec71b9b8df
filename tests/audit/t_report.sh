#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# What `rbictl audit report` says, checked against the records: flows
# counted as flows (records) with packets beside them, the catalogue and
# what was enforced, a crashed session said to be one, each policy's
# period in force, times in UTC and in the gateway's local time, the
# window (--since/--until) keeping sessions already running and leaving
# out gaps outside it, and a log that does not verify marked so
# everywhere. The browser checks are tests/report.
#   sh tests/audit/t_report.sh RBICTL AUDIT_WRITER
. "$(dirname "$0")/lib.sh"

"$RBICTL" keygen --origin example.com/rbi-test -o "$T/k" >/dev/null
"$RBICTL" keygen --origin example.com/rbi-test -o "$T/other" >/dev/null
policy=$(dirname "$0")/../../policies/examples/stadium.yaml
# 50 ms a clock reading, a heartbeat about every second (period 5 s);
# the table flushed after record 300; a crash; a restart 100 s later.
export TZ=Europe/Berlin
mklog "$T/log" --fake-clock 1795600000000000:50000 --records 600 \
	--batch 10 --hb-every 2 --heartbeat 5 --mix --gap-at 300 \
	--policy "$policy" --no-close
mklog "$T/log" --fake-clock 1795600100000000:50000 --records 200 \
	--batch 10 --hb-every 2 --heartbeat 5 --mix --policy "$policy"
# The reports' text with times unwrapped from their <span class="t">.
report() {
	"$RBICTL" audit report "$T/log" --pub "$T/k.pub" "$@" &&
		eval "out=\${$#}" && flat "$out"
}
flat() {
	sed -i 's/<span class="t">\([^<]*\)<\/span>/\1/g' "$1"
}
check "report: intact log, exit 0" report -o "$T/r.html"
R=$T/r.html

check "the verdict comes first, with the share of proven enforcement" \
	grep -q '^<h1 class="ok">The audit log is intact from 2026-11-25 09:46:40 UTC to 2026-11-25 09:48:3[0-9] UTC, and it proves that rbiblock enforced its policy for [0-9.]*% of that time.</h1>$' "$R"
"$RBICTL" audit show "$T/log" --type block --format jsonl >"$T/blocks"
flows=$(wc -l <"$T/blocks")
packets=$(sed 's/.*"count":\([0-9]*\).*/\1/' "$T/blocks" |
	awk '{ n += $1 } END { print n }')
check "blocks are counted as flows, one a record, packets apart" \
	sh -c "test $flows != $packets && grep -q 'blocked <strong>$flows flows</strong> (connections or exchanges, $packets packets in all)' '$R'"
check "the flows by service add up to the flows" \
	sh -c "sed -n '/<caption>Blocked flows by service/,/<\/table>/p' '$R' |
		sed -n 's/.*<td class=\"n\">\([0-9]*\)<\/td><td class=\"n\">.*/\1/p' |
		awk '{ n += \$1 } END { print n }' | grep -qx $flows"
cat_sha=$("$RBICTL" policy show --json -p "$policy" |
	sed 's/.*"catalog_sha256":"\([0-9a-f]*\)".*/\1/')
check "the catalogue's digest and release are shown, with its files" \
	sh -c "grep -q 'The digest (sha256) of all that was compiled is <code>$cat_sha</code>' '$R' &&
		grep -q '<caption>The built-in catalogue, release [0-9.]* of [0-9-]*, part of rbictl: its files and their digests</caption>' '$R' &&
		grep -q '<tr><td>policies/catalog/aws.yaml</td><td><code>[0-9a-f]\{64\}</code>' '$R' &&
		grep -q 'Its newest evidence was retrieved on 20[0-9-]*\.' '$R'"
check "each part of the prohibition is checked against the policy" \
	sh -c "test \$(grep -c '<tr><th scope=\"row\">[1-4]\. .*</th><td>.*</td><td><span aria-hidden=\"true\">&#10003; </span>Yes</td></tr>' '$R') = 6"
check "zones outside the prohibition are said to be" \
	grep -q '<li>Zone <strong>players-tunnel</strong> (172.16.20.0/28) is marked not publicly accessible' "$R"
check "and nftables-only heartbeats are said not to inspect names" \
	grep -q 'only nftables enforced the policy' "$R"
check "the crashed session is said to have ended in a crash" \
	grep -q 'ended without a stop record: the next start recorded a crash or power loss' "$R"
check "the policy's periods in force are periods, not an instant" \
	sh -c "sed -n '/<p>In force:<\/p>/,/<\/ul>/p' '$R' | grep -c '^<li>from ' | grep -qx 2 &&
		! sed -n '/<p>In force:<\/p>/,/<\/ul>/p' '$R' | grep -q '(0.000 s)'"
check "times are given in the gateway's local time too" \
	grep -q '2026-11-25 10:46:40 UTC+01:00 at the gateway' "$R"
check "the flush gap is a period from the last heartbeat" \
	sh -c "grep -A3 '<th scope=\"row\">[^<]*<span class=\"local\">(ruleset-mismatch)</span></th>' '$R' | grep -q '<br>([0-9.]* s)'"
check "the timeline is inline SVG with a text name for each row" \
	sh -c "test \$(grep -c '<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 [0-9]*\" role=\"img\" aria-labelledby=' '$R') = 4"
check "the full public key text is shown" \
	grep -qF "$(cat "$T/k.pub")" "$R"
check "self-contained: no script, link, image or URL loaded" \
	sh -c "! grep -qiE '<script|<link|<img|<iframe|url\(|src=' '$R' &&
		test \$(grep -o 'https\?://[^\" ]*' '$R' | sort -u) = http://www.w3.org/2000/svg"

# The window: from during the first session, after the flush gap.
since=2026-11-25T09:47:05Z
report --since "$since" -o "$T/w.html" >/dev/null
check "a session already running at --since is included" \
	grep -q '<tr><td>2026-11-25 09:46:40 UTC<br>' "$T/w.html"
check "a gap before --since is left out" \
	sh -c "! grep -q 'table inet rbiblock was removed' '$T/w.html'"
check "a gap inside the window is kept" \
	grep -q '<span class="local">(log-restart)</span></th>' "$T/w.html"
report --until 2026-11-25T09:47:00Z -o "$T/u.html" >/dev/null
check "a gap after --until is left out" \
	sh -c "! grep -q '(log-restart)</span></th>' '$T/u.html' &&
		grep -q 'table inet rbiblock was removed' '$T/u.html'"
check "blocks are counted inside the window only" \
	sh -c "n=\$(sed -n 's/.*blocked <strong>\([0-9]*\) flows.*/\1/p' '$T/u.html'); test \"\$n\" -gt 0 && test \"\$n\" -lt $flows"

cp -a "$T/log" "$T/bad"
seg=$T/bad/epoch-0001/seg-00000000.jsonl
n=$(grep -n aws-rekognition "$seg" | sed -n '10s/:.*//p')
sed -i "${n}s/rekognition/rekognitiom/" "$seg"
check "a tampered log: exit 1" expect_rc 1 \
	"$RBICTL" audit report "$T/bad" --pub "$T/k.pub" -o "$T/bad.html"
flat "$T/bad.html"
check "it says not intact first, as large" \
	grep -q '^<h1 class="bad">Not intact: the audit log of this gateway failed verification with [0-9]* faults\?. Nothing on this page can be relied on.</h1>$' "$T/bad.html"
check "and every section is marked unverified" \
	sh -c "test \$(grep -c '<h2 ' '$T/bad.html') = \$(grep -c '<h2 [^>]*>[^<]*<span class=\"tag\">unverified</span></h2>' '$T/bad.html')"
check "a report with the wrong key says so at the top" \
	sh -c "'$RBICTL' audit report '$T/log' --pub '$T/other.pub' -o '$T/key.html'; grep -q '^<h1 class=\"bad\">Not verified: this log is signed by another key' '$T/key.html'"

# Records without the gateway's offset (an older log): UTC only.
cp -a "$T/log" "$T/old"
sed -i 's/,"utc_offset":[0-9-]*//' "$T"/old/epoch-0001/seg-*.jsonl
"$RBICTL" audit report "$T/old" --pub "$T/k.pub" -o "$T/o.html" >/dev/null
check "without recorded offsets, times are UTC only and it says why" \
	sh -c "grep -q 'Times are in UTC (this log does not record the gateway' '$T/o.html' &&
		! grep -q 'UTC[+-][0-9:]* at the gateway' '$T/o.html'"

# The queue backend inspects names without the module: not nft alone.
mklog "$T/queue" --records 30 --batch 10 --hb-every 1 --backend nft+queue
"$RBICTL" audit report "$T/queue" --pub "$T/k.pub" -o "$T/q.html" >/dev/null
check "heartbeats of the queue backend are not said to be nftables alone" \
	sh -c "grep -q '<h1 class=\"ok\">' '$T/q.html' &&
		! grep -q 'only nftables enforced' '$T/q.html'"

# A policy whose only zone is staff-only blocks nothing: said so.
printf 'rbiblock: 1\nname: staff-only\nbasis: none\nprohibit:\n  categories: [remote-biometric-identification]\n  timing: [real-time, post]\n  actors: [public, private]\n  exceptions: []\nzones:\n  - name: staff\n    publicly-accessible: false\n    networks: [10.30.0.0/24]\n' >"$T/staff.yaml"
mklog "$T/staff" --records 10 --policy "$T/staff.yaml"
"$RBICTL" audit report "$T/staff" --pub "$T/k.pub" -o "$T/s.html" >/dev/null
check "a policy with no publicly accessible zone is said to block nothing" \
	grep -q '<li><strong>No zone is publicly accessible: the policy blocks nothing.</strong></li>' "$T/s.html"

mklog "$T/empty" --empty
"$RBICTL" audit report "$T/empty" --pub "$T/k.pub" -o "$T/e.html" >/dev/null
flat "$T/e.html"
check "an empty log: intact, no flow, nothing proven" \
	sh -c "grep -q 'enforced its policy for 0% of that time' '$T/e.html' &&
		grep -q 'blocked <strong>0 flows</strong>' '$T/e.html'"
exit $failed
