# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Shared by the tests in tests/netns, kernel-selftest style: each script
# builds its own topology in network namespaces, applies rulesets with the
# real rbictl, prints PASS:/FAIL: lines and exits 0 (pass), 1 (fail) or
# 4 (skip, with the reason).
#
#   cam  192.0.2.10 (zone city, public)     2001:db8:20::10
#        192.0.2.130 (zone depot, staff)    2001:db8:30::10
#    |  veth
#   gw   192.0.2.1, 198.51.100.1, 2001:db8:20::1, 2001:db8:30::1, 2001:db8:100::1
#    |  veth
#   net  198.51.100.7   service network 198.51.100.0/28 (test-fr, any port)
#        198.51.100.53  DNS (dnsmasq)
#        198.51.100.80  an ordinary host
#        203.0.113.5    the recorder (ports 554, 443)
#        2001:db8:100::7, ::80 likewise

. "$(dirname "${BASH_SOURCE[0]}")/../check.sh"
RBICTL=${RBICTL:-build/rbictl}
case $RBICTL in /*) ;; *) RBICTL=$(pwd)/$RBICTL ;; esac
# The crafted DNS server (tests/tools/dnsforge.c), built beside rbictl.
DNSFORGE=${DNSFORGE:-$(dirname "$RBICTL")/tools/dnsforge}
TAG=rbi$$
NS_CAM=$TAG-cam
NS_GW=$TAG-gw
NS_NET=$TAG-net
TMP=$(mktemp -d /tmp/rbi-netns.XXXXXX)
PIDS=

need() {
	local t
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
	for t in ip nft socat timeout "$@"; do
		command -v "$t" >/dev/null || skip "$t is not installed (make deps)"
	done
	[ -x "$RBICTL" ] || skip "no rbictl at $RBICTL (make userspace)"
}

# Ends every background process: asked first, killed after 3 s (a daemon
# stuck in a system call never reads its SIGTERM).
cleanup() {
	local p n=30
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	# kill -0 with several pids succeeds while one of them lives.
	while [ $n -gt 0 ] && [ -n "$PIDS" ] && kill -0 $PIDS 2>/dev/null; do
		sleep 0.1
		n=$((n - 1))
	done
	for p in $PIDS; do kill -KILL "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	# A script's own resources in $TMP (a mount) go before $TMP does.
	if declare -F cleanup_more >/dev/null; then cleanup_more; fi
	ip netns del "$NS_CAM" 2>/dev/null
	ip netns del "$NS_GW" 2>/dev/null
	ip netns del "$NS_NET" 2>/dev/null
	rm -rf "$TMP"
}

finish() {
	echo "# $PASSES passed, $FAILS failed"
	[ "$FAILS" = 0 ]
	exit $?
}

cam() { ip netns exec "$NS_CAM" "$@"; }
gw() { ip netns exec "$NS_GW" "$@"; }
net() { ip netns exec "$NS_NET" "$@"; }

bg() { # bg NS COMMAND...: runs in the background, killed at cleanup
	local ns=$1
	shift
	ip netns exec "$ns" "$@" >>"$TMP/bg.log" 2>&1 &
	PIDS="$PIDS $!"
}

topology() {
	local ns
	for ns in "$NS_CAM" "$NS_GW" "$NS_NET"; do
		ip netns add "$ns" || skip "cannot create network namespaces"
		ip -n "$ns" link set lo up
		# No duplicate address detection, link-local included: a
		# tentative address would make the first IPv6 flows race it.
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_dad=0
	done
	ip link add c0 netns "$NS_CAM" type veth peer name g0 netns "$NS_GW"
	ip link add g1 netns "$NS_GW" type veth peer name n0 netns "$NS_NET"
	ip -n "$NS_CAM" addr add 192.0.2.10/24 dev c0
	ip -n "$NS_CAM" addr add 192.0.2.130/24 dev c0
	ip -n "$NS_CAM" addr add 2001:db8:20::10/64 dev c0 nodad
	ip -n "$NS_CAM" addr add 2001:db8:30::10/64 dev c0 nodad
	ip -n "$NS_GW" addr add 192.0.2.1/24 dev g0
	ip -n "$NS_GW" addr add 2001:db8:20::1/64 dev g0 nodad
	ip -n "$NS_GW" addr add 2001:db8:30::1/64 dev g0 nodad
	ip -n "$NS_GW" addr add 198.51.100.1/24 dev g1
	ip -n "$NS_GW" addr add 203.0.113.1/24 dev g1
	ip -n "$NS_GW" addr add 2001:db8:100::1/64 dev g1 nodad
	for a in 198.51.100.7/24 198.51.100.53/24 198.51.100.80/24 \
		 198.51.100.20/24 198.51.100.21/24 198.51.100.22/24 \
		 203.0.113.5/24; do
		ip -n "$NS_NET" addr add $a dev n0
	done
	for a in 2001:db8:100::7/64 2001:db8:100::80/64 2001:db8:100::20/64; do
		ip -n "$NS_NET" addr add $a dev n0 nodad
	done
	ip -n "$NS_CAM" link set c0 up
	ip -n "$NS_NET" link set n0 up
	ip -n "$NS_GW" link set g0 up
	ip -n "$NS_GW" link set g1 up
	ip -n "$NS_CAM" route add default via 192.0.2.1
	ip -n "$NS_CAM" -6 route add default via 2001:db8:20::1
	ip -n "$NS_NET" route add default via 198.51.100.1
	ip -n "$NS_NET" -6 route add default via 2001:db8:100::1
	gw sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	# Resolve the gateway's neighbours now, so that no test's first packet
	# waits for neighbour discovery inside its own connect timeout.
	gw ping -c1 -W2 -q 192.0.2.10 >/dev/null 2>&1
	gw ping -c1 -W2 -q 198.51.100.7 >/dev/null 2>&1
	gw ping -6 -c1 -W2 -q 2001:db8:20::10 >/dev/null 2>&1
	gw ping -6 -c1 -W2 -q 2001:db8:30::10 >/dev/null 2>&1
	gw ping -6 -c1 -W2 -q 2001:db8:100::7 >/dev/null 2>&1
}

# The test policy: the built-in catalogue plus a local service network.
write_policy() { # write_policy FILE [QUIC-MODE]
	cat >"$1" <<EOP
rbiblock: 1
name: netns-test
basis: >-
  Test policy: the proposed amendment to AI Act Article 5(1)(d).
prohibit:
  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]
  timing: [real-time, post]
  actors: [public, private]
  exceptions: []
zones:
  - name: city
    publicly-accessible: true
    networks: [192.0.2.0/25, "2001:db8:20::/64"]
  - name: depot
    publicly-accessible: false
    networks: [192.0.2.128/25, "2001:db8:30::/64"]
recorders:
  - name: vms
    networks: [203.0.113.5/32]
    ports: [554, 443]
catalog:
  services:
    - id: test-fr
      name: A face recognition service on a test network
      categories: [remote-biometric-identification]
      networks: [198.51.100.0/28, "2001:db8:100::/124"]
    - id: test-udp-sig
      name: A port signature on UDP only
      categories: [remote-biometric-identification]
      networks: [0.0.0.0/0, "::/0"]
      ports: [9999/udp]
enforce:
  shared-hosts: block
  encrypted-client-hello: block
  quic: ${2:-block}
  dns-over-https: block
  camera-analytics: block
  on-failure: closed
audit:
  dir: $TMP/audit
  origin: netns.test/rbiblock
  key: $TMP/audit.key
  heartbeat: 2s
  retention: 1d
EOP
}

# The daemon, in the gateway, with its output in $TMP/run.log; DAEMON is
# its pid. 0 once it has applied and opened the audit log (or failed
# closed).
# start_daemon [POLICY]: rbictl run on the gateway, its lines in run.log;
# with $KEEP set, it keeps the ruleset for a boot there (--keep).
start_daemon() {
	: >"$TMP/run.log"
	ip netns exec "$NS_GW" "$RBICTL" run -p "${1:-$TMP/policy.yaml}" \
		--backend "${BACKEND:-nft}" --learn-grace 1 \
		${KEEP:+--keep "$KEEP"} \
		--pid-file "$TMP/run.pid" >>"$TMP/run.log" 2>&1 &
	DAEMON=$!
	PIDS="$PIDS $DAEMON"
	wait_for 5 grep -qE "^audit: log|FAIL-CLOSED" "$TMP/run.log"
}

stop_daemon() {
	kill -TERM "$DAEMON" 2>/dev/null
	wait_for 10 eval '! kill -0 "$DAEMON" 2>/dev/null' ||
		kill -KILL "$DAEMON" 2>/dev/null
	wait "$DAEMON" 2>/dev/null
}

# status [ARGS]: rbictl status of the gateway, for the test's daemon.
status() {
	gw "$RBICTL" status -p "$TMP/policy.yaml" --pid-file "$TMP/run.pid" "$@" \
		2>/dev/null
}

# forge ZONEFILE [ADDR [PORT [NS]]]: the crafted DNS server answering on
# ADDR:PORT (198.51.100.53:53 by default), in namespace NS (net's).
forge() {
	local ns=${4:-$NS_NET}
	[ -x "$DNSFORGE" ] || skip "no dnsforge at $DNSFORGE (make check-netns)"
	bg "$ns" "$DNSFORGE" "${2:-198.51.100.53}" "${3:-53}" "$1"
	wait_for 3 listening "$ns" "${3:-53}" || fail "dnsforge listening"
}

# serve_names NAME=N...: dnsforge answers each NAME with 198.51.100.N
# (TTL 600), a host on the net namespace listening on 443 (and, like
# every address there, on port 443 of the others).
serve_names() {
	local arg
	: >"$TMP/zone"
	for arg in "$@"; do
		echo "${arg%=*} A 198.51.100.${arg#*=} 600" >>"$TMP/zone"
		net_hosts "${arg#*=}"
	done
	forge "$TMP/zone"
	listen "$NS_NET" 443
}

# resolve SRC NAME [TYPE [DIG OPTIONS]]: the camera asks the resolver.
resolve() {
	local src=$1 name=$2 type=${3:-A}
	shift $(($# < 3 ? $# : 3))
	cam timeout 5 dig +tries=1 +time=2 -b "$src" @198.51.100.53 "$name" \
		"$type" +short "$@"
}

# learned ADDR: whether ADDR is in the learned map of its family.
learned() {
	local map=learned_services_v4
	case $1 in *:*) map=learned_services_v6 ;; esac
	gw nft get element inet rbiblock $map "{ $1 }" >/dev/null 2>&1
}

# n_learned FAMILY: elements of learned_services_FAMILY (v4, v6).
n_learned() {
	gw nft -j list map inet rbiblock "learned_services_$1" 2>/dev/null |
		grep -o '"val"' | wc -l
}

# daemon_setup: the topology, the test policy and its audit key.
daemon_setup() {
	topology
	write_policy "$TMP/policy.yaml"
	"$RBICTL" keygen --origin netns.test/rbiblock -o "$TMP/audit" \
		>/dev/null || { fail "keygen"; finish; }
}

# net_hosts N...: addresses 198.51.100.N on the net namespace.
net_hosts() {
	local i
	for i in "$@"; do
		ip -n "$NS_NET" addr add 198.51.100.$i/24 dev n0
	done
}

# big_policy SRC DST N [LEN [NETSFILE]]: SRC with one more service,
# bench-fr, of N networks of length LEN (24 by default) from 100.64.0.0
# up, every other one, so that none merge and each is an element of its
# own; NETSFILE, if given, gets them as a set's elements are written.
big_policy() {
	python3 - "$@" <<'EOP'
import sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
plen = int(sys.argv[4]) if len(sys.argv) > 4 else 24
step, base = 2 << (32 - plen), 100 << 24 | 64 << 16
nets = ", ".join("%d.%d.%d.%d/%d" % ((base + i * step) >> 24,
                                     ((base + i * step) >> 16) & 255,
                                     ((base + i * step) >> 8) & 255,
                                     (base + i * step) & 255, plen)
                 for i in range(n))
text = open(src).read().replace("catalog:\n  services:\n",
    "catalog:\n  services:\n    - id: bench-fr\n"
    "      name: Benchmark service networks\n"
    "      categories: [remote-biometric-identification]\n"
    "      networks: [" + nets + "]\n", 1)
open(dst, "w").write(text)
if len(sys.argv) > 5:
    open(sys.argv[5], "w").write(nets)
EOP
}

# tcp SRC DST PORT: 0 when a TCP connection opens within a second.
tcp() {
	local ns=$NS_CAM dst=$2
	case $1 in 198.51.100.* | 203.0.113.* | 2001:db8:100:*) ns=$NS_NET ;; esac
	case $dst in *:*) dst="[$dst]" ;; esac
	ip netns exec "$ns" timeout 3 socat -u OPEN:/dev/null \
		"TCP:$dst:$3,bind=$(case $1 in *:*) echo "[$1]" ;; *) echo "$1" ;; esac),connect-timeout=1" \
		2>/dev/null
}

# udp SRC DST PORT [SPORT]: sends one datagram.
udp() {
	local dst=$2 src=$1
	case $dst in *:*) dst="[$dst]" ;; esac
	case $src in *:*) src="[$src]" ;; esac
	echo quic | cam timeout 2 socat -u - \
		"UDP:$dst:$3,bind=$src${4:+:$4},reuseaddr" 2>/dev/null
}

# listen NS PORT...: TCP listeners on every address of NS, both families.
listen() {
	local ns=$1 port
	shift
	for port in "$@"; do
		bg "$ns" socat TCP6-LISTEN:"$port",fork,reuseaddr,ipv6only=0 \
			SYSTEM:true
	done
	for port in "$@"; do
		wait_for 3 listening "$ns" "$port" || fail "listener on $port"
	done
}

listening() {
	ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .
}

# counter CHAIN COMMENT-PREFIX: packets of the first matching rule.
counter() {
	gw nft list chain inet rbiblock "$1" |
		awk -v c="comment \"$2" 'index($0, c) {
			for (i = 1; i < NF; i++) if ($i == "packets") { print $(i + 1); exit } }'
}

# wait_for SECONDS COMMAND...: polls every 0.1 s, bounded.
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
