#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Inside the guest t_systemd.sh boots: systemd as PID 1 on Debian's kernel,
# rbiblock and rbiblock-dkms installed, rbiblock.service as the package
# left it. Run by rbiblock-test.service, whose standard output is the
# second serial port: PASS:/FAIL:/# lines, then "success" only when every
# check passed. Every wait is bounded.
#   sh /root/rbiblock-test/in_guest.sh (the kernel's version in ./kver)
d=/root/rbiblock-test
. $d/lib.sh
U=rbiblock.service
POLICY=/etc/rbiblock/policy.yaml
KEY=/etc/rbiblock/audit.key
LOG=/var/lib/rbiblock/audit
# The shipped WatchdogSec=60 would make the kill test wait a minute and
# more under TCG: a runtime drop-in shortens it for this boot only.
WATCHDOG=10
kver=$(cat $d/kver)
t0=$(date +%s)
echo "# guest: systemd reached the test $(cut -d. -f1 /proc/uptime) s after the kernel started"

prop() { systemctl show -P "$1" $U; }
# until_ SECONDS COMMAND...: true as soon as COMMAND is, polled twice a second.
until_() {
	n=$(($1 * 2))
	shift
	until "$@"; do
		[ $n -gt 0 ] || return 1
		sleep 0.5
		n=$((n - 1))
	done
}
# journal PRIORITY PATTERN: a line of the unit's at that priority or above.
journal() {
	journalctl -q -u $U -p "$1" -o cat --no-pager | grep -q "$2"
}
running() {
	[ "$(prop ActiveState)/$(prop SubState)" = active/running ]
}
# The daemon of pid $pid, still running.
same() { [ "$(prop MainPID)" = "$pid" ] && running; }
# records TYPE [PATTERN]: how many records of TYPE the audit log holds.
records() {
	rbictl audit show $LOG --type "$1" --format jsonl 2>/dev/null |
		grep -c "${2:-.}"
}
has_record() { [ "$(records "$@")" -gt 0 ]; }
verify() {
	rbictl audit verify $LOG --pub /etc/rbiblock/audit.pub >$d/verify 2>&1
	rc=$?
	sed -n 's/^/# verify: /p' $d/verify | tail -n 1
	[ $rc = 0 ] && grep -q ': INTACT, ' $d/verify
}
status() { rbictl status --json "$@" 2>/dev/null; }
# start_unit VERB: systemctl VERB rbiblock.service, bounded; its seconds
# in $secs.
start_unit() {
	t=$(date +%s)
	timeout 200 systemctl "$1" $U
	rc=$?
	secs=$(($(date +%s) - t))
	[ $rc = 0 ] && running
}
caps() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
# The options of the last mount on PATH in the daemon's namespace.
mount_opts() {
	awk -v m="$1" '$5 == m { o = $6 } END { print o }' \
		"/proc/$pid/mountinfo"
}

# Camera traffic through the guest: its root namespace is the gateway the
# daemon guards, between a camera namespace (192.0.2.10, in the plaza
# zone) and a network namespace (198.51.100.80, an ordinary host;
# 203.0.113.7, in the network of the policy's guest-fr entry) on veth
# pairs. A sink on port 443 there appends the length of each read to
# $d/sink.log.
CAMNS=rbicam$$
NETNS=rbinet$$
RBI=rekognition.eu-west-1.amazonaws.com
OK=www.example.org
traffic_up() {
	ip netns add $CAMNS && ip netns add $NETNS &&
	ip link add rbic0 type veth peer name c0 netns $CAMNS &&
	ip link add rbin0 type veth peer name n0 netns $NETNS &&
	ip addr add 192.0.2.1/24 dev rbic0 && ip link set rbic0 up &&
	ip addr add 198.51.100.1/24 dev rbin0 &&
	ip addr add 203.0.113.1/24 dev rbin0 && ip link set rbin0 up &&
	ip -n $CAMNS addr add 192.0.2.10/24 dev c0 &&
	ip -n $CAMNS link set c0 up &&
	ip -n $CAMNS route add default via 192.0.2.1 &&
	ip -n $NETNS addr add 198.51.100.80/24 dev n0 &&
	ip -n $NETNS addr add 203.0.113.7/24 dev n0 &&
	ip -n $NETNS link set n0 up && ip -n $NETNS link set lo up &&
	ip -n $NETNS route add default via 198.51.100.1 &&
	echo 1 >/proc/sys/net/ipv4/ip_forward || return 1
	: >$d/sink.log
	ip netns exec $NETNS perl -MIO::Socket::INET -e '
		$SIG{CHLD} = "IGNORE";
		my $l = IO::Socket::INET->new(LocalPort => 443, Listen => 16,
			ReuseAddr => 1) or die "sink: $!\n";
		while (1) {
			my $c = $l->accept or next;
			next if fork;
			open(my $f, ">>", $ARGV[0]) or die "sink: $!\n";
			$f->autoflush(1);
			my ($r, $b, $n) = ("");
			vec($r, fileno($c), 1) = 1;
			print $f "$n\n" while select(my $w = $r, undef, undef, 5) &&
				($n = sysread($c, $b, 65536));
			exit 0;
		}' $d/sink.log &
	sink=$!
	until_ 5 sh -c "ip netns exec $NETNS ss -Hltn 'sport = 443' | grep -q ."
}
traffic_down() {
	kill $sink 2>/dev/null
	wait $sink 2>/dev/null
	# A namespace outlives its name while a process is in it: the
	# gateway's ends of the pairs go now.
	ip link del rbic0
	ip link del rbin0
	ip netns del $CAMNS
	ip netns del $NETNS
	echo 0 >/proc/sys/net/ipv4/ip_forward
}
# connects HOST: a TCP connection from the camera to HOST:443 opens.
connects() {
	ip netns exec $CAMNS timeout 3 bash -c "exec 3<>/dev/tcp/$1/443"
}
# hello NAME: how many bytes of a ClientHello naming NAME, sent from the
# camera to the ordinary host, reached it.
hello() {
	: >$d/sink.log
	ip netns exec $CAMNS timeout 3 openssl s_client -quiet \
		-connect 198.51.100.80:443 -servername "$1" </dev/null \
		>/dev/null 2>&1
	awk '{ n += $1 } END { print n + 0 }' $d/sink.log
}
# sni_checks BACKEND: a harmless name passes; an RBI service's is blocked
# and recorded with its name, by BACKEND, in the sandboxed daemon's log.
sni_checks() {
	n=$(hello $OK)
	check "$1: a ClientHello naming $OK reaches the ordinary host ($n bytes)" \
		[ "$n" -gt 0 ]
	n=$(hello $RBI)
	check "$1: a ClientHello naming $RBI does not ($n bytes)" [ "$n" = 0 ]
	check "... a block record of it with the name, written by the daemon" \
		until_ 10 has_record block \
		"\"dst\":\"198.51.100.80\",\"dport\":443,.*\"name\":\"$RBI\",.*\"backend\":\"$1\""
}

# ---- the boot, with the package as installed ----
check "the guest runs the kernel DKMS built rbiblock.ko for ($kver)" \
	[ "$(uname -r)" = "$kver" ]
check "at boot, on the policy as installed, rbiblock.service exited 78 and was not restarted" \
	[ "$(prop ExecMainStatus)/$(prop ActiveState)/$(prop NRestarts)" = 78/failed/0 ]
check "... and the journal says why, as an error" \
	journal err "names no publicly accessible zone"
check "at boot, the unit's privileged first step (ExecStartPre=-+) loaded rbiblock.ko" \
	[ -d /sys/module/rbiblock ]
check "... said so at priority info" journal info..info "rbiblock.ko loaded for $kver"
check "... and its self-tests passed on this kernel" \
	sh -c 'dmesg | grep -q "rbiblock self-tests: pass"'

# ---- first run, as the README tells it ----
rbictl init --zone plaza=192.0.2.0/24,2001:db8:20::/48 \
	--recorder vms=198.51.100.10@554,443 --origin guest.test/rbiblock \
	>$d/init 2>&1
check "rbictl init names the camera network" [ $? = 0 ]
# A service network of the test's own for the traffic below.
cat >>$POLICY <<-EOF
	catalog:
	  services:
	    - id: guest-fr
	      name: A face recognition service on a test network
	      categories: [remote-biometric-identification]
	      networks: [203.0.113.0/28]
EOF
# Heartbeats every 5 s, so that a few fall within the test.
sed -i 's/^\(  heartbeat:\) *60s/\1 5s/' $POLICY
mkdir -p /run/systemd/system/$U.d
printf '[Service]\nWatchdogSec=%s\n' $WATCHDOG \
	>/run/systemd/system/$U.d/watchdog.conf
systemctl daemon-reload
rmmod rbiblock
check "rbiblock.ko unloaded before the start" [ ! -d /sys/module/rbiblock ]
check "systemctl start: READY=1 (Type=notify), active" start_unit start
echo "# guest: systemctl start took $secs s"
pid=$(prop MainPID)
started=$(date +%s)
check "... its first step loaded rbiblock.ko again" [ -d /sys/module/rbiblock ]
says() { prop StatusText | grep -q "$1"; }
echo "# guest: STATUS=$(prop StatusText)"
check "... STATUS= says what it enforces" \
	says '^enforcing policy eu-ai-act-art5-1d-amended .*, backend nft+module'
check "... 'applied:' is an info line" journal info..info '^applied: policy'
check "... and not an error" ! journal err '^applied: policy'
check "systemd accepted every notification (NotifyAccess=main)" ! sh -c \
	"journalctl -q -b _PID=1 -o cat | grep -q 'notification message from PID'"

# ---- what it runs with ----
status >$d/status.json
check "rbictl status finds the daemon by /run/rbiblock/run.pid" \
	grep -q "\"daemon_pid\":$pid,\"daemon_found_by\":\"/run/rbiblock/run.pid\"" \
	$d/status.json
mv /run/rbiblock/run.pid /run/rbiblock/run.pid.aside
status >$d/status.json
mv /run/rbiblock/run.pid.aside /run/rbiblock/run.pid
check "... and, without it, by rbiblock.service's control group" \
	grep -q "\"daemon_pid\":$pid,\"daemon_found_by\":\"rbiblock.service\"" \
	$d/status.json
check "rbictl status: this policy applied, backend nft+module" \
	grep -q '"table_comment":"rbiblock policy=[^"]* backend=nft+module",.*"policy_applied":true' \
	$d/status.json
check "rbictl status: not fail-closed" grep -q '"fail_closed":null' $d/status.json
check "rbictl status: the module holds the policy" \
	grep -q '"module_state":{"generation":[0-9]*,"policy":"eu-ai-act-art5-1d-amended"' \
	$d/status.json
check "nft list table inet rbiblock: the ruleset is in place" \
	sh -c 'nft list table inet rbiblock | grep -q "chain module_verdicts"'
check "the daemon's capabilities: CAP_NET_ADMIN only (effective, permitted, bounding)" \
	[ "$(caps CapEff)/$(caps CapPrm)/$(caps CapBnd)" = \
	  0000000000001000/0000000000001000/0000000000001000 ]
check "... no new privileges, a seccomp filter" \
	[ "$(caps NoNewPrivs)/$(caps Seccomp)" = 1/2 ]
mounts=$(mount_opts /)' '$(mount_opts /var/lib/rbiblock)' '$(mount_opts /run/rbiblock)
echo "# guest: the daemon's mounts of /, /var/lib/rbiblock, /run/rbiblock: $mounts"
check "ProtectSystem=strict: / read-only for the daemon, /var/lib/rbiblock and /run/rbiblock writable" \
	sh -c "case '$mounts' in 'ro,'*' rw,'*' rw,'*) ;; *) exit 1 ;; esac"
check "the daemon writes its audit log under ReadWritePaths: start, policy, heartbeats" \
	until_ 30 has_record heartbeat
check "rbictl audit verify: INTACT" verify
systemd-analyze security $U --no-pager 2>/dev/null | tail -n 1 |
	sed 's/^/# systemd-analyze security: /'

# ---- camera traffic, backend nft+module ----
t=$(date +%s)
check "a camera and a network namespace, the guest forwarding between them" \
	traffic_up
check "the camera reaches an ordinary host, 198.51.100.80:443" \
	connects 198.51.100.80
check "... but not 203.0.113.7:443, in guest-fr's network" \
	! connects 203.0.113.7
check "... a block record of it, written by the daemon" until_ 10 has_record \
	block '"camera":"192.0.2.10",.*"dst":"203.0.113.7","dport":443,.*"service":"guest-fr"'
sni_checks module
traffic_down
echo "# guest: the traffic through the module took $(($(date +%s) - t)) s"

# ---- reload ----
sed -i 's/^name: .*/name: guest-reloaded/' $POLICY
check "systemctl reload (SIGHUP)" timeout 60 systemctl reload $U
check "... the edited policy applied: the journal says so" \
	until_ 30 journal info "^reloaded: policy guest-reloaded"
check "... a policy record of it in the audit log" \
	until_ 20 has_record policy '"name":"guest-reloaded"'
check "... by the same daemon" same
cp $POLICY $d/reloaded.yaml
echo 'zones: [' >>$POLICY
timeout 60 systemctl reload $U
check "an invalid policy on reload is refused, as an error in the journal" \
	until_ 30 journal err "^reload refused: $POLICY is invalid"
check "... the daemon goes on" same
check "... and the previous policy stays applied" sh -c \
	"rbictl status --json -p $d/reloaded.yaml 2>/dev/null |
	 grep -q '\"policy_applied\":true'"
cp $d/reloaded.yaml $POLICY

# ---- the watchdog ----
# Three periods at least, so that a daemon that misses pings is caught.
left=$((started + 3 * WATCHDOG - $(date +%s)))
[ $left -le 0 ] || sleep $left
check "WatchdogSec=$WATCHDOG: kept for $(($(date +%s) - started)) s without a restart" \
	[ "$(prop MainPID)/$(prop NRestarts)" = "$pid/0" ]
kill -STOP "$pid"
t=$(date +%s)
restarted() { [ "$(prop MainPID)" != "$pid" ] && [ "$(prop MainPID)" != 0 ] && running; }
check "a daemon stopped with SIGSTOP is killed by the watchdog and restarted" \
	until_ 120 restarted
echo "# guest: restarted $(($(date +%s) - t)) s after SIGSTOP (WatchdogSec=$WATCHDOG, RestartSec=5)"
check "... once (NRestarts 1)" [ "$(prop NRestarts)" = 1 ]
check "... and the journal says 'Watchdog timeout'" journal info 'Watchdog timeout'
pid=$(prop MainPID)
check "... the audit log still verifies" until_ 30 verify

# ---- FAIL-CLOSED ----
mv $KEY $d/audit.key
check "restarted without the audit key: active" start_unit restart
pid=$(prop MainPID)
check "... STATUS= says FAIL-CLOSED" \
	until_ 10 says '^FAIL-CLOSED: audit log unavailable'
check "... an error in the journal (journalctl -p err)" \
	journal err "FAIL-CLOSED: audit log unavailable"
check "... the ruleset blocks camera egress (status: fail_closed)" sh -c \
	"rbictl status --json 2>/dev/null | grep -q '\"fail_closed\":\"audit log unavailable'"
mv $d/audit.key $KEY
check "key back: a heartbeat later the log is open and FAIL-CLOSED is over" \
	until_ 30 says '^enforcing'
check "... without a restart" same

# ---- a kernel without the module (headers missing at an upgrade) ----
ko=/lib/modules/$kver/updates/dkms/rbiblock.ko
timeout 60 systemctl stop $U
# What stays in force after a stop holds the module: flush lets it go.
rbictl flush >/dev/null
rmmod rbiblock
mv $ko $d/rbiblock.ko
depmod "$kver"
check "rbiblock.ko unloaded and gone from the kernel's modules" sh -c \
	"[ ! -d /sys/module/rbiblock ] && ! modinfo rbiblock >/dev/null 2>&1"
check "without rbiblock.ko, BACKEND=auto: active" start_unit start
echo "# guest: STATUS=$(prop StatusText)"
check "... the first step's report is an error in the journal" \
	journal err "rbiblock.ko is not built for the running kernel $kver"
check "... with what DKMS says, and no noise from it" sh -c \
	"journalctl -q -u $U -p err -o cat | grep -q '^rbiblock-module: dkms: rbiblock/' &&
	 ! journalctl -q -u $U -p err -o cat | grep -q 'write error'"
check "... the daemon inspects through NFQUEUE in the sandbox (STATUS=, status)" sh -c \
	"systemctl show -P StatusText $U | grep -q ', backend queue\$' &&
	 rbictl status --json 2>/dev/null | grep -q 'backend=nft+queue\",'"
t=$(date +%s)
check "a camera and a network namespace again" traffic_up
sni_checks queue
traffic_down
echo "# guest: the traffic through the queues took $(($(date +%s) - t)) s"
sed -i 's/^BACKEND=.*/BACKEND=module/' /etc/default/rbiblock
check "BACKEND=module, the module missing: active, to record" start_unit restart
check "... the missing module is an error in the journal" \
	journal err "^--backend module: rbiblock.ko is not loaded"
check "... on-failure: closed blocks camera egress" sh -c \
	"rbictl status --json 2>/dev/null |
	 grep -q '\"fail_closed\":\"the policy requires rbiblock.ko'"
check "... and STATUS= says FAIL-CLOSED, and why" \
	says '^FAIL-CLOSED: the policy requires rbiblock.ko'
pid=$(prop MainPID)
mv $d/rbiblock.ko $ko
depmod "$kver"
modprobe rbiblock
module_up() {
	rbictl status --json 2>/dev/null |
		grep -q 'backend=nft+module",.*"fail_closed":null'
}
check "modprobe rbiblock: a heartbeat later the daemon enforces with it" \
	until_ 30 module_up
check "... and STATUS= says it enforces" until_ 10 says '^enforcing'
check "... without a restart" same
sed -i 's/^BACKEND=.*/BACKEND=auto/' /etc/default/rbiblock

# ---- stop ----
stops=$(records stop)
timeout 60 systemctl stop $U
check "systemctl stop: inactive, Result=success" \
	[ "$(prop ActiveState)/$(prop Result)" = inactive/success ]
check "... a stop record in the audit log" [ "$(records stop)" -gt "$stops" ]
check "... the audit log verifies" verify
check "... what was applied stays in force" \
	sh -c 'nft list table inet rbiblock >/dev/null'

# ---- a reboot onto a broken policy ----
# The table goes with a reboot; here it goes with a flush, the daemon
# stopped. The daemon kept the ruleset for such a boot (--keep).
check "the daemon kept the ruleset for a boot in /var/lib/rbiblock" \
	sh -c "head -n 1 /var/lib/rbiblock/kept.batch | grep -qx 'rbiblock-kept 1'"
rbictl flush >/dev/null
cp $POLICY $d/good.yaml
echo "zones: [ not closed" >>$POLICY
timeout 60 systemctl start $U
check "a broken policy at boot: the unit exits 78" \
	[ "$(prop ExecMainStatus)/$(prop ActiveState)" = 78/failed ]
check "... the kept ruleset is back, fail-closed" sh -c \
	"rbictl status --json 2>/dev/null | grep -q '\"fail_closed\":\"put back at boot'"
check "... said as an error in the journal" \
	journal err "put back the ruleset kept at .* in its fail-closed form"
cp $d/good.yaml $POLICY
check "the policy fixed: the unit starts again" start_unit start
check "... and its ruleset replaces the kept one" sh -c \
	"rbictl status --json 2>/dev/null | grep -q '\"fail_closed\":null'"
timeout 60 systemctl stop $U

echo "# guest: the checks took $(($(date +%s) - t0)) s"
if [ "$FAILS" != 0 ]; then
	journalctl -q -b -u $U -o short-monotonic --no-pager | tail -n 60 >&2
	exit 1
fi
echo success
