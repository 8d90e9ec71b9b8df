#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# rbictl run killed and started again 50 times while blocked packets
# stream through the gateway, so that NFLOG copies arrive on its socket
# while it binds the groups: every start must succeed (an NFLOG packet
# read in place of a bind's acknowledgement once failed a start with
# "cannot bind NFLOG group ... Protocol error").
. "$(dirname "$0")/lib.sh"
need python3
trap cleanup EXIT
daemon_setup
ROUNDS=${RBI_RESTARTS:-50}
check "rbictl run starts" start_daemon
# About 2000 blocked datagrams a second to the service network, each one
# copied to the daemon's NFLOG group, for as long as the rounds take.
bg "$NS_CAM" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.10", 0))
end = time.time() + 120
while time.time() < end:
    for port in range(5000, 5020):
        s.sendto(b"x" * 32, ("198.51.100.7", port))
    time.sleep(0.01)'
sleep 0.5
started=0
for i in $(seq 1 "$ROUNDS"); do
	kill -KILL "$DAEMON"
	wait "$DAEMON" 2>/dev/null
	if start_daemon && ! grep -q "cannot bind" "$TMP/run.log" &&
	   kill -0 "$DAEMON" 2>/dev/null; then
		started=$((started + 1))
	else
		echo "# round $i:"
		sed 's/^/#   /' "$TMP/run.log" | tail -n 5
	fi
done
check "all $ROUNDS starts under a stream of blocked packets succeed ($started)" \
	test "$started" = "$ROUNDS"
check "blocked packets were copied to it meanwhile" \
	test "$(counter block_prohibit_rbi prohibit-rbi)" -gt 1000
stop_daemon
finish
