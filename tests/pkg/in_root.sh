#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Inside the Debian 12 root (see t_root.sh): install, then check.
#   sh /tmp/rbiblock-pkg/in_root.sh VERSION
d=/tmp/rbiblock-pkg
version=$1
. $d/lib.sh
kver=$(ls /lib/modules | sort -V | tail -n 1)

# A throwaway machine owner key, as one would enrol with mokutil, given
# to DKMS the way an operator would.
openssl req -new -x509 -nodes -days 1 -subj "/CN=rbiblock test MOK/" \
	-newkey rsa:2048 -keyout $d/mok.key -outform DER -out $d/mok.der \
	>/dev/null 2>&1
mkdir -p /etc/dkms/framework.conf.d
printf 'mok_signing_key=%s\nmok_certificate=%s\n' $d/mok.key $d/mok.der \
	>/etc/dkms/framework.conf.d/rbiblock-test.conf

t0=$(date +%s)
DEBIAN_FRONTEND=noninteractive dpkg -i $d/rbiblock_*.deb \
	$d/rbiblock-dkms_*_all.deb >$d/dpkg.log 2>&1
check "dpkg installs rbiblock and rbiblock-dkms in a clean Debian 12 root" [ $? = 0 ]
echo "# pkg: install with the DKMS build: $(($(date +%s) - t0)) s"
grep -E 'Error|error:' $d/dpkg.log | head -n 5 | sed 's/^/# /'
dkms status rbiblock >$d/dkms 2>&1
sed 's/^/# dkms status: /' $d/dkms
check "dkms status: rbiblock $version installed for the headers of $kver" \
	grep -q "^rbiblock/$version, $kver, [^:]*: installed" $d/dkms
modinfo -k "$kver" rbiblock >$d/modinfo 2>&1
check "modinfo: rbiblock.ko $version in /lib/modules/$kver/updates/dkms" sh -c \
	"grep -q '^filename: */lib/modules/$kver/updates/dkms/rbiblock.ko' $d/modinfo &&
	 grep -q '^version: *$version\$' $d/modinfo"
grep -E '^(signer|sig_key|sig_hashalgo):' $d/modinfo | sed 's/^/# modinfo: /'
check "modinfo: signed by the machine owner key DKMS was given" \
	grep -q '^signer: *rbiblock test MOK$' $d/modinfo
# A PKCS#7 module signature names its certificate by serial number.
serial=$(openssl x509 -inform DER -in $d/mok.der -noout -serial |
	sed 's/^serial=//; s/\(..\)/\1:/g; s/:$//')
check "modinfo: sig_key is that certificate's serial number" \
	grep -qi "^sig_key: *$serial\$" $d/modinfo

# man-db is not the unit's to need: its Documentation= pages are checked
# in the package (t_deb.sh).
systemd-analyze verify --man=no /lib/systemd/system/rbiblock.service \
	>$d/verify 2>&1
rc=$?
sed 's/^/# systemd-analyze: /' $d/verify
check "systemd-analyze verify rbiblock.service: no complaint" \
	[ $rc = 0 ] && [ ! -s $d/verify ]
check "the unit is enabled for boot, and the install started nothing" sh -c \
	"[ -L /etc/systemd/system/multi-user.target.wants/rbiblock.service ] &&
	 [ ! -e /run/rbiblock/run.pid ]"

# The first run, as the README tells it.
rbictl policy check >$d/check 2>&1
check "the policy as installed is valid, and says it protects nothing" \
	grep -q "no 'zones': nothing is protected" $d/check
rbictl run >$d/run 2>&1
check "rbictl run refuses the policy as installed (exit 78): no camera network" \
	[ $? = 78 ]
rbictl init --zone squares=10.20.0.0/16,2001:db8:20::/48 \
	--private-zone staff=10.30.5.0/24 --recorder vms=10.10.0.5@554,443 \
	--origin gw1.test/rbiblock >$d/init 2>&1
check "rbictl init replaces the policy as installed" [ $? = 0 ]
sed 's/^/# init: /' $d/init
check "init: the policy is valid and has the zones and the recorder" sh -c \
	"rbictl policy show --json | grep -q '\"name\":\"squares\",\"publicly_accessible\":true' &&
	 rbictl policy show --json | grep -q '\"name\":\"vms\"'"
check "init: audit.key mode 600, audit.pub 644, audit dir 750" [ \
	"$(stat -c %a /etc/rbiblock/audit.key /etc/rbiblock/audit.pub /var/lib/rbiblock/audit | tr '\n' ' ')" \
	= "600 644 750 " ]
check "init: the verifier key is the log's origin's" \
	grep -q '^gw1.test/rbiblock+' /etc/rbiblock/audit.pub
check "init: says what to run next" grep -q 'systemctl enable --now rbiblock' $d/init
check "init: a second init does not replace a policy with zones" \
	! sh -c "rbictl init --zone other=10.99.0.0/16 >/dev/null 2>&1"
rbictl init --force --zone other=10.99.0.0/16 --example city >/dev/null 2>&1
check "init --force replaces it and keeps the old one as policy.yaml.old" sh -c \
	"grep -q 'name: other' /etc/rbiblock/policy.yaml &&
	 grep -q 'name: squares' /etc/rbiblock/policy.yaml.old &&
	 grep -q '^name: city-moratorium-2026' /etc/rbiblock/policy.yaml"

# What the unit's first step says at boot on a kernel without the module:
# here, the host's, which no package built it for.
/usr/libexec/rbiblock/rbiblock-module >$d/modload 2>&1
rc=$?
sed 's/^/# rbiblock-module: /' $d/modload
check "a kernel without a built module is reported as an error (<3>)" sh -c \
	"[ $rc = 1 ] && grep -q '^<3>rbiblock-module: rbiblock.ko is not built for the running kernel $(uname -r)' $d/modload"

dpkg --purge rbiblock-dkms >$d/purge 2>&1
check "purging rbiblock-dkms removes the module from DKMS and the kernel" sh -c \
	"! dkms status rbiblock | grep -q . && [ ! -e /lib/modules/$kver/updates/dkms/rbiblock.ko ]"
echo kept >/var/lib/rbiblock/kept.batch
dpkg --purge rbiblock >>$d/purge 2>&1
check "purging rbiblock keeps the audit key and log, removes the rest" sh -c \
	"[ -f /etc/rbiblock/audit.key ] && [ -d /var/lib/rbiblock/audit ] &&
	 [ ! -e /usr/sbin/rbictl ] && [ ! -e /etc/default/rbiblock ] &&
	 [ ! -e /var/lib/rbiblock/kept.batch ]"
done_
