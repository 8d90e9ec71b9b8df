#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# make demo: a small camera network in network namespaces, rbiblock on its
# gateway, and camera traffic to face recognition services and to
# ordinary ones, with what is blocked, what is allowed, and why.
#
#   bash tests/demo.sh [RBICTL]
set -u
RBICTL=${1:-build/rbictl}
. "$(dirname "$0")/netns/lib.sh"
need ss dnsmasq openssl curl dig
POLICY=$(cd "$(dirname "$0")" && pwd)/demo/policy.yaml
DEMO=/tmp/rbiblock-demo
# Bold headings on a terminal only: a log of the demo gets no escape codes.
B= N=
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	B=$(tput bold 2>/dev/null) N=$(tput sgr0 2>/dev/null)
fi

demo_cleanup() {
	cleanup
	rm -rf "/etc/netns/$NS_CAM" "$DEMO"
}
trap demo_cleanup EXIT
say() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "a camera network: cameras in a public square and at a staff-only door"
topology
cat <<'EOT'
  camera 192.0.2.10   zone city-square      (publicly accessible)
  camera 192.0.2.130  zone depot-staff-door (not publicly accessible)
  gateway             rbiblock
  internet            DNS 198.51.100.53, TLS services, recorder 203.0.113.5
EOT
rm -rf "$DEMO" && mkdir -p "$DEMO" "/etc/netns/$NS_CAM"
echo "nameserver 198.51.100.53" >"/etc/netns/$NS_CAM/resolv.conf"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-subj /CN=demo -days 1 -keyout "$DEMO/tls.key" -out "$DEMO/tls.crt" \
	2>/dev/null
bg "$NS_NET" openssl s_server -quiet -www -accept 443 \
	-cert "$DEMO/tls.crt" -key "$DEMO/tls.key"
bg "$NS_NET" dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces \
	--listen-address=198.51.100.53 --pid-file="$DEMO/dnsmasq.pid" \
	--host-record=rekognition.eu-west-1.amazonaws.com,198.51.100.20,300 \
	--cname=faces.cdn-demo.example,api.kairos.com,300 \
	--host-record=api.kairos.com,198.51.100.22,300 \
	--host-record=www.example.org,198.51.100.80,300 \
	--host-record=recorder.city.example,203.0.113.5,300
listen "$NS_CAM" 554
bg "$NS_NET" socat -u UDP-RECV:443 OPEN:"$DEMO/quic.out",creat,append
wait_for 5 listening "$NS_NET" 443
wait_for 5 listening "$NS_NET" 53

say "the policy: the built-in prohibition and catalogue, the demo's zones"
run "$RBICTL" policy check -p "$POLICY"
"$RBICTL" keygen --origin demo.rbiblock.invalid/gateway -o "$DEMO/audit" >/dev/null

say "rbictl run on the gateway: applies the policy, learns from DNS, records"
ip netns exec "$NS_GW" "$RBICTL" run -p "$POLICY" >"$DEMO/run.log" 2>&1 &
PIDS="$PIDS $!"
wait_for 5 grep -q "^audit: log" "$DEMO/run.log"
sed 's/^/  daemon | /' "$DEMO/run.log"
printf '$ nft list table inet rbiblock   (the chains, abridged)\n'
gw nft list table inet rbiblock | sed -n '/chain camera_egress/,/^	}/p' | cut -c1-110

# try WHO CAMERA-ADDR WHAT COMMAND...: runs it, says blocked or allowed.
try() {
	local who=$1 what=$2
	shift 2
	if "$@" >/dev/null 2>&1; then
		printf '  %-28s %-44s %sallowed%s\n' "$who" "$what" "$B" "$N"
	else
		printf '  %-28s %-44s %sBLOCKED%s\n' "$who" "$what" "$B" "$N"
	fi
}
# https SRC NAME: the camera resolves NAME, then connects. Without the
# module, learning races the camera: a connection opened within a
# millisecond of the answer can pass (rbictl status says so), so the demo
# lets the answer land first, as a camera with a DNS cache would.
https() {
	local addr
	addr=$(cam dig +short +tries=1 +time=2 -b "$1" @198.51.100.53 "$2" A |
	       tail -n 1)
	sleep 0.2
	cam curl -sk --max-time 2 --interface "$1" \
		--resolve "$2:443:${addr:-0.0.0.0}" "https://$2/" -o /dev/null
}
udp_delivered() {
	udp 192.0.2.10 198.51.100.80 443
	sleep 0.3
	test -s "$DEMO/quic.out"
}
why() {
	"$RBICTL" policy explain -p "$POLICY" "$@" 2>/dev/null |
		sed -n 's/.*"reason":"\([^"]*\)".*/      why: \1/p'
}

say "camera traffic"
try "camera 192.0.2.10 (public)" "https://www.example.org" \
	https 192.0.2.10 www.example.org
why --src 192.0.2.10 --dst 198.51.100.80 --app tls --name www.example.org
try "camera 192.0.2.10 (public)" "https://rekognition.eu-west-1.amazonaws.com" \
	https 192.0.2.10 rekognition.eu-west-1.amazonaws.com
why --src 192.0.2.10 --dst 198.51.100.20 --app tls \
	--name rekognition.eu-west-1.amazonaws.com
try "camera 192.0.2.130 (staff)" "https://rekognition.eu-west-1.amazonaws.com" \
	https 192.0.2.130 rekognition.eu-west-1.amazonaws.com
why --src 192.0.2.130 --dst 198.51.100.20 --app tls \
	--name rekognition.eu-west-1.amazonaws.com
try "camera 192.0.2.10 (public)" "https://faces.cdn-demo.example (CNAME)" \
	https 192.0.2.10 faces.cdn-demo.example
why --src 192.0.2.10 --dst 198.51.100.22 --app tls --name api.kairos.com
try "camera 192.0.2.10 (public)" "QUIC to www.example.org (UDP 443)" \
	udp_delivered
why --src 192.0.2.10 --dst 198.51.100.80 --app quic
try "camera 192.0.2.10 (public)" "198.51.100.80:18411 (FindFace port)" \
	tcp 192.0.2.10 198.51.100.80 18411
why --src 192.0.2.10 --dst 198.51.100.80 --dport 18411
try "host 198.51.100.80" "pulls RTSP from camera 192.0.2.10" \
	tcp 198.51.100.80 192.0.2.10 554
why --src 198.51.100.80 --dst 192.0.2.10 --dport 554
try "recorder 203.0.113.5" "pulls RTSP from camera 192.0.2.10" \
	tcp 203.0.113.5 192.0.2.10 554
why --src 203.0.113.5 --dst 192.0.2.10 --dport 554

say "what the daemon saw, live: learned addresses and block records"
sleep 2.5	# repeats of one flow are merged over 2 s
grep -E "^(learned|block|log|gap):" "$DEMO/run.log" | sed 's/^/  daemon | /'

say "rbictl status"
ip netns exec "$NS_GW" "$RBICTL" status -p "$POLICY" 2>/dev/null |
	awk '/^chain/ { table = 1 } table && $2 == 0 { next } { print "  " $0 }'

say "the audit log: $DEMO/audit (signed checkpoints, verifiable offline)"
kill -TERM ${PIDS##* } 2>/dev/null
sleep 0.5
run "$RBICTL" audit show "$DEMO/audit" --format text 2>/dev/null | tail -n 12
run "$RBICTL" audit verify "$DEMO/audit" --pub "$DEMO/audit.pub"
say "done: tearing the network down"
