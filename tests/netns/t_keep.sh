#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# A boot that can't enforce its policy (rbictl run --keep). The table is
# the kernel's: it outlasts the daemon, not a reboot, and a policy file
# broken before the reboot used to leave the gateway enforcing nothing.
# Here a reboot is the table deleted with the daemon stopped:
#  - on-failure: closed: the kept ruleset comes back fail-closed (camera
#    egress only to recorders), said as an error, exit 78;
#  - a table already there is left alone (a restart, not a boot);
#  - on-failure: open: the old policy's rules come back as they were;
#  - a kept file that was tampered with, or is missing, is refused, said.
. "$(dirname "$0")/lib.sh"
need ss socat
trap cleanup EXIT
daemon_setup
listen "$NS_NET" 443
KEEP=$TMP/kept.batch
run_once() { # run_once POLICY: rbictl run that should not start
	gw timeout 20 "$RBICTL" run -p "$1" --backend nft --keep "$KEEP" \
		--pid-file "$TMP/run.pid" >"$TMP/once.log" 2>&1
}
reboot() { gw nft delete table inet rbiblock 2>/dev/null; true; }

check "rbictl run starts and keeps the ruleset for a boot" start_daemon
check "... in the file it was given" \
	eval 'wait_for 5 test -s "$KEEP" && head -n 1 "$KEEP" | grep -qx "rbiblock-kept 1"'
check "ordinary egress flows" tcp 192.0.2.10 198.51.100.80 443
stop_daemon
reboot
echo "zones: [ this is not yaml" >"$TMP/broken.yaml"

run_once "$TMP/broken.yaml"
check "a broken policy at boot: exit 78" test $? = 78
check "... the kept ruleset is put back, said as an error" \
	grep -q "put back the ruleset kept at .* for policy netns-test" "$TMP/once.log"
check "... a table is in force again" \
	eval 'gw nft list table inet rbiblock >/dev/null'
check "... fail-closed: camera egress to an ordinary host blocked" \
	! tcp 192.0.2.10 198.51.100.80 443
check "... the recorder still reachable" tcp 192.0.2.10 203.0.113.5 443
check "... the prohibited service blocked" ! tcp 192.0.2.10 198.51.100.7 443
check "... the non-public zone unaffected" tcp 192.0.2.130 198.51.100.80 443
check "... status says why" \
	eval 'status | grep -q "^fail-closed: put back at boot: the policy could not be enforced"'

run_once "$TMP/broken.yaml"
check "a table already there is left alone (a restart, not a boot)" \
	grep -q "table inet rbiblock is installed: it stays in force" "$TMP/once.log"

check "a valid policy again: rbictl run replaces it" start_daemon
check "... ordinary egress flows again" tcp 192.0.2.10 198.51.100.80 443
stop_daemon

# on-failure: open keeps the old policy's rules, not more.
sed 's/^  on-failure: closed/  on-failure: open/' "$TMP/policy.yaml" >"$TMP/open.yaml"
grep -q "on-failure: open" "$TMP/open.yaml" || fail "the test policy has on-failure"
closed=$(sed -n 's/^policy \([0-9a-f]*\) .*/\1/p' "$KEEP")
check "on-failure: open: rbictl run starts" start_daemon "$TMP/open.yaml"
check "... and keeps its own ruleset in place of the old" \
	wait_for 5 eval '! grep -q "^policy $closed " "$KEEP"'
stop_daemon
reboot
run_once "$TMP/broken.yaml"
check "on-failure: open: the old rules are put back" \
	eval 'gw nft list table inet rbiblock >/dev/null'
check "... the prohibited service blocked" ! tcp 192.0.2.10 198.51.100.7 443
check "... ordinary egress flows" tcp 192.0.2.10 198.51.100.80 443

# A kept file changed by anyone but rbictl is not sent to the kernel.
reboot
printf 'x' >>"$KEEP"
run_once "$TMP/broken.yaml"
check "a kept file with a byte more is refused, nothing installed" \
	eval '! gw nft list table inet rbiblock >/dev/null 2>&1 &&
		grep -q "NOTHING IS ENFORCED: .*not .* bytes long" "$TMP/once.log"'
truncate -s -1 "$KEEP"
sed -i "s/^sha256 [0-9a-f]*\$/sha256 $(printf '0%.0s' $(seq 64))/" "$KEEP"
run_once "$TMP/broken.yaml"
check "a kept file whose digest does not match is refused" \
	grep -q "does not match its digest" "$TMP/once.log"
# Whole and matching its digest, but with a message for something else:
# conntrack's, or nf_tables' for another table (deleting table inet fw4).
forge_kept() { # forge_kept SUBSYS MSG TABLE
	python3 - "$KEEP" "$@" <<'EOP'
import hashlib, struct, sys
path, subsys, typ, table = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def msg(t, attrs=b""):
    body = struct.pack("=BBH", 1, 0, 0) + attrs
    return struct.pack("=IHHII", 16 + len(body), t, 1, 1, 0) + body
name = table.encode() + b"\0"
attr = struct.pack("=HH", 4 + len(name), 1) + name
attr += b"\0" * (-len(attr) % 4)
batch = msg(0x10) + msg(subsys << 8 | typ, attr) + msg(0x11)
open(path, "wb").write(
    b"rbiblock-kept 1\napplied %s nft\npolicy %s x\nsaved 0\nsha256 %s\n"
    b"length %d\n\n" % (b"0" * 64, b"0" * 64,
                         hashlib.sha256(batch).hexdigest().encode(),
                         len(batch)) + batch)
EOP
}
gw nft add table inet fw4
forge_kept 1 0 rbiblock
run_once "$TMP/broken.yaml"
check "a kept batch with a conntrack message is refused" \
	eval '! gw nft list table inet rbiblock >/dev/null 2>&1 &&
		grep -q "holds a message for another table" "$TMP/once.log"'
forge_kept 10 2 fw4
run_once "$TMP/broken.yaml"
check "a kept batch that would delete another table is refused" \
	eval 'gw nft list table inet fw4 >/dev/null &&
		grep -q "holds a message for another table" "$TMP/once.log"'
rm -f "$KEEP"
run_once "$TMP/broken.yaml"
check "no kept file: said plainly" \
	grep -q "nothing is enforced: .*no ruleset was kept" "$TMP/once.log"
finish
