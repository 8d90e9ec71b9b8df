#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Golden tests: `rbictl policy show --json` of the shipped policies must
# match the files here, byte for byte after pretty-printing. After an
# intended change, regenerate them with `make golden-update` and review the
# diff like code.
set -u
rbictl=$1
mode=${2:-check}
dir=$(dirname "$0")
fail=0
for policy in policies/default.yaml policies/examples/city.yaml policies/examples/stadium.yaml; do
	name=$(basename "$policy" .yaml)
	want="$dir/$name.json"
	got=$("$rbictl" policy show --json -p "$policy" | python3 -m json.tool --indent 2) || {
		echo "FAIL: policy show --json -p $policy"
		fail=1
		continue
	}
	if [ "$mode" = update ]; then
		printf '%s\n' "$got" > "$want"
		echo "updated: $want"
	elif printf '%s\n' "$got" | diff -u "$want" - >/dev/null; then
		echo "PASS: policy show --json $policy"
	else
		printf '%s\n' "$got" | diff -u "$want" - | head -n 40
		echo "FAIL: policy show --json $policy differs from $want (make golden-update if intended)"
		fail=1
	fi
done
exit $fail
