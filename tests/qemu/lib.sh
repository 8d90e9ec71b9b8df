# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Shared by the guest's suites: tools by full path, PASS/FAIL accounting,
# the camera network, and the servers on it.
#
#   cam (camera)        gw (gateway, rbiblock)          net ("internet")
#   10.20.0.5      c0 - g0 10.20.0.1   198.51.100.1 g1 - n0 198.51.100.7 .8
#   2001:db8:20::5          2001:db8:20::1                   .10 recorder
#                           2001:db8:100::1                  .20-.29 learned
#                                                            .53 resolver
#                                                            2001:db8:100::/64

IP=/usr/sbin/ip
TC=/usr/sbin/tc
NFT=/usr/sbin/nft
RBICTL=/usr/sbin/rbictl
RBIMOD=/usr/sbin/rbimod
TCPX=/usr/sbin/tcpx
UDPX=/usr/sbin/udpx
DNSX=/usr/sbin/dnsx
EVADE=/usr/sbin/evade
IPERF3=/usr/sbin/iperf3
CLASSCOST=/usr/sbin/classcost
KVER=$(cat /suite/kver)
KO=/lib/modules/$KVER/rbiblock.ko
POLICY=/suite/policy.yaml

passes=0
fails=0

pass() {
	echo "PASS: $*"
	passes=$((passes + 1))
}

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# check NAME COMMAND...: PASS when the command succeeds.
check() {
	name=$1
	shift
	if "$@"; then
		pass "$name"
	else
		fail "$name"
	fi
}

quiet() {
	"$@" >/dev/null 2>&1
}

summary() {
	echo "summary: $passes passed, $fails failed"
	[ "$fails" = 0 ]
}

in_cam() { $IP netns exec cam "$@"; }
in_gw() { $IP netns exec gw "$@"; }
in_net() { $IP netns exec net "$@"; }

# IPv6 addresses without duplicate address detection, usable at once.
addr6() {
	$IP -n "$1" addr add "$2" dev "$3" nodad
}

topology() {
	for ns in cam gw net; do
		$IP netns add $ns
		$IP -n $ns link set lo up
	done
	$IP link add c0 netns cam type veth peer name g0 netns gw
	$IP link add g1 netns gw type veth peer name n0 netns net
	$IP -n cam addr add 10.20.0.5/24 dev c0
	addr6 cam 2001:db8:20::5/64 c0
	$IP -n gw addr add 10.20.0.1/24 dev g0
	addr6 gw 2001:db8:20::1/64 g0
	$IP -n gw addr add 198.51.100.1/24 dev g1
	addr6 gw 2001:db8:100::1/64 g1
	$IP -n net addr add 198.51.100.7/24 dev n0
	for a in 8 10 20 21 22 23 24 53; do
		$IP -n net addr add 198.51.100.$a/32 dev n0
	done
	for a in 7 10 20 53; do
		addr6 net 2001:db8:100::$a/64 n0
	done
	for l in cam:c0 gw:g0 gw:g1 net:n0; do
		$IP -n "${l%:*}" link set "${l#*:}" up
	done
	$IP -n cam route add default via 10.20.0.1
	$IP -n cam -6 route add default via 2001:db8:20::1
	$IP -n net route add 10.20.0.0/24 via 198.51.100.1
	$IP -n net -6 route add 2001:db8:20::/64 via 2001:db8:100::1
	in_gw sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward;
		echo 1 >/proc/sys/net/ipv6/conf/all/forwarding'
}

# A sink per port: /tmp/sink/NS-PORT/conn-P holds the bytes from client port P.
# start_sink NS PORT [OPTIONS]
start_sink() {
	mkdir -p "/tmp/sink/$1-$2"
	$IP netns exec "$1" $TCPX sink $3 "$2" "/tmp/sink/$1-$2" &
}

# sink_bytes NS PORT CLIENT-PORT: bytes the sink on NS PORT received from
# the connection that came from CLIENT-PORT. Counting only that connection
# keeps an older one, whose retransmissions may still arrive, out of a case.
sink_bytes() {
	cat "/tmp/sink/$1-$2/conn-$3" 2>/dev/null || echo 0
}

# Waits up to $2 tenths of a second for file $1 to exist.
wait_file() {
	n=0
	while [ ! -s "$1" ] && [ "$n" -lt "$2" ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -s "$1" ]
}

load_module() {
	insmod "$KO" "$@"
}

# A configuration holds the module: clear the gateway's first.
unload_module() {
	in_gw $RBIMOD clear >/dev/null 2>&1
	rmmod rbiblock
}

# Sequence number of the module's unload lines in the kernel log.
unloads_clean() {
	dmesg | grep -c 'rbiblock: unloaded, every allocation freed'
}

# No WARN, no BUG, no oops, no allocation left behind in the kernel log.
kernel_clean() {
	! dmesg | grep -E 'WARNING:|BUG:|Oops|allocations not freed|Call Trace'
}
