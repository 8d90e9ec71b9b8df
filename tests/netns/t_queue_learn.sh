#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# DNS learning that holds the answer: a camera resolves a prohibited
# service's name it never asked for before and connects to the answered
# address at once, 1,000 times, each a new name and a new address. With
# the queue backend the answer waits until its address is in the learned
# map, and no connection may reach the address. The same loop against the
# nft backend, where the daemon learns from copies of the answers, prints
# how many leak there, measured in the same run.
. "$(dirname "$0")/lib.sh"
need ss python3 dnsmasq
trap cleanup EXIT
N=${RBI_LEARN_ATTEMPTS:-1000}
topology
write_policy "$TMP/policy.yaml"
"$RBICTL" keygen --origin netns.test/rbiblock -o "$TMP/audit" >/dev/null ||
	{ fail "keygen"; finish; }
ip -n "$NS_NET" addr add 2001:db8:100::53/64 dev n0 nodad
ip -n "$NS_CAM" -6 route add 2001:db8:100::/64 via 2001:db8:20::1 \
	src 2001:db8:20::10
# Every address of 2001:db8:200::/64 answers, on the net side.
ip -n "$NS_NET" -6 route add local 2001:db8:200::/64 dev lo
ip -n "$NS_NET" -6 route add 2001:db8:200::/64 via 2001:db8:100::1 2>/dev/null
ip -n "$NS_GW" -6 route add 2001:db8:200::/64 via 2001:db8:100::7
python3 - "$TMP/hosts" "$((2 * N))" <<'EOP'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write("2001:db8:200::%x rekognition.q%d.amazonaws.com\n" % (i + 1, i))
EOP
bg "$NS_NET" dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces \
	--listen-address=2001:db8:100::53 --port=53 --local-ttl=300 \
	--addn-hosts="$TMP/hosts" --pid-file="$TMP/dnsmasq.pid"
bg "$NS_NET" python3 -c '
import socket
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 443))
s.listen(1024)
while True:
	c, a = s.accept()
	c.close()'
wait_for 3 listening "$NS_NET" 53
wait_for 3 listening "$NS_NET" 443

# attempts FIRST: N resolutions, each followed at once by a connection;
# prints how many connections opened.
attempts() {
	cam python3 - "$1" "$N" <<'EOP'
import asyncio, socket, struct, sys

first, n = int(sys.argv[1]), int(sys.argv[2])

def query(name, qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 28, 1)

def answer(msg):
    """The first AAAA address of an answer."""
    i = 12
    while msg[i]:
        i += 1 + msg[i]
    i += 5
    for _ in range(struct.unpack(">H", msg[6:8])[0]):
        i += 2 if msg[i] & 0xc0 == 0xc0 else 0
        typ, _, _, rdlen = struct.unpack(">HHIH", msg[i:i + 10])
        if typ == 28:
            return socket.inet_ntop(socket.AF_INET6, msg[i + 10:i + 26])
        i += 10 + rdlen
    return None

async def attempt(i, sem):
    async with sem:
        loop = asyncio.get_running_loop()
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setblocking(False)
        s.bind(("2001:db8:20::10", 0))
        await loop.sock_connect(s, ("2001:db8:100::53", 53))
        await loop.sock_sendall(s, query("rekognition.q%d.amazonaws.com" % i,
                                         i & 0xffff))
        try:
            msg = await asyncio.wait_for(loop.sock_recv(s, 512), 3)
        except asyncio.TimeoutError:
            return None
        finally:
            s.close()
        addr = answer(msg)
        if not addr:
            return None
        try:
            _, w = await asyncio.wait_for(asyncio.open_connection(
                addr, 443, local_addr=("2001:db8:20::10", 0)), 0.5)
        except (asyncio.TimeoutError, OSError):
            return False
        w.close()
        return True

async def main():
    sem = asyncio.Semaphore(50)
    res = await asyncio.gather(*(attempt(i, sem)
                                 for i in range(first, first + n)))
    print(sum(1 for r in res if r), sum(1 for r in res if r is None))

asyncio.run(main())
EOP
}

run_with() { # run_with BACKEND FIRST: the daemon with BACKEND, the loop
	: >"$TMP/run.log"
	ip netns exec "$NS_GW" "$RBICTL" run -p "$TMP/policy.yaml" \
		--backend "$1" --pid-file "$TMP/run.pid" >>"$TMP/run.log" 2>&1 &
	DAEMON=$!
	PIDS="$PIDS $DAEMON"
	wait_for 5 grep -q "^audit: log" "$TMP/run.log" || return 1
	set -- $(attempts "$2")
	LEAKS=$1 UNANSWERED=$2
	kill -TERM "$DAEMON"
	wait "$DAEMON" 2>/dev/null
}

t0=$(date +%s.%N)
run_with queue 0 || fail "rbictl run --backend queue"
queue_leaks=$LEAKS queue_lost=$UNANSWERED
t1=$(date +%s.%N)
run_with nft "$N" || fail "rbictl run --backend nft"
nflog_leaks=$LEAKS
t2=$(date +%s.%N)
echo "# leaks, connections that reached a prohibited service's address right after its answer:"
printf '#   queue backend (answer held until learned)  %4s of %s (%.1f s)\n' \
	"$queue_leaks" "$N" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
printf '#   nft backend (NFLOG copies, learning races) %4s of %s (%.1f s)\n' \
	"$nflog_leaks" "$N" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')"
check "queue backend: $N answers, each a new name and address, every answer arrived" \
	test "$queue_lost" = 0
check "queue backend: no connection reached an address right after its answer ($queue_leaks of $N)" \
	test "$queue_leaks" = 0
finish
