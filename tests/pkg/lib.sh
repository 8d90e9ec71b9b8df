# SPDX-License-Identifier: GPL-2.0 OR MIT
# Shared by tests/pkg: PASS:/FAIL: lines, checks, and the count each
# script ends with. Scripts exit 0 (pass), 1 (fail) or 4 (skip).
KSFT_SKIP=4
FAILS=0
PASSES=0
pass() { echo "PASS: $*"; PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
check() { # check DESCRIPTION [!] COMMAND...
	what=$1
	want=0
	shift
	if [ "$1" = "!" ]; then
		want=1
		shift
	fi
	"$@"
	if [ $(($? != 0)) = $want ]; then pass "$what"; else fail "$what"; fi
}
skip() { echo "SKIP: $*"; exit $KSFT_SKIP; }
done_() { [ "$FAILS" = 0 ]; exit $?; }
