#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# make bench-run: what rbictl run and rbictl status cost as the policy
# grows, at 1,000, 100,000 and 1,000,000 service networks side by side in
# one run:
#   - the daemon's CPU time per heartbeat (heartbeat 1 s, no traffic, 10 s
#     measured from its threads' schedstat, in ns), which must not grow
#     with the networks;
#   - rbictl status as an operator runs it (with and without the policy
#     file to compare), and status --full, which reads every element back
#     as heartbeats and status once did (once, given up after
#     RBI_BENCH_FULL_MAX seconds: it grows faster than the elements);
#   - for scale, the time the daemon took to apply the policy.
#   bash tests/bench/bench_run.sh RBICTL
set -u
RBICTL=${1:-build/rbictl}
. "$(dirname "$0")/../netns/lib.sh"
need python3
trap cleanup EXIT
SIZES=${RBI_BENCH_SIZES:-1000 100000 1000000}
SECS=${RBI_BENCH_SECS:-10}
FULL_MAX=${RBI_BENCH_FULL_MAX:-120}

daemon_setup
sed -i "s|heartbeat: 2s|heartbeat: 1s|" "$TMP/policy.yaml"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# cpu_ns PID: CPU time of all its threads, in nanoseconds.
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { print s }'; }
# timed COMMAND...: seconds, the median of three runs.
timed() {
	local i t0
	for i in 1 2 3; do
		t0=$(now)
		"$@" >/dev/null 2>&1
		elapsed "$t0" "$(now)"
		echo
	done | median
}

printf '%-10s %10s %14s %12s %14s %14s\n' networks "apply s" \
	"hb CPU ms" "status s" "status -p s" "status --full s"
for n in $SIZES; do
	# /32 networks, so that a million fit in 100.64.0.0/10.
	big_policy "$TMP/policy.yaml" "$TMP/big.yaml" "$n" 32
	t0=$(now)
	start_daemon "$TMP/big.yaml"
	wait_for 900 grep -qE "^audit: log" "$TMP/run.log" ||
		{ fail "rbictl run with $n networks"; continue; }
	t_apply=$(elapsed "$t0" "$(now)")
	sleep 2
	c0=$(cpu_ns "$DAEMON")
	sleep "$SECS"
	c1=$(cpu_ns "$DAEMON")
	hb=$(awk -v a="$c0" -v b="$c1" -v s="$SECS" \
		'BEGIN { printf "%.2f", (b - a) / 1e6 / s }')
	st=$(timed gw "$RBICTL" status --pid-file "$TMP/run.pid")
	stp=$(timed gw "$RBICTL" status -p "$TMP/big.yaml" --pid-file "$TMP/run.pid")
	t0=$(now)
	if timeout "$FULL_MAX" ip netns exec "$NS_GW" "$RBICTL" status --full \
		--pid-file "$TMP/run.pid" >/dev/null 2>&1; then
		stf=$(elapsed "$t0" "$(now)")
	else
		stf=">$FULL_MAX"
	fi
	printf '%-10s %10s %14s %12s %14s %14s\n' "$n" "$t_apply" "$hb" \
		"$st" "$stp" "$stf"
	stop_daemon
	gw "$RBICTL" flush >/dev/null
done
echo "# hb CPU ms: the daemon's CPU time per 1 s heartbeat, idle otherwise"
finish
