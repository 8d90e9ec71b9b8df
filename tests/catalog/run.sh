#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# rbictl catalog and the catalogue in policy check, from the command line:
# exit statuses, --help, messages that name FILE:LINE:COL, a release signed
# and verified, refused when one byte changes or the key is not trusted,
# and the same through a policy's catalog.trusted-keys. Under a second.
set -u
rbictl=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d /tmp/rbi-catalog-cli.XXXXXX)
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT
pass=0
fail=0
check() { # check NAME WANT-STATUS CMD...
	name=$1 want=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" = "$want" ]; then
		echo "PASS: $name"
		pass=$((pass + 1))
	else
		echo "FAIL: $name: exit $got, expected $want"
		sed 's/^/    /' "$TMP/err" | head -n 5
		fail=$((fail + 1))
	fi
}
has() { # has NAME FILE TEXT: the last command's FILE (out or err) holds TEXT
	if grep -qF -- "$3" "$TMP/$2"; then
		echo "PASS: $1"
		pass=$((pass + 1))
	else
		echo "FAIL: $1: '$3' not in $2"
		sed 's/^/    /' "$TMP/$2" | head -n 5
		fail=$((fail + 1))
	fi
}
cd "$TMP" || exit 1

check "catalog list" 0 "$rbictl" catalog list -c builtin
has "list names an entry and the built-in release" out "built-in 2026.12.1"
check "catalog list --json is JSON" 0 sh -c \
	"'$rbictl' catalog list --json -c builtin | python3 -m json.tool >/dev/null"
check "catalog show an entry" 0 "$rbictl" catalog show tencent-iai -c builtin
has "show gives the operation and its evidence" out "DetectFace attributes (emotion) [sdk-attributes]"
check "catalog show an exclusion" 0 "$rbictl" catalog show tencent-faceid
has "show gives the exclusion's reason" out "one-to-one verification of a person who presents themselves"
check "catalog show an unknown id: 1" 1 "$rbictl" catalog show no-such
has "it says how to find ids" err "'rbictl catalog list' lists them"
check "catalog show without an id: usage" 2 "$rbictl" catalog show
check "catalog --help" 0 "$rbictl" catalog lint --help
has "help says the exit status" out "Exit status: 0 clean, 1 findings"
check "catalog lint of the built-in catalogue: clean" 0 \
	"$rbictl" catalog lint -c builtin --today 2026-12-06
check "catalog lint a year and a day later: warnings only" 0 \
	"$rbictl" catalog lint -c builtin --today 2027-12-07
check "... which --strict counts" 1 \
	"$rbictl" catalog lint -c builtin --today 2027-12-07 --strict
check "catalog lint --today not a date: usage" 2 \
	"$rbictl" catalog lint --today 2026-13-01

mkdir bad
cat >bad/x.yaml <<'EOY'
services:
  - id: x
    categories: [remote-biometric-identification]
    evidence:
      - {id: d, kind: vendor-docs, url: "https://x.example", retrieved: 2026-12-01, shows: it}
    names:
      - {pattern: api.x.example, evidence: [d]}
    networks: [192.0.2.0/24]
EOY
check "catalog lint finds a network without evidence" 1 \
	"$rbictl" catalog lint -c bad --today 2026-12-06
has "... and names its place" err "bad/x.yaml:2:5: error: 'x': 'networks' ('networks-evidence') cites no evidence"
sed -i 's/evidence: \[d\]}/evidence: [e]}/' bad/x.yaml
check "a catalogue that does not load: 1" 1 "$rbictl" catalog list -c bad
has "... with FILE:LINE:COL" err "bad/x.yaml:7:45: error: no evidence 'e' in this entry's 'evidence'; did you mean 'd'?"

check "catalog diff of a catalogue with itself: 0" 0 \
	"$rbictl" catalog diff builtin builtin
mkdir old
cp "$top"/policies/catalog/*.yaml old/
sed -i '/rekognition-fips.\*.api.aws/,+1d' old/aws.yaml
check "catalog diff of two releases: 1" 1 "$rbictl" catalog diff old builtin
has "diff names the added pattern" out "    + name rekognition-fips.*.api.aws (dedicated, confirmed)"
check "catalog diff of a missing catalogue: 2" 2 \
	"$rbictl" catalog diff builtin no-such-dir

cp -r "$top/policies/catalog" release
"$rbictl" keygen --origin maint.example/catalog -o maint >/dev/null
"$rbictl" keygen --origin other.example/catalog -o other >/dev/null
check "catalog sign" 0 "$rbictl" catalog sign release --key maint.key
check "catalog sign without --key: usage" 2 "$rbictl" catalog sign release
check "catalog verify with the maintainer's key" 0 \
	"$rbictl" catalog verify release --pub maint.pub
has "verify names the signer" out "signed by maint.example/catalog+"
check "catalog verify with another key: 1" 1 \
	"$rbictl" catalog verify release --pub other.pub
cat >policy.yaml <<'EOY'
rbiblock: 1
basis: b
prohibit:
  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]
  timing: [real-time, post]
  actors: [public, private]
zones: [{name: z, publicly-accessible: true, networks: [10.0.0.0/8]}]
catalog:
  include: [release]
  replace-builtin: true
  trusted-keys: [maint.pub]
EOY
check "policy check takes the signed release" 0 "$rbictl" policy check -p policy.yaml
has "policy check names the catalogue, its digest and signer" out "catalogue: release 2026.12.1 (2026-12-06), sha256 "
sed -i 's/maint.pub/other.pub/' policy.yaml
check "policy check refuses a release the policy's key did not sign" 1 \
	"$rbictl" policy check -p policy.yaml
sed -i 's/other.pub/maint.pub/' policy.yaml
printf ' ' >>release/google.yaml
check "catalog verify after one byte more: 1" 1 \
	"$rbictl" catalog verify release --pub maint.pub
has "... naming the file" err "release/google.yaml: error: changed since it was signed"
check "policy check refuses it too" 1 "$rbictl" policy check -p policy.yaml
check "policy explain refuses it too" 1 "$rbictl" policy explain -p policy.yaml --src 10.0.0.1

echo "catalog: $pass passed, $fail failed"
[ "$fail" = 0 ]
