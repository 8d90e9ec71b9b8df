#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Crashes: the test writer appends under load (group commit, a heartbeat
# and checkpoint every 8 batches) and is killed with SIGKILL at a random
# moment, 100 times, restarted on the same directory each time as the
# daemon would be. After every kill: verify passes, and every record the
# writer acknowledged (printed only after its fdatasync) is in the log with
# the content it was given. Never an alarm: nothing signed may be lost.
#   sh tests/audit/t_crash.sh RBICTL AUDIT_WRITER [ROUNDS]
. "$(dirname "$0")/lib.sh"
ROUNDS=${3:-100}

"$RBICTL" keygen --origin example.com/rbi-test -o "$T/k" >/dev/null
D=$T/log
: >"$T/acked"
bad_verify=0
bad_acks=0
i=0
while [ $i -lt "$ROUNDS" ]; do
	i=$((i + 1))
	"$WRITER" write "$D" "$T/k.key" --records 0 --batch 16 --hb-every 8 \
		--sleep-us 200 >"$T/ack" 2>>"$T/stderr" &
	pid=$!
	# 5 to 260 ms: inside recovery, appends, syncs, checkpoints.
	ms=$(( $(od -An -N1 -tu1 /dev/urandom) + 5 ))
	sleep "$(printf '0.%03d' "$ms")"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# A line cut by the kill (no newline yet) was never acknowledged.
	head -n "$(wc -l <"$T/ack")" "$T/ack" >"$T/ack.done"
	mv "$T/ack.done" "$T/ack"
	cat "$T/ack" >>"$T/acked"
	if ! "$RBICTL" audit verify "$D" --pub "$T/k.pub" >"$T/v" 2>&1; then
		bad_verify=$((bad_verify + 1))
		echo "    round $i: verify failed:"
		grep FAULT "$T/v" | head -5 | sed 's/^/    /'
	fi
	# Every acknowledged "IDX PID/N" is leaf IDX with name .../PID/N.
	"$RBICTL" audit show "$D" --type block --format csv |
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "name") c = i; next }
			{ n = $c; sub(/.*\.com\//, "", n); print $1, n }' \
		>"$T/have"
	missing=$(awk 'NR == FNR { have[$0] = 1; next } !($0 in have)' \
		"$T/have" "$T/ack" | head -3)
	if [ -n "$missing" ]; then
		bad_acks=$((bad_acks + 1))
		echo "    round $i: acknowledged but not logged: $missing"
	fi
done
[ $bad_verify = 0 ] && pass "verify passed after each of $ROUNDS SIGKILLs" ||
	fail "verify failed after $bad_verify of $ROUNDS SIGKILLs"
[ $bad_acks = 0 ] && pass "every acknowledged record survived $ROUNDS SIGKILLs ($(wc -l <"$T/acked") records)" ||
	fail "acknowledged records lost in $bad_acks of $ROUNDS rounds"
missing=$(awk 'NR == FNR { have[$0] = 1; next } !($0 in have)' \
	"$T/have" "$T/acked" | wc -l)
[ "$missing" = 0 ] && pass "all acknowledged records are still there at the end" ||
	fail "$missing acknowledged records are gone at the end"
if grep -q ALARM "$T/stderr" || [ -d "$D/epoch-0002" ]; then
	fail "a crash made the writer raise an alarm"
	grep ALARM "$T/stderr" | head -3
else
	pass "no crash ever looked like tampering (no alarm, one epoch)"
fi
"$WRITER" write "$D" "$T/k.key" --records 10 --quiet 2>>"$T/stderr"
check "a clean run after the crashes closes and verifies" \
	"$RBICTL" audit verify "$D" --pub "$T/k.pub"
exit $failed
