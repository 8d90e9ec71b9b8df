#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# rbictl run as systemd runs it, without systemd: a datagram socket stands
# for the manager's NOTIFY_SOCKET, a file for the journal (JOURNAL_STREAM
# names it), each daemon in a network namespace of its own. Readiness,
# reloads, stop and the watchdog; syslog priorities on its lines; a
# required module that is missing, handled per on-failure; status finding
# the daemon by the pid file it was given.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
for t in unshare nsenter socat timeout; do
	command -v $t >/dev/null || skip "$t is not installed (make deps-pkg)"
done
case $RBICTL in /*) ;; *) RBICTL=$(pwd)/$RBICTL ;; esac
[ -d /sys/module/rbiblock ] && skip "rbiblock.ko is loaded here"
tmp=$(mktemp -d /tmp/rbi-pkg.XXXXXX)
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
"$RBICTL" keygen --origin pkg.test/rbiblock -o "$tmp/audit" >/dev/null

# policy NAME ON-FAILURE KEY: a policy whose audit log is under tmp.
policy() {
	sed -e "s|^  on-failure: closed|  on-failure: $2|" \
	    -e "s|/var/lib/rbiblock/audit|$tmp/$1.log|" \
	    -e "s|/etc/rbiblock/audit.key|$3|" \
	    -e 's|^  dir: .*|  dir: '"$tmp/$1.log"'|' \
	    policies/examples/city.yaml >"$tmp/$1.yaml"
}

# start NAME ARGS...: rbictl run in a new network namespace, its
# notifications in NAME.notify, its lines in NAME.out (the journal), with
# a watchdog of $watchdog microseconds (0: none).
watchdog=2000000
start() {
	n=$1
	shift
	: >"$tmp/$n.out"
	socat -u "UNIX-RECV:$tmp/$n.sock" "OPEN:$tmp/$n.notify,creat,append" &
	pids="$pids $!"
	i=0
	while [ ! -S "$tmp/$n.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	NOTIFY_SOCKET=$tmp/$n.sock WATCHDOG_USEC=$watchdog \
	JOURNAL_STREAM=$(stat -c %d:%i "$tmp/$n.out") \
		unshare -n "$RBICTL" run -p "$tmp/$n.yaml" --pid-file "$tmp/$n.pid" \
		"$@" >>"$tmp/$n.out" 2>&1 &
	eval "pid_$n=$!"
	pids="$pids $!"
}
# wait_for FILE PATTERN: up to 10 s.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q "$2" "$1"
}
count() { grep -o "$2" "$1" 2>/dev/null | wc -l; }

policy ok closed "$tmp/audit.key"
start ok --backend nft
check "READY=1 once the policy is applied and the log open" wait_for "$tmp/ok.notify" READY=1
check "STATUS= says what is enforced" grep -q "STATUS=enforcing policy city-moratorium-2026" "$tmp/ok.notify"
check "info lines carry <6> in the journal" grep -q "^<6>applied: policy city-moratorium-2026" "$tmp/ok.out"
sleep 3
check "the watchdog is kept: WATCHDOG=1 at least twice in 3 s of a 2 s period" \
	[ "$(count "$tmp/ok.notify" WATCHDOG=1)" -ge 2 ]
kill -HUP "$pid_ok"
check "SIGHUP: RELOADING=1, then READY=1 again" sh -c \
	"wait_() { i=0; while [ \$(grep -o READY=1 '$tmp/ok.notify' | wc -l) -lt 2 ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i+1)); done; }; wait_;
	 grep -q RELOADING=1 '$tmp/ok.notify' && [ \$(grep -o READY=1 '$tmp/ok.notify' | wc -l) -ge 2 ]"
nsenter -t "$pid_ok" -n "$RBICTL" status --json -p "$tmp/ok.yaml" \
	--pid-file "$tmp/ok.pid" >"$tmp/ok.status" 2>/dev/null
check "status --pid-file finds the daemon started with --pid-file" \
	grep -q "\"daemon_pid\":$pid_ok,\"daemon_found_by\":\"$tmp/ok.pid\"" "$tmp/ok.status"
kill -TERM "$pid_ok"
wait "$pid_ok"
check "SIGTERM: STOPPING=1, exit 0" sh -c "[ $? = 0 ] && grep -q STOPPING=1 '$tmp/ok.notify'"
check "the stop is a notice (<5>)" grep -q "^<5>stopping on signal 15" "$tmp/ok.out"

# No watchdog: STATUS= must not wait for a ping to say FAIL-CLOSED.
policy nokey closed "$tmp/none.key"
watchdog=0
start nokey --backend nft
watchdog=2000000
check "an audit log it can't open: FAIL-CLOSED is an error (<3>)" \
	wait_for "$tmp/nokey.out" "^<3>applied: .*FAIL-CLOSED: audit log unavailable"
check "... and STATUS= says FAIL-CLOSED" wait_for "$tmp/nokey.notify" "STATUS=FAIL-CLOSED"

# A kernel without rbiblock.ko, with the module required (BACKEND=module):
# missing NAME ON-FAILURE WHAT-THE-RULESET-SAYS.
missing() {
	policy "$1" "$2" "$tmp/audit.key"
	start "$1" --backend module
	check "module required and missing, on-failure $2: the error is <3>" \
		wait_for "$tmp/$1.out" "^<3>--backend module: rbiblock.ko is not loaded"
	sleep 1
	eval "pid=\$pid_$1"
	check "... the daemon stays up to record" kill -0 "$pid"
	nsenter -t "$pid" -n "$RBICTL" status --json -p "$tmp/$1.yaml" \
		>"$tmp/$1.status" 2>/dev/null
	check "... $3" grep -q "$4" "$tmp/$1.status"
	check "... and STATUS= says so" wait_for "$tmp/$1.notify" "$5"
}
missing closed closed "camera egress is blocked (fail_closed in the ruleset)" \
	'"fail_closed":"the policy requires rbiblock.ko' \
	"STATUS=FAIL-CLOSED: the policy requires rbiblock.ko"
missing open open "nftables enforces alone, not fail-closed" \
	'"installed":true,.*"fail_closed":null' "STATUS=enforcing"

unshare -n "$RBICTL" run -p "$tmp/ok.yaml" --backend nft >"$tmp/plain.out" 2>&1 &
pid=$!
pids="$pids $pid"
check "outside systemd, lines carry no priority prefix" sh -c \
	"wait_for() { i=0; while ! grep -q 'applied: policy' '$tmp/plain.out' && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i+1)); done; }; wait_for;
	 grep -q '^applied: policy' '$tmp/plain.out' && ! grep -q '^<[0-9]>' '$tmp/plain.out'"
done_
