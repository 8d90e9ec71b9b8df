#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Tampering: each change to a log written by the test writer must make
# `rbictl audit verify` fail with a fault of the right kind at the right
# leaf. The writer runs on a fake clock, so leaf numbers are fixed.
#   sh tests/audit/t_tamper.sh RBICTL AUDIT_WRITER
. "$(dirname "$0")/lib.sh"

"$RBICTL" keygen --origin example.com/rbi-test -o "$T/k" >/dev/null
"$RBICTL" keygen --origin example.com/rbi-test -o "$T/other" >/dev/null
# 2000 blocks in batches of 50, a heartbeat (and checkpoint) every 4.
mklog "$T/base" --records 2000 --batch 50 --hb-every 4
check "an untouched log verifies" \
	"$RBICTL" audit verify "$T/base" --pub "$T/k.pub"

fresh() {
	rm -rf "$T/c"
	cp -a "$T/base" "$T/c"
	seg=$T/c/epoch-0001/seg-00000000.jsonl
}

# Leaf 100 is line 101 of the first segment.
fresh
sed -i '101s/rekognition/rekognitiom/' "$seg"
check "a flipped byte is found at its leaf" verify_fault "$T/c" record 100

fresh
sed -i '101d' "$seg"
check "a deleted record is found at its leaf" verify_fault "$T/c" record 100

fresh
sed -n '101p' "$seg" | sed 's/10\.20\./10.99./' >"$T/forged"
sed -i "100r $T/forged" "$seg"
check "an inserted record is found at its leaf" verify_fault "$T/c" record 100

fresh
awk 'NR == 101 { keep = $0; next } NR == 102 { print; print keep; next }
	{ print }' "$seg" >"$T/x" && cat "$T/x" >"$seg"
check "reordered records are found at their leaves" \
	verify_fault "$T/c" record 100

fresh
sed -i '101p' "$seg"
check "a duplicated record is found after its first copy" \
	verify_fault "$T/c" record 101

fresh
truncate -s "$(head -n 1499 "$seg" | wc -c)" "$seg"
check "a truncated segment is found at the first lost leaf" \
	verify_fault "$T/c" missing 1499

fresh
# The first history entry: three body lines, a blank, a signature.
head -n 5 "$T/c/epoch-0001/checkpoints" >"$T/c/epoch-0001/checkpoint"
check "a checkpoint replaced by an older one is found" \
	verify_fault "$T/c" checkpoint -

fresh
rm "$T/c/epoch-0001/checkpoint"
check "a deleted latest checkpoint is found" \
	verify_fault "$T/c" checkpoint -
# A crash after the first checkpoint's history entry, before the file of
# the latest: no checkpoint file yet, and that is not tampering.
mklog "$T/first" --records 5 --batch 5 --hb-every 100 --no-close
rm "$T/first/epoch-0001/checkpoint"
check "no latest checkpoint after the first history entry is a crash" \
	"$RBICTL" audit verify "$T/first" --pub "$T/k.pub"

fresh
sed -i '3s/^./A/;3s/^AA/BA/' "$T/c/epoch-0001/checkpoint"
check "a checkpoint with a forged root fails its signature" \
	verify_fault "$T/c" signature -

# The same records signed by someone else's key under the same name.
"$WRITER" write "$T/o" "$T/other.key" --quiet \
	--fake-clock 1795600000000000:1000 --records 2000 --batch 50 \
	--hb-every 4
fresh
cp "$T/o/epoch-0001/checkpoint" "$T/o/epoch-0001/checkpoints" \
	"$T/c/epoch-0001/"
check "checkpoints re-signed with another key are refused" \
	verify_fault "$T/c" signature -

# The record changed and its leaf hash rewritten to match: only the
# signed roots can tell.
fresh
sed -i '101s/rekognition/rekognitiom/' "$seg"
sed -n '101p' "$seg" | tr -d '\n' | perl -e 'local $/; print "\0", <STDIN>' |
	sha256sum | cut -c1-64 | perl -ne 'chomp; print pack("H*", $_)' |
	dd of="$T/c/epoch-0001/leaves.sha256" bs=32 seek=100 conv=notrunc \
	2>/dev/null
check "a record changed along with its leaf hash breaks the signed root" \
	verify_fault "$T/c" root -

# Heartbeats stop for 5 s (1000 records at 5 ms) while blocks go on.
mklog "$T/gap" --records 2000 --batch 50 --hb-every 4 \
	--fake-clock 1795600000000000:5000 --skip-heartbeats 500:1500
check "missing heartbeats are a located gap" verify_fault "$T/gap" heartbeat -
check "the heartbeat gap has time bounds" \
	grep -q '"kind":"heartbeat","epoch":1,"from_idx":[0-9]*,"to_idx":[0-9]*,"from":"2026-[^"]*","until":"2026-' "$T/v.json"

mklog "$T/pol" --records 2000 --batch 50 --hb-every 4 --policy-change-at 800
check "a policy change without a policy record is found" \
	verify_fault "$T/pol" policy -
exit $failed
