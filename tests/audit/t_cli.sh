#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# The commands: keygen, the key-mode check, show and its formats, proof
# and verify-proof, report, recovery of a torn tail, the alarm and new
# origin when a signed log is cut short, and retention.
#   sh tests/audit/t_cli.sh RBICTL AUDIT_WRITER
. "$(dirname "$0")/lib.sh"

check "keygen writes a key and a vkey" \
	"$RBICTL" keygen --origin example.com/rbi-test -o "$T/k"
check "the private key is mode 0600" test "$(stat -c %a "$T/k.key")" = 600
check "the vkey names its origin" grep -q '^example.com/rbi-test+[0-9a-f]\{8\}+' "$T/k.pub"
check "keygen refuses to overwrite a key" expect_rc 1 \
	"$RBICTL" keygen --origin example.com/rbi-test -o "$T/k"
check "keygen without arguments is a usage error" expect_rc 2 \
	"$RBICTL" keygen
check "keygen refuses an origin with a space" expect_rc 2 \
	"$RBICTL" keygen --origin "a b" -o "$T/bad"
check "keygen --help" expect_rc 0 "$RBICTL" keygen --help
check "audit verify without --pub is a usage error" expect_rc 2 \
	"$RBICTL" audit verify "$T"

cp "$T/k.key" "$T/loose.key"
chmod 644 "$T/loose.key"
check "the writer refuses a group/world-readable key" expect_rc 1 \
	"$WRITER" write "$T/nolog" "$T/loose.key" --records 1
check "and says what to do" grep -q "chmod 600" "$T/out"

printf 'rbiblock: 1\nname: "<b>city</b>"\nbasis: >-\n  Art. 5 <script>alert(1)</script> & more\nprohibit:\n  categories: [remote-biometric-identification]\n  timing: [real-time, post]\n  actors: [public, private]\n  exceptions: []\nzones:\n  - name: squares\n    publicly-accessible: true\n    networks: [10.20.0.0/16]\n' >"$T/policy.yaml"
mklog "$T/log" --records 300 --batch 20 --hb-every 3 --policy "$T/policy.yaml"
check "the log verifies" "$RBICTL" audit verify "$T/log" --pub "$T/k.pub"
check "verify --json says ok" sh -c "'$RBICTL' audit verify '$T/log' --pub '$T/k.pub' --json | grep -q '\"ok\":true'"

"$RBICTL" audit show "$T/log" --type block --zone city-squares >"$T/show"
check "show --type block --zone selects the 300 blocks" test "$(wc -l <"$T/show")" = 300
"$RBICTL" audit show "$T/log" --zone nowhere >"$T/show"
check "show --zone with no match prints nothing" test ! -s "$T/show"
"$RBICTL" audit show "$T/log" --since 2026-11-25T09:46:40Z --until 2026-11-25T09:46:40.100Z >"$T/show"
check "show --since/--until bound the time (fake clock: 100 records)" \
	test "$(wc -l <"$T/show")" -ge 90
"$RBICTL" audit show "$T/log" --format csv >"$T/csv"
check "csv has a header and CRLF line ends" sh -c "head -1 '$T/csv' | grep -q '^idx,ts,type,.*,detail.\$' && test \$(grep -c \$(printf '\\r') '$T/csv') = \$(wc -l <'$T/csv')"
check "csv quotes fields with commas or quotes" \
	grep -q ',"seq=1; [^"]*counters={""blocked_flows"":3,""dns_learned"":1}"' "$T/csv"
"$RBICTL" audit show "$T/log" --format syslog --type block >"$T/syslog"
check "syslog lines are RFC 5424 with structured data" \
	grep -q '^<108>1 2026-11-25T09:46:40\.[0-9]*Z [^ ]* rbiblock - block \[rbiblock@32473 idx="2" ' "$T/syslog"
"$RBICTL" audit show "$T/log" --format cef --type block >"$T/cef"
check "cef lines carry the service and the block" \
	grep -q '^CEF:0|rbiblock|rbiblock|[^|]*|rbi-block|Blocked flow to aws-rekognition|7|rt=.* cs1=aws-rekognition .*act=block' "$T/cef"
# Flows allowed but recorded: "log" records, verified, never blocks.
mklog "$T/logs" --records 40 --batch 10 --hb-every 2 --log-every 4
check "a log with log records verifies" \
	"$RBICTL" audit verify "$T/logs" --pub "$T/k.pub"
check "show --type log selects the 10 log records" \
	test "$("$RBICTL" audit show "$T/logs" --type log | wc -l)" = 10
check "show --type block leaves them out" \
	test "$("$RBICTL" audit show "$T/logs" --type block | wc -l)" = 30
check "cef says act=log for them" sh -c "'$RBICTL' audit show '$T/logs' \
	--type log --format cef | grep -c 'rbi-log|Logged flow to .* act=log ' | grep -qx 10"
check "show --format with a bad name is a usage error" expect_rc 2 \
	"$RBICTL" audit show "$T/log" --format xml
check "show --since with a bad time is a usage error" expect_rc 2 \
	"$RBICTL" audit show "$T/log" --since yesterday

check "proof for a record" "$RBICTL" audit proof "$T/log" --index 42 -o "$T/p"
check "the proof starts with the tlog-proof header" \
	sh -c "head -1 '$T/p' | grep -qx 'c2sp.org/tlog-proof@v1'"
check "verify-proof accepts it (embedded record)" \
	"$RBICTL" audit verify-proof "$T/p" --pub "$T/k.pub"
"$RBICTL" audit show "$T/log" --format jsonl | sed -n 43p >"$T/leaf42"
"$RBICTL" audit show "$T/log" --format jsonl | sed -n 44p >"$T/leaf43"
check "verify-proof accepts the right record given with --leaf" \
	"$RBICTL" audit verify-proof "$T/p" --pub "$T/k.pub" --leaf "$T/leaf42"
check "verify-proof accepts --leaf - (standard input)" \
	sh -c "'$RBICTL' audit verify-proof '$T/p' --pub '$T/k.pub' --leaf - <'$T/leaf42'"
check "verify-proof rejects another record" expect_rc 1 \
	"$RBICTL" audit verify-proof "$T/p" --pub "$T/k.pub" --leaf "$T/leaf43"
sed '4s/^./A/;4s/^AA/BA/' "$T/p" >"$T/p2"
check "verify-proof rejects a changed proof hash" expect_rc 1 \
	"$RBICTL" audit verify-proof "$T/p2" --pub "$T/k.pub"
sed '4s/^.\{4\}//' "$T/p" >"$T/p3"
check "verify-proof rejects a hash that is not 32 bytes" expect_rc 1 \
	"$RBICTL" audit verify-proof "$T/p3" --pub "$T/k.pub"
"$RBICTL" keygen --origin example.com/rbi-test -o "$T/other" >/dev/null
check "verify-proof rejects the checkpoint under another key" expect_rc 1 \
	"$RBICTL" audit verify-proof "$T/p" --pub "$T/other.pub"
check "proof past the signed size fails" expect_rc 1 \
	"$RBICTL" audit proof "$T/log" --index 100000

check "report writes HTML" "$RBICTL" audit report "$T/log" --pub "$T/k.pub" -o "$T/r.html"
check "the report says the log is intact" \
	grep -q '<h1 class="ok">The audit log is intact from ' "$T/r.html"
check "the report escapes text from the log" \
	sh -c "grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; more' '$T/r.html' && ! grep -q '<script>' '$T/r.html'"
check "the report counts blocks by service" \
	grep -q '<th scope="row">aws-rekognition</th><td class="n">300</td>' "$T/r.html"

# A torn, unacknowledged tail: verify notes it; the next start cuts it.
cp -a "$T/log" "$T/torn"
printf '{"v":1,"type":"blo' >>"$T/torn/epoch-0001/seg-00000000.jsonl"
check "verify accepts a torn tail past the last checkpoint" \
	"$RBICTL" audit verify "$T/torn" --pub "$T/k.pub"
mklog "$T/torn" --records 5
check "restarting cuts the torn tail" sh -c "'$RBICTL' audit verify '$T/torn' --pub '$T/k.pub' | grep -v -q 'partial record'"

# Signed records lost: alarm, old epoch untouched, new origin citing it.
cp -a "$T/log" "$T/cut"
seg=$T/cut/epoch-0001/seg-00000000.jsonl
truncate -s "$(head -n 200 "$seg" | wc -c)" "$seg"
sum=$(sha256sum "$seg" | cut -c1-64)
"$WRITER" write "$T/cut" "$T/k.key" --records 10 --quiet 2>"$T/err"
check "a log shorter than signed raises an alarm" grep -q ALARM "$T/err"
check "the damaged epoch is left untouched" \
	test "$(sha256sum "$seg" | cut -c1-64)" = "$sum"
check "a new origin starts" grep -q '^example.com/rbi-test/epoch-2$' "$T/cut/epoch-0002/checkpoint"
check "its first record is a start citing the old checkpoint" \
	sh -c "head -1 '$T/cut/epoch-0002/seg-00000000.jsonl' | grep -q '\"type\":\"start\".*\"prev\":{\"origin\":\"example.com/rbi-test\",\"size\":[1-9]'"
check "and a gap record says what was lost" \
	sh -c "sed -n 2p '$T/cut/epoch-0002/seg-00000000.jsonl' | grep -q '\"what\":\"log-restart\"'"
check "verify fails, locating the loss in the old epoch only" \
	sh -c "! '$RBICTL' audit verify '$T/cut' --pub '$T/k.pub' --json >'$T/v.json'; grep -q '\"epoch\":1' '$T/v.json' && ! grep -q '\"kind\":\"[a-z]*\",\"epoch\":2' '$T/v.json'"

# The clock steps back 2 s: recorded as a gap, so not a fault.
mklog "$T/jump" --records 200 --batch 20 --hb-every 3 --clock-jump 100:2000000
check "a clock stepping back is declared and verifies" \
	"$RBICTL" audit verify "$T/jump" --pub "$T/k.pub"
cp "$T/check.out" "$T/jump.out"
check "the clock-jump gap is listed" grep -q '^gap clock-jump:' "$T/jump.out"

# A crash-recovered log: intact, but --strict counts the declared gap.
mklog "$T/rec" --records 50 --no-close
mklog "$T/rec" --records 50
check "a log recovered after a crash verifies" \
	"$RBICTL" audit verify "$T/rec" --pub "$T/k.pub"
check "--strict counts the declared restart gap as a fault" expect_rc 1 \
	"$RBICTL" audit verify "$T/rec" --pub "$T/k.pub" --strict

# Retention: 10 s on the fake clock (1 ms a record); segment 0 goes.
mklog "$T/ret" --records 82000 --batch 500 --hb-every 4 --retention 10
check "retention deletes a whole old segment" \
	test ! -e "$T/ret/epoch-0001/seg-00000000.jsonl"
check "the leaf hashes stay" test "$(stat -c %s "$T/ret/epoch-0001/leaves.sha256")" -gt 2600000
check "a retention gap record says so" sh -c "'$RBICTL' audit show '$T/ret' --type gap | grep -q 'what=retention'"
check "the pruned log still verifies" \
	"$RBICTL" audit verify "$T/ret" --pub "$T/k.pub" --json
cp "$T/check.out" "$T/ret.json"
check "verify reports the pruned range" \
	grep -q '"pruned":\[{"what":"retention","epoch":1,"from_idx":0,"to_idx":65535' "$T/ret.json"
exit $failed
