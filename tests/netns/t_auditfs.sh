#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The audit log's disk misbehaving under rbictl run, on a filesystem of
# the test's own (an ext4 image on a loop device):
#  - frozen (fsfreeze): DNS learning goes on; a write that does not finish
#    within 5 s fails closed (the recorder still reachable); after the
#    thaw the stall is a declared gap, fail-closed is lifted, and the log
#    verifies;
#  - nearly full: writes fail again and again, and the ruleset is
#    re-applied once to fail closed, not once per failed write.
. "$(dirname "$0")/lib.sh"
need ss dig fsfreeze mkfs.ext4 losetup
MNT=$TMP/auditfs
cleanup_more() {
	umount "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null
}
# Thawed first: a process writing to a frozen filesystem can't be ended.
trap 'fsfreeze -u "$MNT" 2>/dev/null; cleanup' EXIT
daemon_setup
mkdir -p "$MNT"
dd if=/dev/zero of="$TMP/audit.img" bs=1M count=24 status=none
mkfs.ext4 -q -F "$TMP/audit.img" 2>/dev/null &&
	mount -o loop "$TMP/audit.img" "$MNT" 2>/dev/null ||
	skip "cannot mount an ext4 image on a loop device"
sed -i "s|dir: $TMP/audit|dir: $MNT/audit|" "$TMP/policy.yaml"

R=rekognition
serve_names $R.frozen-1.amazonaws.com=31 $R.frozen-2.amazonaws.com=32
check "rbictl run starts with its log on the test's filesystem" start_daemon

# A frozen filesystem: every write to it waits until the thaw.
resolve 192.0.2.10 $R.frozen-1.amazonaws.com >/dev/null
wait_for 3 learned 198.51.100.31
fsfreeze -f "$MNT"
frozen=$(date +%s)
tcp 192.0.2.10 198.51.100.7 443
resolve 192.0.2.10 $R.frozen-2.amazonaws.com >/dev/null
check "with the audit disk frozen, DNS answers are still learned" \
	wait_for 2 learned 198.51.100.32
check "a write that does not finish within 5 s fails closed" \
	wait_for 12 grep -q "FAIL-CLOSED: audit log writes stalled" "$TMP/run.log"
check "fail-closed: camera egress to an ordinary host blocked" \
	! tcp 192.0.2.10 198.51.100.80 443
check "fail-closed: the recorder is still reachable" \
	tcp 192.0.2.10 203.0.113.5 443
# Frozen 12 s in all, then thawed.
sleep $((frozen + 12 - $(date +%s)))
fsfreeze -u "$MNT"
check "after the thaw, the stall is a declared gap" \
	wait_for 5 grep -q "^audit: write-stall gap recorded" "$TMP/run.log"
lifted() { grep -E "^(applied|in force): " "$TMP/run.log" | tail -n 1 |
	grep -vq FAIL-CLOSED; }
check "fail-closed is lifted once the log signs again" wait_for 12 lifted
check "ordinary egress flows again" tcp 192.0.2.10 198.51.100.80 443
stop_daemon
"$RBICTL" audit verify "$MNT/audit" --pub "$TMP/audit.pub" >"$TMP/verify.out" 2>&1
check "the log verifies after the stall" \
	eval '! grep -q "NOT INTACT" "$TMP/verify.out" && grep -q "INTACT" "$TMP/verify.out"'
check "verify lists the stall as a declared gap" \
	grep -q "write-stall" "$TMP/verify.out"

# A nearly full disk: most writes fail, some pass.
dd if=/dev/zero of="$MNT/fill" bs=64k status=none 2>/dev/null
truncate -s -24K "$MNT/fill"
sed -i "s|heartbeat: 2s|heartbeat: 1s|" "$TMP/policy.yaml"
start_daemon
for i in $(seq 1 8); do
	for p in $(seq $((40000 + i * 50)) $((40049 + i * 50))); do
		udp 192.0.2.10 198.51.100.7 5000 "$p"
	done
	sleep 0.5
done
n=$(grep -cE "^(applied|in force): " "$TMP/run.log")
# Started, failed closed, and at most once lifted (two checkpoints signed
# in a row) and failed again: main's daemon re-applied 140 times.
check "with the disk nearly full the ruleset is applied $n times, not once per failure" \
	test "$n" -le 5
check "and it fails closed, saying why without a changing count" \
	grep -q "FAIL-CLOSED: audit log write failed: .*No space left on device$" "$TMP/run.log"
stop_daemon
finish
