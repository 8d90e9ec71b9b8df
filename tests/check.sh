# SPDX-License-Identifier: GPL-2.0 OR MIT
# What test scripts share, kernel-selftest style: PASS:/FAIL: lines, a
# check of a command's status, and the skip status (4) with its reason.
KSFT_SKIP=4
FAILS=0
PASSES=0
pass() { echo "PASS: $*"; PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
check() { # check DESCRIPTION [!] COMMAND...
	check_what=$1
	check_want=0
	shift
	if [ "$1" = "!" ]; then
		check_want=1
		shift
	fi
	"$@"
	if [ $(($? != 0)) = $check_want ]; then
		pass "$check_what"
	else
		fail "$check_what"
	fi
}
skip() { echo "SKIP: $*"; exit $KSFT_SKIP; }
