#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Faults an operator or an attacker with write access to the policy can
# cause rbictl run, and policies that were misread:
#  - a FIFO, and a 60 MB value, given as the policy on SIGHUP: refused
#    quickly, DNS learning going on meanwhile;
#  - a change of audit.dir on SIGHUP: the old log closed, the new opened;
#  - a UTF-8 byte order mark, a '!!binary' tag, a million networks (no
#    alias in sight) and an alias bomb, each read for what it is.
. "$(dirname "$0")/lib.sh"
need ss dig python3
trap cleanup EXIT
daemon_setup
cp "$TMP/policy.yaml" "$TMP/policy.good"
R=rekognition
serve_names $R.fault-1.amazonaws.com=31 $R.fault-2.amazonaws.com=32
check "rbictl run starts" start_daemon

# A FIFO where the policy was: nobody ever writes to it.
rm "$TMP/policy.yaml"
mkfifo "$TMP/policy.yaml"
kill -HUP "$DAEMON"
check "SIGHUP with a FIFO as the policy: refused at once" \
	wait_for 2 grep -q "^reload refused" "$TMP/run.log"
resolve 192.0.2.10 $R.fault-1.amazonaws.com >/dev/null
check "and DNS learning goes on" wait_for 2 learned 198.51.100.31
rm "$TMP/policy.yaml"

# A 60 MB value: read on the side, refused, learning going on.
python3 - "$TMP/policy.good" "$TMP/policy.yaml" <<'EOP'
import sys
text = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(text.replace("name: netns-test",
                                          'name: "' + "x" * 60000000 + '"'))
EOP
before=$(grep -c "^reload refused" "$TMP/run.log")
kill -HUP "$DAEMON"
resolve 192.0.2.10 $R.fault-2.amazonaws.com >/dev/null
check "while a 60 MB policy is read, DNS answers are learned" \
	wait_for 1 learned 198.51.100.32
check "and the 60 MB value is refused within 3 s" \
	wait_for 3 eval '[ "$(grep -c "^reload refused" "$TMP/run.log")" -gt "$before" ]'
check "naming the value that is too long" \
	grep -q "a value longer than 1 MiB" "$TMP/run.log"

# audit.dir changed on SIGHUP.
sed "s|dir: $TMP/audit|dir: $TMP/audit2|" "$TMP/policy.good" >"$TMP/policy.yaml"
kill -HUP "$DAEMON"
check "a changed audit.dir is said on reload" \
	wait_for 3 grep -q "^audit: the policy changes the audit settings" "$TMP/run.log"
check "the new log is opened" \
	wait_for 3 grep -q "^audit: log $TMP/audit2 opened" "$TMP/run.log"
wait_for 5 test -s "$TMP/audit2/latest-checkpoint" ||
	wait_for 5 eval 'ls "$TMP"/audit2/*/checkpoint* >/dev/null 2>&1'
stop_daemon
"$RBICTL" audit show "$TMP/audit" --format jsonl >"$TMP/old.jsonl" 2>/dev/null
"$RBICTL" audit show "$TMP/audit2" --format jsonl >"$TMP/new.jsonl" 2>/dev/null
check "the old log ends with a stop record saying why" \
	eval 'grep "\"type\":\"stop\"" "$TMP/old.jsonl" | grep -q "audit settings changed"'
check "the new log starts with the policy" \
	eval 'grep -q "\"type\":\"start\"" "$TMP/new.jsonl" && grep -q "\"type\":\"policy\"" "$TMP/new.jsonl"'
check "both logs verify" \
	eval '"$RBICTL" audit verify "$TMP/audit" --pub "$TMP/audit.pub" >/dev/null && "$RBICTL" audit verify "$TMP/audit2" --pub "$TMP/audit.pub" >/dev/null'

# Policies misread before.
printf '\357\273\277' >"$TMP/bom.yaml"
cat "$TMP/policy.good" >>"$TMP/bom.yaml"
check "a UTF-8 byte order mark is passed over" \
	"$RBICTL" policy check -q -p "$TMP/bom.yaml"
sed 's|^name: netns-test|name: !!binary bmV0bnMtdGVzdA==|' "$TMP/policy.good" >"$TMP/bin.yaml"
check "a !!binary tag is refused, named" \
	eval '"$RBICTL" policy check -p "$TMP/bin.yaml" 2>&1 | grep -q "YAML tag .!!binary."'
check "and does not pass as valid" \
	eval '! "$RBICTL" policy check -q -p "$TMP/bin.yaml" 2>/dev/null'
big_policy "$TMP/policy.good" "$TMP/big.yaml" 1000000 32
check "a million networks are no alias bomb" \
	"$RBICTL" policy check -q -p "$TMP/big.yaml"
{
	echo 'a: &a [x, x, x, x, x, x, x, x, x, x]'
	p=a
	for i in b c d e f g h; do
		echo "$i: &$i [*$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p]"
		p=$i
	done
} >"$TMP/bomb.yaml"
check "an alias bomb still is" \
	eval '"$RBICTL" policy check -p "$TMP/bomb.yaml" 2>&1 | grep -q "alias bomb"'
finish
