#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Files of a log that are not what they claim to be: `rbictl audit verify`
# must answer, quickly and within bounded memory, with a fault naming
# them, never hang or read what is not there.
#  - a segment replaced by a FIFO (nobody writes to it);
#  - leaves.sha256 grown to 4 GB of holes (a sparse file).
#   sh tests/audit/t_files.sh RBICTL AUDIT_WRITER
set -u
RBICTL=$1 WRITER=$2 T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"

"$RBICTL" keygen --origin example.com/rbi-test -o "$T/k" >/dev/null
mklog "$T/base" --records 200 --batch 50 --hb-every 2
fresh() {
	rm -rf "$T/c"
	cp -a "$T/base" "$T/c"
}

fresh
rm "$T/c/epoch-0001/seg-00000000.jsonl"
mkfifo "$T/c/epoch-0001/seg-00000000.jsonl"
check "a FIFO segment is a fault within 5 s, not a hang" \
	sh -c 'timeout 5 "$1" audit verify "$2" --pub "$3" --json >"$4"; \
	       [ $? = 1 ] && grep -q "seg-00000000.jsonl" "$4"' \
	- "$RBICTL" "$T/c" "$T/k.pub" "$T/v.json"

fresh
truncate -s 4G "$T/c/epoch-0001/leaves.sha256"
# The highest resident set size, in KiB, of verify.
rss() {
	/usr/bin/time -f %M -o "$T/rss" timeout 60 "$RBICTL" audit verify \
		"$T/c" --pub "$T/k.pub" >"$T/v.out" 2>&1
	tail -n 1 "$T/rss"
}
if [ -x /usr/bin/time ]; then
	kb=$(rss)
	check "a 4 GB sparse leaves.sha256 is verified in under 200 MB ($kb KiB)" \
		test "$kb" -lt 204800
else
	echo "SKIP: /usr/bin/time is not installed"
fi
check "and its extra hashes are said" \
	grep -q "leaves.sha256" "$T/v.out"
exit $failed
