# SPDX-License-Identifier: GPL-2.0 OR MIT
# Shared by tests/pkg (and copied into the Debian root beside check.sh):
# the checks, and the status each script ends with: 0 pass, 1 fail, 4 skip.
if [ -f "$(dirname "$0")/check.sh" ]; then
	. "$(dirname "$0")/check.sh"
else
	. "$(dirname "$0")/../check.sh"
fi
done_() { [ "$FAILS" = 0 ]; exit $?; }
