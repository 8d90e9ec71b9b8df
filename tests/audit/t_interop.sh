#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Interoperability: Go's golang.org/x/mod/sumdb/note and sumdb/tlog (an
# independent implementation, Debian's golang-golang-x-mod-dev) verify
# rbiblock's signed checkpoints, inclusion proofs and consistency proofs,
# read its private key line, and sign the same checkpoint to the same
# bytes. Built offline from the Debian package (GOPATH mode).
#   sh tests/audit/t_interop.sh RBICTL AUDIT_WRITER
. "$(dirname "$0")/lib.sh"

GOSRC=/usr/share/gocode/src/golang.org/x/mod/sumdb
if ! command -v go >/dev/null 2>&1 || [ ! -d "$GOSRC/note" ]; then
	echo "SKIP: Go interop: needs golang-go and golang-golang-x-mod-dev" \
		"(make deps installs them)"
	exit 0
fi
if ! GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$T/gocache" \
	GOFLAGS= go build -o "$T/interop" "$(dirname "$0")/interop/main.go" \
	>"$T/build" 2>&1; then
	fail "building the Go interop checker"
	cat "$T/build"
	exit 1
fi

"$RBICTL" keygen --origin example.com/rbi-test -o "$T/k" >/dev/null
# Two sessions, so that the tree has many sizes and a restart; log
# records (flows allowed but recorded) among the blocks.
mklog "$T/log" --records 700 --batch 30 --hb-every 3 --log-every 7
mklog "$T/log" --records 300 --batch 30 --hb-every 3 --log-every 7
E=$T/log/epoch-0001

check "Go verifies every signed checkpoint and recomputes its root" \
	"$T/interop" checkpoints "$T/k.pub" "$E"
check "Go signs our checkpoint with our key line to the same bytes" \
	"$T/interop" sign "$T/k.key" "$E/checkpoint"

ok=1
for n in 0 1 2 63 64 65 500; do
	"$RBICTL" audit proof "$T/log" --index "$n" -o "$T/p" &&
		"$T/interop" proof "$T/k.pub" "$T/p" >/dev/null ||
		{ ok=0; echo "    index $n"; }
done
size=$(sed -n 2p "$E/checkpoint")
last=$((size - 1))
"$RBICTL" audit proof "$T/log" --index "$last" -o "$T/p" &&
	"$T/interop" proof "$T/k.pub" "$T/p" >/dev/null || ok=0
[ $ok = 1 ] && pass "Go verifies our inclusion proofs (first, middle, last leaves)" ||
	fail "Go rejects an inclusion proof"

# Each older checkpoint in the history against the latest one.
ok=0
bad=0
awk -v dir="$T" 'BEGIN { n = 1; blank = 0 }
	/^$/ { blank++; if (blank == 2) { n++; blank = 0; next } }
	{ print > (dir "/cp." n) }' "$E/checkpoints"
for f in "$T"/cp.*; do
	m=$(sed -n 2p "$f")
	"$WRITER" consistency "$T/log" "$m" "$size" >"$T/cons" &&
		"$T/interop" consistency "$T/k.pub" "$f" "$E/checkpoint" \
		"$T/cons" >/dev/null && ok=$((ok + 1)) ||
		{ bad=$((bad + 1)); echo "    size $m -> $size"; }
done
[ $bad = 0 ] && [ $ok -gt 10 ] &&
	pass "Go verifies our consistency proofs from all $ok checkpoints" ||
	fail "Go rejects $bad consistency proofs"
exit $failed
