# SPDX-License-Identifier: GPL-2.0 OR MIT
# Shared by the tests/audit suites, sourced first with their arguments
# (RBICTL AUDIT_WRITER ...): it sets RBICTL, WRITER and T, a temp dir
# removed at exit.
set -u
RBICTL=$1
WRITER=$2
T=$(mktemp -d)
cleanup() { rm -rf "$T"; }
trap cleanup EXIT
failed=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

# check NAME COMMAND...: PASS when the command succeeds.
check() {
	name=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then pass "$name"; else
		fail "$name"; sed 's/^/    /' "$T/check.out" | head -20
	fi
}

# expect_rc RC COMMAND...: the command exits RC; its output is in $T/out.
expect_rc() {
	want=$1
	shift
	"$@" >"$T/out" 2>&1
	rc=$?
	[ "$rc" = "$want" ] || { echo "exit $rc, want $want"; cat "$T/out"; return 1; }
}

# A deterministic log: a fake clock from 2026-11-25T09:46:40Z that moves
# step us per reading.
# mklog DIR [writer options...]
mklog() {
	d=$1
	shift
	"$WRITER" write "$d" "$T/k.key" --quiet \
		--fake-clock 1795600000000000:1000 "$@"
}

# verify_fault DIR KIND FROM_IDX: verify fails with a fault of KIND whose
# leaf range starts at FROM_IDX (or anywhere, for "-").
verify_fault() {
	if "$RBICTL" audit verify "$1" --pub "$T/k.pub" --json >"$T/v.json"
	then
		echo "verify passed a tampered log"
		return 1
	fi
	if [ "$3" = - ]; then
		grep -q "\"kind\":\"$2\"" "$T/v.json"
	else
		grep -q "\"kind\":\"$2\",\"epoch\":[0-9]*,\"from_idx\":$3," \
			"$T/v.json"
	fi || { cat "$T/v.json"; return 1; }
}
