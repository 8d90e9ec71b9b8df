# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Flowtables, sourced by check.sh (its servers and tcp_case): rbiblock's
# own flowtable offloads the flows it decided to allow and nothing else,
# and a table like OpenWrt's fw4 with software offloading, which offloads
# every established TCP and UDP flow from the same forward hook at
# priority 0, takes no flow rbiblock.ko is still reading. Without the
# module, apply and status say what such a table leaves unenforced, and
# on-failure decides.

FT_SINK_UDP=4435

# The packets counter of the first rule of chain $1 that holds text $2.
ft_counter() {
	in_gw $NFT list chain $1 2>/dev/null | awk -v pat="$2" '
		index($0, pat) { for (i = 1; i < NF; i++) if ($i == "packets") {
			print $(i + 1); exit } }'
}

# Flows rbiblock's flowtable and fw4's took.
ft_ours() {
	ft_counter "inet rbiblock forward" "flow add @rbiblock_ft"
}

ft_theirs() {
	ft_counter "inet fw4 forward" "flow add @ft"
}

# Conntrack entries to port $1 in a flowtable now.
ft_held() {
	in_gw cat /proc/net/nf_conntrack | grep "dport=$1 " | grep -c OFFLOAD
}

# ft_check_in NAME PATTERN FILE: PASS when a line of FILE matches; else
# FAIL, FILE shown, and status 1.
ft_check_in() {
	if grep -q "$2" "$3"; then
		pass "$1"
		return
	fi
	fail "$1"
	cat "$3"
	return 1
}

# fw4's table as OpenWrt writes it with flow_offloading on, the zone
# rules left out: every TCP and UDP flow is offloaded once established.
ft_fw4() {
	in_gw $NFT -f - <<-'EOF'
	table inet fw4 {
		flowtable ft {
			hook ingress priority filter
			devices = { g0, g1 }
			counter
		}
		chain forward {
			type filter hook forward priority filter; policy accept;
			meta l4proto { tcp, udp } flow add @ft counter
			ct state established,related accept
		}
	}
	EOF
}

# The suite's blocking cases, none offloaded by anyone ($1 names the set).
ft_blocked() {
	ours=$(ft_ours)
	theirs=$(ft_theirs)
	tcp_case "$1: SNI, one segment" block net 443 cam \
		198.51.100.7 443 hello $RBI
	tcp_case "$1: SNI, 3 segments" block net 443 cam \
		-s 3 198.51.100.7 443 hello $RBI
	tcp_case "$1: SNI, 1-byte segments" block net 443 cam \
		-b 1 -d 1 -t 3 198.51.100.7 443 hello $RBI
	tcp_case "$1: HTTP Host" block net 80 cam \
		-s 4 198.51.100.8 80 http face.example.net
	tcp_case "$1: RTSP pull by a non-recorder" block cam 8554 net \
		-B 198.51.100.7 10.20.0.5 8554 rtsp rtsp://10.20.0.5:8554/live
	sleep 0.5
	check "$1: no blocked flow offloaded (ours $ours -> $(ft_ours), fw4's ${theirs:--} -> $(ft_theirs))" \
		[ "$(ft_ours)/$(ft_theirs)" = "$ours/$theirs" ]
	held=$(in_gw cat /proc/net/nf_conntrack |
		grep -E 'dport=(443|80|8554) .*OFFLOAD')
	check "$1: no blocked flow in a flowtable${held:+: $held}" \
		[ -z "$held" ]
}

# An ordinary bulk flow is offloaded while it runs: conntrack says
# [OFFLOAD], and counter $2 (ft_ours or ft_theirs) grows.
ft_ordinary() {
	before=$($2)
	in_cam $IPERF3 -c 198.51.100.7 -t 3 >/dev/null 2>&1 &
	sleep 1.5
	held=$(ft_held 5201)
	wait $!
	tcp_case "$1: ordinary SNI passes" pass net 443 cam \
		198.51.100.7 443 hello $OK
	after=$($2)
	ok=0
	[ "$held" -ge 1 ] && [ "$after" -gt "$before" ] && ok=1
	check "$1: ordinary bulk flow offloaded ($held held, $2 $before -> $after)" \
		[ $ok = 1 ]
}

# A resolver that keeps its port: the first answer lets fw4 offload the
# flow, the second is learned from all the same.
ft_dns() {
	out=$(in_cam $DNSX query -w 2 -c 443 -f cdn.example.org \
		198.51.100.53 tcp.faceid.example.net | tr '\n' ' ')
	case $out in
	*connect=failed*) pass "$1: DNS on a flow fw4 would offload: learned, SYN dropped ($out)" ;;
	*) fail "$1: DNS on a flow fw4 would offload: $out" ;;
	esac
}

# Datagrams, then QUIC on the same flow: the module watches the flow
# for QUIC, so no flowtable may take it after its first datagrams.
ft_quic() {
	before=$(cat /tmp/udp/net-$FT_SINK_UDP)
	in_cam $UDPX send -j 3 -n 3 -q 198.51.100.7 $FT_SINK_UDP
	sleep 0.5
	got=$(($(cat /tmp/udp/net-$FT_SINK_UDP) - before))
	check "$1: QUIC after 3 datagrams blocked ($got of 6 arrived)" \
		[ "$got" = 3 ]
}

ft_apply() {
	in_gw $RBICTL apply "$@" >/tmp/ft-apply.txt 2>&1
	cat /tmp/ft-apply.txt
}

t_flowtable() {
	in_net $UDPX sink $FT_SINK_UDP /tmp/udp/net-$FT_SINK_UDP &
	in_net $IPERF3 -s -D
	wait_file /tmp/udp/net-$FT_SINK_UDP 50
	in_gw sh -c 'echo 1 >/proc/sys/net/netfilter/nf_conntrack_acct'
	load_module selftest=0
	# A table of its own: no address learned before.
	in_gw $RBICTL flush >/dev/null
	ft_apply -p $POLICY --backend module
	check "apply: flowtable rbiblock_ft on g0 and g1" \
		grep -q '^offload: flowtable rbiblock_ft on 2 interfaces' \
		/tmp/ft-apply.txt
	check "the flowtable hooks g0 and g1" sh -c "$IP netns exec gw \
		$NFT list flowtable inet rbiblock rbiblock_ft |
		grep -q 'devices = { g0, g1 }'"

	ft_ordinary "own flowtable" ft_ours
	ft_blocked "own flowtable"

	ft_fw4
	ft_apply -p $POLICY --backend module
	check "apply lists fw4's offload" grep -q '^other table offloading flows: table inet fw4, flowtable ft (g0 g1), flow add in chain forward' \
		/tmp/ft-apply.txt
	check "with rbiblock.ko nothing is left unenforced" \
		sh -c '! grep -q "not enforced\|fail-closed" /tmp/ft-apply.txt'
	ft_ordinary "fw4 + own flowtable" ft_ours
	ft_blocked "fw4 + own flowtable"
	ft_dns "fw4 + own flowtable"
	ft_quic "fw4 + own flowtable"

	ft_apply -p $POLICY --backend module --no-offload
	check "apply --no-offload: no flowtable of rbiblock's" \
		grep -q '^offload: none: turned off' /tmp/ft-apply.txt
	ft_ordinary "fw4 alone" ft_theirs
	ft_blocked "fw4 alone"

	# Without the module nothing keeps fw4 off camera flows.
	ft_apply -p $POLICY --backend nft
	check "nft alone + fw4: apply says what is not enforced" grep -q \
		'^not enforced (on-failure: open): table inet fw4 offloads flows past what rbiblock reads' \
		/tmp/ft-apply.txt
	in_gw $RBICTL status --json -p $POLICY >/tmp/ft-status.json
	ft_check_in "nft alone + fw4: status lists it" \
		'"other_flowtables":\["table inet fw4, flowtable ft (g0 g1), flow add in chain forward"\].*"not_enforced":\[.*table inet fw4 offloads flows' \
		/tmp/ft-status.json
	sed 's/on-failure: open/on-failure: closed/' $POLICY \
		>/tmp/policy-closed.yaml
	ft_apply -p /tmp/policy-closed.yaml --backend nft
	check "nft alone + fw4, on-failure: closed: refused" grep -q \
		'^fail-closed: table inet fw4 offloads flows' /tmp/ft-apply.txt
	tcp_case "nft alone + fw4, on-failure: closed: camera egress blocked" \
		none net 443 cam 198.51.100.7 443 hello $OK
	since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	in_gw $RBICTL run -p /tmp/policy-closed.yaml --backend nft \
		--pid-file /tmp/rbictl.pid >/tmp/run-ft.log 2>&1 &
	n=0
	until grep -q 'FAIL-CLOSED' /tmp/run-ft.log || [ $n -ge 50 ]; do
		sleep 0.2
		n=$((n + 1))
	done
	stop_daemon
	$RBICTL audit show /tmp/audit --since "$since" --format jsonl \
		>/tmp/ft-audit.jsonl
	ft_check_in "audit log: the fw4 offload recorded with on-failure's answer" \
		'"what":"offload-unguarded",.*table inet fw4 offloads flows.*on-failure: closed' \
		/tmp/ft-audit.jsonl || cat /tmp/run-ft.log

	in_gw $NFT delete table inet fw4
	in_gw $RBICTL flush >/dev/null
	check "rbictl flush lets the module go after the flowtable cases" \
		rmmod rbiblock
}
